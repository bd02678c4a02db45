"""Voluntary-SI lump sums (Decree 159 Art. 6–7) with the unconfirmed fund return r."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from ansinh.core.law import SourceStatus
from ansinh.core.lump_sums import LumpSumKind, missing_period_lump_sum, prepay_lump_sum
from ansinh.core.money import round_half_up
from ansinh.core.people import Category
from ansinh.data import default_law
from ansinh.exceptions import InvalidProductError, NotInForceError

LAW = default_law()
D = dt.date
R = Fraction(31, 10_000)  # the shipped 2026 value, unconfirmed


def test_prepaying_two_years_is_discounted_by_r() -> None:
    s = prepay_lump_sum(years=2, on=D(2026, 3, 1), law=LAW)
    q = 1 / (1 + R)
    assert s.gross == round_half_up(330_000 * (1 - q**24) / (1 - q))  # a geometric series
    assert s.gross < 24 * 330_000
    assert (s.kind, s.months, s.fund_return, s.status) == (
        LumpSumKind.PREPAY,
        24,
        R,
        SourceStatus.UNCONFIRMED,
    )
    assert s.payable == s.gross - s.state_support
    assert any("159/2025" in c.document and c.article == "Điều 6" for c in s.citations)


def test_the_missing_period_is_compounded_by_r() -> None:
    s = missing_period_lump_sum(months=60, on=D(2026, 3, 1), law=LAW)
    assert s.gross == round_half_up(330_000 * (1 + R) * ((1 + R) ** 60 - 1) / R)
    assert s.gross > 60 * 330_000
    assert s.kind is LumpSumKind.MISSING_PERIOD


def test_state_support_inside_a_lump_sum_follows_the_group_and_the_cap() -> None:
    poor = prepay_lump_sum(years=2, on=D(2026, 3, 1), law=LAW, categories=frozenset({Category.POOR}))
    other = prepay_lump_sum(years=2, on=D(2026, 3, 1), law=LAW)
    q = 1 / (1 + R)
    # 50 % of 22 % × the floor each month, discounted like the contribution (method unconfirmed)
    assert poor.state_support == round_half_up(165_000 * (1 - q**24) / (1 - q))
    assert other.state_support < poor.state_support
    capped = prepay_lump_sum(
        years=2, on=D(2026, 3, 1), law=LAW, categories=frozenset({Category.POOR}), used_months=120
    )
    assert (capped.state_support, capped.payable) == (0, capped.gross)


def test_r_is_shipped_for_payments_in_2026_only() -> None:
    with pytest.raises(NotInForceError, match="vsi_fund_monthly_return"):
        prepay_lump_sum(years=2, on=D(2025, 12, 31), law=LAW)
    assert prepay_lump_sum(years=2, on=D(2026, 1, 1), law=LAW).gross == 7_644_801
    assert prepay_lump_sum(years=2, on=D(2026, 12, 31), law=LAW).gross == 7_644_801
    with pytest.raises(NotInForceError, match="vsi_fund_monthly_return"):
        prepay_lump_sum(years=2, on=D(2027, 1, 1), law=LAW)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: prepay_lump_sum(years=1, on=D(2026, 3, 1), law=LAW), "years"),
        (lambda: prepay_lump_sum(years=6, on=D(2026, 3, 1), law=LAW), "years"),
        (lambda: missing_period_lump_sum(months=61, on=D(2026, 3, 1), law=LAW), "months"),
        (
            lambda: missing_period_lump_sum(months=12, on=D(2026, 3, 1), law=LAW, monthly_income=1_520_000),
            "monthly_income",
        ),
    ],
)
def test_bad_lump_sums_are_named(call: object, field: str) -> None:
    with pytest.raises(InvalidProductError, match=field):
        call()  # type: ignore[operator]
