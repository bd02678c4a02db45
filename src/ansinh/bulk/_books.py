"""Voluntary-SI books row by row in exact int64 arithmetic (:func:`ansinh.bulk.price_table`).

A book's contribution depends on the income each person chooses, so it
cannot be read from a table: it is ``vsi_rate × income`` rounded half up
(``(2·a·income + b) // 2b`` for the rate ``a/b``), for the income the row
gives or the floor.  Everything else — the state's monthly support, its
group, the top-ups' sum — comes from the :mod:`ansinh.bulk._figures` of the
row's segment and class, and the period is checked against the same
floor, ceiling, step, allowed months and support cap the scalar path reads
from the law.  A row any check fails is marked (gross -1) for the scalar
path, which gives the error.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ansinh.bulk._figures import BookFigures
from ansinh.bulk._input import CATEGORIES, INCOME, MONTHS, PROVINCE, USED, Encoded, dict_indices, int_column
from ansinh.bulk._law_tables import PricingPlan

__all__ = ["price_books"]

I64 = npt.NDArray[np.int64]
Intp = npt.NDArray[np.intp]
Rows = tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]


def _col(batch: pa.RecordBatch, name: str) -> pa.Array | None:
    idx = batch.schema.get_field_index(name)
    return None if idx < 0 else batch.column(idx)


def _classes(batch: pa.RecordBatch, rows: Intp, cls_rows: Intp | None, enc: Encoded) -> tuple[Intp, Intp]:
    """Category class and province class of the *rows*."""
    if cls_rows is not None:
        c = cls_rows[rows]
    else:
        cat_arr = _col(batch, CATEGORIES)
        if enc.cat_map is not None and cat_arr is not None:
            c = enc.cat_map.take(dict_indices(cat_arr, len(enc.cat_map) - 1)[rows], mode="clip")
        else:
            c = np.zeros(len(rows), dtype=np.intp)
    prov_arr = _col(batch, PROVINCE)
    if enc.prov_map is not None and prov_arr is not None:
        p = enc.prov_map.take(dict_indices(prov_arr, len(enc.prov_map) - 1)[rows], mode="clip")
    else:
        p = np.zeros(len(rows), dtype=np.intp)
    return c, p


def _incomes(batch: pa.RecordBatch, rows: Intp, floor: I64) -> tuple[I64, npt.NDArray[np.bool_]]:
    """The chosen income of each row (the floor where none is given) and whether none was given."""
    n = batch.num_rows
    inc_arr = _col(batch, INCOME)
    inc_all, inc_nulls = int_column(inc_arr, n, 0)
    if inc_arr is None:
        given_none = np.ones(len(rows), dtype=bool)
    elif inc_nulls is None:
        given_none = np.zeros(len(rows), dtype=bool)
    else:
        given_none = inc_nulls[rows]
    return np.where(given_none, floor, inc_all[rows]), given_none


def price_books(
    batch: pa.RecordBatch,
    rows: Intp,
    days: npt.NDArray[np.int32],
    cls_rows: Intp | None,
    plan: PricingPlan,
    enc: Encoded,
    book: BookFigures,
    out: Rows,
) -> None:
    """Price the book *rows* of *batch* into *out* (gross -1 where the scalar path must decide)."""
    n = batch.num_rows
    s = plan.segments_of_days(days[rows])
    c, p = _classes(batch, rows, cls_rows, enc)
    month_col = batch.column(batch.schema.get_field_index(MONTHS))
    m = int_column(month_col, n, 0)[0][rows]
    used = int_column(_col(batch, USED), n, 0)[0][rows]
    floor = book.floor[s]
    inc, given_none = _incomes(batch, rows, floor)
    ok = (
        book.ok[s]
        & book.months.ok[s, 0, book.months.code.take(m, mode="clip")]
        & (c != book.state.shape[1] - 1)
        & (p != book.local.shape[2] - 1)
        & (used >= 0)
        & (given_none | (inc > 0))
        & (inc >= floor)
        & (inc <= book.ceiling[s])
    )
    ok &= (inc - floor) % book.step[s] == 0
    inc = np.where(ok, inc, 0)
    rb = book.rate_den[s]
    gm = (2 * book.rate_num[s] * inc + rb) // (2 * rb)
    sm = book.state[s, c]
    lm = np.maximum(0, np.minimum(book.local[s, c, p], gm - sm))
    mm = np.where(ok, m, 0)
    supported = np.minimum(np.maximum(book.cap[s] - used, 0), mm)
    g = gm * mm
    st = sm * supported
    lo = lm * supported
    gross, state, local, payable, group = out
    gross[rows] = np.where(ok, g, -1)
    state[rows] = st
    local[rows] = lo
    payable[rows] = g - st - lo
    group[rows] = book.group[s, c]
