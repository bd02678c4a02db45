"""Pools: which candidates a pledge may pay for, and at what price.

A pledge may pay for the candidates of its province (anyone's, for a pledge
without one) whom its earmark covers, as
:func:`~ansinh.core.campaign.earmark_matches` decides for their
:class:`~ansinh.core.campaign.Beneficiary`: a category earmark covers the
candidates with that category, any other earmark those whose affiliations —
the earmark targets given for them, and their commune (as written and
normalised) — include its target.

Pledges buying the same kind of gift for the same months, in the same
province and with the same earmark share one pool.  A unit pool is its
candidates best first, with a cursor on the next one to look at.  A money
pool splits them into price tiers, cheapest first, each best first with a
cursor on its best candidate not served yet: the best candidate that money
can pay for is the best of the affordable tiers' heads.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Mapping, Sequence

import attrs

from ansinh.core.allocation.ranking import PriceClass, Ranked, merged
from ansinh.core.campaign import Earmark, EarmarkKind, Pledge
from ansinh.core.law import Law
from ansinh.core.people import Person
from ansinh.core.places import CommuneList, normalise_commune
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.core.products import Product, ProductKind, TetGift
from ansinh.core.provinces import normalise_name
from ansinh.core.validators import names_ok
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = ["NONE_LEFT", "Affiliations", "MoneyPool", "Pools", "Prices", "Quotes", "UnitPool", "months_of"]

NONE_LEFT = sys.maxsize
"""A tier's head when none of its candidates is left (after every rank position)."""


def months_of(kind: ProductKind, pledge: Pledge) -> int:
    """The months each gift of *kind* that *pledge* buys covers (0 for a Tết gift)."""
    if kind is ProductKind.HEALTH_CARD:
        return pledge.card_months
    if kind is ProductKind.SOCIAL_BOOK:
        return pledge.book_months
    return 0


class Quotes(dict[PriceClass, Quote | None]):
    """The quote of each price class for gifts of some months (``None``: the law cannot price it).

    A class is priced with :func:`~ansinh.core.pricing.price` the first time
    it is looked up.
    """

    def __init__(
        self,
        months: int,
        *,
        on: dt.date,
        law: Law,
        local_supports: tuple[LocalSupport, ...],
        commune_lists: tuple[CommuneList, ...] = (),
    ) -> None:
        super().__init__()
        self.months = months
        self.on = on
        self.law = law
        self.local_supports = local_supports
        self.commune_lists = commune_lists

    def __missing__(self, price_class: PriceClass) -> Quote | None:
        try:
            quote: Quote | None = price(
                _with_months(price_class.product, self.months),
                price_class.who,
                on=self.on,
                law=self.law,
                local_supports=self.local_supports,
                commune_lists=self.commune_lists,
            )
        except AnsinhError:
            quote = None  # a period or income the law of that date refuses: no pledge can buy it
        if quote is not None and quote.payable == 0 and quote.gross > 0:
            quote = None  # the budgets pay it all (FULLY_SUPPORTED): not a gift, no pledge spends on it
        self[price_class] = quote
        return quote


class Prices:
    """The :class:`Quotes` of every number of months pledges buy, on one purchase date."""

    def __init__(
        self,
        *,
        on: dt.date,
        law: Law,
        local_supports: Sequence[LocalSupport],
        commune_lists: Sequence[CommuneList] = (),
    ) -> None:
        self.on = on
        self.law = law
        self.local_supports = tuple(local_supports)
        self.commune_lists = tuple(commune_lists)
        self._by_months: dict[int, Quotes] = {}

    def of(self, months: int) -> Quotes:
        """The quotes of gifts covering *months* months."""
        quotes = self._by_months.get(months)
        if quotes is None:
            quotes = self._by_months[months] = Quotes(
                months,
                on=self.on,
                law=self.law,
                local_supports=self.local_supports,
                commune_lists=self.commune_lists,
            )
        return quotes


def _with_months(product: Product, months: int) -> Product:
    """*product* for the pledge's *months* (a Tết gift covers none)."""
    if isinstance(product, TetGift) or product.months == months:
        return product
    return attrs.evolve(product, months=months)


def _as_sets(given: Mapping[str, Iterable[str]]) -> dict[str, frozenset[str] | None]:
    """Each person's given targets as a set (``None``: not a collection, nor a string, of non-empty strings).

    The names are checked all at once, and one collection at a time only if
    some fail.
    """
    sets: dict[str, frozenset[str] | None] = {}
    for person_id, value in given.items():
        try:
            sets[person_id] = None if isinstance(value, str) else frozenset(value)
        except TypeError:
            sets[person_id] = None
    if not names_ok(names for names in sets.values() if names is not None):
        for person_id, names in sets.items():
            if names is not None and not names_ok([names]):
                sets[person_id] = None
    return sets


class Affiliations:
    """The earmark targets each candidate belongs to: those given for them, and their commune."""

    def __init__(self, given: Mapping[str, Iterable[str]]) -> None:
        self.given = given
        """Person id -> the targets allocate was given (enterprises, congregations …)."""
        self._sets = _as_sets(given)
        self._communes: dict[str, frozenset[str]] = {}
        self._indexed: tuple[list[Person], dict[int, frozenset[str]]] | None = None

    def _commune(self, commune: str) -> frozenset[str]:
        names = self._communes.get(commune)
        if names is None:
            names = self._communes[commune] = frozenset(
                {commune, normalise_name(commune), normalise_commune(commune)}
            )
        return names

    def of(self, person: Person) -> frozenset[str]:
        """The targets of *person*, as their Beneficiary holds them.

        Raises:
            InvalidValueError: the targets given for them are not a collection
                of non-empty strings.
        """
        targets = self._sets.get(person.id, _NONE)
        if targets is None:
            raise InvalidValueError(
                f"affiliations[{person.id!r}]", self.given[person.id], "a collection of non-empty strings"
            )
        return targets | self._commune(person.commune) if person.commune else targets

    def index(self, table: Ranked) -> dict[str, list[int]]:
        """Target -> the positions in *table* of the candidates it names, best first.

        Candidates whose given targets are not names match no earmark (and
        are refused if they get a gift from another pledge).
        """
        targets_of = self._targets_of(table.persons)
        found: dict[str, list[int]] = {}
        for pos, i in [(pos, i) for pos, i in enumerate(table.order) if i in targets_of]:
            for target in targets_of[i]:
                found.setdefault(target, []).append(pos)
        return found

    def _targets_of(self, persons: list[Person]) -> dict[int, frozenset[str]]:
        """Index in *persons* -> that person's targets, for those with any (read once, in the order given)."""
        if self._indexed is None or self._indexed[0] is not persons:
            sets = self._sets
            found = {}
            for i in [i for i, p in enumerate(persons) if p.commune or p.id in sets]:
                try:
                    found[i] = self.of(persons[i])
                except InvalidValueError:
                    continue
            self._indexed = (persons, found)
        return self._indexed[1]


_NONE: frozenset[str] = frozenset()


class UnitPool:
    """The candidates pledges of units may give to, best first, and the next one to look at."""

    __slots__ = ("label_vi", "members", "next")

    def __init__(self, label_vi: str, members: Sequence[int]) -> None:
        self.label_vi = label_vi
        """Where the pool's candidates are, for the gifts' reasons."""
        self.members = members
        """Positions in the kind's :class:`~ansinh.core.allocation.ranking.Ranked`, best first."""
        self.next = 0
        """Index in :attr:`members` of the next candidate to look at."""


class MoneyPool:
    """The candidates money pledges may pay for, in price tiers (cheapest first), each best first.

    Tier *t* costs ``payables[t]`` per gift; ``heads[t]`` is the position of
    its best candidate not served yet (:data:`NONE_LEFT` when none is left),
    at index ``cursors[t]`` of the tier.
    """

    __slots__ = ("cursors", "heads", "label_vi", "payables", "tiers")

    def __init__(self, label_vi: str, tiers: Mapping[int, list[int]]) -> None:
        self.label_vi = label_vi
        self.payables = sorted(tiers)
        self.tiers = [tiers[payable] for payable in self.payables]
        self.cursors = [0] * len(self.tiers)
        self.heads = [members[0] for members in self.tiers]

    def advance(self, t: int, served: bytearray) -> None:
        """Move tier *t*'s head to its best candidate not served yet."""
        members = self.tiers[t]
        k = self.cursors[t]
        while k < len(members) and served[members[k]]:
            k += 1
        self.cursors[t] = k
        self.heads[t] = members[k] if k < len(members) else NONE_LEFT

    def refresh(self, served: bytearray) -> None:
        """Move every head past candidates served since (by other pools)."""
        for t, head in enumerate(self.heads):
            if head != NONE_LEFT and served[head]:
                self.advance(t, served)


def _label(pledge: Pledge) -> str:
    where = f"tỉnh {pledge.province}" if pledge.province else "toàn quốc"
    earmark = pledge.earmark
    if earmark is None:
        return where
    return f"{where}, dành cho {earmark.label or f'{earmark.kind.value}: {earmark.target}'}"


class Pools:
    """The pools of one allocation, made when a pledge first needs them and shared by equal pledges."""

    def __init__(self, prices: Prices, affiliations: Affiliations) -> None:
        self.prices = prices
        self.affiliations = affiliations
        self._members: dict[tuple[ProductKind, str | None, Earmark | None], Sequence[int]] = {}
        self._targets: dict[ProductKind, dict[str, list[int]]] = {}
        self._units: dict[tuple[ProductKind, int, str | None, Earmark | None], UnitPool] = {}
        self._money: dict[tuple[ProductKind, int, str | None, Earmark | None], MoneyPool] = {}

    def members(self, table: Ranked, province: str | None, earmark: Earmark | None) -> Sequence[int]:
        """The positions in *table* of the candidates a pledge for *province* and *earmark* may pay for, best first."""
        key = (table.kind, province, earmark)
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = self._find(table, province, earmark)
        return found

    def _find(self, table: Ranked, province: str | None, earmark: Earmark | None) -> Sequence[int]:
        if earmark is None:
            return range(len(table)) if province is None else table.in_province(province)
        if earmark.kind is EarmarkKind.CATEGORY:
            return merged(self._of_category(table, province, earmark.target).values())
        targets = self._targets.get(table.kind)
        if targets is None:
            targets = self._targets[table.kind] = self.affiliations.index(table)
        named = targets.get(earmark.target, [])
        if province is None:
            return named
        provinces = table.provinces
        return [pos for pos in named if provinces[pos] == province]

    @staticmethod
    def _of_category(table: Ranked, province: str | None, category: str) -> dict[PriceClass, list[int]]:
        """The price classes of *table* in *province* whose candidates have *category*, with their positions."""
        return {c: positions for c, positions in table.by_class(province).items() if category in c.categories}

    def units(self, table: Ranked, pledge: Pledge) -> UnitPool:
        """The pool the units of *pledge* are given from."""
        key = (table.kind, months_of(table.kind, pledge), pledge.province, pledge.earmark)
        pool = self._units.get(key)
        if pool is None:
            pool = self._units[key] = UnitPool(
                _label(pledge), self.members(table, pledge.province, pledge.earmark)
            )
        return pool

    def money(self, table: Ranked, pledge: Pledge) -> MoneyPool:
        """The pool the money of *pledge* buys gifts from, in price tiers."""
        months = months_of(table.kind, pledge)
        key = (table.kind, months, pledge.province, pledge.earmark)
        pool = self._money.get(key)
        if pool is None:
            pool = self._money[key] = MoneyPool(_label(pledge), self._tiers(table, pledge, months))
        return pool

    def _tiers(self, table: Ranked, pledge: Pledge, months: int) -> dict[int, list[int]]:
        """Payable -> the pledge's candidates whose gift costs that, best first (unpriceable ones left out)."""
        quotes = self.prices.of(months)
        earmark = pledge.earmark
        if earmark is None or earmark.kind is EarmarkKind.CATEGORY:
            # whole price classes: join the position lists of the classes of each price
            classes = (
                table.by_class(pledge.province)
                if earmark is None
                else self._of_category(table, pledge.province, earmark.target)
            )
            runs: dict[int, list[list[int]]] = {}
            for price_class, positions in classes.items():
                quote = quotes[price_class]
                if quote is not None:
                    runs.setdefault(quote.payable, []).append(positions)
            return {payable: merged(lists) for payable, lists in runs.items()}
        tiers: dict[int, list[int]] = {}
        of_class = table.classes
        for pos in self.members(table, pledge.province, earmark):
            quote = quotes[of_class[pos]]
            if quote is not None:
                tiers.setdefault(quote.payable, []).append(pos)
        return tiers
