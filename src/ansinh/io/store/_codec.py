"""Compact rows: an event as the store keeps it, without what the row or the law already says.

A row holds the campaign code, the event id, its type and date in their own
columns, and a JSON body with the rest.  A gift's quote is not stored: only
its four amounts are, and on reading the quote is priced again from the law
and checked against them, so a store read under another law is refused
rather than silently repriced.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import attrs
import cattrs
from cattrs.fns import identity

from ansinh.core.campaign import Beneficiary, Gift
from ansinh.core.events import EVENT_TYPES, Event, GiftAllocated
from ansinh.core.law import Law
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.exceptions import AnsinhError, LedgerError

__all__ = [
    "QUOTE_AMOUNTS",
    "Memo",
    "Row",
    "body_digest",
    "converter",
    "decode",
    "digest",
    "dumps",
    "encode",
    "gift_fields",
]

QUOTE_AMOUNTS: Final = ("gross", "state_support", "local_support", "payable")
"""The amounts of a gift's quote a row keeps (the rest is re-derived from the law)."""

_BY_TYPE: Final = {cl.type: cl for cl in EVENT_TYPES}

Row = tuple[str, str, str, str]
"""``(event_id, type, on, body)``."""


@functools.cache
def converter() -> cattrs.Converter:
    """ansinh's converter (:func:`ansinh.serialization.make_converter`), made once."""
    from ansinh.serialization import make_converter

    return make_converter()


@functools.cache
def gift_fields() -> tuple[attrs.Attribute[Any], ...]:
    """Every field of a gift but its quote, with resolved types."""
    return tuple(f for f in attrs.fields(attrs.resolve_types(Gift)) if f.name != "quote")


@functools.cache
def _beneficiary_fields() -> tuple[attrs.Attribute[Any], ...]:
    return tuple(attrs.fields(attrs.resolve_types(Beneficiary)))


_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def dumps(data: Any) -> str:
    """Compact JSON with sorted keys: the same data always gives the same text."""
    return _ENCODER.encode(data)


def digest(body: str) -> bytes:
    """The 8-byte BLAKE2b digest a row keeps beside its body (catches a damaged or hand-edited row)."""
    return body_digest(body.encode("utf-8"))


_BODY_HASH: Final = hashlib.blake2b(digest_size=8)
"""BLAKE2b of 8 bytes fed nothing: each digest starts from a copy (cheaper than making one), never from it."""


def body_digest(data: bytes) -> bytes:
    """:func:`digest` of a body already encoded in UTF-8."""
    h = _BODY_HASH.copy()
    h.update(data)
    return h.digest()


_Plan = tuple[tuple[str, str, Any, Callable[[Any], Any] | None], ...]

Memo = dict[tuple[Any, ...], Any]
"""What one batch already converted, keyed by the exact values (:func:`encode`, :func:`decode`).

``{(field, type, value): converted}``; :func:`encode` also keeps a value's
JSON text, under ``(field, type, value, "json")``.
"""


def _plan(fields: tuple[attrs.Attribute[Any], ...]) -> _Plan:
    """``(name, key, default, unstructure)`` for each field: its JSON key, its default made once, the converter's hook.

    The key is the field's name as :func:`dumps` writes it, with its ``:``.
    The hook is ``None`` where the converter keeps the value as it is (text, numbers).
    """
    conv = converter()
    out = []
    for f in fields:
        default: Any = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        hook = conv.get_unstructure_hook(f.type)
        out.append((f.name, dumps(f.name) + ":", default, None if hook is identity else hook))
    return tuple(out)


def _value_text(name: str, unstructure: Callable[[Any], Any] | None, value: Any, memo: Memo) -> str:
    """What :func:`dumps` gives a field's value, unstructured; a value the batch met before is not converted again.

    Text the converter keeps as it is is written straight away: its text costs
    no more than a look-up, and most of it (ids, names) is met once.
    """
    if unstructure is None and type(value) is str:
        return dumps(value)
    key = (name, type(value), value, "json")
    try:
        text: str | None = memo.get(key)
    except TypeError:  # a value that cannot be a key: converted each time
        return dumps(value if unstructure is None else unstructure(value))
    if text is None:
        text = memo[key] = dumps(value if unstructure is None else unstructure(value))
    return text


_Writer = Callable[[Any, Memo], str]
_TextPlan = tuple[tuple[str, str, Any, _Writer], ...]


def _text_plan(plan: _Plan, *more: tuple[str, _Writer]) -> _TextPlan:
    """``(name, key, default, write)`` for each field of *plan* and each ``(name, write)`` of *more*, by name.

    ``write(value, memo)`` is the value's :func:`dumps` text; *more* are
    members with no default, written by a writer of their own.
    """
    out: list[tuple[str, str, Any, _Writer]] = [
        (name, key, default, functools.partial(_value_text, name, hook)) for name, key, default, hook in plan
    ]
    out += [(name, dumps(name) + ":", attrs.NOTHING, write) for name, write in more]
    return tuple(sorted(out, key=lambda member: member[0]))


def _fields_text(obj: Any, plan: _TextPlan, memo: Memo) -> str:
    """What :func:`dumps` gives the fields of *obj* that differ from their defaults (``dumps`` sorts by name, as *plan* is)."""
    parts = []
    nothing = attrs.NOTHING
    for name, key, default, write in plan:
        value = getattr(obj, name)
        if default is nothing or value != default:
            parts.append(key + write(value, memo))
    return "{" + ",".join(parts) + "}"


def _beneficiary_text(beneficiary: Beneficiary, memo: Memo) -> str:
    return _fields_text(beneficiary, _beneficiary_plan(), memo)


_AMOUNTS: Final = operator.attrgetter(*QUOTE_AMOUNTS)


def _quote_amounts(amounts: tuple[int, ...]) -> dict[str, int]:
    return dict(zip(QUOTE_AMOUNTS, amounts, strict=True))


def _quote_text(quote: Quote, memo: Memo) -> str:
    return _value_text("quote", _quote_amounts, _AMOUNTS(quote), memo)


@functools.cache
def _beneficiary_plan() -> _TextPlan:
    return _text_plan(_plan(_beneficiary_fields()))


@functools.cache
def _gift_plan() -> _TextPlan:
    """The gift's fields but its beneficiary, then its beneficiary's fields and its quote's amounts, by name."""
    fields = _plan(tuple(f for f in gift_fields() if f.name != "beneficiary"))
    return _text_plan(fields, ("beneficiary", _beneficiary_text), ("quote", _quote_text))


def _gift_text(gift: Gift, memo: Memo) -> str:
    """What :func:`dumps` gives a gift as a row keeps it: its fields but those at their defaults, its quote's amounts."""
    return _fields_text(gift, _gift_plan(), memo)


_COLUMNS: Final = ("event_id", "on", "type")
"""What a row keeps in columns of its own, not in its body."""


def _plain_body(event: Event) -> str:
    """An event's body: what the converter unstructures it to, less the row's columns, as :func:`dumps` writes it."""
    data = converter().get_unstructure_hook(type(event))(event)
    for column in _COLUMNS:
        data.pop(column, None)
    return dumps(data)


@functools.cache
def _scalar_members(kind: str) -> tuple[tuple[str, str], ...] | None:
    """``(name, key)`` of the body fields of events of type *kind*, by name, if the converter keeps each as it is; else ``None``.

    Such a body (a gift paid, delivered, cancelled or refunded; money
    received; a pledge withdrawn) is every one of those fields, defaults too
    (the converter omits none of an event's fields), each value its own
    :func:`dumps` text (text and numbers: no conversion to memoise).
    """
    cl = _BY_TYPE[kind]
    plan = _plan(tuple(f for f in attrs.fields(attrs.resolve_types(cl)) if f.name not in _COLUMNS))
    if any(unstructure is not None for *_, unstructure in plan):
        return None
    return tuple(sorted((name, key) for name, key, *_ in plan))


def encode(event: Event, memo: Memo | None = None) -> Row:
    """One event as a compact row.

    Args:
        event: the event.
        memo: a dict the caller keeps for one batch (start it empty): a field
            value met again (a product, a set of categories, a date) is not
            converted again.  The row is the same with or without it.
    """
    if isinstance(event, GiftAllocated):
        body = '{"gift":' + _gift_text(event.gift, {} if memo is None else memo) + "}"
    elif type(event) is _BY_TYPE.get(event.type) and (members := _scalar_members(event.type)) is not None:
        body = "{" + ",".join([key + dumps(getattr(event, name)) for name, key in members]) + "}"
    else:
        body = _plain_body(event)
    return event.event_id, event.type, event.on.isoformat(), body


@functools.cache
def _gift_hooks() -> tuple[tuple[str, Any, Callable[[Any, Any], Any]], ...]:
    """``(name, type, structure)`` for each field of a gift but its quote (the converter's hook for its type)."""
    conv = converter()
    return tuple((f.name, f.type, conv.get_structure_hook(f.type)) for f in gift_fields())


_SHARED: Final = frozenset({"product"})
"""The gift fields many gifts share the same value of (a batch's memo structures each once)."""


def _frozen(value: Any) -> Any:
    """A JSON value as a dict key: each leaf with its type (``1``, ``1.0`` and ``true`` stay apart)."""
    if isinstance(value, dict):
        return (dict, tuple((key, _frozen(item)) for key, item in sorted(value.items())))
    if isinstance(value, list):
        return (list, tuple(_frozen(item) for item in value))
    return (type(value), value)


def _gift(
    body: Mapping[str, Any],
    on: dt.date,
    law: Law,
    local_supports: Sequence[LocalSupport],
    commune_lists: Sequence[CommuneList],
    memo: Memo,
) -> Gift:
    fields = {}
    for name, tp, structure in _gift_hooks():
        if name not in body:
            continue
        if name not in _SHARED:
            fields[name] = structure(body[name], tp)
            continue
        key = (name, tp, _frozen(body[name]))
        found = memo.get(key)
        fields[name] = memo[key] = structure(body[name], tp) if found is None else found
    quote: Quote = price(
        fields["product"],
        fields["beneficiary"],
        on=on,
        law=law,
        local_supports=local_supports,
        commune_lists=commune_lists,
    )
    stored = body["quote"]
    for name in QUOTE_AMOUNTS:
        if stored[name] != getattr(quote, name):
            raise LedgerError(
                f"the stored {name} {stored[name]} is not the law's price on {on} ({getattr(quote, name)}); "
                f"open the store with the law it was written under"
            )
    return Gift(quote=quote, **fields)


def decode(
    row: Row,
    *,
    law: Law,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
    memo: Memo | None = None,
) -> Event:
    """The event a compact row holds; a gift's quote is priced again and checked.

    *memo*: a dict the caller keeps for one batch of rows (start it empty):
    a value many gifts share (their product) is structured once.  The event
    is the same with or without it.

    Raises:
        LedgerError: the row cannot be read, or a gift's stored amounts are not the law's price.
    """
    event_id, kind, on_text, body = row
    try:
        cl = _BY_TYPE[kind]
        on = dt.date.fromisoformat(on_text)
        data = json.loads(body)
        if cl is GiftAllocated:
            return GiftAllocated(
                event_id=event_id,
                on=on,
                gift=_gift(
                    data["gift"], on, law, local_supports, commune_lists, {} if memo is None else memo
                ),
            )
        event: Event = converter().structure({**data, "event_id": event_id, "on": on_text, "type": kind}, cl)
        return event
    except LedgerError:
        raise
    except (AnsinhError, cattrs.BaseValidationError, KeyError, TypeError, ValueError) as exc:
        raise LedgerError(f"the row cannot be read ({type(exc).__name__}: {exc})") from None
