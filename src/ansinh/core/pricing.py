"""Pricing a gift exactly as the law prices it, with every line cited.

``price(product, who, on=..., law=...)`` returns a :class:`Quote`: the gross
contribution for the whole period, the state's share, the province's share
(from :class:`LocalSupport` programmes passed in), and what remains — the
amount a donor pays (``payable``, "hỗ trợ khác" in the collection software).

The computation, for a date *d* (every parameter read from the law on *d*):

Health card (thẻ BHYT)
    The monthly contribution is ``bhyt_rate × base_salary``.  A person in a
    state-supported group (``bhyt_state_support`` / ``bhyt_fully_state_paid``;
    the group with the highest state share if several apply — the law's order
    lists them so) gets that share and no household reduction.  Anyone else
    pays as a household member: the first member in full, later members the
    ``bhyt_household_factors`` share.

Voluntary social-insurance book (sổ BHXH tự nguyện)
    The monthly contribution is ``vsi_rate × monthly_income`` (the income
    defaults to the floor and must lie between floor and ceiling on the
    50,000 step).  The state pays ``rate × vsi_rate × floor`` — the highest
    single group's rate in ``vsi_state_support`` — for at most
    ``vsi_support_max_months`` months per person, counting
    :attr:`Person.vsi_supported_months` already used.

Rounding (:data:`~ansinh.core.money.ROUNDING_RULE`): each monthly amount is
rounded half up to the đồng once; the period amount is monthly × months.
Prepaid periods are not re-priced when the law changes during them
(``facts.md`` §3), so the whole period is priced by the law on the purchase
date.

The steps that decide a figure — which state-support group applies, the
household factor of a rank, the monthly amounts — are public pure functions
(:func:`card_support_group`, :func:`household_factor`, :func:`card_monthly`,
:func:`book_support_group`, :func:`book_monthly_support`,
:func:`support_groups`), so the bulk layer (:mod:`ansinh.bulk`) fills its
tables with the same code instead of a copy.

A quote says nothing about who it is for: everyone in the same price class
(product, categories, supported months, the top-ups that apply) on the same
date gets an equal quote, and :func:`price` returns one shared object for
them.  The :class:`~ansinh.core.campaign.Gift` carries who.

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> q = price(HealthCard(months=12, household_rank=2), on=dt.date(2025, 1, 1), law=default_law())
>>> q.gross, q.state_support, q.payable, q.monthly_gross
(884520, 0, 884520, 73710)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Literal, Protocol, runtime_checkable

import attrs

from ansinh.core.dates import check_date, format_date, is_date
from ansinh.core.display import Section, html_summary
from ansinh.core.law import Citation, Law, LawPeriod, SourceStatus
from ansinh.core.money import format_percent, format_vnd, round_half_up
from ansinh.core.people import Category
from ansinh.core.places import PLACE_GROUP_LABELS, CommuneList, place_groups
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.provinces import province as _province
from ansinh.core.shares import (
    AGE_COUNTED_ON,
    CARD_PAYMENT_MONTHS,
    CARD_SUPPORT_TABLES,
    FIRST_YEAR_PAYMENT_MONTHS,
    HOUSEHOLD_GROUP,
    OTHER_GROUP,
    STUDENT_PAYMENT_MONTHS,
    LocalSupport,
    book_monthly_support,
    book_support_group,
    card_monthly,
    card_payment_months,
    card_support_group,
    card_support_tables,
    household_factor,
    household_rank_limit,
    support_groups,
)
from ansinh.exceptions import InvalidProductError, InvalidValueError

__all__ = [
    "AGE_COUNTED_ON",
    "CARD_PAYMENT_MONTHS",
    "CARD_SUPPORT_TABLES",
    "FIRST_YEAR_PAYMENT_MONTHS",
    "GIFT_GROUP",
    "HOUSEHOLD_GROUP",
    "OTHER_GROUP",
    "STUDENT_PAYMENT_MONTHS",
    "LocalSupport",
    "Participant",
    "Quote",
    "QuoteLine",
    "book_monthly_support",
    "book_support_group",
    "card_monthly",
    "card_payment_months",
    "card_support_group",
    "card_support_tables",
    "household_factor",
    "household_rank_limit",
    "price",
    "support_groups",
]

GIFT_GROUP = "gift"
"""Group key of a Tết gift (no contribution group)."""


def _pct(rate: Fraction) -> str:
    return format_percent(rate)


@attrs.frozen(kw_only=True)
class QuoteLine:
    """One cited line of a quote.

    ``value`` is đồng (``int``) for money lines, a ``Fraction`` for rates, and
    a count for ``months`` lines; ``unit`` says which.
    """

    code: str
    """Stable code: ``base_salary``, ``monthly_gross``, ``gross``, ``state_support`` …"""
    label_vi: str
    label_en: str
    value: int | Fraction
    unit: str
    """``"VND"``, ``"VND/month"``, ``"rate"`` or ``"months"``."""
    formula: str = ""
    """How the value was computed, with the numbers used."""
    citation: Citation | None = None
    """The legal source, where the line rests on one."""
    status: SourceStatus | None = None
    """How sure the source is."""

    def label(self, lang: str = "vi") -> str:
        """The label in ``"vi"`` or ``"en"``."""
        return self.label_en if lang == "en" else self.label_vi

    def value_text(self, lang: Literal["vi", "en"] = "vi") -> str:
        """The value formatted for a clerk."""
        if self.unit == "rate":
            assert isinstance(self.value, Fraction)
            return _pct(self.value)
        if self.unit == "months":
            return f"{self.value} {'tháng' if lang == 'vi' else 'months'}"
        assert isinstance(self.value, int)
        suffix = ("/tháng" if lang == "vi" else "/month") if self.unit == "VND/month" else ""
        return format_vnd(self.value, lang) + suffix


@runtime_checkable
class Participant(Protocol):
    """What pricing reads about who a gift is for (a :class:`~ansinh.Person` or a
    :class:`~ansinh.Beneficiary` fits): nothing else about them changes a price."""

    @property
    def categories(self) -> frozenset[Category]:
        """Circumstances that decide the contribution group."""

    @property
    def province(self) -> str | None:
        """Current province code (its top-ups apply), or ``None``."""

    @property
    def vsi_supported_months(self) -> int:
        """Months of voluntary SI the state has already supported."""


@attrs.frozen(kw_only=True)
class Quote:
    """The price of one product for one price class on one date, line by line.

    All amounts are whole đồng.  ``payable = gross - state_support -
    local_support`` always holds, and so does the same identity per month.
    A quote names no person: everyone of the same price class gets an equal
    one (see the module docstring).
    """

    product: Product
    on: dt.date
    """The purchase date whose law priced the whole period."""
    group: str
    """The contribution group used: a category code, ``"other"``, ``"household"`` or ``"gift"``."""
    months: int
    supported_months: int
    """Months of the period that get state (and local) support."""
    gross: int
    state_support: int
    local_support: int
    payable: int
    monthly_gross: int
    monthly_state_support: int
    monthly_local_support: int
    monthly_payable: int
    lines: tuple[QuoteLine, ...]
    law_name: str = "ansinh"
    """Which law priced it (``"… (scenario)"`` for what-if laws)."""

    def line(self, code: str) -> QuoteLine:
        """The first line with *code*.

        Raises:
            InvalidValueError: no line has that code.
        """
        for line in self.lines:
            if line.code == code:
                return line
        raise InvalidValueError("code", code, "one of " + ", ".join(ln.code for ln in self.lines))

    def explain(self, lang: Literal["vi", "en"] = "vi") -> str:
        """A text a clerk can read and print, one cited line per step."""
        vi = lang != "en"
        kind = self.product.kind
        head = (
            f"Báo giá {kind.label_vi} — ngày {format_date(self.on)}"
            if vi
            else f"Quote for a {kind.label_en} — on {format_date(self.on, 'en')}"
        )
        if self.law_name != "ansinh":
            head += f" [{self.law_name}]"
        out = [head]
        for ln in self.lines:
            text = f"  {ln.label(lang)}: {ln.value_text('vi' if vi else 'en')}"
            if ln.formula:
                text += f"  ({ln.formula})"
            if ln.citation is not None:
                text += f"  [{ln.citation}]"
            if ln.status is not None and not ln.status.is_firm:
                text += f"  <{ln.status.value}>"
            out.append(text)
        return "\n".join(out)

    def __repr__(self) -> str:
        return (
            f"Quote({self.product!r}, on={self.on.isoformat()}, group={self.group!r}, gross={self.gross}, "
            f"state_support={self.state_support}, local_support={self.local_support}, "
            f"payable={self.payable}, {len(self.lines)} lines)"
        )

    def _repr_html_(self) -> str:
        fields = [
            ("product", repr(self.product)),
            ("on", self.on.isoformat()),
            ("group", self.group),
            *(
                (k, format_vnd(getattr(self, k)))
                for k in ("gross", "state_support", "local_support", "payable")
            ),
            ("monthly payable", format_vnd(self.monthly_payable)),
            ("law", self.law_name),
        ]
        lines = [(ln.label("en"), ln.value_text("en"), str(ln.citation or "")) for ln in self.lines]
        return html_summary("Quote", fields, [Section("lines", ("line", "value", "source"), lines)])


# -- computation ------------------------------------------------------------


def _line(period: LawPeriod, name: str, value: int | Fraction, unit: str, formula: str = "") -> QuoteLine:
    entry = period.entry(name)
    return QuoteLine(
        code=name,
        label_vi=entry.label_vi,
        label_en=entry.label_en,
        value=value,
        unit=unit,
        formula=formula,
        citation=entry.citation,
        status=entry.status,
    )


def _money(code: str, vi: str, en: str, value: int, formula: str, unit: str = "VND") -> QuoteLine:
    return QuoteLine(code=code, label_vi=vi, label_en=en, value=value, unit=unit, formula=formula)


def _check_months(
    period: LawPeriod, name: str, product: HealthCard | SocialBook, on: dt.date, allowed: tuple[int, ...]
) -> None:
    if product.months not in allowed:
        raise InvalidProductError(
            "months",
            product.months,
            f"one of {', '.join(map(str, allowed))} on {on.isoformat()} ({period.citation(name)})",
        )


@attrs.frozen
class _Priced:
    group: str
    supported: int
    gross_m: int
    state_m: int
    local_m: int
    lines: tuple[QuoteLine, ...]


def _local(
    supports: Sequence[LocalSupport], groups: Iterable[str], base: int, room: int
) -> tuple[int, list[QuoteLine]]:
    """Monthly local support from the applicable programmes, capped at *room*."""
    total = 0
    lines = []
    group_keys = tuple(groups)
    for sup in supports:
        hit = sup.rate_for(group_keys)
        if hit is None:
            continue
        key, rate = hit
        amount = min(round_half_up(rate * base), room - total)
        if amount <= 0:
            continue
        total += amount
        lines.append(
            QuoteLine(
                code="monthly_local_support",
                label_vi=f"Ngân sách địa phương hỗ trợ/tháng — {sup.label_vi}",
                label_en=f"Local budget support per month — {sup.label_en}",
                value=amount,
                unit="VND/month",
                formula=f"{_pct(rate)} × {format_vnd(base)} ({key})",
                citation=sup.citation,
                status=sup.status,
            )
        )
    return total, lines


def _state_line(
    group: str, share: Fraction, amount: int, formula: str, period: LawPeriod, table: str
) -> QuoteLine:
    entry = period.entry(table)
    if group == OTHER_GROUP:
        vi, en = "đối tượng khác", "others"
    elif group in PLACE_GROUP_LABELS:
        vi, en = PLACE_GROUP_LABELS[group]
    else:
        vi, en = Category(group).label_vi, Category(group).label_en
    return QuoteLine(
        code="monthly_state_support",
        label_vi=f"Ngân sách nhà nước hỗ trợ/tháng ({vi})",
        label_en=f"State support per month ({en})",
        value=amount,
        unit="VND/month",
        formula=formula,
        citation=entry.citation,
        status=entry.status,
    )


def _price_card(
    card: HealthCard,
    categories: frozenset[Category],
    period: LawPeriod,
    on: dt.date,
    supports: Sequence[LocalSupport],
    places: frozenset[str],
) -> _Priced:
    best = card_support_group(period, categories, places)
    months_name, allowed = card_payment_months(period, None if best is None else best[0], card.first_year)
    _check_months(period, months_name, card, on, allowed)
    base = period.amount("base_salary")
    rate = period.rate("bhyt_rate")
    lines = [_line(period, "base_salary", base, "VND/month"), _line(period, "bhyt_rate", rate, "rate")]
    gross_m, state_m = card_monthly(period, best, card.household_rank)
    if best is None:
        group = HOUSEHOLD_GROUP
        factor = household_factor(period, card.household_rank)
        lines.append(
            _line(period, "bhyt_household_factors", factor, "rate", f"người thứ {card.household_rank}")
        )
        formula = f"{_pct(rate)} × {format_vnd(base)} × {_pct(factor)}"
    else:
        group = best[0]
        formula = f"{_pct(rate)} × {format_vnd(base)}"
    lines.append(
        _money("monthly_gross", "Mức đóng/tháng", "Contribution per month", gross_m, formula, "VND/month")
    )
    if best is not None:
        _, share, table_name = best
        lines.append(
            _state_line(group, share, state_m, f"{_pct(share)} × {format_vnd(gross_m)}", period, table_name)
        )
    # "household": a top-up for people no state-supported group covers ("chưa được hưởng chính sách BHYT")
    groups = support_groups(categories) + ((HOUSEHOLD_GROUP,) if best is None else ())
    local_m, local_lines = _local(supports, groups, gross_m, gross_m - state_m)
    lines.extend(local_lines)
    return _Priced(group, card.months, gross_m, state_m, local_m, tuple(lines))


def _book_income(book: SocialBook, period: LawPeriod, on: dt.date) -> int:
    """The chosen monthly income (the floor when none is chosen), checked against floor, ceiling and step."""
    floor = period.amount("vsi_income_floor")
    ceiling = period.amount("vsi_income_ceiling")
    step = period.amount("vsi_income_step")
    income = floor if book.monthly_income is None else book.monthly_income
    if not floor <= income <= ceiling or (income - floor) % step:
        raise InvalidProductError(
            "monthly_income",
            income,
            f"from {floor:,} to {ceiling:,} đồng in steps of {step:,} above {floor:,} on {on.isoformat()} "
            f"({period.citation('vsi_income_floor')}; {period.citation('vsi_income_ceiling')})",
        )
    return income


def _book_gross_lines(book: SocialBook, period: LawPeriod, income: int, gross_m: int) -> list[QuoteLine]:
    """The lines that say how the monthly contribution is computed."""
    rate = period.rate("vsi_rate")
    return [
        _line(period, "vsi_income_floor", period.amount("vsi_income_floor"), "VND/month"),
        _line(period, "vsi_rate", rate, "rate"),
        _money(
            "monthly_income",
            "Thu nhập tháng làm căn cứ đóng",
            "Chosen monthly income",
            income,
            "mức tối thiểu" if book.monthly_income is None else "người tham gia chọn",
            "VND/month",
        ),
        _money(
            "monthly_gross",
            "Mức đóng/tháng",
            "Contribution per month",
            gross_m,
            f"{_pct(rate)} × {format_vnd(income)}",
            "VND/month",
        ),
    ]


def _book_state_lines(
    book: SocialBook, group: str, share: Fraction, state_m: int, used_months: int, period: LawPeriod
) -> tuple[int, list[QuoteLine]]:
    """The months the state supports (its cap less the months already used) and the state lines."""
    rate = period.rate("vsi_rate")
    floor = period.amount("vsi_income_floor")
    cap_entry = period.entry("vsi_support_max_months")
    cap = cap_entry.amount()
    supported = max(0, min(book.months, cap - used_months))
    state_line = _state_line(
        group,
        share,
        state_m,
        f"{_pct(share)} × {_pct(rate)} × {format_vnd(floor)}",
        period,
        "vsi_state_support",
    )
    months_line = QuoteLine(
        code="supported_months",
        label_vi="Số tháng được hỗ trợ",
        label_en="Months with state support",
        value=supported,
        unit="months",
        formula=f"min({book.months}, {cap} − {used_months})",
        citation=cap_entry.citation,
        status=cap_entry.status,
    )
    return supported, [state_line, months_line]


def _price_book(
    book: SocialBook,
    categories: frozenset[Category],
    used_months: int,
    period: LawPeriod,
    on: dt.date,
    supports: Sequence[LocalSupport],
) -> _Priced:
    _check_months(period, "vsi_payment_months", book, on, period.months("vsi_payment_months"))
    income = _book_income(book, period, on)
    gross_m = round_half_up(period.rate("vsi_rate") * income)
    lines = _book_gross_lines(book, period, income, gross_m)
    group, share = book_support_group(period, categories)
    state_m, support_base = book_monthly_support(period, share)
    supported, state_lines = _book_state_lines(book, group, share, state_m, used_months, period)
    lines.extend(state_lines)
    local_m, local_lines = _local(supports, support_groups(categories), support_base, gross_m - state_m)
    lines.extend(local_lines)
    return _Priced(group, supported, gross_m, state_m, local_m, tuple(lines))


def _totals(p: _Priced, months: int) -> tuple[int, int, int, int, tuple[QuoteLine, ...]]:
    gross = p.gross_m * months
    state = p.state_m * p.supported
    local = p.local_m * p.supported
    payable = gross - state - local
    lines = (
        *p.lines,
        _money("gross", "Tổng mức đóng", "Total contribution", gross, f"{format_vnd(p.gross_m)} × {months}"),
        _money(
            "state_support",
            "Ngân sách nhà nước hỗ trợ",
            "State support",
            state,
            f"{format_vnd(p.state_m)} × {p.supported}",
        ),
        _money(
            "local_support",
            "Ngân sách địa phương hỗ trợ",
            "Local budget support",
            local,
            f"{format_vnd(p.local_m)} × {p.supported}",
        ),
        _money(
            "payable",
            "Số tiền nhà tài trợ đóng",
            "Payable by the donor",
            payable,
            "tổng − NSNN − NSĐP",
        ),
    )
    return gross, state, local, payable, lines


def _gift_quote(gift: TetGift, on: dt.date, law_name: str) -> Quote:
    value = gift.value
    return Quote(
        product=gift,
        on=on,
        group=GIFT_GROUP,
        months=0,
        supported_months=0,
        gross=value,
        state_support=0,
        local_support=0,
        payable=value,
        monthly_gross=value,
        monthly_state_support=0,
        monthly_local_support=0,
        monthly_payable=value,
        lines=(
            _money("gross", "Giá trị suất quà", "Gift value", value, "do chương trình quy định"),
            _money("payable", "Số tiền nhà tài trợ đóng", "Payable by the donor", value, ""),
        ),
        law_name=law_name,
    )


@functools.lru_cache(maxsize=4096)
def _quote(
    period: LawPeriod,
    product: HealthCard | SocialBook,
    categories: frozenset[Category],
    used: int,
    supports: tuple[LocalSupport, ...],
    on: dt.date,
    places: frozenset[str] = frozenset(),
) -> Quote:
    """The quote of one price class on one date (pure: a bounded cache shares it)."""
    if isinstance(product, HealthCard):
        priced = _price_card(product, categories, period, on, supports, places)
    else:
        priced = _price_book(product, categories, used, period, on, supports)
    gross, state, local, payable, lines = _totals(priced, product.months)
    return Quote(
        product=product,
        on=on,
        group=priced.group,
        months=product.months,
        supported_months=priced.supported,
        gross=gross,
        state_support=state,
        local_support=local,
        payable=payable,
        monthly_gross=priced.gross_m,
        monthly_state_support=priced.state_m,
        monthly_local_support=priced.local_m,
        monthly_payable=priced.gross_m - priced.state_m - priced.local_m,
        lines=lines,
        law_name=period.law_name,
    )


def _address(who: object) -> tuple[str, str, str | None]:
    """The commune, former district and former province of *who* (``""`` / ``None`` when not given)."""
    commune = getattr(who, "commune", "")
    district = getattr(who, "district", "")
    former = getattr(who, "former_province", None)
    if not isinstance(commune, str):
        raise InvalidValueError("who.commune", commune, "a text")
    if not isinstance(district, str):
        raise InvalidValueError("who.district", district, "a text")
    if former is not None and not isinstance(former, str):
        raise InvalidValueError("who.former_province", former, "None or a pre-2025 province code")
    return commune, district, former


def _left_poverty_on(who: object) -> dt.date | None:
    """The day *who* left poverty (``None`` when not given)."""
    left = getattr(who, "left_poverty_on", None)
    if left is not None and not is_date(left):
        raise InvalidValueError("who.left_poverty_on", left, "None or a datetime.date")
    return left


def _date_of_birth(who: object) -> dt.date | None:
    """The date of birth of *who* (``None`` when not given: an age-banded group then never applies)."""
    born = getattr(who, "date_of_birth", None)
    if born is not None and not is_date(born):
        raise InvalidValueError("who.date_of_birth", born, "None or a datetime.date")
    return born


def _participant(who: object) -> tuple[frozenset[Category], str | None, int]:
    """The categories, province and supported months of *who*, each checked."""
    if who is None:
        return frozenset(), None, 0
    try:
        categories, province, used = who.categories, who.province, who.vsi_supported_months  # type: ignore[attr-defined]
    except AttributeError:
        raise InvalidValueError(
            "who", who, "None, or a participant with categories, province and vsi_supported_months"
        ) from None
    if not isinstance(categories, frozenset) or not all(isinstance(c, Category) for c in categories):
        raise InvalidValueError("who.categories", categories, "a frozenset of ansinh.Category")
    if province is not None:
        _province(province)
    if isinstance(used, bool) or not isinstance(used, int) or used < 0:
        raise InvalidValueError("who.vsi_supported_months", used, "a whole number >= 0")
    return categories, province, used


def price(
    product: Product,
    who: Participant | None = None,
    *,
    on: dt.date,
    law: Law,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
) -> Quote:
    """Price *product* for *who* on the purchase date *on* under *law*.

    Args:
        product: a :class:`~ansinh.HealthCard`, :class:`~ansinh.SocialBook` or
            :class:`~ansinh.TetGift`.
        who: who receives it — anything with ``categories``, ``province`` and
            ``vsi_supported_months`` (:class:`Participant`: a
            :class:`~ansinh.Person`, a :class:`~ansinh.Beneficiary`); ``None``
            prices it for a general participant (no supported group, no
            province top-up).
        on: the purchase date; the law in force that day prices the whole period.
        law: the parameters to use (:func:`ansinh.price` defaults to the shipped law).
        local_supports: provincial top-ups to consider; those that apply to
            the participant's province, the product and the date are used, and
            an area-keyed one (:attr:`LocalSupport.area_keyed`) only when the
            participant's ``commune``, ``district`` or ``former_province`` (read
            when *who* has them) is in its area; a group limited in months
            (:attr:`LocalSupport.group_months`) only within those months of the
            participant's ``left_poverty_on`` when *who* has it, and a group
            limited to an age band (:attr:`LocalSupport.group_ages`) only when
            *who* has a ``date_of_birth`` in that band on *on*
            (:meth:`LocalSupport.for_person`).
        commune_lists: dated commune lists a province supplies
            (:class:`~ansinh.core.places.CommuneList`): a card then follows the
            place-dependent national rules (:func:`~ansinh.core.places.place_groups`)
            for the participant's ``commune``.

    Returns:
        A :class:`Quote`, shared by everyone of the same price class.

    Raises:
        InvalidProductError: the product does not fit the law of that date
            (a period not allowed, an income out of range or off the step).
        NotInForceError: the law has no value for that date.
        InvalidValueError: an argument is of the wrong type.
    """
    check_date("on", on)
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    if not isinstance(product, HealthCard | SocialBook | TetGift):
        raise InvalidValueError("product", product, "a HealthCard, SocialBook or TetGift")
    categories, province, used = _participant(who)
    if isinstance(product, TetGift):
        return _gift_quote(product, on, law.name)
    kind = product.kind
    supports: tuple[object, ...] = tuple(local_supports) if isinstance(local_supports, Iterable) else ()
    if not isinstance(local_supports, Iterable) or not all(isinstance(s, LocalSupport) for s in supports):
        raise InvalidValueError("local_supports", local_supports, "a sequence of LocalSupport")
    address = _address(who)
    left, born = _left_poverty_on(who), _date_of_birth(who)
    in_area = (
        s
        for s in supports
        if isinstance(s, LocalSupport)
        and province is not None
        and s.applies(province, kind, on)
        and s.covers(*address)
    )
    applicable = tuple(p for p in (s.for_person(left, on, born) for s in in_area) if p is not None)
    used = used if kind is ProductKind.SOCIAL_BOOK else 0
    period = law.at(on)
    places: frozenset[str] = frozenset()
    if kind is ProductKind.HEALTH_CARD and commune_lists:
        lists = tuple(commune_lists)
        if not all(isinstance(c, CommuneList) for c in lists):
            raise InvalidValueError("commune_lists", commune_lists, "a sequence of CommuneList")
        places = place_groups(
            lists, categories=categories, province=province, commune=address[0], on=on, period=period
        )
    return _quote(period, product, categories, used, applicable, on, places)
