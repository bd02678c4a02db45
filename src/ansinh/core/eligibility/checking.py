"""Deciding: :func:`check` one person, :func:`screen` many and rank them.

:func:`check` runs the built-in rules of the product
(:func:`~ansinh.core.eligibility.rules.builtin_rules`), then the extra rules
given (a province's), on one :class:`~ansinh.core.eligibility.values.CheckContext`,
and says why in Vietnamese and English with the legal citation, so a clerk
can print it on a decision.  An ineligible person is a normal answer, never
an exception.  :func:`screen` is :func:`check` on every person, with the
extra priority parts a province adds, sorted by
:func:`~ansinh.core.eligibility.priorities.ranking_key`.

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
from collections.abc import Callable, Iterable, Sequence
from typing import Final, Protocol, TypeAlias

import attrs

from ansinh.core.campaign import Campaign
from ansinh.core.dates import check_date
from ansinh.core.eligibility.card_start import card_start
from ansinh.core.eligibility.priorities import (
    DEFAULT_PRIORITY_POLICY,
    PriorityPolicy,
    check_parts,
    check_policy,
    context_priority,
    in_difficult_circumstances,
    ranking_key,
)
from ansinh.core.eligibility.rules import FULLY_SUPPORTED, builtin_rules, fully_supported_rule, tet_dates
from ansinh.core.eligibility.thresholds import vsi_min_age
from ansinh.core.eligibility.values import (
    CheckContext,
    Decision,
    Priority,
    PriorityParts,
    Reason,
    Rule,
    Screening,
)
from ansinh.core.law import Law
from ansinh.core.people import Category, Person, age_on
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, Product, SocialBook, TetGift
from ansinh.exceptions import InvalidValueError

__all__ = ["check", "screen"]

Fact: TypeAlias = tuple[str, str]
Facts: TypeAlias = tuple[Fact, ...]


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


def _check_supports(local_supports: object) -> tuple[LocalSupport, ...]:
    if isinstance(local_supports, str) or not isinstance(local_supports, Iterable):
        raise InvalidValueError("local_supports", local_supports, "a sequence of LocalSupport")
    supports = tuple(local_supports)
    if not all(isinstance(s, LocalSupport) for s in supports):
        raise InvalidValueError("local_supports", local_supports, "a sequence of LocalSupport")
    return supports


def _check_lists(commune_lists: object) -> tuple[CommuneList, ...]:
    if isinstance(commune_lists, str) or not isinstance(commune_lists, Iterable):
        raise InvalidValueError("commune_lists", commune_lists, "a sequence of CommuneList")
    lists = tuple(commune_lists)
    if not all(isinstance(c, CommuneList) for c in lists):
        raise InvalidValueError("commune_lists", commune_lists, "a sequence of CommuneList")
    return lists


def _check_args(product: object, on: object, campaign: object, law: object) -> None:
    if not isinstance(product, (HealthCard, SocialBook, TetGift)):
        raise InvalidValueError("product", product, "a HealthCard, SocialBook or TetGift")
    check_date("on", on)
    if campaign is not None and not isinstance(campaign, Campaign):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign or None")
    if isinstance(product, TetGift) and (campaign is None or campaign.tet_dates is None):
        raise InvalidValueError("campaign", campaign, "a Campaign with tet_dates, to check a Tết gift")
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law")


# The facts of a decision are (name, text) pairs, made once per value and shared by every decision
# that has it (bounded caches of immutable pairs): a screening of many people holds few of them.
_CACHE: Final = 4096
_YES: Final = "yes"
_NO: Final = "no"


@functools.lru_cache(maxsize=_CACHE)
def _fact(name: str, text: str) -> Fact:
    return (name, text)


@functools.lru_cache(maxsize=_CACHE)
def _age_fact(age: int) -> Fact:
    return ("age", str(age))


@functools.lru_cache(maxsize=_CACHE)
def _categories_fact(categories: frozenset[Category]) -> Fact:
    return ("categories", ";".join(sorted(c.value for c in categories)))


@functools.lru_cache(maxsize=_CACHE)
def _date_fact(name: str, day: dt.date | None) -> Fact:
    return (name, "none" if day is None else day.isoformat())


@functools.lru_cache(maxsize=_CACHE)
def _span_fact(name: str, first: dt.date, last: dt.date) -> Fact:
    return (name, f"{first.isoformat()}/{last.isoformat()}")


def _made_facts(ctx: CheckContext, valid_from: dt.date | None) -> Facts:
    """What the decision used, as text (never an identifier)."""
    p = ctx.person
    campaign = ctx.campaign
    head = (
        _age_fact(ctx.age),
        _fact("province", p.province),
        _categories_fact(p.categories),
        _fact("difficult_circumstances", _YES if in_difficult_circumstances(p) else _NO),
        _fact(
            "campaign_province",
            "national" if campaign is None or campaign.province is None else campaign.province,
        ),
    )
    if isinstance(ctx.product, HealthCard):
        return (
            *head,
            _date_fact("bhyt_valid_until", p.bhyt_valid_until),
            _span_fact("gift_period", ctx.on, ctx.gift_end),
            _date_fact("valid_from", valid_from),
        )
    if isinstance(ctx.product, SocialBook):
        return (
            *head,
            _fact("vietnamese_citizen", _YES if p.vietnamese_citizen else _NO),
            _fact("vsi_min_age", str(vsi_min_age(ctx.period).value)),
            _fact("compulsory_si", _YES if p.compulsory_si else _NO),
            _fact("receives_pension", _YES if p.receives_pension else _NO),
        )
    stay = p.hospital_stay
    return (
        *head,
        _span_fact("tet_dates", *tet_dates(ctx)),
        _fact("hospital_stay", "none") if stay is None else _span_fact("hospital_stay", *stay),
        _date_fact("bhyt_valid_until", p.bhyt_valid_until),
    )


FactsKey: TypeAlias = tuple[object, ...]
"""The person's values :func:`_made_facts` reads (and the card's start): within one screening (one
product, date, campaign and law) equal keys give equal facts."""


def _facts_key(ctx: CheckContext, valid_from: dt.date | None) -> FactsKey:
    p = ctx.person
    head = (ctx.age, p.province, p.categories, p.difficult_circumstances)
    if isinstance(ctx.product, HealthCard):
        return (*head, p.bhyt_valid_until, valid_from)
    if isinstance(ctx.product, SocialBook):
        return (*head, p.vietnamese_citizen, p.compulsory_si, p.receives_pension)
    return (*head, p.hospital_stay, p.bhyt_valid_until)


class _Shared:
    """What the decisions of one screening share: equal facts, reason tuples, priorities and card starts.

    Local to one :func:`screen` call (its product, date, campaign, law and priority policy are those
    of every context it sees), so the keys hold only the person's values the shared result is made
    of.  Sharing makes no decision differ; it saves making (and keeping) a value per decision.
    """

    __slots__ = ("facts", "priorities", "reasons", "starts")

    def __init__(self) -> None:
        self.facts: dict[FactsKey, Facts] = {}
        # Keyed by the identities of the reasons: the value holds those very reasons, so no
        # identity is reused while the screening runs.
        self.reasons: dict[tuple[int, ...], tuple[Reason, ...]] = {}
        self.priorities: dict[tuple[object, ...], Priority] = {}
        self.starts: dict[dt.date | None, dt.date] = {}

    def made_facts(self, ctx: CheckContext, valid_from: dt.date | None) -> Facts:
        """:func:`_made_facts`, once per key."""
        key = _facts_key(ctx, valid_from)
        found = self.facts.get(key)
        if found is None:
            found = self.facts[key] = _made_facts(ctx, valid_from)
        return found

    def reason_tuple(self, reasons: list[Reason]) -> tuple[Reason, ...]:
        """*reasons* as a tuple, one per list of the same reasons."""
        key = tuple(map(id, reasons))
        found = self.reasons.get(key)
        if found is None:
            found = self.reasons[key] = tuple(reasons)
        return found

    def priority(self, ctx: CheckContext, extra: PriorityParts, policy: PriorityPolicy) -> Priority:
        """:func:`~ansinh.core.eligibility.priorities.context_priority`, once per person's values
        it reads (extra parts are each person's own: asked each time)."""
        if extra:
            return context_priority(ctx, extra, policy)
        p = ctx.person
        key = (p.categories, p.difficult_circumstances, ctx.age, p.bhyt_valid_until)
        found = self.priorities.get(key)
        if found is None:
            found = self.priorities[key] = context_priority(ctx, (), policy)
        return found

    def valid_from(self, ctx: CheckContext) -> dt.date:
        """The first day of the gift card (:func:`~ansinh.core.eligibility.card_start.card_start`),
        once per end of the current card."""
        until = ctx.person.bhyt_valid_until
        found = self.starts.get(until)
        if found is None:
            found = self.starts[until] = card_start(until, ctx.on, period=ctx.period).valid_from
        return found


def _decide(
    ctx: CheckContext,
    rules: tuple[Rule, ...],
    extra_priority: PriorityParts,
    policy: PriorityPolicy,
    shared: _Shared,
) -> Decision:
    """The decision for *ctx*: *rules* (the built-in ones first) in order; valid_from, priority and facts.

    *shared*: the values the decisions of one screening share (:class:`_Shared`).
    """
    reasons: list[Reason] = []
    eligible = True
    for rule in rules:
        reason = rule.evaluate(ctx)
        if reason is None:
            continue
        if not isinstance(reason, Reason):
            raise InvalidValueError(
                f"rules[{rule.code}].evaluate", reason, "a Reason or None (ansinh.core.eligibility.Reason)"
            )
        reasons.append(reason)
        eligible = eligible and not reason.blocking
    valid_from = shared.valid_from(ctx) if isinstance(ctx.product, HealthCard) else None
    return Decision(
        person=ctx.person,
        product=ctx.product,
        on=ctx.on,
        eligible=eligible,
        reasons=shared.reason_tuple(reasons),
        valid_from=valid_from,
        priority=shared.priority(ctx, extra_priority, policy),
        facts=shared.made_facts(ctx, valid_from),
    )


_IDENTITY: Final = ("id", "full_name", "date_of_birth", "cccd", "social_insurance_number", "household_id")
"""A person's fields no built-in rule, card start, priority or fact reads (the date of birth only as
the age on the date, which :data:`AlikeKey` holds)."""

_read_values: Final = operator.attrgetter(*(f.name for f in attrs.fields(Person) if f.name not in _IDENTITY))

AlikeKey: TypeAlias = tuple[tuple[object, ...], int]
"""Every field of a person but those of :data:`_IDENTITY`, and the age on the date."""


def _alike_key(person: Person, on: dt.date) -> AlikeKey:
    return (_read_values(person), age_on(person.date_of_birth, on))


def _as_decided(first: Decision, person: Person) -> Decision:
    """*first*'s decision for *person*: the same answer, reasons, priority and facts."""
    return Decision(
        person=person,
        product=first.product,
        on=first.on,
        eligible=first.eligible,
        reasons=first.reasons,
        valid_from=first.valid_from,
        priority=first.priority,
        facts=first.facts,
    )


class _Screener:
    """One :func:`screen` call: its checked arguments and the memos local to it; decides each person.

    Without extra rules (which may read anything of a person), people *alike* — equal in every field
    but their identity, and of one age on the date (:data:`AlikeKey`) — get equal decisions but for
    the person: the first of them is decided on its own :class:`CheckContext`, and each other one
    without extra priority parts gets that answer in a :class:`Decision` of its own.
    """

    __slots__ = (
        "alike",
        "campaign",
        "extra_priority",
        "law",
        "lists",
        "on",
        "policy",
        "product",
        "rules",
        "shared",
        "supports",
    )

    def __init__(
        self,
        product: Product,
        on: dt.date,
        campaign: Campaign | None,
        law: Law,
        supports: tuple[LocalSupport, ...],
        lists: tuple[CommuneList, ...],
        rules: tuple[Rule, ...],
        extra_rules: bool,
        extra_priority: Callable[[Person], PriorityParts] | None,
        policy: PriorityPolicy,
    ) -> None:
        self.product, self.on, self.campaign, self.law = product, on, campaign, law
        self.supports, self.lists, self.rules = supports, lists, rules
        self.extra_priority, self.policy = extra_priority, policy
        self.shared = _Shared()
        self.alike: dict[AlikeKey, Decision] | None = None if extra_rules else {}

    def extra(self, person: Person) -> PriorityParts:
        """The person's extra priority parts, checked."""
        if self.extra_priority is None:
            return ()
        parts = self.extra_priority(person)
        return () if type(parts) is tuple and not parts else check_parts(parts, field="extra_priority")

    def decide(self, person: Person) -> Decision:
        """What :func:`check` decides for *person*, with the extra priority parts."""
        alike = self.alike
        key = _alike_key(person, self.on) if alike is not None and isinstance(person, Person) else None
        first = alike.get(key) if alike is not None and key is not None else None
        if first is not None:
            extra = self.extra(person)
            if not extra:
                return _as_decided(first, person)
            return _decide(self.context(person), self.rules, extra, self.policy, self.shared)
        ctx = self.context(person)
        extra = self.extra(person)
        decision = _decide(ctx, self.rules, extra, self.policy, self.shared)
        if alike is not None and key is not None and not extra:
            alike[key] = decision
        return decision

    def context(self, person: Person) -> CheckContext:
        """The person's :class:`CheckContext` in this call."""
        return CheckContext(
            person=person,
            product=self.product,
            on=self.on,
            campaign=self.campaign,
            law=self.law,
            local_supports=self.supports,
            commune_lists=self.lists,
        )


def check(
    person: Person,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law,
    rules: Iterable[Rule] = (),
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> Decision:
    """Decide whether *product* can be given to *person* on *on*, and why.

    Args:
        person: the candidate.
        product: the gift (:class:`~ansinh.core.products.HealthCard`,
            :class:`~ansinh.core.products.SocialBook`, :class:`~ansinh.core.products.TetGift`).
        on: the gift's date (the payment date for cards and books).
        campaign: the campaign; its province limits who may receive, and its
            ``tet_dates`` are required for a Tết gift.
        law: the parameters to use (:func:`ansinh.check` defaults to the shipped law).
        rules: extra rules run after the built-in ones (e.g. a province's).
        local_supports: provincial top-ups; with them a card or book the budgets
            pay in full is refused (``FULLY_SUPPORTED``).
        commune_lists: dated commune lists for the place-dependent rules
            (:mod:`ansinh.core.places`).
        priority_policy: the priority points table (a province's declared
            :class:`~ansinh.core.eligibility.priorities.PriorityPolicy`; default: ansinh's).

    Returns:
        A :class:`~ansinh.core.eligibility.values.Decision`; ``eligible`` is
        false when any reason is blocking.

    Raises:
        InvalidValueError: an argument has the wrong type, a Tết gift has no
            campaign with Tết dates, or a rule returned something that is not
            a :class:`~ansinh.core.eligibility.values.Reason`.
        NotInForceError: the law has no value the product's rules need on that date.
    """
    _check_args(product, on, campaign, law)
    supports = _check_supports(local_supports)
    lists = _check_lists(commune_lists)
    policy = check_policy(priority_policy)
    ctx = CheckContext(
        person=person,
        product=product,
        on=on,
        campaign=campaign,
        law=law,
        local_supports=supports,
        commune_lists=lists,
    )
    return _decide(ctx, (*builtin_rules(product.kind), *_check_rules(rules)), (), policy, _Shared())


class _HasPeople(Protocol):
    @property
    def people(self) -> tuple[Person, ...]: ...


def screen(
    people: Iterable[Person] | _HasPeople,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law,
    rules: Iterable[Rule] = (),
    extra_priority: Callable[[Person], PriorityParts] | None = None,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> Screening:
    """Apply :func:`check` to every person and sort by priority.

    Each decision is exactly what :func:`check` returns for that person,
    except that the parts from *extra_priority* are added to its priority.
    Both lists are sorted by :func:`~ansinh.core.eligibility.priorities.ranking_key`.

    Args:
        people: persons, or a roster (anything with a ``people`` tuple, such as
            :class:`ansinh.io.roster.Roster`: its accepted people).
        product, on, campaign, law, rules, local_supports, commune_lists, priority_policy: as for
            :func:`check` (every province's top-ups may be given: each person's own apply).
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
    _check_args(product, on, campaign, law)
    supports = _check_supports(local_supports)
    lists = _check_lists(commune_lists)
    # FULLY_SUPPORTED prices once per price class in this call (people of one class share the answer).
    once = fully_supported_rule(product, on=on, law=law, local_supports=supports, commune_lists=lists)
    builtin = tuple(once if r is FULLY_SUPPORTED else r for r in builtin_rules(product.kind))
    extra_rules = _check_rules(rules)
    policy = check_policy(priority_policy)
    if extra_priority is not None and not callable(extra_priority):
        raise InvalidValueError("extra_priority", extra_priority, "None or a callable (person) -> parts")
    screener = _Screener(
        product,
        on,
        campaign,
        law,
        supports,
        lists,
        (*builtin, *extra_rules),
        bool(extra_rules),
        extra_priority,
        policy,
    )
    good: list[Decision] = []
    bad: list[Decision] = []
    for person in items:
        d = screener.decide(person)
        (good if d.eligible else bad).append(d)
    return Screening(
        product=product,
        on=on,
        eligible=tuple(sorted(good, key=ranking_key)),
        ineligible=tuple(sorted(bad, key=ranking_key)),
    )
