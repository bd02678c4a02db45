"""Merging stores upward: a province office's store into the national one."""

from __future__ import annotations

import attrs

from ansinh.core.audit import Actor, Audit, now
from ansinh.core.campaign import Campaign
from ansinh.core.ledger import Event, Ledger
from ansinh.exceptions import InvariantViolation, LedgerError

__all__ = ["MergePlan", "MergeResult", "merged_audits", "plan_merge"]


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
