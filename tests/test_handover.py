"""Handover ceremonies: reading them, delivering at them, reporting them; Tết gifts' hospitals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import GiftStatus
from ansinh.core.handover import Handover, handover_deliveries, handover_rows
from ansinh.core.ledger import Ledger, payments_due
from ansinh.core.products import HospitalLevel, ProductKind, TetGift
from ansinh.core.reporting import report
from ansinh.exceptions import CampaignFileError, InvalidProductError, InvalidValueError
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.campaign_toml import read_handovers
from ansinh.io.run import run_campaign
from ansinh.io.store import read_jsonl
from ansinh.serialization import dump_document, load_document

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "tet-binh-ngo-2026"


# -- the values ---------------------------------------------------------------------------------


def test_a_handover_checks_its_fields() -> None:
    h = Handover(on=dt.date(2026, 1, 16), place="UBND phường Hải An", leader="Phó Tổng Giám đốc")
    assert h.describe("en") == "2026-01-16 at UBND phường Hải An, led by Phó Tổng Giám đốc"
    with pytest.raises(InvalidValueError, match="place"):
        Handover(on=dt.date(2026, 1, 16), place=" ", leader="A")
    with pytest.raises(InvalidValueError, match="provinces"):
        Handover(on=dt.date(2026, 1, 16), place="A", leader="B", provinces={"99"})
    with pytest.raises(InvalidValueError, match="kinds"):
        Handover(on=dt.date(2026, 1, 16), place="A", leader="B", kinds={"bike"})
    with pytest.raises(InvalidValueError, match="pledges"):
        Handover(on=dt.date(2026, 1, 16), place="A", leader="B", pledges="P01")


def test_a_tet_gift_names_its_hospital_and_level() -> None:
    gift = TetGift(value=500_000, hospital="Bệnh viện Nhi Trung ương", hospital_level="central")
    assert gift.hospital_level is HospitalLevel.CENTRAL
    assert HospitalLevel.DISTRICT.label_vi == "tuyến huyện"
    assert load_document(dump_document(gift), TetGift) == gift
    # a document written before hospitals existed reads as naming none, and is written the same
    old = {"schema_version": 1, "type": "tet_gift", "data": {"kind": "tet_gift", "value": 500_000}}
    assert load_document(old, TetGift) == TetGift(value=500_000)
    assert dump_document(TetGift(value=500_000)) == old
    with pytest.raises(InvalidProductError, match="hospital_level"):
        TetGift(value=1, hospital_level="central")  # a level without a hospital
    with pytest.raises(InvalidProductError, match="hospital_level"):
        TetGift(value=1, hospital="BV A", hospital_level="ward")
    with pytest.raises(InvalidProductError, match="hospital"):
        TetGift(value=1, hospital=" BV A")
    with pytest.raises(InvalidProductError, match="hospital"):
        TetGift(value=1, hospital="x" * 201)


# -- delivering at ceremonies -------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ast.ledgers(max_events=14), data=st.data())
def test_each_paid_gift_goes_to_the_first_ceremony_that_takes_it(ledger: Ledger, data: st.DataObject) -> None:
    state = ledger.state
    days = st.dates(ledger.campaign.start, ledger.campaign.end)
    ids = [b.pledge.id for b in state.pledges]
    ceremonies = data.draw(st.lists(ast.handovers(days=days, pledge_ids=ids), max_size=3))
    default = data.draw(st.none() | days)
    paid = payments_due(state, on=data.draw(days))
    events = handover_deliveries(state, ceremonies, paid=paid, default=default)
    paid_on = {**dict(state.changed_on().items()), **{e.gift_id: e.on for e in paid}}
    payable = {g.id for g in state.gifts if g.status is GiftStatus.PAID} | {e.gift_id for e in paid}
    by_gift = {e.gift_id: e for e in events}
    assert len(by_gift) == len(events)  # never twice
    for g in state.gifts:
        takers = sorted(h.on for h in ceremonies if h.includes(g) and h.on >= paid_on[g.id])
        event = by_gift.get(g.id)
        if g.id not in payable:
            assert event is None
        elif takers:
            assert event is not None
            assert event.on == takers[0]
        elif default is not None and default >= paid_on[g.id] and not any(h.includes(g) for h in ceremonies):
            assert event is not None
            assert event.on == default
        else:
            assert event is None
    # the ledger takes them all, and every gift a ceremony handed over is counted at one ceremony
    before = {g.id for g in state.gifts if g.status is GiftStatus.DELIVERED}
    ledger.append_batch([*paid, *events])
    rows = handover_rows(ledger.state, ceremonies)
    assert len(rows) == len(ceremonies)
    at_ceremonies = [
        e
        for e in events
        if any(h.on == e.on and h.includes(ledger.state.gift(e.gift_id)) for h in ceremonies)
    ]
    counted = sum(r.gifts for r in rows)
    assert counted >= len(at_ceremonies)
    if not before:
        assert counted == len(at_ceremonies)
    assert all(r.value >= 0 and r.people <= r.gifts for r in rows)


def test_deliveries_refuse_bad_arguments() -> None:
    h = Handover(on=dt.date(2026, 1, 16), place="A", leader="B")
    from ansinh.core.campaign import Campaign
    from ansinh.data import default_law

    c = Campaign(code="C", name="C", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    empty = Ledger(c, law=default_law()).state
    assert handover_deliveries(empty, [h], default=dt.date(2026, 1, 20)) == ()
    with pytest.raises(InvalidValueError, match="handovers"):
        handover_deliveries(empty, [h, "x"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="handovers"):
        handover_rows(empty, h)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="default"):
        handover_deliveries(empty, [h], default="2026-01-20")  # type: ignore[arg-type]


# -- the campaign folder ------------------------------------------------------------------------


def _folder(tmp_path: Path, handover: str) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    start = text.index("[[handover]]")
    end = text.index("[files]")
    toml.write_text(text[:start] + handover + "\n" + text[end:], encoding="utf-8")
    return folder


def test_the_example_ceremony_is_read() -> None:
    (h,) = read_campaign_folder(EXAMPLE).handovers
    assert h.on == dt.date(2026, 1, 16)
    assert h.provinces == {"31"}
    assert h.kinds == {ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK}
    assert h.reference.startswith("Biên bản")


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('[[handover]]\nplace = "A"\nleader = "B"\n', "date"),
        ('[[handover]]\ndate = 2026-01-16\nleader = "B"\n', "place"),
        ('[[handover]]\ndate = 2026-01-16\nplace = "A"\nleader = "B"\nkinds = ["xe máy"]\n', "kinds"),
        (
            '[[handover]]\ndate = 2026-01-16\nplace = "A"\nleader = "B"\nprovinces = ["Atlantis"]\n',
            "provinces",
        ),
        ('[[handover]]\ndate = 2026-01-16\nplace = "A"\nleader = "B"\npledges = "P01"\n', "pledges"),
        ('[[handover]]\ndate = 2026-01-16\nplace = "A"\nleader = "B"\nleaders = "C"\n', "leaders"),
        ('[[handover]]\ndate = 2026-01-16\nplace = "A"\nleader = "B"\nreference = 7\n', "reference"),
        ("TOP", "handover"),
    ],
)
def test_a_bad_handover_table_is_refused_by_name(tmp_path: Path, table: str, named: str) -> None:
    folder = _folder(tmp_path, "" if table == "TOP" else table)
    if table == "TOP":  # a key of the file itself, not a table
        toml = folder / "campaign.toml"
        toml.write_text("handover = 3\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CampaignFileError, match=named):
        read_handovers(folder / "campaign.toml")


def test_kinds_and_provinces_in_vietnamese(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[[handover]]\ndate = 2026-01-16\nplace = "Bệnh viện Nhi Trung ương"\nleader = "Lãnh đạo Ngành"\n'
        'kinds = ["quà Tết"]\nprovinces = ["Hà Nội", "31"]\nhospitals = ["Bệnh viện  Nhi Trung ương"]\n',
    )
    (h,) = read_handovers(folder / "campaign.toml")
    assert h.kinds == {ProductKind.TET_GIFT}
    assert h.provinces == {"01", "31"}
    assert h.hospitals == {"Bệnh viện Nhi Trung ương"}


def test_the_ceremony_delivers_its_gifts_and_the_report_lists_it(tmp_path: Path) -> None:
    run = run_campaign(EXAMPLE, out=tmp_path / "out", plugins=False)
    (row,) = run.report.handovers
    delivered_there = [
        g
        for g in run.allocation.gifts
        if g.province == "31" and g.kind in (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK)
    ]
    assert row.gifts > 0
    assert row.gifts <= len(delivered_there)
    assert row.health_cards + row.social_books == row.gifts
    # the ceremony's gifts were handed over on its day; the other paid gifts on the general date
    assert run.events_file is not None  # the example's [run] asks for events.jsonl
    events = {e.event_id: e for e in read_jsonl(run.events_file)}
    ceremony = [e for e in events.values() if e.type == "gift_delivered" and e.on == dt.date(2026, 1, 16)]
    assert len(ceremony) == row.gifts
    assert any(e.type == "gift_delivered" and e.on == dt.date(2026, 1, 20) for e in events.values())
    text = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Lễ trao tặng (1)" in text
    assert "UBND phường Hải An, TP Hải Phòng" in text
    rows = list(csv.reader(io.StringIO((tmp_path / "out" / "handovers.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["on", "place", "leader"]
    assert rows[1][0] == "2026-01-16"
    assert int(rows[1][rows[0].index("gifts")]) == row.gifts
    assert run.files.handovers in run.files.all
    assert "Lễ trao tặng" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_hostile_ceremony_text_is_formula_safe_and_escaped(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        '[[handover]]\ndate = 2026-01-16\nplace = "=HYPERLINK(\\"http://x\\")"\nleader = "<script>alert(1)</script>"\n'
        'provinces = ["31"]\n',
    )
    run_campaign(folder, out=tmp_path / "out", plugins=False)
    text = (tmp_path / "out" / "handovers.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "<script>" not in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "<script>" not in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "report.xlsx")["Lễ trao tặng"]
    assert str(sheet["B2"].value).startswith("'=")


def test_tet_gifts_by_hospital_in_the_report(tmp_path: Path) -> None:
    run = run_campaign(EXAMPLE, out=tmp_path / "out", plugins=False)
    rep = run.report
    (level,) = rep.rows_for("hospital_level")
    assert (level.key, level.label, level.tet_gifts) == (
        "central",
        "tuyến Trung ương",
        rep.count(ProductKind.TET_GIFT),
    )
    assert (
        rep.hospitals_text() == "tại Bệnh viện Bệnh nhiệt đới Trung ương, Hữu nghị Việt Đức, Nhi Trung ương"
    )
    assert rep.hospitals_text("en").startswith("at Bệnh viện Bệnh nhiệt đới Trung ương, ")
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Quà Tết theo tuyến bệnh viện" in markdown
    assert rep.hospitals_text() in markdown
    assert "tuyến Trung ương" in (tmp_path / "out" / "report.csv").read_text(encoding="utf-8-sig")


def test_a_roster_with_affiliations_and_hospitals_gives_both() -> None:
    # the roster's extra columns are read in one pass over the file, listed when both are there
    data = read_campaign_folder(EXAMPLE)
    with (EXAMPLE / "roster.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert data.affiliation_map() == {
        r["Mã"]: frozenset({r["Đơn vị liên quan"]}) for r in rows if r["Đơn vị liên quan"]
    }
    assert {p: hospital for p, (hospital, _) in data.hospitals} == {
        r["Mã"]: r["Bệnh viện"] for r in rows if r["Bệnh viện"]
    }
    assert data.affiliations
    assert data.hospitals


def test_a_bad_hospital_level_in_the_roster_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    roster = folder / "roster.csv"
    text = roster.read_text(encoding="utf-8").replace(
        "Hữu nghị Việt Đức,Trung ương", "Hữu nghị Việt Đức,tuyến xã"
    )
    roster.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignFileError, match="hospital_level"):
        read_campaign_folder(folder)


def test_a_report_without_tet_gifts_has_no_hospital_rows() -> None:
    from ansinh.core.campaign import Campaign
    from ansinh.data import default_law

    c = Campaign(code="C", name="C", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31))
    rep = report(Ledger(c, law=default_law()).state, on=dt.date(2026, 1, 31))
    assert rep.rows_for("hospital") == ()
    assert rep.hospitals_text() == ""
