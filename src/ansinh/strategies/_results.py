"""Strategies for what the library computes: decisions, screenings, allocations and reports."""

from __future__ import annotations

import datetime as dt
from typing import Final

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from ansinh.core.allocation import Allocation, Candidate, Leftover, allocate
from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import (
    DEFAULT_PRIORITY_POLICY,
    PRIORITY_TABLE,
    Decision,
    Priority,
    PriorityPolicy,
    Reason,
    Screening,
    check,
    screen,
)
from ansinh.core.law import Law
from ansinh.core.products import Product, ProductKind, TetGift
from ansinh.core.reporting import DIMENSIONS, CampaignReport, RenewalItem, ReportRow, report
from ansinh.strategies._campaigns import campaigns, ledgers
from ansinh.strategies._common import given_or, ids, law_or_default, with_tet_dates
from ansinh.strategies._law import citations, dates
from ansinh.strategies._people import health_cards, people, products, provinces, social_books

__all__ = [
    "allocations",
    "candidates",
    "decisions",
    "leftovers",
    "priorities",
    "reasons",
    "renewal_items",
    "report_rows",
    "reports",
    "screenings",
]

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


def priority_policies() -> SearchStrategy[PriorityPolicy]:
    """Tables of priority points: a province's (some parts, with a source) or ansinh's default."""
    codes = [code for code, _, _, _ in PRIORITY_TABLE]
    local = st.builds(
        PriorityPolicy,
        points=st.dictionaries(st.sampled_from(codes), st.integers(0, 60), max_size=6),
        source=st.sampled_from(("Quyết định số 12/QĐ-UBND (ví dụ)", "Kế hoạch của tỉnh (ví dụ)")),
        province=st.none() | provinces(),
    )
    return st.just(DEFAULT_PRIORITY_POLICY) | local


@st.composite
def _decisions(draw: st.DrawFn, on: dt.date | None, law: Law | None, campaign: Campaign | None) -> Decision:
    lw = law_or_default(law)
    camp = draw(st.none() | campaigns()) if campaign is None else campaign
    day = draw(dates(law=lw)) if on is None else on
    product = draw(products(on=day, law=lw))
    if isinstance(product, TetGift):
        camp = with_tet_dates(camp if camp is not None else draw(campaigns()))
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
    return screen(crowd, product, on=day, law=law_or_default(None))


def screenings(*, on: dt.date | None = None) -> SearchStrategy[Screening]:
    """Screenings of up to five people for a card or a book (:func:`ansinh.core.eligibility.screen`)."""
    return _screenings(on)


# -- allocation ------------------------------------------------------------------------------------


def candidates(
    *, on: dt.date = dt.date(2026, 1, 1), product: Product | SearchStrategy[Product] | None = None
) -> SearchStrategy[Candidate]:
    """Candidates for allocation: a person, a product the law prices on *on*, a priority."""
    return st.builds(
        Candidate,
        person=people(on=on),
        product=given_or(product, products(on=on)),
        priority=priorities(),
        valid_from=st.none() | st.dates(min_value=on, max_value=on + dt.timedelta(days=60)),
    )


def leftovers() -> SearchStrategy[Leftover]:
    """What a pledge still holds after allocation (units, money) and why."""
    return st.builds(
        Leftover,
        pledge_id=ids("PL-"),
        sponsor_id=ids("S-"),
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
    return allocate(ledger.state, crowd, on=on, law=law_or_default(None))


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
        key=ids(),
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
        gift_id=ids("G-"),
        person_id=ids("P-"),
        province=provinces(),
        kind=st.sampled_from((ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK)),
        valid_until=dates(),
        days_left=st.integers(0, 60),
        pledge_id=ids("PL-"),
    )
