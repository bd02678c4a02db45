"""Who recorded an event, when, and the document it rests on: the audit trail's values.

An event says what happened and on which business date (``on``); its
:class:`Audit` says who recorded it (an :class:`Actor`: an id and a role,
as the caller gives them — ansinh authenticates no one), when it was
recorded (``recorded_at``, a timezone-aware moment) and the document it rests
on, where the process has one: the biên bản of a list's review for an
allocation, the receipt or collection reference of money received, the card
number or book serial of a delivered gift.

The audit is kept beside the event, not in it: an event is the same event
whoever records it, so sending a batch again is still a no-op.  A store
keeps both (:meth:`SqliteStore.append_batch <ansinh.io.store.SqliteStore.append_batch>`
takes the actor and the documents; :meth:`SqliteStore.records
<ansinh.io.store.SqliteStore.records>` gives them back as :class:`Recorded`).

>>> import datetime as dt
>>> clerk = Actor(id="hn-017", role="clerk")
>>> a = Audit(actor=clerk, recorded_at=dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc),
...           document="Phiếu thu 0045/PT")
>>> a.actor.role, a.recorded_at.isoformat(), a.document
('clerk', '2026-01-05T09:30:00+00:00', 'Phiếu thu 0045/PT')
>>> Audit(recorded_at=dt.datetime(2026, 1, 5, 9, 30))
Traceback (most recent call last):
...
ansinh.exceptions.InvalidValueError: recorded_at=datetime.datetime(2026, 1, 5, 9, 30) is not allowed: a timezone-aware datetime (e.g. datetime.now(timezone.utc)), or None
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import attrs

from ansinh.core.events import EVENT_TYPES, Event
from ansinh.core.validators import instance_of as _instance_of
from ansinh.core.validators import non_empty_text as _text
from ansinh.exceptions import InvalidValueError

__all__ = ["MAX_DOCUMENT", "Actor", "Audit", "Recorded", "now"]

MAX_DOCUMENT: Final = 200
"""The longest document reference kept (characters)."""


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC): the default ``recorded_at``."""
    return dt.datetime.now(dt.UTC)


def _short_text(limit: int) -> Any:
    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > limit or "\n" in value:
            raise InvalidValueError(attr.name, value, f"one line of text, 1 to {limit} characters")

    return check


def _moment(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidValueError(
            attr.name, value, "a timezone-aware datetime (e.g. datetime.now(timezone.utc)), or None"
        )


def _document(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or len(value) > MAX_DOCUMENT or "\n" in value or "\r" in value:
        raise InvalidValueError(attr.name, value, f"one line of text of at most {MAX_DOCUMENT} characters")


def _event(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, EVENT_TYPES):
        raise InvalidValueError(attr.name, value, "a ledger event (ansinh.core.events)")


@attrs.frozen(kw_only=True)
class Actor:
    """Who records events: an id and a role, as the caller says (ansinh authenticates no one)."""

    id: str = attrs.field(validator=[_text, _short_text(100)])
    """The person's or the system's id (a staff number, a login)."""
    role: str = attrs.field(validator=[_text, _short_text(100)])
    """What they record as (``clerk``, ``accountant``, ``province office``, ``merge`` …)."""


@attrs.frozen(kw_only=True)
class Audit:
    """Who recorded an event, when, and the document it rests on.

    Every field may be empty for an event a store held before the audit
    trail (schema 2): it still reads, with ``actor=None`` and
    ``recorded_at=None``.
    """

    actor: Actor | None = attrs.field(default=None, validator=attrs.validators.optional(_instance_of(Actor)))
    """Who recorded it; ``None`` when the caller named no one."""
    recorded_at: dt.datetime | None = attrs.field(default=None, validator=_moment)
    """When it was recorded (timezone-aware); beside the business date ``event.on``."""
    document: str = attrs.field(default="", validator=_document)
    """The document it rests on (biên bản, receipt, card number or book serial); ``""`` when none."""


@attrs.frozen(kw_only=True)
class Recorded:
    """A stored event, its audit, and its place in the store."""

    event: Event = attrs.field(validator=_event)
    """The event."""
    audit: Audit = attrs.field(validator=_instance_of(Audit))
    """Who recorded it, when, and its document."""
    seq: int = attrs.field(validator=_instance_of(int))
    """Its position in the store (rows are numbered in the order they were written)."""
    chain: str = attrs.field(validator=_instance_of(str))
    """Its chain digest (hex): covers the row and the digest of the campaign's previous row."""
