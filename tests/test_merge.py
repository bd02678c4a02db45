"""Merging province stores upward: idempotent, order-independent, conflicts refused whole."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import cli
from ansinh import strategies as ast
from ansinh.core.campaign import Campaign, Gift, Pledge, Sponsor
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    Ledger,
    MoneyReceived,
    PledgeAmended,
    PledgeRegistered,
    PledgeWithdrawn,
)
from ansinh.exceptions import LedgerError
from ansinh.io.store import SqliteStore, merge, open_store

NATIONAL = Campaign(
    code="BN2026-VN",
    name="Xuân Bính Ngọ 2026",
    plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
    start=dt.date(2025, 10, 23),
    end=dt.date(2026, 3, 31),
)


def _province(code: str, province: str) -> Campaign:
    return attrs.evolve(
        NATIONAL, code=code, name=f"Xuân Bính Ngọ 2026 — {province}", province=province, parent=NATIONAL.code
    )


def _pledge_events(province: str, money: int = 5_000_000) -> list[Event]:
    sponsor = Sponsor(id="S01", name=f"Doanh nghiệp {province}", kind="enterprise", province=province)
    return [
        PledgeRegistered(
            event_id="reg:P01",
            on=dt.date(2025, 11, 1),
            sponsor=sponsor,
            pledge=Pledge(id="P01", sponsor_id="S01", money=money, province=province),
        ),
        MoneyReceived(event_id="recv:P01:1", on=dt.date(2025, 11, 20), pledge_id="P01", amount=money),
    ]


def _province_store(path: Path, campaign: Campaign, events: list[Event]) -> Path:
    with SqliteStore(path) as store:
        store.add_campaign(NATIONAL)
        store.add_campaign(campaign)
        store.append_batch(events, campaign=campaign.code)
    return path


def _contents(path: Path) -> dict[str, tuple[Campaign, tuple[Event, ...]]]:
    with open_store(path) as store:
        return {c.code: (c, store.ledger_of(c.code).events) for c in store.campaigns()}


def test_two_provinces_numbering_a_pledge_p01_merge_without_collision(tmp_path: Path) -> None:
    hp = _province_store(tmp_path / "hp.sqlite", _province("BN2026-31", "31"), _pledge_events("31"))
    hy = _province_store(
        tmp_path / "hy.sqlite", _province("BN2026-33", "33"), _pledge_events("33", 7_000_000)
    )
    national = tmp_path / "national.sqlite"
    with open_store(national) as into, open_store(hp) as a, open_store(hy) as b:
        first = merge(a, into=into)
        assert first.campaigns == ("BN2026-VN", "BN2026-31")
        assert first.new_events == 2
        assert merge(b, into=into).events == (("BN2026-33", 2),)
        again = merge(a, into=into)
        assert (again.campaigns, again.new_events) == ((), 0)
        assert into.ledger_of("BN2026-33").state.pledge("P01").received == 7_000_000
    merged = _contents(national)
    assert list(merged) == ["BN2026-VN", "BN2026-31", "BN2026-33"]
    assert merged["BN2026-31"] == _contents(hp)["BN2026-31"]


def test_a_conflicting_province_store_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    campaign = _province("BN2026-31", "31")
    hp = _province_store(tmp_path / "hp.sqlite", campaign, _pledge_events("31"))
    national = tmp_path / "national.sqlite"
    with open_store(national) as into, open_store(hp) as a:
        merge(a, into=into)
    before = _contents(national)
    other = _province_store(tmp_path / "other.sqlite", campaign, _pledge_events("31", 9_000_000))
    with open_store(national) as into, open_store(other) as b:
        with pytest.raises(LedgerError, match=r"campaign 'BN2026-31', event 'reg:P01' \(pledge_registered\)"):
            merge(b, into=into)
        assert into.ledger_of("BN2026-31").events == before["BN2026-31"][1]
    assert _contents(national) == before
    renamed = _province_store(tmp_path / "renamed.sqlite", attrs.evolve(campaign, name="Hải Phòng"), [])
    with (
        open_store(national) as into,
        open_store(renamed) as c,
        pytest.raises(LedgerError, match="other details"),
    ):
        merge(c, into=into)
    assert _contents(national) == before


def test_a_merge_the_ledger_refuses_changes_nothing(tmp_path: Path) -> None:
    hp = _province("BN2026-31", "31")
    withdrawn = PledgeWithdrawn(event_id="wd:P01", on=dt.date(2025, 12, 1), pledge_id="P01")
    national = _province_store(tmp_path / "national.sqlite", hp, [*_pledge_events("31"), withdrawn])
    late = MoneyReceived(event_id="recv:P01:2", on=dt.date(2025, 12, 5), pledge_id="P01", amount=1_000)
    source = _province_store(tmp_path / "hp.sqlite", hp, [*_pledge_events("31"), late])
    with SqliteStore(source) as store:  # a second campaign, new to the national store
        store.add_campaign(_province("BN2026-33", "33"))
        store.append_batch(_pledge_events("33"), campaign="BN2026-33")
    before = _contents(national)
    with open_store(national) as into, open_store(source) as a:
        with pytest.raises(
            LedgerError, match=r"'recv:P01:2' \(money_received\) refused: the pledge is withdrawn"
        ):
            merge(a, into=into)
        assert into.ledger_of("BN2026-31").events == before["BN2026-31"][1]
        assert [c.code for c in into.campaigns()] == ["BN2026-VN", "BN2026-31"]
    assert _contents(national) == before


def test_store_merge_command(capsys: pytest.CaptureFixture[str], tmp_path: Path, store_url: str) -> None:
    hp = _province_store(tmp_path / "hp.sqlite", _province("BN2026-31", "31"), _pledge_events("31"))
    hy = _province_store(tmp_path / "hy.sqlite", _province("BN2026-33", "33"), _pledge_events("33"))
    national = store_url  # a SQLite file, then a PostgreSQL database
    args = ["store", "merge", str(hp), f"sqlite:///{hy}", "--into", national, "--json", "--no-plugins"]
    assert cli.main(args) == cli.EXIT_OK
    assert json.loads(capsys.readouterr().out) == {
        "schema_version": 2,
        "type": "store_merge",
        "new_events": 4,
        "stores": 2,
        "campaigns": ["BN2026-31", "BN2026-33", "BN2026-VN"],
    }
    assert cli.main([*args[:-2], "--lang", "en", "--no-plugins"]) == cli.EXIT_OK
    assert capsys.readouterr().out == "Merged 0 new events from 2 stores (0 campaigns)\n"
    other = _province_store(tmp_path / "other.sqlite", _province("BN2026-31", "31"), _pledge_events("31", 1))
    assert cli.main(["store", "merge", str(other), "--into", national, "--no-plugins"]) != cli.EXIT_OK
    assert "reg:P01" in capsys.readouterr().err
    # the national store, read by URL or through ANSINH_STORE, reports both provinces
    assert cli.main(["report", national, "--json", "--no-plugins", "--on", "2026-01-31"]) == cli.EXIT_OK
    by_url = json.loads(capsys.readouterr().out)
    assert by_url["campaigns"] == ["BN2026-VN", "BN2026-31", "BN2026-33"]
    assert by_url["totals"]["received"] == 10_000_000  # the two provinces' 5,000,000 each
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANSINH_STORE", national)
        assert cli.main(["report", "--json", "--no-plugins", "--on", "2026-01-31"]) == cli.EXIT_OK
        assert json.loads(capsys.readouterr().out) == by_url
        mp.delenv("ANSINH_STORE")
        assert cli.main(["report", "--no-plugins"]) == cli.EXIT_USAGE
        assert "ANSINH_STORE" in capsys.readouterr().err


# -- properties ------------------------------------------------------------------------


def _rehomed(ledger: Ledger, n: int) -> tuple[Campaign, tuple[Event, ...]]:
    return attrs.evolve(ledger.campaign, code=f"BN2026-P{n}", parent=NATIONAL.code), ledger.events


@settings(max_examples=15)
@given(ledgers=st.lists(ast.ledgers(max_events=8), min_size=1, max_size=3), data=st.data())
def test_merging_is_idempotent_and_order_independent(ledgers: list[Ledger], data: st.DataObject) -> None:
    sources = [_rehomed(ledger, n) for n, ledger in enumerate(ledgers)]
    order = data.draw(st.permutations(range(len(sources))), label="order")
    with tempfile.TemporaryDirectory() as tmp:
        paths = [
            _province_store(Path(tmp) / f"s{n}.sqlite", c, list(evs)) for n, (c, evs) in enumerate(sources)
        ]
        results = []
        for name, sequence in (("a", range(len(paths))), ("b", order)):
            target = Path(tmp) / f"{name}.sqlite"
            with open_store(target) as into:
                for n in sequence:
                    with open_store(paths[n]) as source:
                        merge(source, into=into)
            results.append(_contents(target))
        assert results[0] == results[1]
        assert results[0] == {NATIONAL.code: (NATIONAL, ())} | {c.code: (c, evs) for c, evs in sources}
        with open_store(Path(tmp) / "a.sqlite") as into:
            for path in itertools.chain(paths, reversed(paths)):
                with open_store(path) as source:
                    assert merge(source, into=into).new_events == 0
        assert _contents(Path(tmp) / "a.sqlite") == results[0]


def _changed(event: Event) -> Event:
    """The same event id with another body, valid wherever the original was."""
    if isinstance(event, GiftAllocated):
        return attrs.evolve(event, gift=attrs.evolve(event.gift, reason=event.gift.reason + " (sửa)"))
    if isinstance(event, (PledgeRegistered, PledgeAmended)):
        return attrs.evolve(event, pledge=attrs.evolve(event.pledge, money=event.pledge.money + 1))
    if isinstance(event, MoneyReceived):
        return attrs.evolve(event, amount=event.amount + 1)
    return attrs.evolve(event, on=event.on + dt.timedelta(days=1))


@settings(max_examples=15)
@given(ledger=ast.ledgers(max_events=8), data=st.data())
def test_a_store_conflicting_on_any_event_is_refused_whole(ledger: Ledger, data: st.DataObject) -> None:
    campaign, events = _rehomed(ledger, 0)
    k = data.draw(st.integers(0, len(events) - 1), label="changed event")
    conflicting_events = [*events[:k], _changed(events[k])]
    with tempfile.TemporaryDirectory() as tmp:
        target = _province_store(Path(tmp) / "national.sqlite", campaign, list(events))
        before = _contents(target)
        conflicting = _province_store(Path(tmp) / "conflict.sqlite", campaign, conflicting_events)
        with open_store(target) as into, open_store(conflicting) as source:
            with pytest.raises(LedgerError, match=f"event {events[k].event_id!r}"):
                merge(source, into=into)
            assert into.ledger_of(campaign.code).events == events
        assert _contents(target) == before


def test_a_new_campaign_the_target_prices_otherwise_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    """A campaign new to the national store is checked by a fresh ledger there, kept only if all is written."""
    from ansinh.core.allocation import Candidate, allocate
    from ansinh.core.people import Category, Person
    from ansinh.core.products import HealthCard
    from ansinh.data import default_law
    from ansinh.exceptions import InvalidValueError, InvariantViolation
    from ansinh.plugins.local_support import shipped_local_supports

    hcm, supports = _province("BN2026-01", "01"), shipped_local_supports()
    farmer = Person(
        id="ND1",
        full_name="Lê Văn Nông",
        date_of_birth=dt.date(1975, 3, 1),
        province="01",
        categories={Category.FARM_AVERAGE_INCOME},
    )
    source = tmp_path / "hn.sqlite"
    with SqliteStore(source, local_supports=supports) as store:
        store.add_campaign(NATIONAL)
        store.add_campaign(hcm)
        store.append_batch(_pledge_events("01"), campaign=hcm.code)
        alloc = allocate(
            store.ledger_of(hcm.code).state,
            [Candidate(person=farmer, product=HealthCard(months=12))],
            on=dt.date(2026, 1, 5),
            law=default_law(),
            local_supports=supports,  # Hà Nội adds 30% of the card from 2026
        )
        assert len(alloc.gifts) == 1
        store.append_batch(alloc.events(), campaign=hcm.code)
    national = tmp_path / "national.sqlite"
    with SqliteStore(national) as store:
        store.add_campaign(NATIONAL)
    before = _contents(national)
    with open_store(national) as into, SqliteStore(source, local_supports=supports) as a:
        with pytest.raises(InvariantViolation, match=r"is not the law.s price on 2026-01-05"):
            merge(a, into=into)
        assert [c.code for c in into.campaigns()] == ["BN2026-VN"]
        with pytest.raises(InvalidValueError):
            into.ledger_of(hcm.code)
    assert _contents(national) == before


# -- rows copied, not encoded again ------------------------------------------------------


def _rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with SqliteStore(path) as store:
        return {c.code: [r[:5] for r in store.stored_rows(campaign=c.code)] for c in store.campaigns()}


@settings(max_examples=15, deadline=None)
@given(ledger=ast.ledgers(max_events=8), data=st.data())
def test_copied_rows_are_the_rows_encoding_the_events_gives(ledger: Ledger, data: st.DataObject) -> None:
    """The merge's fast path (the source's rows, verified) writes what encoding the events writes."""
    from ansinh.io.store import verify_store
    from ansinh.io.store._codec import digest, encode

    campaign, events = _rehomed(ledger, 0)
    held = data.draw(st.integers(0, len(events)), label="events the target holds already")
    with tempfile.TemporaryDirectory() as tmp:
        source = _province_store(Path(tmp) / "source.sqlite", campaign, list(events))
        target = Path(tmp) / "national.sqlite"
        if held:
            _province_store(target, campaign, list(events[:held]))
        with open_store(target) as into, open_store(source) as store:
            assert merge(store, into=into).new_events == len(events) - held
        assert verify_store(target).intact
        rows = _rows(target)[campaign.code]
    assert rows == [(*encode(e), digest(encode(e)[3])) for e in events]


def test_a_source_whose_chain_is_broken_is_not_merged(tmp_path: Path) -> None:
    import sqlite3

    source = _province_store(tmp_path / "h.sqlite", _province("BN2026-31", "31"), _pledge_events("31"))
    with sqlite3.connect(source) as conn:  # an edited audit: the body and its digest are intact
        conn.execute("UPDATE events SET document = 'PT 9' WHERE seq = 1")
    conn.close()
    with open_store(tmp_path / "national.sqlite") as into, open_store(source) as store:
        with pytest.raises(LedgerError, match="does not match its chain"):
            merge(store, into=into)
        assert [c.code for c in into.campaigns()] == []


@settings(max_examples=30, deadline=None)
@given(ledgers=st.lists(ast.ledgers(max_events=10), min_size=1, max_size=3))
def test_encoding_with_a_batch_memo_gives_the_same_rows(ledgers: list[Ledger]) -> None:
    """A batch's memo of unstructured field values (products, categories, dates) changes no row."""
    from ansinh.io.store._codec import Memo, encode

    events = [e for ledger in ledgers for e in ledger.events]
    memo: Memo = {}
    assert [encode(e, memo) for e in events] == [encode(e) for e in events]
    assert [encode(e, memo) for e in reversed(events)] == [encode(e) for e in reversed(events)]


@settings(max_examples=30, deadline=None)
@given(ledgers=st.lists(ast.ledgers(max_events=10), min_size=1, max_size=3))
def test_decoding_with_a_batch_memo_gives_the_same_events(ledgers: list[Ledger]) -> None:
    """A batch's memo of structured values (a product many gifts share) changes no event."""
    from ansinh.io.store._codec import Memo, decode, encode

    law = ledgers[0].law
    events = [e for ledger in ledgers for e in ledger.events]
    memo: Memo = {}
    assert [decode(encode(e), law=law, memo=memo) for e in events] == events
    assert [decode(encode(e), law=law, memo=memo) for e in reversed(events)] == events[::-1]


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(data=st.dictionaries(st.text(), _JSON, max_size=6))
def test_an_object_made_of_its_members_texts_is_what_dumps_writes(data: dict[str, object]) -> None:
    """A row's object is written from each member's text, sorted by name (a shared value's text made once).

    That is what the row writer's plans assume of ``dumps``: its objects are
    their members' texts in the order Python sorts their names, joined by ``,``.
    """
    from ansinh.io.store._codec import dumps

    members = sorted((key, dumps(key) + ":" + dumps(value)) for key, value in data.items())
    assert "{" + ",".join(text for _, text in members) + "}" == dumps(data)


def _plain_body(gift: Gift) -> dict[str, object]:
    """A gift's row body the plain way: each field but those at their default unstructured, its quote's amounts."""
    from ansinh.io.store._codec import QUOTE_AMOUNTS, converter

    def fields(value: Any) -> dict[str, object]:
        out = {}
        for f in attrs.fields(attrs.resolve_types(type(value))):
            default = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default  # type: ignore[arg-type]
            item = getattr(value, f.name)
            if default is attrs.NOTHING or item != default:
                out[f.name] = converter().unstructure(item, f.type)
        return out

    body = fields(gift)
    body["beneficiary"] = fields(gift.beneficiary)
    body["quote"] = {name: getattr(gift.quote, name) for name in QUOTE_AMOUNTS}
    return {"gift": body}


@settings(max_examples=50, deadline=None)
@given(gifts=st.lists(ast.gifts(), min_size=1, max_size=6))
def test_a_gift_row_is_the_plain_dumps_of_its_body(gifts: list[Gift]) -> None:
    """A gift's row, written from field texts a batch's memo keeps, is ``dumps`` of its plain body."""
    from ansinh.io.store._codec import Memo, dumps, encode

    memo: Memo = {}
    for gift in [*gifts, *reversed(gifts)]:  # the second time, from the memo
        event = GiftAllocated(event_id="alloc:" + gift.id, on=dt.date(2026, 1, 5), gift=gift)
        assert encode(event, memo)[3] == dumps(_plain_body(gift))


def test_a_memo_keeps_json_values_of_other_types_apart() -> None:
    from ansinh.io.store._codec import _frozen

    assert len({_frozen(v) for v in (1, 1.0, True, "1", [1], {"a": 1}, {"a": True})}) == 7
