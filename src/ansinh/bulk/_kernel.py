"""The card lookup of :func:`ansinh.bulk.price_table` as one compiled loop (optional).

With the ``ansinh[fast]`` extra installed (Numba), the card lookup runs as
a single loop over the rows instead of a dozen whole-column NumPy passes:
each row's key is built and its figures are gathered while the row is in
the CPU's registers, which about doubles throughput on large tables.

The loop computes exactly what :func:`ansinh.bulk._cards.look_up` computes
with NumPy — the same key, the same clipping of out-of-range codes, the same
table entries — and the test suite checks that both give identical results.
Nothing here prices anything: the figures come from the table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

__all__ = ["card_kernel"]


def _card_rows(  # pragma: no cover - compiled by Numba; the same loop is tested through it
    lead: Any,
    lead_lo: int,
    lead_off: Any,
    cats: Any,
    s_cat: int,
    provs: Any,
    s_prov: int,
    ranks: Any,
    n_rank: int,
    s_rank: int,
    months: Any,
    n_month: int,
    tg: Any,
    ts: Any,
    tl: Any,
    tp: Any,
    tgr: Any,
    no_local: bool,
    gross: Any,
    state: Any,
    local: Any,
    payable: Any,
    group: Any,
) -> int:
    """Fill the output rows; an empty *cats*, *provs* or *ranks* means "not in the key".

    Returns the number of rows the table could not price (gross -1).
    """
    last = lead_off.shape[0] - 1
    has_cat = cats.shape[0] > 0
    has_prov = provs.shape[0] > 0
    has_rank = ranks.shape[0] > 0
    failed = 0
    for i in range(lead.shape[0]):
        d = lead[i] - lead_lo
        if d < 0:
            d = 0
        elif d > last:
            d = last
        k = lead_off[d]
        if has_cat:
            k += cats[i] * s_cat
        if has_prov:
            k += provs[i] * s_prov
        if has_rank:
            r = ranks[i]
            if r < 0:
                r = 0
            elif r > n_rank - 1:
                r = n_rank - 1
            k += r * s_rank
        m = months[i]
        if m < 0 or m > n_month - 1:
            m = n_month - 1
        k += m
        g = tg[k]
        s = ts[k]
        if g < 0:
            failed += 1
        gross[i] = g
        state[i] = s
        if no_local:
            payable[i] = g - s
        else:
            local[i] = tl[k]
            payable[i] = tp[k]
        group[i] = tgr[k]
    return failed


@functools.cache
def card_kernel() -> Callable[..., int] | None:
    """The compiled loop, or ``None`` when Numba is not installed.

    Compiled on first use for each combination of column types and cached on
    disk (Numba's ``cache=True``), so later processes start at once.
    """
    try:
        import numba
    except ImportError:
        return None
    compiled: Callable[..., int] = numba.njit(cache=True, nogil=True, boundscheck=False)(_card_rows)
    return compiled
