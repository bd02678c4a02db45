"""Groups limited in months after a household left poverty: HCMC and Hà Nội 36 months, Long Biên 12."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from ansinh.core.allocation import Candidate, allocate
from ansinh.core.campaign import Beneficiary, Pledge, Sponsor
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import InvalidPersonError, InvalidValueError, LawDataError
from ansinh.plugins.local_support import parse_local_supports, shipped_local_supports
from ansinh.testing import sample_campaign

LAW = default_law()
SHIPPED = shipped_local_supports()
D = dt.date


def _out_of_poverty(province: str, left: dt.date | None, **more: object) -> Person:
    return Person(
        id=f"{province}-1",
        full_name="Nguyễn Văn A",
        date_of_birth=D(1970, 1, 1),
        province=province,
        categories={Category.JUST_ESCAPED_POVERTY},
        left_poverty_on=left,
        difficult_circumstances=True,
        **more,  # type: ignore[arg-type]
    )


def test_hcmc_res75_pays_the_card_for_36_months_after_leaving_poverty() -> None:
    who = _out_of_poverty("79", D(2023, 3, 15))
    card = HealthCard(months=12)
    last = price(card, who, on=D(2026, 3, 14), law=LAW, local_supports=SHIPPED)
    after = price(card, who, on=D(2026, 3, 15), law=LAW, local_supports=SHIPPED)
    assert (last.local_support, last.payable) == (1_263_600, 0)
    assert (after.local_support, after.payable) == (0, 1_263_600)
    # without the day out of poverty the limit cannot be checked: the group applies
    unknown = price(card, _out_of_poverty("79", None), on=D(2026, 3, 15), law=LAW, local_supports=SHIPPED)
    assert unknown.payable == 0


def test_hanoi_2026_pays_the_card_for_36_months_after_leaving_poverty() -> None:
    who = _out_of_poverty("01", D(2023, 6, 1))
    card = HealthCard(months=12)
    assert price(card, who, on=D(2026, 5, 31), law=LAW, local_supports=SHIPPED).payable == 0
    assert price(card, who, on=D(2026, 6, 1), law=LAW, local_supports=SHIPPED).payable == 1_263_600


def test_long_bien_pays_30_percent_for_12_months_after_leaving_near_poverty() -> None:
    who = _out_of_poverty("01", D(2024, 5, 1), district="Long Biên")
    book = SocialBook(months=1)
    last = price(book, who, on=D(2025, 4, 30), law=LAW, local_supports=SHIPPED)
    after = price(book, who, on=D(2025, 5, 1), law=LAW, local_supports=SHIPPED)
    # 22 % × 1,500,000 = 330,000; the state 10 % (33,000), the district 30 % (99,000)
    assert (last.state_support, last.local_support, last.payable) == (33_000, 99_000, 198_000)
    assert (after.state_support, after.local_support, after.payable) == (33_000, 0, 297_000)
    # not yet out of poverty on the purchase day: not in the group either
    early = attrs.evolve(who, left_poverty_on=D(2025, 5, 2))
    assert price(book, early, on=D(2025, 5, 1), law=LAW, local_supports=SHIPPED).local_support == 0


def test_the_ledger_rechecks_the_limit_from_the_beneficiary() -> None:
    hcmc = sample_campaign(province="79")
    ledger = Ledger(hcmc, law=LAW, local_supports=SHIPPED)
    ledger.append(
        PledgeRegistered(
            event_id="reg:P1",
            on=D(2025, 11, 1),
            sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
            pledge=Pledge(id="P1", sponsor_id="S1", money=5_000_000),
        )
    )
    recent = attrs.evolve(_out_of_poverty("79", D(2023, 3, 15)), id="recent")
    long_ago = attrs.evolve(_out_of_poverty("79", D(2022, 1, 1)), id="long-ago")
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in (recent, long_ago)]
    alloc = allocate(ledger.state, candidates, on=D(2026, 3, 1), law=LAW, local_supports=SHIPPED)
    # the city pays the recent one's card in full (not a gift); the other's is bought
    assert [(g.person_id, g.amount) for g in alloc.gifts] == [("long-ago", 1_263_600)]
    ledger.extend(alloc.events())
    assert ledger.state.gifts[0].beneficiary.left_poverty_on == D(2022, 1, 1)
    assert Beneficiary.from_person(recent).left_poverty_on == D(2023, 3, 15)


def test_bad_dates_and_tables_are_refused() -> None:
    with pytest.raises(InvalidPersonError, match="left_poverty_on"):
        _out_of_poverty("79", "2023-03-15")  # type: ignore[arg-type]
    base = {
        "code": "x",
        "province": "79",
        "product": "health_card",
        "effective": "2026-01-01",
        "rates": {"just_escaped_poverty": "1"},
        "document": "x",
        "status": "scenario",
        "label_vi": "x",
        "label_en": "x",
    }
    (sup,) = parse_local_supports({"support": [{**base, "group_months": {"just_escaped_poverty": 36}}]})
    assert sup.group_months == (("just_escaped_poverty", 36),)
    for bad in ({"poor": 36}, {"just_escaped_poverty": 0}, {"just_escaped_poverty": "36"}, [36]):
        with pytest.raises(LawDataError, match="group_months"):
            parse_local_supports({"support": [{**base, "group_months": bad}]})

    class Who:
        categories = frozenset({Category.JUST_ESCAPED_POVERTY})
        province = "79"
        vsi_supported_months = 0
        left_poverty_on = "2023-03-15"

    with pytest.raises(InvalidValueError, match="left_poverty_on"):
        price(HealthCard(months=12), Who(), on=D(2026, 3, 1), law=LAW, local_supports=SHIPPED)


def test_bulk_refuses_a_left_poverty_column_while_a_limited_group_is_in_play() -> None:
    pytest.importorskip("pyarrow")
    from ansinh.bulk import price_table

    rows = {
        "date": [D(2026, 3, 15)],
        "product": ["health_card"],
        "months": [12],
        "categories": ["just_escaped_poverty"],
        "province": ["79"],
    }
    scalar = price(
        HealthCard(months=12), _out_of_poverty("79", None), on=D(2026, 3, 15), law=LAW, local_supports=SHIPPED
    )
    assert price_table(rows, local_supports=list(SHIPPED), plugins=False).column("payable").to_pylist() == [
        scalar.payable
    ]
    with pytest.raises(InvalidValueError, match="left_poverty_on"):
        price_table(
            {**rows, "left_poverty_on": [D(2023, 3, 15)]}, local_supports=list(SHIPPED), plugins=False
        )
