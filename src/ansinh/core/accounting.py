"""Pledge-stage accounting: what sponsors registered, what it is worth, what came in and what is due.

Weeks before any gift is allocated, a plan's report already says what was
registered: "7 doanh nghiệp ở khối Trung ương với hơn 2.500 sổ BHXH, trên
19.500 thẻ BHYT, tương ứng số tiền là trên 13,3 tỷ đồng" (seed 004).  This
module gives each pledge that value:

* a **unit pledge** is worth what the sponsor declared
  (:attr:`~ansinh.core.campaign.Pledge.declared_value`, e.g. a Tết-gift package
  "hơn 1.000 suất quà với số tiền gần 600 triệu đồng"), or else its units priced
  through :func:`~ansinh.core.pricing.price` under the law on the campaign's
  purchase date (:attr:`~ansinh.core.campaign.Campaign.purchase_date`, else its
  start), for the people the units are declared for
  (:attr:`~ansinh.core.campaign.Pledge.unit_categories`) — never a copy of a
  pricing rule.  Tết gifts have no legal price: without a declared value they stay
  unvalued (:attr:`PledgeValue.unvalued`);
* **registered** ("đăng ký") is the units' value plus the money pledged — and
  never less than the money received, so money received against a unit pledge
  counts in "đăng ký" as well as in "đã nhận";
* **mobilised** (tổng kinh phí vận động) adds the registered values up;
* the **registration level** is central when the sponsor registered with BHXH
  Việt Nam (``Sponsor.province is None``), provincial otherwise;
* :func:`instalments_due` says which scheduled payments are paid, due, overdue
  or still to come on a date.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> from ansinh.core.products import ProductKind
>>> from ansinh.data import default_law
>>> plan = Campaign(code="GT2024", name="Xuân Giáp Thìn 2024",
...                 start=dt.date(2023, 11, 29), end=dt.date(2024, 3, 31))
>>> cards = Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 19_500),),
...                unit_categories={"near_poor"})
>>> v = pledge_value(cards, Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
...                  campaign=plan, law=default_law())
>>> v.unit_value, v.level.value          # 19.500 × 291.600 đồng (a near-poor card, 2023)
(5686200000, 'central')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.dates import check_date
from ansinh.core.labels import Labelled
from ansinh.core.law import Law
from ansinh.core.ledger import LedgerState, PledgeBalance
from ansinh.core.people import Category
from ansinh.core.pricing import LocalSupport, price
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "InstalmentState",
    "InstalmentStatus",
    "PledgeValue",
    "RegistrationLevel",
    "ValuedBy",
    "instalments_due",
    "pledge_value",
    "pledge_values",
    "registration_level",
]


class RegistrationLevel(Labelled):
    """Where a sponsor registered: with BHXH Việt Nam (central) or with a province office."""

    CENTRAL = "central"
    PROVINCE = "province"

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each level's ``(Vietnamese, English)`` label."""
        return {"central": ("khối Trung ương", "central"), "province": ("địa phương", "provincial")}


class ValuedBy(Labelled):
    """How a pledge's units got their value."""

    DECLARED = "declared"
    """The sponsor declared it (:attr:`~ansinh.core.campaign.Pledge.declared_value`)."""
    PRICED = "priced"
    """Priced by the law on the campaign's purchase date."""
    NONE = "none"
    """No units, or units that cannot be priced (Tết gifts without a declared value)."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each way's ``(Vietnamese, English)`` label."""
        return {
            "declared": ("nhà tài trợ kê khai", "declared by the sponsor"),
            "priced": ("tính theo mức đóng", "priced by the law"),
            "none": ("chưa định giá", "not valued"),
        }


def registration_level(sponsor: Sponsor, campaign: Campaign) -> RegistrationLevel:
    """Where *sponsor* registered for *campaign*.

    Provincial when the sponsor names a province or the campaign is a province's;
    central (with BHXH Việt Nam) for a sponsor without a province in a national campaign.

    Raises:
        InvalidValueError: *sponsor* or *campaign* is of the wrong type.

    >>> import datetime as dt
    >>> from ansinh.core.campaign import Campaign, Sponsor
    >>> c = Campaign(code="C", name="C", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    >>> registration_level(Sponsor(id="S", name="Ngân hàng A", kind="bank"), c).label_vi
    'khối Trung ương'
    """
    if not isinstance(sponsor, Sponsor):
        raise InvalidValueError("sponsor", sponsor, "an ansinh Sponsor")
    if not isinstance(campaign, Campaign):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign")
    if sponsor.province is None and campaign.province is None:
        return RegistrationLevel.CENTRAL
    return RegistrationLevel.PROVINCE


@attrs.frozen(kw_only=True)
class PledgeValue:
    """One pledge at registration: its units valued, its money, what came in (see the module)."""

    pledge_id: str
    sponsor_id: str
    sponsor_kind: str
    """The sponsor's :attr:`~ansinh.core.campaign.Sponsor.kind_key` (a built-in kind, or a plugin's)."""
    level: RegistrationLevel
    province: str | None
    """Where it was registered: the sponsor's province, else the campaign's (``None``: central)."""
    funds_source: str
    units: tuple[tuple[ProductKind, int], ...]
    unit_value: int
    """The units' value in đồng (0 when ``valued_by`` is ``none``)."""
    valued_by: ValuedBy
    """How the units were valued: declared by the sponsor, priced by the law, or not at all."""
    priced_on: dt.date | None
    """The purchase date whose law priced the units (``None`` unless priced)."""
    unvalued: tuple[tuple[ProductKind, int], ...]
    """Units no value covers (Tết gifts without a declared value)."""
    money: int
    """Money pledged, đồng."""
    received: int
    """Money received, đồng."""

    @property
    def registered(self) -> int:
        """ "Đăng ký": units valued plus money pledged, and at least the money received."""
        return max(self.unit_value + self.money, self.received)

    def as_dict(self) -> dict[str, object]:
        """The value as plain data (what CSV files hold)."""
        return {
            "pledge_id": self.pledge_id,
            "sponsor_id": self.sponsor_id,
            "sponsor_kind": self.sponsor_kind,
            "level": self.level.value,
            "province": self.province or "",
            "funds_source": self.funds_source,
            "unit_value": self.unit_value,
            "valued_by": self.valued_by.value,
            "money": self.money,
            "registered": self.registered,
            "received": self.received,
        }


@attrs.frozen
class _DeclaredFor:
    """Who a pledge's units are declared for: what pricing reads (a Participant)."""

    categories: frozenset[Category]
    province: str | None
    vsi_supported_months: int = 0


def _units_value(
    pledge: Pledge, *, on: dt.date, province: str | None, law: Law, local_supports: Sequence[LocalSupport]
) -> tuple[int, tuple[tuple[ProductKind, int], ...]]:
    who = _DeclaredFor(pledge.unit_categories, province)
    total = 0
    unvalued: list[tuple[ProductKind, int]] = []
    for kind, count in pledge.units:
        if not count:
            continue
        if kind is ProductKind.HEALTH_CARD:
            product: HealthCard | SocialBook = HealthCard(months=pledge.card_months)
        elif kind is ProductKind.SOCIAL_BOOK:
            product = SocialBook(months=pledge.book_months)
        else:
            unvalued.append((kind, count))
            continue
        try:
            quote = price(product, who, on=on, law=law, local_supports=local_supports)
        except AnsinhError as exc:
            raise InvalidValueError("pledge", pledge.id, f"units the law of {on} can price ({exc})") from None
        total += count * quote.payable
    return total, tuple(unvalued)


def pledge_value(
    pledge: Pledge,
    sponsor: Sponsor,
    *,
    campaign: Campaign,
    law: Law,
    received: int = 0,
    local_supports: Sequence[LocalSupport] = (),
) -> PledgeValue:
    """Value *pledge* at registration (see the module docstring).

    Args:
        pledge: the pledge.
        sponsor: its sponsor.
        campaign: the campaign; its purchase date (else its start) prices the units.
        law: the law that prices them.
        received: money received so far against the pledge, đồng.
        local_supports: provincial top-ups pricing considers.

    Raises:
        InvalidValueError: a bad argument, or units the law of the purchase date cannot price
            (a card period it does not allow …).
    """
    if not isinstance(pledge, Pledge):
        raise InvalidValueError("pledge", pledge, "an ansinh Pledge")
    if not isinstance(campaign, Campaign):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign")
    level = registration_level(sponsor, campaign)
    where = sponsor.province or campaign.province
    on = campaign.purchase_date or campaign.start
    priced_on: dt.date | None = None
    unvalued: tuple[tuple[ProductKind, int], ...] = ()
    if not any(n for _, n in pledge.units):
        value, by = 0, ValuedBy.NONE
    elif pledge.declared_value is not None:
        value, by = pledge.declared_value, ValuedBy.DECLARED
    else:
        value, unvalued = _units_value(
            pledge, on=on, province=pledge.province or where, law=law, local_supports=local_supports
        )
        by = ValuedBy.PRICED if value or not unvalued else ValuedBy.NONE
        priced_on = on if by is ValuedBy.PRICED else None
    return PledgeValue(
        pledge_id=pledge.id,
        sponsor_id=sponsor.id,
        sponsor_kind=sponsor.kind_key,
        level=level,
        province=where,
        funds_source=pledge.funds_source,
        units=tuple((k, n) for k, n in pledge.units if n),
        unit_value=value,
        valued_by=by,
        priced_on=priced_on,
        unvalued=unvalued,
        money=pledge.money,
        received=received,
    )


def _live(state: LedgerState, on: dt.date) -> list[PledgeBalance]:
    """The pledges registered on or before *on* and not withdrawn on that day, as they stood then."""
    return [b for b in state.as_of(on).pledges if not b.withdrawn]


def pledge_values(
    state: LedgerState, *, on: dt.date, law: Law, local_supports: Sequence[LocalSupport] = ()
) -> tuple[PledgeValue, ...]:
    """Every pledge of *state* registered by *on* and not withdrawn then, valued as it stood that day.

    Only what was recorded on or before *on* counts (:meth:`LedgerState.as_of
    <ansinh.core.state.LedgerState.as_of>`): the pledge's amendments, the money received.

    Raises:
        InvalidValueError: a bad argument, or units the law cannot price.
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "an ansinh LedgerState (ledger.state)")
    check_date("on", on)
    return tuple(
        pledge_value(
            b.pledge,
            b.sponsor,
            campaign=state.campaign,
            law=law,
            received=b.received,
            local_supports=local_supports,
        )
        for b in _live(state, on)
    )


class InstalmentState(Labelled):
    """Where one scheduled payment stands on a date."""

    PAID = "paid"
    """Covered by the money received (earlier instalments are covered first)."""
    DUE = "due"
    """Due on the report date and not yet covered."""
    OVERDUE = "overdue"
    """Due before the report date and not (fully) covered."""
    UPCOMING = "upcoming"
    """Due after the report date and not yet covered."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each state's ``(Vietnamese, English)`` label."""
        return {
            "paid": ("đã nộp", "paid"),
            "due": ("đến hạn", "due"),
            "overdue": ("quá hạn", "overdue"),
            "upcoming": ("chưa đến hạn", "upcoming"),
        }


@attrs.frozen(kw_only=True)
class InstalmentStatus:
    """One scheduled payment of a pledge on the report date."""

    pledge_id: str
    sponsor_id: str
    due: dt.date
    amount: int
    covered: int
    """How much of it the money received covers, đồng."""
    state: InstalmentState

    @property
    def outstanding(self) -> int:
        """What is still to come, đồng."""
        return self.amount - self.covered


def _statuses(balance: PledgeBalance, on: dt.date) -> Iterable[InstalmentStatus]:
    cash = balance.received
    for inst in sorted(balance.pledge.instalments, key=lambda i: i.due):
        covered = min(cash, inst.amount)
        cash -= covered
        if covered == inst.amount:
            state = InstalmentState.PAID
        elif inst.due < on:
            state = InstalmentState.OVERDUE
        elif inst.due == on:
            state = InstalmentState.DUE
        else:
            state = InstalmentState.UPCOMING
        yield InstalmentStatus(
            pledge_id=balance.pledge.id,
            sponsor_id=balance.sponsor.id,
            due=inst.due,
            amount=inst.amount,
            covered=covered,
            state=state,
        )


def instalments_due(state: LedgerState, *, on: dt.date) -> tuple[InstalmentStatus, ...]:
    """Every instalment of the pledges live on *on*, with where it stands that day.

    Money received covers a pledge's instalments in the order they fall due.

    Raises:
        InvalidValueError: *state* is not a :class:`~ansinh.core.ledger.LedgerState` or *on* not a date.

    >>> import datetime as dt
    >>> from ansinh.core.campaign import Campaign, Instalment, Pledge, Sponsor
    >>> from ansinh.core.ledger import Ledger, MoneyReceived, PledgeRegistered
    >>> from ansinh.data import default_law
    >>> c = Campaign(code="C", name="C", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    >>> plan = (Instalment(due=dt.date(2025, 11, 30), amount=5_000_000),
    ...         Instalment(due=dt.date(2025, 12, 31), amount=5_000_000))
    >>> ledger = Ledger(c, law=default_law(), events=[
    ...     PledgeRegistered(event_id="r", on=dt.date(2025, 11, 1),
    ...                      sponsor=Sponsor(id="S", name="Công ty A", kind="enterprise"),
    ...                      pledge=Pledge(id="P", sponsor_id="S", money=10_000_000, instalments=plan)),
    ...     MoneyReceived(event_id="m", on=dt.date(2025, 11, 20), pledge_id="P", amount=3_000_000)])
    >>> [(i.state.value, i.outstanding) for i in instalments_due(ledger.state, on=dt.date(2025, 12, 15))]
    [('overdue', 2000000), ('upcoming', 5000000)]
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "an ansinh LedgerState (ledger.state)")
    check_date("on", on)
    return tuple(s for b in _live(state, on) for s in _statuses(b, on))
