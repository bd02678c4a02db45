"""Hypothesis strategies for ansinh's types: property-test your own rules with valid data.

Install the extra (``pip install ansinh[hypothesis]``).  Every function here
takes keyword-only arguments and returns a
:class:`~hypothesis.strategies.SearchStrategy` that produces only *valid*
values: people that pass every validator, products that the law of the given
date can price, pledges whose instalments add up, laws that still price
everything.  (``st.from_type`` on an attrs class ignores validators, so these
strategies are written out by hand.)

>>> import datetime as dt
>>> from hypothesis import given
>>> import ansinh
>>> from ansinh import strategies as ast
>>> @given(book=ast.social_books(on=dt.date(2026, 1, 1)))
... def test_payable_never_negative(book):
...     assert ansinh.price(book, on=dt.date(2026, 1, 1)).payable >= 0
>>> test_payable_never_negative()

With ansinh installed, a Hypothesis entry point calls
:func:`_hypothesis_setup_hook`, which registers these strategies for
ansinh's own types, so ``st.from_type(ansinh.Person)`` gives valid people.

Dates default to the range in which the law prices every product
(:func:`dates`): from the first day on which every pricing parameter has a
value, to the end of the fourth year after the law's last change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import itertools
import types
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Final, TypeVar

import attrs

from ansinh.core.allocation import Allocation, Candidate, Leftover, allocate
from ansinh.core.campaign import (
    Beneficiary,
    Campaign,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    GiftStatus,
    Instalment,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.eligibility import Decision, Priority, Reason, Screening, check, screen
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
    SourceStatus,
)
from ansinh.core.ledger import (
    EVENT_TYPES,
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeAmended,
    PledgeBalance,
    PledgeRegistered,
    PledgeWithdrawn,
)
from ansinh.core.people import Category, Person
from ansinh.core.pricing import OTHER_GROUP, LocalSupport, Quote, QuoteLine, price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.provinces import provinces as _all_provinces
from ansinh.core.reporting import DIMENSIONS, CampaignReport, RenewalItem, ReportRow, report
from ansinh.exceptions import InvalidValueError, InvariantViolation
from ansinh.hookspecs import SourcingResult

# The Hypothesis entry point names _hypothesis_setup_hook in this module, and
# importing Hypothesis runs the entry points.  So when this module is imported
# first, Hypothesis calls the hook while the module is still half-built: the
# hook and the types it registers are therefore defined *before* Hypothesis is
# imported, and each type's strategy is looked up only when it is first used.
_HOOK_TYPES: Final[tuple[type[Any], ...]] = (
    *EVENT_TYPES,
    Allocation,
    Amendment,
    Beneficiary,
    CampaignReport,
    Candidate,
    Decision,
    Funding,
    Gift,
    GiftStatus,
    LedgerState,
    Leftover,
    PledgeBalance,
    Priority,
    Reason,
    RenewalItem,
    ReportRow,
    Screening,
    SourcingResult,
    Campaign,
    Category,
    Citation,
    DatedValue,
    Earmark,
    EarmarkKind,
    HealthCard,
    Instalment,
    Law,
    LawPeriod,
    LawValue,
    Ledger,
    Link,
    LocalSupport,
    ParamKind,
    Parameter,
    Person,
    Pledge,
    ProductKind,
    Quote,
    QuoteLine,
    RateTable,
    SocialBook,
    SourceStatus,
    Sponsor,
    SponsorKind,
    TetGift,
)


def _hypothesis_setup_hook() -> None:
    """Register ansinh's strategies with Hypothesis, for ansinh's own types only.

    Called by Hypothesis through the ``hypothesis`` entry point; calling it
    again is harmless.  Each type gets its strategy from :data:`STRATEGIES`
    (a :class:`~ansinh.core.ledger.Ledger` from :func:`ledgers`), built only
    when ``st.from_type`` first asks for it, so importing Hypothesis reads no
    ansinh data.

    >>> from hypothesis import given
    >>> import ansinh
    >>> _hypothesis_setup_hook()
    >>> @given(st.from_type(ansinh.Person))
    ... def test_province_is_current(person):
    ...     assert person.province in {p.code for p in _all_provinces()}
    >>> test_province_is_current()
    """
    from hypothesis.strategies import register_type_strategy

    for cl in _HOOK_TYPES:
        register_type_strategy(cl, _resolve)


def _resolve(cl: type[T]) -> SearchStrategy[T]:
    strategy: SearchStrategy[T] = _factory_for(cl)()
    return strategy


from hypothesis import strategies as st  # noqa: E402 - after the hook: see above
from hypothesis.strategies import SearchStrategy  # noqa: E402

__all__ = [
    "STRATEGIES",
    "allocations",
    "amendments",
    "beneficiaries",
    "campaigns",
    "candidates",
    "categories",
    "citations",
    "dated_values",
    "dates",
    "decisions",
    "earmarks",
    "gifts",
    "health_cards",
    "instalments",
    "law_periods",
    "law_values",
    "laws",
    "ledger_events",
    "ledger_states",
    "ledgers",
    "leftovers",
    "links",
    "local_supports",
    "parameters",
    "people",
    "pledge_balances",
    "pledges",
    "priorities",
    "products",
    "provinces",
    "quote_lines",
    "quotes",
    "rate_tables",
    "reasons",
    "renewal_items",
    "report_rows",
    "reports",
    "screenings",
    "social_books",
    "sourcing_results",
    "sponsors",
    "tet_gifts",
]

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

_FAMILY: Final = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ")
_MIDDLE: Final = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "")
_GIVEN: Final = ("Lan", "Bình", "Hùng", "Mai", "Dũng", "Hà", "Tuấn", "Hương", "Nam", "Yến", "Khánh", "Sơn")
_COMMUNES: Final = ("Phường Hoàn Kiếm", "Xã Tiên Lữ", "Xã Mai Châu", "Phường Phan Đình Phùng", "Xã Đồng Hỷ")
_DOCUMENTS: Final = (
    "Nghị định 159/2025/NĐ-CP",
    "Nghị định 188/2025/NĐ-CP",
    "Luật BHXH 41/2024/QH15",
    "Nghị quyết HĐND (kịch bản)",
    "Kịch bản / scenario",
)
_ID_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-"
_ONE_DAY: Final = dt.timedelta(days=1)


def _default_law(law: Law | None) -> Law:
    if law is not None:
        if not isinstance(law, Law):
            raise InvalidValueError("law", law, "an ansinh.Law or None")
        return law
    from ansinh.data import default_law

    return default_law()


def _strategy(value: T | SearchStrategy[T] | None, default: SearchStrategy[T]) -> SearchStrategy[T]:
    if value is None:
        return default
    if isinstance(value, SearchStrategy):
        return value
    return st.just(value)


def _ids(prefix: str = "") -> SearchStrategy[str]:
    return st.text(_ID_ALPHABET, min_size=1, max_size=10).map(lambda s: prefix + s)


# -- basic values -------------------------------------------------------------------


def provinces() -> SearchStrategy[str]:
    """Codes of the 34 province-level units in force since 2025-07-01."""
    return st.sampled_from(tuple(p.code for p in _all_provinces()))


def categories() -> SearchStrategy[Category]:
    """Any :class:`~ansinh.Category` (use ``st.frozensets(categories())`` for a person's set)."""
    return st.sampled_from(Category)


def _enum(cl: type[E]) -> Callable[[], SearchStrategy[E]]:
    def strategy() -> SearchStrategy[E]:
        return st.sampled_from(cl)

    strategy.__name__ = cl.__name__
    return strategy


@functools.lru_cache(maxsize=64)
def _date_range(law: Law) -> tuple[dt.date, dt.date]:
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
    low, high = _date_range(_default_law(law))
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
    names = tuple(p.name for p in _default_law(law).parameters if p.kind is ParamKind.AMOUNT)
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
    low, high = _date_range(law)
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


# -- people ----------------------------------------------------------------------------------


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _digits(n: int) -> SearchStrategy[str]:
    return st.text("0123456789", min_size=n, max_size=n)


@st.composite
def _pairs(draw: st.DrawFn, low: dt.date, high: dt.date, max_days: int) -> tuple[dt.date, dt.date]:
    first = draw(st.dates(min_value=low, max_value=high))
    return first, first + dt.timedelta(days=draw(st.integers(0, max_days)))


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
    ``None``; they identify no one.
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
    return st.builds(
        Person,
        id=_ids("P-"),
        full_name=_names(),
        date_of_birth=born,
        province=_strategy(province, provinces()),
        categories=cats,
        cccd=st.none() | _digits(12),
        social_insurance_number=st.none() | _digits(10),
        commune=st.sampled_from(("", *_COMMUNES)),
        household_id=st.none() | _ids("HH-"),
        vietnamese_citizen=st.booleans(),
        difficult_circumstances=st.booleans(),
        compulsory_si=st.booleans(),
        receives_pension=st.booleans(),
        bhyt_valid_until=st.none()
        | st.dates(min_value=on - dt.timedelta(days=800), max_value=on + dt.timedelta(days=400)),
        vsi_supported_months=st.integers(0, 150),
        hospital_stay=st.none() | _pairs(on - dt.timedelta(days=60), on + dt.timedelta(days=60), 60),
    )


# -- products ---------------------------------------------------------------------------------


def _periods(law: Law, on: dt.date | None) -> tuple[dt.date, ...]:
    """One date per law period in the default range (or just *on*)."""
    if on is not None:
        return (on,)
    low, high = _date_range(law)
    return (low, *(d for d in law.change_dates if low < d <= high))


def _allowed_months(law: Law, name: str, on: dt.date | None) -> tuple[int, ...]:
    sets = [set(law.months(name, on=day)) for day in _periods(law, on)]
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
) -> SearchStrategy[HealthCard]:
    """Health cards that *law* can price on *on*.

    Args:
        on: the purchase date; ``None``: periods allowed on every date of :func:`dates`.
        law: the law (default: the shipped law).
        months: a period or periods to choose from (default: those the law allows).
        household_rank: a fixed rank (default: 1 to 5).
    """
    lw = _default_law(law)
    return st.builds(
        HealthCard,
        months=_months(months, lw, "bhyt_payment_months", on),
        household_rank=st.integers(1, 5) if household_rank is None else st.just(household_rank),
    )


def _incomes(law: Law, on: dt.date | None) -> SearchStrategy[int | None]:
    ranges = [
        (
            law.amount("vsi_income_floor", on=day),
            law.amount("vsi_income_ceiling", on=day),
            law.amount("vsi_income_step", on=day),
        )
        for day in _periods(law, on)
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
    lw = _default_law(law)
    return st.builds(
        SocialBook,
        months=_months(months, lw, "vsi_payment_months", on),
        monthly_income=_incomes(lw, on),
    )


def tet_gifts(*, min_value: int = 100_000, max_value: int = 5_000_000) -> SearchStrategy[TetGift]:
    """Tết gifts worth *min_value* to *max_value* đồng (whole thousands)."""
    if not 1 <= min_value <= max_value:
        raise InvalidValueError("max_value", max_value, f"an amount >= min_value={min_value} >= 1")
    return st.builds(
        TetGift, value=st.integers(min_value, max_value).map(lambda v: max(min_value, v // 1000 * 1000))
    )


def products(*, on: dt.date | None = None, law: Law | None = None) -> SearchStrategy[Product]:
    """Any product the law can price on *on* (see :func:`health_cards`, :func:`social_books`)."""
    return st.one_of(health_cards(on=on, law=law), social_books(on=on, law=law), tet_gifts())


def local_supports(
    *, province: str | SearchStrategy[str] | None = None, product: ProductKind | None = None
) -> SearchStrategy[LocalSupport]:
    """Provincial top-ups for a card or a book, with rates between 0 and 1."""
    kinds = (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK) if product is None else (product,)
    return st.builds(
        LocalSupport,
        code=_ids("LS-"),
        province=_strategy(province, provinces()),
        product=st.sampled_from(kinds),
        effective=st.shared(dates(), key="ansinh.local_support.effective"),
        until=st.none()
        | st.shared(dates(), key="ansinh.local_support.effective").flatmap(
            lambda d: st.dates(min_value=d, max_value=d + dt.timedelta(days=2000))
        ),
        rates=rate_tables(),
        citation=citations(),
        status=st.sampled_from(SourceStatus),
        label_vi=st.sampled_from(("Hỗ trợ của tỉnh", "NSĐP hỗ trợ thêm")),
        label_en=st.sampled_from(("Province top-up", "Local budget support")),
    )


@st.composite
def _quotes(draw: st.DrawFn, on: dt.date | None, law: Law | None) -> Quote:
    lw = draw(laws(max_amendments=2)) if law is None else law
    day = draw(dates(law=lw)) if on is None else on
    product = draw(products(on=day, law=lw))
    person = draw(st.none() | people(on=day))
    supports: tuple[LocalSupport, ...] = ()
    if person is not None:
        supports = tuple(draw(st.lists(local_supports(province=person.province), max_size=2)))
    return price(product, person, on=day, law=lw, local_supports=supports)


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


# -- campaigns ---------------------------------------------------------------------------------


@st.composite
def _campaigns(draw: st.DrawFn, province: SearchStrategy[str | None]) -> Campaign:
    start = draw(dates())
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    tet = draw(st.none() | _pairs(start, end, 9))
    year = draw(st.sampled_from(("Ất Tỵ", "Bính Ngọ", "Đinh Mùi")))
    return Campaign(
        code=draw(_ids("C-")),
        name=f"Xuân {year}",
        lunar_year=year,
        plan_reference=draw(st.sampled_from(("", "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"))),
        province=draw(province),
        start=start,
        end=end,
        tet_dates=tet,
    )


def campaigns(*, province: str | SearchStrategy[str | None] | None = None) -> SearchStrategy[Campaign]:
    """Campaigns (national or provincial) with ordered dates and Tết days.

    Args:
        province: a province code or a strategy of codes (default: national or any province).
    """
    return _campaigns(_strategy(province, st.none() | provinces()))


def sponsors(
    *, province: str | SearchStrategy[str | None] | None = None, kind: SponsorKind | None = None
) -> SearchStrategy[Sponsor]:
    """Sponsors of any kind (or of *kind*), central or provincial."""
    return st.builds(
        Sponsor,
        id=_ids("S-"),
        name=st.sampled_from(
            ("Vietcombank", "Công ty May 10", "Chùa Bái Đính", "Nguyễn Văn A", "Hội Chữ thập đỏ")
        ),
        kind=st.sampled_from(SponsorKind) if kind is None else st.just(kind),
        province=_strategy(province, st.none() | provinces()),
    )


def earmarks() -> SearchStrategy[Earmark]:
    """Earmarks of every kind (a category earmark targets a category value)."""
    return st.one_of(
        st.builds(
            Earmark,
            kind=st.just(EarmarkKind.CATEGORY),
            target=st.sampled_from(Category).map(lambda c: c.value),
            label=st.sampled_from(("", "hộ cận nghèo")),
        ),
        st.builds(
            Earmark,
            kind=st.sampled_from([k for k in EarmarkKind if k is not EarmarkKind.CATEGORY]),
            target=st.sampled_from(("Công ty May 10", "Hội Phật giáo", "Xã Tiên Lữ")),
            label=st.sampled_from(("", "thân nhân người lao động")),
        ),
    )


def instalments() -> SearchStrategy[Instalment]:
    """Scheduled payments of whole đồng."""
    return st.builds(Instalment, due=dates(), amount=st.integers(0, 10**9))


@st.composite
def _pledges(
    draw: st.DrawFn, sponsor_id: SearchStrategy[str], province: SearchStrategy[str | None]
) -> Pledge:
    units = draw(
        st.lists(
            st.tuples(st.sampled_from(ProductKind), st.integers(0, 500)), max_size=3, unique_by=lambda u: u[0]
        )
    )
    money = draw(st.integers(0 if units else 1, 10**10))
    schedule: tuple[Instalment, ...] = ()
    if money and draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, money), max_size=3)))
        bounds = [0, *cuts, money]
        first_due = draw(dates())
        schedule = tuple(
            Instalment(due=first_due + dt.timedelta(days=30 * i), amount=b - a)
            for i, (a, b) in enumerate(itertools.pairwise(bounds))
        )
    return Pledge(
        id=draw(_ids("PL-")),
        sponsor_id=draw(sponsor_id),
        units=tuple(units),
        money=money,
        province=draw(province),
        earmark=draw(st.none() | earmarks()),
        strategy=draw(st.sampled_from(("", "workplace_drive", "sales_channel", "commune_engagement"))),
        card_months=draw(st.sampled_from((3, 6, 12))),
        book_months=draw(st.sampled_from((1, 3, 6, 12))),
        instalments=schedule,
    )


def pledges(
    *,
    sponsor_id: str | SearchStrategy[str] | None = None,
    province: str | SearchStrategy[str | None] | None = None,
) -> SearchStrategy[Pledge]:
    """Pledges of units and/or money; instalments, when any, add up to the money."""
    return _pledges(_strategy(sponsor_id, _ids("S-")), _strategy(province, st.none() | provinces()))


# -- eligibility --------------------------------------------------------------------------------

_REASON_CODES: Final = (
    "ALREADY_INSURED",
    "STATE_PAID_IN_FULL",
    "UNDER_MIN_AGE",
    "NOT_CITIZEN",
    "RENEWAL_FROM_CARD_END",
    "WAITING_PERIOD_30_DAYS",
    "OUTSIDE_CAMPAIGN_PROVINCE",
)


def reasons() -> SearchStrategy[Reason]:
    """Reasons with a code, a flag, texts in both languages and an optional citation."""
    return st.builds(
        Reason,
        st.sampled_from(_REASON_CODES),
        st.booleans(),
        st.sampled_from(("Chưa đủ 15 tuổi.", "Đang có thẻ BHYT còn giá trị.", "Thẻ nối tiếp thẻ cũ.")),
        st.sampled_from(("Under 15.", "Already holds a valid card.", "Continues the current card.")),
        st.none() | citations(),
    )


def priorities() -> SearchStrategy[Priority]:
    """Priority scores that are the sum of their parts."""
    return st.lists(
        st.tuples(
            st.sampled_from(("POOR", "NEAR_POOR", "AGE_60_PLUS", "UNINSURED", "LOCAL_X")), st.integers(0, 50)
        ),
        max_size=4,
        unique_by=lambda part: part[0],
    ).map(lambda parts: Priority.of(tuple(parts)))


def _tet_ready(campaign: Campaign) -> Campaign:
    if campaign.tet_dates is not None:
        return campaign
    return attrs.evolve(campaign, tet_dates=(campaign.start, campaign.start))


@st.composite
def _decisions(draw: st.DrawFn, on: dt.date | None, law: Law | None, campaign: Campaign | None) -> Decision:
    lw = _default_law(law)
    camp = draw(st.none() | campaigns()) if campaign is None else campaign
    day = draw(dates(law=lw)) if on is None else on
    product = draw(products(on=day, law=lw))
    if isinstance(product, TetGift):
        camp = _tet_ready(camp if camp is not None else draw(campaigns()))
    home = provinces() if camp is None or camp.province is None else st.just(camp.province) | provinces()
    person = draw(people(on=day, province=home))
    return check(person, product, on=day, campaign=camp, law=lw)


def decisions(
    *, on: dt.date | None = None, law: Law | None = None, campaign: Campaign | None = None
) -> SearchStrategy[Decision]:
    """Decisions made by :func:`ansinh.core.eligibility.check` for valid people and products.

    Args:
        on: the date of the gift (default: any date of :func:`dates`).
        law: the law (default: the shipped law).
        campaign: the campaign (default: none, or any; a Tết gift always gets
            one with Tết dates).
    """
    return _decisions(on, law, campaign)


@st.composite
def _screenings(draw: st.DrawFn, on: dt.date | None) -> Screening:
    day = draw(dates()) if on is None else on
    product = draw(st.one_of(health_cards(on=day), social_books(on=day)))
    crowd = draw(st.lists(people(on=day), max_size=5, unique_by=lambda p: p.id))
    return screen(crowd, product, on=day, law=_default_law(None))


def screenings(*, on: dt.date | None = None) -> SearchStrategy[Screening]:
    """Screenings of up to five people for a card or a book (:func:`ansinh.core.eligibility.screen`)."""
    return _screenings(on)


# -- gifts and the ledger ------------------------------------------------------------------------


def beneficiaries(*, province: str | SearchStrategy[str] | None = None) -> SearchStrategy[Beneficiary]:
    """The ledger's view of a person: province, categories, supported months, affiliations."""
    return st.builds(
        Beneficiary,
        person_id=_ids("P-"),
        province=_strategy(province, provinces()),
        categories=st.frozensets(st.sampled_from(Category), max_size=3),
        vsi_supported_months=st.integers(0, 150),
        affiliations=st.frozensets(st.sampled_from(("ENT-01", "ENT-02", "Chùa A", "Xã Tiên Lữ")), max_size=2),
    )


@st.composite
def _gifts(
    draw: st.DrawFn,
    on: dt.date | None,
    law: Law | None,
    beneficiary: SearchStrategy[Beneficiary],
    pledge_id: SearchStrategy[str],
    status: GiftStatus | None,
) -> Gift:
    lw = _default_law(law)
    day = draw(dates(law=lw)) if on is None else on
    who = draw(beneficiary)
    product = draw(products(on=day, law=lw))
    quote = price(product, who, on=day, law=lw)
    covers_from = day + dt.timedelta(days=draw(st.integers(0, 60))) if product.months > 0 else None
    return Gift(
        id=draw(_ids("G-")),
        pledge_id=draw(pledge_id),
        beneficiary=who,
        product=product,
        quote=quote,
        funding=draw(st.sampled_from(Funding)),
        covers_from=covers_from,
        priority=draw(st.integers(0, 200)),
        reason=draw(st.sampled_from(("", "Ưu tiên hộ cận nghèo; nhà tài trợ: Công ty May 10"))),
        status=draw(st.sampled_from(GiftStatus)) if status is None else status,
    )


def gifts(
    *,
    on: dt.date | None = None,
    law: Law | None = None,
    beneficiary: Beneficiary | SearchStrategy[Beneficiary] | None = None,
    pledge_id: str | SearchStrategy[str] | None = None,
    status: GiftStatus | None = None,
) -> SearchStrategy[Gift]:
    """Gifts whose quote is the law's price of the product for the beneficiary on the purchase date.

    Args:
        on: the purchase date (default: any date of :func:`dates`).
        law: the law (default: the shipped law).
        beneficiary: who receives it (default: any).
        pledge_id: the paying pledge (default: any id).
        status: a fixed status (default: any).
    """
    return _gifts(on, law, _strategy(beneficiary, beneficiaries()), _strategy(pledge_id, _ids("PL-")), status)


def _event_ids() -> SearchStrategy[str]:
    return _ids("E-")


def _notes() -> SearchStrategy[str]:
    return st.sampled_from(("", "theo đề nghị của nhà tài trợ", "sai thông tin"))


@st.composite
def _pledge_registered(draw: st.DrawFn) -> PledgeRegistered:
    sponsor = draw(sponsors())
    return PledgeRegistered(
        event_id=draw(_event_ids()),
        on=draw(dates()),
        sponsor=sponsor,
        pledge=draw(pledges(sponsor_id=sponsor.id)),
    )


_EVENT_STRATEGIES: Final[dict[type[Any], Callable[[], SearchStrategy[Any]]]] = {
    PledgeRegistered: _pledge_registered,
    PledgeAmended: lambda: st.builds(
        PledgeAmended, event_id=_event_ids(), on=dates(), pledge=pledges(), note=_notes()
    ),
    PledgeWithdrawn: lambda: st.builds(
        PledgeWithdrawn, event_id=_event_ids(), on=dates(), pledge_id=_ids("PL-"), note=_notes()
    ),
    MoneyReceived: lambda: st.builds(
        MoneyReceived, event_id=_event_ids(), on=dates(), pledge_id=_ids("PL-"), amount=st.integers(1, 10**10)
    ),
    GiftAllocated: lambda: st.builds(
        GiftAllocated, event_id=_event_ids(), on=dates(), gift=gifts(status=GiftStatus.ALLOCATED)
    ),
    GiftPaid: lambda: st.builds(GiftPaid, event_id=_event_ids(), on=dates(), gift_id=_ids("G-")),
    GiftDelivered: lambda: st.builds(GiftDelivered, event_id=_event_ids(), on=dates(), gift_id=_ids("G-")),
    GiftCancelled: lambda: st.builds(
        GiftCancelled, event_id=_event_ids(), on=dates(), gift_id=_ids("G-"), note=_notes()
    ),
    GiftRefunded: lambda: st.builds(
        GiftRefunded, event_id=_event_ids(), on=dates(), gift_id=_ids("G-"), note=_notes()
    ),
}


def ledger_events(*, types: Iterable[type[Event]] | None = None) -> SearchStrategy[Event]:
    """Ledger events, each valid on its own (whether a ledger accepts it depends on the ledger).

    Args:
        types: the event classes to draw from (default: every one of
            ``ansinh.core.ledger.EVENT_TYPES``).
    """
    chosen = tuple(EVENT_TYPES if types is None else types)
    unknown = [t for t in chosen if t not in _EVENT_STRATEGIES]
    if unknown or not chosen:
        raise InvalidValueError("types", unknown or chosen, "ledger event classes of ansinh.core.ledger")
    return st.one_of([_EVENT_STRATEGIES[t]() for t in chosen])


def _product_for(draw: st.DrawFn, kind: ProductKind, pledge: Pledge, law: Law, day: dt.date) -> Product:
    if kind is ProductKind.HEALTH_CARD:
        return HealthCard(months=pledge.card_months, household_rank=draw(st.integers(1, 5)))
    if kind is ProductKind.SOCIAL_BOOK:
        return SocialBook(months=pledge.book_months, monthly_income=draw(_incomes(law, day)))
    return draw(tet_gifts())


@st.composite
def _ledgers(draw: st.DrawFn, max_events: int) -> Ledger:
    campaign = _tet_ready(draw(campaigns(province=st.none())))
    ledger = Ledger(campaign, law=_default_law(None))
    law = ledger.law
    days = st.dates(min_value=campaign.start, max_value=campaign.end)
    actions = st.sampled_from(("pledge", "money", "gift", "gift", "gift", "step", "step", "step"))
    for i in range(draw(st.integers(1, max_events))):
        state = ledger.state
        action = draw(actions) if state.pledges else "pledge"
        event: Event
        if action == "pledge":
            sponsor = draw(sponsors(province=st.none()))
            sponsor = attrs.evolve(sponsor, id=f"S{i}")
            pledge = draw(pledges(sponsor_id=sponsor.id, province=st.none()))
            money = draw(st.sampled_from((0, 5_000_000, 20_000_000, 100_000_000)[0 if pledge.units else 1 :]))
            pledge = attrs.evolve(pledge, id=f"PL{i}", earmark=None, money=money, instalments=())
            event = PledgeRegistered(event_id=f"E{i}", on=draw(days), sponsor=sponsor, pledge=pledge)
        elif action == "money":
            balance = draw(st.sampled_from(state.pledges))
            amount = draw(st.integers(1, max(1, balance.pledge.money)))
            event = MoneyReceived(event_id=f"E{i}", on=draw(days), pledge_id=balance.pledge.id, amount=amount)
        elif action == "gift":
            balance = draw(st.sampled_from(state.pledges))
            by_units = [k for k, _ in balance.pledge.units if balance.units_left(k) > 0]
            kinds = by_units + (list(ProductKind) if balance.money_left > 0 else [])
            if not kinds:
                continue
            kind = draw(st.sampled_from(kinds))
            day = draw(days)
            product = _product_for(draw, kind, balance.pledge, law, day)
            who = draw(beneficiaries())
            gift = Gift(
                id=f"G{i}",
                pledge_id=balance.pledge.id,
                beneficiary=who,
                product=product,
                quote=price(product, who, on=day, law=law),
                funding=Funding.UNITS if kind in by_units else Funding.MONEY,
                covers_from=day if product.months > 0 else None,
            )
            event = GiftAllocated(event_id=f"E{i}", on=day, gift=gift)
        else:
            open_gifts = [g for g in state.gifts if g.status in (GiftStatus.ALLOCATED, GiftStatus.PAID)]
            if not open_gifts:
                continue
            gift = draw(st.sampled_from(open_gifts))
            if gift.status is GiftStatus.ALLOCATED:
                step: type[GiftPaid | GiftDelivered | GiftCancelled | GiftRefunded] = draw(
                    st.sampled_from((GiftPaid, GiftPaid, GiftCancelled))
                )
            else:
                step = draw(st.sampled_from((GiftDelivered, GiftDelivered, GiftRefunded)))
            event = step(event_id=f"E{i}", on=draw(days), gift_id=gift.id)
            missing = gift.amount - state.pledge(gift.pledge_id).cash_left
            if step is GiftPaid and missing > 0:
                top_up = MoneyReceived(
                    event_id=f"E{i}-m", on=event.on, pledge_id=gift.pledge_id, amount=missing
                )
                with contextlib.suppress(InvariantViolation):
                    ledger.append(top_up)
        try:
            ledger.append(event)
        except InvariantViolation:
            continue  # refused: the ledger is exactly as it was
    return ledger


def ledgers(*, max_events: int = 12) -> SearchStrategy[Ledger]:
    """Ledgers of a national campaign holding only events the ledger accepted.

    Events (pledges, money, gifts and their payment, delivery, cancellation,
    refund) are proposed at random; those the ledger refuses are dropped, so
    every invariant holds.  A :class:`~ansinh.core.ledger.Ledger` is mutable:
    each example is a new one.
    """
    if max_events < 1:
        raise InvalidValueError("max_events", max_events, "a count >= 1")
    return _ledgers(max_events)


def ledger_states(*, max_events: int = 12) -> SearchStrategy[LedgerState]:
    """The states of ledgers from :func:`ledgers`."""
    return ledgers(max_events=max_events).map(lambda ledger: ledger.state)


def pledge_balances() -> SearchStrategy[PledgeBalance]:
    """Balances of pledges in ledgers from :func:`ledgers`."""
    return ledger_states().filter(lambda s: bool(s.pledges)).flatmap(lambda s: st.sampled_from(s.pledges))


@st.composite
def _sourcing_results(draw: st.DrawFn) -> SourcingResult:
    givers = draw(st.lists(sponsors(), max_size=3, unique_by=lambda sp: sp.id))
    return SourcingResult(
        strategy=draw(st.sampled_from(("workplace_drive", "sales_channel", "commune_engagement"))),
        sponsors=tuple(givers),
        pledges=tuple(draw(pledges(sponsor_id=sp.id)) for sp in givers),
        assumptions=tuple(
            draw(
                st.lists(
                    st.sampled_from(("60% của 1.200 công nhân góp 50.000 đồng", "1 thẻ / 10 tấn hàng")),
                    max_size=2,
                )
            )
        ),
    )


def sourcing_results() -> SearchStrategy[SourcingResult]:
    """What a province's sourcing strategy produces: sponsors, one pledge each, assumptions."""
    return _sourcing_results()


# -- allocation ------------------------------------------------------------------------------------


def candidates(
    *, on: dt.date = dt.date(2026, 1, 1), product: Product | SearchStrategy[Product] | None = None
) -> SearchStrategy[Candidate]:
    """Candidates for allocation: a person, a product the law prices on *on*, a priority."""
    return st.builds(
        Candidate,
        person=people(on=on),
        product=_strategy(product, products(on=on)),
        priority=priorities(),
        valid_from=st.none() | st.dates(min_value=on, max_value=on + dt.timedelta(days=60)),
    )


def leftovers() -> SearchStrategy[Leftover]:
    """What a pledge still holds after allocation (units, money) and why."""
    return st.builds(
        Leftover,
        pledge_id=_ids("PL-"),
        sponsor_id=_ids("S-"),
        units_left=st.lists(
            st.tuples(st.sampled_from(ProductKind), st.integers(0, 50)), max_size=3, unique_by=lambda u: u[0]
        ).map(tuple),
        money_left=st.integers(0, 10**9),
        reason_vi=st.sampled_from(("Không còn người đủ điều kiện", "Số tiền còn lại nhỏ hơn mọi suất quà")),
        reason_en=st.sampled_from(("No eligible candidate left", "Money left is less than any gift")),
    )


@st.composite
def _allocations(draw: st.DrawFn) -> Allocation:
    ledger = draw(ledgers())
    campaign = ledger.campaign
    on = draw(st.dates(min_value=campaign.start, max_value=campaign.end))
    crowd = draw(
        st.lists(
            candidates(on=on, product=st.one_of(health_cards(on=on), social_books(on=on))),
            max_size=6,
            unique_by=lambda c: c.person.id,
        )
    )
    return allocate(ledger.state, crowd, on=on, law=_default_law(None))


def allocations() -> SearchStrategy[Allocation]:
    """Allocations proposed by :func:`ansinh.core.allocation.allocate` for ledgers from :func:`ledgers`."""
    return _allocations()


# -- reports -------------------------------------------------------------------------------------------


@st.composite
def _reports(draw: st.DrawFn, renewal_days: int) -> CampaignReport:
    ledger = draw(ledgers())
    start = ledger.campaign.start
    on = draw(st.dates(min_value=start, max_value=ledger.campaign.end + dt.timedelta(days=400)))
    return report(ledger.state, on=on, renewal_days=renewal_days)


def reports(*, renewal_days: int = 60) -> SearchStrategy[CampaignReport]:
    """Reports (:func:`ansinh.core.reporting.report`) of ledgers from :func:`ledgers`."""
    return _reports(renewal_days)


def report_rows() -> SearchStrategy[ReportRow]:
    """Lines of a report breakdown with non-negative counts and amounts."""
    counts = st.integers(0, 10_000)
    money = st.integers(0, 10**11)
    return st.builds(
        ReportRow,
        dimension=st.sampled_from(DIMENSIONS),
        key=_ids(),
        label=st.sampled_from(("TP Hà Nội", "thẻ BHYT", "Doanh nghiệp", "2026")),
        health_cards=counts,
        social_books=counts,
        tet_gifts=counts,
        value=money,
        people=counts,
        pledged=money,
        received=money,
        spent=money,
    )


def renewal_items() -> SearchStrategy[RenewalItem]:
    """Cards and books ending soon, as a report's renewal list holds them."""
    return st.builds(
        RenewalItem,
        gift_id=_ids("G-"),
        person_id=_ids("P-"),
        province=provinces(),
        kind=st.sampled_from((ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK)),
        valid_until=dates(),
        days_left=st.integers(0, 60),
        pledge_id=_ids("PL-"),
    )


# -- the registry ---------------------------------------------------------------------------------

_REGISTRY: dict[type[Any], Callable[[], SearchStrategy[Any]]] = {
    **{cl: functools.partial(ledger_events, types=(cl,)) for cl in EVENT_TYPES},
    Allocation: allocations,
    Amendment: amendments,
    Beneficiary: beneficiaries,
    CampaignReport: reports,
    Candidate: candidates,
    RenewalItem: renewal_items,
    ReportRow: report_rows,
    Leftover: leftovers,
    Decision: decisions,
    Funding: _enum(Funding),
    Gift: gifts,
    GiftStatus: _enum(GiftStatus),
    LedgerState: ledger_states,
    PledgeBalance: pledge_balances,
    Priority: priorities,
    Reason: reasons,
    Screening: screenings,
    SourcingResult: sourcing_results,
    Campaign: campaigns,
    Category: categories,
    Citation: citations,
    DatedValue: dated_values,
    Earmark: earmarks,
    EarmarkKind: _enum(EarmarkKind),
    HealthCard: health_cards,
    Instalment: instalments,
    Law: laws,
    LawPeriod: law_periods,
    LawValue: law_values,
    Link: links,
    LocalSupport: local_supports,
    ParamKind: _enum(ParamKind),
    Parameter: parameters,
    Person: people,
    Pledge: pledges,
    ProductKind: _enum(ProductKind),
    Quote: quotes,
    QuoteLine: quote_lines,
    RateTable: rate_tables,
    SocialBook: social_books,
    SourceStatus: _enum(SourceStatus),
    Sponsor: sponsors,
    SponsorKind: _enum(SponsorKind),
    TetGift: tet_gifts,
}

STRATEGIES: Final[Mapping[type[Any], Callable[[], SearchStrategy[Any]]]] = types.MappingProxyType(_REGISTRY)
"""Each of ansinh's public types and the function whose strategy (called with no arguments) produces it."""


def _factory_for(cl: type[Any]) -> Callable[[], SearchStrategy[Any]]:
    return ledgers if cl is Ledger else _REGISTRY[cl]
