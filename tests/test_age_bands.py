"""Provincial top-ups for an age band or a condition: HCMC Res. 56/2025 and 75/2025, Hà Nội Res. 19/NQ-HĐND.

Every boundary is checked on the day before and the day of the change, in đồng: the programme's
first day, and the birthdays on which a person enters and leaves the band (the age counts on the
pricing date: ``AGE_COUNTED_ON``).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.allocation.ranking import rank
from ansinh.core.campaign import Beneficiary
from ansinh.core.law import Citation, RateTable, SourceStatus
from ansinh.core.people import Category, Person, age_on, rate_groups
from ansinh.core.price_classes import PriceKeys
from ansinh.core.pricing import AGE_COUNTED_ON, LocalSupport
from ansinh.core.products import HealthCard, ProductKind
from ansinh.exceptions import InvalidValueError, LawDataError
from ansinh.plugins.local_support import parse_local_supports, shipped_local_supports

D = dt.date
CARD = HealthCard(months=12)
FULL = 1_263_600  # 12 × 4.5 % × 2,340,000
HCMC, HANOI = "79", "01"


def _who(province: str, born: dt.date, *cats: Category) -> Person:
    return Person(id="x", full_name="x", date_of_birth=born, province=province, categories=set(cats))


def _figures(who: object, on: dt.date) -> tuple[int, int, int]:
    q = ansinh.price(CARD, who, on=on)  # type: ignore[arg-type]
    return q.state_support, q.local_support, q.payable


# -- HCMC Res. 56/2025: people aged 65 to under 75 not otherwise supported -------------------------


def test_hcmc_res56_elderly_from_2025_11_14() -> None:
    seventy = _who(HCMC, D(1955, 6, 1))
    assert _figures(seventy, D(2025, 11, 13)) == (0, 0, FULL)
    assert _figures(seventy, D(2025, 11, 14)) == (0, FULL, 0)


def test_hcmc_res56_elderly_from_the_65th_birthday_to_the_day_before_the_75th() -> None:
    on = D(2026, 3, 1)
    assert _figures(_who(HCMC, D(1961, 3, 2)), on) == (0, 0, FULL)  # 64 until tomorrow
    assert _figures(_who(HCMC, D(1961, 3, 1)), on) == (0, FULL, 0)  # 65 today
    assert _figures(_who(HCMC, D(1951, 3, 2)), on) == (0, FULL, 0)  # 74 until tomorrow
    assert _figures(_who(HCMC, D(1951, 3, 1)), on) == (0, 0, FULL)  # 75 today


def test_hcmc_res56_elderly_only_when_no_other_policy_supports_them() -> None:
    # a near-poor 70-year-old has the state's 70 %: Res. 56 does not add to it; Res. 75 pays the rest from 2026
    near_poor = _who(HCMC, D(1955, 6, 1), Category.NEAR_POOR)
    assert _figures(near_poor, D(2025, 12, 31)) == (884_520, 0, 379_080)
    assert _figures(near_poor, D(2026, 1, 1)) == (884_520, 379_080, 0)


def test_a_later_household_member_in_the_band_pays_nothing_either() -> None:
    q = ansinh.price(HealthCard(months=12, household_rank=2), _who(HCMC, D(1955, 6, 1)), on=D(2026, 3, 1))
    assert (q.gross, q.local_support, q.payable) == (884_520, 884_520, 0)


# -- HCMC Res. 75/2025: children aged 6 to under 16 --------------------------------------------------


def test_hcmc_res75_children_from_2026_01_01() -> None:
    ten = _who(HCMC, D(2015, 6, 1))
    assert _figures(ten, D(2025, 12, 31)) == (0, 0, FULL)
    assert _figures(ten, D(2026, 1, 1)) == (0, FULL, 0)


def test_hcmc_res75_children_from_the_6th_birthday_to_the_day_before_the_16th() -> None:
    on = D(2026, 3, 1)
    # 5 until tomorrow: outside the band (check() refuses the card: the state pays under-6 cards)
    assert _figures(_who(HCMC, D(2020, 3, 2)), on) == (0, 0, FULL)
    six = ansinh.price(CARD, _who(HCMC, D(2020, 3, 1)), on=on)
    assert (six.state_support, six.local_support, six.payable) == (0, FULL, 0)
    assert _figures(_who(HCMC, D(2010, 3, 2)), on) == (0, FULL, 0)  # 15 until tomorrow
    assert _figures(_who(HCMC, D(2010, 3, 1)), on) == (0, 0, FULL)  # 16 today


def test_a_pupil_is_paid_by_the_state_and_res56_not_by_the_children_group() -> None:
    pupil = _who(HCMC, D(2014, 9, 1), Category.STUDENT)
    assert _figures(pupil, D(2026, 3, 1)) == (631_800, 631_800, 0)


# -- Hà Nội Res. 19/NQ-HĐND (2025) ------------------------------------------------------------------


def test_hanoi_70_to_under_75_from_2026_01_01() -> None:
    seventy_two = _who(HANOI, D(1953, 6, 1))
    assert _figures(seventy_two, D(2025, 12, 31)) == (0, 0, FULL)
    assert _figures(seventy_two, D(2026, 1, 1)) == (0, FULL, 0)
    on = D(2026, 3, 1)
    assert _figures(_who(HANOI, D(1956, 3, 2)), on) == (0, 0, FULL)  # 69 until tomorrow
    assert _figures(_who(HANOI, D(1956, 3, 1)), on) == (0, FULL, 0)  # 70 today
    assert _figures(_who(HANOI, D(1951, 3, 2)), on) == (0, FULL, 0)  # 74 until tomorrow
    assert _figures(_who(HANOI, D(1951, 3, 1)), on) == (0, 0, FULL)  # 75 today


def test_hanoi_mild_disability_except_children_under_16() -> None:
    on = D(2026, 3, 1)
    adult = _who(HANOI, D(1990, 1, 1), Category.MILD_DISABILITY)
    assert _figures(adult, D(2025, 12, 31)) == (0, 0, FULL)
    assert _figures(adult, D(2026, 1, 1)) == (0, FULL, 0)
    assert _figures(_who(HANOI, D(2010, 3, 2), Category.MILD_DISABILITY), on) == (0, 0, FULL)  # 15
    assert _figures(_who(HANOI, D(2010, 3, 1), Category.MILD_DISABILITY), on) == (0, FULL, 0)  # 16 today
    # "disability" alone is not the mild disability the resolution names
    assert _figures(_who(HANOI, D(1990, 1, 1), Category.DISABILITY), on) == (0, 0, FULL)


def test_mild_disability_is_a_disability() -> None:
    assert Category.DISABILITY in rate_groups({Category.MILD_DISABILITY})
    assert Category.MILD_DISABILITY.label_vi == "người khuyết tật nhẹ"


def test_hanoi_programmes_now_cite_resolution_19() -> None:
    by_code = {s.code: s for s in shipped_local_supports()}
    for code in ("hanoi-vsi-2026", "hanoi-bhyt-2026"):
        assert "19/NQ-HĐND" in by_code[code].citation.document
        assert by_code[code].status is SourceStatus.CONFIRMED
    assert by_code["hanoi-bhyt-2026"].group_ages == (("mild_disability", 16, None), ("other", 70, 75))


# -- the rule itself ---------------------------------------------------------------------------------


def _banded(low: int, below: int | None) -> LocalSupport:
    return LocalSupport(
        code="band",
        province=HCMC,
        product=ProductKind.HEALTH_CARD,
        effective=D(2020, 1, 1),
        until=None,
        rates=RateTable((("other", Fraction(1)), ("poor", Fraction(1, 2)))),
        citation=Citation("x"),
        status=SourceStatus.SCENARIO,
        label_vi="x",
        label_en="x",
        group_ages=(("other", low, below),),
    )


@given(
    born=st.dates(D(1900, 1, 1), D(2030, 12, 31)),
    on=st.dates(D(2020, 1, 1), D(2040, 12, 31)),
    low=st.integers(0, 100),
    width=st.none() | st.integers(1, 40),
)
def test_an_age_band_keeps_its_group_exactly_within_the_band(
    born: dt.date, on: dt.date, low: int, width: int | None
) -> None:
    sup = _banded(low, None if width is None else low + width)
    kept = sup.for_person(None, on, born)
    assert kept is not None  # the group without a band stays
    age = age_on(born, on)
    inside = age >= low and (width is None or age < low + width)
    assert (kept.rates.get("other") is not None) is inside
    assert kept.rates.get("poor") == Fraction(1, 2)


def test_without_a_date_of_birth_no_age_banded_group_applies() -> None:
    sup = _banded(65, 75)
    assert sup.age_keyed
    assert sup.for_person(None, D(2026, 1, 1)) == attrs.evolve(
        sup, rates=RateTable((("poor", Fraction(1, 2)),))
    )
    # a participant without date_of_birth (anything with categories, province, months) is priced so
    undated = Beneficiary(person_id="b", province=HCMC)
    assert _figures(undated, D(2026, 3, 1)) == (0, 0, FULL)
    dated = attrs.evolve(undated, date_of_birth=D(1955, 6, 1))
    assert _figures(dated, D(2026, 3, 1)) == (0, FULL, 0)
    assert "pricing date" in AGE_COUNTED_ON


def test_the_ledger_keeps_the_date_of_birth_so_a_gift_is_checked_again_alike() -> None:
    person = _who(HCMC, D(1955, 6, 1))
    kept = Beneficiary.from_person(person)
    assert kept.date_of_birth == person.date_of_birth
    assert ansinh.price(CARD, kept, on=D(2026, 3, 1)) == ansinh.price(CARD, person, on=D(2026, 3, 1))


def test_a_date_of_birth_that_is_not_a_date_is_refused() -> None:
    @attrs.frozen
    class Odd:
        categories: frozenset[Category] = frozenset()
        province: str = HCMC
        vsi_supported_months: int = 0
        date_of_birth: str = "1955-06-01"

    with pytest.raises(InvalidValueError, match=r"who\.date_of_birth"):
        ansinh.price(CARD, Odd(), on=D(2026, 3, 1))


_TABLE = {
    "code": "x",
    "province": "33",
    "product": "health_card",
    "effective": "2026-01-01",
    "rates": {"other": "1", "poor": "0.5"},
    "document": "Nghị quyết …",
    "status": "scenario",
    "label_vi": "x",
    "label_en": "x",
}


def test_group_ages_are_read_from_data() -> None:
    (sup,) = parse_local_supports({"support": [{**_TABLE, "group_ages": {"other": [65, 75], "poor": [16]}}]})
    assert sup.group_ages == (("other", 65, 75), ("poor", 16, None))


@pytest.mark.parametrize(
    "bands",
    [
        {"student": [6, 16]},  # not one of the programme's groups
        {"other": [75, 65]},  # from after below
        {"other": [65, 65]},
        {"other": [65.5, 75]},
        {"other": [True, 75]},
        {"other": []},
        {"other": [1, 2, 3]},
        {"other": "65-75"},
        ["other"],
    ],
)
def test_malformed_group_ages_are_refused(bands: object) -> None:
    with pytest.raises(LawDataError, match="group_ages"):
        parse_local_supports({"support": [{**_TABLE, "group_ages": bands}]})


# -- allocation and bulk -----------------------------------------------------------------------------


def test_allocation_price_classes_split_by_age_when_an_age_band_is_in_play() -> None:
    from ansinh.core.allocation.ranking import Candidate
    from ansinh.core.eligibility import Priority

    people = [_who(HCMC, D(1961, 3, 2)), attrs.evolve(_who(HCMC, D(1961, 3, 1)), id="y")]
    cands = [Candidate(person=p, product=CARD, priority=Priority(1, ())) for p in people]
    on = D(2026, 3, 1)
    alike = rank(cands, scope=None, keys=PriceKeys((), ()), on=on)[ProductKind.HEALTH_CARD]
    assert alike.classes[0] is alike.classes[1]
    split = rank(cands, scope=None, keys=PriceKeys(tuple(shipped_local_supports()), ()), on=on)
    table = split[ProductKind.HEALTH_CARD]
    assert table.classes[0] is not table.classes[1]


def _bulk_table(**extra: list[object]) -> pa.Table:
    return pa.table(
        {
            "date": pa.array([D(2026, 3, 1)], pa.date32()),
            "product": ["health_card"],
            "months": [12],
            "categories": [[]],
            "province": [HCMC],
            **extra,
        }
    )


def test_bulk_rows_have_no_age_and_agree_with_the_scalar_price() -> None:
    from ansinh.bulk import price_table

    out = price_table(_bulk_table()).to_pylist()[0]
    undated = Beneficiary(person_id="b", province=HCMC)
    assert (out["state_support"], out["local_support"], out["payable"]) == _figures(undated, D(2026, 3, 1))


def test_bulk_reads_a_date_of_birth_column_for_the_rows_an_age_band_may_cover() -> None:
    from ansinh.bulk import price_table

    days = [D(2025, 11, 13), D(2025, 11, 14), D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1), D(2026, 3, 1)]
    born = [D(1955, 6, 1), D(1955, 6, 1), D(1961, 3, 2), D(1961, 3, 1), None, D(1955, 6, 1)]
    provinces = [HCMC, HCMC, HCMC, HCMC, HCMC, "33"]
    table = pa.table(
        {
            "date": pa.array(days, pa.date32()),
            "product": ["health_card"] * 6,
            "months": [12] * 6,
            "categories": [[]] * 6,
            "province": provinces,
            "date_of_birth": pa.array(born, pa.date32()),
        }
    )
    out = price_table(table).to_pylist()
    for row, day, b, prov in zip(out, days, born, provinces, strict=True):
        who = Beneficiary(person_id="b", province=prov, date_of_birth=b)
        assert (row["state_support"], row["local_support"], row["payable"]) == _figures(who, day)
    assert [row["payable"] for row in out] == [FULL, 0, FULL, 0, FULL, FULL]


def test_bulk_refuses_a_household_top_up_outside_an_age_band() -> None:
    from ansinh.bulk import price_table

    sup = attrs.evolve(_banded(65, 75), group_ages=(), rates=RateTable((("household", Fraction(1)),)))
    with pytest.raises(InvalidValueError, match="household"):
        price_table(_bulk_table(), local_supports=[sup], plugins=False)


def test_a_quote_for_an_age_band_verifies_from_its_document() -> None:
    from ansinh.serialization import dump_document
    from ansinh.verification import verify

    on = D(2026, 2, 28)
    quote = ansinh.price(CARD, _who(HCMC, D(1955, 6, 1)), on=on)
    assert quote.payable == 0
    assert verify(dump_document(quote)) == quote
    hanoi = ansinh.price(CARD, _who(HANOI, D(1990, 1, 1), Category.MILD_DISABILITY), on=on)
    assert hanoi.local_support == FULL
    assert verify(dump_document(hanoi)) == hanoi
