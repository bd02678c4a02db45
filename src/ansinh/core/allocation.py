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
import types
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress, repeat
from operator import attrgetter, floordiv, is_, is_not, or_, truth
from typing import Any, Final, Protocol, TypeVar, cast

import attrs

from ansinh.core.campaign import (
    Beneficiary,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    GiftStatus,
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
#
# A national campaign means hundreds of thousands of candidates and gifts, so
# the work is organised for CPython:
# - _Allocator.rank reads the candidates column by column (lists of persons,
#   scores, int keys) with loops run by C (comprehensions, map), ranks them
#   with two stable sorts on plain ints and strings, and groups the rank
#   positions by price class and province once;
# - matching (spend_units / spend_money / give) only records each gift as a row
#   of plain values (_Rows);
# - _Rows.build then makes the Gift, Quote and Beneficiary objects field by
#   field with map over the slots' setters, without re-running validators on
#   values that already passed them (Person's, Pledge's, price()'s) - the
#   "trusted path" (_Trusted).  Values that could fail (a candidate's
#   valid_from, the affiliations given) are checked first, and the real
#   constructors raise their usual error for the first bad gift.


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """A function setting field *name* on an instance of the frozen attrs class *cls*."""
    slot = cls.__dict__.get(name)
    if isinstance(slot, types.MemberDescriptorType):
        return slot.__set__  # the slot itself: what attrs' own __init__ ends up calling
    return lambda obj, value: object.__setattr__(obj, name, value)  # pragma: no cover - dict classes


class _Trusted:
    """The slot setters that build Gift, Beneficiary and Quote objects from already-validated values.

    They set the fields as the classes' own ``__init__`` would, without
    re-running validators, converters and checks whose outcome is known: they
    are only used where the values are exactly what the validators would
    accept (anything else goes through the real constructor, which raises the
    usual error).  If a class gains a field this module does not know, or is
    no longer slotted, :attr:`ok` is false and the real constructors are used.
    """

    GIFT = (
        "id",
        "pledge_id",
        "beneficiary",
        "product",
        "quote",
        "funding",
        "covers_from",
        "priority",
        "reason",
        "status",
    )
    BENEFICIARY = ("person_id", "province", "categories", "vsi_supported_months", "affiliations")

    def __init__(self) -> None:
        self.ok = (
            tuple(f.name for f in attrs.fields(Gift)) == self.GIFT
            and tuple(f.name for f in attrs.fields(Beneficiary)) == self.BENEFICIARY
            and all(_plain_attrs(cls) for cls in (Gift, Beneficiary, Quote))
        )
        self.gift = tuple(_setter(Gift, name) for name in self.GIFT)
        self.beneficiary = tuple(_setter(Beneficiary, name) for name in self.BENEFICIARY)
        self.quote_fields = tuple(
            (f.name, _setter(Quote, f.name))
            for f in attrs.fields(Quote)
            if f.name not in ("person_id", "province")
        )
        self.quote_person_id = _setter(Quote, "person_id")
        self.quote_province = _setter(Quote, "province")


def _plain_attrs(cls: type) -> bool:
    """Whether instances of *cls* hold nothing but their fields (no cached hash, no post-init state)."""
    slots = cls.__dict__.get("__slots__")
    return slots is not None and set(slots) <= {f.name for f in attrs.fields(cls)} | {"__weakref__"}


_TRUSTED = _Trusted()
_K = TypeVar("_K")
_new = object.__new__
_NO_AFFILIATIONS: frozenset[str] = frozenset()


class _Pool:
    """The candidates a group of equal pledges may pay for, best first, and how far they are used.

    Candidates are named by rank position in their :class:`_Kind` (0 is the best).
    """

    __slots__ = ("cursor", "head", "heads", "label_vi", "members", "order", "payables", "templates")

    def __init__(self, label_vi: str, order: Sequence[int]) -> None:
        self.label_vi = label_vi
        self.order = order
        self.head = 0
        # priced pools: one tier per price, cheapest first; each tier's candidates
        # best first; heads[t] indexes tier t's best unserved candidate, whose
        # position is cursor[t] (_END when the tier is used up)
        self.payables: list[int] = []
        self.members: list[Sequence[int]] = []
        self.heads: list[int] = []
        self.cursor: list[int] = []
        self.templates: list[Quote] = []


_END = 1 << 62
"""Stands for "no candidate left" among rank positions."""


class _Kind:
    """The candidates for one kind of gift, by rank position (0 is the best)."""

    __slots__ = (
        "by_affiliation",
        "by_category",
        "by_class",
        "by_province",
        "by_province_class",
        "classes",
        "codes",
        "groups",
        "held",
        "order",
        "served",
    )

    def __init__(self, order: list[int], groups: list[int], codes: list[str]) -> None:
        self.order = order
        """Rank position -> candidate index (into the allocator's columns)."""
        self.groups = groups
        """By rank position: ``class × len(codes) + province`` (index into *codes*)."""
        self.codes = codes
        width = len(codes)
        self.classes = list(map(floordiv, groups, repeat(width)))
        """Price class, by rank position (same product, categories, supported months, province)."""
        self.served = bytearray(len(order))
        # the positions of each (class, province), in rank order
        lists: dict[int, list[int]] = {k: [] for k in dict.fromkeys(groups)}
        for pos, group in enumerate(groups):
            lists[group].append(pos)
        self.by_province_class = {(codes[k % width], k // width): m for k, m in lists.items()}
        self.by_province: dict[str, list[int]] | None = None
        self.by_class: dict[int, list[int]] | None = None
        self.by_affiliation: dict[str, list[int]] | None = None
        self.by_category: dict[tuple[str | None, str], list[int]] = {}
        self.held: dict[str, list[range]] = {}
        """Months already covered by an active gift of this kind, by person id."""

    def province_members(self, province: str) -> list[int]:
        if self.by_province is None:
            self.by_province = _merged(((prov, m) for (prov, _), m in self.by_province_class.items()))
        return self.by_province.get(province, [])

    def class_members(self) -> list[list[int]]:
        if self.by_class is None:
            self.by_class = _merged(((cls, m) for (_, cls), m in self.by_province_class.items()))
        return list(self.by_class.values())


def _set_each(setter: Callable[[Any, Any], object], objects: Iterable[Any], values: Iterable[Any]) -> None:
    """``setter(obj, value)`` for each object and its value (one field of many new objects)."""
    for obj, value in zip(objects, values, strict=True):
        setter(obj, value)


def _merged(groups: Iterable[tuple[_K, list[int]]]) -> dict[_K, list[int]]:
    """The position lists of equal keys joined, each in increasing order."""
    out: dict[_K, list[int]] = {}
    for key, members in groups:
        found = out.get(key)
        if found is None:
            out[key] = list(members)
        else:
            found.extend(members)
    for members in out.values():
        members.sort()  # a few ascending runs: a merge, not a full sort
    return out


_VSI_OF = attrgetter("vsi_supported_months")
_PROVINCE = attrgetter("province")
_CATEGORIES = attrgetter("categories")
_COMMUNE = attrgetter("commune")
_ID_PREFIX = attrgetter("id_prefix")
_ID_SUFFIX = attrgetter("id_suffix")
_PLEDGE_ID = attrgetter("pledge_id")
_FUNDING = attrgetter("funding")
_PRODUCT = attrgetter("product")
_BIRTH_OF = attrgetter("date_of_birth")
_VSI_MONTHS = 10_001
"""Supported months above 10,000 price the same (a book is never that long)."""

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


def _months_of(kind: ProductKind, pledge: Pledge) -> int:
    if kind is ProductKind.HEALTH_CARD:
        return pledge.card_months
    if kind is ProductKind.SOCIAL_BOOK:
        return pledge.book_months
    return 0


_PAYMENT_MONTHS: Final = {
    ProductKind.HEALTH_CARD: "bhyt_payment_months",
    ProductKind.SOCIAL_BOOK: "vsi_payment_months",
}


def _period_refused(law: Law, kind: ProductKind, pledge: Pledge, on: dt.date) -> tuple[str, str] | None:
    """Why *pledge* cannot buy *kind* at all on *on* (the law does not allow its period), or ``None``."""
    name = _PAYMENT_MONTHS.get(kind)
    if name is None:
        return None
    months = _months_of(kind, pledge)
    try:
        allowed = law.months(name, on=on)
    except AnsinhError:
        return None  # no payment periods in force that day: pricing refuses every gift alike
    if months in allowed:
        return None
    listed = ", ".join(map(str, allowed))
    return (
        f"luật ngày {on.day:02d}/{on.month:02d}/{on.year} không cho phép {kind.label_vi} {months} tháng "
        f"(chỉ {listed} tháng)",
        f"the law of {on.isoformat()} does not allow a {months}-month {kind.label_en} (only {listed} months)",
    )


def _with_months(product: Product, months: int) -> Product:
    if isinstance(product, HealthCard) and product.months != months:
        return HealthCard(months=months, household_rank=product.household_rank)
    if isinstance(product, SocialBook) and product.months != months:
        return SocialBook(months=months, monthly_income=product.monthly_income)
    return product


def _check_candidates(candidates: Iterable[CandidateLike], scope: str | None) -> None:
    """Raise for the first candidate (in the order given) that has a bad person or score."""
    for c in candidates:
        person = c.person
        if not isinstance(person, Person):
            raise InvalidValueError("candidate.person", person, "an ansinh Person")
        if scope is not None and person.province != scope:
            continue
        score = c.priority.score
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidValueError("candidate.priority.score", score, "a whole number")


class _Context:
    """What every gift paid by one pledge from one pool shares."""

    __slots__ = ("covers", "funding", "held", "id_prefix", "id_suffix", "months", "pledge_id")

    def __init__(
        self, table: _Kind, kind: ProductKind, pledge: Pledge, funding: Funding, on: dt.date
    ) -> None:
        self.funding = funding
        self.pledge_id = pledge.id
        self.months = _months_of(kind, pledge)
        self.covers = None if self.months == 0 else on
        """The first day covered unless the candidate says otherwise (``None``: no months)."""
        self.held = table.held
        self.id_prefix = f"{pledge.id}:"
        self.id_suffix = f":{kind.value}"


class _Rows:
    """The gifts made so far, as columns: built into Gift objects at the end, field by field.

    Setting one field of every gift in a loop run by C (``map`` over the
    slots' setters) is about twice as fast as building the gifts one by one.
    """

    __slots__ = ("contexts", "covers", "flat", "person_ids", "persons", "reasons", "scores", "templates")

    WIDTH = 7
    """Values per gift in :attr:`flat`."""

    def __init__(self) -> None:
        self.flat: list[Any] = []
        """Per gift: person id, person, score, reason, first day covered, template quote, context."""
        self.person_ids: list[str] = []
        self.persons: list[Person] = []
        self.scores: list[int] = []
        self.reasons: list[str] = []
        self.covers: list[dt.date | None] = []
        self.templates: list[Quote] = []
        """The quote of each gift's price class (another person's, or this one's)."""
        self.contexts: list[_Context] = []

    def split(self) -> None:
        """Fill the columns from :attr:`flat`."""
        flat, w = self.flat, self.WIDTH
        self.person_ids = cast("list[str]", flat[0::w])
        self.persons = cast("list[Person]", flat[1::w])
        self.scores = cast("list[int]", flat[2::w])
        self.reasons = cast("list[str]", flat[3::w])
        self.covers = cast("list[dt.date | None]", flat[4::w])
        self.templates = cast("list[Quote]", flat[5::w])
        self.contexts = cast("list[_Context]", flat[6::w])

    def first_bad_cover(self) -> int:
        """The first row whose first day covered Gift refuses (the row count if none)."""
        distinct = dict(zip(map(id, self.templates), self.templates, strict=True))
        months = {k: t.product.months > 0 for k, t in distinct.items()}
        types = set(map(type, self.covers))
        if types <= {dt.date} and all(months.values()):
            return len(self.covers)
        for k, (covers, template) in enumerate(zip(self.covers, self.templates, strict=True)):
            if (type(covers) is not dt.date) if months[id(template)] else (covers is not None):
                return k
        return len(self.covers)

    def build(self, taken: set[str], run: _Allocator) -> list[Gift]:
        """The gifts, in the order made; *taken* holds gift ids already in the ledger.

        A row Gift or Beneficiary would refuse raises their error, for the
        first such row, as building the gifts one by one would.
        """
        self.split()
        n = len(self.person_ids)
        ids = [
            _ID_PREFIX(ctx) + person_id + _ID_SUFFIX(ctx)
            for ctx, person_id in zip(self.contexts, self.person_ids, strict=True)
        ]
        if taken:
            for k, gift_id in enumerate(ids):
                m = 2
                while ids[k] in taken:
                    ids[k] = f"{gift_id}:{m}"
                    m += 1
        provinces = list(map(_PROVINCE, self.persons))
        bad = self.first_bad_cover()
        beneficiaries = run.beneficiaries_for(self.person_ids, self.persons, provinces, bad)
        rows = zip(
            ids,
            self.contexts,
            beneficiaries,
            self.templates,
            self.person_ids,
            provinces,
            self.covers,
            self.scores,
            self.reasons,
            strict=True,
        )
        if bad < n or not _TRUSTED.ok or not {type(t) for t in self.templates} <= {Quote}:
            return [
                Gift(
                    id=gift_id,
                    pledge_id=ctx.pledge_id,
                    beneficiary=beneficiary,
                    product=template.product,
                    quote=run.quote_for(template, person_id, province),
                    funding=ctx.funding,
                    covers_from=covers,
                    priority=score,
                    reason=reason,
                )
                for gift_id, ctx, beneficiary, template, person_id, province, covers, score, reason in rows
            ]
        # every value below passed the validators it meets (Person's, Pledge's,
        # price()'s) or was checked above: set the fields, check nothing again
        quotes = list(map(_new, repeat(Quote, n)))
        for name, set_field in _TRUSTED.quote_fields:
            _set_each(set_field, quotes, map(attrgetter(name), self.templates))
        _set_each(_TRUSTED.quote_person_id, quotes, self.person_ids)
        _set_each(_TRUSTED.quote_province, quotes, provinces)
        gifts = list(map(_new, repeat(Gift, n)))
        columns: tuple[Iterable[Any], ...] = (
            ids,
            map(_PLEDGE_ID, self.contexts),
            beneficiaries,
            map(_PRODUCT, self.templates),
            quotes,
            map(_FUNDING, self.contexts),
            self.covers,
            self.scores,
            self.reasons,
            repeat(GiftStatus.ALLOCATED, n),
        )
        for set_field, values in zip(_TRUSTED.gift, columns, strict=True):
            _set_each(set_field, gifts, values)
        return gifts


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
        self.class_reps: list[tuple[Product, Person]] = []
        self.kinds: dict[ProductKind, _Kind] = {}
        # the candidates in scope, in the order given (a candidate index names one)
        self.objects: list[CandidateLike] = []
        self.persons: list[Person] = []
        self.ids: list[str] = []
        self.scores: list[int] = []
        self.targets: list[Iterable[str] | None] | None = None
        """Each candidate's earmark targets (``affiliations``), once an earmark needs them."""
        self.rank(list(candidates), state.campaign.province)
        self.gift_ids = {g.id for g in state.gifts}
        for g in state.gifts:
            table = self.kinds.get(g.kind)
            if g.status.is_active and table is not None:
                table.held.setdefault(g.person_id, []).append(g.months)
        self.pools: dict[tuple[Any, ...], _Pool] = {}
        self.quotes: dict[tuple[int, int], Quote | None] = {}
        self.beneficiaries: dict[str, Beneficiary] = {}
        self.texts: dict[Any, str] = {}
        self.rows = _Rows()

    def rank(self, objects: list[CandidateLike], scope: str | None) -> None:
        """Fill :attr:`kinds`: the candidates per kind, best first, with their price classes.

        Works column by column (lists of persons, scores, keys) in the order
        given, so that most loops run in C and read memory in order; a
        candidate listed twice for a kind keeps its best-ranked entry.
        """
        persons = [c.person for c in objects]
        if persons and set(map(type, persons)) != {Person}:
            _check_candidates(objects, scope)  # raises for the first bad one; subclasses pass
        if scope is not None:
            inside = [p.province == scope for p in persons]
            if not all(inside):
                objects = list(compress(objects, inside))
                persons = list(compress(persons, inside))
        if not objects:
            return
        scores = [c.priority.score for c in objects]
        if set(map(type, scores)) != {int}:
            _check_candidates(objects, None)  # raises for the first bad score; int subclasses pass
        self.objects, self.persons, self.scores = objects, persons, scores
        products = [c.product for c in objects]
        product_ids = list(map(id, products))

        # Price classes: same product (by value), categories, supported months
        # (books only) and, with provincial top-ups, province.  A candidate's
        # class comes from one int key built from small per-value indices.
        distinct = dict(zip(product_ids, products, strict=True))
        kind_of: dict[int, ProductKind] = {}
        product_index: dict[int, int] = {}
        by_value: dict[Any, int] = {}
        for pid, product in distinct.items():
            kind_of[pid] = _KIND_OF.get(type(product)) or product.kind
            try:
                product_index[pid] = by_value.setdefault(product, len(by_value))
            except TypeError:  # an unhashable product: only the same object prices the same
                product_index[pid] = by_value.setdefault(pid, len(by_value))
        categories = [p.categories for p in persons]
        category_index = {c: n for n, c in enumerate(dict.fromkeys(categories))}
        n_categories = len(category_index)
        keys = [
            product_index[pid] * n_categories + category_index[cats]
            for pid, cats in zip(product_ids, categories, strict=True)
        ]
        books = {pid for pid, kind in kind_of.items() if kind is ProductKind.SOCIAL_BOOK}
        if books:
            # a book's price also depends on the months already supported: only
            # book candidates get that in their key (above every other key)
            shift = max(keys) + 1
            for i in compress(range(len(keys)), map(books.__contains__, product_ids)):
                keys[i] += shift * (1 + min(persons[i].vsi_supported_months, _VSI_MONTHS - 1))
        provinces = [p.province for p in persons]
        codes = list(dict.fromkeys(provinces))
        width = len(codes)
        province_codes = list(map({c: n for n, c in enumerate(codes)}.__getitem__, provinces))
        if self.local_supports:
            # without provincial top-ups the province cannot change a price, so it
            # stays out of the class and national pools have few tiers
            keys = [key * width + code for key, code in zip(keys, province_codes, strict=True)]
        n = len(keys)
        first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))  # key -> first index
        class_of: dict[int, int] = {}
        for key, i in first.items():
            class_of[key] = len(self.class_reps)
            self.class_reps.append((products[i], persons[i]))
        # one int per candidate for (price class, province)
        groups = [class_of[key] * width + code for key, code in zip(keys, province_codes, strict=True)]

        # Ranking: score (highest first), date of birth (oldest first), person id,
        # as ranking_key; ties keep the order given.  Two stable sorts on plain
        # ints and strings (no tuple per candidate for the garbage collector):
        # by id, then by one int for (score, date of birth).
        self.ids = ids = [p.id for p in persons]
        days = list(map(dt.date.toordinal, map(_BIRTH_OF, persons)))
        span = max(days) - min(days) + 1
        top = max(scores)
        ranks = [(top - score) * span + day for score, day in zip(scores, days, strict=True)]
        kinds = list(map(kind_of.__getitem__, product_ids))
        used = list(dict.fromkeys(kinds))
        for kind in used:
            mine: Sequence[int] = range(n)
            kind_ids = ids
            if len(used) > 1:
                mine = list(compress(range(n), map(is_, kinds, repeat(kind))))
                kind_ids = list(map(ids.__getitem__, mine))
            order = sorted(mine, key=ids.__getitem__)
            order.sort(key=ranks.__getitem__)
            if len(set(kind_ids)) != len(kind_ids):
                # the same person twice for one kind: the best-ranked entry counts
                seen: set[str] = set()
                keep = []
                for i in order:
                    if ids[i] not in seen:
                        seen.add(ids[i])
                        keep.append(i)
                order = keep
            self.kinds[kind] = _Kind(order, list(map(groups.__getitem__, order)), codes)

    # -- matching ------------------------------------------------------------

    def beneficiary(self, person: Person) -> Beneficiary:
        b = self.beneficiaries.get(person.id)
        if b is None:
            targets = self.affiliations.get(person.id)
            affs = _NO_AFFILIATIONS if targets is None else frozenset(targets)
            if person.commune:
                affs |= {person.commune, normalise_name(person.commune)}
            if (
                _TRUSTED.ok
                and type(person.categories) is frozenset
                and (not affs or all(isinstance(a, str) and a.strip() for a in affs))
            ):
                # the person's fields passed Person's validators, which are Beneficiary's
                b = _new(Beneficiary)
                set_id, set_province, set_categories, set_vsi, set_affs = _TRUSTED.beneficiary
                set_id(b, person.id)
                set_province(b, person.province)
                set_categories(b, person.categories)
                set_vsi(b, person.vsi_supported_months)
                set_affs(b, affs or _NO_AFFILIATIONS)
            else:
                b = Beneficiary(
                    person_id=person.id,
                    province=person.province,
                    categories=person.categories,
                    vsi_supported_months=person.vsi_supported_months,
                    affiliations=affs,
                )
            self.beneficiaries[person.id] = b
        return b

    def beneficiaries_for(
        self, person_ids: list[str], persons: list[Person], provinces: list[str], limit: int
    ) -> list[Beneficiary]:
        """The beneficiary of each row (one per person id, made at its first row).

        Raises Beneficiary's error for the first row up to *limit* whose
        person it refuses (bad affiliations).
        """
        cache = self.beneficiaries
        found = list(map(cache.get, person_ids))
        missing = list(compress(range(len(found)), map(is_, found, repeat(None))))
        if not missing:
            return cast("list[Beneficiary]", found)
        # the first row of each person id still without a beneficiary, in the
        # order the persons lie in memory (reading them is then much faster)
        first = dict(zip(map(person_ids.__getitem__, reversed(missing)), reversed(missing), strict=True))
        addresses = list(map(id, persons))
        firsts = sorted(first.values(), key=addresses.__getitem__)
        people = list(map(persons.__getitem__, firsts))
        targets = list(map(self.affiliations.get, map(person_ids.__getitem__, firsts)))
        affiliations: list[frozenset[str]] = [_NO_AFFILIATIONS] * len(firsts)
        trusted = _TRUSTED.ok and set(map(type, map(_CATEGORIES, people))) <= {frozenset}
        refused = []
        for k in compress(
            range(len(firsts)),
            map(or_, map(is_not, targets, repeat(None)), map(truth, map(_COMMUNE, people))),
        ):
            affs = _NO_AFFILIATIONS if targets[k] is None else frozenset(targets[k] or ())
            commune = people[k].commune
            if commune:
                affs |= {commune, normalise_name(commune)}
            if affs and not all(isinstance(a, str) and a.strip() for a in affs):
                refused.append((firsts[k], k))
            affiliations[k] = affs
        if refused:
            row, k = min(refused)
            if row <= limit:
                self.beneficiary(people[k])  # Beneficiary refuses them, and says why
            trusted = False  # the real constructor for the rest
        if trusted:
            made = list(map(_new, repeat(Beneficiary, len(firsts))))
            set_id, set_province, set_categories, set_vsi, set_affs = _TRUSTED.beneficiary
            firsts_ids = list(map(person_ids.__getitem__, firsts))
            _set_each(set_id, made, firsts_ids)
            _set_each(set_province, made, map(provinces.__getitem__, firsts))
            _set_each(set_categories, made, map(_CATEGORIES, people))
            _set_each(set_vsi, made, map(_VSI_OF, people))
            _set_each(set_affs, made, affiliations)
            cache.update(zip(firsts_ids, made, strict=True))
            return list(map(cache.__getitem__, person_ids))
        else:
            for row, person in zip(firsts, people, strict=True):
                if row <= limit:
                    self.beneficiary(person)
        # rows after *limit* may have none: the caller raises at row *limit*
        return cast(
            "list[Beneficiary]",
            [cache.get(pid) if b is None else b for pid, b in zip(person_ids, found, strict=True)],
        )

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

    def quote_for(self, template: Quote, person_id: str, province: str) -> Quote:
        """The same quote for another person of the same price class (no re-pricing)."""
        if template.person_id == person_id and template.province == province:
            return template
        return attrs.evolve(template, person_id=person_id, province=province)

    def base_order(self, table: _Kind, pledge: Pledge) -> Sequence[int]:
        """Rank positions of the candidates *pledge* may pay for, best first."""
        prov = pledge.province
        earmark = pledge.earmark
        base: Sequence[int] = table.province_members(prov) if prov is not None else range(len(table.order))
        if earmark is None:
            return base
        if earmark.kind is EarmarkKind.CATEGORY:
            found = table.by_category.get((prov, earmark.target))
            if found is None:
                # the price classes hold the categories: test each class once
                wanted = {
                    cls
                    for cls, (_, person) in enumerate(self.class_reps)
                    if earmark.target in {c.value for c in person.categories}
                }
                classes = table.classes
                found = list(compress(base, map(wanted.__contains__, map(classes.__getitem__, base))))
                table.by_category[(prov, earmark.target)] = found
            return found
        if earmark.kind is EarmarkKind.COMMUNE:
            persons = self.persons
            order = table.order
            return [i for i in base if earmark_matches(earmark, self.beneficiary(persons[order[i]]))]
        if table.by_affiliation is None:
            if self.targets is None:
                self.targets = list(map(self.affiliations.get, self.ids))
            targets = self.targets
            have = set(compress(range(len(targets)), targets))  # candidates with earmark targets
            order = table.order
            index: dict[str, list[int]] = {}
            for pos in compress(range(len(order)), map(have.__contains__, order)):
                for target in targets[order[pos]] or ():
                    members = index.get(target)
                    if members is None:
                        index[target] = [pos]
                    else:
                        members.append(pos)
            table.by_affiliation = index
        found = table.by_affiliation.get(earmark.target, [])
        if prov is None:
            return found
        groups, width = table.groups, len(table.codes)
        code = table.codes.index(prov) if prov in table.codes else -1
        return [pos for pos in found if groups[pos] % width == code]

    def price_tiers(self, pool: _Pool, table: _Kind, pledge: Pledge, months: int) -> None:
        """Split the pool's candidates by price, cheapest tier first; each tier best first."""
        groups: list[list[int]]
        if pledge.earmark is None and pledge.province is None:
            groups = table.class_members()
        elif pledge.earmark is None:
            groups = [m for (prov, _), m in table.by_province_class.items() if prov == pledge.province]
        else:
            split: dict[int, list[int]] = {}
            classes = table.classes
            for i in pool.order:
                split.setdefault(classes[i], []).append(i)
            groups = list(split.values())
        tiers = []
        for members in groups:
            q = self.quote(table.classes[members[0]], months)
            if q is not None:  # the product does not fit the law of that date: no one can get it
                tiers.append((q.payable, members[0], members, q))
        tiers.sort(key=lambda t: (t[0], t[1]))
        pool.payables = [t[0] for t in tiers]
        pool.members = [t[2] for t in tiers]
        pool.templates = [t[3] for t in tiers]
        pool.heads = [0] * len(tiers)
        pool.cursor = [m[0] for m in pool.members]

    def pool(self, table: _Kind, kind: ProductKind, pledge: Pledge, priced: bool) -> _Pool:
        months = _months_of(kind, pledge)
        key = (kind, months, pledge.province, pledge.earmark, priced)
        pool = self.pools.get(key)
        if pool is not None:
            return pool
        order = self.base_order(table, pledge)
        where = f"tỉnh {pledge.province}" if pledge.province else "toàn quốc"
        label = where + (f", dành cho {_earmark_text(pledge.earmark)}" if pledge.earmark else "")
        pool = _Pool(label, order)
        if priced:
            self.price_tiers(pool, table, pledge, months)
        self.pools[key] = pool
        return pool

    def pays_text(self, balance: PledgeBalance, pool: _Pool, pays: str) -> str:
        return (
            f"; người xếp hạng cao nhất còn lại ({pool.label_vi}); "
            f"do khoản tài trợ {balance.pledge.id} của {balance.sponsor.name} chi trả: {pays}"
        )

    def give(self, table: _Kind, pos: int, template: Quote, ctx: _Context, why_pledge: str) -> bool:
        """Give the candidate at *pos* a gift priced as *template*, unless they hold one for those months."""
        i = table.order[pos]
        obj = self.objects[i]
        covers = ctx.covers
        if covers is not None:
            covers = getattr(obj, "valid_from", None) or covers
        person_id = self.ids[i]
        if ctx.held:
            held = ctx.held.get(person_id)
            if held:
                if covers is None:
                    table.served[pos] = 1  # one Tết gift per person and campaign
                    return False
                start = month_index(covers)
                stop = start + ctx.months
                if any(max(start, r.start) < min(stop, r.stop) for r in held):
                    table.served[pos] = 1  # already holds a gift of this kind for these months
                    return False
        score = self.scores[i]
        parts = getattr(obj.priority, "parts", ())
        why = self.texts.get((score, parts))
        if why is None:
            why = f"ưu tiên {score}"
            if parts:
                why += " (" + ", ".join(f"{name} {value:+d}" for name, value in parts) + ")"
            self.texts[(score, parts)] = why
        # one call per gift (the tuple is freed at once); _Rows.split makes the columns
        self.rows.flat.extend((person_id, self.persons[i], score, why + why_pledge, covers, template, ctx))
        table.served[pos] = 1
        return True

    # -- phases --------------------------------------------------------------

    def spend_units(self, balance: PledgeBalance, kind: ProductKind, count: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return count
        pledge = balance.pledge
        months = _months_of(kind, pledge)
        pool = self.pool(table, kind, pledge, priced=False)
        ctx = _Context(table, kind, pledge, Funding.UNITS, self.on)
        why_pledge = self.pays_text(balance, pool, f"1 trong {pledge.units_of(kind)} {kind.label_vi} đăng ký")
        served = table.served
        classes = table.classes
        order = pool.order
        end = len(order)
        head = pool.head
        while count > 0:
            while head < end and served[order[head]]:
                head += 1
            if head >= end:
                break
            pos = order[head]
            template = self.quote(classes[pos], months)
            if template is not None and self.give(table, pos, template, ctx, why_pledge):
                count -= 1
            else:
                head += 1  # holds a gift already, or cannot be priced: skip it
        pool.head = head
        return count

    def spend_money(self, balance: PledgeBalance, kind: ProductKind, money: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return money
        pledge = balance.pledge
        pool = self.pool(table, kind, pledge, priced=True)
        ctx = _Context(table, kind, pledge, Funding.MONEY, self.on)
        served = table.served
        payables, tiers, heads, cursor = pool.payables, pool.members, pool.heads, pool.cursor
        # other pools may have served a tier's head since: move each head on
        for t, members in enumerate(tiers):
            h = heads[t]
            if cursor[t] != _END and served[members[h]]:
                end = len(members)
                while h < end and served[members[h]]:
                    h += 1
                heads[t] = h
                cursor[t] = members[h] if h < end else _END
        why_pledge: dict[int, str] = {}
        while True:
            # the best-ranked candidate the money left can pay for: tiers are by
            # price, so the affordable ones come first, and the best candidate
            # is the smallest head position among them
            affordable = bisect_right(payables, money)
            if not affordable:
                return money
            pos = min(cursor[:affordable])
            if pos == _END:
                return money
            t = cursor.index(pos)
            payable = payables[t]
            text = why_pledge.get(payable)
            if text is None:
                text = why_pledge[payable] = self.pays_text(
                    balance, pool, f"tiền tài trợ, {format_vnd(payable)}"
                )
            if self.give(table, pos, pool.templates[t], ctx, text):
                money -= payable
            members = tiers[t]
            h = heads[t] + 1  # served now, or holds a gift for those months: skip it
            end = len(members)
            while h < end and served[members[h]]:
                h += 1
            heads[t] = h
            cursor[t] = members[h] if h < end else _END


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
    if law is None:
        from ansinh.data import default_law

        law = default_law()
    elif not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law or None")
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
        refused = [
            text
            for kind in dict.fromkeys([*(k for k, _ in units), *([money_buys] if money > 0 else [])])
            if (text := _period_refused(law, kind, b.pledge, on)) is not None
        ]
        for text_vi, text_en in refused:
            vi.append(text_vi)
            en.append(text_en)
        if units and not refused:
            vi.append("không còn người đủ điều kiện phù hợp để nhận số đơn vị còn lại")
            en.append("no matching eligible candidate left for the remaining units")
        if money > 0 and not refused:
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
    return Allocation(
        on=on, gifts=tuple(run.rows.build(run.gift_ids, run)), leftovers=tuple(leftovers), unserved=unserved
    )
