"""The facts of gifts a report's breakdowns read: one column per fact, read once per gift.

:class:`GiftFacts` is private to :mod:`ansinh.core.reporting`: it counts the
gifts of a report by a key (a province, a sponsor's kind, a year …), by kind
and amount, and knows which gifts go to a person counted already, so a
breakdown's rows follow from counts rather than from the gifts one by one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from itertools import compress
from typing import TypeAlias

from ansinh.core.campaign import Gift
from ansinh.core.products import ProductKind

__all__ = ["Counted", "GiftClass", "GiftFacts"]

Counted: TypeAlias = Counter[tuple[str, ProductKind, int]]
"""Gifts counted by (key, kind, amount)."""

GiftClass: TypeAlias = tuple[str, dt.date, ProductKind, int]
"""What most breakdowns read of a gift: its pledge, purchase date, kind and amount."""


class GiftFacts:
    """The facts of some gifts every breakdown reads, one column each, read once per gift.

    Row *i* of each column is about ``gifts[i]``.
    """

    __slots__ = ("amounts", "days", "gifts", "kinds", "persons", "pledges", "provinces", "repeats")

    def __init__(
        self,
        gifts: list[Gift],
        columns: tuple[list[ProductKind], list[int], list[str], list[str], list[str], list[dt.date]]
        | None = None,
    ) -> None:
        self.gifts = gifts
        if columns is None:
            columns = (
                [g.kind for g in gifts],
                [g.amount for g in gifts],
                [g.person_id for g in gifts],
                [g.province for g in gifts],
                [g.pledge_id for g in gifts],
                [g.purchased_on for g in gifts],
            )
        self.kinds, self.amounts, self.persons, self.provinces, self.pledges, self.days = columns
        gifts_of = Counter(self.persons)
        self.repeats = [i for i, person in enumerate(self.persons) if gifts_of[person] > 1]
        """The rows of the gifts whose person has another gift here."""

    def where(self, keep: list[bool]) -> GiftFacts:
        """The facts of the gifts at the rows *keep* marks."""
        return GiftFacts(
            list(compress(self.gifts, keep)),
            (
                list(compress(self.kinds, keep)),
                list(compress(self.amounts, keep)),
                list(compress(self.persons, keep)),
                list(compress(self.provinces, keep)),
                list(compress(self.pledges, keep)),
                list(compress(self.days, keep)),
            ),
        )

    def repeated(self, key_at: Callable[[int], str]) -> Counter[str]:
        """How many gifts of each key, ``key_at(row)`` being a row's, go to a person already counted under it."""
        repeated: Counter[str] = Counter()
        seen: set[tuple[str, str]] = set()
        for i in self.repeats:
            pair = (key_at(i), self.persons[i])
            if pair in seen:
                repeated[pair[0]] += 1
            else:
                seen.add(pair)
        return repeated

    def by_column(self, keys: list[str]) -> tuple[Counted, Counter[str]]:
        """The gifts counted by (key, kind, amount), *keys* being each gift's key; and the repeated of each key.

        One pass made by :class:`~collections.Counter`.
        """
        return Counter(zip(keys, self.kinds, self.amounts, strict=True)), self.repeated(keys.__getitem__)

    def classes(self) -> Counter[GiftClass]:
        """How many gifts share each (pledge, purchase date, kind, amount): few, as a pledge buys
        a few kinds of gift at a few prices."""
        return Counter(zip(self.pledges, self.days, self.kinds, self.amounts, strict=True))

    def by_class(
        self, classes: Counter[GiftClass], key_of: Callable[[str, dt.date, ProductKind], str]
    ) -> tuple[Counted, Counter[str]]:
        """:meth:`by_column` for a key that is ``key_of(pledge id, purchase date, kind)``: the
        :meth:`classes` are counted by key, not the gifts (only a repeated person's gifts are read one by one)."""
        counted: Counted = Counter()
        for (pledge_id, day, kind, amount), n in classes.items():
            counted[key_of(pledge_id, day, kind), kind, amount] += n
        pledges, days, kinds = self.pledges, self.days, self.kinds
        return counted, self.repeated(lambda i: key_of(pledges[i], days[i], kinds[i]))
