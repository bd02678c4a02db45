"""The row codec's fast paths write exactly what the plain path writes."""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.events import (
    EVENT_TYPES,
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    MoneyReceived,
    PledgeWithdrawn,
)
from ansinh.data import default_law
from ansinh.io.store._codec import _plain_body, _scalar_members, decode, encode
from ansinh.strategies import dates

_NOT_GIFTS = tuple(t for t in EVENT_TYPES if t is not GiftAllocated)
_TEXT = st.text(min_size=1).filter(str.strip)  # any id the events accept: quotes, accents, controls


def test_the_small_events_take_the_fast_path() -> None:
    """Status changes, money received and withdrawals are encoded field by field; pledges are not."""
    small = (GiftPaid, GiftDelivered, GiftCancelled, GiftRefunded, MoneyReceived, PledgeWithdrawn)
    assert all(_scalar_members(t.type) is not None for t in small)
    assert all(_scalar_members(t.type) is None for t in _NOT_GIFTS if t not in small)


@settings(max_examples=200, deadline=None)
@given(event=ast.ledger_events(types=_NOT_GIFTS))
def test_an_event_but_a_gift_is_encoded_as_the_converter_unstructures_it(event: Event) -> None:
    """The row's body is the converter's unstructured event less its columns, byte for byte."""
    event_id, kind, on, body = encode(event)
    assert (event_id, kind, on) == (event.event_id, event.type, event.on.isoformat())
    assert body == _plain_body(event)


@settings(max_examples=200, deadline=None)
@given(
    event=st.one_of(
        st.builds(GiftPaid, event_id=_TEXT, on=dates(), gift_id=_TEXT),
        st.builds(GiftDelivered, event_id=_TEXT, on=dates(), gift_id=_TEXT),
        st.builds(GiftCancelled, event_id=_TEXT, on=dates(), gift_id=_TEXT, note=st.text()),
        st.builds(GiftRefunded, event_id=_TEXT, on=dates(), gift_id=_TEXT, note=st.text()),
        st.builds(PledgeWithdrawn, event_id=_TEXT, on=dates(), pledge_id=_TEXT, note=st.text()),
        st.builds(MoneyReceived, event_id=_TEXT, on=dates(), pledge_id=_TEXT, amount=st.integers(1, 10**30)),
    )
)
def test_any_text_of_a_small_event_is_written_as_the_plain_path_writes_it(event: Event) -> None:
    """Any text (quotes, backslashes, accents, control characters) and any amount: the same body."""
    row = encode(event)
    assert row[3] == _plain_body(event)
    assert decode(row, law=default_law()) == event


@attrs.frozen(kw_only=True)
class _PaidWithMore(GiftPaid):
    """A subclass of a small event with a field of its own (not a ledger type: the converter decides its body)."""

    extra: str = "more"


def test_a_subclass_of_a_small_event_is_encoded_by_the_plain_path() -> None:
    event = _PaidWithMore(event_id="pay:G1", on=dt.date(2026, 1, 5), gift_id="G1")
    assert encode(event)[3] == _plain_body(event)
    assert "more" in encode(event)[3]
