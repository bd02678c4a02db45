"""Benchmark: province stores merged into a national store, then the national report (issue 15: at most 60 s).

Building 34 province stores takes minutes, so it is a step of its own, done once:

* ``python benchmarks/bench_merge.py --build DIR [people] [pledges] [provinces]``
  writes the province campaign folders of ``bench_programme.py`` into *DIR* and
  runs each (``DIR/out<code>/ledger.sqlite``; defaults 300000 10000 34);
* ``python benchmarks/bench_merge.py DIR [repeats]`` copies those stores (they are
  not changed), merges them into a new national store, reports on it, and prints
  the wall and CPU time of the merge and of the report, best of *repeats* (default 1).

Both are timed as ``ansinh store merge`` and ``ansinh report`` run them: inside
:func:`ansinh.collector.paused_collector`.  On a shared machine the CPU time of
this process is the steadier figure.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ansinh.collector import paused_collector
from ansinh.core.campaign import Campaign
from ansinh.core.reporting import report
from ansinh.io.run import run_campaign
from ansinh.io.store import merge, open_store

NATIONAL = Campaign(
    code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
)


def build(folder: Path, n_people: int, n_pledges: int, n_provinces: int) -> None:
    """Write the province campaign folders into *folder* and run each (its store beside it)."""
    from ansinh.core.provinces import provinces

    codes = [p.code for p in provinces()][:n_provinces]
    script = Path(__file__).with_name("bench_programme.py")
    subprocess.run(
        [sys.executable, str(script), "--make", str(folder), str(n_people), str(n_pledges), *codes],
        check=True,
    )
    with paused_collector():
        for code in codes:
            run_campaign(folder / f"p{code}", out=folder / f"out{code}", plugins=False)


def once(stores: list[Path], tmp: Path) -> tuple[float, float, float, float, int, float]:
    """Merge copies of *stores* into a new national store and report: wall and CPU of each step."""
    copies = []
    for n, path in enumerate(stores):
        copy = tmp / f"s{n}.sqlite"
        shutil.copyfile(path, copy)
        copies.append(copy)
    national = tmp / "national.sqlite"
    t0, c0 = time.perf_counter(), time.process_time()
    with paused_collector(), open_store(national) as into:
        into.add_campaign(NATIONAL)
        new = 0
        for path in copies:
            with open_store(path) as source:
                new += merge(source, into=into).new_events
        t1, c1 = time.perf_counter(), time.process_time()
        for c in into.campaigns():
            report(into.ledger_of(c.code).state, on=dt.date(2026, 1, 31))
    t2, c2 = time.perf_counter(), time.process_time()
    size = sum(p.stat().st_size for p in tmp.glob("national.sqlite*")) / 1e6
    return t1 - t0, c1 - c0, t2 - t1, c2 - c1, new, size


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        args = [int(a) for a in sys.argv[3:6]]
        build(Path(sys.argv[2]), *(args + [300_000, 10_000, 34][len(args) :]))
        return
    stores = sorted(Path(sys.argv[1]).glob("out*/ledger.sqlite"))
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    runs = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(once(stores, Path(tmp)))
    merge_wall, merge_cpu, report_wall, report_cpu, new, size = min(runs, key=lambda r: r[1] + r[3])
    print(
        f"merge {len(stores)} stores: {new:,} events in {merge_wall:.2f} s [CPU {merge_cpu:.2f} s]; "
        f"national report {report_wall:.2f} s [CPU {report_cpu:.2f} s]; "
        f"total {merge_wall + report_wall:.2f} s [CPU {merge_cpu + report_cpu:.2f} s]; national store {size:,.1f} MB"
    )


if __name__ == "__main__":
    main()
