"""The national roll-up, province units (63 / 34), aggregate records, the year series and their files."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.core.accounting import RegistrationLevel
from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, Instalment, Pledge, Sponsor
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    GiftDelivered,
    GiftPaid,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeRegistered,
)
from ansinh.core.national import (
    CENTRAL_KEY,
    AggregateRecord,
    Backing,
    RollupRow,
    aggregates_from_mapping,
    map_to_current,
    national_report,
)
from ansinh.core.people import Category
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook
from ansinh.core.provinces import former_provinces
from ansinh.core.reporting import report
from ansinh.core.series import year_series
from ansinh.data import default_law, published_figures
from ansinh.exceptions import AnsinhError, InvalidValueError
from ansinh.io.national_files import (
    render_national_html,
    render_national_markdown,
    write_national_report,
)
from ansinh.strategies import ledger_states, ledgers

LAW = default_law()
PLAN = "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"
START, END = dt.date(2025, 10, 23), dt.date(2026, 3, 31)
BUY, PAY, HAND = dt.date(2025, 12, 1), dt.date(2025, 12, 5), dt.date(2025, 12, 10)
NEAR_POOR = frozenset({Category.NEAR_POOR})


def campaign_of(code: str, province: str | None) -> Campaign:
    return Campaign(
        code=code, name="Xuân Bính Ngọ 2026", plan_reference=PLAN, province=province, start=START, end=END
    )


def gifts_for(
    pledge: str,
    where: str,
    products: list[Product],
    prefix: str,
    funding: Funding,
    days: tuple[dt.date, dt.date, dt.date] = (BUY, PAY, HAND),
) -> list[Event]:
    buy, pay, hand = days
    events: list[Event] = []
    for n, product in enumerate(products):
        who = Beneficiary(person_id=f"{prefix}-{n:04d}", province=where, categories=NEAR_POOR)
        gift = Gift(
            id=f"{prefix}-G{n:04d}",
            pledge_id=pledge,
            beneficiary=who,
            product=product,
            quote=price(product, who, on=buy, law=LAW),
            funding=funding,
            covers_from=buy,
        )
        events.append(GiftAllocated(event_id=f"a:{gift.id}", on=buy, gift=gift))
        events.append(GiftPaid(event_id=f"p:{gift.id}", on=pay, gift_id=gift.id))
        events.append(GiftDelivered(event_id=f"d:{gift.id}", on=hand, gift_id=gift.id))
    return events


def register(n: int, money: int, on: dt.date, province: str) -> list[Event]:
    sponsor = Sponsor(id=f"S{n:03d}", name=f"Đơn vị {n}", kind="enterprise" if n % 3 else "individual")
    return [
        PledgeRegistered(
            event_id=f"r{n}",
            on=on,
            sponsor=sponsor,
            pledge=Pledge(id=f"P{n:03d}", sponsor_id=sponsor.id, money=money),
        ),
        MoneyReceived(event_id=f"m{n}", on=on, pledge_id=f"P{n:03d}", amount=money),
    ]


@cache
def hai_phong() -> LedgerState:
    """Seed 003: by 15/12, 195 sponsors, over 1,61 billion đồng, 1.896 cards and 143 books handed over."""
    events = register(0, 1_224_000_000, dt.date(2025, 11, 3), "31")
    for n in range(1, 195):
        events += register(n, 2_000_000, dt.date(2025, 11, 10), "31")
    cards: list[Product] = [HealthCard(months=12)] * 1_896
    products = cards + [SocialBook(months=12)] * 143
    events += gifts_for("P000", "31", products, "HP", Funding.MONEY)
    events += register(195, 5_000_000, dt.date(2025, 12, 20), "31")  # after 15/12
    return Ledger(campaign_of("HP2026", "31"), law=LAW, events=events).state


@cache
def hung_yen() -> LedgerState:
    events = register(0, 40_000_000, dt.date(2025, 11, 5), "33")
    events += gifts_for("P000", "33", [HealthCard(months=12)] * 20, "HY", Funding.MONEY)
    return Ledger(campaign_of("HY2026", "33"), law=LAW, events=events).state


@cache
def central() -> LedgerState:
    """BHXH Việt Nam: a bank registers 100 near-poor cards centrally; 30 go to Hải Phòng, 10 to Hà Nội."""
    bank = Sponsor(id="VCB", name="Ngân hàng A", kind="bank")
    cards = Pledge(
        id="VCB-1",
        sponsor_id="VCB",
        units=((ProductKind.HEALTH_CARD, 100),),
        unit_categories=NEAR_POOR,
        funds_source="quỹ từ thiện xã hội",
    )
    events: list[Event] = [
        PledgeRegistered(event_id="r", on=dt.date(2025, 10, 25), sponsor=bank, pledge=cards),
        MoneyReceived(event_id="m", on=dt.date(2025, 11, 1), pledge_id="VCB-1", amount=100 * 379_080),
    ]
    events += gifts_for("VCB-1", "31", [HealthCard(months=12)] * 30, "TW-HP", Funding.UNITS)
    events += gifts_for("VCB-1", "01", [HealthCard(months=12)] * 10, "TW-HN", Funding.UNITS)
    return Ledger(campaign_of("BN2026", None), law=LAW, events=events).state


def test_hai_phong_sentence_of_15_12_comes_from_the_data() -> None:
    r = national_report([hai_phong()], on=dt.date(2025, 12, 15), law=LAW)
    assert r.office == "BHXH TP Hải Phòng"
    assert r.summary_vi().startswith(
        "Đến ngày 15/12, BHXH TP Hải Phòng đã vận động được 195 đơn vị, doanh nghiệp và cá nhân "
        "tham gia ủng hộ với tổng kinh phí hơn 1,61 tỷ đồng. Từ nguồn kinh phí này, đã trao tặng "
        "1.896 thẻ BHYT và 143 sổ BHXH cho người dân có hoàn cảnh khó khăn"
    )
    t = r.totals()
    assert (t["sponsors"], t["mobilised"], t["health_cards"], t["social_books"]) == (
        195,
        1_612_000_000,
        1_896,
        143,
    )
    # the day the 196th sponsor registered
    later = national_report([hai_phong()], on=dt.date(2025, 12, 20), law=LAW)
    assert later.totals()["sponsors"] == 196
    assert later.mobilised == 1_617_000_000
    assert "As of 2025-12-15, BHXH TP Hải Phòng had mobilised 195 sponsors" in r.summary_en()


def test_the_national_report_has_a_row_per_province_central_and_provincial_apart() -> None:
    on = dt.date(2026, 1, 31)
    r = national_report([central(), hai_phong(), hung_yen()], on=on, law=LAW)
    assert r.office == "BHXH Việt Nam"
    rows = {x.key: x for x in r.rows_for("province")}
    assert set(rows) == {"01", "31", "33", CENTRAL_KEY}
    assert (rows["31"].health_cards, rows["31"].social_books) == (1_896 + 30, 143)
    assert rows["31"].central_value == 30 * 379_080
    assert rows["01"].central_value == rows["01"].value == 10 * 379_080
    assert rows["33"].central_value == 0
    assert rows[CENTRAL_KEY].registered == r.registered(RegistrationLevel.CENTRAL) == 100 * 379_080
    assert rows[CENTRAL_KEY].gifts == 0
    assert rows["31"].registered == 1_617_000_000
    levels = {x.key: x for x in r.rows_for("level")}
    assert levels["central"].value == 40 * 379_080
    assert levels["central"].unit_value == 100 * 379_080
    assert levels["province"].money == 1_617_000_000 + 40_000_000
    sources = {x.key: x.registered for x in r.rows_for("funds_source")}
    assert sources["quỹ từ thiện xã hội"] == 100 * 379_080
    assert [x.key for x in r.rows_for("campaign")] == ["BN2026", "HP2026", "HY2026"]
    assert "(khối Trung ương" in r.summary_vi()
    assert "tại 3 tỉnh, thành phố" in r.summary_vi()
    assert r.as_dict()["totals"]["provinces"] == 3


def test_bad_input_is_refused_with_the_field_named() -> None:
    with pytest.raises(InvalidValueError, match="one state per campaign"):
        national_report([hung_yen(), hung_yen()], on=END, law=LAW)
    with pytest.raises(InvalidValueError, match="units"):
        national_report([], on=END, law=LAW, units="63")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="states"):
        national_report(["ledger"], on=END, law=LAW)  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="dimension"):
        national_report([], on=END, law=LAW).rows_for("district")
    with pytest.raises(AnsinhError, match="province"):
        AggregateRecord(year=2024, province="99", source="x")
    with pytest.raises(AnsinhError, match="province"):
        AggregateRecord(year=2024, province="30", source="x")  # Hải Dương is a former code
    with pytest.raises(InvalidValueError, match="former"):
        AggregateRecord(year=2024, former=True, source="x")
    with pytest.raises(InvalidValueError, match="people"):
        AggregateRecord(year=2024, people=-1, source="x")
    with pytest.raises(InvalidValueError, match="source"):
        AggregateRecord(year=2024, people=1, source="")


def _before_the_merger(code: str, where: str, cards: int) -> LedgerState:
    """A campaign of June 2025 whose gifts were handed over before the 2025-07-01 merger."""
    campaign = Campaign(
        code=code,
        name="Tháng 6/2025",
        plan_reference=PLAN,
        province=where,
        start=dt.date(2025, 6, 1),
        end=dt.date(2025, 12, 31),
    )
    events = register(0, 40_000_000, dt.date(2025, 6, 1), where)
    days = (dt.date(2025, 6, 10), dt.date(2025, 6, 12), dt.date(2025, 6, 15))
    events += gifts_for("P000", where, [HealthCard(months=12)] * cards, code, Funding.MONEY, days)
    return Ledger(campaign, law=LAW, events=events).state


@pytest.mark.parametrize(
    ("on", "keys"),
    [
        (dt.date(2025, 6, 30), [("01", True), ("30", True), ("33", False)]),  # the 63 units
        (dt.date(2025, 7, 1), [("01", False), ("31", False), ("33", False)]),  # the 34 units
    ],
)
def test_units_of_the_date_the_day_before_and_the_day_of_the_merger(
    on: dt.date, keys: list[tuple[str, bool]]
) -> None:
    hai_duong = AggregateRecord(year=2025, province="30", former=True, value=7, source="báo Hải Dương")
    states = [_before_the_merger("HN2025", "01", 5), _before_the_merger("HY2025", "33", 20)]
    r = national_report(states, on=on, law=LAW, units="of_date", aggregates=[hai_duong])
    persons = [(x.key, x.former) for x in r.rows_for("province")]
    assert sorted(persons) == keys
    if on < dt.date(2025, 7, 1):
        assert next(x for x in r.rows_for("province") if x.key == "01").label == "Hà Nội"
        assert next(x for x in r.rows_for("province") if x.key == "30").backing is Backing.AGGREGATE
        # Hưng Yên took in Thái Bình: its person rows cannot be split, so they keep today's unit
        assert next(x for x in r.rows_for("province") if x.key == "33").label.endswith(
            "(đơn vị từ 01/07/2025)"
        )
    # mapped to today's units whatever the date
    now = national_report(states, on=on, law=LAW, aggregates=[hai_duong])
    assert {x.key for x in now.rows_for("province")} == {"01", "31", "33"}


_FORMER = [f.code for f in former_provinces()]


@given(
    st.lists(
        st.tuples(st.sampled_from(_FORMER), st.integers(0, 10**12), st.integers(0, 10**6)),
        max_size=40,
    )
)
def test_mapping_the_63_to_the_34_preserves_totals(data: list[tuple[str, int, int]]) -> None:
    rows = [
        RollupRow(dimension="province", key=code, label=code, former=True, value=value, people=people)
        for code, value, people in data
    ]
    mapped = map_to_current(rows)
    assert sum(r.value for r in mapped) == sum(r.value for r in rows)
    assert sum(r.people for r in mapped) == sum(r.people for r in rows)
    assert not any(r.former for r in mapped)
    assert len(mapped) <= 34
    for r in mapped:  # each current unit holds exactly its former units' figures
        assert r.value == sum(
            v for c, v, _ in data if next(f for f in former_provinces() if f.code == c).merged_into == r.key
        )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ledger_states(max_events=10), min_size=1, max_size=3, unique_by=lambda s: s.campaign.code),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
)
def test_roll_up_totals_are_the_sums_of_the_campaigns_reports(states: list[LedgerState], on: dt.date) -> None:
    r = national_report(states, on=on, law=LAW)
    own = [report(s, on=on) for s in states]
    t = r.totals()
    assert t["value"] == sum(x.value for x in own)
    assert t["received"] == sum(x.received for x in own)
    assert t["people_covered"] == sum(x.people_covered for x in own)
    for kind, name in ((ProductKind.HEALTH_CARD, "health_cards"), (ProductKind.SOCIAL_BOOK, "social_books")):
        assert t[name] == sum(x.count(kind) for x in own)
    for dimension in ("province", "level", "sponsor_kind", "funds_source", "campaign"):
        rows = r.rows_for(dimension)
        assert sum(x.value for x in rows) == t["value"], dimension
        assert sum(x.gifts for x in rows) == t["health_cards"] + t["social_books"] + t["tet_gifts"]
        assert sum(x.registered for x in rows) == t["mobilised"], dimension
    assert t["mobilised"] == t["registered_central"] + t["registered_province"]
    assert all(x.registered >= x.received for x in r.values)


def test_the_series_mixes_person_backed_years_and_published_totals() -> None:
    published = [
        AggregateRecord(
            year=2024, health_cards=141_000, social_books=12_000, approximate=True, source="seed 002"
        ),
        AggregateRecord(year=2025, books_and_cards=185_055, value=52_500_000_000, source="seed 002"),
        AggregateRecord(year=2024, province="31", people=1, source="a province"),
    ]
    rep = national_report([central(), hai_phong()], on=dt.date(2026, 1, 31), law=LAW)
    rows = year_series({2026: rep}, published)
    assert [(r.year, r.backing) for r in rows] == [
        (2024, Backing.AGGREGATE),
        (2025, Backing.AGGREGATE),
        (2026, Backing.PERSONS),
    ]
    assert rows[0].books_and_cards == 153_000
    assert rows[0].approximate
    assert rows[0].people is None  # not published: unknown, not zero
    assert rows[2].books_and_cards == 1_896 + 143 + 40
    assert rows[2].as_dict()["backing"] == "persons"
    hp = year_series({2026: rep}, published, province_code="31")
    assert [(r.year, r.backing, r.people) for r in hp] == [
        (2024, Backing.AGGREGATE, 1),
        (2026, Backing.PERSONS, 1_896 + 143 + 30),
    ]
    with pytest.raises(InvalidValueError, match="reports"):
        year_series({2026: "report"})  # type: ignore[dict-item]


def test_a_person_in_two_campaigns_counts_in_each() -> None:
    a = hung_yen()
    b = Ledger(
        attrs.evolve(a.campaign, code="HY2026-B"), law=LAW, events=Ledger(a.campaign, law=LAW).events
    ).state
    r = national_report([a, b], on=END, law=LAW)
    assert r.totals()["people_covered"] == report(a, on=END).people_covered + report(b, on=END).people_covered


def test_the_shipped_published_figures_carry_their_sources() -> None:
    figures = published_figures()
    national = [r for r in figures if r.province is None]
    assert [r.year for r in national] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert all(r.source and r.backing is Backing.AGGREGATE for r in figures)
    y2025 = national[-1]
    assert (y2025.books_and_cards, y2025.value, y2025.mobilised) == (185_055, 52_500_000_000, 54_380_000_000)
    series = year_series({}, figures)
    assert [r.year for r in series] == [2020, 2021, 2022, 2023, 2024, 2025]
    assert series[0].people is None  # "hàng chục nghìn người": no figure, not zero
    # Bình Dương (74, a former province) is reported under TP Hồ Chí Minh (79) today
    hcm = year_series({}, figures, province_code="79")
    assert [(r.year, r.books_and_cards) for r in hcm] == [(2023, 1_140 + 7_662)]


def test_aggregate_files_name_the_bad_field() -> None:
    assert aggregates_from_mapping({"record": []}) == ()
    with pytest.raises(InvalidValueError, match="record"):
        aggregates_from_mapping({"rows": []})
    with pytest.raises(InvalidValueError, match="record 1"):
        aggregates_from_mapping({"record": [{"year": 2024, "source": "x", "cards": 3}]})
    with pytest.raises(InvalidValueError, match="record 2: year"):
        aggregates_from_mapping({"record": [{"year": 2024, "source": "x"}, {"year": 1900, "source": "x"}]})
    with pytest.raises(InvalidValueError, match="source"):
        aggregates_from_mapping({"record": [{"year": 2024}]})
    with pytest.raises(InvalidValueError, match="record"):
        aggregates_from_mapping({"record": "2024"})


# -- files ---------------------------------------------------------------------------------

FILES_ON = dt.date(2026, 1, 31)


def _hostile() -> object:
    c = Campaign(
        code="HY", name="<b>Xuân</b>", province="33", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
    )
    s = Sponsor(id="S", name="=cmd|' /C calc'!A0", kind="enterprise")
    p = Pledge(id="P", sponsor_id="S", money=1_000_000, funds_source='=HYPERLINK("x")')
    ledger = Ledger(
        c,
        law=LAW,
        events=[
            PledgeRegistered(event_id="r", on=dt.date(2025, 11, 1), sponsor=s, pledge=p),
            MoneyReceived(event_id="m", on=dt.date(2025, 11, 2), pledge_id="P", amount=1_000_000),
        ],
    )
    return ledger.state


def test_files_hold_every_row_and_the_series(tmp_path: Path) -> None:
    rep = national_report(
        [central(), hai_phong()],
        on=FILES_ON,
        law=LAW,
        aggregates=[
            AggregateRecord(year=2025, province="31", health_cards=1_896, source="VTC News (seed 003)")
        ],
    )
    series = year_series({2026: rep}, published_figures())
    files = write_national_report(rep, tmp_path / "out", series=series)
    assert files.csv.read_bytes().startswith(b"\xef\xbb\xbf")
    with files.csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(rep.rows)
    hp = [r for r in rows if r["dimension"] == "province" and r["key"] == "31"]
    assert sorted(r["backing"] for r in hp) == ["aggregate", "persons"]
    assert next(r for r in hp if r["backing"] == "aggregate")["source"] == "VTC News (seed 003)"
    assert files.series is not None
    with files.series.open(encoding="utf-8-sig", newline="") as fh:
        years = [(r["year"], r["backing"]) for r in csv.DictReader(fh)]
    assert years[-1] == ("2026", "persons")
    assert ("2025", "aggregate") in years
    md = files.markdown.read_text(encoding="utf-8")
    assert "## Theo tỉnh, thành phố" in md
    assert "TP Hải Phòng *" in md  # the published row is marked
    assert "## Qua các năm" in md
    page = files.html.read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # by province, and the years
    assert files.summary.read_text(encoding="utf-8").startswith("Đến ngày 31/1, BHXH Việt Nam")
    assert set(files.all) >= {files.csv, files.totals, files.markdown, files.html}


def test_cells_cannot_run_as_formulas_and_pages_are_escaped(tmp_path: Path) -> None:
    rep = national_report([_hostile()], on=FILES_ON, law=LAW)  # type: ignore[list-item]
    files = write_national_report(rep, tmp_path)
    text = files.csv.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    assert files.xlsx is not None
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(files.xlsx)
    assert wb.sheetnames == ["national", "totals"]
    values = [c.value for row in wb["national"].iter_rows() for c in row]
    assert '\'=HYPERLINK("x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    page = render_national_html(rep)
    assert "<b>Xuân</b>" not in page
    assert "=HYPERLINK(&quot;x&quot;)" in page
    assert "<svg" not in page  # no gift: no province chart
    md = render_national_markdown(rep)
    assert "Theo nguồn kinh phí" in md
    assert "&lt;b&gt;Xuân&lt;/b&gt;" in md
    assert "<b>" not in md


def test_unwritable_folder_is_an_ansinh_error(tmp_path: Path) -> None:
    from ansinh.exceptions import AnsinhError

    blocker = tmp_path / "file"
    blocker.write_text("x")
    rep = national_report([], on=FILES_ON, law=LAW)
    with pytest.raises(AnsinhError):
        write_national_report(rep, blocker / "sub")


# -- the command ---------------------------------------------------------------------------------


def _store(path: Path, campaign: Campaign, events: list[Event]) -> Path:
    from ansinh.io.store import SqliteStore

    with SqliteStore(path, campaign, law=LAW) as store:
        store.extend(events)
    return path


def _stores(folder: Path) -> tuple[str, str]:
    hy = register(0, 40_000_000, dt.date(2025, 11, 5), "33")
    hy += gifts_for("P000", "33", [HealthCard(months=12)] * 3, "HY", Funding.MONEY)
    bank = Sponsor(id="VCB", name="Ngân hàng A", kind="bank")
    cards = Pledge(
        id="VCB-1", sponsor_id="VCB", units=((ProductKind.HEALTH_CARD, 10),), unit_categories=NEAR_POOR
    )
    tw: list[Event] = [
        PledgeRegistered(event_id="r", on=dt.date(2025, 10, 25), sponsor=bank, pledge=cards),
        MoneyReceived(event_id="m", on=dt.date(2025, 11, 1), pledge_id="VCB-1", amount=10 * 379_080),
    ]
    tw += gifts_for("VCB-1", "31", [HealthCard(months=12)] * 2, "TW-HP", Funding.UNITS)
    a = _store(folder / "hy.sqlite", campaign_of("HY2026", "33"), hy)
    b = _store(folder / "tw.sqlite", campaign_of("BN2026", None), tw)
    return str(a), str(b)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from ansinh import cli

    code = cli.main(["--no-plugins", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_rolls_up_several_stores(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import json

    hy, tw = _stores(tmp_path)
    code, out, err = _run(capsys, "report", hy, tw, "--on", "2026-01-31")
    assert code == 0, err
    assert out.startswith("Đến ngày 31/1, BHXH Việt Nam đã vận động được 2 đơn vị")
    code, out, err = _run(capsys, "report", hy, tw, "--on", "2026-01-31", "--json", "--by", "level")
    doc = json.loads(out)
    assert doc["type"] == "national_report"
    assert doc["totals"]["health_cards"] == 5
    assert doc["totals"]["registered_central"] == 10 * 379_080
    assert {r["key"] for r in doc["rows"] if r["dimension"] == "province"} == {"31", "33", "TW"}
    code, out, err = _run(capsys, "report", hy, tw, "--campaign", "HY2026", "--on", "2025-12-15")
    assert out.startswith("Đến ngày 15/12, BHXH Hưng Yên")
    code, out, err = _run(
        capsys,
        "report",
        hy,
        tw,
        "--by",
        "year",
        "--published",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "out"),
    )
    assert code == 0, err
    years = [line.split()[0] for line in out.splitlines() if line.startswith("  20")]
    assert years == ["2020", "2021", "2022", "2023", "2024", "2025", "2025"]
    assert "person-backed" in out
    assert (tmp_path / "out" / "national.html").read_text(encoding="utf-8").count("<svg") == 2
    # one store and nothing else: the campaign report, as before
    code, out, err = _run(capsys, "report", hy, "--on", "2026-01-31")
    assert "Xuân Bính Ngọ 2026" in out.splitlines()[0]
    assert "BHXH Việt Nam" not in out


def test_the_command_refuses_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    hy, tw = _stores(tmp_path)
    code, _, err = _run(capsys, "report", hy, tw, "--campaign", "NOPE")
    assert code == 2
    assert "NOPE" in err
    bad = tmp_path / "bad.toml"
    bad.write_text("[[record]]\nyear = 2024\n", encoding="utf-8")
    code, _, err = _run(capsys, "report", hy, "--aggregates", str(bad))
    assert code == 2
    assert "source" in err
    bad.write_text("not toml ===", encoding="utf-8")
    code, _, err = _run(capsys, "report", hy, "--aggregates", str(bad))
    assert code == 2
    assert "--aggregates" in err
    code, _, err = _run(capsys, "report", hy, "--by", "district")
    assert code == 2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(ledgers(max_events=10), min_size=1, max_size=3, unique_by=lambda ledger: ledger.campaign.code),
    st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
)
def test_a_report_as_of_a_date_is_the_report_of_the_events_up_to_it(
    ledgers_: list[Ledger], on: dt.date
) -> None:
    truncated = [
        Ledger(ledger.campaign, law=LAW, events=[e for e in ledger.events if e.on <= on]).state
        for ledger in ledgers_
    ]
    full = national_report([ledger.state for ledger in ledgers_], on=on, law=LAW)
    cut = national_report(truncated, on=on, law=LAW)
    assert full.totals() == cut.totals()
    assert full.rows == cut.rows
    assert full.summary_vi() == cut.summary_vi()


def test_instalments_due_and_overdue_are_in_the_national_totals() -> None:
    plan = (
        Instalment(due=dt.date(2025, 11, 30), amount=5_000_000),
        Instalment(due=dt.date(2025, 12, 31), amount=5_000_000),
    )
    sponsor = Sponsor(id="S", name="Công ty A", kind="enterprise")
    ledger = Ledger(
        campaign_of("HN2026", "01"),
        law=LAW,
        events=[
            PledgeRegistered(
                event_id="r",
                on=dt.date(2025, 11, 1),
                sponsor=sponsor,
                pledge=Pledge(id="P", sponsor_id="S", money=10_000_000, instalments=plan),
            ),
            MoneyReceived(event_id="m", on=dt.date(2025, 11, 20), pledge_id="P", amount=3_000_000),
        ],
    )
    before = national_report([ledger.state], on=dt.date(2025, 11, 29), law=LAW).totals()
    assert (before["instalments_due"], before["instalments_overdue"]) == (0, 0)
    mid = national_report([ledger.state], on=dt.date(2025, 12, 15), law=LAW)
    assert (mid.totals()["instalments_due"], mid.totals()["instalments_overdue"]) == (0, 2_000_000)
    assert mid.summary_vi().endswith("Các khoản tài trợ đã quá hạn nộp 2.000.000 đ.")
    end = national_report([ledger.state], on=dt.date(2025, 12, 31), law=LAW).totals()
    assert (end["instalments_due"], end["instalments_overdue"]) == (5_000_000, 2_000_000)


def test_every_province_gives_a_row_for_each_unit_in_force() -> None:
    r = national_report([central(), hung_yen()], on=END, law=LAW, every_province=True)
    keys = [x.key for x in r.rows_for("province")]
    assert len(keys) == 34 + 1  # the 34 units and the central registrations
    assert CENTRAL_KEY in keys
    assert next(x for x in r.rows_for("province") if x.key == "96").gifts == 0
    assert sum(x.value for x in r.rows_for("province")) == r.totals()["value"]
    before = national_report(
        [_before_the_merger("HN2025", "01", 5)],
        on=dt.date(2025, 6, 30),
        law=LAW,
        units="of_date",
        every_province=True,
    )
    former = [x for x in before.rows_for("province") if x.former]
    assert len(former) == 63
    assert next(x for x in former if x.key == "01").gifts == 5
