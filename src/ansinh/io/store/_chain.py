"""The store's hash chain: each event row's digest covers the row and the digest of its campaign's previous row.

A chain is kept **per campaign** (not per store): the first row of a campaign
follows :func:`genesis` of its code, each later one the row before it, and
the campaign's ``head`` column holds the last row's digest.  So a province's
campaign merged into the national store keeps its chain verbatim — the same
rows, audit fields and digests — and the national store's rows of that
campaign still verify, whatever other campaigns it holds.  (The order of rows
*between* campaigns is not chained: it means nothing.)

:func:`verify_rows` reads the rows only (no law, no plugins, no ledger) and
names the first row that does not match.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any, Final

import attrs

from ansinh.core.audit import Actor, Audit
from ansinh.exceptions import LedgerError
from ansinh.io.store._codec import Row, body_digest, digest

__all__ = [
    "AUDIT_COLUMNS",
    "CampaignChain",
    "ChainBreak",
    "ChainReport",
    "audit_columns",
    "audit_of",
    "digests",
    "genesis",
    "link",
    "rechain",
    "verify_rows",
]

AUDIT_COLUMNS: Final = ("actor", "role", "recorded_at", "document", "chain")
"""The columns schema 3 adds to the events table (schema 4 keeps the first three in ``recordings``)."""

AuditColumns = tuple[str | None, str | None, str | None, str]
"""``(actor, role, recorded_at, document)`` as a row keeps them."""

_SIZE: Final = 16

_CHAIN_HASH: Final = hashlib.blake2b(digest_size=_SIZE)
"""BLAKE2b of :data:`_SIZE` bytes fed nothing: each chain digest starts from a copy, never from it."""


def genesis(code: str) -> bytes:
    """What a campaign's first row follows: a digest of its code."""
    return hashlib.blake2b(b"ansinh-chain/1\x00" + code.encode("utf-8"), digest_size=_SIZE).digest()


def _field(value: str | None) -> str:
    return "-" if value is None else f"{len(value)}:{value}"


@functools.lru_cache(maxsize=256)
def _audit_text(audit: AuditColumns) -> str:
    # A batch's rows mostly share one audit: its text is made once.
    return "".join(_field(value) for value in audit)


def digests(prev: bytes, code: str, row: Row, audit: AuditColumns) -> tuple[bytes, bytes]:
    """A row's body digest (:func:`~ansinh.io.store._codec.digest`) and its chain digest, the body encoded once.

    The chain digest is BLAKE2b (16 bytes) of the previous digest, the
    campaign, the row's columns and its audit, each length-prefixed (``None``
    is ``-``) so that no field's text can imitate the boundary of another.
    """
    event_id, kind, on, body = row
    data = body.encode("utf-8")
    head = (
        f"{len(code)}:{code}{len(event_id)}:{event_id}{len(kind)}:{kind}{len(on)}:{on}"
        f"{_audit_text(audit)}{len(data)}:"
    )
    h = _CHAIN_HASH.copy()
    h.update(prev)
    h.update(head.encode("utf-8"))
    h.update(data)
    return body_digest(data), h.digest()


def link(prev: bytes, code: str, row: Row, audit: AuditColumns) -> bytes:
    """The chain digest of one row (see :func:`digests`)."""
    return digests(prev, code, row, audit)[1]


def audit_columns(audit: Audit) -> AuditColumns:
    """An audit as the row keeps it."""
    actor = audit.actor
    return (
        actor.id if actor is not None else None,
        actor.role if actor is not None else None,
        audit.recorded_at.isoformat() if audit.recorded_at is not None else None,
        audit.document,
    )


def audit_of(columns: AuditColumns) -> Audit:
    """The audit a row keeps (an event stored before the audit trail has none: empty fields)."""
    actor, role, recorded_at, document = columns
    return Audit(
        actor=Actor(id=actor, role=role or "") if actor is not None else None,
        recorded_at=dt.datetime.fromisoformat(recorded_at) if recorded_at is not None else None,
        document=document or "",
    )


@attrs.frozen(kw_only=True)
class CampaignChain:
    """One campaign's chain as verified: how many events, and its head digest (hex)."""

    code: str
    """The campaign's code."""
    events: int
    """Rows verified."""
    head: str
    """The last row's chain digest, hex (publish it, or keep it elsewhere, to notice a chain rewritten whole)."""


@attrs.frozen(kw_only=True)
class ChainBreak:
    """The first row that does not match its chain."""

    campaign: str
    """The campaign's code (``""`` for a row of no campaign)."""
    seq: int
    """The row's position in the store (``0``: the campaign's end, not a row)."""
    event_id: str
    """The event id the row holds (``""`` when none)."""
    problem: str
    """What does not match, in words."""


@attrs.frozen(kw_only=True)
class ChainReport:
    """What :func:`ansinh.io.store.verify_store` found."""

    store: str
    """The store (a path, or a URL with its password hidden)."""
    campaigns: tuple[CampaignChain, ...]
    """Each campaign's chain, by code (up to the break, if any)."""
    broken: ChainBreak | None
    """The first row that does not match; ``None`` when every chain is intact."""

    @property
    def intact(self) -> bool:
        """Whether every row matches its chain and every campaign ends at its head."""
        return self.broken is None

    @property
    def events(self) -> int:
        """Rows verified."""
        return sum(c.events for c in self.campaigns)


def _iter_rows(conn: Any, sql: str) -> Iterator[tuple[Any, ...]]:
    yield from conn.execute(sql)


def verify_rows(conn: Any, where: str) -> ChainReport:
    """Recompute every campaign's chain from the rows of a schema-4 store (*conn*: any :class:`Connection`)."""
    campaigns = {
        key: (code, head) for key, code, head in conn.execute("SELECT id, code, head FROM campaigns")
    }
    prev: dict[int, bytes] = {key: genesis(code) for key, (code, _) in campaigns.items()}
    counts = dict.fromkeys(campaigns, 0)

    def report(broken: ChainBreak | None) -> ChainReport:
        chains = (
            CampaignChain(code=code, events=counts[key], head=prev[key].hex())
            for key, (code, _) in campaigns.items()
        )
        return ChainReport(store=where, campaigns=tuple(sorted(chains, key=lambda c: c.code)), broken=broken)

    rows = _iter_rows(
        conn,
        "SELECT e.seq, e.campaign, e.event_id, e.type, e.on_date, e.body, e.digest, e.recording, r.id, "
        "r.actor, r.role, r.recorded_at, e.document, e.chain "
        "FROM events e LEFT JOIN recordings r ON r.id = e.recording ORDER BY e.seq",
    )
    for (
        seq,
        key,
        event_id,
        kind,
        on,
        body,
        stored,
        recording,
        found,
        actor,
        role,
        recorded_at,
        document,
        chain,
    ) in rows:
        if key not in campaigns:
            return report(
                ChainBreak(campaign="", seq=seq, event_id=event_id, problem="the row belongs to no campaign")
            )
        code = campaigns[key][0]
        if recording is not None and found is None:
            problem = "it names a recording the store does not hold: the row or its recording was edited"
            return report(ChainBreak(campaign=code, seq=seq, event_id=event_id, problem=problem))
        body_digest, expected = digests(
            prev[key], code, (event_id, kind, on, body), (actor, role, recorded_at, document)
        )
        if body_digest != bytes(stored):
            problem = "its body does not match its digest: the row was edited"
            return report(ChainBreak(campaign=code, seq=seq, event_id=event_id, problem=problem))
        if chain is None or bytes(chain) != expected:
            problem = (
                "its chain digest does not follow the campaign's previous row: this row was edited, "
                "or a row before it was deleted, moved or inserted"
            )
            return report(ChainBreak(campaign=code, seq=seq, event_id=event_id, problem=problem))
        prev[key] = expected
        counts[key] += 1
    for key, (code, head) in sorted(campaigns.items(), key=lambda kv: kv[1][0]):
        recorded = bytes(head) if head is not None else genesis(code)
        if recorded != prev[key]:
            problem = (
                "its last row is not the head the store recorded: rows at its end were deleted "
                "(or the head was edited)"
            )
            return report(ChainBreak(campaign=code, seq=0, event_id="", problem=problem))
    return report(None)


def rechain(conn: Any, where: str, *, audit: str = "actor, role, recorded_at, document") -> None:
    """Compute every row's chain digest and every campaign's head, in the caller's transaction (an upgrade).

    Each row's body is checked against its digest first: an upgrade does not
    vouch for a row edited before it.  *audit* selects a row's audit columns
    (the schema-3 columns by default).

    Raises:
        LedgerError: a row does not match its digest.
    """
    codes = dict(conn.execute("SELECT id, code FROM campaigns").fetchall())
    prev = {key: genesis(code) for key, code in codes.items()}
    updates: list[tuple[bytes, int]] = []
    rows: Iterable[tuple[Any, ...]] = conn.execute(
        f"SELECT seq, campaign, event_id, type, on_date, body, digest, {audit} FROM events ORDER BY seq"
    ).fetchall()
    for seq, key, event_id, kind, on, body, stored, actor, role, recorded_at, document in rows:
        if key not in codes or digest(body) != bytes(stored):
            raise LedgerError(f"{where}: event #{seq} ({event_id!r}) does not match its digest; not upgraded")
        prev[key] = link(
            prev[key], codes[key], (event_id, kind, on, body), (actor, role, recorded_at, document)
        )
        updates.append((prev[key], seq))
    conn.executemany("UPDATE events SET chain = ? WHERE seq = ?", updates)
    conn.executemany(
        "UPDATE campaigns SET head = ? WHERE id = ?", [(head, key) for key, head in prev.items()]
    )
