"""Exact columnar pricing: :func:`price_table`.

Every row is priced exactly as :func:`ansinh.core.pricing.price` prices that
person's product on that row's date.  The row's columns are turned into a
small integer *key* (law segment, category class, province class, household
rank, payment period) with a handful of whole-column numpy operations; the
key indexes lookup arrays whose entries were computed once per call with the
scalar code's exact integer arithmetic.  Books, whose contribution depends on
each person's chosen income, are computed with exact int64 arithmetic per
row.  Rows the fast path cannot price (bad values, dates the law does not
cover, arithmetic that would leave int64) go through the scalar
:func:`~ansinh.core.pricing.price` one by one, which either prices them or
gives the error text reported in the ``error`` column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pluggy
import pyarrow as pa

from ansinh.api import resolve_plugins
from ansinh.bulk import _kernel, _law_tables
from ansinh.bulk._input import (
    CATEGORIES,
    DATE,
    INCOME,
    MONTHS,
    PRODUCT,
    PROVINCE,
    RANK,
    USED,
    Encoded,
    category_items,
    dict_codes,
    dict_indices,
    encode,
    int_column,
    to_table,
)
from ansinh.bulk._law_tables import (
    GROUP_CODE,
    PricingPlan,
    book_group,
    fits_int64,
    local_rate,
    months_table,
)
from ansinh.core import pricing as _pricing
from ansinh.core.law import Law
from ansinh.core.money import round_half_up
from ansinh.core.people import Person
from ansinh.core.pricing import HOUSEHOLD_GROUP, LocalSupport
from ansinh.core.products import MAX_MONTHS, HealthCard, ProductKind, SocialBook
from ansinh.exceptions import AnsinhError, InvalidValueError
from ansinh.plugin_manager import PluginHost

__all__ = [
    "ENGINES",
    "GROUP_NAMES",
    "OUTPUT_COLUMNS",
    "RowSupports",
    "make_plan",
    "price_batches",
    "price_table",
]

I64 = npt.NDArray[np.int64]
Intp = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

RowSupports: TypeAlias = Callable[[Mapping[str, Any]], Sequence[LocalSupport]]
"""A per-person local-support source: called with one row's input values
(column name → Python value), returns the extra programmes for that person."""

GROUP_NAMES: Final = _law_tables.GROUP_NAMES
"""The values the ``group`` column can take: category codes, ``household`` and ``other``."""

OUTPUT_COLUMNS: Final = ("gross", "state_support", "local_support", "payable", "group", "error")
"""Columns :func:`price_table` appends (an input column of the same name is replaced)."""

_BATCH_ROWS: Final = 1 << 18
_DENSE_LIMIT: Final = 1 << 20
_RAW_LIMIT: Final = 1 << 20
_CHUNK: Final = 1 << 14
"""Rows the fast card path works on at a time (its temporaries stay in the CPU cache)."""
_SAFE: Final = 1 << 55
_GROUP_TYPE: Final = pa.dictionary(pa.int8(), pa.string())
_DOB: Final = dt.date(1970, 1, 1)


# -- plan and per-call tables ------------------------------------------------------


def make_plan(
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> PricingPlan:
    """Build the :class:`~ansinh.bulk.PricingPlan` :func:`price_table` uses.

    Build it once and pass it as ``plan=`` to price many tables (or ship it to
    Dask workers) without re-reading the law or asking the plugins again.

    Args:
        law: the parameters (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups, as for :func:`ansinh.core.pricing.price`.
        plugins: as for :func:`ansinh.price`: ``None`` for the installed
            plugins, ``False`` for none, or a plugin host; every programme
            they contribute (``all_local_supports()``) is added after
            *local_supports*.

    Raises:
        InvalidValueError: an argument has the wrong type.
        PluginError: a plugin failed.
    """
    if law is None:
        from ansinh.data import default_law

        law = default_law()
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law or None")
    if isinstance(local_supports, LocalSupport | str) or not isinstance(local_supports, Sequence):
        raise InvalidValueError("local_supports", local_supports, "a sequence of LocalSupport")
    supports = list(local_supports)
    host = resolve_plugins(plugins)
    if host is not None:
        supports.extend(host.all_local_supports())
    for s in supports:
        if not isinstance(s, LocalSupport):
            raise InvalidValueError("local_supports", s, "LocalSupport objects")
    return PricingPlan.build(law, supports)


def _ratio(rate: Fraction) -> tuple[int, int]:
    return max(rate.numerator, 0), rate.denominator


def _to_i64(values: Any, shape: tuple[int, ...]) -> tuple[npt.NDArray[np.int64], BoolArray]:
    """Object array of Python ints → int64 array plus a mask of entries that did not fit."""
    obj = np.asarray(values, dtype=object).reshape(shape)
    fit = np.vectorize(lambda v: fits_int64(int(v)), otypes=[bool])(obj) if obj.size else np.ones(shape, bool)
    out = np.where(fit, obj, 0).astype(np.int64)
    return out, ~fit


def _mul_round(num: npt.NDArray[Any], den: npt.NDArray[Any], x: I64) -> I64 | None:
    """``round_half_up(num/den × x)`` for num ≥ 0, den > 0, x ≥ 0 (broadcast); None if it leaves int64."""
    if x.size == 0:
        return x.copy()
    nmax = int(np.max(num)) if np.size(num) else 0
    dmax = int(np.max(den)) if np.size(den) else 1
    if 2 * nmax * int(x.max()) + dmax < _SAFE:
        n64 = np.asarray(num, dtype=np.int64)
        d64 = np.asarray(den, dtype=np.int64)
        out: I64 = (2 * n64 * x + d64) // (2 * d64)
        return out
    big = (2 * np.asarray(num, dtype=object) * x.astype(object) + np.asarray(den, dtype=object)) // (
        2 * np.asarray(den, dtype=object)
    )
    if big.size and int(big.max()) >= _SAFE:
        return None
    result: I64 = big.astype(np.int64)
    return result


@attrs.frozen(eq=False)
class _RawTables:
    """Card entries indexed directly by a row's raw codes: the fast path.

    The key of a row is ``segment(date) * s_seg + category code * s_cat +
    province code * s_prov + clip(rank) * s_rank + min(months, cap)``, where
    the category and province codes are the columns' own dictionary indices
    (or category classes for a list column).  Building it needs no lookup
    other than the date's; the entries map each raw combination to its class
    and repeat the class-space entries, so the answers are the same numbers.
    """

    entries: tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]
    day_lo: int
    day_off: Intp
    n_cat: int
    n_prov: int
    n_rank: int
    n_month: int

    @property
    def strides(self) -> tuple[int, int, int]:
        """Strides of the category code, the province code and the rank (months: 1)."""
        s_rank = self.n_month
        s_prov = self.n_rank * s_rank
        return self.n_prov * s_prov, s_prov, s_rank


@attrs.frozen(eq=False)
class _Tables:
    """Lookup arrays for one (plan, encoded table) pair."""

    ns: int
    nc: int
    npv: int
    nr: int
    nm: int
    # cards
    card_ok: BoolArray
    gmh: I64
    gmf: I64
    hit: Intp
    smc: I64
    card_sup: tuple[tuple[BoolArray, npt.NDArray[Any], npt.NDArray[Any]], ...]
    mvals: I64
    mok: BoolArray
    month_code: Intp
    # books
    book_ok: BoolArray
    floor: I64
    ceil: I64
    step: I64
    ra: I64
    rb: I64
    cap: I64
    bmok: BoolArray
    bmonth_code: Intp
    bsm: I64
    bls: I64
    bgroup: Intp
    # dense card tables (None: sparse)
    dense: tuple[I64, I64, I64, I64, npt.NDArray[np.int8]] | None
    # card entries indexed by the table's raw codes (None: too large; see _raw_tables)
    raw: _RawTables | None = None
    # key offsets, premultiplied by their strides
    day_lo: int = 0
    day_off: Intp | None = None
    cat_off: Intp | None = None
    prov_off: Intp | None = None
    rank_off: Intp | None = None

    @property
    def no_local(self) -> bool:
        """Whether no programme applies to any row of the table (local support is 0 everywhere)."""
        return not self.card_sup and not self.bls.any()

    @property
    def strides(self) -> tuple[int, int, int, int]:
        """Strides of segment, class, province and rank in the card key (months: 1)."""
        sr = self.nm
        sp = self.nr * sr
        sc = self.npv * sp
        return self.nc * sc, sc, sp, sr

    def card_entries(
        self, s: Intp, c: Intp, p: Intp, r: Intp, m: Intp
    ) -> tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]:
        """Gross, state, local, payable (-1 where the scalar path must decide) and group code."""
        hit = self.hit[s, c]
        hh = hit == -1
        gm = np.where(hh, self.gmh[s, r], self.gmf[s])
        sm = np.where(hh, 0, self.smc[s, c])
        ok = self.card_ok[s] & (r > 0) & (hit != -2) & (p != self.npv - 1) & self.mok[s, m]
        lsum = np.zeros(len(s), dtype=np.int64)
        gpos = np.maximum(gm, 0)
        for app, num, den in self.card_sup:
            use = app[s, p]
            if not use.any():
                continue
            amount = _mul_round(num[c], den[c], gpos)
            if amount is None:
                ok &= ~use
                continue
            lsum += np.where(use, amount, 0)
        lm = np.maximum(0, np.minimum(lsum, gm - sm))
        mv = self.mvals[m]
        gross = gm * mv
        state = sm * mv
        local = lm * mv
        payable = gross - state - local
        bad = ~ok | (gross < 0) | (state < 0) | (payable < 0)
        for arr in (gross, state, local, payable):
            arr[bad] = -1
        group = np.where(hh, GROUP_CODE[HOUSEHOLD_GROUP], np.maximum(hit, 0)).astype(np.int8)
        return gross, state, local, payable, group


def _build_tables(plan: PricingPlan, enc: Encoded) -> _Tables:
    segs = plan.segments
    ns = len(segs)
    classes = enc.classes
    nc = len(classes) + 1
    npv = enc.n_provinces
    # household ranks: 0 invalid, 1..K-1 themselves, K = "K and later"
    k = 2
    for seg in segs:
        if seg.card is not None:
            ints = [int(key) for key in seg.card.factors.keys() if key.isdigit()]  # noqa: SIM118
            k = max(k, max(ints, default=0) + 1)
    nr = k + 1
    mvalues, mok = months_table([s.card.months if s.card else None for s in segs])
    nm = len(mvalues) + 1
    month_code = np.zeros(MAX_MONTHS + 2, dtype=np.intp)
    for j, mv in enumerate(mvalues, start=1):
        month_code[mv] = j

    card_ok = np.zeros(ns, dtype=bool)
    gmh_obj = np.full((ns, nr), -1, dtype=object)
    gmf_obj = np.full(ns, -1, dtype=object)
    hit = np.full((ns, nc), -2, dtype=np.intp)
    smc_obj = np.zeros((ns, nc), dtype=object)
    for si, seg in enumerate(segs):
        card = seg.card
        if card is None:
            continue
        card_ok[si] = True
        first = card.rate * card.base
        keys = card.factors.keys()
        for r in range(1, nr):
            key = str(r) if str(r) in keys else keys[-1]
            gmh_obj[si, r] = round_half_up(first * card.factors[key])
        full = round_half_up(first)
        gmf_obj[si] = full
        for ci, cats in enumerate(classes):
            best = plan.card_hit(si, cats)
            if best is None:
                hit[si, ci] = -1
            else:
                hit[si, ci] = GROUP_CODE[best[0]]
                smc_obj[si, ci] = round_half_up(full * best[1])
    gmh, bad1 = _to_i64(gmh_obj, (ns, nr))
    gmf, bad2 = _to_i64(gmf_obj, (ns,))
    smc, bad3 = _to_i64(smc_obj, (ns, nc))
    card_ok &= ~bad1.any(axis=1) & ~bad2 & ~bad3.any(axis=1)

    def support_arrays(
        kind: ProductKind,
    ) -> list[tuple[LocalSupport, BoolArray, npt.NDArray[Any], npt.NDArray[Any]]]:
        out = []
        for sup in plan.local_supports:
            if sup.product is not kind or sup.province not in enc.provinces:
                continue
            app = np.zeros((ns, npv), dtype=bool)
            pcol = enc.provinces.index(sup.province) + 1
            for si, seg in enumerate(segs):
                if any(x is sup for x in seg.supports):
                    app[si, pcol] = True
            if not app.any():
                continue
            ratios = [_ratio(local_rate(sup, cats)) for cats in classes] + [(0, 1)]
            num = np.array([a for a, _ in ratios], dtype=object)
            den = np.array([b for _, b in ratios], dtype=object)
            if max(num.max(), den.max()) < _SAFE:
                num, den = num.astype(np.int64), den.astype(np.int64)
            out.append((sup, app, num, den))
        return out

    card_sup = tuple((app, num, den) for _, app, num, den in support_arrays(ProductKind.HEALTH_CARD))

    # books
    book_ok = np.zeros(ns, dtype=bool)
    floor = np.zeros(ns, dtype=np.int64)
    ceil = np.zeros(ns, dtype=np.int64)
    step = np.ones(ns, dtype=np.int64)
    ra = np.zeros(ns, dtype=np.int64)
    rb = np.ones(ns, dtype=np.int64)
    cap = np.zeros(ns, dtype=np.int64)
    bvalues, bmok = months_table([s.book.months if s.book else None for s in segs])
    bmonth_code = np.zeros(MAX_MONTHS + 2, dtype=np.intp)
    for j, mv in enumerate(bvalues, start=1):
        bmonth_code[mv] = j
    bsm_obj = np.zeros((ns, nc), dtype=object)
    bgroup = np.zeros((ns, nc), dtype=np.intp)
    base_obj = np.zeros(ns, dtype=object)
    for si, seg in enumerate(segs):
        book = seg.book
        if book is None:
            continue
        a, b = book.rate.numerator, book.rate.denominator
        if (
            a < 0
            or 2 * a * max(book.ceiling, 0) + b >= _SAFE
            or not all(fits_int64(v) for v in (book.floor, book.ceiling, book.step, book.cap))
        ):
            continue  # left to the scalar path
        book_ok[si] = True
        floor[si], ceil[si], step[si], cap[si] = book.floor, book.ceiling, book.step, book.cap
        ra[si], rb[si] = a, b
        base_obj[si] = round_half_up(book.rate * book.floor)
        for ci, cats in enumerate(classes):
            group, share = book_group(book, cats)
            bgroup[si, ci] = GROUP_CODE[group]
            bsm_obj[si, ci] = round_half_up(share * book.rate * book.floor)
    bsm, bad4 = _to_i64(bsm_obj, (ns, nc))
    base, bad5 = _to_i64(base_obj, (ns,))
    book_ok &= ~bad4.any(axis=1) & ~bad5
    bls = np.zeros((ns, nc, npv), dtype=np.int64)
    for _sup, app, num, den in support_arrays(ProductKind.SOCIAL_BOOK):
        amount = _mul_round(num[None, :], den[None, :], np.maximum(base, 0)[:, None])
        if amount is None:
            book_ok &= ~app.any(axis=1)
            continue
        bls += np.where(app[:, None, :], np.maximum(amount, 0)[:, :, None], 0)

    tables = _Tables(
        ns=ns,
        nc=nc,
        npv=npv,
        nr=nr,
        nm=nm,
        card_ok=card_ok,
        gmh=gmh,
        gmf=gmf,
        hit=hit,
        smc=smc,
        card_sup=card_sup,
        mvals=np.array([0, *mvalues], dtype=np.int64),
        mok=mok,
        month_code=month_code,
        book_ok=book_ok,
        floor=floor,
        ceil=ceil,
        step=step,
        ra=ra,
        rb=rb,
        cap=cap,
        bmok=bmok,
        bmonth_code=bmonth_code,
        bsm=bsm,
        bls=bls,
        bgroup=bgroup,
        dense=None,
    )
    if ns * nc * npv * nr * nm <= _DENSE_LIMIT:
        grid = np.indices((ns, nc, npv, nr, nm), dtype=np.intp).reshape(5, -1)
        tables = attrs.evolve(tables, dense=tables.card_entries(*grid))
    ss, sc, sp, sr = tables.strides
    daytab = plan.day_table(ss)
    return attrs.evolve(
        tables,
        day_lo=daytab[0] if daytab is not None else 0,
        day_off=daytab[1] if daytab is not None else None,
        cat_off=None if enc.cat_map is None else enc.cat_map * sc,
        prov_off=None if enc.prov_map is None else enc.prov_map * sp,
        rank_off=np.arange(nr, dtype=np.intp) * sr,
        raw=_raw_tables(plan, enc, tables, mvalues, month_code),
    )


def _provinces_matter(enc: Encoded, npv: int) -> bool:
    """Whether a row's province can change its price (a programme names it, or it is not a province)."""
    return enc.prov_map is not None and (npv > 2 or enc.has_invalid_province)


def _raw_tables(
    plan: PricingPlan, enc: Encoded, t: _Tables, mvalues: Sequence[int], month_code: Intp
) -> _RawTables | None:
    """Card entries over every (segment, raw category, raw province, rank, months) combination."""
    if enc.cat_map is not None:
        cat_map: Intp = enc.cat_map
    elif enc.cat_rows is not None:
        cat_map = np.arange(t.nc, dtype=np.intp)
    else:
        cat_map = np.zeros(1, dtype=np.intp)
    prov_map = enc.prov_map if enc.prov_map is not None and _provinces_matter(enc, t.npv) else None
    if prov_map is None:
        prov_map = np.zeros(1, dtype=np.intp)
    # months above the largest count any segment allows are all "not allowed" (code 0)
    n_month = (max(mvalues) if mvalues else 0) + 2
    month_map = month_code[:n_month]
    dims = (t.ns, len(cat_map), len(prov_map), t.nr, n_month)
    if int(np.prod(dims)) > _RAW_LIMIT:
        return None
    s, c, p, r, m = np.indices(dims, dtype=np.intp).reshape(5, -1)
    entries = t.card_entries(s, cat_map[c], prov_map[p], r, month_map[m])
    daytab = plan.day_table(int(np.prod(dims[1:])))
    if daytab is None:
        return None
    return _RawTables(
        entries=entries,
        day_lo=daytab[0],
        day_off=daytab[1],
        n_cat=len(cat_map),
        n_prov=len(prov_map),
        n_rank=t.nr,
        n_month=n_month,
    )


def _cached_tables(plan: PricingPlan, enc: Encoded) -> _Tables:
    """The tables for *enc*'s classes, built once per plan (a plan prices many batches alike)."""
    key = (
        enc.classes,
        enc.provinces,
        enc.has_invalid_province,
        None if enc.cat_map is None else enc.cat_map.tobytes(),
        None if enc.prov_map is None else enc.prov_map.tobytes(),
    )
    cache = plan.cache
    hit = cache.get(key)
    if isinstance(hit, _Tables):
        return hit
    tables = _build_tables(plan, enc)
    if len(cache) >= 64:
        cache.clear()
    cache[key] = tables
    return tables


# -- the batch loop ------------------------------------------------------------------


@attrs.frozen
class _Out:
    gross: I64
    state: I64
    local: I64
    payable: I64
    group: npt.NDArray[np.int8]

    def rows(self, sl: slice) -> tuple[I64, I64, I64, I64, npt.NDArray[np.int8]]:
        """Views of the five output columns over the rows *sl*."""
        return self.gross[sl], self.state[sl], self.local[sl], self.payable[sl], self.group[sl]


def _pool_array(n: int, dtype: type[np.integer[Any]]) -> Any:
    """An uninitialised numpy array in Arrow's memory pool (the output columns' future home).

    Arrow's allocator keeps freed memory for reuse, where numpy's large
    allocations come fresh from the operating system and fault in page by
    page: for a million rows that alone cost a third of the pricing time.
    """
    return np.frombuffer(pa.allocate_buffer(n * np.dtype(dtype).itemsize), dtype=dtype)


def _col(batch: pa.RecordBatch, name: str) -> pa.Array | None:
    idx = batch.schema.get_field_index(name)
    return None if idx < 0 else batch.column(idx)


def _cards_raw(
    batch: pa.RecordBatch,
    days: npt.NDArray[np.int32],
    months: I64,
    cls_rows: Intp | None,
    raw: _RawTables,
    no_local: bool,
    out: _Out,
    sl: slice,
    kernel: Callable[..., int] | None,
) -> bool:
    """Card figures of every row from the raw-code table: one date lookup, arithmetic, four gathers.

    Returns whether some row could not be priced here (its gross is -1).

    With a compiled *kernel* (see :mod:`ansinh.bulk._kernel`) that is one loop
    over the rows; otherwise the batch is worked through with numpy in chunks
    of :data:`_CHUNK` rows so that the temporaries stay in the CPU cache.
    """
    n = len(days)
    s_cat, s_prov, s_rank = raw.strides
    cats: npt.NDArray[np.integer[Any]] | None = cls_rows
    if cats is None and raw.n_cat > 1:
        cat_arr = _col(batch, CATEGORIES)
        assert cat_arr is not None
        cats = dict_codes(cat_arr, raw.n_cat - 1)
    provs = None
    if raw.n_prov > 1:
        prov_arr = _col(batch, PROVINCE)
        assert prov_arr is not None
        provs = dict_codes(prov_arr, raw.n_prov - 1)
    rank_arr = _col(batch, RANK)
    ranks = None if rank_arr is None else int_column(rank_arr, n, 1)[0]
    tg, ts, tl, tp, tgr = raw.entries
    if kernel is not None:
        none = np.zeros(0, dtype=np.int8)
        failed = kernel(
            days,
            raw.day_lo,
            raw.day_off,
            none if cats is None else cats,
            s_cat,
            none if provs is None else provs,
            s_prov,
            np.zeros(0, dtype=np.int64) if ranks is None else ranks,
            raw.n_rank,
            s_rank,
            months,
            raw.n_month,
            tg,
            ts,
            tl,
            tp,
            tgr,
            no_local,
            out.gross[sl],
            out.state[sl],
            out.local[sl],
            out.payable[sl],
            out.group[sl],
        )
        return failed > 0
    # months as unsigned: negative counts become huge and land on the last ("not allowed") code
    umonths = months.view(np.uint64)
    size = max(1, min(n, _CHUNK))
    suspect = False
    key_buf = np.empty(size, dtype=np.intp)
    tmp_buf = np.empty(size, dtype=np.intp)
    for lo in range(0, n, size):
        hi = min(lo + size, n)
        key, a = key_buf[: hi - lo], tmp_buf[: hi - lo]
        np.subtract(days[lo:hi], raw.day_lo, out=a, dtype=np.intp, casting="unsafe")
        np.take(raw.day_off, a, out=key, mode="clip")
        if cats is not None:
            np.multiply(cats[lo:hi], s_cat, out=a, dtype=np.intp, casting="unsafe")
            key += a
        if provs is not None:
            np.multiply(provs[lo:hi], s_prov, out=a, dtype=np.intp, casting="unsafe")
            key += a
        if ranks is not None:
            np.maximum(ranks[lo:hi], 0, out=a)
            np.minimum(a, raw.n_rank - 1, out=a)
            a *= s_rank
            key += a
        else:
            key += s_rank
        np.minimum(umonths[lo:hi], raw.n_month - 1, out=a.view(np.uint64))
        key += a
        rows = slice(sl.start + lo, sl.start + hi)
        gross, state, payable = out.gross[rows], out.state[rows], out.payable[rows]
        np.take(tg, key, out=gross, mode="clip")
        np.take(ts, key, out=state, mode="clip")
        if no_local:  # the local column is already zero
            np.subtract(gross, state, out=payable)
        else:
            np.take(tl, key, out=out.local[rows], mode="clip")
            np.take(tp, key, out=payable, mode="clip")
        np.take(tgr, key, out=out.group[rows], mode="clip")
        suspect = suspect or bool(gross.min() < 0)
    return suspect


def _cards_by_class(
    batch: pa.RecordBatch,
    days: npt.NDArray[np.int32],
    months: I64,
    cls_rows: Intp | None,
    plan: PricingPlan,
    enc: Encoded,
    t: _Tables,
    out: _Out,
    sl: slice,
) -> bool:
    """Card figures keyed by (segment, class, province class, rank, month code): for large code spaces.

    Returns whether some row could not be priced here (its gross is -1).
    """
    n = len(days)
    ss, sc, sp, sr = t.strides
    key = np.empty(n, dtype=np.intp)
    a = np.empty(n, dtype=np.intp)
    if t.day_off is not None:
        np.subtract(days, t.day_lo, out=a, dtype=np.intp, casting="unsafe")
        np.take(t.day_off, a, out=key, mode="clip")
    else:
        np.multiply(plan.segments_of_days(days), ss, out=key)
    cat_arr = _col(batch, CATEGORIES)
    if cls_rows is not None:
        np.multiply(cls_rows, sc, out=a)
        key += a
    elif t.cat_off is not None and cat_arr is not None:
        np.take(t.cat_off, dict_codes(cat_arr, len(t.cat_off) - 1), out=a, mode="clip")
        key += a
    prov_arr = _col(batch, PROVINCE)
    if t.prov_off is not None and prov_arr is not None and _provinces_matter(enc, t.npv):
        np.take(t.prov_off, dict_codes(prov_arr, len(t.prov_off) - 1), out=a, mode="clip")
        key += a
    rank_arr = _col(batch, RANK)
    if rank_arr is not None:
        rank, _ = int_column(rank_arr, n, 1)
        assert t.rank_off is not None
        np.take(t.rank_off, rank, out=a, mode="clip")
        key += a
    else:
        key += sr
    np.take(t.month_code, months, out=a, mode="clip")
    key += a
    gross, state, local, payable, group = out.rows(sl)
    if t.dense is not None:
        tg, ts, tl, tp, tgr = t.dense
        np.take(tg, key, out=gross, mode="clip")
        np.take(ts, key, out=state, mode="clip")
        if not t.no_local:  # else the output is already zero
            np.take(tl, key, out=local, mode="clip")
        np.take(tp, key, out=payable, mode="clip")
        np.take(tgr, key, out=group, mode="clip")
    else:
        uniq, inv = np.unique(key, return_inverse=True)
        comps = []
        rest = uniq
        for stride in (ss, sc, sp, sr):
            q, rest = np.divmod(rest, stride)
            comps.append(q)
        comps.append(rest)
        eg, es, el, ep, egr = t.card_entries(*comps)
        np.take(eg, inv, out=gross)
        np.take(es, inv, out=state)
        np.take(el, inv, out=local)
        np.take(ep, inv, out=payable)
        np.take(egr, inv, out=group)
    return bool(gross.min(initial=0) < 0)


def _price_batch(
    batch: pa.RecordBatch,
    offset: int,
    plan: PricingPlan,
    enc: Encoded,
    t: _Tables,
    out: _Out,
    kernel: Callable[..., int] | None = None,
) -> Intp:
    """Price one batch into ``out[offset:offset+len]``; return the rows left to the scalar path."""
    n = batch.num_rows
    sl = slice(offset, offset + n)
    gross, state, local, payable, group = out.rows(sl)
    date_arr = batch.column(batch.schema.get_field_index(DATE))
    days_arr = date_arr.view(pa.int32())
    date_nulls = None
    if date_arr.null_count:
        date_nulls = date_arr.is_null().to_numpy(zero_copy_only=False)
        days_arr = days_arr.fill_null(0)
    days = days_arr.to_numpy(zero_copy_only=False)
    months, months_nulls = int_column(batch.column(batch.schema.get_field_index(MONTHS)), n, 0)
    cls_rows = None if enc.cat_rows is None else enc.cat_rows[sl]
    # "suspect": some row may have been left to the scalar path (marked by gross = -1)
    if t.raw is not None:
        suspect = _cards_raw(batch, days, months, cls_rows, t.raw, t.no_local, out, sl, kernel)
    else:
        suspect = _cards_by_class(batch, days, months, cls_rows, plan, enc, t, out, sl)

    # products other than cards
    prod_arr = batch.column(batch.schema.get_field_index(PRODUCT))
    if prod_arr.null_count or (enc.kind_map[:-1] != 0).any():
        suspect = True
        kind = enc.kind_map.take(dict_indices(prod_arr, len(enc.kind_map) - 1), mode="clip")
        books = np.flatnonzero(kind == 1)
        if books.size:
            _price_books(batch, books, days, cls_rows, plan, enc, t, gross, state, local, payable, group)
        gross[kind == 2] = -1
    used_arr = _col(batch, USED)
    if used_arr is not None:
        used, _ = int_column(used_arr, n, 0)
        if used.min(initial=0) < 0:
            suspect = True
            gross[used < 0] = -1
    if date_nulls is not None:
        suspect = True
        gross[date_nulls] = -1
    if months_nulls is not None:
        suspect = True
        gross[months_nulls] = -1
    if suspect:
        return np.flatnonzero(gross < 0) + offset
    return np.zeros(0, dtype=np.intp)


def _price_books(
    batch: pa.RecordBatch,
    rows: Intp,
    days: npt.NDArray[np.int32],
    cls_rows: Intp | None,
    plan: PricingPlan,
    enc: Encoded,
    t: _Tables,
    gross: I64,
    state: I64,
    local: I64,
    payable: I64,
    group: npt.NDArray[np.int8],
) -> None:
    n = batch.num_rows
    s = plan.segments_of_days(days[rows])
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
    months_all, _ = int_column(batch.column(batch.schema.get_field_index(MONTHS)), n, 0)
    m = months_all[rows]
    inc_all, inc_nulls = int_column(_col(batch, INCOME), n, 0)
    inc_null = (
        np.ones(len(rows), dtype=bool)
        if _col(batch, INCOME) is None
        else (inc_nulls[rows] if inc_nulls is not None else np.zeros(len(rows), dtype=bool))
    )
    used_all, _ = int_column(_col(batch, USED), n, 0)
    used = used_all[rows]
    floor = t.floor[s]
    inc = np.where(inc_null, floor, inc_all[rows])
    ok = (
        t.book_ok[s]
        & t.bmok[s, t.bmonth_code.take(m, mode="clip")]
        & (c != t.nc - 1)
        & (p != t.npv - 1)
        & (used >= 0)
        & (inc_null | (inc > 0))
        & (inc >= floor)
        & (inc <= t.ceil[s])
    )
    ok &= (inc - floor) % t.step[s] == 0
    inc = np.where(ok, inc, 0)
    rb = t.rb[s]
    gm = (2 * t.ra[s] * inc + rb) // (2 * rb)
    sm = t.bsm[s, c]
    lm = np.maximum(0, np.minimum(t.bls[s, c, p], gm - sm))
    mm = np.where(ok, m, 0)
    supported = np.minimum(np.maximum(t.cap[s] - used, 0), mm)
    g = gm * mm
    st = sm * supported
    lo = lm * supported
    gross[rows] = np.where(ok, g, -1)
    state[rows] = st
    local[rows] = lo
    payable[rows] = g - st - lo
    group[rows] = t.bgroup[s, c].astype(np.int8)


# -- the scalar path -----------------------------------------------------------------


def _scalar(
    row: Mapping[str, Any], plan: PricingPlan, extra: Sequence[LocalSupport] = ()
) -> tuple[int, int, int, int, str] | str:
    """Price one row with :func:`ansinh.core.pricing.price`; the quote's figures or the error text."""
    try:
        kind = row.get(PRODUCT)
        months = row.get(MONTHS)
        product: HealthCard | SocialBook
        if kind == ProductKind.HEALTH_CARD.value:
            rank = row.get(RANK)
            product = HealthCard(months=months, household_rank=1 if rank is None else rank)  # type: ignore[arg-type]
        elif kind == ProductKind.SOCIAL_BOOK.value:
            product = SocialBook(months=months, monthly_income=row.get(INCOME))  # type: ignore[arg-type]
        else:
            raise InvalidValueError("product", kind, "'health_card' or 'social_book'")
        province = row.get(PROVINCE)
        used = row.get(USED)
        person = Person(
            id="bulk-row",
            full_name="bulk row",
            date_of_birth=_DOB,
            province=province if province is not None else "01",
            categories=category_items(row.get(CATEGORIES)),
            vsi_supported_months=0 if used is None else used,
        )
        supports = (*plan.local_supports, *extra) if province is not None else ()
        q = _pricing.price(product, person, on=row.get(DATE), law=plan.law, local_supports=supports)  # type: ignore[arg-type]
    except AnsinhError as exc:
        return str(exc)
    figures = (q.gross, q.state_support, q.local_support, q.payable)
    if not all(fits_int64(v) for v in figures):
        return f"gross={q.gross!r} is not allowed: amounts that fit in int64"
    return (*figures, q.group)


# -- public ----------------------------------------------------------------------------


def price_batches(
    table: pa.Table,
    plan: PricingPlan,
    *,
    row_supports: RowSupports | None = None,
    batch_rows: int = _BATCH_ROWS,
    threads: int = 1,
    engine: str = "auto",
) -> pa.Table:
    """Price an Arrow table with a prepared *plan* (see :func:`price_table`)."""
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise InvalidValueError("threads", threads, "a whole number of threads >= 1")
    if isinstance(batch_rows, bool) or not isinstance(batch_rows, int) or batch_rows < 1:
        raise InvalidValueError("batch_rows", batch_rows, "a whole number of rows >= 1")
    kernel = _engine(engine, table.num_rows)
    if row_supports is not None and not callable(row_supports):
        raise InvalidValueError("row_supports", row_supports, "None or a callable (row) -> LocalSupports")
    enc = encode(table, frozenset(s.province for s in plan.local_supports))
    t = _cached_tables(plan, enc)
    data = enc.table
    n = data.num_rows
    # no programme applies: the local column stays zero (calloc'd pages cost nothing until read)
    local = np.zeros(n, dtype=np.int64) if t.no_local else _pool_array(n, np.int64)
    out = _Out(
        gross=_pool_array(n, np.int64),
        state=_pool_array(n, np.int64),
        local=local,
        payable=_pool_array(n, np.int64),
        group=_pool_array(n, np.int8),
    )
    jobs = []
    offset = 0
    for batch in data.to_batches(max_chunksize=batch_rows):
        jobs.append((batch, offset))
        offset += batch.num_rows
    if threads > 1 and len(jobs) > 1:
        # numpy and Arrow release the GIL; every batch writes its own slice of the output
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            slow = list(pool.map(lambda job: _price_batch(job[0], job[1], plan, enc, t, out, kernel), jobs))
    else:
        slow = [_price_batch(batch, off, plan, enc, t, out, kernel) for batch, off in jobs]
    errors: dict[int, str] = {}
    memo: dict[tuple[Any, ...], tuple[int, int, int, int, str] | str] = {}
    rows = np.concatenate(slow) if slow else np.zeros(0, dtype=np.intp)

    def settle(i: int, row: Mapping[str, Any], extra: Sequence[LocalSupport]) -> None:
        memo_key = (
            tuple((k, str(v)) for k, v in row.items() if k in _INPUT_NAMES),
            tuple(id(s) for s in extra),
        )
        hit = memo.get(memo_key)
        if hit is None:
            hit = memo[memo_key] = _scalar(row, plan, extra)
        if isinstance(hit, str):
            errors[i] = hit
        else:
            out.gross[i], out.state[i], out.local[i], out.payable[i] = hit[:4]
            out.group[i] = GROUP_CODE[hit[4]]
            errors.pop(i, None)

    if rows.size:
        names = [c for c in data.column_names if c in _INPUT_NAMES]
        picked = data.select(names).take(pa.array(rows))
        for i, row in zip(rows.tolist(), picked.to_pylist(), strict=True):
            settle(i, row, ())
    if row_supports is not None:
        for i, row in enumerate(_iter_rows(data)):
            extra = tuple(row_supports(row))
            for s in extra:
                if not isinstance(s, LocalSupport):
                    raise InvalidValueError("row_supports", s, "LocalSupport objects")
            if extra:
                settle(i, row, extra)
    return _assemble(table, out, errors)


ENGINES: Final = ("auto", "numpy", "numba")
"""Values of ``engine=``: see :func:`price_table`."""
_JIT_MIN_ROWS: Final = 1 << 16


def _engine(engine: object, rows: int) -> Callable[..., int] | None:
    """The compiled card loop to use, or ``None`` for the numpy passes."""
    if engine not in ENGINES:
        raise InvalidValueError("engine", engine, "'auto', 'numpy' or 'numba'")
    if engine == "numpy":
        return None
    kernel = _kernel.card_kernel()
    if engine == "numba":
        if kernel is None:
            raise InvalidValueError(
                "engine", engine, "'auto' or 'numpy': Numba is not installed (ansinh[fast])"
            )
        return kernel
    return kernel if rows >= _JIT_MIN_ROWS else None


_INPUT_NAMES: Final = frozenset({DATE, PRODUCT, MONTHS, RANK, CATEGORIES, PROVINCE, INCOME, USED})


def _iter_rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    for batch in table.to_batches(max_chunksize=_BATCH_ROWS):
        yield from batch.to_pylist()


def _assemble(table: pa.Table, out: _Out, errors: Mapping[int, str]) -> pa.Table:
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


def price_table(
    table: object,
    *,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    row_supports: RowSupports | None = None,
    plan: PricingPlan | None = None,
    threads: int = 1,
    engine: str = "auto",
) -> pa.Table:
    """Price every row of a roster exactly as :func:`ansinh.core.pricing.price` would.

    Each row is one person buying one product on the row's own date; the law
    in force on that date prices it.  See ``docs/howto/bulk.md`` for the
    schema.

    Args:
        table: a ``pyarrow.Table`` (or a pandas / polars DataFrame, a
            ``RecordBatch``, or a dict of column arrays) with the columns
            ``date`` (date32), ``product`` (``"health_card"`` /
            ``"social_book"``), ``months`` and optionally ``household_rank``,
            ``categories`` (list of strings, or one ``";"``-separated
            string), ``province``, ``monthly_income`` and
            ``vsi_supported_months`` (integers; null means the scalar default).
        law: the parameters (default: the shipped law).
        local_supports: provincial top-ups (as for the scalar ``price``).
        plugins: as for :func:`ansinh.price`: ``None`` (the default) for the
            installed plugins' programmes, ``False`` for none, or a plugin host.
        row_supports: a slow per-person source of extra programmes, called
            once per row; rows for which it returns programmes are priced by
            the scalar path one at a time.
        plan: a prepared :func:`make_plan` (then *law*, *local_supports* and
            *plugins* must be left out).
        threads: price batches on this many threads (numpy and Arrow release
            the GIL); 1 by default, since Dask and other engines parallelise
            on their own.
        engine: how health cards are looked up: ``"numpy"`` (whole-column
            numpy passes), ``"numba"`` (one compiled loop; needs the
            ``ansinh[fast]`` extra) or ``"auto"`` (the default: Numba when it
            is installed and the table has at least 65,536 rows, so that
            small tables never wait for a first compilation).  All three give
            identical results.

    Returns:
        The input table plus ``gross``, ``state_support``, ``local_support``,
        ``payable`` (int64 đồng; null where the row could not be priced),
        ``group`` (the contribution group) and ``error`` (null, or the
        scalar path's error text for that row).

    Raises:
        InvalidValueError: the table lacks a required column, a column has
            the wrong type, or an argument is malformed.  Bad *rows* never
            raise: they get an ``error``.

    >>> import datetime as dt, pyarrow as pa
    >>> t = pa.table({"date": [dt.date(2025, 1, 1)] * 2, "product": ["health_card"] * 2,
    ...               "months": [12, 5], "household_rank": [2, 1]})
    >>> r = price_table(t)
    >>> r.column("payable").to_pylist(), r.column("error").to_pylist()[1][:9]
    ([884520, None], 'months=5 ')
    """
    if plan is None:
        plan = make_plan(law, local_supports, plugins)
    elif law is not None or local_supports or plugins not in (None, False):
        raise InvalidValueError("plan", plan, "alone, without law=, local_supports= or plugins=")
    elif not isinstance(plan, PricingPlan):
        raise InvalidValueError("plan", plan, "a plan from ansinh.bulk.make_plan")
    return price_batches(to_table(table), plan, row_supports=row_supports, threads=threads, engine=engine)
