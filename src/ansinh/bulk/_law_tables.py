"""The law and the local-support programmes cut into periods, and turned into lookup arrays.

A :class:`PricingPlan` is built once per call (or once per Dask graph) from a
:class:`~ansinh.core.law.Law` and the :class:`~ansinh.core.pricing.LocalSupport`
programmes.  It splits time at every date on which a parameter or a
programme starts or ends, so that inside one *segment* every value the
scalar :func:`ansinh.core.pricing.price` reads is constant.  Each row's date
is mapped to its segment with one table lookup; everything else is read from
small arrays indexed by segment.

The arrays are filled with the scalar code's own integer arithmetic
(:func:`ansinh.core.money.round_half_up` on exact fractions), so a bulk result
is the scalar result read from a table, not a re-derivation.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from ansinh.core.law import Law, RateTable
from ansinh.core.people import Category
from ansinh.core.pricing import HOUSEHOLD_GROUP, OTHER_GROUP, LocalSupport
from ansinh.core.products import MAX_MONTHS, ProductKind
from ansinh.exceptions import AnsinhError

__all__ = ["GROUP_NAMES", "BookParams", "CardParams", "PricingPlan", "Segment", "day_number"]

I64 = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_EPOCH: Final = dt.date(1970, 1, 1)
_ONE_DAY: Final = dt.timedelta(days=1)
_INT64_MAX: Final = 2**63 - 1
_DAYTAB_LIMIT: Final = 1 << 16

GROUP_NAMES: Final[tuple[str, ...]] = (*(c.value for c in Category), HOUSEHOLD_GROUP, OTHER_GROUP)
"""Values of the ``group`` output column (a dictionary column over these names)."""
GROUP_CODE: Final[dict[str, int]] = {name: i for i, name in enumerate(GROUP_NAMES)}


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the integer Arrow stores in a ``date32`` column).

    >>> day_number(dt.date(1970, 1, 2))
    1
    """
    return (day - _EPOCH).days


@attrs.frozen
class CardParams:
    """Health-card parameters in force during one segment."""

    base: int
    rate: Fraction
    factors: RateTable
    months: tuple[int, ...]
    groups: tuple[tuple[str, Fraction], ...]
    """``bhyt_state_support`` then ``bhyt_fully_state_paid`` entries, in the law's order."""


@attrs.frozen
class BookParams:
    """Voluntary-SI book parameters in force during one segment."""

    floor: int
    ceiling: int
    step: int
    rate: Fraction
    months: tuple[int, ...]
    table: RateTable
    cap: int


@attrs.frozen
class Segment:
    """A stretch of days during which every parameter and programme is constant."""

    rep: dt.date
    """A day inside the segment (its first day, or the day before the first break)."""
    card: CardParams | None
    """``None``: the law cannot price a card on these days (the scalar path raises)."""
    book: BookParams | None
    supports: tuple[LocalSupport, ...]
    """The programmes in force during the segment, in the order given."""


def _card(law: Law, on: dt.date) -> CardParams | None:
    try:
        groups: list[tuple[str, Fraction]] = []
        for name in ("bhyt_state_support", "bhyt_fully_state_paid"):
            groups.extend(law.rates(name, on=on))
        return CardParams(
            base=law.amount("base_salary", on=on),
            rate=law.rate("bhyt_rate", on=on),
            factors=law.rates("bhyt_household_factors", on=on),
            months=law.months("bhyt_payment_months", on=on),
            groups=tuple(groups),
        )
    except AnsinhError:
        return None


def _book(law: Law, on: dt.date) -> BookParams | None:
    try:
        step = law.amount("vsi_income_step", on=on)
        if step <= 0:
            return None  # the scalar path cannot use such a step either
        return BookParams(
            floor=law.amount("vsi_income_floor", on=on),
            ceiling=law.amount("vsi_income_ceiling", on=on),
            step=step,
            rate=law.rate("vsi_rate", on=on),
            months=law.months("vsi_payment_months", on=on),
            table=law.rates("vsi_state_support", on=on),
            cap=law.amount("vsi_support_max_months", on=on),
        )
    except AnsinhError:
        return None


def _in_force(sup: LocalSupport, on: dt.date) -> bool:
    return sup.effective <= on and (sup.until is None or on <= sup.until)


@attrs.frozen(eq=False)
class PricingPlan:
    """The law and the local-support programmes, cut into constant segments.

    Build one with :meth:`build`; it is immutable and picklable, so it can be
    shipped to Dask workers once.

    >>> from ansinh.data import default_law
    >>> plan = PricingPlan.build(default_law())
    >>> plan.segment_of(dt.date(2025, 1, 1)).card.base
    2340000
    """

    law: Law
    local_supports: tuple[LocalSupport, ...]
    breaks: tuple[int, ...]
    """Day numbers on which a new segment starts, increasing."""
    segments: tuple[Segment, ...]
    """``len(breaks) + 1`` segments; segment ``i`` ends the day before ``breaks[i]``."""
    _card_hits: dict[tuple[int, frozenset[Category]], tuple[str, Fraction] | None] = attrs.field(
        factory=dict, alias="_card_hits", repr=False
    )
    cache: dict[Any, Any] = attrs.field(factory=dict, repr=False)
    """Lookup tables already built from this plan, keyed by the table's encoding (private)."""

    @classmethod
    def build(cls, law: Law, local_supports: Sequence[LocalSupport] = ()) -> PricingPlan:
        """Cut *law* and *local_supports* into segments."""
        supports = tuple(local_supports)
        days: set[dt.date] = set(law.change_dates)
        for sup in supports:
            days.add(sup.effective)
            if sup.until is not None and sup.until < dt.date.max:
                days.add(sup.until + _ONE_DAY)
        starts = sorted(days)
        reps = [starts[0] - _ONE_DAY if starts and starts[0] > dt.date.min else dt.date.min, *starts]
        segments = tuple(
            Segment(
                rep=rep,
                card=_card(law, rep),
                book=_book(law, rep),
                supports=tuple(s for s in supports if _in_force(s, rep)),
            )
            for rep in reps
        )
        return cls(law, supports, tuple(day_number(d) for d in starts), segments)

    def segment_index(self, day: dt.date) -> int:
        """The index of the segment containing *day*."""
        return bisect_right(self.breaks, day_number(day))

    def segment_of(self, day: dt.date) -> Segment:
        """The segment containing *day*."""
        return self.segments[self.segment_index(day)]

    def day_table(self, stride: int) -> tuple[int, npt.NDArray[np.intp]] | None:
        """``(lo, table)`` with ``table[clip(d - lo)] == segment(d) * stride``; ``None`` if too long."""
        if not self.breaks:
            return 0, np.zeros(1, dtype=np.intp)
        lo = self.breaks[0] - 1
        hi = self.breaks[-1]
        if hi - lo + 1 > _DAYTAB_LIMIT:
            return None
        seg = np.searchsorted(np.asarray(self.breaks, dtype=np.int64), np.arange(lo, hi + 1), side="right")
        return lo, (seg * stride).astype(np.intp)

    def segments_of_days(self, days: npt.NDArray[np.int32]) -> npt.NDArray[np.intp]:
        """Segment index of each day number (for the rare rows not on the fast path)."""
        return np.searchsorted(np.asarray(self.breaks, dtype=np.int64), days, side="right").astype(np.intp)

    # -- per-class answers (memoised; classes are frozensets of categories) ----

    def card_hit(self, seg: int, cats: frozenset[Category]) -> tuple[str, Fraction] | None:
        """The state-support group of a card buyer in *cats*, as :func:`ansinh.core.pricing.price` chooses it."""
        key = (seg, cats)
        try:
            return self._card_hits[key]
        except KeyError:
            pass
        card = self.segments[seg].card
        best: tuple[str, Fraction] | None = None
        if card is not None:
            for group, share in card.groups:
                if group in cats and (best is None or share > best[1]):
                    best = (group, share)
        self._card_hits[key] = best
        return best


def book_group(book: BookParams, cats: frozenset[Category]) -> tuple[str, Fraction]:
    """The voluntary-SI support group and its rate, as :func:`ansinh.core.pricing.price` chooses it."""
    keys = {c.value for c in cats} | {OTHER_GROUP}
    group, share = OTHER_GROUP, Fraction(0)
    for key, rate in book.table:
        if key in keys and rate > share:
            group, share = key, rate
    return group, share


def local_rate(sup: LocalSupport, cats: frozenset[Category]) -> Fraction:
    """The rate *sup* gives a person in *cats* (0 when none of their groups is listed)."""
    hit = sup.rate_for((*sorted(c.value for c in cats), OTHER_GROUP))
    return Fraction(0) if hit is None else hit[1]


# -- helpers ---------------------------------------------------------------------


def fits_int64(value: int) -> bool:
    """Whether a Python int fits in int64."""
    return -_INT64_MAX - 1 <= value <= _INT64_MAX


def months_table(allowed: Sequence[tuple[int, ...] | None]) -> tuple[tuple[int, ...], BoolArray]:
    """``(values, ok)``: the month counts any segment allows (1..MAX_MONTHS), and ``ok[seg, code]``.

    Code 0 stands for every other count (never allowed).
    """
    values = sorted({m for months in allowed if months is not None for m in months if 1 <= m <= MAX_MONTHS})
    ok = np.zeros((len(allowed), len(values) + 1), dtype=bool)
    for s, months in enumerate(allowed):
        if months is None:
            continue
        for j, m in enumerate(values, start=1):
            ok[s, j] = m in months
    return tuple(values), ok


KIND_CODES: Final[dict[str, int]] = {ProductKind.HEALTH_CARD.value: 0, ProductKind.SOCIAL_BOOK.value: 1}
"""Product codes used internally: 0 card, 1 book, 2 anything else (an error row)."""
