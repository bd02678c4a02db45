"""Helpers the strategy modules share (dates the law prices, ids, defaults); not part of the API."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable
from typing import Final, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ansinh.core.campaign import Campaign
from ansinh.core.law import Law
from ansinh.exceptions import InvalidValueError

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


_PRICING_PARAMETERS: Final = (
    "base_salary",
    "bhyt_rate",
    "bhyt_household_factors",
    "bhyt_payment_months",
    "bhyt_state_support",
    "bhyt_fully_state_paid",
    "vsi_rate",
    "vsi_income_floor",
    "vsi_income_ceiling",
    "vsi_income_step",
    "vsi_payment_months",
    "vsi_state_support",
    "vsi_support_max_months",
)
_YEARS_AFTER_LAST_CHANGE: Final = 4


_ID_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-"


def law_or_default(law: Law | None) -> Law:
    """*law*, or the shipped law for ``None``; anything else is refused."""
    if law is not None:
        if not isinstance(law, Law):
            raise InvalidValueError("law", law, "an ansinh.Law or None")
        return law
    from ansinh.data import default_law

    return default_law()


def given_or(value: T | SearchStrategy[T] | None, default: SearchStrategy[T]) -> SearchStrategy[T]:
    """*default* for ``None``, *value* if it is a strategy, else always *value*."""
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


def ids(prefix: str = "") -> SearchStrategy[str]:
    """Short ids made of capitals, digits and dashes, after *prefix*."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=10).map(lambda s: prefix + s)


def enum_strategy(cl: type[E]) -> Callable[[], SearchStrategy[E]]:
    """A strategy function (named after *cl*) giving any member of *cl*."""

    def strategy() -> SearchStrategy[E]:
        return st.sampled_from(cl)

    strategy.__name__ = cl.__name__
    return strategy


@functools.lru_cache(maxsize=64)
def date_range(law: Law) -> tuple[dt.date, dt.date]:
    """First day from which every pricing parameter is in force, and the default last day."""
    changes = law.change_dates
    last = dt.date(changes[-1].year + _YEARS_AFTER_LAST_CHANGE, 12, 31)
    start = None
    for day in changes:
        try:
            for name in _PRICING_PARAMETERS:
                law.value(name, on=day)
        except Exception:
            start = None
            continue
        if start is None:
            start = day
    if start is None:
        raise InvalidValueError("law", law.name, "a law in which every pricing parameter has a value")
    return start, last


@st.composite
def date_pairs(draw: st.DrawFn, low: dt.date, high: dt.date, max_days: int) -> tuple[dt.date, dt.date]:
    """Two dates: the first from *low* to *high*, the second up to *max_days* later."""
    first = draw(st.dates(min_value=low, max_value=high))
    return first, first + dt.timedelta(days=draw(st.integers(0, max_days)))


def pricing_days(law: Law, on: dt.date | None) -> tuple[dt.date, ...]:
    """One date per law period in the default range (or just *on*)."""
    if on is not None:
        return (on,)
    low, high = date_range(law)
    return (low, *(d for d in law.change_dates if low < d <= high))


def book_incomes(law: Law, on: dt.date | None) -> SearchStrategy[int | None]:
    """Monthly incomes of a voluntary-SI book valid on every day of :func:`pricing_days` (``None``: the minimum)."""
    ranges = [
        (
            law.amount("vsi_income_floor", on=day),
            law.amount("vsi_income_ceiling", on=day),
            law.amount("vsi_income_step", on=day),
        )
        for day in pricing_days(law, on)
    ]
    floor = max(r[0] for r in ranges)
    ceiling = min(r[1] for r in ranges)
    steps = {r[2] for r in ranges}
    aligned = len(steps) == 1 and all((floor - f) % s == 0 for f, _, s in ranges)
    if floor > ceiling or not aligned:
        return st.none()
    (step,) = steps
    incomes = st.integers(0, (ceiling - floor) // step).map(lambda k: floor + k * step)
    return st.none() | st.just(floor) | incomes


def with_tet_dates(campaign: Campaign) -> Campaign:
    """*campaign*, given Tết dates (its first day) if it has none, so it can hold Tết gifts."""
    if campaign.tet_dates is not None:
        return campaign
    return attrs.evolve(campaign, tet_dates=(campaign.start, campaign.start))
