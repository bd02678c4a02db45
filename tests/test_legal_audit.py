"""The legal audit of 2026-12 (facts.md, "Audit of 2026-12"): each fix in đồng, on the day
before and the day of every date that changes the amount."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ansinh.core.law import SourceStatus
from ansinh.core.people import Category, Person
from ansinh.core.pricing import (
    LocalSupport,
    book_monthly_support,
    book_support_group,
    card_payment_months,
    price,
)
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import InvalidProductError, NotInForceError
from ansinh.io.store import SqliteStore
from ansinh.plugins.local_support import shipped_local_supports
from ansinh.testing import sample_person

LAW = default_law()
D = dt.date


# -- voluntary-SI state support began on 2018-01-01 (A2) ---------------------------------------


@pytest.mark.parametrize(
    ("day", "poor", "near_poor", "other"),
    [
        (D(2017, 12, 31), 0, 0, 0),  # Decree 134 applied from 2016, its support from 2018
        (D(2018, 1, 1), 46_200, 38_500, 15_400),  # 30 / 25 / 10 % of 22 % × 700,000
        (D(2025, 6, 30), 99_000, 82_500, 33_000),
        (D(2025, 7, 1), 165_000, 132_000, 66_000),
    ],
)
def test_vsi_state_support_by_date(day: dt.date, poor: int, near_poor: int, other: int) -> None:
    period = LAW.at(day)
    got = [
        book_monthly_support(period, book_support_group(period, {c})[1])[0]
        for c in (Category.POOR, Category.NEAR_POOR, Category.FREE_WORKER)
    ]
    assert got == [poor, near_poor, other]


def test_books_before_2018_07_01_are_out_of_range() -> None:
    """No sourced base salary before 2018-07-01, so no ceiling: the law says where it stops."""
    poor = sample_person(categories={Category.POOR})
    with pytest.raises(NotInForceError, match=r"vsi_income_ceiling.*2018-07-01"):
        price(SocialBook(months=1), poor, on=D(2018, 6, 30), law=LAW)
    q = price(SocialBook(months=1), poor, on=D(2018, 7, 1), law=LAW)
    assert (q.gross, q.state_support, q.payable) == (154_000, 46_200, 107_800)


def test_the_2016_2017_entry_says_no_support_and_cites_the_start() -> None:
    entry = LAW.lookup("vsi_state_support", on=D(2017, 12, 31))
    assert entry.status is SourceStatus.DERIVED
    assert "20201109203939492" in entry.citation.url
    assert LAW.lookup("vsi_state_support", on=D(2018, 1, 1)).effective == D(2018, 1, 1)


# -- student cards: 3, 6, 9 or 12 months before Decree 188 (A5) ------------------------------


def test_student_card_of_nine_months_until_decree_188() -> None:
    student = sample_person(categories={Category.STUDENT})
    q = price(HealthCard(months=9), student, on=D(2025, 6, 30), law=LAW)
    # 4.5 % × 2,340,000 = 105,300 a month, the state 30 %: 73,710 a month for 9 months
    assert (q.gross, q.state_support, q.payable) == (947_700, 284_310, 663_390)
    with pytest.raises(InvalidProductError, match=r"months.*3, 6, 12.*Điều 7 khoản 6"):
        price(HealthCard(months=9), student, on=D(2025, 7, 1), law=LAW)
    year = price(HealthCard(months=12), student, on=D(2025, 7, 1), law=LAW)
    assert year.payable == 631_800  # the published 2025 student year


def test_nine_months_is_only_for_students() -> None:
    with pytest.raises(InvalidProductError, match="months"):
        price(HealthCard(months=9), sample_person(), on=D(2025, 6, 30), law=LAW)
    near_poor_student = sample_person(categories={Category.STUDENT, Category.NEAR_POOR})
    with pytest.raises(InvalidProductError, match="months"):  # priced in the near-poor group
        price(HealthCard(months=9), near_poor_student, on=D(2025, 6, 30), law=LAW)


def test_first_year_student_card_of_three_or_fifteen_months_until_decree_188() -> None:
    student = sample_person(categories={Category.STUDENT})
    first = HealthCard(months=15, first_year=True)
    q = price(first, student, on=D(2025, 6, 30), law=LAW)
    # 105,300 a month, the state 30 %: 73,710 a month for 15 months
    assert (q.gross, q.state_support, q.payable) == (1_579_500, 473_850, 1_105_650)
    assert q.lines[0].code == "base_salary"
    assert (
        price(HealthCard(months=3, first_year=True), student, on=D(2025, 6, 30), law=LAW).payable == 221_130
    )
    with pytest.raises(InvalidProductError, match=r"months.*one of 3, 15 on 2025-06-30"):
        price(HealthCard(months=12, first_year=True), student, on=D(2025, 6, 30), law=LAW)
    with pytest.raises(InvalidProductError, match=r"months.*3, 6, 12.*Điều 7 khoản 6"):
        price(first, student, on=D(2025, 7, 1), law=LAW)  # Decree 188: as every student card
    assert (
        price(HealthCard(months=12, first_year=True), student, on=D(2025, 7, 1), law=LAW).payable == 631_800
    )
    with pytest.raises(InvalidProductError, match="months"):  # not a student: the household periods
        price(first, sample_person(), on=D(2025, 6, 30), law=LAW)
    entry = LAW.lookup("bhyt_first_year_student_payment_months", on=D(2025, 6, 30))
    assert entry.status is SourceStatus.UNCONFIRMED
    assert "binhduong" in entry.citation.url
    with pytest.raises(InvalidProductError, match="first_year"):
        HealthCard(months=3, first_year="yes")  # type: ignore[arg-type]
    assert repr(first) == "HealthCard(months=15, household_rank=1, first_year=True)"


def test_card_payment_months_reads_the_law() -> None:
    assert card_payment_months(LAW.at(D(2025, 6, 30)), "student")[1] == (3, 6, 9, 12)
    assert card_payment_months(LAW.at(D(2025, 7, 1)), "student")[1] == (3, 6, 12)
    assert card_payment_months(LAW.at(D(2025, 6, 30)), "near_poor")[1] == (3, 6, 12)
    without = type(LAW)(tuple(p for p in LAW.parameters if p.name != "bhyt_student_payment_months"))
    assert card_payment_months(without.at(D(2025, 6, 30)), "student") == ("bhyt_payment_months", (3, 6, 12))


# -- a category maps to every group it belongs to (A2) ------------------------------------------


@pytest.mark.parametrize(
    ("day", "state", "group"),
    [
        (D(2025, 6, 30), 33_000, "other"),  # Decree 134 had no ethnic-minority group
        (D(2025, 7, 1), 99_000, "ethnic_minority"),  # Decree 159 Art. 5: 30 %
    ],
)
def test_ethnic_minority_in_a_difficult_area_gets_the_ethnic_minority_rate(
    day: dt.date, state: int, group: str
) -> None:
    person = sample_person(categories={Category.ETHNIC_MINORITY_DIFFICULT_AREA})
    q = price(SocialBook(months=1), person, on=day, law=LAW)
    assert (q.group, q.state_support, q.payable) == (group, state, 330_000 - state)


# -- citation notes (A3, A4, A11) -----------------------------------------------------------------


def test_citations_name_the_right_articles() -> None:
    factors = LAW.lookup("bhyt_household_factors", on=D(2025, 7, 1))
    assert "105/2014" in factors.note
    assert "Art. 2.1.g" in factors.note
    assert "146" not in factors.note
    support = LAW.lookup("bhyt_state_support", on=D(2025, 7, 1))
    assert "Điều 6 khoản 6" in support.citation.article
    assert "unconfirmed" not in support.note
    assert LAW.status("bhyt_child_state_paid_age", on=D(2026, 1, 1)) is SourceStatus.CONFIRMED_2ND


# -- groups the state pays in full (A4) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "table", "status"),
    [
        (Category.ISLAND_RESIDENT, "bhyt_fully_state_paid", SourceStatus.CONFIRMED),
        (
            Category.EXTREMELY_DIFFICULT_AREA,
            "bhyt_state_paid_extremely_difficult_area",
            SourceStatus.CONFIRMED_2ND,
        ),
        (Category.MERITORIOUS, "bhyt_state_paid_meritorious", SourceStatus.UNCONFIRMED),
    ],
)
def test_state_paid_groups_are_priced_at_nothing_with_their_source(
    category: Category, table: str, status: SourceStatus
) -> None:
    q = price(HealthCard(months=12), sample_person(categories={category}), on=D(2026, 1, 1), law=LAW)
    assert (q.group, q.gross, q.state_support, q.payable) == (category.value, 1_263_600, 1_263_600, 0)
    line = q.line("monthly_state_support")
    assert line.citation == LAW.citation(table, on=D(2026, 1, 1))
    assert line.status is status


def test_social_pension_75_is_state_paid_from_2025_07_01() -> None:
    person = sample_person(categories={Category.SOCIAL_PENSION_75})
    day_before = price(HealthCard(months=12), person, on=D(2025, 6, 30), law=LAW)
    assert (day_before.group, day_before.state_support, day_before.payable) == ("household", 0, 1_263_600)
    day_of = price(HealthCard(months=12), person, on=D(2025, 7, 1), law=LAW)
    assert (day_of.group, day_of.state_support, day_of.payable) == ("social_pension_75", 1_263_600, 0)
    citation = day_of.line("monthly_state_support").citation
    assert citation is not None
    assert "12805" in citation.url


def test_the_state_paid_groups_are_refused_a_card_gift() -> None:
    from ansinh.core.eligibility import check

    for category, day in (
        (Category.ISLAND_RESIDENT, D(2026, 1, 10)),
        (Category.SOCIAL_PENSION_75, D(2025, 7, 1)),
    ):
        person = sample_person(categories={category})
        decision = check(person, HealthCard(months=12), on=day, law=LAW)
        assert "STATE_PAID_IN_FULL" in decision.codes
        assert not decision.eligible
    before = check(
        sample_person(categories={Category.SOCIAL_PENSION_75}),
        HealthCard(months=12),
        on=D(2025, 6, 30),
        law=LAW,
    )
    assert "STATE_PAID_IN_FULL" not in before.codes


# -- a gift that costs the donor nothing is not a gift (FULLY_SUPPORTED) -------------------------


def _shipped() -> tuple[LocalSupport, ...]:
    return shipped_local_supports()


def test_check_says_when_the_budgets_pay_it_all() -> None:
    from ansinh.core.eligibility import check

    poor_hanoi = sample_person(province="01", categories={Category.POOR})
    book = SocialBook(months=12)
    before = check(poor_hanoi, book, on=D(2025, 12, 31), law=LAW, local_supports=_shipped())
    assert before.eligible  # the state pays 50 %, Hà Nội nothing yet: 1,980,000 đ left
    assert "FULLY_SUPPORTED" not in before.codes
    day_of = check(poor_hanoi, book, on=D(2026, 1, 1), law=LAW, local_supports=_shipped())
    assert not day_of.eligible
    reason = next(r for r in day_of.reasons if r.code == "FULLY_SUPPORTED")
    assert reason.blocking
    assert reason.citation is not None
    assert "159/2025" in reason.citation.document  # the state's share
    assert "Hà Nội" in reason.citation.document  # the city's share
    # without the province's top-ups the core cannot know
    assert check(poor_hanoi, book, on=D(2026, 1, 1), law=LAW).eligible


def test_hcmc_near_poor_card_is_fully_supported_from_2026() -> None:
    import ansinh

    near_poor = sample_person(province="79", categories={Category.NEAR_POOR})
    card = HealthCard(months=12)
    assert "FULLY_SUPPORTED" not in ansinh.check(near_poor, card, on=D(2025, 12, 31)).codes
    decision = ansinh.check(near_poor, card, on=D(2026, 1, 1))  # the shipped plugin's top-up
    assert "FULLY_SUPPORTED" in decision.codes
    assert not decision.eligible
    assert "FULLY_SUPPORTED" not in ansinh.check(near_poor, card, on=D(2026, 1, 1), plugins=False).codes


def test_screen_does_not_rank_them_for_a_sponsor() -> None:
    import ansinh

    people = [
        sample_person(id="79-np", province="79", categories={Category.NEAR_POOR}),
        sample_person(id="33-np", province="33", categories={Category.NEAR_POOR}),
    ]
    s = ansinh.screen(people, HealthCard(months=12), on=D(2026, 1, 5))
    assert [d.person.id for d in s.eligible] == ["33-np"]
    assert [d.codes[:1] for d in s.ineligible] == [("FULLY_SUPPORTED",)]


def test_the_example_campaign_spends_no_unit_on_a_fully_supported_person(tmp_path: Path) -> None:
    from ansinh.io.run import run_campaign

    example = Path(__file__).resolve().parent.parent / "examples" / "tet-binh-ngo-2026"
    run = run_campaign(example, out=tmp_path / "build")  # with the shipped plugins (HCMC's top-up)
    with SqliteStore(run.store, local_supports=_shipped()) as store:  # the run's top-ups check the prices
        gifts = store.state.gifts
    assert gifts
    assert all(g.quote.payable > 0 for g in gifts)
    p06 = [g for g in gifts if g.pledge_id == "P06"]
    assert p06  # its two 3-month HCMC cards went to people whose card costs something
    assert all(g.quote.payable > 0 and g.province == "79" for g in p06)


def test_allocate_passes_over_a_fully_supported_candidate() -> None:
    import ansinh
    from ansinh.core.allocation import Candidate
    from ansinh.core.campaign import Pledge, Sponsor
    from ansinh.core.ledger import Ledger, PledgeRegistered
    from ansinh.testing import sample_campaign

    ledger = Ledger(sample_campaign(), law=LAW)
    ledger.append(
        PledgeRegistered(
            event_id="e1",
            on=D(2025, 11, 1),
            sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
            pledge=Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 2),), province="79"),
        )
    )
    free = sample_person(id="79-free", province="79", categories={Category.NEAR_POOR})
    paying = sample_person(id="79-pay", province="79", categories={Category.FARM_AVERAGE_INCOME})
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in (free, paying)]
    result = ansinh.allocate(ledger.state, candidates, on=D(2026, 1, 5))
    assert [g.person_id for g in result.gifts] == ["79-pay"]
    assert [lo.pledge_id for lo in result.leftovers] == ["P1"]  # the second unit is kept, not spent
    before = ansinh.allocate(ledger.state, candidates, on=D(2025, 12, 31))
    assert sorted(g.person_id for g in before.gifts) == ["79-free", "79-pay"]


def test_bulk_screening_settles_fully_supported_rows_with_the_core_rule() -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("numpy")
    from ansinh.bulk import screen_table
    from ansinh.core.eligibility import check

    law = LAW.amend(
        "vsi_state_support",
        {"poor": "1", "near_poor": "0.4", "other": "0.2"},
        effective=D(2026, 1, 1),
        source="x",
    )
    rows = {
        "date_of_birth": [D(1980, 1, 1), D(1980, 1, 1)],
        "province": ["33", "33"],
        "categories": ["poor", "near_poor"],
    }
    table = screen_table(rows, SocialBook(months=12), on=D(2026, 1, 5), law=law, plugins=False)
    assert table.column("reasons").to_pylist() == ["FULLY_SUPPORTED", ""]
    for i, cats in enumerate(({Category.POOR}, {Category.NEAR_POOR})):
        person = sample_person(province="33", categories=cats, date_of_birth=D(1980, 1, 1))
        d = check(person, SocialBook(months=12), on=D(2026, 1, 5), law=law)
        assert table.column("eligible")[i].as_py() is d.eligible
        assert ";".join(d.codes) == table.column("reasons")[i].as_py()


# -- programmes found by the audit, shipped with their statuses (A7) -----------------------------


def _with_plugins(product: HealthCard | SocialBook, who: Person, day: dt.date) -> tuple[int, int, int]:
    import ansinh

    q = ansinh.price(product, who, on=day)
    return q.state_support, q.local_support, q.payable


def _who(province: str, *cats: Category, **address: str) -> Person:
    return Person(
        id="x",
        full_name="x",
        date_of_birth=D(1980, 1, 1),
        province=province,
        categories=set(cats),
        **address,  # type: ignore[arg-type]
    )


def test_hcmc_students_from_2025_11_14() -> None:
    # Res. 56/2025 took effect on the day it was passed (kenh14.vn 2025-11-15, vneconomy.vn)
    student = _who("79", Category.STUDENT)
    assert _with_plugins(HealthCard(months=12), student, D(2025, 11, 13)) == (631_800, 0, 631_800)
    assert _with_plugins(HealthCard(months=12), student, D(2025, 11, 14)) == (631_800, 631_800, 0)


def test_hanoi_health_cards_from_2026_01_01() -> None:
    farm = _who("01", Category.FARM_AVERAGE_INCOME)
    assert _with_plugins(HealthCard(months=12), farm, D(2025, 12, 31)) == (379_080, 0, 884_520)
    assert _with_plugins(HealthCard(months=12), farm, D(2026, 1, 1)) == (379_080, 379_080, 505_440)
    out_of_poverty = _who("01", Category.JUST_ESCAPED_POVERTY)
    assert _with_plugins(HealthCard(months=12), out_of_poverty, D(2025, 12, 31)) == (0, 0, 1_263_600)
    assert _with_plugins(HealthCard(months=12), out_of_poverty, D(2026, 1, 1)) == (0, 1_263_600, 0)


def test_former_binh_dinh_near_poor_from_2023_07_24_to_the_merger() -> None:
    near_poor = _who("52", Category.NEAR_POOR, former_province="52")
    card = HealthCard(months=12)
    assert _with_plugins(card, near_poor, D(2023, 7, 23)) == (680_400, 0, 291_600)
    assert _with_plugins(card, near_poor, D(2023, 7, 24)) == (680_400, 291_600, 0)
    assert _with_plugins(card, near_poor, D(2025, 6, 30)) == (884_520, 379_080, 0)
    assert _with_plugins(card, near_poor, D(2025, 7, 1)) == (884_520, 0, 379_080)
    former_gia_lai = _who("52", Category.NEAR_POOR, former_province="64")
    assert _with_plugins(card, former_gia_lai, D(2024, 1, 1)) == (680_400, 0, 291_600)


def test_long_bien_district_voluntary_si_2022_to_2025() -> None:
    poor = _who("01", Category.POOR, district="Long Biên")
    book = SocialBook(months=1)
    assert _with_plugins(book, poor, D(2022, 7, 31)) == (99_000, 0, 231_000)
    assert _with_plugins(book, poor, D(2022, 8, 1)) == (99_000, 132_000, 99_000)
    assert _with_plugins(book, poor, D(2025, 12, 31)) == (165_000, 132_000, 33_000)
    assert _with_plugins(book, poor, D(2026, 1, 1)) == (165_000, 165_000, 0)  # the city's 2026 top-up
    elsewhere = _who("01", Category.POOR, district="Ba Đình")
    assert _with_plugins(book, elsewhere, D(2022, 8, 1)) == (99_000, 0, 231_000)
