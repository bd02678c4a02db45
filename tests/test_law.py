"""The dated law: lookups, history, validation of the data, scenarios."""

from __future__ import annotations

import datetime as dt
import tomllib
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.law import Law, Link, ParamKind, SourceStatus
from ansinh.data import read_text
from ansinh.exceptions import LawDataError, NotInForceError, UnknownParameterError

LAW = ansinh.default_law()


def _data() -> dict[str, Any]:
    return tomllib.loads(read_text("law.toml"))


@pytest.mark.parametrize(
    ("name", "on", "expected"),
    [
        ("base_salary", dt.date(2019, 7, 1), 1_490_000),
        ("base_salary", dt.date(2023, 6, 30), 1_490_000),
        ("base_salary", dt.date(2023, 7, 1), 1_800_000),
        ("base_salary", dt.date(2025, 1, 1), 2_340_000),
        ("base_salary", dt.date(2026, 7, 1), 2_530_000),
        ("reference_level", dt.date(2025, 7, 1), 2_340_000),
        ("reference_level", dt.date(2026, 7, 1), 2_530_000),
        ("rural_poverty_line", dt.date(2021, 12, 31), 700_000),
        ("rural_poverty_line", dt.date(2022, 1, 1), 1_500_000),
        ("rural_poverty_line", dt.date(2026, 12, 31), 1_500_000),
        ("rural_poverty_line", dt.date(2027, 1, 1), 2_200_000),
        ("vsi_income_ceiling", dt.date(2025, 7, 1), 46_800_000),
        ("vsi_income_ceiling", dt.date(2026, 7, 1), 50_600_000),
        ("vsi_income_step", dt.date(2026, 1, 1), 50_000),
        ("vsi_support_max_months", dt.date(2026, 1, 1), 120),
        ("bhyt_rate", dt.date(2026, 1, 1), Fraction(45, 1000)),
        ("vsi_rate", dt.date(2026, 1, 1), Fraction(22, 100)),
        ("bhyt_payment_months", dt.date(2026, 1, 1), (3, 6, 12)),
    ],
)
def test_values(name: str, on: dt.date, expected: object) -> None:
    assert LAW.value(name, on=on) == expected


def test_rate_tables() -> None:
    before = LAW.rates("vsi_state_support", on=dt.date(2025, 6, 30))
    after = LAW.rates("vsi_state_support", on=dt.date(2025, 7, 1))
    assert before.as_dict() == {
        "poor": Fraction(3, 10),
        "near_poor": Fraction(1, 4),
        "other": Fraction(1, 10),
    }
    assert after["poor"] == after["island_resident"] == Fraction(1, 2)
    assert (after["near_poor"], after["ethnic_minority"], after["other"]) == (
        Fraction(2, 5),
        Fraction(3, 10),
        Fraction(1, 5),
    )
    students = [
        LAW.rates("bhyt_state_support", on=d)["student"] for d in (dt.date(2025, 6, 30), dt.date(2025, 7, 1))
    ]
    assert students == [Fraction(3, 10), Fraction(1, 2)]
    factors = LAW.rates("bhyt_household_factors", on=dt.date(2026, 1, 1))
    assert [factors[k] for k in "12345"] == [
        Fraction(1),
        Fraction(7, 10),
        Fraction(3, 5),
        Fraction(1, 2),
        Fraction(2, 5),
    ]


def test_every_value_is_cited_and_tagged() -> None:
    for param in LAW.parameters:
        assert param.label_vi, param.name
        assert param.label_en, param.name
        for value in LAW.history(param.name):
            assert value.citation.document, param.name
            assert isinstance(value.status, SourceStatus)
    assert LAW.lookup("rural_poverty_line", on=dt.date(2027, 1, 1)).status is SourceStatus.DERIVED
    assert LAW.lookup("base_salary", on=dt.date(2026, 7, 1)).citation.document == "Nghị định 161/2026/NĐ-CP"


def test_history_is_ordered_with_citations() -> None:
    history = LAW.history("base_salary")
    assert [v.value for v in history][-4:] == [1_490_000, 1_800_000, 2_340_000, 2_530_000]
    assert [v.effective for v in history] == sorted(v.effective for v in history)


def test_errors() -> None:
    with pytest.raises(UnknownParameterError, match="no_such"):
        LAW.value("no_such", on=dt.date(2025, 1, 1))
    with pytest.raises(NotInForceError, match="base_salary"):
        LAW.value("base_salary", on=dt.date(2000, 1, 1))
    with pytest.raises(NotInForceError, match="reference_level"):
        LAW.value("reference_level", on=dt.date(2025, 6, 30))
    with pytest.raises(ansinh.AnsinhError):
        LAW.value("base_salary", on=dt.datetime(2025, 1, 1))
    assert isinstance(UnknownParameterError("x", ()), LookupError)


def _edit(**changes: Any) -> dict[str, Any]:
    data = _data()
    for path, value in changes.items():
        target = data["parameters"]
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[leaf] = value
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"base_salary__values__2__effective": dt.date(2019, 7, 1)}, "overlap"),
        ({"vsi_state_support__values__1__until": dt.date(2025, 5, 31)}, "gap"),
        ({"vsi_state_support__values__1__until": dt.date(2025, 7, 31)}, "overlap"),
        ({"base_salary__values__1__value": 1.49e6}, "floats are never accepted"),
        ({"bhyt_rate__values__0__value": 0.045}, "never float"),
        ({"base_salary__values__1__status": "rumour"}, "status"),
        ({"base_salary__kind": "money"}, "kind"),
        ({"reference_level__values__0__of": "nothing"}, "unknown parameter"),
        ({"base_salary__values__1__colour": "red"}, "unknown keys"),
        ({"bhyt_payment_months__values__0__value": [12, 6]}, "increasing"),
        ({"vsi_state_support__values__1__value": {"poor": "1.5"}}, "between 0 and 1"),
    ],
)
def test_bad_data_is_rejected_when_loading(change: dict[str, Any], message: str) -> None:
    with pytest.raises(LawDataError, match=message):
        Law.from_mapping(_edit(**change))


def test_link_cycle_is_rejected() -> None:
    data = _data()
    data["parameters"]["base_salary"]["values"].append(
        {"effective": dt.date(2030, 1, 1), "of": "reference_level", "document": "x", "status": "scenario"}
    )
    with pytest.raises(LawDataError, match="cycle"):
        Law.from_mapping(data)


def test_amend_builds_a_scenario_and_links_follow() -> None:
    what_if = LAW.amend("base_salary", 2_800_000, effective=dt.date(2027, 7, 1), source="kịch bản")
    assert what_if.value("base_salary", on=dt.date(2027, 6, 30)) == 2_530_000
    assert what_if.value("base_salary", on=dt.date(2027, 7, 1)) == 2_800_000
    assert what_if.value("reference_level", on=dt.date(2027, 7, 1)) == 2_800_000
    assert what_if.value("vsi_income_ceiling", on=dt.date(2027, 7, 1)) == 56_000_000
    assert what_if.lookup("base_salary", on=dt.date(2028, 1, 1)).status is SourceStatus.SCENARIO
    assert what_if.amendments[0].value == 2_800_000
    q = ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2027, 7, 1), law=what_if)
    assert q.gross == 12 * 126_000
    assert "(scenario)" in q.explain()
    # An earlier effective date replaces later values.
    early = LAW.amend("base_salary", 2_000_000, effective=dt.date(2024, 1, 1), source="x")
    assert early.value("base_salary", on=dt.date(2026, 12, 1)) == 2_000_000
    assert early.value("base_salary", on=dt.date(2023, 12, 31)) == 1_800_000


def test_amend_rejects_float_and_unknown() -> None:
    with pytest.raises(LawDataError, match="float"):
        LAW.amend("base_salary", 2.8e6, effective=dt.date(2027, 7, 1), source="x")
    with pytest.raises(LawDataError, match="float"):
        LAW.amend("bhyt_rate", 0.05, effective=dt.date(2027, 7, 1), source="x")
    with pytest.raises(UnknownParameterError):
        LAW.amend("salary", 1, effective=dt.date(2027, 7, 1), source="x")


@given(
    name=st.sampled_from(["base_salary", "rural_poverty_line", "vsi_income_step"]),
    value=st.integers(min_value=0, max_value=10**9),
    effective=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_amend_never_changes_the_default(name: str, value: int, effective: dt.date) -> None:
    before = [(v.effective, v.until, v.value) for v in ansinh.default_law().history(name)]
    scenario = ansinh.default_law().amend(name, value, effective=effective, source="s")
    assert scenario.value(name, on=effective) == value
    assert scenario is not ansinh.default_law()
    after = [(v.effective, v.until, v.value) for v in ansinh.default_law().history(name)]
    assert before == after
    assert ansinh.default_law() == Law.from_mapping(_data())


@given(on=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2035, 12, 31)))
def test_period_bounds_contain_the_date_and_values_are_constant(on: dt.date) -> None:
    start, end = LAW.period_bounds(on)
    assert start is None or start <= on
    assert end is None or on <= end
    for other in (start, end):
        if other is None:
            continue
        for p in LAW.parameters:
            try:
                here = LAW.value(p.name, on=on)
            except NotInForceError:
                continue
            assert LAW.value(p.name, on=other) == here


def test_kinds_and_links_are_typed() -> None:
    assert LAW.parameter("reference_level").kind is ParamKind.AMOUNT
    assert isinstance(LAW.history("reference_level")[0].value, Link)
    assert LAW.amount("base_salary", on=dt.date(2025, 1, 1)) == 2_340_000
    with pytest.raises(ansinh.InvalidValueError):
        LAW.rate("base_salary", on=dt.date(2025, 1, 1))


def test_laws_and_periods_pickle() -> None:
    import pickle

    amended = LAW.amend("base_salary", 2_800_000, effective=dt.date(2027, 7, 1), source="scenario")
    for law in (LAW, amended):
        back = pickle.loads(pickle.dumps(law))
        assert back == law
        assert back.value("base_salary", on=dt.date(2027, 7, 1)) == law.value(
            "base_salary", on=dt.date(2027, 7, 1)
        )
        period = law.at(dt.date(2026, 1, 5))
        again = pickle.loads(pickle.dumps(period))
        assert again == period
        assert again.amount("vsi_income_floor") == 1_500_000
