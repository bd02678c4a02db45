"""Voluntary-SI lump sums (Decree 159/2025/NĐ-CP Art. 6 and 7), priced with the fund's return *r*.

Two of the six payment methods of Law 41/2024 Art. 36.2 are lump sums:

- **several future years at once** (Art. 6, at most ``vsi_prepay_max_years`` years):
  ``MĐ1 = Σ_{i=1..12n} 0.22 × TN / (1 + r)^(i−1)``, discounted;
- **the period still missing for a pension**, paid at retirement age (Art. 7, at most
  ``vsi_missing_period_max_months`` months): ``MĐ2 = Σ_{i=1..t} 0.22 × TN × (1 + r)^i``,
  compounded.

*r* is ``vsi_fund_monthly_return``: the average monthly investment return of the
social-insurance fund for the year before the payment year, announced by BHXH Việt Nam
each year.  **No official value was found**: the shipped value is ``unconfirmed``, and a
:class:`LumpSum` always carries the weakest status of what it used, so it says so.  A
prepaid amount is not re-priced later (``facts.md`` §3), so *TN* is the same every month.

State support applies to a lump sum too (BHXH Việt Nam, ``VSS-11446``), but how it
combines with discounting or compounding is not stated: ansinh applies the same factor
to each supported month's support as to that month's contribution, and flags the
result ``unconfirmed``.  Rounding: the exact sum is rounded half up to the đồng once, at
the end (no rule was found; the audit calls it the plausible convention).

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> s = prepay_lump_sum(years=2, on=dt.date(2026, 3, 1), law=default_law())
>>> s.months, s.gross < 24 * 330_000, s.status.value
(24, True, 'unconfirmed')
"""

from __future__ import annotations

import datetime as dt
import enum
from fractions import Fraction
from typing import Final

import attrs

from ansinh.core.dates import check_date
from ansinh.core.law import Citation, Law, LawPeriod, SourceStatus
from ansinh.core.money import round_half_up
from ansinh.core.people import Category
from ansinh.core.shares import book_monthly_support, book_support_group
from ansinh.exceptions import InvalidProductError, InvalidValueError

__all__ = [
    "FUND_RETURN",
    "LumpSum",
    "LumpSumKind",
    "missing_period_lump_sum",
    "prepay_lump_sum",
]

FUND_RETURN: Final = "vsi_fund_monthly_return"
"""The parameter *r*: the fund's average monthly return for the year before the payment year."""
_PREPAY_MAX: Final = "vsi_prepay_max_years"
_MISSING_MAX: Final = "vsi_missing_period_max_months"


class LumpSumKind(enum.StrEnum):
    """Which lump sum."""

    PREPAY = "prepay"
    """Several future years at once (Decree 159 Art. 6), discounted."""
    MISSING_PERIOD = "missing_period"
    """The missing period at retirement age (Decree 159 Art. 7), compounded."""


@attrs.frozen(kw_only=True)
class LumpSum:
    """A voluntary-SI lump sum, whole đồng, with the sources and the weakest status it rests on."""

    kind: LumpSumKind
    on: dt.date
    """The payment date (the law of this date prices it)."""
    months: int
    """Months paid for."""
    monthly_income: int
    """The chosen monthly income (TN), the same every month."""
    fund_return: Fraction
    """*r*, the monthly return used."""
    gross: int
    """The lump sum before support."""
    state_support: int
    """The state's support inside it (method unconfirmed, see the module text)."""
    payable: int
    """``gross − state_support``: what a donor would pay."""
    citations: tuple[Citation, ...]
    """The decree article, *r*'s source and the state support's source."""
    status: SourceStatus
    """The weakest status of what it used (*r* is unconfirmed)."""


def _factor(kind: LumpSumKind, r: Fraction, i: int) -> Fraction:
    """The discount (prepay, month *i* from 1) or compounding (missing period) factor of month *i*."""
    return 1 / (1 + r) ** (i - 1) if kind is LumpSumKind.PREPAY else (1 + r) ** i


def _income(period: LawPeriod, monthly_income: int | None, on: dt.date) -> int:
    floor = period.amount("vsi_income_floor")
    ceiling = period.amount("vsi_income_ceiling")
    step = period.amount("vsi_income_step")
    income = floor if monthly_income is None else monthly_income
    if (
        isinstance(income, bool)
        or not isinstance(income, int)
        or not floor <= income <= ceiling
        or (income - floor) % step
    ):
        raise InvalidProductError(
            "monthly_income",
            income,
            f"from {floor:,} to {ceiling:,} đồng in steps of {step:,} above {floor:,} on {on.isoformat()}",
        )
    return income


def _lump_sum(
    kind: LumpSumKind,
    months: int,
    monthly_income: int | None,
    categories: frozenset[Category],
    used_months: int,
    on: dt.date,
    law: Law,
) -> LumpSum:
    check_date("on", on)
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    period = law.at(on)
    r_entry = period.entry(FUND_RETURN)
    r = r_entry.rate()
    income = _income(period, monthly_income, on)
    monthly = period.rate("vsi_rate") * income
    _, share = book_support_group(period, categories)
    state_m, _ = book_monthly_support(period, share)
    cap = period.amount("vsi_support_max_months")
    supported = max(0, min(months, cap - used_months))
    factors = [_factor(kind, r, i) for i in range(1, months + 1)]
    gross = round_half_up(sum((monthly * f for f in factors), Fraction(0)))
    state = round_half_up(sum((state_m * f for f in factors[:supported]), Fraction(0)))
    limit = _PREPAY_MAX if kind is LumpSumKind.PREPAY else _MISSING_MAX
    article = period.entry(limit)
    support = period.entry("vsi_state_support")
    statuses = (r_entry.status, article.status, support.status, SourceStatus.UNCONFIRMED)
    return LumpSum(
        kind=kind,
        on=on,
        months=months,
        monthly_income=income,
        fund_return=r,
        gross=gross,
        state_support=state,
        payable=gross - state,
        citations=(article.citation, r_entry.citation, support.citation),
        status=max(statuses, key=lambda s: s.weakness),
    )


def _count(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidProductError(name, value, f"a whole number from {low} to {high}")
    return value


def prepay_lump_sum(
    *,
    years: int,
    on: dt.date,
    law: Law,
    monthly_income: int | None = None,
    categories: frozenset[Category] = frozenset(),
    used_months: int = 0,
) -> LumpSum:
    """The lump sum for *years* future years of voluntary SI paid at once on *on* (Decree 159 Art. 6).

    Args:
        years: 2 up to ``vsi_prepay_max_years`` (the software offers 24, 36, 48 or 60 months).
        on: the payment date; *r* and every other value are read from the law of that date.
        law: the parameters.
        monthly_income: the chosen income (``None``: the floor).
        categories: the participant's groups (the state's support rate).
        used_months: months of state support already used (the 120-month cap).

    Raises:
        NotInForceError: the law has no *r* (or another value) on *on*.
        InvalidProductError: *years* or *monthly_income* is not allowed on *on*.
    """
    check_date("on", on)
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    most = law.at(on).amount(_PREPAY_MAX)
    n = _count("years", years, 2, most)
    return _lump_sum(LumpSumKind.PREPAY, 12 * n, monthly_income, frozenset(categories), used_months, on, law)


def missing_period_lump_sum(
    *,
    months: int,
    on: dt.date,
    law: Law,
    monthly_income: int | None = None,
    categories: frozenset[Category] = frozenset(),
    used_months: int = 0,
) -> LumpSum:
    """The lump sum for the *months* still missing for a pension, paid at retirement age (Decree 159 Art. 7).

    Args:
        months: 1 up to ``vsi_missing_period_max_months``.
        on, law, monthly_income, categories, used_months: as for :func:`prepay_lump_sum`.

    Raises:
        NotInForceError: the law has no *r* (or another value) on *on*.
        InvalidProductError: *months* or *monthly_income* is not allowed on *on*.
    """
    check_date("on", on)
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    most = law.at(on).amount(_MISSING_MAX)
    t = _count("months", months, 1, most)
    return _lump_sum(
        LumpSumKind.MISSING_PERIOD, t, monthly_income, frozenset(categories), used_months, on, law
    )
