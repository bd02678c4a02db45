"""Streaming a Parquet dataset batch by batch gives the same rows as pricing it whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from ansinh.bulk import price_parquet, price_table, screen_parquet, screen_table  # noqa: E402
from ansinh.core.eligibility import PriorityPolicy  # noqa: E402
from ansinh.core.products import HealthCard  # noqa: E402
from ansinh.exceptions import InvalidValueError  # noqa: E402


def _roster(n: int, seed: int = 0) -> Any:
    rng = np.random.default_rng(seed)
    start = (dt.date(2023, 1, 1) - dt.date(1970, 1, 1)).days
    days = rng.integers(start, start + 5 * 365, n).astype(np.int32)
    months = rng.choice(np.array([3, 6, 12, 5]), n)
    return pa.table(
        {
            "date": pa.array(days, pa.int32()).view(pa.date32()),
            "product": rng.choice(np.array(["health_card", "social_book"]), n),
            "months": months,
            "household_rank": rng.integers(1, 6, n),
            "categories": rng.choice(np.array(["", "near_poor", "poor;student", "ethnic_minority"]), n),
            "province": rng.choice(np.array(["01", "79", "33"]), n),
            "date_of_birth": pa.array(rng.integers(-20000, 19000, n).astype(np.int32), pa.int32()).view(
                pa.date32()
            ),
        }
    )


def test_streamed_equals_whole(tmp_path: Path) -> None:
    table = _roster(5_000)
    src = tmp_path / "in"
    src.mkdir()
    pq.write_table(table.slice(0, 2_000), src / "a.parquet")
    pq.write_table(table.slice(2_000), src / "b.parquet")
    dest = tmp_path / "out" / "priced.parquet"
    summary = price_parquet(src, dest, batch_rows=700)
    assert summary.batches >= 8
    assert summary.rows == 5_000
    whole = price_table(table)
    streamed = pq.read_table(dest)
    for name in ("gross", "state_support", "local_support", "payable", "error"):
        assert streamed.column(name).to_pylist() == whole.column(name).to_pylist()
    assert streamed.schema.field("payable").type == pa.int64()
    assert summary.payable == sum(v for v in whole.column("payable").to_pylist() if v is not None)
    assert summary.errors == whole.num_rows - whole.column("error").null_count > 0
    assert not [p for p in dest.parent.iterdir() if p.name != dest.name]


def test_screen_parquet(tmp_path: Path) -> None:
    table = _roster(1_500)
    pq.write_table(table, tmp_path / "in.parquet")
    on = dt.date(2026, 1, 10)
    summary = screen_parquet(
        tmp_path / "in.parquet", tmp_path / "out.parquet", HealthCard(months=12), on=on, batch_rows=400
    )
    whole = screen_table(table, HealthCard(months=12), on=on)
    streamed = pq.read_table(tmp_path / "out.parquet")
    assert streamed.column("reasons").to_pylist() == whole.column("reasons").to_pylist()
    assert summary.eligible == sum(whole.column("eligible").to_pylist())
    assert summary.rows == 1_500


def test_screen_parquet_under_a_province_points_table(tmp_path: Path) -> None:
    table = _roster(600)
    pq.write_table(table, tmp_path / "in.parquet")
    on, card = dt.date(2026, 1, 10), HealthCard(months=12)
    policy = PriorityPolicy(points={"NEAR_POOR": 45, "POOR": 50, "UNINSURED": 3}, source="Quyết định (ví dụ)")
    screen_parquet(tmp_path / "in.parquet", tmp_path / "out.parquet", card, on=on, priority_policy=policy)
    streamed = pq.read_table(tmp_path / "out.parquet").column("priority").to_pylist()
    assert streamed == screen_table(table, card, on=on, priority_policy=policy).column("priority").to_pylist()
    assert streamed != screen_table(table, card, on=on).column("priority").to_pylist()


def test_failure_leaves_no_file(tmp_path: Path) -> None:
    pq.write_table(
        pa.table({"date": pa.array([dt.date(2025, 1, 1)]), "months": [12]}), tmp_path / "in.parquet"
    )
    dest = tmp_path / "out.parquet"
    with pytest.raises(InvalidValueError, match="product"):
        price_parquet(tmp_path / "in.parquet", dest)
    assert list(tmp_path.iterdir()) == [tmp_path / "in.parquet"]


def test_bad_source() -> None:
    with pytest.raises(InvalidValueError, match="source"):
        price_parquet(42, "x.parquet")
    with pytest.raises(InvalidValueError, match="batch_rows"):
        price_parquet("nowhere.parquet", "x.parquet", batch_rows=0)
