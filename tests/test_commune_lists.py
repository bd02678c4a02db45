"""Commune lists a province supplies: the plugin hook, the campaign folder's file, and every place a price is made."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import attrs
import pytest

import ansinh
from ansinh.api import allocate, check, screen
from ansinh.core.campaign import Pledge, Sponsor
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList, commune_list_table, parse_commune_lists
from ansinh.core.products import HealthCard, ProductKind
from ansinh.exceptions import CampaignFileError, InvalidValueError, InvariantViolation, PluginError
from ansinh.hookspecs import hookimpl
from ansinh.io.commune_lists import COMMUNE_LISTS_FILE, read_commune_lists
from ansinh.io.run import run_campaign
from ansinh.io.store import SqliteStore
from ansinh.testing import plugin_host, sample_campaign

D = dt.date
LAW = ansinh.default_law()
_RAW: dict[str, object] = {
    "code": "hy-xa-ngheo",
    "kind": "poor_commune",
    "province": "33",
    "communes": ["Xã A"],
    "effective": "2020-01-01",
    "document": "Quyết định (giả định, cho kiểm thử)",
    "status": "scenario",
    "label_vi": "Xã nghèo",
    "label_en": "Poor communes",
}
(POOR_COMMUNES,) = parse_commune_lists({"commune_list": [_RAW]})


class _Province:
    """A province plugin that supplies one list of poor communes."""

    def __init__(self, *lists: CommuneList) -> None:
        self.lists = lists or (POOR_COMMUNES,)

    @hookimpl
    def ansinh_commune_lists(self) -> tuple[CommuneList, ...]:
        return self.lists


def _near_poor(commune: str, id: str = "33-1") -> Person:
    return Person(
        id=id,
        full_name="Nguyễn Văn A",
        date_of_birth=D(1970, 1, 1),
        province="33",
        categories={Category.NEAR_POOR},
        commune=commune,
        difficult_circumstances=True,
    )


def test_ansinh_price_applies_a_plugins_commune_list_on_the_day_of_the_change() -> None:
    host = plugin_host(_Province())
    card = HealthCard(months=12)
    inside = _near_poor("Xã A")
    before = ansinh.price(card, inside, on=D(2025, 6, 30), plugins=host)
    first = ansinh.price(card, inside, on=D(2025, 7, 1), plugins=host)
    assert (before.group, before.state_support, before.payable) == ("near_poor", 884_520, 379_080)
    assert (first.group, first.state_support, first.payable) == ("near_poor_in_poor_commune", 1_263_600, 0)
    outside = ansinh.price(card, _near_poor("Xã B"), on=D(2025, 7, 1), plugins=host)
    assert outside.payable == 379_080
    assert ansinh.price(card, inside, on=D(2025, 7, 1), plugins=False).payable == 379_080


def test_check_and_screen_say_fully_supported_with_the_plugins_lists() -> None:
    host = plugin_host(_Province())
    card = HealthCard(months=12)
    decision = check(_near_poor("Xã A"), card, on=D(2026, 1, 5), plugins=host)
    assert "FULLY_SUPPORTED" in decision.codes
    assert not decision.eligible
    assert check(_near_poor("Xã A"), card, on=D(2026, 1, 5), plugins=False).eligible
    s = screen([_near_poor("Xã A", "a"), _near_poor("Xã B", "b")], card, on=D(2026, 1, 5), plugins=host)
    assert [d.person.id for d in s.eligible] == ["b"]
    assert [d.person.id for d in s.ineligible] == ["a"]


def test_the_host_collects_lists_first_code_wins_and_checks_types() -> None:
    other = attrs.evolve(POOR_COMMUNES, communes=frozenset({"Xã C"}))
    host = plugin_host(_Province(other), _Province())  # the later registered is called first
    assert host.all_commune_lists() == (POOR_COMMUNES,)
    assert plugin_host().all_commune_lists() == ()

    class Broken:
        @hookimpl
        def ansinh_commune_lists(self) -> tuple[str, ...]:
            return ("Xã A",)

    with pytest.raises(PluginError, match="CommuneList"):
        plugin_host(Broken()).all_commune_lists()
    info = plugin_host(_Province()).plugins(contributions=True)
    assert any(c.kind == "commune_lists" and c.names == ("hy-xa-ngheo",) for p in info for c in p.contributes)


def _state_with_units(units: int) -> Ledger:
    ledger = Ledger(sample_campaign(province="33"), law=LAW)
    ledger.append(
        PledgeRegistered(
            event_id="reg:P1",
            on=D(2025, 11, 1),
            sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
            pledge=Pledge(
                id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, units),), card_months=12
            ),
        )
    )
    return ledger


def test_allocate_never_spends_a_unit_on_a_card_the_state_pays_and_prices_by_commune() -> None:
    host = plugin_host(_Province())
    ledger = _state_with_units(2)
    candidates = [
        ansinh.Candidate(person=_near_poor("Xã A", "a"), product=HealthCard(months=12)),
        ansinh.Candidate(person=_near_poor("Xã B", "b"), product=HealthCard(months=12)),
    ]
    alloc = allocate(ledger.state, candidates, on=D(2026, 1, 5), plugins=host)
    assert [(g.person_id, g.amount) for g in alloc.gifts] == [("b", 379_080)]
    without = allocate(ledger.state, candidates, on=D(2026, 1, 5), plugins=False)
    assert sorted(g.person_id for g in without.gifts) == ["a", "b"]


def test_the_ledger_rechecks_prices_with_its_lists() -> None:
    gift_events = allocate(
        _state_with_units(1).state,
        [ansinh.Candidate(person=_near_poor("Xã A"), product=HealthCard(months=12))],
        on=D(2026, 1, 5),
        plugins=False,  # priced without the list: 379,080 đồng
    ).events()
    ledger = _state_with_units(1)
    ledger.extend(gift_events)  # without lists the ledger agrees
    with_lists = Ledger(sample_campaign(province="33"), law=LAW, commune_lists=(POOR_COMMUNES,))
    with pytest.raises(InvariantViolation, match="not the law's price"):
        with_lists.extend(ledger.events)
    with pytest.raises(InvalidValueError, match="commune_lists"):
        Ledger(sample_campaign(), law=LAW, commune_lists=("Xã A",))  # type: ignore[arg-type]


def test_a_list_round_trips_through_its_table() -> None:
    full = attrs.evolve(POOR_COMMUNES, until=D(2026, 12, 31))
    assert parse_commune_lists({"commune_list": [commune_list_table(full)]}) == (full,)


# -- a campaign folder ------------------------------------------------------------------------------

_FILES = {
    "campaign.toml": """[campaign]
code = "HY2026"
name = "Thử nghiệm Hưng Yên 2026"
start = 2025-10-23
end = 2026-03-31
province = "33"

[run]
purchase_date = 2026-01-05
money_buys = "health_card"
card_months = 12
""",
    "sponsors.csv": "id,name,kind,province\nS1,Ngân hàng A,bank,33\n",
    "pledges.csv": "Mã khoản tài trợ,Mã nhà tài trợ,Thẻ BHYT,Tỉnh,Ngày đăng ký\nP1,S1,2,Hưng Yên,01/11/2025\n",
    "roster.csv": (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Xã/phường,Đối tượng,Hoàn cảnh khó khăn\n"
        "33-001,Nguyễn Văn An,20/09/1950,Hưng Yên,Xã A,Hộ cận nghèo,x\n"
        "33-002,Trần Thị Bình,26/02/1983,Hưng Yên,Xã B,Hộ cận nghèo,x\n"
    ),
}
_LIST_FILE = """[[commune_list]]
code = "hy-xa-ngheo"
kind = "poor_commune"
province = "33"
communes = ["Xã A"]
effective = 2025-07-01
document = "Quyết định (giả định, cho kiểm thử)"
status = "scenario"
label_vi = "Xã nghèo"
label_en = "Poor communes"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "campaign"
    root.mkdir()
    for name, text in _FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _outcome(run: ansinh.CampaignRun) -> tuple[list[tuple[str, int]], list[str]]:
    gifts = [(g.person_id, g.amount) for g in run.allocation.gifts]
    with SqliteStore(run.store) as store:  # reopened without any list: the kept ones re-check the gifts
        held = sorted(g.person_id for g in store.state.gifts)
    return gifts, held


def test_a_campaign_run_with_the_folders_list_buys_no_card_the_state_pays(folder: Path) -> None:
    assert _outcome(run_campaign(folder, out=folder / "without", plugins=False)) == (
        [("33-001", 379_080), ("33-002", 379_080)],
        ["33-001", "33-002"],
    )
    (folder / COMMUNE_LISTS_FILE).write_text(_LIST_FILE, encoding="utf-8")
    run = run_campaign(folder, out=folder / "with", plugins=False)
    assert _outcome(run) == ([("33-002", 379_080)], ["33-002"])
    assert run.screened == ((ProductKind.HEALTH_CARD, 1, 1),)
    # the same list from a plugin has the same effect
    (folder / COMMUNE_LISTS_FILE).unlink()
    by_plugin = run_campaign(folder, out=folder / "plugin", plugins=plugin_host(_Province()))
    assert _outcome(by_plugin) == ([("33-002", 379_080)], ["33-002"])


def test_a_store_keeps_the_lists_its_gifts_were_priced_with(folder: Path) -> None:
    (folder / COMMUNE_LISTS_FILE).write_text(_LIST_FILE, encoding="utf-8")
    run = run_campaign(folder, out=folder / "out", plugins=False)
    with SqliteStore(run.store) as store:
        assert [c.code for c in store.ledger.commune_lists] == ["hy-xa-ngheo"]
    again = run_campaign(folder, out=folder / "out", plugins=False)
    assert again.new_events == 0
    conn = sqlite3.connect(run.store)
    conn.execute("UPDATE meta SET value = '[{\"code\": 1}]' WHERE key = 'commune_lists'")
    conn.commit()
    conn.close()
    with pytest.raises(ansinh.LedgerError, match="commune lists"):
        SqliteStore(run.store)


def test_a_bad_commune_list_file_is_named(folder: Path) -> None:
    path = folder / COMMUNE_LISTS_FILE
    path.write_text(_LIST_FILE.replace('kind = "poor_commune"', 'kind = "rich_commune"'), encoding="utf-8")
    with pytest.raises(CampaignFileError, match="kind"):
        read_commune_lists(path)
    with pytest.raises(CampaignFileError, match=COMMUNE_LISTS_FILE):
        run_campaign(folder, out=folder / "out", plugins=False)
    path.write_text("[[commune_list]\n", encoding="utf-8")
    with pytest.raises(CampaignFileError, match="TOML"):
        read_commune_lists(path)


def test_an_area_keyed_top_up_prices_each_address_and_the_ledger_agrees() -> None:
    from fractions import Fraction

    from ansinh.core.allocation import allocate as core_allocate
    from ansinh.core.law import Citation, RateTable, SourceStatus
    from ansinh.core.pricing import LocalSupport

    district = LocalSupport(
        code="hy-district",
        province="33",
        product=ProductKind.HEALTH_CARD,
        effective=D(2025, 1, 1),
        until=None,
        rates=RateTable((("near_poor", Fraction(1, 10)),)),
        citation=Citation("test"),
        status=SourceStatus.SCENARIO,
        label_vi="x",
        label_en="x",
        district="Văn Lâm",
    )
    inside = attrs.evolve(_near_poor("Xã B", "a"), district="Văn Lâm")
    candidates = [
        ansinh.Candidate(person=inside, product=HealthCard(months=12)),
        ansinh.Candidate(person=_near_poor("Xã B", "b"), product=HealthCard(months=12)),
    ]
    ledger = Ledger(sample_campaign(province="33"), law=LAW, local_supports=(district,))
    ledger.extend(_state_with_units(2).events)
    alloc = core_allocate(ledger.state, candidates, on=D(2026, 1, 5), law=LAW, local_supports=(district,))
    # 379,080 less the district's 10 % × 105,300 × 12 for the person in its area
    assert sorted((g.person_id, g.amount) for g in alloc.gifts) == [("a", 252_720), ("b", 379_080)]
    ledger.extend(alloc.events())  # every gift's price re-checked from its beneficiary's address
    assert [g.beneficiary.district for g in ledger.state.gifts] == ["Văn Lâm", ""]


def test_bulk_pricing_refuses_an_address_column_while_commune_lists_are_in_play() -> None:
    pytest.importorskip("pyarrow")
    from ansinh.bulk import make_plan, price_table

    rows = {
        "date": [D(2026, 1, 5)],
        "product": ["health_card"],
        "months": [12],
        "categories": ["near_poor"],
        "province": ["33"],
    }
    host = plugin_host(_Province())
    plan = make_plan(plugins=host)
    assert plan.commune_lists == (POOR_COMMUNES,)
    # no address: the scalar price of a person without a commune
    scalar = ansinh.price(HealthCard(months=12), _near_poor(""), on=D(2026, 1, 5), plugins=host)
    assert price_table(rows, plan=plan).column("payable").to_pylist() == [scalar.payable] == [379_080]
    with pytest.raises(InvalidValueError, match=r"commune.*hy-xa-ngheo"):
        price_table({**rows, "commune": ["Xã A"]}, plan=plan)
