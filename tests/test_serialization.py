"""The JSON interchange format: exact round trips, strict reading, readable errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import cattrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh import serialization as ser
from ansinh.core.campaign import Campaign, Earmark, Instalment, Pledge, Sponsor
from ansinh.core.law import Link, RateTable
from ansinh.core.people import Category, Person
from ansinh.core.pricing import LocalSupport, price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.data import default_law
from ansinh.exceptions import AnsinhError, InvalidAmountError, InvalidValueError, SerializationError
from ansinh.serialization.__main__ import main as schemas_main

LAW = default_law()

ON = dt.date(2026, 1, 1)
ANY_PRODUCT: Any = Product  # a union, which ``type[T]`` parameters do not accept
PERSON = Person(
    id="HN-001",
    full_name="Nguyễn Thị Lan",
    date_of_birth=dt.date(1970, 3, 1),
    province="01",
    categories=frozenset({Category.NEAR_POOR, Category.ETHNIC_MINORITY}),
    cccd="001170012389",
    social_insurance_number="0123456789",
    hospital_stay=(dt.date(2026, 2, 10), dt.date(2026, 2, 20)),
)


def _no_floats(text: str) -> Any:
    def refuse(token: str) -> Any:
        raise AssertionError(f"a float in the document: {token}")

    return json.loads(text, parse_float=refuse)


def _json(obj: object) -> Any:
    """Unstructure with a fresh converter, through JSON text, refusing floats."""
    return _no_floats(json.dumps(ser.make_converter().unstructure(obj), ensure_ascii=False))


def _doc(type_name: str, data: Any) -> dict[str, Any]:
    version = ser.schema_version(type_name) if type_name in ser.document_types() else 1
    return {"schema_version": version, "type": type_name, "data": data}


# -- exact rates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Fraction(9, 200), "0.045"),
        (Fraction(11, 50), "0.22"),
        (Fraction(1), "1"),
        (Fraction(0), "0"),
        (Fraction(20), "20"),
        (Fraction(1, 3), "1/3"),
        (Fraction(-7, 4), "-1.75"),
        (Fraction(1, 1024), "0.0009765625"),
    ],
)
def test_fraction_text(rate: Fraction, text: str) -> None:
    assert ser.format_fraction(rate) == text
    assert ser.parse_fraction(text) == rate


@given(st.fractions())
def test_fraction_text_round_trips_exactly(rate: Fraction) -> None:
    text = ser.format_fraction(rate)
    assert ser.parse_fraction(text) == rate
    if "/" not in text:
        assert Fraction(text) == rate


@pytest.mark.parametrize("bad", [0.045, 1, True, None, "1e-3", "nan", "1/0", " 0.5", "4.5%", ""])
def test_parse_fraction_refuses(bad: object) -> None:
    with pytest.raises(InvalidAmountError, match="exact rate as a string"):
        ser.parse_fraction(bad)


# -- the converter -------------------------------------------------------------------------------


def test_make_converter_returns_a_new_converter_and_leaves_the_global_one_alone() -> None:
    a, b = ser.make_converter(), ser.make_converter()
    assert a is not b
    assert a is not cattrs.global_converter
    # The global converter still passes dates through unchanged: it was never configured.
    assert cattrs.global_converter.unstructure(ON) == ON
    assert a.unstructure(ON) == "2026-01-01"


def test_configure_converter_on_a_fresh_converter() -> None:
    c = cattrs.Converter(forbid_extra_keys=True)
    ser.configure_converter(c)
    assert c.unstructure(Fraction(9, 200)) == "0.045"
    assert c.structure({"kind": "tet_gift", "value": 500_000}, Product) == TetGift(value=500_000)  # type: ignore[arg-type]


def test_default_law_round_trips_to_an_equal_law() -> None:
    law = ansinh.default_law()
    data = _json(law)
    assert ser.make_converter().structure(data, ansinh.Law) == law
    base = next(p for p in data["parameters"] if p["name"] == "base_salary")
    assert base["values"][-1]["value"] == 2_530_000
    assert base["values"][-1]["effective"] == "2026-07-01"


def test_scenario_law_round_trips_with_its_amendments() -> None:
    law = (
        ansinh.default_law()
        .amend("base_salary", 2_800_000, effective=dt.date(2027, 7, 1), source="Kịch bản")
        .amend("bhyt_rate", Fraction(1, 20), effective=dt.date(2027, 1, 1), source="Kịch bản 2")
    )
    data = _json(law)
    assert data["amendments"][1]["value"] == "0.05"
    assert data["name"] == "ansinh (scenario) (scenario)"
    back = ser.make_converter().structure(data, ansinh.Law)
    assert back == law
    assert back.value("vsi_income_ceiling", on=dt.date(2027, 7, 1)) == 56_000_000


def test_parameter_values_of_every_shape() -> None:
    data = _json(ansinh.default_law())
    values = {p["name"]: p["values"][-1]["value"] for p in data["parameters"]}
    assert values["vsi_rate"] == "0.22"
    assert values["bhyt_payment_months"] == [3, 6, 12]
    assert values["vsi_income_ceiling"] == {"of": "reference_level", "multiple": "20"}
    assert values["bhyt_household_factors"]["entries"][1] == {"key": "2", "rate": "0.7"}


def test_person_identifiers_are_written_in_full_and_categories_sorted() -> None:
    data = _json(PERSON)
    assert data["cccd"] == "001170012389"
    assert data["social_insurance_number"] == "0123456789"
    assert data["categories"] == ["ethnic_minority", "near_poor"]
    assert data["hospital_stay"] == ["2026-02-10", "2026-02-20"]
    assert ser.make_converter().structure(data, Person) == PERSON


@pytest.mark.parametrize(
    ("product", "kind"),
    [
        (HealthCard(months=6, household_rank=3), "health_card"),
        (SocialBook(months=12, monthly_income=2_000_000), "social_book"),
        (SocialBook(months=3), "social_book"),
        (TetGift(value=500_000), "tet_gift"),
    ],
)
def test_products_carry_a_kind_tag(product: Product, kind: str) -> None:
    data = _json(product)
    assert data["kind"] == kind
    c = ser.make_converter()
    assert c.structure(data, ANY_PRODUCT) == product
    assert c.structure(data, type(product)) == product
    assert ser.load_document(ser.dump_document(product), ANY_PRODUCT) == product


def test_quote_document_worked_example() -> None:
    quote = price(SocialBook(months=12), PERSON, on=ON, law=LAW)  # the core: no province plugin
    doc = _no_floats(ser.dumps_document(quote))
    assert doc["type"] == "quote"
    data = doc["data"]
    # Decree 159: near-poor, floor 1,500,000: 330,000 a month, state support 40 % of it.
    assert (data["monthly_gross"], data["monthly_state_support"]) == (330_000, 132_000)
    assert (data["gross"], data["payable"]) == (3_960_000, 2_376_000)
    assert data["product"] == {"kind": "social_book", "months": 12, "monthly_income": None}
    rate = next(line for line in data["lines"] if line["code"] == "vsi_rate")
    assert rate["value"] == "0.22"
    assert rate["status"] == "confirmed"
    assert ser.loads_document(json.dumps(doc), ansinh.Quote) == quote


def test_local_support_and_campaign_types_round_trip() -> None:
    c = ser.make_converter()
    support = LocalSupport(
        code="hanoi-vsi-2026",
        province="01",
        product=ProductKind.SOCIAL_BOOK,
        effective=ON,
        until=None,
        rates=RateTable(
            (("poor", Fraction(1, 2)), ("near_poor", Fraction(3, 5)), ("other", Fraction(1, 10)))
        ),
        citation=ansinh.Citation("Nghị quyết HĐND TP Hà Nội", "", ""),
        status=ansinh.SourceStatus.CONFIRMED,
        label_vi="Hà Nội hỗ trợ thêm",
        label_en="Hanoi top-up",
    )
    pledge = Pledge(
        id="PL-1",
        sponsor_id="S-1",
        units=((ProductKind.HEALTH_CARD, 10), (ProductKind.SOCIAL_BOOK, 2)),
        money=3_000_000,
        earmark=Earmark(kind="workers_relatives", target="ENT-01"),
        instalments=(
            Instalment(due=dt.date(2026, 1, 5), amount=1_000_000),
            Instalment(due=dt.date(2026, 2, 5), amount=2_000_000),
        ),
    )
    campaign = Campaign(
        code="BN2026",
        name="Xuân Bính Ngọ 2026",
        start=dt.date(2025, 10, 23),
        end=dt.date(2026, 3, 31),
        tet_dates=(dt.date(2026, 2, 16), dt.date(2026, 2, 22)),
    )
    sponsor = Sponsor(id="S-1", name="Công ty May 10", kind="enterprise", province="01")
    for obj in (support, pledge, campaign, sponsor, Link("base_salary", Fraction(20))):
        data = _json(obj)
        back = c.structure(data, type(obj))
        assert back == obj
    assert _json(pledge)["units"] == [
        {"kind": "health_card", "count": 10},
        {"kind": "social_book", "count": 2},
    ]
    assert _json(sponsor)["kind"] == "enterprise"
    assert type(c.structure(_json(sponsor), Sponsor).kind) is type(sponsor.kind)


def test_enums_come_back_as_enum_members() -> None:
    quote = ansinh.price(HealthCard(months=12), on=ON)
    back = ser.load_document(_no_floats(ser.dumps_document(quote)), ansinh.Quote)
    statuses = [line.status for line in back.lines if line.status is not None]
    assert statuses
    assert all(type(s) is ansinh.SourceStatus for s in statuses)


# -- documents and errors ---------------------------------------------------------------------------


def test_document_envelope() -> None:
    doc = ser.dump_document(TetGift(value=500_000))
    assert doc == {
        "schema_version": 1,
        "type": "tet_gift",
        "data": {"kind": "tet_gift", "value": 500_000},
    }
    assert set(ser.document_types()) >= {"quote", "campaign", "person", "law", "pledge", "sponsor"}
    assert ser.document_type_name(ansinh.Quote) == "quote"


def test_dump_document_refuses_unknown_types() -> None:
    with pytest.raises(SerializationError, match="not allowed: one of the document classes"):
        ser.dump_document(object())


def _error(document: object, cl: Any) -> str:
    with pytest.raises(SerializationError) as info:
        ser.load_document(document, cl)
    assert isinstance(info.value, AnsinhError)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def _quote_data() -> dict[str, Any]:
    data: dict[str, Any] = ser.dump_document(ansinh.price(HealthCard(months=12), on=ON))["data"]
    return data


def test_a_float_for_money_is_refused_with_its_path() -> None:
    data = _quote_data()
    data["payable"] = 1_263_600.0
    message = _error(_doc("quote", data), ansinh.Quote)
    assert "value=1263600.0 is not allowed" in message
    assert "never a float" in message
    assert message.endswith("@ $.data.payable")


def test_a_float_for_a_count_of_units_says_never_a_float() -> None:
    pledge = Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 12),))
    data = ser.dump_document(pledge)["data"]
    data["units"][0]["count"] = 12.0
    message = _error(_doc("pledge", data), Pledge)
    assert "units.count=12.0 is not allowed" in message
    assert "never a float" in message


def test_a_float_for_a_rate_is_refused_with_its_path() -> None:
    data = _quote_data()
    data["lines"][1]["value"] = 0.045
    message = _error(_doc("quote", data), ansinh.Quote)
    assert "@ $.data.lines[1].value" in message


def test_every_bad_field_is_named() -> None:
    data = _quote_data()
    data["on"] = "01/01/2026"
    data["months"] = "12"
    data["product"]["household_rank"] = True
    data["lines"][0]["status"] = "sure"
    message = _error(_doc("quote", data), ansinh.Quote)
    for path in ("$.data.on", "$.data.months", "$.data.product.household_rank", "$.data.lines[0].status"):
        assert path in message, path
    assert "an ISO date string YYYY-MM-DD" in message


def test_unknown_and_missing_keys() -> None:
    data = _quote_data()
    data["discount"] = 0
    del data["gross"]
    message = _error(_doc("quote", data), ansinh.Quote)
    assert "extra fields found (discount) @ $.data" in message
    assert "required field missing @ $.data.gross" in message


def test_validator_errors_point_at_their_field() -> None:
    data = ser.dump_document(PERSON)["data"]
    data["province"] = "99"
    message = _error(_doc("person", data), Person)
    assert "province='99' is not allowed" in message
    assert message.endswith("@ $.data.province")


def test_validator_errors_in_nested_objects() -> None:
    data = _quote_data()
    data["product"]["months"] = 0
    message = _error(_doc("quote", data), ansinh.Quote)
    assert "months=0 is not allowed" in message
    assert "@ $.data.product.months" in message


def test_pledge_invariants_are_checked_on_reading() -> None:
    pledge = Pledge(id="PL-1", sponsor_id="S-1", money=100, instalments=(Instalment(due=ON, amount=100),))
    data = ser.dump_document(pledge)["data"]
    data["money"] = 50
    assert "adding up to money=50 @ $.data.instalments" in _error(_doc("pledge", data), Pledge)


def test_product_kind_mismatch() -> None:
    message = _error(_doc("health_card", {"kind": "social_book", "months": 12}), HealthCard)
    assert "kind='social_book' is not allowed" in message
    message = _error(_doc("social_book", {"kind": "lottery", "months": 12}), ANY_PRODUCT)
    assert "type='social_book'" not in message
    assert "kind='lottery' is not allowed" in message


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([], "expected a JSON object @ $"),
        ({"schema_version": 3, "type": "quote", "data": {}}, "schema_version=3 is not allowed"),
        ({"schema_version": 1.0, "type": "quote", "data": {}}, "schema_version=1.0 is not allowed"),
        ({"schema_version": 1, "type": "campaign", "data": {}}, "type='campaign' is not allowed: quote"),
        ({"schema_version": 1, "type": "quote"}, "required field missing @ $.data"),
        ({"schema_version": 1, "type": "quote", "data": {}, "extra": 1}, "extra fields found (extra) @ $"),
        ({"schema_version": 1, "type": "quote", "data": []}, "a JSON object for a Quote"),
    ],
)
def test_bad_envelopes(document: object, expected: str) -> None:
    assert expected in _error(document, ansinh.Quote)


def test_version_1_documents_are_read_and_their_quotes_lose_the_person() -> None:
    quote = ansinh.price(HealthCard(months=12), on=dt.date(2025, 1, 1))
    data = ser.dump_document(quote)["data"]
    old = {"schema_version": 1, "type": "quote", "data": {**data, "person_id": "HN-1", "province": "01"}}
    assert ser.load_document(old, ansinh.Quote) == quote
    with pytest.raises(SerializationError, match="schema_version=2 is not allowed: 1"):
        ser.load_document({"schema_version": 2, "type": "person", "data": {}}, ansinh.Person)


def test_load_document_refuses_a_class_that_is_not_a_document() -> None:
    with pytest.raises(SerializationError, match="not allowed"):
        ser.load_document(_doc("x", {}), int)


def test_loads_document_refuses_text_that_is_not_json() -> None:
    with pytest.raises(SerializationError, match="not valid JSON"):
        ser.loads_document("{", ansinh.Quote)


def test_strict_scalars() -> None:
    c = ser.make_converter()
    with pytest.raises(cattrs.BaseValidationError):
        c.structure({"document": 12}, ansinh.Citation)
    with pytest.raises(InvalidValueError, match="true or false"):
        c.structure(1, bool)
    with pytest.raises(InvalidValueError, match="one of"):
        c.structure("Poor", Category)


# -- shipped schemas on disk ----------------------------------------------------------------------


def test_write_schemas_writes_every_shipped_schema(tmp_path: Path) -> None:
    written = ser.write_schemas(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.schema.json" for name in ser.shipped_schema_names()
    )
    for path in written:
        name = path.name.removesuffix(".schema.json")
        assert json.loads(path.read_text(encoding="utf-8")) == ser.json_schema(name)


def test_command_line_writes_schemas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert schemas_main(["--write-schemas", str(tmp_path)]) == 0
    assert "quote.schema.json" in capsys.readouterr().out
    assert schemas_main(["--bogus"]) == 2
    assert "usage" in capsys.readouterr().err


def test_python_m_ansinh_serialization_writes_schemas(tmp_path: Path) -> None:
    src = str(Path(ansinh.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-m", "ansinh.serialization", "--write-schemas", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        f"{name}.schema.json" for name in ser.shipped_schema_names()
    )


def test_json_schema_of_an_unknown_document() -> None:
    with pytest.raises(InvalidValueError, match="name='ticket' is not allowed"):
        ser.json_schema("ticket")
