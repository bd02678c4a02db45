"""Writes beside the process (:mod:`ansinh.io._side_writes`): in a child where safe, the same files either way.

A child is made only in a process running one thread, and this test process
may run others (a Dask test leaves its IO loop running): what needs a child
is therefore run in a fresh interpreter (:data:`SCENARIOS`), as the
``ansinh`` command is, and its observations checked here one by one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pytest

from ansinh.io._side_writes import SWITCH, SideWrite, can_fork, side_writes

FORKS = sys.platform == "linux" and (os.cpu_count() or 1) > 1
"""Where a process running one thread makes children for side writes."""

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"

SCENARIOS = r"""
import json, os, signal, sys, time
from pathlib import Path

import openpyxl

from ansinh import run_campaign
from ansinh.exceptions import OutputFileError
from ansinh.io._side_writes import SWITCH, SideWrite, can_fork, side_writes
from ansinh.io.report_files import write_report

folder, example = Path(sys.argv[1]), Path(sys.argv[2])
parent = os.getpid()
seen = {"can_fork": can_fork()}


def pid_writer(name):
    def write():
        path = folder / name
        path.write_text(str(os.getpid()))
        return path
    return write


with side_writes() as start:
    pending = start(pid_writer("child.txt"))
seen["result"] = str(pending.result())
seen["written_by_child"] = int((folder / "child.txt").read_text()) != parent

calls = []


def failing():
    calls.append(os.getpid())  # a child's list is its own: this one counts this process's calls
    raise OutputFileError("disk full")


try:
    with side_writes() as start:
        start(failing)
except OutputFileError as exc:
    seen["failed"] = str(exc)
seen["failed_calls_here"] = len(calls)


def killed():
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return pid_writer("killed.txt")()


with side_writes() as start:
    start(killed)
seen["killed_then_written_here"] = int((folder / "killed.txt").read_text()) == parent


def slow():
    if os.getpid() != parent:
        time.sleep(60)
    return pid_writer("late.txt")()


began = time.monotonic()
try:
    with side_writes() as start:
        start(slow)
        raise KeyError("the block failed")
except KeyError:
    pass
seen["stopped_after"] = time.monotonic() - began
seen["late_written"] = (folder / "late.txt").exists()


def cells(path):
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    finally:
        book.close()


report = run_campaign(example, out=folder / "run", plugins=False).report
beside = write_report(report, folder / "beside")
os.environ[SWITCH] = "0"
here = write_report(report, folder / "here")
seen["same_cells"] = repr(cells(beside.xlsx)) == repr(cells(here.xlsx))
seen["charts"] = [beside.chart is not None, here.chart is not None]
seen["beside_files"] = sorted(p.name for p in (folder / "beside").iterdir())
seen["here_files"] = sorted(p.name for p in (folder / "here").iterdir())
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What :data:`SCENARIOS` observed, in a fresh interpreter running one thread."""
    folder = tmp_path_factory.mktemp("side-writes")
    env = {k: v for k, v in os.environ.items() if k != SWITCH}
    done = subprocess.run(
        [sys.executable, "-c", SCENARIOS, str(folder), str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    result["folder"] = str(folder)
    return result


def test_a_fresh_process_makes_children_where_it_can(seen: dict[str, Any]) -> None:
    assert seen["can_fork"] is FORKS
    assert seen["written_by_child"] is FORKS
    assert seen["result"] == str(Path(seen["folder"]) / "child.txt")


def test_a_failed_write_is_run_again_here_and_raises_its_own_error(seen: dict[str, Any]) -> None:
    assert seen["failed"] == "disk full"
    assert seen["failed_calls_here"] == 1


def test_a_killed_child_costs_only_time(seen: dict[str, Any]) -> None:
    assert seen["killed_then_written_here"]


def test_an_error_in_the_block_stops_the_writes_still_running(seen: dict[str, Any]) -> None:
    assert seen["stopped_after"] < 30  # the child sleeping 60 s was ended
    assert seen["late_written"] is not FORKS  # without a child, the write was done at once


def test_a_report_is_the_same_written_beside_or_here(seen: dict[str, Any]) -> None:
    assert seen["same_cells"]
    assert seen["charts"] == [True, True]
    assert seen["beside_files"] == seen["here_files"]
    assert "report.xlsx" in seen["beside_files"]


def _pid_writer(path: Path) -> Path:
    path.write_text(str(os.getpid()))
    return path


def test_the_switch_keeps_writes_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SWITCH, "0")
    assert not can_fork()
    with side_writes() as start:
        start(lambda: _pid_writer(tmp_path / "pid.txt"))
    assert int((tmp_path / "pid.txt").read_text()) == os.getpid()


def test_no_child_while_another_thread_runs(tmp_path: Path) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
        with side_writes() as start:
            start(lambda: _pid_writer(tmp_path / "pid.txt"))
    finally:
        stop.set()
        other.join()
    assert int((tmp_path / "pid.txt").read_text()) == os.getpid()


def test_nothing_written_is_none() -> None:
    with side_writes() as start:
        pending = start(lambda: None)
    assert pending.result() is None


def test_without_a_child_to_be_had_the_write_is_done_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork(self: BaseProcess) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(BaseProcess, "start", no_fork)
    pending = SideWrite(lambda: _pid_writer(tmp_path / "pid.txt"), fork=True)
    assert pending.result() == tmp_path / "pid.txt"
    assert int((tmp_path / "pid.txt").read_text()) == os.getpid()
