"""Merging stores upward: a province office's store into the national one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ansinh.core.audit import Actor, Audit, now
from ansinh.core.campaign import Campaign
from ansinh.core.ledger import Event, Ledger
from ansinh.exceptions import InvariantViolation, LedgerError
from ansinh.io.store._chain import AuditColumns, audit_of, digests, genesis
from ansinh.io.store._codec import Row

__all__ = ["MergePlan", "MergeResult", "StoredRow", "copy_rows", "merged_audits", "plan_merge"]


@attrs.frozen(kw_only=True)
class MergeResult:
    """What a merge added to the store merged into."""

    campaigns: tuple[str, ...]
    """Codes of the campaigns added (they were not in the store)."""
    events: tuple[tuple[str, int], ...]
    """``(campaign code, new events)`` for each campaign that received events."""

    @property
    def new_events(self) -> int:
        """Events added, over every campaign."""
        return sum(n for _, n in self.events)


@attrs.frozen(kw_only=True)
class MergePlan:
    """One campaign of a merge: whether it is new to the target, and the source events the target lacks."""

    campaign: Campaign
    is_new: bool
    events: tuple[Event, ...]


def plan_merge(
    source: dict[Campaign, tuple[Event, ...]],
    target: dict[str, tuple[Campaign, Ledger]],
    where: str,
) -> tuple[MergePlan, ...]:
    """What merging *source* (campaign -> events) into *target* (code -> campaign, ledger) adds.

    Nothing is changed: events whose id the target already holds for the
    campaign are skipped when they are the same event.

    Raises:
        LedgerError: a campaign of the same code has other details, or an
            event id of a campaign is held for a different event (both named).
    """
    plans = []
    for campaign, events in source.items():
        held = target.get(campaign.code)
        if held is not None and held[0] != campaign:
            raise LedgerError(
                f"{where}: campaign {campaign.code!r} is held with other details; nothing was merged"
            )
        new = []
        for event in events:
            if held is not None:
                try:
                    if held[1].is_duplicate(event):
                        continue
                except InvariantViolation:
                    raise LedgerError(
                        f"{where}: campaign {campaign.code!r}, event {event.event_id!r} ({event.type}): "
                        f"the store merged into holds a different event under this id; nothing was merged"
                    ) from None
            new.append(event)
        plans.append(MergePlan(campaign=campaign, is_new=held is None, events=tuple(new)))
    return tuple(plans)


def merged_audits(
    source: object, code: str, events: tuple[Event, ...], actor: Actor | None
) -> tuple[Audit, ...]:
    """The audit each merged event keeps: the source's, verbatim; the merging *actor*'s where the source names no one."""
    records = getattr(source, "records", None)
    held = {r.event.event_id: r.audit for r in records(campaign=code)} if records is not None else {}
    merged = Audit(actor=actor, recorded_at=now())
    out = []
    for event in events:
        audit = held.get(event.event_id)
        if audit is None or (audit.actor is None and actor is not None):
            audit = attrs.evolve(merged, document=audit.document if audit is not None else "")
        out.append(audit)
    return tuple(out)


StoredRow = tuple[Any, ...]
"""``(event_id, type, on_date, body, digest, actor, role, recorded_at, document, chain)`` as a store keeps a row."""


def copy_rows(
    source: object, code: str, events: tuple[Event, ...], actor: Actor | None
) -> tuple[tuple[Row, ...], tuple[Audit, ...]] | None:
    """The source's own rows of *events* (campaign *code*), verified, with the audit each keeps (see :func:`merged_audits`).

    A merge copies the rows the source holds rather than encoding its events
    again: each row read is checked against its digest and the campaign's
    chain from its first row (what :func:`~ansinh.io.store.verify_store`
    checks), and each event must be among them.  ``None`` when *source*
    cannot give its rows (another kind of store).

    Raises:
        LedgerError: a row does not match its chain, or an event is not among the rows; nothing is merged.
    """
    stored_rows = getattr(source, "stored_rows", None)
    if stored_rows is None:
        return None
    prev = genesis(code)
    kept: dict[str, tuple[Row, AuditColumns]] = {}
    for event_id, kind, on, body, stored, *columns, chain in stored_rows(campaign=code):
        row: Row = (event_id, kind, on, body)
        audit: AuditColumns = (columns[0], columns[1], columns[2], columns[3])
        body_digest, prev = digests(prev, code, row, audit)
        if body_digest != bytes(stored) or chain is None or prev != bytes(chain):
            raise LedgerError(
                f"the source's campaign {code!r}, event {event_id!r}: the row does not match its chain "
                "(run verify on the source store); nothing was merged"
            )
        kept[event_id] = (row, audit)
    try:
        found = [kept[event.event_id] for event in events]
    except KeyError as exc:
        raise LedgerError(
            f"the source's campaign {code!r}: event {exc} is not among its rows; nothing was merged"
        ) from None
    return tuple(row for row, _ in found), _copied_audits([audit for _, audit in found], actor)


def _copied_audits(columns: Sequence[AuditColumns], actor: Actor | None) -> tuple[Audit, ...]:
    """The audit each copied row keeps: its own; the merging *actor*'s where it names no one (one value per kind)."""
    merged = Audit(actor=actor, recorded_at=now())
    made: dict[AuditColumns, Audit] = {}  # a batch's rows share a few audits: each is made once
    out = []
    for audit_columns in columns:
        audit = made.get(audit_columns)
        if audit is None:
            audit = audit_of(audit_columns)
            if audit.actor is None and actor is not None:
                audit = attrs.evolve(merged, document=audit.document)
            made[audit_columns] = audit
        out.append(audit)
    return tuple(out)
