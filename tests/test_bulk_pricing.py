"""ansinh.bulk.price_table gives exactly what ansinh.core.pricing.price gives, row by row."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from ansinh.bulk import _cards as cards_module  # noqa: E402
from ansinh.bulk import _input as input_module  # noqa: E402
from ansinh.bulk import _kernel, make_plan, price_table  # noqa: E402
from ansinh.bulk import pricing as pricing_module  # noqa: E402
from ansinh.core.campaign import Beneficiary  # noqa: E402
from ansinh.core.law import Citation, Law, RateTable, SourceStatus  # noqa: E402
from ansinh.core.people import Category, Person  # noqa: E402
from ansinh.core.pricing import LocalSupport, price  # noqa: E402
from ansinh.core.products import HealthCard, ProductKind, SocialBook  # noqa: E402
from ansinh.data import default_law  # noqa: E402
from ansinh.exceptions import AnsinhError, InvalidValueError  # noqa: E402

LAW = default_law()

LAW_CHANGES = (
    dt.date(2023, 7, 1),
    dt.date(2024, 7, 1),
    dt.date(2025, 7, 1),
    dt.date(2026, 1, 1),
    dt.date(2026, 7, 1),
    dt.date(2027, 1, 1),
)


def _scenario() -> Law:
    """A what-if law whose amounts do not divide evenly, so rounding matters."""
    law = default_law().amend("base_salary", 2_345_679, effective=dt.date(2027, 7, 1), source="test scenario")
    return law.amend("rural_poverty_line", 2_212_345, effective=dt.date(2027, 7, 1), source="test scenario")


LAWS = (default_law(), _scenario())

# the compiled card loop is tested wherever Numba is installed (CI installs ansinh[fast])
HAS_NUMBA = _kernel.card_kernel() is not None
ENGINES = ("numpy", "numba") if HAS_NUMBA else ("numpy",)

_CATS = [c.value for c in Category]


def _support(
    code: str,
    province: str,
    kind: ProductKind,
    effective: dt.date,
    until: dt.date | None,
    rates: dict[str, Fraction],
    area: dict[str, Any] | None = None,
    limited: bool = False,
    band: tuple[int, int | None] | None = None,
) -> LocalSupport:
    return LocalSupport(
        code=code,
        province=province,
        product=kind,
        effective=effective,
        until=until,
        rates=RateTable(tuple(rates.items())),
        citation=Citation("test"),
        status=SourceStatus.SCENARIO,
        label_vi=code,
        label_en=code,
        # an area-keyed programme never applies to a row (rows carry no address), a group
        # limited in months always does (rows carry no day out of poverty): as for a scalar
        # person without them
        group_months=((next(iter(rates)), 12),) if limited else (),
        # an age band applies to a row with a date of birth in it (the column is read for such rows)
        group_ages=((next(iter(rates)), *band),) if band is not None else (),
        **(area or {}),
    )


days_near_changes = st.sampled_from(LAW_CHANGES).flatmap(
    lambda d: st.integers(-2, 2).map(lambda k: d + dt.timedelta(days=k))
)
dates = st.one_of(days_near_changes, st.dates(dt.date(2014, 6, 1), dt.date(2028, 12, 31)))

rates = st.fractions(min_value=0, max_value=1, max_denominator=1000)
supports = st.builds(
    _support,
    code=st.sampled_from(["a", "b", "c"]),
    province=st.sampled_from(["01", "79"]),
    kind=st.sampled_from([ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK]),
    effective=dates,
    until=st.none() | dates,
    rates=st.dictionaries(
        st.sampled_from(["poor", "near_poor", "other", "student", "ethnic_minority"]), rates, min_size=1
    ),
    area=st.sampled_from([{}, {}, {"district": "Long Biên"}, {"communes": frozenset({"Xã A"})}]),
    limited=st.booleans(),
    band=st.none() | st.tuples(st.integers(0, 80), st.none() | st.integers(81, 120)),
)


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """*good* 39 times in 40, *bad* otherwise (rows the scalar path rejects)."""
    return st.integers(0, 39).flatmap(lambda k: bad if k == 0 else good)


rows = st.fixed_dictionaries(
    {
        "date": _mostly(dates, st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2014, 12, 31))),
        "product": _mostly(
            st.sampled_from(["health_card", "social_book"]), st.sampled_from(["tet_gift", "x"])
        ),
        "months": _mostly(st.sampled_from([1, 3, 6, 9, 12]), st.sampled_from([0, 5, 24, 61, -3])),
        "household_rank": _mostly(st.none() | st.integers(1, 8), st.integers(-1, 0)),
        "categories": _mostly(
            st.lists(st.sampled_from(_CATS), max_size=3, unique=True),
            st.just(["rich"]),
        ),
        "province": _mostly(st.sampled_from(["01", "79", "79", "33", "56"]), st.just("99")),
        "monthly_income": _mostly(
            st.one_of(
                st.none(),
                st.sampled_from([1_500_000, 2_200_000, 46_800_000]),
                st.integers(0, 200).map(lambda k: 1_500_000 + k * 50_000),
                st.integers(0, 200).map(lambda k: 2_200_000 + k * 50_000),
                st.integers(0, 200).map(lambda k: 2_212_345 + k * 50_000),
            ),
            st.sampled_from([0, -5, 1_520_000, 60_000_000]),
        ),
        "vsi_supported_months": _mostly(st.none() | st.integers(0, 130), st.just(-1)),
        "date_of_birth": st.none() | st.dates(dt.date(1930, 1, 1), dt.date(2024, 12, 31)),
    }
)


def _scalar(row: dict[str, Any], law: Law, sups: Sequence[LocalSupport]) -> tuple[Any, ...]:
    """What the scalar API gives for one row: (gross, state, local, payable, group, None) or an error."""
    try:
        if row["product"] == "health_card":
            rank = row["household_rank"]
            product: HealthCard | SocialBook = HealthCard(
                months=row["months"], household_rank=1 if rank is None else rank
            )
        elif row["product"] == "social_book":
            product = SocialBook(months=row["months"], monthly_income=row["monthly_income"])
        else:
            return (None, None, None, None, None, "product")
        used = row["vsi_supported_months"]
        person = Person(
            id="p",
            full_name="P",
            date_of_birth=row.get("date_of_birth") or dt.date(1980, 1, 1),
            province=row["province"],
            categories=row["categories"],
            vsi_supported_months=0 if used is None else used,
        )
        who = _undated_unless_given(row, person)
        q = price(product, who, on=row["date"], law=law, local_supports=sups)
    except AnsinhError as exc:
        return (None, None, None, None, None, str(exc))
    return (q.gross, q.state_support, q.local_support, q.payable, q.group, None)


def _undated_unless_given(row: dict[str, Any], person: Person) -> Person | Beneficiary:
    """*person*, or, for a row without a date of birth, the same participant whose age is not known."""
    if row.get("date_of_birth") is not None:
        return person
    return Beneficiary(
        person_id="p",
        province=person.province,
        categories=person.categories,
        vsi_supported_months=person.vsi_supported_months,
    )


def _bulk(result: Any, i: int) -> tuple[Any, ...]:
    return tuple(
        result.column(name)[i].as_py()
        for name in ("gross", "state_support", "local_support", "payable", "group", "error")
    )


def _table(people: list[dict[str, Any]], list_form: bool) -> Any:
    cols: dict[str, Any] = {name: [r[name] for r in people] for name in people[0]}
    if not list_form:
        cols["categories"] = [";".join(r["categories"]) for r in people]
    schema = {
        "date": pa.date32(),
        "months": pa.int64(),
        "household_rank": pa.int64(),
        "monthly_income": pa.int64(),
        "vsi_supported_months": pa.int64(),
        "date_of_birth": pa.date32(),
    }
    return pa.table({k: pa.array(v, schema.get(k)) for k, v in cols.items()})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(rows, min_size=1, max_size=25),
    sups=st.lists(supports, max_size=4),
    law_index=st.sampled_from([0, 0, 1]),
    list_form=st.booleans(),
    engine=st.sampled_from(ENGINES),
)
def test_bulk_equals_scalar(
    people: list[dict[str, Any]], sups: list[LocalSupport], law_index: int, list_form: bool, engine: str
) -> None:
    law = LAWS[law_index]
    table = _table(people, list_form)
    result = price_table(table, law=law, local_supports=sups, plugins=False, engine=engine)
    assert result.num_rows == len(people)
    for i, row in enumerate(people):
        want = _scalar(row, law, sups)
        got = _bulk(result, i)
        if want[5] == "product":
            assert got[:5] == (None,) * 5
            assert "product" in got[5]
        else:
            assert got == want, (i, row)


@settings(max_examples=25, deadline=None)
@given(people=st.lists(rows, min_size=1, max_size=10), day=days_near_changes)
def test_money_columns_are_int64_and_identity_holds(people: list[dict[str, Any]], day: dt.date) -> None:
    for r in people:
        r["date"] = day
    result = price_table(_table(people, True), plugins=False)
    for name in ("gross", "state_support", "local_support", "payable"):
        assert result.schema.field(name).type == pa.int64()
    g = result.column("gross").to_numpy(zero_copy_only=False)
    s = result.column("state_support").to_numpy(zero_copy_only=False)
    lo = result.column("local_support").to_numpy(zero_copy_only=False)
    p = result.column("payable").to_numpy(zero_copy_only=False)
    ok = ~np.isnan(g.astype(float)) if g.dtype.kind == "f" else np.ones(len(g), bool)
    assert np.array_equal((g - s - lo)[ok], p[ok])


def test_worked_examples() -> None:
    t = pa.table(
        {
            "date": pa.array([dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 1, 1)], pa.date32()),
            "product": ["health_card", "social_book", "health_card"],
            "months": [12, 12, 12],
            "household_rank": [2, None, 1],
            "categories": [[], [], ["near_poor"]],
            "province": ["01", "01", "33"],
        }
    )
    r = price_table(t, plugins=False)
    assert r.column("gross").to_pylist() == [884_520, 3_960_000, 1_263_600]
    assert r.column("state_support").to_pylist() == [0, 792_000, 884_520]
    assert r.column("payable").to_pylist() == [884_520, 3_168_000, 379_080]
    assert r.column("group").to_pylist() == ["household", "other", "near_poor"]
    assert r.column("error").null_count == 3


def test_other_inputs_convert() -> None:
    pd = pytest.importorskip("pandas")
    days = np.array(["2025-01-01", "2026-08-01"], dtype="datetime64[D]")
    data = {
        "date": days,
        "product": np.array(["health_card", "health_card"]),
        "months": np.array([12, 6]),
        "household_rank": np.array([1, 3]),
    }
    want = [1_263_600, round(0.045 * 2_530_000 * 0.6) * 6]
    assert price_table(data).column("payable").to_pylist() == want
    frame = pd.DataFrame(data)
    frame["product"] = frame["product"].astype("category")
    assert price_table(frame).column("payable").to_pylist() == want


@settings(max_examples=10, deadline=None)
@given(people=st.lists(rows, min_size=1, max_size=30), sups=st.lists(supports, max_size=3))
def test_threads_give_the_same_table(people: list[dict[str, Any]], sups: list[LocalSupport]) -> None:
    table = _table(people, False)
    plan = make_plan(local_supports=sups, plugins=False)
    one = price_table(table, plan=plan)
    for engine in ENGINES:
        many = pricing_module.price_batches(table, plan, batch_rows=4, threads=3, engine=engine)
        assert many.equals(one), engine


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(rows, min_size=1, max_size=40),
    sups=st.lists(supports, max_size=3),
    list_form=st.booleans(),
    chunk=st.integers(1, 7),
)
def test_every_engine_and_code_space_gives_the_same_table(
    people: list[dict[str, Any]], sups: list[LocalSupport], list_form: bool, chunk: int
) -> None:
    """The NumPy lookup (in chunks), the compiled loop, and both over compacted keys agree."""
    table = _table(people, list_form)
    results = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cards_module, "_CHUNK", chunk)
        for engine in ENGINES:
            results[engine] = price_table(table, local_supports=sups, plugins=False, engine=engine)
        mp.setattr(cards_module, "_TABLE_LIMIT", 0)  # no table fits: each batch compacts its keys
        for engine in ENGINES:
            results[f"compacted keys, {engine}"] = price_table(
                table, local_supports=sups, plugins=False, engine=engine
            )
    want = results.pop("numpy")
    for name, got in results.items():
        assert got.equals(want), name


def _spaced(cats: Sequence[str], k: int) -> str:
    """The categories as one string, spelled in the *k*-th of many ways (spaces, empty items)."""
    return " " * (k % 7) + ";".join(cats) + ";" * (k // 7 % 5) + " " * (k // 35)


def test_a_large_dictionary_is_looked_up_by_class() -> None:
    """Thousands of spellings of a few category sets: the card codes become their classes."""
    n = 4_000
    sets = [[], ["near_poor"], ["poor", "student"], ["student"]]
    t = pa.table(
        {
            "date": pa.array(
                [dt.date(2025, 1, 1) + dt.timedelta(days=i % 900) for i in range(n)], pa.date32()
            ),
            "product": ["health_card" if i % 5 else "social_book" for i in range(n)],
            "months": [(3, 6, 12, 5)[i % 4] for i in range(n)],
            "household_rank": [1 + i % 7 for i in range(n)],
            "categories": pa.array([_spaced(sets[i % 4], i // 4) for i in range(n)]).dictionary_encode(),
            "province": ["01" if i % 3 else "79" for i in range(n)],
        }
    )
    plan = make_plan(plugins=False)
    enc = input_module.encode(t, frozenset())
    assert len(enc.classes) == len(sets)
    space = cards_module.card_space(plan, cards_module.Codebook.of(enc))
    assert space.compact
    assert space.table is not None
    for engine in ENGINES:
        result = price_table(t, plan=plan, engine=engine)
        for i in range(0, n, 37):
            row = {name: t.column(name)[i].as_py() for name in t.column_names}
            row |= {"categories": sets[i % 4], "monthly_income": None, "vsi_supported_months": None}
            want = _scalar(row, default_law(), ())
            assert _bulk(result, i) == want, (engine, i)


def test_engine_is_checked() -> None:
    t = {"date": pa.array([dt.date(2025, 1, 1)]), "product": ["health_card"], "months": [12]}
    with pytest.raises(InvalidValueError, match="engine"):
        price_table(t, engine="gpu", plugins=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_kernel, "card_kernel", lambda: None)
        with pytest.raises(InvalidValueError, match=r"ansinh\[fast\]"):
            price_table(t, engine="numba", plugins=False)
        # "auto" falls back to numpy without Numba
        assert price_table(t, engine="auto", plugins=False).column("payable").to_pylist() == [1_263_600]


def test_auto_engine_uses_the_compiled_loop_only_for_large_tables() -> None:
    kernel = _kernel.card_kernel()
    assert pricing_module._engine("auto", 10) is None
    assert pricing_module._engine("auto", pricing_module._JIT_MIN_ROWS) is kernel
    assert pricing_module._engine("numpy", 10**9) is None


def test_threads_must_be_positive() -> None:
    t = {"date": pa.array([dt.date(2025, 1, 1)]), "product": ["health_card"], "months": [12]}
    with pytest.raises(InvalidValueError, match="threads"):
        price_table(t, threads=0)


def test_string_views_as_polars_gives_them() -> None:
    t = pa.table(
        {
            "date": pa.array([dt.date(2025, 1, 1)] * 2, pa.date32()),
            "product": pa.array(["health_card"] * 2, pa.string_view()),
            "months": [12, 12],
            "categories": pa.array([["near_poor"], []], pa.list_(pa.string_view())),
            "province": pa.array(["01", "01"], pa.string_view()),
        }
    )
    assert price_table(t, plugins=False).column("payable").to_pylist() == [379_080, 1_263_600]


def test_table_level_errors_raise() -> None:
    base = {"date": pa.array([dt.date(2025, 1, 1)]), "product": ["health_card"], "months": [12]}
    with pytest.raises(InvalidValueError, match=r"table\.months"):
        price_table({k: v for k, v in base.items() if k != "months"})
    with pytest.raises(InvalidValueError, match="floats"):
        price_table({**base, "monthly_income": [1.5]})
    with pytest.raises(InvalidValueError, match="table"):
        price_table(42)


def test_bad_rows_are_reported_not_raised() -> None:
    t = pa.table(
        {
            "date": pa.array([None, dt.date(2025, 1, 1), dt.date(2026, 1, 1)], pa.date32()),
            "product": ["health_card", None, "social_book"],
            "months": pa.array([12, 12, None], pa.int64()),
        }
    )
    r = price_table(t)
    assert r.column("gross").null_count == 3
    errors = r.column("error").to_pylist()
    assert "on=None" in errors[0]
    assert "product" in errors[1]
    assert "months=None" in errors[2]


def test_empty_table() -> None:
    t = pa.table(
        {
            "date": pa.array([], pa.date32()),
            "product": pa.array([], pa.string()),
            "months": pa.array([], pa.int64()),
        }
    )
    r = price_table(t)
    assert r.num_rows == 0
    assert "payable" in r.column_names


def test_plan_is_reusable_and_exclusive() -> None:
    plan = make_plan()
    t = {"date": pa.array([dt.date(2025, 1, 1)]), "product": ["health_card"], "months": [12]}
    assert price_table(t, plan=plan).column("payable").to_pylist() == [1_263_600]
    with pytest.raises(InvalidValueError, match="plan"):
        price_table(t, plan=plan, law=default_law())


def test_plugins_contribute_local_support() -> None:
    from ansinh.plugin_manager import get_plugin_manager

    host = get_plugin_manager(load_entrypoints=False)
    sups = host.all_local_supports()
    day = dt.date(2026, 3, 1)
    t = pa.table(
        {
            "date": pa.array([day] * 3, pa.date32()),
            "product": ["social_book", "social_book", "health_card"],
            "months": [12, 12, 12],
            "categories": [["near_poor"], [], []],
            "province": ["01", "79", "01"],
        }
    )
    r = price_table(t, plugins=host)
    for i, (kind, cats, prov) in enumerate(
        [("social_book", ["near_poor"], "01"), ("social_book", [], "79"), ("health_card", [], "01")]
    ):
        person = Person(
            id="x", full_name="X", date_of_birth=dt.date(1980, 1, 1), province=prov, categories=cats
        )
        product = SocialBook(months=12) if kind == "social_book" else HealthCard(months=12)
        q = price(product, person, on=day, local_supports=sups, law=LAW)
        assert r.column("local_support")[i].as_py() == q.local_support
        assert r.column("payable")[i].as_py() == q.payable


@settings(max_examples=20, deadline=None)
@given(
    people=st.lists(rows, min_size=1, max_size=15), day=st.dates(dt.date(2025, 6, 1), dt.date(2027, 12, 31))
)
def test_default_plugins_match_ansinh_price(people: list[dict[str, Any]], day: dt.date) -> None:
    """With no plugins= argument, bulk applies the installed plugins' top-ups as ansinh.price does."""
    import ansinh

    for r in people:
        r["date"] = day
    result = price_table(_table(people, False))
    for i, row in enumerate(people):
        got = _bulk(result, i)
        try:
            product: HealthCard | SocialBook
            if row["product"] == "health_card":
                rank = row["household_rank"]
                product = HealthCard(months=row["months"], household_rank=1 if rank is None else rank)
            elif row["product"] == "social_book":
                product = SocialBook(months=row["months"], monthly_income=row["monthly_income"])
            else:
                continue
            used = row["vsi_supported_months"]
            person = Person(
                id="p",
                full_name="P",
                date_of_birth=row.get("date_of_birth") or dt.date(1980, 1, 1),
                province=row["province"],
                categories=row["categories"],
                vsi_supported_months=0 if used is None else used,
            )
            q = ansinh.price(product, _undated_unless_given(row, person), on=day)
        except AnsinhError as exc:
            want: tuple[Any, ...] = (None, None, None, None, None, str(exc))
        else:
            want = (q.gross, q.state_support, q.local_support, q.payable, q.group, None)
        assert got == want


def test_row_supports_fallback_is_exact() -> None:
    extra = _support(
        "commune-x", "01", ProductKind.HEALTH_CARD, dt.date(2020, 1, 1), None, {"other": Fraction(1, 10)}
    )
    calls: list[int] = []

    def per_person(row: Any) -> tuple[LocalSupport, ...]:
        calls.append(1)
        return (extra,) if row["commune"] == "X" else ()

    t = pa.table(
        {
            "date": pa.array([dt.date(2025, 1, 1)] * 2, pa.date32()),
            "product": ["health_card"] * 2,
            "months": [12, 12],
            "province": ["01", "01"],
            "commune": ["X", "Y"],
        }
    )
    r = price_table(t, row_supports=per_person, plugins=False)
    assert len(calls) == 2
    assert r.column("local_support").to_pylist() == [round(0.045 * 2_340_000 * 0.1) * 12, 0]


def test_import_ansinh_does_not_import_numpy() -> None:
    code = (
        "import sys, ansinh, ansinh.api; "
        "bad = [m for m in ('numpy', 'pyarrow', 'dask', 'pandas') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(people=st.lists(rows, min_size=1, max_size=20), sups=st.lists(supports, max_size=3))
def test_compacted_keys_and_far_dates_agree(
    people: list[dict[str, Any]], sups: list[LocalSupport], monkeypatch_module: Any
) -> None:
    """Compacted keys (no table fits) and segments found by search (programmes from year 1) are exact."""
    far = _support(
        "far", "01", ProductKind.HEALTH_CARD, dt.date(1, 1, 1), None, {"near_poor": Fraction(1, 3)}
    )
    everything = [*sups, far]
    table = _table(people, True)
    with monkeypatch_module.context() as mp:
        mp.setattr(cards_module, "_TABLE_LIMIT", 0)
        result = price_table(table, local_supports=everything, plugins=False)
    for i, row in enumerate(people):
        want = _scalar(row, default_law(), everything)
        got = _bulk(result, i)
        if want[5] == "product":
            assert got[:5] == (None,) * 5
        else:
            assert got == want, (i, row)


def test_far_dates_find_segments_by_search() -> None:
    far = _support(
        "far", "01", ProductKind.HEALTH_CARD, dt.date(1, 1, 1), None, {"near_poor": Fraction(1, 3)}
    )
    plan = make_plan(local_supports=[far], plugins=False)
    people = [
        {
            "date": dt.date(y, 3, 1),
            "product": "health_card",
            "months": 12,
            "household_rank": 2,
            "categories": c,
            "province": "01",
            "monthly_income": None,
            "vsi_supported_months": None,
        }
        for y in (2, 1999, 2025, 2027)
        for c in ([], ["near_poor"])
    ]
    table = _table(people, True)
    space = cards_module.card_space(
        plan, cards_module.Codebook.of(input_module.encode(table, frozenset({"01"})))
    )
    assert space.by_segment
    assert space.table is not None
    result = price_table(table, plan=plan)
    for i, row in enumerate(people):
        assert _bulk(result, i) == _scalar(row, default_law(), [far]), row


@pytest.fixture(scope="module")
def monkeypatch_module() -> Any:
    with pytest.MonkeyPatch.context() as mp:
        yield mp
