"""Events as JSON Lines: full documents, one per line (the exchange format)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from ansinh.core.ledger import Event
from ansinh.exceptions import LedgerError, OutputFileError, SerializationError
from ansinh.io.files import write_atomic
from ansinh.io.store._codec import dumps

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


def write_jsonl(path: str | os.PathLike[str], events: Iterable[Event]) -> Path:
    """Write events to a JSON Lines file, one full document per line, through a temporary file.

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
