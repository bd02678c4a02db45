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

With ansinh installed, its ``hypothesis`` entry point registers these
strategies for ansinh's own types (each built only when first asked for), so
``st.from_type(ansinh.Person)`` gives valid people.  Builtin types keep
Hypothesis' own strategies.

The strategies are written in four private modules (the law; people and
products; campaigns and the ledger; results) and every one is imported from here.

Dates default to the range in which the law prices every product
(:func:`dates`): from the first day on which every pricing parameter has a
value, to the end of the fourth year after the law's last change.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

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
from ansinh.core.ledger import GiftStep, LedgerState, PledgeBalance
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Quote, QuoteLine
from ansinh.core.products import HealthCard, HospitalLevel, ProductKind, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport, RenewalItem, ReportRow
from ansinh.hookspecs import SourcingResult

# Installs made before ansinh 0.2 name this function in their ``hypothesis`` entry point (an
# editable install keeps the entry points of the day it was installed): keep the name, bound
# before the modules below import Hypothesis, which calls the entry points.
from ansinh.hypothesis_hook import register_strategies as _hypothesis_setup_hook  # noqa: F401
from ansinh.strategies._campaigns import (
    beneficiaries,
    campaigns,
    earmarks,
    gift_steps,
    gifts,
    handovers,
    instalments,
    ledger_events,
    ledger_states,
    ledgers,
    local_sponsor_kinds,
    pledge_balances,
    pledges,
    sourcing_results,
    sponsors,
)
from ansinh.strategies._common import enum_strategy
from ansinh.strategies._law import (
    amendments,
    citations,
    dated_values,
    dates,
    law_periods,
    law_values,
    laws,
    links,
    parameters,
    rate_tables,
)
from ansinh.strategies._people import (
    addresses,
    categories,
    commune_lists,
    health_cards,
    local_supports,
    people,
    pricing_contexts,
    products,
    provinces,
    quote_lines,
    quotes,
    social_books,
    tet_gifts,
)
from ansinh.strategies._results import (
    allocations,
    candidates,
    decisions,
    leftovers,
    priorities,
    priority_policies,
    reasons,
    renewal_items,
    report_rows,
    reports,
    screenings,
)

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

__all__ = [
    "STRATEGIES",
    "addresses",
    "allocations",
    "amendments",
    "beneficiaries",
    "campaigns",
    "candidates",
    "categories",
    "citations",
    "commune_lists",
    "dated_values",
    "dates",
    "decisions",
    "earmarks",
    "gift_steps",
    "gifts",
    "handovers",
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
    "local_sponsor_kinds",
    "local_supports",
    "parameters",
    "people",
    "pledge_balances",
    "pledges",
    "pricing_contexts",
    "priorities",
    "priority_policies",
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
    Funding: enum_strategy(Funding),
    Gift: gifts,
    GiftStatus: enum_strategy(GiftStatus),
    LedgerState: ledger_states,
    PledgeBalance: pledge_balances,
    GiftStep: gift_steps,
    Priority: priorities,
    PriorityPolicy: priority_policies,
    Reason: reasons,
    Screening: screenings,
    SourcingResult: sourcing_results,
    Campaign: campaigns,
    Category: categories,
    Citation: citations,
    DatedValue: dated_values,
    Earmark: earmarks,
    EarmarkKind: enum_strategy(EarmarkKind),
    HealthCard: health_cards,
    HospitalLevel: enum_strategy(HospitalLevel),
    Instalment: instalments,
    Law: laws,
    LawPeriod: law_periods,
    LawValue: law_values,
    Link: links,
    LocalSupport: local_supports,
    CommuneList: commune_lists,
    LocalSponsorKind: local_sponsor_kinds,
    ParamKind: enum_strategy(ParamKind),
    Parameter: parameters,
    Person: people,
    Pledge: pledges,
    ProductKind: enum_strategy(ProductKind),
    Quote: quotes,
    QuoteLine: quote_lines,
    RateTable: rate_tables,
    SocialBook: social_books,
    SourceStatus: enum_strategy(SourceStatus),
    Sponsor: sponsors,
    SponsorKind: enum_strategy(SponsorKind),
    TetGift: tet_gifts,
    Handover: handovers,
}

STRATEGIES: Final[Mapping[type[Any], Callable[[], SearchStrategy[Any]]]] = types.MappingProxyType(_REGISTRY)
"""Each of ansinh's public types and the function whose strategy (called with no arguments) produces it."""
