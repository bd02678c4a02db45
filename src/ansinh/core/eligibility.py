"""Who may receive a gift, and why: rules, decisions with reasons, priority, screening.

:func:`check` decides, person by person, whether a gift (health card, social
book, Tết gift) can be given on a date, and says why in Vietnamese and English
with the legal citation, so a clerk can print it on a decision.  An ineligible
person is a normal answer, never an exception.

Rules
    A rule is a small object with a ``code`` and one method,
    ``evaluate(ctx) -> Reason | None`` (:class:`Rule`).  A *blocking* reason
    makes the person ineligible; a non-blocking one informs (e.g. the gift card
    continues from the end of the current card).  The built-in rules of each
    product are listed by :func:`builtin_rules`; extra rules (province plugins)
    come in through ``rules=`` and run after them.

Health card (thẻ BHYT) — built-in rules and the reason codes they give
    ``ALREADY_INSURED``: a card valid until at least the last day of the gift
    period.  ``STATE_PAID_IN_FULL``: a group whose contribution the state pays
    in full (every group with share 1 in ``bhyt_state_support`` — poor
    households — and every group of ``bhyt_fully_state_paid``).
    ``STATE_PAID_CHILD_UNDER_6``: a child under 6 (the HI law has the state pay
    their card; not confirmed in the project's sources, see the reason's
    text).  ``OUTSIDE_CAMPAIGN_PROVINCE``, ``NOT_IN_DIFFICULT_CIRCUMSTANCES``.
    Informative: ``RENEWAL_FROM_CARD_END``, ``CONTINUOUS_PARTICIPATION`` and
    ``WAITING_PERIOD_30_DAYS``.

Card validity start (:attr:`Decision.valid_from`, HI Law Art. 16 as amended by Law 51/2024)
    The gift is paid on the date of the check.  A current card, or one that
    ended the day before, means continuous participation: the gift card is
    valid from the day after the current card ends, and at the earliest on the
    payment date.  A break shorter than ``bhyt_break_months`` months also
    counts as continuous (valid from the payment date).  No card at all, or a
    break of ``bhyt_break_months`` months or more (counted in calendar months
    from the day after the old card ended), is a first participation: the card
    is valid ``bhyt_waiting_days`` days after payment.  The code
    ``WAITING_PERIOD_30_DAYS`` keeps its name whatever number of days the law
    sets; the text always says the law's number.

Social book (sổ BHXH tự nguyện)
    ``NOT_CITIZEN``, ``UNDER_MIN_AGE`` (``vsi_min_age`` on the date: the
    15th birthday itself is old enough), ``IN_COMPULSORY_SI``,
    ``RECEIVES_PENSION``, ``OUTSIDE_CAMPAIGN_PROVINCE``,
    ``NOT_IN_DIFFICULT_CIRCUMSTANCES``.

Tết gift (suất quà Tết)
    ``NOT_IN_HOSPITAL_AT_TET`` (the hospital stay must overlap the
    campaign's Tết dates), ``NOT_INSURED`` (a card valid on the first day of
    that overlap), ``OUTSIDE_CAMPAIGN_PROVINCE``,
    ``NOT_IN_DIFFICULT_CIRCUMSTANCES``.  A Tết gift needs a campaign with
    ``tet_dates``.

Difficult circumstances
    A person is in difficult circumstances when the review set
    :attr:`~ansinh.core.people.Person.difficult_circumstances`, or when one of
    their categories is among :data:`DIFFICULT_CATEGORIES` (the programme's
    target groups: ethnic minorities, people who just escaped poverty,
    near-poor and average-living-standard farm households, other disadvantaged
    people).

Priority (:func:`priority`)
    A deterministic score: the sum of the points of every part that applies
    (:data:`PRIORITY_TABLE`), plus the parts a province plugin adds.

    ================================== ====== =========================================
    part                               points when
    ================================== ====== =========================================
    ``POOR``                           40     category poor household
    ``NEAR_POOR``                      30     category near-poor household
    ``DISABILITY``                     25     category person with a disability
    ``ELDERLY_ALONE``                  25     category elderly person living alone
    ``JUST_ESCAPED_POVERTY``           20     category just escaped poverty
    ``CHILD``                          20     category child in difficult circumstances
    ``ETHNIC_MINORITY``                15     category ethnic minority
    ``ETHNIC_MINORITY_DIFFICULT_AREA`` 15     category ethnic minority, difficult area
    ``SOCIAL_ALLOWANCE``               10     category monthly social allowance
    ``FARM_AVERAGE_INCOME``            10     category farm household, average standard
    ``ISLAND_RESIDENT``                10     category island commune or special zone
    ``STUDENT``                        5      category student
    ``FREE_WORKER``                    5      category informal worker
    ``MERITORIOUS``                    5      category meritorious services
    ``DIFFICULT_CIRCUMSTANCES``        10     flag set by the review
    ``AGE_60_PLUS``                    10     aged 60 or over on the date
    ``AGE_UNDER_16``                   10     aged under 16 on the date
    ``UNINSURED``                      10     no health card valid on the date
    ================================== ====== =========================================

    Ordering (:func:`ranking_key`): higher score first; on a tie the older
    person first (earlier date of birth); then by ``person.id``.  So two lists
    built from the same people always come out in the same order.

>>> import datetime as dt
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> p = Person(id="HY-001", full_name="Trần Văn Bình", date_of_birth=dt.date(1958, 4, 2),
...            province="33", categories={Category.NEAR_POOR})
>>> import ansinh
>>> d = check(p, HealthCard(months=12), on=dt.date(2026, 1, 10), law=ansinh.default_law())
>>> d.eligible, d.valid_from, [r.code for r in d.reasons]
(True, datetime.date(2026, 2, 9), ['WAITING_PERIOD_30_DAYS'])
>>> d.priority.score, d.priority.parts
(50, (('NEAR_POOR', 30), ('AGE_60_PLUS', 10), ('UNINSURED', 10)))
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable, Mapping
from typing import Final, Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from ansinh.core.campaign import Campaign
from ansinh.core.dates import add_months
from ansinh.core.law import Citation, Law, LawPeriod
from ansinh.core.people import Category, Person, age_on
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.exceptions import InvalidPersonError, InvalidValueError

__all__ = [
    "DIFFICULT_CATEGORIES",
    "PRIORITY_TABLE",
    "PROGRAMME_DOCUMENT",
    "BuiltinRule",
    "CheckContext",
    "Decision",
    "FunctionRule",
    "Priority",
    "PriorityParts",
    "Reason",
    "Rule",
    "Screening",
    "add_months",
    "builtin_rules",
    "card_valid_from",
    "check",
    "in_difficult_circumstances",
    "priority",
    "ranking_key",
    "screen",
]

PROGRAMME_DOCUMENT: Final = (
    "Chương trình “Tặng sổ BHXH, thẻ BHYT cho người có hoàn cảnh khó khăn” (BHXH Việt Nam)"
)
"""The programme, cited for rules that come from its definition rather than from a law."""

DIFFICULT_CATEGORIES: Final[frozenset[Category]] = frozenset(
    {
        Category.POOR,
        Category.NEAR_POOR,
        Category.JUST_ESCAPED_POVERTY,
        Category.ETHNIC_MINORITY,
        Category.ETHNIC_MINORITY_DIFFICULT_AREA,
        Category.FARM_AVERAGE_INCOME,
        Category.DISABILITY,
        Category.ELDERLY_ALONE,
        Category.CHILD,
        Category.SOCIAL_ALLOWANCE,
    }
)
"""Categories that by themselves count as difficult circumstances (the programme's targets)."""

_CHILD_STATE_PAID_PARAM: Final = "bhyt_child_state_paid_age"
_CHILD_CITATION: Final = Citation(
    "Luật BHYT 25/2008/QH12 (sửa đổi 2014)",
    "Điều 12 khoản 3 (trẻ em dưới 6 tuổi) — chưa xác nhận trong nguồn của dự án / unconfirmed",
)

PriorityParts: TypeAlias = tuple[tuple[str, int], ...]
"""Parts of a priority score: ``(code, points)`` pairs."""

PRIORITY_TABLE: Final[tuple[tuple[str, int, str, str], ...]] = (
    ("POOR", 40, "hộ nghèo", "poor household"),
    ("NEAR_POOR", 30, "hộ cận nghèo", "near-poor household"),
    ("DISABILITY", 25, "người khuyết tật", "person with a disability"),
    ("ELDERLY_ALONE", 25, "người cao tuổi cô đơn", "elderly person living alone"),
    ("JUST_ESCAPED_POVERTY", 20, "hộ mới thoát nghèo", "just escaped poverty"),
    ("CHILD", 20, "trẻ em có hoàn cảnh khó khăn", "child in difficult circumstances"),
    ("ETHNIC_MINORITY", 15, "người dân tộc thiểu số", "ethnic minority"),
    (
        "ETHNIC_MINORITY_DIFFICULT_AREA",
        15,
        "người dân tộc thiểu số vùng khó khăn",
        "ethnic minority in a disadvantaged area",
    ),
    ("SOCIAL_ALLOWANCE", 10, "hưởng trợ cấp xã hội hằng tháng", "monthly social allowance"),
    ("FARM_AVERAGE_INCOME", 10, "hộ nông, lâm, ngư, diêm nghiệp mức sống trung bình", "farm household"),
    ("ISLAND_RESIDENT", 10, "cư trú tại xã đảo, đặc khu", "island commune or special zone"),
    ("STUDENT", 5, "học sinh, sinh viên", "student"),
    ("FREE_WORKER", 5, "lao động tự do", "informal worker"),
    ("MERITORIOUS", 5, "người có công với cách mạng", "person with meritorious services"),
    ("DIFFICULT_CIRCUMSTANCES", 10, "hoàn cảnh khó khăn (xác nhận khi rà soát)", "difficult circumstances"),
    ("AGE_60_PLUS", 10, "từ 60 tuổi trở lên", "aged 60 or over"),
    ("AGE_UNDER_16", 10, "dưới 16 tuổi", "aged under 16"),
    ("UNINSURED", 10, "chưa có thẻ BHYT còn giá trị", "no valid health card"),
)
"""Every built-in priority part: ``(code, points, label_vi, label_en)``, highest points first."""

_POINTS: Final[dict[str, int]] = {code: pts for code, pts, _, _ in PRIORITY_TABLE}
_PRIORITY_LABELS: Final[dict[str, tuple[str, str]]] = {c: (vi, en) for c, _, vi, en in PRIORITY_TABLE}
# Category parts in table order, so the parts of a score always come out in the same order.
_CATEGORY_PARTS: Final[tuple[tuple[Category, str, int], ...]] = tuple(
    (Category(code.lower()), code, pts)
    for code, pts, _, _ in PRIORITY_TABLE
    if code.lower() in {c.value for c in Category}
)

_ONE_DAY: Final = dt.timedelta(days=1)


# ---------------------------------------------------------------- helpers ---


def _plus_days(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _vi(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def _check_date(name: str, value: object) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValueError(name, value, "a datetime.date")
    return value


def in_difficult_circumstances(person: Person) -> bool:
    """Whether the person counts as being in difficult circumstances.

    True when the review set the flag, or when a category is one of
    :data:`DIFFICULT_CATEGORIES`.
    """
    return person.difficult_circumstances or not person.categories.isdisjoint(DIFFICULT_CATEGORIES)


# ----------------------------------------------------------------- values ---


@attrs.frozen
class Reason:
    """Why a person may or may not receive a gift, in words a clerk can print.

    >>> r = Reason("UNDER_MIN_AGE", True, "Chưa đủ 15 tuổi.", "Under 15.")
    >>> r.text("en"), r.citation is None
    ('Under 15.', True)
    """

    code: str
    """Stable UPPER_SNAKE code, e.g. ``ALREADY_INSURED``."""
    blocking: bool
    """Whether this reason makes the person ineligible."""
    text_vi: str
    """Vietnamese text."""
    text_en: str
    """English text."""
    citation: Citation | None = None
    """The legal source, where there is one."""

    def text(self, lang: Literal["vi", "en"] = "vi") -> str:
        """The text in ``"vi"`` or ``"en"``."""
        return self.text_en if lang == "en" else self.text_vi


@attrs.frozen
class Priority:
    """A priority score with its parts visible.

    >>> Priority.of((("NEAR_POOR", 30), ("AGE_60_PLUS", 10))).score
    40
    """

    score: int
    """The sum of the points of :attr:`parts`."""
    parts: PriorityParts
    """``(code, points)`` pairs, in the order of :data:`PRIORITY_TABLE`, then extras."""

    @classmethod
    def of(cls, parts: PriorityParts) -> Priority:
        """The priority made of *parts* (the score is their sum)."""
        return cls(sum(p for _, p in parts), parts)

    def explain(self, lang: Literal["vi", "en"] = "vi") -> str:
        """The parts as text, e.g. ``"hộ cận nghèo +30; từ 60 tuổi trở lên +10"``."""
        out = []
        for code, points in self.parts:
            labels = _PRIORITY_LABELS.get(code)
            label = code if labels is None else (labels[1] if lang == "en" else labels[0])
            out.append(f"{label} {points:+d}")
        return "; ".join(out)


@attrs.frozen(kw_only=True)
class CheckContext:
    """What a rule sees: the person, the product, the date, the campaign and the law."""

    person: Person
    product: Product
    on: dt.date
    """The date of the gift (the payment date for cards and books)."""
    campaign: Campaign | None
    law: Law

    @property
    def age(self) -> int:
        """The person's age in whole years on :attr:`on`."""
        return age_on(self.person.date_of_birth, self.on)

    @property
    def gift_end(self) -> dt.date:
        """Last day of the gift period starting on :attr:`on` (:attr:`on` itself for a Tết gift)."""
        months = self.product.months
        return _plus_days(add_months(self.on, months), -1) if months else self.on


@runtime_checkable
class Rule(Protocol):
    """An eligibility rule: a code and one method.

    ``code`` names the rule (built-in rules use the code of the blocking
    reason they give).  ``evaluate`` returns a :class:`Reason` (blocking or
    informative) or ``None`` when the rule has nothing to say.
    """

    @property
    def code(self) -> str:
        """Stable UPPER_SNAKE name of the rule."""

    def evaluate(self, ctx: CheckContext) -> Reason | None:
        """The reason this rule gives for *ctx*, or ``None``."""


@attrs.frozen
class FunctionRule:
    """A :class:`Rule` made from a function, for plugins and tests.

    >>> r = FunctionRule("NOT_IN_COMMUNE_X", lambda ctx: None)
    >>> isinstance(r, Rule)
    True
    """

    code: str
    """The rule's code."""
    func: Callable[[CheckContext], Reason | None]
    """Called with the context; returns a reason or ``None``."""

    def evaluate(self, ctx: CheckContext) -> Reason | None:
        """Call :attr:`func`."""
        return self.func(ctx)


@attrs.frozen(kw_only=True)
class Decision:
    """Whether a gift can be given to a person on a date, and why.

    ``eligible`` is true exactly when no reason is blocking.
    """

    person: Person
    product: Product
    on: dt.date
    eligible: bool
    reasons: tuple[Reason, ...]
    """Blocking and informative reasons, built-in rules first, in rule order."""
    valid_from: dt.date | None
    """When the gift card would start to be valid (health cards); ``None`` otherwise."""
    priority: Priority
    facts: tuple[tuple[str, str], ...]
    """The facts the decision used, e.g. ``("age", "15")`` (never an identifier)."""

    @property
    def blocking(self) -> tuple[Reason, ...]:
        """The blocking reasons."""
        return tuple(r for r in self.reasons if r.blocking)

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of all reasons."""
        return tuple(r.code for r in self.reasons)

    def fact(self, name: str) -> str | None:
        """The value of a fact, or ``None``."""
        for k, v in self.facts:
            if k == name:
                return v
        return None

    def explain(self, lang: Literal["vi", "en"] = "vi") -> str:
        """A text a clerk can print: the result, then each reason with its citation."""
        kind = self.product.kind
        if lang == "en":
            head = f"{self.person.full_name} — {kind.label_en} on {self.on.isoformat()}: " + (
                "ELIGIBLE" if self.eligible else "NOT ELIGIBLE"
            )
        else:
            head = f"{self.person.full_name} — {kind.label_vi} ngày {_vi(self.on)}: " + (
                "ĐỦ ĐIỀU KIỆN" if self.eligible else "KHÔNG ĐỦ ĐIỀU KIỆN"
            )
        lines = [head]
        for r in self.reasons:
            line = f"- [{r.code}] {r.text(lang)}"
            if r.citation is not None:
                line += f" ({r.citation})"
            lines.append(line)
        if self.valid_from is not None:
            lines.append(
                f"Card valid from {self.valid_from.isoformat()}"
                if lang == "en"
                else f"Thẻ có giá trị từ ngày {_vi(self.valid_from)}"
            )
        return "\n".join(lines)


# ------------------------------------------------------------ law lookups ---


@attrs.frozen
class _Env:
    """Law values the built-in rules need, resolved once per law period."""

    min_age: int
    min_age_citation: Citation
    waiting_days: int
    waiting_citation: Citation
    break_months: int
    break_citation: Citation
    fully_paid: tuple[tuple[Category, Citation], ...]
    child_age: int
    child_citation: Citation


def _env(law: Law, on: dt.date) -> _Env:
    return _env_of(law.at(on))


@functools.lru_cache(maxsize=256)
def _env_of(period: LawPeriod) -> _Env:
    fully: dict[Category, Citation] = {}
    for table in ("bhyt_state_support", "bhyt_fully_state_paid"):
        entry = period.entry(table)
        for k, share in entry.rates():
            if share == 1:
                try:
                    fully.setdefault(Category(k), entry.citation)
                except ValueError:  # a group ansinh has no category for: nobody can be in it
                    continue
    child = period.get(_CHILD_STATE_PAID_PARAM)
    if child is not None:
        child_age, child_citation = child.amount(), child.citation
    else:  # a law without the parameter has no such group: no child is blocked
        child_age, child_citation = 0, _CHILD_CITATION
    return _Env(
        min_age=period.amount("vsi_min_age"),
        min_age_citation=period.citation("vsi_min_age"),
        waiting_days=period.amount("bhyt_waiting_days"),
        waiting_citation=period.citation("bhyt_waiting_days"),
        break_months=period.amount("bhyt_break_months"),
        break_citation=period.citation("bhyt_break_months"),
        fully_paid=tuple(fully.items()),
        child_age=child_age,
        child_citation=child_citation,
    )


def _card_start(person: Person, on: dt.date, env: _Env) -> tuple[dt.date, str]:
    """The gift card's first valid day and how it was found (renewal, continuous, first, break)."""
    until = person.bhyt_valid_until
    if until is None:
        return _plus_days(on, env.waiting_days), "first"
    if until >= on:
        return _plus_days(until, 1), "renewal"
    resumed = _plus_days(until, 1)
    if add_months(resumed, env.break_months) <= on:
        return _plus_days(on, env.waiting_days), "break"
    return on, "continuous"


class _Run:
    """Everything one check or one screening shares: the law's values, dates, and caches.

    Reasons, priorities and fact strings depend on a few values only (a card's
    end date, an age, a set of categories), so they are built once per value
    and shared by every decision of a screening — all of them are immutable.
    """

    __slots__ = (
        "by_age",
        "by_categories",
        "by_flags",
        "by_province",
        "by_until",
        "campaign",
        "campaign_fact",
        "campaign_pair",
        "env",
        "funcs",
        "gift_end",
        "health",
        "kind",
        "law",
        "on",
        "priorities",
        "product",
        "programme",
        "reasons",
        "starts",
        "tet",
        "texts",
    )

    def __init__(self, product: Product, on: dt.date, campaign: Campaign | None, law: Law) -> None:
        self.product = product
        self.kind = product.kind
        self.on = on
        self.campaign = campaign
        self.law = law
        self.env = _env(law, on)
        self.funcs: tuple[_RuleFunc, ...] = tuple(r._func for r in _BUILTIN[self.kind])
        self.health = self.kind is ProductKind.HEALTH_CARD
        months = product.months
        self.gift_end = _plus_days(add_months(on, months), -1) if months else on
        self.programme = Citation(PROGRAMME_DOCUMENT, campaign.plan_reference if campaign is not None else "")
        self.campaign_fact = (
            "national" if campaign is None or campaign.province is None else campaign.province
        )
        self.campaign_pair = ("campaign_province", self.campaign_fact)
        self.tet = campaign.tet_dates if campaign is not None else None
        self.reasons: dict[tuple[object, ...], Reason | None] = {}
        self.starts: dict[dt.date | None, tuple[dt.date, str]] = {}
        self.texts: dict[object, str] = {}
        self.priorities: dict[tuple[object, ...], Priority] = {}
        # Parts of a health-card decision, by the one value each depends on (see _decide_health).
        self.by_until: dict[dt.date | None, _UntilPart] = {}
        self.by_categories: dict[frozenset[Category], list[_CategoriesPart | None]] = {}
        self.by_age: dict[int, _AgePart] = {}
        self.by_province: dict[str, _ProvincePart] = {}
        # social book: by citizen, compulsory SI and pension flags, as 4 * c + 2 * s + p (_decide_book)
        self.by_flags: list[_FlagsPart | None] = [None] * 8

    def start(self, person: Person) -> tuple[dt.date, str]:
        until = person.bhyt_valid_until
        hit = self.starts.get(until)
        if hit is None:
            hit = self.starts[until] = _card_start(person, self.on, self.env)
        return hit

    def iso(self, day: dt.date | None) -> str:
        if day is None:
            return "none"
        hit = self.texts.get(day)
        if hit is None:
            hit = self.texts[day] = day.isoformat()
        return hit

    def tet_dates(self) -> tuple[dt.date, dt.date]:
        if self.tet is None:
            raise InvalidValueError(
                "campaign", self.campaign, "a Campaign with tet_dates, to check a Tết gift"
            )
        return self.tet


_RuleFunc: TypeAlias = Callable[[_Run, Person, int], "Reason | None"]


def _cached(run: _Run, key: tuple[object, ...], make: Callable[[], Reason | None]) -> Reason | None:
    if key in run.reasons:
        return run.reasons[key]
    made = run.reasons[key] = make()
    return made


def card_valid_from(person: Person, on: dt.date, *, law: Law) -> dt.date:
    """The first day a health card paid on *on* would be valid for *person*.

    See the module docstring for the rule (HI Law Art. 16).

    >>> import datetime as dt
    >>> from ansinh.core.people import Person
    >>> p = Person(id="1", full_name="A", date_of_birth=dt.date(1990, 1, 1), province="01",
    ...            bhyt_valid_until=dt.date(2026, 3, 31))
    >>> import ansinh
    >>> card_valid_from(p, dt.date(2026, 1, 10), law=ansinh.default_law())
    datetime.date(2026, 4, 1)
    """
    law = _resolve_law(law)
    return _card_start(person, _check_date("on", on), _env(law, on))[0]


# --------------------------------------------------------- built-in rules ---


def _already_insured(run: _Run, p: Person, age: int) -> Reason | None:
    until = p.bhyt_valid_until
    end = run.gift_end
    if until is None or until < end:
        return None
    on = run.on
    return _cached(
        run,
        ("ALREADY_INSURED", until),
        lambda: Reason(
            "ALREADY_INSURED",
            True,
            f"Đã có thẻ BHYT còn giá trị đến {_vi(until)}, bao trùm thời hạn thẻ được tặng "
            f"({_vi(on)}–{_vi(end)}).",
            f"Already holds a health card valid until {until.isoformat()}, covering the whole gift "
            f"period ({on.isoformat()} to {end.isoformat()}).",
            run.programme,
        ),
    )


def _card_start_reason(run: _Run, p: Person, age: int) -> Reason | None:
    start, how = run.start(p)
    until = p.bhyt_valid_until
    env = run.env
    return _cached(run, ("CARD_START", how, until), lambda: _start_text(how, until, start, env))


def _start_text(how: str, until: dt.date | None, start: dt.date, env: _Env) -> Reason | None:
    if how == "renewal" and until is not None:
        return Reason(
            "RENEWAL_FROM_CARD_END",
            False,
            f"Thẻ hiện tại còn giá trị đến {_vi(until)}; thẻ được tặng nối tiếp từ ngày {_vi(start)}.",
            f"The current card is valid until {until.isoformat()}; the gift card continues from "
            f"{start.isoformat()}.",
            env.break_citation,
        )
    if how == "first":
        return Reason(
            "WAITING_PERIOD_30_DAYS",
            False,
            f"Tham gia BHYT lần đầu: thẻ có giá trị sau {env.waiting_days} ngày kể từ ngày đóng, "
            f"từ ngày {_vi(start)}.",
            f"First participation: the card is valid {env.waiting_days} days after payment, "
            f"from {start.isoformat()}.",
            env.waiting_citation,
        )
    if how == "break" and until is not None:
        return Reason(
            "WAITING_PERIOD_30_DAYS",
            False,
            f"Thẻ cũ hết hạn {_vi(until)}, gián đoạn từ {env.break_months} tháng trở lên: thẻ có "
            f"giá trị sau {env.waiting_days} ngày kể từ ngày đóng, từ ngày {_vi(start)}.",
            f"The previous card ended on {until.isoformat()}, a break of {env.break_months} months "
            f"or more: the card is valid {env.waiting_days} days after payment, from {start.isoformat()}.",
            env.waiting_citation,
        )
    if how == "continuous" and until is not None:
        return Reason(
            "CONTINUOUS_PARTICIPATION",
            False,
            f"Thẻ cũ hết hạn {_vi(until)}, gián đoạn dưới {env.break_months} tháng: thẻ được tặng có "
            f"giá trị ngay từ ngày đóng {_vi(start)}.",
            f"The previous card ended on {until.isoformat()}, a break of less than {env.break_months} "
            f"months: the gift card is valid from the payment date, {start.isoformat()}.",
            env.break_citation,
        )
    return None  # pragma: no cover - every case is handled above


def _state_paid(run: _Run, p: Person, age: int) -> Reason | None:
    cats = p.categories
    if not cats:
        return None
    for cat, citation in run.env.fully_paid:
        if cat in cats:
            return _cached(
                run, ("STATE_PAID_IN_FULL", cat), functools.partial(_state_paid_text, cat, citation)
            )
    return None


def _state_paid_text(cat: Category, citation: Citation) -> Reason:
    return Reason(
        "STATE_PAID_IN_FULL",
        True,
        f"Thuộc nhóm được ngân sách nhà nước đóng 100% BHYT ({cat.label_vi}).",
        f"In a group whose health insurance the state pays in full ({cat.label_en}).",
        citation,
    )


def _state_paid_child(run: _Run, p: Person, age: int) -> Reason | None:
    env = run.env
    if age >= env.child_age:
        return None
    return _cached(
        run,
        ("STATE_PAID_CHILD_UNDER_6", age),
        lambda: Reason(
            "STATE_PAID_CHILD_UNDER_6",
            True,
            f"Trẻ em dưới {env.child_age} tuổi ({age} tuổi) được ngân sách nhà nước đóng BHYT "
            "(quy định của Luật BHYT; chưa được xác nhận trong nguồn của dự án).",
            f"Children under {env.child_age} (this one is {age}) get their card from the state "
            "(HI Law; not confirmed in the project's sources).",
            env.child_citation,
        ),
    )


def _in_province(run: _Run, p: Person, age: int) -> Reason | None:
    campaign = run.campaign
    if campaign is None or campaign.province is None or campaign.province == p.province:
        return None
    code = campaign.province
    where = p.province
    return _cached(
        run,
        ("OUTSIDE_CAMPAIGN_PROVINCE", where),
        lambda: Reason(
            "OUTSIDE_CAMPAIGN_PROVINCE",
            True,
            f"Không cư trú tại tỉnh/thành phố của chương trình (mã {code}); nơi cư trú: mã {where}.",
            f"Does not live in the campaign's province (code {code}); lives in code {where}.",
            run.programme,
        ),
    )


def _difficult(run: _Run, p: Person, age: int) -> Reason | None:
    if p.difficult_circumstances or not p.categories.isdisjoint(DIFFICULT_CATEGORIES):
        return None
    return _cached(
        run,
        ("NOT_IN_DIFFICULT_CIRCUMSTANCES",),
        lambda: Reason(
            "NOT_IN_DIFFICULT_CIRCUMSTANCES",
            True,
            "Không thuộc nhóm đối tượng có hoàn cảnh khó khăn và chưa được xác nhận khi rà soát.",
            "Not in a target group and not confirmed as in difficult circumstances by the review.",
            run.programme,
        ),
    )


def _citizen(run: _Run, p: Person, age: int) -> Reason | None:
    if p.vietnamese_citizen:
        return None
    return _cached(
        run,
        ("NOT_CITIZEN",),
        lambda: Reason(
            "NOT_CITIZEN",
            True,
            "Không phải công dân Việt Nam.",
            "Not a Vietnamese citizen.",
            run.env.min_age_citation,
        ),
    )


def _min_age(run: _Run, p: Person, age: int) -> Reason | None:
    env = run.env
    if age >= env.min_age:
        return None
    on = run.on
    return _cached(
        run,
        ("UNDER_MIN_AGE", age),
        lambda: Reason(
            "UNDER_MIN_AGE",
            True,
            f"Chưa đủ {env.min_age} tuổi vào ngày {_vi(on)} ({age} tuổi).",
            f"Under {env.min_age} on {on.isoformat()} (aged {age}).",
            env.min_age_citation,
        ),
    )


def _not_compulsory(run: _Run, p: Person, age: int) -> Reason | None:
    if not p.compulsory_si:
        return None
    return _cached(
        run,
        ("IN_COMPULSORY_SI",),
        lambda: Reason(
            "IN_COMPULSORY_SI",
            True,
            "Đang tham gia BHXH bắt buộc.",
            "Already in compulsory social insurance.",
            run.env.min_age_citation,
        ),
    )


def _no_pension(run: _Run, p: Person, age: int) -> Reason | None:
    if not p.receives_pension:
        return None
    return _cached(
        run,
        ("RECEIVES_PENSION",),
        lambda: Reason(
            "RECEIVES_PENSION", True, "Đang hưởng lương hưu.", "Already receives a pension.", run.programme
        ),
    )


def _tet_overlap(run: _Run, p: Person) -> tuple[dt.date, dt.date] | None:
    stay = p.hospital_stay
    if stay is None:
        return None
    first, last = run.tet_dates()
    start, end = max(stay[0], first), min(stay[1], last)
    return (start, end) if start <= end else None


def _in_hospital(run: _Run, p: Person, age: int) -> Reason | None:
    first, last = run.tet_dates()
    if _tet_overlap(run, p) is not None:
        return None
    return _cached(
        run,
        ("NOT_IN_HOSPITAL_AT_TET",),
        lambda: Reason(
            "NOT_IN_HOSPITAL_AT_TET",
            True,
            f"Không điều trị nội trú trong dịp Tết ({_vi(first)}–{_vi(last)}).",
            f"Not in hospital over Tết ({first.isoformat()} to {last.isoformat()}).",
            run.programme,
        ),
    )


def _insured(run: _Run, p: Person, age: int) -> Reason | None:
    overlap = _tet_overlap(run, p)
    day = overlap[0] if overlap is not None else run.tet_dates()[0]
    until = p.bhyt_valid_until
    if until is not None and until >= day:
        return None
    return _cached(
        run,
        ("NOT_INSURED", day),
        lambda: Reason(
            "NOT_INSURED",
            True,
            f"Không có thẻ BHYT còn giá trị ngày {_vi(day)}.",
            f"No health card valid on {day.isoformat()}.",
            run.programme,
        ),
    )


@attrs.frozen
class BuiltinRule:
    """A rule shipped with ansinh (see the module docstring for what each one checks)."""

    code: str
    """The rule's code (the code of the blocking reason it gives, or ``CARD_START``)."""
    description: str
    """What the rule checks, in English."""
    _func: _RuleFunc = attrs.field(alias="func", repr=False)

    def evaluate(self, ctx: CheckContext) -> Reason | None:
        """The reason this rule gives for *ctx*, or ``None``."""
        run = _Run(ctx.product, ctx.on, ctx.campaign, ctx.law)
        return self._func(run, ctx.person, ctx.age)


def _builtin(code: str, description: str, func: _RuleFunc) -> BuiltinRule:
    return BuiltinRule(code, description, func=func)


_R_INSURED = _builtin(
    "ALREADY_INSURED", "a health card valid until the gift period's last day", _already_insured
)
_R_STATE = _builtin("STATE_PAID_IN_FULL", "a group whose card the state pays in full", _state_paid)
_R_CHILD = _builtin("STATE_PAID_CHILD_UNDER_6", "a child whose card the state pays", _state_paid_child)
_R_PROVINCE = _builtin("OUTSIDE_CAMPAIGN_PROVINCE", "lives outside the campaign's province", _in_province)
_R_DIFFICULT = _builtin("NOT_IN_DIFFICULT_CIRCUMSTANCES", "not in difficult circumstances", _difficult)
_R_START = _builtin("CARD_START", "when the gift card starts (informative)", _card_start_reason)
_R_CITIZEN = _builtin("NOT_CITIZEN", "not a Vietnamese citizen", _citizen)
_R_AGE = _builtin("UNDER_MIN_AGE", "under the voluntary-SI minimum age on the date", _min_age)
_R_COMPULSORY = _builtin("IN_COMPULSORY_SI", "already in compulsory social insurance", _not_compulsory)
_R_PENSION = _builtin("RECEIVES_PENSION", "already receives a pension", _no_pension)
_R_HOSPITAL = _builtin("NOT_IN_HOSPITAL_AT_TET", "not in hospital over the Tết dates", _in_hospital)
_R_CARD = _builtin("NOT_INSURED", "no health card valid in hospital over Tết", _insured)

_BUILTIN: Final[Mapping[ProductKind, tuple[BuiltinRule, ...]]] = {
    ProductKind.HEALTH_CARD: (_R_INSURED, _R_STATE, _R_CHILD, _R_PROVINCE, _R_DIFFICULT, _R_START),
    ProductKind.SOCIAL_BOOK: (_R_CITIZEN, _R_AGE, _R_COMPULSORY, _R_PENSION, _R_PROVINCE, _R_DIFFICULT),
    ProductKind.TET_GIFT: (_R_HOSPITAL, _R_CARD, _R_PROVINCE, _R_DIFFICULT),
}


def builtin_rules(kind: ProductKind) -> tuple[Rule, ...]:
    """The built-in rules for a product kind, in the order :func:`check` runs them.

    >>> [r.code for r in builtin_rules(ProductKind.SOCIAL_BOOK)][:2]
    ['NOT_CITIZEN', 'UNDER_MIN_AGE']
    """
    try:
        return _BUILTIN[ProductKind(kind)]
    except ValueError:
        raise InvalidValueError("kind", kind, "one of " + ", ".join(k.value for k in ProductKind)) from None


# ------------------------------------------------------------- priority ---


def _check_parts(parts: object, field: str) -> PriorityParts:
    if not isinstance(parts, tuple | list):
        raise InvalidValueError(field, parts, "a tuple of (code, points) pairs")
    out = []
    for item in parts:
        if (
            not isinstance(item, tuple | list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not item[0]
            or isinstance(item[1], bool)
            or not isinstance(item[1], int)
        ):
            raise InvalidValueError(field, item, "a (code, points) pair: a non-empty str and an int")
        out.append((item[0], item[1]))
    return tuple(out)


def priority(person: Person, *, on: dt.date, extra: PriorityParts = ()) -> Priority:
    """The priority of *person* on a date, with its parts (see the module docstring's table).

    Args:
        person: the candidate.
        on: the date (ages are counted on it).
        extra: extra ``(code, points)`` parts, e.g. from a province plugin;
            they follow the built-in parts.

    Raises:
        InvalidValueError: *person* is not a Person, *on* not a date, or *extra* malformed.

    >>> import datetime as dt
    >>> from ansinh.core.people import Category, Person
    >>> p = Person(id="1", full_name="A", date_of_birth=dt.date(2015, 1, 1), province="01",
    ...            categories={Category.CHILD}, bhyt_valid_until=dt.date(2026, 12, 31))
    >>> priority(p, on=dt.date(2026, 1, 1), extra=(("COMMUNE_X", 5),)).parts
    (('CHILD', 20), ('AGE_UNDER_16', 10), ('COMMUNE_X', 5))
    """
    if not isinstance(person, Person):
        raise InvalidValueError("person", person, "an ansinh.Person")
    _check_date("on", on)
    extra = _check_parts(extra, "extra") if extra else ()
    return _priority(person, age_on(person.date_of_birth, on), on, extra, None)


def _priority(
    person: Person,
    age: int,
    on: dt.date,
    extra: PriorityParts,
    cache: dict[tuple[object, ...], Priority] | None,
) -> Priority:
    cats = person.categories
    uninsured = person.bhyt_valid_until is None or person.bhyt_valid_until < on
    key = ("priority", cats, person.difficult_circumstances, age >= 60, age < 16, uninsured, extra)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit
    parts: list[tuple[str, int]] = []
    if cats:
        parts.extend((code, pts) for cat, code, pts in _CATEGORY_PARTS if cat in cats)
    if person.difficult_circumstances:
        parts.append(("DIFFICULT_CIRCUMSTANCES", _POINTS["DIFFICULT_CIRCUMSTANCES"]))
    if age >= 60:
        parts.append(("AGE_60_PLUS", _POINTS["AGE_60_PLUS"]))
    elif age < 16:
        parts.append(("AGE_UNDER_16", _POINTS["AGE_UNDER_16"]))
    if uninsured:
        parts.append(("UNINSURED", _POINTS["UNINSURED"]))
    parts.extend(extra)
    result = Priority(sum(p for _, p in parts), tuple(parts))
    if cache is not None:
        cache[key] = result
    return result


def ranking_key(decision: Decision) -> tuple[int, dt.date, str]:
    """Sort key: higher score first, then the older person, then ``person.id``."""
    return (-decision.priority.score, decision.person.date_of_birth, decision.person.id)


# ----------------------------------------------------------------- check ---


def _resolve_law(law: Law) -> Law:
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")
    return law


def _check_rules(rules: object) -> tuple[Rule, ...]:
    if isinstance(rules, str) or not isinstance(rules, Iterable):
        raise InvalidValueError("rules", rules, "a tuple of Rule objects (a code and an evaluate method)")
    out: list[Rule] = []
    for r in rules:
        if not isinstance(getattr(r, "code", None), str) or not callable(getattr(r, "evaluate", None)):
            raise InvalidValueError(
                "rules", r, "a Rule: an object with a str code and an evaluate(ctx) method"
            )
        out.append(r)
    return tuple(out)


def _check_person(person: object) -> Person:
    if not isinstance(person, Person):
        raise InvalidValueError("person", person, "an ansinh.Person")
    stay = person.hospital_stay
    if stay is not None and (
        not isinstance(stay, tuple)
        or len(stay) != 2
        or not all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in stay)
    ):
        raise InvalidPersonError("hospital_stay", stay, "None or (admission, discharge) datetime.date pair")
    return person


def _check_args(product: object, on: object, campaign: object, law: Law) -> _Run:
    if not isinstance(product, HealthCard | SocialBook | TetGift):
        raise InvalidValueError("product", product, "a HealthCard, SocialBook or TetGift")
    day = _check_date("on", on)
    if campaign is not None and not isinstance(campaign, Campaign):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign or None")
    if isinstance(product, TetGift) and (campaign is None or campaign.tet_dates is None):
        raise InvalidValueError("campaign", campaign, "a Campaign with tet_dates, to check a Tết gift")
    return _Run(product, day, campaign, _resolve_law(law))


_AGE_TEXT: Final = tuple(str(i) for i in range(200))


def _facts(run: _Run, p: Person, age: int, valid_from: dt.date | None) -> tuple[tuple[str, str], ...]:
    texts = run.texts
    cats = p.categories
    cats_text = texts.get(cats)
    if cats_text is None:
        cats_text = texts[cats] = ";".join(sorted(c.value for c in cats))
    difficult = p.difficult_circumstances or not cats.isdisjoint(DIFFICULT_CATEGORIES)
    head: tuple[tuple[str, str], ...] = (
        ("age", _AGE_TEXT[age] if 0 <= age < 200 else str(age)),
        ("province", p.province),
        ("categories", cats_text),
        ("difficult_circumstances", "yes" if difficult else "no"),
        ("campaign_province", run.campaign_fact),
    )
    kind = run.kind
    if kind is ProductKind.HEALTH_CARD:
        period = texts.get("gift_period")
        if period is None:
            period = texts["gift_period"] = f"{run.on.isoformat()}/{run.gift_end.isoformat()}"
        return (
            *head,
            ("bhyt_valid_until", run.iso(p.bhyt_valid_until)),
            ("gift_period", period),
            ("valid_from", run.iso(valid_from)),
        )
    if kind is ProductKind.SOCIAL_BOOK:
        return (
            *head,
            ("vietnamese_citizen", "yes" if p.vietnamese_citizen else "no"),
            ("vsi_min_age", str(run.env.min_age)),
            ("compulsory_si", "yes" if p.compulsory_si else "no"),
            ("receives_pension", "yes" if p.receives_pension else "no"),
        )
    tet = run.tet_dates()
    stay = p.hospital_stay
    return (
        *head,
        ("tet_dates", f"{tet[0].isoformat()}/{tet[1].isoformat()}"),
        ("hospital_stay", "none" if stay is None else f"{stay[0].isoformat()}/{stay[1].isoformat()}"),
        ("bhyt_valid_until", run.iso(p.bhyt_valid_until)),
    )


def _decide(run: _Run, person: Person, rules: tuple[Rule, ...], extra_priority: PriorityParts) -> Decision:
    on = run.on
    dob = person.date_of_birth
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))  # = age_on(), inlined
    reasons: list[Reason] = []
    eligible = True
    for func in run.funcs:
        reason = func(run, person, age)
        if reason is not None:
            reasons.append(reason)
            eligible = eligible and not reason.blocking
    if rules:
        ctx = CheckContext(person=person, product=run.product, on=on, campaign=run.campaign, law=run.law)
        for rule in rules:
            reason = rule.evaluate(ctx)
            if reason is None:
                continue
            if not isinstance(reason, Reason):
                raise InvalidValueError(
                    f"rules[{rule.code}].evaluate",
                    reason,
                    "a Reason or None (ansinh.core.eligibility.Reason)",
                )
            reasons.append(reason)
            eligible = eligible and not reason.blocking
    valid_from = run.start(person)[0] if run.health else None
    return Decision(
        person=person,
        product=run.product,
        on=on,
        eligible=eligible,
        reasons=tuple(reasons),
        valid_from=valid_from,
        priority=_priority(person, age, on, extra_priority, run.priorities),
        facts=_facts(run, person, age, valid_from),
    )


_Fact: TypeAlias = tuple[str, str]
# card end → (ALREADY_INSURED, card start reason, the reasons when no other rule speaks, valid_from,
# uninsured on the date, last three facts)
_UntilPart: TypeAlias = tuple[
    "Reason | None", "Reason | None", tuple["Reason", ...], dt.date, bool, tuple[_Fact, _Fact, _Fact]
]
# categories and review flag → (STATE_PAID_IN_FULL (health card only), NOT_IN_DIFFICULT_CIRCUMSTANCES,
# two facts, priorities by 2 * age class + uninsured)
_CategoriesPart: TypeAlias = tuple["Reason | None", "Reason | None", _Fact, _Fact, list["Priority | None"]]
# age → (STATE_PAID_CHILD_UNDER_6 or, for a book, UNDER_MIN_AGE; fact; age class: 0, 1 aged 60+, 2 under 16)
_AgePart: TypeAlias = tuple["Reason | None", _Fact, int]
# province → (OUTSIDE_CAMPAIGN_PROVINCE, fact)
_ProvincePart: TypeAlias = tuple["Reason | None", _Fact]
# social book flags → (NOT_CITIZEN, IN_COMPULSORY_SI, RECEIVES_PENSION, last four facts)
_FlagsPart: TypeAlias = tuple[
    "Reason | None", "Reason | None", "Reason | None", tuple[_Fact, _Fact, _Fact, _Fact]
]


def _decide_health(run: _Run, person: Person, extra_priority: PriorityParts) -> Decision:
    """:func:`_decide` for a health card with the built-in rules only, faster, with the same result.

    Each built-in health-card rule and fact depends on one value of the person
    (card end, categories with the review flag, age, province), and a screening
    meets each value many times: the rules run once per value, through the
    same functions :func:`_decide` calls, and their results are combined here.
    """
    age, (state, not_difficult, cats_fact, difficult_fact, priorities), by_age, by_province = _common_parts(
        run, person
    )
    child, age_fact, age_class = by_age
    outside, province_fact = by_province
    until = person.bhyt_valid_until
    by_until = run.by_until.get(until)
    if by_until is None:
        by_until = run.by_until[until] = _until_part(run, person, age)
    insured, start, alone, valid_from, uninsured, card_facts = by_until
    if insured is None and state is None and child is None and outside is None and not_difficult is None:
        reasons = alone
    else:
        reasons = tuple([r for r in (insured, state, child, outside, not_difficult, start) if r is not None])
    return _fast_decision(
        run,
        person,
        age,
        reasons,
        valid_from,
        priorities,
        2 * age_class + uninsured,
        extra_priority,
        (age_fact, province_fact, cats_fact, difficult_fact, run.campaign_pair, *card_facts),
    )


def _common_parts(run: _Run, person: Person) -> tuple[int, _CategoriesPart, _AgePart, _ProvincePart]:
    """The person's age and the parts every fast path reads: categories with the review flag, age, province."""
    on = run.on
    dob = person.date_of_birth
    age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))  # = age_on(), inlined
    cats = person.categories
    by_flag = run.by_categories.get(cats)
    if by_flag is None:
        by_flag = run.by_categories[cats] = [None, None]
    flag = 1 if person.difficult_circumstances else 0
    by_cats = by_flag[flag]
    if by_cats is None:
        by_cats = by_flag[flag] = _categories_part(run, person, age)
    by_age = run.by_age.get(age)
    if by_age is None:
        by_age = run.by_age[age] = _age_part(run, person, age)
    by_province = run.by_province.get(person.province)
    if by_province is None:
        by_province = run.by_province[person.province] = (
            _in_province(run, person, age),
            ("province", person.province),
        )
    return age, by_cats, by_age, by_province


def _fast_decision(
    run: _Run,
    person: Person,
    age: int,
    reasons: tuple[Reason, ...],
    valid_from: dt.date | None,
    priorities: list[Priority | None],
    slot: int,
    extra_priority: PriorityParts,
    facts: tuple[tuple[str, str], ...],
) -> Decision:
    """The Decision of a fast path; the priority is shared per (categories, age class, insured) *slot*."""
    eligible = True
    for r in reasons:
        if r.blocking:
            eligible = False
            break
    if extra_priority:
        prio = _priority(person, age, run.on, extra_priority, run.priorities)
    else:
        hit = priorities[slot]
        prio = priorities[slot] = (
            hit if hit is not None else _priority(person, age, run.on, (), run.priorities)
        )
    return _new_decision(person, run.product, run.on, eligible, reasons, valid_from, prio, facts)


# Decision has no validators or converters, so its attrs __init__ only sets the fields; setting
# them directly saves the keyword-argument call in a 100,000-person screening.  The unpacking
# fails at import if Decision gains a field, and a test compares both constructions.
(
    _set_person,
    _set_product,
    _set_on,
    _set_eligible,
    _set_reasons,
    _set_valid_from,
    _set_priority,
    _set_facts,
) = (Decision.__dict__[a.name].__set__ for a in attrs.fields(Decision))


def _new_decision(
    person: Person,
    product: Product,
    on: dt.date,
    eligible: bool,
    reasons: tuple[Reason, ...],
    valid_from: dt.date | None,
    priority: Priority,
    facts: tuple[tuple[str, str], ...],
) -> Decision:
    """``Decision(person=person, …)``, positionally and without the call's overhead."""
    d: Decision = object.__new__(Decision)
    _set_person(d, person)
    _set_product(d, product)
    _set_on(d, on)
    _set_eligible(d, eligible)
    _set_reasons(d, reasons)
    _set_valid_from(d, valid_from)
    _set_priority(d, priority)
    _set_facts(d, facts)
    return d


def _rank_sorted(decisions: list[Decision]) -> tuple[Decision, ...]:
    """*decisions* sorted by :func:`ranking_key`, in two stable passes with cheaper keys.

    First by ``person.id``, then by one integer ordering as ``(-score,
    date_of_birth)`` does (a date's ordinal is below 4,000,000), so equal
    keys keep their order exactly as one sort by :func:`ranking_key` would.
    """
    decisions.sort(key=_PERSON_ID)
    decisions.sort(key=_score_and_birth)
    return tuple(decisions)


_PERSON_ID: Final = operator.attrgetter("person.id")


def _score_and_birth(d: Decision) -> int:
    return d.person.date_of_birth.toordinal() - d.priority.score * 4_000_000


def _until_part(run: _Run, p: Person, age: int) -> _UntilPart:
    until = p.bhyt_valid_until
    valid_from = run.start(p)[0]
    facts = _facts(run, p, age, valid_from)
    start = _card_start_reason(run, p, age)
    return (
        _already_insured(run, p, age),
        start,
        () if start is None else (start,),
        valid_from,
        until is None or until < run.on,
        (facts[5], facts[6], facts[7]),
    )


def _categories_part(run: _Run, p: Person, age: int) -> _CategoriesPart:
    facts = _facts(run, p, age, None)
    state = _state_paid(run, p, age) if run.health else None
    return (state, _difficult(run, p, age), facts[2], facts[3], [None] * 6)


def _age_part(run: _Run, p: Person, age: int) -> _AgePart:
    return (
        _state_paid_child(run, p, age) if run.health else _min_age(run, p, age),
        _facts(run, p, age, None)[0],
        1 if age >= 60 else 2 if age < 16 else 0,
    )


def _flags_part(run: _Run, p: Person, age: int) -> _FlagsPart:
    facts = _facts(run, p, age, None)
    return (
        _citizen(run, p, age),
        _not_compulsory(run, p, age),
        _no_pension(run, p, age),
        (facts[5], facts[6], facts[7], facts[8]),
    )


def _decide_book(run: _Run, person: Person, extra_priority: PriorityParts) -> Decision:
    """:func:`_decide` for a social book with the built-in rules only, as :func:`_decide_health` does it.

    The parts: citizen, compulsory SI and pension flags; age; categories with
    the review flag; province.
    """
    age, (_, not_difficult, cats_fact, difficult_fact, priorities), by_age, by_province = _common_parts(
        run, person
    )
    under_age, age_fact, age_class = by_age
    outside, province_fact = by_province
    slot = (
        (4 if person.vietnamese_citizen else 0)
        + (2 if person.compulsory_si else 0)
        + (1 if person.receives_pension else 0)
    )
    by_flags = run.by_flags[slot]
    if by_flags is None:
        by_flags = run.by_flags[slot] = _flags_part(run, person, age)
    not_citizen, compulsory, pension, flag_facts = by_flags
    if (
        not_citizen is None
        and under_age is None
        and compulsory is None
        and pension is None
        and outside is None
        and not_difficult is None
    ):
        reasons: tuple[Reason, ...] = ()
    else:
        reasons = tuple(
            [
                r
                for r in (not_citizen, under_age, compulsory, pension, outside, not_difficult)
                if r is not None
            ]
        )
    until = person.bhyt_valid_until
    return _fast_decision(
        run,
        person,
        age,
        reasons,
        None,
        priorities,
        2 * age_class + (until is None or until < run.on),
        extra_priority,
        (age_fact, province_fact, cats_fact, difficult_fact, run.campaign_pair, *flag_facts),
    )


_FAST: Final[dict[ProductKind, Callable[[_Run, Person, PriorityParts], Decision]]] = {
    ProductKind.HEALTH_CARD: _decide_health,
    ProductKind.SOCIAL_BOOK: _decide_book,
}
"""Products whose built-in rules have a faster, equivalent path for :func:`screen`."""


def check(
    person: Person,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law,
    rules: Iterable[Rule] = (),
) -> Decision:
    """Decide whether *product* can be given to *person* on *on*, and why.

    Args:
        person: the candidate.
        product: the gift (:class:`HealthCard`, :class:`SocialBook`, :class:`TetGift`).
        on: the gift's date (the payment date for cards and books).
        campaign: the campaign; its province limits who may receive, and its
            ``tet_dates`` are required for a Tết gift.
        law: the parameters to use (:func:`ansinh.check` defaults to the shipped law).
        rules: extra rules run after the built-in ones (e.g. a province's).

    Returns:
        A :class:`Decision`; ``eligible`` is false when any reason is blocking.

    Raises:
        InvalidValueError: an argument has the wrong type, a Tết gift has no
            campaign with Tết dates, or a rule returned something that is not
            a :class:`Reason`.
        NotInForceError: the law has no value for that date.
    """
    run = _check_args(product, on, campaign, law)
    return _decide(run, _check_person(person), _check_rules(rules), ())


# ---------------------------------------------------------------- screen ---


class _HasPeople(Protocol):
    @property
    def people(self) -> tuple[Person, ...]: ...


@attrs.frozen(kw_only=True)
class Screening:
    """The result of :func:`screen`: eligible and ineligible decisions, best priority first."""

    product: Product
    on: dt.date
    eligible: tuple[Decision, ...]
    """Eligible decisions sorted by :func:`ranking_key`."""
    ineligible: tuple[Decision, ...]
    """Ineligible decisions, sorted the same way."""

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Eligible then ineligible."""
        return self.eligible + self.ineligible

    def __len__(self) -> int:
        return len(self.eligible) + len(self.ineligible)

    def reason_counts(self) -> tuple[tuple[str, int], ...]:
        """How many people got each reason code, most frequent first (then by code)."""
        counts: dict[str, int] = {}
        for d in self.decisions:
            for code in {r.code for r in d.reasons}:
                counts[code] = counts.get(code, 0) + 1
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def screen(
    people: Iterable[Person] | _HasPeople,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law,
    rules: Iterable[Rule] = (),
    extra_priority: Callable[[Person], PriorityParts] | None = None,
) -> Screening:
    """Apply :func:`check` to every person and sort by priority.

    Each decision is exactly what :func:`check` returns for that person,
    except that the parts from *extra_priority* are added to its priority.

    Args:
        people: persons, or a roster (anything with a ``people`` tuple, such as
            :class:`ansinh.io.roster.Roster`: its accepted people).
        product, on, campaign, law, rules: as for :func:`check`.
        extra_priority: called with each person; returns extra
            ``(code, points)`` parts (e.g. from province plugins).

    Raises:
        InvalidValueError: as for :func:`check`, or an item is not a Person.

    >>> import datetime as dt
    >>> from ansinh.core.people import Category, Person
    >>> from ansinh.core.products import SocialBook
    >>> a = Person(id="a", full_name="A", date_of_birth=dt.date(1980, 1, 1), province="01",
    ...            categories={Category.NEAR_POOR})
    >>> b = Person(id="b", full_name="B", date_of_birth=dt.date(2012, 1, 1), province="01",
    ...            categories={Category.POOR})
    >>> import ansinh
    >>> s = screen([a, b], SocialBook(months=12), on=dt.date(2026, 1, 1), law=ansinh.default_law())
    >>> [d.person.id for d in s.eligible], [d.codes for d in s.ineligible]
    (['a'], [('UNDER_MIN_AGE',)])
    """
    roster_people = getattr(people, "people", None)
    items: object = roster_people if isinstance(roster_people, tuple) else people
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidValueError("people", people, "an iterable of Person, or a roster with .people")
    run = _check_args(product, on, campaign, law)
    extra_rules = _check_rules(rules)
    if extra_priority is not None and not callable(extra_priority):
        raise InvalidValueError("extra_priority", extra_priority, "None or a callable (person) -> parts")
    good: list[Decision] = []
    bad: list[Decision] = []
    fast = None if extra_rules else _FAST.get(run.kind)
    for person in items:
        person = _check_person(person)
        extra = _check_parts(extra_priority(person), "extra_priority") if extra_priority else ()
        d = fast(run, person, extra) if fast is not None else _decide(run, person, extra_rules, extra)
        (good if d.eligible else bad).append(d)
    return Screening(
        product=run.product, on=run.on, eligible=_rank_sorted(good), ineligible=_rank_sorted(bad)
    )
