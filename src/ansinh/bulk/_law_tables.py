"""The law and the local-support programmes cut into segments: the plan :func:`ansinh.bulk.price_table` reads.

A :class:`PricingPlan` is built once per call (or once per Dask graph) from a
:class:`~ansinh.core.law.Law` and the :class:`~ansinh.core.pricing.LocalSupport`
programmes.  It splits time at every date on which a parameter or a
programme starts or ends, so that inside one *segment* every value the
scalar :func:`ansinh.core.pricing.price` reads is constant: each segment
holds the law's own snapshot of its period (:meth:`Law.at
<ansinh.core.law.Law.at>`) and the programmes in force.  Each row's date is
mapped to its segment with one table lookup; the figures of every segment
are then computed from that snapshot by the core's own rule functions (see
:mod:`ansinh.bulk._figures`).
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

from ansinh.core.law import Law, LawPeriod
from ansinh.core.people import Category
from ansinh.core.places import CommuneList
from ansinh.core.pricing import HOUSEHOLD_GROUP, OTHER_GROUP, LocalSupport, card_payment_months
from ansinh.core.products import ProductKind
from ansinh.exceptions import AnsinhError

__all__ = [
    "GROUP_CODE",
    "GROUP_NAMES",
    "KIND_CODES",
    "BookParams",
    "PricingPlan",
    "Segment",
    "day_number",
    "fits_int64",
]

_EPOCH: Final = dt.date(1970, 1, 1)
_ONE_DAY: Final = dt.timedelta(days=1)
_INT64_MAX: Final = 2**63 - 1
_DAYTAB_LIMIT: Final = 1 << 16

GROUP_NAMES: Final[tuple[str, ...]] = (*(c.value for c in Category), HOUSEHOLD_GROUP, OTHER_GROUP)
"""Values of the ``group`` output column (a dictionary column over these names)."""
GROUP_CODE: Final[dict[str, int]] = {name: i for i, name in enumerate(GROUP_NAMES)}

KIND_CODES: Final[dict[str, int]] = {ProductKind.HEALTH_CARD.value: 0, ProductKind.SOCIAL_BOOK.value: 1}
"""Product codes used internally: 0 card, 1 book, 2 anything else (an error row)."""


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the integer Arrow stores in a ``date32`` column).

    >>> day_number(dt.date(1970, 1, 2))
    1
    """
    return (day - _EPOCH).days


def fits_int64(value: int) -> bool:
    """Whether a Python int fits in int64."""
    return -_INT64_MAX - 1 <= value <= _INT64_MAX


@attrs.frozen
class BookParams:
    """The voluntary-SI values a book row's own arithmetic needs, read from one law period."""

    floor: int
    ceiling: int
    step: int
    rate: Fraction
    months: tuple[int, ...]
    cap: int


def _card_months(period: LawPeriod) -> tuple[tuple[int, ...] | None, ...]:
    """Allowed card periods of each group (by :data:`GROUP_CODE`), from the core's rule."""
    out: list[tuple[int, ...] | None] = []
    for name in GROUP_NAMES:
        try:
            out.append(card_payment_months(period, None if name == HOUSEHOLD_GROUP else name)[1])
        except AnsinhError:
            out.append(None)  # the scalar path says why
    return tuple(out)


def _book(period: LawPeriod) -> BookParams | None:
    try:
        step = period.amount("vsi_income_step")
        if step <= 0:
            return None  # the scalar path cannot use such a step either
        return BookParams(
            floor=period.amount("vsi_income_floor"),
            ceiling=period.amount("vsi_income_ceiling"),
            step=step,
            rate=period.rate("vsi_rate"),
            months=period.months("vsi_payment_months"),
            cap=period.amount("vsi_support_max_months"),
        )
    except AnsinhError:
        return None  # the scalar path says why


@attrs.frozen
class Segment:
    """A stretch of days during which every parameter and programme is constant."""

    rep: dt.date
    """A day inside the segment (its first day, or the day before the first break)."""
    period: LawPeriod
    """The law in force during the segment (the snapshot the scalar path reads)."""
    card_months: tuple[tuple[int, ...] | None, ...]
    """Allowed card periods of each group (by :data:`GROUP_CODE`); ``None``: the law cannot price
    that group's card on these days (the scalar path raises)."""
    book: BookParams | None
    """``None``: the law cannot price a book on these days."""
    supports: tuple[LocalSupport, ...]
    """The programmes in force during the segment, in the order given."""


def _in_force(sup: LocalSupport, on: dt.date) -> bool:
    return sup.effective <= on and (sup.until is None or on <= sup.until)


@attrs.frozen(eq=False)
class PricingPlan:
    """The law and the local-support programmes, cut into constant segments.

    Build one with :meth:`build`; it is immutable, so it can be shipped to
    Dask workers once.

    >>> from ansinh.data import default_law
    >>> plan = PricingPlan.build(default_law())
    >>> plan.segment_of(dt.date(2025, 1, 1)).period.amount("base_salary")
    2340000
    """

    law: Law
    local_supports: tuple[LocalSupport, ...]
    breaks: tuple[int, ...]
    """Day numbers on which a new segment starts, increasing."""
    segments: tuple[Segment, ...]
    """``len(breaks) + 1`` segments; segment ``i`` ends the day before ``breaks[i]``."""
    commune_lists: tuple[CommuneList, ...] = ()
    """Dated commune lists in play: bulk rows have no address, so a table with an address
    column is refused while there are any (the place-dependent rules need the scalar path)."""

    @classmethod
    def build(
        cls, law: Law, local_supports: Sequence[LocalSupport] = (), commune_lists: Sequence[CommuneList] = ()
    ) -> PricingPlan:
        """Cut *law* and *local_supports* into segments; keep *commune_lists* (see :attr:`commune_lists`)."""
        supports = tuple(local_supports)
        days: set[dt.date] = set(law.change_dates)
        for sup in supports:
            days.add(sup.effective)
            if sup.until is not None and sup.until < dt.date.max:
                days.add(sup.until + _ONE_DAY)
        starts = sorted(days)
        reps = [starts[0] - _ONE_DAY if starts and starts[0] > dt.date.min else dt.date.min, *starts]
        # values read once per law period (several segments may share one)
        periods: dict[LawPeriod, tuple[tuple[tuple[int, ...] | None, ...], BookParams | None]] = {}
        segments = []
        for rep in reps:
            period = law.at(rep)
            if period not in periods:
                periods[period] = (_card_months(period), _book(period))
            card_months, book = periods[period]
            supports_now = tuple(s for s in supports if _in_force(s, rep))
            segments.append(Segment(rep, period, card_months, book, supports_now))
        return cls(law, supports, tuple(day_number(d) for d in starts), tuple(segments), tuple(commune_lists))

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

    def segments_of_days(self, days: npt.NDArray[np.integer[Any]]) -> npt.NDArray[np.intp]:
        """Segment index of each day number, by binary search."""
        return np.searchsorted(np.asarray(self.breaks, dtype=np.int64), days, side="right").astype(np.intp)
