"""Strategies for campaigns and their ledger: campaigns, sponsors, pledges, gifts, events, ledgers."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from typing import Any, Final

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ansinh.core.campaign import (
    Beneficiary,
    Campaign,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    GiftStatus,
    Instalment,
    LocalSponsorKind,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.handover import Handover
from ansinh.core.law import Law
from ansinh.core.ledger import (
    EVENT_TYPES,
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    GiftStep,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeAmended,
    PledgeBalance,
    PledgeRegistered,
    PledgeWithdrawn,
)
from ansinh.core.people import Category
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook
from ansinh.exceptions import InvalidValueError, InvariantViolation
from ansinh.hookspecs import SourcingResult
from ansinh.strategies._common import (
    book_incomes,
    date_pairs,
    given_or,
    ids,
    law_or_default,
    with_tet_dates,
)
from ansinh.strategies._law import dates
from ansinh.strategies._people import HOSPITALS, products, provinces, tet_gifts

__all__ = [
    "beneficiaries",
    "campaigns",
    "earmarks",
    "gift_steps",
    "gifts",
    "handovers",
    "instalments",
    "ledger_events",
    "ledger_states",
    "ledgers",
    "local_sponsor_kinds",
    "pledge_balances",
    "pledges",
    "sourcing_results",
    "sponsors",
]

# -- campaigns ---------------------------------------------------------------------------------


@st.composite
def _campaigns(draw: st.DrawFn, province: SearchStrategy[str | None]) -> Campaign:
    start = draw(dates())
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    tet = draw(st.none() | date_pairs(start, end, 9))
    year = draw(st.sampled_from(("Ất Tỵ", "Bính Ngọ", "Đinh Mùi")))
    return Campaign(
        code=draw(ids("C-")),
        name=f"Xuân {year}",
        lunar_year=year,
        plan_reference=draw(st.sampled_from(("", "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"))),
        province=draw(province),
        start=start,
        end=end,
        tet_dates=tet,
        purchase_date=draw(st.none() | st.dates(start, end)),
    )


def campaigns(*, province: str | SearchStrategy[str | None] | None = None) -> SearchStrategy[Campaign]:
    """Campaigns (national or provincial) with ordered dates and Tết days.

    Args:
        province: a province code or a strategy of codes (default: national or any province).
    """
    return _campaigns(given_or(province, st.none() | provinces()))


def sponsors(
    *, province: str | SearchStrategy[str | None] | None = None, kind: SponsorKind | None = None
) -> SearchStrategy[Sponsor]:
    """Sponsors of any kind (or of *kind*), central or provincial."""
    kinds = st.sampled_from(SponsorKind) if kind is None else st.just(kind)
    return kinds.flatmap(
        lambda k: st.builds(
            Sponsor,
            id=ids("S-"),
            name=st.sampled_from(
                ("Vietcombank", "Công ty May 10", "Chùa Bái Đính", "Nguyễn Văn A", "Hội Chữ thập đỏ")
            ),
            kind=st.just(k),
            province=given_or(province, st.none() | provinces()),
            local_kind=st.just("hop_tac_xa" if k is SponsorKind.OTHER else ""),
        )
    )


def earmarks() -> SearchStrategy[Earmark]:
    """Earmarks of every kind (a category earmark targets a category value)."""
    return st.one_of(
        st.builds(
            Earmark,
            kind=st.just(EarmarkKind.CATEGORY),
            target=st.sampled_from(Category).map(lambda c: c.value),
            label=st.sampled_from(("", "hộ cận nghèo")),
        ),
        st.builds(
            Earmark,
            kind=st.sampled_from([k for k in EarmarkKind if k is not EarmarkKind.CATEGORY]),
            target=st.sampled_from(("Công ty May 10", "Hội Phật giáo", "Xã Tiên Lữ")),
            label=st.sampled_from(("", "thân nhân người lao động")),
        ),
    )


def local_sponsor_kinds() -> SearchStrategy[LocalSponsorKind]:
    """Sponsor kinds a province plugin adds (cooperatives, foreign donors …)."""
    return st.builds(
        LocalSponsorKind,
        code=st.sampled_from(("hop_tac_xa", "nha_tai_tro_nuoc_ngoai", "quy_2")),
        label_vi=st.sampled_from(("hợp tác xã", "nhà tài trợ nước ngoài")),
        label_en=st.sampled_from(("cooperative", "foreign donor")),
        aliases=st.lists(st.sampled_from(("htx", "ngo")), max_size=2, unique=True).map(tuple),
    )


def instalments() -> SearchStrategy[Instalment]:
    """Scheduled payments of whole đồng."""
    return st.builds(Instalment, due=dates(), amount=st.integers(0, 10**9))


@st.composite
def _pledges(
    draw: st.DrawFn, sponsor_id: SearchStrategy[str], province: SearchStrategy[str | None]
) -> Pledge:
    units = draw(
        st.lists(
            st.tuples(st.sampled_from(ProductKind), st.integers(0, 500)), max_size=3, unique_by=lambda u: u[0]
        )
    )
    money = draw(st.integers(0 if units else 1, 10**10))
    schedule: tuple[Instalment, ...] = ()
    if money and draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, money), max_size=3)))
        bounds = [0, *cuts, money]
        first_due = draw(dates())
        schedule = tuple(
            Instalment(due=first_due + dt.timedelta(days=30 * i), amount=b - a)
            for i, (a, b) in enumerate(itertools.pairwise(bounds))
        )
    return Pledge(
        id=draw(ids("PL-")),
        sponsor_id=draw(sponsor_id),
        units=tuple(units),
        money=money,
        province=draw(province),
        earmark=draw(st.none() | earmarks()),
        strategy=draw(st.sampled_from(("", "workplace_drive", "sales_channel", "commune_engagement"))),
        card_months=draw(st.sampled_from((3, 6, 12))),
        book_months=draw(st.sampled_from((1, 3, 6, 12))),
        instalments=schedule,
        declared_value=draw(st.none() | st.integers(0, 10**11)) if units else None,
        unit_categories=draw(st.frozensets(st.sampled_from(Category), max_size=2)) if units else frozenset(),
        funds_source=draw(st.sampled_from(("", "kinh phí hoạt động tình nghĩa", "quỹ từ thiện xã hội"))),
    )


def pledges(
    *,
    sponsor_id: str | SearchStrategy[str] | None = None,
    province: str | SearchStrategy[str | None] | None = None,
) -> SearchStrategy[Pledge]:
    """Pledges of units and/or money; instalments, when any, add up to the money."""
    return _pledges(given_or(sponsor_id, ids("S-")), given_or(province, st.none() | provinces()))


# -- gifts and the ledger ------------------------------------------------------------------------


def beneficiaries(*, province: str | SearchStrategy[str] | None = None) -> SearchStrategy[Beneficiary]:
    """The ledger's view of a person: province, categories, supported months, affiliations."""
    return st.builds(
        Beneficiary,
        person_id=ids("P-"),
        province=given_or(province, provinces()),
        categories=st.frozensets(st.sampled_from(Category), max_size=3),
        vsi_supported_months=st.integers(0, 150),
        affiliations=st.frozensets(st.sampled_from(("ENT-01", "ENT-02", "Chùa A", "Xã Tiên Lữ")), max_size=2),
    )


@st.composite
def _gifts(
    draw: st.DrawFn,
    on: dt.date | None,
    law: Law | None,
    beneficiary: SearchStrategy[Beneficiary],
    pledge_id: SearchStrategy[str],
    status: GiftStatus | None,
) -> Gift:
    lw = law_or_default(law)
    day = draw(dates(law=lw)) if on is None else on
    who = draw(beneficiary)
    product = draw(products(on=day, law=lw))
    quote = price(product, who, on=day, law=lw)
    covers_from = day + dt.timedelta(days=draw(st.integers(0, 60))) if product.months > 0 else None
    return Gift(
        id=draw(ids("G-")),
        pledge_id=draw(pledge_id),
        beneficiary=who,
        product=product,
        quote=quote,
        funding=draw(st.sampled_from(Funding)),
        covers_from=covers_from,
        priority=draw(st.integers(0, 200)),
        reason=draw(st.sampled_from(("", "Ưu tiên hộ cận nghèo; nhà tài trợ: Công ty May 10"))),
        status=draw(st.sampled_from(GiftStatus)) if status is None else status,
    )


def gifts(
    *,
    on: dt.date | None = None,
    law: Law | None = None,
    beneficiary: Beneficiary | SearchStrategy[Beneficiary] | None = None,
    pledge_id: str | SearchStrategy[str] | None = None,
    status: GiftStatus | None = None,
) -> SearchStrategy[Gift]:
    """Gifts whose quote is the law's price of the product for the beneficiary on the purchase date.

    Args:
        on: the purchase date (default: any date of :func:`dates`).
        law: the law (default: the shipped law).
        beneficiary: who receives it (default: any).
        pledge_id: the paying pledge (default: any id).
        status: a fixed status (default: any).
    """
    return _gifts(on, law, given_or(beneficiary, beneficiaries()), given_or(pledge_id, ids("PL-")), status)


def _event_ids() -> SearchStrategy[str]:
    return ids("E-")


def _notes() -> SearchStrategy[str]:
    return st.sampled_from(("", "theo đề nghị của nhà tài trợ", "sai thông tin"))


@st.composite
def _pledge_registered(draw: st.DrawFn) -> PledgeRegistered:
    sponsor = draw(sponsors())
    return PledgeRegistered(
        event_id=draw(_event_ids()),
        on=draw(dates()),
        sponsor=sponsor,
        pledge=draw(pledges(sponsor_id=sponsor.id)),
    )


_EVENT_STRATEGIES: Final[dict[type[Any], Callable[[], SearchStrategy[Any]]]] = {
    PledgeRegistered: _pledge_registered,
    PledgeAmended: lambda: st.builds(
        PledgeAmended, event_id=_event_ids(), on=dates(), pledge=pledges(), note=_notes()
    ),
    PledgeWithdrawn: lambda: st.builds(
        PledgeWithdrawn, event_id=_event_ids(), on=dates(), pledge_id=ids("PL-"), note=_notes()
    ),
    MoneyReceived: lambda: st.builds(
        MoneyReceived, event_id=_event_ids(), on=dates(), pledge_id=ids("PL-"), amount=st.integers(1, 10**10)
    ),
    GiftAllocated: lambda: st.builds(
        GiftAllocated, event_id=_event_ids(), on=dates(), gift=gifts(status=GiftStatus.ALLOCATED)
    ),
    GiftPaid: lambda: st.builds(GiftPaid, event_id=_event_ids(), on=dates(), gift_id=ids("G-")),
    GiftDelivered: lambda: st.builds(GiftDelivered, event_id=_event_ids(), on=dates(), gift_id=ids("G-")),
    GiftCancelled: lambda: st.builds(
        GiftCancelled, event_id=_event_ids(), on=dates(), gift_id=ids("G-"), note=_notes()
    ),
    GiftRefunded: lambda: st.builds(
        GiftRefunded, event_id=_event_ids(), on=dates(), gift_id=ids("G-"), note=_notes()
    ),
}


def ledger_events(*, types: Iterable[type[Event]] | None = None) -> SearchStrategy[Event]:
    """Ledger events, each valid on its own (whether a ledger accepts it depends on the ledger).

    Args:
        types: the event classes to draw from (default: every one of
            :data:`ansinh.core.events.EVENT_TYPES`).
    """
    chosen = tuple(EVENT_TYPES if types is None else types)
    unknown = [t for t in chosen if t not in _EVENT_STRATEGIES]
    if unknown or not chosen:
        raise InvalidValueError("types", unknown or chosen, "ledger event classes of ansinh.core.ledger")
    return st.one_of([_EVENT_STRATEGIES[t]() for t in chosen])


def _product_for(draw: st.DrawFn, kind: ProductKind, pledge: Pledge, law: Law, day: dt.date) -> Product:
    if kind is ProductKind.HEALTH_CARD:
        return HealthCard(months=pledge.card_months, household_rank=draw(st.integers(1, 5)))
    if kind is ProductKind.SOCIAL_BOOK:
        return SocialBook(months=pledge.book_months, monthly_income=draw(book_incomes(law, day)))
    return draw(tet_gifts())


def _propose_pledge(draw: st.DrawFn, ledger: Ledger, n: int, days: SearchStrategy[dt.date]) -> Event | None:
    """A new pledge of units and/or round sums of money, without earmark or instalments."""
    sponsor = attrs.evolve(draw(sponsors(province=st.none())), id=f"S{n}")
    pledge = draw(pledges(sponsor_id=sponsor.id, province=st.none()))
    money = draw(st.sampled_from((0, 5_000_000, 20_000_000, 100_000_000)[0 if pledge.units else 1 :]))
    pledge = attrs.evolve(pledge, id=f"PL{n}", earmark=None, money=money, instalments=())
    return PledgeRegistered(event_id=f"E{n}", on=draw(days), sponsor=sponsor, pledge=pledge)


def _propose_money(draw: st.DrawFn, ledger: Ledger, n: int, days: SearchStrategy[dt.date]) -> Event | None:
    """Money received for a registered pledge, up to what it pledged."""
    balance = draw(st.sampled_from(ledger.state.pledges))
    amount = draw(st.integers(1, max(1, balance.pledge.money)))
    return MoneyReceived(event_id=f"E{n}", on=draw(days), pledge_id=balance.pledge.id, amount=amount)


def _propose_gift(draw: st.DrawFn, ledger: Ledger, n: int, days: SearchStrategy[dt.date]) -> Event | None:
    """A gift a pledge can still pay (by its units or its money), priced by the ledger's law."""
    balance = draw(st.sampled_from(ledger.state.pledges))
    by_units = [k for k, _ in balance.pledge.units if balance.units_left(k) > 0]
    kinds = by_units + (list(ProductKind) if balance.money_left > 0 else [])
    if not kinds:
        return None
    kind = draw(st.sampled_from(kinds))
    day = draw(days)
    product = _product_for(draw, kind, balance.pledge, ledger.law, day)
    who = draw(beneficiaries())
    gift = Gift(
        id=f"G{n}",
        pledge_id=balance.pledge.id,
        beneficiary=who,
        product=product,
        quote=price(product, who, on=day, law=ledger.law),
        funding=Funding.UNITS if kind in by_units else Funding.MONEY,
        covers_from=day if product.months > 0 else None,
    )
    return GiftAllocated(event_id=f"E{n}", on=day, gift=gift)


def _propose_step(draw: st.DrawFn, ledger: Ledger, n: int, days: SearchStrategy[dt.date]) -> Event | None:
    """The next step of an open gift: pay or cancel it, deliver or refund it.

    Before a payment the pledge receives the money it lacks (appended here), so
    most payments are accepted.
    """
    state = ledger.state
    open_gifts = [g for g in state.gifts if g.status in (GiftStatus.ALLOCATED, GiftStatus.PAID)]
    if not open_gifts:
        return None
    gift = draw(st.sampled_from(open_gifts))
    if gift.status is GiftStatus.ALLOCATED:
        step: type[GiftPaid | GiftDelivered | GiftCancelled | GiftRefunded] = draw(
            st.sampled_from((GiftPaid, GiftPaid, GiftCancelled))
        )
    else:
        step = draw(st.sampled_from((GiftDelivered, GiftDelivered, GiftRefunded)))
    event = step(event_id=f"E{n}", on=draw(days), gift_id=gift.id)
    missing = gift.amount - state.pledge(gift.pledge_id).cash_left
    if step is GiftPaid and missing > 0:
        top_up = MoneyReceived(event_id=f"E{n}-m", on=event.on, pledge_id=gift.pledge_id, amount=missing)
        with contextlib.suppress(InvariantViolation):
            ledger.append(top_up)
    return event


_PROPOSALS: Final[dict[str, Callable[[st.DrawFn, Ledger, int, SearchStrategy[dt.date]], Event | None]]] = {
    "pledge": _propose_pledge,
    "money": _propose_money,
    "gift": _propose_gift,
    "step": _propose_step,
}


@st.composite
def _ledgers(draw: st.DrawFn, max_events: int) -> Ledger:
    campaign = with_tet_dates(draw(campaigns(province=st.none())))
    ledger = Ledger(campaign, law=law_or_default(None))
    days = st.dates(min_value=campaign.start, max_value=campaign.end)
    actions = st.sampled_from(("pledge", "money", "gift", "gift", "gift", "step", "step", "step"))
    for n in range(draw(st.integers(1, max_events))):
        action = draw(actions) if ledger.state.pledges else "pledge"
        event = _PROPOSALS[action](draw, ledger, n, days)
        if event is not None:
            with contextlib.suppress(InvariantViolation):  # refused: the ledger is exactly as it was
                ledger.append(event)
    return ledger


def ledgers(*, max_events: int = 12) -> SearchStrategy[Ledger]:
    """Ledgers of a national campaign holding only events the ledger accepted.

    Events (pledges, money, gifts and their payment, delivery, cancellation,
    refund) are proposed at random; those the ledger refuses are dropped, so
    every invariant holds.  A :class:`~ansinh.core.ledger.Ledger` is mutable:
    each example is a new one.
    """
    if max_events < 1:
        raise InvalidValueError("max_events", max_events, "a count >= 1")
    return _ledgers(max_events)


def handovers(
    *, days: SearchStrategy[dt.date] | None = None, pledge_ids: Iterable[str] = ()
) -> SearchStrategy[Handover]:
    """Handover ceremonies on *days* (default: from October 2025 to April 2026) including gifts by
    province, kind, hospital and — from *pledge_ids* — pledge (each often left empty: any)."""
    ids = sorted(set(pledge_ids))
    return st.builds(
        Handover,
        on=days if days is not None else st.dates(dt.date(2025, 10, 1), dt.date(2026, 4, 30)),
        place=st.sampled_from(("UBND phường Hải An, TP Hải Phòng", "Nhà văn hóa xã Tiên Lữ, tỉnh Hưng Yên")),
        leader=st.sampled_from(("Phó Tổng Giám đốc BHXH Việt Nam", "Giám đốc BHXH tỉnh")),
        provinces=st.frozensets(provinces(), max_size=2) | st.just(frozenset()),
        pledges=st.frozensets(st.sampled_from(ids), max_size=2) if ids else st.just(frozenset()),
        kinds=st.frozensets(st.sampled_from(ProductKind), max_size=2),
        hospitals=st.just(frozenset()) | st.frozensets(st.sampled_from(HOSPITALS), min_size=1, max_size=2),
        reference=st.sampled_from(("", "Biên bản số 01/BB-BHXH")),
    )


def ledger_states(*, max_events: int = 12) -> SearchStrategy[LedgerState]:
    """The states of ledgers from :func:`ledgers`."""
    return ledgers(max_events=max_events).map(lambda ledger: ledger.state)


def gift_steps() -> SearchStrategy[GiftStep]:
    """Status changes of gifts in ledgers from :func:`ledgers`."""
    return (
        ledger_states().filter(lambda s: bool(s.gift_steps)).flatmap(lambda s: st.sampled_from(s.gift_steps))
    )


def pledge_balances() -> SearchStrategy[PledgeBalance]:
    """Balances of pledges in ledgers from :func:`ledgers`."""
    return ledger_states().filter(lambda s: bool(s.pledges)).flatmap(lambda s: st.sampled_from(s.pledges))


@st.composite
def _sourcing_results(draw: st.DrawFn) -> SourcingResult:
    givers = draw(st.lists(sponsors(), max_size=3, unique_by=lambda sp: sp.id))
    return SourcingResult(
        strategy=draw(st.sampled_from(("workplace_drive", "sales_channel", "commune_engagement"))),
        sponsors=tuple(givers),
        pledges=tuple(draw(pledges(sponsor_id=sp.id)) for sp in givers),
        assumptions=tuple(
            draw(
                st.lists(
                    st.sampled_from(("60% của 1.200 công nhân góp 50.000 đồng", "1 thẻ / 10 tấn hàng")),
                    max_size=2,
                )
            )
        ),
    )


def sourcing_results() -> SearchStrategy[SourcingResult]:
    """What a province's sourcing strategy produces: sponsors, one pledge each, assumptions."""
    return _sourcing_results()
