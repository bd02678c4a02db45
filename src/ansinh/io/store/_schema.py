"""The store's tables, its schema version, and the upgrade from the one-campaign format."""

from __future__ import annotations

import hashlib
import sqlite3
from typing import Any, Final

import attrs

from ansinh.exceptions import AnsinhError, LedgerError
from ansinh.io.store._chain import rechain
from ansinh.io.store._codec import digest, encode
from ansinh.io.store._jsonl import event_from_json
from ansinh.io.store._views import VIEW_NAMES, view_statements

__all__ = [
    "SCHEMA_VERSION",
    "SQLITE",
    "STORE_FORMAT",
    "Dialect",
    "check_meta",
    "prepare",
    "upgrade_from_2",
    "upgrade_from_3",
]

STORE_FORMAT: Final = "ansinh-store"
"""The format tag in a store's ``meta`` table."""

SCHEMA_VERSION: Final = 4
"""The schema this ansinh writes (1: one campaign, full JSON documents; 2: many campaigns, compact rows;
3: each event row's audit — actor, role, recorded_at, document — and its chain digest, each campaign's head;
4: who recorded a batch and when kept once, in ``recordings``, each row naming its recording by number)."""

_OLD_FORMAT: Final = "ansinh-ledger/1"

# Event ids are unique within a campaign: the campaign's ledger refuses a used id before anything is
# written, and one writer at a time holds the database (BEGIN IMMEDIATE, with a count check), so no
# unique index is kept (at national scale it would be a sixth of the file).
TABLES: Final = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS campaigns (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, parent TEXT, "
    "body TEXT NOT NULL, head BLOB)",
    "CREATE TABLE IF NOT EXISTS recordings (id INTEGER PRIMARY KEY, actor TEXT, role TEXT, recorded_at TEXT)",
    "CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY, campaign INTEGER NOT NULL REFERENCES campaigns(id), "
    "event_id TEXT NOT NULL, type TEXT NOT NULL, on_date TEXT NOT NULL, body TEXT NOT NULL, digest BLOB NOT NULL, "
    "recording INTEGER REFERENCES recordings(id), document TEXT NOT NULL DEFAULT '', "
    "chain BLOB NOT NULL DEFAULT x'')",
    "CREATE INDEX IF NOT EXISTS events_by_campaign ON events (campaign)",
)

UPGRADE_FROM_2: Final = (
    "ALTER TABLE campaigns ADD COLUMN head {blob}",
    "ALTER TABLE events ADD COLUMN actor TEXT",
    "ALTER TABLE events ADD COLUMN role TEXT",
    "ALTER TABLE events ADD COLUMN recorded_at TEXT",
    "ALTER TABLE events ADD COLUMN document TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE events ADD COLUMN chain {blob} NOT NULL DEFAULT {empty}",
)
"""Schema 2 to 3 (the audit columns; then :func:`~ansinh.io.store._chain.rechain`), ``{blob}``/``{empty}`` per database."""


UPGRADE_FROM_3: Final = (
    "CREATE TABLE recordings (id {key}, actor TEXT, role TEXT, recorded_at TEXT)",
    "INSERT INTO recordings (actor, role, recorded_at) SELECT DISTINCT actor, role, recorded_at FROM events "
    "WHERE actor IS NOT NULL OR role IS NOT NULL OR recorded_at IS NOT NULL",
    "ALTER TABLE events ADD COLUMN recording {integer} REFERENCES recordings(id)",
    "UPDATE events SET recording = (SELECT min(r.id) FROM recordings r WHERE r.actor {same} events.actor "
    "AND r.role {same} events.role AND r.recorded_at {same} events.recorded_at) "
    "WHERE actor IS NOT NULL OR role IS NOT NULL OR recorded_at IS NOT NULL",
    "ALTER TABLE events DROP COLUMN actor",
    "ALTER TABLE events DROP COLUMN role",
    "ALTER TABLE events DROP COLUMN recorded_at",
)
"""Schema 3 to 4: each distinct (actor, role, recorded_at) once in ``recordings``; rows name it (chains unchanged)."""


@attrs.frozen(kw_only=True)
class Dialect:
    """What the upgrades write differently on each database."""

    blob: str = "BLOB"
    """The type of a digest column."""
    empty: str = "x''"
    """An empty digest."""
    key: str = "INTEGER PRIMARY KEY"
    """A numbered key column."""
    integer: str = "INTEGER"
    """The type of a column holding such a number."""
    same: str = "IS"
    """Compares two values that may be NULL."""


SQLITE: Final = Dialect()
"""SQLite's dialect."""


def upgrade_from_2(conn: Any, where: str, dialect: Dialect = SQLITE) -> None:
    """Add the audit columns to a schema-2 store and chain its rows, inside the caller's transaction (any database).

    Its events get no actor, no ``recorded_at`` and no document; their chain
    starts at the upgrade (each row's body is checked against its digest first).
    The store is then upgraded on to schema 4 (:func:`upgrade_from_3`).

    Raises:
        LedgerError: a row does not match its digest.
    """
    for statement in UPGRADE_FROM_2:
        conn.execute(statement.format(blob=dialect.blob, empty=dialect.empty))
    rechain(conn, where)
    upgrade_from_3(conn, dialect)


def upgrade_from_3(conn: Any, dialect: Dialect = SQLITE) -> None:
    """Keep each distinct recording (actor, role, recorded_at) of a schema-3 store once, in the caller's transaction.

    What each row's chain digest covers is unchanged (the same text, read
    through the row's recording), so every chain still verifies.
    """
    for statement in UPGRADE_FROM_3:
        conn.execute(statement.format(key=dialect.key, integer=dialect.integer, same=dialect.same))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))


def _upgrade_from_1(conn: sqlite3.Connection, meta: dict[str, str], where: str) -> None:
    """Rewrite a one-campaign store (full documents) as schema 2, inside the caller's transaction."""
    from ansinh.core.campaign import Campaign
    from ansinh.serialization import load_document

    try:
        import json

        campaign = load_document(json.loads(meta["campaign"]), Campaign)
    except (AnsinhError, KeyError, ValueError) as exc:
        raise LedgerError(f"{where}: the stored campaign cannot be read ({exc})") from None
    rows = []
    for seq, event_id, body, old_digest in conn.execute(
        "SELECT seq, event_id, body, digest FROM events ORDER BY seq"
    ):
        if hashlib.sha256(body.encode("utf-8")).hexdigest() != old_digest:
            raise LedgerError(f"{where}: event #{seq} ({event_id!r}) does not match its digest")
        try:
            event = event_from_json(body)
        except AnsinhError as exc:
            raise LedgerError(f"{where}: stored event #{seq} ({event_id!r}) cannot be read: {exc}") from None
        row = encode(event)
        rows.append((seq, 1, *row, digest(row[3])))
    conn.execute("ALTER TABLE events RENAME TO events_v1")
    for statement in TABLES[1:]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO campaigns (id, code, parent, body) VALUES (1, ?, ?, ?)",
        (campaign.code, campaign.parent, meta["campaign"]),
    )
    conn.executemany(
        "INSERT INTO events (seq, campaign, event_id, type, on_date, body, digest) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("DROP TABLE events_v1")
    rechain(conn, where, audit="NULL, NULL, NULL, document")
    conn.execute("DELETE FROM meta")


def check_meta(meta: dict[str, str], where: str) -> None:
    """Refuse a store of another format, or of a schema newer than :data:`SCHEMA_VERSION` (any database).

    Raises:
        LedgerError: naming the format or the version found.
    """
    if meta.get("format") != STORE_FORMAT:
        raise LedgerError(f"{where}: format {meta.get('format')!r} is not {STORE_FORMAT!r}")
    version = meta.get("schema_version", "")
    if not version.isdigit() or int(version) > SCHEMA_VERSION:
        raise LedgerError(
            f"{where}: schema version {version!r} was written by a newer ansinh; "
            f"this one reads versions up to {SCHEMA_VERSION}"
        )


def prepare(conn: sqlite3.Connection, where: str) -> None:
    """Create the tables of a new store, upgrade an old one, or refuse one this ansinh cannot read.

    The whole upgrade is one transaction: it is done, or the file is as it was.

    Raises:
        LedgerError: not an ansinh store, or written by a newer ansinh.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if "meta" in names else {}
        if names and not meta:
            raise LedgerError(f"{where}: not an ansinh store (tables {', '.join(sorted(names))})")
        if meta.get("format") == _OLD_FORMAT:
            _upgrade_from_1(conn, meta, where)
            meta = {}
        elif meta:
            check_meta(meta, where)
            if meta.get("schema_version") == "2":
                upgrade_from_2(conn, where)
            elif meta.get("schema_version") == "3":
                upgrade_from_3(conn)
        if not meta:
            for statement in TABLES:
                conn.execute(statement)
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                (("format", STORE_FORMAT), ("schema_version", str(SCHEMA_VERSION))),
            )
        views = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        if not views.issuperset(VIEW_NAMES):
            for statement in view_statements("sqlite"):
                conn.execute(statement)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
