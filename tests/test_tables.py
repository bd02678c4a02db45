"""Results as tables: screenings, allocations, reports and rosters to Arrow and pandas; the
Vietnamese roster goes straight to ansinh.bulk."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pytest

import ansinh
from ansinh.bulk import screen_table
from ansinh.core.tables import PERSON_COLUMNS
from ansinh.exceptions import InvalidValueError
from ansinh.io.roster import Roster, load_roster
from ansinh.io.run import CampaignRun, run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
ON = dt.date(2026, 1, 5)


@pytest.fixture(scope="module")
def roster() -> Roster:
    return load_roster(EXAMPLE / "roster.csv")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CampaignRun:
    return run_campaign(EXAMPLE, out=tmp_path_factory.mktemp("run"), plugins=False)


def test_the_vietnamese_roster_goes_to_bulk_and_decides_the_same(roster: Roster) -> None:
    card = ansinh.HealthCard(months=12)
    table = roster.to_arrow()
    assert table.column_names == list(PERSON_COLUMNS)
    assert table.num_rows == len(roster.people)
    bulk = screen_table(table, card, on=ON, plugins=False)
    one_by_one = {d.person.id: d for d in ansinh.screen(roster.people, card, on=ON, plugins=False).decisions}
    for person_id, eligible, reasons in zip(
        bulk.column("id").to_pylist(),
        bulk.column("eligible").to_pylist(),
        bulk.column("reasons").to_pylist(),
        strict=True,
    ):
        assert eligible == one_by_one[person_id].eligible
        assert reasons == ";".join(one_by_one[person_id].codes)


def test_roster_tables_mask_identifiers(roster: Roster) -> None:
    frame = roster.to_pandas()
    assert list(frame.columns) == list(PERSON_COLUMNS)
    shown = " ".join(str(v) for v in frame["cccd"].tolist() + frame["social_insurance_number"].tolist())
    assert re.search(r"\d{9}", shown) is None
    assert any("*" in str(v) for v in frame["cccd"])


def test_screening_table(roster: Roster) -> None:
    screening = ansinh.screen(roster.people, ansinh.SocialBook(months=12), on=ON, plugins=False)
    frame = screening.to_pandas()
    assert len(frame) == len(screening)
    assert int(frame["eligible"].sum()) == len(screening.eligible)
    assert frame["person_id"].tolist() == [d.person.id for d in screening.decisions]
    empty = ansinh.screen([], ansinh.SocialBook(months=12), on=ON, plugins=False)
    assert empty.to_arrow().column_names == list(type(empty).TABLE_COLUMNS)
    assert empty.to_arrow().num_rows == 0


def test_allocation_and_report_tables(run: CampaignRun) -> None:
    gifts = run.allocation.to_arrow()
    assert gifts.num_rows == len(run.allocation.gifts)
    assert sum(gifts.column("amount").to_pylist()) == sum(g.amount for g in run.allocation.gifts)
    rows = run.report.to_pandas()
    assert len(rows) == len(run.report.rows)
    by_province = rows[rows["dimension"] == "province"]
    assert int(by_province["value"].sum()) == run.report.value


def test_a_missing_library_is_named(roster: Roster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "polars", None)  # as if not installed
    with pytest.raises(InvalidValueError, match="polars"):
        roster.to_polars()
