"""The multi-year series: person-backed years and published totals side by side.

The Customer Care Centre's series (seed 002) runs from "quy mô hàng chục nghìn
người" in 2020–2021 to 185.055 books and cards in 2025; years without person
rows come from :class:`~ansinh.core.national.AggregateRecord` values, marked
:attr:`~ansinh.core.national.Backing.AGGREGATE`.

>>> from ansinh.core.national import AggregateRecord
>>> rows = year_series({}, [AggregateRecord(year=2025, books_and_cards=185_055, source="seed 002")])
>>> [(r.year, r.backing.value, r.books_and_cards) for r in rows]
[(2025, 'aggregate', 185055)]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ansinh.core.national import AggregateRecord, Backing, NationalReport
from ansinh.core.provinces import province
from ansinh.exceptions import InvalidValueError

__all__ = ["SeriesRow", "year_series"]


@attrs.frozen(kw_only=True)
class SeriesRow:
    """One year of the series: from person rows, or a published total (``None``: not published)."""

    year: int
    backing: Backing
    health_cards: int | None
    social_books: int | None
    books_and_cards: int | None
    tet_gifts: int | None
    people: int | None
    value: int | None
    mobilised: int | None
    approximate: bool = False
    source: str = ""
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data."""
        return attrs.asdict(self, value_serializer=lambda _i, _a, v: v.value if isinstance(v, Backing) else v)


def _persons_year(year: int, rep: NationalReport, scope: str | None) -> SeriesRow:
    if scope is None:
        t = rep.totals()
        cards, books, tet = t["health_cards"], t["social_books"], t["tet_gifts"]
        people, value, mobilised = t["people_covered"], t["value"], t["mobilised"]
    else:
        mine = [r for r in rep.rows_for("province", backing=Backing.PERSONS) if r.key == scope]
        cards, books, tet = (
            sum(getattr(r, f) for r in mine) for f in ("health_cards", "social_books", "tet_gifts")
        )
        people, value = sum(r.people for r in mine), sum(r.value for r in mine)
        mobilised = sum(r.registered for r in mine)
    return SeriesRow(
        year=year,
        backing=Backing.PERSONS,
        health_cards=cards,
        social_books=books,
        books_and_cards=cards + books,
        tet_gifts=tet,
        people=people,
        value=value,
        mobilised=mobilised,
        source=f"{rep.office}, " + ", ".join(rep.campaigns) + f" ({rep.on.isoformat()})",
    )


def year_series(
    reports: Mapping[int, NationalReport],
    aggregates: Iterable[AggregateRecord] = (),
    *,
    province_code: str | None = None,
) -> tuple[SeriesRow, ...]:
    """Years side by side: person-backed years from *reports*, the others from published totals.

    A year with both keeps both rows (the person-backed one first), so nothing is hidden.

    Args:
        reports: a national report per year.
        aggregates: published totals; those of the scope are used (national records, or the
            province's, former codes mapped to today's).
        province_code: the series of one province (today's code); ``None``: the whole country.

    Raises:
        InvalidValueError: a bad argument.
    """
    if province_code is not None:
        province(province_code)
    rows = []
    for year, rep in reports.items():
        if not isinstance(rep, NationalReport):
            raise InvalidValueError("reports", rep, "NationalReport values by year")
        rows.append(_persons_year(year, rep, province_code))
    for a in aggregates:
        if not isinstance(a, AggregateRecord):
            raise InvalidValueError("aggregates", a, "AggregateRecord values")
        if a.current_code() != province_code:
            continue
        rows.append(
            SeriesRow(
                year=a.year,
                backing=Backing.AGGREGATE,
                health_cards=a.health_cards,
                social_books=a.social_books,
                books_and_cards=a.cards_and_books,
                tet_gifts=a.tet_gifts,
                people=a.people,
                value=a.value,
                mobilised=a.mobilised,
                approximate=a.approximate,
                source=a.source,
                note=a.note,
            )
        )
    return tuple(sorted(rows, key=lambda r: (r.year, r.backing is Backing.AGGREGATE)))
