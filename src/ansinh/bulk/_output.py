"""The output columns of :func:`ansinh.bulk.price_table`: where batches write, and the result table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ansinh.bulk._law_tables import GROUP_NAMES

__all__ = ["OUTPUT_COLUMNS", "Out", "assemble"]

I64 = npt.NDArray[np.int64]

OUTPUT_COLUMNS: Final = ("gross", "state_support", "local_support", "payable", "group", "error")
"""Columns :func:`~ansinh.bulk.price_table` appends (an input column of the same name is replaced)."""


def _pool_array(n: int, dtype: type[np.integer[Any]]) -> Any:
    """An uninitialised numpy array in Arrow's memory pool (the output columns' future home).

    Arrow's allocator keeps freed memory for reuse, where numpy's large
    allocations come fresh from the operating system and fault in page by
    page: for a million rows that alone cost a third of the pricing time.
    """
    return np.frombuffer(pa.allocate_buffer(n * np.dtype(dtype).itemsize), dtype=dtype)


@attrs.frozen
class Out:
    """The five figure columns of every row; each batch writes its own slice."""

    gross: I64
    state: I64
    local: I64
    payable: I64
    group: npt.NDArray[np.int8]

    @classmethod
    def allocate(cls, n: int, zero_local: bool) -> Out:
        """Columns for *n* rows; the local column zeroed when nothing will write it.

        (Zeroed pages cost nothing until they are read.)
        """
        return cls(
            gross=_pool_array(n, np.int64),
            state=_pool_array(n, np.int64),
            local=np.zeros(n, dtype=np.int64) if zero_local else _pool_array(n, np.int64),
            payable=_pool_array(n, np.int64),
            group=_pool_array(n, np.int8),
        )

    def rows(self, sl: slice) -> tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]:
        """Views of the five output columns over the rows *sl*."""
        return self.gross[sl], self.state[sl], self.local[sl], self.payable[sl], self.group[sl]


def assemble(table: pa.Table, out: Out, errors: Mapping[int, str]) -> pa.Table:
    """*table* with the output columns appended; rows in *errors* get nulls and their error text."""
    n = table.num_rows
    mask = None
    if errors:
        mask = np.zeros(n, dtype=bool)
        mask[list(errors)] = True
    cols: dict[str, pa.Array] = {
        "gross": pa.array(out.gross, mask=mask),
        "state_support": pa.array(out.state, mask=mask),
        "local_support": pa.array(out.local, mask=mask),
        "payable": pa.array(out.payable, mask=mask),
        # every code comes from GROUP_CODE, so Arrow's index check is skipped
        "group": pa.DictionaryArray.from_arrays(
            pa.array(out.group, mask=mask), pa.array(GROUP_NAMES, pa.string()), safe=False
        ),
    }
    if errors:
        texts: list[str | None] = [None] * n
        for i, text in errors.items():
            texts[i] = text
        cols["error"] = pa.array(texts, pa.string())
    else:
        cols["error"] = pa.nulls(n, pa.string())
    keep = [name for name in table.column_names if name not in OUTPUT_COLUMNS]
    result = table.select(keep)
    for name, col in cols.items():
        result = result.append_column(name, col)
    return result
