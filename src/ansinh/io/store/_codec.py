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

__all__ = ["QUOTE_AMOUNTS", "Memo", "Row", "converter", "decode", "digest", "dumps", "encode", "gift_fields"]

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
    return hashlib.blake2b(body.encode("utf-8"), digest_size=8).digest()


_Plan = tuple[tuple[str, Any, Callable[[Any], Any] | None], ...]

Memo = dict[tuple[Any, ...], Any]
"""Field values one batch already converted: ``{(field, type, value): converted}`` (:func:`encode`, :func:`decode`)."""


def _plan(fields: tuple[attrs.Attribute[Any], ...]) -> _Plan:
    """``(name, default, unstructure)`` for each field: its default made once, the converter's hook for its type.

    The hook is ``None`` where the converter keeps the value as it is (text, numbers).
    """
    conv = converter()
    out = []
    for f in fields:
        default: Any = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        hook = conv.get_unstructure_hook(f.type)
        out.append((f.name, default, None if hook is identity else hook))
    return tuple(out)


def _without_defaults(obj: Any, plan: _Plan, memo: Memo) -> dict[str, Any]:
    """The fields of an attrs value that differ from their defaults, unstructured (the others are implied)."""
    out = {}
    for name, default, unstructure in plan:
        value = getattr(obj, name)
        if default is attrs.NOTHING or value != default:
            if unstructure is None:
                out[name] = value
                continue
            key = (name, type(value), value)
            try:
                out[name] = memo[key]
            except KeyError:
                out[name] = memo[key] = unstructure(value)
            except TypeError:  # a value that cannot be a key: unstructured each time
                out[name] = unstructure(value)
    return out


@functools.cache
def _gift_plan() -> _Plan:
    return _plan(tuple(f for f in gift_fields() if f.name != "beneficiary"))


@functools.cache
def _beneficiary_plan() -> _Plan:
    return _plan(_beneficiary_fields())


def _gift_body(gift: Gift, memo: Memo) -> dict[str, Any]:
    body = _without_defaults(gift, _gift_plan(), memo)
    body["beneficiary"] = _without_defaults(gift.beneficiary, _beneficiary_plan(), memo)
    body["quote"] = {name: getattr(gift.quote, name) for name in QUOTE_AMOUNTS}
    return body


def encode(event: Event, memo: Memo | None = None) -> Row:
    """One event as a compact row.

    Args:
        event: the event.
        memo: a dict the caller keeps for one batch (start it empty): a field
            value met again (a product, a set of categories, a date) is not
            unstructured again.  The row is the same with or without it.
    """
    if isinstance(event, GiftAllocated):
        data: dict[str, Any] = {"gift": _gift_body(event.gift, {} if memo is None else memo)}
    else:
        data = converter().get_unstructure_hook(type(event))(event)
        for column in ("event_id", "on", "type"):
            data.pop(column, None)
    return event.event_id, event.type, event.on.isoformat(), dumps(data)


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
