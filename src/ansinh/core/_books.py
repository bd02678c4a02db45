"""The ledger's working state: one mutable book per pledge, and what a batch saves to undo itself.

Private to :mod:`ansinh.core.ledger`: a :class:`Book` is what the ledger
updates as events arrive (frozen into a
:class:`~ansinh.core.state.PledgeBalance` for :attr:`Ledger.state
<ansinh.core.ledger.Ledger.state>`), and a :class:`BatchUndo` keeps, for each
book, gift and coverage entry a batch touches, its value before the batch —
taken once, at the first touch — so a refused batch leaves the ledger exactly
as it was.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import attrs

from ansinh.core.campaign import Gift, Pledge, Sponsor
from ansinh.core.products import ProductKind
from ansinh.core.state import GiftStep, PledgeBalance

K = TypeVar("K")
V = TypeVar("V")

Coverage = dict[tuple[str, ProductKind], dict[str, range]]
"""(person id, product kind) -> {gift id: covered month range}, active gifts only."""


@attrs.define
class Book:
    """One pledge's running balance (the ledger's mutable counterpart of a PledgeBalance)."""

    pledge: Pledge
    sponsor: Sponsor
    registered_on: dt.date
    withdrawn: bool = False
    received: int = 0
    committed: int = 0
    spent: int = 0
    units_used: dict[ProductKind, int] = attrs.field(factory=dict)
    active_gifts: int = 0
    withdrawn_on: dt.date | None = None
    receipts: list[tuple[dt.date, int]] = attrs.field(factory=list)
    versions: list[tuple[dt.date, Pledge]] = attrs.field(factory=list)

    def copy(self) -> Book:
        """An independent copy (its dicts and lists copied too)."""
        return attrs.evolve(
            self, units_used=dict(self.units_used), receipts=list(self.receipts), versions=list(self.versions)
        )

    def freeze(self) -> PledgeBalance:
        """The balance as a frozen value."""
        return PledgeBalance(
            pledge=self.pledge,
            sponsor=self.sponsor,
            registered_on=self.registered_on,
            withdrawn=self.withdrawn,
            received=self.received,
            committed=self.committed,
            spent=self.spent,
            units_used=tuple((k, n) for k, n in sorted(self.units_used.items()) if n),
            withdrawn_on=self.withdrawn_on,
            receipts=tuple(self.receipts),
            versions=tuple(self.versions) if len(self.versions) > 1 else (),
        )


class BatchUndo:
    """The before-image of everything one batch changes (``None``: the entry did not exist).

    Each ``keep_*`` method is called before the change; only the first call
    for an entry saves it, so :meth:`restore` puts back the value from before
    the batch.  Gifts and their latest steps change together and are
    saved together.
    """

    def __init__(self) -> None:
        self.books: dict[str, Book | None] = {}
        self.sponsors: dict[str, Sponsor | None] = {}
        self.gifts: dict[str, tuple[Gift, GiftStep] | None] = {}
        self.coverage: dict[tuple[str, ProductKind], dict[str, range] | None] = {}

    def keep_book(self, books: dict[str, Book], pledge_id: str) -> None:
        """Save the book of *pledge_id* (a copy: books change in place)."""
        if pledge_id not in self.books:
            book = books.get(pledge_id)
            self.books[pledge_id] = None if book is None else book.copy()

    def keep_sponsor(self, sponsors: dict[str, Sponsor], sponsor_id: str) -> None:
        """Save the sponsor of *sponsor_id*."""
        if sponsor_id not in self.sponsors:
            self.sponsors[sponsor_id] = sponsors.get(sponsor_id)

    def keep_gift(self, gifts: dict[str, Gift], latest: dict[str, GiftStep], gift_id: str) -> None:
        """Save the gift of *gift_id* and its latest step."""
        if gift_id not in self.gifts:
            gift = gifts.get(gift_id)
            self.gifts[gift_id] = None if gift is None else (gift, latest[gift_id])

    def keep_coverage(self, coverage: Coverage, key: tuple[str, ProductKind]) -> None:
        """Save a person's coverage of one kind (a copy: it changes in place)."""
        if key not in self.coverage:
            held = coverage.get(key)
            self.coverage[key] = None if held is None else dict(held)

    def restore(
        self,
        books: dict[str, Book],
        sponsors: dict[str, Sponsor],
        gifts: dict[str, Gift],
        latest: dict[str, GiftStep],
        coverage: Coverage,
    ) -> None:
        """Put every saved entry back as it was before the batch."""
        _put_back(books, self.books)
        _put_back(sponsors, self.sponsors)
        _put_back(coverage, self.coverage)
        for gift_id, saved in self.gifts.items():
            if saved is None:
                gifts.pop(gift_id, None)
                latest.pop(gift_id, None)
            else:
                gifts[gift_id], latest[gift_id] = saved


def _put_back(container: dict[K, V], saved: dict[K, V | None]) -> None:
    for key, value in saved.items():
        if value is None:
            container.pop(key, None)
        else:
            container[key] = value
