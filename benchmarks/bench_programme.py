"""Benchmark: the national programme through the runner and the store, then merged upward.

Targets (issue 15), on the 2-core reference machine:

* the national campaign — a 300,000-row roster, 10,000 pledges, about 145,000
  gifts — end to end with ``ansinh campaign run``: at most 30 s and a ledger
  of at most 150 MB (before the programme store: 17 min and 670 MB);
* province stores merged into the national store, and the national report:
  at most 60 s for 34 stores.

Run: ``python benchmarks/bench_programme.py [people] [pledges] [provinces] [--gc] [--bare]``
(defaults 300000 10000 34).  The campaign is run twice.  First
:func:`ansinh.io.run.run_campaign` is called in this process, as the command
calls it: with the built-in plugins (the shipped provincial top-ups, which
the command always loads) and inside
:func:`ansinh.collector.paused_collector`; this run prints each phase.
``--gc`` keeps the cyclic collector on, and ``--bare`` leaves the built-in
plugins out (``plugins=False``), to compare.  Then the ``ansinh campaign run``
command itself runs the same folder in a child process, and its whole
process is timed, start-up and exit included: that is the figure the
target is about.  The merge is timed inside the paused collector too.  The data are made up and deterministic: the people
and pledges of ``bench_allocation.py`` (earmarks left out: a roster file names
no workplaces), written as a campaign folder; every pledge has received its
money, and paid gifts are handed over, so each gift is allocated, paid and
delivered (three events).  The folder is written by a child process, so the
peak memory printed is the run's own.  Each phase's wall and CPU time are printed as
the runner reports it (read, screen, allocate, record, pay, report).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_allocation import build

from ansinh.collector import paused_collector
from ansinh.core.campaign import Campaign
from ansinh.core.ledger import PledgeBalance
from ansinh.core.people import Person
from ansinh.core.products import ProductKind
from ansinh.core.reporting import report
from ansinh.io.roster import write_roster_csv
from ansinh.io.run import run_campaign
from ansinh.io.store import merge, open_store

TOML = """\
[campaign]
code = "{code}"
name = "Xuân Bính Ngọ 2026 (benchmark{suffix})"
plan_reference = "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"
start = 2025-10-23
end = 2026-03-31
{province}
[run]
purchase_date = 2026-01-05
handover_date = 2026-01-20
report_date = 2026-01-31
money_buys = "health_card"

[files]
sponsors = "sponsors.csv"
pledges = "pledges.csv"
roster = "roster.csv"
"""


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _pledge_row(b: PledgeBalance) -> list[str]:
    p = b.pledge
    cards, books = p.units_of(ProductKind.HEALTH_CARD), p.units_of(ProductKind.SOCIAL_BOOK)
    return [
        p.id,
        b.sponsor.id,
        str(cards or ""),
        str(books or ""),
        str(p.money or ""),
        p.province or "",
        "01/11/2025",
        str(p.money or ""),
        "20/11/2025" if p.money else "",
    ]


def make_folders(folder: Path, n_people: int, n_pledges: int, provinces: list[str]) -> None:
    """Write the national campaign folder (no *provinces*) or one folder per province, from one build."""
    ledger, candidates, _ = build(n_people, n_pledges)
    people = [c.person for c in candidates[:n_people]]
    pledges = ledger.state.pledges
    if not provinces:
        make_folder(folder, people, pledges)
    for n, code in enumerate(provinces):  # the national pledges shared out among the provinces
        mine = tuple(
            b
            for j, b in enumerate(pledges)
            if b.pledge.province == code or (b.pledge.province is None and j % len(provinces) == n)
        )
        make_folder(folder / f"p{code}", people, mine, code=f"BN2026-{code}", province=code)


def make_folder(
    folder: Path,
    people: list[Person],
    balances: tuple[PledgeBalance, ...],
    *,
    code: str = "BN2026",
    province: str | None = None,
) -> None:
    """Write a campaign folder: the people and pledges of ``bench_allocation.build``, earmarks left out."""
    if province is not None:
        people = [p for p in people if p.province == province]
    folder.mkdir(parents=True, exist_ok=True)
    write_roster_csv(people, folder / "roster.csv")
    _write_csv(
        folder / "sponsors.csv",
        ["Mã", "Tên nhà tài trợ", "Loại", "Tỉnh"],
        ([b.sponsor.id, b.sponsor.name, "doanh nghiệp", ""] for b in balances),
    )
    _write_csv(
        folder / "pledges.csv",
        [
            "Mã khoản tài trợ",
            "Mã nhà tài trợ",
            "Thẻ BHYT",
            "Sổ BHXH",
            "Số tiền",
            "Tỉnh",
            "Ngày đăng ký",
            "Đã nhận",
            "Ngày nhận",
        ],
        (_pledge_row(b) for b in balances),
    )
    line = f'province = "{province}"\nparent = "BN2026"\n' if province else ""
    (folder / "campaign.toml").write_text(
        TOML.format(code=code, suffix=f", {province}" if province else "", province=line), encoding="utf-8"
    )


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def run_national(folder: Path, out: Path, *, bare: bool) -> None:
    from ansinh.plugin_manager import get_plugin_manager

    marks: list[tuple[str, float, float]] = []

    def progress(step: str, done: int, total: int) -> None:
        if not marks or marks[-1][0] != step:
            marks.append((step, time.perf_counter(), time.process_time()))

    start, cpu = time.perf_counter(), time.process_time()
    plugins = False if bare else get_plugin_manager(load_entrypoints=False)  # the built-ins, as the command
    run = run_campaign(folder, out=out, plugins=plugins, progress=progress)
    end = time.perf_counter()
    marks.append(("end", end, time.process_time()))
    print(
        f"national campaign ({'without' if bare else 'with'} the built-in plugins): "
        f"{len(run.report.rows_for('province'))} provinces, "
        f"{sum(n for _, n in run.report.gifts):,} gifts, {run.new_events:,} events"
    )
    print("  phase       wall   [CPU time of this process: the steadier figure on a shared machine]")
    for (step, t, c), (_, t_next, c_next) in itertools.pairwise(marks):
        print(f"  {step:<9} {t_next - t:7.2f} s [{c_next - c:7.2f} s]")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  total     {end - start:7.2f} s [{time.process_time() - cpu:7.2f} s]   peak memory {peak:,.0f} MB"
    )
    jsonl = "not written" if run.events_file is None else f"{run.events_file.stat().st_size / 1e6:,.1f} MB"
    print(f"  ledger {_size(run.store) / 1e6:,.1f} MB ({run.store.name}), events.jsonl {jsonl}")


def run_command(folder: Path, out: Path) -> None:
    """Time ``ansinh campaign run FOLDER --out OUT --no-plugins`` as a whole process (the built-ins only)."""
    command = [sys.executable, "-m", "ansinh", "campaign", "run", str(folder), "--out", str(out)]
    command.append("--no-plugins")  # the built-ins, not what else this environment has installed
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"ansinh campaign run failed (exit {code})")
    print(
        f"ansinh campaign run (whole process): {wall:.2f} s "
        f"[CPU {usage.ru_utime + usage.ru_stime:.2f} s]   peak memory {usage.ru_maxrss / 1024:,.0f} MB"
    )
    print(f"  ledger {_size(out / 'ledger.sqlite') / 1e6:,.1f} MB")


def run_merge(tmp: Path, n_people: int, n_pledges: int, n_provinces: int, *, collector: bool) -> None:
    from ansinh.core.provinces import provinces

    codes = [p.code for p in provinces()][:n_provinces]
    stores = []
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--make", str(tmp), str(n_people), str(n_pledges), *codes], check=True
    )
    with paused_collector():
        for code in codes:
            run = run_campaign(tmp / f"p{code}", out=tmp / f"out{code}", plugins=False)
            stores.append(run.store)
    t1 = time.perf_counter()
    print(f"{len(stores)} province stores built in {t1 - t0:.1f} s (not part of the target)")
    national = tmp / "national.sqlite"
    t2, c2 = time.perf_counter(), time.process_time()
    with contextlib.nullcontext() if collector else paused_collector(), open_store(national) as into:
        into.add_campaign(
            Campaign(
                code="BN2026",
                name="Xuân Bính Ngọ 2026",
                start=dt.date(2025, 10, 23),
                end=dt.date(2026, 3, 31),
            )
        )
        new = 0
        for path in stores:
            with open_store(path) as source:
                new += merge(source, into=into).new_events
        t3, c3 = time.perf_counter(), time.process_time()
        gifts = 0
        for c in into.campaigns():
            r = report(into.ledger_of(c.code).state, on=dt.date(2026, 1, 31))
            gifts += sum(n for _, n in r.gifts)
    t4, c4 = time.perf_counter(), time.process_time()
    print(
        f"merge {len(stores)} stores: {new:,} events in {t3 - t2:.2f} s [CPU {c3 - c2:.2f} s]; "
        f"national report ({gifts:,} gifts): {t4 - t3:.2f} s [CPU {c4 - c3:.2f} s]; "
        f"total {t4 - t2:.2f} s [CPU {c4 - c2:.2f} s]; national store {_size(national) / 1e6:,.1f} MB"
    )


def main() -> None:
    if sys.argv[1:2] == ["--make"]:
        make_folders(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])
        return
    collector = "--gc" in sys.argv
    bare = "--bare" in sys.argv
    argv = [a for a in sys.argv if a not in ("--gc", "--bare")]
    n_people = int(argv[1]) if len(argv) > 1 else 300_000
    n_pledges = int(argv[2]) if len(argv) > 2 else 10_000
    n_provinces = int(argv[3]) if len(argv) > 3 else 34
    print("cyclic collector: " + ("on (--gc)" if collector else "paused, as the ansinh command runs"))
    with tempfile.TemporaryDirectory() as tmp_text:
        tmp = Path(tmp_text)
        folder = tmp / "national"
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--make", str(folder), str(n_people), str(n_pledges)], check=True
        )
        print(
            f"setup: campaign folder written in {time.perf_counter() - t:.1f} s "
            f"({n_people:,} people, {n_pledges:,} pledges; {os.cpu_count()} cores)"
        )
        with contextlib.nullcontext() if collector else paused_collector():
            run_national(folder, tmp / "out", bare=bare)
        run_command(folder, tmp / "command")
        if n_provinces:
            run_merge(tmp, n_people, n_pledges, n_provinces, collector=collector)


if __name__ == "__main__":
    main()
