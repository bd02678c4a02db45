"""The SQLite store and JSON Lines files: idempotent, durable, never half-written."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

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
from ansinh.exceptions import InvariantViolation, LedgerError, SerializationError
from ansinh.io.store import SqliteStore, event_from_json, event_to_json, read_jsonl, write_jsonl

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


def test_append_reopen_and_replay(tmp_path: Path) -> None:
    path = tmp_path / "out" / "ledger.sqlite"
    events = _events()
    with SqliteStore(path, CAMPAIGN) as store:
        assert store.extend(events) == len(events)
        live = store.state
    with SqliteStore(path) as again:
        assert again.campaign == CAMPAIGN
        assert again.events == tuple(events)
        assert again.state == live == replay(CAMPAIGN, events, law=LAW)
        assert "alloc:g1" in again
        assert repr(again).startswith("SqliteStore(")


def test_same_event_twice_is_a_no_op_and_a_different_one_an_error(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    first = _events()[0]
    with SqliteStore(path, CAMPAIGN) as store:
        assert store.append(first) is True
        assert store.append(first) is False
        other = _register("P2", 1, event_id=first.event_id)
        with pytest.raises(InvariantViolation, match="different event"):
            store.append(other)
        assert len(store) == 1
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone() == (1,)


def test_a_refused_event_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    events = _events()
    with SqliteStore(path, CAMPAIGN) as store:
        store.append(events[0])
        with pytest.raises(InvariantViolation, match="has received 0"):
            store.extend([events[2], events[3]])
        assert len(store) == 2  # the allocation went in, the payment was refused
    with SqliteStore(path) as again:
        assert [e.event_id for e in again.events] == ["reg:P1", "alloc:g1"]


def test_another_campaign_or_a_tampered_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    with SqliteStore(path, CAMPAIGN) as store:
        store.extend(_events())
    other = Campaign(code="HP2026", name="Hải Phòng", start=CAMPAIGN.start, end=CAMPAIGN.end)
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
    with pytest.raises(LedgerError, match="needs a campaign"):
        SqliteStore(tmp_path / "new.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(LedgerError, match="not a usable"):
        SqliteStore(tmp_path / "junk.sqlite", CAMPAIGN)


def test_a_closed_store_refuses_writes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "ledger.sqlite", CAMPAIGN)
    store.close()
    with pytest.raises(LedgerError, match="closed"):
        store.append(_events()[0])


def test_two_writers_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    events = _events()
    with SqliteStore(path, CAMPAIGN) as a, SqliteStore(path) as b:
        a.append(events[0])
        with pytest.raises(LedgerError, match="another process"):
            b.append(_register("P9", 5))
        assert len(b) == 0


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


def test_a_batch_with_one_bad_event_leaves_store_and_ledger_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    events = _events()
    bad = GiftPaid(event_id="pay:nothing", on=ON, gift_id="no-such-gift")
    with SqliteStore(path, CAMPAIGN) as store:
        store.append_batch(events[:2])
        before = store.state
        with pytest.raises(InvariantViolation, match="no-such-gift"):
            store.append_batch([*events[2:4], bad, events[4]])
        assert store.state == before
        assert [e.event_id for e in store.events] == ["reg:P1", "recv:P1:1"]
        assert store.append_batch(events[2:]) == tuple(events[2:])
        assert store.append_batch(events) == ()  # all stored already: a no-op
    with SqliteStore(path) as again:
        assert again.events == tuple(events)


def test_a_batch_the_database_refuses_leaves_the_ledger_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    events = _events()
    with SqliteStore(path, CAMPAIGN) as a, SqliteStore(path) as b:
        a.append(events[0])
        with pytest.raises(LedgerError, match="another process"):
            b.append_batch(events)
        assert len(b) == 0
        assert b.state.pledges == ()


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
