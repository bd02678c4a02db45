"""Strategies for people and what they are given: people, provinces, products, top-ups and quotes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ansinh.core.law import Law, RateTable, SourceStatus
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList, PlaceKind
from ansinh.core.pricing import LocalSupport, Quote, QuoteLine, price
from ansinh.core.products import HealthCard, HospitalLevel, Product, ProductKind, SocialBook, TetGift
from ansinh.core.provinces import former_provinces as _all_former
from ansinh.core.provinces import provinces as _all_provinces
from ansinh.exceptions import InvalidValueError
from ansinh.strategies._common import (
    book_incomes,
    date_pairs,
    given_or,
    ids,
    law_or_default,
    pricing_days,
)
from ansinh.strategies._law import citations, dates, laws, rate_tables

__all__ = [
    "addresses",
    "categories",
    "commune_lists",
    "health_cards",
    "local_supports",
    "people",
    "pricing_contexts",
    "products",
    "provinces",
    "quote_lines",
    "quotes",
    "social_books",
    "tet_gifts",
]

_FAMILY: Final = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE: Final = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "")
_GIVEN: Final = ("Lan", "Bình", "Hùng", "Mai", "Dũng", "Hà", "Tuấn", "Hương", "Nam", "Yến", "Khánh", "Sơn")
_COMMUNES: Final = ("Phường Hoàn Kiếm", "Xã Tiên Lữ", "Xã Mai Châu", "Phường Phan Đình Phùng", "Xã Đồng Hỷ")
_DISTRICTS: Final = ("Long Biên", "Thủ Đức", "Văn Lâm")


_ONE_DAY: Final = dt.timedelta(days=1)


def provinces() -> SearchStrategy[str]:
    """Codes of the 34 province-level units in force since 2025-07-01."""
    return st.sampled_from(tuple(p.code for p in _all_provinces()))


def categories() -> SearchStrategy[Category]:
    """Any :class:`~ansinh.Category` (use ``st.frozensets(categories())`` for a person's set)."""
    return st.sampled_from(Category)


def _former_of(province: str) -> SearchStrategy[str | None]:
    """``None`` or a former (pre-2025) province code that merged into *province*."""
    merged = tuple(f.code for f in _all_former() if f.merged_into == province)
    return st.none() | st.sampled_from(merged) if merged else st.none()


def addresses(*, province: str) -> SearchStrategy[tuple[str, str, str | None]]:
    """``(commune, district, former_province)`` of someone living in *province* (each may be unknown).

    The commune and former district come from a few names shared with :func:`local_supports` and
    :func:`commune_lists`, so that area-keyed programmes and lists often match; the former province
    is one that merged into *province*, or ``None``.
    """
    return st.tuples(
        st.sampled_from(("", *_COMMUNES)), st.sampled_from(("", *_DISTRICTS)), _former_of(province)
    )


def commune_lists(
    *, province: str | SearchStrategy[str] | None = None, kind: PlaceKind | None = None
) -> SearchStrategy[CommuneList]:
    """Dated commune lists (poor communes, difficult areas) of a province, over the names of :func:`addresses`."""
    start = st.shared(dates(), key="ansinh.commune_list.effective")
    return st.builds(
        CommuneList,
        code=ids("CL-"),
        kind=st.sampled_from(PlaceKind) if kind is None else st.just(kind),
        province=given_or(province, provinces()),
        communes=st.frozensets(st.sampled_from(_COMMUNES), min_size=1, max_size=3),
        effective=start,
        until=st.none()
        | start.flatmap(lambda d: st.dates(min_value=d, max_value=d + dt.timedelta(days=2000))),
        citation=citations(),
        status=st.sampled_from(SourceStatus),
        label_vi=st.just("Xã nghèo"),
        label_en=st.just("Poor communes"),
    )


# -- people ----------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _digits(n: int) -> SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


def _names() -> SearchStrategy[str]:
    return st.tuples(st.sampled_from(_FAMILY), st.sampled_from(_MIDDLE), st.sampled_from(_GIVEN)).map(
        lambda parts: " ".join(p for p in parts if p)
    )


def people(
    *,
    province: str | SearchStrategy[str] | None = None,
    categories: Iterable[Category] | SearchStrategy[frozenset[Category]] | None = None,
    min_age: int = 0,
    max_age: int = 100,
    on: dt.date = dt.date(2026, 1, 1),
) -> SearchStrategy[Person]:
    """Valid :class:`~ansinh.Person` objects.

    Args:
        province: a province code, a strategy of codes, or ``None`` for any.
        categories: a fixed set of categories, a strategy of sets, or ``None``
            for any set of up to three.
        min_age: the youngest age on *on*.
        max_age: the oldest age on *on*.
        on: the date the ages refer to.

    Identifiers (CCCD: 12 digits, mã số BHXH: 10 digits) are random digits or
    ``None``; they identify no one.  The address (:func:`addresses`) is consistent with the
    province; the day out of poverty is ``None`` or within four years before *on*.
    """
    if not 0 <= min_age <= max_age:
        raise InvalidValueError("max_age", max_age, f"an age >= min_age={min_age} >= 0")
    if isinstance(categories, SearchStrategy):
        cats: SearchStrategy[frozenset[Category]] = categories
    elif categories is None:
        cats = st.frozensets(st.sampled_from(Category), max_size=3)
    else:
        cats = st.just(frozenset(Category(c) for c in categories))
    born = st.dates(min_value=_years_before(on, max_age + 1) + _ONE_DAY, max_value=_years_before(on, min_age))
    return given_or(province, provinces()).flatmap(
        lambda code: addresses(province=code).flatmap(lambda address: _person(code, address, cats, born, on))
    )


def _person(
    province: str,
    address: tuple[str, str, str | None],
    cats: SearchStrategy[frozenset[Category]],
    born: SearchStrategy[dt.date],
    on: dt.date,
) -> SearchStrategy[Person]:
    commune, district, former = address
    return st.builds(
        Person,
        id=ids("P-"),
        full_name=_names(),
        date_of_birth=born,
        province=st.just(province),
        categories=cats,
        cccd=st.none() | _digits(12),
        social_insurance_number=st.none() | _digits(10),
        commune=st.just(commune),
        district=st.just(district),
        former_province=st.just(former),
        left_poverty_on=st.none() | st.dates(min_value=on - dt.timedelta(days=1500), max_value=on),
        household_id=st.none() | ids("HH-"),
        vietnamese_citizen=st.booleans(),
        difficult_circumstances=st.booleans(),
        compulsory_si=st.booleans(),
        receives_pension=st.booleans(),
        bhyt_valid_until=st.none()
        | st.dates(min_value=on - dt.timedelta(days=800), max_value=on + dt.timedelta(days=400)),
        vsi_supported_months=st.integers(0, 150),
        hospital_stay=st.none() | date_pairs(on - dt.timedelta(days=60), on + dt.timedelta(days=60), 60),
    )


# -- products ---------------------------------------------------------------------------------


def _allowed_months(law: Law, name: str, on: dt.date | None) -> tuple[int, ...]:
    sets = [set(law.months(name, on=day)) for day in pricing_days(law, on)]
    common = sorted(set.intersection(*sets))
    if not common:
        raise InvalidValueError("on", on, f"a date range in which some {name} period is always allowed")
    return tuple(common)


def _months(
    months: int | Iterable[int] | None, law: Law, name: str, on: dt.date | None
) -> SearchStrategy[int]:
    if months is None:
        return st.sampled_from(_allowed_months(law, name, on))
    if isinstance(months, int):
        return st.just(months)
    return st.sampled_from(tuple(months))


def health_cards(
    *,
    on: dt.date | None = None,
    law: Law | None = None,
    months: int | Iterable[int] | None = None,
    household_rank: int | None = None,
    first_year: bool | None = False,
) -> SearchStrategy[HealthCard]:
    """Health cards that *law* can price on *on*.

    Args:
        on: the purchase date; ``None``: periods allowed on every date of :func:`dates`.
        law: the law (default: the shipped law).
        months: a period or periods to choose from (default: those the law allows).
        household_rank: a fixed rank (default: 1 to 5).
        first_year: a fixed ``HealthCard.first_year`` (default ``False``: a
            first-year student's card has its own periods), ``None`` for either.
    """
    lw = law_or_default(law)
    return st.builds(
        HealthCard,
        months=_months(months, lw, "bhyt_payment_months", on),
        household_rank=st.integers(1, 5) if household_rank is None else st.just(household_rank),
        first_year=st.booleans() if first_year is None else st.just(first_year),
    )


def social_books(
    *,
    on: dt.date | None = None,
    law: Law | None = None,
    months: int | Iterable[int] | None = None,
) -> SearchStrategy[SocialBook]:
    """Voluntary-SI books that *law* can price on *on*.

    Incomes are ``None`` (the legal minimum) or on the law's step between the
    floor and the ceiling of that date.  With ``on=None`` they are valid on
    every date of :func:`dates`.
    """
    lw = law_or_default(law)
    return st.builds(
        SocialBook,
        months=_months(months, lw, "vsi_payment_months", on),
        monthly_income=book_incomes(lw, on),
    )


def tet_gifts(*, min_value: int = 100_000, max_value: int = 5_000_000) -> SearchStrategy[TetGift]:
    """Tết gifts worth *min_value* to *max_value* đồng (whole thousands), some naming a hospital and its level."""
    if not 1 <= min_value <= max_value:
        raise InvalidValueError("max_value", max_value, f"an amount >= min_value={min_value} >= 1")
    values = st.integers(min_value, max_value).map(lambda v: max(min_value, v // 1000 * 1000))
    named = st.builds(
        TetGift,
        value=values,
        hospital=st.sampled_from(HOSPITALS),
        hospital_level=st.none() | st.sampled_from(HospitalLevel),
    )
    return st.builds(TetGift, value=values) | named


HOSPITALS: Final = (  # made up: the names of real hospitals, for Tết gifts
    "Bệnh viện Hữu nghị Việt Đức",
    "Bệnh viện Bệnh nhiệt đới Trung ương",
    "Bệnh viện Nhi Trung ương",
    "Bệnh viện Đa khoa tỉnh Hưng Yên",
    "Trung tâm Y tế huyện Tiên Lữ",
)


def products(*, on: dt.date | None = None, law: Law | None = None) -> SearchStrategy[Product]:
    """Any product the law can price on *on* (see :func:`health_cards`, :func:`social_books`)."""
    return st.one_of(health_cards(on=on, law=law), social_books(on=on, law=law), tet_gifts())


def local_supports(
    *,
    province: str | SearchStrategy[str] | None = None,
    product: ProductKind | None = None,
    areas: bool = True,
) -> SearchStrategy[LocalSupport]:
    """Provincial top-ups for a card or a book, with rates between 0 and 1.

    With *areas* (the default) some are keyed by area — a former province that merged into the
    province, a former district, a commune list, over the names of :func:`addresses` — and some
    limit a group to months after leaving poverty (:attr:`~ansinh.LocalSupport.group_months`).
    """
    return given_or(province, provinces()).flatmap(lambda code: _local_support(code, product, areas))


PricingContext = tuple[tuple[LocalSupport, ...], tuple[CommuneList, ...]]
"""The top-ups and commune lists pricing is given (``local_supports=``, ``commune_lists=``)."""


def pricing_contexts(
    *, provinces: Iterable[str], in_force: dt.date, shipped: Iterable[LocalSupport] = ()
) -> SearchStrategy[PricingContext]:
    """``(top-ups, commune lists)`` for pricing people of *provinces*: *shipped* as they are, or drawn top-ups.

    Drawn top-ups (:func:`local_supports`) may be made in force on *in_force*, open to every
    group, and given an age band on one group (65 and over, or 65 to 75); the commune lists
    (:func:`commune_lists`, at most two) are in force from 2025-01-01 on.  For properties
    of what pricing reads of a person given top-ups, such as
    :class:`~ansinh.core.price_classes.PriceKeys`.

    Args:
        provinces: the provinces of the drawn top-ups and lists (codes).
        in_force: a day the drawn top-ups may be made in force on.
        shipped: top-ups drawn as a whole about half the time when given (e.g.
            :func:`ansinh.plugins.local_support.shipped_local_supports`).
    """
    codes = tuple(provinces)
    if not codes:
        raise InvalidValueError("provinces", codes, "at least one province code")
    return _pricing_context(codes, in_force, tuple(shipped))


@st.composite
def _pricing_context(
    draw: st.DrawFn, codes: tuple[str, ...], in_force: dt.date, shipped: tuple[LocalSupport, ...]
) -> PricingContext:
    as_shipped: bool = draw(st.booleans(), label="shipped top-ups") if shipped else False
    if as_shipped:
        supports = shipped
    else:
        drawn = draw(st.lists(local_supports(province=st.sampled_from(codes)), max_size=4))
        supports = tuple(draw(_varied(s, in_force)) for s in drawn)
    lists = draw(st.lists(commune_lists(province=st.sampled_from(codes)), max_size=2), label="commune lists")
    since = dt.date(2025, 1, 1)
    return supports, tuple(attrs.evolve(c, effective=since, until=None) for c in lists)


@st.composite
def _varied(draw: st.DrawFn, support: LocalSupport, in_force: dt.date) -> LocalSupport:
    """*support*, maybe in force on *in_force*, for everyone, and with an age band on one of its groups."""
    if draw(st.booleans(), label="in force"):
        support = attrs.evolve(support, effective=min(support.effective, in_force), until=None)
    if draw(st.booleans(), label="for everyone"):
        support = attrs.evolve(
            support, rates=RateTable((("other", Fraction(1, 3)), ("household", Fraction(1, 2))))
        )
    if draw(st.booleans(), label="age band"):
        group = draw(st.sampled_from(support.rates.keys()), label="aged group")
        below = draw(st.sampled_from((75, None)), label="below")
        support = attrs.evolve(support, group_ages=((group, 65, below),))
    return support


def _group_months(table: RateTable) -> SearchStrategy[tuple[tuple[str, int], ...]]:
    limits = st.lists(
        st.tuples(st.sampled_from(table.keys()), st.integers(1, 48)), max_size=1, unique_by=lambda t: t[0]
    )
    return limits.map(tuple)


def _local_support(province: str, product: ProductKind | None, areas: bool) -> SearchStrategy[LocalSupport]:
    kinds = (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK) if product is None else (product,)
    start = st.shared(dates(), key="ansinh.local_support.effective")
    return rate_tables().flatmap(
        lambda table: st.builds(
            LocalSupport,
            code=ids("LS-"),
            province=st.just(province),
            product=st.sampled_from(kinds),
            effective=start,
            until=st.none()
            | start.flatmap(lambda d: st.dates(min_value=d, max_value=d + dt.timedelta(days=2000))),
            rates=st.just(table),
            citation=citations(),
            status=st.sampled_from(SourceStatus),
            label_vi=st.sampled_from(("Hỗ trợ của tỉnh", "NSĐP hỗ trợ thêm")),
            label_en=st.sampled_from(("Province top-up", "Local budget support")),
            former_province=_former_of(province) if areas else st.none(),
            district=st.sampled_from(("", "", *_DISTRICTS)) if areas else st.just(""),
            communes=st.frozensets(st.sampled_from(_COMMUNES), max_size=2) if areas else st.just(frozenset()),
            group_months=_group_months(table) if areas else st.just(()),
        )
    )


@st.composite
def _quotes(draw: st.DrawFn, on: dt.date | None, law: Law | None) -> Quote:
    lw = draw(laws(max_amendments=2)) if law is None else law
    day = draw(dates(law=lw)) if on is None else on
    product = draw(products(on=day, law=lw))
    person = draw(st.none() | people(on=day))
    supports: tuple[LocalSupport, ...] = ()
    lists: tuple[CommuneList, ...] = ()
    if person is not None:
        supports = tuple(draw(st.lists(local_supports(province=person.province), max_size=2)))
        lists = tuple(draw(st.lists(commune_lists(province=person.province), max_size=2, unique_by=_code)))
    return price(product, person, on=day, law=lw, local_supports=supports, commune_lists=lists)


def _code(lst: CommuneList) -> str:
    return lst.code


def quotes(*, on: dt.date | None = None, law: Law | None = None) -> SearchStrategy[Quote]:
    """Quotes computed by :func:`ansinh.core.pricing.price` for valid products and people.

    Args:
        on: the purchase date (default: any date of :func:`dates`).
        law: the law (default: laws from :func:`laws`).
    """
    return _quotes(on, law)


def quote_lines() -> SearchStrategy[QuoteLine]:
    """Lines of quotes from :func:`quotes`."""
    return quotes().flatmap(lambda q: st.sampled_from(q.lines))
