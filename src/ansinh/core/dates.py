"""Calendar arithmetic shared by eligibility, gifts and the ledger: one rule for "n months later"."""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["add_months"]


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved by whole calendar months, clamped to the month's last day (and to ``date.max``).

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(dt.date(2025, 10, 1), 3)
    datetime.date(2026, 1, 1)
    """
    y, m = divmod(day.month - 1 + months, 12)
    year = day.year + y
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    month = m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
