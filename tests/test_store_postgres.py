"""The PostgreSQL store when the server fails: one LedgerError naming the cause, nothing half-written, retries safe."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.ledger import Event, MoneyReceived, PledgeRegistered
from ansinh.exceptions import LedgerError
from ansinh.io.store import PostgresStore, open_store

if TYPE_CHECKING:
    from conftest import PostgresServer

CAMPAIGN = Campaign(
    code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
)
REGISTER = PledgeRegistered(
    event_id="reg:P1",
    on=dt.date(2025, 11, 1),
    sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
    pledge=Pledge(id="P1", sponsor_id="S1", money=10**12),
)


def _received(prefix: str, n: int) -> list[Event]:
    return [
        MoneyReceived(event_id=f"{prefix}{i}", on=dt.date(2025, 12, 1), pledge_id="P1", amount=i)
        for i in range(1, n + 1)
    ]


_CHILD = textwrap.dedent(
    """
    import datetime as dt, pathlib, sys, time
    from ansinh.core.ledger import MoneyReceived
    from ansinh.exceptions import LedgerError
    from ansinh.io.store import open_store

    url, go = sys.argv[1], pathlib.Path(sys.argv[2])
    def received(prefix, n):
        return [MoneyReceived(event_id=f"{prefix}{i}", on=dt.date(2025, 12, 1), pledge_id="P1", amount=i)
                for i in range(1, n + 1)]
    store = open_store(url)
    store.append_batch(received("ack", 10))
    print("ack", flush=True)

    def halfway(done, total):
        if done == total // 2:
            print("half", flush=True)
            for _ in range(600):  # the server is stopped meanwhile, the transaction open
                if go.exists():
                    break
                time.sleep(0.1)

    try:
        store.append_batch(received("cut", 4000), progress=halfway)
        print("acknowledged", flush=True)
    except LedgerError as exc:
        print("error", exc, flush=True)
    """
)


def test_the_server_stopped_mid_batch_keeps_every_acknowledged_batch_and_none_of_the_cut_one(
    postgres_url: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    pg_url = postgres_url
    with open_store(pg_url, campaign=CAMPAIGN) as store:
        store.append(REGISTER)
    script, go = tmp_path / "child.py", tmp_path / "go"
    script.write_text(_CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), pg_url, str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "ack\n"
    assert child.stdout.readline() == "half\n"
    postgres_server.stop_immediately()
    go.touch()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-2000:]
    assert out.startswith("error "), out
    assert "the connection to the server was lost" in out or "ended the connection" in out
    assert "was not written" in out
    postgres_server.start()
    with open_store(pg_url) as again:
        ids = [e.event_id for e in again.events]
        assert ids == ["reg:P1", *(f"ack{i}" for i in range(1, 11))]
        # the batch was not acknowledged: sent again with the same ids, it is written once
        assert len(again.append_batch(_received("cut", 4000))) == 4000
        assert again.append_batch(_received("cut", 4000)) == ()
    with open_store(pg_url) as last:
        assert len(last) == 1 + 10 + 4000


def test_a_statement_timeout_is_one_ledger_error_and_the_batch_can_be_sent_again(postgres_url: str) -> None:
    pg_url = postgres_url
    import psycopg

    with open_store(pg_url, campaign=CAMPAIGN) as store:
        store.append(REGISTER)
    impatient = pg_url + "?options=-c%20statement_timeout%3D300"
    with psycopg.connect(pg_url) as holder, open_store(impatient) as store:
        holder.execute("SELECT id FROM campaigns FOR UPDATE")  # another writer holds the campaign
        batch = _received("m", 3)
        with pytest.raises(LedgerError, match="statement timeout") as caught:
            store.append_batch(batch)
        assert "was not written" in str(caught.value)
        assert len(store) == 1
        holder.rollback()
        assert store.append_batch(batch) == tuple(batch)


def test_a_dropped_connection_is_one_ledger_error_and_the_store_reconnects(postgres_url: str) -> None:
    pg_url = postgres_url
    import psycopg

    with open_store(pg_url, campaign=CAMPAIGN) as store:
        assert isinstance(store, PostgresStore)
        store.append(REGISTER)
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        time.sleep(0.2)
        batch = _received("m", 2)
        with pytest.raises(
            LedgerError, match=r"was not written .*(ended the connection|connection to the server)"
        ):
            store.append_batch(batch)
        assert len(store) == 1
        assert store.append_batch(batch) == tuple(batch)  # a new connection; the same ids
    with open_store(pg_url) as again:
        assert [e.event_id for e in again.events] == ["reg:P1", "m1", "m2"]


def test_a_server_that_cannot_be_reached_is_one_ledger_error() -> None:
    with pytest.raises(LedgerError, match="cannot be reached"):
        open_store("postgresql://ansinh@127.0.0.1:1/none?connect_timeout=2")


def test_the_server_reads_a_postgresql_store_and_sees_other_writers(postgres_url: str) -> None:
    from ansinh.serve.campaigns import open_campaign_source

    with open_store(postgres_url, campaign=CAMPAIGN) as store:
        store.append(REGISTER)
        source = open_campaign_source([postgres_url])
        assert [c.code for c in source.campaigns()] == ["BN2026"]
        first = source.state("BN2026")
        assert first is not None
        assert first.pledge("P1").received == 0
        store.append_batch(_received("m", 3))  # another writer, after the server read the store
        later = source.state("BN2026")
        assert later is not None
        assert later.pledge("P1").received == 6
        assert source.state("NOPE") is None
        assert source.paths == ()
        source.close()
