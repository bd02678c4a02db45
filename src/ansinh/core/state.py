"""What a ledger's events built: pledge balances, gifts, and the dates each fact took effect.

A :class:`LedgerState` is a frozen snapshot (:attr:`ansinh.core.ledger.Ledger.state`).
Besides the current balances it keeps when each fact happened — each pledge's
versions, receipts and withdrawal, each gift's status changes
(:class:`GiftStep`) — so :meth:`LedgerState.as_of` can give the state the
events dated on or before a day built, without the events or the law.  Every
name here is also in :mod:`ansinh.core.ledger`.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign
>>> c = Campaign(code="C", name="C", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
>>> LedgerState(campaign=c, pledges=(), gifts=(), event_count=0).as_of(dt.date(2026, 1, 1)).event_count
0
"""

from __future__ import annotations

import datetime as dt

import attrs

from ansinh.core.campaign import Campaign, Funding, Gift, GiftStatus, Pledge, Sponsor
from ansinh.core.dates import check_date
from ansinh.core.products import ProductKind
from ansinh.core.validators import instance_of, non_negative_int, tuple_of
from ansinh.exceptions import InvalidValueError

__all__ = ["GiftStep", "LedgerState", "PledgeBalance"]


@attrs.frozen(kw_only=True)
class PledgeBalance:
    """A pledge and what it has received, committed and paid so far."""

    pledge: Pledge
    """The pledge as it stands (its latest amendment)."""
    sponsor: Sponsor
    registered_on: dt.date
    withdrawn: bool = False
    received: int = 0
    """Money received, đồng."""
    committed: int = 0
    """Money committed to active gifts the pledge's money pays."""
    spent: int = 0
    """Money paid out for gifts (paid or delivered, not refunded)."""
    units_used: tuple[tuple[ProductKind, int], ...] = ()
    """Units committed to active gifts, by kind."""
    withdrawn_on: dt.date | None = None
    """The date of the withdrawal, if any."""
    receipts: tuple[tuple[dt.date, int], ...] = ()
    """Each sum received, with its date, in ledger order."""
    versions: tuple[tuple[dt.date, Pledge], ...] = ()
    """The pledge as registered and as each amendment left it, with their dates
    (empty when it was never amended)."""

    @property
    def money_left(self) -> int:
        """Pledged money not yet committed."""
        return self.pledge.money - self.committed

    @property
    def cash_left(self) -> int:
        """Money received and not yet paid out: the leftover, never lost."""
        return self.received - self.spent

    def units_committed(self, kind: ProductKind) -> int:
        """Units of *kind* committed to active gifts."""
        return sum(n for k, n in self.units_used if k is kind)

    def units_left(self, kind: ProductKind) -> int:
        """Units of *kind* not yet committed."""
        return self.pledge.units_of(kind) - self.units_committed(kind)


@attrs.frozen
class GiftStep:
    """A gift took a status on a date (its allocation is its first step)."""

    gift_id: str
    on: dt.date
    status: GiftStatus


@attrs.frozen(kw_only=True)
class LedgerState:
    """The state the events built: every pledge's balance and every gift's latest status.

    Two states are equal when the same events built them (:func:`~ansinh.core.ledger.replay`).
    """

    campaign: Campaign = attrs.field(validator=instance_of(Campaign))
    pledges: tuple[PledgeBalance, ...] = attrs.field(validator=tuple_of(PledgeBalance))
    """By pledge id."""
    gifts: tuple[Gift, ...] = attrs.field(validator=tuple_of(Gift))
    """By gift id, each with its latest status."""
    event_count: int = attrs.field(validator=non_negative_int)
    gift_steps: tuple[GiftStep, ...] = attrs.field(default=(), validator=tuple_of(GiftStep))
    """Every status each gift took, with its date, in ledger order."""
    _pledge_index: dict[str, PledgeBalance] = attrs.field(init=False, eq=False, repr=False)
    _gift_index: dict[str, Gift] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_pledge_index", {b.pledge.id: b for b in self.pledges})
        object.__setattr__(self, "_gift_index", {g.id: g for g in self.gifts})

    def pledge(self, pledge_id: str) -> PledgeBalance:
        """The balance of one pledge.

        Raises:
            InvalidValueError: no pledge has that id.
        """
        try:
            return self._pledge_index[pledge_id]
        except KeyError:
            raise InvalidValueError("pledge_id", pledge_id, "the id of a registered pledge") from None

    def gift(self, gift_id: str) -> Gift:
        """One gift, with its latest status.

        Raises:
            InvalidValueError: no gift has that id.
        """
        try:
            return self._gift_index[gift_id]
        except KeyError:
            raise InvalidValueError("gift_id", gift_id, "the id of an allocated gift") from None

    def has_gift(self, gift_id: str) -> bool:
        """Whether a gift with this id was ever allocated."""
        return gift_id in self._gift_index

    @property
    def sponsors(self) -> tuple[Sponsor, ...]:
        """Every sponsor, by id."""
        seen = {b.sponsor.id: b.sponsor for b in self.pledges}
        return tuple(seen[k] for k in sorted(seen))

    @property
    def active_gifts(self) -> tuple[Gift, ...]:
        """Gifts allocated, paid or delivered."""
        return tuple(g for g in self.gifts if g.status.is_active)

    def _steps(self) -> tuple[GiftStep, ...]:
        # a state read from an older document has no steps: each gift took its status on its purchase date
        if self.gift_steps or not self.gifts:
            return self.gift_steps
        return tuple(GiftStep(g.id, g.purchased_on, g.status) for g in self.gifts)

    def changed_on(self) -> dict[str, dt.date]:
        """The date of each gift's latest status change, by gift id."""
        return {s.gift_id: s.on for s in self._steps()}

    @property
    def last_date(self) -> dt.date | None:
        """The date of the latest fact in the state (``None`` when it is empty)."""
        days = [b.registered_on for b in self.pledges]
        for b in self.pledges:
            days += [d for d, _ in b.receipts] + [d for d, _ in b.versions]
            if b.withdrawn_on is not None:
                days.append(b.withdrawn_on)
        days += [s.on for s in self._steps()]
        return max(days, default=None)

    def as_of(self, on: dt.date) -> LedgerState:
        """The state the events dated on or before *on* built, in the order they were appended.

        It equals the state of a ledger that was given only those events
        (when that ledger accepts them: a payment dated before the money it
        uses arrived makes no sense on the earlier day).  Pledges registered
        later are left out; a pledge is as its last amendment on or before
        *on* left it; gifts are allocated on their purchase date and have the
        last status they took on or before *on*.

        Raises:
            InvalidValueError: *on* is not a date.
        """
        check_date("on", on)
        last = self.last_date
        if last is None or last <= on:
            return self
        status: dict[str, GiftStatus] = {}
        count = 0
        for step in self._steps():
            if step.on <= on:
                status[step.gift_id] = step.status
                count += 1
        gifts = tuple(attrs.evolve(g, status=status[g.id]) for g in self.gifts if g.id in status)
        by_pledge: dict[str, list[Gift]] = {}
        for g in gifts:
            by_pledge.setdefault(g.pledge_id, []).append(g)
        pledges = []
        for b in self.pledges:
            if b.registered_on <= on:
                balance, facts = _balance_as_of(b, on, by_pledge.get(b.pledge.id, ()))
                pledges.append(balance)
                count += facts
        return LedgerState(
            campaign=self.campaign,
            pledges=tuple(pledges),
            gifts=gifts,
            event_count=count,
            gift_steps=tuple(s for s in self._steps() if s.on <= on),
        )


def _balance_as_of(b: PledgeBalance, on: dt.date, gifts: list[Gift] | tuple[()]) -> tuple[PledgeBalance, int]:
    """One pledge's balance as of *on*, given its gifts as of *on*; and how many of its facts count."""
    versions = [(d, p) for d, p in b.versions if d <= on]
    receipts = b.receipts if b.receipts or not b.received else ((b.registered_on, b.received),)
    receipts = tuple((d, a) for d, a in receipts if d <= on)
    withdrawn = b.withdrawn_on is not None and b.withdrawn_on <= on
    committed = spent = 0
    units: dict[ProductKind, int] = {}
    for g in gifts:
        if g.status.is_active and g.funding is Funding.UNITS:
            units[g.kind] = units.get(g.kind, 0) + 1
        elif g.status.is_active:
            committed += g.amount
        if g.status in (GiftStatus.PAID, GiftStatus.DELIVERED):
            spent += g.amount
    balance = PledgeBalance(
        pledge=versions[-1][1] if versions else b.pledge,
        sponsor=b.sponsor,
        registered_on=b.registered_on,
        withdrawn=withdrawn,
        received=sum(a for _, a in receipts),
        committed=committed,
        spent=spent,
        units_used=tuple((k, units[k]) for k in sorted(units) if units[k]),
        withdrawn_on=b.withdrawn_on if withdrawn else None,
        receipts=receipts,
        versions=tuple(versions) if len(versions) > 1 else (),
    )
    return balance, 1 + max(len(versions) - 1, 0) + len(receipts) + withdrawn
