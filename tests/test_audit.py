"""The audit trail: who recorded each event, when, on which document; the hash chain and ``ledger verify``."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import cli
from ansinh.cli.schemas import cli_schema
from ansinh.core.audit import Actor, Audit, Recorded
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.ledger import Event, MoneyReceived, PledgeRegistered
from ansinh.core.products import ProductKind
from ansinh.exceptions import CampaignFileError, InvalidValueError, LedgerError
from ansinh.io.campaign_toml import read_campaign_toml
from ansinh.io.documents import read_deliveries
from ansinh.io.run import run_campaign
from ansinh.io.store import SqliteStore, merge, open_store, verify_store

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
CLERK = Actor(id="hp-017", role="clerk")
ACCOUNTANT = Actor(id="hp-020", role="accountant")
AT = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
SPONSOR = Sponsor(id="S1", name="Công ty Cảng Xanh", kind="enterprise")


def _campaign(code: str, parent: str | None = None) -> Campaign:
    return Campaign(
        code=code,
        name=f"Xuân Bính Ngọ 2026 {code}",
        start=dt.date(2025, 10, 23),
        end=dt.date(2026, 3, 31),
        parent=parent,
    )


NATIONAL = _campaign("BN2026")
PROVINCE = _campaign("BN2026-31", "BN2026")


def _pledges(prefix: str, n: int) -> list[Event]:
    events: list[Event] = []
    for i in range(1, n + 1):
        pid = f"{prefix}{i}"
        events.append(
            PledgeRegistered(
                event_id=f"reg:{pid}",
                on=dt.date(2025, 11, 1),
                sponsor=SPONSOR,
                pledge=Pledge(id=pid, sponsor_id="S1", money=1_000_000 * i),
            )
        )
        events.append(
            MoneyReceived(
                event_id=f"recv:{pid}:1", on=dt.date(2025, 11, 2), pledge_id=pid, amount=500_000 * i
            )
        )
    return events


def _store(path: Path, campaign: Campaign, events: list[Event], actor: Actor | None = CLERK) -> Path:
    with SqliteStore(path, campaign) as store:
        half = len(events) // 2
        store.append_batch(
            events[:half], actor=actor, documents={e.event_id: f"PT {e.event_id}" for e in events[:2]}
        )
        store.append_batch(events[half:], actor=ACCOUNTANT, recorded_at=AT)
    return path


# -- the values -----------------------------------------------------------------


def test_audit_values_are_checked() -> None:
    with pytest.raises(InvalidValueError, match="recorded_at"):
        Audit(recorded_at=dt.datetime(2026, 1, 5, 9, 30))
    with pytest.raises(InvalidValueError, match="document"):
        Audit(document="a\nb")
    with pytest.raises(InvalidValueError, match="document"):
        Audit(document="x" * 201)
    with pytest.raises(InvalidValueError, match="id"):
        Actor(id=" ", role="clerk")
    with pytest.raises(InvalidValueError, match="actor"):
        Audit(actor="hp-017")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="event"):
        Recorded(event="reg:P1", audit=Audit(), seq=1, chain="")  # type: ignore[arg-type]


def test_each_event_keeps_who_recorded_it_when_and_its_document(tmp_path: Path) -> None:
    events = _pledges("P", 2)
    with SqliteStore(tmp_path / "s.sqlite", NATIONAL) as store:
        assert store.append(events[0], actor=CLERK, document="Đăng ký số 12")
        store.append_batch(events[1:], actor=ACCOUNTANT, documents={"recv:P1:1": "PT 0045"}, recorded_at=AT)
        again = store.append_batch(events, actor=CLERK, documents={"recv:P1:1": "other"})
        records = store.records()
    assert again == ()  # sent again: nothing new, the audit kept is the first one
    assert [r.event for r in records] == events
    assert [r.seq for r in records] == [1, 2, 3, 4]
    first, second, third = records[0].audit, records[1].audit, records[2].audit
    assert first.actor == CLERK
    assert first.document == "Đăng ký số 12"
    assert first.recorded_at is not None
    assert first.recorded_at.utcoffset() == dt.timedelta(0)
    assert second == Audit(actor=ACCOUNTANT, recorded_at=AT, document="PT 0045")
    assert third == Audit(actor=ACCOUNTANT, recorded_at=AT, document="")
    assert len({r.chain for r in records}) == 4


def test_a_bad_audit_writes_nothing(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.sqlite", NATIONAL) as store:
        with pytest.raises(InvalidValueError, match="recorded_at"):
            store.append_batch(_pledges("P", 1), actor=CLERK, recorded_at=dt.datetime(2026, 1, 5))
        with pytest.raises(InvalidValueError, match="document"):
            store.append_batch(_pledges("P", 1), documents={"reg:P1": "x" * 500})
        with pytest.raises(InvalidValueError, match="documents"):
            store.append_batch(_pledges("P", 1), documents=["reg:P1"])  # type: ignore[arg-type]
        assert len(store) == 0
    assert verify_store(tmp_path / "s.sqlite").intact


# -- the chain --------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of two campaigns, three batches each, with actors and documents."""
    path = tmp_path_factory.mktemp("chain") / "base.sqlite"
    _store(path, NATIONAL, _pledges("N", 3))
    with SqliteStore(path, PROVINCE) as store:
        events = _pledges("H", 3)
        store.append_batch(events[:3], actor=CLERK, documents={"recv:H1:1": "UNC 0001"})
        store.append_batch(events[3:], actor=CLERK)
    return path


def _rows(path: Path) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT * FROM events ORDER BY seq").fetchall()


COLUMNS = (
    "campaign",
    "event_id",
    "type",
    "on_date",
    "body",
    "digest",
    "recording",
    "document",
    "chain",
)
RECORDING_COLUMNS = ("actor", "role", "recorded_at")


def _changed(value: Any) -> Any:
    if isinstance(value, bytes):
        return bytes([value[0] ^ 1]) + value[1:] if value else b"\x00"
    if isinstance(value, int):
        return 2 if value == 1 else 1  # the other campaign
    if value is None:
        return "someone"
    if value.startswith("{"):
        return value.replace("1", "2", 1) if "1" in value else value + " "
    return value + "x"


@st.composite
def tampering(draw: st.DrawFn, rows: int, recordings: int) -> tuple[str, Any, Any]:
    kind = draw(st.sampled_from(["edit", "delete", "swap", "head", "recording"]))
    if kind == "edit":
        return kind, draw(st.integers(1, rows)), draw(st.sampled_from(COLUMNS))
    if kind == "recording":  # the row keeping who recorded a batch, and when
        return kind, draw(st.integers(1, recordings)), draw(st.sampled_from(RECORDING_COLUMNS))
    if kind == "delete":
        return kind, draw(st.integers(1, rows)), None
    if kind == "head":
        return kind, draw(st.sampled_from([1, 2])), None
    return kind, draw(st.integers(1, rows)), draw(st.integers(1, rows))


def _tamper(path: Path, change: tuple[str, Any, Any]) -> bool:
    """Apply *change* to the store at *path*; ``False`` when it changes nothing (a swap of a row with itself)."""
    kind, a, b = change
    with contextlib.closing(sqlite3.connect(path)) as conn:
        if kind == "edit":
            (old,) = conn.execute(f"SELECT {b} FROM events WHERE seq = ?", (a,)).fetchone()
            conn.execute(f"UPDATE events SET {b} = ? WHERE seq = ?", (_changed(old), a))
        elif kind == "recording":
            (old,) = conn.execute(f"SELECT {b} FROM recordings WHERE id = ?", (a,)).fetchone()
            conn.execute(f"UPDATE recordings SET {b} = ? WHERE id = ?", (_changed(old), a))
        elif kind == "delete":
            conn.execute("DELETE FROM events WHERE seq = ?", (a,))
        elif kind == "head":
            (old,) = conn.execute("SELECT head FROM campaigns WHERE id = ?", (a,)).fetchone()
            conn.execute("UPDATE campaigns SET head = ? WHERE id = ?", (_changed(old), a))
        else:
            ra = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM events WHERE seq = ?", (a,)).fetchone()
            rb = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM events WHERE seq = ?", (b,)).fetchone()
            if ra[0] != rb[0] or ra == rb:
                return False  # rows of two campaigns: their interleaving is not chained (see _chain)
            sets = ", ".join(f"{c} = ?" for c in COLUMNS)
            conn.execute(f"UPDATE events SET {sets} WHERE seq = ?", (*rb, a))
            conn.execute(f"UPDATE events SET {sets} WHERE seq = ?", (*ra, b))
        conn.commit()
    return True


@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_any_single_edit_deletion_or_swap_is_detected(base_store: Path, data: st.DataObject) -> None:
    assert verify_store(base_store).intact
    rows = len(_rows(base_store))
    with contextlib.closing(sqlite3.connect(base_store)) as conn:
        (recordings,) = conn.execute("SELECT count(*) FROM recordings").fetchone()
    assert recordings >= 3  # one per batch of each campaign
    change = data.draw(tampering(rows, recordings))
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "copy.sqlite"
        shutil.copyfile(base_store, copy)
        if not _tamper(copy, change):
            return
        found = verify_store(copy)
    assert not found.intact, change
    broken = found.broken
    assert broken is not None
    kind, a, b = change
    if kind == "edit" and b not in ("campaign",):
        assert broken.seq == a  # the edited row itself is named
    if kind == "recording":  # the first row recorded so is named
        with contextlib.closing(sqlite3.connect(base_store)) as conn:
            (first,) = conn.execute("SELECT min(seq) FROM events WHERE recording = ?", (a,)).fetchone()
        assert broken.seq == first
    if kind == "swap":
        assert broken.seq == min(a, b)


def test_verify_names_the_first_break_and_reports_each_campaign(base_store: Path, tmp_path: Path) -> None:
    found = verify_store(base_store)
    assert found.intact
    assert found.events == 12
    assert [(c.code, c.events) for c in found.campaigns] == [("BN2026", 6), ("BN2026-31", 6)]
    assert all(len(c.head) == 32 for c in found.campaigns)
    copy = tmp_path / "copy.sqlite"
    shutil.copyfile(base_store, copy)
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        (last,) = conn.execute("SELECT max(seq) FROM events WHERE campaign = 1").fetchone()
        conn.execute(
            "DELETE FROM events WHERE seq = ?", (last,)
        )  # the campaign's last row: only its head tells
        conn.commit()
    broken = verify_store(copy).broken
    assert broken is not None
    assert broken.campaign == "BN2026"
    assert broken.seq == 0
    assert "deleted" in broken.problem


def test_verify_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no store"):
        verify_store(tmp_path / "missing.sqlite")
    other = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE people (id TEXT)")
    with pytest.raises(LedgerError, match="not an ansinh store"):
        verify_store(other)


# -- merging --------------------------------------------------------------------------


def test_a_merged_store_keeps_its_sources_chains(tmp_path: Path) -> None:
    hp = tmp_path / "hp.sqlite"
    with SqliteStore(hp, PROVINCE) as store:
        store.append_batch(_pledges("H", 2)[:2], actor=CLERK, documents={"recv:H1:1": "UNC 0001"})
        store.append_batch(_pledges("H", 2)[2:])  # no actor named: the merge's actor records these
    national = tmp_path / "national.sqlite"
    _store(national, NATIONAL, _pledges("N", 2))
    merger = Actor(id="bhxh-vn", role="merge")
    with SqliteStore(national) as target, SqliteStore(hp) as source:
        merge(source, into=target, actor=merger)
        merged = target.records(campaign="BN2026-31")
        kept = source.records()
    assert verify_store(national).intact
    assert [r.audit for r in merged[:2]] == [r.audit for r in kept[:2]]
    assert [r.chain for r in merged[:2]] == [r.chain for r in kept[:2]]  # verbatim
    assert all(r.audit.actor == merger for r in merged[2:])
    # merged again after the province wrote more: the new rows keep their audit, chained after the merged ones
    with SqliteStore(hp) as store:
        store.append_batch(_pledges("H", 3)[4:], actor=CLERK)
    with SqliteStore(national) as target, SqliteStore(hp) as source:
        assert merge(source, into=target).new_events == 2
        assert [r.audit for r in target.records(campaign="BN2026-31")[4:]] == [
            r.audit for r in source.records()[4:]
        ]
    assert verify_store(national).intact


def test_merging_again_continues_the_sources_chain_verbatim(tmp_path: Path) -> None:
    hp = _store(tmp_path / "hp.sqlite", PROVINCE, _pledges("H", 2))
    national = tmp_path / "national.sqlite"
    for more in (_pledges("H", 3)[4:], _pledges("H", 4)[6:]):
        with SqliteStore(national) as target, SqliteStore(hp) as source:
            merge(source, into=target)
            assert [r.chain for r in target.records(campaign="BN2026-31")] == [
                r.chain for r in source.records()
            ]
        with SqliteStore(hp) as store:
            store.append_batch(more, actor=CLERK)
    assert verify_store(national).intact
    assert verify_store(national).campaigns[0].head != verify_store(hp).campaigns[0].head  # one merge behind


def test_merging_into_a_campaign_that_went_its_own_way_chains_anew(tmp_path: Path) -> None:
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    _store(a, NATIONAL, _pledges("A", 2))
    _store(b, NATIONAL, _pledges("B", 2))
    with SqliteStore(a) as target, SqliteStore(b) as source:
        assert merge(source, into=target).new_events == 4
        assert [r.audit for r in target.records()[4:]] == [r.audit for r in source.records()]
    assert verify_store(a).intact


# -- old stores ---------------------------------------------------------------------


DOWNGRADE_TO_3: tuple[str, ...] = (
    "ALTER TABLE events ADD COLUMN actor TEXT",
    "ALTER TABLE events ADD COLUMN role TEXT",
    "ALTER TABLE events ADD COLUMN recorded_at TEXT",
    "UPDATE events SET actor = (SELECT actor FROM recordings r WHERE r.id = events.recording), "
    "role = (SELECT role FROM recordings r WHERE r.id = events.recording), "
    "recorded_at = (SELECT recorded_at FROM recordings r WHERE r.id = events.recording)",
    "ALTER TABLE events DROP COLUMN recording",
    "DROP TABLE recordings",
    "UPDATE meta SET value = '3' WHERE key = 'schema_version'",
)
"""Make a schema-4 store what ansinh wrote before recordings were kept once (schema 3: on every row)."""

DOWNGRADE: tuple[str, ...] = (
    *DOWNGRADE_TO_3,
    "ALTER TABLE events DROP COLUMN chain",
    "ALTER TABLE events DROP COLUMN document",
    "ALTER TABLE events DROP COLUMN recorded_at",
    "ALTER TABLE events DROP COLUMN role",
    "ALTER TABLE events DROP COLUMN actor",
    "ALTER TABLE campaigns DROP COLUMN head",
    "UPDATE meta SET value = '2' WHERE key = 'schema_version'",
)
"""Make a schema-4 store what ansinh wrote before the audit trail (schema 2)."""


def _downgrade_to_2(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in DOWNGRADE:
            conn.execute(statement)
        conn.commit()


def test_an_old_store_is_upgraded_and_its_events_read_without_an_actor(tmp_path: Path) -> None:
    path = _store(tmp_path / "old.sqlite", NATIONAL, _pledges("P", 2))
    _downgrade_to_2(path)
    found = verify_store(path)
    assert not found.intact
    assert found.broken is not None
    assert "schema 2" in found.broken.problem
    with SqliteStore(path) as store:
        records = store.records()
        store.append(_pledges("P", 3)[4], actor=CLERK)
    assert [r.audit for r in records] == [Audit()] * 4
    assert verify_store(path).intact
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == "4"


def test_a_schema_3_store_keeps_its_audit_and_chains_when_upgraded(tmp_path: Path) -> None:
    path = _store(tmp_path / "three.sqlite", NATIONAL, _pledges("P", 2))
    with SqliteStore(path) as store:
        store.append(_pledges("P", 3)[4], actor=Actor(id="hp-018", role="accountant"), document="PT 1")
        before = store.records()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for statement in DOWNGRADE_TO_3:
            conn.execute(statement)
        conn.commit()
        assert conn.execute("SELECT count(DISTINCT recorded_at) FROM events").fetchone() == (3,)  # 3 batches
    three = verify_store(path)
    assert three.broken is not None
    assert "schema 3" in three.broken.problem
    with SqliteStore(path) as store:
        assert store.records() == before
    assert verify_store(path).intact  # the same chain digests: what they cover is unchanged
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == "4"
        kept = conn.execute("SELECT actor, role, recorded_at FROM recordings").fetchall()
    audits = {(r.audit.actor, r.audit.recorded_at) for r in before}
    assert sorted(kept) == sorted((a.id, a.role, t.isoformat()) for a, t in audits if a and t)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    assert "recorded_at" not in columns
    assert "recording" in columns


def test_an_old_store_with_an_edited_row_is_not_upgraded(tmp_path: Path) -> None:
    path = _store(tmp_path / "old.sqlite", NATIONAL, _pledges("P", 2))
    _downgrade_to_2(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE events SET body = replace(body, '1000000', '9000000') WHERE seq = 1")
        conn.commit()
    with pytest.raises(LedgerError, match="does not match its digest"):
        SqliteStore(path)
    with contextlib.closing(sqlite3.connect(path)) as conn:  # left as it was
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == "2"
        columns = [row[1] for row in conn.execute("PRAGMA table_info(events)")]
    assert "chain" not in columns


# -- every database ---------------------------------------------------------------------


def _run_sql(store_url: str, statement: str) -> None:
    if store_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(store_url.removeprefix("sqlite:///"))) as conn:
            conn.execute(statement)
            conn.commit()
        return
    import psycopg

    with psycopg.connect(store_url, autocommit=True) as pg:
        pg.execute(statement.encode())


def test_verify_on_every_database(store_url: str) -> None:
    events = _pledges("P", 3)
    with open_store(store_url, campaign=NATIONAL) as store:
        store.append_batch(events[:3], actor=CLERK, documents={"recv:P1:1": "PT 0045"})
        store.append_batch(events[3:], actor=ACCOUNTANT, recorded_at=AT)
        recorded = store.records()
    assert recorded[1].audit.document == "PT 0045"
    assert recorded[4].audit.recorded_at == AT
    found = verify_store(store_url)
    assert found.intact
    assert found.events == 6
    _run_sql(store_url, "UPDATE events SET document = 'PT 0046' WHERE event_id = 'recv:P1:1'")
    broken = verify_store(store_url).broken
    assert broken is not None
    assert broken.event_id == "recv:P1:1"


def test_an_old_postgres_or_sqlite_store_is_upgraded(store_url: str) -> None:
    with open_store(store_url, campaign=NATIONAL) as store:
        store.append_batch(_pledges("P", 2), actor=CLERK)
    for statement in DOWNGRADE:
        _run_sql(store_url, statement)
    with open_store(store_url) as store:
        assert [r.audit for r in store.records()] == [Audit()] * 4
        assert len(store) == 4
    assert verify_store(store_url).intact


def test_a_schema_3_postgres_or_sqlite_store_is_upgraded_with_its_audit(store_url: str) -> None:
    with open_store(store_url, campaign=NATIONAL) as store:
        store.append_batch(_pledges("P", 2), actor=CLERK, documents={"reg:P1": "PT 1"})
        before = store.records()
    for statement in DOWNGRADE_TO_3:
        _run_sql(store_url, statement)
    with open_store(store_url) as store:
        assert store.records() == before
    assert verify_store(store_url).intact


# -- the campaign runner and the command line ------------------------------------------------


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "build"
    run_campaign(EXAMPLE, out=out, plugins=False)
    return out / "ledger.sqlite"


def test_the_example_campaign_records_actors_and_documents(example_run: Path) -> None:
    with SqliteStore(example_run) as store:
        records = store.records()
    audits = {r.event.event_id: r.audit for r in records}
    assert {a.actor for a in audits.values()} == {
        Actor(id="ctv-bhxh-017", role="Trung tâm Chăm sóc khách hàng")
    }
    assert audits["recv:P02:1"].document == "UNC 2511-0458"
    assert audits["alloc:P01:33-002:health_card"].document.startswith("Biên bản họp xét duyệt số 15/BB-UBND")
    assert audits["deliver:P01:33-002:health_card"].document == "HN4330000000102"
    assert audits["deliver:P03:31-018:social_book"].document == "SS-31-000501"
    assert audits["pay:P01:33-002:health_card"].document == ""
    # Hải Phòng's cards were handed over at the ceremony: its biên bản, unless deliveries.csv gives the card number
    assert audits["deliver:P02:31-010:health_card"].document == "Biên bản bàn giao số 01/BB-BHXH (ví dụ)"
    assert audits["deliver:P02:31-002:health_card"].document == "HN4310000000201"
    assert audits["deliver:P05:25-001:health_card"].document == ""  # handed over on handover_date
    assert verify_store(example_run).intact


def test_ledger_verify_command(example_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ledger", "verify", str(example_run), "--lang", "en"]) == cli.EXIT_OK
    assert capsys.readouterr().out.startswith("Intact: ")
    assert cli.main(["ledger", "verify", f"sqlite:///{example_run}", "--json"]) == cli.EXIT_OK
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(cli_schema("ledger_verify")).validate(document)
    assert document["intact"] is True
    assert document["broken"] is None
    edited = tmp_path / "edited.sqlite"
    shutil.copyfile(example_run, edited)
    with contextlib.closing(sqlite3.connect(edited)) as conn:  # a hand edit: one more card for P01's sponsor
        conn.execute(
            "UPDATE events SET body = replace(body, '\"money\":0', '\"money\":1') WHERE event_id = 'reg:P01'"
        )
        conn.execute("UPDATE events SET digest = ? WHERE event_id = 'reg:P01'", (b"\x00" * 8,))
        conn.execute("UPDATE events SET document = 'PT 9999' WHERE event_id = 'recv:P03:1'")
        conn.commit()
    assert cli.main(["ledger", "verify", str(edited), "--lang", "en"]) == cli.EXIT_NO
    out = capsys.readouterr().out
    assert out.startswith("NOT intact: campaign BN2026, event #1 ('reg:P01')"), out
    assert cli.main(["ledger", "verify", str(edited), "--json"]) == cli.EXIT_NO
    document = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(cli_schema("ledger_verify")).validate(document)
    assert document["intact"] is False
    assert document["broken"]["event_id"] == "reg:P01"
    assert cli.main(["ledger", "verify", str(tmp_path / "missing.sqlite")]) == cli.EXIT_USAGE


def test_campaign_run_actor_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    args = [
        "campaign",
        "run",
        str(EXAMPLE),
        "--out",
        str(out),
        "--no-plugins",
        "--actor",
        "hn-001",
        "--role",
        "kế toán",
    ]
    assert cli.main(args) == cli.EXIT_OK
    with SqliteStore(out / "ledger.sqlite") as store:
        assert {r.audit.actor for r in store.records()} == {Actor(id="hn-001", role="kế toán")}
    capsys.readouterr()
    assert (
        cli.main(["campaign", "run", str(EXAMPLE), "--out", str(out), "--role", "x", "--no-plugins"])
        == cli.EXIT_USAGE
    )


def test_campaign_toml_actor_and_role(tmp_path: Path) -> None:
    text = (EXAMPLE / "campaign.toml").read_text(encoding="utf-8")
    assert read_campaign_toml(EXAMPLE / "campaign.toml")[1].actor == Actor(
        id="ctv-bhxh-017", role="Trung tâm Chăm sóc khách hàng"
    )
    path = tmp_path / "campaign.toml"
    path.write_text(text.replace('actor = "ctv-bhxh-017"', ""), encoding="utf-8")
    with pytest.raises(CampaignFileError, match="role"):
        read_campaign_toml(path)
    path.write_text(text.replace('actor = "ctv-bhxh-017"', "actor = 17"), encoding="utf-8")
    with pytest.raises(CampaignFileError, match="actor"):
        read_campaign_toml(path)


def test_deliveries_file(tmp_path: Path) -> None:
    found = read_deliveries(EXAMPLE / "deliveries.csv")
    assert found["31-018"] == {ProductKind.SOCIAL_BOOK: "SS-31-000501"}
    assert found["25-008"] == {
        ProductKind.HEALTH_CARD: "HN4250000000301",
        ProductKind.SOCIAL_BOOK: "SS-25-000301",
    }
    path = tmp_path / "deliveries.csv"
    path.write_text("Mã người,Mã thẻ BHYT\n31-001,HN1\n31-001,HN2\n", encoding="utf-8")
    with pytest.raises(CampaignFileError, match="line 3"):
        read_deliveries(path)
    path.write_text("Số thẻ\nHN1\n", encoding="utf-8")
    with pytest.raises(CampaignFileError):
        read_deliveries(path)
