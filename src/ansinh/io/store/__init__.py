"""Keeping the programme's ledgers on disk: a store of many campaigns, and JSON Lines files.

A store holds campaigns — a national campaign per year and the province
campaigns under it (:attr:`Campaign.parent <ansinh.core.campaign.Campaign.parent>`) —
and the events of each.  Event and pledge ids are namespaced by campaign, so
two provinces that both number a pledge ``P01`` never collide, and a
province's store can be merged upward into the national one.

:func:`open_store` opens one by path or URL (``sqlite:///path``); its result
implements :class:`ProgrammeStore`, the interface another database can
implement too.  :class:`SqliteStore` is the embedded default (standard
library :mod:`sqlite3`); :class:`PostgresStore` (``postgresql://`` URLs) is the
same store on a PostgreSQL server, for the national store many offices write
at once:

* a batch of events (:meth:`SqliteStore.append_batch`: one allocation, one
  import) is checked whole by the campaign's ledger, then written in one
  transaction before the ledger keeps it: a batch holding an event the
  ledger refuses is never written, not even in part;
* :meth:`SqliteStore.append_batch` returns only after the batch is committed
  (``synchronous=FULL``): a store reopened after a crash holds every
  acknowledged batch, and nothing of a batch that was being written;
* appending an event whose id is already stored in the campaign is a no-op
  when it is the same event, and an
  :class:`~ansinh.exceptions.InvariantViolation` when it is a different one;
* a campaign's ledger is read by replaying its stored events through a fresh
  :class:`~ansinh.core.ledger.Ledger`, so a store that breaks an invariant
  (edited by hand, or priced under another law) is refused with a
  :class:`~ansinh.exceptions.LedgerError`;
* a damaged file — a missing table or column, a column of the wrong type, a
  truncated or blanked file, deleted event rows (each campaign's event count
  is kept with its events) — is one :class:`~ansinh.exceptions.LedgerError`
  saying what is wrong, as are a full disk, read-only media and locks;
* a store on read-only media is read where it is (``readonly=True``, or
  automatically); closing a store writes its ``-wal`` file back into the
  database file, so the file alone is a complete copy once every program
  has closed it (a copy taken while it is in use must take the ``-wal`` file too).

Rows are compact (schema version ``SCHEMA_VERSION``): the campaign, the
event id, type and date are columns, and a gift keeps its quote's amounts
only — the quote is priced again from the law on reading and checked against
them.  A store written by an older ansinh (one campaign, full JSON documents)
is upgraded in one transaction when opened; one written by a newer ansinh is
refused.  Each row also keeps who recorded the event, when and on which
document (:class:`~ansinh.core.audit.Audit`; :meth:`SqliteStore.records`; who and when are
kept once per batch, in the ``recordings`` table),
and a digest chaining it to its campaign's previous row: :func:`verify_store`
(``ansinh ledger verify``) names the first row edited, deleted or swapped
since it was written (see the explanation "The audit trail").  Every store has SQL views a reporting tool can read without ansinh
(``VIEW_NAMES``: gifts, pledges and balances, money received, people
covered by province and year).  :func:`write_jsonl` and :func:`read_jsonl` exchange full documents
(:mod:`ansinh.serialization`) one per line.

>>> import datetime as dt, tempfile, pathlib
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> from ansinh.core.ledger import PledgeRegistered
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> e = PledgeRegistered(event_id="reg:P1", on=dt.date(2025, 11, 1),
...                      sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
...                      pledge=Pledge(id="P1", sponsor_id="S1", money=10_000_000))
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / "ledger.sqlite"
...     with SqliteStore(path, c) as store:
...         store.append(e), store.append(e)
...     with open_store(f"sqlite:///{path}") as again:
...         len(again), again.state.pledge("P1").pledge.money, [c.code for c in again.campaigns()]
(True, False)
(1, 10000000, ['BN2026'])
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from ansinh.core.audit import Actor, Audit, Recorded
from ansinh.core.campaign import Campaign
from ansinh.core.law import Law
from ansinh.core.ledger import Event, Ledger
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.exceptions import InvalidValueError, LedgerError
from ansinh.io.store._chain import CampaignChain, ChainBreak, ChainReport, verify_rows
from ansinh.io.store._jsonl import event_from_json, event_to_json, read_jsonl, write_jsonl
from ansinh.io.store._merge import MergeResult
from ansinh.io.store._postgres import PostgresStore, is_postgres_url, masked_url, pg_connection
from ansinh.io.store._schema import SCHEMA_VERSION, STORE_FORMAT, check_meta
from ansinh.io.store._sqlite import SqliteStore
from ansinh.io.store._views import VIEW_NAMES

__all__ = [
    "SCHEMA_VERSION",
    "STORE_FORMAT",
    "VIEW_NAMES",
    "CampaignChain",
    "ChainBreak",
    "ChainReport",
    "MergeResult",
    "PostgresStore",
    "ProgrammeStore",
    "SqliteStore",
    "event_from_json",
    "event_to_json",
    "is_postgres_url",
    "merge",
    "open_store",
    "read_jsonl",
    "store_location",
    "verify_store",
    "write_jsonl",
]


@runtime_checkable
class ProgrammeStore(Protocol):
    """What every store of campaigns offers, whatever the database (SQLite today; PostgreSQL can implement it)."""

    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign, parents before their children."""
        ...

    def campaign_of(self, code: str) -> Campaign:
        """One campaign by code (:class:`~ansinh.exceptions.InvalidValueError` if absent)."""
        ...

    def add_campaign(self, campaign: Campaign) -> bool:
        """Add a campaign; ``False`` if the same one is stored, :class:`~ansinh.exceptions.LedgerError` if another."""
        ...

    def ledger_of(self, code: str) -> Ledger:
        """The checked ledger of one campaign."""
        ...

    def append_batch(
        self,
        events: Iterable[Event],
        *,
        campaign: str | None = None,
        progress: Callable[[int, int], None] | None = None,
        actor: Actor | None = None,
        documents: Mapping[str, str] | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> tuple[Event, ...]:
        """Check and commit a batch of one campaign's events, all or nothing, with their audit; the new ones."""
        ...

    def records(self, *, campaign: str | None = None) -> tuple[Recorded, ...]:
        """A campaign's events with who recorded each, when, its document and its chain digest."""
        ...

    def write_rows(
        self,
        batches: dict[str, tuple[int, tuple[Event, ...]]],
        progress: Callable[[int, int], None] | None = None,
        *,
        audits: Mapping[str, Sequence[Audit]] | None = None,
    ) -> None:
        """Write checked events of several campaigns in one transaction."""
        ...

    def forget(self, code: str) -> None:
        """Drop a campaign's ledger kept in memory."""
        ...

    def merge_from(
        self,
        source: ProgrammeStore,
        *,
        progress: Callable[[int, int], None] | None = None,
        actor: Actor | None = None,
    ) -> MergeResult:
        """Merge another store's campaigns and events into this one, all or nothing."""
        ...

    def export_jsonl(self, path: str | os.PathLike[str], *, campaign: str | None = None) -> Path:
        """A campaign's events as JSON Lines of full documents."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


def store_location(location: str | os.PathLike[str]) -> Path:
    """The file a store location names: a path, or a URL ``sqlite:///relative/path`` / ``sqlite:////absolute/path``.

    Raises:
        InvalidValueError: another URL scheme.

    >>> store_location("sqlite:///build/ledger.sqlite"), store_location("sqlite:////srv/ledger.sqlite")
    (PosixPath('build/ledger.sqlite'), PosixPath('/srv/ledger.sqlite'))
    """
    text = os.fspath(location)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///"))
    if "://" in text:
        raise InvalidValueError(
            "store",
            text,
            "a file path, a URL sqlite:///path (a SQLite store) or postgresql://… (see open_store)",
        )
    return Path(text)


def open_store(
    location: str | os.PathLike[str],
    *,
    campaign: Campaign | None = None,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    commune_lists: Sequence[CommuneList] = (),
    readonly: bool = False,
) -> SqliteStore:
    """Open (or create) the store at *location*: a path, a ``sqlite:///`` URL or a ``postgresql://`` URL.

    ``postgresql://user@host:5432/database`` opens a :class:`PostgresStore`
    (the ``ansinh[postgres]`` extra): the same campaigns, events, checks and
    JSON Lines export as a :class:`SqliteStore`, for many writers at once.

    Args:
        location: where the store is.
        campaign: a campaign to add, or check, and make current (see :class:`SqliteStore`).
        law: the law that prices gifts (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups pricing considers.
        commune_lists: dated commune lists pricing considers (kept in the store).
        readonly: only read a SQLite file, never write it (a store on read-only
            media is read so anyway); for PostgreSQL, connect as a role that
            may only read instead.

    Raises:
        InvalidValueError: a URL scheme this ansinh has no store for, or *readonly* for a PostgreSQL store.
        LedgerError: the store cannot be opened or read.
    """
    text = os.fspath(location)
    if is_postgres_url(text):
        if readonly:
            raise InvalidValueError(
                "readonly", readonly, "False for a PostgreSQL store (connect as a role that may only read)"
            )
        return PostgresStore(
            text, campaign, law=law, local_supports=local_supports, commune_lists=commune_lists
        )
    return SqliteStore(
        store_location(location),
        campaign,
        law=law,
        local_supports=local_supports,
        commune_lists=commune_lists,
        readonly=readonly,
    )


def merge(
    source: ProgrammeStore,
    *,
    into: ProgrammeStore,
    progress: Callable[[int, int], None] | None = None,
    actor: Actor | None = None,
) -> MergeResult:
    """Merge every campaign and event of *source* (a province's store) into *into* (the national one).

    Campaigns the target lacks are added; events it lacks are checked by
    each campaign's ledger and written, every campaign in one transaction.
    Merging the same store again adds nothing, and merging several stores
    gives the same campaigns and events in any order.  A conflict — a
    campaign of the same code with other details, or an event id held for a
    different event, or an event the target's ledger refuses — is refused
    and changes nothing.

    Each event keeps its audit (who recorded it, when, its document) and,
    when the target's rows of the campaign are the start of the source's,
    its chain digest too: the merged campaign's chain is the source's,
    verbatim (see :func:`verify_store`).  An event the source recorded
    without an actor is recorded by *actor*, now.

    Args:
        source: the store to read.
        into: the store to write.
        progress: called as ``progress(done, total)`` while events are written.
        actor: who merges (for the source's events that name no one).

    Returns:
        What was added.

    Raises:
        LedgerError: a conflict (naming the campaign and the event), or the write failed.
        InvariantViolation: the target's ledger refuses an event of *source*.
    """
    return into.merge_from(source, progress=progress, actor=actor)


def verify_store(location: str | os.PathLike[str]) -> ChainReport:
    """Recompute the hash chain of every campaign in the store at *location*, and name the first row that breaks it.

    Each event row's chain digest covers the row (its campaign, event id,
    type, date, body and audit fields) and the digest of the campaign's
    previous row; each campaign records its last digest (its head).  An
    edited row, a deleted, moved or inserted one, or rows deleted from the
    end, make the report :attr:`~ChainReport.broken`, naming the first row
    (or campaign end) that does not match.  Only the rows are read: no law,
    no plugins, and nothing is written.

    What this proves: the rows are as they were written (or as a merge
    copied them).  What it does not: who wrote them — anyone able to write
    the file can write a new, consistent chain; keep :attr:`CampaignChain.head`
    somewhere else (a report, a letter) to notice that.

    Args:
        location: a path, a ``sqlite:///`` URL or a ``postgresql://`` URL.

    Returns:
        The campaigns' chains, and the first break (``None`` when intact).

    Raises:
        LedgerError: no store there, not an ansinh store, or written by a newer ansinh.
    """
    text = os.fspath(location)
    if is_postgres_url(text):
        where, conn, begin = masked_url(text), pg_connection(text), "BEGIN ISOLATION LEVEL REPEATABLE READ"
    else:
        path = store_location(location)
        where, begin = str(path), "BEGIN"
        if not path.is_file():
            raise LedgerError(f"{where}: no store there")
        try:
            conn = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise LedgerError(f"{where}: cannot open the store ({exc})") from None
    try:
        conn.execute(begin)
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        check_meta(meta, where)
        if meta["schema_version"] != str(SCHEMA_VERSION):
            problem = (
                f"schema {meta['schema_version']} is not this ansinh's ({SCHEMA_VERSION}; schema 2 keeps no chain): "
                "open the store once with this ansinh (any command) to upgrade it, then verify"
            )
            return ChainReport(
                store=where, campaigns=(), broken=ChainBreak(campaign="", seq=0, event_id="", problem=problem)
            )
        return verify_rows(conn, where)
    except sqlite3.Error as exc:
        raise LedgerError(f"{where}: not an ansinh store ({exc})") from None
    finally:
        conn.close()
