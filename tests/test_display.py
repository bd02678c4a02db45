"""Notebook displays: short reprs and bounded, escaped HTML for quotes, decisions, screenings,
allocations, reports, laws and campaign runs."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.display import MAX_ROWS, Section, html_summary, shorten
from ansinh.io.roster import load_roster
from ansinh.io.run import CampaignRun, run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
ON = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CampaignRun:
    """The shipped 76-person example campaign, run once."""
    return run_campaign(EXAMPLE, out=tmp_path_factory.mktemp("run"), plugins=False)


def test_the_example_campaign_prints_short(run: CampaignRun) -> None:
    # the default attrs repr of these printed about 170,000 characters
    for value in (run, run.report, run.allocation):
        assert len(repr(value)) < 400
    rep = run.report
    gifts = sum(n for _kind, n in rep.gifts)
    assert repr(rep).startswith(
        f"CampaignReport('BN2026' on 2026-01-31: {gifts} gifts for {rep.people_covered} people"
    )
    worth = sum(g.amount for g in run.allocation.gifts)
    assert f"{len(run.allocation.gifts)} gifts worth {worth}" in repr(run.allocation)


def test_the_example_campaign_displays_in_bounded_html(run: CampaignRun) -> None:
    page = run._repr_html_()
    assert len(page) < 40_000
    assert page.count("<details") >= 5
    assert f"… {len(run.allocation.gifts) - MAX_ROWS} more not shown" in page
    assert html.escape(run.report.summary_en()) in page
    assert "by province" in run.report._repr_html_()


def test_a_screening_prints_counts_and_shows_its_people_escaped() -> None:
    roster = load_roster(EXAMPLE / "roster.csv")
    people = list(roster.people)
    people[0] = attrs.evolve(people[0], full_name="<script>alert(1)</script>")
    screening = ansinh.screen(people, ansinh.HealthCard(months=12), on=ON, plugins=False)
    text = repr(screening)
    assert text.startswith(f"Screening(health_card on 2026-01-05: {len(screening.eligible)} eligible, ")
    assert "most frequent reasons: " in text
    assert len(text) < 300
    page = screening._repr_html_()
    assert "<script>" not in page
    decision = next(d for d in screening.decisions if d.person.id == people[0].id)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in decision._repr_html_()
    assert len(page) < 30_000


def test_quote_and_decision() -> None:
    quote = ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1))
    assert repr(quote) == (
        "Quote(HealthCard(months=12, household_rank=1), on=2025-01-01, group='household', gross=1263600, "
        "state_support=0, local_support=0, payable=1263600, 8 lines)"
    )
    assert "1.263.600 đ" in quote._repr_html_()
    person = load_roster(EXAMPLE / "roster.csv").people[0]
    decision = ansinh.check(person, ansinh.HealthCard(months=12), on=ON, plugins=False)
    assert repr(decision).startswith(f"Decision(person={person.id!r}, health_card on 2026-01-05: ")
    assert decision.codes[0] in repr(decision)
    assert "<details open><summary>reasons" in decision._repr_html_()
    assert person.cccd is None or person.cccd not in repr(decision) + decision._repr_html_()


def test_law_and_scenario() -> None:
    law = ansinh.default_law()
    assert repr(law).startswith(f"Law('ansinh', {len(law.parameters)} parameters, 0 amendments, changes ")
    scenario = law.amend("base_salary", 2_800_000, effective=dt.date(2027, 1, 1), source="what if")
    assert "1 amendments" in repr(scenario)
    assert "<details open><summary>amendments (1)" in scenario._repr_html_()


def test_sections_show_at_most_max_rows() -> None:
    rows = [(str(i),) for i in range(MAX_ROWS + 5)]
    page = Section("many", ("n",), rows).html()
    assert page.count("<tr>") == MAX_ROWS + 1
    assert "… 5 more not shown" in page
    assert "(25)" in page
    assert html_summary("t", [], [Section("empty", ("n",), [])]).count("<details") == 0


@given(st.text(), st.text())
def test_every_text_is_escaped(key: str, value: str) -> None:
    page = html_summary("title", [(key, value)], [Section(key, (key,), [(value,)])])
    assert html.escape(value) in page
    assert page.count("<") == html_summary("title", [("k", "v")], [Section("k", ("k",), [("v",)])]).count("<")


def test_shorten() -> None:
    assert shorten("abc", 3) == "abc"
    assert shorten("abcd", 3) == "ab…"
