"""JSON-ready dicts for every public ansinh type, and JSON Schemas for the main documents.

This is the stable interchange format other systems use to exchange ansinh's
objects.  It follows the ``cattrs.preconf`` style: :func:`make_converter`
returns a new :class:`cattrs.Converter` configured by
:func:`configure_converter`; :data:`cattrs.global_converter` is never touched.

The format
    * dates are ISO strings (``"2026-01-01"``); enums are their values
      (``"near_poor"``);
    * money and counts are JSON integers.  A float is **refused** on the way
      in, even ``12.0``: money is whole đồng;
    * exact rates (:class:`~fractions.Fraction`) are strings: a decimal when
      the rate has a finite decimal expansion (``"0.045"``, ``"1"``), else
      ``"numerator/denominator"`` (``"1/3"``).  Both forms are read back
      exactly; a JSON number is refused for a rate;
    * products carry a ``"kind"`` tag (``"health_card"``, ``"social_book"``,
      ``"tet_gift"``) so a :data:`~ansinh.Product` can be read back; ledger
      events carry their ``"type"`` (``"gift_allocated"`` …, the class's
      ``type``) so an :data:`~ansinh.core.ledger.Event` can;
    * sets (a person's categories, a beneficiary's affiliations) are sorted
      lists, so equal objects always give equal documents;
    * a :class:`~ansinh.RateTable` is ``{"entries": [{"key": ..., "rate": ...}]}``
      (order kept); a pledge's units are ``[{"kind": ..., "count": ...}]``;
      other pairs (a priority's parts, a decision's facts) are 2-item arrays;
    * a parameter value (:class:`~ansinh.DatedValue` ``.value``) is an integer
      (amount, count), a rate string, a list of month counts, a rate table
      object, or a link object ``{"of": ..., "multiple": ...}``;
    * keys ansinh does not know are rejected (``forbid_extra_keys``).

Personal identifiers (``cccd``, ``social_insurance_number``) are written **in
full**: this is a data interchange format between trusted systems, not public
output.  Mask them (:func:`ansinh.core.people.mask_id`) before showing a
document to anyone.

Top-level documents (:func:`dump_document`, :func:`load_document`) wrap the
object in an envelope::

    {"schema_version": 2, "type": "quote", "data": {...}}

``type`` is one of :func:`document_types` (every ledger event is a
``"ledger_event"``; the event's own ``"type"`` is inside ``data``);
``schema_version`` is the type's version (:func:`schema_version`), bumped
whenever a reader of version *n* could misread a document of that type.
Version 2 of the quote and of every document holding one (gift, ledger event,
ledger state, allocation) names no person in the quote; version 1 documents
are still read (their quotes' ``person_id`` and ``province`` are dropped).  :func:`json_schema` gives a JSON
Schema (draft 2020-12) of each document type; those of the main documents
(:func:`shipped_schema_names`: quote, decision, campaign, ledger event …)
are shipped in ``ansinh/data/schemas/`` for systems in other languages
(regenerate them with ``python -m ansinh.serialization --write-schemas``).

Every error reading a document is a :class:`~ansinh.exceptions.SerializationError`
whose message lists each bad field with its path (from
:func:`cattrs.transform_error`).

>>> import datetime as dt, ansinh
>>> q = ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1))
>>> doc = dump_document(q)
>>> doc["schema_version"], doc["type"], doc["data"]["payable"], doc["data"]["product"]
(2, 'quote', 1263600, {'kind': 'health_card', 'months': 12, 'household_rank': 1})
>>> load_document(doc, ansinh.Quote) == q
True
>>> doc["data"]["gross"] = 1263600.0
>>> load_document(doc, ansinh.Quote)
Traceback (most recent call last):
...
ansinh.exceptions.SerializationError: cannot read a quote document: value=1263600.0 is not allowed: a whole number as a JSON integer (never a float: money is whole đồng) @ $.data.gross
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import os
import re
import sys
import tempfile
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ansinh.core.allocation import Allocation
from ansinh.core.campaign import Beneficiary, Campaign, Gift, Pledge, Sponsor
from ansinh.core.eligibility import Decision, Screening
from ansinh.core.law import Law, Link, ParamValue, RateTable
from ansinh.core.ledger import EVENT_TYPES, Event, LedgerState
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport, Quote
from ansinh.core.products import HealthCard, ProductKind, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport
from ansinh.exceptions import AnsinhError, InvalidAmountError, InvalidValueError, SerializationError

__all__ = [
    "SCHEMA_VERSION",
    "configure_converter",
    "document_type_name",
    "document_types",
    "dump_document",
    "dumps_document",
    "format_fraction",
    "json_schema",
    "load_document",
    "loads_document",
    "make_converter",
    "parse_fraction",
    "schema_text",
    "schema_version",
    "shipped_schema_names",
    "write_schemas",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 2
"""The newest document format version; each type has its own (:func:`schema_version`)."""

_JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"
_FRACTION_RE: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+|/[0-9]+)?")
_FRACTION_PATTERN: Final = "^" + _FRACTION_RE.pattern + "$"
_DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_PATTERN: Final = "^" + _DATE_RE.pattern + "$"

_UNITS_TYPE: Final = tuple[tuple[ProductKind, int], ...]


@attrs.frozen
class _TaggedUnion:
    """A union whose members carry a tag key, so a reader knows which one it has."""

    name: str
    """The name of its JSON Schema definition."""
    key: str
    """The tag key in each member's object."""
    members: tuple[tuple[type[Any], str], ...]
    """Each member class and its tag."""
    description: str

    @property
    def args(self) -> frozenset[Any]:
        return frozenset(cl for cl, _ in self.members)


_UNIONS: Final = (
    _TaggedUnion(
        "Product",
        "kind",
        (
            (HealthCard, ProductKind.HEALTH_CARD.value),
            (SocialBook, ProductKind.SOCIAL_BOOK.value),
            (TetGift, ProductKind.TET_GIFT.value),
        ),
        'Any product, told apart by its "kind".',
    ),
    _TaggedUnion(
        "LedgerEvent",
        "type",
        tuple((cl, cl.type) for cl in EVENT_TYPES),
        'Any ledger event, told apart by its "type".',
    ),
)
_TAG_OF: Final[dict[type[Any], tuple[str, str]]] = {
    cl: (u.key, tag) for u in _UNIONS for cl, tag in u.members
}

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


_SHIPPED_SCHEMAS: Final = ("quote", "decision", "campaign", "ledger_event", "person", "pledge", "gift", "law")
"""The document types whose JSON Schema ships in ``ansinh/data/schemas``."""


# -- exact rates ----------------------------------------------------------------


def format_fraction(value: Fraction) -> str:
    """Write an exact rate as the string the JSON format uses.

    A rate with a finite decimal expansion is written as a decimal, any other
    as ``"numerator/denominator"``; :func:`parse_fraction` reads both back
    exactly.

    >>> format_fraction(Fraction(9, 200)), format_fraction(Fraction(20)), format_fraction(Fraction(1, 3))
    ('0.045', '20', '1/3')
    >>> format_fraction(Fraction(-7, 4))
    '-1.75'
    """
    num, den = value.numerator, value.denominator
    if den == 1:
        return str(num)
    rest, twos, fives = den, 0, 0
    while rest % 2 == 0:
        rest //= 2
        twos += 1
    while rest % 5 == 0:
        rest //= 5
        fives += 1
    if rest != 1:
        return f"{num}/{den}"
    places = max(twos, fives)
    digits = str(abs(num) * 10**places // den).rjust(places + 1, "0")
    sign = "-" if num < 0 else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def parse_fraction(text: object) -> Fraction:
    """Read a rate written by :func:`format_fraction`.

    Raises:
        InvalidAmountError: *text* is not such a string (a JSON number is
            refused: a float cannot hold most rates exactly).

    >>> parse_fraction("0.045"), parse_fraction("1/3")
    (Fraction(9, 200), Fraction(1, 3))
    >>> parse_fraction(0.045)
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidAmountError: value=0.045 is not allowed: an exact rate as a string such as "0.045" or "1/3" (never a JSON number)
    """
    allowed = 'an exact rate as a string such as "0.045" or "1/3" (never a JSON number)'
    if not isinstance(text, str) or not _FRACTION_RE.fullmatch(text):
        raise InvalidAmountError("value", text, allowed)
    try:
        return Fraction(text)
    except ZeroDivisionError:
        raise InvalidAmountError("value", text, allowed + " with a non-zero denominator") from None


# -- strict scalar hooks ----------------------------------------------------------


def _structure_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmountError(
            "value", value, "a whole number as a JSON integer (never a float: money is whole đồng)"
        )
    return value


def _structure_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise InvalidValueError("value", value, "a string")
    return value


def _structure_bool(value: object, _: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValueError("value", value, "true or false")
    return value


def _structure_date(value: object, _: object) -> dt.date:
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError("value", value, "an ISO date string YYYY-MM-DD")


def _structure_fraction(value: object, _: object) -> Fraction:
    return parse_fraction(value)


def _unstructure_date(value: dt.date) -> str:
    return value.isoformat()


def _is_ansinh_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum) and tp.__module__.startswith("ansinh.")


def _structure_enum(value: object, tp: type[enum.Enum]) -> enum.Enum:
    for member in tp:
        if type(value) is type(member.value) and value == member.value:
            return member
    raise InvalidValueError("value", value, "one of " + ", ".join(str(m.value) for m in tp))


def _unstructure_enum(value: enum.Enum) -> Any:
    return value.value


# -- collections --------------------------------------------------------------------


def _is_tuple(tp: Any) -> bool:
    return typing.get_origin(tp) is tuple


def _tuple_hook(tp: Any, converter: cattrs.Converter) -> Callable[[object, object], tuple[Any, ...]]:
    args = typing.get_args(tp)
    homogeneous = len(args) == 2 and args[1] is Ellipsis

    def structure(value: object, _: object) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise InvalidValueError("value", value, "a JSON array")
        if not homogeneous and len(value) != len(args):
            raise InvalidValueError("value", value, f"an array of exactly {len(args)} items")
        out = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            item_type = args[0] if homogeneous else args[i]
            try:
                out.append(converter.structure(item, item_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"Structuring {tp!r} @ index {i}", i, item_type))
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {tp!r}", errors, tp)
        return tuple(out)

    return structure


def _is_frozenset(tp: Any) -> bool:
    return typing.get_origin(tp) is frozenset


def _frozenset_hook(tp: Any, converter: cattrs.Converter) -> Callable[[object, object], frozenset[Any]]:
    (item_type,) = typing.get_args(tp)
    as_tuple = tuple[item_type, ...]  # type: ignore[valid-type]

    def structure(value: object, _: object) -> frozenset[Any]:
        items: tuple[Any, ...] = converter.structure(value, as_tuple)
        return frozenset(items)

    return structure


def _unstructure_set(converter: cattrs.Converter) -> Callable[[frozenset[Any]], list[Any]]:
    def unstructure(value: frozenset[Any]) -> list[Any]:
        # Sorted, so equal sets always give the same document.
        return sorted((converter.unstructure(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))

    return unstructure


def _structure_units(value: object, _: object) -> tuple[tuple[ProductKind, int], ...]:
    if not isinstance(value, list | tuple):
        raise InvalidValueError("units", value, 'a JSON array of {"kind": ..., "count": ...}')
    out = []
    kinds = {k.value: k for k in ProductKind}
    for item in value:
        if not isinstance(item, Mapping) or set(item) != {"kind", "count"}:
            raise InvalidValueError("units", item, 'an object {"kind": ..., "count": ...} with no other keys')
        kind = kinds.get(item["kind"]) if isinstance(item["kind"], str) else None
        if kind is None:
            raise InvalidValueError("units.kind", item["kind"], "one of " + ", ".join(kinds))
        count = item["count"]
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidAmountError("units.count", count, "a whole number as a JSON integer")
        out.append((kind, count))
    return tuple(out)


def _unstructure_units(value: tuple[tuple[ProductKind, int], ...]) -> list[dict[str, Any]]:
    return [{"kind": k.value, "count": n} for k, n in value]


def _structure_rate_table(value: object, _: object) -> RateTable:
    if not isinstance(value, Mapping) or set(value) != {"entries"}:
        raise InvalidValueError("value", value, 'an object {"entries": [{"key": ..., "rate": ...}, ...]}')
    entries = value["entries"]
    if not isinstance(entries, list | tuple):
        raise InvalidValueError("entries", entries, "a JSON array")
    out = []
    for item in entries:
        if not isinstance(item, Mapping) or set(item) != {"key", "rate"}:
            raise InvalidValueError("entries", item, 'an object {"key": ..., "rate": ...} with no other keys')
        out.append((_structure_str(item["key"], str), parse_fraction(item["rate"])))
    return RateTable(tuple(out))


def _unstructure_rate_table(value: RateTable) -> dict[str, Any]:
    return {"entries": [{"key": k, "rate": format_fraction(r)} for k, r in value.entries]}


# -- unions ---------------------------------------------------------------------------


def _union_args(tp: Any) -> frozenset[Any] | None:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return frozenset(typing.get_args(tp))
    return None


_PARAM_VALUE_ARGS: Final = frozenset(typing.get_args(ParamValue))
_PARAM_OR_LINK_ARGS: Final = _PARAM_VALUE_ARGS | {Link}
_INT_OR_FRACTION_ARGS: Final = frozenset({int, Fraction})


def _param_value_hook(
    converter: cattrs.Converter, allow_link: bool
) -> Callable[[object, object], ParamValue | Link]:
    def structure(value: object, _: object) -> ParamValue | Link:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str):
            return parse_fraction(value)
        if isinstance(value, list):
            months: tuple[int, ...] = converter.structure(value, tuple[int, ...])
            return months
        if isinstance(value, Mapping) and "entries" in value:
            return _structure_rate_table(value, RateTable)
        if allow_link and isinstance(value, Mapping) and "of" in value:
            link: Link = converter.structure(value, Link)
            return link
        raise InvalidValueError(
            "value",
            value,
            "an integer, a rate string, a list of month counts, a rate table"
            + (" or a link {of, multiple}" if allow_link else ""),
        )

    return structure


def _structure_int_or_fraction(value: object, _: object) -> int | Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_fraction(value)
    raise InvalidValueError("value", value, 'a JSON integer, or an exact rate string such as "0.045"')


def _tagged_union(tp: Any) -> _TaggedUnion | None:
    args = _union_args(tp)
    for union in _UNIONS:
        if args == union.args:
            return union
    return None


def _tagged_union_hook(tp: Any, converter: cattrs.Converter) -> Callable[[object, object], Any]:
    union = _tagged_union(tp)
    assert union is not None
    by_tag = {tag: cl for cl, tag in union.members}

    def structure(value: object, _: object) -> Any:
        tag = value.get(union.key) if isinstance(value, Mapping) else None
        cl = by_tag.get(tag) if isinstance(tag, str) else None
        if cl is None:
            raise InvalidValueError(
                union.key, tag, f"an object with a {union.key!r} tag: one of " + ", ".join(by_tag)
            )
        return converter.structure(value, cl)

    return structure


# -- attrs classes --------------------------------------------------------------------------


def _is_ansinh_attrs(tp: Any) -> bool:
    return isinstance(tp, type) and attrs.has(tp) and tp.__module__.startswith("ansinh.")


def _public_fields(cl: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    return tuple(a for a in attrs.fields(cl) if a.init)


def _note_field(exc: BaseException, types_by_name: Mapping[str, Any]) -> bool:
    """Attach the field an ansinh error names to it, for ``transform_error``."""
    if any(isinstance(n, AttributeValidationNote) for n in getattr(exc, "__notes__", ())):
        return True
    if not isinstance(exc, InvalidValueError):
        return False
    name = exc.field.split(".")[0]
    if name not in types_by_name:
        return False
    exc.add_note(AttributeValidationNote(f"Structuring {name}", name, types_by_name[name]))
    return True


def _attrs_structure_hook(cl: type[Any], converter: cattrs.Converter) -> Callable[[object, object], Any]:
    inner = make_dict_structure_fn(cl, converter)
    types_by_name = {a.name: a.type for a in _public_fields(cl)}
    key, tag = _TAG_OF.get(cl, ("", ""))

    def structure(value: object, _: object) -> Any:
        if not isinstance(value, Mapping):
            raise InvalidValueError("value", value, f"a JSON object for a {cl.__name__}")
        if key and key in value:
            if value[key] != tag:
                exc = InvalidValueError(key, value[key], f"{tag!r} for a {cl.__name__}")
                exc.add_note(AttributeValidationNote(f"Structuring {key}", key, str))
                raise ClassValidationError(f"While structuring {cl.__name__}", [exc], cl)
            value = {k: v for k, v in value.items() if k != key}
        try:
            return inner(value, cl)
        except ClassValidationError as group:
            # Errors raised by the class's own validators carry no path: point
            # them at the field they name.
            for sub in group.exceptions:
                _note_field(sub, types_by_name)
            raise
        except InvalidValueError as exc:
            if not _note_field(exc, types_by_name):
                raise
            raise ClassValidationError(f"While structuring {cl.__name__}", [exc], cl) from None

    return structure


def _attrs_unstructure_hook(cl: type[Any], converter: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    inner = make_dict_unstructure_fn(cl, converter)
    if cl not in _TAG_OF:
        return inner
    key, tag = _TAG_OF[cl]

    def unstructure(value: Any) -> dict[str, Any]:
        return {key: tag, **inner(value)}

    return unstructure


# -- the converter ----------------------------------------------------------------------------


def configure_converter(converter: cattrs.Converter) -> None:
    """Configure *converter* for ansinh's JSON format (see the module docstring).

    The converter should be created with ``forbid_extra_keys=True`` and
    ``detailed_validation=True`` (as :func:`make_converter` does) for unknown
    keys to be refused and errors to name their path.

    Only hooks for ansinh's own types, dates, exact rates and the strict JSON
    scalars (``int``, ``str``, ``bool``: no silent coercion) are registered.
    """
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, _unstructure_date)
    converter.register_structure_hook(Fraction, _structure_fraction)
    converter.register_unstructure_hook(Fraction, format_fraction)
    # str- and int-valued enums must be registered by class: their str/int base
    # would otherwise win the class dispatch and turn them into plain strings.
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        converter.register_structure_hook(base, _structure_enum)
        converter.register_unstructure_hook(base, _unstructure_enum)
    converter.register_structure_hook_factory(_is_tuple, lambda tp: _tuple_hook(tp, converter))
    converter.register_unstructure_hook_func(_is_tuple, lambda v: [converter.unstructure(i) for i in v])
    converter.register_structure_hook_factory(
        _is_ansinh_attrs, lambda cl: _attrs_structure_hook(cl, converter)
    )
    converter.register_unstructure_hook_factory(
        _is_ansinh_attrs, lambda cl: _attrs_unstructure_hook(cl, converter)
    )
    converter.register_structure_hook(RateTable, _structure_rate_table)
    converter.register_unstructure_hook(RateTable, _unstructure_rate_table)
    converter.register_structure_hook_factory(_is_frozenset, lambda tp: _frozenset_hook(tp, converter))
    converter.register_unstructure_hook_func(_is_frozenset, _unstructure_set(converter))
    converter.register_structure_hook_func(lambda t: t == _UNITS_TYPE, _structure_units)
    converter.register_unstructure_hook_func(lambda t: t == _UNITS_TYPE, _unstructure_units)
    converter.register_structure_hook_func(
        lambda t: _union_args(t) == _PARAM_VALUE_ARGS, _param_value_hook(converter, allow_link=False)
    )
    converter.register_structure_hook_func(
        lambda t: _union_args(t) == _PARAM_OR_LINK_ARGS, _param_value_hook(converter, allow_link=True)
    )
    converter.register_structure_hook_func(
        lambda t: _union_args(t) == _INT_OR_FRACTION_ARGS, _structure_int_or_fraction
    )
    converter.register_structure_hook_factory(
        lambda t: _tagged_union(t) is not None, lambda t: _tagged_union_hook(t, converter)
    )
    # Values typed as a union are unstructured by their runtime class; these make
    # that explicit for the unions above.
    converter.register_unstructure_hook_func(
        lambda t: (
            _union_args(t) in (_PARAM_VALUE_ARGS, _PARAM_OR_LINK_ARGS, _INT_OR_FRACTION_ARGS)
            or _tagged_union(t) is not None
        ),
        lambda v: converter.unstructure(v, unstructure_as=type(v)),
    )


def make_converter() -> cattrs.Converter:
    """A new converter for ansinh's JSON format.

    >>> import ansinh
    >>> c = make_converter()
    >>> c.unstructure(ansinh.SocialBook(months=12, monthly_income=1_500_000))
    {'kind': 'social_book', 'months': 12, 'monthly_income': 1500000}
    >>> c.structure({"months": 6, "household_rank": 2}, ansinh.HealthCard)
    HealthCard(months=6, household_rank=2)
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    configure_converter(converter)
    return converter


@functools.cache
def _shared_converter() -> cattrs.Converter:
    return make_converter()


def _format_exception(exc: BaseException, tp: type | None) -> str:
    if isinstance(exc, AnsinhError):
        return str(exc)
    return cattrs.v.format_exception(exc, tp)


def _messages(exc: BaseException, path: str = "$") -> list[str]:
    return cattrs.transform_error(exc, path=path, format_exception=_format_exception)


# -- documents ----------------------------------------------------------------------------------


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
    for name, known in _DOCUMENT_TYPES.items():
        if known is cl or cl in (_union_args(known) or ()):
            return name
    raise SerializationError(
        f"type={getattr(cl, '__name__', cl)!r} is not allowed: one of the document classes "
        + ", ".join(getattr(c, "__name__", "") or str(c) for c in _DOCUMENT_TYPES.values())
    )


def _allowed_documents(cl: Any) -> dict[str, Any]:
    """The document names that may hold *cl*, and the type to read each as."""
    members = _union_args(cl)
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


def load_document(document: object, cl: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Read a document written by :func:`dump_document`.

    Args:
        document: the decoded JSON (a mapping).
        cl: the class expected in it (one of :func:`document_types`, or
            :data:`ansinh.Product` for any product).
        converter: the converter to use (default: one made by :func:`make_converter`).

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
    problems = []
    extra = set(document) - {"schema_version", "type", "data"}
    if extra:
        problems.append(f"extra fields found ({', '.join(sorted(map(str, extra)))}) @ $")
    for key in ("schema_version", "type", "data"):
        if key not in document:
            problems.append(f"required field missing @ $.{key}")
    version = document.get("schema_version")
    kind = document.get("type")
    if "type" in document and kind not in allowed:
        problems.append(f"type={kind!r} is not allowed: {label} @ $.type")
    elif "schema_version" in document:
        newest = _VERSIONS[typing.cast(str, kind)] if kind in allowed else SCHEMA_VERSION
        if type(version) is not int or not 1 <= version <= newest:
            readable = ", ".join(map(str, range(1, newest + 1)))
            problems.append(
                f"schema_version={version!r} is not allowed: {readable} "
                f"(this ansinh reads these versions of a {kind or label} document) @ $.schema_version"
            )
    if problems:
        raise SerializationError(f"cannot read a {label} document: " + "; ".join(problems))
    name = typing.cast(str, kind)
    target = allowed[name]
    data = document["data"]
    if version == 1 and _VERSIONS[name] == 2:
        data = _upgrade_v1(name, data)
    conv = converter if converter is not None else _shared_converter()
    try:
        result: T = conv.structure(data, target)
    except (cattrs.BaseValidationError, AnsinhError, ValueError, TypeError, KeyError) as exc:
        messages = _messages(exc, "$.data")
        raise SerializationError(f"cannot read a {label} document: " + "; ".join(messages)) from None
    return result


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
        SerializationError: the text is not JSON, or the document is bad.
    """
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise SerializationError(f"cannot read a document: not valid JSON ({exc})") from None
    return load_document(document, cl)


# -- JSON Schema -------------------------------------------------------------------------------


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0].strip()


class _SchemaBuilder:
    """Builds JSON Schemas that describe exactly what :func:`make_converter` writes."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def of(self, tp: Any) -> dict[str, Any]:
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return {"type": "string", "format": "date", "pattern": _DATE_PATTERN}
        if tp is Fraction:
            return self.rate()
        if _is_frozenset(tp):
            return {"type": "array", "items": self.of(typing.get_args(tp)[0]), "uniqueItems": True}
        if tp == _UNITS_TYPE:
            return {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"kind": self.of(ProductKind), "count": {"type": "integer"}},
                    "required": ["count", "kind"],
                    "additionalProperties": False,
                },
            }
        if tp is RateTable:
            return self.rate_table()
        if _is_ansinh_enum(tp):
            name = tp.__name__
            if name not in self.defs:
                self.defs[name] = {
                    "description": _first_line(tp.__doc__),
                    "type": "string",
                    "enum": [m.value for m in tp],
                }
            return self.ref(name)
        args = _union_args(tp)
        if args is not None:
            if args == _PARAM_VALUE_ARGS:
                return self.param_value()
            if args == _PARAM_OR_LINK_ARGS:
                return {"anyOf": [self.param_value(), self.of(Link)]}
            union = _tagged_union(tp)
            if union is not None:
                return self.tagged_union(union)
            if args == _INT_OR_FRACTION_ARGS:
                return {"anyOf": [{"type": "integer"}, self.rate()]}
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            alternatives = [self.of(a) for a in members]
            if type(None) in args:
                alternatives.append({"type": "null"})
            return {"anyOf": alternatives}
        if _is_tuple(tp):
            targs = typing.get_args(tp)
            if len(targs) == 2 and targs[1] is Ellipsis:
                return {"type": "array", "items": self.of(targs[0])}
            return {
                "type": "array",
                "prefixItems": [self.of(a) for a in targs],
                "items": False,
                "minItems": len(targs),
                "maxItems": len(targs),
            }
        if _is_ansinh_attrs(tp):
            return self.attrs_class(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new type needs a branch

    def attrs_class(self, cl: type[Any]) -> dict[str, Any]:
        name = cl.__name__
        if name in self.defs:
            return self.ref(name)
        self.defs[name] = {}  # reserve the name: classes may refer to themselves
        hints = typing.get_type_hints(cl)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if cl in _TAG_OF:
            key, tag = _TAG_OF[cl]
            properties[key] = {"const": tag}
            required.append(key)
        for a in _public_fields(cl):
            properties[a.name] = self.of(hints[a.name])
            if a.default is attrs.NOTHING:
                required.append(a.name)
        self.defs[name] = {
            "description": _first_line(cl.__doc__),
            "type": "object",
            "properties": properties,
            "required": sorted(required),
            "additionalProperties": False,
        }
        return self.ref(name)

    def rate(self) -> dict[str, Any]:
        self.defs.setdefault(
            "Rate",
            {
                "description": 'An exact rate: a decimal string ("0.045") or "numerator/denominator" ("1/3").',
                "type": "string",
                "pattern": _FRACTION_PATTERN,
            },
        )
        return self.ref("Rate")

    def rate_table(self) -> dict[str, Any]:
        if "RateTable" not in self.defs:
            self.defs["RateTable"] = {
                "description": _first_line(RateTable.__doc__),
                "type": "object",
                "properties": {
                    "entries": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"key": {"type": "string"}, "rate": self.rate()},
                            "required": ["key", "rate"],
                            "additionalProperties": False,
                        },
                    }
                },
                "required": ["entries"],
                "additionalProperties": False,
            }
        return self.ref("RateTable")

    def param_value(self) -> dict[str, Any]:
        if "ParamValue" not in self.defs:
            self.defs["ParamValue"] = {
                "description": "A parameter value: amount or count, rate, rate table, or allowed months.",
                "anyOf": [
                    {"type": "integer"},
                    self.rate(),
                    self.rate_table(),
                    {"type": "array", "items": {"type": "integer"}},
                ],
            }
        return self.ref("ParamValue")

    def tagged_union(self, union: _TaggedUnion) -> dict[str, Any]:
        if union.name not in self.defs:
            self.defs[union.name] = {}  # reserve the name
            self.defs[union.name] = {
                "description": union.description,
                "oneOf": [self.attrs_class(cl) for cl, _ in union.members],
            }
        return self.ref(union.name)


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document type *name*.

    The schema describes the whole envelope (``schema_version``, ``type``,
    ``data``); its ``$defs`` hold one definition per class.

    Raises:
        InvalidValueError: *name* is not one of :func:`document_types`.

    >>> s = json_schema("quote")
    >>> s["properties"]["type"], sorted(s["$defs"]["Quote"]["required"])[:3]
    ({'const': 'quote'}, ['gross', 'group', 'lines'])
    """
    cl = _DOCUMENT_TYPES.get(name)
    if cl is None:
        raise InvalidValueError("name", name, "one of " + ", ".join(_DOCUMENT_TYPES))
    builder = _SchemaBuilder()
    union = _tagged_union(cl)
    data = builder.of(cl)
    version = _VERSIONS[name]
    return {
        "$schema": _JSON_SCHEMA_DIALECT,
        "$id": f"urn:ansinh:schema:{name}:{version}",
        "title": f"ansinh {name} document, schema version {version}",
        "description": union.description if union is not None else _first_line(cl.__doc__),
        "type": "object",
        "properties": {
            "schema_version": {"const": version},
            "type": {"const": name},
            "data": data,
        },
        "required": ["data", "schema_version", "type"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def schema_text(name: str) -> str:
    """The text of :func:`json_schema` as shipped (sorted keys would lose meaning; insertion order is kept)."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_names() -> tuple[str, ...]:
    """The document types whose schema ships in ``ansinh/data/schemas``."""
    return _SHIPPED_SCHEMAS


def write_schemas(directory: str | os.PathLike[str] | None = None) -> tuple[Path, ...]:
    """Write ``<name>.schema.json`` for each shipped document type.

    Each file is written to a temporary file and renamed, so a reader never
    sees half a schema.

    Args:
        directory: where to write (default: the package's ``data/schemas``).

    Returns:
        The paths written.
    """
    target = Path(directory) if directory is not None else Path(__file__).parent / "data" / "schemas"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _SHIPPED_SCHEMAS:
        path = target / f"{name}.schema.json"
        fd, tmp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(schema_text(name))
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return tuple(written)


def _main(argv: Sequence[str]) -> int:
    if list(argv[:1]) != ["--write-schemas"] or len(argv) > 2:
        print("usage: python -m ansinh.serialization --write-schemas [DIRECTORY]", file=sys.stderr)
        return 2
    for path in write_schemas(argv[1] if len(argv) == 2 else None):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
