"""The cyclic collector paused for batch jobs: restored as it was, and the CLI's long commands run inside it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import ansinh.io.run
from ansinh import cli
from ansinh.collector import freeze_for_exit, paused_collector

CAMPAIGN = Path(__file__).resolve().parent.parent / "examples" / "tet-binh-ngo-2026"


@pytest.fixture(autouse=True)
def _collector_back_on() -> Iterator[None]:
    yield
    gc.enable()  # whatever a failing test left
    gc.unfreeze()


def test_the_collector_is_paused_inside_and_enabled_after() -> None:
    assert gc.isenabled()
    with paused_collector():
        assert not gc.isenabled()
        with paused_collector():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not re-enable it
    assert gc.isenabled()


def test_the_collector_is_enabled_again_after_an_error() -> None:
    with pytest.raises(RuntimeError), paused_collector():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    with paused_collector():
        pass
    assert not gc.isenabled()


def test_campaign_run_runs_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[bool] = []
    real = ansinh.io.run.run_campaign

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(ansinh.io.run, "run_campaign", spy)
    code = cli.main(["campaign", "run", str(CAMPAIGN), "--out", str(tmp_path / "out"), "--no-plugins"])
    assert code == cli.EXIT_OK, capsys.readouterr().err
    assert seen == [False]
    assert gc.isenabled()
    # `ansinh report` reads the store with it paused too, and restores it.
    assert cli.main(["report", str(tmp_path / "out" / "ledger.sqlite"), "--no-plugins"]) == cli.EXIT_OK
    assert gc.isenabled()


class _Node:
    def __init__(self) -> None:
        self.other: object = self  # a reference cycle


def test_what_survives_the_block_joins_the_oldest_generation() -> None:
    with paused_collector():
        kept = [object() for _ in range(3)]
        assert not any(o is kept for o in gc.get_objects(generation=2))
    assert any(o is kept for o in gc.get_objects(generation=2))
    assert not any(o is kept for o in gc.get_objects(generation=0))


def test_a_cycle_made_in_the_block_is_still_collected_after_it() -> None:
    import weakref

    with paused_collector():
        node = _Node()
        ref = weakref.ref(node)
        del node
        assert ref() is not None  # only the cycle holds it, and the collector is paused
    assert ref() is not None
    gc.collect()
    assert ref() is None


def test_freeze_for_exit_keeps_a_cycle_from_every_collection() -> None:
    import weakref

    node = _Node()
    ref = weakref.ref(node)
    del node
    freeze_for_exit()
    assert gc.get_freeze_count() > 0
    gc.collect()  # a full collection, as Python runs one when it exits
    assert ref() is not None  # left to the operating system, not freed one by one


def test_the_program_runs_main_then_freezes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    frozen_while_main_ran: list[int] = []
    real = cli.main

    def spy(argv: Any = None) -> int:
        frozen_while_main_ran.append(gc.get_freeze_count())
        return real(argv)

    monkeypatch.setattr(cli, "main", spy)
    monkeypatch.setattr("sys.argv", ["ansinh", "price", "card", "--months", "12", "--on", "2025-01-01"])
    assert cli.command() == cli.EXIT_OK
    assert "1.263.600" in capsys.readouterr().out
    assert frozen_while_main_ran == [0]
    assert gc.get_freeze_count() > 0
