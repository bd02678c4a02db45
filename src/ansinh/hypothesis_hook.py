"""The ``hypothesis`` entry point: ansinh's strategies for ansinh's own types, for ``st.from_type``.

Hypothesis calls the functions its ``hypothesis`` entry points name when it is
imported; ansinh's names :func:`register_strategies`.  With entry points
turned off (``HYPOTHESIS_NO_PLUGINS=1``), call it yourself once, e.g. in a
``conftest.py``.

This module imports no Hypothesis until the hook runs, and a type's strategy
(from :data:`ansinh.strategies.STRATEGIES`) is built only when
``st.from_type`` first asks for it; so the hook works whichever of
``hypothesis`` and ``ansinh.strategies`` is imported first, and importing
Hypothesis reads no ansinh data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ansinh.core.allocation import Allocation, Candidate, Leftover
from ansinh.core.campaign import (
    Beneficiary,
    Campaign,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    GiftStatus,
    Instalment,
    LocalSponsorKind,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.eligibility import Decision, Priority, PriorityPolicy, Reason, Screening
from ansinh.core.events import EVENT_TYPES
from ansinh.core.handover import Handover
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
from ansinh.core.ledger import GiftStep, Ledger, LedgerState, PledgeBalance
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Quote, QuoteLine
from ansinh.core.products import HealthCard, HospitalLevel, ProductKind, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport, RenewalItem, ReportRow
from ansinh.hookspecs import SourcingResult

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = ["HOOK_TYPES", "register_strategies"]

T = TypeVar("T")

HOOK_TYPES: Final[tuple[type[Any], ...]] = (
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
    GiftStep,
    LedgerState,
    Leftover,
    PledgeBalance,
    Priority,
    PriorityPolicy,
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
    LocalSponsorKind,
    LocalSupport,
    CommuneList,
    ParamKind,
    Parameter,
    Person,
    Pledge,
    ProductKind,
    HospitalLevel,
    Quote,
    QuoteLine,
    RateTable,
    SocialBook,
    SourceStatus,
    Sponsor,
    SponsorKind,
    TetGift,
    Handover,
)
"""The types the hook registers: those of :data:`ansinh.strategies.STRATEGIES`, and :class:`~ansinh.core.ledger.Ledger`.

Written out here (not read from ``STRATEGIES``) because the hook may run while
:mod:`ansinh.strategies` is still being imported.
"""


def register_strategies() -> None:
    """Register ansinh's strategies with Hypothesis, for ansinh's own types only.

    Called by Hypothesis through the ``hypothesis`` entry point; calling it
    again is harmless.

    >>> import ansinh
    >>> from hypothesis import given, strategies as st
    >>> register_strategies()
    >>> @given(st.from_type(ansinh.Person))
    ... def test_province_is_current(person):
    ...     assert person.province in {p.code for p in ansinh.core.provinces.provinces()}
    >>> test_province_is_current()
    """
    from hypothesis.strategies import register_type_strategy

    for cl in HOOK_TYPES:
        register_type_strategy(cl, _strategy_for)


def _strategy_for(cl: type[T]) -> SearchStrategy[T]:
    from ansinh import strategies

    factory: Callable[[], SearchStrategy[Any]] = (
        strategies.ledgers if cl is Ledger else strategies.STRATEGIES[cl]
    )
    strategy: SearchStrategy[T] = factory()
    return strategy
