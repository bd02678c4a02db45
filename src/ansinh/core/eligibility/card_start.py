"""When a gift health card starts to be valid (HI Law Art. 16 as amended by Law 51/2024).

The gift is paid on the date of the check.  A current card, or one that
ended the day before, means continuous participation: the gift card is valid
from the day after the current card ends, and at the earliest on the payment
date.  A break shorter than ``bhyt_break_months`` months also counts as
continuous (valid from the payment date).  No card at all, or a break of
``bhyt_break_months`` months or more (counted in calendar months from the day
after the old card ended), is a first participation: the card is valid
``bhyt_waiting_days`` days after payment.

========== ============================================ ==========================
how        the current card (``bhyt_valid_until``)      the gift card is valid from
========== ============================================ ==========================
renewal    ends on or after the payment date            the day after it ends
continuous ended less than the break before payment     the payment date
break      ended the break or more before payment       payment + waiting days
first      none                                         payment + waiting days
========== ============================================ ==========================

The reason :func:`~ansinh.core.eligibility.checking` gives for the last two is
``WAITING_PERIOD_30_DAYS``, whatever number of days the law sets (the text
always says the law's number).

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> period = default_law().at(dt.date(2026, 1, 10))
>>> card_start(None, dt.date(2026, 1, 10), period=period)
CardStart(valid_from=datetime.date(2026, 2, 9), how='first')
>>> card_start(dt.date(2025, 10, 10), dt.date(2026, 1, 10), period=period).how
'continuous'
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from typing import Literal, TypeAlias

import attrs

from ansinh.core.dates import add_days, add_months, check_date
from ansinh.core.eligibility.thresholds import break_months, waiting_days
from ansinh.core.law import Law, LawPeriod
from ansinh.core.people import Person
from ansinh.exceptions import InvalidValueError

__all__ = ["CardStart", "How", "card_start", "card_valid_from", "gift_end", "last_break_end"]

How: TypeAlias = Literal["renewal", "continuous", "break", "first"]
"""How a gift card's start was found (see the module's table)."""


@attrs.frozen
class CardStart:
    """The first day a gift card is valid, and how that day was found."""

    valid_from: dt.date
    """The first day the gift card is valid."""
    how: How
    """``"renewal"``, ``"continuous"``, ``"break"`` or ``"first"``."""


@functools.lru_cache(maxsize=1024)
def gift_end(on: dt.date, months: int) -> dt.date:
    """The last day of a gift period of *months* months starting on *on* (*on* itself for 0 months).

    >>> gift_end(dt.date(2026, 1, 10), 12), gift_end(dt.date(2026, 1, 31), 1)
    (datetime.date(2027, 1, 9), datetime.date(2026, 2, 27))
    """
    return add_days(add_months(on, months), -1) if months else on


@functools.lru_cache(maxsize=1024)
def last_break_end(on: dt.date, *, period: LawPeriod) -> dt.date | None:
    """The latest card end that is a break of ``bhyt_break_months`` months or more on *on*.

    A card that ended on day *u* leaves a break of at least *m* months on *on*
    when ``add_months(u + 1 day, m) <= on``.  ``add_months`` never decreases,
    so the days *u + 1* that qualify are those up to ``add_months(on, -m)`` —
    or up to the end of that month when *on* is the last day of its month
    (``add_months`` clamps: 31 January + 1 month is 28 February).  ``None``
    when no end qualifies (the break would reach before the first date).

    Raises:
        NotInForceError: the period has no ``bhyt_break_months``.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> last_break_end(dt.date(2026, 1, 10), period=default_law().at(dt.date(2026, 1, 10)))
    datetime.date(2025, 10, 9)
    """
    months = break_months(period).value
    if (on.year * 12 + on.month - 1) - months < 12:  # add_months would fall before year 1
        return None
    resumed = add_months(on, -months)
    if on.day == calendar.monthrange(on.year, on.month)[1]:
        resumed = resumed.replace(day=calendar.monthrange(resumed.year, resumed.month)[1])
    return None if resumed == dt.date.min else add_days(resumed, -1)


@functools.lru_cache(maxsize=4096)
def card_start(valid_until: dt.date | None, on: dt.date, *, period: LawPeriod) -> CardStart:
    """When a gift card paid on *on* starts, for a current card ending on *valid_until*.

    Args:
        valid_until: the last day of the person's current (or last) card; ``None``: never insured.
        on: the payment date.
        period: the law period of *on* (``law.at(on)``).

    Raises:
        NotInForceError: the period lacks ``bhyt_waiting_days`` or ``bhyt_break_months``.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> period = default_law().at(dt.date(2026, 1, 10))
    >>> card_start(dt.date(2026, 3, 31), dt.date(2026, 1, 10), period=period)
    CardStart(valid_from=datetime.date(2026, 4, 1), how='renewal')
    """
    first = add_days(on, waiting_days(period).value)
    cutoff = last_break_end(on, period=period)
    if valid_until is None:
        return CardStart(first, "first")
    if valid_until >= on:
        return CardStart(add_days(valid_until, 1), "renewal")
    if cutoff is not None and valid_until <= cutoff:
        return CardStart(first, "break")
    return CardStart(on, "continuous")


def card_valid_from(person: Person, on: dt.date, *, law: Law) -> dt.date:
    """The first day a health card paid on *on* would be valid for *person*.

    Raises:
        InvalidValueError: *person* is not a Person, *on* not a date or *law* not a Law.
        NotInForceError: the law has no card-start values on *on*.

    >>> import datetime as dt
    >>> from ansinh.core.people import Person
    >>> p = Person(id="1", full_name="A", date_of_birth=dt.date(1990, 1, 1), province="01",
    ...            bhyt_valid_until=dt.date(2026, 3, 31))
    >>> import ansinh
    >>> card_valid_from(p, dt.date(2026, 1, 10), law=ansinh.default_law())
    datetime.date(2026, 4, 1)
    """
    if not isinstance(person, Person):
        raise InvalidValueError("person", person, "an ansinh.Person")
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    day = check_date("on", on)
    return card_start(person.bhyt_valid_until, day, period=law.at(day)).valid_from
