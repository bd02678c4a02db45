"""Benchmark: a national report's files written with the workbook and chart beside, and all in this process.

:func:`ansinh.io.report_files.write_report` writes the workbook and the chart
in child processes where it can (Linux, one thread, more than one processor);
``ANSINH_SIDE_WRITES=0`` keeps them in the process.  This makes the national
campaign folder of ``bench_programme.py``, runs it once (built-in plugins,
collector paused, as the command runs), then writes its report *repeats*
times in each mode, in turn, and prints each mode's best and median wall time
and this process's CPU time (the children's is not in it).

Run: ``python benchmarks/bench_report_files.py [people] [pledges] [repeats]``
(defaults 300000 10000 6).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_programme import make_folders

from ansinh.collector import paused_collector
from ansinh.io._side_writes import SWITCH, can_fork
from ansinh.io.report_files import write_report
from ansinh.io.run import run_campaign


def main(argv: list[str]) -> None:
    n_people = int(argv[0]) if argv else 300_000
    n_pledges = int(argv[1]) if len(argv) > 1 else 10_000
    repeats = int(argv[2]) if len(argv) > 2 else 6
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "national"
        make_folders(folder, n_people, n_pledges, [])
        with paused_collector():
            report = run_campaign(folder, out=Path(tmp) / "run").report
            timings: dict[str, list[tuple[float, float]]] = {"beside": [], "here": []}
            for n in range(repeats):
                for mode in timings:
                    os.environ[SWITCH] = "1" if mode == "beside" else "0"
                    wall, cpu = time.perf_counter(), time.process_time()
                    write_report(report, Path(tmp) / f"{mode}-{n}")
                    timings[mode].append((time.perf_counter() - wall, time.process_time() - cpu))
            os.environ.pop(SWITCH, None)
    print(f"report of {len(report.rows):,} breakdown rows; children where they can be: {can_fork()}")
    for mode, runs in timings.items():
        walls = [w for w, _ in runs]
        cpus = [c for _, c in runs]
        print(
            f"  {mode:<7} wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"CPU of this process median {statistics.median(cpus):.2f} s"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
