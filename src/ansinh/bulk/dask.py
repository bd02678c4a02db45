"""Beyond one machine: price and screen a Dask DataFrame partition by partition (extra ``ansinh[dask]``).

The law and the local-support programmes are prepared once on the client
(:func:`~ansinh.bulk.make_plan`) and put into the task graph as a single
object that every partition task depends on, so Dask ships it to each worker
once, not once per partition.  Each partition is converted to Arrow, priced
(or screened) by exactly the same code as :func:`~ansinh.bulk.price_table`,
and returned as pandas with the new columns backed by Arrow: money is
``int64[pyarrow]`` (exact, nullable, never float).

Point it at a real cluster by creating a ``distributed.Client`` for that
cluster before calling (``Client("tcp://scheduler:8786")``); the adapter
uses whatever scheduler Dask is configured with.  See ``docs/howto/bulk.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pluggy
import pyarrow as pa
from dask.delayed import delayed

from ansinh.bulk._law_tables import PricingPlan
from ansinh.bulk.pricing import OUTPUT_COLUMNS, make_plan, price_batches
from ansinh.core.campaign import Campaign
from ansinh.core.eligibility.priorities import DEFAULT_PRIORITY_POLICY, PriorityPolicy
from ansinh.core.law import Law
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import Product
from ansinh.exceptions import InvalidValueError
from ansinh.plugin_manager import PluginHost

__all__ = ["price_dask", "screen_dask"]


def _new_columns(result: pa.Table, names: Sequence[str], index: Any) -> Any:
    """The result columns as pandas columns backed by Arrow: exact int64 with nulls, no copy."""
    import pandas as pd

    sub = result.select(list(names))
    for i, name in enumerate(names):
        if pa.types.is_dictionary(sub.schema.field(name).type):
            sub = sub.set_column(i, name, sub.column(name).cast(pa.string()))
    frame = sub.to_pandas(types_mapper=pd.ArrowDtype)
    frame.index = index
    return frame


def _with(pdf: Any, result: pa.Table, names: Sequence[str]) -> Any:
    import pandas as pd

    stale = [c for c in names if c in pdf.columns]
    base = pdf.drop(columns=stale) if stale else pdf
    return pd.concat([base, _new_columns(result, names, pdf.index)], axis=1)


def _price_partition(pdf: Any, plan: PricingPlan, engine: str = "auto") -> Any:
    table = pa.Table.from_pandas(pdf, preserve_index=False)
    return _with(pdf, price_batches(table, plan, engine=engine), OUTPUT_COLUMNS)


def price_dask(
    frame: Any,
    *,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    plan: PricingPlan | None = None,
    engine: str = "auto",
) -> Any:
    """Price every row of a Dask DataFrame, lazily, partition by partition.

    Args:
        frame: a ``dask.dataframe.DataFrame`` with the columns of
            :func:`~ansinh.bulk.price_table` (e.g. from ``dd.read_parquet``).
        law, local_supports, plugins, plan, engine: as for :func:`~ansinh.bulk.price_table`
            (with ``"numba"``, every worker needs the ``ansinh[fast]`` extra).

    Returns:
        A Dask DataFrame: the input columns plus ``gross``,
        ``state_support``, ``local_support``, ``payable`` (``int64[pyarrow]``),
        ``group`` and ``error`` (``string[pyarrow]``).  Nothing runs until you compute it.

    Raises:
        InvalidValueError: *frame* is not a Dask DataFrame.
    """
    if not hasattr(frame, "map_partitions") or not hasattr(frame, "_meta"):
        raise InvalidValueError("frame", type(frame).__name__, "a dask.dataframe.DataFrame")
    if plan is None:
        plan = make_plan(law, local_supports, plugins)
    meta = _price_partition(frame._meta, plan, engine)
    shared = delayed(plan, pure=True)
    return frame.map_partitions(_price_partition, shared, engine, meta=meta)


def screen_dask(
    frame: Any,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> Any:
    """Screen every row of a Dask DataFrame for *product* on *on* (see :func:`~ansinh.bulk.screen_table`;
    *priority_policy* is the points table the scores follow).

    Returns:
        A Dask DataFrame: the input columns plus the screening columns.

    Raises:
        InvalidValueError: *frame* is not a Dask DataFrame, or an argument is malformed.
    """
    from ansinh.bulk.screening import SCREEN_COLUMNS, make_screen_plan, screen_batches

    if not hasattr(frame, "map_partitions") or not hasattr(frame, "_meta"):
        raise InvalidValueError("frame", type(frame).__name__, "a dask.dataframe.DataFrame")
    splan = make_screen_plan(
        product, on=on, campaign=campaign, law=law, plugins=plugins, priority_policy=priority_policy
    )

    def part(pdf: Any, sp: Any) -> Any:
        table = pa.Table.from_pandas(pdf, preserve_index=False)
        return _with(pdf, screen_batches(table, sp), SCREEN_COLUMNS)

    meta = part(frame._meta, splan)
    return frame.map_partitions(part, delayed(splan, pure=True), meta=meta)
