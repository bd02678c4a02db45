"""Running a campaign folder end to end: the shipped example, and plugins taking part."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from ansinh.core.campaign import Campaign, Earmark, GiftStatus
from ansinh.core.eligibility import CheckContext, FunctionRule, Reason, Rule
from ansinh.core.people import Person
from ansinh.core.products import ProductKind
from ansinh.core.reporting import report
from ansinh.exceptions import CampaignFileError, InvalidValueError, InvariantViolation, PluginError
from ansinh.hookspecs import hookimpl
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.run import run_campaign
from ansinh.io.store import SqliteStore, read_jsonl
from ansinh.plugins import local_support
from ansinh.testing import plugin_host

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
    run = run_campaign(
        EXAMPLE, out=tmp_path / "build", plugins=False, progress=lambda s, d, t: steps.append((s, d, t))
    )
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
    assert run.events_file is not None  # the example's [run] asks for events.jsonl
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
    assert run.summary_vi.startswith(
        "Đến ngày 31/01/2026, chương trình “Tặng thẻ BHYT cho người có hoàn cảnh khó khăn"
    )
    assert "đã trao tặng" in run.summary_vi
    assert "tổng giá trị" in run.summary_vi
    assert run.summary_en
    assert all(p.exists() for p in run.files.all)
    assert run.rejected
    # a report as of an earlier day counts only what happened by then
    early = report(state, on=dt.date(2025, 11, 15))
    on_events = [e for e in read_jsonl(run.events_file) if e.on <= dt.date(2025, 11, 15)]
    assert 0 < len(on_events) < len(state.gifts)
    assert state.as_of(dt.date(2025, 11, 15)).event_count == len(on_events)
    assert early.value == 0
    assert early.received < r.received
    assert early.pledges < r.pledges
    assert early.summary_vi().startswith("Đến ngày 15/11/2025, chương trình")
    assert run.duplicates >= 1
    assert {s for s, _, _ in steps} == {"read", "screen", "record", "allocate", "pay", "report"}
    assert steps[-1] == ("report", 1, 1)
    screened = {k: (e, i) for k, e, i in run.screened}
    assert screened[ProductKind.HEALTH_CARD][1] > 0  # poor households and insured people are screened out


def test_running_again_changes_nothing(tmp_path: Path) -> None:
    first = run_campaign(EXAMPLE, out=tmp_path, plugins=False)
    second = run_campaign(EXAMPLE, out=tmp_path, plugins=False)
    assert first.new_events > 0
    assert second.new_events == 0
    assert second.allocation.gifts == ()
    assert second.report == first.report


def test_events_jsonl_is_written_only_when_asked(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("events_jsonl = true", "# no events_jsonl key"), encoding="utf-8")
    quiet = run_campaign(folder, out=tmp_path / "quiet", plugins=False)
    assert quiet.events_file is None
    assert not (tmp_path / "quiet" / "events.jsonl").exists()
    asked = run_campaign(folder, out=tmp_path / "asked", plugins=False, events_jsonl=True)
    assert asked.events_file == tmp_path / "asked" / "events.jsonl"
    with SqliteStore(asked.store) as store:
        assert len(read_jsonl(asked.events_file)) == len(store)
    toml.write_text(text, encoding="utf-8")  # the example's events_jsonl = true, overridden by the argument
    assert run_campaign(folder, out=tmp_path / "off", plugins=False, events_jsonl=False).events_file is None
    toml.write_text(text.replace("events_jsonl = true", 'events_jsonl = "yes"'), encoding="utf-8")
    with pytest.raises(CampaignFileError, match="events_jsonl"):
        run_campaign(folder, out=tmp_path / "bad", plugins=False)
    with pytest.raises(InvalidValueError, match="events_jsonl"):
        run_campaign(EXAMPLE, out=tmp_path / "bad", plugins=False, events_jsonl="yes")  # type: ignore[arg-type]


def test_changed_files_the_ledger_cannot_take_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    run_campaign(folder, out=tmp_path / "out", plugins=False)
    pledges = folder / "pledges.csv"
    pledges.write_text(
        pledges.read_text(encoding="utf-8").replace("P02,DN-HP-02,,,,8.000.000", "P02,DN-HP-02,,,,9.000.000"),
        encoding="utf-8",
    )
    with pytest.raises(InvariantViolation, match="reg:P02"):
        run_campaign(folder, out=tmp_path / "out", plugins=False)
    # a fresh output folder takes the new files
    assert run_campaign(folder, out=tmp_path / "out2", plugins=False).report.pledged_money > 0


class _FavourHaiPhong:
    @hookimpl
    def ansinh_priority(self, candidate: Person) -> tuple[tuple[str, int], ...]:
        return (("HAI_PHONG_FIRST", 100),) if candidate.province == "31" else ()


def test_plugin_priority_reaches_the_allocation(tmp_path: Path) -> None:
    plain = run_campaign(EXAMPLE, out=tmp_path / "plain", plugins=False)
    favoured = run_campaign(EXAMPLE, out=tmp_path / "favoured", plugins=plugin_host(_FavourHaiPhong()))

    def hai_phong(path: Path) -> list[str]:
        with SqliteStore(path) as store:
            return [g.reason for g in store.state.gifts if g.province == "31"]

    assert hai_phong(favoured.store)
    assert all("HAI_PHONG_FIRST +100" in reason for reason in hai_phong(favoured.store))
    assert len(hai_phong(favoured.store)) >= len(hai_phong(plain.store))


def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="campaign folder"):
        run_campaign(tmp_path / "nowhere", plugins=False)


# -- running a campaign folder ------------------------------------------------------------------

_FILES = {
    "campaign.toml": """
[campaign]
code = "T2026"
name = "Thử nghiệm Hà Nội 2026"
start = 2025-10-23
end = 2026-03-31
province = "01"

[run]
purchase_date = 2026-03-01
money_buys = "social_book"
book_months = 12
""",
    "sponsors.csv": "id,name,kind,province\nS1,Ngân hàng A,bank,01\n",
    "pledges.csv": (
        "id,sponsor id,money,province,registered on,received,received on\n"
        "P1,S1,5544000,01,2025-11-01,5544000,2025-11-02\n"
    ),
    "roster.csv": (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Xã/phường,Đối tượng,Hoàn cảnh khó khăn\n"
        "01-001,Nguyễn Văn An,20/09/1970,TP Hà Nội,Phường Ba Đình,,x\n"
        "01-002,Trần Thị Bình,26/02/1983,TP Hà Nội,Xã Sóc Sơn,,x\n"
        "01-003,Lê Văn Cường,07/02/1960,TP Hà Nội,Xã Ba Vì,,x\n"
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small Hà Nội campaign: 5,544,000 đồng to buy 12-month books."""
    root = tmp_path / "campaign"
    root.mkdir()
    for name, text in _FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


class _NotBaVi:
    seen: list[Campaign | None]

    def __init__(self) -> None:
        self.seen = []

    @hookimpl
    def ansinh_eligibility_rules(self, product: ProductKind) -> tuple[Rule, ...]:
        def rule(ctx: CheckContext) -> Reason | None:
            if ctx.person.commune == "Xã Ba Vì":
                return Reason("T_NOT_BA_VI", True, "Không thuộc đợt này.", "Not in this round.")
            return None

        return (FunctionRule("T_NOT_BA_VI", rule),) if product is ProductKind.SOCIAL_BOOK else ()

    @hookimpl
    def ansinh_priority(self, candidate: Person, campaign: Campaign | None) -> tuple[tuple[str, int], ...]:
        self.seen.append(campaign)
        return (("t.young", 50),) if candidate.id == "01-002" else ()


def test_run_campaign_with_top_ups(folder: Path) -> None:
    with_top_up = run_campaign(folder, out=folder / "a", plugins=plugin_host(local_support))
    assert [(g.person_id, g.amount) for g in with_top_up.allocation.gifts] == [
        ("01-003", 2_772_000),
        ("01-001", 2_772_000),
    ]
    without = run_campaign(folder, out=folder / "b", plugins=False)
    assert [(g.person_id, g.amount) for g in without.allocation.gifts] == [("01-003", 3_168_000)]


def test_run_campaign_with_rules_and_priority(folder: Path) -> None:
    plugin = _NotBaVi()
    steps: list[str] = []
    run = run_campaign(
        folder,
        out=folder / "out",
        plugins=plugin_host(plugin, local_support),
        progress=lambda step, done, total: steps.append(step),
    )
    assert [g.person_id for g in run.allocation.gifts] == ["01-002", "01-001"]
    assert run.screened == ((ProductKind.SOCIAL_BOOK, 2, 1),)
    assert {c.code if c else None for c in plugin.seen} == {"T2026"}
    assert "screen" in steps


def test_run_campaign_faulty_plugin_writes_nothing(folder: Path) -> None:
    host = plugin_host(local_support)
    host.register(_BrokenPriority(), "broken")
    with pytest.raises(PluginError) as info:
        run_campaign(folder, out=folder / "out", plugins=host)
    assert (info.value.plugin, info.value.hook) == ("broken", "ansinh_priority")
    assert not (folder / "out").exists()


class _BrokenPriority:
    @hookimpl
    def ansinh_priority(self) -> object:
        return 5


# -- every hook takes effect: [[sourcing]], earmarks, [plugins.NAME] ------------------------------

_SOURCING = """
[[sourcing]]
strategy = "workplace_drive"
received_on = 2025-12-01
[sourcing.inputs]
province = "01"
enterprises = [{ id = "DN01", name = "Công ty May Sóc Sơn", workers = 100, participation = "1", amount_per_worker = 55440 }]
"""


class _Workers:
    """Knows, from its settings, who the relatives of DN01's workers are."""

    @hookimpl
    def ansinh_earmark_matches(
        self, earmark: Earmark, person: Person, settings: Mapping[str, object]
    ) -> bool | None:
        if earmark.target != "DN01":
            return None
        relatives = settings.get("relatives", ())
        assert isinstance(relatives, tuple)
        return person.id in relatives


def _with(folder: Path, extra: str) -> Path:
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return folder


def test_sourcing_earmark_and_settings_take_effect(folder: Path) -> None:
    _with(folder, _SOURCING + '\n[plugins.workers]\nrelatives = ["01-002"]\n')
    host = plugin_host(builtins=True)
    host.register(_Workers(), "workers")
    run = run_campaign(folder, out=folder / "out", plugins=host)
    (drive,) = run.sourcing
    assert drive.strategy == "workplace_drive"
    assert drive.money == 5_544_000
    assert "100 of 100 workers" in drive.assumptions[0]
    by_pledge = {g.pledge_id: g.person_id for g in run.allocation.gifts}
    earmarked = next(p for p in by_pledge if p != "P1")
    assert by_pledge[earmarked] == "01-002"  # the only relative the plugin knows
    assert by_pledge["P1"] != "01-002"


def test_an_earmark_nobody_is_known_for_buys_nothing_and_says_why(folder: Path) -> None:
    _with(folder, _SOURCING)
    run = run_campaign(folder, out=folder / "out", plugins=plugin_host(builtins=True))
    assert {g.pledge_id for g in run.allocation.gifts} == {"P1"}
    (left,) = run.allocation.leftovers
    assert left.money_left == 5_544_000
    assert "DN01" in left.reason_en
    assert "ansinh_earmark_matches" in left.reason_en


def test_unknown_keys_in_campaign_toml_are_refused_by_name(folder: Path) -> None:
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    (folder / "campaign.toml").write_text(text.replace("book_months", "renewal_dayz"), encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"\[run\] renewal_dayz=12 .*purchase_date"):
        read_campaign_folder(folder)
    for extra, key in (
        ("\n[ran]\nx = 1\n", "ran"),
        ('\n[[sourcing]]\nstrategy = "workplace_drive"\ninputz = {}\n', "inputz"),
    ):
        (folder / "campaign.toml").write_text(text + extra, encoding="utf-8")
        with pytest.raises(CampaignFileError, match=key):
            read_campaign_folder(folder)


def test_bad_sourcing_and_plugin_tables_name_the_table(folder: Path) -> None:
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    _with(folder, _SOURCING.replace("workers = 100", "workerz = 100"))
    with pytest.raises(
        CampaignFileError, match=r"\[\[sourcing\]\] #1 \(workplace_drive\) enterprises\[0\]\.workerz"
    ):
        run_campaign(folder, out=folder / "out", plugins=plugin_host(builtins=True))
    (folder / "campaign.toml").write_text(text + "\n[plugins.wrokers]\nrelatives = []\n", encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"plugins\.wrokers.*ansinh\.sourcing"):
        run_campaign(folder, out=folder / "out", plugins=plugin_host(builtins=True))
    assert not (folder / "out").exists()


def test_a_plugin_failing_with_its_settings_is_named(folder: Path) -> None:
    _with(folder, _SOURCING + '\n[plugins.workers]\nrelatives = "01-002"\n')
    host = plugin_host(builtins=True)
    host.register(_Workers(), "workers")
    with pytest.raises(PluginError) as info:
        run_campaign(folder, out=folder / "out", plugins=host)
    assert (info.value.plugin, info.value.hook) == ("workers", "ansinh_earmark_matches")


def _to_xlsx(csv_path: Path, typed: bool) -> Path:
    """*csv_path* as a workbook; with *typed*, numbers and dates as Excel numbers and dates."""
    import csv

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    with csv_path.open(encoding="utf-8") as f:
        for n, row in enumerate(csv.reader(f)):
            cells: list[object] = list(row)
            if typed and n:
                for i, cell in enumerate(row):
                    if cell.isdigit():
                        cells[i] = int(cell) if len(cell) > 2 else cell  # ids stay text
                    elif len(cell) == 10 and cell[4] == "-":
                        cells[i] = dt.datetime.fromisoformat(cell)
            sheet.append(cells)
    out = csv_path.with_suffix(".xlsx")
    workbook.save(out)
    csv_path.unlink()
    return out


@pytest.mark.parametrize("typed", [False, True])
def test_sponsors_and_pledges_as_excel_workbooks(folder: Path, typed: bool) -> None:
    from_csv = run_campaign(folder, out=folder / "csv", plugins=False)
    for name in ("sponsors.csv", "pledges.csv"):
        _to_xlsx(folder / name, typed)
    data = read_campaign_folder(folder)
    assert [p.money for p in data.pledges] == [5_544_000]
    assert data.receipts[0].on == dt.date(2025, 11, 2)
    from_xlsx = run_campaign(folder, out=folder / "xlsx", plugins=False)
    assert [(g.person_id, g.amount) for g in from_xlsx.allocation.gifts] == [
        (g.person_id, g.amount) for g in from_csv.allocation.gifts
    ]


def test_a_file_that_is_not_a_workbook_is_named(folder: Path) -> None:
    (folder / "pledges.csv").unlink()
    (folder / "pledges.xlsx").write_text("id,sponsor id\n", encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"pledges\.xlsx.*a readable Excel workbook"):
        read_campaign_folder(folder)


@pytest.mark.parametrize("roster_as", ["csv", "xlsx"])
def test_affiliations_are_read_from_a_csv_or_excel_roster(folder: Path, roster_as: str) -> None:
    roster = folder / "roster.csv"
    lines = roster.read_text(encoding="utf-8").splitlines()
    lines = [
        lines[0] + ",Đơn vị liên quan",
        *(ln + (",DN01" if ln.startswith("01-002") else ",") for ln in lines[1:]),
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "pledges.csv").write_text(
        "id,sponsor id,money,province,earmark,earmark target,registered on,received,received on\n"
        "P1,S1,5544000,01,workers_relatives,DN01,2025-11-01,5544000,2025-11-02\n",
        encoding="utf-8",
    )
    if roster_as == "xlsx":
        _to_xlsx(roster, typed=False)
        text = (folder / "campaign.toml").read_text(encoding="utf-8")
        (folder / "campaign.toml").write_text(text + '\n[files]\nroster = "roster.xlsx"\n', encoding="utf-8")
    data = read_campaign_folder(folder)
    assert data.affiliation_map() == {"01-002": frozenset({"DN01"})}
    run = run_campaign(folder, out=folder / "out", plugins=False)
    assert [g.person_id for g in run.allocation.gifts] == ["01-002"]


def test_a_province_campaign_names_its_parent_in_campaign_toml(folder: Path) -> None:
    text = (folder / "campaign.toml").read_text(encoding="utf-8")
    (folder / "campaign.toml").write_text(
        text.replace('code = "T2026"', 'code = "T2026"\nparent = "VN2026"'), encoding="utf-8"
    )
    assert read_campaign_folder(folder).campaign.parent == "VN2026"
    (folder / "campaign.toml").write_text(
        text.replace('code = "T2026"', 'code = "T2026"\nparent = " "'), encoding="utf-8"
    )
    with pytest.raises(InvalidValueError, match="parent"):
        read_campaign_folder(folder)
