"""One law period, frozen: every parameter's value in force between two change dates.

:meth:`Law.at <ansinh.core.law.laws.Law.at>` builds a :class:`LawPeriod`; pricing and
the eligibility rules read it.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import attrs

from ansinh.core.law.values import Citation, DatedValue, ParamKind, ParamValue, RateTable, SourceStatus
from ansinh.exceptions import InvalidValueError, LawDataError, NotInForceError, UnknownParameterError

__all__ = ["LawPeriod", "LawValue"]


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
        found = self.get(name)
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
