"""The SQLite store: many campaigns in one file, each with its ledger, written in atomic batches."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import attrs

from ansinh.core.audit import Actor, Audit, Recorded, now
from ansinh.core.campaign import Campaign
from ansinh.core.law import Law
from ansinh.core.ledger import Event, Ledger, LedgerState
from ansinh.core.places import CommuneList, commune_list_table
from ansinh.core.pricing import LocalSupport
from ansinh.exceptions import AnsinhError, InvalidValueError, LedgerError
from ansinh.io.store._chain import audit_of, digests, genesis
from ansinh.io.store._codec import Memo, Row, decode, digest, dumps, encode
from ansinh.io.store._damage import (
    DAMAGE,
    ReadOnlyMedia,
    campaign_from_row,
    check_count,
    check_opened,
    check_size,
    connect,
    event_row,
    failure,
    keep_count,
    kept_count,
    mapped,
)
from ansinh.io.store._jsonl import read_jsonl, write_jsonl
from ansinh.io.store._lists import LISTS as _LISTS
from ansinh.io.store._lists import kept_lists as _kept_lists
from ansinh.io.store._lists import merged_lists as _merged_lists
from ansinh.io.store._merge import MergeResult, StoredRow, copy_rows, merged_audits, plan_merge
from ansinh.io.store._recordings import Numbered, number_recordings
from ansinh.io.store._schema import prepare

__all__ = ["SqliteStore"]

Progress = Callable[[int, int], None]


class Connection(Protocol):
    """What a store reads and writes through: :class:`sqlite3.Connection`, or an adapter for another database."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement (``?`` placeholders); a cursor."""
        ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        """Run one statement for each row of parameters."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...


class StaleLedger(LedgerError):
    """Another writer committed events of the campaign since its ledger was read (the batch is checked again)."""


class ProgrammeStoreLike(Protocol):
    """What a merge reads from a source store."""

    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign, parents first."""
        ...

    def ledger_of(self, code: str) -> Ledger:
        """One campaign's checked ledger."""
        ...


def _campaign_json(campaign: Campaign) -> str:
    from ansinh.serialization import dump_document

    return dumps(dump_document(campaign))


def _campaign_from_json(text: str) -> Campaign:
    import json

    from ansinh.serialization import load_document

    return load_document(json.loads(text), Campaign)


class SqliteStore:
    """Campaigns and their events in a SQLite file, with the ledger each builds.

    A store holds many campaigns (a national campaign and the province
    campaigns under it, :attr:`Campaign.parent <ansinh.core.campaign.Campaign.parent>`),
    each with its own events: event and pledge ids are namespaced by
    campaign, so two provinces may both number a pledge ``P01``.  Methods
    that take no campaign act on the store's *current* campaign: the one
    given when opening, or the only one it holds.

    Args:
        path: the database file (created with its folder if missing).
        campaign: a campaign to add (when new) or to check against the
            stored one of the same code; it becomes the current campaign.
        law: the law that prices gifts (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups pricing considers.
        commune_lists: dated commune lists pricing considers (the place-dependent
            national rules), kept in the store: a store reopened without them
            (a report, the HTTP API) still prices every gift as it was made; a
            list given again replaces the kept one of the same code.
        readonly: only read the file; a store that cannot be written where it
            is (read-only media) is opened so anyway, and refuses writes.

    Raises:
        LedgerError: not an ansinh store, written by a newer ansinh, another
            campaign under the same code, the file cannot be opened, or it is
            damaged (the message says how: a missing table, a column of the
            wrong type, deleted event rows, an empty file…).
    """

    _readonly = False
    """The store was opened read-only (asked for, or because it cannot be written where it is)."""
    _size = 0

    def __init__(
        self,
        path: str | os.PathLike[str],
        campaign: Campaign | None = None,
        *,
        law: Law | None = None,
        local_supports: Sequence[LocalSupport] = (),
        commune_lists: Sequence[CommuneList] = (),
        readonly: bool = False,
    ) -> None:
        self._path = Path(path)
        where = self._where = str(self._path)
        self._current: str | None = None
        self._size = check_size(self._path, where, new=campaign is not None)
        try:
            self._readonly = bool(readonly)
            self._setup(
                connect(self._path, readonly=self._readonly),
                where,
                campaign,
                law,
                local_supports,
                commune_lists,
            )
        except ReadOnlyMedia:
            if readonly or not self._path.is_file():
                raise
            self._readonly = True  # read-only media: read it where it is
            self._setup(
                connect(self._path, readonly=True), where, campaign, law, local_supports, commune_lists
            )

    # -- what another database changes ----------------------------------------

    _BEGIN = "BEGIN IMMEDIATE"
    """Starts a write: SQLite lets one writer at a time in, so the count check in a write sees every commit."""
    _LOCK = ""
    """Added to the campaign look-up in a write (a row lock where the database has them)."""
    _REST = " LIMIT -1 OFFSET ?"
    """The rows after the first ``?`` (events another writer committed)."""
    _DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error,)
    """What the database raises when it refuses or fails a statement."""

    def _prepare(self, conn: Connection) -> None:
        """Create, upgrade or refuse the schema (see :func:`~ansinh.io.store._schema.prepare`)."""
        assert isinstance(conn, sqlite3.Connection)
        check_opened(conn, self._where, self._size, None if self._readonly else prepare)

    def _lock_campaigns(self, conn: Connection) -> None:
        """Keep other writers from adding campaigns until the transaction ends (``BEGIN IMMEDIATE`` does)."""

    def _setup(
        self,
        conn: Connection,
        where: str,
        campaign: Campaign | None,
        law: Law | None,
        local_supports: Sequence[LocalSupport],
        commune_lists: Sequence[CommuneList] = (),
    ) -> None:
        """Prepare the schema on *conn*, add *campaign* and read the current campaign (any database)."""
        self._conn: Connection | None = conn
        self._where = where
        if law is None:
            from ansinh.data import default_law

            law = default_law()
        self._law = law
        self._local_supports = tuple(local_supports)
        self._ledgers: dict[str, Ledger] = {}  # loaded on first use; dropped when a write fails
        self._commune_lists: tuple[CommuneList, ...] = ()
        try:
            self._prepare(conn)
            self._commune_lists = self._keep_lists(conn, tuple(commune_lists))
            if campaign is not None:
                self.add_campaign(campaign)
            codes = [c.code for c in self.campaigns()]
            self._current = campaign.code if campaign is not None else codes[0] if len(codes) == 1 else None
            if self._current is not None:
                self.ledger_of(self._current)
        except DAMAGE as exc:
            conn.close()
            self._conn = None
            raise failure(where, "not a usable SQLite store", exc) from None
        except BaseException:
            conn.close()
            self._conn = None
            raise

    def _keep_lists(self, conn: Connection, given: tuple[CommuneList, ...]) -> tuple[CommuneList, ...]:
        """The commune lists gifts are priced with: *given*, then the kept ones of other codes (kept again)."""
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (_LISTS,)).fetchone()
        kept = _kept_lists(row[0] if row is not None else "[]", self._where)
        lists = _merged_lists(kept, given)
        if lists != kept and not self._readonly:  # a read-only store prices with them, unkept
            conn.execute(self._BEGIN)
            try:
                conn.execute("DELETE FROM meta WHERE key = ?", (_LISTS,))
                conn.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    (_LISTS, json.dumps([commune_list_table(c) for c in lists], ensure_ascii=False)),
                )
                conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return lists

    @property
    def commune_lists(self) -> tuple[CommuneList, ...]:
        """The dated commune lists the store's gifts are priced with (kept in the store)."""
        return self._commune_lists

    # -- campaigns ------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def law(self) -> Law:
        """The law gifts are priced under."""
        return self._law

    def _connection(self) -> Connection:
        if self._conn is None:
            raise LedgerError(f"{self._where}: the store is closed")
        return self._conn

    def _rollback(self) -> None:
        """Roll back the open transaction; a connection already lost has nothing to roll back."""
        conn = self._connection()
        lost: tuple[type[Exception], ...] = (LedgerError, *self._DB_ERRORS)
        with contextlib.suppress(*lost):
            conn.execute("ROLLBACK")

    @mapped("cannot read its campaigns")
    def campaigns(self) -> tuple[Campaign, ...]:
        """Every campaign in the store, parents before their children, then by code."""
        rows = self._connection().execute("SELECT code, body FROM campaigns ORDER BY code").fetchall()
        found: dict[str, Campaign] = {}
        for code, body in rows:
            found[code] = campaign_from_row(code, body, self._where, _campaign_from_json)

        def depth(c: Campaign) -> int:
            n = 0
            while c.parent is not None and c.parent in found and n < len(found):
                c, n = found[c.parent], n + 1
            return n

        return tuple(sorted(found.values(), key=lambda c: (depth(c), c.code)))

    @mapped("cannot read a campaign")
    def campaign_of(self, code: str) -> Campaign:
        """The stored campaign *code*.

        Raises:
            InvalidValueError: the store holds no such campaign.
            LedgerError: its row is damaged.
        """
        row = (
            self._connection().execute("SELECT code, body FROM campaigns WHERE code = ?", (code,)).fetchone()
        )
        if row is None:
            raise InvalidValueError("campaign", code, "the code of a campaign in " + self._where)
        return campaign_from_row(row[0], row[1], self._where, _campaign_from_json)

    @mapped("cannot add a campaign")
    def add_campaign(self, campaign: Campaign) -> bool:
        """Add *campaign*; ``False`` if the same campaign is already stored.

        Raises:
            LedgerError: another campaign is stored under its code.
        """
        if not isinstance(campaign, Campaign):
            raise InvalidValueError("campaign", campaign, "an ansinh Campaign")
        conn = self._connection()
        body = _campaign_json(campaign)
        conn.execute(self._BEGIN)
        try:
            self._lock_campaigns(conn)
            row = conn.execute("SELECT body FROM campaigns WHERE code = ?", (campaign.code,)).fetchone()
            if row is None:
                conn.execute(
                    "INSERT INTO campaigns (code, parent, body) VALUES (?, ?, ?)",
                    (campaign.code, campaign.parent, body),
                )
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        if (
            row is not None
            and campaign_from_row(campaign.code, row[0], self._where, _campaign_from_json) != campaign
        ):
            raise LedgerError(
                f"{self._where}: holds campaign {campaign.code!r} with other details than "
                f"campaign {campaign.code!r}; give the other campaign another code"
            )
        return row is None

    def ledger_of(self, code: str) -> Ledger:
        """The ledger of campaign *code*: its stored events, each checked again (read once, then kept).

        Raises:
            InvalidValueError: the store holds no such campaign.
            LedgerError: a stored event cannot be read, breaks an invariant, or
                does not match its digest.
        """
        ledger = self._ledgers.get(code)
        if ledger is None:
            ledger = self._load(self.campaign_of(code))
            self._ledgers[code] = ledger
        return ledger

    def _load(self, campaign: Campaign) -> Ledger:
        ledger = Ledger(
            campaign, law=self._law, local_supports=self._local_supports, commune_lists=self._commune_lists
        )
        self._catch_up(ledger)
        return ledger

    @mapped("cannot read the events of a campaign")
    def _catch_up(self, ledger: Ledger) -> int:
        """Append to *ledger* the stored events of its campaign it does not hold yet, each checked again; how many.

        The event count kept is read first: fewer rows than were written is an error (others only add rows).
        """
        where, before, code = self._where, len(ledger), ledger.campaign.code
        conn = self._connection()
        kept = kept_count(conn, code, before, where)
        rows = conn.execute(
            "SELECT seq, event_id, type, on_date, body, digest FROM events "
            "WHERE campaign = (SELECT id FROM campaigns WHERE code = ?) ORDER BY seq" + self._REST,
            (code, before),
        )
        memo: Memo = {}  # values many rows share, structured once
        for row in rows:
            seq, event_id, kind, on, body, stored = event_row(row, where)
            if digest(body) != stored:
                raise LedgerError(f"{where}: event #{seq} ({event_id!r}) does not match its digest")
            try:
                ledger.append(
                    decode(
                        (event_id, kind, on, body),
                        law=self._law,
                        local_supports=self._local_supports,
                        commune_lists=self._commune_lists,
                        memo=memo,
                    )
                )
            except AnsinhError as exc:
                raise LedgerError(f"{where}: stored event #{seq} ({event_id!r}) is refused: {exc}") from None
        check_count(kept, len(ledger), code, where)
        return len(ledger) - before

    # -- the current campaign -------------------------------------------------

    def _code(self, campaign: str | None) -> str:
        if campaign is not None:
            return campaign
        if self._current is None:
            raise LedgerError(f"{self._where}: holds several campaigns (or none); name one")
        return self._current

    @property
    def ledger(self) -> Ledger:
        """The current campaign's ledger (append through the store, not to it)."""
        return self.ledger_of(self._code(None))

    @property
    def campaign(self) -> Campaign:
        """The current campaign."""
        return self.ledger.campaign

    @property
    def state(self) -> LedgerState:
        """The current campaign's state."""
        return self.ledger.state

    @property
    def events(self) -> tuple[Event, ...]:
        """The current campaign's events, in order."""
        return self.ledger.events

    def __len__(self) -> int:
        return len(self.ledger)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.ledger

    # -- writing ------------------------------------------------------------

    def append(
        self, event: Event, *, campaign: str | None = None, actor: Actor | None = None, document: str = ""
    ) -> bool:
        """Append one event (a batch of one) recorded by *actor* on *document*; ``True`` if it was new.

        Raises:
            InvariantViolation: the event breaks an invariant; nothing is written.
            LedgerError: the store is closed, was changed by another process, or the write failed.
        """
        documents = {getattr(event, "event_id", ""): document} if document else None
        return bool(self.append_batch((event,), campaign=campaign, actor=actor, documents=documents))

    def append_batch(
        self,
        events: Iterable[Event],
        *,
        campaign: str | None = None,
        progress: Progress | None = None,
        actor: Actor | None = None,
        documents: Mapping[str, str] | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> tuple[Event, ...]:
        """Check a batch of events and commit it in one transaction: all of it, or none.

        The campaign's ledger checks the whole batch first
        (:meth:`Ledger.append_batch <ansinh.core.ledger.Ledger.append_batch>`);
        the new events are then written in one transaction, and only once it
        is committed (``synchronous=FULL``) does the ledger hold them.  A
        process killed mid-batch leaves a store without any event of the batch.

        The transaction first takes the campaign's write lock (its row,
        ``SELECT … FOR UPDATE``; on SQLite the file, ``BEGIN IMMEDIATE``),
        then the ledger reads the events other writers committed since it
        was read, and only then is the batch checked: a batch that conflicts
        with another writer's (the same pledge's money spent twice, the same
        person given two cards) is refused, one that does not is written, and
        no writer can slip in between.  Events already stored are skipped, so
        a batch that was not acknowledged can be sent again with the same
        event ids.

        Each new event is stored with its :class:`~ansinh.core.audit.Audit`
        (*actor*, *recorded_at*, its document in *documents*) and chained
        to the campaign's previous row (see :func:`verify_store`).

        Args:
            events: the batch, in order; events already stored are skipped.
            campaign: the campaign's code (default: the current campaign).
            progress: called as ``progress(done, total)`` while the batch is written.
            actor: who records the batch (as the caller says; ``None``: no one named).
            documents: ``{event id: document reference}`` (biên bản, receipt,
                card number or book serial) for the events that have one.
            recorded_at: when it is recorded (timezone-aware; default: now).

        Returns:
            The new events, in order.

        Raises:
            InvalidValueError: *actor*, a document or *recorded_at* is not
                what is allowed; nothing is written.
            InvariantViolation: an event breaks an invariant, or its id is
                stored for a different event; nothing is written.
            LedgerError: the store is closed, or the write failed (nothing
                is written, unless the connection was lost while committing:
                send the batch again).
        """
        conn = self._connection()
        code = self._code(campaign)
        batch = tuple(events)
        ledger = self.ledger_of(code)
        audit = self._audit(actor, documents, recorded_at)
        try:
            conn.execute(self._BEGIN)
            try:
                # The campaign's write lock first, then the events other writers committed before it:
                # the batch is checked against every stored event, and none can be added meanwhile.
                conn.execute("SELECT id FROM campaigns WHERE code = ?" + self._LOCK, (code,)).fetchone()
                self._catch_up(ledger)
                known = len(ledger)

                written: list[int] = []

                def write(new: tuple[Event, ...]) -> None:
                    audits = {code: tuple(audit(e.event_id) for e in new)}
                    self.write_rows({code: (known, new)}, progress, in_transaction=True, audits=audits)
                    written.append(len(new))

                added = ledger.append_batch(batch, commit=write)
                if not written:  # every event was stored already: nothing to commit
                    self._rollback()
                return added
            except BaseException:
                self._rollback()
                raise
        except self._DB_ERRORS as exc:
            raise failure(self._where, f"a batch of {len(batch)} events was not written", exc) from None

    @staticmethod
    def _audit(
        actor: Actor | None, documents: Mapping[str, str] | None, recorded_at: dt.datetime | None
    ) -> Callable[[str], Audit]:
        """The audit of each event id of a batch (every value checked before anything is written)."""
        base = Audit(actor=actor, recorded_at=recorded_at if recorded_at is not None else now())
        if documents is not None and not isinstance(documents, Mapping):
            raise InvalidValueError("documents", documents, "a mapping of event id to document reference")
        kept = {key: attrs.evolve(base, document=text) for key, text in (documents or {}).items()}
        return lambda event_id: kept.get(event_id, base)

    @mapped("cannot read the audit of a campaign")
    def records(self, *, campaign: str | None = None) -> tuple[Recorded, ...]:
        """A campaign's events with their audit (who recorded each, when, its document) and chain digest.

        Raises:
            LedgerError: a stored event cannot be read or breaks an invariant.
        """
        code = self._code(campaign)
        ledger = self.ledger_of(code)
        self._catch_up(ledger)
        rows = self._connection().execute(
            "SELECT e.seq, e.event_id, r.actor, r.role, r.recorded_at, e.document, e.chain FROM events e "
            "LEFT JOIN recordings r ON r.id = e.recording "
            "WHERE e.campaign = (SELECT id FROM campaigns WHERE code = ?) ORDER BY e.seq",
            (code,),
        )
        found = []
        for event, (seq, event_id, actor, role, recorded_at, document, chain) in zip(
            ledger.events, rows, strict=False
        ):
            if event.event_id != event_id:
                raise LedgerError(
                    f"{self._where}: event #{seq} ({event_id!r}) is not the ledger's {event.event_id!r}"
                )
            audit = audit_of((actor, role, recorded_at, document))
            found.append(Recorded(event=event, audit=audit, seq=seq, chain=bytes(chain).hex()))
        return tuple(found)

    @mapped("cannot read the rows of a campaign")
    def stored_rows(self, *, campaign: str | None = None) -> tuple[StoredRow, ...]:
        """A campaign's rows as stored, in order, with their audit and chain digest (what a merge copies)."""
        rows = self._connection().execute(
            "SELECT e.event_id, e.type, e.on_date, e.body, e.digest, r.actor, r.role, r.recorded_at, e.document, "
            "e.chain FROM events e LEFT JOIN recordings r ON r.id = e.recording "
            "WHERE e.campaign = (SELECT id FROM campaigns WHERE code = ?) ORDER BY e.seq",
            (self._code(campaign),),
        )
        return tuple(rows)

    def write_rows(
        self,
        batches: dict[str, tuple[int, tuple[Event, ...]]],
        progress: Progress | None = None,
        *,
        campaigns: Sequence[Campaign] = (),
        in_transaction: bool = False,
        audits: Mapping[str, Sequence[Audit]] | None = None,
        encoded: Mapping[str, Sequence[Row]] | None = None,
    ) -> None:
        """Write checked events of several campaigns in one transaction (``{code: (stored before, events)}``).

        The caller has checked the events against each campaign's ledger; this
        only writes them (after adding *campaigns*), once it made sure no
        other process wrote meanwhile, and commits.

        Args:
            batches: ``{code: (events stored before, new events)}``.
            progress: called as ``progress(done, total)`` while rows are written.
            campaigns: campaigns to add first.
            in_transaction: the caller has begun the transaction (and holds the campaigns' locks).
            audits: ``{code: one Audit per new event}`` (default: no actor, recorded now, no document).
            encoded: ``{code: each new event's row}`` where the caller holds them already
                (a merge copies the rows it verified); the others are encoded here.

        Raises:
            LedgerError: another writer committed events of a campaign first,
                or the write failed (nothing is written, or, when the
                connection was lost while committing, perhaps all of it: send
                the batch again, its event ids make that safe).
        """
        conn = self._connection()
        total = sum(len(evs) for _, evs in batches.values())
        done = 0
        heads: list[tuple[bytes, int]] = []

        def rows(
            key: int, code: str, prev: bytes, events: tuple[Event, ...], kept: Sequence[Audit], held: Numbered
        ) -> Iterable[tuple[Any, ...]]:
            nonlocal done
            given = (encoded or {}).get(code)
            memo: Memo = {}  # the batch's repeated field values, unstructured once
            for n, event in enumerate(events):
                row = encode(event, memo) if given is None else given[n]
                columns, number = held[id(kept[n])]
                body_digest, prev = digests(prev, code, row, columns)
                # bytearray: the sqlite3 module binds it as it is, a bytes value only after looking for an adapter
                yield (key, *row, bytearray(body_digest), number, columns[3], bytearray(prev))
                done += 1
                if progress is not None and (done % 1000 == 0 or done == total):
                    progress(done, total)
            heads.append((prev, key))

        try:
            if not in_transaction:
                conn.execute(self._BEGIN)
            try:
                conn.executemany(
                    "INSERT INTO campaigns (code, parent, body) VALUES (?, ?, ?)",
                    [(c.code, c.parent, _campaign_json(c)) for c in campaigns],
                )
                for code, (known, events) in batches.items():
                    key, head = conn.execute(
                        "SELECT id, head FROM campaigns WHERE code = ?" + self._LOCK, (code,)
                    ).fetchone()
                    (count,) = conn.execute(
                        "SELECT count(*) FROM events WHERE campaign = ?", (key,)
                    ).fetchone()
                    check_count(str(known), count, code, self._where)  # fewer: rows were deleted
                    if count != known:
                        raise StaleLedger(
                            f"{self._where}: another writer changed campaign {code!r} "
                            f"({count} events stored, {known} known)"
                        )
                    kept = (audits or {}).get(code) or (Audit(recorded_at=now()),) * len(events)
                    conn.executemany(
                        "INSERT INTO events (campaign, event_id, type, on_date, body, digest, recording, "
                        "document, chain) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        rows(
                            key,
                            code,
                            bytes(head) if head is not None else genesis(code),
                            events,
                            kept,
                            number_recordings(conn, kept),
                        ),
                    )
                    keep_count(conn, code, known + len(events))
                conn.executemany("UPDATE campaigns SET head = ? WHERE id = ?", heads)
                conn.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        except self._DB_ERRORS as exc:
            raise failure(self._where, f"a batch of {total} events was not written", exc) from None

    def extend(
        self, events: Iterable[Event], *, campaign: str | None = None, progress: Progress | None = None
    ) -> int:
        """Append events one by one (one transaction each); returns how many were new.

        Raises:
            InvariantViolation: an event is refused; the earlier ones stay stored.
        """
        items = tuple(events)
        new = 0
        for done, event in enumerate(items, 1):
            new += self.append(event, campaign=campaign)
            if progress is not None:
                progress(done, len(items))
        return new

    def export_jsonl(self, path: str | os.PathLike[str], *, campaign: str | None = None) -> Path:
        """Write a campaign's events to a JSON Lines file of full documents (see :func:`write_jsonl`)."""
        return write_jsonl(path, self.ledger_of(self._code(campaign)).events)

    def import_jsonl(self, path: str | os.PathLike[str], *, campaign: str | None = None) -> int:
        """Append the events of a JSON Lines file as one batch; events already stored are skipped.

        Raises:
            SerializationError: a line cannot be read (nothing from the file is appended).
            InvariantViolation: an event is refused; nothing from the file is appended.
        """
        return len(self.append_batch(read_jsonl(path), campaign=campaign))

    @property
    def local_supports(self) -> tuple[LocalSupport, ...]:
        """The provincial top-ups gifts are priced with."""
        return self._local_supports

    def merge_from(
        self, source: ProgrammeStoreLike, *, progress: Progress | None = None, actor: Actor | None = None
    ) -> MergeResult:
        """Merge every campaign and event of *source* into this store, all or nothing (see :func:`merge`)."""
        where = self._where
        if actor is not None and not isinstance(actor, Actor):
            raise InvalidValueError("actor", actor, "an Actor, or None")
        held = {c.code: c for c in self.campaigns()}
        target = {code: (c, self.ledger_of(code)) for code, c in held.items()}
        plans = plan_merge({c: source.ledger_of(c.code).events for c in source.campaigns()}, target, where)
        touched: list[str] = []
        fresh: dict[str, Ledger] = {}
        batches: dict[str, tuple[int, tuple[Event, ...]]] = {}
        audits: dict[str, tuple[Audit, ...]] = {}
        encoded: dict[str, tuple[Row, ...]] = {}
        try:
            for plan in plans:
                if plan.is_new:
                    ledger = Ledger(
                        plan.campaign,
                        law=self._law,
                        local_supports=self._local_supports,
                        commune_lists=self._commune_lists,
                    )
                    fresh[plan.campaign.code] = ledger
                else:
                    ledger = self.ledger_of(plan.campaign.code)
                    touched.append(plan.campaign.code)
                before = len(ledger)
                if plan.events:
                    if plan.is_new:  # kept only if the whole merge is written: no undo needed
                        ledger.extend(plan.events)
                    else:
                        ledger.append_batch(plan.events)
                    code = plan.campaign.code
                    batches[code] = (before, plan.events)
                    copied = copy_rows(source, code, plan.events, actor)
                    if copied is None:
                        audits[code] = merged_audits(source, code, plan.events, actor)
                    else:
                        encoded[code], audits[code] = copied
            self.write_rows(
                batches,
                progress,
                campaigns=[p.campaign for p in plans if p.is_new],
                audits=audits,
                encoded=encoded,
            )
        except BaseException:
            for code in touched:  # read again from the file, which the failed merge left as it was
                self.forget(code)
            raise
        self._ledgers.update(fresh)
        return MergeResult(
            campaigns=tuple(p.campaign.code for p in plans if p.is_new),
            events=tuple((code, len(events)) for code, (_, events) in batches.items()),
        )

    @mapped("cannot read the events other writers committed")
    def refresh(self) -> int:
        """Read the events other writers committed since each campaign's ledger was read; how many.

        Raises:
            LedgerError: a new stored event cannot be read or breaks an invariant.
        """
        return sum(self._catch_up(ledger) for ledger in tuple(self._ledgers.values()))

    def forget(self, code: str) -> None:
        """Drop the ledger of *code* kept in memory (it is read again from the file when next used)."""
        self._ledgers.pop(code, None)

    def close(self) -> None:
        """Close the database (ledgers already read stay readable); SQLite's ``-wal`` is written back first."""
        if self._conn is not None:
            if isinstance(self._conn, sqlite3.Connection) and not self._readonly:
                with contextlib.suppress(sqlite3.Error):  # another reader may hold the -wal: it is kept
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._where!r}, current={self._current!r})"
