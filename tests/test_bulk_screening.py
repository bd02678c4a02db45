"""ansinh.bulk.screen_table decides exactly as ansinh.core.eligibility.check, person by person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ansinh.bulk import make_screen_plan, screen_table  # noqa: E402
from ansinh.core.campaign import Campaign  # noqa: E402
from ansinh.core.eligibility import CheckContext, FunctionRule, PriorityPolicy, Reason, check  # noqa: E402
from ansinh.core.law import Law  # noqa: E402
from ansinh.core.people import Category, Person  # noqa: E402
from ansinh.core.products import HealthCard, Product, SocialBook, TetGift  # noqa: E402
from ansinh.data import default_law  # noqa: E402
from ansinh.exceptions import AnsinhError, InvalidValueError  # noqa: E402
from ansinh.strategies import priority_policies  # noqa: E402

CHANGES = (
    dt.date(2023, 7, 1),
    dt.date(2024, 7, 1),
    dt.date(2025, 7, 1),
    dt.date(2026, 7, 1),
    dt.date(2027, 1, 1),
)
_CATS = [c.value for c in Category]


def _campaign(province: str | None) -> Campaign:
    return Campaign(
        code="BN2026",
        name="Xuân Bính Ngọ 2026",
        lunar_year="Bính Ngọ",
        plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
        start=dt.date(2025, 10, 23),
        end=dt.date(2026, 3, 31),
        tet_dates=(dt.date(2026, 2, 16), dt.date(2026, 2, 22)),
        province=province,
    )


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.integers(0, 29).flatmap(lambda k: bad if k == 0 else good)


days = st.sampled_from(CHANGES).flatmap(
    lambda d: st.integers(-400, 400).map(lambda k: d + dt.timedelta(days=k))
)
people = st.fixed_dictionaries(
    {
        "date_of_birth": _mostly(
            st.one_of(
                st.dates(dt.date(1920, 1, 1), dt.date(2027, 12, 31)),
                days.map(lambda d: d.replace(year=d.year - 15, day=min(d.day, 28))),
            ),
            st.none(),
        ),
        "province": _mostly(st.sampled_from(["01", "79", "33"]), st.sampled_from(["99", None])),
        "categories": _mostly(st.lists(st.sampled_from(_CATS), max_size=3, unique=True), st.just(["rich"])),
        "difficult_circumstances": st.none() | st.booleans(),
        "vietnamese_citizen": st.none() | st.booleans(),
        "compulsory_si": st.none() | st.booleans(),
        "receives_pension": st.none() | st.booleans(),
        "bhyt_valid_until": st.none() | days,
        "vsi_supported_months": _mostly(st.integers(0, 200), st.just(-1)),
        # relative to the date of the check, to hit the age and card-end boundaries
        "age": st.none() | st.tuples(st.sampled_from([0, 5, 6, 14, 15, 16, 59, 60, 61]), st.integers(-2, 2)),
        "card_end": st.none() | st.integers(-130, 400),
    }
)


def _relative(row: dict[str, Any], on: dt.date) -> dict[str, Any]:
    row = dict(row)
    age = row.pop("age")
    end = row.pop("card_end")
    if age is not None:
        years, shift = age
        try:
            born = on.replace(year=on.year - years)
        except ValueError:  # 29 February
            born = on.replace(year=on.year - years, day=28)
        row["date_of_birth"] = born + dt.timedelta(days=shift)
    if end is not None:
        row["bhyt_valid_until"] = on + dt.timedelta(days=end)
    return row


products = st.one_of(
    st.sampled_from([3, 6, 12]).map(lambda m: HealthCard(months=m)),
    st.sampled_from([1, 3, 6, 12]).map(lambda m: SocialBook(months=m)),
)

_TYPES = {
    "date_of_birth": pa.date32(),
    "bhyt_valid_until": pa.date32(),
    "difficult_circumstances": pa.bool_(),
    "vietnamese_citizen": pa.bool_(),
    "compulsory_si": pa.bool_(),
    "receives_pension": pa.bool_(),
    "vsi_supported_months": pa.int64(),
    "province": pa.string(),
}


def _table(rows: list[dict[str, Any]], list_form: bool) -> Any:
    cols = {name: [r[name] for r in rows] for name in rows[0]}
    if not list_form:
        cols["categories"] = [";".join(r["categories"]) for r in rows]
    return pa.table({k: pa.array(v, _TYPES.get(k)) for k, v in cols.items()})


def _expected(row: dict[str, Any], product: Product, on: dt.date, **kw: Any) -> tuple[Any, ...]:
    try:
        person = Person(
            id="p",
            full_name="P",
            date_of_birth=row["date_of_birth"],
            province=row["province"],
            categories=row["categories"],
            difficult_circumstances=bool(row["difficult_circumstances"]),
            vietnamese_citizen=row["vietnamese_citizen"] is not False,
            compulsory_si=bool(row["compulsory_si"]),
            receives_pension=bool(row["receives_pension"]),
            bhyt_valid_until=row["bhyt_valid_until"],
            vsi_supported_months=row["vsi_supported_months"],
            hospital_stay=row.get("stay"),
        )
        d = check(person, product, on=on, **{"law": default_law(), **kw})
    except AnsinhError as exc:
        return (None, None, None, None, str(exc))
    return (d.eligible, ";".join(d.codes), d.valid_from, d.priority.score, None)


def _got(result: Any, i: int) -> tuple[Any, ...]:
    return tuple(
        result.column(n)[i].as_py() for n in ("eligible", "reasons", "valid_from", "priority", "error")
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(people, min_size=1, max_size=25),
    product=products,
    on=days,
    province=st.sampled_from([None, None, "01"]),
    list_form=st.booleans(),
)
def test_screen_equals_check(
    rows: list[dict[str, Any]], product: Product, on: dt.date, province: str | None, list_form: bool
) -> None:
    rows = [_relative(r, on) for r in rows]
    campaign = _campaign(province) if province is not None else None
    plan = make_screen_plan(product, on=on, campaign=campaign)
    assert plan.vectorised
    result = screen_table(_table(rows, list_form), product, on=on, campaign=campaign)
    for i, row in enumerate(rows):
        assert _got(result, i) == _expected(row, product, on, campaign=campaign), (i, row)


def _not_in_79(ctx: CheckContext) -> Reason | None:
    if ctx.person.province != "79":
        return None
    return Reason("LOCAL_RULE", True, "Không áp dụng.", "Not applicable.")


@settings(max_examples=10, deadline=None)
@given(rows=st.lists(people, min_size=1, max_size=8), product=products)
def test_extra_rules_fall_back_to_check(rows: list[dict[str, Any]], product: Product) -> None:
    rule = FunctionRule("LOCAL_RULE", _not_in_79)
    on = dt.date(2026, 1, 10)
    rows = [_relative(r, on) for r in rows]
    assert not make_screen_plan(product, on=on, rules=[rule]).vectorised
    result = screen_table(_table(rows, True), product, on=on, rules=[rule])
    for i, row in enumerate(rows):
        assert _got(result, i) == _expected(row, product, on, rules=[rule])


def test_tet_gift_uses_the_scalar_path() -> None:
    campaign = _campaign(None)
    stay = (dt.date(2026, 2, 10), dt.date(2026, 2, 20))
    row = {
        "date_of_birth": dt.date(1950, 1, 1),
        "province": "01",
        "categories": ["poor"],
        "difficult_circumstances": None,
        "vietnamese_citizen": None,
        "compulsory_si": None,
        "receives_pension": None,
        "bhyt_valid_until": dt.date(2026, 12, 31),
        "vsi_supported_months": 0,
    }
    t = _table([row], True)
    t = t.append_column("hospital_admission", pa.array([stay[0]], pa.date32()))
    t = t.append_column("hospital_discharge", pa.array([stay[1]], pa.date32()))
    gift = TetGift(value=500_000)
    on = dt.date(2026, 2, 1)
    result = screen_table(t, gift, on=on, campaign=campaign)
    assert _got(result, 0) == _expected({**row, "stay": stay}, gift, on, campaign=campaign)
    assert result.column("eligible")[0].as_py() is True


def test_table_level_errors() -> None:
    with pytest.raises(InvalidValueError, match="date_of_birth"):
        screen_table({"province": ["01"]}, HealthCard(months=12), on=dt.date(2026, 1, 1))
    with pytest.raises(InvalidValueError, match="boolean"):
        screen_table(
            {"date_of_birth": pa.array([dt.date(1980, 1, 1)]), "province": ["01"], "compulsory_si": [1]},
            SocialBook(months=12),
            on=dt.date(2026, 1, 1),
        )
    not_a_product: Any = "card"
    with pytest.raises(InvalidValueError, match="product"):
        screen_table(
            {"date_of_birth": pa.array([dt.date(1980, 1, 1)]), "province": ["01"]},
            not_a_product,
            on=dt.date(2026, 1, 1),
        )


_NO_CHILD_AGE = Law(tuple(p for p in default_law().parameters if p.name != "bhyt_child_state_paid_age"))


def test_a_law_without_the_child_age_blocks_no_child_in_either_path() -> None:
    """Regression: bulk used to default the child age to 6 where check() had no such group."""
    on = dt.date(2026, 1, 10)
    born = [dt.date(2022, 3, 1), dt.date(2020, 1, 11), dt.date(2020, 1, 10), dt.date(1970, 1, 1)]
    table = pa.table(
        {
            "date_of_birth": pa.array(born, pa.date32()),
            "province": ["01"] * 4,
            "categories": ["child"] * 4,
        }
    )
    card = HealthCard(months=12)
    result = screen_table(table, card, on=on, law=_NO_CHILD_AGE)
    with_age = screen_table(table, card, on=on, law=default_law())
    assert result.column("eligible").to_pylist() == [True, True, True, True]
    assert with_age.column("eligible").to_pylist() == [False, False, True, True]
    for i, day in enumerate(born):
        person = Person(id="p", full_name="P", date_of_birth=day, province="01", categories={Category.CHILD})
        d = check(person, card, on=on, law=_NO_CHILD_AGE)
        assert "STATE_PAID_CHILD_UNDER_6" not in d.codes
        assert _got(result, i) == (d.eligible, ";".join(d.codes), d.valid_from, d.priority.score, None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(people, min_size=1, max_size=25), product=products, on=days)
def test_screen_equals_check_for_a_law_without_the_child_age(
    rows: list[dict[str, Any]], product: Product, on: dt.date
) -> None:
    rows = [_relative(r, on) for r in rows]
    assert make_screen_plan(product, on=on, law=_NO_CHILD_AGE).vectorised
    result = screen_table(_table(rows, True), product, on=on, law=_NO_CHILD_AGE)
    for i, row in enumerate(rows):
        assert _got(result, i) == _expected(row, product, on, law=_NO_CHILD_AGE), (i, row)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(people, min_size=1, max_size=25),
    product=products,
    on=days,
    policy=priority_policies().filter(lambda p: not p.is_default),
)
def test_screen_equals_check_under_a_province_points_table(
    rows: list[dict[str, Any]], product: Product, on: dt.date, policy: PriorityPolicy
) -> None:
    rows = [_relative(r, on) for r in rows]
    plan = make_screen_plan(product, on=on, priority_policy=policy)
    assert plan.vectorised
    assert plan.priority_policy is policy
    result = screen_table(_table(rows, False), product, on=on, priority_policy=policy)
    for i, row in enumerate(rows):
        assert _got(result, i) == _expected(row, product, on, priority_policy=policy), (i, row)


def test_a_province_points_table_changes_the_bulk_score() -> None:
    row = {
        "date_of_birth": dt.date(1950, 1, 1),
        "province": "33",
        "categories": ["near_poor"],
        "difficult_circumstances": True,
        "bhyt_valid_until": None,
    }
    table = pa.table(
        {k: pa.array([v], _TYPES.get(k)) for k, v in row.items() if k != "categories"}
        | {"categories": pa.array(["near_poor"])}
    )
    hy = PriorityPolicy(
        points={"NEAR_POOR": 40, "AGE_60_PLUS": 7}, source="Quyết định (ví dụ)", province="33"
    )
    card, on = HealthCard(months=12), dt.date(2026, 1, 5)
    default = screen_table(table, card, on=on).column("priority").to_pylist()
    local = screen_table(table, card, on=on, priority_policy=hy).column("priority").to_pylist()
    assert local == [47]
    assert default != local
    with pytest.raises(InvalidValueError, match="priority_policy"):
        make_screen_plan(card, on=on, priority_policy={"NEAR_POOR": 40})  # type: ignore[arg-type]
