"""screen(): every person checked, sorted by priority; the bulk result is the scalar result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import FunctionRule, Priority, Reason, check, ranking_key, screen
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, SocialBook, TetGift
from ansinh.core.provinces import provinces
from ansinh.data import default_law
from ansinh.exceptions import InvalidPersonError, InvalidValueError
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
    differ in one value only (a screening shares equal facts and equal reasons between decisions),
    and clones: alike people (equal but for their identity, of one age or a day older), some with one
    value changed (a screening shares one answer between people alike)."""
    cats: tuple[frozenset[Category], ...] = (
        frozenset(),
        frozenset({Category.NEAR_POOR}),
        frozenset({Category.POOR}),
        frozenset({Category.STUDENT}),
        frozenset({Category.JUST_ESCAPED_POVERTY}),
    )
    stays = (
        None,
        (D(2026, 2, 10), D(2026, 2, 17)),
        (D(2026, 2, 20), D(2026, 3, 1)),
        (D(2026, 1, 1), D(2026, 1, 5)),
    )
    flags = st.booleans()
    pools: dict[str, st.SearchStrategy[Any]] = {
        "date_of_birth": st.sampled_from(
            (D(1950, 1, 10), D(1966, 1, 10), D(1966, 1, 11), D(2010, 1, 10), D(2010, 1, 11), D(2022, 6, 1))
        ),
        "province": st.sampled_from(("33", "01")),
        "categories": st.sampled_from(cats),  # Văn Lâm and Xã Một pay near-poor and student cards
        "difficult_circumstances": flags,
        "bhyt_valid_until": st.sampled_from(
            (None, D(2025, 11, 30), D(2026, 1, 9), D(2026, 1, 10), D(2027, 6, 30))
        ),
        "hospital_stay": st.sampled_from(stays),
        "vietnamese_citizen": flags,
        "compulsory_si": flags,
        "receives_pension": flags,
        "commune": st.sampled_from(("", "Xã Một")),
        "district": st.sampled_from(("", "Văn Lâm")),
        "left_poverty_on": st.sampled_from((None, D(2022, 6, 1), D(2025, 3, 1))),
        "vsi_supported_months": st.sampled_from((0, 118)),
    }
    n = draw(st.integers(0, 10))
    people = [person(i, **{name: draw(values) for name, values in pools.items()}) for i in range(n)]
    for i in range(draw(st.integers(0, 15)) if people else 0):
        base = draw(st.sampled_from(people))
        changed = draw(st.sampled_from((None, *sorted(pools))))
        changes: dict[str, Any] = {
            "id": f"C{i:03d}",
            "full_name": f"Bản sao {i}",
            "cccd": draw(st.none() | st.sampled_from(("001203000123", "079203009999"))),
            "household_id": draw(st.none() | st.just("H1")),
            "date_of_birth": base.date_of_birth - dt.timedelta(days=draw(st.sampled_from((0, 1, 200)))),
        }
        if changed is not None:
            changes[changed] = draw(pools[changed])
        people.append(attrs.evolve(base, **changes))
    return people


def _by_commune(p: Person) -> tuple[tuple[str, int], ...]:
    return (("XA_MOT", 5),) if p.commune == "Xã Một" else ()


def _odd_bonus(p: Person) -> tuple[tuple[str, int], ...]:
    return (("ODD", 1),) if p.id[-1] in "13579" else ()


_ODD = FunctionRule(
    "ODD_ID",
    lambda ctx: Reason("ODD_ID", True, "Lẻ.", "Odd.") if ctx.person.id[-1] in "13579" else None,
)


@settings(max_examples=250)
@given(
    people=look_alikes(),
    product=st.sampled_from([CARD, SocialBook(months=12), TetGift(value=500_000)]),
    campaign=st.sampled_from([None, TET_CAMPAIGN]),
    extra=st.sampled_from([None, _by_commune, _odd_bonus]),
    rules=st.sampled_from([(), (), (), (_ODD,)]),  # an extra rule turns the sharing of answers off
    supports=st.sampled_from([(), AREA_SUPPORTS]),
)
def test_decisions_sharing_facts_and_reasons_are_each_check(
    people: list[Person],
    product: HealthCard | SocialBook | TetGift,
    campaign: Campaign | None,
    extra: Callable[[Person], tuple[tuple[str, int], ...]] | None,
    rules: tuple[FunctionRule, ...],
    supports: tuple[Any, ...],
) -> None:
    """A screening shares equal facts and equal reasons between its decisions, and one answer between
    people alike (but for an extra rule, which may read anything, and extra priority parts): each
    decision is still check()'s for that person, with its extra parts."""
    if isinstance(product, TetGift):
        campaign = TET_CAMPAIGN
    s = screen(
        people,
        product,
        on=ON,
        campaign=campaign,
        law=LAW,
        rules=rules,
        extra_priority=extra,
        local_supports=supports,
    )
    by_id = {d.person.id: d for d in s.decisions}
    assert len(by_id) == len(people)
    for p in people:
        alone = check(p, product, on=ON, campaign=campaign, law=LAW, rules=rules, local_supports=supports)
        parts = extra(p) if extra is not None else ()
        if parts:
            alone = attrs.evolve(alone, priority=Priority.of(alone.priority.parts + parts))
        assert by_id[p.id].person is p
        assert by_id[p.id] == alone
        assert by_id[p.id].facts == alone.facts
        assert by_id[p.id].reasons == alone.reasons


def test_a_person_alike_but_for_a_malformed_stay_is_refused() -> None:
    """A person whose hospital stay bypassed Person's check is refused even after someone alike."""
    good = person(1)
    bad = attrs.evolve(good, id="P002")
    object.__setattr__(bad, "hospital_stay", ("2026-02-01", "2026-02-20"))  # bypassing Person's validator
    with pytest.raises(InvalidPersonError, match="hospital_stay"):
        screen([good, bad], CARD, on=ON, law=LAW)


BOOK = SocialBook(months=12)
GIFT = TetGift(value=500_000)


@pytest.mark.parametrize(
    ("base", "field", "other", "product"),
    [
        ({"categories": {Category.STUDENT}}, "commune", "Xã Một", CARD),
        ({}, "district", "Văn Lâm", CARD),
        (
            {"province": "01", "categories": {Category.JUST_ESCAPED_POVERTY}},
            "left_poverty_on",
            D(2015, 1, 1),
            CARD,
        ),
        ({"province": "01"}, "vsi_supported_months", 118, BOOK),
        ({}, "categories", {Category.POOR}, CARD),
        ({}, "province", "01", CARD),
        ({}, "bhyt_valid_until", D(2027, 6, 30), CARD),
        ({"categories": set()}, "difficult_circumstances", True, CARD),
        ({}, "vietnamese_citizen", False, BOOK),
        ({}, "compulsory_si", True, BOOK),
        ({}, "receives_pension", True, BOOK),
        ({"bhyt_valid_until": D(2027, 1, 1)}, "hospital_stay", (D(2026, 2, 10), D(2026, 2, 17)), GIFT),
        ({"date_of_birth": D(2011, 1, 11)}, "date_of_birth", D(2011, 1, 10), BOOK),  # 14, then 15 on ON
    ],
)
def test_people_alike_but_for_one_value_are_decided_apart(
    base: dict[str, Any], field: str, other: Any, product: HealthCard | SocialBook | TetGift
) -> None:
    """A screening shares an answer only between people alike: one value apart, each gets check()'s."""
    first = person(1, **base)
    changes: dict[str, Any] = {"id": "P002", field: other}
    second = attrs.evolve(first, **changes)
    campaign = TET_CAMPAIGN if isinstance(product, TetGift) else CAMPAIGN
    s = screen([first, second], product, on=ON, campaign=campaign, law=LAW, local_supports=AREA_SUPPORTS)
    by_id = {d.person.id: d for d in s.decisions}
    alone = [
        check(p, product, on=ON, campaign=campaign, law=LAW, local_supports=AREA_SUPPORTS)
        for p in (first, second)
    ]
    assert alone[0].codes != alone[1].codes  # the value changes the answer
    assert [by_id["P001"], by_id["P002"]] == alone
