"""Every worked example of ``shared/domain/worked-examples.json``, priced exactly.

The JSON is copied into ``tests/data`` so the suite runs on its own.  Each
example also checks that its stated inputs (base salary, poverty line, rates)
are what the shipped law says on that date, so a wrong parameter cannot hide
behind a right total.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import ansinh
from ansinh.core.law import RateTable, SourceStatus
from ansinh.core.pricing import LocalSupport, Quote
from ansinh.core.products import ProductKind

EXAMPLES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "worked-examples.json").read_text(encoding="utf-8")
)
LAW = ansinh.default_law()

GROUP_CATEGORIES = {
    "none": frozenset(),
    "other": frozenset(),
    "poor": frozenset({ansinh.Category.POOR}),
    "poor_or_island_special_zone": frozenset({ansinh.Category.POOR}),
    "near_poor": frozenset({ansinh.Category.NEAR_POOR}),
    "ethnic_minority": frozenset({ansinh.Category.ETHNIC_MINORITY}),
}


def _person(categories: frozenset[ansinh.Category], province: str = "01") -> ansinh.Person:
    return ansinh.Person(
        id="EX",
        full_name="Người Ví Dụ",
        date_of_birth=dt.date(1980, 1, 1),
        province=province,
        categories=categories,
    )


def _rate(value: float) -> Fraction:
    # The JSON file writes rates as floats; they are converted through their
    # shortest decimal text, which is exact for these values.
    return Fraction(repr(value))


def _quote(example: dict[str, Any]) -> tuple[Quote, int]:
    """The quote for an example and the figure to compare with ``expected_vnd``."""
    on = dt.date.fromisoformat(example["date"])
    inputs = example["inputs"]
    product = example["product"]
    by_month = example["period"] == "month"
    if "base_salary" in inputs:
        assert LAW.value("base_salary", on=on) == inputs["base_salary"]
    if "rural_poverty_line" in inputs:
        assert LAW.value("rural_poverty_line", on=on) == inputs["rural_poverty_line"]
    if "reference_level" in inputs:
        assert LAW.value("reference_level", on=on) == inputs["reference_level"]
    if "rate" in inputs:
        assert LAW.value("vsi_rate", on=on) == _rate(inputs["rate"])

    if product == "bhyt_household":
        months = 12 if by_month else inputs["months"]
        q = ansinh.price(ansinh.HealthCard(months=months, household_rank=inputs["household_position"]), on=on)
        assert _rate(inputs["state_support_rate"]) == 0
        return q, q.monthly_payable if by_month else q.payable
    if product == "bhyt_student":
        person = _person(frozenset({ansinh.Category.STUDENT}))
        q = ansinh.price(ansinh.HealthCard(months=inputs["months"]), person, on=on)
        assert Fraction(q.state_support, q.gross) == _rate(inputs["state_support_rate"])
        return q, q.monthly_payable if by_month else q.payable
    if product in ("bhxh_voluntary", "bhxh_voluntary_state_support"):
        person = _person(GROUP_CATEGORIES[inputs["group"]])
        book = ansinh.SocialBook(months=inputs["months"], monthly_income=inputs["chosen_income"])
        q = ansinh.price(book, person, on=on)
        if product == "bhxh_voluntary":
            return q, q.monthly_gross
        return q, q.monthly_state_support
    if product == "bhxh_voluntary_local_support":
        # Long Biên district's 2022 top-up, modelled as a local programme of Hà Nội (code 01).
        district = LocalSupport(
            code="long-bien-2022",
            province="01",
            product=ProductKind.SOCIAL_BOOK,
            effective=dt.date(2022, 8, 1),
            until=dt.date(2025, 12, 31),
            rates=RateTable(((inputs["group"], _rate(inputs["district_support_rate"])),)),
            citation=ansinh.Citation("Quận Long Biên", url=example["source"]),
            status=SourceStatus.CONFIRMED,
            label_vi="Quận Long Biên",
            label_en="Long Biên district",
        )
        person = _person(GROUP_CATEGORIES[inputs["group"]])
        q = ansinh.core.pricing.price(
            ansinh.SocialBook(months=inputs["months"]), person, on=on, law=LAW, local_supports=(district,)
        )
        return q, q.monthly_local_support
    raise AssertionError(f"unknown product {product!r}")  # pragma: no cover


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["id"] for e in EXAMPLES])
def test_worked_example(example: dict[str, Any]) -> None:
    quote, figure = _quote(example)
    assert figure == example["expected_vnd"], quote.explain("en")
    assert quote.payable == quote.gross - quote.state_support - quote.local_support


def test_every_example_is_covered() -> None:
    assert len(EXAMPLES) >= 15
    assert {e["product"] for e in EXAMPLES} <= {
        "bhyt_household",
        "bhyt_student",
        "bhxh_voluntary",
        "bhxh_voluntary_state_support",
        "bhxh_voluntary_local_support",
    }


@pytest.mark.parametrize(
    ("base_date", "monthly", "yearly"),
    [
        # facts.md §5: household tiers at each base salary (member 1 .. 5+).
        (
            dt.date(2020, 1, 1),
            (67_050, 46_935, 40_230, 33_525, 26_820),
            (804_600, 563_220, 482_760, 402_300, 321_840),
        ),
        (
            dt.date(2023, 7, 1),
            (81_000, 56_700, 48_600, 40_500, 32_400),
            (972_000, 680_400, 583_200, 486_000, 388_800),
        ),
        (
            dt.date(2024, 7, 1),
            (105_300, 73_710, 63_180, 52_650, 42_120),
            (1_263_600, 884_520, 758_160, 631_800, 505_440),
        ),
        (
            dt.date(2026, 7, 1),
            (113_850, 79_695, 68_310, 56_925, 45_540),
            (1_366_200, 956_340, 819_720, 683_100, 546_480),
        ),
    ],
)
def test_household_tiers(base_date: dt.date, monthly: tuple[int, ...], yearly: tuple[int, ...]) -> None:
    for rank in range(1, 6):
        q = ansinh.price(ansinh.HealthCard(months=12, household_rank=rank), on=base_date)
        assert (q.monthly_gross, q.gross) == (monthly[rank - 1], yearly[rank - 1])
    sixth = ansinh.price(ansinh.HealthCard(months=12, household_rank=6), on=base_date)
    assert sixth.gross == yearly[4]


@pytest.mark.parametrize(
    ("on", "category", "monthly_payable", "yearly_payable"),
    [
        (dt.date(2025, 1, 1), ansinh.Category.NEAR_POOR, 31_590, 379_080),
        (dt.date(2026, 7, 1), ansinh.Category.NEAR_POOR, 34_155, 409_860),
        (dt.date(2026, 7, 1), ansinh.Category.STUDENT, 56_925, 683_100),
        (dt.date(2025, 1, 1), ansinh.Category.STUDENT, 73_710, 884_520),  # 30 % before Decree 188
        (dt.date(2025, 1, 1), ansinh.Category.POOR, 0, 0),
    ],
)
def test_supported_health_groups(
    on: dt.date, category: ansinh.Category, monthly_payable: int, yearly_payable: int
) -> None:
    q = ansinh.price(ansinh.HealthCard(months=12, household_rank=3), _person(frozenset({category})), on=on)
    assert (q.monthly_payable, q.payable) == (monthly_payable, yearly_payable)
    assert q.group == category.value


@pytest.mark.parametrize(
    ("on", "category", "support"),
    [
        # Decree 134/2015 with the 700k and 1.5M floors (facts.md §4, derived).
        (dt.date(2021, 6, 1), ansinh.Category.POOR, 46_200),
        (dt.date(2021, 6, 1), ansinh.Category.NEAR_POOR, 38_500),
        (dt.date(2021, 6, 1), None, 15_400),
        (dt.date(2023, 1, 1), ansinh.Category.POOR, 99_000),
        (dt.date(2023, 1, 1), ansinh.Category.NEAR_POOR, 82_500),
        (dt.date(2023, 1, 1), ansinh.Category.ETHNIC_MINORITY, 33_000),  # no ethnic group before 2025-07
        (dt.date(2025, 6, 30), None, 33_000),
        (dt.date(2025, 7, 1), ansinh.Category.ISLAND_RESIDENT, 165_000),
        # 2027 floor of 2,200,000 (derived, unconfirmed as the VSI floor).
        (dt.date(2027, 1, 1), ansinh.Category.POOR, 242_000),
        (dt.date(2027, 1, 1), ansinh.Category.NEAR_POOR, 193_600),
        (dt.date(2027, 1, 1), ansinh.Category.ETHNIC_MINORITY, 145_200),
        (dt.date(2027, 1, 1), None, 96_800),
    ],
)
def test_voluntary_si_support_history(on: dt.date, category: ansinh.Category | None, support: int) -> None:
    cats = frozenset({category}) if category else frozenset()
    q = ansinh.price(ansinh.SocialBook(months=1), _person(cats), on=on)
    assert q.monthly_state_support == support


def test_chosen_income_above_floor_keeps_support_on_the_floor() -> None:
    # facts.md §4: someone poor choosing 3,000,000 pays 660,000 − 165,000 = 495,000.
    person = _person(frozenset({ansinh.Category.POOR}))
    q = ansinh.price(ansinh.SocialBook(months=1, monthly_income=3_000_000), person, on=dt.date(2025, 8, 1))
    assert (q.monthly_gross, q.monthly_state_support, q.monthly_payable) == (660_000, 165_000, 495_000)


def test_ceiling_2026() -> None:
    q = ansinh.price(ansinh.SocialBook(months=1, monthly_income=50_600_000), on=dt.date(2026, 7, 1))
    assert q.monthly_gross == 11_132_000
    with pytest.raises(ansinh.InvalidProductError, match="monthly_income"):
        ansinh.price(ansinh.SocialBook(months=1, monthly_income=50_650_000), on=dt.date(2026, 7, 1))
