"""Damaged store files: whatever is wrong with one is one :class:`~ansinh.exceptions.LedgerError` saying what.

A store file can be truncated, overwritten, edited by hand, copied without its
``-wal`` file, kept on read-only media or written on a full disk.  The
functions here turn each into one error naming the cause (never a bare
:mod:`sqlite3` error), check every row's types before it is read, check the
tables a store needs, and keep a count of each campaign's events so a deleted
row is noticed when the campaign is read.
"""

from __future__ import annotations

import functools
import sqlite3
import urllib.parse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, ParamSpec, TypeVar

from ansinh.exceptions import LedgerError

__all__ = [
    "DAMAGE",
    "ReadOnlyMedia",
    "campaign_from_row",
    "cause",
    "check_count",
    "check_not_blank",
    "check_opened",
    "check_size",
    "check_tables",
    "connect",
    "connect_read_only",
    "count_key",
    "event_row",
    "keep_count",
    "kept_count",
    "mapped",
]

P = ParamSpec("P")
R = TypeVar("R")
C = TypeVar("C")

EventRow = tuple[int, str, str, str, str, bytes]
"""``(seq, event_id, type, on_date, body, digest)``, each of its column's type."""

_CAUSES: Final = {
    sqlite3.SQLITE_FULL: "the disk is full (or the store reached its size limit): free space and run again",
    sqlite3.SQLITE_READONLY: (
        "the store is on read-only media or its file or folder cannot be written: "
        "open it read-only to read it, or copy it (with its -wal file) to a disk that can be written"
    ),
    sqlite3.SQLITE_CANTOPEN: (
        "the file (or its -wal/-shm file beside it) cannot be opened: "
        "check the folder exists and can be written, or open the store read-only"
    ),
    sqlite3.SQLITE_CORRUPT: "the file is damaged: restore the store from a backup",
    sqlite3.SQLITE_NOTADB: "the file is not a SQLite database (damaged header or another file): restore it from a backup",
    sqlite3.SQLITE_IOERR: "the disk failed to read or write the file",
    sqlite3.SQLITE_BUSY: "another process has held the store locked for over a minute",
    sqlite3.SQLITE_LOCKED: "another connection holds the store locked",
    sqlite3.SQLITE_PERM: "the file's permissions refuse this access",
}

PAGE_SIZE: Final = 16384
"""The page size of a new store file: a national ledger's rows (40 to 1,000 bytes) fill large pages better."""

_READ_ONLY: Final = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM)

_TABLES: Final = {
    "meta": ("key", "value"),
    "campaigns": ("id", "code", "parent", "body"),
    "events": ("seq", "campaign", "event_id", "type", "on_date", "body", "digest"),
}
"""The tables and columns every store has (a store may have more)."""


DAMAGE: Final = (sqlite3.Error, UnicodeDecodeError)
"""What reading a damaged file raises: SQLite's errors, and text that is not UTF-8."""


class ReadOnlyMedia(LedgerError):
    """The store cannot be written where it is (read-only media, file or folder); it may still be read."""


def _primary(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def cause(exc: BaseException) -> str:
    """What a database error means for the store, in words, with SQLite's own text after it."""
    if isinstance(exc, UnicodeDecodeError):
        return "the file holds text that is not UTF-8 (it is damaged): restore the store from a backup"
    text = _CAUSES.get(_primary(exc) or -1)
    if text is None and ("no such table" in str(exc) or "no such column" in str(exc)):
        text = "the store's tables are damaged (a table or column is missing): restore it from a backup"
    return f"{text} ({exc})" if text else str(exc)


def failure(where: str, doing: str, exc: BaseException) -> LedgerError:
    """The error for *exc* met while *doing* with the store *where* (:class:`ReadOnlyMedia` when it is one)."""
    if not isinstance(exc, DAMAGE):  # another database's error, already in words
        return LedgerError(f"{where}: {doing} ({exc})")
    kind = ReadOnlyMedia if _primary(exc) in _READ_ONLY else LedgerError
    return kind(f"{where}: {doing}: {cause(exc)}")


def mapped(doing: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn a :mod:`sqlite3` error raised by a store's method into a :class:`LedgerError` naming the cause."""

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(*args, **kwargs)
            except DAMAGE as exc:
                raise failure(str(getattr(args[0], "_where", "the store")), doing, exc) from None

        return wrapper

    return decorate


def _sql_type(value: object) -> str:
    names = {type(None): "NULL", int: "an INTEGER", float: "a REAL", str: "TEXT", bytes: "a BLOB"}
    return names.get(type(value), type(value).__name__)


def event_row(row: Sequence[Any], where: str) -> EventRow:
    """A stored event row with each column checked to be of its type.

    Raises:
        LedgerError: a column holds another type (a BLOB body, a NULL date…), naming the row and the column.
    """
    seq, event_id, kind, on, body, stored = row
    if isinstance(stored, memoryview):  # PostgreSQL's bytea
        stored = bytes(stored)
    columns = (
        ("seq", seq, int),
        ("event_id", event_id, str),
        ("type", kind, str),
        ("on_date", on, str),
        ("body", body, str),
        ("digest", stored, bytes),
    )
    for name, value, expected in columns:
        if type(value) is not expected:
            raise LedgerError(
                f"{where}: event #{seq!r}: its {name} column holds {_sql_type(value)}, "
                f"not {_sql_type(expected())}: the row is damaged; restore the store from a backup"
            )
    return seq, event_id, kind, on, body, stored


def campaign_from_row(code: object, body: object, where: str, load: Callable[[str], C]) -> C:
    """The campaign a stored row holds (*load* reads its JSON body), its columns' types and its code checked.

    Raises:
        LedgerError: a column holds another type, the body cannot be read, or it holds another campaign.
    """
    from ansinh.exceptions import AnsinhError

    for name, value in (("code", code), ("body", body)):
        if not isinstance(value, str):
            raise LedgerError(
                f"{where}: a campaign's {name} column holds {_sql_type(value)}, not TEXT: "
                "the row is damaged; restore the store from a backup"
            )
    try:
        campaign = load(str(body))
    except (AnsinhError, ValueError) as exc:
        raise LedgerError(f"{where}: campaign {code!r} cannot be read ({exc})") from None
    if getattr(campaign, "code", None) != code:
        raise LedgerError(
            f"{where}: the row of campaign {code!r} holds campaign {getattr(campaign, 'code', '')!r}"
        )
    return campaign


def check_tables(conn: sqlite3.Connection, where: str) -> None:
    """Refuse a store missing a table or a column it needs (a dropped ``events`` table is not an empty one).

    Raises:
        LedgerError: naming the table, or the columns it lacks.
    """
    kinds = dict(
        conn.execute("SELECT name, type FROM sqlite_master WHERE name IN ('meta', 'campaigns', 'events')")
    )
    for table, needed in _TABLES.items():
        if kinds.get(table) != "table":
            raise LedgerError(
                f"{where}: the {table!r} table is missing (the store is damaged; restore it from a backup)"
            )
        have = {name for (_, name, *_) in conn.execute(f"PRAGMA table_info({table})")}
        missing = [c for c in needed if c not in have]
        if missing:
            raise LedgerError(
                f"{where}: the {table!r} table lacks the column(s) {', '.join(missing)} "
                "(the store is damaged; restore it from a backup)"
            )


def check_meta_values(meta: dict[Any, Any], where: str) -> dict[str, str]:
    """The ``meta`` table's rows, each key and value checked to be text.

    Raises:
        LedgerError: a key or value of another type.
    """
    for key, value in meta.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise LedgerError(
                f"{where}: the meta row {key!r} holds {_sql_type(value)}, not TEXT (the store is damaged)"
            )
    return meta


def check_opened(
    conn: sqlite3.Connection, where: str, size: int, prepare: Callable[[sqlite3.Connection, str], None] | None
) -> None:
    """Check an opened store: not blanked, *prepare* it (``None``: read-only), its tables and its ``meta``.

    Raises:
        LedgerError: naming what is wrong.
    """
    from ansinh.io.store._schema import check_meta

    check_not_blank(conn, where, size)
    if prepare is not None:
        prepare(conn, where)
    check_tables(conn, where)
    check_meta(check_meta_values(dict(conn.execute("SELECT key, value FROM meta")), where), where)


def count_key(code: str) -> str:
    """The ``meta`` key keeping how many events campaign *code* holds (written with them, in one transaction)."""
    return f"events:{code}"


def kept_count(conn: Any, code: str, before: int, where: str) -> str | None:
    """The event count kept for campaign *code* (``None``: none kept yet); on a first read (*before* 0), checked.

    Raises:
        LedgerError: the campaign has fewer rows than were written.
    """
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (count_key(code),)).fetchone()
    kept = None if row is None else row[0]
    if kept is not None and before == 0:  # say rows are missing before replaying them
        query = "SELECT count(*) FROM events WHERE campaign = (SELECT id FROM campaigns WHERE code = ?)"
        check_count(kept, conn.execute(query, (code,)).fetchone()[0], code, where)
    return kept


def keep_count(conn: Any, code: str, count: int) -> None:
    """Keep how many events campaign *code* holds, in the transaction that wrote them (any database)."""
    conn.execute("DELETE FROM meta WHERE key = ?", (count_key(code),))
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (count_key(code), str(count)))


def check_count(kept: object, read: int, code: str, where: str) -> None:
    """Refuse a campaign whose rows are fewer than the count written with them (*kept*; ``None``: not kept yet).

    Raises:
        LedgerError: rows were deleted or lost, or the count is damaged.
    """
    if kept is None:
        return
    if not isinstance(kept, str) or not kept.isdigit():
        raise LedgerError(f"{where}: the event count of campaign {code!r} is damaged ({kept!r})")
    if read < int(kept):
        raise LedgerError(
            f"{where}: campaign {code!r} has {read} stored events but {kept} were written: "
            f"{int(kept) - read} event row(s) were deleted or lost; restore the store from a backup"
        )


def check_size(path: Path, where: str, *, new: bool) -> int:
    """Refuse a file no SQLite database has the size of (SQLite would take one under a page for a new database).

    An empty file is a new store when a campaign is given (what a process killed before its first commit
    leaves), and refused when the store is only read.

    Returns:
        The file's size (0 when there is none yet).

    Raises:
        LedgerError: an empty file to read, or a size that is not whole pages (a truncated file).
    """
    try:
        size = path.stat().st_size if path.is_file() else None
    except OSError:
        return 0  # not readable: connecting says why
    if size == 0 and not new:
        raise LedgerError(f"{where}: the file is empty (0 bytes), not a store; remove it to start a new one")
    if size is not None and size % 512:
        raise LedgerError(
            f"{where}: the file is truncated ({size} bytes is not a whole number of database pages); "
            "restore it from a backup"
        )
    return size or 0


def check_not_blank(conn: sqlite3.Connection, where: str, size: int) -> None:
    """Refuse a file of several pages that shows no table (its first page is damaged): it is not a new store.

    Raises:
        LedgerError: naming the size.
    """
    (tables,) = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()
    (page,) = conn.execute("PRAGMA page_size").fetchone()
    if tables == 0 and size > page:
        raise LedgerError(
            f"{where}: the file ({size} bytes) shows no table: its first page is damaged; restore it from a backup"
        )


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the store file: read-write (WAL, full sync; its folder made), or read-only.

    Raises:
        LedgerError: it cannot be opened (:class:`ReadOnlyMedia` when only reading could work).
    """
    where = str(path)
    if readonly:
        conn = connect_read_only(path, where)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, isolation_level=None)
        except OSError as exc:
            raise LedgerError(f"{where}: cannot open the store ({exc})") from None
        except sqlite3.Error as exc:
            raise failure(where, "cannot open the store", exc) from None
    try:
        if not readonly:
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a new file's; an existing one keeps its own
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=60000")  # concurrent writers wait for the write lock
    except DAMAGE as exc:
        conn.close()
        raise failure(where, "not a usable SQLite store", exc) from None
    return conn


def connect_read_only(path: Path, where: str) -> sqlite3.Connection:
    """Open *path* read-only: ``mode=ro``, else ``immutable=1`` (read-only media with no room for a ``-shm`` file).

    An immutable open ignores a ``-wal`` file, so it is refused while a non-empty one lies beside the file.

    Raises:
        LedgerError: the file is missing, cannot be read, or its ``-wal`` cannot be read with it.
    """
    if not path.is_file():
        raise LedgerError(f"{where}: no store file to read")
    uri = "file:" + urllib.parse.quote(str(path.absolute()))
    try:
        conn = sqlite3.connect(uri + "?mode=ro", uri=True, isolation_level=None)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except DAMAGE as exc:
        if _primary(exc) not in _READ_ONLY:
            raise failure(where, "cannot be read", exc) from None
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise LedgerError(
            f"{where}: cannot be read where it is: its -wal file holds writes the main file lacks and "
            "this folder cannot be written; copy both files to a disk that can be written"
        )
    try:
        return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise failure(where, "cannot be read", exc) from None
