"""Fuzz damaged store files: random bytes, pages and lengths of a SQLite store.

Opening and reading a damaged store gives the events that were written, or one ``LedgerError``: never another
exception, never fewer or other events than were written.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.ledger import Event, MoneyReceived, PledgeRegistered
from ansinh.exceptions import LedgerError
from ansinh.io.store import SqliteStore

from .test_public_api import EXAMPLES

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=EXAMPLES * 4,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("ANSINH_FUZZ_EXAMPLES"),
)

PAGE = 4096
CAMPAIGNS = tuple(
    Campaign(code=code, name=f"Chiến dịch {code}", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    for code in ("BN2026-31", "BN2026-33")
)


def _events(code: str) -> list[Event]:
    sponsor = Sponsor(id="S1", name="Công ty Cảng Xanh", kind="enterprise", province="31")
    events: list[Event] = [
        PledgeRegistered(
            event_id=f"reg:{code}",
            on=dt.date(2025, 11, 1),
            sponsor=sponsor,
            pledge=Pledge(id="P1", sponsor_id="S1", money=90_000_000),
        )
    ]
    events += [
        MoneyReceived(event_id=f"m{i}", on=dt.date(2025, 12, 1), pledge_id="P1", amount=1000 + i)
        for i in range(60)
    ]
    return events


@functools.cache
def _store_bytes() -> bytes:
    """A closed store of two campaigns (its -wal written back on close: one file)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.sqlite"
        for campaign in CAMPAIGNS:
            with SqliteStore(path, campaign) as store:
                store.append_batch(_events(campaign.code)[:30])
                store.append_batch(_events(campaign.code)[30:])
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
        return path.read_bytes()


def _read_back(data: bytes) -> dict[str, tuple[Event, ...]] | None:
    """Open *data* as a store and read every campaign's events (``None``: a LedgerError)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.sqlite"
        path.write_bytes(data)
        try:
            with SqliteStore(path) as store:
                codes = sorted(c.code for c in store.campaigns())
                return {code: store.ledger_of(code).events for code in codes}
        except LedgerError:
            return None


WRITTEN = {c.code: tuple(_events(c.code)) for c in CAMPAIGNS}


_DAMAGE = st.one_of(
    st.tuples(st.just("page"), st.integers(0, 100), st.binary(min_size=1, max_size=PAGE)),
    st.tuples(st.just("sector"), st.integers(0, 1000), st.binary(min_size=1, max_size=512)),
    st.tuples(st.just("zero page"), st.integers(0, 100), st.just(b"")),
    st.tuples(st.just("truncate"), st.integers(0, 10**6), st.just(b"")),
)


def _damaged(data: bytes, damage: tuple[str, int, bytes]) -> bytes:
    kind, where, fill = damage
    if len(data) < PAGE:  # truncated already: left as it is
        return data
    if kind == "truncate":
        return data[: where % len(data)]
    size = 512 if kind == "sector" else PAGE
    start = (where % (len(data) // size)) * size
    fill = fill or bytes(size)
    block = (fill * (size // len(fill) + 1))[:size]
    return data[:start] + block + data[start + size :]


@FUZZ
@given(st.lists(_DAMAGE, min_size=1, max_size=3))
def test_a_store_with_damaged_pages_reads_back_whole_or_is_one_ledger_error(
    damages: list[tuple[str, int, bytes]],
) -> None:
    data = _store_bytes()
    for damage in damages:
        data = _damaged(data, damage)
    assert _read_back(data) in (None, WRITTEN)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=4))
def test_a_store_with_flipped_bytes_loses_no_event_and_changes_no_body(flips: list[tuple[int, int]]) -> None:
    """A byte changed anywhere: a LedgerError, or every event with its body (money, people) as written.

    A byte changed inside an event's id, type or date column (not in its body) is not seen on reading:
    the row digest covers the body; the audit chain (``ansinh ledger verify``) covers the rest.
    """
    data = bytearray(_store_bytes())
    for at, value in flips:
        data[at % len(data)] = value
    read = _read_back(bytes(data))
    if read is None:
        return
    assert read.keys() == WRITTEN.keys()
    for code, events in read.items():
        assert len(events) == len(WRITTEN[code])
        for got, want in zip(events, WRITTEN[code], strict=True):
            if type(got) is type(want):
                assert _body(got) == _body(want)


def _body(event: Event) -> tuple[object, ...]:
    fields = [f for f in attrs.fields(type(event)) if f.name not in ("event_id", "on")]
    return tuple(getattr(event, f.name) for f in fields)


def test_the_undamaged_store_reads_back_whole() -> None:
    assert _read_back(_store_bytes()) == WRITTEN
