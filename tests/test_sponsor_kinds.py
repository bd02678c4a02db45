"""Sponsor kinds a province adds through a plugin (cooperatives: hợp tác xã)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import pytest

from ansinh.core.campaign import Campaign, LocalSponsorKind, Pledge, Sponsor, SponsorKind
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.national import national_report
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, PluginError
from ansinh.hookspecs import hookimpl
from ansinh.io.campaign_files import read_campaign_folder, read_sponsors
from ansinh.io.run import run_campaign
from ansinh.plugin_manager import get_plugin_manager

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tet-binh-ngo-2026"
COOP = LocalSponsorKind(code="hop_tac_xa", label_vi="hợp tác xã", label_en="cooperative", aliases=("HTX",))


class Cooperatives:
    @hookimpl
    def ansinh_sponsor_kinds(self) -> Iterable[LocalSponsorKind]:
        return (COOP,)


def test_a_sponsor_of_an_unknown_kind_is_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidValueError, match="kind='hop_tac_xa'"):
        Sponsor(id="S", name="HTX A", kind="hop_tac_xa")
    with pytest.raises(InvalidValueError, match="local_kind"):
        Sponsor(id="S", name="HTX A", kind="other")
    with pytest.raises(InvalidValueError, match="local_kind"):
        Sponsor(id="S", name="HTX A", kind="bank", local_kind="hop_tac_xa")
    s = Sponsor(id="S", name="HTX A", kind="other", local_kind="hop_tac_xa")
    assert (s.kind, s.kind_key) == (SponsorKind.OTHER, "hop_tac_xa")
    assert Sponsor(id="B", name="Ngân hàng", kind="bank").kind_key == "bank"


@pytest.mark.parametrize("code", ["Hợp tác xã", "bank", "", "hop-tac-xa"])
def test_a_local_kind_needs_a_new_plain_code(code: str) -> None:
    with pytest.raises(InvalidValueError, match="code"):
        LocalSponsorKind(code=code, label_vi="x", label_en="x")


def test_sponsor_files_accept_a_cooperative_only_when_a_plugin_adds_the_kind(tmp_path: Path) -> None:
    path = tmp_path / "sponsors.csv"
    path.write_text("Mã,Tên,Loại\nHTX-1,Hợp tác xã A,hợp tác xã\nHTX-2,HTX B,htx\n", encoding="utf-8")
    sponsors, rejected = read_sponsors(path)
    assert sponsors == ()
    assert [r.value for r in rejected] == ["hợp tác xã", "htx"]
    sponsors, rejected = read_sponsors(path, sponsor_kinds=[COOP])
    assert rejected == ()
    assert [(s.kind, s.local_kind) for s in sponsors] == [(SponsorKind.OTHER, "hop_tac_xa")] * 2


def test_the_host_collects_kinds_and_refuses_conflicts() -> None:
    host = get_plugin_manager(load_entrypoints=False)
    assert host.sponsor_kinds() == ()
    host.register(Cooperatives(), name="hy")
    assert host.sponsor_kinds() == (COOP,)

    class Other:
        @hookimpl
        def ansinh_sponsor_kinds(self) -> Iterable[LocalSponsorKind]:
            return (LocalSponsorKind(code="hop_tac_xa", label_vi="HTX", label_en="co-op"),)

    host.register(Other(), name="tb")
    with pytest.raises(PluginError, match="hop_tac_xa"):
        host.sponsor_kinds()

    class Broken:
        @hookimpl
        def ansinh_sponsor_kinds(self) -> object:
            return "hop_tac_xa"

    bad = get_plugin_manager(load_entrypoints=False)
    bad.register(Broken(), name="broken")
    with pytest.raises(PluginError, match="broken"):
        bad.sponsor_kinds()


def test_a_campaign_run_takes_the_cooperative_the_plugin_adds(tmp_path: Path) -> None:
    assert "HTX-99" not in {s.id for s in read_campaign_folder(EXAMPLE).sponsors}
    host = get_plugin_manager(load_entrypoints=False)
    host.register(Cooperatives(), name="hy")
    run = run_campaign(EXAMPLE, out=tmp_path / "build", plugins=host)
    assert not any(name == "sponsors.csv" for name, _row in run.rejected)
    without = run_campaign(EXAMPLE, out=tmp_path / "plain", plugins=False)
    assert any(name == "sponsors.csv" and row.value == "hợp tác xã" for name, row in without.rejected)


def test_national_rows_group_by_the_local_kind() -> None:
    c = Campaign(code="HN", name="HN", province="01", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    coop = Sponsor(id="HTX", name="HTX A", kind="other", local_kind="hop_tac_xa")
    ledger = Ledger(
        c,
        law=default_law(),
        events=[
            PledgeRegistered(
                event_id="r",
                on=dt.date(2025, 11, 1),
                sponsor=coop,
                pledge=Pledge(id="P", sponsor_id="HTX", money=3_000_000),
            )
        ],
    )
    rows = national_report([ledger.state], on=c.end, law=default_law()).rows_for("sponsor_kind")
    assert [(r.key, r.registered) for r in rows] == [("hop_tac_xa", 3_000_000)]


@pytest.mark.parametrize("aliases", ["htx", ("htx", ""), (1,)])
def test_aliases_are_non_empty_strings(aliases: object) -> None:
    with pytest.raises(InvalidValueError, match="aliases"):
        LocalSponsorKind(code="hop_tac_xa", label_vi="x", label_en="x", aliases=aliases)


def test_the_plugin_list_shows_the_kinds_a_plugin_adds() -> None:
    host = get_plugin_manager(load_entrypoints=False)
    host.register(Cooperatives(), name="hy")
    info = next(p for p in host.plugins(contributions=True) if p.name == "hy")
    assert [(c.kind, c.names) for c in info.contributes] == [("sponsor_kinds", ("hop_tac_xa",))]
