"""Reading requests: JSON text, then ansinh's own types, every bad field named by its path.

A request member that holds an ansinh object (``product``, ``who``,
``person``, ``campaign``) may be written either way:

* as the object's data, e.g. ``{"kind": "health_card", "months": 12}``
  (read as the current version of its document type);
* as a whole document, ``{"schema_version": 1, "type": "health_card",
  "data": {...}}``, exactly as :func:`ansinh.serialization.dump_document`
  writes it (read by :func:`~ansinh.serialization.load_document`, which also
  reads older versions).

Dates are ISO strings (``"2026-01-01"``).  Everything is read by the
converter of :func:`ansinh.serialization.make_converter`, so the HTTP API
accepts exactly what the JSON documents accept: integers for money and
counts (never ``12.0``), exact rates as strings, no unknown keys.

>>> req = price_request({"product": {"kind": "health_card", "months": 12}, "on": "2025-01-01"})
>>> req.product, req.who, req.on
(HealthCard(months=12, household_rank=1), None, datetime.date(2025, 1, 1))
>>> try:
...     price_request({"product": {"kind": "health_card", "months": "12"}, "on": "2025-02-30"})
... except ProblemError as exc:
...     [(e.field, e.value) for e in exc.problem.errors]
[('product.months', '12'), ('on', '2025-02-30')]
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any, Final, NoReturn

import attrs
import cattrs
from cattrs.errors import ForbiddenExtraKeysError

from ansinh.core.campaign import Campaign
from ansinh.core.people import Person
from ansinh.core.products import Product
from ansinh.exceptions import AnsinhError, InvalidValueError, SerializationError
from ansinh.serialization import load_document, make_converter
from ansinh.serve.problems import FieldProblem, Problem, ProblemError, ProblemType

__all__ = [
    "CheckRequest",
    "PriceRequest",
    "ScreenRequest",
    "check_request",
    "parse_json",
    "price_request",
    "read_value",
    "screen_request",
]

_STRUCTURE_ERRORS: Final = (cattrs.BaseValidationError, AnsinhError, ValueError, TypeError, KeyError)
_REQUIRED: Final = ("một giá trị (bắt buộc)", "a value (this field is required)")


@functools.cache
def _converter() -> cattrs.Converter:
    return make_converter()


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON (numbers must be finite)")


def parse_json(data: bytes | str, *, field: str = "body") -> object:
    """Decode JSON text (UTF-8, -16 or -32 for bytes).

    Raises:
        ProblemError: not JSON, ``NaN`` / ``Infinity``, or nested too deep
            (a 400 problem naming *field*).

    >>> parse_json(b'{"on": "2026-01-01"}')
    {'on': '2026-01-01'}
    >>> parse_json(b"{'on': 1}")
    Traceback (most recent call last):
    ...
    ansinh.serve.problems.ProblemError: body: JSON text: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)
    """
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        problem = FieldProblem(field=field, allowed=f"JSON text: {reason}")
        raise ProblemError(Problem(type=ProblemType.MALFORMED_JSON, errors=(problem,))) from None


def _join(path: str, name: str) -> str:
    """The path of the field an ansinh error names, under the path cattrs found it at."""
    if not name or name == "value":
        return path
    head, _, last = path.rpartition(".")
    if last == name.split(".")[0]:
        return f"{head}.{name}" if head else name
    return f"{path}.{name}"


def _field_problem(exc: BaseException, path: str) -> list[FieldProblem]:
    if isinstance(exc, ForbiddenExtraKeysError):
        known = ", ".join(a.name for a in attrs.fields(exc.cl) if a.init) if attrs.has(exc.cl) else ""
        allowed = "no such field" + (f"; a {exc.cl.__name__} has: {known}" if known else "")
        return [FieldProblem(field=f"{path}.{name}", allowed=allowed) for name in sorted(exc.extra_fields)]
    if isinstance(exc, InvalidValueError):
        return [FieldProblem(field=_join(path, exc.field), value=exc.value, allowed=exc.allowed)]
    if isinstance(exc, KeyError):  # cattrs: a required field is missing
        return [FieldProblem(field=path, allowed=_REQUIRED[1], allowed_vi=_REQUIRED[0])]
    return [FieldProblem(field=path, allowed=str(exc) if isinstance(exc, AnsinhError) else _cattrs_text(exc))]


def _cattrs_text(exc: BaseException) -> str:
    return cattrs.v.format_exception(exc, None)


def _problems(exc: BaseException, root: str) -> tuple[FieldProblem, ...]:
    """Every bad field under *root* that a structuring error holds (cattrs gives their paths)."""
    caught: list[BaseException] = []

    def remember(error: BaseException, _type: object) -> str:
        caught.append(error)
        return str(len(caught) - 1)

    out: list[FieldProblem] = []
    for line in cattrs.transform_error(exc, path=root, format_exception=remember):
        token, _, path = line.partition(" @ ")
        out.extend(_field_problem(caught[int(token)], path))
    return tuple(out)


def _invalid(errors: Sequence[FieldProblem]) -> ProblemError:
    return ProblemError(Problem(type=ProblemType.INVALID_VALUE, errors=tuple(errors)))


def _read_document(value: Mapping[str, Any], tp: Any, field: str) -> Any:
    kind = value.get("type")
    if kind is not None and not isinstance(kind, str):
        # load_document would look an unhashable "type" up in a dict (TypeError, not SerializationError).
        raise _invalid(
            [FieldProblem(field=f"{field}.type", value=kind, allowed="a document type name (a string)")]
        )
    try:
        return load_document(value, tp)
    except SerializationError as exc:
        errors: tuple[FieldProblem, ...] = ()
        if "data" in value:  # the envelope may be right: name the bad fields of the data
            try:
                _converter().structure(value["data"], tp)
            except _STRUCTURE_ERRORS as inner:
                errors = _problems(inner, f"{field}.data")
        raise _invalid(errors or [FieldProblem(field=field, allowed=str(exc))]) from None


def read_value(value: object, tp: Any, field: str, *, document: bool = False) -> Any:
    """Read *value* as *tp* (``Product``, ``Person``, ``datetime.date`` …).

    Args:
        value: the decoded JSON.
        tp: the type to read.
        field: the path of *value* in the request, for problems.
        document: whether a whole document (``schema_version``, ``type``,
            ``data``) is accepted too.

    Raises:
        ProblemError: a 422 problem naming each bad field under *field*.
    """
    if document:
        if not isinstance(value, Mapping):
            allowed = f"a JSON object: the data of a {_name(tp)}, or a whole document"
            raise _invalid([FieldProblem(field=field, value=value, allowed=allowed)])
        if "schema_version" in value:
            return _read_document(value, tp, field)
    try:
        return _converter().structure(value, tp)
    except _STRUCTURE_ERRORS as exc:
        raise _invalid(_problems(exc, field)) from None


def _name(tp: Any) -> str:
    return "product" if tp is Product else getattr(tp, "__name__", str(tp)).lower()


@attrs.frozen(kw_only=True)
class _Member:
    name: str
    type: Any
    required: bool = True
    document: bool = True


def _read(body: object, members: Sequence[_Member]) -> dict[str, Any]:
    names = ", ".join(m.name for m in members)
    if not isinstance(body, Mapping):
        raise _invalid([FieldProblem(field="body", value=body, allowed=f"a JSON object with {names}")])
    errors: list[FieldProblem] = [
        FieldProblem(field=str(key), value=body[key], allowed=f"no such field; the fields are {names}")
        for key in body
        if key not in {m.name for m in members}
    ]
    out: dict[str, Any] = {}
    for m in members:
        value = body.get(m.name)
        if value is None:
            if m.required:
                errors.append(FieldProblem(field=m.name, allowed=_REQUIRED[1], allowed_vi=_REQUIRED[0]))
            out[m.name] = None
            continue
        try:
            out[m.name] = read_value(value, m.type, m.name, document=m.document)
        except ProblemError as exc:
            errors.extend(exc.problem.errors)
    if errors:
        raise _invalid(errors)
    return out


@attrs.frozen(kw_only=True)
class PriceRequest:
    """The body of ``POST /price``: ``{"product": ..., "who": ... or null, "on": "YYYY-MM-DD"}``."""

    product: Product
    who: Person | None
    """The recipient; ``None`` (or absent) prices for a general participant."""
    on: dt.date
    """The purchase date."""


@attrs.frozen(kw_only=True)
class CheckRequest:
    """The body of ``POST /check``: ``{"person", "product", "on", "campaign" (optional)}``."""

    person: Person
    product: Product
    on: dt.date
    campaign: Campaign | None
    """The campaign (its province, its Tết dates), or ``None``."""


@attrs.frozen(kw_only=True)
class ScreenRequest:
    """What ``POST /screen`` screens for: ``{"product", "on", "campaign" (optional)}``."""

    product: Product
    on: dt.date
    campaign: Campaign | None


_ON: Final = _Member(name="on", type=dt.date, document=False)
_PRODUCT: Final = _Member(name="product", type=Product)
_CAMPAIGN: Final = _Member(name="campaign", type=Campaign, required=False)


def price_request(body: object) -> PriceRequest:
    """Read the body of ``POST /price``.

    Raises:
        ProblemError: a 422 problem naming every bad field.
    """
    return PriceRequest(**_read(body, (_PRODUCT, _Member(name="who", type=Person, required=False), _ON)))


def check_request(body: object) -> CheckRequest:
    """Read the body of ``POST /check``.

    Raises:
        ProblemError: a 422 problem naming every bad field.
    """
    return CheckRequest(**_read(body, (_Member(name="person", type=Person), _PRODUCT, _ON, _CAMPAIGN)))


def screen_request(body: object) -> ScreenRequest:
    """Read what ``POST /screen`` screens for (the first JSON line, or the ``request`` part of an upload).

    Raises:
        ProblemError: a 422 problem naming every bad field.
    """
    return ScreenRequest(**_read(body, (_PRODUCT, _ON, _CAMPAIGN)))
