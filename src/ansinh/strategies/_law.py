"""Strategies for the law: dates it prices, citations, rates, scenario laws and their parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Any, Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ansinh.core.law import (
    Amendment,
    Citation,
    DatedValue,
    Law,
    LawPeriod,
    LawValue,
    Link,
    Parameter,
    ParamKind,
    RateTable,
)
from ansinh.core.people import Category
from ansinh.core.pricing import OTHER_GROUP
from ansinh.exceptions import InvalidValueError
from ansinh.strategies._common import date_range, law_or_default

__all__ = [
    "amendments",
    "citations",
    "dated_values",
    "dates",
    "law_periods",
    "law_values",
    "laws",
    "links",
    "parameters",
    "rate_tables",
]

_DOCUMENTS: Final = (
    "Nghị định 159/2025/NĐ-CP",
    "Nghị định 188/2025/NĐ-CP",
    "Luật BHXH 41/2024/QH15",
    "Nghị quyết HĐND (kịch bản)",
    "Kịch bản / scenario",
)


def dates(
    *, min_value: dt.date | None = None, max_value: dt.date | None = None, law: Law | None = None
) -> SearchStrategy[dt.date]:
    """Dates on which *law* (default: the shipped law) prices every product.

    Args:
        min_value: the earliest date (default: the first date the law prices everything).
        max_value: the latest date (default: 31 December of the fourth year after
            the law's last change).
        law: the law whose range is used.

    Raises:
        InvalidValueError: the range is empty or starts before the law can price.
    """
    low, high = date_range(law_or_default(law))
    lo = low if min_value is None else min_value
    hi = high if max_value is None else max_value
    if lo < low:
        raise InvalidValueError("min_value", min_value, f"a date on or after {low} (the law's range)")
    if hi < lo:
        raise InvalidValueError("max_value", max_value, f"a date on or after {lo}")
    return st.dates(min_value=lo, max_value=hi)


def citations() -> SearchStrategy[Citation]:
    """Citations of legal documents (document, article, url)."""
    return st.builds(
        Citation,
        st.sampled_from(_DOCUMENTS),
        st.sampled_from(("", "Điều 5", "Điều 3 khoản 2", "Điều 36 khoản 1")),
        st.sampled_from(("", "vss.gov.vn", "news.laodong.vn")),
    )


def _rates() -> SearchStrategy[Fraction]:
    return st.one_of(
        st.integers(0, 100).map(lambda n: Fraction(n, 100)),
        st.fractions(min_value=0, max_value=1, max_denominator=1000),
    )


def rate_tables(*, keys: Iterable[str] | None = None, min_size: int = 1) -> SearchStrategy[RateTable]:
    """Rate tables with distinct keys and exact rates between 0 and 1.

    Args:
        keys: the keys to choose from (default: every category value and ``"other"``).
        min_size: the fewest entries.
    """
    pool = tuple(keys) if keys is not None else (*(c.value for c in Category), OTHER_GROUP)
    return st.lists(
        st.tuples(st.sampled_from(pool), _rates()), min_size=min_size, max_size=5, unique_by=lambda e: e[0]
    ).map(lambda entries: RateTable(tuple(entries)))


def links(*, law: Law | None = None) -> SearchStrategy[Link]:
    """Links to an amount parameter of *law*, with a whole or exact multiple."""
    names = tuple(p.name for p in law_or_default(law).parameters if p.kind is ParamKind.AMOUNT)
    return st.builds(
        Link,
        st.sampled_from(names),
        st.one_of(st.integers(1, 20).map(Fraction), st.fractions(1, 20, max_denominator=100)),
    )


# -- the law ---------------------------------------------------------------------------

# Scenario changes that keep every product priceable: a what-if base salary,
# poverty line or contribution rate.
_AMENDABLE: Final[tuple[tuple[str, SearchStrategy[Any]], ...]] = (
    ("base_salary", st.integers(150, 500).map(lambda n: n * 10_000)),
    ("rural_poverty_line", st.integers(20, 60).map(lambda n: n * 50_000)),
    ("bhyt_rate", st.integers(40, 60).map(lambda n: Fraction(n, 1000))),
    ("vsi_rate", st.integers(18, 25).map(lambda n: Fraction(n, 100))),
)


@st.composite
def _laws(draw: st.DrawFn, min_amendments: int, max_amendments: int) -> Law:
    from ansinh.data import default_law

    law = default_law()
    low, high = date_range(law)
    count = draw(st.integers(min_amendments, max_amendments))
    for _ in range(count):
        name, values = draw(st.sampled_from(_AMENDABLE))
        effective = draw(st.dates(min_value=max(low, dt.date(2019, 1, 1)), max_value=high))
        citation = draw(citations())
        law = law.amend(name, draw(values), effective=effective, source=citation)
    return law


def laws(*, min_amendments: int = 0, max_amendments: int = 3) -> SearchStrategy[Law]:
    """The shipped law with random scenario amendments (base salary, poverty line, rates).

    Every law produced still prices every product on every date of
    :func:`dates` (for that law).
    """
    if not 0 <= min_amendments <= max_amendments:
        raise InvalidValueError("max_amendments", max_amendments, "a count >= min_amendments >= 0")
    return _laws(min_amendments, max_amendments)


def parameters(*, law: Law | None = None) -> SearchStrategy[Parameter]:
    """Parameters of *law* (default: of laws from :func:`laws`)."""
    if law is not None:
        return st.sampled_from(law.parameters)
    return laws().flatmap(lambda lw: st.sampled_from(lw.parameters))


def dated_values(*, law: Law | None = None) -> SearchStrategy[DatedValue]:
    """Dated values of the parameters of *law* (default: of laws from :func:`laws`)."""
    return parameters(law=law).flatmap(lambda p: st.sampled_from(p.values))


def law_periods(*, law: Law | None = None) -> SearchStrategy[LawPeriod]:
    """Snapshots :meth:`Law.at <ansinh.core.law.Law.at>` gives on dates of :func:`dates` (default: of laws from :func:`laws`)."""
    if law is not None:
        return dates(law=law).map(law.at)
    return laws().flatmap(lambda lw: dates(law=lw).map(lw.at))


def law_values(*, law: Law | None = None) -> SearchStrategy[LawValue]:
    """Resolved parameter values from :func:`law_periods`."""
    return law_periods(law=law).flatmap(lambda period: st.sampled_from(period.values))


def amendments() -> SearchStrategy[Amendment]:
    """Scenario amendments, as recorded on a law from :func:`laws`."""
    return laws(min_amendments=1).flatmap(lambda lw: st.sampled_from(lw.amendments))
