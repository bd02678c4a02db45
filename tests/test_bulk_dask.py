"""The Dask adapter prices and screens partition by partition on a two-worker cluster."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from ansinh.bulk import price_table, screen_table  # noqa: E402
from ansinh.bulk.dask import price_dask, screen_dask  # noqa: E402
from ansinh.core.products import SocialBook  # noqa: E402
from ansinh.exceptions import InvalidValueError  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def _frame(n: int) -> Any:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "date": pd.to_datetime("2024-06-01") + pd.to_timedelta(rng.integers(0, 1200, n), unit="D"),
            "product": rng.choice(["health_card", "social_book"], n),
            "months": rng.choice([3, 6, 12, 7], n),
            "household_rank": rng.integers(1, 6, n),
            "categories": rng.choice(["", "near_poor", "poor"], n),
            "province": rng.choice(["01", "79"], n),
            "date_of_birth": pd.to_datetime("1950-01-01")
            + pd.to_timedelta(rng.integers(0, 25000, n), unit="D"),
        }
    )


@pytest.mark.slow
def test_price_dask_equals_price_table(client: Any) -> None:
    frame = _frame(3_000)
    result = price_dask(dd.from_pandas(frame, npartitions=6)).compute()
    want = price_table(frame)
    assert str(result["payable"].dtype) == "int64[pyarrow]"
    for name in ("gross", "state_support", "local_support", "payable", "error"):
        got = [None if v is pd.NA else v for v in result[name].tolist()]
        assert got == want.column(name).to_pylist(), name
    assert len(client.scheduler_info()["workers"]) == 2


@pytest.mark.slow
def test_screen_dask_equals_screen_table(client: Any) -> None:
    frame = _frame(2_000)
    on = dt.date(2026, 1, 10)
    result = screen_dask(dd.from_pandas(frame, npartitions=4), SocialBook(months=12), on=on).compute()
    want = screen_table(frame, SocialBook(months=12), on=on)
    assert result["reasons"].tolist() == want.column("reasons").to_pylist()
    assert [bool(v) for v in result["eligible"]] == want.column("eligible").to_pylist()


def test_rejects_other_frames() -> None:
    with pytest.raises(InvalidValueError, match="frame"):
        price_dask(pd.DataFrame())


@pytest.mark.slow
def test_price_dask_reads_parquet_categoricals(client: Any, tmp_path: Any) -> None:
    """A Parquet dataset read by Dask (categorical columns, unknown categories in the meta) prices the same."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = _frame(1_500)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    for name in ("product", "categories", "province"):
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, table.column(name).dictionary_encode())
    for k in range(3):
        pq.write_table(table.slice(k * 500, 500), tmp_path / f"part-{k}.parquet")
    result = price_dask(dd.read_parquet(str(tmp_path))).compute()
    want = price_table(table)
    got = [None if v is pd.NA else v for v in result["payable"].tolist()]
    assert got == want.column("payable").to_pylist()
