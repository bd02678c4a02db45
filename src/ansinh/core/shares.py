"""The shares of a contribution: who the state supports, the household factors, the provinces' top-ups.

The pricing rules, one pure function each, over one law period
(:meth:`Law.at <ansinh.core.law.Law.at>`): :func:`card_support_group`,
:func:`card_payment_months`, :func:`household_factor`, :func:`card_monthly`,
:func:`book_support_group`, :func:`book_monthly_support`, :func:`support_groups`,
and the provincial top-ups (:class:`LocalSupport`).  :func:`ansinh.core.pricing.price`
and the bulk layer (:mod:`ansinh.bulk`) call the same functions; every name here is
importable from :mod:`ansinh.core.pricing` too.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from fractions import Fraction
from typing import Final

import attrs

from ansinh.core.dates import add_months
from ansinh.core.law import Citation, LawPeriod, LawValue, RateTable, SourceStatus
from ansinh.core.money import format_percent, round_half_up
from ansinh.core.people import Category, age_on, rate_groups
from ansinh.core.places import commune_matches, normalise_commune
from ansinh.core.products import ProductKind
from ansinh.exceptions import NotInForceError, UnknownParameterError

__all__ = [
    "AGE_COUNTED_ON",
    "CARD_PAYMENT_MONTHS",
    "CARD_SUPPORT_TABLES",
    "FIRST_YEAR_PAYMENT_MONTHS",
    "HOUSEHOLD_GROUP",
    "OTHER_GROUP",
    "STUDENT_PAYMENT_MONTHS",
    "LocalSupport",
    "book_monthly_support",
    "book_support_group",
    "card_monthly",
    "card_payment_months",
    "card_support_group",
    "card_support_tables",
    "household_factor",
    "household_rank_limit",
    "support_groups",
]

OTHER_GROUP = "other"
"""Group key of voluntary-SI participants in no specific group (Decree 159 Art. 5)."""
HOUSEHOLD_GROUP = "household"
"""Group key of health-card buyers paying as household members, without state support."""
CARD_SUPPORT_TABLES: Final = (
    "bhyt_state_support",
    "bhyt_fully_state_paid",
    "bhyt_state_paid_extremely_difficult_area",
    "bhyt_state_paid_meritorious",
    "bhyt_state_paid_social_pension",
    "bhyt_state_paid_near_poor_poor_commune",
    "bhyt_state_support_left_difficult_area",
)
"""The law's tables of state-supported health-card groups, in the order they are searched.

The first two are required on every date a card is priced; the others apply where the law
has a value (each its own citation and status: a group's table may start later, as the
social pension's does on 2025-07-01, or be missing from a scenario law)."""
_REQUIRED_CARD_TABLES: Final = 2
AGE_COUNTED_ON: Final = (
    "the pricing date: the day the quote reads the law (for a card paid for a later start, the "
    "payment day). No provincial text found says on which day the age counts; the card's first day "
    "may be up to 30 days later. Derived (a guess), as the child-under-6 rule counts age on the date "
    "checked."
)
"""Which day an age band of a :class:`LocalSupport` (:attr:`~LocalSupport.group_ages`) is tested on, and why."""
CARD_PAYMENT_MONTHS: Final = "bhyt_payment_months"
"""The payment periods of every other health card."""
STUDENT_PAYMENT_MONTHS: Final = "bhyt_student_payment_months"
"""The payment periods of a card priced in the student group (optional parameter)."""
FIRST_YEAR_PAYMENT_MONTHS: Final = "bhyt_first_year_student_payment_months"
"""The payment periods of a first-year student's card (``HealthCard(first_year=True)``) priced in
the student group, where the law has a value (optional parameter; otherwise the student periods
apply)."""


@attrs.frozen(kw_only=True, cache_hash=True)
class LocalSupport:
    """A province's budget top-up on top of state support (ngân sách địa phương hỗ trợ).

    The rate for a person is the highest rate among their groups (category
    codes, plus ``"other"`` for everyone, and for a health card priced with no
    state-supported group ``"household"``: people "not otherwise supported"), applied to the same base as the
    state's share: ``vsi_rate × floor`` for a book, the monthly contribution
    for a card.  State plus local support never exceed the contribution; the
    local share is cut to fit.  For a book it is paid for the same months as
    the state's support (an assumption: the provincial texts found do not say).
    """

    code: str
    """Stable identifier, e.g. ``"hanoi-vsi-2026"``."""
    province: str
    """Code of the current province-level unit."""
    product: ProductKind
    effective: dt.date
    until: dt.date | None
    rates: RateTable
    citation: Citation
    status: SourceStatus
    label_vi: str
    label_en: str
    former_province: str | None = None
    """Only people whose pre-2025 province is this code (a former province's regime); ``None``: any."""
    district: str = ""
    """Only people of this former district (e.g. Long Biên); ``""``: any."""
    communes: frozenset[str] = frozenset()
    """Only people living in one of these communes; empty: any."""
    combines_with: frozenset[str] = frozenset()
    """Codes of programmes in force in the same province, for the same product, on some of the same
    days, that this one is stated to add to: pricing adds every applicable programme's share,
    capped at what the state leaves (the shipped data states it for every such pair)."""
    note: str = ""
    """Why, where the status, the dates or the groups need a word (e.g. groups not shipped)."""
    group_months: tuple[tuple[str, int], ...] = ()
    """``(group, months)``: groups whose support lasts only *months* months from the day the person
    left poverty (:attr:`Person.left_poverty_on <ansinh.core.people.Person.left_poverty_on>`), e.g.
    ``("just_escaped_poverty", 36)``; see :meth:`for_person`."""
    group_ages: tuple[tuple[str, int, int | None], ...] = ()
    """``(group, from_age, below_age)``: groups that apply only to people at least *from_age* and
    under *below_age* whole years old (``None``: no upper limit), e.g. ``("other", 65, 75)`` for
    "từ đủ 65 tuổi đến dưới 75 tuổi".  The age is counted on the pricing date (the day the quote
    reads the law, as :data:`AGE_COUNTED_ON` says); see :meth:`for_person`."""

    @property
    def age_keyed(self) -> bool:
        """Whether some group of the programme applies only within an age band (:attr:`group_ages`)."""
        return bool(self.group_ages)

    def for_person(
        self, left_poverty_on: dt.date | None, on: dt.date, date_of_birth: dt.date | None = None
    ) -> LocalSupport | None:
        """This programme as it applies on *on* to a person who left poverty on *left_poverty_on*.

        A group of :attr:`group_months` is dropped unless ``left_poverty_on <= on`` and *on* is
        before the day *months* months later; ``None`` (the date is not known) keeps every group,
        as the programme's text cannot be checked then.  A group of :attr:`group_ages` is dropped
        unless the person born on *date_of_birth* is in its age band on *on*; ``None`` (no date of
        birth, as a bulk row) drops it, as an address not given leaves an area-keyed programme out.
        Returns ``None`` when no group is left.

        >>> lb = LocalSupport(code="lb", province="01", product=ProductKind.SOCIAL_BOOK,
        ...     effective=dt.date(2022, 8, 1), until=None,
        ...     rates=RateTable((("near_poor", Fraction(1, 2)), ("just_escaped_poverty", Fraction(3, 10)))),
        ...     citation=Citation("x"), status=SourceStatus.CONFIRMED, label_vi="x", label_en="x",
        ...     group_months=(("just_escaped_poverty", 12),))
        >>> lb.for_person(dt.date(2023, 1, 10), dt.date(2024, 1, 9)) is lb
        True
        >>> lb.for_person(dt.date(2023, 1, 10), dt.date(2024, 1, 10)).rates.keys()
        ('near_poor',)
        >>> old = attrs.evolve(lb, rates=RateTable((("other", Fraction(1)),)), group_months=(),
        ...     group_ages=(("other", 65, 75),))
        >>> old.for_person(None, dt.date(2026, 3, 1), dt.date(1961, 3, 1)) is old
        True
        >>> old.for_person(None, dt.date(2026, 2, 28), dt.date(1961, 3, 1)) is None
        True
        """
        dropped = set()
        if left_poverty_on is not None:
            dropped |= {
                group
                for group, months in self.group_months
                if not left_poverty_on <= on < add_months(left_poverty_on, months)
            }
        for group, low, below in self.group_ages:
            age = None if date_of_birth is None else age_on(date_of_birth, on)
            if age is None or age < low or (below is not None and age >= below):
                dropped.add(group)
        if not dropped & set(self.rates.keys()):
            return self
        return _without(self, frozenset(dropped))

    def applies(self, province: str, product: ProductKind, on: dt.date) -> bool:
        """Whether this programme covers *province*, *product* on *on* (its area aside: :meth:`covers`)."""
        return (
            self.province == province
            and self.product is product
            and self.effective <= on
            and (self.until is None or on <= self.until)
        )

    @property
    def area_keyed(self) -> bool:
        """Whether the programme covers less than its whole province (a former province, district or communes)."""
        return self.former_province is not None or bool(self.district) or bool(self.communes)

    def covers(self, commune: str = "", district: str = "", former_province: str | None = None) -> bool:
        """Whether a person of this address (inside :attr:`province`) is in the programme's area.

        Names are compared by :func:`~ansinh.core.places.normalise_commune` (case, diacritics
        composition, spacing, a "Xã"/"Phường"/"Thị trấn"/"Đặc khu" prefix).

        >>> import datetime as dt
        >>> lb = LocalSupport(code="lb", province="01", product=ProductKind.SOCIAL_BOOK,
        ...     effective=dt.date(2022, 8, 1), until=None, rates=RateTable((("poor", Fraction(2, 5)),)),
        ...     citation=Citation("x"), status=SourceStatus.CONFIRMED, label_vi="x", label_en="x",
        ...     district="Long Biên")
        >>> lb.covers(district="Long Biên"), lb.covers(district="Ba Đình"), lb.covers()
        (True, False, False)
        >>> lb.covers(district="long  BIÊN")
        True
        """
        return (
            (self.former_province is None or former_province == self.former_province)
            and (not self.district or normalise_commune(district) == normalise_commune(self.district))
            and (not self.communes or commune_matches(commune, self.communes))
        )

    def area(self, lang: str = "vi") -> str:
        """The area in words: the province, or the former province, district or communes within it."""
        parts = [f"{'tỉnh/thành phố' if lang == 'vi' else 'province'} {self.province}"]
        if self.former_province is not None:
            parts.append(f"{'tỉnh cũ' if lang == 'vi' else 'former province'} {self.former_province}")
        if self.district:
            parts.append(f"{'quận/huyện cũ' if lang == 'vi' else 'former district'} {self.district}")
        if self.communes:
            parts.append(f"{'xã' if lang == 'vi' else 'communes'} {', '.join(sorted(self.communes))}")
        return ", ".join(parts)

    def rates_text(self, lang: str = "vi") -> str:
        """Each group with its rate, its age band and its months after leaving poverty, in words.

        >>> old = LocalSupport(code="x", province="79", product=ProductKind.HEALTH_CARD,
        ...     effective=dt.date(2025, 11, 14), until=None, rates=RateTable((("household", Fraction(1)),)),
        ...     citation=Citation("x"), status=SourceStatus.CONFIRMED, label_vi="x", label_en="x",
        ...     group_ages=(("household", 65, 75),))
        >>> old.rates_text("en")
        'household 100% (aged 65 to under 75)'
        """
        vi = lang == "vi"
        ages = {group: (low, below) for group, low, below in self.group_ages}
        months = dict(self.group_months)
        parts = []
        for key, rate in self.rates:
            text = f"{key} {format_percent(rate, 'vi' if vi else 'en')}"
            notes = []
            if key in ages:
                low, below = ages[key]
                if below is None:
                    notes.append(f"từ đủ {low} tuổi" if vi else f"aged {low} or more")
                else:
                    notes.append(
                        f"từ đủ {low} đến dưới {below} tuổi" if vi else f"aged {low} to under {below}"
                    )
            if key in months:
                n = months[key]
                notes.append(f"{n} tháng sau khi thoát nghèo" if vi else f"{n} months after leaving poverty")
            parts.append(f"{text} ({'; '.join(notes)})" if notes else text)
        return ", ".join(parts)

    def rate_for(self, groups: Iterable[str]) -> tuple[str, Fraction] | None:
        """The (group, rate) with the highest rate among *groups*, or ``None``."""
        best: tuple[str, Fraction] | None = None
        for key in groups:
            rate = self.rates.get(key)
            if rate is not None and (best is None or rate > best[1]):
                best = (key, rate)
        return best


@functools.lru_cache(maxsize=1024)
def _without(support: LocalSupport, dropped: frozenset[str]) -> LocalSupport | None:
    """*support* without the groups *dropped* (one object per pair: quotes are cached by their programmes)."""
    kept = tuple((key, rate) for key, rate in support.rates if key not in dropped)
    return attrs.evolve(support, rates=RateTable(kept)) if kept else None


# -- the rules, one pure function each (the bulk layer calls the same ones) -------------


def support_groups(categories: Iterable[Category]) -> tuple[str, ...]:
    """The group keys a participant's local top-ups are looked up under.

    Their category codes, sorted, then ``"other"`` (everyone): a
    :class:`LocalSupport` gives the highest rate among these
    (:meth:`LocalSupport.rate_for`).

    >>> support_groups({Category.STUDENT, Category.NEAR_POOR})
    ('near_poor', 'student', 'other')
    """
    return (*sorted(c.value for c in rate_groups(categories)), OTHER_GROUP)


def card_support_group(
    period: LawPeriod, categories: Iterable[Category], places: Iterable[str] = ()
) -> tuple[str, Fraction, str] | None:
    """The state-support group of a health-card buyer in *categories*.

    The group with the highest state share among the entries of
    :data:`CARD_SUPPORT_TABLES` (searched in that order, each in the law's
    order; the first listed wins a tie), among the groups of *categories* and
    the place groups *places* (:func:`~ansinh.core.places.place_groups`).

    Returns:
        ``(group, share, table)``, or ``None`` when no group applies: the
        buyer then pays as a household member (:func:`household_factor`).

    Raises:
        NotInForceError: a table has no value in *period*.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> period = default_law().at(dt.date(2025, 1, 1))
    >>> card_support_group(period, {Category.NEAR_POOR})
    ('near_poor', Fraction(7, 10), 'bhyt_state_support')
    >>> card_support_group(period, set()) is None
    True
    """
    keys = {c.value for c in rate_groups(categories)} | set(places)
    best: tuple[str, Fraction, str] | None = None
    for table, entry in card_support_tables(period):
        for key, share in entry.rates():
            if key in keys and (best is None or share > best[1]):
                best = (key, share, table)
    return best


def card_support_tables(period: LawPeriod) -> tuple[tuple[str, LawValue], ...]:
    """The tables of :data:`CARD_SUPPORT_TABLES` in force in *period*, with their values.

    The first two are required; a later table the law has no value for in *period*
    (or does not have at all) is left out.

    Raises:
        NotInForceError: a required table has no value in *period*.
        LawDataError: a table's value cannot be resolved.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> [name for name, _ in card_support_tables(default_law().at(dt.date(2025, 6, 30)))][-1]
    'bhyt_state_paid_meritorious'
    >>> [name for name, _ in card_support_tables(default_law().at(dt.date(2025, 7, 1)))][-3:]
    ['bhyt_state_paid_social_pension', 'bhyt_state_paid_near_poor_poor_commune', 'bhyt_state_support_left_difficult_area']
    """
    found: list[tuple[str, LawValue]] = []
    for i, table in enumerate(CARD_SUPPORT_TABLES):
        try:
            found.append((table, period.entry(table)))
        except (NotInForceError, UnknownParameterError):
            if i < _REQUIRED_CARD_TABLES:
                raise
    return tuple(found)


def card_payment_months(
    period: LawPeriod, group: str | None, first_year: bool = False
) -> tuple[str, tuple[int, ...]]:
    """The parameter that sets a health card's allowed payment periods, and the periods.

    A card priced in the student group (:func:`card_support_group`) follows
    ``bhyt_student_payment_months`` (3, 6, 9 or 12 months before Decree 188/2025;
    3, 6 or 12 under its Art. 7.6.a) when the law has it, and a first-year
    student's card ``bhyt_first_year_student_payment_months`` (3 or 15 months
    before Decree 188) on the days it has a value; every other card follows
    ``bhyt_payment_months``.

    Args:
        period: the law in force on the purchase date.
        group: the card's state-support group, or ``None`` for a household card.
        first_year: whether the card is a first-year student's.

    Raises:
        NotInForceError: the parameter has no value in *period*.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> card_payment_months(default_law().at(dt.date(2025, 6, 30)), "student")
    ('bhyt_student_payment_months', (3, 6, 9, 12))
    >>> card_payment_months(default_law().at(dt.date(2025, 6, 30)), None)
    ('bhyt_payment_months', (3, 6, 12))
    >>> card_payment_months(default_law().at(dt.date(2025, 6, 30)), "student", first_year=True)
    ('bhyt_first_year_student_payment_months', (3, 15))
    >>> card_payment_months(default_law().at(dt.date(2025, 7, 1)), "student", first_year=True)
    ('bhyt_student_payment_months', (3, 6, 12))
    """
    if group == Category.STUDENT.value and first_year:
        try:
            return FIRST_YEAR_PAYMENT_MONTHS, period.months(FIRST_YEAR_PAYMENT_MONTHS)
        except (UnknownParameterError, NotInForceError):
            pass  # no first-year periods on this day: a first-year card pays as every student card
    if group == Category.STUDENT.value:
        try:
            return STUDENT_PAYMENT_MONTHS, period.months(STUDENT_PAYMENT_MONTHS)
        except UnknownParameterError:
            pass  # a law without the student periods: students pay as every card does
    return CARD_PAYMENT_MONTHS, period.months(CARD_PAYMENT_MONTHS)


def household_factor(period: LawPeriod, rank: int) -> Fraction:
    """The share of the full card contribution the *rank*-th household member pays.

    A rank the ``bhyt_household_factors`` table does not list pays the
    factor of its last entry ("the fifth member and later").

    Raises:
        NotInForceError: the table has no value in *period*.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> period = default_law().at(dt.date(2025, 1, 1))
    >>> household_factor(period, 2), household_factor(period, 9)
    (Fraction(7, 10), Fraction(2, 5))
    """
    factors = period.rates("bhyt_household_factors")
    keys = factors.keys()
    return factors[str(rank) if str(rank) in keys else keys[-1]]


def household_rank_limit(period: LawPeriod) -> int:
    """The smallest rank from which every later household member pays the same factor.

    One more than the highest rank ``bhyt_household_factors`` lists by
    number, and at least 2: ranks from 1 to ``limit - 1`` may each differ,
    every rank from ``limit`` on pays :func:`household_factor` of ``limit``.

    Raises:
        NotInForceError: the table has no value in *period*.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> household_rank_limit(default_law().at(dt.date(2025, 1, 1)))
    6
    """
    keys = period.rates("bhyt_household_factors").keys()
    numbered = [int(key) for key in keys if key.isascii() and key.isdigit()]
    return max(2, max(numbered, default=0) + 1)


def card_monthly(period: LawPeriod, support: tuple[str, Fraction, str] | None, rank: int) -> tuple[int, int]:
    """The monthly contribution of a health card and the state's monthly share of it.

    Args:
        period: the law in force on the purchase date.
        support: the buyer's :func:`card_support_group`; ``None`` prices the
            card for a household member of *rank* (no state support).
        rank: the household rank (read only when *support* is ``None``).

    Returns:
        ``(gross, state)`` per month, each rounded once: ``bhyt_rate ×
        base_salary`` (times the household factor), and the group's share of it.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> period = default_law().at(dt.date(2025, 1, 1))
    >>> card_monthly(period, None, 2), card_monthly(period, card_support_group(period, {Category.POOR}), 1)
    ((73710, 0), (105300, 105300))
    """
    first = period.rate("bhyt_rate") * period.amount("base_salary")
    if support is None:
        return round_half_up(first * household_factor(period, rank)), 0
    gross = round_half_up(first)
    return gross, round_half_up(gross * support[1])


def book_support_group(period: LawPeriod, categories: Iterable[Category]) -> tuple[str, Fraction]:
    """The voluntary-SI state-support group of a participant in *categories*, and its rate.

    The single group with the highest rate in ``vsi_state_support`` among
    their categories and ``"other"`` (the first listed wins a tie); no
    listed group gives ``("other", 0)``.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> period = default_law().at(dt.date(2026, 1, 1))
    >>> book_support_group(period, {Category.NEAR_POOR}), book_support_group(period, set())
    (('near_poor', Fraction(2, 5)), ('other', Fraction(1, 5)))
    """
    keys = {c.value for c in rate_groups(categories)} | {OTHER_GROUP}
    group, share = OTHER_GROUP, Fraction(0)
    for key, rate in period.rates("vsi_state_support"):
        if key in keys and rate > share:
            group, share = key, rate
    return group, share


def book_monthly_support(period: LawPeriod, share: Fraction) -> tuple[int, int]:
    """The state's monthly support of a voluntary-SI book at rate *share*, and the top-ups' base.

    Returns:
        ``(state, base)`` per month: ``share × vsi_rate × vsi_income_floor``
        rounded once, and ``vsi_rate × vsi_income_floor`` rounded (what a
        :class:`LocalSupport` rate applies to), whatever income is chosen.

    >>> import datetime as dt
    >>> from ansinh.data import default_law
    >>> book_monthly_support(default_law().at(dt.date(2026, 1, 1)), Fraction(3, 10))
    (99000, 330000)
    """
    rate = period.rate("vsi_rate")
    floor = period.amount("vsi_income_floor")
    return round_half_up(share * rate * floor), round_half_up(rate * floor)
