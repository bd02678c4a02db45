"""Programmes keyed by area: a former province, a former district or a commune list inside a province."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest

from ansinh.core.campaign import Beneficiary
from ansinh.core.law import Citation, RateTable, SourceStatus
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList, parse_commune_lists
from ansinh.core.pricing import LocalSupport, price
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import InvalidPersonError, InvalidValueError, LawDataError
from ansinh.plugins.local_support import parse_local_supports
from ansinh.serialization import dump_document, load_document

LAW = default_law()
D = dt.date


def _programme(**area: object) -> LocalSupport:
    return LocalSupport(
        code="area",
        province="79",
        product=ProductKind.SOCIAL_BOOK,
        effective=D(2026, 1, 1),
        until=D(2026, 12, 31),
        rates=RateTable((("poor", Fraction(1, 2)),)),
        citation=Citation("test"),
        status=SourceStatus.SCENARIO,
        label_vi="x",
        label_en="x",
        **area,  # type: ignore[arg-type]
    )


def _person(**address: object) -> Person:
    return Person(
        id="79-1",
        full_name="Nguyễn Văn A",
        date_of_birth=D(1980, 1, 1),
        province="79",
        categories={Category.POOR},
        **address,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("area", "address", "local"),
    [
        ({"former_province": "74"}, {"former_province": "74"}, 165_000),  # former Bình Dương
        ({"former_province": "74"}, {"former_province": "77"}, 0),  # former Bà Rịa–Vũng Tàu
        ({"former_province": "74"}, {}, 0),  # no former province given: not in the area
        ({"district": "Thủ Đức"}, {"district": "Thủ Đức"}, 165_000),
        ({"communes": frozenset({"Cần Giờ"})}, {"commune": "Cần Giờ"}, 165_000),
        ({"communes": frozenset({"Cần Giờ"})}, {"commune": "Bến Thành"}, 0),
        ({}, {}, 165_000),  # the whole province
    ],
)
def test_a_programme_covers_only_its_area(
    area: dict[str, object], address: dict[str, object], local: int
) -> None:
    q = price(
        SocialBook(months=1),
        _person(**address),
        on=D(2026, 3, 1),
        law=LAW,
        local_supports=(_programme(**area),),
    )
    assert q.local_support == local
    assert q.state_support == 165_000


def test_the_programme_area_on_its_dates() -> None:
    sup = _programme(former_province="74")
    who = _person(former_province="74")
    before = price(SocialBook(months=1), who, on=D(2025, 12, 31), law=LAW, local_supports=(sup,))
    first = price(SocialBook(months=1), who, on=D(2026, 1, 1), law=LAW, local_supports=(sup,))
    last = price(SocialBook(months=1), who, on=D(2026, 12, 31), law=LAW, local_supports=(sup,))
    after = price(SocialBook(months=1), who, on=D(2027, 1, 1), law=LAW, local_supports=(sup,))
    assert [q.payable for q in (before, first, last)] == [165_000, 0, 0]
    assert after.local_support == 0
    assert sup.area_keyed
    assert sup.area("en") == "province 79, former province 74"
    assert not _programme().area_keyed


def test_a_beneficiary_carries_the_address_pricing_reads() -> None:
    who = _person(former_province="74", district="Thuận An", commune="Lái Thiêu")
    b = Beneficiary.from_person(who)
    assert (b.commune, b.district, b.former_province) == ("Lái Thiêu", "Thuận An", "74")
    sup = _programme(former_province="74")
    assert price(SocialBook(months=1), b, on=D(2026, 3, 1), law=LAW, local_supports=(sup,)).payable == 0
    with pytest.raises(InvalidValueError, match="commune"):
        Beneficiary(person_id="x", province="79", commune=5)  # type: ignore[arg-type]


def test_a_former_province_must_have_merged_into_the_province() -> None:
    assert _person(former_province="74").former_province == "74"
    with pytest.raises(InvalidPersonError, match="former_province"):
        _person(former_province="01")  # Hà Nội did not merge into HCMC
    with pytest.raises(InvalidPersonError):
        _person(former_province="99")


def test_old_person_documents_still_load() -> None:
    doc = dump_document(_person())
    for key in ("district", "former_province"):
        doc["data"].pop(key)
    assert doc["schema_version"] == 1
    assert load_document(doc, Person) == _person()
    assert load_document(dump_document(_person(former_province="74")), Person).former_province == "74"


def test_the_data_file_shape_reads_areas() -> None:
    base = {
        "code": "x",
        "province": "52",
        "product": "health_card",
        "effective": "2023-07-24",
        "rates": {"near_poor": "0.3"},
        "document": "Nghị quyết 18/2023/NQ-HĐND tỉnh Bình Định",
        "status": "confirmed",
        "label_vi": "x",
        "label_en": "x",
    }
    (sup,) = parse_local_supports({"support": [{**base, "former_province": "52", "communes": ["Nhơn Lý"]}]})
    assert (sup.former_province, sup.communes) == ("52", frozenset({"Nhơn Lý"}))
    with pytest.raises(LawDataError, match="merged into 52"):
        parse_local_supports({"support": [{**base, "former_province": "74"}]})
    with pytest.raises(LawDataError, match="communes"):
        parse_local_supports({"support": [{**base, "communes": "Nhơn Lý"}]})


def test_bulk_pricing_applies_no_area_keyed_programme_and_refuses_addresses() -> None:
    pytest.importorskip("numpy")
    pytest.importorskip("pyarrow")
    from ansinh.bulk import price_table

    sup = _programme(former_province="74")
    rows = {
        "date": [D(2026, 3, 1)],
        "product": ["social_book"],
        "months": [1],
        "categories": ["poor"],
        "province": ["79"],
    }
    table = price_table(rows, local_supports=[sup], plugins=False)
    scalar = price(SocialBook(months=1), _person(), on=D(2026, 3, 1), law=LAW, local_supports=(sup,))
    assert table.column("payable").to_pylist() == [scalar.payable] == [165_000]
    with pytest.raises(InvalidValueError, match=r"former_province.*area-keyed"):
        price_table({**rows, "former_province": ["74"]}, local_supports=[sup], plugins=False)
    # without such a programme an address column is just another column
    assert price_table({**rows, "commune": ["x"]}, plugins=False).column("payable").to_pylist() == [165_000]


# -- the place-dependent national rules (Decree 188 Art. 6.6) -----------------------------------


def _list(kind: str, until: str | None = None) -> CommuneList:
    raw: dict[str, object] = {
        "code": kind,
        "kind": kind,
        "province": "79",
        "communes": ["Xã A"],
        "effective": "2020-01-01",
        "document": "Quyết định (giả định, cho kiểm thử)",
        "status": "scenario",
        "label_vi": "x",
        "label_en": "x",
    }
    if until is not None:
        raw["until"] = until
    (lst,) = parse_commune_lists({"commune_list": [raw]})
    return lst


def _card(who: Person, on: dt.date, lists: tuple[CommuneList, ...]) -> tuple[str, int, int]:
    q = price(HealthCard(months=12), who, on=on, law=LAW, commune_lists=lists)
    return q.group, q.state_support, q.payable


def test_near_poor_in_a_poor_commune_from_2025_07_01() -> None:
    lists = (_list("poor_commune"),)
    near_poor = Person(
        id="x",
        full_name="x",
        date_of_birth=D(1980, 1, 1),
        province="79",
        categories={Category.NEAR_POOR},
        commune="Xã A",
    )
    assert _card(near_poor, D(2025, 6, 30), lists) == ("near_poor", 884_520, 379_080)
    assert _card(near_poor, D(2025, 7, 1), lists) == ("near_poor_in_poor_commune", 1_263_600, 0)
    elsewhere = attrs.evolve(near_poor, commune="Xã B")
    assert _card(elsewhere, D(2025, 7, 1), lists) == ("near_poor", 884_520, 379_080)
    from ansinh.core.eligibility import check

    decision = check(near_poor, HealthCard(months=12), on=D(2025, 7, 1), law=LAW, commune_lists=lists)
    assert "FULLY_SUPPORTED" in decision.codes
    assert check(near_poor, HealthCard(months=12), on=D(2025, 7, 1), law=LAW).eligible


def test_ethnic_minority_for_36_months_after_the_commune_left_the_list() -> None:
    lists = (_list("difficult_area", until="2025-06-30"),)
    who = Person(
        id="x",
        full_name="x",
        date_of_birth=D(1980, 1, 1),
        province="79",
        categories={Category.ETHNIC_MINORITY},
        commune="Xã A",
    )
    assert _card(who, D(2025, 7, 1), lists) == ("ethnic_minority_left_difficult_area", 884_520, 379_080)
    assert _card(who, D(2028, 6, 30), lists) == ("ethnic_minority_left_difficult_area", 956_340, 409_860)
    assert _card(who, D(2028, 7, 1), lists) == ("household", 0, 1_366_200)
    still_listed = (_list("difficult_area"),)  # never left: the group is the difficult-area one
    assert _card(who, D(2026, 1, 1), still_listed)[0] == "household"


def test_commune_lists_are_checked() -> None:
    with pytest.raises(LawDataError, match="communes"):
        parse_commune_lists({"commune_list": [{**_raw_list(), "communes": []}]})
    with pytest.raises(LawDataError, match="kind"):
        parse_commune_lists({"commune_list": [{**_raw_list(), "kind": "rich_commune"}]})
    with pytest.raises(InvalidValueError, match="commune_lists"):
        price(HealthCard(months=12), _person(), on=D(2026, 1, 1), law=LAW, commune_lists=("x",))  # type: ignore[arg-type]


def _raw_list() -> dict[str, object]:
    return {
        "code": "c",
        "kind": "poor_commune",
        "province": "79",
        "communes": ["Xã A"],
        "effective": "2020-01-01",
        "document": "x",
        "status": "scenario",
        "label_vi": "x",
        "label_en": "x",
    }
