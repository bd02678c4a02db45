"""The monthly figures of every (law segment, price class), filled by the core's own rules.

For each segment of a :class:`~ansinh.bulk.PricingPlan` and each category
class of a table, the figures are what :func:`ansinh.core.pricing.price`
computes, by the same functions: :func:`~ansinh.core.pricing.card_support_group`,
:func:`~ansinh.core.pricing.card_monthly` (with the household factor of each
rank), :func:`~ansinh.core.pricing.book_support_group`,
:func:`~ansinh.core.pricing.book_monthly_support`, and each programme's
:meth:`~ansinh.core.pricing.LocalSupport.rate_for` over
:func:`~ansinh.core.pricing.support_groups`.  Anything the core refuses
(a value not in force, an amount beyond int64) leaves the entry out, and
rows that need it go to the scalar path, which gives the error.

Only what depends on each row is computed here with arrays: the period's
multiple of a monthly amount, a book's contribution on the chosen income,
and the local top-ups (each ``round_half_up(rate × base)``, together capped
at what the state leaves, as :func:`~ansinh.core.pricing.price` caps them).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from ansinh.bulk._law_tables import GROUP_CODE, PricingPlan, Segment, fits_int64
from ansinh.core.law import LawPeriod
from ansinh.core.people import Category
from ansinh.core.pricing import (
    HOUSEHOLD_GROUP,
    LocalSupport,
    book_monthly_support,
    book_support_group,
    card_monthly,
    card_support_group,
    household_rank_limit,
    support_groups,
)
from ansinh.core.products import MAX_MONTHS, ProductKind
from ansinh.exceptions import AnsinhError

__all__ = ["BookFigures", "CardFigures", "Entries", "Figures", "figures"]

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
Intp = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
Entries = tuple[I64, I64, I64, I64, I8]
"""Gross, state support, local support, payable (-1: the scalar path decides) and group code."""

_INT64_MAX: Final = 2**63 - 1
_SAFE: Final = 1 << 55


def mul_round(num: npt.NDArray[Any], den: npt.NDArray[Any], x: I64) -> I64 | None:
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
class Months:
    """Allowed payment periods per segment and group, as codes: 0 for every count none allows."""

    values: I64
    """Code → month count (code 0: 0)."""
    ok: BoolArray
    """``ok[segment, group, code]``: the count is allowed in that segment for that group
    (a card's group code; 0 for a book)."""
    code: Intp
    """Month count (0 to ``MAX_MONTHS + 1``) → code."""

    @classmethod
    def build(cls, allowed: Sequence[Sequence[tuple[int, ...] | None]]) -> Months:
        """The codes of the counts any segment allows to any group (``None``: it allows none)."""
        values = sorted(
            {m for groups in allowed for months in groups if months for m in months if 1 <= m <= MAX_MONTHS}
        )
        n_groups = max((len(groups) for groups in allowed), default=1)
        ok = np.zeros((len(allowed), n_groups, len(values) + 1), dtype=bool)
        for s, groups in enumerate(allowed):
            for g, months in enumerate(groups):
                for j, m in enumerate(values, start=1):
                    ok[s, g, j] = months is not None and m in months
        code = np.zeros(MAX_MONTHS + 2, dtype=np.intp)
        code[values] = np.arange(1, len(values) + 1)
        return cls(np.array([0, *values], dtype=np.int64), ok, code)

    @property
    def largest(self) -> int:
        """The largest count any segment allows (0 if none)."""
        return int(self.values[-1])


@attrs.frozen(eq=False)
class Programme:
    """Where one local-support programme applies, and its rate for each category class."""

    applies: BoolArray
    """``applies[segment, province class]``."""
    num: npt.NDArray[Any]
    den: npt.NDArray[Any]
    """Rate of each category class as ``num / den`` (the invalid class: 0)."""


def _programmes(
    plan: PricingPlan, kind: ProductKind, classes: Sequence[frozenset[Category]], provinces: Sequence[str]
) -> tuple[Programme, ...]:
    ns, npv = len(plan.segments), len(provinces) + 2
    out = []
    for sup in plan.local_supports:
        # a bulk row has no address, so (as in the row's scalar path) an area-keyed programme never covers it
        if sup.product is not kind or sup.province not in provinces or sup.area_keyed:
            continue
        # nor a date of birth: an age-banded group never applies to it (the row's scalar path agrees)
        rated = sup.for_person(None, sup.effective)
        if rated is None:
            continue
        applies = np.zeros((ns, npv), dtype=bool)
        column = provinces.index(sup.province) + 1
        for si, seg in enumerate(plan.segments):
            applies[si, column] = any(x is sup for x in seg.supports)
        if not applies.any():
            continue
        rates = [_rate(rated, cats) for cats in classes] + [Fraction(0)]
        num = np.array([max(r.numerator, 0) for r in rates], dtype=object)
        den = np.array([r.denominator for r in rates], dtype=object)
        if max(num.max(), den.max()) < _SAFE:
            num, den = num.astype(np.int64), den.astype(np.int64)
        out.append(Programme(applies, num, den))
    return tuple(out)


def _rate(sup: LocalSupport, cats: frozenset[Category]) -> Fraction:
    hit = sup.rate_for(support_groups(cats))
    return Fraction(0) if hit is None else hit[1]


@attrs.frozen(eq=False)
class CardFigures:
    """Monthly health-card figures per (segment, category class, rank code), and what multiplies them.

    Rank codes: 0 is not a rank, ``1 … n_ranks - 2`` are themselves and
    ``n_ranks - 1`` stands for every later rank (they pay the same factor:
    :func:`~ansinh.core.pricing.household_rank_limit`).
    """

    ok: BoolArray
    gross: I64
    state: I64
    group: I8
    months: Months
    programmes: tuple[Programme, ...]
    n_provinces: int

    @property
    def n_ranks(self) -> int:
        """Number of rank codes."""
        return int(self.ok.shape[2])

    def entries(self, s: Intp, c: Intp, p: Intp, r: Intp, m: Intp) -> Entries:
        """The period figures of segments *s*, classes *c*, province classes *p*, rank and month codes."""
        gm = self.gross[s, c, r]
        sm = self.state[s, c, r]
        mv = self.months.values[m]
        # each product below stays in int64: a larger monthly amount is left to the scalar path
        limit = _INT64_MAX // (MAX_MONTHS * (len(self.programmes) + 1))
        ok = (
            self.ok[s, c, r]
            & (p != self.n_provinces - 1)
            & self.months.ok[s, self.group[s, c, r], m]
            & (gm <= limit)
        )
        gpos = np.where(ok, np.maximum(gm, 0), 0)
        lsum = np.zeros(len(s), dtype=np.int64)
        for prog in self.programmes:
            use = prog.applies[s, p]
            if not use.any():
                continue
            amount = mul_round(prog.num[c], prog.den[c], gpos)
            if amount is None:
                ok &= ~use
                continue
            lsum += np.where(use, amount, 0)
        lm = np.maximum(0, np.minimum(lsum, gm - sm))
        gross, state, local = gm * mv, sm * mv, lm * mv
        payable = gross - state - local
        bad = ~ok | (gross < 0) | (state < 0) | (payable < 0)
        for arr in (gross, state, local, payable):
            arr[bad] = -1
        return gross, state, local, payable, self.group[s, c, r]


def _card_figures(
    plan: PricingPlan, classes: Sequence[frozenset[Category]], provinces: Sequence[str]
) -> CardFigures:
    segs = plan.segments
    nr = 1 + max((_rank_limit(seg.period) for seg in segs), default=2)
    shape = (len(segs), len(classes) + 1, nr)
    ok = np.zeros(shape, dtype=bool)
    gross = np.zeros(shape, dtype=np.int64)
    state = np.zeros(shape, dtype=np.int64)
    group = np.zeros(shape, dtype=np.int8)
    for si, seg in enumerate(segs):
        monthly: dict[tuple[str, Fraction, str] | int, tuple[int, int] | None] = {}
        for ci, cats in enumerate(classes):
            try:
                support = card_support_group(seg.period, cats)
            except AnsinhError:
                continue
            group[si, ci] = GROUP_CODE[HOUSEHOLD_GROUP if support is None else support[0]]
            for r in range(1, nr):
                key = r if support is None else support
                if key not in monthly:
                    monthly[key] = _card_monthly(seg.period, support, r)
                figures = monthly[key]
                if figures is not None:
                    ok[si, ci, r] = True
                    gross[si, ci, r], state[si, ci, r] = figures
    return CardFigures(
        ok=ok,
        gross=gross,
        state=state,
        group=group,
        months=Months.build([seg.card_months for seg in segs]),
        programmes=_programmes(plan, ProductKind.HEALTH_CARD, classes, provinces),
        n_provinces=len(provinces) + 2,
    )


def _rank_limit(period: LawPeriod) -> int:
    try:
        return household_rank_limit(period)
    except AnsinhError:
        return 2


def _card_monthly(
    period: LawPeriod, support: tuple[str, Fraction, str] | None, rank: int
) -> tuple[int, int] | None:
    try:
        gross, state = card_monthly(period, support, rank)
    except AnsinhError:
        return None
    return (gross, state) if fits_int64(gross) and fits_int64(state) else None


@attrs.frozen(eq=False)
class BookFigures:
    """Voluntary-SI book values per segment and monthly supports per (segment, class, province class)."""

    ok: BoolArray
    """The segment's books can be priced with int64 arithmetic."""
    floor: I64
    ceiling: I64
    step: I64
    rate_num: I64
    rate_den: I64
    cap: I64
    months: Months
    state: I64
    """``state[segment, class]``: monthly state support."""
    group: I8
    local: I64
    """``local[segment, class, province class]``: the top-ups' monthly sum, before the cap."""


def _book_row(
    seg: Segment, classes: Sequence[frozenset[Category]]
) -> tuple[int, list[tuple[int, int]]] | None:
    """The top-ups' base and each class's (group code, monthly state support), or ``None``."""
    book = seg.book
    if book is None:
        return None
    a, b = book.rate.numerator, book.rate.denominator
    if a < 0 or 2 * a * max(book.ceiling, 0) + b >= _SAFE:
        return None
    if not all(fits_int64(v) for v in (book.floor, book.ceiling, book.step, book.cap)):
        return None
    base = 0
    per_class = []
    try:
        for cats in classes:
            group, share = book_support_group(seg.period, cats)
            state, base = book_monthly_support(seg.period, share)
            if not (fits_int64(state) and fits_int64(base)):
                return None
            per_class.append((GROUP_CODE[group], state))
    except AnsinhError:
        return None
    return base, per_class


def _book_figures(
    plan: PricingPlan, classes: Sequence[frozenset[Category]], provinces: Sequence[str]
) -> BookFigures:
    segs = plan.segments
    ns, nc = len(segs), len(classes) + 1
    ok = np.zeros(ns, dtype=bool)
    floor, ceiling, cap, rate_num = (np.zeros(ns, dtype=np.int64) for _ in range(4))
    step, rate_den = np.ones(ns, dtype=np.int64), np.ones(ns, dtype=np.int64)
    base = np.zeros(ns, dtype=np.int64)
    state = np.zeros((ns, nc), dtype=np.int64)
    group = np.zeros((ns, nc), dtype=np.int8)
    for si, seg in enumerate(segs):
        row = _book_row(seg, classes)
        if row is None or seg.book is None:
            continue
        book = seg.book
        ok[si] = True
        floor[si], ceiling[si], step[si], cap[si] = book.floor, book.ceiling, book.step, book.cap
        rate_num[si], rate_den[si] = book.rate.numerator, book.rate.denominator
        base[si] = row[0]
        for ci, (code, monthly) in enumerate(row[1]):
            group[si, ci], state[si, ci] = code, monthly
    local = np.zeros((ns, nc, len(provinces) + 2), dtype=np.int64)
    for prog in _programmes(plan, ProductKind.SOCIAL_BOOK, classes, provinces):
        amount = mul_round(prog.num[None, :], prog.den[None, :], np.maximum(base, 0)[:, None])
        if amount is None:
            ok &= ~prog.applies.any(axis=1)
            continue
        local += np.where(prog.applies[:, None, :], np.maximum(amount, 0)[:, :, None], 0)
    return BookFigures(
        ok=ok,
        floor=floor,
        ceiling=ceiling,
        step=step,
        rate_num=rate_num,
        rate_den=rate_den,
        cap=cap,
        months=Months.build([(seg.book.months if seg.book else None,) for seg in segs]),
        state=state,
        group=group,
        local=local,
    )


@attrs.frozen(eq=False)
class Figures:
    """Card and book figures of one plan for one table's category classes and named provinces."""

    card: CardFigures
    book: BookFigures

    @property
    def no_local(self) -> bool:
        """Whether no programme applies to any row (local support is 0 everywhere)."""
        return not self.card.programmes and not self.book.local.any()


@functools.lru_cache(maxsize=16)
def figures(
    plan: PricingPlan, classes: tuple[frozenset[Category], ...], provinces: tuple[str, ...]
) -> Figures:
    """The figures of *plan* for *classes* (plus the invalid class) and *provinces* (plus none / invalid).

    Pure, so a bounded cache shares them between the batches and tables one
    plan prices.
    """
    return Figures(_card_figures(plan, classes, provinces), _book_figures(plan, classes, provinces))
