"""The cattrs converter of ansinh's JSON format, and the exact-rate strings it uses.

:func:`make_converter` returns a new :class:`cattrs.Converter` configured by
:func:`configure_converter` (the format is described in
:mod:`ansinh.serialization`); :data:`cattrs.global_converter` is never
touched.  Only hooks for ansinh's own types, dates, exact rates and the strict
JSON scalars are registered.

>>> import ansinh
>>> make_converter().unstructure(ansinh.TetGift(value=500_000))
{'kind': 'tet_gift', 'value': 500000}
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import typing
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, Final

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ansinh.core.law import Link, ParamValue, RateTable
from ansinh.core.products import ProductKind, TetGift
from ansinh.exceptions import InvalidAmountError, InvalidValueError
from ansinh.serialization._shapes import (
    DATE_RE,
    FRACTION_RE,
    INT_OR_FRACTION_ARGS,
    PARAM_OR_LINK_ARGS,
    PARAM_VALUE_ARGS,
    TAG_OF,
    UNITS_TYPE,
    is_ansinh_attrs,
    is_frozenset,
    is_tuple,
    public_fields,
    tagged_union,
    union_args,
)

__all__ = ["configure_converter", "format_fraction", "make_converter", "parse_fraction"]


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
    if not isinstance(text, str) or not FRACTION_RE.fullmatch(text):  # also refuses a zero denominator
        raise InvalidAmountError("value", text, allowed)
    return Fraction(text)


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
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidValueError("value", value, "an ISO date string YYYY-MM-DD")


def _structure_fraction(value: object, _: object) -> Fraction:
    return parse_fraction(value)


def _unstructure_date(value: dt.date) -> str:
    return value.isoformat()


@functools.cache
def _members(tp: type[enum.Enum]) -> dict[object, enum.Enum]:
    """The members of an enum by value, made once per enum."""
    return {member.value: member for member in tp}


def _structure_enum(value: object, tp: type[enum.Enum]) -> enum.Enum:
    try:
        found = _members(tp).get(value)
    except TypeError:  # an unhashable value: no member has it
        found = None
    if found is not None and type(value) is type(found.value):
        return found
    for member in tp:
        if type(value) is type(member.value) and value == member.value:
            return member
    raise InvalidValueError("value", value, "one of " + ", ".join(str(m.value) for m in tp))


def _unstructure_enum(value: enum.Enum) -> Any:
    return value.value


# -- collections --------------------------------------------------------------------


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


def _frozenset_hook(tp: Any, converter: cattrs.Converter) -> Callable[[object, object], frozenset[Any]]:
    (item_type,) = typing.get_args(tp)
    as_tuple = tuple[item_type, ...]  # type: ignore[valid-type]

    def structure(value: object, _: object) -> frozenset[Any]:
        items: tuple[Any, ...] = converter.structure(value, as_tuple)
        found = frozenset(items)
        if len(found) != len(items):  # the schema says uniqueItems: a repeated item is a mistake
            raise InvalidValueError("items", value, "a list without repeated items")
        return found

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
            raise InvalidAmountError("units.count", count, "a whole number as a JSON integer (never a float)")
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
            "an integer (a JSON integer, never a float), a rate string, a list of month counts, a rate table"
            + (" or a link {of, multiple}" if allow_link else ""),
        )

    return structure


def _structure_int_or_fraction(value: object, _: object) -> int | Fraction:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_fraction(value)
    raise InvalidValueError("value", value, 'a JSON integer, or an exact rate string such as "0.045"')


def _tagged_union_hook(tp: Any, converter: cattrs.Converter) -> Callable[[object, object], Any]:
    union = tagged_union(tp)
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
    types_by_name = {a.name: a.type for a in public_fields(cl)}
    key, tag = TAG_OF.get(cl, ("", ""))

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


# Fields added after documents were first written, left out while they hold their default, so a
# document written before them and one written after are the same text (a Tết gift naming no hospital).
_OMITTED_AT_DEFAULT: Final[dict[type[Any], tuple[str, ...]]] = {TetGift: ("hospital", "hospital_level")}


def _attrs_unstructure_hook(cl: type[Any], converter: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    omitted: dict[str, Any] = {
        name: override(omit_if_default=True) for name in _OMITTED_AT_DEFAULT.get(cl, ())
    }
    inner = make_dict_unstructure_fn(cl, converter, **omitted)
    if cl not in TAG_OF:
        return inner
    key, tag = TAG_OF[cl]

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
    converter.register_structure_hook_factory(is_tuple, lambda tp: _tuple_hook(tp, converter))
    converter.register_unstructure_hook_func(is_tuple, lambda v: [converter.unstructure(i) for i in v])
    converter.register_structure_hook_factory(
        is_ansinh_attrs, lambda cl: _attrs_structure_hook(cl, converter)
    )
    converter.register_unstructure_hook_factory(
        is_ansinh_attrs, lambda cl: _attrs_unstructure_hook(cl, converter)
    )
    converter.register_structure_hook(RateTable, _structure_rate_table)
    converter.register_unstructure_hook(RateTable, _unstructure_rate_table)
    converter.register_structure_hook_factory(is_frozenset, lambda tp: _frozenset_hook(tp, converter))
    converter.register_unstructure_hook_func(is_frozenset, _unstructure_set(converter))
    converter.register_structure_hook_func(lambda t: t == UNITS_TYPE, _structure_units)
    converter.register_unstructure_hook_func(lambda t: t == UNITS_TYPE, _unstructure_units)
    converter.register_structure_hook_func(
        lambda t: union_args(t) == PARAM_VALUE_ARGS, _param_value_hook(converter, allow_link=False)
    )
    converter.register_structure_hook_func(
        lambda t: union_args(t) == PARAM_OR_LINK_ARGS, _param_value_hook(converter, allow_link=True)
    )
    converter.register_structure_hook_func(
        lambda t: union_args(t) == INT_OR_FRACTION_ARGS, _structure_int_or_fraction
    )
    converter.register_structure_hook_factory(
        lambda t: tagged_union(t) is not None, lambda t: _tagged_union_hook(t, converter)
    )
    # Values typed as a union are unstructured by their runtime class; these make
    # that explicit for the unions above.
    converter.register_unstructure_hook_func(
        lambda t: (
            union_args(t) in (PARAM_VALUE_ARGS, PARAM_OR_LINK_ARGS, INT_OR_FRACTION_ARGS)
            or tagged_union(t) is not None
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
