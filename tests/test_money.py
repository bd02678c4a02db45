"""Money: whole đồng, exact rates, one rounding rule, Vietnamese formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.money import format_percent, format_vnd, format_vnd_short, round_half_up, to_amount, to_rate
from ansinh.exceptions import InvalidAmountError


@given(st.fractions())
def test_round_half_up_is_nearest_with_halves_away_from_zero(x: Fraction) -> None:
    r = round_half_up(x)
    assert abs(x - r) <= Fraction(1, 2)
    if abs(x - r) == Fraction(1, 2):
        assert abs(r) > abs(x)


@given(st.integers())
def test_round_half_up_keeps_integers(n: int) -> None:
    assert round_half_up(Fraction(n)) == n == round_half_up(n)


@pytest.mark.parametrize(
    ("text", "rate"),
    [("0.045", Fraction(9, 200)), ("4.5%", Fraction(9, 200)), ("0,7", Fraction(7, 10)), ("1", Fraction(1))],
)
def test_to_rate_from_text(text: str, rate: Fraction) -> None:
    assert to_rate(text) == rate


def test_to_rate_other_exact_types() -> None:
    assert to_rate(Decimal("0.22")) == Fraction(11, 50)
    assert to_rate(1) == 1
    assert to_rate(Fraction(1, 3)) == Fraction(1, 3)


@pytest.mark.parametrize("bad", [0.045, True, "abc", None, Decimal("NaN"), "inf", [1]])
def test_to_rate_rejects(bad: object) -> None:
    with pytest.raises(InvalidAmountError, match="rate"):
        to_rate(bad)


@pytest.mark.parametrize("bad", [1.0, 1e6, True, "100", None, Decimal(5)])
def test_to_amount_rejects_everything_but_int(bad: object) -> None:
    with pytest.raises(InvalidAmountError, match="whole number of đồng"):
        to_amount(bad, "amount")


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_never_enter(value: float) -> None:
    with pytest.raises(InvalidAmountError):
        to_amount(value)
    with pytest.raises(InvalidAmountError):
        to_rate(value)


@pytest.mark.parametrize(
    ("amount", "vi", "en"),
    [
        (1_263_600, "1.263.600 đ", "VND 1,263,600"),
        (0, "0 đ", "VND 0"),
        (999, "999 đ", "VND 999"),
        (-52_650, "-52.650 đ", "-VND 52,650"),
    ],
)
def test_format_vnd(amount: int, vi: str, en: str) -> None:
    assert format_vnd(amount) == vi
    assert format_vnd(amount, "en") == en


@pytest.mark.parametrize(
    ("amount", "vi"),
    [
        (52_500_000_000, "52,5 tỷ đồng"),
        (1_610_000_000, "1,61 tỷ đồng"),
        (79_400_000_000, "79,4 tỷ đồng"),
        (13_300_000_000, "13,3 tỷ đồng"),
        (600_000_000, "600 triệu đồng"),
        (2_000_000_000, "2 tỷ đồng"),
        (1_234_567_890_000, "1.234,57 tỷ đồng"),
        (5_000, "5 nghìn đồng"),
        (500, "500 đ"),
    ],
)
def test_format_vnd_short(amount: int, vi: str) -> None:
    assert format_vnd_short(amount) == vi


def test_format_rejects_floats() -> None:
    with pytest.raises(InvalidAmountError):
        format_vnd(1.5)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**15))
def test_format_vnd_round_trips(amount: int) -> None:
    assert int(format_vnd(amount).removesuffix(" đ").replace(".", "")) == amount
    assert int(format_vnd(amount, "en").removeprefix("VND ").replace(",", "")) == amount


@given(st.integers(min_value=0, max_value=10**8), st.integers(min_value=0, max_value=4))
def test_format_percent_is_exact_for_decimal_rates(units: int, scale: int) -> None:
    rate = Fraction(units, 10 ** (scale + 2))  # at most `scale` decimals as a percentage
    assert to_rate(format_percent(rate, "en")) == rate
    assert to_rate(format_percent(rate)) == rate


def test_format_percent_rounds_other_rates() -> None:
    assert format_percent(Fraction(2, 3)) == "66,6667%"
    assert format_percent(Fraction(2, 3), "en", digits=1) == "66.7%"
    assert format_percent(Fraction(0)) == "0%"
