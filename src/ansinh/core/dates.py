"""Calendar helpers shared by every module: one rule for "n months later", one date check, one format.

>>> add_months(dt.date(2026, 1, 31), 1)
datetime.date(2026, 2, 28)
>>> format_date(dt.date(2026, 2, 9)), format_date(dt.date(2026, 2, 9), "en")
('09/02/2026', '2026-02-09')
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Literal

from ansinh.exceptions import InvalidValueError

__all__ = ["add_days", "add_months", "check_date", "format_date", "is_date"]


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


def add_days(day: dt.date, days: int) -> dt.date:
    """*day* moved by *days* days, clamped to ``date.min`` / ``date.max`` instead of overflowing.

    >>> add_days(dt.date(2026, 1, 10), 30), add_days(dt.date.max, 1)
    (datetime.date(2026, 2, 9), datetime.date(9999, 12, 31))
    """
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def is_date(value: object) -> bool:
    """Whether *value* is a :class:`datetime.date` and not a ``datetime`` (ansinh's dates have no time)."""
    return type(value) is dt.date or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


def check_date(field: str, value: object) -> dt.date:
    """*value* if it is a date (:func:`is_date`), else :class:`~ansinh.exceptions.InvalidValueError` naming *field*.

    >>> check_date("on", dt.date(2026, 1, 1))
    datetime.date(2026, 1, 1)
    >>> check_date("on", "2026-01-01")
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidValueError: on='2026-01-01' is not allowed: a datetime.date
    """
    if not is_date(value):
        raise InvalidValueError(field, value, "a datetime.date")
    return value  # type: ignore[return-value]


def format_date(day: dt.date, lang: Literal["vi", "en"] = "vi") -> str:
    """A date as a clerk writes it: ``dd/mm/yyyy`` in Vietnamese, ISO ``yyyy-mm-dd`` in English.

    >>> format_date(dt.date(999, 1, 5))
    '05/01/0999'
    """
    if lang == "en":
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
