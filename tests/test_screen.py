"""screen(): every person checked, sorted by priority; the bulk result is the scalar result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import FunctionRule, Reason, check, ranking_key, screen
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, SocialBook, TetGift
from ansinh.core.provinces import provinces
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError
from ansinh.io.roster import load_roster

LAW = default_law()

D = dt.date
ON = D(2026, 1, 10)
CARD = HealthCard(months=12)
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rosters" / "danh-sach-mau.csv"
CAMPAIGN = Campaign(code="HY", name="Hưng Yên 2026", province="33", start=D(2025, 10, 1), end=D(2026, 3, 31))


def person(i: int, **kw: Any) -> Person:
    base: dict[str, Any] = {
        "id": f"P{i:03d}",
        "full_name": f"Người {i}",
        "date_of_birth": D(1960 + i % 40, 1 + i % 12, 1 + i % 28),
        "province": "33",
        "categories": frozenset({Category.NEAR_POOR}),
    }
    base.update(kw)
    return Person(**base)


def test_screen_splits_and_sorts() -> None:
    people = [
        person(1),
        person(2, categories={Category.POOR}),  # state-paid: ineligible
        person(3, categories={Category.NEAR_POOR, Category.DISABILITY}),
        person(4, province="01"),  # outside the campaign's province
    ]
    s = screen(people, CARD, on=ON, campaign=CAMPAIGN, law=LAW)
    assert [d.person.id for d in s.eligible] == ["P003", "P001"]
    assert {d.person.id for d in s.ineligible} == {"P002", "P004"}
    assert len(s) == 4
    assert s.decisions == s.eligible + s.ineligible
    assert dict(s.reason_counts())["STATE_PAID_IN_FULL"] == 1
    assert dict(s.reason_counts())["OUTSIDE_CAMPAIGN_PROVINCE"] == 1
    assert s.on == ON
    assert s.product == CARD


def test_screen_accepts_a_roster() -> None:
    roster = load_roster(SAMPLE)
    s = screen(roster, CARD, on=ON, law=LAW)
    assert len(s) == len(roster.people)
    assert all(a.priority.score >= b.priority.score for a, b in zip(s.eligible, s.eligible[1:], strict=False))
    codes = dict(s.reason_counts())
    assert codes["STATE_PAID_IN_FULL"] >= 1  # the poor household and the difficult-area ethnic minority
    assert codes["NOT_IN_DIFFICULT_CIRCUMSTANCES"] >= 1


def test_screen_with_extra_priority_and_rules() -> None:
    people = [person(1), person(2, commune="Xã A"), person(3)]

    def bonus(p: Person) -> tuple[tuple[str, int], ...]:
        return (("COMMUNE_A", 100),) if p.commune == "Xã A" else ()

    s = screen(people, CARD, on=ON, extra_priority=bonus, law=LAW)
    assert s.eligible[0].person.id == "P002"
    assert s.eligible[0].priority.parts[-1] == ("COMMUNE_A", 100)

    rule = FunctionRule(
        "ONLY_COMMUNE_A",
        lambda ctx: None if ctx.person.commune == "Xã A" else Reason("ONLY_COMMUNE_A", True, "Xã A.", "A."),
    )
    s2 = screen(people, CARD, on=ON, rules=(rule,), law=LAW)
    assert [d.person.id for d in s2.eligible] == ["P002"]


def test_screen_bad_input() -> None:
    with pytest.raises(InvalidValueError):
        screen([person(1), "P2"], CARD, on=ON, law=LAW)  # type: ignore[list-item]
    with pytest.raises(InvalidValueError):
        screen(5, CARD, on=ON, law=LAW)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        screen([person(1)], CARD, on=ON, extra_priority=lambda p: (("X", "1"),), law=LAW)  # type: ignore[arg-type, return-value]
    with pytest.raises(InvalidValueError):
        screen([person(1)], CARD, on=ON, extra_priority=5, law=LAW)  # type: ignore[arg-type]


def test_empty_screen() -> None:
    s = screen([], SocialBook(months=12), on=ON, law=LAW)
    assert len(s) == 0
    assert s.reason_counts() == ()


CODES = tuple(p.code for p in provinces())


@st.composite
def crowds(draw: st.DrawFn) -> list[Person]:
    n = draw(st.integers(0, 25))
    out = []
    for i in range(n):
        out.append(
            person(
                i,
                date_of_birth=draw(st.dates(D(1930, 1, 1), D(2025, 12, 31))),
                province=draw(st.sampled_from(CODES)),
                categories=draw(st.frozensets(st.sampled_from(list(Category)), max_size=3)),
                difficult_circumstances=draw(st.booleans()),
                bhyt_valid_until=draw(st.none() | st.dates(D(2024, 1, 1), D(2028, 1, 1))),
                compulsory_si=draw(st.booleans()),
            )
        )
    return out


@settings(max_examples=40)
@given(people=crowds(), book=st.booleans(), provincial=st.booleans())
def test_bulk_is_the_scalar_result(people: list[Person], book: bool, provincial: bool) -> None:
    product = SocialBook(months=12) if book else CARD
    campaign = CAMPAIGN if provincial else None
    s = screen(people, product, on=ON, campaign=campaign, law=LAW)
    assert len(s) == len(people)
    by_id = {d.person.id: d for d in s.decisions}
    for p in people:
        assert by_id[p.id] == check(p, product, on=ON, campaign=campaign, law=LAW)
    for group in (s.eligible, s.ineligible):
        keys = [ranking_key(d) for d in group]
        assert keys == sorted(keys)
    assert all(d.eligible for d in s.eligible)
    assert not any(d.eligible for d in s.ineligible)


def _area_supports() -> tuple[Any, ...]:
    """The shipped top-ups, and scenario ones keyed by district and by commune that pay a card in full."""
    from ansinh.plugins.local_support import parse_local_supports, shipped_local_supports

    base = {
        "province": "33",
        "product": "health_card",
        "effective": "2025-01-01",
        "document": "x",
        "status": "scenario",
        "label_vi": "x",
        "label_en": "x",
    }
    scenario = parse_local_supports(
        {
            "support": [
                {**base, "code": "district", "district": "Văn Lâm", "rates": {"near_poor": "1"}},
                {**base, "code": "commune", "communes": ["Xã Một"], "rates": {"student": "1"}},
            ]
        }
    )
    return (*shipped_local_supports(), *scenario)


AREA_SUPPORTS = _area_supports()


@st.composite
def topped_crowds(draw: st.DrawFn) -> list[Person]:
    """People of provinces with top-ups, some keyed by place, by the day poverty ended or by age
    (Hà Nội's and Hồ Chí Minh City's age bands): few price classes, so a screening shares each
    class's answer between people."""
    n = draw(st.integers(0, 30))
    cats = (Category.NEAR_POOR, Category.STUDENT, Category.JUST_ESCAPED_POVERTY, Category.MILD_DISABILITY)
    # Aged 9, 13, 65, 70 and 46 on ON: in and out of the shipped age bands.
    births = (D(2016, 3, 1), D(2012, 3, 1), D(1960, 3, 1), D(1955, 3, 1), D(1980, 1, 1))
    return [
        person(
            i,
            date_of_birth=draw(st.sampled_from(births)),
            province=draw(st.sampled_from(("01", "79", "33"))),
            categories=draw(st.sampled_from((frozenset(), *(frozenset({c}) for c in cats)))),
            district=draw(st.sampled_from(("", "Văn Lâm"))),
            commune=draw(st.sampled_from(("", "Xã Một"))),
            left_poverty_on=draw(st.none() | st.sampled_from((D(2022, 6, 1), D(2025, 3, 1)))),
            vsi_supported_months=draw(st.sampled_from((0, 0, 118))),
        )
        for i in range(n)
    ]


@settings(max_examples=60)
@given(people=topped_crowds(), book=st.booleans())
def test_screen_prices_once_per_class_with_the_scalar_answer(people: list[Person], book: bool) -> None:
    """FULLY_SUPPORTED is asked once per price class in a screening; each decision is still check()'s."""
    product = SocialBook(months=12) if book else CARD
    s = screen(people, product, on=ON, law=LAW, local_supports=AREA_SUPPORTS)
    by_id = {d.person.id: d for d in s.decisions}
    for p in people:
        assert by_id[p.id] == check(p, product, on=ON, law=LAW, local_supports=AREA_SUPPORTS)


@st.composite
def aged_crowds(draw: st.DrawFn) -> list[Person]:
    """People of Hà Nội and Hồ Chí Minh City who differ in little but their age: the shipped top-ups
    with age bands pay some of them in full and not others of the same price class otherwise."""
    n = draw(st.integers(0, 12))
    births = (D(2016, 3, 1), D(2012, 3, 1), D(1960, 3, 1), D(1955, 3, 1), D(1980, 1, 1))
    cats: tuple[frozenset[Category], ...] = (
        frozenset(),
        frozenset({Category.NEAR_POOR}),
        frozenset({Category.MILD_DISABILITY}),
    )
    return [
        person(
            i,
            date_of_birth=draw(st.sampled_from(births)),
            province=draw(st.sampled_from(("01", "79"))),
            categories=draw(st.sampled_from(cats)),
        )
        for i in range(n)
    ]


@settings(max_examples=60)
@given(people=aged_crowds())
def test_screen_prices_age_bands_as_check(people: list[Person]) -> None:
    """An age band's top-up (``group_ages``) makes age part of a price class: each decision is check()'s."""
    s = screen(people, CARD, on=ON, law=LAW, local_supports=AREA_SUPPORTS)
    by_id = {d.person.id: d for d in s.decisions}
    for p in people:
        assert by_id[p.id] == check(p, CARD, on=ON, law=LAW, local_supports=AREA_SUPPORTS)


def test_an_age_band_splits_a_price_class() -> None:
    """Hà Nội pays the whole card of a near-poor person aged 70 to 74, not of one aged 46."""
    people = [
        person(1, province="01", date_of_birth=D(1980, 1, 1)),
        person(2, province="01", date_of_birth=D(1955, 3, 1)),
    ]
    s = screen(people, CARD, on=ON, law=LAW, local_supports=AREA_SUPPORTS)
    codes = {d.person.id: d.codes for d in s.decisions}
    assert "FULLY_SUPPORTED" not in codes["P001"]
    assert "FULLY_SUPPORTED" in codes["P002"]


TET_CAMPAIGN = Campaign(
    code="HY-TET",
    name="Hưng Yên Tết 2026",
    province="33",
    start=D(2025, 10, 1),
    end=D(2026, 3, 31),
    tet_dates=(D(2026, 2, 16), D(2026, 2, 22)),
)


@st.composite
def look_alikes(draw: st.DrawFn) -> list[Person]:
    """People drawn from few values, so that many share the values their facts are made of and some
    differ in one value only (a screening shares equal facts and equal reasons between decisions)."""
    n = draw(st.integers(0, 25))
    births = (D(1950, 1, 10), D(1966, 1, 10), D(1966, 1, 11), D(2010, 1, 10), D(2010, 1, 11), D(2022, 6, 1))
    cats: tuple[frozenset[Category], ...] = (
        frozenset(),
        frozenset({Category.NEAR_POOR}),
        frozenset({Category.POOR}),
        frozenset({Category.STUDENT}),
    )
    cards = (None, D(2025, 11, 30), D(2026, 1, 9), D(2026, 1, 10), D(2027, 6, 30))
    stays = (
        None,
        (D(2026, 2, 10), D(2026, 2, 17)),
        (D(2026, 2, 20), D(2026, 3, 1)),
        (D(2026, 1, 1), D(2026, 1, 5)),
    )
    flags = st.booleans()
    return [
        person(
            i,
            date_of_birth=draw(st.sampled_from(births)),
            province=draw(st.sampled_from(("33", "01"))),
            categories=draw(st.sampled_from(cats)),
            difficult_circumstances=draw(flags),
            bhyt_valid_until=draw(st.sampled_from(cards)),
            hospital_stay=draw(st.sampled_from(stays)),
            vietnamese_citizen=draw(st.booleans()),
            compulsory_si=draw(flags),
            receives_pension=draw(flags),
        )
        for i in range(n)
    ]


@settings(max_examples=80)
@given(
    people=look_alikes(),
    product=st.sampled_from([CARD, SocialBook(months=12), TetGift(value=500_000)]),
    campaign=st.sampled_from([None, TET_CAMPAIGN]),
)
def test_decisions_sharing_facts_and_reasons_are_each_check(
    people: list[Person], product: HealthCard | SocialBook | TetGift, campaign: Campaign | None
) -> None:
    """A screening shares equal facts and equal reasons between its decisions: each is still check()'s."""
    if isinstance(product, TetGift):
        campaign = TET_CAMPAIGN
    s = screen(people, product, on=ON, campaign=campaign, law=LAW)
    by_id = {d.person.id: d for d in s.decisions}
    for p in people:
        alone = check(p, product, on=ON, campaign=campaign, law=LAW)
        assert by_id[p.id] == alone
        assert by_id[p.id].facts == alone.facts
        assert by_id[p.id].reasons == alone.reasons
