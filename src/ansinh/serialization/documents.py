"""Versioned documents: the envelope other systems exchange, and reading older versions.

A document wraps one object of a document type (:func:`document_types`)::

    {"schema_version": 2, "type": "quote", "data": {...}}

Each type has its own version (:func:`schema_version`), bumped whenever a
reader of version *n* could misread a document of that type.  Version 2 of
the quote and of every document holding one (gift, ledger event, ledger
state, allocation) names no person in the quote; version 1 documents are
still read (their quotes' ``person_id`` and ``province`` are dropped).

>>> import ansinh
>>> doc = dump_document(ansinh.TetGift(value=500_000))
>>> doc["schema_version"], doc["type"]
(1, 'tet_gift')
>>> load_document(doc, ansinh.TetGift)
TetGift(value=500000)
"""

from __future__ import annotations

import functools
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Final, TypeVar

import cattrs

from ansinh.core.allocation import Allocation
from ansinh.core.campaign import Beneficiary, Campaign, Gift, Pledge, Sponsor
from ansinh.core.eligibility import Decision, Screening
from ansinh.core.law import Law
from ansinh.core.ledger import Event, LedgerState
from ansinh.core.messages import shorten, shown
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport, Quote
from ansinh.core.products import HealthCard, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport
from ansinh.core.validators import Check
from ansinh.exceptions import AnsinhError, InvalidValueError, SerializationError
from ansinh.limits import MAX_DOCUMENT_BYTES
from ansinh.serialization._shapes import is_ansinh_attrs, public_fields, union_args
from ansinh.serialization.converter import make_converter

__all__ = [
    "SCHEMA_VERSION",
    "document_type_name",
    "document_types",
    "dump_document",
    "dumps_document",
    "load_document",
    "loads_document",
    "schema_version",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 2
"""The newest document format version; each type has its own (:func:`schema_version`)."""

_DOCUMENT_TYPES: dict[str, Any] = {
    "law": Law,
    "person": Person,
    "health_card": HealthCard,
    "social_book": SocialBook,
    "tet_gift": TetGift,
    "quote": Quote,
    "local_support": LocalSupport,
    "decision": Decision,
    "screening": Screening,
    "campaign": Campaign,
    "sponsor": Sponsor,
    "pledge": Pledge,
    "beneficiary": Beneficiary,
    "gift": Gift,
    "ledger_event": Event,
    "ledger_state": LedgerState,
    "allocation": Allocation,
    "report": CampaignReport,
}

# Version 2 (ansinh 0.2): a quote names no person (``person_id`` and ``province`` are gone), so
# every document holding a quote changed.  Version 1 documents of these types are still read:
# the two fields are dropped from each quote (_upgrade_v1).
_QUOTE_HOLDERS: Final = ("quote", "gift", "ledger_event", "ledger_state", "allocation")
_VERSIONS: Final[dict[str, int]] = {name: 2 if name in _QUOTE_HOLDERS else 1 for name in _DOCUMENT_TYPES}


def schema_version(name: str) -> int:
    """The version of the document type *name* this ansinh writes.

    Raises:
        InvalidValueError: *name* is not one of :func:`document_types`.

    >>> schema_version("quote"), schema_version("person")
    (2, 1)
    """
    try:
        return _VERSIONS[name]
    except KeyError:
        raise InvalidValueError("name", name, "one of " + ", ".join(_DOCUMENT_TYPES)) from None


def _drop_quote_person(quote: object) -> object:
    if isinstance(quote, Mapping):
        return {k: v for k, v in quote.items() if k not in ("person_id", "province")}
    return quote


def _upgrade_gift(gift: object) -> object:
    if isinstance(gift, Mapping) and "quote" in gift:
        return {**gift, "quote": _drop_quote_person(gift["quote"])}
    return gift


def _upgrade_v1(name: str, data: object) -> object:
    """A version-1 document's data as version 2 has it (quotes without a person)."""
    if name == "quote":
        return _drop_quote_person(data)
    if name == "gift":
        return _upgrade_gift(data)
    if name == "ledger_event" and isinstance(data, Mapping) and "gift" in data:
        return {**data, "gift": _upgrade_gift(data["gift"])}
    if name in ("ledger_state", "allocation") and isinstance(data, Mapping):
        gifts = data.get("gifts")
        if isinstance(gifts, list):
            return {**data, "gifts": [_upgrade_gift(g) for g in gifts]}
    return data


@functools.cache
def _shared_converter() -> cattrs.Converter:
    return make_converter()


def _format_exception(exc: BaseException, tp: type | None) -> str:
    if isinstance(exc, AnsinhError):
        return str(exc)
    return cattrs.v.format_exception(exc, tp)


def _messages(exc: BaseException, path: str = "$") -> list[str]:
    try:
        messages = cattrs.transform_error(exc, path=path, format_exception=_format_exception)
    except Exception:  # an error whose text cannot be made: name it by its type
        messages = [f"{type(exc).__name__} @ {path}"]
    return [shorten(m, 500) for m in messages]


def document_types() -> Mapping[str, type[Any]]:
    """The ``type`` names of top-level documents and the class each holds.

    >>> document_types()["quote"].__name__
    'Quote'
    """
    return types.MappingProxyType(_DOCUMENT_TYPES)


def document_type_name(cl: Any) -> str:
    """The document ``type`` name of a class (every ledger event is a ``"ledger_event"``).

    Raises:
        SerializationError: *cl* is not a document type.

    >>> from ansinh.core.ledger import GiftPaid
    >>> document_type_name(GiftPaid)
    'ledger_event'
    """
    try:
        return _type_name(cl)
    except TypeError:  # an unhashable value: looked up without the cache (and refused)
        return _type_name.__wrapped__(cl)


@functools.lru_cache(maxsize=256)
def _type_name(cl: Any) -> str:
    """:func:`document_type_name`, once per class (a JSON Lines file names the type of each event)."""
    for name, known in _DOCUMENT_TYPES.items():
        if known is cl or cl in (union_args(known) or ()):
            return name
    raise SerializationError(
        f"type={shown(getattr(cl, '__name__', cl))} is not allowed: one of the document classes "
        + ", ".join(getattr(c, "__name__", "") or str(c) for c in _DOCUMENT_TYPES.values())
    )


def _allowed_documents(cl: Any) -> dict[str, Any]:
    """The document names that may hold *cl*, and the type to read each as."""
    members = union_args(cl)
    if members is None or cl in _DOCUMENT_TYPES.values():
        return {document_type_name(cl): cl}
    return {document_type_name(m): m for m in sorted(members, key=lambda m: m.__name__)}


def dump_document(obj: object, *, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """Wrap *obj* in a versioned, JSON-ready document.

    Args:
        obj: an instance of one of :func:`document_types`.
        converter: the converter to use (default: one made by :func:`make_converter`).

    Returns:
        ``{"schema_version": <the type's version>, "type": <name>, "data": <the object>}``.

    Raises:
        SerializationError: *obj* is not of a document type.

    >>> import ansinh
    >>> dump_document(ansinh.TetGift(value=500_000))
    {'schema_version': 1, 'type': 'tet_gift', 'data': {'kind': 'tet_gift', 'value': 500000}}
    """
    name = document_type_name(type(obj))
    conv = converter if converter is not None else _shared_converter()
    return {"schema_version": _VERSIONS[name], "type": name, "data": conv.unstructure(obj)}


def load_document(
    document: object,
    cl: type[T],
    *,
    converter: cattrs.Converter | None = None,
    masked_identifiers: bool = False,
) -> T:
    """Read a document written by :func:`dump_document`.

    Args:
        document: the decoded JSON (a mapping).
        cl: the class expected in it (one of :func:`document_types`, or
            :data:`ansinh.Product` for any product).
        converter: the converter to use (default: one made by :func:`make_converter`).
        masked_identifiers: read a public document, as ``ansinh check --json``
            prints it: an identifier in its masked form (``"0330******34"``)
            is read as ``None`` (not known); a full identifier is still read,
            and anything else is still refused.

    Raises:
        SerializationError: the envelope is wrong (version, type, keys) or the
            data does not fit *cl*; the message names the path of each bad field.

    >>> import ansinh
    >>> load_document({"schema_version": 1, "type": "health_card",
    ...                "data": {"kind": "health_card", "months": 12, "household_rank": 1}},
    ...               ansinh.HealthCard)
    HealthCard(months=12, household_rank=1)
    >>> load_document({"schema_version": 1, "type": "sponsor",
    ...                "data": {"id": "S1", "name": "Vietcombank", "kind": "bank", "provice": "01"}},
    ...               ansinh.core.campaign.Sponsor)
    Traceback (most recent call last):
    ...
    ansinh.exceptions.SerializationError: cannot read a sponsor document: extra fields found (provice) @ $.data
    """
    allowed = _allowed_documents(cl)
    label = " or ".join(allowed)
    if not isinstance(document, Mapping):
        raise SerializationError(f"cannot read a {label} document: expected a JSON object @ $")
    problems = _envelope_problems(document, allowed, label)
    if problems:
        raise SerializationError(f"cannot read a {label} document: " + "; ".join(problems))
    name: str = document["type"]
    target = allowed[name]
    data = document["data"]
    if document["schema_version"] == 1 and _VERSIONS[name] == 2:
        data = _upgrade_v1(name, data)
    if masked_identifiers:
        data = _unmask(data, _identifier_checks())
    conv = converter if converter is not None else _shared_converter()
    try:
        result: T = conv.structure(data, target)
    except (
        Exception
    ) as exc:  # any failure to build from bad data (a too deep one: RecursionError) is bad data
        messages = _messages(exc, "$.data")
        raise SerializationError(f"cannot read a {label} document: " + "; ".join(messages)) from None
    return result


@functools.cache
def _identifier_checks() -> Mapping[str, Check]:
    """The identifier fields of the document classes (those with a masked form) and their checks."""
    found: dict[str, Check] = {}
    for cl in _classes_in(tuple(_DOCUMENT_TYPES.values())):
        for a in public_fields(cl):
            if isinstance(a.validator, Check) and a.validator.masked is not None:
                found[a.name] = a.validator
    return types.MappingProxyType(found)


def _classes_in(roots: tuple[Any, ...]) -> list[type[Any]]:
    """Every ansinh attrs class reachable from the type hints *roots*."""
    seen: list[type[Any]] = []
    todo = list(roots)
    while todo:
        tp = todo.pop()
        if is_ansinh_attrs(tp) and tp not in seen:
            seen.append(tp)
            hints = typing.get_type_hints(tp)
            todo.extend(hints[a.name] for a in public_fields(tp))
        todo.extend(typing.get_args(tp))
    return seen


def _unmask(data: object, checks: Mapping[str, Check]) -> object:
    """*data* with each masked identifier replaced by ``None``."""
    if isinstance(data, list):
        return [_unmask(item, checks) for item in data]
    if not isinstance(data, Mapping):
        return data
    return {
        k: None if k in checks and checks[k].is_masked(v) else _unmask(v, checks) for k, v in data.items()
    }


def _envelope_problems(document: Mapping[Any, Any], allowed: Mapping[str, Any], label: str) -> list[str]:
    """What is wrong with a document's envelope: its keys, its type, its version (``[]``: nothing)."""
    problems = []
    extra = set(document) - {"schema_version", "type", "data"}
    if extra:
        problems.append(f"extra fields found ({shorten(', '.join(sorted(map(str, extra))))}) @ $")
    for key in ("schema_version", "type", "data"):
        if key not in document:
            problems.append(f"required field missing @ $.{key}")
    version = document.get("schema_version")
    kind = document.get("type")
    if "type" in document and (not isinstance(kind, str) or kind not in allowed):
        problems.append(f"type={shown(kind)} is not allowed: {label} @ $.type")
    elif "schema_version" in document:
        newest = _VERSIONS[typing.cast(str, kind)] if kind in allowed else SCHEMA_VERSION
        if type(version) is not int or not 1 <= version <= newest:
            readable = ", ".join(map(str, range(1, newest + 1)))
            problems.append(
                f"schema_version={shown(version)} is not allowed: {readable} "
                f"(this ansinh reads these versions of a {kind or label} document) @ $.schema_version"
            )
    return problems


def dumps_document(obj: object, *, indent: int | None = 2) -> str:
    """:func:`dump_document` as JSON text (UTF-8 friendly: Vietnamese is kept as is).

    >>> import ansinh
    >>> print(dumps_document(ansinh.TetGift(value=500_000), indent=None))
    {"schema_version": 1, "type": "tet_gift", "data": {"kind": "tet_gift", "value": 500000}}
    """
    return json.dumps(dump_document(obj), ensure_ascii=False, indent=indent)


def loads_document(text: str | bytes, cl: type[T]) -> T:
    """:func:`load_document` from JSON text.

    Raises:
        SerializationError: the text is not JSON (or nested too deep for
            Python to read, or larger than :data:`~ansinh.limits.MAX_DOCUMENT_BYTES`),
            or the document is bad.
    """
    if not isinstance(text, str | bytes | bytearray):
        raise SerializationError(
            f"cannot read a document: text={shown(text)} is not allowed: JSON as str or bytes"
        )
    if len(text) > MAX_DOCUMENT_BYTES:
        raise SerializationError(
            f"cannot read a document: larger than {MAX_DOCUMENT_BYTES} bytes (ansinh.limits.MAX_DOCUMENT_BYTES)"
        )
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:  # an int over 4300 digits is a ValueError too
        raise SerializationError(
            f"cannot read a document: not valid JSON ({shorten(str(exc), 200)})"
        ) from None
    return load_document(document, cl)
