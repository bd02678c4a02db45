"""Recordings: who recorded a batch of events, and when, kept once per batch (schema 4) rather than on every row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ansinh.core.audit import Audit
from ansinh.io.store._chain import AuditColumns, audit_columns

__all__ = ["Numbered", "number_recordings"]

Numbered = dict[int, tuple[AuditColumns, int | None]]
"""``{id(audit): (its columns as the chain reads them, its recording's number)}``."""


def number_recordings(conn: Any, audits: Sequence[Audit]) -> Numbered:
    """Each distinct audit of a batch with the recording that keeps its actor, role and time, inserted in *conn*.

    An audit that names no actor, role nor time (an event stored before the
    audit trail) has no recording (``None``).  The row's document stays on
    the row; the chain digest covers the same columns as before (see
    :func:`~ansinh.io.store._chain.digests`).
    """
    out: Numbered = {}
    numbers: dict[tuple[str | None, ...], int | None] = {}
    for audit in audits:
        if id(audit) in out:  # a batch's events mostly share one audit
            continue
        columns = audit_columns(audit)
        who = columns[:3]
        if who not in numbers:
            numbers[who] = (
                None
                if who == (None, None, None)
                else conn.execute(
                    "INSERT INTO recordings (actor, role, recorded_at) VALUES (?, ?, ?) RETURNING id", who
                ).fetchall()[0][0]
            )
        out[id(audit)] = (columns, numbers[who])
    return out
