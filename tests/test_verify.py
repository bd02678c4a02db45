"""ansinh.verify: a quote document is re-priced from the law, and an edited figure is refused."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ansinh
from ansinh import strategies as ast
from ansinh.exceptions import QuoteMismatchError, SerializationError
from ansinh.serialization import dump_document, dumps_document

LAW = ansinh.default_law()
MONEY = (
    "gross",
    "state_support",
    "local_support",
    "payable",
    "monthly_gross",
    "monthly_state_support",
    "monthly_local_support",
    "monthly_payable",
)


@st.composite
def priced(draw: st.DrawFn) -> tuple[ansinh.Quote, ansinh.Person | None]:
    """A quote of the shipped law with the built-in top-ups, and who it was priced for."""
    day = draw(ast.dates(law=LAW))
    product = draw(ast.products(on=day, law=LAW))
    person = draw(st.none() | ast.people(on=day))
    return ansinh.price(product, person, on=day), person


@settings(max_examples=60)
@given(case=priced())
def test_a_quote_the_law_gives_is_verified(case: tuple[ansinh.Quote, ansinh.Person | None]) -> None:
    quote, person = case
    assert ansinh.verify(dump_document(quote)) == quote
    assert ansinh.verify(dumps_document(quote)) == quote
    assert ansinh.verify(quote, person) == quote


@settings(max_examples=60)
@given(case=priced(), field=st.sampled_from(MONEY), delta=st.integers(-(10**6), 10**6).filter(bool))
def test_an_edited_amount_is_refused_naming_the_field(
    case: tuple[ansinh.Quote, ansinh.Person | None], field: str, delta: int
) -> None:
    document = dump_document(case[0])
    document["data"][field] += delta
    with pytest.raises(QuoteMismatchError) as caught:
        ansinh.verify(document)
    assert caught.value.field == field
    assert caught.value.value == document["data"][field]


def _card_document() -> dict[str, Any]:
    return dump_document(ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1)))


def test_payable_one_is_refused_with_the_laws_figure() -> None:
    document = _card_document()
    document["data"]["payable"] = 1
    with pytest.raises(QuoteMismatchError, match=r"payable=1 is not allowed: 1263600, the law's figure"):
        ansinh.verify(document)


def test_an_edited_line_is_refused_naming_the_line() -> None:
    document = _card_document()
    codes = [line["code"] for line in document["data"]["lines"]]
    i = codes.index("bhyt_rate")
    document["data"]["lines"][i]["value"] = "0.04"
    with pytest.raises(QuoteMismatchError) as caught:
        ansinh.verify(document)
    assert caught.value.field == f"lines[{i}].bhyt_rate"
    dropped = _card_document()
    dropped["data"]["lines"].pop()
    with pytest.raises(QuoteMismatchError, match="lines="):
        ansinh.verify(dropped)


def test_a_changed_group_or_date_is_refused() -> None:
    document = _card_document()
    document["data"]["group"] = "poor"
    with pytest.raises(QuoteMismatchError) as caught:
        ansinh.verify(document)
    assert caught.value.field in ("group", "state_support")
    moved = _card_document()
    moved["data"]["on"] = "2024-01-01"  # the base salary was lower then
    with pytest.raises(QuoteMismatchError):
        ansinh.verify(moved)


def test_a_scenario_quote_needs_its_law() -> None:
    scenario = LAW.amend(
        "base_salary", 2_600_000, effective=dt.date(2026, 7, 1), source="Giả định: lương cơ sở 2,6 triệu"
    )
    quote = ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2026, 7, 1), law=scenario)
    with pytest.raises(QuoteMismatchError, match="law_name="):
        ansinh.verify(dump_document(quote))
    assert ansinh.verify(dump_document(quote), law=scenario) == quote


def test_a_top_up_quote_is_verified_without_naming_the_person() -> None:
    person = ansinh.Person(
        id="P1",
        full_name="Nguyễn Thị Hoa",
        date_of_birth=dt.date(1970, 5, 1),
        province="01",
        categories={ansinh.Category.NEAR_POOR},
    )
    quote = ansinh.price(ansinh.SocialBook(months=12), person, on=dt.date(2026, 3, 1))
    assert quote.local_support > 0
    assert ansinh.verify(dump_document(quote)) == quote
    with pytest.raises(QuoteMismatchError):
        ansinh.verify(dump_document(quote), plugins=False)  # without the top-up programmes


def test_a_product_the_law_cannot_price_is_refused_on_product() -> None:
    document = _card_document()
    document["data"]["product"]["months"] = 5
    document["data"]["months"] = 5
    with pytest.raises(QuoteMismatchError) as caught:
        ansinh.verify(document)
    assert caught.value.field == "product"


@pytest.mark.parametrize("bad", [{"type": "quote"}, "{", 7])
def test_what_is_not_a_quote_document_is_refused(bad: object) -> None:
    with pytest.raises(ansinh.AnsinhError) as caught:
        ansinh.verify(bad)
    assert isinstance(caught.value, SerializationError | ansinh.InvalidValueError)


def test_verify_does_not_change_the_document() -> None:
    document = _card_document()
    before = copy.deepcopy(document)
    ansinh.verify(document)
    assert json.dumps(document) == json.dumps(before)
