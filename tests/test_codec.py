"""The row codec's fast paths write exactly what the plain path writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import Beneficiary, Gift
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
from ansinh.io.store._codec import (
    QUOTE_AMOUNTS,
    Memo,
    _plain_body,
    _scalar_members,
    converter,
    decode,
    dumps,
    encode,
)
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


@st.composite
def _beneficiaries(draw: st.DrawFn) -> Beneficiary:
    """Beneficiaries with any text where the ledger takes any (quotes, controls, accents) and any optional field."""
    province = draw(ast.provinces())
    _, _, former = draw(ast.addresses(province=province))
    return Beneficiary(
        person_id=draw(_TEXT),
        province=province,
        categories=draw(st.frozensets(ast.categories())),
        vsi_supported_months=draw(st.integers(0, 10**6)),
        affiliations=draw(st.frozensets(_TEXT, max_size=3)),
        commune=draw(st.text()),
        district=draw(st.text()),
        former_province=former,
        left_poverty_on=draw(st.none() | dates()),
        date_of_birth=draw(st.none() | dates()),
    )


@st.composite
def _gifts(draw: st.DrawFn) -> Gift:
    gift = draw(ast.gifts(beneficiary=_beneficiaries()))
    return attrs.evolve(gift, id=draw(_TEXT), pledge_id=draw(_TEXT), reason=draw(st.text()))


def _default(field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


def _gift_body(gift: Gift) -> str:
    """A gift's row body the plain way: ``dumps`` of the converter's unstructured gift, less the gift's and
    its beneficiary's fields at their defaults, with only its quote's amounts."""
    data = converter().unstructure(gift)
    for value, unstructured in ((gift, data), (gift.beneficiary, data["beneficiary"])):
        for field in attrs.fields(type(value)):
            default = _default(field)
            if default is not attrs.NOTHING and getattr(value, field.name) == default:
                del unstructured[field.name]
    data["quote"] = {name: getattr(gift.quote, name) for name in QUOTE_AMOUNTS}
    return dumps({"gift": data})


@settings(max_examples=200, deadline=None)
@given(gifts=st.lists(_gifts(), min_size=1, max_size=5))
def test_a_gift_row_is_the_plain_dumps_of_the_unstructured_gift(gifts: list[Gift]) -> None:
    """Any beneficiary (odd text, every optional field given or not) and any gift text: the plain body, byte
    for byte, whether its values' texts are made or found in the batch's memo."""
    memo: Memo = {}
    for gift in [*gifts, *reversed(gifts)]:
        event = GiftAllocated(event_id="alloc:" + gift.id, on=dt.date(2026, 1, 5), gift=gift)
        assert encode(event, memo)[3] == _gift_body(gift)
        assert encode(event)[3] == _gift_body(gift)
