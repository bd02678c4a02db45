"""The health-card lookup of :func:`ansinh.bulk.price_table`: one key per row, one table, one gather.

A row's key is built from the codes it carries::

    lead_off[clip(lead - lead_lo)] + category × s_cat + province × s_prov
        + clip(rank) × s_rank + min(months, n_month - 1)

where *lead* is the row's day number (``lead_off`` maps it to its segment
times the segment stride), the category and province codes are the
columns' own dictionary indices, and out-of-range ranks and month counts
land on an "invalid" slot.  The key indexes the five arrays of a
:class:`CardTable`, filled once per plan and table encoding from the
:mod:`ansinh.bulk._figures` of every combination of codes.  The lookup runs
as whole-column NumPy passes in cache-sized chunks, or as one compiled loop
(:mod:`ansinh.bulk._kernel`) over the same table.

When the codes a table carries span too many combinations, they are
compacted first, and the same lookup runs on the compacted codes:

1. the categorical codes are replaced by their classes (the distinct
   category sets; the provinces some programme names);
2. if even that space is too large, each batch's keys in it (but the
   month count) are replaced by their rank among the batch's distinct keys
   (``np.unique(..., return_inverse=True)``), and the table holds those
   distinct keys only, each with every month count.

Dates spread over too many days for a day table (programmes dated from
year 1, say) are likewise replaced by their segment numbers, found by
binary search.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from ansinh.bulk._figures import CardFigures, Entries, figures
from ansinh.bulk._input import CATEGORIES, PROVINCE, RANK, Encoded, dict_codes, int_column
from ansinh.bulk._law_tables import PricingPlan
from ansinh.core.people import Category

__all__ = ["CardSpace", "CardTable", "Codebook", "KeyLayout", "RowCodes", "card_space", "price_cards"]

I64 = npt.NDArray[np.int64]
Intp = npt.NDArray[np.intp]
Codes = npt.NDArray[np.integer[Any]]

_TABLE_LIMIT: Final = 1 << 20
"""Most entries a card table may have before the codes are compacted."""
_CHUNK: Final = 1 << 14
"""Rows the NumPy lookup works on at a time (its temporaries stay in the CPU cache)."""
_NONE: Final = np.zeros(0, dtype=np.int8)


@attrs.frozen(eq=False)
class KeyLayout:
    """How a row's codes make its key: the lead offsets and the size of every other code."""

    lead_lo: int
    lead_off: Intp
    """``lead_off[clip(lead - lead_lo)]``: the lead's offset, already multiplied by its stride."""
    n_cat: int = 1
    n_prov: int = 1
    n_rank: int = 1
    n_month: int = 1

    @property
    def strides(self) -> tuple[int, int, int, int]:
        """Strides of the lead (its index), the category, the province and the rank (months: 1)."""
        s_rank = self.n_month
        s_prov = self.n_rank * s_rank
        s_cat = self.n_prov * s_prov
        return self.n_cat * s_cat, s_cat, s_prov, s_rank


@attrs.frozen(eq=False)
class CardTable:
    """The figures of every key of a layout."""

    layout: KeyLayout
    entries: Entries


@attrs.frozen(eq=False)
class RowCodes:
    """The codes of a batch's rows; ``None`` for a dimension the key leaves out."""

    lead: Codes
    months: I64
    cats: Codes | None = None
    provs: Codes | None = None
    ranks: I64 | None = None


@attrs.frozen
class Codebook:
    """What a table's categorical codes mean (hashable: it keys the cache of card spaces)."""

    classes: tuple[frozenset[Category], ...]
    provinces: tuple[str, ...]
    categories: Literal["none", "list", "dictionary"]
    """``"none"`` (no column), ``"list"`` (a class per row) or ``"dictionary"`` (codes through *cat_map*)."""
    cat_map: tuple[int, ...] | None
    """Category dictionary index → class (a dictionary column)."""
    prov_map: tuple[int, ...] | None
    """Province dictionary index → province class; ``None``: no province changes a price."""
    has_rank: bool

    @classmethod
    def of(cls, enc: Encoded) -> Codebook:
        """The codebook of an encoded table."""
        categories: Literal["none", "list", "dictionary"] = "none"
        if enc.cat_rows is not None:
            categories = "list"
        elif enc.cat_map is not None:
            categories = "dictionary"
        matters = enc.n_provinces > 2 or enc.has_invalid_province
        return cls(
            classes=enc.classes,
            provinces=enc.provinces,
            categories=categories,
            cat_map=None if enc.cat_map is None else tuple(enc.cat_map.tolist()),
            prov_map=tuple(enc.prov_map.tolist()) if matters and enc.prov_map is not None else None,
            has_rank=RANK in enc.table.column_names,
        )


@attrs.frozen(eq=False)
class CardSpace:
    """The codes a table's rows carry, the maps from them to the figures' indices, and the table."""

    compact: bool
    """The categorical codes are classes, not the columns' dictionary indices."""
    by_segment: bool
    """The lead codes are segment numbers found by search (the day range is too long for a table)."""
    layout: KeyLayout
    maps: tuple[Intp, Intp, Intp, Intp]
    """Category code → class, province code → class, rank code → rank code of the figures,
    month count → month code."""
    card: CardFigures
    table: CardTable | None = None
    """``None``: too large even over classes; each batch compacts its own keys."""

    def entries(self, s: Intp, c: Intp, p: Intp, r: Intp, m: Intp) -> Entries:
        """The figures of segments *s* and codes *c*, *p*, *r*, *m* of this space."""
        cat_map, prov_map, rank_map, month_map = self.maps
        return self.card.entries(s, cat_map[c], prov_map[p], rank_map[r], month_map[m])


def _maps(card: CardFigures, book: Codebook, compact: bool) -> tuple[Intp, Intp, Intp, Intp]:
    nc, npv = len(book.classes) + 1, len(book.provinces) + 2
    if book.categories == "none":
        cat_map = np.zeros(1, dtype=np.intp)
    elif book.categories == "dictionary" and not compact:
        cat_map = np.asarray(book.cat_map, dtype=np.intp)
    else:
        cat_map = np.arange(nc, dtype=np.intp)
    if book.prov_map is None:
        prov_map = np.zeros(1, dtype=np.intp)
    else:
        prov_map = np.arange(npv, dtype=np.intp) if compact else np.asarray(book.prov_map, dtype=np.intp)
    # no rank column: every row is a first member (the scalar default)
    rank_map = np.arange(card.n_ranks, dtype=np.intp) if book.has_rank else np.ones(1, dtype=np.intp)
    # every count above the largest allowed anywhere is "not allowed" (code 0)
    month_map = card.months.code[: card.months.largest + 2]
    return cat_map, prov_map, rank_map, month_map


def _space(plan: PricingPlan, card: CardFigures, book: Codebook, compact: bool) -> CardSpace:
    maps = _maps(card, book, compact)
    n_cat, n_prov, n_rank, n_month = (len(m) for m in maps)
    s_lead = n_cat * n_prov * n_rank * n_month
    daytab = plan.day_table(s_lead)
    if daytab is None:
        lead_lo, lead_off = 0, np.arange(len(plan.segments), dtype=np.intp) * s_lead
    else:
        lead_lo, lead_off = daytab
    layout = KeyLayout(lead_lo, lead_off, n_cat, n_prov, n_rank, n_month)
    space = CardSpace(compact, daytab is None, layout, maps, card)
    dims = (len(plan.segments), n_cat, n_prov, n_rank, n_month)
    if int(np.prod(dims)) > _TABLE_LIMIT:
        return space
    return attrs.evolve(space, table=CardTable(layout, space.entries(*np.indices(dims).reshape(5, -1))))


@functools.lru_cache(maxsize=32)
def card_space(plan: PricingPlan, book: Codebook) -> CardSpace:
    """The card codes and table of tables encoded as *book* (pure: a bounded cache shares them).

    The columns' own codes when their table fits, else their classes.
    """
    card = figures(plan, book.classes, book.provinces).card
    space = _space(plan, card, book, compact=False)
    return space if space.table is not None else _space(plan, card, book, compact=True)


# -- per batch ----------------------------------------------------------------------


def _column(batch: pa.RecordBatch, name: str) -> pa.Array:
    return batch.column(batch.schema.get_field_index(name))


def row_codes(
    batch: pa.RecordBatch,
    days: npt.NDArray[np.int32],
    months: I64,
    cls_rows: Intp | None,
    enc: Encoded,
    space: CardSpace,
    plan: PricingPlan,
) -> RowCodes:
    """The codes of a batch's rows in *space* (*cls_rows*: the batch's classes of a list column)."""
    lead: Codes = plan.segments_of_days(days) if space.by_segment else days
    cats: Codes | None = cls_rows
    if enc.cat_map is not None:
        cats = dict_codes(_column(batch, CATEGORIES), len(enc.cat_map) - 1)
        if space.compact:
            cats = enc.cat_map.take(cats)
    provs: Codes | None = None
    if space.layout.n_prov > 1 and enc.prov_map is not None:
        provs = dict_codes(_column(batch, PROVINCE), len(enc.prov_map) - 1)
        if space.compact:
            provs = enc.prov_map.take(provs)
    ranks = int_column(_column(batch, RANK), len(days), 1)[0] if space.layout.n_rank > 1 else None
    return RowCodes(lead, months, cats, provs, ranks)


def _key_into(codes: RowCodes, layout: KeyLayout, lo: int, hi: int, key: Intp, tmp: Intp) -> None:
    """The keys of rows ``lo:hi`` into *key* (*tmp*: a scratch array of the same length)."""
    _, s_cat, s_prov, s_rank = layout.strides
    np.subtract(codes.lead[lo:hi], layout.lead_lo, out=tmp, dtype=np.intp, casting="unsafe")
    np.take(layout.lead_off, tmp, out=key, mode="clip")
    for values, stride in ((codes.cats, s_cat), (codes.provs, s_prov)):
        if values is not None:
            np.multiply(values[lo:hi], stride, out=tmp, dtype=np.intp, casting="unsafe")
            key += tmp
    if codes.ranks is not None:
        np.maximum(codes.ranks[lo:hi], 0, out=tmp)
        np.minimum(tmp, layout.n_rank - 1, out=tmp)
        tmp *= s_rank
        key += tmp
    # as unsigned, negative counts become huge and land on the last ("not allowed") code
    np.minimum(codes.months[lo:hi].view(np.uint64), layout.n_month - 1, out=tmp.view(np.uint64))
    key += tmp


def unique_keys(codes: RowCodes, space: CardSpace) -> tuple[CardTable, RowCodes]:
    """The table of the distinct keys of a batch in *space*, and the rows' codes in it.

    The month count stays a dimension of its own: the table holds every
    count for each distinct rest of the key.
    """
    n = len(codes.lead)
    key = np.empty(n, dtype=np.intp)
    _key_into(codes, space.layout, 0, n, key, np.empty(n, dtype=np.intp))
    n_month = space.layout.n_month
    key //= n_month  # the month count is the key's last digit
    uniq, inverse = np.unique(key, return_inverse=True)
    s_lead, s_cat, s_prov, _ = (stride // n_month for stride in space.layout.strides)
    s, rest = np.divmod(uniq, s_lead)
    c, rest = np.divmod(rest, s_cat)
    p, r = np.divmod(rest, s_prov)
    every_month = np.tile(np.arange(n_month, dtype=np.intp), len(uniq))
    s, c, p, r = (np.repeat(x, n_month) for x in (s, c, p, r))
    entries = space.entries(s, c, p, r, every_month)
    layout = KeyLayout(0, np.arange(len(uniq), dtype=np.intp) * n_month, n_month=n_month)
    return CardTable(layout, entries), RowCodes(inverse.reshape(-1), codes.months)


Rows = tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]


def look_up(
    codes: RowCodes, table: CardTable, rows: Rows, no_local: bool, kernel: Callable[..., int] | None
) -> bool:
    """Fill *rows* (gross, state, local, payable, group) from *table*; whether some row failed (gross -1).

    With a compiled *kernel* (:mod:`ansinh.bulk._kernel`) this is one loop
    over the rows; otherwise NumPy passes over chunks of :data:`_CHUNK` rows.
    When *no_local*, the local column is left as it is (zero).
    """
    layout = table.layout
    _, s_cat, s_prov, s_rank = layout.strides
    if kernel is not None:
        failed = kernel(
            codes.lead,
            layout.lead_lo,
            layout.lead_off,
            _NONE if codes.cats is None else codes.cats,
            s_cat,
            _NONE if codes.provs is None else codes.provs,
            s_prov,
            _NONE if codes.ranks is None else codes.ranks,
            layout.n_rank,
            s_rank,
            codes.months,
            layout.n_month,
            *table.entries,
            no_local,
            *rows,
        )
        return bool(failed > 0)
    n = len(codes.lead)
    size = max(1, min(n, _CHUNK))
    key_buf, tmp_buf = np.empty(size, dtype=np.intp), np.empty(size, dtype=np.intp)
    tg, ts, tl, tp, tgr = table.entries
    suspect = False
    for lo in range(0, n, size):
        hi = min(lo + size, n)
        key = key_buf[: hi - lo]
        _key_into(codes, layout, lo, hi, key, tmp_buf[: hi - lo])
        gross, state, local, payable, group = (col[lo:hi] for col in rows)
        np.take(tg, key, out=gross, mode="clip")
        np.take(ts, key, out=state, mode="clip")
        if no_local:
            np.subtract(gross, state, out=payable)
        else:
            np.take(tl, key, out=local, mode="clip")
            np.take(tp, key, out=payable, mode="clip")
        np.take(tgr, key, out=group, mode="clip")
        suspect = suspect or bool(gross.min() < 0)
    return suspect


def price_cards(
    batch: pa.RecordBatch,
    days: npt.NDArray[np.int32],
    months: I64,
    cls_rows: Intp | None,
    enc: Encoded,
    space: CardSpace,
    plan: PricingPlan,
    rows: Rows,
    no_local: bool,
    kernel: Callable[..., int] | None,
) -> bool:
    """Card figures of every row of *batch* into *rows*; whether some row failed (its gross is -1)."""
    codes = row_codes(batch, days, months, cls_rows, enc, space, plan)
    table = space.table
    if table is None:
        table, codes = unique_keys(codes, space)
    return look_up(codes, table, rows, no_local, kernel)
