"""Reports from the ledger alone: figures, breakdowns, renewal list, summary, files."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, GiftStatus, Pledge, Sponsor
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeAmended,
    PledgeRegistered,
    PledgeWithdrawn,
)
from ansinh.core.people import Category
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook
from ansinh.core.reporting import CampaignReport, about_vnd, format_count, report
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, InvariantViolation
from ansinh.io.report_files import render_html, render_markdown, write_report
from ansinh.strategies import ledgers

LAW = default_law()

CAMPAIGN = Campaign(
    code="BN2026",
    name="Tặng thẻ BHYT cho người có hoàn cảnh khó khăn, mang Tết ấm đến với người nghèo Xuân Bính Ngọ",
    plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
    start=dt.date(2025, 10, 23),
    end=dt.date(2026, 3, 31),
)
ON = dt.date(2026, 1, 5)
HP = Beneficiary(person_id="HP-1", province="31", categories={Category.NEAR_POOR})
HY = Beneficiary(person_id="HY-1", province="33", categories={Category.STUDENT})
HY2 = Beneficiary(person_id="HY-2", province="33")


def _gift(gift_id: str, who: Beneficiary, pledge: str, product: Product, covers: dt.date = ON) -> Gift:
    quote = price(product, who, on=ON, law=LAW)
    return Gift(
        id=gift_id,
        pledge_id=pledge,
        beneficiary=who,
        product=product,
        quote=quote,
        funding=Funding.MONEY,
        covers_from=covers,
    )


def _ledger() -> Ledger:
    bank = Sponsor(id="NH", name="Ngân hàng Sông Hồng", kind="bank")
    firm = Sponsor(id="DN", name="Công ty May Phố Hiến", kind="enterprise", province="33")
    events: list[Event] = [
        PledgeRegistered(
            event_id="r1", on=ON, sponsor=bank, pledge=Pledge(id="P1", sponsor_id="NH", money=9_000_000)
        ),
        PledgeRegistered(
            event_id="r2",
            on=ON,
            sponsor=firm,
            pledge=Pledge(
                id="P2",
                sponsor_id="DN",
                money=6_000_000,
                province="33",
                strategy="workplace_drive",
                card_months=3,
            ),
        ),
        MoneyReceived(event_id="m1", on=ON, pledge_id="P1", amount=5_000_000),
        MoneyReceived(event_id="m2", on=ON, pledge_id="P2", amount=1_000_000),
        GiftAllocated(event_id="a1", on=ON, gift=_gift("g1", HP, "P1", HealthCard(months=12))),
        GiftAllocated(event_id="a2", on=ON, gift=_gift("g2", HP, "P1", SocialBook(months=12))),
        GiftAllocated(event_id="a3", on=ON, gift=_gift("g3", HY, "P2", HealthCard(months=3))),
        GiftAllocated(event_id="a4", on=ON, gift=_gift("g4", HY2, "P2", HealthCard(months=3))),
        GiftAllocated(event_id="a5", on=ON, gift=_gift("g5", HY2, "P1", SocialBook(months=12))),
        GiftPaid(event_id="p1", on=ON, gift_id="g1"),
        GiftPaid(event_id="p2", on=ON, gift_id="g2"),
        GiftPaid(event_id="p3", on=ON, gift_id="g3"),
        GiftDelivered(event_id="d1", on=dt.date(2026, 1, 20), gift_id="g1"),
        GiftDelivered(event_id="d2", on=dt.date(2026, 1, 20), gift_id="g2"),
        GiftDelivered(event_id="d3", on=dt.date(2026, 1, 20), gift_id="g3"),
        GiftCancelled(event_id="c5", on=ON, gift_id="g5"),
    ]
    return Ledger(CAMPAIGN, events=events, law=LAW)


CARD_NEAR_POOR = 379_080
BOOK_NEAR_POOR = 12 * 198_000
CARD_STUDENT_3 = 3 * 52_650
CARD_HOUSEHOLD_3 = 3 * 105_300


def test_totals_from_the_ledger_alone() -> None:
    r = report(_ledger().state, on=dt.date(2026, 1, 31), renewal_days=90)
    value = CARD_NEAR_POOR + BOOK_NEAR_POOR + CARD_STUDENT_3 + CARD_HOUSEHOLD_3
    spent = CARD_NEAR_POOR + BOOK_NEAR_POOR + CARD_STUDENT_3
    totals = r.totals()
    assert totals["pledged_money"] == 15_000_000
    assert totals["received"] == 6_000_000
    assert totals["spent"] == spent
    assert totals["leftover"] == 6_000_000 - spent
    assert totals["value"] == value
    assert totals["committed"] == value
    assert totals["uncommitted"] == 15_000_000 - value
    assert (totals["health_cards"], totals["social_books"]) == (3, 1)
    assert totals["people_covered"] == 3
    assert r.cost_per_person == round(value / 3)
    assert r.count(ProductKind.HEALTH_CARD, delivered=True) == 2
    assert dict(r.by_status) == {GiftStatus.DELIVERED: 3, GiftStatus.ALLOCATED: 1, GiftStatus.CANCELLED: 1}
    assert r.provinces == ("31", "33")


def test_breakdowns_by_every_dimension() -> None:
    r = report(_ledger().state, on=dt.date(2026, 1, 31))
    provinces = {row.key: row for row in r.rows_for("province")}
    assert provinces["31"].label == "TP Hải Phòng"
    assert (provinces["31"].health_cards, provinces["31"].social_books, provinces["31"].people) == (1, 1, 1)
    assert provinces["33"].value == CARD_STUDENT_3 + CARD_HOUSEHOLD_3
    kinds = {row.key: row for row in r.rows_for("sponsor_kind")}
    assert kinds["bank"].pledged == 9_000_000
    assert kinds["enterprise"].received == 1_000_000
    assert kinds["enterprise"].label == "doanh nghiệp"
    strategies = {row.key: row for row in r.rows_for("strategy")}
    assert strategies[""].label == "vận động trực tiếp"
    assert strategies["workplace_drive"].health_cards == 2
    assert [row.key for row in r.rows_for("year")] == ["2026"]
    assert {row.key for row in r.rows_for("product")} == {"health_card", "social_book"}
    assert sum(row.value for row in r.rows_for("pledge")) == r.value
    assert r.as_dict()["totals"] == r.totals()
    with pytest.raises(InvalidValueError, match="dimension"):
        r.rows_for("colour")


def test_renewal_list_holds_what_ends_within_the_window() -> None:
    state = _ledger().state
    r = report(state, on=dt.date(2026, 1, 31), renewal_days=90)
    assert [(x.person_id, x.valid_until) for x in r.expiring] == [
        ("HY-1", dt.date(2026, 4, 4)),
        ("HY-2", dt.date(2026, 4, 4)),
    ]
    assert r.expiring[0].days_left == 63
    assert report(state, on=dt.date(2026, 1, 31), renewal_days=30).expiring == ()


def test_summary_sentence_in_the_style_of_the_reports() -> None:
    r = report(_ledger().state, on=dt.date(2026, 1, 31), renewal_days=90)
    text = r.summary_vi()
    assert "Kế hoạch 2716/KH-BHXH ngày 23/10/2025" in text
    assert "đã trao tặng 2 thẻ BHYT và 1 sổ BHXH" in text
    assert "tại 2 tỉnh, thành phố" in text
    assert "; 1 thẻ BHYT (315,9 nghìn đồng) đã phân bổ, chưa trao." in text
    assert "Tổng số đã phân bổ, kể cả đã trao: 3 thẻ BHYT và 1 sổ BHXH" in text
    assert "cần vận động gia hạn" in text
    assert "HP-1" not in text
    assert "Delivered: 2 health-insurance cards and 1 social-insurance book, worth over VND 2.91 million" in (
        r.summary_en()
    )
    assert "allocated, not yet delivered: 1 health-insurance card (VND 315.9 thousand)" in r.summary_en()


def test_summary_with_the_figures_of_hai_phong() -> None:
    base = report(Ledger(CAMPAIGN, law=LAW).state, on=ON)
    hp = attrs.evolve(
        base,
        sponsors=195,
        received=1_612_400_000,
        gifts=((ProductKind.HEALTH_CARD, 1896), (ProductKind.SOCIAL_BOOK, 143)),
        delivered=((ProductKind.HEALTH_CARD, 1896), (ProductKind.SOCIAL_BOOK, 143)),
        delivered_value=1_611_900_000,
        value=1_611_900_000,
        people_covered=2039,
        provinces=("31",),
    )
    text = hp.summary_vi()
    assert "195 đơn vị, doanh nghiệp và cá nhân" in text
    assert "trao tặng 1.896 thẻ BHYT và 143 sổ BHXH" in text
    assert "tổng giá trị gần 1,61 tỷ đồng" in text or "tổng giá trị hơn 1,61 tỷ đồng" in text
    assert "hơn 1,61 tỷ đồng" in text


def test_amount_words() -> None:
    assert about_vnd(52_512_000_000) == "hơn 52,51 tỷ đồng"
    assert about_vnd(79_400_000_000) == "79,4 tỷ đồng"
    assert about_vnd(599_996_000) == "gần 600 triệu đồng"
    assert about_vnd(950) == "950 đ"
    assert format_count(267_000) == "267.000"


def test_a_report_on_the_last_date_does_not_overflow() -> None:
    r = report(_ledger().state, on=dt.date.max, renewal_days=3660)
    assert r.on == dt.date.max
    assert r.expiring == ()


def test_report_arguments_are_checked() -> None:
    state = _ledger().state
    with pytest.raises(InvalidValueError, match="renewal_days"):
        report(state, on=ON, renewal_days=-1)
    with pytest.raises(InvalidValueError, match="on"):
        report(state, on=dt.datetime(2026, 1, 1))
    with pytest.raises(InvalidValueError, match="state"):
        report(_ledger(), on=ON)  # type: ignore[arg-type]


def _report() -> CampaignReport:
    return report(_ledger().state, on=dt.date(2026, 1, 31), renewal_days=90)


def test_files_are_written_with_a_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    files = write_report(_report(), tmp_path / "out")
    assert files.chart is not None
    assert files.chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert all(p.exists() for p in files.all)
    assert "chart.png" in files.markdown.read_text(encoding="utf-8")
    assert '<img src="chart.png"' in files.html.read_text(encoding="utf-8")
    assert not list((tmp_path / "out").glob(".*"))


def test_files_without_matplotlib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    files = write_report(_report(), tmp_path)
    assert files.chart is None
    assert not (tmp_path / "chart.png").exists()
    with files.csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["dimension"] == "province"
    assert {r["dimension"] for r in rows} == {
        "province",
        "product",
        "sponsor_kind",
        "strategy",
        "year",
        "pledge",
    }
    assert sum(int(r["value"]) for r in rows if r["dimension"] == "province") == _report().value
    with files.renewals.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["person_id"] for r in csv.DictReader(fh)] == ["HY-1", "HY-2"]
    with files.totals.open(encoding="utf-8-sig", newline="") as fh:
        totals = dict(csv.reader(fh))
    assert totals["people_covered"] == "3"
    assert files.summary.read_text(encoding="utf-8").startswith("Đến ngày 31/01/2026, chương trình")


def test_markdown_and_html_show_every_breakdown() -> None:
    r = _report()
    md = render_markdown(r)
    assert "## Theo tỉnh, thành phố" in md
    assert "| TP Hải Phòng |" in md
    assert "## Sắp hết hạn trong 90 ngày (2)" in md
    page = render_html(attrs.evolve(r, campaign=attrs.evolve(CAMPAIGN, name="<Tết & xuân>")))
    assert "&lt;Tết &amp; xuân&gt;" in page
    assert "<script" not in page


# -- reports as of a date -------------------------------------------------------


def _truncated(ledger: Ledger, on: dt.date) -> Ledger:
    return Ledger(ledger.campaign, law=ledger.law, events=[e for e in ledger.events if e.on <= on])


def test_a_report_counts_only_the_events_dated_on_or_before_its_date() -> None:
    ledger = _ledger()
    before = report(ledger.state, on=dt.date(2026, 1, 4))
    assert (before.pledges, before.received, before.value, before.people_covered) == (0, 0, 0, 0)
    on_the_day = report(ledger.state, on=ON)
    assert on_the_day.count(ProductKind.HEALTH_CARD, delivered=True) == 0
    assert on_the_day.count(ProductKind.HEALTH_CARD) == 3
    assert on_the_day.received == 6_000_000
    handover_eve = report(ledger.state, on=dt.date(2026, 1, 19))
    handover = report(ledger.state, on=dt.date(2026, 1, 20))
    assert handover_eve.delivered_value == 0
    assert handover.delivered_value == CARD_NEAR_POOR + BOOK_NEAR_POOR + CARD_STUDENT_3
    assert handover_eve == report(_truncated(ledger, dt.date(2026, 1, 19)).state, on=dt.date(2026, 1, 19))
    assert ledger.state.as_of(dt.date(2026, 1, 19)).event_count == len(ledger) - 3


def test_the_sentence_says_the_date() -> None:
    r = report(_ledger().state, on=dt.date(2025, 12, 15))
    assert r.summary_vi().startswith("Đến ngày 15/12/2025, chương trình “Tặng thẻ BHYT")
    assert r.summary_en().startswith("As of 2025-12-15, campaign “")


def test_an_amendment_a_withdrawal_and_a_refund_count_from_their_dates() -> None:
    bank = Sponsor(id="NH", name="Ngân hàng Sông Hồng", kind="bank")
    later = dt.date(2026, 2, 1)
    events: list[Event] = [
        PledgeRegistered(
            event_id="r", on=ON, sponsor=bank, pledge=Pledge(id="P1", sponsor_id="NH", money=9_000_000)
        ),
        PledgeRegistered(
            event_id="r2", on=ON, sponsor=bank, pledge=Pledge(id="P2", sponsor_id="NH", money=1)
        ),
        MoneyReceived(event_id="m", on=ON, pledge_id="P1", amount=5_000_000),
        GiftAllocated(event_id="a", on=ON, gift=_gift("g1", HP, "P1", HealthCard(months=12))),
        GiftPaid(event_id="p", on=ON, gift_id="g1"),
        GiftRefunded(event_id="f", on=later, gift_id="g1"),
        PledgeAmended(event_id="am", on=later, pledge=Pledge(id="P1", sponsor_id="NH", money=7_000_000)),
        PledgeWithdrawn(event_id="w", on=later, pledge_id="P2"),
    ]
    ledger = Ledger(CAMPAIGN, events=events, law=LAW)
    eve = ledger.state.as_of(dt.date(2026, 1, 31))
    assert eve == _truncated(ledger, dt.date(2026, 1, 31)).state
    assert eve.pledge("P1").pledge.money == 9_000_000
    assert eve.pledge("P1").spent == CARD_NEAR_POOR
    assert not eve.pledge("P2").withdrawn
    assert eve.gift("g1").status is GiftStatus.PAID
    assert ledger.state.as_of(later) is not eve
    assert ledger.state.as_of(later) == ledger.state


@st.composite
def _dated_ledgers(draw: st.DrawFn) -> Ledger:
    """A ledger whose events were appended in date order (so every date cut is a ledger)."""
    source = draw(ledgers(max_events=14))
    ledger = Ledger(source.campaign, law=source.law)
    for event in sorted(source.events, key=lambda e: e.on):
        with contextlib.suppress(InvariantViolation):
            ledger.append(event)
    return ledger


@given(ledger=_dated_ledgers(), day=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
def test_a_report_as_of_a_date_is_the_report_of_the_ledger_cut_at_that_date(
    ledger: Ledger, day: dt.date
) -> None:
    cut = _truncated(ledger, day)
    assert ledger.state.as_of(day) == cut.state
    assert report(ledger.state, on=day) == report(cut.state, on=day)


@given(ledger=ledgers(max_events=14), day=st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31)))
def test_as_of_matches_any_cut_the_ledger_accepts(ledger: Ledger, day: dt.date) -> None:
    try:
        cut = _truncated(ledger, day)
    except InvariantViolation:  # e.g. a payment dated before the money it used arrived
        assume(False)
        raise
    assert ledger.state.as_of(day) == cut.state


def _counted_by_hand(state: LedgerState, dimension: str) -> dict[str, tuple[int, int, int, int, int]]:
    """Key -> (cards, books, Tết gifts, value, people) of the active gifts, one gift at a time."""
    pledge_of = {b.pledge.id: b for b in state.pledges}
    keys: dict[str, Callable[[Gift], str]] = {
        "province": lambda g: g.province,
        "product": lambda g: g.kind.value,
        "sponsor_kind": lambda g: pledge_of[g.pledge_id].sponsor.kind.value,
        "strategy": lambda g: pledge_of[g.pledge_id].pledge.strategy,
        "year": lambda g: str(g.purchased_on.year),
        "pledge": lambda g: g.pledge_id,
    }
    found: dict[str, tuple[int, int, int, int, set[str]]] = {}
    for g in state.gifts:
        if g.status.is_active:
            cards, books, tet, value, people = found.get(keys[dimension](g), (0, 0, 0, 0, set()))
            found[keys[dimension](g)] = (
                cards + (g.kind is ProductKind.HEALTH_CARD),
                books + (g.kind is ProductKind.SOCIAL_BOOK),
                tet + (g.kind is ProductKind.TET_GIFT),
                value + g.amount,
                people | {g.person_id},
            )
    return {k: (c, b, t, v, len(p)) for k, (c, b, t, v, p) in found.items()}


def _assert_counted_by_hand(r: CampaignReport, state: LedgerState) -> None:
    """Every breakdown of *r* (the rows with gifts) is what counting *state*'s gifts one by one gives."""
    for dimension in ("province", "product", "sponsor_kind", "strategy", "year", "pledge"):
        rows = {
            row.key: (row.health_cards, row.social_books, row.tet_gifts, row.value, row.people)
            for row in r.rows_for(dimension)
            if row.gifts
        }
        assert rows == _counted_by_hand(state, dimension)


@given(ledger=ledgers(max_events=14))
def test_breakdowns_count_each_gift_once_under_its_key(ledger: Ledger) -> None:
    """The breakdowns (counted column by column) are what counting gift by gift gives."""
    state = ledger.state
    r = report(state, on=dt.date.max)  # every event counts
    _assert_counted_by_hand(r, state)
    active = [g for g in state.gifts if g.status.is_active]
    assert r.people_covered == len({g.person_id for g in active})
    assert r.value == sum(g.amount for g in active)


def test_breakdowns_count_a_person_with_several_gifts_once_per_key() -> None:
    state = _ledger().state  # HP-1 has a card and a book of P1; HY-2 a card of P2 and a cancelled book of P1
    r = report(state, on=dt.date(2026, 1, 31))
    _assert_counted_by_hand(r, state)
    assert [(row.key, row.people) for row in r.rows_for("pledge")] == [("P1", 1), ("P2", 2)]
