"""People, provinces and products: validation, masking, the merger mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.people import age_on, mask_id
from ansinh.core.provinces import (
    current_code_for_former,
    find_province,
    former_provinces,
    normalise_name,
    province,
    provinces,
)


def _person(**kw: object) -> ansinh.Person:
    base: dict[str, object] = {
        "id": "P1",
        "full_name": "Trần Văn Hùng",
        "date_of_birth": dt.date(1990, 2, 3),
        "province": "33",
    }
    base.update(kw)
    return ansinh.Person(**base)  # type: ignore[arg-type]


def test_34_and_63_units() -> None:
    current = provinces()
    assert len(current) == 34
    assert {p.code for p in current} == {
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40",
        "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
    }  # fmt: skip
    assert len(former_provinces()) == 63
    assert sum(len(p.formed_from) for p in current) == 63


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("74", "79"),
        ("77", "79"),
        ("34", "33"),
        ("17", "25"),
        ("24", "24"),
        ("27", "24"),
        ("89", "91"),
        ("01", "01"),
    ],
)
def test_former_codes_map_to_current(old: str, new: str) -> None:
    assert current_code_for_former(old) == new


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Thái Bình", "33"),
        ("thai binh", "33"),
        ("TP. Hồ Chí Minh", "79"),
        ("Bình Dương", "79"),
        ("Thừa Thiên Huế", "46"),
        ("TP Huế", "46"),
        ("Hoà Bình", "25"),
        ("Đắk Nông", "68"),
    ],
)
def test_find_province_by_current_or_former_name(name: str, code: str) -> None:
    assert find_province(name).code == code


def test_unknown_province_is_a_clear_error() -> None:
    with pytest.raises(ansinh.InvalidPersonError, match="province='99'"):
        province("99")
    with pytest.raises(ansinh.InvalidPersonError, match="province"):
        find_province("Atlantis")
    with pytest.raises(ansinh.InvalidPersonError, match="63 codes"):
        current_code_for_former("03")
    with pytest.raises(ansinh.InvalidPersonError, match="34 codes"):
        _person(province="74")  # a former code is not a current one


def test_normalise_name() -> None:
    assert normalise_name("Thành phố Hà Nội") == "ha noi"
    assert normalise_name("Tỉnh Bà Rịa - Vũng Tàu") == "ba ria vung tau"


def test_person_validation_names_the_field() -> None:
    with pytest.raises(
        ansinh.InvalidPersonError, match=r"cccd='0011\*+X9' is not allowed: exactly 12 digits"
    ):
        _person(cccd="00117001238X9")
    with pytest.raises(ansinh.InvalidPersonError, match="social_insurance_number"):
        _person(social_insurance_number="12345")
    with pytest.raises(ansinh.InvalidPersonError, match="full_name"):
        _person(full_name="  ")
    with pytest.raises(ansinh.InvalidPersonError, match="date_of_birth"):
        _person(date_of_birth="1990-02-03")
    with pytest.raises(ansinh.InvalidPersonError, match="categories"):
        _person(categories={"rich"})
    with pytest.raises(ansinh.InvalidPersonError, match="categories"):
        _person(categories="poor")
    with pytest.raises(ansinh.InvalidPersonError, match="hospital_stay"):
        _person(hospital_stay=(dt.date(2026, 2, 20), dt.date(2026, 2, 1)))
    with pytest.raises(ansinh.InvalidPersonError, match="vsi_supported_months"):
        _person(vsi_supported_months=-1)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cccd", "００１１７００１２３８９"),  # full-width digits: str.isdigit() says yes, the rule says no
        ("cccd", "00117001238²"),
        ("social_insurance_number", "٠١٢٣٤٥٦٧٨٩"),
        ("cccd", 1170012389),
    ],
)
def test_identifiers_are_ascii_digits(field: str, value: object) -> None:
    with pytest.raises(ansinh.InvalidPersonError, match=f"{field}=.* exactly"):
        _person(**{field: value})


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"id": " "}, "id"),
        ({"date_of_birth": dt.datetime(1990, 2, 3)}, "date_of_birth"),
        ({"bhyt_valid_until": "2026-01-01"}, "bhyt_valid_until"),
        ({"categories": 7}, "categories"),
        ({"vsi_supported_months": True}, "vsi_supported_months"),
        ({"province": None}, "province"),
    ],
)
def test_every_person_check_raises_invalid_person_error(kw: dict[str, object], field: str) -> None:
    with pytest.raises(ansinh.InvalidPersonError, match=f"^{field}="):
        _person(**kw)


def test_beneficiary_categories_share_the_person_converter() -> None:
    with pytest.raises(
        ansinh.InvalidValueError, match="categories='rich' is not allowed: one of poor"
    ) as exc:
        ansinh.Beneficiary(person_id="P1", province="33", categories={"rich"})
    assert type(exc.value) is ansinh.InvalidValueError
    cats = frozenset({ansinh.Category.POOR})
    assert ansinh.Beneficiary(person_id="P1", province="33", categories=cats).categories is cats


def test_categories_accept_codes_and_are_frozen() -> None:
    p = _person(categories=["poor", ansinh.Category.STUDENT])
    assert p.categories == frozenset({ansinh.Category.POOR, ansinh.Category.STUDENT})
    assert ansinh.Category.NEAR_POOR.label("en") == "near-poor household"
    assert ansinh.Category.NEAR_POOR.label() == "hộ cận nghèo"


@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_identifiers_are_masked_in_repr(cccd: str) -> None:
    p = _person(cccd=cccd, social_insurance_number=cccd[:10])
    assert cccd not in repr(p)
    assert cccd[:10] not in repr(p)
    assert p.masked_cccd == cccd[:4] + "******" + cccd[-2:]


def test_mask_short_values() -> None:
    assert mask_id("12345") == "*****"
    assert mask_id(None) is None


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31)),
    years=st.integers(min_value=0, max_value=100),
)
def test_age_on_birthdays(born: dt.date, years: int) -> None:
    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # 29 February in a common year: the birthday is 1 March
        birthday = dt.date(born.year + years, 3, 1)
    assert age_on(born, birthday) == years
    if years:
        assert age_on(born, birthday - dt.timedelta(days=1)) == years - 1


def test_products() -> None:
    assert ansinh.HealthCard(months=6).kind is ansinh.ProductKind.HEALTH_CARD
    assert ansinh.SocialBook(months=3).monthly_income is None
    assert ansinh.TetGift(value=500_000).months == 0
    assert ansinh.ProductKind.SOCIAL_BOOK.label_vi == "sổ BHXH tự nguyện"
    with pytest.raises(ansinh.InvalidProductError, match="monthly_income"):
        ansinh.SocialBook(months=3, monthly_income=0)
    with pytest.raises(ansinh.InvalidProductError, match="months"):
        ansinh.SocialBook(months=61)
    with pytest.raises(ansinh.InvalidProductError, match="value"):
        ansinh.TetGift(value=0)
    with pytest.raises(ansinh.InvalidProductError, match="household_rank"):
        ansinh.HealthCard(months=3, household_rank=True)
