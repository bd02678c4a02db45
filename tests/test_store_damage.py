"""Damaged store files, read-only media, a full disk, the ``-wal`` file: one ``LedgerError`` saying what is wrong."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import NoReturn

import pytest

from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, Pledge, Sponsor
from ansinh.core.ledger import Event, GiftAllocated, GiftDelivered, GiftPaid, MoneyReceived, PledgeRegistered
from ansinh.core.people import Category
from ansinh.core.places import parse_commune_lists
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard
from ansinh.data import default_law
from ansinh.exceptions import LedgerError
from ansinh.io.store import SqliteStore, open_store

CAMPAIGN = Campaign(
    code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
)
ON = dt.date(2026, 1, 5)


def _events() -> list[Event]:
    """Five events: a pledge, its money, a gift allocated, paid and delivered."""
    who = Beneficiary(person_id="HP-1", province="31", categories={Category.NEAR_POOR})
    quote = price(HealthCard(months=12), who, on=ON, law=default_law())
    gift = Gift(
        id="g1",
        pledge_id="P1",
        beneficiary=who,
        product=quote.product,
        quote=quote,
        funding=Funding.MONEY,
        covers_from=ON,
    )
    sponsor = Sponsor(id="S1", name="Công ty Cảng Xanh", kind="enterprise", province="31")
    return [
        PledgeRegistered(
            event_id="reg:P1",
            on=dt.date(2025, 11, 1),
            sponsor=sponsor,
            pledge=Pledge(id="P1", sponsor_id="S1", money=2_000_000),
        ),
        MoneyReceived(event_id="recv:P1:1", on=dt.date(2025, 12, 1), pledge_id="P1", amount=2_000_000),
        GiftAllocated(event_id="alloc:g1", on=ON, gift=gift),
        GiftPaid(event_id="pay:g1", on=ON, gift_id="g1"),
        GiftDelivered(event_id="deliver:g1", on=dt.date(2026, 1, 20), gift_id="g1"),
    ]


_NULLABLE = (
    "PRAGMA writable_schema=1;"
    "UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE name IN ('events', 'campaigns', 'meta');"
)
"""Drops the ``NOT NULL`` constraints (as a damaged schema page may): NULLs can then be stored."""


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A closed store of the five example events."""
    path = tmp_path / "ledger.sqlite"
    with SqliteStore(path, CAMPAIGN) as s:
        s.append_batch(_events())
    return path


def _edit(path: Path, *scripts: str) -> None:
    for script in scripts:  # each in its own connection (a schema edit shows in the next one)
        with contextlib.closing(sqlite3.connect(path)) as conn:
            conn.executescript(script)


@pytest.mark.parametrize(
    ("scripts", "said"),
    [
        (("DROP TABLE events;",), "'events' table is missing"),
        (("DROP TABLE events; CREATE VIEW events AS SELECT 1 AS seq;",), "'events' table is missing"),
        (("DROP TABLE campaigns;",), "'campaigns' table is missing"),
        (
            (
                "PRAGMA writable_schema=1; UPDATE sqlite_master SET sql = replace(sql, 'on_date', 'day') WHERE name = 'events';",
            ),
            "lacks the column.s. on_date",
        ),
        (
            ("UPDATE events SET body = CAST(body AS BLOB) WHERE seq = 2;",),
            "event #2: its body column holds a BLOB",
        ),
        ((_NULLABLE, "UPDATE events SET body = NULL WHERE seq = 2;"), "its body column holds NULL, not TEXT"),
        ((_NULLABLE, "UPDATE events SET on_date = NULL WHERE seq = 3;"), "its on_date column holds NULL"),
        ((_NULLABLE, "UPDATE events SET type = NULL WHERE seq = 3;"), "its type column holds NULL"),
        (("UPDATE events SET digest = 'abc' WHERE seq = 2;",), "its digest column holds TEXT, not a BLOB"),
        ((_NULLABLE, "UPDATE events SET digest = NULL WHERE seq = 2;"), "its digest column holds NULL"),
        (("UPDATE events SET body = 5 WHERE seq = 2;",), "does not match its digest"),
        (("UPDATE events SET type = 'zzz' WHERE seq = 3;",), "cannot be read .KeyError"),
        (("UPDATE events SET on_date = '2026-99-01' WHERE seq = 3;",), "month must be in 1..12"),
        (("UPDATE campaigns SET body = CAST(body AS BLOB);",), "campaign's body column holds a BLOB"),
        ((_NULLABLE, "UPDATE campaigns SET body = NULL;"), "campaign's body column holds NULL"),
        (("UPDATE campaigns SET body = 3;",), "campaign 'BN2026' cannot be read"),
        (("UPDATE campaigns SET code = 'XX';",), "row of campaign 'XX' holds campaign 'BN2026'"),
        (("UPDATE meta SET value = CAST(value AS BLOB) WHERE key = 'schema_version';",), "holds a BLOB"),
        (("INSERT INTO meta VALUES ('commune_lists', x'00ff');",), "meta row 'commune_lists' holds a BLOB"),
        (("INSERT INTO meta VALUES ('commune_lists', '[1');",), "kept commune lists cannot be read"),
        (("UPDATE meta SET value = 'many' WHERE key = 'events:BN2026';",), "event count .* is damaged"),
        (("DELETE FROM events WHERE seq = 2;",), "4 stored events but 5 were written"),
        (("DELETE FROM events WHERE seq = 5;",), "4 stored events but 5 were written"),
        (
            (_NULLABLE, "UPDATE events SET campaign = NULL WHERE seq = 5;"),
            "4 stored events but 5 were written",
        ),
        (("DROP TABLE meta;",), "not an ansinh store|'meta' table is missing"),
    ],
)
def test_every_damage_is_one_ledger_error_saying_what(
    store: Path, scripts: tuple[str, ...], said: str
) -> None:
    _edit(store, *scripts)
    with pytest.raises(LedgerError, match=said), SqliteStore(store) as s:
        assert s.events is not None
    with pytest.raises(LedgerError, match=said):
        SqliteStore(store, readonly=True)


def _page(data: bytes) -> int:
    """The page size a SQLite file's header gives."""
    return int.from_bytes(data[16:18], "big")


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda b: b"", "empty .0 bytes., not a store"),
        (lambda b: b[:5000], "the file is truncated .5000 bytes"),
        (lambda b: b[:8192], "damaged|missing|deleted or lost"),
        (lambda b: b[:1], "truncated"),
        (lambda b: b"X" * 100 + b[100:], "not a SQLite database"),
        (lambda b: b"this is not a database at all!!!" * 128, "not a SQLite database"),
        (lambda b: b[: _page(b)] + bytes(_page(b)) + b[2 * _page(b) :], "damaged|missing"),  # page 2 zeroed
    ],
)
def test_a_truncated_or_overwritten_file_is_one_ledger_error(store: Path, damage: object, said: str) -> None:
    assert callable(damage)
    store.write_bytes(damage(store.read_bytes()))
    with pytest.raises(LedgerError, match=said), SqliteStore(store) as s:
        assert s.events is not None


def test_an_empty_file_given_a_campaign_becomes_a_new_store(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    path.touch()  # what a process killed before its first commit leaves
    with SqliteStore(path, CAMPAIGN) as s:
        assert s.events == ()


def test_a_row_deleted_after_reading_is_noticed_by_the_next_write(store: Path) -> None:
    with SqliteStore(store) as s:
        assert len(s) == 5
        _edit(store, "DELETE FROM events WHERE seq = 2;")
        extra = MoneyReceived(event_id="m9", on=_events()[1].on, pledge_id="P1", amount=1)
        with pytest.raises(
            LedgerError, match=r"4 stored events but 5 were written: 1 event row\(s\) were deleted"
        ):
            s.append(extra)
        assert len(s) == 5  # what was read stays; nothing was written
    with pytest.raises(LedgerError, match="4 stored events but 5 were written"):
        SqliteStore(store)


def test_a_store_written_before_counts_were_kept_gets_one_with_its_next_write(store: Path) -> None:
    _edit(store, "DELETE FROM meta WHERE key = 'events:BN2026';")
    with SqliteStore(store) as s:
        assert len(s) == 5
        s.append(MoneyReceived(event_id="m9", on=_events()[1].on, pledge_id="P1", amount=1))
    with contextlib.closing(sqlite3.connect(store)) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'events:BN2026'").fetchone() == ("6",)


def test_a_read_only_store_is_read_and_refuses_writes(store: Path) -> None:
    before = store.read_bytes()
    with open_store(store, readonly=True) as s:
        assert [e.event_id for e in s.events] == [e.event_id for e in _events()]
        with pytest.raises(LedgerError, match="read-only"):
            s.append(MoneyReceived(event_id="m9", on=_events()[1].on, pledge_id="P1", amount=1))
    assert store.read_bytes() == before
    lists = parse_commune_lists(
        {
            "commune_list": [
                {
                    "code": "c",
                    "kind": "poor_commune",
                    "province": "33",
                    "communes": ["Xã A"],
                    "effective": "2026-01-01",
                    "document": "QĐ",
                    "status": "scenario",
                    "label_vi": "x",
                    "label_en": "x",
                }
            ]
        }
    )
    with open_store(store, readonly=True, commune_lists=lists) as s:  # priced with, not kept
        assert s.commune_lists == lists
    assert store.read_bytes() == before
    with pytest.raises(LedgerError, match="no store file"):
        SqliteStore(store.with_name("missing.sqlite"), readonly=True)


def test_a_full_disk_says_so_and_writes_nothing(store: Path) -> None:
    with SqliteStore(store) as s:
        conn = s._conn
        assert isinstance(conn, sqlite3.Connection)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")  # as if the disk held no more page
        big = [
            MoneyReceived(event_id=f"m{i}-" + "x" * 200, on=_events()[1].on, pledge_id="P1", amount=1)
            for i in range(200)
        ]
        with pytest.raises(LedgerError, match=r"the disk is full .* free space and run again") as caught:
            s.append_batch(big)
        assert "200 events was not written" in str(caught.value)
        assert len(s) == 5
    with SqliteStore(store) as again:
        assert len(again) == 5


def test_closing_writes_the_wal_back_so_the_file_alone_is_complete(store: Path, tmp_path: Path) -> None:
    with contextlib.closing(
        sqlite3.connect(store)
    ) as idle_reader:  # keeps the -wal from being removed on close
        idle_reader.execute("SELECT count(*) FROM meta").fetchone()
        with SqliteStore(store) as s:
            s.append(MoneyReceived(event_id="m9", on=_events()[1].on, pledge_id="P1", amount=1))
        copy = tmp_path / "copy" / "ledger.sqlite"
        copy.parent.mkdir()
        shutil.copyfile(store, copy)  # the database file only, as a careless backup does
    with SqliteStore(copy) as s:
        assert len(s) == 6


# -- read-only media: a read-only bind mount, where the system allows one -----------------------

_READER = textwrap.dedent(
    """
    import sys
    from ansinh.exceptions import LedgerError
    from ansinh.io.store import SqliteStore
    try:
        with SqliteStore(sys.argv[1]) as s:
            print("read", len(s.events))
    except LedgerError as exc:
        print("LedgerError", exc)
    """
)


def _cannot(reason: str) -> NoReturn:
    """Skip on a developer's machine that cannot mount read-only; fail loudly on CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must test read-only media: {reason}")
    pytest.skip(reason)


def _on_read_only_media(folder: Path, script: Path, store: Path) -> str:
    """Run *script* on *store* with *folder* mounted read-only (a mount namespace), or skip."""
    if shutil.which("unshare") is None or sys.platform != "linux":
        _cannot("needs unshare (Linux)")
    command = (
        f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && "
        f"{sys.executable} {script} {store}"
    )
    src = Path(__file__).resolve().parents[1] / "src"
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", command],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(src)},
        timeout=120,
        check=False,
    )
    if "mount" in done.stderr or "unshare" in done.stderr:
        _cannot(f"no read-only mount here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_store_on_read_only_media_is_read_where_it_is(store: Path, tmp_path: Path) -> None:
    script = tmp_path / "reader.py"
    script.write_text(_READER, encoding="utf-8")
    assert _on_read_only_media(store.parent, script, store).strip() == "read 5"


def test_a_wal_that_cannot_be_read_on_read_only_media_is_refused_not_ignored(
    store: Path, tmp_path: Path
) -> None:
    script = tmp_path / "reader.py"
    script.write_text(_READER, encoding="utf-8")
    media = tmp_path / "media"
    media.mkdir()
    with SqliteStore(store) as writer:  # a copy taken while a writer holds its -wal (mid-run)
        writer.append(MoneyReceived(event_id="m9", on=_events()[1].on, pledge_id="P1", amount=1))
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{store}{suffix}", media / f"ledger.sqlite{suffix}")
    assert (media / "ledger.sqlite-wal").stat().st_size > 0
    out = _on_read_only_media(media, script, media / "ledger.sqlite").strip()
    # read with its -wal (six events), or refused: never the main file alone (five)
    assert out == "read 6" or (out.startswith("LedgerError") and "-wal file holds writes" in out), out
