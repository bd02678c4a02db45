"""Events as JSON Lines: full documents, one per line (the exchange format)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from ansinh.core.ledger import Event, GiftAllocated
from ansinh.core.pricing import Quote
from ansinh.exceptions import LedgerError, OutputFileError, SerializationError
from ansinh.io.files import write_atomic
from ansinh.io.store._codec import converter, dumps, gift_fields

__all__ = ["event_from_json", "event_to_json", "read_jsonl", "write_jsonl"]


def event_to_json(event: Event) -> str:
    """One event as a compact JSON document (``{"schema_version", "type", "data"}``).

    Keys are sorted, so the same event always gives the same text.
    """
    from ansinh.serialization import dump_document

    return dumps(dump_document(event))


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


def _lines(events: Iterable[Event]) -> Iterator[str]:
    """:func:`event_to_json` of each event, line by line, faster.

    Gifts of one price class share their quote: each distinct quote is
    unstructured and encoded once, and its text spliced into every line that
    holds it (a test checks each line equals :func:`event_to_json`).
    """
    from ansinh.serialization import dump_document, schema_version

    conv = converter()
    version = schema_version("ledger_event")
    quotes: dict[
        int, tuple[Quote, str, str]
    ] = {}  # id -> (the quote, kept alive; placeholder text; its JSON)
    for event in events:
        if not isinstance(event, GiftAllocated):
            doc = {"schema_version": version, "type": "ledger_event", "data": conv.unstructure(event)}
            yield dumps(doc) + "\n"
            continue
        gift = event.gift
        held = quotes.get(id(gift.quote))
        if held is None:
            mark = f"\x00quote {len(quotes)}\x00"
            held = quotes[id(gift.quote)] = (gift.quote, mark, dumps(dump_document(gift.quote)["data"]))
        data = {f.name: conv.unstructure(getattr(gift, f.name), f.type) for f in gift_fields()}
        data["quote"] = held[1]
        doc = {
            "schema_version": version,
            "type": "ledger_event",
            "data": {
                "event_id": event.event_id,
                "gift": data,
                "on": event.on.isoformat(),
                "type": event.type,
            },
        }
        yield dumps(doc).replace(dumps(held[1]), held[2], 1) + "\n"


def write_jsonl(path: str | os.PathLike[str], events: Iterable[Event]) -> Path:
    """Write events to a JSON Lines file, one full document per line, through a temporary file.

    Raises:
        LedgerError: the file cannot be written (no partial file is left).
    """
    try:
        return write_atomic(path, _lines(events), durable=True)
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
