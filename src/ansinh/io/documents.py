"""The documents a campaign's events rest on, from its folder: receipts, the review's biên bản, card numbers and serials.

:func:`ansinh.io.run.run_campaign` records each event with the document it
rests on (:class:`ansinh.core.audit.Audit`), where the folder has one:

* money received (``recv:<pledge>:<n>``): the receipt or collection
  reference of ``pledges.csv``'s column ``Số chứng từ`` (``receipt``);
* a gift allocated from a reviewed list: the approval's minutes (the biên
  bản of ``review.toml``'s ``[approval] minutes``);
* a gift delivered (``deliver:<gift>``): the card number or the book serial
  ``deliveries.csv`` gives for its person — columns ``Mã người``
  (``person``), ``Mã thẻ BHYT`` (``card_number``), ``Số sêri sổ BHXH``
  (``book_serial``) —, else the biên bản of the ceremony that handed it over
  (``[[handover]] reference`` of ``campaign.toml``).

``deliveries.csv`` is optional; a row naming a person twice, or a document
longer than :data:`~ansinh.core.audit.MAX_DOCUMENT`, is refused with its line.
Card numbers and serials carry a person's social insurance number: they are
kept in the store (private) and never printed.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

from ansinh.core.audit import MAX_DOCUMENT
from ansinh.core.events import Event, GiftAllocated, GiftDelivered
from ansinh.core.handover import Handover
from ansinh.core.products import ProductKind
from ansinh.core.review import CandidateList
from ansinh.core.state import LedgerState
from ansinh.exceptions import CampaignFileError
from ansinh.io.campaign_files import Receipt, _read_csv

__all__ = [
    "DELIVERIES_FILE",
    "DELIVERY_HEADERS",
    "allocation_documents",
    "delivery_documents",
    "read_deliveries",
    "receipt_documents",
]

DELIVERIES_FILE: Final = "deliveries.csv"
"""The optional file of a campaign folder giving each person's card number and book serial."""

DELIVERY_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "person": ("person", "person id", "id", "ma", "ma nguoi", "ma doi tuong", "ma ho so"),
    "card_number": ("card number", "card_number", "ma the bhyt", "ma the", "so the bhyt cap"),
    "book_serial": ("book serial", "book_serial", "so seri so bhxh", "seri so bhxh", "so seri"),
}
"""Delivery field → accepted headers (matching form: accents and case ignored)."""


def read_deliveries(path: str | os.PathLike[str]) -> dict[str, dict[ProductKind, str]]:
    """Read ``deliveries.csv``: person id → ``{HEALTH_CARD: card number, SOCIAL_BOOK: book serial}``.

    Raises:
        CampaignFileError: the file cannot be read, lacks the person column,
            has a line that cannot be split (an unclosed quote), names a
            person twice, or a document is too long (naming the line).
    """
    rows, _names, broken = _read_csv(Path(path), DELIVERY_HEADERS, ("person",))
    if broken:  # a line that cannot be split: its documents are unknown, so the file is refused
        raise CampaignFileError(f"{Path(path).name} line {broken[0].row}", broken[0].value, broken[0].reason)
    found: dict[str, dict[ProductKind, str]] = {}
    for number, cells in rows:
        person = cells["person"]
        where = f"{Path(path).name} line {number}"
        if person in found:
            raise CampaignFileError(f"{where} person", person, "a person named on one line only")
        documents = {}
        for kind, field in (
            (ProductKind.HEALTH_CARD, "card_number"),
            (ProductKind.SOCIAL_BOOK, "book_serial"),
        ):
            text = cells.get(field, "")
            if len(text) > MAX_DOCUMENT:
                raise CampaignFileError(f"{where} {field}", text, f"at most {MAX_DOCUMENT} characters")
            if text:
                documents[kind] = text
        found[person] = documents
    return found


def receipt_documents(events: Iterable[Event], receipts: Iterable[Receipt]) -> dict[str, str]:
    """``{event id: receipt reference}`` of the money received (``recv:<pledge>:<n>``, in the receipts' order)."""
    counts: dict[str, int] = {}
    out = {}
    for r in receipts:
        counts[r.pledge_id] = counts.get(r.pledge_id, 0) + 1
        if r.reference:
            out[f"recv:{r.pledge_id}:{counts[r.pledge_id]}"] = r.reference
    ids = {e.event_id for e in events}
    return {k: v for k, v in out.items() if k in ids}


def allocation_documents(events: Iterable[Event], approved: CandidateList | None) -> dict[str, str]:
    """``{event id: the approval's minutes}`` for each gift allocated from an approved list."""
    if approved is None or approved.approval is None:
        return {}
    minutes = approved.approval.minutes
    return {e.event_id: minutes for e in events if isinstance(e, GiftAllocated)}


def delivery_documents(
    events: Iterable[Event],
    state: LedgerState,
    deliveries: Mapping[str, Mapping[ProductKind, str]],
    handovers: Iterable[Handover] = (),
) -> dict[str, str]:
    """``{event id: document}`` of each gift delivered: its card number or book serial, else its ceremony's biên bản.

    The ceremony is the first of *handovers* held on the delivery's day that
    includes the gift, and its :attr:`~ansinh.core.handover.Handover.reference`.
    """
    referenced: dict[dt.date, list[Handover]] = {}  # the ceremonies with a biên bản, by day, in order
    for h in sorted(handovers, key=lambda h: h.on):
        if h.reference:
            referenced.setdefault(h.on, []).append(h)
    out = {}
    for e in events:
        if isinstance(e, GiftDelivered):
            gift = state.gift(e.gift_id)
            document = deliveries.get(gift.person_id, {}).get(gift.kind) if deliveries else None
            if not document and referenced:
                document = next((h.reference for h in referenced.get(e.on, ()) if h.includes(gift)), None)
            if document:
                out[e.event_id] = document
    return out
