"""The ledger's events: everything that can happen to a pledge and to a gift.

Each event is a frozen value with an ``event_id`` (used once per ledger), the
date it happened (``on``) and its ``type`` (the name a JSON document gives
it).  Whether an event may happen is the ledger's business
(:class:`ansinh.core.ledger.Ledger`); every name here is also in
:mod:`ansinh.core.ledger`.

>>> import datetime as dt
>>> GiftPaid(event_id="pay:G1", on=dt.date(2026, 1, 5), gift_id="G1").type
'gift_paid'
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, TypeAlias

import attrs

from ansinh.core.campaign import Gift, Pledge, Sponsor
from ansinh.core.validators import date as _date
from ansinh.core.validators import instance_of as _instance_of
from ansinh.core.validators import non_empty_text as _text
from ansinh.core.validators import positive_amount as _positive_amount

__all__ = [
    "EVENT_TYPES",
    "Event",
    "GiftAllocated",
    "GiftCancelled",
    "GiftDelivered",
    "GiftPaid",
    "GiftRefunded",
    "MoneyReceived",
    "PledgeAmended",
    "PledgeRegistered",
    "PledgeWithdrawn",
]


@attrs.frozen(kw_only=True)
class PledgeRegistered:
    """A sponsor registers a pledge (đăng ký tài trợ)."""

    type: ClassVar[str] = "pledge_registered"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    sponsor: Sponsor = attrs.field(validator=_instance_of(Sponsor))
    pledge: Pledge = attrs.field(validator=_instance_of(Pledge))


@attrs.frozen(kw_only=True)
class PledgeAmended:
    """A registered pledge changes (more or fewer units or money, other months …)."""

    type: ClassVar[str] = "pledge_amended"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    pledge: Pledge = attrs.field(validator=_instance_of(Pledge))
    note: str = ""


@attrs.frozen(kw_only=True)
class PledgeWithdrawn:
    """A sponsor withdraws a pledge that pays for no active gift."""

    type: ClassVar[str] = "pledge_withdrawn"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    pledge_id: str = attrs.field(validator=_text)
    note: str = ""


@attrs.frozen(kw_only=True)
class MoneyReceived:
    """Money for a pledge arrives (an instalment, or the whole)."""

    type: ClassVar[str] = "money_received"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    pledge_id: str = attrs.field(validator=_text)
    amount: int = attrs.field(validator=_positive_amount)


@attrs.frozen(kw_only=True)
class GiftAllocated:
    """A gift is matched to a person and the pledge that pays it."""

    type: ClassVar[str] = "gift_allocated"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    gift: Gift = attrs.field(validator=_instance_of(Gift))


@attrs.frozen(kw_only=True)
class GiftPaid:
    """The gift is bought: its price is paid from the pledge's money received."""

    type: ClassVar[str] = "gift_paid"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    gift_id: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class GiftDelivered:
    """The gift is handed over (trao tặng)."""

    type: ClassVar[str] = "gift_delivered"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    gift_id: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class GiftCancelled:
    """An allocated, unpaid gift is cancelled; its budget is free again."""

    type: ClassVar[str] = "gift_cancelled"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    gift_id: str = attrs.field(validator=_text)
    note: str = ""


@attrs.frozen(kw_only=True)
class GiftRefunded:
    """A paid, undelivered gift is refunded to its pledge; budget and money are free again."""

    type: ClassVar[str] = "gift_refunded"
    event_id: str = attrs.field(validator=_text)
    on: dt.date = attrs.field(validator=_date)
    gift_id: str = attrs.field(validator=_text)
    note: str = ""


Event: TypeAlias = (
    PledgeRegistered
    | PledgeAmended
    | PledgeWithdrawn
    | MoneyReceived
    | GiftAllocated
    | GiftPaid
    | GiftDelivered
    | GiftCancelled
    | GiftRefunded
)
"""Any ledger event."""

EVENT_TYPES: tuple[type[Event], ...] = (
    PledgeRegistered,
    PledgeAmended,
    PledgeWithdrawn,
    MoneyReceived,
    GiftAllocated,
    GiftPaid,
    GiftDelivered,
    GiftCancelled,
    GiftRefunded,
)
"""Every event class, in the order the module defines them."""
