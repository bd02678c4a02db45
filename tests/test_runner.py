"""The shipped example campaign, run end to end into a temporary folder."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ansinh.core.campaign import GiftStatus
from ansinh.core.people import Person
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError, InvariantViolation
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.store import SqliteStore, read_jsonl
from ansinh.runner import run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"


def test_the_example_folder_reads_with_its_bad_rows_listed() -> None:
    data = read_campaign_folder(EXAMPLE)
    assert data.campaign.plan_reference == "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"
    assert data.campaign.province is None
    assert data.settings.purchase_date == dt.date(2026, 1, 5)
    kinds = {s.kind.value for s in data.sponsors}
    assert kinds >= {"enterprise", "bank", "religious", "sector_staff", "individual", "organisation"}
    assert any(p.earmark is not None and p.earmark.kind.value == "workers_relatives" for p in data.pledges)
    assert any(p.earmark is not None and p.earmark.kind.value == "members" for p in data.pledges)
    assert len({p.province for p in data.pledges if p.province}) >= 4
    bad = {(name, row.column) for name, row in data.rejected}
    assert ("sponsors.csv", "Loại") in bad
    assert ("pledges.csv", "Số tiền") in bad
    assert ("pledges.csv", "Mã nhà tài trợ") in bad
    assert len(data.roster.people) >= 60
    assert data.roster.rejected
    assert data.affiliation_map()["33-001"] == frozenset({"DN-HY-01"})


def test_run_the_example_end_to_end(tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    run = run_campaign(EXAMPLE, out=tmp_path / "build", progress=lambda s, d, t: steps.append((s, d, t)))
    r = run.report
    # every money figure adds up, from the ledger alone
    assert r.leftover == r.received - r.spent >= 0
    assert r.value == sum(row.value for row in r.rows_for("province"))
    assert r.count(ProductKind.HEALTH_CARD) > 20
    assert r.count(ProductKind.SOCIAL_BOOK) == 3  # the bank's three books
    assert r.count(ProductKind.TET_GIFT) >= 1
    assert len(r.provinces) >= 4
    assert r.expiring  # the 3-month cards of pledge P06
    # the workplace earmark reached only the enterprise's workers' relatives
    with SqliteStore(run.store) as store:
        state = store.state
        assert len(store) == len(read_jsonl(run.events_file))
    for gift in state.gifts:
        if gift.pledge_id == "P01":
            assert gift.beneficiary.affiliations >= {"DN-HY-01"}
            assert gift.province == "33"
        assert gift.reason
    assert {g.status for g in state.gifts} <= {GiftStatus.DELIVERED, GiftStatus.ALLOCATED}
    # the summary sentence and the files
    assert run.summary_vi.startswith("Chương trình “Tặng thẻ BHYT cho người có hoàn cảnh khó khăn")
    assert "đã trao tặng" in run.summary_vi
    assert "tổng giá trị" in run.summary_vi
    assert run.summary_en
    assert all(p.exists() for p in run.files.all)
    assert run.rejected
    assert run.duplicates >= 1
    assert {s for s, _, _ in steps} == {"read", "screen", "record", "allocate", "pay", "report"}
    assert steps[-1] == ("report", 1, 1)
    screened = {k: (e, i) for k, e, i in run.screened}
    assert screened[ProductKind.HEALTH_CARD][1] > 0  # poor households and insured people are screened out


def test_running_again_changes_nothing(tmp_path: Path) -> None:
    first = run_campaign(EXAMPLE, out=tmp_path)
    second = run_campaign(EXAMPLE, out=tmp_path)
    assert first.new_events > 0
    assert second.new_events == 0
    assert second.allocation.gifts == ()
    assert second.report == first.report


def test_changed_files_the_ledger_cannot_take_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    run_campaign(folder, out=tmp_path / "out")
    pledges = folder / "pledges.csv"
    pledges.write_text(
        pledges.read_text(encoding="utf-8").replace("P02,DN-HP-02,,,,8.000.000", "P02,DN-HP-02,,,,9.000.000"),
        encoding="utf-8",
    )
    with pytest.raises(InvariantViolation, match="reg:P02"):
        run_campaign(folder, out=tmp_path / "out")
    # a fresh output folder takes the new files
    assert run_campaign(folder, out=tmp_path / "out2").report.pledged_money > 0


def test_plugin_contributions_arrive_as_plain_arguments(tmp_path: Path) -> None:
    def favour_hai_phong(person: Person) -> tuple[tuple[str, int], ...]:
        return (("HAI_PHONG_FIRST", 100),) if person.province == "31" else ()

    plain = run_campaign(EXAMPLE, out=tmp_path / "plain")
    favoured = run_campaign(EXAMPLE, out=tmp_path / "favoured", extra_priority=favour_hai_phong)

    def hai_phong(path: Path) -> list[str]:
        with SqliteStore(path) as store:
            return [g.reason for g in store.state.gifts if g.province == "31"]

    assert all("HAI_PHONG_FIRST +100" in reason for reason in hai_phong(favoured.store))
    assert len(hai_phong(favoured.store)) >= len(hai_phong(plain.store))


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="campaign folder"):
        run_campaign(tmp_path / "nowhere")
