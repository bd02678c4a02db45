"""Exact columnar pricing: :func:`price_table`.

Every row is priced exactly as :func:`ansinh.core.pricing.price` prices that
person's product on that row's date, with figures the core's own rule
functions computed once per law segment and price class
(:mod:`ansinh.bulk._figures`).  Health cards are one table lookup per row
(:mod:`ansinh.bulk._cards`, in NumPy or as one compiled loop); books, whose
contribution depends on each person's chosen income, are computed with
exact int64 arithmetic per row (:mod:`ansinh.bulk._books`).  Rows the fast
path cannot price (bad values, dates the law does not cover, arithmetic
that would leave int64) go through the scalar
:func:`~ansinh.core.pricing.price` one by one, which either prices them or
gives the error text reported in the ``error`` column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt
import pluggy
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.api import commune_lists_of, resolve_law, resolve_plugins
from ansinh.bulk import _kernel, _law_tables
from ansinh.bulk._books import price_books
from ansinh.bulk._cards import CardSpace, Codebook, card_space, price_cards
from ansinh.bulk._figures import Figures, figures
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
    _date_column,
    category_items,
    dict_indices,
    encode,
    int_column,
    to_table,
)
from ansinh.bulk._law_tables import GROUP_CODE, PricingPlan, fits_int64
from ansinh.bulk._output import OUTPUT_COLUMNS, Out, assemble
from ansinh.core import pricing as _pricing
from ansinh.core.dates import is_date
from ansinh.core.law import Law
from ansinh.core.people import Category, Person, age_on
from ansinh.core.pricing import HOUSEHOLD_GROUP, LocalSupport
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.exceptions import AnsinhError, InvalidValueError
from ansinh.plugin_manager import PluginHost

__all__ = [
    "ADDRESS_COLUMNS",
    "ENGINES",
    "GROUP_NAMES",
    "OUTPUT_COLUMNS",
    "RowSupports",
    "make_plan",
    "price_batches",
    "price_table",
]

Intp = npt.NDArray[np.intp]

RowSupports: TypeAlias = Callable[[Mapping[str, Any]], Sequence[LocalSupport]]
"""A per-person local-support source: called with one row's input values
(column name → Python value), returns the extra programmes for that person."""

GROUP_NAMES: Final = _law_tables.GROUP_NAMES
"""The values the ``group`` column can take: category codes, ``household`` and ``other``."""

_BATCH_ROWS: Final = 1 << 18
_DOB: Final = dt.date(1970, 1, 1)
"""A placeholder the row's Person is checked with; pricing reads the row as :class:`_Row` (no date of birth)."""
_INPUT_NAMES: Final = frozenset(
    {DATE, PRODUCT, MONTHS, RANK, CATEGORIES, PROVINCE, INCOME, USED, "date_of_birth"}
)


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
    law = resolve_law(law)
    if isinstance(local_supports, LocalSupport | str) or not isinstance(local_supports, Sequence):
        raise InvalidValueError("local_supports", local_supports, "a sequence of LocalSupport")
    supports = list(local_supports)
    host = resolve_plugins(plugins)
    if host is not None:
        supports.extend(host.all_local_supports())
    for s in supports:
        if not isinstance(s, LocalSupport):
            raise InvalidValueError("local_supports", s, "LocalSupport objects")
    return PricingPlan.build(law, supports, commune_lists_of(host))


# -- one batch -----------------------------------------------------------------------


def _days(batch: pa.RecordBatch) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_] | None]:
    """The day numbers of a batch's dates (null: 0) and the null mask."""
    date_arr = batch.column(batch.schema.get_field_index(DATE))
    days_arr = date_arr.view(pa.int32())
    nulls = None
    if date_arr.null_count:
        nulls = date_arr.is_null().to_numpy(zero_copy_only=False)
        days_arr = days_arr.fill_null(0)
    days: npt.NDArray[np.int32] = days_arr.to_numpy(zero_copy_only=False)
    return days, nulls


def _price_batch(
    batch: pa.RecordBatch,
    offset: int,
    plan: PricingPlan,
    enc: Encoded,
    figs: Figures,
    space: CardSpace,
    out: Out,
    kernel: Callable[..., int] | None = None,
) -> Intp:
    """Price one batch into ``out[offset:offset+len]``; return the rows left to the scalar path."""
    n = batch.num_rows
    rows = out.rows(slice(offset, offset + n))
    gross = rows[0]
    days, date_nulls = _days(batch)
    months, months_nulls = int_column(batch.column(batch.schema.get_field_index(MONTHS)), n, 0)
    cls_rows = None if enc.cat_rows is None else enc.cat_rows[offset : offset + n]
    # every row is priced as a card first; "suspect": some row is marked (gross -1) for the scalar path
    suspect = price_cards(batch, days, months, cls_rows, enc, space, plan, rows, figs.no_local, kernel)
    prod_arr = batch.column(batch.schema.get_field_index(PRODUCT))
    if prod_arr.null_count or (enc.kind_map[:-1] != 0).any():
        suspect = True
        kind = enc.kind_map.take(dict_indices(prod_arr, len(enc.kind_map) - 1), mode="clip")
        books = np.flatnonzero(kind == 1)
        if books.size:
            price_books(batch, books, days, cls_rows, plan, enc, figs.book, rows)
        gross[kind == 2] = -1
    used_idx = batch.schema.get_field_index(USED)
    if used_idx >= 0:
        used, _ = int_column(batch.column(used_idx), n, 0)
        if used.min(initial=0) < 0:
            suspect = True
            gross[used < 0] = -1
    for nulls in (date_nulls, months_nulls):
        if nulls is not None:
            suspect = True
            gross[nulls] = -1
    if suspect:
        return np.flatnonzero(gross < 0) + offset
    return np.zeros(0, dtype=np.intp)


# -- the scalar path -----------------------------------------------------------------


@attrs.frozen
class _Row:
    """A bulk row as pricing reads it: no address, so no area-keyed programme applies to it (as the
    columnar path computes), and a date of birth only where a programme for an age band may cover it."""

    categories: frozenset[Category]
    province: str
    vsi_supported_months: int
    date_of_birth: dt.date | None = None


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
        born = row.get(BORN) if any(s.age_keyed for s in plan.local_supports) else None
        who = _Row(person.categories, person.province, person.vsi_supported_months, born)
        q = _pricing.price(product, who, on=row.get(DATE), law=plan.law, local_supports=supports)  # type: ignore[arg-type]
    except AnsinhError as exc:
        return str(exc)
    figures = (q.gross, q.state_support, q.local_support, q.payable)
    if not all(fits_int64(v) for v in figures):
        return f"gross={q.gross!r} is not allowed: amounts that fit in int64"
    return (*figures, q.group)


def _settle(
    data: pa.Table, rows: Intp, row_supports: RowSupports | None, plan: PricingPlan, out: Out
) -> dict[int, str]:
    """Price *rows* (and every row *row_supports* gives programmes) by the scalar path.

    Writes their figures into *out*; returns the error text of each row it could not price.
    """
    errors: dict[int, str] = {}
    memo: dict[tuple[Any, ...], tuple[int, int, int, int, str] | str] = {}

    def settle(i: int, row: Mapping[str, Any], extra: Sequence[LocalSupport]) -> None:
        memo_key = (
            tuple((k, str(v)) for k, v in row.items() if k in _INPUT_NAMES and k != BORN),
            _age_key(row),
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
    return errors


def _age_key(row: Mapping[str, Any]) -> object:
    """What a row's date of birth changes in its price: its age on the row's date (pricing reads
    nothing else of it), so rows of one age share a memo entry; the value itself if not dates."""
    born, day = row.get(BORN), row.get(DATE)
    if born is None:
        return None
    if isinstance(born, dt.date) and isinstance(day, dt.date) and is_date(born) and is_date(day):
        return age_on(born, day)
    return str(born)


def _iter_rows(table: pa.Table) -> Iterator[dict[str, Any]]:
    for batch in table.to_batches(max_chunksize=_BATCH_ROWS):
        yield from batch.to_pylist()


# -- public ----------------------------------------------------------------------------


LEFT_POVERTY: Final = "left_poverty_on"
"""A column bulk pricing does not read: with a group limited in months in the plan it refuses it."""
ADDRESS_COLUMNS: Final = ("commune", "district", "former_province")
"""Address columns bulk pricing does not read: with an area-keyed programme or a commune list in
the plan it refuses them."""
BORN: Final = "date_of_birth"
"""An optional column (date32): bulk pricing reads it only for the rows a programme for an age band
may cover (their province, product and dates), which it prices on the scalar path with the date
of birth; without it (or null) a row's age is not known and no age-banded group applies."""


def _refuse_ages(plan: PricingPlan) -> None:
    """Refuse what bulk pricing cannot express about age groups: a "household" top-up outside an age band."""
    for s in plan.local_supports:
        rated = s.for_person(None, s.effective)
        if rated is not None and rated.rates.get(HOUSEHOLD_GROUP) is not None:
            raise InvalidValueError(
                "local_supports",
                s.code,
                "programmes bulk pricing can apply: a 'household' rate outside an age band depends on "
                "each row's state-support group; price with ansinh.price",
            )


def _refuse_addresses(table: pa.Table, plan: PricingPlan) -> None:
    """Refuse a table with an address column when a programme or a list reads addresses (bulk rows have none)."""
    _refuse_ages(plan)
    keyed = [s.code for s in plan.local_supports if s.area_keyed] + [c.code for c in plan.commune_lists]
    given = [c for c in ADDRESS_COLUMNS if c in table.column_names]
    limited = [s.code for s in plan.local_supports if s.group_months]
    if limited and LEFT_POVERTY in table.column_names:
        raise InvalidValueError(
            LEFT_POVERTY,
            "column",
            "no left_poverty_on column: bulk rows are priced as people whose day out of poverty is not "
            "known, as groups limited in months (" + ", ".join(limited) + ") cannot be checked; price "
            "such people with ansinh.price",
        )
    if keyed and given:
        raise InvalidValueError(
            given[0],
            "column",
            "no address column: bulk pricing applies no area-keyed programme or commune list ("
            + ", ".join(keyed)
            + "); price people with an address with ansinh.price",
        )


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
    _refuse_addresses(table, plan)
    enc = encode(table, frozenset(s.province for s in plan.local_supports))
    figs = figures(plan, enc.classes, enc.provinces)
    space = card_space(plan, Codebook.of(enc))
    data = enc.table
    out = Out.allocate(data.num_rows, zero_local=figs.no_local)
    jobs = []
    offset = 0
    for batch in data.to_batches(max_chunksize=batch_rows):
        jobs.append((batch, offset))
        offset += batch.num_rows

    def run(job: tuple[pa.RecordBatch, int]) -> Intp:
        return _price_batch(job[0], job[1], plan, enc, figs, space, out, kernel)

    if threads > 1 and len(jobs) > 1:
        # numpy, Arrow and the compiled loop release the GIL; every batch writes its own slice
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            slow = list(pool.map(run, jobs))
    else:
        slow = [run(job) for job in jobs]
    rows = np.concatenate(slow) if slow else np.zeros(0, dtype=np.intp)
    data, aged = _aged_rows(data, plan)  # before _settle: it reads the dates of birth as dates
    if aged.size:
        rows = np.union1d(rows, aged).astype(np.intp)
    return assemble(table, out, _settle(data, rows, row_supports, plan, out))


def _aged_rows(data: pa.Table, plan: PricingPlan) -> tuple[pa.Table, Intp]:
    """The rows with a date of birth that a programme for an age band may cover (the scalar path prices
    them with it), and *data* with its date-of-birth column as dates."""
    aged = [s for s in plan.local_supports if s.age_keyed]
    none = np.zeros(0, dtype=np.intp)
    if not aged or BORN not in data.column_names:
        return data, none
    data = _date_column(data, BORN)
    if PROVINCE not in data.column_names:
        return data, none
    province = pc.cast(data.column(PROVINCE), pa.string())
    product = pc.cast(data.column(PRODUCT), pa.string())
    day = data.column(DATE)
    hit = pa.chunked_array([pa.array(np.zeros(data.num_rows, dtype=bool))])
    for s in aged:
        m = pc.and_(pc.equal(province, s.province), pc.equal(product, s.product.value))
        m = pc.and_(m, pc.greater_equal(day, pa.scalar(s.effective, pa.date32())))
        if s.until is not None:
            m = pc.and_(m, pc.less_equal(day, pa.scalar(s.until, pa.date32())))
        hit = pc.or_(hit, pc.fill_null(m, False))
    hit = pc.and_(hit, pc.is_valid(data.column(BORN)))
    return data, np.flatnonzero(hit.to_numpy(zero_copy_only=False)).astype(np.intp)


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
            ``vsi_supported_months`` (integers; null means the scalar default),
            and ``date_of_birth`` (date32), read only for the rows a programme for
            an age band (:attr:`~ansinh.LocalSupport.group_ages`) may cover, which
            are priced by the scalar path with it; without it a row's age is not
            known and no age-banded group applies.
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
