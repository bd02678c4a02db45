"""The built-in eligibility rules: one small named object each, with the texts of its reason.

Each rule is a :class:`~ansinh.core.eligibility.values.BuiltinRule`: a
``code``, a description and ``evaluate(ctx) -> Reason | None``.  The law
values a rule needs come from the context's law period through
:mod:`ansinh.core.eligibility.thresholds`; the reasons are shared between
people with the same values (a bounded cache of immutable reasons).
:func:`builtin_rules` lists the rules of a product kind in the order
:func:`~ansinh.core.eligibility.checking` runs them.

Health card (thẻ BHYT)
    :data:`ALREADY_INSURED`: a card valid until at least the last day of the
    gift period.  :data:`STATE_PAID_IN_FULL`: a group whose contribution the
    state pays in full (every group with share 1 in the tables of
    ``CARD_SUPPORT_TABLES``: poor households, social-allowance recipients, ethnic
    minorities in difficult areas, island residents, residents of extremely
    difficult areas, meritorious people, people aged 75+ on the social pension).
    :data:`STATE_PAID_CHILD_UNDER_6`: a child under ``bhyt_child_state_paid_age``
    (HI Law Art. 12.3 has the state pay their card; confirmed indirectly, see the
    parameter's status and note; a law without the parameter has no such
    group).  :data:`FULLY_SUPPORTED`: state and provincial budgets pay the
    whole card (payable 0 đồng; :func:`fully_supported`).
    :data:`OUTSIDE_CAMPAIGN_PROVINCE`,
    :data:`NOT_IN_DIFFICULT_CIRCUMSTANCES`.  Informative: :data:`CARD_START`
    gives ``RENEWAL_FROM_CARD_END``, ``CONTINUOUS_PARTICIPATION`` or
    ``WAITING_PERIOD_30_DAYS`` (:mod:`ansinh.core.eligibility.card_start`).

Social book (sổ BHXH tự nguyện)
    :data:`NOT_CITIZEN`, :data:`UNDER_MIN_AGE` (``vsi_min_age`` on the date:
    the 15th birthday itself is old enough), :data:`IN_COMPULSORY_SI`,
    :data:`RECEIVES_PENSION`, :data:`FULLY_SUPPORTED` (budgets pay the whole
    book), :data:`OUTSIDE_CAMPAIGN_PROVINCE`, :data:`NOT_IN_DIFFICULT_CIRCUMSTANCES`.

Tết gift (suất quà Tết)
    :data:`NOT_IN_HOSPITAL_AT_TET` (the hospital stay must overlap the
    campaign's Tết dates), :data:`NOT_INSURED` (a card valid on the first day
    of that overlap), :data:`OUTSIDE_CAMPAIGN_PROVINCE`,
    :data:`NOT_IN_DIFFICULT_CIRCUMSTANCES`.  A Tết gift needs a campaign with
    ``tet_dates``.

>>> [r.code for r in builtin_rules(ProductKind.HEALTH_CARD)]  # doctest: +NORMALIZE_WHITESPACE
['ALREADY_INSURED', 'STATE_PAID_IN_FULL', 'STATE_PAID_CHILD_UNDER_6', 'FULLY_SUPPORTED',
 'OUTSIDE_CAMPAIGN_PROVINCE', 'NOT_IN_DIFFICULT_CIRCUMSTANCES', 'CARD_START']
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Final, TypeAlias

from ansinh.core.dates import format_date
from ansinh.core.eligibility.card_start import card_start
from ansinh.core.eligibility.priorities import in_difficult_circumstances
from ansinh.core.eligibility.thresholds import (
    break_months,
    child_state_paid_age,
    state_paid_groups,
    vsi_min_age,
    waiting_days,
)
from ansinh.core.eligibility.values import BuiltinRule, CheckContext, Reason
from ansinh.core.law import Citation, Law, LawPeriod
from ansinh.core.money import format_vnd
from ansinh.core.people import Category
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Participant, Quote, price
from ansinh.core.products import Product, ProductKind, TetGift
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "ALREADY_INSURED",
    "CARD_START",
    "FULLY_SUPPORTED",
    "IN_COMPULSORY_SI",
    "NOT_CITIZEN",
    "NOT_INSURED",
    "NOT_IN_DIFFICULT_CIRCUMSTANCES",
    "NOT_IN_HOSPITAL_AT_TET",
    "OUTSIDE_CAMPAIGN_PROVINCE",
    "PROGRAMME_DOCUMENT",
    "RECEIVES_PENSION",
    "STATE_PAID_CHILD_UNDER_6",
    "STATE_PAID_IN_FULL",
    "UNDER_MIN_AGE",
    "PriceClass",
    "builtin_rules",
    "fully_supported",
    "fully_supported_rule",
    "programme_citation",
    "tet_dates",
]

PROGRAMME_DOCUMENT: Final = (
    "Chương trình “Tặng sổ BHXH, thẻ BHYT cho người có hoàn cảnh khó khăn” (BHXH Việt Nam)"
)
"""The programme, cited for rules that come from its definition rather than from a law."""

# The reasons below are cached by the values they are made of: equal inputs share one immutable Reason.
_CACHE: Final = 4096


@functools.lru_cache(maxsize=256)
def programme_citation(plan_reference: str) -> Citation:
    """The programme's citation, with the campaign's plan (``""`` without a campaign).

    >>> programme_citation("Kế hoạch 2716/KH-BHXH").article
    'Kế hoạch 2716/KH-BHXH'
    """
    return Citation(PROGRAMME_DOCUMENT, plan_reference)


# ------------------------------------------------------------------ health card ---


@functools.lru_cache(maxsize=_CACHE)
def _already_insured(until: dt.date, on: dt.date, end: dt.date, plan: str) -> Reason:
    return Reason(
        "ALREADY_INSURED",
        True,
        f"Đã có thẻ BHYT còn giá trị đến {format_date(until)}, bao trùm thời hạn thẻ được tặng "
        f"({format_date(on)}–{format_date(end)}).",
        f"Already holds a health card valid until {until.isoformat()}, covering the whole gift "
        f"period ({on.isoformat()} to {end.isoformat()}).",
        programme_citation(plan),
    )


def _check_already_insured(ctx: CheckContext) -> Reason | None:
    until = ctx.person.bhyt_valid_until
    if until is None or until < ctx.gift_end:
        return None
    return _already_insured(until, ctx.on, ctx.gift_end, ctx.plan_reference)


ALREADY_INSURED: Final = BuiltinRule(
    "ALREADY_INSURED", "a health card valid until the gift period's last day", _check_already_insured
)
"""Blocks a person whose current card already covers the whole gift period."""


@functools.lru_cache(maxsize=_CACHE)
def _state_paid(period: LawPeriod, categories: frozenset[Category]) -> Reason | None:
    for category, citation in state_paid_groups(period):
        if category in categories:
            return Reason(
                "STATE_PAID_IN_FULL",
                True,
                f"Thuộc nhóm được ngân sách nhà nước đóng 100% BHYT ({category.label_vi}).",
                f"In a group whose health insurance the state pays in full ({category.label_en}).",
                citation,
            )
    return None


def _check_state_paid(ctx: CheckContext) -> Reason | None:
    return _state_paid(ctx.period, ctx.person.categories)


STATE_PAID_IN_FULL: Final = BuiltinRule(
    "STATE_PAID_IN_FULL", "a group whose card the state pays in full", _check_state_paid
)
"""Blocks the first of the person's groups the state pays in full (cited from the law's table)."""


@functools.lru_cache(maxsize=_CACHE)
def _child(period: LawPeriod, age: int) -> Reason | None:
    limit = child_state_paid_age(period)
    if limit is None or age >= limit.value:
        return None
    return Reason(
        "STATE_PAID_CHILD_UNDER_6",
        True,
        f"Trẻ em dưới {limit.value} tuổi ({age} tuổi) được ngân sách nhà nước đóng BHYT "
        "(Luật BHYT Điều 12 khoản 3).",
        f"Children under {limit.value} (this one is {age}) get their card from the state (HI Law Art. 12.3).",
        limit.citation,
    )


def _check_child(ctx: CheckContext) -> Reason | None:
    return _child(ctx.period, ctx.age)


STATE_PAID_CHILD_UNDER_6: Final = BuiltinRule(
    "STATE_PAID_CHILD_UNDER_6", "a child whose card the state pays", _check_child
)
"""Blocks a child under ``bhyt_child_state_paid_age``; nobody when the law lacks that parameter."""


@functools.lru_cache(maxsize=_CACHE)
def _fully_supported(quote: Quote) -> Reason:
    budgets = [
        line.citation
        for line in quote.lines
        if line.code in ("monthly_state_support", "monthly_local_support") and line.citation is not None
    ]
    citation = Citation(
        "; ".join(dict.fromkeys(str(c) for c in budgets)), "", budgets[0].url if budgets else ""
    )
    return Reason(
        "FULLY_SUPPORTED",
        True,
        f"Ngân sách nhà nước ({format_vnd(quote.state_support)}) và ngân sách địa phương "
        f"({format_vnd(quote.local_support)}) đã đóng toàn bộ; nhà tài trợ không phải trả gì.",
        f"The state ({format_vnd(quote.state_support, 'en')}) and local budgets "
        f"({format_vnd(quote.local_support, 'en')}) pay it all; a donor would pay nothing.",
        citation,
    )


def fully_supported(
    product: Product,
    who: Participant,
    *,
    on: dt.date,
    law: Law,
    local_supports: tuple[LocalSupport, ...] = (),
    commune_lists: tuple[CommuneList, ...] = (),
) -> Reason | None:
    """The :data:`FULLY_SUPPORTED` reason when budgets pay the whole gift for *who*, else ``None``.

    ``None`` too for a Tết gift, for a person in a group the state pays in full
    (:data:`STATE_PAID_IN_FULL` says so for a card) and for a product the law of
    *on* cannot price (other rules and the price say why).  ``ansinh.bulk``
    screening calls this same function.

    >>> import datetime as dt
    >>> from ansinh.core.people import Category
    >>> from ansinh.core.products import SocialBook
    >>> from ansinh.data import default_law
    >>> from ansinh.testing import sample_person
    >>> from ansinh.plugins.local_support import shipped_local_supports
    >>> poor = sample_person(province="01", categories={Category.POOR})
    >>> fully_supported(SocialBook(months=1), poor, on=dt.date(2026, 3, 1), law=default_law(),
    ...                 local_supports=shipped_local_supports()).code
    'FULLY_SUPPORTED'
    """
    if isinstance(product, TetGift):
        return None
    if product.kind is ProductKind.HEALTH_CARD and _state_paid(law.at(on), who.categories) is not None:
        return None
    try:
        quote = price(
            product, who, on=on, law=law, local_supports=local_supports, commune_lists=commune_lists
        )
    except AnsinhError:
        return None
    return _fully_supported(quote) if quote.payable == 0 else None


def _check_fully_supported(ctx: CheckContext) -> Reason | None:
    return fully_supported(
        ctx.product,
        ctx.person,
        on=ctx.on,
        law=ctx.law,
        local_supports=ctx.local_supports,
        commune_lists=ctx.commune_lists,
    )


FULLY_SUPPORTED: Final = BuiltinRule(
    "FULLY_SUPPORTED", "budgets pay the whole gift: it costs a donor nothing", _check_fully_supported
)
"""Blocks a card or book the state and provincial budgets pay in full (payable 0 đồng): it is
not a gift.  Cites each budget's source."""


PriceClass: TypeAlias = tuple[object, ...]
"""What :func:`~ansinh.core.pricing.price` reads of a person, as one hashable key."""


def fully_supported_rule(
    product: Product,
    *,
    on: dt.date,
    law: Law,
    local_supports: tuple[LocalSupport, ...] = (),
    commune_lists: tuple[CommuneList, ...] = (),
) -> BuiltinRule:
    """:data:`FULLY_SUPPORTED` for one screening: people of one price class share one answer.

    A new rule for each :func:`~ansinh.core.eligibility.screen` call, for the
    contexts of that call (its *product*, *on*, *law*, top-ups and commune
    lists).  It asks :func:`fully_supported` once per price class — the
    person's fields :func:`~ansinh.core.pricing.price` reads: categories,
    province and supported months, and, only where a top-up of the person's
    province applies (:meth:`~ansinh.core.shares.LocalSupport.applies`) or
    commune lists are given, the commune, district, former province, the
    day the person left poverty and the age on *on* (for an age band,
    :attr:`~ansinh.core.shares.LocalSupport.group_ages`) — and gives every
    person of the class that answer.  A context of another call is checked as :data:`FULLY_SUPPORTED`
    checks it.

    >>> import datetime as dt
    >>> from ansinh.core.products import SocialBook
    >>> from ansinh.data import default_law
    >>> rule = fully_supported_rule(SocialBook(months=12), on=dt.date(2026, 1, 10), law=default_law())
    >>> rule.code
    'FULLY_SUPPORTED'
    """
    kind = product.kind
    answers: dict[PriceClass, Reason | None] = {}
    topped: dict[str, bool] = {}

    def evaluate(ctx: CheckContext) -> Reason | None:
        if not (
            ctx.law is law
            and ctx.local_supports is local_supports
            and ctx.commune_lists is commune_lists
            and ctx.on == on
            and (ctx.product is product or ctx.product == product)
        ):
            return _check_fully_supported(ctx)
        p = ctx.person
        where = topped.get(p.province)
        if where is None:
            where = topped[p.province] = bool(commune_lists) or any(
                s.applies(p.province, kind, on) for s in local_supports
            )
        key: PriceClass = (p.categories, p.province, p.vsi_supported_months)
        if where:
            key = (*key, p.commune, p.district, p.former_province, p.left_poverty_on, ctx.age)
        if key not in answers:
            answers[key] = _check_fully_supported(ctx)
        return answers[key]

    return BuiltinRule(FULLY_SUPPORTED.code, FULLY_SUPPORTED.description, evaluate)


@functools.lru_cache(maxsize=_CACHE)
def _card_start(period: LawPeriod, on: dt.date, until: dt.date | None) -> Reason:
    start = card_start(until, on, period=period)
    day = start.valid_from
    if until is None:
        waiting = waiting_days(period)
        return Reason(
            "WAITING_PERIOD_30_DAYS",
            False,
            f"Tham gia BHYT lần đầu: thẻ có giá trị sau {waiting.value} ngày kể từ ngày đóng, "
            f"từ ngày {format_date(day)}.",
            f"First participation: the card is valid {waiting.value} days after payment, "
            f"from {day.isoformat()}.",
            waiting.citation,
        )
    months = break_months(period)
    if start.how == "renewal":
        return Reason(
            "RENEWAL_FROM_CARD_END",
            False,
            f"Thẻ hiện tại còn giá trị đến {format_date(until)}; thẻ được tặng nối tiếp từ ngày {format_date(day)}.",
            f"The current card is valid until {until.isoformat()}; the gift card continues from "
            f"{day.isoformat()}.",
            months.citation,
        )
    if start.how == "break":
        waiting = waiting_days(period)
        return Reason(
            "WAITING_PERIOD_30_DAYS",
            False,
            f"Thẻ cũ hết hạn {format_date(until)}, gián đoạn từ {months.value} tháng trở lên: thẻ có "
            f"giá trị sau {waiting.value} ngày kể từ ngày đóng, từ ngày {format_date(day)}.",
            f"The previous card ended on {until.isoformat()}, a break of {months.value} months "
            f"or more: the card is valid {waiting.value} days after payment, from {day.isoformat()}.",
            waiting.citation,
        )
    return Reason(
        "CONTINUOUS_PARTICIPATION",
        False,
        f"Thẻ cũ hết hạn {format_date(until)}, gián đoạn dưới {months.value} tháng: thẻ được tặng có "
        f"giá trị ngay từ ngày đóng {format_date(day)}.",
        f"The previous card ended on {until.isoformat()}, a break of less than {months.value} "
        f"months: the gift card is valid from the payment date, {day.isoformat()}.",
        months.citation,
    )


def _check_card_start(ctx: CheckContext) -> Reason:
    return _card_start(ctx.period, ctx.on, ctx.person.bhyt_valid_until)


CARD_START: Final = BuiltinRule("CARD_START", "when the gift card starts (informative)", _check_card_start)
"""Always informs: ``RENEWAL_FROM_CARD_END``, ``CONTINUOUS_PARTICIPATION`` or ``WAITING_PERIOD_30_DAYS``."""


# ---------------------------------------------------------------- every product ---


@functools.lru_cache(maxsize=_CACHE)
def _outside(campaign_province: str, province: str, plan: str) -> Reason:
    return Reason(
        "OUTSIDE_CAMPAIGN_PROVINCE",
        True,
        f"Không cư trú tại tỉnh/thành phố của chương trình (mã {campaign_province}); "
        f"nơi cư trú: mã {province}.",
        f"Does not live in the campaign's province (code {campaign_province}); lives in code {province}.",
        programme_citation(plan),
    )


def _check_province(ctx: CheckContext) -> Reason | None:
    campaign = ctx.campaign
    if campaign is None or campaign.province is None or campaign.province == ctx.person.province:
        return None
    return _outside(campaign.province, ctx.person.province, campaign.plan_reference)


OUTSIDE_CAMPAIGN_PROVINCE: Final = BuiltinRule(
    "OUTSIDE_CAMPAIGN_PROVINCE", "lives outside the campaign's province", _check_province
)
"""Blocks a person living outside a provincial campaign's province."""


@functools.lru_cache(maxsize=256)
def _not_difficult(plan: str) -> Reason:
    return Reason(
        "NOT_IN_DIFFICULT_CIRCUMSTANCES",
        True,
        "Không thuộc nhóm đối tượng có hoàn cảnh khó khăn và chưa được xác nhận khi rà soát.",
        "Not in a target group and not confirmed as in difficult circumstances by the review.",
        programme_citation(plan),
    )


def _check_difficult(ctx: CheckContext) -> Reason | None:
    if in_difficult_circumstances(ctx.person):
        return None
    return _not_difficult(ctx.plan_reference)


NOT_IN_DIFFICULT_CIRCUMSTANCES: Final = BuiltinRule(
    "NOT_IN_DIFFICULT_CIRCUMSTANCES", "not in difficult circumstances", _check_difficult
)
"""Blocks a person neither in a target group nor confirmed by the review
(:func:`~ansinh.core.eligibility.priorities.in_difficult_circumstances`)."""


# ------------------------------------------------------------------ social book ---


@functools.lru_cache(maxsize=256)
def _not_citizen(period: LawPeriod) -> Reason:
    return Reason(
        "NOT_CITIZEN",
        True,
        "Không phải công dân Việt Nam.",
        "Not a Vietnamese citizen.",
        vsi_min_age(period).citation,
    )


def _check_citizen(ctx: CheckContext) -> Reason | None:
    return None if ctx.person.vietnamese_citizen else _not_citizen(ctx.period)


NOT_CITIZEN: Final = BuiltinRule("NOT_CITIZEN", "not a Vietnamese citizen", _check_citizen)
"""Blocks a person who is not a Vietnamese citizen (voluntary SI is for citizens)."""


@functools.lru_cache(maxsize=_CACHE)
def _under_min_age(period: LawPeriod, on: dt.date, age: int) -> Reason:
    limit = vsi_min_age(period)
    return Reason(
        "UNDER_MIN_AGE",
        True,
        f"Chưa đủ {limit.value} tuổi vào ngày {format_date(on)} ({age} tuổi).",
        f"Under {limit.value} on {on.isoformat()} (aged {age}).",
        limit.citation,
    )


def _check_min_age(ctx: CheckContext) -> Reason | None:
    if ctx.age >= vsi_min_age(ctx.period).value:
        return None
    return _under_min_age(ctx.period, ctx.on, ctx.age)


UNDER_MIN_AGE: Final = BuiltinRule(
    "UNDER_MIN_AGE", "under the voluntary-SI minimum age on the date", _check_min_age
)
"""Blocks a person under ``vsi_min_age`` on the date (the birthday itself is old enough)."""


@functools.lru_cache(maxsize=256)
def _compulsory(period: LawPeriod) -> Reason:
    return Reason(
        "IN_COMPULSORY_SI",
        True,
        "Đang tham gia BHXH bắt buộc.",
        "Already in compulsory social insurance.",
        vsi_min_age(period).citation,
    )


def _check_compulsory(ctx: CheckContext) -> Reason | None:
    return _compulsory(ctx.period) if ctx.person.compulsory_si else None


IN_COMPULSORY_SI: Final = BuiltinRule(
    "IN_COMPULSORY_SI", "already in compulsory social insurance", _check_compulsory
)
"""Blocks a person already in compulsory social insurance."""


@functools.lru_cache(maxsize=256)
def _pension(plan: str) -> Reason:
    return Reason(
        "RECEIVES_PENSION",
        True,
        "Đang hưởng lương hưu.",
        "Already receives a pension.",
        programme_citation(plan),
    )


def _check_pension(ctx: CheckContext) -> Reason | None:
    return _pension(ctx.plan_reference) if ctx.person.receives_pension else None


RECEIVES_PENSION: Final = BuiltinRule("RECEIVES_PENSION", "already receives a pension", _check_pension)
"""Blocks a person who already receives a pension."""


# --------------------------------------------------------------------- Tết gift ---


def tet_dates(ctx: CheckContext) -> tuple[dt.date, dt.date]:
    """The campaign's first and last day of Tết.

    Raises:
        InvalidValueError: the context has no campaign with ``tet_dates``.
    """
    tet = ctx.campaign.tet_dates if ctx.campaign is not None else None
    if tet is None:
        raise InvalidValueError("campaign", ctx.campaign, "a Campaign with tet_dates, to check a Tết gift")
    return tet


def _tet_overlap(ctx: CheckContext) -> tuple[dt.date, dt.date] | None:
    first, last = tet_dates(ctx)
    stay = ctx.person.hospital_stay
    if stay is None:
        return None
    start, end = max(stay[0], first), min(stay[1], last)
    return (start, end) if start <= end else None


@functools.lru_cache(maxsize=256)
def _not_in_hospital(first: dt.date, last: dt.date, plan: str) -> Reason:
    return Reason(
        "NOT_IN_HOSPITAL_AT_TET",
        True,
        f"Không điều trị nội trú trong dịp Tết ({format_date(first)}–{format_date(last)}).",
        f"Not in hospital over Tết ({first.isoformat()} to {last.isoformat()}).",
        programme_citation(plan),
    )


def _check_in_hospital(ctx: CheckContext) -> Reason | None:
    if _tet_overlap(ctx) is not None:
        return None
    return _not_in_hospital(*tet_dates(ctx), ctx.plan_reference)


NOT_IN_HOSPITAL_AT_TET: Final = BuiltinRule(
    "NOT_IN_HOSPITAL_AT_TET", "not in hospital over the Tết dates", _check_in_hospital
)
"""Blocks a person whose hospital stay does not overlap the campaign's Tết dates."""


@functools.lru_cache(maxsize=_CACHE)
def _not_insured(day: dt.date, plan: str) -> Reason:
    return Reason(
        "NOT_INSURED",
        True,
        f"Không có thẻ BHYT còn giá trị ngày {format_date(day)}.",
        f"No health card valid on {day.isoformat()}.",
        programme_citation(plan),
    )


def _check_insured(ctx: CheckContext) -> Reason | None:
    overlap = _tet_overlap(ctx)
    day = overlap[0] if overlap is not None else tet_dates(ctx)[0]
    until = ctx.person.bhyt_valid_until
    if until is not None and until >= day:
        return None
    return _not_insured(day, ctx.plan_reference)


NOT_INSURED: Final = BuiltinRule("NOT_INSURED", "no health card valid in hospital over Tết", _check_insured)
"""Blocks a person without a card valid on the first day in hospital over Tết."""


_BUILTIN: Final[Mapping[ProductKind, tuple[BuiltinRule, ...]]] = {
    ProductKind.HEALTH_CARD: (
        ALREADY_INSURED,
        STATE_PAID_IN_FULL,
        STATE_PAID_CHILD_UNDER_6,
        FULLY_SUPPORTED,
        OUTSIDE_CAMPAIGN_PROVINCE,
        NOT_IN_DIFFICULT_CIRCUMSTANCES,
        CARD_START,
    ),
    ProductKind.SOCIAL_BOOK: (
        NOT_CITIZEN,
        UNDER_MIN_AGE,
        IN_COMPULSORY_SI,
        RECEIVES_PENSION,
        FULLY_SUPPORTED,
        OUTSIDE_CAMPAIGN_PROVINCE,
        NOT_IN_DIFFICULT_CIRCUMSTANCES,
    ),
    ProductKind.TET_GIFT: (
        NOT_IN_HOSPITAL_AT_TET,
        NOT_INSURED,
        OUTSIDE_CAMPAIGN_PROVINCE,
        NOT_IN_DIFFICULT_CIRCUMSTANCES,
    ),
}


def builtin_rules(kind: ProductKind) -> tuple[BuiltinRule, ...]:
    """The built-in rules for a product kind, in the order :func:`~ansinh.core.eligibility.checking` runs them.

    Raises:
        InvalidValueError: *kind* is not a product kind.

    >>> [r.code for r in builtin_rules(ProductKind.SOCIAL_BOOK)][:2]
    ['NOT_CITIZEN', 'UNDER_MIN_AGE']
    """
    try:
        return _BUILTIN[ProductKind(kind)]
    except ValueError:
        raise InvalidValueError("kind", kind, "one of " + ", ".join(k.value for k in ProductKind)) from None
