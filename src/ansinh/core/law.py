"""Dated legal parameters: every value with its effective date and its source.

A :class:`Law` is an immutable set of :class:`Parameter` objects.  Each
parameter holds a history of :class:`DatedValue` entries; each entry says from
when (and optionally until when) a value is in force, which legal document and
article sets it, and how sure we are of it (:class:`SourceStatus`).

Law changes are data: nothing in ansinh tests a date with ``if``.  A value may
also be *linked* to another parameter (:class:`Link`), e.g. the reference level
equals the base salary (Law 41/2024/QH15, Art. 141 cl. 13) and the voluntary-SI
income ceiling is 20 × the reference level, so a scenario that changes the base
salary moves both.

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> law = default_law()
>>> law.value("base_salary", on=dt.date(2025, 1, 1))
2340000
>>> law.value("vsi_income_ceiling", on=dt.date(2026, 7, 1))
50600000
>>> what_if = law.amend("base_salary", 2_800_000, effective=dt.date(2027, 7, 1),
...                     source="Kịch bản / scenario")
>>> what_if.value("vsi_income_ceiling", on=dt.date(2027, 7, 1))
56000000
>>> law.value("base_salary", on=dt.date(2027, 7, 1))
2530000
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import types
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any, Final, Literal, TypeAlias

import attrs

from ansinh.core.dates import check_date, is_date
from ansinh.core.labels import Code
from ansinh.core.money import to_amount, to_rate
from ansinh.exceptions import (
    InvalidValueError,
    LawDataError,
    NotInForceError,
    UnknownParameterError,
)

__all__ = [
    "Amendment",
    "Citation",
    "DatedValue",
    "Law",
    "LawPeriod",
    "LawValue",
    "Link",
    "ParamKind",
    "ParamValue",
    "Parameter",
    "RateTable",
    "SourceStatus",
    "parse_date",
    "parse_status",
]

_ONE_DAY: Final = dt.timedelta(days=1)


class SourceStatus(Code):
    """How sure ansinh is of a value (the tags of ``facts.md``)."""

    CONFIRMED = "confirmed"
    """A retrieved source states it."""
    CONFIRMED_2ND = "confirmed-2nd"
    """Only a secondary transcription of the official text was found."""
    DERIVED = "derived"
    """Computed from confirmed parameters with a confirmed formula."""
    UNCONFIRMED = "unconfirmed"
    """No source was found; shipped so the computation can run, flagged."""
    SCENARIO = "scenario"
    """Not law: a what-if value added with :meth:`Law.amend`."""

    @property
    def weakness(self) -> int:
        """0 for confirmed up to 4 for scenario: how far the value is from a stated source."""
        return _WEAKNESS[self]

    @property
    def is_firm(self) -> bool:
        """Whether a source states the value (confirmed or confirmed-2nd)."""
        return self in (SourceStatus.CONFIRMED, SourceStatus.CONFIRMED_2ND)


_WEAKNESS = {
    SourceStatus.CONFIRMED: 0,
    SourceStatus.CONFIRMED_2ND: 1,
    SourceStatus.DERIVED: 2,
    SourceStatus.UNCONFIRMED: 3,
    SourceStatus.SCENARIO: 4,
}


@attrs.frozen(cache_hash=True)
class Citation:
    """Where a value comes from: a legal document and the article in it.

    >>> str(Citation("Nghị định 73/2024/NĐ-CP", "Điều 3 khoản 2"))
    'Nghị định 73/2024/NĐ-CP, Điều 3 khoản 2'
    """

    document: str
    """The document number and kind, e.g. ``"Nghị định 159/2025/NĐ-CP"``."""
    article: str = ""
    """The article and clause, e.g. ``"Điều 5"``; empty when not identified."""
    url: str = ""
    """Where the text (or the source that quotes it) was read."""

    def __str__(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@attrs.frozen(cache_hash=True)
class RateTable:
    """Exact rates keyed by a group or rank, in the order the law lists them.

    >>> t = RateTable((("poor", Fraction(1, 2)), ("other", Fraction(1, 5))))
    >>> t["poor"], t.get("student"), t.keys()
    (Fraction(1, 2), None, ('poor', 'other'))
    """

    entries: tuple[tuple[str, Fraction], ...] = attrs.field()

    @entries.validator
    def _check(self, _attr: object, value: Any) -> None:
        ok = isinstance(value, tuple) and all(
            isinstance(e, tuple)
            and len(e) == 2
            and isinstance(e[0], str)
            and isinstance(e[1], Fraction)
            and 0 <= e[1] <= 1
            for e in value
        )
        if not ok:
            raise InvalidValueError(
                "entries",
                value,
                "a tuple of (key, Fraction rate between 0 and 1) pairs; floats are never accepted",
            )
        keys = [e[0] for e in value]
        if len(set(keys)) != len(keys):
            raise InvalidValueError("entries", value, "distinct keys")

    def get(self, key: str) -> Fraction | None:
        """The rate for *key*, or ``None``."""
        for k, v in self.entries:
            if k == key:
                return v
        return None

    def __getitem__(self, key: str) -> Fraction:
        rate = self.get(key)
        if rate is None:
            raise InvalidValueError("key", key, f"one of {', '.join(self.keys())}")
        return rate

    def __contains__(self, key: object) -> bool:
        return any(k == key for k, _ in self.entries)

    def __iter__(self) -> Iterator[tuple[str, Fraction]]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def keys(self) -> tuple[str, ...]:
        """The keys, in the law's order."""
        return tuple(k for k, _ in self.entries)

    def as_dict(self) -> dict[str, Fraction]:
        """A new ``dict`` of the rates."""
        return dict(self.entries)


ParamValue: TypeAlias = int | Fraction | RateTable | tuple[int, ...]
"""A resolved parameter value: an amount or count (``int``), a rate
(``Fraction``), a table of rates, or a set of allowed month counts."""


@attrs.frozen
class Link:
    """A value defined as *multiple* × another parameter on the same date."""

    of: str
    """The parameter this value follows."""
    multiple: Fraction = Fraction(1)
    """The factor applied to it."""


class ParamKind(Code):
    """What sort of value a parameter holds."""

    AMOUNT = "amount"
    """Whole đồng (``int``)."""
    COUNT = "count"
    """A whole number such as months, days or an age (``int``)."""
    RATE = "rate"
    """An exact rate (``Fraction``)."""
    RATES = "rates"
    """A :class:`RateTable`."""
    MONTHS = "months"
    """Allowed payment periods in months (``tuple[int, ...]``)."""


@attrs.frozen(kw_only=True)
class DatedValue:
    """One value of a parameter, in force from *effective* to *until*."""

    effective: dt.date
    """First day in force."""
    until: dt.date | None
    """Last day in force (inclusive); ``None``: until the next value, or open-ended."""
    value: ParamValue | Link
    """The value, or a :class:`Link` to another parameter."""
    citation: Citation
    """The legal source."""
    status: SourceStatus
    """How sure the value is."""
    note: str = ""
    """Why, when the status or the citation needs a word."""

    def covers(self, day: dt.date) -> bool:
        """Whether this entry alone is in force on *day* (ignoring later entries)."""
        return self.effective <= day and (self.until is None or day <= self.until)


@attrs.frozen(kw_only=True)
class Parameter:
    """A named legal parameter and its whole history."""

    name: str
    kind: ParamKind
    unit: str
    label_vi: str
    label_en: str
    values: tuple[DatedValue, ...]

    def label(self, lang: str = "vi") -> str:
        """The label in ``"vi"`` or ``"en"``."""
        return self.label_en if lang == "en" else self.label_vi


@attrs.frozen(kw_only=True)
class Amendment:
    """A what-if change recorded on a scenario :class:`Law`."""

    name: str
    value: ParamValue
    effective: dt.date
    citation: Citation


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


@attrs.frozen(cache_hash=True)
class Law:
    """An immutable set of dated legal parameters.

    Build one with :func:`ansinh.default_law` (the shipped data),
    :meth:`from_mapping`, or :meth:`amend` on an existing law.  Two laws are
    equal when they hold the same parameters, name and amendments.
    :meth:`at` gives the frozen :class:`LawPeriod` a computation reads.
    """

    parameters: tuple[Parameter, ...]
    """All parameters, in the order of the data file."""
    name: str = "ansinh"
    """A label for this set of parameters (the shipped one, or a scenario)."""
    amendments: tuple[Amendment, ...] = ()
    """The what-if changes made to the shipped law, in order."""
    # A read-only index derived from ``parameters`` when the law is built; never changed after.
    _index: Mapping[str, tuple[Parameter, tuple[dt.date, ...]]] = attrs.field(
        init=False, repr=False, eq=False, alias="_index"
    )
    _change_dates: tuple[dt.date, ...] = attrs.field(init=False, repr=False, eq=False, alias="_change_dates")

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.parameters, tuple) or not all(
            isinstance(p, Parameter) for p in self.parameters
        ):
            raise LawDataError("parameters must be a tuple of Parameter")
        index: dict[str, tuple[Parameter, tuple[dt.date, ...]]] = {}
        changes: set[dt.date] = set()
        for p in self.parameters:
            if p.name in index:
                raise LawDataError(f"parameter {p.name!r} is defined twice")
            _check_history(p.name, p.values)
            index[p.name] = (p, tuple(v.effective for v in p.values))
            for v in p.values:
                changes.add(v.effective)
                if v.until is not None:
                    changes.add(v.until + _ONE_DAY)
        object.__setattr__(self, "_index", types.MappingProxyType(index))
        object.__setattr__(self, "_change_dates", tuple(sorted(changes)))
        self._check_links()

    def __reduce__(self) -> tuple[Any, ...]:
        # The index is derived: a pickle holds the fields only and rebuilds it.
        return (Law, (self.parameters, self.name, self.amendments))

    def _check_links(self) -> None:
        for p in self.parameters:
            for v in p.values:
                if isinstance(v.value, Link):
                    if v.value.of not in self._index:
                        raise LawDataError(
                            f"{p.name}: value from {v.effective} links to unknown parameter {v.value.of!r}"
                        )
                    seen = {p.name}
                    target = v.value.of
                    day = v.effective
                    while True:
                        if target in seen:
                            raise LawDataError(f"{p.name}: link cycle through {target!r}")
                        seen.add(target)
                        try:
                            entry = self._entry(target, day)
                        except NotInForceError:
                            raise LawDataError(
                                f"{p.name}: value from {v.effective} links to {target!r}, "
                                f"which has no value on {day}"
                            ) from None
                        if not isinstance(entry.value, Link):
                            break
                        target = entry.value.of

    # -- building -------------------------------------------------------------

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, name: str = "ansinh") -> Law:
        """Build a law from the data-file shape (see ``ansinh/data/law.toml``).

        Raises:
            LawDataError: a value is malformed, a table has a gap or an overlap,
                a link points nowhere, or a key is unknown.
        """
        raw_params = data.get("parameters")
        if not isinstance(raw_params, Mapping) or not raw_params:
            raise LawDataError("law data needs a non-empty [parameters] table")
        params = []
        for pname, raw in raw_params.items():
            if not isinstance(raw, Mapping):
                raise LawDataError(f"parameters.{pname} must be a table")
            extra = set(raw) - _PARAM_KEYS
            if extra:
                raise LawDataError(
                    f"parameters.{pname} has unknown keys {sorted(extra)}; allowed: {sorted(_PARAM_KEYS)}"
                )
            try:
                kind = ParamKind(str(raw.get("kind")))
            except ValueError:
                raise LawDataError(
                    f"parameters.{pname}.kind={raw.get('kind')!r} is not allowed: one of "
                    + ", ".join(k.value for k in ParamKind)
                ) from None
            raw_values = raw.get("values")
            if not isinstance(raw_values, list) or not raw_values:
                raise LawDataError(f"parameters.{pname}.values must be a non-empty list")
            values = tuple(_parse_value(pname, kind, i, v) for i, v in enumerate(raw_values))
            params.append(
                Parameter(
                    name=pname,
                    kind=kind,
                    unit=str(raw.get("unit", "")),
                    label_vi=str(raw.get("label_vi", pname)),
                    label_en=str(raw.get("label_en", pname)),
                    values=values,
                )
            )
        return cls(tuple(params), name=name)

    def amend(
        self,
        name: str,
        value: object,
        *,
        effective: dt.date,
        source: str | Citation,
    ) -> Law:
        """Return a new law in which *name* takes *value* from *effective* on.

        Values of *name* that start on or after *effective* are replaced; the
        value in force the day before ends then.  The new value is tagged
        :attr:`SourceStatus.SCENARIO`.  The law this is called on is never
        changed.

        Raises:
            UnknownParameterError: *name* is not a parameter.
            LawDataError: *value* does not fit the parameter's kind.
        """
        param = self.parameter(name)
        check_date("effective", effective)
        coerced = _coerce(param.kind, value, f"{name}.value")
        citation = source if isinstance(source, Citation) else Citation(str(source))
        kept = [v for v in param.values if v.effective < effective]
        if kept and (kept[-1].until is None or kept[-1].until >= effective):
            kept[-1] = attrs.evolve(kept[-1], until=effective - _ONE_DAY)
        kept.append(
            DatedValue(
                effective=effective,
                until=None,
                value=coerced,
                citation=citation,
                status=SourceStatus.SCENARIO,
            )
        )
        new_param = attrs.evolve(param, values=tuple(kept))
        params = tuple(new_param if p.name == name else p for p in self.parameters)
        amendment = Amendment(name=name, value=coerced, effective=effective, citation=citation)
        return Law(params, name=f"{self.name} (scenario)", amendments=(*self.amendments, amendment))

    # -- reading --------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """The parameter names, in data-file order."""
        return tuple(p.name for p in self.parameters)

    def parameter(self, name: str) -> Parameter:
        """The :class:`Parameter` called *name*.

        Raises:
            UnknownParameterError: no such parameter.
        """
        try:
            return self._index[name][0]
        except (KeyError, TypeError):  # TypeError: an unhashable name
            raise UnknownParameterError(name, self.names) from None

    def history(self, name: str) -> tuple[DatedValue, ...]:
        """Every value *name* has had, oldest first, each with its citation."""
        return self.parameter(name).values

    def _entry(self, name: str, on: dt.date) -> DatedValue:
        try:
            param, dates = self._index[name]
        except (KeyError, TypeError):  # TypeError: an unhashable name
            raise UnknownParameterError(name, self.names) from None
        i = bisect_right(dates, on) - 1
        if i < 0:
            raise NotInForceError(f"{name} has no value on {on}: its first value is in force from {dates[0]}")
        entry = param.values[i]
        if entry.until is not None and on > entry.until:
            raise NotInForceError(f"{name} has no value on {on}: its last value ended on {entry.until}")
        return entry

    def lookup(self, name: str, *, on: dt.date) -> DatedValue:
        """The :class:`DatedValue` of *name* in force *on* a date (with its citation).

        Raises:
            UnknownParameterError: no such parameter.
            NotInForceError: no value in force on that date.
        """
        check_date("on", on)
        return self._entry(name, on)

    def sources(self, name: str, *, on: dt.date) -> tuple[DatedValue, ...]:
        """The entry of *name* in force on a date, then the entries its links follow.

        For a plain value this is one entry; for the income floor (a link to
        the rural poverty line) it is the floor's entry and the poverty line's.
        """
        chain = [self.lookup(name, on=on)]
        while isinstance(chain[-1].value, Link):
            chain.append(self._entry(chain[-1].value.of, on))
        return tuple(chain)

    def at(self, on: dt.date) -> LawPeriod:
        """The frozen snapshot of every parameter in force *on* a date.

        Every date of one law period (see :meth:`period_bounds`) gives an equal
        snapshot, built once and shared: pricing and eligibility read it
        instead of looking each value up again.

        Raises:
            InvalidValueError: *on* is not a date.

        >>> import datetime as dt
        >>> from ansinh.data import default_law
        >>> period = default_law().at(dt.date(2025, 1, 1))
        >>> period.amount("base_salary"), period.start, period.end
        (2340000, datetime.date(2024, 7, 1), datetime.date(2025, 6, 30))
        """
        check_date("on", on)
        return _period_of(self, self.period(on))

    def _in_force(self, name: str, on: dt.date) -> LawValue:
        period = self.at(on)
        found = period.get(name)
        if found is None:
            self._entry(name, on)  # raises the error that names the date
            period.entry(name)  # raises for a value that cannot be resolved
        return period.entry(name)

    def status(self, name: str, *, on: dt.date) -> SourceStatus:
        """The weakest status along :meth:`sources`: a value is only as sure as what it follows."""
        return self._in_force(name, on).status

    def citation(self, name: str, *, on: dt.date) -> Citation:
        """The citation of *name* on a date, joined with those its links follow."""
        return self._in_force(name, on).citation

    def value(self, name: str, *, on: dt.date) -> ParamValue:
        """The value of *name* in force *on* a date, links resolved.

        Raises:
            UnknownParameterError: no such parameter.
            NotInForceError: no value in force on that date.
        """
        return self._in_force(name, on).value

    def amount(self, name: str, *, on: dt.date) -> int:
        """Like :meth:`value` for an amount or count parameter (an ``int``)."""
        return self._in_force(name, on).amount()

    def rate(self, name: str, *, on: dt.date) -> Fraction:
        """Like :meth:`value` for a rate parameter (a ``Fraction``)."""
        return self._in_force(name, on).rate()

    def rates(self, name: str, *, on: dt.date) -> RateTable:
        """Like :meth:`value` for a table of rates."""
        return self._in_force(name, on).rates()

    def months(self, name: str, *, on: dt.date) -> tuple[int, ...]:
        """Like :meth:`value` for a set of allowed payment periods."""
        return self._in_force(name, on).months()

    @property
    def change_dates(self) -> tuple[dt.date, ...]:
        """Every date on which some parameter changes, sorted."""
        return self._change_dates

    def period(self, on: dt.date) -> int:
        """An index of the law period containing *on*.

        Two dates with the same period index see exactly the same value of every
        parameter (the same :meth:`at` snapshot).
        """
        return bisect_right(self._change_dates, on)

    def _resolve(self, name: str, day: dt.date) -> ParamValue:
        """The value of *name* on *day*, links followed (the data was checked when the law was built)."""
        value = self._entry(name, day).value
        if not isinstance(value, Link):
            return value
        base = self._resolve(value.of, day)
        if isinstance(base, int | Fraction):
            product = base * value.multiple
            if self.parameter(name).kind is ParamKind.RATE:
                return Fraction(product)
            if product.denominator != 1:
                raise LawDataError(f"{name} on {day} = {value.multiple} × {value.of} is not a whole number")
            return int(product)
        raise LawDataError(f"{name} links to {value.of}, which is not a number")

    def period_bounds(self, on: dt.date) -> tuple[dt.date | None, dt.date | None]:
        """First and last day of the law period containing *on* (``None``: unbounded)."""
        i = bisect_right(self._change_dates, on)
        start = self._change_dates[i - 1] if i > 0 else None
        end = self._change_dates[i] - _ONE_DAY if i < len(self._change_dates) else None
        return start, end


@attrs.frozen(kw_only=True)
class LawValue:
    """One parameter in one law period: its value (links resolved) and where it comes from.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> v = default_law().at(dt.date(2026, 7, 1)).entry("vsi_income_ceiling")
    >>> v.value, v.status.value
    (50600000, 'confirmed-2nd')
    """

    name: str
    kind: ParamKind
    unit: str
    label_vi: str
    label_en: str
    value: ParamValue
    """The value, links resolved."""
    citation: Citation
    """The citation, joined with those its links follow."""
    status: SourceStatus
    """The weakest status along the links: a value is only as sure as what it follows."""
    sources: tuple[DatedValue, ...]
    """The entry in force, then the entries its links follow."""

    def label(self, lang: str = "vi") -> str:
        """The label in ``"vi"`` or ``"en"``."""
        return self.label_en if lang == "en" else self.label_vi

    def amount(self) -> int:
        """The value of an amount or count parameter."""
        if not isinstance(self.value, int):
            raise InvalidValueError("name", self.name, "an amount or count parameter")
        return self.value

    def rate(self) -> Fraction:
        """The value of a rate parameter."""
        if not isinstance(self.value, Fraction):
            raise InvalidValueError("name", self.name, "a rate parameter")
        return self.value

    def rates(self) -> RateTable:
        """The value of a rate-table parameter."""
        if not isinstance(self.value, RateTable):
            raise InvalidValueError("name", self.name, "a rate-table parameter")
        return self.value

    def months(self) -> tuple[int, ...]:
        """The value of a payment-months parameter."""
        if not isinstance(self.value, tuple):
            raise InvalidValueError("name", self.name, "a payment-months parameter")
        return self.value


_Missing: TypeAlias = tuple[str, Literal["not_in_force", "bad_data"], str]


@attrs.frozen(kw_only=True, cache_hash=True)
class LawPeriod:
    """Every value of a :class:`Law` in force during one law period, frozen (:meth:`Law.at`).

    Pricing and the eligibility rules read a period rather than the law: its
    values are resolved once, and every date of the period shares it.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> p = default_law().at(dt.date(2026, 1, 5))
    >>> p.amount("vsi_income_floor"), str(p.citation("base_salary"))
    (1500000, 'Nghị định 73/2024/NĐ-CP, Điều 3 khoản 2')
    >>> "bhyt_rate" in p, p.get("no_such_parameter") is None
    (True, True)
    """

    law_name: str
    """The name of the law (``"… (scenario)"`` for what-if laws)."""
    start: dt.date | None
    """First day of the period; ``None``: before the first change the law records."""
    end: dt.date | None
    """Last day of the period; ``None``: open-ended."""
    values: tuple[LawValue, ...]
    """The parameters in force, in the law's order."""
    missing: tuple[_Missing, ...] = ()
    """``(name, why, message)`` for each parameter without a usable value in the period."""
    # A read-only index of ``values`` by name, derived at construction and never changed.
    _by_name: Mapping[str, LawValue] = attrs.field(init=False, repr=False, eq=False, alias="_by_name")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", types.MappingProxyType({v.name: v for v in self.values}))

    def __reduce__(self) -> tuple[Any, ...]:
        # The index is derived: a pickle holds the fields only and rebuilds it.
        return (_make_period, (self.law_name, self.start, self.end, self.values, self.missing))

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the parameters in force, in the law's order."""
        return tuple(v.name for v in self.values)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def covers(self, day: dt.date) -> bool:
        """Whether *day* falls in this period."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def get(self, name: str) -> LawValue | None:
        """The value of *name* in this period, or ``None`` when it has none."""
        return self._by_name.get(name) if isinstance(name, str) else None

    def entry(self, name: str) -> LawValue:
        """The :class:`LawValue` of *name*.

        Raises:
            NotInForceError: *name* has no value in force in this period.
            LawDataError: its value cannot be resolved (e.g. a scenario link that is not whole).
            UnknownParameterError: the law has no parameter *name*.
        """
        found = self._by_name.get(name)
        if found is not None:
            return found
        for missing, why, message in self.missing:
            if missing == name:
                raise (LawDataError if why == "bad_data" else NotInForceError)(message)
        raise UnknownParameterError(name, tuple(sorted((*self._by_name, *(m[0] for m in self.missing)))))

    def value(self, name: str) -> ParamValue:
        """The value of *name* (links resolved); see :meth:`entry` for the errors."""
        return self.entry(name).value

    def amount(self, name: str) -> int:
        """The value of an amount or count parameter."""
        return self.entry(name).amount()

    def rate(self, name: str) -> Fraction:
        """The value of a rate parameter."""
        return self.entry(name).rate()

    def rates(self, name: str) -> RateTable:
        """The value of a rate-table parameter."""
        return self.entry(name).rates()

    def months(self, name: str) -> tuple[int, ...]:
        """The value of a payment-months parameter."""
        return self.entry(name).months()

    def citation(self, name: str) -> Citation:
        """The citation of *name*, joined with those its links follow."""
        return self.entry(name).citation

    def status(self, name: str) -> SourceStatus:
        """The status of *name* (the weakest along its links)."""
        return self.entry(name).status


def _make_period(
    law_name: str,
    start: dt.date | None,
    end: dt.date | None,
    values: tuple[LawValue, ...],
    missing: tuple[_Missing, ...],
) -> LawPeriod:
    """A :class:`LawPeriod` from its fields (what a pickle of one holds)."""
    return LawPeriod(law_name=law_name, start=start, end=end, values=values, missing=missing)


@functools.lru_cache(maxsize=256)
def _period_of(law: Law, index: int) -> LawPeriod:
    """The snapshot of law period *index* of *law* (pure; bounded cache)."""
    dates = law.change_dates
    start = dates[index - 1] if index > 0 else None
    end = dates[index] - _ONE_DAY if index < len(dates) else None
    day = start if start is not None else dt.date.min
    values: list[LawValue] = []
    missing: list[_Missing] = []
    for param in law.parameters:
        try:
            chain = law.sources(param.name, on=day)
            resolved = law._resolve(param.name, day)
        except NotInForceError as exc:
            why = str(exc).partition(": ")[2]
            span = f"from {start or 'the first date'} to {end or 'the last date'}"
            missing.append((param.name, "not_in_force", f"{param.name} has no value {span}: {why}"))
            continue
        except LawDataError as exc:
            missing.append((param.name, "bad_data", str(exc)))
            continue
        citation = (
            chain[0].citation
            if len(chain) == 1
            else Citation("; ".join(str(e.citation) for e in chain), "", chain[0].citation.url)
        )
        values.append(
            LawValue(
                name=param.name,
                kind=param.kind,
                unit=param.unit,
                label_vi=param.label_vi,
                label_en=param.label_en,
                value=resolved,
                citation=citation,
                status=max((e.status for e in chain), key=lambda s: s.weakness),
                sources=chain,
            )
        )
    return LawPeriod(law_name=law.name, start=start, end=end, values=tuple(values), missing=tuple(missing))
