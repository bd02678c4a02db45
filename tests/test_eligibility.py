"""Eligibility rules: one table per product, the boundary dates, and properties of check()."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import (
    CheckContext,
    Decision,
    FunctionRule,
    Reason,
    Rule,
    add_months,
    builtin_rules,
    card_valid_from,
    check,
    ranking_key,
    screen,
)
from ansinh.core.law import Law, SourceStatus
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.provinces import provinces
from ansinh.data import default_law
from ansinh.exceptions import AnsinhError, InvalidPersonError, InvalidValueError
from ansinh.strategies import people as valid_people

LAW = default_law()

D = dt.date
ON = D(2026, 1, 10)
CARD = HealthCard(months=12)
BOOK = SocialBook(months=12)
GIFT = TetGift(value=500_000)
TET = (D(2026, 2, 16), D(2026, 2, 22))
CAMPAIGN = Campaign(
    code="BN2026",
    name="Xuân Bính Ngọ 2026",
    plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
    start=D(2025, 10, 23),
    end=D(2026, 3, 31),
    tet_dates=TET,
)
HUNG_YEN = attrs.evolve(CAMPAIGN, code="HY2026", province="33")


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


def codes(d: Decision) -> list[str]:
    return [r.code for r in d.reasons]


def blocking(d: Decision) -> list[str]:
    return [r.code for r in d.reasons if r.blocking]


# ------------------------------------------------------------ health card ---


@pytest.mark.parametrize(
    ("valid_until", "eligible", "valid_from", "code"),
    [
        # never insured: first participation, 30 days after payment
        (None, True, D(2026, 2, 9), "WAITING_PERIOD_30_DAYS"),
        # card ended the day before the gift starts: continuous, valid at once
        (D(2026, 1, 9), True, D(2026, 1, 10), "CONTINUOUS_PARTICIPATION"),
        # card ends the day the gift starts: the gift card continues from the next day
        (D(2026, 1, 10), True, D(2026, 1, 11), "RENEWAL_FROM_CARD_END"),
        # card ends during the period: renewal from its end
        (D(2026, 6, 30), True, D(2026, 7, 1), "RENEWAL_FROM_CARD_END"),
        # card ends the day before the last day of the gift period: still a renewal
        (D(2027, 1, 8), True, D(2027, 1, 9), "RENEWAL_FROM_CARD_END"),
        # card covers the last day of the gift period: already insured
        (D(2027, 1, 9), False, D(2027, 1, 10), "ALREADY_INSURED"),
        # a break of less than 3 months: continuous
        (D(2025, 10, 10), True, D(2026, 1, 10), "CONTINUOUS_PARTICIPATION"),
        # a break of exactly 3 months: counted as a first participation
        (D(2025, 10, 9), True, D(2026, 2, 9), "WAITING_PERIOD_30_DAYS"),
        (D(2024, 1, 1), True, D(2026, 2, 9), "WAITING_PERIOD_30_DAYS"),
    ],
)
def test_card_validity_and_coverage(
    valid_until: dt.date | None, eligible: bool, valid_from: dt.date, code: str
) -> None:
    d = check(person(bhyt_valid_until=valid_until), CARD, on=ON, law=LAW)
    assert d.eligible is eligible
    assert d.valid_from == valid_from
    assert code in codes(d)
    assert card_valid_from(person(bhyt_valid_until=valid_until), ON, law=LAW) == valid_from


def test_already_insured_is_the_only_blocking_reason_for_a_covered_person() -> None:
    d = check(person(bhyt_valid_until=D(2030, 1, 1)), CARD, on=ON, law=LAW)
    assert blocking(d) == ["ALREADY_INSURED"]
    assert "RENEWAL_FROM_CARD_END" in codes(d)  # informative, still given


def test_shorter_card_shorter_period() -> None:
    three = HealthCard(months=3)  # period 10/01/2026 – 09/04/2026
    assert check(person(bhyt_valid_until=D(2026, 4, 9)), three, on=ON, law=LAW).eligible is False
    assert check(person(bhyt_valid_until=D(2026, 4, 8)), three, on=ON, law=LAW).eligible is True


def test_waiting_days_and_break_come_from_the_law() -> None:
    law = default_law().amend("bhyt_waiting_days", 15, effective=D(2026, 1, 1), source="kịch bản")
    d = check(person(), CARD, on=ON, law=law)
    assert d.valid_from == D(2026, 1, 25)
    wait = next(r for r in d.reasons if r.code == "WAITING_PERIOD_30_DAYS")
    assert "15 ngày" in wait.text_vi
    assert "15 days" in wait.text_en
    law2 = default_law().amend("bhyt_break_months", 6, effective=D(2026, 1, 1), source="kịch bản")
    # a 3-month break is no longer a first participation under a 6-month rule
    assert check(person(bhyt_valid_until=D(2025, 10, 9)), CARD, on=ON, law=law2).valid_from == ON


def test_waiting_reason_cites_the_law() -> None:
    d = check(person(), CARD, on=ON, law=LAW)
    wait = next(r for r in d.reasons if r.code == "WAITING_PERIOD_30_DAYS")
    assert wait.citation == default_law().lookup("bhyt_waiting_days", on=ON).citation
    assert wait.blocking is False


@pytest.mark.parametrize(
    ("category", "blocked"),
    [
        (Category.POOR, True),
        (Category.MERITORIOUS, True),
        (Category.SOCIAL_ALLOWANCE, True),
        (Category.ETHNIC_MINORITY_DIFFICULT_AREA, True),
        (Category.NEAR_POOR, False),
        (Category.STUDENT, False),
        (Category.JUST_ESCAPED_POVERTY, False),
    ],
)
def test_state_paid_in_full(category: Category, blocked: bool) -> None:
    d = check(person(categories={category}, difficult_circumstances=True), CARD, on=ON, law=LAW)
    assert ("STATE_PAID_IN_FULL" in blocking(d)) is blocked
    if blocked:
        reason = next(r for r in d.reasons if r.code == "STATE_PAID_IN_FULL")
        assert reason.citation is not None
        assert category.label_vi in reason.text_vi


def test_poor_citation_is_the_support_table() -> None:
    d = check(person(categories={Category.POOR}), CARD, on=ON, law=LAW)
    reason = next(r for r in d.reasons if r.code == "STATE_PAID_IN_FULL")
    assert reason.citation == default_law().lookup("bhyt_state_support", on=ON).citation


@pytest.mark.parametrize(
    ("born", "blocked"),
    [
        (D(2020, 1, 11), True),  # 5 years old: state pays
        (D(2020, 1, 10), False),  # 6th birthday on the gift date
        (D(2025, 12, 1), True),
    ],
)
def test_children_under_6(born: dt.date, blocked: bool) -> None:
    d = check(person(date_of_birth=born, categories={Category.CHILD}), CARD, on=ON, law=LAW)
    assert ("STATE_PAID_CHILD_UNDER_6" in blocking(d)) is blocked
    if blocked:
        reason = next(r for r in d.reasons if r.code == "STATE_PAID_CHILD_UNDER_6")
        assert "Điều 12 khoản 3" in reason.text_vi
        assert reason.citation is not None
        assert reason.citation == default_law().lookup("bhyt_child_state_paid_age", on=ON).citation
        # confirmed indirectly (HCMC Res. 75/2025 starts its own support at 6)
        assert default_law().lookup("bhyt_child_state_paid_age", on=ON).status is SourceStatus.CONFIRMED_2ND


@pytest.mark.parametrize(
    ("campaign", "province", "blocked"),
    [
        (None, "01", False),
        (CAMPAIGN, "01", False),
        (HUNG_YEN, "33", False),
        (HUNG_YEN, "01", True),
    ],
)
@pytest.mark.parametrize("product", [CARD, BOOK, GIFT])
def test_campaign_province(campaign: Campaign | None, province: str, blocked: bool, product: Product) -> None:
    if isinstance(product, TetGift) and campaign is None:
        campaign = CAMPAIGN
    p = person(province=province, hospital_stay=TET, bhyt_valid_until=D(2026, 12, 31))
    d = check(p, product, on=ON, campaign=campaign, law=LAW)
    assert ("OUTSIDE_CAMPAIGN_PROVINCE" in blocking(d)) is blocked


@pytest.mark.parametrize(
    ("categories", "flag", "blocked"),
    [
        (set(), False, True),
        (set(), True, False),
        ({Category.FREE_WORKER}, False, True),
        ({Category.STUDENT}, False, True),
        ({Category.STUDENT}, True, False),
        ({Category.NEAR_POOR}, False, False),
        ({Category.ETHNIC_MINORITY}, False, False),
        ({Category.JUST_ESCAPED_POVERTY}, False, False),
        ({Category.FARM_AVERAGE_INCOME}, False, False),
    ],
)
@pytest.mark.parametrize("product", [CARD, BOOK, GIFT])
def test_difficult_circumstances(
    categories: set[Category], flag: bool, blocked: bool, product: Product
) -> None:
    p = person(
        categories=categories,
        difficult_circumstances=flag,
        hospital_stay=TET,
        bhyt_valid_until=D(2026, 12, 31),
    )
    d = check(p, product, on=ON, campaign=CAMPAIGN, law=LAW)
    assert ("NOT_IN_DIFFICULT_CIRCUMSTANCES" in blocking(d)) is blocked
    assert d.eligible is (not blocked)


# ------------------------------------------------------------ social book ---


@pytest.mark.parametrize(
    ("born", "on", "eligible"),
    [
        (D(2011, 1, 15), D(2026, 1, 15), True),  # the 15th birthday
        (D(2011, 1, 16), D(2026, 1, 15), False),  # the day before the 15th birthday
        (D(2011, 1, 14), D(2026, 1, 15), True),
        (D(2008, 2, 29), D(2023, 2, 28), False),  # born on 29 February: 15 on 1 March
        (D(2008, 2, 29), D(2023, 3, 1), True),
        (D(1930, 1, 1), D(2026, 1, 15), True),  # no maximum age
    ],
)
def test_minimum_age(born: dt.date, on: dt.date, eligible: bool) -> None:
    d = check(person(date_of_birth=born), BOOK, on=on, law=LAW)
    assert d.eligible is eligible
    assert ("UNDER_MIN_AGE" in blocking(d)) is (not eligible)
    assert d.valid_from is None


def test_minimum_age_reason_and_facts() -> None:
    law = default_law()
    d = check(person(date_of_birth=D(2012, 6, 1)), BOOK, on=D(2026, 1, 15), law=LAW)
    reason = d.reasons[0]
    assert reason.code == "UNDER_MIN_AGE"
    assert reason.citation == law.lookup("vsi_min_age", on=D(2026, 1, 15)).citation
    assert "15" in reason.text_vi
    assert "13" in reason.text_vi
    assert d.fact("age") == "13"
    assert d.fact("vsi_min_age") == "15"


def test_minimum_age_comes_from_the_law() -> None:
    law = default_law().amend("vsi_min_age", 16, effective=D(2026, 1, 1), source="kịch bản")
    p = person(date_of_birth=D(2010, 6, 1))  # 15 on the date
    assert check(p, BOOK, on=D(2026, 1, 15), law=LAW).eligible is True
    assert blocking(check(p, BOOK, on=D(2026, 1, 15), law=law)) == ["UNDER_MIN_AGE"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"vietnamese_citizen": False}, "NOT_CITIZEN"),
        ({"compulsory_si": True}, "IN_COMPULSORY_SI"),
        ({"receives_pension": True}, "RECEIVES_PENSION"),
        ({"categories": set()}, "NOT_IN_DIFFICULT_CIRCUMSTANCES"),
    ],
)
def test_social_book_rules(change: dict[str, Any], code: str) -> None:
    assert check(person(), BOOK, on=ON, law=LAW).eligible is True
    d = check(person(**change), BOOK, on=ON, law=LAW)
    assert blocking(d) == [code]
    assert all(r.text_vi and r.text_en for r in d.reasons)


def test_poor_people_may_receive_a_book_but_not_a_card() -> None:
    p = person(categories={Category.POOR})
    assert check(p, BOOK, on=ON, law=LAW).eligible is True
    assert check(p, CARD, on=ON, law=LAW).eligible is False


def test_several_blocking_reasons_all_reported() -> None:
    p = person(vietnamese_citizen=False, compulsory_si=True, receives_pension=True, categories=set())
    assert blocking(check(p, BOOK, on=ON, law=LAW)) == [
        "NOT_CITIZEN",
        "IN_COMPULSORY_SI",
        "RECEIVES_PENSION",
        "NOT_IN_DIFFICULT_CIRCUMSTANCES",
    ]


# --------------------------------------------------------------- Tết gift ---


@pytest.mark.parametrize(
    ("stay", "valid_until", "codes_expected"),
    [
        ((D(2026, 2, 10), D(2026, 2, 16)), D(2026, 12, 31), []),  # discharged on Tết's first day
        ((D(2026, 2, 22), D(2026, 3, 1)), D(2026, 12, 31), []),  # admitted on Tết's last day
        ((D(2026, 2, 10), D(2026, 2, 15)), D(2026, 12, 31), ["NOT_IN_HOSPITAL_AT_TET"]),
        ((D(2026, 2, 23), D(2026, 3, 1)), D(2026, 12, 31), ["NOT_IN_HOSPITAL_AT_TET"]),
        (None, D(2026, 12, 31), ["NOT_IN_HOSPITAL_AT_TET"]),
        ((D(2026, 2, 10), D(2026, 2, 20)), None, ["NOT_INSURED"]),
        ((D(2026, 2, 10), D(2026, 2, 20)), D(2026, 2, 15), ["NOT_INSURED"]),  # card ends the day before
        ((D(2026, 2, 10), D(2026, 2, 20)), D(2026, 2, 16), []),  # card valid on the first Tết day
        ((D(2026, 2, 18), D(2026, 2, 20)), D(2026, 2, 17), ["NOT_INSURED"]),
    ],
)
def test_tet_gift(
    stay: tuple[dt.date, dt.date] | None, valid_until: dt.date | None, codes_expected: list[str]
) -> None:
    p = person(hospital_stay=stay, bhyt_valid_until=valid_until)
    d = check(p, GIFT, on=ON, campaign=CAMPAIGN, law=LAW)
    assert blocking(d) == codes_expected
    assert d.eligible is (not codes_expected)
    assert d.valid_from is None
    assert d.fact("tet_dates") == "2026-02-16/2026-02-22"


def test_tet_gift_needs_tet_dates() -> None:
    p = person(hospital_stay=TET, bhyt_valid_until=D(2026, 12, 31))
    with pytest.raises(InvalidValueError, match="tet_dates"):
        check(p, GIFT, on=ON, law=LAW)
    with pytest.raises(InvalidValueError, match="tet_dates"):
        check(p, GIFT, on=ON, campaign=attrs.evolve(CAMPAIGN, tet_dates=None), law=LAW)


# ------------------------------------------------------------ extra rules ---


def _commune_rule(ctx: CheckContext) -> Reason | None:
    if ctx.person.commune == "Xã A":
        return None
    return Reason("NOT_IN_COMMUNE_A", True, "Không cư trú tại Xã A.", "Not resident in commune A.")


def test_extra_rules_run_after_builtins() -> None:
    rule = FunctionRule("NOT_IN_COMMUNE_A", _commune_rule)
    assert isinstance(rule, Rule)
    d = check(person(commune="Xã B"), CARD, on=ON, rules=(rule,), law=LAW)
    assert d.eligible is False
    assert codes(d)[-1] == "NOT_IN_COMMUNE_A"
    assert check(person(commune="Xã A"), CARD, on=ON, rules=[rule], law=LAW).eligible is True


def test_informative_extra_rule_keeps_eligibility() -> None:
    note = FunctionRule("NOTE", lambda ctx: Reason("NOTE", False, "Ghi chú.", "Note."))
    d = check(person(), CARD, on=ON, rules=(note,), law=LAW)
    assert d.eligible is True
    assert "NOTE" in codes(d)


def test_builtin_rules_listed() -> None:
    assert [r.code for r in builtin_rules(ProductKind.SOCIAL_BOOK)] == [
        "NOT_CITIZEN",
        "UNDER_MIN_AGE",
        "IN_COMPULSORY_SI",
        "RECEIVES_PENSION",
        "FULLY_SUPPORTED",
        "OUTSIDE_CAMPAIGN_PROVINCE",
        "NOT_IN_DIFFICULT_CIRCUMSTANCES",
    ]
    assert all(isinstance(r, Rule) for k in ProductKind for r in builtin_rules(k))


# ------------------------------------------------------------ bad input ---


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"person": "Nguyễn Văn A"}, "person"),
        ({"product": "card"}, "product"),
        ({"on": dt.datetime(2026, 1, 1)}, "on"),
        ({"on": "2026-01-01"}, "on"),
        ({"campaign": "BN2026"}, "campaign"),
        ({"law": {}}, "law"),
        ({"rules": ("ALREADY_INSURED",)}, "rules"),
        ({"rules": 5}, "rules"),
        ({"local_supports": "hanoi"}, "local_supports"),
        ({"local_supports": (1,)}, "local_supports"),
    ],
)
def test_malformed_input_raises_ansinh_error(args: dict[str, Any], field: str) -> None:
    call: dict[str, Any] = {"person": person(), "product": CARD, "on": ON, "law": LAW}
    call.update(args)
    p, prod = call.pop("person"), call.pop("product")
    with pytest.raises(InvalidValueError) as info:
        check(p, prod, **call)
    assert info.value.field == field


def test_rule_returning_a_wrong_type() -> None:
    bad = FunctionRule("BAD", lambda ctx: "no")  # type: ignore[arg-type, return-value]
    with pytest.raises(InvalidValueError, match="Reason or None"):
        check(person(), CARD, on=ON, rules=(bad,), law=LAW)


def test_malformed_hospital_stay() -> None:
    p = person()
    object.__setattr__(p, "hospital_stay", ("2026-02-01", "2026-02-20"))  # bypassing Person's validator
    with pytest.raises(InvalidPersonError, match="hospital_stay"):
        check(p, GIFT, on=ON, campaign=CAMPAIGN, law=LAW)


# ------------------------------------------------------------- decisions ---


def test_decision_explains_itself() -> None:
    d = check(person(categories=set()), CARD, on=ON, campaign=CAMPAIGN, law=LAW)
    vi, en = d.explain("vi"), d.explain("en")
    assert "KHÔNG ĐỦ ĐIỀU KIỆN" in vi
    assert "NOT ELIGIBLE" in en
    assert "[NOT_IN_DIFFICULT_CIRCUMSTANCES]" in vi
    assert "Kế hoạch 2716/KH-BHXH" in vi  # the campaign's plan is cited
    assert "09/02/2026" in vi
    assert "2026-02-09" in en


def test_facts_never_carry_identifiers() -> None:
    p = person(cccd="033170004521", social_insurance_number="3321004521")
    d = check(p, CARD, on=ON, law=LAW)
    flat = " ".join(f"{k}={v}" for k, v in d.facts)
    assert "033170004521" not in flat
    assert "3321004521" not in flat
    assert d.fact("age") == "55"
    assert d.fact("valid_from") == "2026-02-09"
    assert d.fact("missing") is None


def test_add_months_clamps() -> None:
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(9999, 12, 1), 1) == dt.date.max
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)


# ------------------------------------------------------------- properties ---

CODES = tuple(p.code for p in provinces())
DATES = st.dates(D(1920, 1, 1), D(2030, 12, 31))
NAMES = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyAĐÊÔ ", min_size=1, max_size=20).filter(
    lambda s: s == s.strip() and bool(s)
)


@st.composite
def people(draw: st.DrawFn) -> Person:
    stay = draw(st.none() | st.tuples(DATES, DATES).map(lambda t: (min(t), max(t))))
    return Person(
        id=draw(st.from_regex(r"[A-Z]{2}-[0-9]{1,6}", fullmatch=True)),
        full_name=draw(NAMES),
        date_of_birth=draw(DATES),
        province=draw(st.sampled_from(CODES)),
        categories=draw(st.frozensets(st.sampled_from(list(Category)))),
        cccd=draw(st.none() | st.from_regex(r"[0-9]{12}", fullmatch=True)),
        social_insurance_number=draw(st.none() | st.from_regex(r"[0-9]{10}", fullmatch=True)),
        vietnamese_citizen=draw(st.booleans()),
        difficult_circumstances=draw(st.booleans()),
        compulsory_si=draw(st.booleans()),
        receives_pension=draw(st.booleans()),
        bhyt_valid_until=draw(st.none() | DATES | st.just(dt.date.max)),
        vsi_supported_months=draw(st.integers(0, 200)),
        hospital_stay=stay,
    )


products: st.SearchStrategy[Product] = st.one_of(
    st.builds(HealthCard, months=st.integers(1, 60), household_rank=st.integers(1, 6)),
    st.builds(SocialBook, months=st.integers(1, 60)),
    st.builds(TetGift, value=st.integers(1, 10_000_000)),
)
campaigns = st.builds(
    Campaign,
    code=st.just("C"),
    name=st.just("Chiến dịch"),
    province=st.none() | st.sampled_from(CODES),
    start=st.just(D(2019, 1, 1)),
    end=st.just(D(2031, 1, 1)),
    tet_dates=st.tuples(st.dates(D(2019, 1, 1), D(2030, 1, 1))).map(lambda t: (t[0], t[0] + dt.timedelta(6))),
)
GIFT_DATES = st.dates(D(2019, 1, 1), D(2030, 12, 31))


@given(p=people(), product=products, on=GIFT_DATES, campaign=campaigns)
def test_check_never_raises_and_eligible_means_no_blocking_reason(
    p: Person, product: Product, on: dt.date, campaign: Campaign
) -> None:
    d = check(p, product, on=on, campaign=campaign, law=LAW)
    assert d.eligible == (not any(r.blocking for r in d.reasons))
    if d.eligible:
        assert not d.blocking
    assert all(r.code.isupper() and r.text_vi and r.text_en for r in d.reasons)
    if isinstance(product, HealthCard):
        assert d.valid_from is not None
        assert d.valid_from >= on
    else:
        assert d.valid_from is None
    assert d.priority.score == sum(pts for _, pts in d.priority.parts)


@given(p=people(), on=GIFT_DATES)
def test_valid_from_is_on_or_after_the_card_end(p: Person, on: dt.date) -> None:
    d = check(p, CARD, on=on, law=LAW)
    assert d.valid_from is not None
    if p.bhyt_valid_until is not None and p.bhyt_valid_until >= on and p.bhyt_valid_until < dt.date.max:
        assert d.valid_from == p.bhyt_valid_until + dt.timedelta(1)


def test_check_uses_any_law() -> None:
    law: Law = default_law()
    assert check(person(), CARD, on=ON, law=law) == check(person(), CARD, on=ON, law=LAW)


def test_not_in_force_is_an_ansinh_error() -> None:
    with pytest.raises(AnsinhError):
        check(person(), BOOK, on=D(2010, 1, 1), law=LAW)


# ----------------------------------------------------------------- screen() ---


@settings(max_examples=40)
@given(ps=st.lists(valid_people(on=ON), max_size=12), campaign=st.sampled_from([None, HUNG_YEN]))
def test_screen_is_check_on_each_person_sorted_by_ranking_key(
    ps: list[Person], campaign: Campaign | None
) -> None:
    s = screen(ps, CARD, on=ON, campaign=campaign, law=LAW)
    each = sorted((check(p, CARD, on=ON, campaign=campaign, law=LAW) for p in ps), key=ranking_key)
    assert list(s.eligible) == [d for d in each if d.eligible]
    assert list(s.ineligible) == [d for d in each if not d.eligible]
