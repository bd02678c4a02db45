"""Reading the law's data-file shape: dates, statuses, values and their histories.

:func:`parse_date`, :func:`parse_status`, :func:`parse_table` and :func:`parse_text` are
public (a plugin's data table reads dates, statuses, tables and texts the same way); the rest is what :meth:`Law.from_mapping
<ansinh.core.law.laws.Law.from_mapping>` and :meth:`Law.amend
<ansinh.core.law.laws.Law.amend>` check a value with.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from ansinh.core.dates import is_date
from ansinh.core.law.values import (
    _ONE_DAY,
    Citation,
    DatedValue,
    Link,
    ParamKind,
    ParamValue,
    RateTable,
    SourceStatus,
)
from ansinh.core.money import to_amount, to_rate
from ansinh.exceptions import InvalidValueError, LawDataError

__all__ = ["parse_date", "parse_status", "parse_table", "parse_text"]


def _coerce(kind: ParamKind, raw: object, where: str) -> ParamValue:
    try:
        if kind in (ParamKind.AMOUNT, ParamKind.COUNT):
            value = to_amount(raw, where)
            if value < 0:
                raise InvalidValueError(where, raw, "a non-negative whole number")
            return value
        if kind is ParamKind.RATE:
            rate = to_rate(raw, where)
            if rate < 0:
                raise InvalidValueError(where, raw, "a non-negative rate")
            return rate
        if kind is ParamKind.RATES:
            if isinstance(raw, RateTable):
                return raw
            if not isinstance(raw, Mapping) or not raw:
                raise InvalidValueError(where, raw, "a non-empty table of key = rate")
            entries = []
            for key, val in raw.items():
                rate = to_rate(val, f"{where}.{key}")
                if not 0 <= rate <= 1:
                    raise InvalidValueError(f"{where}.{key}", val, "a rate between 0 and 1")
                entries.append((str(key), rate))
            return RateTable(tuple(entries))
        # MONTHS
        if not isinstance(raw, list | tuple) or not raw:
            raise InvalidValueError(where, raw, "a non-empty list of month counts")
        months = tuple(to_amount(m, where) for m in raw)
        if any(m <= 0 for m in months) or list(months) != sorted(set(months)):
            raise InvalidValueError(where, raw, "distinct positive month counts in increasing order")
        return months
    except InvalidValueError as exc:
        raise LawDataError(str(exc)) from None


_VALUE_KEYS = frozenset(
    {"effective", "until", "value", "of", "multiple", "document", "article", "url", "status", "note"}
)
_PARAM_KEYS = frozenset({"kind", "unit", "label_vi", "label_en", "values"})


def parse_table(
    raw: object, where: str, *, required: Iterable[str], allowed: Iterable[str]
) -> Mapping[str, Any]:
    """*raw* as a data-file table: a mapping with every *required* key and no key outside *allowed*.

    >>> parse_table({"code": "x"}, "programme[0]", required=["code"], allowed=["code", "note"])
    {'code': 'x'}

    Raises:
        LawDataError: not a table, an unknown key, or a missing key (the message names *where*).
    """
    if not isinstance(raw, Mapping):
        raise LawDataError(f"{where} must be a table")
    keys = frozenset(allowed)
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise LawDataError(f"{where} has unknown keys {unknown}; allowed: {sorted(keys)}")
    missing = [k for k in required if k not in raw]
    if missing:
        raise LawDataError(f"{where} is missing {missing[0]!r}")
    return raw


def parse_text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    """The text at *key* of a data-file table (``""`` when an optional key is absent).

    Raises:
        LawDataError: not a string, or blank where *required*.
    """
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise LawDataError(f"{where}.{key}={value!r} is not allowed: a non-empty string")
    return value


def parse_date(raw: object, where: str) -> dt.date:
    """A date from a data file (law TOML, a plugin's table): a TOML date or an ISO ``YYYY-MM-DD`` string.

    Args:
        raw: the value as read.
        where: where it was read (``"base_salary.values[3].effective"``), for the message.

    Raises:
        LawDataError: *raw* is neither (a ``datetime`` is refused too).

    >>> parse_date("2026-01-01", "x.effective")
    datetime.date(2026, 1, 1)
    >>> parse_date("01/01/2026", "x.effective")
    Traceback (most recent call last):
    ...
    ansinh.exceptions.LawDataError: x.effective='01/01/2026' is not allowed: a date (YYYY-MM-DD)
    """
    if is_date(raw):
        return raw  # type: ignore[return-value]
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise LawDataError(f"{where}={raw!r} is not allowed: a date (YYYY-MM-DD)")


def parse_status(raw: object, where: str) -> SourceStatus:
    """A :class:`SourceStatus` from its data-file text (law TOML, a plugin's table).

    Args:
        raw: the value as read (``"confirmed"``, ``"secondary"`` …).
        where: where it was read, for the message.

    Raises:
        LawDataError: not one of the :class:`SourceStatus` values.

    >>> parse_status("confirmed", "x.status")
    <SourceStatus.CONFIRMED: 'confirmed'>
    """
    try:
        return SourceStatus(str(raw))
    except ValueError:
        raise LawDataError(
            f"{where}={raw!r} is not allowed: one of " + ", ".join(s.value for s in SourceStatus)
        ) from None


def _parse_value(name: str, kind: ParamKind, i: int, raw: Mapping[str, Any]) -> DatedValue:
    where = f"{name}.values[{i}]"
    extra = set(raw) - _VALUE_KEYS
    if extra:
        raise LawDataError(f"{where} has unknown keys {sorted(extra)}; allowed: {sorted(_VALUE_KEYS)}")
    for key in ("effective", "document", "status"):
        if key not in raw:
            raise LawDataError(f"{where} is missing {key!r}")
    status = parse_status(raw["status"], f"{where}.status")
    value: ParamValue | Link
    if ("value" in raw) == ("of" in raw):
        raise LawDataError(f"{where} needs exactly one of 'value' or 'of' (a link)")
    if "of" in raw:
        if kind not in (ParamKind.AMOUNT, ParamKind.RATE, ParamKind.COUNT):
            raise LawDataError(f"{where}: only amounts, counts and rates can be linked")
        value = Link(str(raw["of"]), to_rate(raw.get("multiple", 1), f"{where}.multiple"))
    else:
        value = _coerce(kind, raw["value"], f"{where}.value")
    until = raw.get("until")
    return DatedValue(
        effective=parse_date(raw["effective"], f"{where}.effective"),
        until=None if until is None else parse_date(until, f"{where}.until"),
        value=value,
        citation=Citation(str(raw["document"]), str(raw.get("article", "")), str(raw.get("url", ""))),
        status=status,
        note=str(raw.get("note", "")),
    )


def _check_history(name: str, values: tuple[DatedValue, ...]) -> None:
    if not values:
        raise LawDataError(f"parameter {name!r} has no values")
    for v in values:
        if v.until is not None and v.until < v.effective:
            raise LawDataError(f"{name}: value from {v.effective} ends before it starts ({v.until})")
    for prev, nxt in itertools.pairwise(values):
        if nxt.effective <= prev.effective:
            raise LawDataError(
                f"{name}: overlap — value from {nxt.effective} does not start after "
                f"the value from {prev.effective}; list values in date order, one per date"
            )
        if prev.until is not None:
            if prev.until >= nxt.effective:
                raise LawDataError(
                    f"{name}: overlap — value from {prev.effective} runs until {prev.until}, "
                    f"but the next value starts {nxt.effective}"
                )
            if prev.until + _ONE_DAY != nxt.effective:
                raise LawDataError(
                    f"{name}: gap — no value from {prev.until + _ONE_DAY} to {nxt.effective - _ONE_DAY}"
                )
