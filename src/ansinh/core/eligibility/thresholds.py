"""The law values the eligibility rules read, computed in one place from a law period.

Every built-in rule and :mod:`ansinh.bulk.screening` read their thresholds
through these functions, so a scalar :func:`~ansinh.core.eligibility.checking`
and a columnar :func:`~ansinh.bulk.screen_table` can never disagree on one.
Each is a pure function of a :class:`~ansinh.core.law.LawPeriod` (a bounded
cache shares the result between the dates of one period).

====================================== ======================================================
function                               law parameter(s)
====================================== ======================================================
:func:`vsi_min_age`                    ``vsi_min_age`` (years; the birthday itself counts)
:func:`waiting_days`                   ``bhyt_waiting_days`` (days after payment)
:func:`break_months`                   ``bhyt_break_months`` (months of a break)
:func:`child_state_paid_age`           ``bhyt_child_state_paid_age``; ``None`` when the law
                                       lacks it (no child group then)
:func:`state_paid_groups`              every group with share 1 in a table of
                                       ``CARD_SUPPORT_TABLES``, with the table's citation
====================================== ======================================================

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> period = default_law().at(dt.date(2026, 1, 10))
>>> waiting_days(period).value, break_months(period).value, vsi_min_age(period).value
(30, 3, 15)
>>> [c.value for c, _ in state_paid_groups(period)]
['poor', 'social_allowance', 'ethnic_minority_difficult_area', 'island_resident', 'extremely_difficult_area', 'meritorious', 'social_pension_75']
"""

from __future__ import annotations

import functools
from typing import Final

import attrs

from ansinh.core.law import Citation, LawPeriod
from ansinh.core.people import Category
from ansinh.core.pricing import card_support_tables
from ansinh.exceptions import UnknownParameterError

__all__ = [
    "BREAK_MONTHS",
    "CHILD_STATE_PAID_AGE",
    "FULLY_STATE_PAID",
    "STATE_SUPPORT",
    "VSI_MIN_AGE",
    "WAITING_DAYS",
    "Threshold",
    "break_months",
    "child_state_paid_age",
    "state_paid_groups",
    "vsi_min_age",
    "waiting_days",
]

VSI_MIN_AGE: Final = "vsi_min_age"
"""Minimum age for voluntary social insurance (years)."""
WAITING_DAYS: Final = "bhyt_waiting_days"
"""Days after payment before a first (or interrupted) health card is valid."""
BREAK_MONTHS: Final = "bhyt_break_months"
"""A break of this many months or more counts as a first participation."""
CHILD_STATE_PAID_AGE: Final = "bhyt_child_state_paid_age"
"""Children under this age have their health card paid by the state (optional parameter)."""
STATE_SUPPORT: Final = "bhyt_state_support"
"""The state's share of the health-card contribution, by group."""
FULLY_STATE_PAID: Final = "bhyt_fully_state_paid"
"""Other groups whose health card the state pays in full."""

_CATEGORY_VALUES: Final = frozenset(c.value for c in Category)


@attrs.frozen
class Threshold:
    """A whole-number law value with its citation.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> t = waiting_days(default_law().at(dt.date(2026, 1, 10)))
    >>> t.value, t.citation.document
    (30, 'Luật 51/2024/QH15 sửa đổi Luật BHYT')
    """

    value: int
    """The number (years, days or months, as the parameter says)."""
    citation: Citation
    """Where the law says it."""


def _threshold(period: LawPeriod, name: str) -> Threshold:
    entry = period.entry(name)
    return Threshold(entry.amount(), entry.citation)


@functools.lru_cache(maxsize=256)
def vsi_min_age(period: LawPeriod) -> Threshold:
    """The minimum age for voluntary social insurance in *period*.

    Raises:
        NotInForceError: the period has no value for it (as :meth:`LawPeriod.entry`).
    """
    return _threshold(period, VSI_MIN_AGE)


@functools.lru_cache(maxsize=256)
def waiting_days(period: LawPeriod) -> Threshold:
    """Days after payment before a first (or interrupted) health card is valid in *period*.

    Raises:
        NotInForceError: the period has no value for it.
    """
    return _threshold(period, WAITING_DAYS)


@functools.lru_cache(maxsize=256)
def break_months(period: LawPeriod) -> Threshold:
    """The months of a break after which a health card is a first participation again.

    Raises:
        NotInForceError: the period has no value for it.
    """
    return _threshold(period, BREAK_MONTHS)


@functools.lru_cache(maxsize=256)
def child_state_paid_age(period: LawPeriod) -> Threshold | None:
    """The age under which the state pays a child's health card, or ``None``.

    ``None`` when the law has no ``bhyt_child_state_paid_age`` in *period*: the
    law then has no such group, and no child is turned away for it.  A law
    that has the parameter but no value on the period's dates raises, as every
    other parameter does.

    Raises:
        NotInForceError: the law has the parameter but no value in *period*.

    >>> import datetime as dt
    >>> from ansinh.core.law import Law
    >>> from ansinh.data import default_law
    >>> law = default_law()
    >>> child_state_paid_age(law.at(dt.date(2026, 1, 10))).value
    6
    >>> without = Law(tuple(p for p in law.parameters if p.name != CHILD_STATE_PAID_AGE))
    >>> child_state_paid_age(without.at(dt.date(2026, 1, 10))) is None
    True
    """
    try:
        return _threshold(period, CHILD_STATE_PAID_AGE)
    except UnknownParameterError:
        return None


@functools.lru_cache(maxsize=256)
def state_paid_groups(period: LawPeriod) -> tuple[tuple[Category, Citation], ...]:
    """The categories whose health card the state pays in full, each with its citation.

    Every group with share 1 in the tables of
    :data:`~ansinh.core.pricing.CARD_SUPPORT_TABLES` in force (``bhyt_state_support``:
    poor households; ``bhyt_fully_state_paid`` and the tables after it), in the law's
    order; a group listed twice keeps the first citation.  Groups ansinh has no
    :class:`~ansinh.core.people.Category` for are left out (nobody can be in
    them).

    Raises:
        NotInForceError: either table has no value in *period*.
    """
    found: dict[Category, Citation] = {}
    for _table, entry in card_support_tables(period):
        for key, share in entry.rates():
            if share == 1 and key in _CATEGORY_VALUES:
                found.setdefault(Category(key), entry.citation)
    return tuple(found.items())
