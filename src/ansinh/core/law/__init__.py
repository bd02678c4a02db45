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

The package has one module per concern; every name below is importable from
``ansinh.core.law`` itself:

:mod:`~ansinh.core.law.values`
    :class:`SourceStatus`, :class:`Citation`, :class:`RateTable`, :class:`Link`,
    :class:`ParamKind`, :class:`DatedValue`, :class:`Parameter`, :class:`Amendment`.
:mod:`~ansinh.core.law.parsing`
    :func:`parse_date`, :func:`parse_status`, :func:`parse_table` and :func:`parse_text` (data files and
    plugin tables).
:mod:`~ansinh.core.law.laws`
    :class:`Law`: building, :meth:`Law.amend` scenarios, reading by date.
:mod:`~ansinh.core.law.periods`
    :class:`LawPeriod` and :class:`LawValue`, the frozen snapshot :meth:`Law.at` gives.
"""

from __future__ import annotations

from ansinh.core.law.laws import Law
from ansinh.core.law.parsing import parse_date, parse_status, parse_table, parse_text
from ansinh.core.law.periods import LawPeriod, LawValue
from ansinh.core.law.values import (
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
    "parse_table",
    "parse_text",
]
