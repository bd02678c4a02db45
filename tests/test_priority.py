"""Priority: a documented, deterministic score with visible parts, and a stable tie-break."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.eligibility import PRIORITY_TABLE, Priority, check, priority, ranking_key
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError

LAW = default_law()

D = dt.date
ON = D(2026, 1, 10)


def person(**kw: Any) -> Person:
    base: dict[str, Any] = {
        "id": "P1",
        "full_name": "Phạm Thị Thu",
        "date_of_birth": D(1980, 5, 5),
        "province": "33",
        "bhyt_valid_until": D(2026, 12, 31),
    }
    base.update(kw)
    return Person(**base)


@pytest.mark.parametrize(
    ("kw", "parts"),
    [
        ({}, ()),
        ({"categories": {Category.POOR}}, (("POOR", 40),)),
        ({"categories": {Category.NEAR_POOR}}, (("NEAR_POOR", 30),)),
        ({"categories": {Category.JUST_ESCAPED_POVERTY}}, (("JUST_ESCAPED_POVERTY", 20),)),
        ({"categories": {Category.ETHNIC_MINORITY}}, (("ETHNIC_MINORITY", 15),)),
        ({"categories": {Category.DISABILITY}}, (("DISABILITY", 25),)),
        ({"categories": {Category.ELDERLY_ALONE}}, (("ELDERLY_ALONE", 25),)),
        ({"categories": {Category.CHILD}}, (("CHILD", 20),)),
        ({"difficult_circumstances": True}, (("DIFFICULT_CIRCUMSTANCES", 10),)),
        ({"date_of_birth": D(1966, 1, 10)}, (("AGE_60_PLUS", 10),)),  # 60th birthday on the date
        ({"date_of_birth": D(1966, 1, 11)}, ()),  # 59 on the date
        ({"date_of_birth": D(2010, 1, 11)}, (("AGE_UNDER_16", 10),)),  # 15 on the date
        ({"date_of_birth": D(2010, 1, 10)}, ()),  # 16th birthday on the date
        ({"bhyt_valid_until": None}, (("UNINSURED", 10),)),
        ({"bhyt_valid_until": D(2026, 1, 9)}, (("UNINSURED", 10),)),
        ({"bhyt_valid_until": D(2026, 1, 10)}, ()),
        (
            {"categories": {Category.ETHNIC_MINORITY, Category.NEAR_POOR}, "bhyt_valid_until": None},
            (("NEAR_POOR", 30), ("ETHNIC_MINORITY", 15), ("UNINSURED", 10)),
        ),
    ],
)
def test_scoring_table(kw: dict[str, Any], parts: tuple[tuple[str, int], ...]) -> None:
    pr = priority(person(**kw), on=ON)
    assert pr.parts == parts
    assert pr.score == sum(p for _, p in parts)


def test_every_category_has_a_documented_part() -> None:
    codes = {c for c, _, _, _ in PRIORITY_TABLE}
    assert {c.value.upper() for c in Category} <= codes
    for cat in Category:
        assert priority(person(categories={cat}), on=ON).parts[0][0] == cat.value.upper()


def test_extra_parts_follow_builtin_ones() -> None:
    pr = priority(person(categories={Category.NEAR_POOR}), on=ON, extra=(("HY_WORKER_RELATIVE", 7),))
    assert pr.parts == (("NEAR_POOR", 30), ("HY_WORKER_RELATIVE", 7))
    assert pr.score == 37
    assert "HY_WORKER_RELATIVE +7" in pr.explain()
    assert "hộ cận nghèo +30" in pr.explain("vi")
    assert "near-poor household +30" in pr.explain("en")


@pytest.mark.parametrize(
    "extra",
    [(("X", 1.5),), (("", 1),), (("X",),), "X", (("X", True),), ((1, 2),)],
)
def test_bad_extra_parts(extra: Any) -> None:
    with pytest.raises(InvalidValueError):
        priority(person(), on=ON, extra=extra)


def test_bad_arguments() -> None:
    with pytest.raises(InvalidValueError):
        priority("someone", on=ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError):
        priority(person(), on=dt.datetime(2026, 1, 1))


def test_tie_break_older_first_then_id() -> None:
    a = person(id="B", date_of_birth=D(1970, 1, 1), categories={Category.NEAR_POOR})
    b = person(id="A", date_of_birth=D(1970, 1, 1), categories={Category.NEAR_POOR})
    c = person(id="C", date_of_birth=D(1950, 1, 1), categories={Category.DISABILITY})  # 25 + 10 (age)
    d = person(id="D", date_of_birth=D(1990, 1, 1), categories={Category.POOR})
    card = HealthCard(months=12)
    decisions = [check(p, card, on=ON, law=LAW) for p in (a, b, c, d)]
    ordered = sorted(decisions, key=ranking_key)
    assert [x.person.id for x in ordered] == ["D", "C", "A", "B"]


def test_priority_of_sums_parts() -> None:
    assert Priority.of((("A", 3), ("B", -1))) == Priority(2, (("A", 3), ("B", -1)))


@given(
    cats=st.frozensets(st.sampled_from(list(Category))),
    born=st.dates(D(1920, 1, 1), D(2026, 1, 1)),
    flag=st.booleans(),
)
def test_priority_is_deterministic_and_sums(cats: frozenset[Category], born: dt.date, flag: bool) -> None:
    p = person(categories=cats, date_of_birth=born, difficult_circumstances=flag)
    one, two = priority(p, on=ON), priority(p, on=ON)
    assert one == two
    assert one.score == sum(pts for _, pts in one.parts)
    assert len({code for code, _ in one.parts}) == len(one.parts)


def test_documented_table_matches_the_code() -> None:
    import importlib
    import re

    # the module, not the function priority() the package re-exports under the same name
    doc = importlib.import_module("ansinh.core.eligibility.priorities").__doc__ or ""
    documented = {m[0]: int(m[1]) for m in re.findall(r"``([A-Z_0-9]+)``\s+(\d+)\s", doc)}
    assert documented == {code: pts for code, pts, _, _ in PRIORITY_TABLE}
