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

Every gift is decided, priced and checked before :func:`allocate` returns;
the :class:`~ansinh.core.campaign.Gift` objects themselves are built when
:attr:`Allocation.gifts` (a :class:`Gifts` sequence) is first read, so a
summary of a large allocation (``len(result.gifts)``,
``result.gifts.total``) costs no objects per gift.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> from ansinh.core.ledger import Ledger, PledgeRegistered
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> import ansinh
>>> law = ansinh.default_law()
>>> ledger = Ledger(c, law=law)
>>> _ = ledger.append(PledgeRegistered(
...     event_id="e1", on=dt.date(2025, 11, 1),
...     sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
...     pledge=Pledge(id="P1", sponsor_id="S1", money=1_000_000)))
>>> people = [Person(id=f"HP-{i}", full_name="Nguyễn Văn A", date_of_birth=dt.date(1960, 1, 1),
...                  province="31", categories={Category.NEAR_POOR}) for i in range(5)]
>>> cands = [Candidate(person=p, product=HealthCard(months=12), priority=Priority.of((("NEAR_POOR", 10 - i),)))
...          for i, p in enumerate(people)]
>>> result = allocate(ledger.state, cands, on=dt.date(2026, 1, 5), law=law)
>>> [(g.person_id, g.amount) for g in result.gifts]
[('HP-0', 379080), ('HP-1', 379080)]
>>> result.leftovers[0].money_left
241840
>>> len(result.gifts), result.gifts.total, result.gifts.pledge_ids
(2, 758160, ('P1', 'P1'))
"""

from __future__ import annotations

import datetime as dt
import types
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import compress, islice, repeat
from operator import add, attrgetter, eq, is_not, or_, truth
from typing import Any, Final, Protocol, TypeVar, cast, overload

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
from ansinh.core.validators import names_ok
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "Allocation",
    "Candidate",
    "CandidateLike",
    "Gifts",
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


class Gifts(Sequence[Gift]):
    """The gifts of an :class:`Allocation`, in allocation order: a read-only sequence of :class:`Gift`.

    :func:`allocate` decides every gift — who, which product, which pledge
    pays, at what price — and checks every value, but builds the
    :class:`~ansinh.core.campaign.Gift` objects only when they are first read
    (by index, iteration, :meth:`Allocation.events` …), all at once; a
    national campaign's 100,000s of gifts are then not built just to be
    counted.  ``len()`` and the columns :attr:`amounts`, :attr:`person_ids`,
    :attr:`pledge_ids`, :attr:`kinds` and :attr:`total` never build them.

    Compares equal to another ``Gifts`` or a tuple holding equal gifts, is
    hashable and pickles as its gifts.  ``Gifts(iterable)`` wraps gifts made
    elsewhere.

    >>> Gifts() == ()
    True
    """

    __slots__ = ("_gifts", "_plan")

    def __init__(self, gifts: Iterable[Gift] = ()) -> None:
        items = tuple(gifts)
        for k, gift in enumerate(items):
            if not isinstance(gift, Gift):
                raise InvalidValueError(f"gifts[{k}]", gift, "a Gift")
        self._gifts: tuple[Gift, ...] | None = items
        self._plan: _Plan | None = None

    @classmethod
    def _planned(cls, plan: _Plan) -> Gifts:
        new = cls.__new__(cls)
        new._gifts = None
        new._plan = plan
        return new

    def _built(self) -> tuple[Gift, ...]:
        gifts = self._gifts
        if gifts is None:
            plan = self._plan
            if plan is None:  # another thread built them meanwhile
                return cast("tuple[Gift, ...]", self._gifts)
            gifts = self._gifts = tuple(plan.build())
            self._plan = None  # frees the candidates' columns
        return gifts

    def __len__(self) -> int:
        plan = self._plan
        return len(self._built()) if plan is None else len(plan.candidates)

    @overload
    def __getitem__(self, index: int) -> Gift: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Gift, ...]: ...

    def __getitem__(self, index: int | slice) -> Gift | tuple[Gift, ...]:
        return self._built()[index]

    def __iter__(self) -> Iterator[Gift]:
        return iter(self._built())

    def __contains__(self, value: object) -> bool:
        return value in self._built()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Gifts):
            return self._built() == other._built()
        if isinstance(other, tuple):
            return self._built() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._built())

    def __repr__(self) -> str:
        return f"Gifts({self._built()!r})"

    def __reduce__(self) -> tuple[type[Gifts], tuple[tuple[Gift, ...]]]:
        return (Gifts, (self._built(),))

    def _column(
        self, of_plan: Callable[[_Plan], Iterable[_T]], of_gift: Callable[[Gift], _T]
    ) -> tuple[_T, ...]:
        plan = self._plan
        return tuple(map(of_gift, self._built())) if plan is None else tuple(of_plan(plan))

    @property
    def amounts(self) -> tuple[int, ...]:
        """What each gift costs its pledge, in đồng (``gift.amount``)."""
        return self._column(lambda p: map(_PAYABLE, p.templates), _AMOUNT)

    @property
    def total(self) -> int:
        """What all the gifts cost, in đồng."""
        return sum(self.amounts)

    @property
    def person_ids(self) -> tuple[str, ...]:
        """Who receives each gift (``gift.person_id``)."""
        return self._column(lambda p: map(p.ids.__getitem__, p.candidates), _PERSON_ID)

    @property
    def pledge_ids(self) -> tuple[str, ...]:
        """Which pledge pays each gift (``gift.pledge_id``)."""
        return self._column(lambda p: map(_PLEDGE_ID, p.contexts), _PLEDGE_ID)

    @property
    def kinds(self) -> tuple[ProductKind, ...]:
        """The kind of each gift (``gift.kind``)."""
        return self._column(lambda p: (t.product.kind for t in p.templates), _GIFT_KIND)


def _gifts(value: Iterable[Gift]) -> Gifts:
    return value if isinstance(value, Gifts) else Gifts(value)


@attrs.frozen(kw_only=True)
class Allocation:
    """The gifts :func:`allocate` proposes, and what is left.

    Append :meth:`events` to the ledger to record them.
    """

    on: dt.date
    """The purchase date every gift is priced on."""
    gifts: Gifts = attrs.field(converter=_gifts)
    """In allocation order (any iterable of gifts given is kept as :class:`Gifts`)."""
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
# - matching (spend_units / spend_money) only appends each gift to the plan's
#   columns (_Plan: candidate index, template quote, context), and _Plan.check
#   looks at the values Gift and Beneficiary could refuse (a candidate's
#   valid_from, the affiliations given, a commune) before allocate returns;
# - _Plan.build makes the Gift, Quote and Beneficiary objects when the
#   allocation's Gifts are first read, field by field with loops over the
#   slots' setters, without re-running validators on values that already
#   passed them (Person's, Pledge's, price()'s) - the "trusted path"
#   (_Trusted).  If a value could fail, the real constructors are used, and
#   raise their usual error for the first bad gift.


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


def _plain_attrs(cls: type) -> bool:
    """Whether instances of *cls* hold nothing but their fields (no cached hash, no post-init state)."""
    slots = cls.__dict__.get("__slots__")
    return slots is not None and set(slots) <= {f.name for f in attrs.fields(cls)} | {"__weakref__"}


_TRUSTED = _Trusted()
_K = TypeVar("_K")
_T = TypeVar("_T")
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
        "by_affiliation_in",
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
        self.served = bytearray(len(order))
        # the positions of each (class, province), in rank order: one pass that
        # appends each position to its group's list (made when the group first
        # appears, so the groups keep the order of their best candidates)
        lists: defaultdict[int, list[int]] = defaultdict(list)
        deque(map(list.append, map(lists.__getitem__, groups), range(len(groups))), maxlen=0)
        class_of = {group: group // width for group in lists}
        self.classes = list(map(class_of.__getitem__, groups))
        """Price class, by rank position (same product, categories, supported months, province)."""
        self.by_province_class = {(codes[k % width], k // width): m for k, m in lists.items()}
        self.by_province: dict[str, list[int]] | None = None
        self.by_class: dict[int, list[int]] | None = None
        self.by_affiliation: dict[str, list[int]] | None = None
        self.by_affiliation_in: dict[tuple[str, str], list[int]] = {}
        """By (earmark target, province): the positions of :attr:`by_affiliation` in that province."""
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
_COVERS = attrgetter("covers")
_PRIORITY = attrgetter("priority")
_ID_PREFIX = attrgetter("id_prefix")
_ID_SUFFIX = attrgetter("id_suffix")
_PLEDGE_ID = attrgetter("pledge_id")
_PAYABLE = attrgetter("payable")
_AMOUNT = attrgetter("amount")
_PERSON_ID = attrgetter("person_id")
_GIFT_KIND = attrgetter("kind")
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

    __slots__ = (
        "balance",
        "covers",
        "funding",
        "held",
        "id_prefix",
        "id_suffix",
        "kind",
        "label_vi",
        "months",
        "pays",
        "pledge_id",
    )

    def __init__(
        self,
        table: _Kind,
        kind: ProductKind,
        balance: PledgeBalance,
        pool: _Pool,
        funding: Funding,
        on: dt.date,
    ) -> None:
        pledge = balance.pledge
        self.balance = balance
        self.kind = kind
        self.funding = funding
        self.pledge_id = pledge.id
        self.label_vi = pool.label_vi
        self.months = _months_of(kind, pledge)
        self.covers = None if self.months == 0 else on
        """The first day covered unless the candidate says otherwise (``None``: no months)."""
        self.held = table.held
        self.id_prefix = f"{pledge.id}:"
        self.id_suffix = f":{kind.value}"
        self.pays: dict[int, str] = {}

    def pays_text(self, payable: int) -> str:
        """The end of a gift's reason: from which pool, and which pledge pays (*payable* đồng)."""
        text = self.pays.get(payable)
        if text is None:
            pledge = self.balance.pledge
            what = (
                f"1 trong {pledge.units_of(self.kind)} {self.kind.label_vi} đăng ký"
                if self.funding is Funding.UNITS
                else f"tiền tài trợ, {format_vnd(payable)}"
            )
            text = self.pays[payable] = (
                f"; người xếp hạng cao nhất còn lại ({self.label_vi}); "
                f"do khoản tài trợ {pledge.id} của {self.balance.sponsor.name} chi trả: {what}"
            )
        return text


def _kept(affiliations: Mapping[str, Iterable[str]]) -> dict[str, Iterable[str]]:
    """A copy of *affiliations* that later changes to the caller's mapping (or its sets) do not reach."""
    kept: dict[str, Iterable[str]] = {}
    for person_id, targets in affiliations.items():
        try:
            kept[person_id] = targets if isinstance(targets, str) else tuple(targets)
        except TypeError:  # not a collection: refused if that person gets a gift
            kept[person_id] = targets
    return kept


def _quote_for(template: Quote, person_id: str, province: str) -> Quote:
    """The class's quote: quotes name no person, so everyone of the class shares it."""
    del person_id, province
    return template


class _Plan:
    """Every gift :func:`allocate` decided, as columns of plain values; :meth:`build` makes the Gift objects.

    Matching appends one entry per gift to :attr:`candidates`,
    :attr:`templates` and :attr:`contexts`.  Everything else a Gift holds
    (its id, beneficiary, reason, first day covered) follows from those and
    the candidates' columns, so building the 100,000s of Gift, Quote and
    Beneficiary objects waits until someone reads them (:class:`Gifts`).
    """

    __slots__ = (
        "affiliations",
        "affiliations_ok",
        "beneficiaries",
        "candidates",
        "communes",
        "contexts",
        "covers",
        "dated",
        "ids",
        "parts",
        "persons",
        "scores",
        "taken",
        "templates",
        "texts",
    )

    def __init__(
        self,
        objects: list[CandidateLike],
        persons: list[Person],
        ids: list[str],
        scores: list[int],
        affiliations: Mapping[str, Iterable[str]],
        taken: set[str],
    ) -> None:
        # the candidates' columns, by candidate index
        self.persons = persons
        self.ids = ids
        self.scores = scores
        self.dated = set(map(getattr, objects, repeat("valid_from"), repeat(None))) != {None}
        """Whether some candidate says when their gift could start covering (``valid_from``)."""
        self.communes = set(map(_COMMUNE, persons))
        self.affiliations_ok = names_ok(affiliations.values())
        """Whether every entry of ``affiliations`` is one Beneficiary accepts."""
        self.affiliations = affiliations
        self.taken = taken
        """Gift ids already in the ledger."""
        # one entry per gift, in allocation order
        self.candidates: list[int] = []
        """The candidate index of each gift's person."""
        self.templates: list[Quote] = []
        """The quote of each gift's price class (another person's, or this one's)."""
        self.contexts: list[_Context] = []
        self.covers: list[dt.date | None] = []
        """Each gift's first day covered (filled by :meth:`check`)."""
        self.parts: list[tuple[tuple[str, int], ...]] = []
        """The parts of each gift's priority score (filled by :meth:`check`)."""
        self.beneficiaries: dict[str, Beneficiary] = {}
        self.texts: dict[Any, str] = {}

    def check(self, objects: Sequence[CandidateLike]) -> bool:
        """Whether Gift and Beneficiary accept every gift; fills :attr:`covers` and :attr:`parts`.

        *objects* are the candidates, by candidate index.  When a gift has a
        value they refuse, :meth:`build` raises their error for the first bad
        gift, as :func:`allocate` must (found when the gifts are read, it
        would be found too late).  Values only some candidates could have
        wrong (a ``valid_from``, affiliations, a commune) are looked at gift
        by gift only if some candidate has them wrong.
        """
        cands = self.candidates
        gifted = list(map(objects.__getitem__, cands))
        # read now what the gifts will say of a candidate's priority: the
        # candidates may be changed before the gifts are read
        self.parts = list(map(getattr, map(_PRIORITY, gifted), repeat("parts"), repeat(())))
        if self.dated:
            valid_from = map(getattr, gifted, repeat("valid_from"), repeat(None))
            self.covers = [
                None if ctx.covers is None else (v or ctx.covers)
                for ctx, v in zip(self.contexts, valid_from, strict=True)
            ]
            if self.first_bad_cover() < len(self.covers):
                return False
        else:
            self.covers = list(map(_COVERS, self.contexts))
        affiliations = self.affiliations
        if not self.affiliations_ok:
            person_ids = map(self.ids.__getitem__, cands)
            if not names_ok([t for t in map(affiliations.get, person_ids) if t is not None]):
                return False
        if not names_ok([[c, normalise_name(c)] for c in self.communes if c]):
            gifted_communes = set(map(_COMMUNE, map(self.persons.__getitem__, cands)))
            return names_ok([[c, normalise_name(c)] for c in gifted_communes if c])
        return True

    def first_bad_cover(self) -> int:
        """The first gift whose first day covered Gift refuses (the gift count if none)."""
        distinct = dict(zip(map(id, self.templates), self.templates, strict=True))
        months = {k: t.product.months > 0 for k, t in distinct.items()}
        types = set(map(type, self.covers))
        if types <= {dt.date} and all(months.values()):
            return len(self.covers)
        for k, (covers, template) in enumerate(zip(self.covers, self.templates, strict=True)):
            if (type(covers) is not dt.date) if months[id(template)] else (covers is not None):
                return k
        return len(self.covers)

    def why(self, score: int, parts: tuple[tuple[str, int], ...]) -> str:
        """The start of a gift's reason: the priority *score* and its *parts*, in words."""
        key = (score, parts)
        text = self.texts.get(key)
        if text is None:
            text = f"ưu tiên {score}"
            if parts:
                text += " (" + ", ".join(f"{name} {value:+d}" for name, value in parts) + ")"
            self.texts[key] = text
        return text

    def build(self) -> list[Gift]:
        """The gifts, in the order made.

        A gift Gift or Beneficiary would refuse raises their error, for the
        first such gift, as building the gifts one by one would.
        """
        cands = self.candidates
        n = len(cands)
        person_ids = list(map(self.ids.__getitem__, cands))
        persons = list(map(self.persons.__getitem__, cands))
        scores = list(map(self.scores.__getitem__, cands))
        reasons = list(
            map(
                add,
                map(self.why, scores, self.parts),
                map(_Context.pays_text, self.contexts, map(_PAYABLE, self.templates)),
            )
        )
        ids = [
            _ID_PREFIX(ctx) + person_id + _ID_SUFFIX(ctx)
            for ctx, person_id in zip(self.contexts, person_ids, strict=True)
        ]
        if self.taken:
            for k, gift_id in enumerate(ids):
                m = 2
                while ids[k] in self.taken:
                    ids[k] = f"{gift_id}:{m}"
                    m += 1
        provinces = list(map(_PROVINCE, persons))
        bad = self.first_bad_cover()
        beneficiaries = self.beneficiaries_for(person_ids, persons, provinces, bad)
        rows = zip(
            ids,
            self.contexts,
            beneficiaries,
            self.templates,
            person_ids,
            provinces,
            self.covers,
            scores,
            reasons,
            strict=True,
        )
        if bad < n or not _TRUSTED.ok or not {type(t) for t in self.templates} <= {Quote}:
            return [
                Gift(
                    id=gift_id,
                    pledge_id=ctx.pledge_id,
                    beneficiary=beneficiary,
                    product=template.product,
                    quote=_quote_for(template, person_id, province),
                    funding=ctx.funding,
                    covers_from=covers,
                    priority=score,
                    reason=reason,
                )
                for gift_id, ctx, beneficiary, template, person_id, province, covers, score, reason in rows
            ]
        # every value below passed the validators it meets (Person's, Pledge's,
        # price()'s) or was checked above: set the fields, check nothing again
        quotes = self.templates
        gifts = list(map(_new, repeat(Gift, n)))
        columns: tuple[Iterable[Any], ...] = (
            ids,
            map(_PLEDGE_ID, self.contexts),
            beneficiaries,
            map(_PRODUCT, self.templates),
            quotes,
            map(_FUNDING, self.contexts),
            self.covers,
            scores,
            reasons,
            repeat(GiftStatus.ALLOCATED, n),
        )
        for set_field, values in zip(_TRUSTED.gift, columns, strict=True):
            _set_each(set_field, gifts, values)
        return gifts

    def beneficiary(self, person: Person) -> Beneficiary:
        b = self.beneficiaries.get(person.id)
        if b is None:
            targets = self.affiliations.get(person.id)
            if targets is not None and not names_ok([targets]):
                raise InvalidValueError(
                    f"affiliations[{person.id!r}]", targets, "a collection of non-empty strings"
                )
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
        n = len(person_ids)
        # the first row of each person id still without a beneficiary
        first = dict(zip(reversed(person_ids), range(n - 1, -1, -1), strict=True))
        for person_id in cache.keys() & first.keys():
            del first[person_id]
        if not first:
            return list(map(cache.__getitem__, person_ids))
        every_row = len(first) == n  # each row a new person
        firsts: Sequence[int] = range(n) if every_row else sorted(first.values())
        people = persons if every_row else list(map(persons.__getitem__, firsts))
        targets = list(map(self.affiliations.get, map(person_ids.__getitem__, firsts)))
        affiliations: list[frozenset[str]] = [_NO_AFFILIATIONS] * len(firsts)
        trusted = _TRUSTED.ok and set(map(type, map(_CATEGORIES, people))) <= {frozenset}
        refused = []
        for k in compress(
            range(len(firsts)),
            map(or_, map(is_not, targets, repeat(None)), map(truth, map(_COMMUNE, people))),
        ):
            given = targets[k]
            if given is not None and not names_ok([given]):
                refused.append((firsts[k], k))
                continue
            affs = _NO_AFFILIATIONS if given is None else frozenset(given)
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
            return made if every_row else list(map(cache.__getitem__, person_ids))
        else:
            for row, person in zip(firsts, people, strict=True):
                if row <= limit:
                    self.beneficiary(person)
        # rows after *limit* may have none: the caller raises at row *limit*
        return cast("list[Beneficiary]", list(map(cache.get, person_ids)))


class _Allocator:
    def __init__(
        self,
        state: LedgerState,
        candidates: Iterable[CandidateLike],
        *,
        on: dt.date,
        law: Law,
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
        self.affiliated: list[int] | None = None
        """The candidates ``affiliations`` names, once an earmark needs them."""
        self.rank(list(candidates), state.campaign.province)
        for g in state.gifts:
            table = self.kinds.get(g.kind)
            if g.status.is_active and table is not None:
                table.held.setdefault(g.person_id, []).append(g.months)
        self.pools: dict[tuple[Any, ...], _Pool] = {}
        self.quotes: dict[int, dict[int, Quote | None]] = {}
        """Months -> price class -> its quote (``None``: the law of the day cannot price it)."""
        self.plan = _Plan(
            self.objects, self.persons, self.ids, self.scores, affiliations, {g.id for g in state.gifts}
        )

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
        n = len(objects)
        # the kinds in the order they first appear among the candidates (the
        # products are in that order too)
        used = list(dict.fromkeys(kind_of.values()))
        members: dict[ProductKind, Sequence[int]] = {used[0]: range(n)}
        if len(used) > 1:
            # each kind's candidate indices, from one pass over the candidates:
            # append every index to the list of its product's kind
            lists: dict[ProductKind, list[int]] = {kind: [] for kind in used}
            list_of = {pid: lists[kind] for pid, kind in kind_of.items()}
            deque(map(list.append, map(list_of.__getitem__, product_ids), range(n)), maxlen=0)
            members = dict(lists)
        categories = [p.categories for p in persons]
        category_index = {c: n for n, c in enumerate(dict.fromkeys(categories))}
        n_categories = len(category_index)
        keys = [
            product_index[pid] * n_categories + category_index[cats]
            for pid, cats in zip(product_ids, categories, strict=True)
        ]
        books = members.get(ProductKind.SOCIAL_BOOK)
        if books:
            # a book's price also depends on the months already supported: only
            # book candidates get that in their key (above every other key)
            shift = max(keys) + 1
            for i in books:
                keys[i] += shift * (1 + min(persons[i].vsi_supported_months, _VSI_MONTHS - 1))
        provinces = [p.province for p in persons]
        codes = list(dict.fromkeys(provinces))
        width = len(codes)
        province_codes = list(map({c: n for n, c in enumerate(codes)}.__getitem__, provinces))
        if self.local_supports:
            # without provincial top-ups the province cannot change a price, so it
            # stays out of the class and national pools have few tiers
            keys = [key * width + code for key, code in zip(keys, province_codes, strict=True)]
        first = dict(zip(reversed(keys), range(n - 1, -1, -1), strict=True))  # key -> first index
        class_of: dict[int, int] = {}
        for key, i in first.items():
            class_of[key] = len(self.class_reps)
            self.class_reps.append((products[i], persons[i]))
        # one int per candidate for (price class, province); every candidate of
        # a group holds the same int object, so that the passes over the groups
        # in rank order (here and in _Kind) read a few objects that stay in the
        # cache, not one object per candidate scattered over memory
        groups = [class_of[key] * width + code for key, code in zip(keys, province_codes, strict=True)]
        shared: dict[int, int] = {}
        groups = list(map(shared.setdefault, groups, groups))

        # Ranking: score (highest first), date of birth (oldest first), person id,
        # as ranking_key; ties keep the order given.  Two stable sorts on plain
        # ints and strings (no tuple per candidate for the garbage collector):
        # by id, then by one int for (score, date of birth).
        self.ids = ids = [p.id for p in persons]
        days = list(map(dt.date.toordinal, map(_BIRTH_OF, persons)))
        span = max(days) - min(days) + 1
        top = max(scores)
        ranks = [(top - score) * span + day for score, day in zip(scores, days, strict=True)]
        for kind in used:
            mine = members[kind]
            order = sorted(mine, key=ids.__getitem__)
            # a person listed twice for this kind has entries side by side in
            # id order: comparing neighbours is cheaper than a set of all ids
            by_id = list(map(ids.__getitem__, order))
            duplicated = any(map(eq, by_id, islice(by_id, 1, None)))
            order.sort(key=ranks.__getitem__)
            if duplicated:
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

    def quote(self, cls: int, months: int) -> Quote | None:
        """The quote of price class *cls* for *months* (``None``: the law of that date cannot price it)."""
        quotes = self.quotes.setdefault(months, {})
        if cls not in quotes:
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
            quotes[cls] = q
        return quotes[cls]

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
                # join the lists of the wanted classes (in the pledge's province)
                # instead of testing every candidate the pledge may pay for
                found = []
                for (province, cls), positions in table.by_province_class.items():
                    if cls in wanted and (prov is None or province == prov):
                        found.extend(positions)
                found.sort()  # a few ascending runs: a merge, not a full sort
                table.by_category[(prov, earmark.target)] = found
            return found
        if earmark.kind is EarmarkKind.COMMUNE:
            persons = self.persons
            order = table.order
            return [i for i in base if earmark_matches(earmark, self.plan.beneficiary(persons[order[i]]))]
        if table.by_affiliation is None:
            affiliations = self.affiliations
            if self.affiliated is None:
                # the candidates with earmark targets: usually a few of them
                self.affiliated = list(
                    compress(range(len(self.ids)), map(affiliations.__contains__, self.ids))
                )
            ids, order = self.ids, table.order
            # each affiliated candidate's targets, by candidate index, then read
            # in rank order: one pass over the table gives the positions in
            # increasing order, with no inverse permutation of every candidate
            # to build and sort
            targets_of: list[Iterable[str] | None] = [None] * len(ids)
            affiliated = self.affiliated
            given = map(affiliations.__getitem__, map(ids.__getitem__, affiliated))
            deque(map(targets_of.__setitem__, affiliated, given), maxlen=0)  # targets_of[i] = given
            by_position = list(map(targets_of.__getitem__, order))
            all_ok = self.plan.affiliations_ok
            index: dict[str, list[int]] = {}
            for pos in compress(range(len(by_position)), map(is_not, by_position, repeat(None))):
                targets = cast("Iterable[str]", by_position[pos])
                if not (all_ok or names_ok([targets])):
                    continue  # refused when they get a gift; they match no earmark
                for target in targets:
                    members = index.get(target)
                    if members is None:
                        index[target] = [pos]
                    else:
                        members.append(pos)
            table.by_affiliation = index
        found = table.by_affiliation.get(earmark.target, [])
        if prov is None:
            return found
        # pledges of the same province and target share this (one pool per
        # product months and funding): filter once
        in_province = table.by_affiliation_in.get((earmark.target, prov))
        if in_province is None:
            groups, width = table.groups, len(table.codes)
            code = table.codes.index(prov) if prov in table.codes else -1
            in_province = [pos for pos in found if groups[pos] % width == code]
            table.by_affiliation_in[(earmark.target, prov)] = in_province
        return in_province

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

    def holds(self, table: _Kind, pos: int, ctx: _Context) -> bool:
        """Whether the candidate at *pos* holds a gift of this kind for the months *ctx* would cover.

        If so they are marked served: no pool gives them this kind again.
        """
        i = table.order[pos]
        held = ctx.held.get(self.ids[i])
        if not held:
            return False
        covers = ctx.covers
        if covers is not None:
            covers = getattr(self.objects[i], "valid_from", None) or covers
            start = month_index(covers)
            stop = start + ctx.months
            if not any(max(start, r.start) < min(stop, r.stop) for r in held):
                return False
        # one Tết gift per person and campaign; or the months are covered already
        table.served[pos] = 1
        return True

    # -- phases --------------------------------------------------------------
    #
    # Each gift is one entry in the plan's columns (candidate index, template
    # quote, context); the loops below only find the next candidate.

    def spend_units(self, balance: PledgeBalance, kind: ProductKind, count: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return count
        pledge = balance.pledge
        months = _months_of(kind, pledge)
        pool = self.pool(table, kind, pledge, priced=False)
        ctx = _Context(table, kind, balance, pool, Funding.UNITS, self.on)
        served, classes, order, candidates = table.served, table.classes, pool.order, table.order
        quotes = self.quotes.setdefault(months, {})
        held = ctx.held
        picked, templates = self.plan.candidates, self.plan.templates
        given = 0
        head, end = pool.head, len(order)
        while given < count and head < end:
            pos = order[head]
            head += 1
            if served[pos]:
                continue
            cls = classes[pos]
            template = quotes[cls] if cls in quotes else self.quote(cls, months)
            if template is None or (held and self.holds(table, pos, ctx)):
                continue  # cannot be priced, or holds a gift for those months: skip them
            served[pos] = 1
            picked.append(candidates[pos])
            templates.append(template)
            given += 1
        pool.head = head
        self.plan.contexts.extend(repeat(ctx, given))
        return count - given

    def spend_money(self, balance: PledgeBalance, kind: ProductKind, money: int) -> int:
        table = self.kinds.get(kind)
        if table is None:
            return money
        pledge = balance.pledge
        pool = self.pool(table, kind, pledge, priced=True)
        ctx = _Context(table, kind, balance, pool, Funding.MONEY, self.on)
        served, candidates = table.served, table.order
        payables, tiers, heads, cursor = pool.payables, pool.members, pool.heads, pool.cursor
        held = ctx.held
        picked, templates = self.plan.candidates, self.plan.templates
        given = 0
        # other pools may have served a tier's head since: move each head on
        for t, members in enumerate(tiers):
            h = heads[t]
            if cursor[t] != _END and served[members[h]]:
                end = len(members)
                while h < end and served[members[h]]:
                    h += 1
                heads[t] = h
                cursor[t] = members[h] if h < end else _END
        while True:
            # the best-ranked candidate the money left can pay for: tiers are by
            # price, so the affordable ones come first, and the best candidate
            # is the smallest head position among them
            affordable = bisect_right(payables, money)
            if not affordable:
                break
            pos = min(cursor[:affordable])
            if pos == _END:
                break
            t = cursor.index(pos)
            if not (held and self.holds(table, pos, ctx)):
                served[pos] = 1
                picked.append(candidates[pos])
                templates.append(pool.templates[t])
                given += 1
                money -= payables[t]
            members = tiers[t]
            h = heads[t] + 1  # served now, or holds a gift for those months: skip it
            end = len(members)
            while h < end and served[members[h]]:
                h += 1
            heads[t] = h
            cursor[t] = members[h] if h < end else _END
        self.plan.contexts.extend(repeat(ctx, given))
        return money


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
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    run = _Allocator(
        state,
        candidates,
        on=on,
        law=law,
        local_supports=local_supports,
        affiliations=_kept(affiliations or {}),
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
    # why a pledge cannot buy a kind at all depends only on the kind and the
    # months it pays for (the law and the date are the same for every pledge):
    # thousands of leftovers share a handful of answers
    refusals: dict[tuple[ProductKind, int], tuple[str, str] | None] = {}
    # and the money left is the same for many pledges (same money, same gifts)
    money_texts: dict[int, tuple[str, str]] = {}
    for b in sorted(balances, key=lambda x: x.pledge.id):
        pledge = b.pledge
        units = tuple((k, n) for k, n in units_left[pledge.id].items() if n > 0)
        money = money_left[pledge.id]
        if not units and money <= 0:
            continue
        kinds = [k for k, _ in units]
        if money > 0 and money_buys not in kinds:
            kinds.append(money_buys)
        vi, en = [], []
        refused = False
        for kind in kinds:
            key = (kind, _months_of(kind, pledge))
            if key not in refusals:
                refusals[key] = _period_refused(law, kind, pledge, on)
            text = refusals[key]
            if text is not None:
                refused = True
                vi.append(text[0])
                en.append(text[1])
        if units and not refused:
            vi.append("không còn người đủ điều kiện phù hợp để nhận số đơn vị còn lại")
            en.append("no matching eligible candidate left for the remaining units")
        if money > 0 and not refused:
            texts = money_texts.get(money)
            if texts is None:
                texts = money_texts[money] = (
                    f"số tiền còn lại {format_vnd(money)} không đủ mua thêm suất nào cho người phù hợp",
                    f"the {format_vnd(money, 'en')} left buys no gift for any matching candidate",
                )
            vi.append(texts[0])
            en.append(texts[1])
        leftovers.append(
            Leftover(
                pledge_id=pledge.id,
                sponsor_id=b.sponsor.id,
                units_left=units,
                money_left=money,
                reason_vi="; ".join(vi),
                reason_en="; ".join(en),
            )
        )
    unserved = tuple((kind, run.kinds[kind].served.count(0)) for kind in sorted(run.kinds))
    plan = run.plan
    # a value Gift or Beneficiary refuses raises now, not when the gifts are read
    gifts = Gifts._planned(plan) if plan.check(run.objects) else Gifts(plan.build())
    return Allocation(on=on, gifts=gifts, leftovers=tuple(leftovers), unserved=unserved)
