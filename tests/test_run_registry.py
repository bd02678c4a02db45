"""A campaign run beside other campaigns' stores: people they already cover the same months are refused."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ansinh.core.eligibility import check
from ansinh.core.products import HealthCard, ProductKind
from ansinh.core.registry import COVERED_ELSEWHERE, Registry, holdings
from ansinh.data import default_law
from ansinh.exceptions import CampaignFileError, InvalidValueError
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.campaign_toml import RegistrySource
from ansinh.io.roster import load_roster
from ansinh.io.run import run_campaign
from ansinh.io.store import open_store
from ansinh.plugin_manager import get_plugin_manager

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NATIONAL = EXAMPLES / "tet-binh-ngo-2026"
HUNG_YEN = EXAMPLES / "hung-yen-thang-10-2026"
LAW = default_law()
BUILT_INS = get_plugin_manager(load_entrypoints=False)
"""What ``--no-plugins`` runs with: every run here prices under the same top-ups (a store is read under them)."""
COVERED = {"HY26-001", "HY26-002"}
"""A card of the bank (a central sponsor) and one of an enterprise of the province, both into 2027."""


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Both example folders, the national one run into its default build folder."""
    national = tmp_path / "tet-binh-ngo-2026"
    hung_yen = tmp_path / "hung-yen-thang-10-2026"
    shutil.copytree(NATIONAL, national, ignore=shutil.ignore_patterns("build"))
    shutil.copytree(HUNG_YEN, hung_yen, ignore=shutil.ignore_patterns("build"))
    run_campaign(national, plugins=BUILT_INS)
    return national, hung_yen


def _without_registry(folder: Path) -> None:
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text[: text.index("[[run.registry]]")], encoding="utf-8")


def test_the_registry_table_is_read() -> None:
    (source,) = read_campaign_folder(HUNG_YEN).settings.registry
    assert source.store == HUNG_YEN / "../tet-binh-ngo-2026/build/ledger.sqlite"
    assert source.roster.name == "roster.csv"


def test_people_covered_elsewhere_are_refused(folders: tuple[Path, Path]) -> None:
    _, hung_yen = folders
    run = run_campaign(hung_yen, out=hung_yen / "with", plugins=BUILT_INS)
    gifted = {g.person_id for g in run.allocation.gifts}
    assert gifted
    assert not gifted & COVERED
    ((kind, eligible, ineligible),) = run.screened
    assert (kind, eligible, ineligible) == (ProductKind.HEALTH_CARD, 3, 2)
    # the same folder without the registry gives them cards: the refusal is the registry's
    _without_registry(hung_yen)
    alone = run_campaign(hung_yen, out=hung_yen / "alone", plugins=BUILT_INS)
    assert {g.person_id for g in alone.allocation.gifts} >= COVERED


def test_registry_from_python_and_the_command_line(folders: tuple[Path, Path]) -> None:
    national, hung_yen = folders
    _without_registry(hung_yen)
    source = RegistrySource(store=national / "build" / "ledger.sqlite", roster=national / "roster.csv")
    run = run_campaign(hung_yen, out=hung_yen / "py", plugins=BUILT_INS, registry=[source])
    assert not {g.person_id for g in run.allocation.gifts} & COVERED
    done = subprocess.run(
        [sys.executable, "-m", "ansinh", "campaign", "run", str(hung_yen), "--out", str(hung_yen / "cli"),
         "--no-plugins", "--registry", str(source.store), str(source.roster), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"eligible": 3' in done.stdout


def test_the_reason_names_the_other_gift(folders: tuple[Path, Path]) -> None:
    """The refusal is the registry's COVERED_ELSEWHERE, naming the other campaign's gift and sponsor."""
    national, hung_yen = folders
    people = load_roster(national / "roster.csv").people
    supports = BUILT_INS.all_local_supports()
    with open_store(national / "build" / "ledger.sqlite", local_supports=supports) as store:
        registry = Registry(holdings(store.ledger_of("BN2026").state, people))
    data = read_campaign_folder(hung_yen)
    person = next(p for p in data.roster.people if p.id == "HY26-001")
    rule = registry.rule(campaign=data.campaign.code)
    d = check(
        person, HealthCard(months=12), on=dt.date(2026, 10, 15), campaign=data.campaign, law=LAW, rules=[rule]
    )
    assert not d.eligible
    assert d.blocking[-1].code == COVERED_ELSEWHERE
    assert "Ngân hàng" in d.blocking[-1].text("vi")
    assert "central" in d.blocking[-1].text("en")


def test_bad_registry_sources_are_refused(folders: tuple[Path, Path], tmp_path: Path) -> None:
    national, hung_yen = folders
    missing = RegistrySource(store=tmp_path / "nowhere.sqlite", roster=national / "roster.csv")
    _without_registry(hung_yen)
    with pytest.raises(CampaignFileError, match="store"):
        run_campaign(hung_yen, out=tmp_path / "a", plugins=BUILT_INS, registry=[missing])
    assert not (tmp_path / "nowhere.sqlite").exists()  # never created
    other_roster = RegistrySource(store=national / "build" / "ledger.sqlite", roster=hung_yen / "roster.csv")
    with pytest.raises(CampaignFileError, match="roster"):
        run_campaign(hung_yen, out=tmp_path / "b", plugins=BUILT_INS, registry=[other_roster])
    with pytest.raises(InvalidValueError, match="registry"):
        run_campaign(hung_yen, out=tmp_path / "c", plugins=BUILT_INS, registry=["x.sqlite"])  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('[[run.registry]]\nstore = "a.sqlite"\n', "roster"),
        ('[[run.registry]]\nstore = "a.sqlite"\nroster = "r.csv"\nrosters = "x"\n', "rosters"),
        ('[[run.registry]]\nstore = 3\nroster = "r.csv"\n', "store"),
    ],
)
def test_a_bad_registry_table_is_refused_by_name(tmp_path: Path, table: str, named: str) -> None:
    folder = tmp_path / "hy"
    shutil.copytree(HUNG_YEN, folder, ignore=shutil.ignore_patterns("build"))
    _without_registry(folder)
    (folder / "campaign.toml").write_text(
        (folder / "campaign.toml").read_text(encoding="utf-8") + table, encoding="utf-8"
    )
    with pytest.raises(CampaignFileError, match=named):
        read_campaign_folder(folder)
