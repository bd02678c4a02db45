"""Keeping a campaign's ledger on disk: a SQLite store and JSON Lines files.

:class:`SqliteStore` is the embedded default (standard library
:mod:`sqlite3`).  A batch of events (:meth:`SqliteStore.append_batch`: one
allocation, one import) is checked whole by the ledger, then written in one
transaction before the in-memory ledger keeps it, so:

* a batch holding an event the ledger refuses is never written, not even in part;
* :meth:`SqliteStore.append_batch` returns only after the batch is committed
  (``synchronous=FULL``): a store reopened after a crash holds every
  acknowledged batch, and nothing of a batch that was being written (SQLite's
  atomic commit);
* appending an event whose id is already stored is a no-op when it is the
  same event, and an :class:`~ansinh.exceptions.InvariantViolation` when it
  is a different one;
* the dated commune lists the gifts were priced with (the place-dependent
  national rules) are kept in the store with the campaign, so a store
  reopened without them (a report, the HTTP API) still re-checks every gift's
  price as it was made; lists given again replace the kept ones of the same code;
* reopening replays every stored event through a fresh
  :class:`~ansinh.core.ledger.Ledger`, so a store that breaks an invariant
  (edited by hand, or priced under another law) is refused with a
  :class:`~ansinh.exceptions.LedgerError`.

Events are stored as ansinh's JSON documents (:mod:`ansinh.serialization`):
money as JSON integers, dates ISO.  :func:`write_jsonl` and
:func:`read_jsonl` exchange the same documents one per line.

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
...     with SqliteStore(path) as again:
...         len(again), again.state.pledge("P1").pledge.money
(True, False)
(1, 10000000)
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Final

from ansinh.core.campaign import Campaign
from ansinh.core.law import Law
from ansinh.core.ledger import Event, Ledger, LedgerState
from ansinh.core.places import CommuneList, commune_list_table, parse_commune_lists
from ansinh.core.pricing import LocalSupport
from ansinh.exceptions import AnsinhError, InvalidValueError, LedgerError, OutputFileError, SerializationError
from ansinh.io.files import write_atomic

__all__ = [
    "STORE_FORMAT",
    "SqliteStore",
    "event_from_json",
    "event_to_json",
    "read_jsonl",
    "write_jsonl",
]

STORE_FORMAT: Final = "ansinh-ledger/1"
"""The format tag written in a store's ``meta`` table."""

_SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, "
    "type TEXT NOT NULL, body TEXT NOT NULL, digest TEXT NOT NULL)",
)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_to_json(event: Event) -> str:
    """One event as a compact JSON document (``{"schema_version", "type", "data"}``).

    Keys are sorted, so the same event always gives the same text.
    """
    from ansinh.serialization import dump_document

    return _dumps(dump_document(event))


def event_from_json(text: str | bytes) -> Event:
    """Read one event written by :func:`event_to_json`.

    Raises:
        SerializationError: not JSON, not a ledger event, or a bad field (named by its path).
    """
    from ansinh.serialization import load_document

    try:
        doc = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SerializationError(f"not a JSON document: {exc}") from None
    event: Event = load_document(doc, Event)  # type: ignore[arg-type]
    return event


def _campaign_json(campaign: Campaign) -> str:
    from ansinh.serialization import dump_document

    return _dumps(dump_document(campaign))


def _campaign_from_json(text: str) -> Campaign:
    from ansinh.serialization import load_document

    return load_document(json.loads(text), Campaign)


_LISTS: Final = "commune_lists"
"""The ``meta`` key of the commune lists a store keeps (their ``[[commune_list]]`` tables as JSON)."""


def _kept_lists(text: str, where: str) -> tuple[CommuneList, ...]:
    try:
        return parse_commune_lists({"commune_list": json.loads(text)})
    except (AnsinhError, ValueError) as exc:
        raise LedgerError(f"{where}: the kept commune lists cannot be read ({exc})") from None


def _merged_lists(kept: tuple[CommuneList, ...], given: tuple[CommuneList, ...]) -> tuple[CommuneList, ...]:
    """*given*, then the *kept* lists whose code none of them has."""
    codes = {c.code for c in given if isinstance(c, CommuneList)}
    if len(codes) < len(given):
        raise InvalidValueError("commune_lists", given, "a sequence of CommuneList, one per code")
    merged = (*given, *(c for c in kept if c.code not in codes))
    return kept if set(merged) == set(kept) else merged


class SqliteStore:
    """The events of one campaign in a SQLite file, with the ledger they build.

    Args:
        path: the database file (created with its folder if missing).
        campaign: the campaign; required for a new store, and for an
            existing one it must equal the stored campaign (``None``: use it).
        law: the law that prices gifts (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups pricing considers.
        commune_lists: dated commune lists pricing considers, added to those the
            store keeps (a list given here replaces a kept one of the same code).

    Raises:
        LedgerError: not an ansinh store, another campaign, a stored event
            that cannot be read or breaks an invariant, or the file cannot be
            opened.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        campaign: Campaign | None = None,
        *,
        law: Law | None = None,
        local_supports: Sequence[LocalSupport] = (),
        commune_lists: Sequence[CommuneList] = (),
    ) -> None:
        self._path = Path(path)
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self._path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(f"{self._path}: cannot open the store ({exc})") from None
        self._conn: sqlite3.Connection | None = conn
        try:
            self._ledger = self._open(conn, campaign, law, local_supports, tuple(commune_lists))
        except BaseException:
            conn.close()
            self._conn = None
            raise

    def _open(
        self,
        conn: sqlite3.Connection,
        campaign: Campaign | None,
        law: Law | None,
        local_supports: Sequence[LocalSupport],
        commune_lists: tuple[CommuneList, ...],
    ) -> Ledger:
        where = str(self._path)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _SCHEMA:
                    conn.execute(statement)
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
                if not meta:
                    if campaign is None:
                        raise LedgerError(f"{where}: a new store needs a campaign")
                    conn.executemany(
                        "INSERT INTO meta (key, value) VALUES (?, ?)",
                        (("format", STORE_FORMAT), ("campaign", _campaign_json(campaign))),
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{where}: not a usable SQLite store ({exc})") from None
        if meta:
            if meta.get("format") != STORE_FORMAT:
                raise LedgerError(f"{where}: format {meta.get('format')!r} is not {STORE_FORMAT!r}")
            try:
                stored = _campaign_from_json(meta["campaign"])
            except (AnsinhError, KeyError, ValueError) as exc:
                raise LedgerError(f"{where}: the stored campaign cannot be read ({exc})") from None
            if campaign is not None and campaign != stored:
                raise LedgerError(
                    f"{where}: holds campaign {stored.code!r} with other details than "
                    f"campaign {campaign.code!r}; use another file for another campaign"
                )
            campaign = stored
        assert campaign is not None
        if law is None:
            from ansinh.data import default_law

            law = default_law()
        kept = _kept_lists(meta.get(_LISTS, "[]"), where)
        lists = _merged_lists(kept, commune_lists)
        ledger = Ledger(campaign, law=law, local_supports=local_supports, commune_lists=lists)
        for seq, event_id, body, digest in conn.execute(
            "SELECT seq, event_id, body, digest FROM events ORDER BY seq"
        ):
            if hashlib.sha256(body.encode("utf-8")).hexdigest() != digest:
                raise LedgerError(f"{where}: event #{seq} ({event_id!r}) does not match its digest")
            try:
                event = event_from_json(body)
                if event.event_id != event_id:
                    raise LedgerError(f"event id {event.event_id!r} is stored under {event_id!r}")
                ledger.append(event)
            except AnsinhError as exc:
                raise LedgerError(f"{where}: stored event #{seq} ({event_id!r}) is refused: {exc}") from None
        if lists != kept:
            try:
                conn.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                    (_LISTS, _dumps([commune_list_table(c) for c in lists])),
                )
            except sqlite3.Error as exc:
                raise LedgerError(f"{where}: cannot keep the commune lists ({exc})") from None
        return ledger

    # -- access -------------------------------------------------------------

    @property
    def path(self) -> Path:
        """The database file."""
        return self._path

    @property
    def ledger(self) -> Ledger:
        """The ledger the stored events build (append through the store, not to it)."""
        return self._ledger

    @property
    def campaign(self) -> Campaign:
        """The stored campaign."""
        return self._ledger.campaign

    @property
    def state(self) -> LedgerState:
        """The current state."""
        return self._ledger.state

    @property
    def events(self) -> tuple[Event, ...]:
        """Every stored event, in order."""
        return self._ledger.events

    def __len__(self) -> int:
        return len(self._ledger)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._ledger

    # -- writing ------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise LedgerError(f"{self._path}: the store is closed")
        return self._conn

    def append(self, event: Event) -> bool:
        """Check *event*, commit it in its own transaction, then add it to the ledger.

        Returns:
            ``True`` if it was new, ``False`` if the same event was already stored.

        Raises:
            InvariantViolation: the event breaks an invariant, or its id is
                stored for a different event; nothing is written.
            LedgerError: the store is closed, was changed by another process,
                or the write failed (nothing is written).
        """
        return bool(self.append_batch((event,)))

    def append_batch(
        self, events: Iterable[Event], *, progress: Callable[[int, int], None] | None = None
    ) -> tuple[Event, ...]:
        """Check a batch of events and commit it in one transaction: all of it, or none.

        The ledger checks the whole batch first (:meth:`Ledger.append_batch
        <ansinh.core.ledger.Ledger.append_batch>`); the new events are then
        written in one transaction, and only once it is committed
        (``synchronous=FULL``) does the ledger hold them.  A process killed
        mid-batch leaves a store without any event of the batch.

        Args:
            events: the batch, in order; events already stored are skipped.
            progress: called as ``progress(done, total)`` while the batch is written.

        Returns:
            The new events, in order.

        Raises:
            InvariantViolation: an event breaks an invariant, or its id is
                stored for a different event; nothing is written.
            LedgerError: the store is closed, was changed by another process,
                or the write failed (nothing is written).
        """
        self._connection()
        return self._ledger.append_batch(events, commit=lambda new: self._write(new, progress))

    def _write(self, events: tuple[Event, ...], progress: Callable[[int, int], None] | None) -> None:
        conn = self._connection()
        total = len(events)

        def rows() -> Iterable[tuple[str, str, str, str]]:
            for done, event in enumerate(events, 1):
                body = event_to_json(event)
                yield event.event_id, event.type, body, hashlib.sha256(body.encode("utf-8")).hexdigest()
                if progress is not None and (done % 1000 == 0 or done == total):
                    progress(done, total)

        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                (count,) = conn.execute("SELECT count(*) FROM events").fetchone()
                known = len(self._ledger) - total
                if count != known:
                    raise LedgerError(
                        f"{self._path}: another process changed the store "
                        f"({count} events stored, {known} known); reopen it"
                    )
                conn.executemany(
                    "INSERT INTO events (event_id, type, body, digest) VALUES (?, ?, ?, ?)", rows()
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            first = events[0].event_id
            raise LedgerError(
                f"{self._path}: a batch of {total} events from {first!r} was not written ({exc})"
            ) from None

    def extend(self, events: Iterable[Event], *, progress: Callable[[int, int], None] | None = None) -> int:
        """Append events one by one (one transaction each); returns how many were new.

        Args:
            events: the events, in order.
            progress: called as ``progress(done, total)`` after each event.

        Raises:
            InvariantViolation: an event is refused; the earlier ones stay stored.
        """
        items = tuple(events)
        new = 0
        for done, event in enumerate(items, 1):
            new += self.append(event)
            if progress is not None:
                progress(done, len(items))
        return new

    def export_jsonl(self, path: str | os.PathLike[str]) -> Path:
        """Write every stored event to a JSON Lines file (see :func:`write_jsonl`)."""
        return write_jsonl(path, self.events)

    def import_jsonl(self, path: str | os.PathLike[str]) -> int:
        """Append the events of a JSON Lines file as one batch; events already stored are skipped.

        Raises:
            SerializationError: a line cannot be read (nothing from the file is appended).
            InvariantViolation: an event is refused; nothing from the file is appended.
        """
        return len(self.append_batch(read_jsonl(path)))

    def close(self) -> None:
        """Close the database (the ledger stays readable)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore({str(self._path)!r}, campaign={self.campaign.code!r}, events={len(self)})"


def write_jsonl(path: str | os.PathLike[str], events: Iterable[Event]) -> Path:
    """Write events to a JSON Lines file, one document per line, through a temporary file.

    Raises:
        LedgerError: the file cannot be written (no partial file is left).
    """
    try:
        return write_atomic(path, (event_to_json(event) + "\n" for event in events), durable=True)
    except OutputFileError as exc:
        raise LedgerError(str(exc)) from None


def read_jsonl(path: str | os.PathLike[str]) -> tuple[Event, ...]:
    """Read the events of a JSON Lines file (blank lines are skipped).

    Raises:
        SerializationError: a line cannot be read; the message gives its line number.
        LedgerError: the file cannot be opened.
    """
    source = Path(path)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"{source}: cannot be read ({exc})") from None
    events = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            events.append(event_from_json(line))
        except SerializationError as exc:
            raise SerializationError(f"{source}, line {number}: {exc}") from None
    return tuple(events)
