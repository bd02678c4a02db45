"""The values of eligibility: reasons, decisions, priorities, what a rule sees, screenings.

A rule is a small object with a ``code`` and one method,
``evaluate(ctx) -> Reason | None`` (:class:`Rule`).  A *blocking* reason makes
the person ineligible; a non-blocking one informs (e.g. the gift card
continues from the end of the current card).  :class:`FunctionRule` makes a
rule from a function (plugins, tests); the built-in rules are
:class:`BuiltinRule` objects (:mod:`ansinh.core.eligibility.rules`).

>>> r = Reason("UNDER_MIN_AGE", True, "Chưa đủ 15 tuổi.", "Under 15.")
>>> r.text("en"), r.blocking
('Under 15.', True)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import ClassVar, Final, Literal, Protocol, TypeAlias, runtime_checkable

import attrs

from ansinh.core.campaign import Campaign
from ansinh.core.dates import format_date, is_date
from ansinh.core.display import Section, html_summary
from ansinh.core.eligibility.card_start import gift_end
from ansinh.core.law import Citation, Law, LawPeriod
from ansinh.core.people import Person, age_on
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, Product, SocialBook, TetGift
from ansinh.core.tables import Tabular
from ansinh.exceptions import InvalidPersonError, InvalidValueError

__all__ = [
    "BuiltinRule",
    "CheckContext",
    "Decision",
    "FunctionRule",
    "Priority",
    "PriorityParts",
    "Reason",
    "Rule",
    "Screening",
]

PriorityParts: TypeAlias = tuple[tuple[str, int], ...]
"""Parts of a priority score: ``(code, points)`` pairs."""

_PRODUCTS: Final = (HealthCard, SocialBook, TetGift)
_NONE: Final[tuple[()]] = ()


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

    :func:`~ansinh.core.eligibility.priorities.priority` computes a person's.

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
        """The parts as text, e.g. ``"hộ cận nghèo +30; từ 60 tuổi trở lên +10"``.

        >>> Priority.of((("NEAR_POOR", 30), ("COMMUNE_X", 5))).explain("en")
        'near-poor household +30; COMMUNE_X +5'
        """
        # The labels live beside the points in the priority table, which builds Priority values.
        from ansinh.core.eligibility.priorities import part_label

        return "; ".join(f"{part_label(code, lang)} {points:+d}" for code, points in self.parts)


def _tuple_of(value: object, kind: type) -> bool:
    """Whether *value* is a tuple of *kind* values (the empty tuple is)."""
    return isinstance(value, tuple) and (not value or all(isinstance(v, kind) for v in value))


@functools.lru_cache(maxsize=256)
def _derived(law: Law, on: dt.date, months: int) -> tuple[LawPeriod, dt.date]:
    """The law period of *on* and the last day of a gift of *months* months from it (pure: shared
    by the many contexts of one screening)."""
    return law.at(on), gift_end(on, months)


@attrs.frozen(kw_only=True)
class CheckContext:
    """What a rule sees: the person, the product, the date, the campaign and the law.

    The law period of the date (:attr:`period`), the person's age and the
    gift period's last day are derived once, when the context is made.

    Raises:
        InvalidValueError: a field has the wrong type.
        InvalidPersonError: the person's ``hospital_stay`` is not a pair of dates.

    >>> import datetime as dt
    >>> from ansinh.core.products import HealthCard
    >>> from ansinh.data import default_law
    >>> from ansinh.testing import sample_person
    >>> ctx = CheckContext(person=sample_person(), product=HealthCard(months=12), on=dt.date(2026, 1, 10),
    ...                    campaign=None, law=default_law())
    >>> ctx.period.amount("bhyt_waiting_days"), ctx.gift_end
    (30, datetime.date(2027, 1, 9))
    """

    person: Person
    product: Product
    on: dt.date
    """The date of the gift (the payment date for cards and books)."""
    campaign: Campaign | None
    law: Law
    local_supports: tuple[LocalSupport, ...] = ()
    """Provincial top-ups to price the gift with (:data:`~ansinh.core.eligibility.rules.FULLY_SUPPORTED`
    reads them; the core's price keeps those of the person's province, product and date)."""
    commune_lists: tuple[CommuneList, ...] = ()
    """Dated commune lists for the place-dependent rules (read by ``FULLY_SUPPORTED`` too)."""
    period: LawPeriod = attrs.field(init=False, eq=False, repr=False)
    """The law period of :attr:`on` (``law.at(on)``): rules read law values here."""
    age: int = attrs.field(init=False, eq=False, repr=False)
    """The person's age in whole years on :attr:`on`."""
    gift_end: dt.date = attrs.field(init=False, eq=False, repr=False)
    """Last day of the gift period starting on :attr:`on` (:attr:`on` itself for a Tết gift)."""

    def __attrs_post_init__(self) -> None:
        person = self.person
        if not isinstance(person, Person):
            raise InvalidValueError("person", person, "an ansinh.Person")
        stay = person.hospital_stay
        if stay is not None and (
            not isinstance(stay, tuple) or len(stay) != 2 or not all(is_date(d) for d in stay)
        ):
            raise InvalidPersonError(
                "hospital_stay", stay, "None or (admission, discharge) datetime.date pair"
            )
        product, on, campaign, law = self.product, self.on, self.campaign, self.law
        if not isinstance(product, _PRODUCTS):
            raise InvalidValueError("product", product, "a HealthCard, SocialBook or TetGift")
        if not is_date(on):
            raise InvalidValueError("on", on, "a datetime.date")
        if campaign is not None and not isinstance(campaign, Campaign):
            raise InvalidValueError("campaign", campaign, "an ansinh Campaign or None")
        if not isinstance(law, Law):
            raise InvalidValueError("law", law, "an ansinh.Law")
        # The empty tuple (one object) is a tuple of anything: most contexts have no top-ups or lists.
        if self.local_supports is not _NONE and not _tuple_of(self.local_supports, LocalSupport):
            raise InvalidValueError("local_supports", self.local_supports, "a tuple of LocalSupport")
        if self.commune_lists is not _NONE and not _tuple_of(self.commune_lists, CommuneList):
            raise InvalidValueError("commune_lists", self.commune_lists, "a tuple of CommuneList")
        period, end = _derived(law, on, product.months)
        object.__setattr__(self, "period", period)
        object.__setattr__(self, "age", age_on(person.date_of_birth, on))
        object.__setattr__(self, "gift_end", end)

    @property
    def plan_reference(self) -> str:
        """The campaign's plan (``""`` without a campaign): rules from the programme cite it."""
        return self.campaign.plan_reference if self.campaign is not None else ""


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


@attrs.frozen
class BuiltinRule:
    """A rule shipped with ansinh: a code, what it checks, and the function that checks it.

    :attr:`evaluate` is the function itself, so a check calls the rule
    directly.  The rules and their texts are in :mod:`ansinh.core.eligibility.rules`.
    """

    code: str
    """The rule's code (the code of the blocking reason it gives, or ``CARD_START``)."""
    description: str
    """What the rule checks, in English."""
    evaluate: Callable[[CheckContext], Reason | None] = attrs.field(repr=False)
    """The rule: called with the context, it returns the reason the rule gives, or ``None``."""


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
            verdict = "ELIGIBLE" if self.eligible else "NOT ELIGIBLE"
            lines = [f"{self.person.full_name} — {kind.label_en} on {format_date(self.on, 'en')}: {verdict}"]
        else:
            verdict = "ĐỦ ĐIỀU KIỆN" if self.eligible else "KHÔNG ĐỦ ĐIỀU KIỆN"
            lines = [f"{self.person.full_name} — {kind.label_vi} ngày {format_date(self.on)}: {verdict}"]
        for r in self.reasons:
            line = f"- [{r.code}] {r.text(lang)}"
            if r.citation is not None:
                line += f" ({r.citation})"
            lines.append(line)
        if self.valid_from is not None:
            lines.append(
                f"Card valid from {format_date(self.valid_from, 'en')}"
                if lang == "en"
                else f"Thẻ có giá trị từ ngày {format_date(self.valid_from)}"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        verdict = "eligible" if self.eligible else "not eligible"
        start = f", valid_from={self.valid_from.isoformat()}" if self.valid_from is not None else ""
        return (
            f"Decision(person={self.person.id!r}, {self.product.kind.value} on {self.on.isoformat()}: "
            f"{verdict}, reasons=[{', '.join(self.codes)}], priority={self.priority.score}{start})"
        )

    def _repr_html_(self) -> str:
        fields = [
            ("person", f"{self.person.id} — {self.person.full_name}"),
            ("gift", f"{self.product.kind.label_en} on {self.on.isoformat()}"),
            ("eligible", "yes" if self.eligible else "no"),
            ("valid from", self.valid_from.isoformat() if self.valid_from else "—"),
            ("priority", self.priority.score),
        ]
        reasons = [
            (r.code, "blocking" if r.blocking else "", r.text("en"), str(r.citation or ""))
            for r in self.reasons
        ]
        return html_summary(
            "Decision",
            fields,
            [
                Section("reasons", ("code", "", "reason", "source"), reasons, open=True),
                Section("facts", ("fact", "value"), self.facts),
            ],
        )


@attrs.frozen(kw_only=True)
class Screening(Tabular):
    """The result of :func:`~ansinh.core.eligibility.checking.screen`: decisions, best priority first.

    ``to_arrow()``, ``to_pandas()``, ``to_polars()``: one row per decision (:meth:`records`).
    """

    TABLE_COLUMNS: ClassVar[tuple[str, ...]] = (
        "person_id", "full_name", "province", "product", "on", "eligible", "priority", "reasons", "valid_from",
    )  # fmt: skip

    product: Product
    on: dt.date
    eligible: tuple[Decision, ...]
    """Eligible decisions sorted by :func:`~ansinh.core.eligibility.priorities.ranking_key`."""
    ineligible: tuple[Decision, ...]
    """Ineligible decisions, sorted the same way."""

    @property
    def decisions(self) -> tuple[Decision, ...]:
        """Eligible then ineligible."""
        return self.eligible + self.ineligible

    def __len__(self) -> int:
        return len(self.eligible) + len(self.ineligible)

    def __repr__(self) -> str:
        top = ", ".join(f"{code} {n}" for code, n in self.reason_counts()[:3])
        return (
            f"Screening({self.product.kind.value} on {self.on.isoformat()}: {len(self.eligible)} eligible, "
            f"{len(self.ineligible)} not eligible" + (f"; most frequent reasons: {top})" if top else ")")
        )

    def _repr_html_(self) -> str:
        def rows(decisions: tuple[Decision, ...]) -> list[tuple[object, ...]]:
            return [
                (d.person.id, d.person.full_name, d.priority.score, ", ".join(d.codes)) for d in decisions
            ]

        headers = ("id", "name", "priority", "reasons")
        return html_summary(
            "Screening",
            [
                ("gift", f"{self.product.kind.label_en} on {self.on.isoformat()}"),
                ("eligible", len(self.eligible)),
                ("not eligible", len(self.ineligible)),
            ],
            [
                Section("reason counts", ("reason", "people"), self.reason_counts(), open=True),
                Section("eligible, best priority first", headers, rows(self.eligible)),
                Section("not eligible", headers, rows(self.ineligible)),
            ],
        )

    def records(self) -> list[dict[str, object]]:
        """One row per decision, eligible first: reasons are the codes joined by ``";"``."""
        return [
            {
                "person_id": d.person.id,
                "full_name": d.person.full_name,
                "province": d.person.province,
                "product": d.product.kind.value,
                "on": d.on,
                "eligible": d.eligible,
                "priority": d.priority.score,
                "reasons": ";".join(d.codes),
                "valid_from": d.valid_from,
            }
            for d in self.decisions
        ]

    def reason_counts(self) -> tuple[tuple[str, int], ...]:
        """How many people got each reason code, most frequent first (then by code)."""
        counts: dict[str, int] = {}
        for d in self.decisions:
            for code in {r.code for r in d.reasons}:
                counts[code] = counts.get(code, 0) + 1
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
