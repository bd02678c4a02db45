"""Pricing invariants (Hypothesis) and the behaviour of quotes."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core import pricing
from ansinh.core.law import RateTable, SourceStatus
from ansinh.core.people import rate_groups
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind

LAW = ansinh.default_law()
DATES = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2030, 12, 31))
CATEGORIES = st.frozensets(st.sampled_from(list(ansinh.Category)), max_size=4)


@st.composite
def people(draw: st.DrawFn) -> ansinh.Person:
    return ansinh.Person(
        id=draw(st.from_regex(r"[A-Z]{2}-[0-9]{1,5}", fullmatch=True)),
        full_name="Nguyễn Văn An",
        date_of_birth=draw(st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2015, 12, 31))),
        province=draw(st.sampled_from(["01", "33", "56", "79", "92"])),
        categories=draw(CATEGORIES),
        vsi_supported_months=draw(st.integers(min_value=0, max_value=130)),
    )


@st.composite
def books(draw: st.DrawFn, on: dt.date) -> ansinh.SocialBook:
    floor = LAW.amount("vsi_income_floor", on=on)
    ceiling = LAW.amount("vsi_income_ceiling", on=on)
    steps = (ceiling - floor) // 50_000
    income = draw(st.none() | st.integers(min_value=0, max_value=steps).map(lambda k: floor + k * 50_000))
    return ansinh.SocialBook(months=draw(st.sampled_from([1, 3, 6, 12])), monthly_income=income)


CARDS = st.builds(
    ansinh.HealthCard,
    months=st.sampled_from([3, 6, 12]),
    household_rank=st.integers(min_value=1, max_value=8),
)


def _quote(data: st.DataObject) -> ansinh.Quote:
    on = data.draw(DATES)
    person = data.draw(st.none() | people())
    product: ansinh.Product = data.draw(CARDS | books(on))
    return ansinh.price(product, person, on=on)


@given(st.data())
def test_amounts_add_up_and_stay_in_range(data: st.DataObject) -> None:
    q = _quote(data)
    assert q.payable + q.state_support + q.local_support == q.gross
    assert 0 <= q.payable <= q.gross
    assert q.monthly_payable + q.monthly_state_support + q.monthly_local_support == q.monthly_gross
    assert q.gross == q.monthly_gross * q.months
    assert all(isinstance(a, int) for a in (q.gross, q.state_support, q.local_support, q.payable))
    assert q.line("payable").value == q.payable


@given(on=DATES, months=st.sampled_from([3, 6, 12]), rank=st.integers(min_value=1, max_value=9))
def test_later_household_members_never_pay_more(on: dt.date, months: int, rank: int) -> None:
    this = ansinh.price(ansinh.HealthCard(months=months, household_rank=rank), on=on)
    nxt = ansinh.price(ansinh.HealthCard(months=months, household_rank=rank + 1), on=on)
    assert nxt.payable <= this.payable


@given(on=DATES, person=st.none() | people(), rank=st.integers(min_value=1, max_value=6))
def test_cards_are_linear_in_months(on: dt.date, person: ansinh.Person | None, rank: int) -> None:
    q = {m: ansinh.price(ansinh.HealthCard(months=m, household_rank=rank), person, on=on) for m in (3, 6, 12)}
    for m in (6, 12):
        assert q[m].gross == q[3].gross * m // 3
        assert q[m].payable == q[3].payable * m // 3


@given(data=st.data(), on=DATES)
def test_books_are_linear_in_months_while_supported(data: st.DataObject, on: dt.date) -> None:
    cats = data.draw(CATEGORIES)
    p = ansinh.Person(
        id="X", full_name="Lò Thị Mai", date_of_birth=dt.date(1990, 1, 1), province="01", categories=cats
    )
    one = ansinh.price(ansinh.SocialBook(months=1), p, on=on)
    for m in (3, 6, 12):
        q = ansinh.price(ansinh.SocialBook(months=m), p, on=on)
        assert (q.gross, q.state_support, q.payable) == (
            one.gross * m,
            one.state_support * m,
            one.payable * m,
        )


@given(data=st.data(), on=DATES)
def test_same_law_period_same_price(data: st.DataObject, on: dt.date) -> None:
    start, end = LAW.period_bounds(on)
    lo = start or dt.date(2019, 1, 1)
    hi = end or dt.date(2030, 12, 31)
    other = data.draw(
        st.dates(min_value=max(lo, dt.date(2019, 1, 1)), max_value=min(hi, dt.date(2030, 12, 31)))
    )
    person = data.draw(st.none() | people())
    product: ansinh.Product = data.draw(CARDS | books(on))
    a = ansinh.price(product, person, on=on)
    b = ansinh.price(product, person, on=other)
    assert (a.gross, a.state_support, a.local_support, a.payable) == (
        b.gross,
        b.state_support,
        b.local_support,
        b.payable,
    )


@given(used=st.integers(min_value=0, max_value=200), months=st.sampled_from([1, 3, 6, 12]))
def test_state_support_stops_after_120_months(used: int, months: int) -> None:
    p = ansinh.Person(
        id="X",
        full_name="Phạm Văn Bình",
        date_of_birth=dt.date(1980, 1, 1),
        province="01",
        categories={ansinh.Category.POOR},
        vsi_supported_months=used,
    )
    q = pricing.price(ansinh.SocialBook(months=months), p, on=dt.date(2026, 1, 1), law=LAW)
    supported = max(0, min(months, 120 - used))
    assert q.supported_months == supported
    assert q.state_support == 165_000 * supported
    assert q.payable == 330_000 * months - 165_000 * supported


HANOI_VSI = LocalSupport(
    code="test-hanoi",
    province="01",
    product=ProductKind.SOCIAL_BOOK,
    effective=dt.date(2026, 1, 1),
    until=None,
    rates=RateTable((("poor", Fraction(1, 2)), ("near_poor", Fraction(3, 5)), ("other", Fraction(1, 10)))),
    citation=ansinh.Citation("Nghị quyết HĐND TP Hà Nội 09/07/2025"),
    status=SourceStatus.UNCONFIRMED,
    label_vi="TP Hà Nội",
    label_en="Hà Nội",
)
GENEROUS_CARD = LocalSupport(
    code="test-card",
    province="79",
    product=ProductKind.HEALTH_CARD,
    effective=dt.date(2019, 1, 1),
    until=None,
    rates=RateTable((("near_poor", Fraction(1)), ("other", Fraction(1, 4)))),
    citation=ansinh.Citation("test"),
    status=SourceStatus.UNCONFIRMED,
    label_vi="thử",
    label_en="test",
)


def test_local_support_hanoi_others() -> None:
    p = ansinh.Person(id="X", full_name="Đỗ Văn C", date_of_birth=dt.date(1980, 1, 1), province="01")
    q = pricing.price(
        ansinh.SocialBook(months=1), p, on=dt.date(2026, 3, 1), local_supports=(HANOI_VSI,), law=LAW
    )
    assert (q.monthly_state_support, q.monthly_local_support, q.monthly_payable) == (66_000, 33_000, 231_000)
    near_poor = ansinh.Person(
        id="Y",
        full_name="Đỗ Thị D",
        date_of_birth=dt.date(1980, 1, 1),
        province="01",
        categories={ansinh.Category.NEAR_POOR},
    )
    q2 = pricing.price(
        ansinh.SocialBook(months=12), near_poor, on=dt.date(2026, 3, 1), local_supports=(HANOI_VSI,), law=LAW
    )
    assert q2.payable == 0
    # Outside the province or before the programme: no local support.
    elsewhere = pricing.price(
        ansinh.SocialBook(months=1), p, on=dt.date(2025, 12, 31), local_supports=(HANOI_VSI,), law=LAW
    )
    assert elsewhere.local_support == 0


@given(data=st.data())
def test_state_and_local_support_never_exceed_the_contribution(data: st.DataObject) -> None:
    on = data.draw(st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)))
    person = data.draw(people())
    product: ansinh.Product = data.draw(CARDS | books(on))
    q = pricing.price(product, person, on=on, local_supports=(HANOI_VSI, GENEROUS_CARD), law=LAW)
    assert q.state_support + q.local_support <= q.gross
    assert q.monthly_state_support + q.monthly_local_support <= q.monthly_gross
    assert q.payable >= 0


def test_bad_products_are_named() -> None:
    with pytest.raises(ansinh.InvalidProductError, match=r"months=4 is not allowed: one of 3, 6, 12"):
        ansinh.price(ansinh.HealthCard(months=4), on=dt.date(2025, 1, 1))
    with pytest.raises(ansinh.InvalidProductError, match="monthly_income=1520000"):
        ansinh.price(ansinh.SocialBook(months=1, monthly_income=1_520_000), on=dt.date(2025, 1, 1))
    with pytest.raises(ansinh.InvalidProductError, match="monthly_income=1400000"):
        ansinh.price(ansinh.SocialBook(months=1, monthly_income=1_400_000), on=dt.date(2025, 1, 1))
    with pytest.raises(ansinh.InvalidProductError, match="months"):
        ansinh.HealthCard(months=0)
    with pytest.raises(ansinh.InvalidProductError, match="household_rank"):
        ansinh.HealthCard(months=12, household_rank=0)
    with pytest.raises(ansinh.InvalidValueError, match="on"):
        ansinh.price(ansinh.HealthCard(months=12), on="2025-01-01")  # type: ignore[arg-type]
    with pytest.raises(ansinh.InvalidValueError, match="product"):
        ansinh.price("card", on=dt.date(2025, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ansinh.NotInForceError):
        ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2010, 1, 1))


@pytest.mark.parametrize(
    "make",
    [
        lambda: ansinh.HealthCard(months=12.0),  # type: ignore[arg-type]
        lambda: ansinh.HealthCard(months=12, household_rank=1.0),  # type: ignore[arg-type]
        lambda: ansinh.SocialBook(months=12, monthly_income=1_500_000.0),  # type: ignore[arg-type]
        lambda: ansinh.TetGift(value=500_000.0),  # type: ignore[arg-type]
        lambda: RateTable((("poor", 0.5),)),  # type: ignore[arg-type]
    ],
)
def test_floats_are_rejected_where_money_enters(make: object) -> None:
    assert callable(make)
    with pytest.raises(ansinh.AnsinhError):
        make()


def test_tet_gift_is_priced_at_its_value() -> None:
    q = ansinh.price(ansinh.TetGift(value=600_000), on=dt.date(2026, 2, 1))
    assert (q.gross, q.state_support, q.payable, q.group) == (600_000, 0, 600_000, "gift")


def test_explain_cites_every_legal_line() -> None:
    p = ansinh.Person(
        id="X",
        full_name="Hà Văn E",
        date_of_birth=dt.date(1980, 1, 1),
        province="01",
        categories={ansinh.Category.NEAR_POOR},
    )
    q = ansinh.price(ansinh.HealthCard(months=12), p, on=dt.date(2025, 9, 1))
    vi = q.explain()
    en = q.explain("en")
    assert "Nghị định 188/2025/NĐ-CP" in vi
    assert "379.080 đ" in vi
    assert "VND 379,080" in en
    assert "Payable by the donor" in en
    # Every line that rests on a legal parameter carries its citation.
    for line in q.lines:
        if line.code in ("base_salary", "bhyt_rate", "monthly_state_support"):
            assert line.citation is not None
    # Unconfirmed sources are flagged in the text.
    q2 = ansinh.price(ansinh.SocialBook(months=1), on=dt.date(2027, 1, 1))
    assert "<derived>" in q2.explain()


def test_quote_repr_and_person_masking() -> None:
    p = ansinh.Person(
        id="X", full_name="Hà Văn E", date_of_birth=dt.date(1980, 1, 1), province="01", cccd="001080012345"
    )
    assert "001080012345" not in repr(p)
    assert p.masked_cccd == "0010******45"
    q = ansinh.price(ansinh.HealthCard(months=3), p, on=dt.date(2025, 1, 1))
    assert "001080012345" not in repr(q)
    # A quote names no person: everyone of the same price class shares one.
    other = attrs.evolve(p, id="Y", full_name="Lê Thị F", cccd=None)
    assert ansinh.price(ansinh.HealthCard(months=3), other, on=dt.date(2025, 1, 1)) is q


@given(on=DATES, categories=CATEGORIES, rank=st.integers(min_value=1, max_value=12))
def test_card_rule_helpers_are_what_price_uses(
    on: dt.date, categories: frozenset[ansinh.Category], rank: int
) -> None:
    """card_support_group and card_monthly give the quote's group and monthly figures."""
    period = LAW.at(on)
    person = ansinh.Person(
        id="X-1", full_name="X", date_of_birth=dt.date(1980, 1, 1), province="33", categories=categories
    )
    q = ansinh.price(ansinh.HealthCard(months=12, household_rank=rank), person, on=on)
    support = pricing.card_support_group(period, categories)
    assert q.group == (pricing.HOUSEHOLD_GROUP if support is None else support[0])
    assert pricing.card_monthly(period, support, rank) == (q.monthly_gross, q.monthly_state_support)
    if support is not None:  # the group's share is the highest any of the person's groups has
        groups = {c.value for c in rate_groups(categories)}
        tables = pricing.card_support_tables(period)
        shares = [s for _, entry in tables for k, s in entry.rates() if k in groups]
        assert support[1] == max(shares)


@given(on=DATES, rank=st.integers(min_value=1, max_value=40))
def test_household_factor_is_constant_from_the_rank_limit(on: dt.date, rank: int) -> None:
    period = LAW.at(on)
    limit = pricing.household_rank_limit(period)
    assert limit >= 2
    factor = pricing.household_factor(period, rank)
    if rank >= limit:
        assert factor == pricing.household_factor(period, limit)
    assert factor <= pricing.household_factor(period, 1)


def test_household_rank_limit_follows_the_table() -> None:
    day = dt.date(2030, 1, 1)
    table = RateTable((*((str(k), Fraction(1, k)) for k in range(1, 10)), ("10+", Fraction(1, 20))))
    law = LAW.amend("bhyt_household_factors", table, effective=day, source="test scenario")
    period = law.at(day)
    assert pricing.household_rank_limit(period) == 10
    assert pricing.household_factor(period, 9) == Fraction(1, 9)
    assert pricing.household_factor(period, 10) == pricing.household_factor(period, 99) == Fraction(1, 20)


@given(on=DATES, categories=CATEGORIES, used=st.integers(min_value=0, max_value=130))
def test_book_rule_helpers_are_what_price_uses(
    on: dt.date, categories: frozenset[ansinh.Category], used: int
) -> None:
    period = LAW.at(on)
    person = ansinh.Person(
        id="X-1",
        full_name="X",
        date_of_birth=dt.date(1980, 1, 1),
        province="33",
        categories=categories,
        vsi_supported_months=used,
    )
    q = ansinh.price(ansinh.SocialBook(months=12), person, on=on)
    group, share = pricing.book_support_group(period, categories)
    assert q.group == group
    state, base = pricing.book_monthly_support(period, share)
    assert state == q.monthly_state_support
    assert base == q.monthly_gross  # at the floor income, the contribution is the top-ups' base
    assert pricing.support_groups(categories)[-1] == pricing.OTHER_GROUP
