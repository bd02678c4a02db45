"""Pledge-stage accounting: unit pledges valued at registration, levels, instalments."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.accounting import (
    InstalmentState,
    RegistrationLevel,
    ValuedBy,
    instalments_due,
    pledge_value,
    pledge_values,
    registration_level,
)
from ansinh.core.campaign import Campaign, Instalment, Pledge, Sponsor
from ansinh.core.ledger import Ledger, MoneyReceived, PledgeRegistered, PledgeWithdrawn
from ansinh.core.people import Category
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import AnsinhError, InvalidValueError

LAW = default_law()
# Kế hoạch 4033/KH-BHXH of 29/11/2023 (Xuân Giáp Thìn 2024), seed 004.
GT2024 = Campaign(
    code="GT2024",
    name="Xuân Giáp Thìn 2024",
    plan_reference="Kế hoạch 4033/KH-BHXH ngày 29/11/2023",
    start=dt.date(2023, 11, 29),
    end=dt.date(2024, 3, 31),
)
BANK = Sponsor(id="S1", name="Ngân hàng A", kind="bank")
LOCAL = Sponsor(id="S2", name="Công ty B", kind="enterprise", province="31")
NEAR_POOR = frozenset({Category.NEAR_POOR})


def _near_poor(product: HealthCard | SocialBook, on: dt.date) -> int:
    """The public price of one unit for a near-poor person (what the valuation must agree with)."""
    who = ansinh.Beneficiary(person_id="x", province="01", categories=NEAR_POOR)
    return ansinh.price(product, who, on=on).payable


def test_the_seed_central_registration_is_valued_by_the_law_of_the_plan_date() -> None:
    # "7 doanh nghiệp ở khối Trung ương với hơn 2.500 sổ BHXH, trên 19.500 thẻ BHYT" (seed 004)
    pledge = Pledge(
        id="P1",
        sponsor_id="S1",
        units=((ProductKind.SOCIAL_BOOK, 2_500), (ProductKind.HEALTH_CARD, 19_500)),
        unit_categories=NEAR_POOR,
    )
    v = pledge_value(pledge, BANK, campaign=GT2024, law=LAW)
    assert v.valued_by is ValuedBy.PRICED
    assert v.priced_on == dt.date(2023, 11, 29)
    # 2023-11: a near-poor card pays 30 % of 4.5 % × 1.800.000 × 12; a near-poor book at the
    # 1.500.000 floor pays 75 % of 22 % × 1.500.000 × 12.
    assert _near_poor(HealthCard(months=12), GT2024.start) == 291_600
    assert _near_poor(SocialBook(months=12), GT2024.start) == 2_970_000
    assert v.unit_value == 19_500 * 291_600 + 2_500 * 2_970_000 == 13_111_200_000
    assert v.registered == v.unit_value
    assert v.level is RegistrationLevel.CENTRAL


@pytest.mark.parametrize(
    ("day", "each"),
    [(dt.date(2024, 6, 30), 291_600), (dt.date(2024, 7, 1), 379_080)],  # base salary 1.8 → 2.34 million
)
def test_units_are_priced_on_the_purchase_date_the_day_before_and_the_day_of_a_change(
    day: dt.date, each: int
) -> None:
    campaign = attrs.evolve(GT2024, end=dt.date(2024, 12, 31), purchase_date=day)
    pledge = Pledge(
        id="P", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 10),), unit_categories=NEAR_POOR
    )
    assert _near_poor(HealthCard(months=12), day) == each
    assert pledge_value(pledge, BANK, campaign=campaign, law=LAW).unit_value == 10 * each


def test_a_declared_value_wins_and_a_tet_package_is_worth_what_was_declared() -> None:
    # "huy động hơn 1.000 suất quà với số tiền gần 600 triệu đồng" (seed 004)
    package = Pledge(
        id="T1", sponsor_id="S1", units=((ProductKind.TET_GIFT, 1_000),), declared_value=600_000_000
    )
    v = pledge_value(package, BANK, campaign=GT2024, law=LAW)
    assert (v.unit_value, v.valued_by, v.unvalued, v.registered) == (
        600_000_000,
        ValuedBy.DECLARED,
        (),
        600_000_000,
    )


def test_tet_units_without_a_value_stay_unvalued_and_money_received_still_counts_as_registered() -> None:
    gifts = Pledge(id="T2", sponsor_id="S1", units=((ProductKind.TET_GIFT, 50),))
    v = pledge_value(gifts, BANK, campaign=GT2024, law=LAW, received=25_000_000)
    assert v.valued_by is ValuedBy.NONE
    assert v.unvalued == ((ProductKind.TET_GIFT, 50),)
    assert (v.unit_value, v.registered, v.received) == (0, 25_000_000, 25_000_000)


def test_money_received_against_units_is_inside_their_value_not_added_twice() -> None:
    cards = Pledge(id="P", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 10),), unit_categories=NEAR_POOR)
    v = pledge_value(cards, BANK, campaign=GT2024, law=LAW, received=1_000_000)
    assert v.registered == 10 * 291_600 == v.unit_value  # received 1 million of 2.916 million
    mixed = attrs.evolve(cards, money=5_000_000)
    assert pledge_value(mixed, BANK, campaign=GT2024, law=LAW).registered == 10 * 291_600 + 5_000_000


def test_registration_level_central_only_for_a_sponsor_without_province_in_a_national_campaign() -> None:
    assert registration_level(BANK, GT2024) is RegistrationLevel.CENTRAL
    assert registration_level(LOCAL, GT2024) is RegistrationLevel.PROVINCE
    hai_phong = attrs.evolve(GT2024, code="HP", province="31")
    assert registration_level(BANK, hai_phong) is RegistrationLevel.PROVINCE
    money = Pledge(id="M", sponsor_id="S2", money=2_000_000, funds_source="quỹ từ thiện xã hội")
    v = pledge_value(money, LOCAL, campaign=GT2024, law=LAW)
    assert (v.level, v.province, v.funds_source, v.valued_by) == (
        RegistrationLevel.PROVINCE,
        "31",
        "quỹ từ thiện xã hội",
        ValuedBy.NONE,
    )
    assert v.as_dict()["level"] == "province"


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidValueError, match="pledge"):
        pledge_value("P1", BANK, campaign=GT2024, law=LAW)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="sponsor"):
        registration_level("S1", GT2024)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="state"):
        instalments_due("ledger", on=GT2024.start)  # type: ignore[arg-type]
    # 9-month cards: the law of 2023 allows 3, 6 or 12
    odd = Pledge(id="P9", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 1),), card_months=9)
    with pytest.raises(InvalidValueError, match="P9") as info:
        pledge_value(odd, BANK, campaign=GT2024, law=LAW)
    assert isinstance(info.value, AnsinhError)


def _ledger(plan: tuple[Instalment, ...], received: tuple[int, ...]) -> Ledger:
    money = sum(i.amount for i in plan)
    ledger = Ledger(
        GT2024,
        law=LAW,
        events=[
            PledgeRegistered(
                event_id="r",
                on=dt.date(2023, 12, 1),
                sponsor=BANK,
                pledge=Pledge(id="P", sponsor_id="S1", money=money, instalments=plan),
            )
        ],
    )
    for n, amount in enumerate(received):
        ledger.append(MoneyReceived(event_id=f"m{n}", on=dt.date(2023, 12, 2), pledge_id="P", amount=amount))
    return ledger


def test_instalments_paid_due_overdue_and_upcoming() -> None:
    plan = tuple(Instalment(due=dt.date(2024, m, 10), amount=4_000_000) for m in (1, 2, 3))
    ledger = _ledger(plan, (5_000_000,))
    got = instalments_due(ledger.state, on=dt.date(2024, 2, 10))
    assert [(s.state, s.covered, s.outstanding) for s in got] == [
        (InstalmentState.PAID, 4_000_000, 0),
        (InstalmentState.DUE, 1_000_000, 3_000_000),
        (InstalmentState.UPCOMING, 0, 4_000_000),
    ]
    assert instalments_due(ledger.state, on=dt.date(2024, 2, 11))[1].state is InstalmentState.OVERDUE
    assert instalments_due(ledger.state, on=dt.date(2024, 2, 9))[1].state is InstalmentState.UPCOMING
    # a pledge registered after the date has no instalments yet; a withdrawn one none at all
    assert instalments_due(ledger.state, on=dt.date(2023, 11, 30)) == ()
    ledger2 = _ledger(plan, ())
    ledger2.append(PledgeWithdrawn(event_id="w", on=dt.date(2024, 1, 1), pledge_id="P"))
    assert instalments_due(ledger2.state, on=dt.date(2024, 3, 31)) == ()
    assert pledge_values(ledger2.state, on=dt.date(2024, 3, 31), law=LAW) == ()


@given(
    amounts=st.lists(st.integers(1, 10**9), min_size=1, max_size=5),
    paid=st.integers(0, 6 * 10**9),
    day=st.dates(dt.date(2023, 12, 1), dt.date(2024, 12, 31)),
)
def test_received_money_covers_instalments_in_due_order(amounts: list[int], paid: int, day: dt.date) -> None:
    plan = tuple(
        Instalment(due=dt.date(2024, 1, 1) + dt.timedelta(days=30 * i), amount=a)
        for i, a in enumerate(amounts)
    )
    paid = min(paid, sum(amounts))
    got = instalments_due(_ledger(plan, (paid,) if paid else ()).state, on=day)
    # the money arrived on 2023-12-02: a report of the day before counts none of it
    assert sum(s.covered for s in got) == (paid if day >= dt.date(2023, 12, 2) else 0)
    assert all(0 <= s.outstanding <= s.amount for s in got)
    # coverage is front-loaded: once an instalment is short, every later one is uncovered
    short = [s.outstanding > 0 for s in got]
    assert short == sorted(short)
    assert all((s.state is InstalmentState.PAID) == (s.outstanding == 0) for s in got)
    assert all(s.state is not InstalmentState.OVERDUE or s.due < day for s in got)
