"""Matching: the pledges in a fixed order, units before money, each gift to the best candidate left.

Every gift is a :class:`~ansinh.core.campaign.Gift` built with its public
constructor when it is decided, with one
:class:`~ansinh.core.campaign.Beneficiary` per person (shared by that
person's gifts) and the quote of its price class (shared by the class's
gifts: a quote names no person).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

import attrs

from ansinh.core.allocation.leftovers import Leftover, leftovers
from ansinh.core.allocation.pools import NONE_LEFT, Affiliations, Pools, Prices, months_of
from ansinh.core.allocation.ranking import CandidateLike, Ranked, rank
from ansinh.core.campaign import Beneficiary, Funding, Gift, month_index
from ansinh.core.display import Section, html_summary
from ansinh.core.law import Law
from ansinh.core.ledger import GiftAllocated, LedgerState, PledgeBalance
from ansinh.core.money import format_vnd
from ansinh.core.people import Person
from ansinh.core.places import CommuneList
from ansinh.core.price_classes import PriceKeys
from ansinh.core.pricing import LocalSupport, Quote
from ansinh.core.products import ProductKind
from ansinh.core.review import CandidateList, ReviewStatus
from ansinh.core.tables import Tabular
from ansinh.exceptions import InvalidValueError

__all__ = ["Allocation", "Giver", "Matcher", "Payer", "allocate"]


@attrs.frozen(kw_only=True)
class Allocation(Tabular):
    """The gifts :func:`allocate` proposes, and what is left.

    Append :meth:`events` to the ledger to record them.  ``to_arrow()``,
    ``to_pandas()``, ``to_polars()``: one row per gift (:meth:`records`).
    """

    TABLE_COLUMNS: ClassVar[tuple[str, ...]] = (
        "gift_id", "person_id", "province", "product", "months", "pledge_id", "amount", "purchased_on",
        "covers_from", "priority",
    )  # fmt: skip

    on: dt.date
    """The purchase date every gift is priced on."""
    gifts: tuple[Gift, ...]
    """In allocation order."""
    leftovers: tuple[Leftover, ...]
    """Every pledge that still holds units or money, by pledge id."""
    unserved: tuple[tuple[ProductKind, int], ...]
    """Eligible candidates left without a gift, counted by kind."""
    not_approved: tuple[str, ...] = ()
    """Ids of candidates refused because the approved list (``approved=``) does not name them, sorted."""

    def events(self, prefix: str = "") -> tuple[GiftAllocated, ...]:
        """One ``GiftAllocated`` per gift, with event id ``f"{prefix}alloc:{gift.id}"``."""
        return tuple(
            GiftAllocated(event_id=f"{prefix}alloc:{g.id}", on=g.purchased_on, gift=g) for g in self.gifts
        )

    @property
    def money_left(self) -> int:
        """Pledged money no gift uses."""
        return sum(x.money_left for x in self.leftovers)

    def records(self) -> list[dict[str, object]]:
        """One row per gift, in allocation order (``months`` is 0 for a Tết gift)."""
        return [
            {
                "gift_id": g.id,
                "person_id": g.person_id,
                "province": g.beneficiary.province,
                "product": g.kind.value,
                "months": len(g.months),
                "pledge_id": g.pledge_id,
                "amount": g.amount,
                "purchased_on": g.purchased_on,
                "covers_from": g.covers_from,
                "priority": g.priority,
            }
            for g in self.gifts
        ]

    def __repr__(self) -> str:
        unserved = ", ".join(f"{kind.value} {n}" for kind, n in self.unserved) or "none"
        return (
            f"Allocation(on={self.on.isoformat()}: {len(self.gifts)} gifts worth "
            f"{sum(g.amount for g in self.gifts)}, {len(self.leftovers)} pledges with something left "
            f"(money_left={self.money_left}), unserved: {unserved})"
        )

    def _repr_html_(self) -> str:
        gifts = [(g.person_id, g.product.kind.value, g.pledge_id, format_vnd(g.amount)) for g in self.gifts]
        left = [
            (
                x.pledge_id,
                ", ".join(f"{k.value} {n}" for k, n in x.units_left),
                format_vnd(x.money_left),
                x.reason_en,
            )
            for x in self.leftovers
        ]
        return html_summary(
            "Allocation",
            [
                ("on", self.on.isoformat()),
                ("gifts", len(self.gifts)),
                ("value", format_vnd(sum(g.amount for g in self.gifts))),
                ("money left", format_vnd(self.money_left)),
                ("unserved", ", ".join(f"{k.label_en}: {n}" for k, n in self.unserved) or "none"),
            ],
            [
                Section("gifts", ("person", "gift", "pledge", "amount"), gifts),
                Section("pledges not fully used", ("pledge", "units left", "money left", "why"), left),
            ],
        )


class Payer:
    """One pledge paying for gifts of one kind from one pool: what those gifts share."""

    __slots__ = (
        "_texts",
        "balance",
        "funding",
        "id_prefix",
        "id_suffix",
        "kind",
        "label_vi",
        "months",
        "pledge_id",
    )

    def __init__(self, balance: PledgeBalance, kind: ProductKind, funding: Funding, label_vi: str) -> None:
        self.balance = balance
        self.pledge_id = balance.pledge.id
        self.kind = kind
        self.funding = funding
        self.label_vi = label_vi
        """Where the pool's candidates are (for the reason)."""
        self.months = months_of(kind, balance.pledge)
        self.id_prefix = f"{self.pledge_id}:"
        self.id_suffix = f":{kind.value}"
        """A gift's id is ``id_prefix + person_id + id_suffix``: ``pledge:person:kind``."""
        self._texts: dict[int, str] = {}

    def pays(self, payable: int) -> str:
        """The end of a gift's reason: from which pool, and which pledge pays (*payable* đồng)."""
        text = self._texts.get(payable)
        if text is None:
            pledge = self.balance.pledge
            what = (
                f"1 trong {pledge.units_of(self.kind)} {self.kind.label_vi} đăng ký"
                if self.funding is Funding.UNITS
                else f"tiền tài trợ, {format_vnd(payable)}"
            )
            text = self._texts[payable] = (
                f"; người xếp hạng cao nhất còn lại ({self.label_vi}); "
                f"do khoản tài trợ {pledge.id} của {self.balance.sponsor.name} chi trả: {what}"
            )
        return text


def _why(score: int, parts: Iterable[tuple[str, int]]) -> str:
    """The start of a gift's reason: the priority *score* and its *parts*."""
    text = f"ưu tiên {score}"
    if parts:
        text += " (" + ", ".join(f"{name} {value:+d}" for name, value in parts) + ")"
    return text


class Giver:
    """Makes the gifts, in the order decided."""

    def __init__(self, state: LedgerState, affiliations: Affiliations, on: dt.date) -> None:
        self.state = state
        self.affiliations = affiliations
        self.on = on
        self.gifts: list[Gift] = []
        self._beneficiaries: dict[str, Beneficiary] = {}
        self._whys: dict[tuple[int, object], str] = {}

    def why(self, candidate: CandidateLike) -> str:
        """:func:`_why` of *candidate*'s priority; each score and parts are put in words once."""
        priority = candidate.priority
        score = priority.score
        parts = getattr(priority, "parts", ())
        try:
            return self._whys[score, parts]
        except KeyError:
            text = self._whys[score, parts] = _why(score, parts)
        except TypeError:  # parts that cannot be a key: no memo
            text = _why(score, parts)
        return text

    def _beneficiary(self, person: Person) -> Beneficiary:
        """The ledger's view of *person*, made at their first gift."""
        made = self._beneficiaries[person.id] = Beneficiary(
            person_id=person.id,
            province=person.province,
            categories=person.categories,
            vsi_supported_months=person.vsi_supported_months,
            affiliations=self.affiliations.of(person),
            commune=person.commune,
            district=person.district,
            former_province=person.former_province,
            left_poverty_on=person.left_poverty_on,
            date_of_birth=person.date_of_birth,
        )
        return made

    def _unused(self, gift_id: str) -> str:
        """*gift_id*, with ``:2``, ``:3`` … after it if the ledger already has that id."""
        free, n = gift_id, 2
        while self.state.has_gift(free):
            free, n = f"{gift_id}:{n}", n + 1
        return free

    def give(self, table: Ranked, pos: int, quote: Quote, payer: Payer) -> None:
        """Record a gift of *quote*'s product to the candidate at *pos*, paid by *payer*; they are served."""
        table.served[pos] = 1
        i = table.order[pos]
        candidate, person = table.candidates[i], table.persons[i]
        gift_id = payer.id_prefix + person.id + payer.id_suffix
        if self.state.gifts:
            gift_id = self._unused(gift_id)
        self.gifts.append(
            Gift(
                id=gift_id,
                pledge_id=payer.pledge_id,
                beneficiary=self._beneficiaries.get(person.id) or self._beneficiary(person),
                product=quote.product,
                quote=quote,
                funding=payer.funding,
                covers_from=covers_from(candidate, payer.months, self.on),
                priority=candidate.priority.score,
                reason=self.why(candidate) + payer.pays(quote.payable),
            )
        )


def covers_from(candidate: CandidateLike, months: int, on: dt.date) -> dt.date | None:
    """The first day a gift covering *months* would cover: the candidate's ``valid_from``, else *on*."""
    if months == 0:
        return None
    return getattr(candidate, "valid_from", None) or on


class Matcher:
    """Spends pledges on the ranked candidates, one pool at a time."""

    def __init__(
        self, state: LedgerState, tables: Mapping[ProductKind, Ranked], pools: Pools, giver: Giver
    ) -> None:
        self.tables = tables
        self.pools = pools
        self.prices = pools.prices
        self.giver = giver
        self.held: dict[ProductKind, dict[str, list[range]]] = {kind: {} for kind in tables}
        """Kind -> person id -> the months their active gifts of that kind cover."""
        for g in state.gifts:
            if g.status.is_active and g.kind in self.held:
                self.held[g.kind].setdefault(g.person_id, []).append(g.months)

    def holds(self, table: Ranked, pos: int, months: int) -> bool:
        """Whether the candidate at *pos* has a gift of this kind covering some of the months a new one would.

        If so they are marked served: no pool gives them this kind again (one
        Tết gift per person and campaign).
        """
        i = table.order[pos]
        held = self.held[table.kind].get(table.persons[i].id)
        if held is None:
            return False
        covers = covers_from(table.candidates[i], months, self.giver.on)
        if covers is not None:
            start = month_index(covers)
            stop = start + months
            if not any(max(start, r.start) < min(stop, r.stop) for r in held):
                return False
        table.served[pos] = 1
        return True

    def units(self, balance: PledgeBalance, kind: ProductKind, count: int) -> int:
        """Give up to *count* units of *kind* from *balance*'s pledge; returns how many are left."""
        table = self.tables.get(kind)
        if table is None:
            return count
        pool = self.pools.units(table, balance.pledge)
        payer = Payer(balance, kind, Funding.UNITS, pool.label_vi)
        members, served, classes = pool.members, table.served, table.classes
        quotes = self.prices.of(payer.months)
        held = self.held[kind]
        k = pool.next
        while count and k < len(members):
            pos = members[k]
            k += 1
            if served[pos]:
                continue
            quote = quotes[classes[pos]]
            if quote is None or (held and self.holds(table, pos, payer.months)):
                continue  # cannot be priced, or already covered for those months
            self.giver.give(table, pos, quote, payer)
            count -= 1
        pool.next = k
        return count

    def money(self, balance: PledgeBalance, kind: ProductKind, money: int) -> int:
        """Buy gifts of *kind* with *money* đồng of *balance*'s pledge, best candidate first; returns the rest."""
        table = self.tables.get(kind)
        if table is None:
            return money
        pool = self.pools.money(table, balance.pledge)
        payer = Payer(balance, kind, Funding.MONEY, pool.label_vi)
        served, classes, heads, payables = table.served, table.classes, pool.heads, pool.payables
        quotes = self.prices.of(payer.months)
        held = self.held[kind]
        pool.refresh(served)
        while True:
            # tiers are by price, so those the money can pay for come first; the
            # best candidate among them is the smallest head position
            affordable = bisect_right(payables, money)
            best = min(heads[:affordable]) if affordable else NONE_LEFT
            if best == NONE_LEFT:
                return money
            t = heads.index(best)
            if not (held and self.holds(table, best, payer.months)):
                quote = quotes[classes[best]]
                assert quote is not None  # the tiers hold priced candidates only
                self.giver.give(table, best, quote, payer)
                money -= payables[t]
            pool.advance(t, served)


def _pledge_order(balance: PledgeBalance) -> tuple[int, str]:
    """Earmarked pledges first (they can pay for the fewest people), then provincial, then national; by id."""
    pledge = balance.pledge
    group = 0 if pledge.earmark is not None else (1 if pledge.province is not None else 2)
    return group, pledge.id


def allocate(
    state: LedgerState,
    candidates: Iterable[CandidateLike],
    *,
    on: dt.date,
    law: Law,
    local_supports: Sequence[LocalSupport] = (),
    affiliations: Mapping[str, Iterable[str]] | None = None,
    money_buys: ProductKind = ProductKind.HEALTH_CARD,
    approved: CandidateList | None = None,
    commune_lists: Sequence[CommuneList] = (),
) -> Allocation:
    """Match the pledges of *state* to *candidates*; see :mod:`ansinh.core.allocation` for the rules.

    Args:
        state: the ledger's state; what pledges have left is what they can give.
        candidates: eligible candidates (screening decisions or
            :class:`~ansinh.core.allocation.Candidate`), in any order; a person
            listed twice for the same kind counts once.
        on: the purchase date every gift is priced on.
        law: the law pricing uses.
        local_supports: provincial top-ups pricing considers.
        affiliations: person id → earmark targets they belong to (the
            enterprise whose workers' relatives they are, a congregation …).
        money_buys: the kind of gift money pledges buy.
        approved: for a campaign whose lists are reviewed in public, the
            approved :class:`~ansinh.core.review.CandidateList`: a candidate it
            does not name gets no gift and is listed in
            :attr:`Allocation.not_approved`.
        commune_lists: dated commune lists pricing considers (the place-dependent
            national rules, :mod:`ansinh.core.places`): a gift the budgets then pay in
            full is never bought.

    Returns:
        The proposed :class:`Allocation` (nothing is appended to any ledger).

    Raises:
        InvalidValueError: an argument has the wrong type, or a value a gift
            needs is refused by :class:`~ansinh.core.campaign.Gift` or
            :class:`~ansinh.core.campaign.Beneficiary` (the first such gift's).
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValueError("on", on, "a datetime.date")
    money_buys = ProductKind(money_buys)
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    refused: tuple[str, ...] = ()
    if approved is not None:
        candidates, refused = _on_approved_list(candidates, approved)
    prices = Prices(on=on, law=law, local_supports=local_supports, commune_lists=_lists(commune_lists))
    keys = PriceKeys(prices.local_supports, prices.commune_lists)
    tables = rank(candidates, scope=state.campaign.province, keys=keys, on=on)
    known = Affiliations(affiliations or {})
    giver = Giver(state, known, on)
    matcher = Matcher(state, tables, Pools(prices, known), giver)
    balances = sorted((b for b in state.pledges if not b.withdrawn), key=_pledge_order)
    units_left: dict[str, dict[ProductKind, int]] = {}
    for b in balances:
        kinds = dict.fromkeys(kind for kind, _ in b.pledge.units)
        left = {kind: b.units_left(kind) for kind in kinds}
        units_left[b.pledge.id] = {kind: matcher.units(b, kind, n) for kind, n in left.items() if n > 0}
    money_left = {
        b.pledge.id: matcher.money(b, money_buys, b.money_left) if b.money_left > 0 else b.money_left
        for b in balances
    }
    return Allocation(
        on=on,
        gifts=tuple(giver.gifts),
        leftovers=leftovers(balances, units_left, money_left, law=law, on=on, money_buys=money_buys),
        unserved=tuple((kind, tables[kind].unserved) for kind in sorted(tables)),
        not_approved=refused,
    )


def _lists(commune_lists: object) -> tuple[CommuneList, ...]:
    if isinstance(commune_lists, str) or not isinstance(commune_lists, Iterable):
        raise InvalidValueError("commune_lists", commune_lists, "a sequence of CommuneList")
    lists = tuple(commune_lists)
    if not all(isinstance(c, CommuneList) for c in lists):
        raise InvalidValueError("commune_lists", commune_lists, "a sequence of CommuneList")
    return lists


def _on_approved_list(
    candidates: Iterable[CandidateLike], approved: CandidateList
) -> tuple[list[CandidateLike], tuple[str, ...]]:
    """The candidates *approved* names, and the ids of those it does not (sorted, once each).

    Raises:
        InvalidValueError: *approved* is not an approved :class:`CandidateList`.
    """
    if not isinstance(approved, CandidateList) or approved.status is not ReviewStatus.APPROVED:
        raise InvalidValueError(
            "approved", approved, "an approved CandidateList (ansinh.core.review.approve)"
        )
    kept: list[CandidateLike] = []
    refused: set[str] = set()
    for candidate in candidates:
        person_id = candidate.person.id
        if approved.allows(person_id):
            kept.append(candidate)
        else:
            refused.add(person_id)
    return kept, tuple(sorted(refused))
