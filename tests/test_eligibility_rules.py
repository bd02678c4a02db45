"""The built-in rule objects one by one, the law thresholds they read, and the card-start rule.

Each rule is evaluated on a CheckContext on the day before and the day a law
value it reads changes (a scenario amendment, or a change in the shipped law),
so a rule that read the wrong period, or kept a value from another date, fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.campaign import Campaign
from ansinh.core.dates import add_days, add_months
from ansinh.core.eligibility import BuiltinRule, CheckContext, Reason, Rule, builtin_rules, check
from ansinh.core.eligibility import rules as R
from ansinh.core.eligibility.card_start import CardStart, card_start, gift_end, last_break_end
from ansinh.core.eligibility.thresholds import (
    child_state_paid_age,
    state_paid_groups,
    vsi_min_age,
    waiting_days,
)
from ansinh.core.law import Citation, Law
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, NotInForceError

LAW = default_law()
D = dt.date
CHANGE = D(2026, 1, 1)  # the scenario amendments below take effect on this day
BEFORE = CHANGE - dt.timedelta(days=1)
SHIPPED_CHANGE = D(2025, 7, 1)  # Law 51/2024, Law 41/2024, Decree 188/2025: new citations
CARD = HealthCard(months=12)
BOOK = SocialBook(months=12)
GIFT = TetGift(value=500_000)
SCENARIO = Citation("Kịch bản thử", "Điều 1")
CAMPAIGN = Campaign(
    code="BN2026",
    name="Xuân Bính Ngọ 2026",
    plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
    start=D(2025, 10, 23),
    end=D(2026, 3, 31),
    tet_dates=(D(2026, 2, 16), D(2026, 2, 22)),
)


def person(**kw: Any) -> Person:
    base: dict[str, Any] = {
        "id": "P1",
        "full_name": "Nguyễn Thị Lan",
        "date_of_birth": D(1970, 3, 1),
        "province": "33",
        "categories": frozenset({Category.NEAR_POOR}),
    }
    base.update(kw)
    return Person(**base)


def ctx(
    p: Person, product: Product, on: dt.date, *, law: Law = LAW, campaign: Campaign | None = None
) -> CheckContext:
    return CheckContext(person=p, product=product, on=on, campaign=campaign, law=law)


def amended(name: str, value: object) -> Law:
    return LAW.amend(name, value, effective=CHANGE, source=SCENARIO)


def given_reason(rule: BuiltinRule, c: CheckContext) -> Reason:
    reason = rule.evaluate(c)
    assert reason is not None
    return reason


# ------------------------------------------------------------- the objects ---

ALL_RULES = (
    R.ALREADY_INSURED,
    R.STATE_PAID_IN_FULL,
    R.STATE_PAID_CHILD_UNDER_6,
    R.FULLY_SUPPORTED,
    R.OUTSIDE_CAMPAIGN_PROVINCE,
    R.NOT_IN_DIFFICULT_CIRCUMSTANCES,
    R.CARD_START,
    R.NOT_CITIZEN,
    R.UNDER_MIN_AGE,
    R.IN_COMPULSORY_SI,
    R.RECEIVES_PENSION,
    R.NOT_IN_HOSPITAL_AT_TET,
    R.NOT_INSURED,
)


def test_thirteen_named_frozen_rules() -> None:
    assert len({r.code for r in ALL_RULES}) == 13
    for rule in ALL_RULES:
        assert isinstance(rule, BuiltinRule)
        assert isinstance(rule, Rule)
        assert rule.code.isupper()
        assert rule.description
        assert getattr(R, rule.code) is rule  # the module name is the code
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            rule.code = "X"
    used = {r for kind in ProductKind for r in builtin_rules(kind)}
    assert used == set(ALL_RULES)


def test_builtin_rules_keep_their_order() -> None:
    assert builtin_rules(ProductKind.HEALTH_CARD) == ALL_RULES[:7]
    assert builtin_rules(ProductKind.SOCIAL_BOOK) == (*ALL_RULES[7:11], *ALL_RULES[3:6])
    assert builtin_rules(ProductKind.TET_GIFT) == (*ALL_RULES[11:], *ALL_RULES[4:6])
    with pytest.raises(InvalidValueError):
        builtin_rules("voucher")  # type: ignore[arg-type]


# ----------------------------------------------------------- health card ---


def test_already_insured_on_the_gift_period_end() -> None:
    end = gift_end(ON := D(2026, 1, 10), 12)
    assert end == D(2027, 1, 9)
    assert R.ALREADY_INSURED.evaluate(ctx(person(bhyt_valid_until=end - dt.timedelta(1)), CARD, ON)) is None
    reason = given_reason(R.ALREADY_INSURED, ctx(person(bhyt_valid_until=end), CARD, ON, campaign=CAMPAIGN))
    assert (reason.code, reason.blocking) == ("ALREADY_INSURED", True)
    assert "09/01/2027" in reason.text_vi
    assert "10/01/2026" in reason.text_vi
    assert "2027-01-09" in reason.text_en
    assert reason.citation == R.programme_citation(CAMPAIGN.plan_reference)
    assert reason.citation is not None
    assert "2716" in str(reason.citation)


def test_state_paid_in_full_cites_the_table_in_force() -> None:
    poor = person(categories={Category.POOR})
    before = given_reason(R.STATE_PAID_IN_FULL, ctx(poor, CARD, SHIPPED_CHANGE - dt.timedelta(1)))
    after = given_reason(R.STATE_PAID_IN_FULL, ctx(poor, CARD, SHIPPED_CHANGE))
    assert (after.code, after.blocking) == ("STATE_PAID_IN_FULL", True)
    assert before.citation == LAW.at(SHIPPED_CHANGE - dt.timedelta(1)).citation("bhyt_state_support")
    assert after.citation == LAW.at(SHIPPED_CHANGE).citation("bhyt_state_support")
    assert before.citation != after.citation
    assert Category.POOR.label_vi in after.text_vi
    assert Category.POOR.label_en in after.text_en


def test_state_paid_in_full_follows_the_table() -> None:
    law = amended("bhyt_state_support", {"poor": "1", "near_poor": "1", "student": "0.5", "rich": "1"})
    near = person(categories={Category.NEAR_POOR})
    assert R.STATE_PAID_IN_FULL.evaluate(ctx(near, CARD, BEFORE, law=law)) is None
    reason = given_reason(R.STATE_PAID_IN_FULL, ctx(near, CARD, CHANGE, law=law))
    assert reason.citation == SCENARIO
    assert Category.NEAR_POOR.label_vi in reason.text_vi
    assert R.STATE_PAID_IN_FULL.evaluate(ctx(person(categories=set()), CARD, CHANGE, law=law)) is None


def test_child_age_change() -> None:
    law = amended("bhyt_child_state_paid_age", 7)
    six = person(date_of_birth=D(2019, 6, 1), categories={Category.CHILD})  # 6 on both days
    assert R.STATE_PAID_CHILD_UNDER_6.evaluate(ctx(six, CARD, BEFORE, law=law)) is None
    reason = given_reason(R.STATE_PAID_CHILD_UNDER_6, ctx(six, CARD, CHANGE, law=law))
    assert (reason.code, reason.blocking) == ("STATE_PAID_CHILD_UNDER_6", True)
    assert "dưới 7 tuổi (6 tuổi)" in reason.text_vi
    assert "under 7 (this one is 6)" in reason.text_en
    assert reason.citation == SCENARIO


def test_no_child_group_in_a_law_without_the_parameter() -> None:
    law = Law(tuple(p for p in LAW.parameters if p.name != "bhyt_child_state_paid_age"))
    baby = person(date_of_birth=D(2025, 12, 1), categories={Category.CHILD})
    assert R.STATE_PAID_CHILD_UNDER_6.evaluate(ctx(baby, CARD, CHANGE, law=law)) is None
    assert R.STATE_PAID_CHILD_UNDER_6.evaluate(ctx(baby, CARD, CHANGE)) is not None
    # not even someone born after the date (a negative age)
    unborn = person(date_of_birth=D(2026, 6, 1), categories={Category.CHILD})
    assert "STATE_PAID_CHILD_UNDER_6" not in check(unborn, CARD, on=CHANGE, law=law).codes


def test_card_start_waiting_days_change() -> None:
    law = amended("bhyt_waiting_days", 15)
    before = given_reason(R.CARD_START, ctx(person(), CARD, BEFORE, law=law))
    after = given_reason(R.CARD_START, ctx(person(), CARD, CHANGE, law=law))
    assert (before.code, before.blocking) == ("WAITING_PERIOD_30_DAYS", False)
    assert (after.code, after.blocking) == ("WAITING_PERIOD_30_DAYS", False)
    assert "30 ngày" in before.text_vi
    assert "30/01/2026" in before.text_vi
    assert "15 ngày" in after.text_vi
    assert "16/01/2026" in after.text_vi
    assert "15 days" in after.text_en
    assert "2026-01-16" in after.text_en
    assert after.citation == SCENARIO
    assert before.citation == LAW.at(BEFORE).citation("bhyt_waiting_days")


def test_card_start_break_months_change() -> None:
    law = amended("bhyt_break_months", 6)
    ended = person(bhyt_valid_until=D(2025, 9, 15))  # 3½ months before the change
    before = given_reason(R.CARD_START, ctx(ended, CARD, BEFORE, law=law))
    after = given_reason(R.CARD_START, ctx(ended, CARD, CHANGE, law=law))
    assert before.code == "WAITING_PERIOD_30_DAYS"
    assert "gián đoạn từ 3 tháng trở lên" in before.text_vi
    assert after.code == "CONTINUOUS_PARTICIPATION"
    assert "gián đoạn dưới 6 tháng" in after.text_vi
    assert "less than 6 months" in after.text_en
    assert "01/01/2026" in after.text_vi
    assert after.citation == SCENARIO


def test_card_start_renewal() -> None:
    reason = given_reason(R.CARD_START, ctx(person(bhyt_valid_until=D(2026, 3, 31)), CARD, D(2026, 1, 10)))
    assert (reason.code, reason.blocking) == ("RENEWAL_FROM_CARD_END", False)
    assert "31/03/2026" in reason.text_vi
    assert "01/04/2026" in reason.text_vi
    assert reason.citation == LAW.at(D(2026, 1, 10)).citation("bhyt_break_months")


# ---------------------------------------------------------- every product ---


def test_outside_campaign_province() -> None:
    hy = attrs.evolve(CAMPAIGN, province="33")
    assert R.OUTSIDE_CAMPAIGN_PROVINCE.evaluate(ctx(person(province="33"), BOOK, CHANGE, campaign=hy)) is None
    assert (
        R.OUTSIDE_CAMPAIGN_PROVINCE.evaluate(ctx(person(province="01"), BOOK, CHANGE, campaign=CAMPAIGN))
        is None
    )
    reason = given_reason(R.OUTSIDE_CAMPAIGN_PROVINCE, ctx(person(province="01"), BOOK, CHANGE, campaign=hy))
    assert (reason.code, reason.blocking) == ("OUTSIDE_CAMPAIGN_PROVINCE", True)
    assert "mã 33" in reason.text_vi
    assert "mã 01" in reason.text_vi
    assert "code 33" in reason.text_en


def test_not_in_difficult_circumstances() -> None:
    assert R.NOT_IN_DIFFICULT_CIRCUMSTANCES.evaluate(ctx(person(), CARD, CHANGE)) is None
    flagged = person(categories=set(), difficult_circumstances=True)
    assert R.NOT_IN_DIFFICULT_CIRCUMSTANCES.evaluate(ctx(flagged, CARD, CHANGE)) is None
    reason = given_reason(
        R.NOT_IN_DIFFICULT_CIRCUMSTANCES, ctx(person(categories={Category.STUDENT}), CARD, CHANGE)
    )
    assert (reason.code, reason.blocking) == ("NOT_IN_DIFFICULT_CIRCUMSTANCES", True)
    assert reason.text_vi
    assert reason.text_en
    assert reason.citation == R.programme_citation("")


# ----------------------------------------------------------- social book ---


def test_min_age_change() -> None:
    law = amended("vsi_min_age", 16)
    fifteen = person(date_of_birth=D(2010, 6, 1))
    assert R.UNDER_MIN_AGE.evaluate(ctx(fifteen, BOOK, BEFORE, law=law)) is None
    reason = given_reason(R.UNDER_MIN_AGE, ctx(fifteen, BOOK, CHANGE, law=law))
    assert (reason.code, reason.blocking) == ("UNDER_MIN_AGE", True)
    assert "Chưa đủ 16 tuổi vào ngày 01/01/2026 (15 tuổi)" in reason.text_vi
    assert "Under 16 on 2026-01-01 (aged 15)" in reason.text_en
    assert reason.citation == SCENARIO


@pytest.mark.parametrize(
    ("rule", "change"),
    [(R.NOT_CITIZEN, {"vietnamese_citizen": False}), (R.IN_COMPULSORY_SI, {"compulsory_si": True})],
)
def test_book_rules_cite_the_minimum_age_law_in_force(rule: BuiltinRule, change: dict[str, Any]) -> None:
    assert rule.evaluate(ctx(person(), BOOK, SHIPPED_CHANGE)) is None
    before = given_reason(rule, ctx(person(**change), BOOK, SHIPPED_CHANGE - dt.timedelta(1)))
    after = given_reason(rule, ctx(person(**change), BOOK, SHIPPED_CHANGE))
    assert (after.code, after.blocking) == (rule.code, True)
    assert before.citation == LAW.at(SHIPPED_CHANGE - dt.timedelta(1)).citation("vsi_min_age")
    assert after.citation == LAW.at(SHIPPED_CHANGE).citation("vsi_min_age")
    assert before.citation != after.citation
    assert after.text_vi
    assert after.text_en


def test_receives_pension() -> None:
    assert R.RECEIVES_PENSION.evaluate(ctx(person(), BOOK, CHANGE)) is None
    reason = given_reason(R.RECEIVES_PENSION, ctx(person(receives_pension=True), BOOK, CHANGE))
    assert (reason.code, reason.blocking, reason.text_en) == (
        "RECEIVES_PENSION",
        True,
        "Already receives a pension.",
    )


# -------------------------------------------------------------- Tết gift ---


def test_tet_rules() -> None:
    on = D(2026, 2, 1)
    stay = (D(2026, 2, 18), D(2026, 2, 25))
    inside = person(hospital_stay=stay, bhyt_valid_until=D(2026, 2, 18))
    assert R.NOT_IN_HOSPITAL_AT_TET.evaluate(ctx(inside, GIFT, on, campaign=CAMPAIGN)) is None
    assert R.NOT_INSURED.evaluate(ctx(inside, GIFT, on, campaign=CAMPAIGN)) is None
    home = given_reason(R.NOT_IN_HOSPITAL_AT_TET, ctx(person(), GIFT, on, campaign=CAMPAIGN))
    assert (home.code, home.blocking) == ("NOT_IN_HOSPITAL_AT_TET", True)
    assert "16/02/2026–22/02/2026" in home.text_vi
    lapsed = person(hospital_stay=stay, bhyt_valid_until=D(2026, 2, 17))  # ends the day before admission
    reason = given_reason(R.NOT_INSURED, ctx(lapsed, GIFT, on, campaign=CAMPAIGN))
    assert (reason.code, reason.blocking) == ("NOT_INSURED", True)
    assert "18/02/2026" in reason.text_vi
    assert "2026-02-18" in reason.text_en
    with pytest.raises(InvalidValueError, match="tet_dates"):
        R.NOT_INSURED.evaluate(ctx(lapsed, GIFT, on))


# -------------------------------------------------------------- contexts ---


def test_context_derives_period_age_and_gift_end() -> None:
    c = ctx(person(date_of_birth=D(2010, 1, 1)), HealthCard(months=3), D(2026, 1, 31))
    assert c.period is LAW.at(D(2026, 1, 31))
    assert c.age == 16
    assert c.gift_end == D(2026, 4, 29)  # the day before 31/01 + 3 months (clamped to 30/04)
    assert c.plan_reference == ""
    assert ctx(person(), GIFT, D(2026, 2, 1), campaign=CAMPAIGN).gift_end == D(2026, 2, 1)


@pytest.mark.parametrize(
    ("field", "value"),
    [("person", "P1"), ("product", "card"), ("on", "2026-01-01"), ("campaign", "BN"), ("law", {})],
)
def test_context_refuses_wrong_types(field: str, value: object) -> None:
    kw: dict[str, Any] = {"person": person(), "product": CARD, "on": CHANGE, "campaign": None, "law": LAW}
    kw[field] = value
    with pytest.raises(InvalidValueError) as info:
        CheckContext(**kw)
    assert info.value.field == field


# ------------------------------------------------------------ thresholds ---


def test_thresholds_of_the_shipped_law() -> None:
    period = LAW.at(D(2026, 1, 10))
    assert vsi_min_age(period).value == 15
    assert waiting_days(period).value == 30
    limit = child_state_paid_age(period)
    assert limit is not None
    assert limit.value == 6
    groups = dict(state_paid_groups(period))
    assert set(groups) == {
        Category.POOR,
        Category.MERITORIOUS,
        Category.SOCIAL_ALLOWANCE,
        Category.ETHNIC_MINORITY_DIFFICULT_AREA,
        Category.ISLAND_RESIDENT,
        Category.EXTREMELY_DIFFICULT_AREA,
        Category.SOCIAL_PENSION_75,
    }
    assert groups[Category.POOR] == period.citation("bhyt_state_support")
    assert groups[Category.ISLAND_RESIDENT] == period.citation("bhyt_fully_state_paid")
    assert groups[Category.MERITORIOUS] == period.citation("bhyt_state_paid_meritorious")
    assert groups[Category.SOCIAL_PENSION_75] == period.citation("bhyt_state_paid_social_pension")
    before = dict(state_paid_groups(LAW.at(D(2025, 6, 30))))
    assert Category.SOCIAL_PENSION_75 not in before  # the social pension starts on 2025-07-01


def test_child_age_before_the_parameter_starts_is_not_in_force() -> None:
    with pytest.raises(NotInForceError):
        child_state_paid_age(LAW.at(D(2014, 12, 31)))


# ------------------------------------------------------------ card start ---

BREAKS = {m: LAW.amend("bhyt_break_months", m, effective=D(1, 1, 1), source="x") for m in (0, 1, 3, 6, 13)}


@given(
    months=st.sampled_from(sorted(BREAKS)),
    on=st.dates(D(1, 1, 1), D(9999, 12, 31)),
    back=st.integers(1, 800),
)
def test_last_break_end_is_the_break_rule(months: int, on: dt.date, back: int) -> None:
    """A card that ended on u is a break exactly when add_months(u + 1 day, m) <= on."""
    period = BREAKS[months].at(on)
    cutoff = last_break_end(on, period=period)
    until = add_days(on, -back)
    if until < on:
        assert (cutoff is not None and until <= cutoff) == (add_months(add_days(until, 1), months) <= on)
    if cutoff is not None:
        assert add_months(add_days(cutoff, 1), months) <= on
        if cutoff < dt.date.max:
            assert not add_months(add_days(cutoff, 2), months) <= on


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        (None, CardStart(D(2026, 3, 30), "first")),
        # resumed on 30/11: 3 months later is 28/02 (clamped), a break; resumed on 1/12: 1/03, not
        (D(2025, 11, 29), CardStart(D(2026, 3, 30), "break")),
        (D(2025, 11, 30), CardStart(D(2026, 2, 28), "continuous")),
        (D(2026, 2, 27), CardStart(D(2026, 2, 28), "continuous")),
        (D(2026, 2, 28), CardStart(D(2026, 3, 1), "renewal")),
    ],
)
def test_card_start_at_a_month_end(until: dt.date | None, expected: CardStart) -> None:
    on = D(2026, 2, 28)  # the last day of February: add_months clamps
    assert card_start(until, on, period=LAW.at(on)) == expected
