"""The :class:`Law`: an immutable set of dated parameters, its scenarios and its periods."""

from __future__ import annotations

import datetime as dt
import functools
import types
from bisect import bisect_right
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs

from ansinh.core.dates import check_date
from ansinh.core.display import Section, html_summary
from ansinh.core.law.parsing import _PARAM_KEYS, _check_history, _coerce, _parse_value
from ansinh.core.law.periods import LawPeriod, LawValue, _Missing
from ansinh.core.law.values import (
    _ONE_DAY,
    Amendment,
    Citation,
    DatedValue,
    Link,
    Parameter,
    ParamKind,
    ParamValue,
    RateTable,
    SourceStatus,
)
from ansinh.exceptions import LawDataError, NotInForceError, UnknownParameterError

__all__ = ["Law"]


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

    def __repr__(self) -> str:
        first, last = (self._change_dates[0], self._change_dates[-1]) if self._change_dates else (None, None)
        span = f", changes {first} … {last}" if first is not None else ""
        return (
            f"Law({self.name!r}, {len(self.parameters)} parameters, {len(self.amendments)} amendments{span})"
        )

    def _repr_html_(self) -> str:
        rows = [
            (p.name, p.label_en, len(p.values), p.values[-1].effective.isoformat(), p.values[-1].status.value)
            for p in self.parameters
        ]
        changes = [(a.name, str(a.value), a.effective.isoformat()) for a in self.amendments]
        return html_summary(
            f"Law {self.name}",
            [("parameters", len(self.parameters)), ("amendments", len(self.amendments))],
            [
                Section("parameters", ("name", "label", "dated values", "latest from", "status"), rows),
                Section("amendments", ("parameter", "value", "from"), changes, open=True),
            ],
        )

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
