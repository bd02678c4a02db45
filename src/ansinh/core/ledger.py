"""The campaign ledger: an append-only list of events and the invariants they keep.

A campaign lives in its events — a pledge registered, amended or withdrawn,
money received, a gift allocated, paid, delivered, cancelled or refunded.
:class:`Ledger` checks every event against the state the earlier events built
and refuses (:class:`~ansinh.exceptions.InvariantViolation`) any event that
would break an invariant; a refused event changes nothing.  The invariants:

* no pledge commits more than it holds: units of each kind, and money by the
  gifts' prices; no pledge pays out more money than it has received;
* no person holds two active cards covering the same month, nor two active
  books for the same month, nor two active Tết gifts in one campaign;
* a gift id is allocated once: a delivered (or any) gift cannot be
  re-allocated; only an allocated gift can be paid or cancelled, only a paid
  one delivered or refunded, and a delivered gift is final;
* a gift's quote is the law's price of its product for its person on its
  purchase date (the ledger prices it again and compares), and the purchase
  date lies within the campaign;
* gifts go where the pledge and the campaign allow (province, earmark);
* an event is not dated before what it follows: money, amendments,
  withdrawals and gifts not before their pledge's registration, a gift's
  payment, delivery, cancellation or refund not before its previous step
  (so :meth:`LedgerState.as_of` can cut the state at any date).

The events themselves are defined in :mod:`ansinh.core.events` (and are
also importable from here).

Replaying the same events always gives the same :class:`LedgerState`
(:func:`replay`).  An event id is used once: offering the same event again is
a no-op, offering a *different* event under a used id is refused.

What is due next is a pure function of the state: :func:`payments_due` (pay
every allocated gift whose pledge has received enough money) and
:func:`deliveries_due` (hand over every paid gift); both return the events to
append, with stable ids, and the ledger accepts all of them.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> from ansinh.data import default_law
>>> ledger = Ledger(c, law=default_law())
>>> s = Sponsor(id="S1", name="Công ty A", kind="enterprise")
>>> ledger.append(PledgeRegistered(event_id="e1", on=dt.date(2025, 11, 1), sponsor=s,
...                                pledge=Pledge(id="P1", sponsor_id="S1", money=5_000_000)))
True
>>> ledger.append(MoneyReceived(event_id="e2", on=dt.date(2025, 11, 5), pledge_id="P1",
...                             amount=5_000_000))
True
>>> ledger.state.pledge("P1").received
5000000
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Final

from ansinh.core._books import BatchUndo, Book, Coverage
from ansinh.core.campaign import (
    Campaign,
    Funding,
    Gift,
    GiftStatus,
    Pledge,
    Sponsor,
    earmark_matches,
)
from ansinh.core.dates import check_date
from ansinh.core.events import (
    EVENT_TYPES,
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    MoneyReceived,
    PledgeAmended,
    PledgeRegistered,
    PledgeWithdrawn,
)
from ansinh.core.law import Law
from ansinh.core.places import CommuneList
from ansinh.core.price_classes import GiftPrices
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.core.state import GiftStep, LedgerState, PledgeBalance
from ansinh.core.validators import items
from ansinh.exceptions import AnsinhError, InvalidValueError, InvariantViolation

__all__ = [
    "EVENT_TYPES",
    "Event",
    "GiftAllocated",
    "GiftCancelled",
    "GiftDelivered",
    "GiftPaid",
    "GiftRefunded",
    "GiftStep",
    "Ledger",
    "LedgerState",
    "MoneyReceived",
    "PledgeAmended",
    "PledgeBalance",
    "PledgeRegistered",
    "PledgeWithdrawn",
    "deliveries_due",
    "payments_due",
    "replay",
]


# -- the ledger ---------------------------------------------------------------

_GIFT_STEPS: Final = (GiftPaid, GiftDelivered, GiftCancelled, GiftRefunded)
"""The events that move an allocated gift on (each names its gift by ``gift_id``)."""


def _with_status(gift: Gift, status: GiftStatus) -> Gift:
    """*gift* with *status*: ``attrs.evolve(gift, status=status)``, naming the fields instead of looking them up.

    The new gift is built by :class:`Gift`'s own constructor, so every check
    of a gift runs on it.
    """
    return Gift(
        id=gift.id,
        pledge_id=gift.pledge_id,
        beneficiary=gift.beneficiary,
        product=gift.product,
        quote=gift.quote,
        funding=gift.funding,
        covers_from=gift.covers_from,
        priority=gift.priority,
        reason=gift.reason,
        status=status,
    )


def _refuse(event: Event, problem: str) -> InvariantViolation:
    return InvariantViolation(f"event {event.event_id!r} ({event.type}) refused: {problem}")


class Ledger:
    """The events of one campaign, checked one by one as they are appended.

    Args:
        campaign: the campaign the events belong to.
        law: the law that prices gifts.
        local_supports: provincial top-ups pricing considers.
        events: events to append at once (each is checked).
        commune_lists: dated commune lists pricing considers (the place-dependent
            national rules, :mod:`ansinh.core.places`).

    Raises:
        InvariantViolation: one of *events* breaks an invariant.
    """

    def __init__(
        self,
        campaign: Campaign,
        *,
        law: Law,
        local_supports: Sequence[LocalSupport] = (),
        events: Iterable[Event] = (),
        commune_lists: Sequence[CommuneList] = (),
    ) -> None:
        if not isinstance(campaign, Campaign):
            raise InvalidValueError("campaign", campaign, "an ansinh Campaign")
        if not isinstance(law, Law):
            raise InvalidValueError("law", law, "an ansinh.Law")
        self._campaign = campaign
        self._law = law
        self._local_supports = items("local_supports", local_supports, "a collection of LocalSupport")
        if not all(isinstance(s, LocalSupport) for s in self._local_supports):
            raise InvalidValueError("local_supports", local_supports, "a collection of LocalSupport")
        self._commune_lists = items("commune_lists", commune_lists, "a collection of CommuneList")
        if not all(isinstance(c, CommuneList) for c in self._commune_lists):
            raise InvalidValueError("commune_lists", commune_lists, "a collection of CommuneList")
        self._events: list[Event] = []
        self._by_id: dict[str, Event] = {}
        self._books: dict[str, Book] = {}
        self._sponsors: dict[str, Sponsor] = {}
        self._gifts: dict[str, Gift] = {}
        self._steps: list[GiftStep] = []
        # gift id -> its latest step (status and date); _gifts keeps a gift's status as of the last snapshot
        self._latest: dict[str, GiftStep] = {}
        # (person id, product kind) -> {gift id: covered month range}, active gifts only
        self._coverage: Coverage = {}
        self._state: LedgerState | None = None  # the last snapshot, dropped at every change
        self.extend(events)

    @property
    def campaign(self) -> Campaign:
        """The campaign."""
        return self._campaign

    @property
    def law(self) -> Law:
        """The law that prices gifts."""
        return self._law

    @property
    def local_supports(self) -> tuple[LocalSupport, ...]:
        """Provincial top-ups pricing considers."""
        return self._local_supports

    @property
    def commune_lists(self) -> tuple[CommuneList, ...]:
        """Dated commune lists pricing considers."""
        return self._commune_lists

    @property
    def events(self) -> tuple[Event, ...]:
        """Every accepted event, in order."""
        return tuple(self._events)

    def __len__(self) -> int:
        return len(self._events)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._by_id

    @property
    def state(self) -> LedgerState:
        """A frozen snapshot of the current state (built once per change of the ledger)."""
        if self._state is None:
            self._state = self._snapshot()
        return self._state

    def _snapshot(self) -> LedgerState:
        return LedgerState(
            campaign=self._campaign,
            pledges=tuple(self._books[k].freeze() for k in sorted(self._books)),
            gifts=tuple(self._current(k) for k in sorted(self._gifts)),
            event_count=len(self._events),
            gift_steps=tuple(self._steps),
        )

    def _current(self, gift_id: str) -> Gift:
        """The gift with its latest status (a status change is applied to the gift here, once)."""
        gift, status = self._gifts[gift_id], self._latest[gift_id].status
        if gift.status is not status:
            gift = self._gifts[gift_id] = _with_status(gift, status)
        return gift

    def is_duplicate(self, event: Event) -> bool:
        """Whether *event* was already appended (same id, same content).

        Raises:
            InvariantViolation: the id was used for a different event.
        """
        seen = self._by_id.get(event.event_id)
        if seen is None:
            return False
        if seen != event:
            raise _refuse(event, "this event id was already used for a different event")
        return True

    def check(self, event: Event) -> None:
        """Check *event* against the current state without appending it.

        Raises:
            InvariantViolation: it would break an invariant (a duplicate of an
                appended event passes).
        """
        if self.is_duplicate(event):
            return
        self._check(event, self._prices())

    def append(self, event: Event) -> bool:
        """Check and append *event*.

        Returns:
            ``True`` if appended, ``False`` if the same event was already there.

        Raises:
            InvariantViolation: the event would break an invariant; nothing changed.
            InvalidValueError: *event* is not a ledger event.
        """
        return self._append(event, self._prices())

    def _append(self, event: Event, prices: GiftPrices) -> bool:
        """:meth:`append`, pricing gifts through *prices*."""
        if not isinstance(event, EVENT_TYPES):
            raise InvalidValueError("event", event, "a ledger event (PledgeRegistered, GiftAllocated …)")
        if self.is_duplicate(event):
            return False
        self._check(event, prices)
        self._state = None
        self._apply(event)
        self._events.append(event)
        self._by_id[event.event_id] = event
        return True

    def extend(self, events: Iterable[Event]) -> int:
        """Append events in order; returns how many were new.

        Raises:
            InvariantViolation: an event breaks an invariant; the earlier ones stay appended.
        """
        prices = self._prices()  # gifts priced alike are priced once
        return sum(
            1 for e in items("events", events, "a collection of ledger events") if self._append(e, prices)
        )

    def append_batch(
        self, events: Iterable[Event], *, commit: Callable[[tuple[Event, ...]], None] | None = None
    ) -> tuple[Event, ...]:
        """Check and append a batch of events, all or nothing.

        Each event is checked against the state the earlier ones (of the
        ledger and of the batch) built.  Events already appended are skipped
        (the same id twice in the batch counts once).  If any event is
        refused, or *commit* raises, the ledger is left exactly as it was.

        Args:
            events: the batch, in order.
            commit: called with the new events once every one is accepted,
                before the batch counts as appended (a store writes them here).

        Returns:
            The events that were new, in order.

        Raises:
            InvariantViolation: an event would break an invariant; nothing changed.
        """
        mark, steps = len(self._events), len(self._steps)
        undo = BatchUndo()
        prices = self._prices()  # the batch's gifts priced alike are priced once
        self._state = None
        try:
            for event in events:
                if self.is_duplicate(event):
                    continue
                self._check(event, prices)
                self._keep(event, undo)
                self._apply(event)
                self._events.append(event)
                self._by_id[event.event_id] = event
            new = tuple(self._events[mark:])
            if commit is not None and new:
                commit(new)
        except BaseException:
            undo.restore(self._books, self._sponsors, self._gifts, self._latest, self._coverage)
            for event in self._events[mark:]:
                del self._by_id[event.event_id]
            del self._events[mark:], self._steps[steps:]
            raise
        return new

    def _keep(self, event: Event, undo: BatchUndo) -> None:
        """Save in *undo* what applying *event* changes, as it was before the batch."""
        if isinstance(event, _GIFT_STEPS):
            undo.keep_gift(self._gifts, self._latest, event.gift_id)
            if isinstance(event, GiftDelivered):
                return  # only the gift's status changes
            gift = self._gifts[event.gift_id]
            undo.keep_book(self._books, gift.pledge_id)
            if not isinstance(event, GiftPaid):
                undo.keep_coverage(self._coverage, (gift.person_id, gift.kind))
        elif isinstance(event, GiftAllocated):
            gift = event.gift
            undo.keep_gift(self._gifts, self._latest, gift.id)
            undo.keep_book(self._books, gift.pledge_id)
            undo.keep_coverage(self._coverage, (gift.person_id, gift.kind))
        elif isinstance(event, PledgeRegistered):
            undo.keep_sponsor(self._sponsors, event.sponsor.id)
            undo.keep_book(self._books, event.pledge.id)
        else:
            undo.keep_book(
                self._books, event.pledge.id if isinstance(event, PledgeAmended) else event.pledge_id
            )

    # -- checks ----------------------------------------------------------------

    def _prices(self) -> GiftPrices:
        """A fresh memo of the law's prices, for the checks of one call."""
        return GiftPrices(self._law, self._local_supports, self._commune_lists)

    def _book(self, event: Event, pledge_id: str) -> Book:
        book = self._books.get(pledge_id)
        if book is None:
            raise _refuse(event, f"pledge {pledge_id!r} is not registered")
        if event.on < book.registered_on:
            raise _refuse(
                event,
                f"it is dated {event.on}, before pledge {pledge_id!r} was registered ({book.registered_on})",
            )
        return book

    def _gift(self, event: Event, gift_id: str, *allowed: GiftStatus) -> Gift:
        """The gift *event* moves on (its status as allocated: the latest is checked here)."""
        latest = self._latest.get(gift_id)
        if latest is None:
            raise _refuse(event, f"gift {gift_id!r} was never allocated")
        if latest.status not in allowed:
            raise _refuse(
                event,
                f"gift {gift_id!r} is {latest.status.value}; allowed only when "
                + " or ".join(s.value for s in allowed),
            )
        if event.on < latest.on:
            raise _refuse(
                event,
                f"it is dated {event.on}, before gift {gift_id!r} became {latest.status.value} ({latest.on})",
            )
        return self._gifts[gift_id]

    def _check_scope(self, event: Event, pledge: Pledge) -> None:
        scope = self._campaign.province
        if scope is not None and pledge.province not in (None, scope):
            raise _refuse(
                event, f"pledge province {pledge.province!r} is outside the campaign's province {scope!r}"
            )

    def _check(self, event: Event, prices: GiftPrices) -> None:
        if isinstance(event, PledgeRegistered):
            self._check_registered(event)
        elif isinstance(event, PledgeAmended):
            self._check_amended(event)
        elif isinstance(event, PledgeWithdrawn):
            book = self._book(event, event.pledge_id)
            if book.withdrawn:
                raise _refuse(event, "the pledge is already withdrawn")
            if book.active_gifts:
                raise _refuse(
                    event, f"the pledge still pays {book.active_gifts} active gift(s); cancel them first"
                )
        elif isinstance(event, MoneyReceived):
            book = self._book(event, event.pledge_id)
            if book.withdrawn:
                raise _refuse(event, "the pledge is withdrawn")
        elif isinstance(event, GiftAllocated):
            self._check_allocated(event, prices)
        elif isinstance(event, GiftPaid):
            gift = self._gift(event, event.gift_id, GiftStatus.ALLOCATED)
            book = self._books[gift.pledge_id]
            if book.spent + gift.amount > book.received:
                raise _refuse(
                    event,
                    f"pledge {gift.pledge_id!r} has received {book.received} đồng and paid "
                    f"{book.spent}; it cannot pay {gift.amount} more",
                )
        elif isinstance(event, GiftDelivered):
            self._gift(event, event.gift_id, GiftStatus.PAID)
        elif isinstance(event, GiftCancelled):
            self._gift(event, event.gift_id, GiftStatus.ALLOCATED)
        elif isinstance(event, GiftRefunded):
            self._gift(event, event.gift_id, GiftStatus.PAID)
        else:
            raise InvalidValueError("event", event, "one of the ledger event types")

    def _check_registered(self, event: PledgeRegistered) -> None:
        pledge, sponsor = event.pledge, event.sponsor
        if pledge.id in self._books:
            raise _refuse(event, f"pledge {pledge.id!r} is already registered")
        if pledge.sponsor_id != sponsor.id:
            raise _refuse(event, f"pledge sponsor_id {pledge.sponsor_id!r} is not the sponsor {sponsor.id!r}")
        known = self._sponsors.get(sponsor.id)
        if known is not None and known != sponsor:
            raise _refuse(event, f"sponsor {sponsor.id!r} was registered with other details")
        self._check_scope(event, pledge)

    def _check_amended(self, event: PledgeAmended) -> None:
        new = event.pledge
        book = self._book(event, new.id)
        if book.withdrawn:
            raise _refuse(event, "the pledge is withdrawn")
        if new.sponsor_id != book.pledge.sponsor_id:
            raise _refuse(event, "an amendment cannot change the sponsor")
        self._check_scope(event, new)
        if new.money < book.committed:
            raise _refuse(event, f"money {new.money} is below the {book.committed} đồng already committed")
        for kind, used in book.units_used.items():
            if new.units_of(kind) < used:
                raise _refuse(event, f"{new.units_of(kind)} {kind.value} units is below the {used} committed")
        if book.active_gifts and (new.province, new.earmark) != (book.pledge.province, book.pledge.earmark):
            raise _refuse(event, "province and earmark cannot change while the pledge pays active gifts")
        if book.active_gifts and (new.card_months, new.book_months) != (
            book.pledge.card_months,
            book.pledge.book_months,
        ):
            raise _refuse(event, "card and book months cannot change while the pledge pays active gifts")

    def _check_allocated(self, event: GiftAllocated, prices: GiftPrices) -> None:
        gift = event.gift
        if gift.id in self._latest:
            raise _refuse(
                event, f"gift {gift.id!r} was already allocated ({self._latest[gift.id].status.value})"
            )
        if gift.status is not GiftStatus.ALLOCATED:
            raise _refuse(event, f"a new gift must be {GiftStatus.ALLOCATED.value}, not {gift.status.value}")
        book = self._book(event, gift.pledge_id)
        pledge = book.pledge
        if book.withdrawn:
            raise _refuse(event, f"pledge {pledge.id!r} is withdrawn")
        c = self._campaign
        if event.on != gift.purchased_on:
            raise _refuse(event, f"the event date {event.on} is not the purchase date {gift.purchased_on}")
        if not c.start <= gift.purchased_on <= c.end:
            raise _refuse(
                event, f"purchase date {gift.purchased_on} is outside the campaign ({c.start} to {c.end})"
            )
        if c.province is not None and gift.province != c.province:
            raise _refuse(event, f"province {gift.province!r} is outside the campaign's {c.province!r}")
        if pledge.province is not None and gift.province != pledge.province:
            raise _refuse(event, f"pledge {pledge.id!r} pays only in province {pledge.province!r}")
        if not earmark_matches(pledge.earmark, gift.beneficiary):
            assert pledge.earmark is not None
            raise _refuse(
                event,
                f"pledge {pledge.id!r} is earmarked for {pledge.earmark.kind.value}={pledge.earmark.target!r}",
            )
        self._check_funding(event, gift, book)
        self._check_price(event, gift, prices)
        self._check_coverage(event, gift)

    def _check_funding(self, event: GiftAllocated, gift: Gift, book: Book) -> None:
        """The pledge buys gifts of this period and still holds a unit or the money for this one."""
        pledge = book.pledge
        months = {ProductKind.HEALTH_CARD: pledge.card_months, ProductKind.SOCIAL_BOOK: pledge.book_months}
        expected = months.get(gift.kind)
        if expected is not None and gift.product.months != expected:
            raise _refuse(event, f"pledge {pledge.id!r} buys {expected}-month {gift.kind.value}s")
        if gift.funding is Funding.UNITS:
            used = book.units_used.get(gift.kind, 0)
            if used + 1 > pledge.units_of(gift.kind):
                raise _refuse(
                    event,
                    f"pledge {pledge.id!r} holds {pledge.units_of(gift.kind)} {gift.kind.value} units, "
                    f"all committed",
                )
        elif book.committed + gift.amount > pledge.money:
            raise _refuse(
                event,
                f"pledge {pledge.id!r} holds {pledge.money} đồng with {book.committed} committed; "
                f"it cannot commit {gift.amount} more",
            )

    def _check_coverage(self, event: GiftAllocated, gift: Gift) -> None:
        """The person holds no other active gift of this kind for the same months (nor a second Tết gift)."""
        held = self._coverage.get((gift.person_id, gift.kind), {})
        if gift.kind is ProductKind.TET_GIFT and held:
            raise _refuse(
                event,
                f"person {gift.person_id!r} already holds Tết gift {next(iter(held))!r} in this campaign",
            )
        months_range = gift.months
        for other_id, other in held.items():
            if (
                months_range
                and other
                and max(months_range.start, other.start) < min(months_range.stop, other.stop)
            ):
                raise _refuse(
                    event,
                    f"person {gift.person_id!r} already holds gift {other_id!r}, a {gift.kind.value} "
                    f"covering some of the same months",
                )

    def _check_price(self, event: GiftAllocated, gift: Gift, prices: GiftPrices) -> None:
        """The gift's quote is the law's price (:func:`~ansinh.core.pricing.price`, through *prices*)."""
        try:
            quote = prices.quote(gift)
        except AnsinhError as exc:
            raise _refuse(event, f"the gift cannot be priced on {gift.purchased_on}: {exc}") from None
        if quote is not gift.quote and quote != gift.quote:
            raise _refuse(
                event,
                f"the quote (payable {gift.quote.payable}) is not the law's price on "
                f"{gift.purchased_on} (payable {quote.payable})",
            )

    # -- applying --------------------------------------------------------------

    def _release(self, gift: Gift) -> None:
        book = self._books[gift.pledge_id]
        if gift.funding is Funding.UNITS:
            book.units_used[gift.kind] -= 1
        else:
            book.committed -= gift.amount
        book.active_gifts -= 1
        held = self._coverage.get((gift.person_id, gift.kind))
        if held is not None:
            held.pop(gift.id, None)

    def _apply(self, event: Event) -> None:
        if isinstance(event, PledgeRegistered):
            self._sponsors[event.sponsor.id] = event.sponsor
            self._books[event.pledge.id] = Book(
                event.pledge, event.sponsor, event.on, versions=[(event.on, event.pledge)]
            )
        elif isinstance(event, PledgeAmended):
            book = self._books[event.pledge.id]
            book.pledge = event.pledge
            book.versions.append((event.on, event.pledge))
        elif isinstance(event, PledgeWithdrawn):
            book = self._books[event.pledge_id]
            book.withdrawn, book.withdrawn_on = True, event.on
        elif isinstance(event, MoneyReceived):
            book = self._books[event.pledge_id]
            book.received += event.amount
            book.receipts.append((event.on, event.amount))
        elif isinstance(event, GiftAllocated):
            gift = event.gift
            book = self._books[gift.pledge_id]
            if gift.funding is Funding.UNITS:
                book.units_used[gift.kind] = book.units_used.get(gift.kind, 0) + 1
            else:
                book.committed += gift.amount
            book.active_gifts += 1
            self._gifts[gift.id] = gift
            step = self._latest[gift.id] = GiftStep(gift.id, event.on, gift.status)
            self._steps.append(step)
            self._coverage.setdefault((gift.person_id, gift.kind), {})[gift.id] = gift.months
        else:
            gift = self._gifts[event.gift_id]
            if isinstance(event, GiftPaid):
                self._books[gift.pledge_id].spent += gift.amount
                status = GiftStatus.PAID
            elif isinstance(event, GiftDelivered):
                status = GiftStatus.DELIVERED
            elif isinstance(event, GiftCancelled):
                self._release(gift)
                status = GiftStatus.CANCELLED
            else:
                self._release(gift)
                self._books[gift.pledge_id].spent -= gift.amount
                status = GiftStatus.REFUNDED
            step = self._latest[gift.id] = GiftStep(gift.id, event.on, status)  # the gift follows in _current
            self._steps.append(step)


def replay(
    campaign: Campaign,
    events: Iterable[Event],
    *,
    law: Law,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
) -> LedgerState:
    """The state *events* build for *campaign*, checking every invariant on the way.

    Raises:
        InvariantViolation: an event breaks an invariant.
    """
    return Ledger(
        campaign, law=law, local_supports=local_supports, events=events, commune_lists=commune_lists
    ).state


# -- what is due ------------------------------------------------------------------


def _check_state(state: object) -> LedgerState:
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "an ansinh LedgerState (ledger.state)")
    return state


def payments_due(state: LedgerState, *, on: dt.date) -> tuple[GiftPaid, ...]:
    """The payments due in *state* on *on*: every gift allocated by then whose pledge has received enough money.

    Gifts are paid in gift order (by id) from their pledge's money in hand
    (:attr:`PledgeBalance.cash_left`: received and not yet paid out).  A gift
    the money left cannot cover is skipped, and a later, cheaper gift of the
    same pledge may still be paid.  Each event's id is ``pay:<gift id>``, so
    appending the result twice adds nothing, and asking again once it is
    appended gives ``()``.

    Args:
        state: the ledger's state (:attr:`Ledger.state`).
        on: the payment date.

    Returns:
        The :class:`GiftPaid` events to append, in gift order; the ledger
        accepts every one of them, in this order.

    Raises:
        InvalidValueError: *state* is not a :class:`LedgerState` or *on* is not a date.

    >>> import datetime as dt
    >>> import attrs
    >>> from ansinh.core.campaign import Beneficiary, Campaign, Gift, Pledge, Sponsor
    >>> from ansinh.core.pricing import price
    >>> from ansinh.core.products import TetGift
    >>> from ansinh.data import default_law
    >>> law, day = default_law(), dt.date(2026, 1, 5)
    >>> who, box = Beneficiary(person_id="P-1", province="31"), TetGift(value=500_000)
    >>> ledger = Ledger(
    ...     Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
    ...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)),
    ...     law=law,
    ...     events=[
    ...         PledgeRegistered(event_id="r1", on=day, sponsor=Sponsor(id="S1", name="A", kind="bank"),
    ...                          pledge=Pledge(id="P1", sponsor_id="S1", money=1_000_000)),
    ...         MoneyReceived(event_id="m1", on=day, pledge_id="P1", amount=600_000),
    ...         *(GiftAllocated(event_id=f"a{n}", on=day, gift=Gift(
    ...             id=f"G{n}", pledge_id="P1", beneficiary=attrs.evolve(who, person_id=f"P-{n}"),
    ...             product=box, quote=price(box, who, on=day, law=law), funding="money"))
    ...           for n in (1, 2)),
    ...     ],
    ... )
    >>> paid = payments_due(ledger.state, on=day)
    >>> [(e.event_id, e.gift_id) for e in paid]  # 600 000 đồng received pays one 500 000 gift
    [('pay:G1', 'G1')]
    >>> ledger.extend(paid), payments_due(ledger.state, on=day)
    (1, ())
    """
    _check_state(state)
    check_date("on", on)
    cash = {b.pledge.id: b.cash_left for b in state.pledges}
    since = state.changed_on()
    due: list[GiftPaid] = []
    for gift in state.gifts:
        if (
            gift.status is GiftStatus.ALLOCATED
            and since[gift.id] <= on
            and cash[gift.pledge_id] >= gift.amount
        ):
            cash[gift.pledge_id] -= gift.amount
            due.append(GiftPaid(event_id=f"pay:{gift.id}", on=on, gift_id=gift.id))
    return tuple(due)


def deliveries_due(
    state: LedgerState, *, on: dt.date, paid: Iterable[GiftPaid] = ()
) -> tuple[GiftDelivered, ...]:
    """The hand-overs due on *on*: every gift of *state* paid by then, and every gift *paid* pays by then.

    Args:
        state: the ledger's state (:attr:`Ledger.state`).
        on: the handover date (trao tặng).
        paid: payments not yet appended, typically :func:`payments_due` of the
            same state; the allocated gifts they pay are delivered too.

    Returns:
        The :class:`GiftDelivered` events to append after *paid*, in gift order,
        each with the id ``deliver:<gift id>``; the ledger accepts every one.

    Raises:
        InvalidValueError: *state* is not a :class:`LedgerState`, *on* is not a
            date, or *paid* holds something other than :class:`GiftPaid` events.

    >>> import datetime as dt
    >>> from ansinh.core.campaign import Campaign
    >>> from ansinh.data import default_law
    >>> c = Campaign(code="C", name="C", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    >>> deliveries_due(Ledger(c, law=default_law()).state, on=dt.date(2026, 1, 20))
    ()
    >>> deliveries_due(Ledger(c, law=default_law()).state, on=dt.date(2026, 1, 20), paid=["G1"])
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidValueError: paid='G1' is not allowed: GiftPaid events (from payments_due)
    """
    _check_state(state)
    check_date("on", on)
    since = state.changed_on()
    for event in paid:
        if not isinstance(event, GiftPaid):
            raise InvalidValueError("paid", event, "GiftPaid events (from payments_due)")
        since[event.gift_id] = event.on
    paying = {e.gift_id for e in paid}
    return tuple(
        GiftDelivered(event_id=f"deliver:{g.id}", on=on, gift_id=g.id)
        for g in state.gifts
        if (g.status is GiftStatus.PAID or (g.status is GiftStatus.ALLOCATED and g.id in paying))
        and since[g.id] <= on
    )
