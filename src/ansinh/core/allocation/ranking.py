"""Ranking: the candidates for each kind of gift, best first, with their price classes.

Candidates are ranked in :func:`ansinh.core.eligibility.ranking_key` order:
the highest priority score first, then the older person, then the person id;
candidates that order cannot tell apart keep the order they were given in.
A person listed twice for one kind of gift counts once, with their
best-ranked entry.

Each ranked candidate also has a :class:`PriceClass`: the candidates whose
gifts the law prices alike, so that :func:`~ansinh.core.pricing.price` runs
once per class, not once per candidate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol

import attrs

from ansinh.core.eligibility import Priority
from ansinh.core.people import Category, Person
from ansinh.core.products import Product, ProductKind
from ansinh.exceptions import InvalidValueError

__all__ = ["Candidate", "CandidateLike", "PriceClass", "Ranked", "rank"]


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

    They have the same product, the same categories, for books the same
    months of state support already used, and — when provincial top-ups are
    in play — the same province.  A quote names no person, so the first
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


class Ranked:
    """The candidates for one kind of gift, best first: a rank position (0 is the best) names one.

    :attr:`served` marks who got a gift of this kind in this allocation, or
    holds one already for the months it would cover; no pool gives them
    another.
    """

    __slots__ = ("by_province", "candidates", "classes", "kind", "persons", "served")

    def __init__(
        self,
        kind: ProductKind,
        candidates: list[CandidateLike],
        persons: list[Person],
        classes: list[PriceClass],
    ) -> None:
        self.kind = kind
        self.candidates = candidates
        self.persons = persons
        """``candidates[pos].person``, read once."""
        self.classes = classes
        """The price class of each position."""
        self.served = bytearray(len(candidates))
        """1 at the positions of the candidates served (see the class docstring), else 0."""
        self.by_province: defaultdict[str, list[int]] = defaultdict(list)
        """Province code -> its candidates' positions, best first."""
        for pos, province in enumerate([p.province for p in persons]):
            self.by_province[province].append(pos)

    def __len__(self) -> int:
        return len(self.candidates)

    @property
    def unserved(self) -> int:
        """How many candidates got no gift of this kind (and hold none for those months)."""
        return self.served.count(0)


def _in_scope(
    candidates: Iterable[CandidateLike], scope: str | None
) -> tuple[list[CandidateLike], list[Person]]:
    """The candidates of province *scope* (all if ``None``) and their persons, in the order given.

    Raises:
        InvalidValueError: for the first candidate, in the order given, whose
            person is not a :class:`~ansinh.core.people.Person` or whose
            score (if in scope) is not a whole number.
    """
    kept: list[CandidateLike] = []
    persons: list[Person] = []
    for candidate in candidates:
        person = candidate.person
        if not isinstance(person, Person):
            raise InvalidValueError("candidate.person", person, "an ansinh Person")
        if scope is not None and person.province != scope:
            continue
        score = candidate.priority.score
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidValueError("candidate.priority.score", score, "a whole number")
        kept.append(candidate)
        persons.append(person)
    return kept, persons


def _best_first(
    members: list[int], ids: list[str], births: list[dt.date], minus_scores: list[int]
) -> list[int]:
    """*members* (candidate indices) in ranking order, each person once; ties keep the order given.

    Three stable sorts on one plain key each, the last key first, give the
    order of the key tuple ``ranking_key`` makes, for a fraction of the cost
    of building and comparing a tuple per candidate.  A person listed twice
    keeps their first entry in that order: their best.
    """
    order = sorted(members, key=ids.__getitem__)
    order.sort(key=births.__getitem__)
    order.sort(key=minus_scores.__getitem__)
    if len({ids[i] for i in order}) == len(order):
        return order
    seen: set[str] = set()
    best = []
    for i in order:
        if ids[i] not in seen:
            seen.add(ids[i])
            best.append(i)
    return best


def rank(
    candidates: Iterable[CandidateLike], *, scope: str | None, by_province: bool
) -> dict[ProductKind, Ranked]:
    """The candidates of each kind, best first, with their price classes.

    Args:
        candidates: screened candidates, in any order.
        scope: a provincial campaign's province: candidates elsewhere are left
            out (``None``: everyone).
        by_province: whether the province is part of the price class (it is
            when provincial top-ups may change a price).

    Raises:
        InvalidValueError: a candidate's person or score has the wrong type.
    """
    kept, persons = _in_scope(candidates, scope)
    classes: dict[tuple[Product, frozenset[Category], int, str | None], PriceClass] = {}
    class_of: list[PriceClass] = []
    of_kind: dict[ProductKind, list[int]] = {}
    for i, (candidate, person) in enumerate(zip(kept, persons, strict=True)):
        product = candidate.product
        kind = product.kind
        used = person.vsi_supported_months if kind is ProductKind.SOCIAL_BOOK else 0
        key = (product, person.categories, used, person.province if by_province else None)
        price_class = classes.get(key)
        if price_class is None:
            price_class = classes[key] = PriceClass(product, person)
        class_of.append(price_class)
        members = of_kind.get(kind)
        if members is None:
            members = of_kind[kind] = []
        members.append(i)
    ids = [p.id for p in persons]
    births = [p.date_of_birth for p in persons]
    minus_scores = [-c.priority.score for c in kept]
    tables = {}
    for kind, members in of_kind.items():
        order = _best_first(members, ids, births, minus_scores)
        tables[kind] = Ranked(
            kind, [kept[i] for i in order], [persons[i] for i in order], [class_of[i] for i in order]
        )
    return tables
