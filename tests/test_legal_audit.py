"""The legal audit of 2026-12 (facts.md, "Audit of 2026-12"): each fix in đồng, on the day
before and the day of every date that changes the amount."""

from __future__ import annotations

import datetime as dt

import pytest

from ansinh.core.law import SourceStatus
from ansinh.core.people import Category
from ansinh.core.pricing import book_monthly_support, book_support_group, card_payment_months, price
from ansinh.core.products import HealthCard, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import InvalidProductError, NotInForceError
from ansinh.testing import sample_person

LAW = default_law()
D = dt.date


# -- voluntary-SI state support began on 2018-01-01 (A2) ---------------------------------------


@pytest.mark.parametrize(
    ("day", "poor", "near_poor", "other"),
    [
        (D(2017, 12, 31), 0, 0, 0),  # Decree 134 applied from 2016, its support from 2018
        (D(2018, 1, 1), 46_200, 38_500, 15_400),  # 30 / 25 / 10 % of 22 % × 700,000
        (D(2025, 6, 30), 99_000, 82_500, 33_000),
        (D(2025, 7, 1), 165_000, 132_000, 66_000),
    ],
)
def test_vsi_state_support_by_date(day: dt.date, poor: int, near_poor: int, other: int) -> None:
    period = LAW.at(day)
    got = [
        book_monthly_support(period, book_support_group(period, {c})[1])[0]
        for c in (Category.POOR, Category.NEAR_POOR, Category.FREE_WORKER)
    ]
    assert got == [poor, near_poor, other]


def test_books_before_2018_07_01_are_out_of_range() -> None:
    """No sourced base salary before 2018-07-01, so no ceiling: the law says where it stops."""
    poor = sample_person(categories={Category.POOR})
    with pytest.raises(NotInForceError, match=r"vsi_income_ceiling.*2018-07-01"):
        price(SocialBook(months=1), poor, on=D(2018, 6, 30), law=LAW)
    q = price(SocialBook(months=1), poor, on=D(2018, 7, 1), law=LAW)
    assert (q.gross, q.state_support, q.payable) == (154_000, 46_200, 107_800)


def test_the_2016_2017_entry_says_no_support_and_cites_the_start() -> None:
    entry = LAW.lookup("vsi_state_support", on=D(2017, 12, 31))
    assert entry.status is SourceStatus.DERIVED
    assert "20201109203939492" in entry.citation.url
    assert LAW.lookup("vsi_state_support", on=D(2018, 1, 1)).effective == D(2018, 1, 1)


# -- student cards: 3, 6, 9 or 12 months before Decree 188 (A5) ------------------------------


def test_student_card_of_nine_months_until_decree_188() -> None:
    student = sample_person(categories={Category.STUDENT})
    q = price(HealthCard(months=9), student, on=D(2025, 6, 30), law=LAW)
    # 4.5 % × 2,340,000 = 105,300 a month, the state 30 %: 73,710 a month for 9 months
    assert (q.gross, q.state_support, q.payable) == (947_700, 284_310, 663_390)
    with pytest.raises(InvalidProductError, match=r"months.*3, 6, 12.*Điều 7 khoản 6"):
        price(HealthCard(months=9), student, on=D(2025, 7, 1), law=LAW)
    year = price(HealthCard(months=12), student, on=D(2025, 7, 1), law=LAW)
    assert year.payable == 631_800  # the published 2025 student year


def test_nine_months_is_only_for_students() -> None:
    with pytest.raises(InvalidProductError, match="months"):
        price(HealthCard(months=9), sample_person(), on=D(2025, 6, 30), law=LAW)
    near_poor_student = sample_person(categories={Category.STUDENT, Category.NEAR_POOR})
    with pytest.raises(InvalidProductError, match="months"):  # priced in the near-poor group
        price(HealthCard(months=9), near_poor_student, on=D(2025, 6, 30), law=LAW)


def test_card_payment_months_reads_the_law() -> None:
    assert card_payment_months(LAW.at(D(2025, 6, 30)), "student")[1] == (3, 6, 9, 12)
    assert card_payment_months(LAW.at(D(2025, 7, 1)), "student")[1] == (3, 6, 12)
    assert card_payment_months(LAW.at(D(2025, 6, 30)), "near_poor")[1] == (3, 6, 12)
    without = type(LAW)(tuple(p for p in LAW.parameters if p.name != "bhyt_student_payment_months"))
    assert card_payment_months(without.at(D(2025, 6, 30)), "student") == ("bhyt_payment_months", (3, 6, 12))


# -- a category maps to every group it belongs to (A2) ------------------------------------------


@pytest.mark.parametrize(
    ("day", "state", "group"),
    [
        (D(2025, 6, 30), 33_000, "other"),  # Decree 134 had no ethnic-minority group
        (D(2025, 7, 1), 99_000, "ethnic_minority"),  # Decree 159 Art. 5: 30 %
    ],
)
def test_ethnic_minority_in_a_difficult_area_gets_the_ethnic_minority_rate(
    day: dt.date, state: int, group: str
) -> None:
    person = sample_person(categories={Category.ETHNIC_MINORITY_DIFFICULT_AREA})
    q = price(SocialBook(months=1), person, on=day, law=LAW)
    assert (q.group, q.state_support, q.payable) == (group, state, 330_000 - state)


# -- citation notes (A3, A4, A11) -----------------------------------------------------------------


def test_citations_name_the_right_articles() -> None:
    factors = LAW.lookup("bhyt_household_factors", on=D(2025, 7, 1))
    assert "105/2014" in factors.note
    assert "Art. 2.1.g" in factors.note
    assert "146" not in factors.note
    support = LAW.lookup("bhyt_state_support", on=D(2025, 7, 1))
    assert "Điều 6 khoản 6" in support.citation.article
    assert "unconfirmed" not in support.note
    assert LAW.status("bhyt_child_state_paid_age", on=D(2026, 1, 1)) is SourceStatus.CONFIRMED_2ND
