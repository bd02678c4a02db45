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

import attrs

from ansinh.core.allocation.leftovers import Leftover, leftovers
from ansinh.core.allocation.pools import NONE_LEFT, Affiliations, Pools, Prices, months_of
from ansinh.core.allocation.ranking import CandidateLike, Ranked, rank
from ansinh.core.campaign import Beneficiary, Funding, Gift, month_index
from ansinh.core.law import Law
from ansinh.core.ledger import GiftAllocated, LedgerState, PledgeBalance
from ansinh.core.money import format_vnd
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport, Quote
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError

__all__ = ["Allocation", "Giver", "Matcher", "Payer", "allocate"]


@attrs.frozen(kw_only=True)
class Allocation:
    """The gifts :func:`allocate` proposes, and what is left.

    Append :meth:`events` to the ledger to record them.
    """

    on: dt.date
    """The purchase date every gift is priced on."""
    gifts: tuple[Gift, ...]
    """In allocation order."""
    leftovers: tuple[Leftover, ...]
    """Every pledge that still holds units or money, by pledge id."""
    unserved: tuple[tuple[ProductKind, int], ...]
    """Eligible candidates left without a gift, counted by kind."""

    def events(self, prefix: str = "") -> tuple[GiftAllocated, ...]:
        """One ``GiftAllocated`` per gift, with event id ``f"{prefix}alloc:{gift.id}"``."""
        return tuple(
            GiftAllocated(event_id=f"{prefix}alloc:{g.id}", on=g.purchased_on, gift=g) for g in self.gifts
        )

    @property
    def money_left(self) -> int:
        """Pledged money no gift uses."""
        return sum(x.money_left for x in self.leftovers)


class Payer:
    """One pledge paying for gifts of one kind from one pool: what those gifts share."""

    __slots__ = ("_texts", "balance", "funding", "kind", "label_vi", "months")

    def __init__(self, balance: PledgeBalance, kind: ProductKind, funding: Funding, label_vi: str) -> None:
        self.balance = balance
        self.kind = kind
        self.funding = funding
        self.label_vi = label_vi
        """Where the pool's candidates are (for the reason)."""
        self.months = months_of(kind, balance.pledge)
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


def _why(candidate: CandidateLike) -> str:
    """The start of a gift's reason: the priority score and its parts."""
    priority = candidate.priority
    text = f"ưu tiên {priority.score}"
    parts = getattr(priority, "parts", ())
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

    def beneficiary(self, person: Person) -> Beneficiary:
        """The ledger's view of *person* (made at their first gift)."""
        found = self._beneficiaries.get(person.id)
        if found is None:
            found = self._beneficiaries[person.id] = Beneficiary(
                person_id=person.id,
                province=person.province,
                categories=person.categories,
                vsi_supported_months=person.vsi_supported_months,
                affiliations=self.affiliations.of(person),
            )
        return found

    def gift_id(self, pledge_id: str, person_id: str, kind: ProductKind) -> str:
        """``pledge:person:kind``, with ``:2``, ``:3`` … after it if the ledger already has that id."""
        first = f"{pledge_id}:{person_id}:{kind.value}"
        gift_id, n = first, 2
        while self.state.has_gift(gift_id):
            gift_id, n = f"{first}:{n}", n + 1
        return gift_id

    def give(self, candidate: CandidateLike, person: Person, quote: Quote, payer: Payer) -> None:
        """Record a gift of *quote*'s product to *person*, paid by *payer*."""
        pledge_id = payer.balance.pledge.id
        self.gifts.append(
            Gift(
                id=self.gift_id(pledge_id, person.id, payer.kind),
                pledge_id=pledge_id,
                beneficiary=self.beneficiary(person),
                product=quote.product,
                quote=quote,
                funding=payer.funding,
                covers_from=covers_from(candidate, payer.months, self.on),
                priority=candidate.priority.score,
                reason=_why(candidate) + payer.pays(quote.payable),
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
        held = self.held[table.kind].get(table.persons[pos].id)
        if held is None:
            return False
        covers = covers_from(table.candidates[pos], months, self.giver.on)
        if covers is not None:
            start = month_index(covers)
            stop = start + months
            if not any(max(start, r.start) < min(stop, r.stop) for r in held):
                return False
        table.served[pos] = 1
        return True

    def give(self, table: Ranked, pos: int, quote: Quote, payer: Payer) -> None:
        table.served[pos] = 1
        self.giver.give(table.candidates[pos], table.persons[pos], quote, payer)

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
        while count and pool.next < len(members):
            pos = members[pool.next]
            pool.next += 1
            if served[pos]:
                continue
            quote = quotes[classes[pos]]
            if quote is None or (held and self.holds(table, pos, payer.months)):
                continue  # cannot be priced, or already covered for those months
            self.give(table, pos, quote, payer)
            count -= 1
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
            best = min(heads[:affordable], default=NONE_LEFT)
            if best == NONE_LEFT:
                return money
            t = heads.index(best)
            if not (held and self.holds(table, best, payer.months)):
                quote = quotes[classes[best]]
                assert quote is not None  # the tiers hold priced candidates only
                self.give(table, best, quote, payer)
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
    prices = Prices(on=on, law=law, local_supports=local_supports)
    tables = rank(candidates, scope=state.campaign.province, by_province=bool(prices.local_supports))
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
    )
