"""Progress: tqdm bars (or plain text) for reading a roster, screening, allocating and recording."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh import cli
from ansinh.exceptions import InvalidValueError
from ansinh.io.roster import load_roster, parse_roster_csv
from ansinh.io.run import run_campaign
from ansinh.progress import StepProgress, counted, text_progress, tqdm_progress

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "tet-binh-ngo-2026"
ROSTER = ROOT / "examples" / "rosters" / "danh-sach-mau.csv"
HEADER = "Họ và tên,Ngày sinh,Tỉnh\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _clock() -> Iterator[float]:
    t = 0.0
    while True:
        yield t
        t += 0.5


@given(n=st.integers(min_value=0, max_value=3000), every=st.integers(min_value=1, max_value=700))
def test_counted_reports_every_n_and_the_end(n: int, every: int) -> None:
    seen: list[int] = []
    assert list(counted(range(n), seen.append, every=every)) == list(range(n))
    assert seen == sorted(set(seen))
    assert seen[-1:] == ([n] if n else [])
    assert all(k % every == 0 for k in seen[:-1])


def test_text_progress_writes_one_line_per_step_with_rate_and_time_left() -> None:
    out = io.StringIO()
    ticks = _clock()
    with text_progress(labels={"read": "Reading"}, file=out, clock=lambda: next(ticks)) as bars:
        bars("read", 0, 100)
        bars("read", 50, 100)
        bars("read", 100, 100)
        bars("allocate", 0, 1)
        bars("allocate", 1, 1)
    lines = out.getvalue().splitlines()
    assert lines == [
        "Reading: 100/100 rows [00:01<00:00, 66.7 rows/s]",
        "allocate: 1/1 steps [00:01<00:00, 1.0 steps/s]",
    ]


def test_text_progress_on_a_terminal_rewrites_the_line_with_the_time_left() -> None:
    out = _Terminal()
    ticks = _clock()
    with text_progress(file=out, clock=lambda: next(ticks)) as bars:
        bars("screen", 10, 40)
        bars("screen", 20, 40)
    shown = out.getvalue().split("\r")
    assert shown[1].startswith("screen: 10/40 people [00:00<00:01, 20.0 people/s]")
    assert shown[2].startswith("screen: 20/40 people [00:01<00:01, 13.3 people/s]")
    assert out.getvalue().endswith("\n")


def test_a_new_bar_when_the_step_changes_or_its_count_starts_again() -> None:
    made: list[tuple[str, str, int]] = []

    class Bar:
        def show(self, done: int, total: int) -> None:
            pass

        def close(self) -> None:
            made.append(("closed", "", 0))

    def make(label: str, unit: str, total: int) -> Bar:
        made.append((label, unit, total))
        return Bar()

    bars = StepProgress(make, labels={"record": "Ghi sổ"}, units={"record": "sự kiện"})
    for step, done, total in [("record", 0, 5), ("record", 5, 5), ("record", 0, 9), ("report", 1, 1)]:
        bars(step, done, total)
    bars.close()
    assert made == [
        ("Ghi sổ", "sự kiện", 5),
        ("closed", "", 0),
        ("Ghi sổ", "sự kiện", 9),
        ("closed", "", 0),
        ("report", "steps", 1),
        ("closed", "", 0),
    ]
    assert not StepProgress(None).enabled


def test_tqdm_bars_show_count_rate_and_time_left() -> None:
    pytest.importorskip("tqdm")
    out = io.StringIO()
    with tqdm_progress(labels={"screen": "Screening"}, file=out) as bars:
        for done in range(0, 401, 100):
            bars("screen", done, 400)
    text = out.getvalue()
    assert "Screening: 100%" in text
    assert re.search(r"400/400 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(k|M)? people/s\]", text), text


def test_tqdm_bars_start_no_thread() -> None:
    pytest.importorskip("tqdm")
    before = set(threading.enumerate())
    with tqdm_progress(file=io.StringIO()) as bars:
        bars("report", 0, 1)
        started = set(threading.enumerate()) - before  # tqdm's monitor would be one: no child writes then
        bars("report", 1, 1)
    assert not started


def test_without_tqdm_the_bars_are_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import fails, as when tqdm is not installed
    out = io.StringIO()
    with tqdm_progress(file=out) as bars:
        bars("pay", 3, 3)
    assert re.fullmatch(r"pay: 3/3 events \[00:00<00:00, [\d.]+ events/s\]\n", out.getvalue())


@pytest.mark.parametrize(
    ("options", "field"),
    [({"labels": ["read"]}, "labels"), ({"units": "rows"}, "units"), ({"file": 3}, "file")],
)
def test_bad_options_are_refused(options: dict[str, object], field: str) -> None:
    for make in (tqdm_progress, text_progress):
        with pytest.raises(InvalidValueError, match=field):
            make(**options)  # type: ignore[arg-type]


def test_roster_reading_reports_lines_read_as_it_goes(tmp_path: Path) -> None:
    rows = "".join(f"Người {i},01/02/1980,33\n" for i in range(2500))
    calls: list[tuple[int, int]] = []
    roster = parse_roster_csv(HEADER + rows, progress=lambda done, total: calls.append((done, total)))
    assert len(roster.people) == 2500
    assert calls == [(1000, 2501), (2000, 2501), (2501, 2501)]
    # A multi-line cell counts its lines; the last call is always lines read == lines.
    text = HEADER + 'A,01/02/1980,33\nB,01/02/1980,"33\n"\n'
    calls.clear()
    assert len(parse_roster_csv(text, progress=lambda d, t: calls.append((d, t))).people) == 2
    assert calls == [(4, 4)]


def test_excel_roster_reading_reports_rows(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Tỉnh"])
    for i in range(1500):
        ws.append([f"Người {i}", "01/02/1980", "33"])
    wb.save(tmp_path / "ds.xlsx")
    calls: list[tuple[int, int]] = []
    roster = load_roster(tmp_path / "ds.xlsx", progress=lambda done, total: calls.append((done, total)))
    assert len(roster.people) == 1500
    assert calls == [(1000, 1501), (1501, 1501)]


def test_progress_that_is_not_callable_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="progress"):
        load_roster(ROSTER, progress=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="progress"):
        parse_roster_csv(HEADER, progress="yes")  # type: ignore[arg-type]


def test_campaign_run_reports_every_step_in_people_and_events(tmp_path: Path) -> None:
    steps: list[tuple[str, int, int]] = []
    run = run_campaign(
        EXAMPLE, out=tmp_path / "build", plugins=False, progress=lambda s, d, t: steps.append((s, d, t))
    )
    read = [(d, t) for s, d, t in steps if s == "read"]
    lines = len((EXAMPLE / "roster.csv").read_text(encoding="utf-8").splitlines())
    assert read[-1] == (lines, lines)
    screened = [(d, t) for s, d, t in steps if s == "screen"]
    kinds = len(run.screened)
    people = sum(good + bad for _, good, bad in run.screened) // kinds
    assert screened[0] == (0, people * kinds)
    assert screened[-1] == (people * kinds, people * kinds)
    assert [d for d, _ in screened] == sorted(d for d, _ in screened)
    assert [s for s, _, _ in steps if s in ("allocate", "report")] == ["allocate"] * 2 + ["report"] * 2


def test_campaign_run_progress_in_plain_text(tmp_path: Path) -> None:
    out = io.StringIO()
    with text_progress(file=out) as bars:
        run_campaign(EXAMPLE, out=tmp_path / "build", plugins=False, progress=bars)
    steps = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert steps[:2] == ["read", "screen"]
    assert {"record", "allocate", "pay", "report"} <= set(steps)


def test_cli_progress_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["screen", str(ROSTER), "--on", "2026-01-01", "--no-plugins"]
    assert cli.main([*argv, "--progress"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert re.search(r"^Đọc tệp: 42/42 dòng \[", err, re.M), err
    assert re.search(r"^Xét danh sách: 37/37 người \[.*người/s\]$", err, re.M), err
    assert cli.main(["--lang", "en", *argv, "--progress"]) == cli.EXIT_OK
    assert "Screening: 37/37 people [" in capsys.readouterr().err
    assert cli.main([*argv, "--no-progress"]) == cli.EXIT_OK
    assert capsys.readouterr().err == ""
    assert cli.main(argv) == cli.EXIT_OK  # stderr is not a terminal: nothing by default
    assert capsys.readouterr().err == ""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_cli_draws_tqdm_bars_on_a_terminal() -> None:
    pytest.importorskip("tqdm")
    import fcntl
    import pty
    import struct
    import termios

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    argv = [sys.executable, "-m", "ansinh", "--lang", "en", "screen", str(ROSTER), "--on", "2026-01-01"]
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal 100 columns wide
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        os.execve(sys.executable, [*argv, "--no-plugins"], env)
    shown = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == cli.EXIT_OK
    text = shown.decode("utf-8", "replace")
    assert re.search(r"Screening: 100%\|.*\| 37/37 \[\d\d:\d\d<\d\d:\d\d", text), text[-2000:]


def test_import_ansinh_progress_does_not_import_tqdm() -> None:
    code = "import sys, ansinh, ansinh.progress, ansinh.cli; print('tqdm' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert result.stdout.strip() == "False"
