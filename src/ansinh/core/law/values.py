"""The values of the law: statuses, citations, rate tables, dated values and parameters.

Plain frozen values; :mod:`ansinh.core.law.laws` holds them in a :class:`~ansinh.core.law.laws.Law`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from typing import Any, Final, TypeAlias

import attrs

from ansinh.core.labels import Code
from ansinh.exceptions import InvalidValueError

__all__ = [
    "Amendment",
    "Citation",
    "DatedValue",
    "Link",
    "ParamKind",
    "ParamValue",
    "Parameter",
    "RateTable",
    "SourceStatus",
]

# One day: a value that ends on ``until`` gives way to the next on ``until + _ONE_DAY``.
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
