"""English number format with ``lang="en"``: quotes and CLI output say "4.5%" and "VND 2,340,000",
Vietnamese keeps "4,5%" and "2.340.000 đ"."""

from __future__ import annotations

import datetime as dt
import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh import cli
from ansinh.core.money import english_numbers, format_percent, format_vnd

_VI_NUMBER = re.compile(r"\d đ\b|\d{1,3}(?:\.\d{3}){2,}|\d,\d+ ?%")
_AMOUNTS = st.integers(min_value=-(10**15), max_value=10**15)
_RATES = st.fractions(min_value=-10, max_value=10, max_denominator=10**6)


@given(amount=_AMOUNTS)
def test_amounts_rewritten_as_format_vnd_writes_them_in_english(amount: int) -> None:
    assert english_numbers(format_vnd(amount)) == format_vnd(amount, "en")
    assert english_numbers(f"({format_vnd(amount)} × 12)") == f"({format_vnd(amount, 'en')} × 12)"


@given(rate=_RATES)
def test_percentages_rewritten_as_format_percent_writes_them_in_english(rate: Fraction) -> None:
    assert english_numbers(format_percent(rate)) == format_percent(rate, "en")


@given(text=st.text(alphabet="0123456789 ,.;×−()%abcđ", max_size=40))
def test_text_already_in_english_form_is_left_alone(text: str) -> None:
    english = english_numbers(text)
    assert english_numbers(english) == english


def test_other_numbers_are_not_touched() -> None:
    assert (
        english_numbers("min(12, 120 − 0); 1,5 triệu; 2.340.000") == "min(12, 120 − 0); 1,5 triệu; 2.340.000"
    )


def _quote(lang: str) -> str:
    person = ansinh.Person(
        id="X",
        full_name="Hà Văn E",
        date_of_birth=dt.date(1980, 1, 1),
        province="01",
        categories={ansinh.Category.NEAR_POOR},
    )
    card = ansinh.price(ansinh.HealthCard(months=12, household_rank=2), on=dt.date(2025, 6, 1))
    book = ansinh.price(ansinh.SocialBook(months=12), person, on=dt.date(2026, 1, 1))
    return card.explain("en" if lang == "en" else "vi") + "\n" + book.explain("en" if lang == "en" else "vi")


def test_quote_text_in_english_has_english_numbers_and_words() -> None:
    en = _quote("en")
    assert "4.5% × VND 2,340,000 × 70%" in en
    assert "Household health-insurance rate (first member): 4.5%" in en
    assert "(VND 73,710 × 12)" in en
    assert "(member 2)" in en
    assert "(the legal minimum)" in en
    assert "(total − state − local budget)" in en
    # Citations keep their Vietnamese titles; no number is in Vietnamese form.
    assert not _VI_NUMBER.findall(en.replace("Nghị định", ""))


def test_quote_text_in_vietnamese_is_unchanged() -> None:
    vi = _quote("vi")
    assert "4,5% × 2.340.000 đ × 70%" in vi
    assert "(73.710 đ × 12)" in vi
    assert "(người thứ 2)" in vi
    assert "(tổng − NSNN − NSĐP)" in vi


@pytest.mark.parametrize(
    "argv",
    [
        ["price", "card", "--months", "12", "--rank", "2", "--on", "2025-06-01"],
        ["price", "book", "--on", "2026-01-01", "--category", "near_poor", "--province", "31"],
        ["law", "show", "bhyt_rate"],
        ["law", "show", "--on", "2026-01-01"],
    ],
)
def test_cli_english_output_has_no_vietnamese_numbers(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert cli.main(["--no-plugins", "--lang", "en", *argv]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert re.search(r"VND \d|\d%", out)
    assert not _VI_NUMBER.findall(re.sub(r"\[[^]]*\]", "", out))
