"""Larger than memory: price (or screen) a Parquet dataset batch by batch.

The dataset is read with :mod:`pyarrow.dataset` in batches of
``batch_rows`` rows; each batch is priced and written to the output file
before the next is read, so memory stays bounded by a few batches whatever
the size of the dataset.  The output is written to a temporary file beside
the destination and renamed when complete: a failure never leaves a
half-written file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import attrs
import pluggy
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ansinh.bulk._input import CATEGORIES, PRODUCT, PROVINCE
from ansinh.bulk._law_tables import PricingPlan
from ansinh.bulk.pricing import RowSupports, make_plan, price_batches
from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import Rule
from ansinh.core.eligibility.priorities import DEFAULT_PRIORITY_POLICY, PriorityPolicy
from ansinh.core.law import Law
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import Product
from ansinh.exceptions import InvalidValueError
from ansinh.plugin_manager import PluginHost

__all__ = ["BulkSummary", "price_parquet", "screen_parquet", "stream_parquet"]

_DEFAULT_BATCH: Final = 1 << 20
_DICTIONARY_COLUMNS: Final = (PRODUCT, PROVINCE, CATEGORIES)


@attrs.frozen(kw_only=True)
class BulkSummary:
    """What a streamed run wrote: row counts and, for pricing, the totals in đồng."""

    path: Path
    """The file written."""
    rows: int
    batches: int
    errors: int
    """Rows with an ``error``."""
    gross: int = 0
    state_support: int = 0
    local_support: int = 0
    payable: int = 0
    eligible: int = 0
    """Rows found eligible (screening only)."""


def _dataset(source: object) -> ds.Dataset:
    if isinstance(source, ds.Dataset):
        return source
    if not isinstance(source, str | os.PathLike) and not (
        isinstance(source, Sequence) and all(isinstance(s, str | os.PathLike) for s in source)
    ):
        raise InvalidValueError(
            "source", source, "a Parquet file or directory path, a list of paths, or a Dataset"
        )
    paths: Any = (
        os.fspath(source) if isinstance(source, str | os.PathLike) else [os.fspath(s) for s in source]
    )
    try:
        schema = ds.dataset(paths, format="parquet").schema
        wanted = [
            c for c in _DICTIONARY_COLUMNS if c in schema.names and not pa.types.is_list(schema.field(c).type)
        ]
        fmt = ds.ParquetFileFormat(
            read_options=ds.ParquetReadOptions(dictionary_columns=wanted),
            # no pre-buffering: it would read a whole file's column chunks ahead of the batches
            default_fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False),
        )
        return ds.dataset(paths, format=fmt)
    except (OSError, pa.ArrowException) as exc:
        raise InvalidValueError("source", source, f"a readable Parquet dataset ({exc})") from None


def _batches(dataset: ds.Dataset, batch_rows: int, columns: Sequence[str] | None) -> Iterator[pa.RecordBatch]:
    """The dataset's rows in batches, one file after the other, reading little ahead."""
    cols = list(columns) if columns is not None else None
    files = getattr(dataset, "files", None)
    fmt = getattr(dataset, "format", None)
    if (
        not isinstance(dataset, ds.FileSystemDataset)
        or not files
        or not isinstance(fmt, ds.ParquetFileFormat)
    ):
        yield from dataset.scanner(
            columns=cols, batch_size=batch_rows, batch_readahead=1, fragment_readahead=1
        ).to_batches()
        return
    schema = dataset.schema if cols is None else pa.schema([dataset.schema.field(c) for c in cols])
    wanted = [f.name for f in schema if pa.types.is_dictionary(f.type)]
    for path in files:
        with dataset.filesystem.open_input_file(path) as handle:
            reader = pq.ParquetFile(handle, read_dictionary=wanted, pre_buffer=False)
            for batch in reader.iter_batches(batch_size=batch_rows, columns=cols, use_threads=True):
                yield batch if batch.schema == schema else batch.select(schema.names).cast(schema)


def _writer(path: Path, schema: pa.Schema) -> pq.ParquetWriter:
    # The defaults suit priced rosters: money columns repeat few values, so
    # dictionary pages make the file several times smaller at the same speed.
    return pq.ParquetWriter(path, schema)


def stream_parquet(
    source: object,
    destination: str | os.PathLike[str],
    func: Callable[[pa.Table], pa.Table],
    *,
    batch_rows: int = _DEFAULT_BATCH,
    columns: Sequence[str] | None = None,
) -> Iterator[pa.Table]:
    """Apply *func* to every batch of a Parquet dataset, writing the results to *destination*.

    Yields each result batch after it has been written (so a caller can sum
    or count without keeping it).  The file appears at *destination* only
    when every batch has been written.

    Raises:
        InvalidValueError: the source cannot be read or *batch_rows* is not positive.
    """
    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows <= 0:
        raise InvalidValueError("batch_rows", batch_rows, "a positive whole number of rows")
    dataset = _dataset(source)
    dest = Path(destination)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    writer: pq.ParquetWriter | None = None
    try:
        for batch in _batches(dataset, batch_rows, columns):
            if batch.num_rows == 0:
                continue
            result = func(pa.Table.from_batches([batch]))
            if writer is None:
                writer = _writer(tmp, result.schema)
            writer.write_table(result)
            yield result
        if writer is None:  # an empty dataset: write the schema alone
            empty = func(dataset.schema.empty_table())
            writer = _writer(tmp, empty.schema)
            writer.write_table(empty)
        writer.close()
        writer = None
        os.replace(tmp, dest)
    finally:
        if writer is not None:
            writer.close()
        if tmp.exists():
            tmp.unlink()


def _sum(table: pa.Table, name: str) -> int:
    value = pc.sum(table.column(name)).as_py()
    return int(value) if value is not None else 0


def price_parquet(
    source: object,
    destination: str | os.PathLike[str],
    *,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    row_supports: RowSupports | None = None,
    plan: PricingPlan | None = None,
    batch_rows: int = _DEFAULT_BATCH,
    engine: str = "auto",
) -> BulkSummary:
    """Price a Parquet dataset (file, directory or list of files) into one Parquet file.

    Each batch of *batch_rows* rows is priced exactly as
    :func:`~ansinh.bulk.price_table` prices it and written before the next is
    read; memory stays bounded by a few batches.  The categorical columns
    (``product``, ``province``, a string ``categories``) are read
    dictionary-encoded, which is what the fast path wants.

    Args:
        source: the input: a path, a list of paths or a ``pyarrow.dataset.Dataset``.
        destination: the output file (replaced atomically when complete).
        law, local_supports, plugins, row_supports, plan, engine: as for
            :func:`~ansinh.bulk.price_table`.
        batch_rows: rows per batch.

    Returns:
        A :class:`BulkSummary` with the row count and the totals.

    Raises:
        InvalidValueError: the source cannot be read, or a column is missing
            or of the wrong type.
    """
    if plan is None:
        plan = make_plan(law, local_supports, plugins)
    counts = {"rows": 0, "batches": 0, "errors": 0}
    totals = {"gross": 0, "state_support": 0, "local_support": 0, "payable": 0}
    for result in stream_parquet(
        source,
        destination,
        lambda t: price_batches(t, plan, row_supports=row_supports, engine=engine),
        batch_rows=batch_rows,
    ):
        counts["rows"] += result.num_rows
        counts["batches"] += 1
        counts["errors"] += result.num_rows - result.column("error").null_count
        for name in totals:
            totals[name] += _sum(result, name)
    return BulkSummary(path=Path(destination), **counts, **totals)


def screen_parquet(
    source: object,
    destination: str | os.PathLike[str],
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    rules: Iterable[Rule] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    batch_rows: int = _DEFAULT_BATCH,
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> BulkSummary:
    """Screen a Parquet dataset into one Parquet file, batch by batch (see :func:`~ansinh.bulk.screen_table`;
    *priority_policy* is the points table the scores follow).

    Returns:
        A :class:`BulkSummary` with the row, error and eligible counts.

    Raises:
        InvalidValueError: the source cannot be read, a column is missing or
            of the wrong type, or an argument is malformed.
        NotInForceError: the law has no value on *on*.
    """
    from ansinh.bulk.screening import make_screen_plan, screen_batches

    plan = make_screen_plan(
        product,
        on=on,
        campaign=campaign,
        law=law,
        rules=rules,
        plugins=plugins,
        priority_policy=priority_policy,
    )
    counts = {"rows": 0, "batches": 0, "errors": 0, "eligible": 0}
    for result in stream_parquet(
        source, destination, lambda t: screen_batches(t, plan), batch_rows=batch_rows
    ):
        counts["rows"] += result.num_rows
        counts["batches"] += 1
        counts["errors"] += result.num_rows - result.column("error").null_count
        counts["eligible"] += int(pc.sum(result.column("eligible")).as_py() or 0)
    return BulkSummary(path=Path(destination), **counts)
