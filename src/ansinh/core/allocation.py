"""Matching pledges to eligible candidates, explainably.

:func:`allocate` takes the ledger's state (pledges and what they have left)
and the screened candidates, and proposes gifts:

1. Pledges are served in a fixed order: earmarked pledges first (they can pay
   for the fewest people), then pledges for one province, then national ones;
   ties by pledge id.
2. Unit pledges ("10 thẻ BHYT") go first: each unit goes to the best-ranked
   candidate for that kind of gift whom the pledge may pay for and who has no
   gift of that kind yet.
3. Then money buys gifts (``money_buys``: cards by default) by priority: the
   best-ranked candidate whose gift the money left can pay for; a candidate
   too dear for what is left is passed over for the next one, never the other
   way round.
4. Whatever is left — units without a candidate, money smaller than any
   remaining gift — is reported in :attr:`Allocation.leftovers`, never lost.

Candidates are screened decisions: objects with ``.person``, ``.product``
and ``.priority.score`` (an :class:`ansinh.core.eligibility.Decision`, or a
:class:`Candidate`); an optional ``.valid_from`` is the first day a card can
cover.  Ranking is by score, highest first, then the older person, then the person
id (as :func:`ansinh.core.eligibility.ranking_key`), so the result is
deterministic whatever order the candidates come in.  Every gift says why
this person and which pledge pays (:attr:`~ansinh.core.campaign.Gift.reason`).

Each gift is priced with :func:`~ansinh.core.pricing.price` on the purchase
date *on*, so the proposed gifts pass the ledger's price check.  Prices are
computed once per price class (product, categories, supported months and —
with provincial top-ups — province), and candidates are grouped by class, so
the work grows with the number of candidates and gifts, not with candidates ×
pledges (``benchmarks/bench_allocation.py`` measures a national campaign).

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> from ansinh.core.ledger import Ledger, PledgeRegistered
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> ledger = Ledger(c)
>>> _ = ledger.append(PledgeRegistered(
...     event_id="e1", on=dt.date(2025, 11, 1),
...     sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
...     pledge=Pledge(id="P1", sponsor_id="S1", money=1_000_000)))
>>> people = [Person(id=f"HP-{i}", full_name="Nguyễn Văn A", date_of_birth=dt.date(1960, 1, 1),
...                  province="31", categories={Category.NEAR_POOR}) for i in range(5)]
>>> cands = [Candidate(person=p, product=HealthCard(months=12), priority=Priority.of((("NEAR_POOR", 10 - i),)))
...          for i, p in enumerate(people)]
>>> result = allocate(ledger.state, cands, on=dt.date(2026, 1, 5))
>>> [(g.person_id, g.amount) for g in result.gifts]
[('HP-0', 379080), ('HP-1', 379080)]
>>> result.leftovers[0].money_left
241840
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from ansinh.core.campaign import (
    Beneficiary,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    Pledge,
    earmark_matches,
    month_index,
)
from ansinh.core.eligibility import Priority
from ansinh.core.law import Law
from ansinh.core.ledger import GiftAllocated, LedgerState, PledgeBalance
from ansinh.core.money import format_vnd
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.provinces import normalise_name
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "Allocation",
    "Candidate",
    "CandidateLike",
    "Leftover",
    "allocate",
]


class _Scored(Protocol):
    @property
    def score(self) -> int: ...


class CandidateLike(Protocol):
    """What :func:`allocate` reads from a candidate (a screening ``Decision`` fits)."""

    @property
    def person(self) -> Person: ...

    @property
    def product(self) -> Product: ...

    @property
    def priority(self) -> _Scored: ...


@attrs.frozen(kw_only=True)
class Candidate:
    """A person on the reviewed list, with the product screened for and a priority.

    :func:`allocate` accepts these or eligibility ``Decision`` objects.
    """

    person: Person
    product: Product
    priority: Priority = attrs.field(factory=lambda: Priority(0, ()))
    valid_from: dt.date | None = None
    """First day a gift could cover (``None``: the purchase date)."""


@attrs.frozen(kw_only=True)
class Leftover:
    """What a pledge still holds after allocation, and why it was not spent."""

    pledge_id: str
    sponsor_id: str
    units_left: tuple[tuple[ProductKind, int], ...]
    money_left: int
    reason_vi: str
    reason_en: str


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


# -- internals -----------------------------------------------------------------


@attrs.define(slots=True)
class _Tier:
    payable: int
    members: list[int]
    head: int = 0


@attrs.define(slots=True)
class _Pool:
    label_vi: str
    order: Sequence[int]
    head: int = 0
    tiers: list[_Tier] | None = None


@attrs.define(slots=True)
class _Kind:
    """The candidates for one kind of gift, best first, in parallel lists."""

    objects: list[CandidateLike]
    persons: list[Person]
    scores: list[int]
    classes: list[int]
    """Price class of each candidate (same product, categories, supported months, province)."""
    served: bytearray
    by_province: dict[str, list[int]]
    by_class: dict[int, list[int]]
    by_province_class: dict[tuple[str, int], list[int]]
    by_affiliation: dict[str, list[int]] | None = None
    by_category: dict[tuple[str | None, str], list[int]] | None = None


_SCORE_LIMIT = 10**12
"""Scores strictly inside ±this are ranked by a single integer key (else by a tuple)."""
_DAYS = 4_000_000
"""More than ``date.max.toordinal()``."""

_KIND_OF: dict[type, ProductKind] = {
    HealthCard: ProductKind.HEALTH_CARD,
    SocialBook: ProductKind.SOCIAL_BOOK,
    TetGift: ProductKind.TET_GIFT,
}


def _pledge_rank(p: PledgeBalance) -> tuple[int, str]:
    pledge = p.pledge
    group = 0 if pledge.earmark is not None else (1 if pledge.province is not None else 2)
    return group, pledge.id


def _earmark_text(e: Earmark) -> str:
    return e.label or f"{e.kind.value}: {e.target}"


def _for_person(template: Quote, person: Person) -> Quote:
    """The same quote for another person of the same price class (no re-pricing)."""
    if template.person_id == person.id and template.province == person.province:
        return template
    t = template
    return Quote(
        product=t.product,
        on=t.on,
        person_id=person.id,
        province=person.province,
        group=t.group,
        months=t.months,
        supported_months=t.supported_months,
        gross=t.gross,
        state_support=t.state_support,
        local_support=t.local_support,
        payable=t.payable,
        monthly_gross=t.monthly_gross,
        monthly_state_support=t.monthly_state_support,
        monthly_local_support=t.monthly_local_support,
        monthly_payable=t.monthly_payable,
        lines=t.lines,
        law_name=t.law_name,
    )


def _months_of(kind: ProductKind, pledge: Pledge) -> int:
    if kind is ProductKind.HEALTH_CARD:
        return pledge.card_months
    if kind is ProductKind.SOCIAL_BOOK:
        return pledge.book_months
    return 0


def _with_months(product: Product, months: int) -> Product:
    if isinstance(product, HealthCard) and product.months != months:
        return HealthCard(months=months, household_rank=product.household_rank)
    if isinstance(product, SocialBook) and product.months != months:
        return SocialBook(months=months, monthly_income=product.monthly_income)
    return product


class _Allocator:
    def __init__(
        self,
        state: LedgerState,
        candidates: Iterable[CandidateLike],
        *,
        on: dt.date,
        law: Law | None,
        local_supports: Sequence[LocalSupport],
        affiliations: Mapping[str, Iterable[str]],
    ) -> None:
        self.state = state
        self.on = on
        self.law = law
        self.local_supports = tuple(local_supports)
        self.affiliations = affiliations
        scope = state.campaign.province
        # Without provincial top-ups the province cannot change a price, so it
        # stays out of the price class and national pools have few tiers.
        by_province = bool(self.local_supports)
        class_ids: dict[tuple[Any, ...], int] = {}
        self.class_reps: list[tuple[Product, Person]] = []
        # Per kind, parallel lists: ranking key, score, person, price class, candidate.
        cols: dict[
            ProductKind, tuple[list[int], list[int], list[Person], list[int], list[CandidateLike]]
        ] = {}
        plain_keys = True
        for c in candidates:
            person = c.person
            if not isinstance(person, Person):
                raise InvalidValueError("candidate.person", person, "an ansinh Person")
            if scope is not None and person.province != scope:
                continue
            score = c.priority.score
            if isinstance(score, bool) or not isinstance(score, int):
                raise InvalidValueError("candidate.priority.score", score, "a whole number")
            product = c.product
            kind = _KIND_OF.get(type(product)) or product.kind
            key = (
                id(product),  # products are held by the candidates, so their ids are stable here
                person.categories,
                min(person.vsi_supported_months, 10_000) if kind is ProductKind.SOCIAL_BOOK else 0,
                person.province if by_province else None,
            )
            cls = class_ids.get(key)
            if cls is None:
                cls = class_ids[key] = len(self.class_reps)
                self.class_reps.append((product, person))
            col = cols.get(kind)
            if col is None:
                col = cols[kind] = ([], [], [], [], [])
            if -_SCORE_LIMIT < score < _SCORE_LIMIT:
                # one int for (-score, date of birth): with the id, sorts as ranking_key
                col[0].append((_SCORE_LIMIT - score) * _DAYS + person.date_of_birth.toordinal())
            else:
                plain_keys = False
                col[0].append(0)
            col[1].append(score)
            col[2].append(person)
            col[3].append(cls)
            col[4].append(c)
        self.kinds: dict[ProductKind, _Kind] = {}
        for kind, (keys, all_scores, all_persons, all_classes, all_objects) in cols.items():
            if plain_keys:
                # Two stable sorts on plain ints and strings (no tuple per candidate
                # for the garbage collector to walk): by id, then by the int key.
                ids = [p.id for p in all_persons]
                order = sorted(range(len(keys)), key=ids.__getitem__)
                order.sort(key=keys.__getitem__)
            else:
                order = sorted(
                    range(len(keys)),
                    key=lambda i: (-all_scores[i], all_persons[i].date_of_birth, all_persons[i].id),
                )
            pids = [all_persons[i].id for i in order]
            if len(set(pids)) != len(pids):
                # the same person twice for one kind: the best-ranked entry counts
                seen: set[str] = set()
                keep = []
                for i, pid in zip(order, pids, strict=True):
                    if pid not in seen:
                        seen.add(pid)
                        keep.append(i)
                order = keep
            objects = [all_objects[i] for i in order]
            persons = [all_persons[i] for i in order]
            scores = [all_scores[i] for i in order]
            classes = [all_classes[i] for i in order]
            groups: dict[str, list[int]] = {}
            by_class: dict[int, list[int]] = {}
            by_pc: dict[tuple[str, int], list[int]] = {}
            for i, pc in enumerate(zip([p.province for p in persons], classes, strict=True)):
                members = by_pc.get(pc)
                if members is None:
                    members = by_pc[pc] = []
                    groups.setdefault(pc[0], [])
                    by_class.setdefault(pc[1], [])
                members.append(i)
            for (prov, cls), members in by_pc.items():
                groups[prov].extend(members)
                by_class[cls].extend(members)
            for members in (*groups.values(), *by_class.values()):
                members.sort()
            self.kinds[kind] = _Kind(
                objects=objects,
                persons=persons,
                scores=scores,
                classes=classes,
                served=bytearray(len(objects)),
                by_province=groups,
                by_class=by_class,
                by_province_class=by_pc,
            )
        self.held: dict[tuple[str, ProductKind], list[range]] = {}
        self.gift_ids = {g.id for g in state.gifts}
        for g in state.gifts:
            if g.status.is_active:
                self.held.setdefault((g.person_id, g.kind), []).append(g.months)
        self.pools: dict[tuple[Any, ...], _Pool] = {}
        self.quotes: dict[tuple[int, int], Quote | None] = {}
        self.beneficiaries: dict[str, Beneficiary] = {}
        self.texts: dict[Any, str] = {}
        self.gifts: list[Gift] = []

    # -- matching ------------------------------------------------------------

    def beneficiary(self, person: Person) -> Beneficiary:
        b = self.beneficiaries.get(person.id)
        if b is None:
            affs = frozenset(self.affiliations.get(person.id, ()))
            if person.commune:
                affs |= {person.commune, normalise_name(person.commune)}
            b = self.beneficiaries[person.id] = Beneficiary(
                person_id=person.id,
                province=person.province,
                categories=person.categories,
                vsi_supported_months=person.vsi_supported_months,
                affiliations=affs,
            )
        return b

    def quote(self, cls: int, months: int) -> Quote | None:
        key = (cls, months)
        if key not in self.quotes:
            product, person = self.class_reps[cls]
            try:
                q: Quote | None = price(
                    _with_months(product, months),
                    person,
                    on=self.on,
                    law=self.law,
                    local_supports=self.local_supports,
                )
            except AnsinhError:
                q = None  # the product does not fit the law of that date: no pledge can buy it
            self.quotes[key] = q
        return self.quotes[key]

    def base_order(self, table: _Kind, pledge: Pledge) -> Sequence[int]:
        """Indices of the candidates *pledge* may pay for, best first."""
        persons = table.persons
        prov = pledge.province
        earmark = pledge.earmark
        base: Sequence[int] = table.by_province.get(prov, []) if prov is not None else range(len(persons))
        if earmark is None:
            return base
        if earmark.kind is EarmarkKind.CATEGORY:
            if table.by_category is None:
                by_category: dict[tuple[str | None, str], list[int]] = {}
                for i, person in enumerate(persons):
                    for cat in person.categories:
                        by_category.setdefault((None, cat.value), []).append(i)
                        by_category.setdefault((person.province, cat.value), []).append(i)
                table.by_category = by_category
            return table.by_category.get((prov, earmark.target), [])
        if earmark.kind is EarmarkKind.COMMUNE:
            return [i for i in base if earmark_matches(earmark, self.beneficiary(persons[i]))]
        if table.by_affiliation is None:
            index: dict[str, list[int]] = {}
            for i, person in enumerate(persons):
                for target in self.affiliations.get(person.id, ()):
                    index.setdefault(target, []).append(i)
            table.by_affiliation = index
        found = table.by_affiliation.get(earmark.target, [])
        return [i for i in found if prov is None or persons[i].province == prov]

    def tiers(self, table: _Kind, pledge: Pledge, months: int, order: Sequence[int]) -> list[_Tier]:
        """The pool's candidates split by price, cheapest tier first; each tier best first."""
        groups: list[list[int]]
        if pledge.earmark is None and pledge.province is None:
            groups = list(table.by_class.values())
        elif pledge.earmark is None:
            assert pledge.province is not None
            groups = [m for (prov, _), m in table.by_province_class.items() if prov == pledge.province]
        else:
            split: dict[int, list[int]] = {}
            classes = table.classes
            for i in order:
                split.setdefault(classes[i], []).append(i)
            groups = list(split.values())
        tiers = []
        for members in groups:
            q = self.quote(table.classes[members[0]], months)
            if q is not None:  # the product does not fit the law of that date: no one can get it
                tiers.append(_Tier(q.payable, members))
        tiers.sort(key=lambda t: (t.payable, t.members[0]))
        return tiers

    def pool(self, kind: ProductKind, pledge: Pledge, priced: bool) -> _Pool:
        months = _months_of(kind, pledge)
        key = (kind, months, pledge.province, pledge.earmark, priced)
        pool = self.pools.get(key)
        if pool is not None:
            return pool
        table = self.kinds[kind]
        order = self.base_order(table, pledge)
        where = f"tỉnh {pledge.province}" if pledge.province else "toàn quốc"
        label = where + (f", dành cho {_earmark_text(pledge.earmark)}" if pledge.earmark else "")
        pool = _Pool(label, order)
        if priced:
            pool.tiers = self.tiers(table, pledge, months, order)
        self.pools[key] = pool
        return pool

    def give(
        self, table: _Kind, i: int, kind: ProductKind, balance: PledgeBalance, funding: Funding, pool: _Pool
    ) -> Gift | None:
        pledge = balance.pledge
        months = _months_of(kind, pledge)
        template = self.quote(table.classes[i], months)
        if template is None:
            return None
        person = table.persons[i]
        obj = table.objects[i]
        valid_from = getattr(obj, "valid_from", None)
        covers = None if months == 0 else (valid_from or self.on)
        held = self.held.get((person.id, kind))
        if held:
            if covers is None:
                table.served[i] = 1  # one Tết gift per person and campaign
                return None
            start = month_index(covers)
            stop = start + months
            if any(max(start, r.start) < min(stop, r.stop) for r in held):
                table.served[i] = 1  # already holds a gift of this kind for these months
                return None
        quote = _for_person(template, person)
        gift_id = f"{pledge.id}:{person.id}:{kind.value}"
        n = 2
        while gift_id in self.gift_ids:
            gift_id = f"{pledge.id}:{person.id}:{kind.value}:{n}"
            n += 1
        score = table.scores[i]
        parts = getattr(obj.priority, "parts", ())
        why = self.texts.get((score, parts))
        if why is None:
            why = f"ưu tiên {score}"
            if parts:
                why += " (" + ", ".join(f"{name} {value:+d}" for name, value in parts) + ")"
            self.texts[(score, parts)] = why
        key = (pledge.id, kind, funding, quote.payable, pool.label_vi)
        why_pledge = self.texts.get(key)
        if why_pledge is None:
            if funding is Funding.UNITS:
                pays = f"1 trong {pledge.units_of(kind)} {kind.label_vi} đăng ký"
            else:
                pays = f"tiền tài trợ, {format_vnd(quote.payable)}"
            why_pledge = self.texts[key] = (
                f"; người xếp hạng cao nhất còn lại ({pool.label_vi}); "
                f"do khoản tài trợ {pledge.id} của {balance.sponsor.name} chi trả: {pays}"
            )
        gift = Gift(
            id=gift_id,
            pledge_id=pledge.id,
            beneficiary=self.beneficiary(person),
            product=quote.product,
            quote=quote,
            funding=funding,
            covers_from=covers,
            priority=score,
            reason=why + why_pledge,
        )
        table.served[i] = 1
        self.gifts.append(gift)
        return gift

    # -- phases --------------------------------------------------------------

    def spend_units(self, balance: PledgeBalance, kind: ProductKind, count: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return count
        pool = self.pool(kind, balance.pledge, priced=False)
        served = table.served
        order = pool.order
        while count > 0:
            while pool.head < len(order) and served[order[pool.head]]:
                pool.head += 1
            if pool.head >= len(order):
                break
            if self.give(table, order[pool.head], kind, balance, Funding.UNITS, pool) is not None:
                count -= 1
            else:
                pool.head += 1  # holds a gift already, or cannot be priced: skip it
        return count

    def spend_money(self, balance: PledgeBalance, kind: ProductKind, money: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return money
        pool = self.pool(kind, balance.pledge, priced=True)
        assert pool.tiers is not None
        served = table.served
        while True:
            best: _Tier | None = None
            best_i = -1
            for tier in pool.tiers:
                if tier.payable > money:
                    break
                members = tier.members
                while tier.head < len(members) and served[members[tier.head]]:
                    tier.head += 1
                if tier.head < len(members):
                    i = members[tier.head]
                    # indices follow the ranking: the smaller index is the better candidate
                    if best is None or i < best_i:
                        best, best_i = tier, i
            if best is None:
                return money
            gift = self.give(table, best_i, kind, balance, Funding.MONEY, pool)
            if gift is None:
                best.head += 1
            else:
                money -= gift.amount


def allocate(
    state: LedgerState,
    candidates: Iterable[CandidateLike],
    *,
    on: dt.date,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    affiliations: Mapping[str, Iterable[str]] | None = None,
    money_buys: ProductKind = ProductKind.HEALTH_CARD,
) -> Allocation:
    """Match the pledges of *state* to *candidates*; see the module docstring for the rules.

    Args:
        state: the ledger's state; what pledges have left is what they can give.
        candidates: eligible candidates (screening decisions or :class:`Candidate`),
            in any order; a person listed twice for the same kind counts once.
        on: the purchase date every gift is priced on.
        law: the law pricing uses (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups pricing considers.
        affiliations: person id → earmark targets they belong to (the
            enterprise whose workers' relatives they are, a congregation …).
        money_buys: the kind of gift money pledges buy.

    Returns:
        The proposed :class:`Allocation` (nothing is appended to any ledger).

    Raises:
        InvalidValueError: an argument has the wrong type.
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValueError("on", on, "a datetime.date")
    money_buys = ProductKind(money_buys)
    run = _Allocator(
        state,
        candidates,
        on=on,
        law=law,
        local_supports=local_supports,
        affiliations=affiliations or {},
    )
    balances = sorted((b for b in state.pledges if not b.withdrawn), key=_pledge_rank)
    units_left: dict[str, dict[ProductKind, int]] = {}
    money_left: dict[str, int] = {}
    for b in balances:
        left = {}
        if b.pledge.units:
            named: dict[ProductKind, int] = {}
            for kind, count in b.pledge.units:
                named[kind] = named.get(kind, 0) + count
            used = dict(b.units_used)
            for kind, count in named.items():
                n = count - used.get(kind, 0)
                if n > 0:
                    left[kind] = run.spend_units(b, kind, n)
        units_left[b.pledge.id] = left
    for b in balances:
        money = b.money_left
        if money > 0:
            money = run.spend_money(b, money_buys, money)
        money_left[b.pledge.id] = money
    leftovers = []
    for b in sorted(balances, key=lambda x: x.pledge.id):
        units = tuple((k, n) for k, n in units_left[b.pledge.id].items() if n > 0)
        money = money_left[b.pledge.id]
        if not units and money <= 0:
            continue
        vi, en = [], []
        if units:
            vi.append("không còn người đủ điều kiện phù hợp để nhận số đơn vị còn lại")
            en.append("no matching eligible candidate left for the remaining units")
        if money > 0:
            vi.append(f"số tiền còn lại {format_vnd(money)} không đủ mua thêm suất nào cho người phù hợp")
            en.append(f"the {format_vnd(money, 'en')} left buys no gift for any matching candidate")
        leftovers.append(
            Leftover(
                pledge_id=b.pledge.id,
                sponsor_id=b.sponsor.id,
                units_left=units,
                money_left=money,
                reason_vi="; ".join(vi),
                reason_en="; ".join(en),
            )
        )
    unserved = tuple((kind, run.kinds[kind].served.count(0)) for kind in sorted(run.kinds))
    return Allocation(on=on, gifts=tuple(run.gifts), leftovers=tuple(leftovers), unserved=unserved)
