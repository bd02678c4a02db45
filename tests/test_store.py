"""The SQLite store and JSON Lines files: idempotent, durable, never half-written."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, Pledge, Sponsor
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    GiftDelivered,
    GiftPaid,
    MoneyReceived,
    PledgeRegistered,
    replay,
)
from ansinh.core.people import Category
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, InvariantViolation, LedgerError, SerializationError
from ansinh.io.store import (
    ProgrammeStore,
    SqliteStore,
    event_from_json,
    event_to_json,
    open_store,
    read_jsonl,
    write_jsonl,
)

LAW = default_law()

CAMPAIGN = Campaign(
    code="BN2026",
    name="Xuân Bính Ngọ 2026",
    plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
    start=dt.date(2025, 10, 23),
    end=dt.date(2026, 3, 31),
)
ON = dt.date(2026, 1, 5)
WHO = Beneficiary(person_id="HP-1", province="31", categories={Category.NEAR_POOR})


SPONSOR = Sponsor(id="S1", name="Công ty Cảng Xanh", kind="enterprise", province="31")


def _register(pledge_id: str, money: int, event_id: str | None = None) -> PledgeRegistered:
    return PledgeRegistered(
        event_id=event_id or f"reg:{pledge_id}",
        on=dt.date(2025, 11, 1),
        sponsor=SPONSOR,
        pledge=Pledge(id=pledge_id, sponsor_id="S1", money=money),
    )


def _events() -> list[Event]:
    quote = price(HealthCard(months=12), WHO, on=ON, law=LAW)
    gift = Gift(
        id="g1",
        pledge_id="P1",
        beneficiary=WHO,
        product=quote.product,
        quote=quote,
        funding=Funding.MONEY,
        covers_from=ON,
        reason="ưu tiên 40",
    )
    return [
        _register("P1", 2_000_000),
        MoneyReceived(event_id="recv:P1:1", on=dt.date(2025, 12, 1), pledge_id="P1", amount=2_000_000),
        GiftAllocated(event_id="alloc:g1", on=ON, gift=gift),
        GiftPaid(event_id="pay:g1", on=ON, gift_id="g1"),
        GiftDelivered(event_id="deliver:g1", on=dt.date(2026, 1, 20), gift_id="g1"),
    ]


def test_append_reopen_and_replay(store_url: str) -> None:
    events = _events()
    with open_store(store_url, campaign=CAMPAIGN) as store:
        assert store.extend(events) == len(events)
        live = store.state
    with open_store(store_url) as again:
        assert again.campaign == CAMPAIGN
        assert again.events == tuple(events)
        assert again.state == live == replay(CAMPAIGN, events, law=LAW)
        assert "alloc:g1" in again
        kind = "PostgresStore(" if store_url.startswith("postgresql") else "SqliteStore("
        assert repr(again).startswith(kind)


def test_same_event_twice_is_a_no_op_and_a_different_one_an_error(store_url: str) -> None:
    first = _events()[0]
    with open_store(store_url, campaign=CAMPAIGN) as store:
        assert store.append(first) is True
        assert store.append(first) is False
        other = _register("P2", 1, event_id=first.event_id)
        with pytest.raises(InvariantViolation, match="different event"):
            store.append(other)
        assert len(store) == 1
    with open_store(store_url) as again:
        assert again.events == (first,)


def test_a_refused_event_is_never_written(store_url: str) -> None:
    events = _events()
    with open_store(store_url, campaign=CAMPAIGN) as store:
        store.append(events[0])
        with pytest.raises(InvariantViolation, match="has received 0"):
            store.extend([events[2], events[3]])
        assert len(store) == 2  # the allocation went in, the payment was refused
    with open_store(store_url) as again:
        assert [e.event_id for e in again.events] == ["reg:P1", "alloc:g1"]


def test_another_campaign_or_a_tampered_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with SqliteStore(path, CAMPAIGN) as store:
        store.extend(_events())
    other = Campaign(code="BN2026", name="Hải Phòng", start=CAMPAIGN.start, end=CAMPAIGN.end)
    with pytest.raises(LedgerError, match="other details"):
        SqliteStore(path, other)
    # a hand edit breaks the digest
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE events SET body = replace(body, '2000000', '9000000') WHERE seq = 2")
        conn.commit()
    with pytest.raises(LedgerError, match="digest"):
        SqliteStore(path)
    # a store priced under another law is refused when replayed under this one
    scenario = default_law().amend("base_salary", 3_000_000, effective=dt.date(2025, 7, 1), source="kịch bản")
    fresh = tmp_path / "fresh.sqlite"
    with SqliteStore(fresh, CAMPAIGN) as store:
        store.extend(_events())
    with pytest.raises(LedgerError, match="not the law's price"):
        SqliteStore(fresh, law=scenario)
    with SqliteStore(tmp_path / "new.sqlite") as empty:
        assert empty.campaigns() == ()
        with pytest.raises(LedgerError, match="name one"):
            empty.append(_events()[0])
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LedgerError, match=r"truncated \(2900 bytes"):
        SqliteStore(tmp_path / "junk.sqlite", CAMPAIGN)
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database at all!!!" * 128)
    with pytest.raises(LedgerError, match="not a usable SQLite store: the file is not a SQLite database"):
        SqliteStore(tmp_path / "junk.sqlite", CAMPAIGN)


def test_a_closed_store_refuses_writes(store_url: str) -> None:
    store = open_store(store_url, campaign=CAMPAIGN)
    store.close()
    with pytest.raises(LedgerError, match="closed"):
        store.append(_events()[0])


def test_a_second_writer_reads_the_first_ones_events_before_checking_its_batch(store_url: str) -> None:
    events = _events()
    with open_store(store_url, campaign=CAMPAIGN) as a, open_store(store_url) as b:
        a.append(events[0])
        assert b.append(_register("P9", 5)) is True  # b's ledger read a's event, then took its own
        assert [e.event_id for e in b.events] == ["reg:P1", "reg:P9"]
        a.append(_register("P7", 7, event_id="reg:X"))
        with pytest.raises(InvariantViolation, match="different event"):
            b.append(_register("P8", 8, event_id="reg:X"))  # the same id, another event: refused
        assert [e.event_id for e in b.events] == ["reg:P1", "reg:P9", "reg:X"]
    with open_store(store_url) as again:
        assert [e.event_id for e in again.events] == ["reg:P1", "reg:P9", "reg:X"]


def test_jsonl_round_trip_money_as_integers(tmp_path: Path) -> None:
    events = _events()
    path = write_jsonl(tmp_path / "events.jsonl", events)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(events)
    doc = json.loads(lines[1])
    assert doc["type"] == "ledger_event"
    assert doc["data"]["amount"] == 2_000_000
    assert isinstance(doc["data"]["amount"], int)
    assert json.loads(lines[2])["data"]["on"] == "2026-01-05"
    assert read_jsonl(path) == tuple(events)
    assert event_from_json(event_to_json(events[2])) == events[2]
    with SqliteStore(tmp_path / "ledger.sqlite", CAMPAIGN) as store:
        assert store.import_jsonl(path) == len(events)
        assert store.import_jsonl(path) == 0
        exported = store.export_jsonl(tmp_path / "copy.jsonl")
    assert exported.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.tmp"))


def test_jsonl_errors_name_the_line_and_the_field(tmp_path: Path) -> None:
    events = _events()
    good = event_to_json(events[1])
    bad = good.replace('"amount":2000000', '"amount":2000000.0')
    path = tmp_path / "events.jsonl"
    path.write_text(event_to_json(events[0]) + "\n\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(SerializationError, match=r"line 3: .*float.*amount"):
        read_jsonl(path)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(SerializationError, match="line 1"):
        read_jsonl(path)
    with pytest.raises(LedgerError, match="cannot be read"):
        read_jsonl(tmp_path / "missing.jsonl")


_CHILD = textwrap.dedent(
    """
    import datetime as dt, sys
    from ansinh.core.campaign import Campaign, Pledge, Sponsor
    from ansinh.core.ledger import MoneyReceived, PledgeRegistered
    from ansinh.io.store import SqliteStore

    campaign = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
                        plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
                        start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    store = SqliteStore(sys.argv[1], campaign)
    store.append(PledgeRegistered(event_id="reg:P1", on=dt.date(2025, 11, 1),
                                  sponsor=Sponsor(id="S1", name="A", kind="bank"),
                                  pledge=Pledge(id="P1", sponsor_id="S1", money=1)))
    print("ack reg:P1", flush=True)
    i = 0
    while True:
        i += 1
        store.append(MoneyReceived(event_id=f"m{i}", on=dt.date(2025, 12, 1), pledge_id="P1", amount=i))
        print(f"ack m{i}", flush=True)
    """
)


@pytest.mark.parametrize("acks_before_kill", [3, 40])
def test_a_process_killed_mid_append_loses_no_acknowledged_event(
    tmp_path: Path, acks_before_kill: int
) -> None:
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    path = tmp_path / "ledger.sqlite"
    acked: list[str] = []
    with subprocess.Popen(
        [sys.executable, str(script), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ) as child:
        try:
            assert child.stdout is not None
            while len(acked) < acks_before_kill:
                line = child.stdout.readline()
                if not line:
                    pytest.fail("the child stopped early: " + (child.stderr.read() if child.stderr else ""))
                acked.append(line.split()[1])
            child.send_signal(signal.SIGKILL)  # while it is appending the next event
            rest = child.stdout.read()
        finally:
            child.kill()
            child.wait(timeout=30)
    acked += [line.split()[1] for line in rest.splitlines() if line.startswith("ack ")]
    assert child.returncode == -signal.SIGKILL
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with SqliteStore(path, CAMPAIGN) as store:  # replays and checks every stored event
        stored = [e.event_id for e in store.events]
        assert stored[: len(acked)] == acked
        assert len(stored) <= len(acked) + 1  # at most the one being appended at the kill
        expected = sum(int(e[1:]) for e in stored if e.startswith("m"))
        assert store.state.pledge("P1").received == expected


# -- batches: all or nothing ---------------------------------------------------


def test_a_batch_with_one_bad_event_leaves_store_and_ledger_unchanged(store_url: str) -> None:
    events = _events()
    bad = GiftPaid(event_id="pay:nothing", on=ON, gift_id="no-such-gift")
    with open_store(store_url, campaign=CAMPAIGN) as store:
        store.append_batch(events[:2])
        before = store.state
        with pytest.raises(InvariantViolation, match="no-such-gift"):
            store.append_batch([*events[2:4], bad, events[4]])
        assert store.state == before
        assert [e.event_id for e in store.events] == ["reg:P1", "recv:P1:1"]
        assert store.append_batch(events[2:]) == tuple(events[2:])
        assert store.append_batch(events) == ()  # all stored already: a no-op
    with open_store(store_url) as again:
        assert again.events == tuple(events)


def test_a_batch_conflicting_with_another_writers_is_refused_whole(store_url: str) -> None:
    events = _events()
    with open_store(store_url, campaign=CAMPAIGN) as a, open_store(store_url) as b:
        a.append_batch(events[:2])  # P1 registered, 2,000,000 received
        spend = events[2]  # b allocates P1's money to g1 ...
        assert isinstance(spend, GiftAllocated)
        rival = attrs.evolve(spend, event_id="alloc:rival", gift=attrs.evolve(spend.gift, id="rival"))
        a.append(rival)  # ... but a gave the same money to another gift first
        with pytest.raises(InvariantViolation):
            b.append_batch([spend, *events[3:]])
        assert [e.event_id for e in b.events] == ["reg:P1", "recv:P1:1", "alloc:rival"]
        assert b.append_batch(events[:2]) == ()  # a's events, sent again by b: already stored
    with open_store(store_url) as again:
        assert [e.event_id for e in again.events] == ["reg:P1", "recv:P1:1", "alloc:rival"]


_BATCH_CHILD = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from ansinh.core.campaign import Campaign, Pledge, Sponsor
    from ansinh.core.ledger import MoneyReceived, PledgeRegistered
    from ansinh.io.store import SqliteStore

    campaign = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
                        start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    store = SqliteStore(sys.argv[1], campaign)
    store.append_batch([PledgeRegistered(event_id="reg:P1", on=dt.date(2025, 11, 1),
                                         sponsor=Sponsor(id="S1", name="A", kind="bank"),
                                         pledge=Pledge(id="P1", sponsor_id="S1", money=1))])
    print("ack reg:P1", flush=True)

    def halfway(done, total):
        if done == total // 2:
            print("half", flush=True)
            time.sleep(60)  # killed here, with half of the batch written in the open transaction

    batch = [MoneyReceived(event_id=f"m{i}", on=dt.date(2025, 12, 1), pledge_id="P1", amount=i)
             for i in range(1, 4001)]
    store.append_batch(batch, progress=halfway)
    print("ack batch", flush=True)
    """
)


def test_a_process_killed_mid_batch_leaves_none_of_the_batch(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(_BATCH_CHILD, encoding="utf-8")
    path = tmp_path / "ledger.sqlite"
    with subprocess.Popen(
        [sys.executable, str(script), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    ) as child:
        try:
            assert child.stdout is not None
            lines = [child.stdout.readline(), child.stdout.readline()]
            if lines != ["ack reg:P1\n", "half\n"]:
                pytest.fail(f"the child said {lines}: " + (child.stderr.read() if child.stderr else ""))
            assert path.with_name(path.name + "-wal").stat().st_size > 0  # the batch is being written
            child.send_signal(signal.SIGKILL)
        finally:
            child.kill()
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with SqliteStore(path) as store:
        assert [e.event_id for e in store.events] == ["reg:P1"]
        assert store.state.pledge("P1").received == 0


# -- compact rows, schema versions, upgrades -----------------------------------------


def test_rows_are_compact_and_the_export_holds_full_documents(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    events = _events()
    with SqliteStore(path, CAMPAIGN) as store:
        store.append_batch(events)
        exported = store.export_jsonl(tmp_path / "events.jsonl")
    with contextlib.closing(sqlite3.connect(path)) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        rows = conn.execute(
            "SELECT c.code, e.event_id, e.type, e.on_date, e.body FROM events e "
            "JOIN campaigns c ON c.id = e.campaign ORDER BY e.seq"
        ).fetchall()
    assert meta == {"format": "ansinh-store", "schema_version": "4", "events:BN2026": "5"}
    assert [r[:4] for r in rows][:2] == [
        ("BN2026", "reg:P1", "pledge_registered", "2025-11-01"),
        ("BN2026", "recv:P1:1", "money_received", "2025-12-01"),
    ]
    gift_body = json.loads(rows[2][4])
    assert gift_body["gift"]["quote"] == {
        "gross": 1_263_600,
        "state_support": 884_520,
        "local_support": 0,
        "payable": 379_080,
    }
    assert "lines" not in rows[2][4]
    assert "BN2026" not in rows[2][4]
    assert json.loads(rows[3][4]) == {"gift_id": "g1"}
    assert read_jsonl(exported) == tuple(events)
    assert "lines" in exported.read_text(encoding="utf-8")
    assert all(len(row[4]) < len(event_to_json(e)) for row, e in zip(rows, events, strict=True))


def _old_store(path: Path, events: list[Event]) -> None:
    """A store as ansinh 0.2 wrote it: one campaign, full JSON documents, SHA-256 digests."""
    from ansinh.serialization import dumps_document

    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute(
            "CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
            "type TEXT NOT NULL, body TEXT NOT NULL, digest TEXT NOT NULL)"
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", "ansinh-ledger/1"), ("campaign", dumps_document(CAMPAIGN, indent=None))],
        )
        for e in events:
            body = event_to_json(e)
            conn.execute(
                "INSERT INTO events (event_id, type, body, digest) VALUES (?, ?, ?, ?)",
                (e.event_id, e.type, body, hashlib.sha256(body.encode()).hexdigest()),
            )
        conn.commit()


def test_an_old_store_is_upgraded_in_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    events = _events()
    _old_store(path, events)
    with SqliteStore(path) as store:
        assert store.campaign == CAMPAIGN
        assert store.events == tuple(events)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == "4"
    # an old store with a damaged row is refused, and left exactly as it was
    broken = tmp_path / "broken.sqlite"
    _old_store(broken, events)
    with contextlib.closing(sqlite3.connect(broken)) as conn:
        conn.execute("UPDATE events SET body = replace(body, '2000000', '9000000') WHERE seq = 2")
        conn.commit()
    with pytest.raises(LedgerError, match="does not match its digest"):
        SqliteStore(broken)
    with contextlib.closing(sqlite3.connect(broken)) as conn:
        assert dict(conn.execute("SELECT key, value FROM meta"))["format"] == "ansinh-ledger/1"
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (len(events),)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'campaigns'").fetchone() == (0,)


def test_a_newer_store_or_another_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    SqliteStore(path, CAMPAIGN).close()
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
        conn.commit()
    with pytest.raises(LedgerError, match="newer ansinh"):
        SqliteStore(path)
    other = tmp_path / "other.sqlite"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE people (id TEXT)")
        conn.commit()
    with pytest.raises(LedgerError, match="not an ansinh store"):
        SqliteStore(other)


# -- many campaigns in one store ---------------------------------------------------


NATIONAL = attrs.evolve(CAMPAIGN, code="BN2026-VN")
HAI_PHONG = Campaign(
    code="BN2026-31",
    name="Hải Phòng",
    province="31",
    parent="BN2026-VN",
    start=CAMPAIGN.start,
    end=CAMPAIGN.end,
)
HUNG_YEN = attrs.evolve(HAI_PHONG, code="BN2026-33", name="Hưng Yên", province="33")


def test_two_provinces_may_both_number_a_pledge_p01(store_url: str) -> None:
    hp_sponsor = Sponsor(id="S1", name="Cảng Hải Phòng", kind="enterprise", province="31")
    with open_store(store_url) as store:
        assert store.add_campaign(NATIONAL)
        assert store.add_campaign(HUNG_YEN)
        assert not store.add_campaign(HUNG_YEN)
        assert store.add_campaign(HAI_PHONG)
        store.append_batch(_events()[:2], campaign="BN2026-33")
        store.append_batch(
            [
                PledgeRegistered(
                    event_id="reg:P1",
                    on=dt.date(2025, 11, 1),
                    sponsor=hp_sponsor,
                    pledge=Pledge(id="P1", sponsor_id="S1", money=7_000_000, province="31"),
                )
            ],
            campaign="BN2026-31",
        )
        with pytest.raises(LedgerError, match="name one"):
            store.append(_events()[2])
    with open_store(store_url) as again:
        assert [c.code for c in again.campaigns()] == ["BN2026-VN", "BN2026-31", "BN2026-33"]
        assert again.campaign_of("BN2026-31").parent == "BN2026-VN"
        assert again.ledger_of("BN2026-31").state.pledge("P1").pledge.money == 7_000_000
        assert again.ledger_of("BN2026-33").state.pledge("P1").pledge.money == 2_000_000
        assert len(again.ledger_of("BN2026-VN")) == 0
        assert isinstance(again, ProgrammeStore)
    with pytest.raises(InvalidValueError, match="postgresql://"):
        open_store("mysql://localhost/ansinh")


def test_a_campaign_is_not_its_own_parent() -> None:
    with pytest.raises(InvalidValueError, match="parent"):
        attrs.evolve(HAI_PHONG, parent="BN2026-31")


def test_the_jsonl_file_holds_each_event_as_event_to_json_writes_it(tmp_path: Path) -> None:
    events = _events()
    allocated = events[2]
    assert isinstance(allocated, GiftAllocated)
    second = attrs.evolve(allocated, event_id="alloc:g2", gift=attrs.evolve(allocated.gift, id="g2"))
    path = write_jsonl(tmp_path / "events.jsonl", [*events, second])
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [event_to_json(e) for e in [*events, second]]


def _run_sql(store_url: str, statement: str) -> None:
    """Run one statement on the database behind *store_url*, without ansinh."""
    if store_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(store_url.removeprefix("sqlite:///"))) as conn:
            conn.execute(statement)
            conn.commit()
        return
    import psycopg

    with psycopg.connect(store_url, autocommit=True) as pg:
        pg.execute(statement.encode())


def test_every_database_exports_the_same_json_lines(store_url: str, tmp_path: Path) -> None:
    events = _events()
    with open_store(store_url, campaign=CAMPAIGN) as store:
        store.append_batch(events)
        exported = store.export_jsonl(tmp_path / "export.jsonl")
    expected = write_jsonl(tmp_path / "expected.jsonl", events)
    assert exported.read_bytes() == expected.read_bytes()
    assert read_jsonl(exported) == tuple(events)


def test_a_newer_schema_or_another_format_is_refused_on_every_database(store_url: str) -> None:
    open_store(store_url, campaign=CAMPAIGN).close()
    _run_sql(store_url, "UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    with pytest.raises(LedgerError, match="newer ansinh"):
        open_store(store_url)
    _run_sql(store_url, "UPDATE meta SET value = 'other-tool' WHERE key = 'format'")
    with pytest.raises(LedgerError, match="is not 'ansinh-store'"):
        open_store(store_url)
    _run_sql(store_url, "DROP TABLE meta")
    with pytest.raises(LedgerError, match="not an ansinh store"):
        open_store(store_url)


# -- many writers at once, on both databases ---------------------------------------

WRITERS = 8
ROUNDS = 4
PEOPLE = 5

# Each writer, for a fixed number of rounds, allocates a card from the same pledge P1 (money for
# about six cards) to one of the same five people, and pays it, as one batch: writers compete for
# the pledge's money and for the people (one card per person at a time).
_WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from ansinh.core.campaign import Beneficiary, Funding, Gift
    from ansinh.core.ledger import GiftAllocated, GiftPaid
    from ansinh.core.people import Category
    from ansinh.core.pricing import price
    from ansinh.core.products import HealthCard
    from ansinh.data import default_law
    from ansinh.exceptions import InvariantViolation
    from ansinh.io.store import open_store

    url, writer, rounds, people = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    law, on = default_law(), dt.date(2026, 1, 5)
    with open_store(url) as store:
        for r in range(rounds):
            who = Beneficiary(person_id=f"HP-{(writer + r) % people}", province="31",
                              categories={Category.NEAR_POOR})
            quote = price(HealthCard(months=12), who, on=on, law=law)
            gid = f"w{writer}r{r}"
            gift = Gift(id=gid, pledge_id="P1", beneficiary=who, product=quote.product, quote=quote,
                        funding=Funding.MONEY, covers_from=on, reason="ưu tiên")
            batch = [GiftAllocated(event_id=f"alloc:{gid}", on=on, gift=gift),
                     GiftPaid(event_id=f"pay:{gid}", on=on, gift_id=gid)]
            try:
                store.append_batch(batch)
            except InvariantViolation:
                print("refused", gid, flush=True)
            else:
                print("ack", gid, flush=True)
    """
)


def test_eight_writers_with_conflicting_batches_keep_every_invariant(store_url: str, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    with open_store(store_url, campaign=CAMPAIGN) as store:
        store.append_batch(_events()[:2])  # P1: 2,000,000 đồng registered and received
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), store_url, str(w), str(ROUNDS), str(PEOPLE)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(WRITERS)
    ]
    acked: set[str] = set()
    refused: set[str] = set()
    for proc in procs:
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-2000:]
        for line in out.splitlines():
            word, gid = line.split()
            (acked if word == "ack" else refused).add(gid)
    assert len(acked) + len(refused) == WRITERS * ROUNDS
    assert acked
    assert refused  # the writers did conflict
    with open_store(store_url) as again:  # every stored event checked again by a fresh ledger
        state = again.state
        assert state == replay(CAMPAIGN, again.events, law=LAW)
        gifts = {g.id: g for g in state.gifts}
        assert set(gifts) == acked  # every acknowledged batch is there, nothing of a refused one
        assert {e.event_id for e in again.events} == {"reg:P1", "recv:P1:1"} | {
            f"{kind}:{gid}" for gid in acked for kind in ("alloc", "pay")
        }
        balance = state.pledge("P1")
        assert balance.spent == sum(g.amount for g in gifts.values()) <= balance.received
        people = [g.beneficiary.person_id for g in gifts.values()]
        assert len(people) == len(set(people))  # one card per person (all cover the same 12 months)


# -- SQL views a reporting tool reads without ansinh --------------------------------


def _query(store_url: str, statement: str) -> list[tuple[object, ...]]:
    """Rows of one SELECT on the database behind *store_url*, as a reporting tool would run it."""
    if store_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(store_url.removeprefix("sqlite:///"))) as conn:
            return list(conn.execute(statement).fetchall())
    import psycopg

    with psycopg.connect(store_url) as pg:
        return list(pg.execute(statement.encode()).fetchall())


def test_the_views_totals_equal_the_report(store_url: str) -> None:
    from ansinh.core.reporting import report

    events = _events()
    who = attrs.evolve(WHO, person_id="HP-2", province="33")
    quote = price(HealthCard(months=12), who, on=ON, law=LAW)
    first = events[2]
    assert isinstance(first, GiftAllocated)
    second = attrs.evolve(first.gift, id="g2", beneficiary=who, quote=quote)
    events += [GiftAllocated(event_id="alloc:g2", on=ON, gift=second), _register("P2", 3_000_000)]
    with open_store(store_url, campaign=CAMPAIGN) as store:
        store.append_batch(events)
        state = store.state
    rep = report(state, on=CAMPAIGN.end)
    [(pledged, pledges)] = _query(
        store_url, "SELECT SUM(money), COUNT(*) FROM ansinh_pledges WHERE withdrawn = 0"
    )
    assert (pledged, pledges) == (rep.pledged_money, rep.pledges) == (5_000_000, 2)
    [(received,)] = _query(store_url, "SELECT SUM(amount) FROM ansinh_money_received")
    assert received == rep.received == 2_000_000
    [(value, gifts)] = _query(
        store_url, "SELECT SUM(payable), COUNT(*) FROM ansinh_gifts WHERE cancelled = 0"
    )
    assert (value, gifts) == (rep.value, sum(n for _, n in rep.gifts)) == (2 * quote.payable, 2)
    covered = _query(store_url, "SELECT province, year, people FROM ansinh_people_covered ORDER BY province")
    assert covered == [("31", 2026, 1), ("33", 2026, 1)]
    assert sum(int(str(p)) for _, _, p in covered) == rep.people_covered
    balances = _query(
        store_url, "SELECT pledge_id, money, received, committed, paid FROM ansinh_pledge_balances"
    )
    book = state.pledge("P1")
    assert ("P1", 2_000_000, book.received, book.committed, book.spent) in balances
    assert ("P2", 3_000_000, 0, 0, 0) in balances
