"""Who may receive a gift, and why: rules, decisions with reasons, priority, screening.

:func:`check` decides, person by person, whether a gift (health card, social
book, Tết gift) can be given on a date, and says why in Vietnamese and English
with the legal citation, so a clerk can print it on a decision.  An ineligible
person is a normal answer, never an exception.  :func:`screen` checks many
people and ranks them by :func:`priority`.

The package has one module per concern; every name below is importable from
``ansinh.core.eligibility`` itself:

:mod:`~ansinh.core.eligibility.values`
    :class:`Reason`, :class:`Decision`, :class:`Priority`, :class:`CheckContext`
    (what a rule sees, with the law period of the date), :class:`Screening`,
    the :class:`Rule` protocol, :class:`FunctionRule` and :class:`BuiltinRule`.
:mod:`~ansinh.core.eligibility.rules`
    The built-in rules, one small named object each with its reason texts, and
    :func:`builtin_rules` (their order per product kind).
:mod:`~ansinh.core.eligibility.thresholds`
    The law values the rules read (minimum age, waiting days, break months,
    the child age, the groups the state pays in full), from one law period;
    :mod:`ansinh.bulk.screening` reads the same functions.
:mod:`~ansinh.core.eligibility.card_start`
    When a gift card starts to be valid (HI Law Art. 16): :func:`card_valid_from`.
:mod:`~ansinh.core.eligibility.priorities`
    :data:`PRIORITY_TABLE`, :data:`DIFFICULT_CATEGORIES`,
    :func:`in_difficult_circumstances`, :func:`priority`, :func:`ranking_key`.
:mod:`~ansinh.core.eligibility.checking`
    :func:`check` and :func:`screen`.

>>> import datetime as dt
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> p = Person(id="HY-001", full_name="Trần Văn Bình", date_of_birth=dt.date(1958, 4, 2),
...            province="33", categories={Category.NEAR_POOR})
>>> import ansinh
>>> d = check(p, HealthCard(months=12), on=dt.date(2026, 1, 10), law=ansinh.default_law())
>>> d.eligible, d.valid_from, d.codes
(True, datetime.date(2026, 2, 9), ('WAITING_PERIOD_30_DAYS',))
"""

from __future__ import annotations

from ansinh.core.dates import add_months
from ansinh.core.eligibility.card_start import card_valid_from
from ansinh.core.eligibility.checking import check, screen
from ansinh.core.eligibility.priorities import (
    DEFAULT_PRIORITY_POLICY,
    DIFFICULT_CATEGORIES,
    PRIORITY_TABLE,
    PriorityPolicy,
    in_difficult_circumstances,
    priority,
    ranking_key,
)
from ansinh.core.eligibility.rules import PROGRAMME_DOCUMENT, builtin_rules
from ansinh.core.eligibility.values import (
    BuiltinRule,
    CheckContext,
    Decision,
    FunctionRule,
    Priority,
    PriorityParts,
    Reason,
    Rule,
    Screening,
)

__all__ = [
    "DEFAULT_PRIORITY_POLICY",
    "DIFFICULT_CATEGORIES",
    "PRIORITY_TABLE",
    "PROGRAMME_DOCUMENT",
    "BuiltinRule",
    "CheckContext",
    "Decision",
    "FunctionRule",
    "Priority",
    "PriorityParts",
    "PriorityPolicy",
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
