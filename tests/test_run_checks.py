"""Half-done campaign runs: inputs checked before anything is written, reports all or nothing, resumable."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ansinh.core.campaign import Campaign
from ansinh.exceptions import CampaignFileError, InvariantViolation, OutputFileError
from ansinh.io import report_files
from ansinh.io.campaign_toml import RunSettings
from ansinh.io.run import run_campaign
from ansinh.io.run_checks import check_out_folder, check_settings, resumable
from ansinh.io.store import SqliteStore

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
CAMPAIGN = Campaign(code="C", name="C", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the example campaign folder."""
    return Path(shutil.copytree(EXAMPLE, tmp_path / "campaign"))


def _set(folder: Path, old: str, new: str) -> None:
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, new, 1), encoding="utf-8")


def _contents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file()}


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("purchase_date = 2026-01-05", "purchase_date = 2027-06-05", "purchase_date='2027-06-05'"),
        ("purchase_date = 2026-01-05", "purchase_date = 9999-12-20", "purchase_date='9999-12-20'"),
        ("handover_date = 2026-01-20", "handover_date = 2025-01-20", "handover_date='2025-01-20'"),
        ("card_months = 12", "card_months = 0", "card_months=0"),
        ("book_months = 12", "book_months = 61", "book_months=61"),
    ],
)
def test_a_setting_that_would_stop_the_run_late_is_refused_before_anything_is_written(
    folder: Path, old: str, new: str, key: str
) -> None:
    _set(folder, old, new)
    out = folder / "out"
    with pytest.raises(CampaignFileError, match=r"campaign.toml \[run\] " + key):
        run_campaign(folder, out=out, plugins=False)
    assert not out.exists()


@pytest.mark.parametrize(
    "text",
    ["", "Mã người,Mã thẻ BHYT\n31-001,HN1\n31-001,HN2\n", 'Mã người,Mã thẻ BHYT\n31-001,"HN1\n'],
    ids=["empty", "a person twice", "an unclosed quote"],
)
def test_a_bad_deliveries_file_is_refused_before_anything_is_written(folder: Path, text: str) -> None:
    # deliveries.csv is used when gifts are delivered, the last batch: it is read first all the same
    (folder / "deliveries.csv").write_text(text, encoding="utf-8")
    out = folder / "out"
    with pytest.raises(CampaignFileError, match=r"deliveries\.csv") as info:
        run_campaign(folder, out=out, plugins=False)
    assert "the run stopped after recording" not in str(info.value)
    assert not out.exists()


def test_pledges_the_ledger_refuses_leave_no_store(folder: Path) -> None:
    pledges = folder / "pledges.csv"
    good = pledges.read_text(encoding="utf-8")
    bad = good.replace("05/11/2025,8.000.000,20/11/2025", "05/11/2025,8.000.000,20/10/2025", 1)
    assert bad != good  # P01's money received before it was pledged
    pledges.write_text(bad, encoding="utf-8")
    out = folder / "out"
    with pytest.raises(InvariantViolation, match="P01"):
        run_campaign(folder, out=out, plugins=False)
    assert not (out / "ledger.sqlite").exists()
    # the pledge and the campaign's name corrected: a store left behind would refuse the new name
    pledges.write_text(good, encoding="utf-8")
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('name = "Tặng', 'name = "Chương trình tặng', 1))
    run = run_campaign(folder, out=out, plugins=False)
    assert run.new_events > 0
    assert run.campaign.name.startswith("Chương trình tặng")


def test_settings_within_the_campaign_pass() -> None:
    check_settings(
        CAMPAIGN, RunSettings(purchase_date=dt.date(2026, 1, 5), handover_date=dt.date(9999, 12, 31))
    )
    check_settings(CAMPAIGN, RunSettings(purchase_date=CAMPAIGN.end, tet_gift_value=0))
    with pytest.raises(CampaignFileError, match="tet_gift_value=-1"):
        check_settings(CAMPAIGN, RunSettings(purchase_date=CAMPAIGN.end, tet_gift_value=-1))


def test_an_output_folder_that_cannot_be_written_is_refused_first(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputFileError, match=r"output folder cannot be written .*nothing was written"):
        run_campaign(folder, out=blocker, plugins=False)
    with pytest.raises(OutputFileError, match="not a folder"):
        check_out_folder(blocker / "below" / "out")
    assert check_out_folder(tmp_path / "new" / "out") == tmp_path / "new" / "out"
    assert not (tmp_path / "new").exists()  # checked, not created


def _failing_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make writing the report file *name* fail as a full disk does."""
    from ansinh.io.files import write_atomic as real

    def write(path: object, data: object, **options: object) -> Path:
        if Path(str(path)).name == name:
            raise OutputFileError(f"{path}: cannot be written (No space left on device)")
        return real(path, data, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(report_files, "write_atomic", write)


@pytest.mark.parametrize("failing", ["report.csv", "report.html"])
def test_a_report_that_fails_to_write_leaves_the_old_one_and_says_how_to_finish(
    folder: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    out = folder / "out"
    _set(
        folder, "handover_date = 2026-01-20", "# handover_date = 2026-01-20"
    )  # first run: nothing handed over
    first = run_campaign(folder, out=out, plugins=False)
    with SqliteStore(out / "ledger.sqlite") as store:
        recorded = len(store)
    old = _contents(out)
    _set(folder, "# handover_date = 2026-01-20", "handover_date = 2026-01-20")  # second run: the handover
    with monkeypatch.context() as patch:
        _failing_on(failing, patch)
        with pytest.raises(OutputFileError, match="No space left on device") as caught:
            run_campaign(folder, out=out, plugins=False)
    message = str(caught.value)
    assert "stopped after recording" in message
    assert "run the same command again" in message
    assert "appends only what is missing" in message
    now = _contents(out)
    for name in ("report.csv", "totals.csv", "renewals.csv", "summary.txt", "report.md", "report.html"):
        assert now[name] == old[name], name  # the old report, untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".report-")]  # no temporary folder left
    with SqliteStore(out / "ledger.sqlite") as store:
        assert len(store) > recorded  # the ledger kept the run's events
    again = run_campaign(folder, out=out, plugins=False)  # resumed: nothing new, the report written
    assert again.new_events == 0
    assert again.report.delivered_value > first.report.delivered_value
    assert _contents(out)["totals.csv"] != old["totals.csv"]


def test_write_report_moves_every_file_into_place_or_none(
    folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = run_campaign(folder, out=tmp_path / "a", plugins=False)
    target = tmp_path / "b"
    files = report_files.write_report(run.report, target)
    assert files.folder == target
    assert all(p.parent == target and p.is_file() for p in files.all)
    before = _contents(target)
    _failing_on("report.md", monkeypatch)
    with pytest.raises(OutputFileError):
        report_files.write_report(run.report, target)
    assert _contents(target) == before
    assert sorted(p.name for p in target.iterdir()) == sorted(before)


def test_resumable_adds_advice_only_once_events_were_written(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError) as none_written, resumable(tmp_path, lambda: 0):
        raise OutputFileError("disk full")
    assert str(none_written.value) == "disk full"
    with pytest.raises(OutputFileError) as some_written, resumable(tmp_path, lambda: 7):
        raise OutputFileError("disk full")
    assert "recording 7 new events" in str(some_written.value)

    def broken() -> int:
        raise RuntimeError("the count cannot be read")

    with pytest.raises(OutputFileError, match=r"^disk full$"), resumable(tmp_path, broken):
        raise OutputFileError("disk full")
