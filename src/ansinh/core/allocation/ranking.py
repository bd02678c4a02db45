"""Ranking: the candidates for each kind of gift, best first, with their price classes.

Candidates are ranked in :func:`ansinh.core.eligibility.ranking_key` order:
the highest priority score first, then the older person, then the person id;
candidates that order cannot tell apart keep the order they were given in.
A person listed twice for one kind of gift counts once, with their
best-ranked entry.

Each ranked candidate also has a :class:`PriceClass`: the candidates whose
gifts the law prices alike (the same product and the same
:meth:`PriceKeys.key <ansinh.core.price_classes.PriceKeys.key>`, the key the ledger
checks gifts by), so that :func:`~ansinh.core.pricing.price` runs once per
class, not once per candidate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from itertools import chain, groupby
from typing import Protocol

import attrs

from ansinh.core.eligibility import Priority
from ansinh.core.people import Person
from ansinh.core.price_classes import PriceKeys
from ansinh.core.products import Product, ProductKind
from ansinh.exceptions import InvalidValueError

__all__ = ["Candidate", "CandidateLike", "PriceClass", "Ranked", "merged", "rank"]


class _Scored(Protocol):
    @property
    def score(self) -> int: ...


class CandidateLike(Protocol):
    """What :func:`~ansinh.core.allocation.allocate` reads from a candidate (a screening ``Decision`` fits).

    An optional ``valid_from`` (a date, or ``None``) is the first day a card
    or book could cover; ``priority.parts``, if present, are quoted in each
    gift's reason.
    """

    @property
    def person(self) -> Person: ...

    @property
    def product(self) -> Product: ...

    @property
    def priority(self) -> _Scored: ...


@attrs.frozen(kw_only=True)
class Candidate:
    """A person on the reviewed list, with the product screened for and a priority.

    :func:`~ansinh.core.allocation.allocate` accepts these or eligibility
    ``Decision`` objects.
    """

    person: Person
    product: Product
    priority: Priority = attrs.field(factory=lambda: Priority(0, ()))
    valid_from: dt.date | None = None
    """First day a gift could cover (``None``: the purchase date)."""


class PriceClass:
    """Candidates whose gifts the law prices alike.

    They have the same product and the same :meth:`PriceKeys.key
    <ansinh.core.price_classes.PriceKeys.key>` on the purchase date: the categories,
    the province, for books the months of state support already used, and
    where a top-up or commune list of their province reads it, the address,
    the day out of poverty or the age.  A quote names no person, so the first
    candidate of the class, :attr:`who`, stands for all of them when pricing.
    """

    __slots__ = ("categories", "product", "who")

    def __init__(self, product: Product, who: Person) -> None:
        self.product = product
        """The product as screened (a pledge may change its months)."""
        self.who = who
        """The participant the class's gifts are priced for."""
        self.categories = frozenset(c.value for c in who.categories)
        """The category codes every candidate of the class has (what category earmarks name)."""

    def __repr__(self) -> str:
        return f"PriceClass({self.product!r}, {sorted(self.categories)})"


def merged(runs: Iterable[list[int]]) -> list[int]:
    """The positions of several lists, each in increasing order, as one list in increasing order."""
    runs = list(runs)
    if len(runs) == 1:
        return runs[0]
    return sorted(chain.from_iterable(runs))  # a merge of sorted runs: linear-ish, in C


class Ranked:
    """The candidates for one kind of gift, best first: a rank position (0 is the best) names one.

    The candidates and their persons stay in the order given
    (:attr:`candidates`, :attr:`persons`, shared by every kind);
    :attr:`order` maps a rank position to an index in them.  Working by
    position, and reading a candidate only when a pool reaches them, keeps
    the passes over a whole table in memory order.

    :attr:`served` marks who got a gift of this kind in this allocation, or
    holds one already for the months it would cover; no pool gives them
    another.
    """

    __slots__ = (
        "_by_class",
        "_in_province",
        "candidates",
        "classes",
        "groups",
        "kind",
        "order",
        "persons",
        "provinces",
        "served",
    )

    def __init__(
        self,
        kind: ProductKind,
        order: list[int],
        classes: list[PriceClass],
        provinces: list[str],
        *,
        candidates: list[CandidateLike],
        persons: list[Person],
    ) -> None:
        self.kind = kind
        self.order = order
        """Rank position -> index in :attr:`candidates` and :attr:`persons`."""
        self.classes = classes
        """The price class of each position."""
        self.provinces = provinces
        """The province of each position."""
        self.candidates = candidates
        self.persons = persons
        """``candidates[i].person``, read once."""
        self.served = bytearray(len(order))
        """1 at the positions of the candidates served (see the class docstring), else 0."""
        groups: defaultdict[str, defaultdict[PriceClass, list[int]]] = defaultdict(lambda: defaultdict(list))
        for pos, (province, price_class) in enumerate(zip(provinces, classes, strict=True)):
            groups[province][price_class].append(pos)
        self.groups = {province: dict(in_province) for province, in_province in groups.items()}
        """Province -> price class -> the positions of its candidates, best first."""
        self._in_province: dict[str, list[int]] = {}
        self._by_class: dict[str | None, dict[PriceClass, list[int]]] = {}

    def __len__(self) -> int:
        return len(self.order)

    def in_province(self, province: str) -> list[int]:
        """The positions of the candidates of *province*, best first."""
        found = self._in_province.get(province)
        if found is None:
            in_province = self.groups.get(province)
            found = self._in_province[province] = [] if in_province is None else merged(in_province.values())
        return found

    def by_class(self, province: str | None) -> dict[PriceClass, list[int]]:
        """Price class -> the positions of its candidates in *province* (``None``: anywhere), best first."""
        found = self._by_class.get(province)
        if found is None:
            if province is not None:
                found = dict(self.groups.get(province, {}))
            else:
                runs: defaultdict[PriceClass, list[list[int]]] = defaultdict(list)
                for in_province in self.groups.values():
                    for price_class, positions in in_province.items():
                        runs[price_class].append(positions)
                found = {price_class: merged(lists) for price_class, lists in runs.items()}
            self._by_class[province] = found
        return found

    @property
    def unserved(self) -> int:
        """How many candidates got no gift of this kind (and hold none for those months)."""
        return self.served.count(0)


def _check(candidates: Iterable[CandidateLike], scope: str | None) -> None:
    """Raise for the first candidate, in the order given, whose person or (in *scope*) score is refused."""
    for candidate in candidates:
        person = getattr(candidate, "person", None)
        if person is None:
            raise InvalidValueError(
                "candidate", candidate, "a Decision or a Candidate (with .person and .priority)"
            )
        if not isinstance(person, Person):
            raise InvalidValueError("candidate.person", person, "an ansinh Person")
        if scope is not None and person.province != scope:
            continue
        score = getattr(getattr(candidate, "priority", None), "score", None)
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidValueError("candidate.priority.score", score, "a whole number")


def _in_scope(
    candidates: Iterable[CandidateLike], scope: str | None
) -> tuple[list[CandidateLike], list[Person], list[int]]:
    """The candidates of province *scope* (all if ``None``), their persons and scores, in the order given.

    Raises:
        InvalidValueError: for the first candidate, in the order given, whose
            person is not a :class:`~ansinh.core.people.Person` or whose
            score (if in scope) is not a whole number.
    """
    kept = list(candidates)
    try:
        persons = [c.person for c in kept]
    except AttributeError:  # not a candidate: _check names the first one
        _check(kept, scope)
        raise
    if {type(p) for p in persons} - {Person}:  # a subclass, or something else: look closer
        _check(kept, scope)
    if scope is not None:
        inside = [p.province == scope for p in persons]
        kept = [c for c, ok in zip(kept, inside, strict=True) if ok]
        persons = [p for p, ok in zip(persons, inside, strict=True) if ok]
    scores = [c.priority.score for c in kept]
    if {type(s) for s in scores} - {int}:
        _check(kept, None)
    return kept, persons, scores


def _price_classes(
    candidates: list[CandidateLike], persons: list[Person], keys: PriceKeys, on: dt.date
) -> tuple[list[PriceClass], defaultdict[ProductKind, list[int]]]:
    """Each candidate's price class on *on*, and the candidates (indices, in the order given) of each kind."""
    # Candidates share a few product objects: each object's kind and hash are
    # read once (the entry keeps the object, so its id stays its own).
    # (the entry also holds the kind's classes and candidate list, found once per object)
    by_object: dict[int, tuple[Product, ProductKind, dict[Hashable, PriceClass], list[int]]] = {}
    by_value: dict[Product, dict[Hashable, PriceClass]] = {}
    class_of: list[PriceClass] = []
    of_kind: defaultdict[ProductKind, list[int]] = defaultdict(list)
    key_of = keys.key
    for i, (candidate, person) in enumerate(zip(candidates, persons, strict=True)):
        product = candidate.product
        known = by_object.get(id(product))
        if known is None:
            kind = product.kind
            known = by_object[id(product)] = (product, kind, by_value.setdefault(product, {}), of_kind[kind])
        _, kind, classes, of_this_kind = known
        key = key_of(person, kind, on)
        price_class = classes.get(key)
        if price_class is None:
            price_class = classes[key] = PriceClass(product, person)
        class_of.append(price_class)
        of_this_kind.append(i)
    return class_of, of_kind


_DAY_BITS = 22
"""A day number (``date.toordinal()``) is below ``2**22``: it fits under a score in one int."""


def _best_first(members: list[int], ids: list[str], score_days: list[int]) -> list[int]:
    """*members* (candidate indices, ascending) in ranking order, each person once; ties keep the order given.

    *score_days* packs each candidate's negated score and day of birth into one
    int (the score in the bits above the day's), so one stable sort on a plain
    key orders by both; the ids then order each run of equal ints (most runs
    are one candidate long).  That is the order of the key tuple ``ranking_key``
    makes, for a fraction of the cost of building and comparing a tuple per
    candidate.  A person listed twice keeps their first entry in that order:
    their best.
    """
    by_id = ids.__getitem__
    runs = groupby(sorted(members, key=score_days.__getitem__), key=score_days.__getitem__)
    order = list(chain.from_iterable(sorted(run, key=by_id) for _, run in runs))
    if len({ids[i] for i in members}) == len(members):  # read in the order given: in memory order
        return order
    seen: set[str] = set()
    best = []
    for i in order:
        if ids[i] not in seen:
            seen.add(ids[i])
            best.append(i)
    return best


def rank(
    candidates: Iterable[CandidateLike],
    *,
    scope: str | None,
    keys: PriceKeys,
    on: dt.date,
) -> dict[ProductKind, Ranked]:
    """The candidates of each kind, best first, with their price classes.

    Args:
        candidates: screened candidates, in any order.
        scope: a provincial campaign's province: candidates elsewhere are left
            out (``None``: everyone).
        keys: the price class keys of the top-ups and commune lists pricing considers.
        on: the purchase date the classes are priced on.

    Raises:
        InvalidValueError: a candidate's person or score has the wrong type.
    """
    kept, persons, scores = _in_scope(candidates, scope)
    class_of, of_kind = _price_classes(kept, persons, keys, on)
    ids = [p.id for p in persons]
    score_days = [
        (-score << _DAY_BITS) | p.date_of_birth.toordinal() for score, p in zip(scores, persons, strict=True)
    ]
    provinces = [p.province for p in persons]
    tables = {}
    for kind, members in of_kind.items():
        order = _best_first(members, ids, score_days)
        tables[kind] = Ranked(
            kind,
            order,
            [class_of[i] for i in order],
            [provinces[i] for i in order],
            candidates=kept,
            persons=persons,
        )
    return tables
