"""Benchmark: the national campaign recorded into PostgreSQL, and 8 concurrent writers, beside SQLite.

Issue 17 asks for figures, not targets:

* the national campaign of ``bench_programme.py`` (a 300,000-row roster,
  10,000 pledges) is run once with :func:`ansinh.io.run.run_campaign`; its
  events are then recorded into a new store in the runner's three batches
  (pledges and money, the allocation, payments and hand-overs), once into
  SQLite and once into PostgreSQL, and each is timed;
* 8 writer processes append batches of money received to the same campaign
  (the same pledges) at once, for a fixed number of rounds; the events per
  second over all writers are printed for each database.

Run: ``python benchmarks/bench_postgres.py [people] [pledges] [--url postgresql://…]``
(defaults 300000 10000).  Without ``--url`` a throwaway cluster is started
with ``initdb`` and ``pg_ctl`` (as the ``postgres`` user when run as root) on a
free local port, with the server's default durability (``fsync`` on), and
removed at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ansinh.core.campaign import Campaign
from ansinh.core.ledger import Event, GiftAllocated, MoneyReceived, PledgeRegistered
from ansinh.io.run import run_campaign
from ansinh.io.store import open_store

WRITERS = 8
ROUNDS = 25
BATCH = 200

_WRITER = """
import datetime as dt, sys
from ansinh.core.ledger import MoneyReceived
from ansinh.io.store import open_store
url, writer, rounds, size, pledges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:]
with open_store(url) as store:
    for r in range(rounds):
        store.append_batch([MoneyReceived(event_id=f"w{writer}:{r}:{i}", on=dt.date(2025, 12, 1),
                                          pledge_id=pledges[i % len(pledges)], amount=1000)
                            for i in range(size)])
"""


def _as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """A PostgreSQL cluster in a temporary directory on a free port: its URL."""
    found = shutil.which("pg_ctl") or (sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")) or [""])[-1]
    if not found:
        sys.exit("no pg_ctl here: give --url postgresql://…")
    bindir = Path(found).resolve().parent
    root = Path(tempfile.mkdtemp(prefix="ansinh-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"
    init = [
        str(bindir / "initdb"),
        "-D",
        str(data),
        "-U",
        "ansinh",
        "--auth=trust",
        "-E",
        "UTF8",
        "--no-locale",
    ]
    subprocess.run(_as_server_user(init), check=True, capture_output=True)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    subprocess.run(
        _as_server_user([*ctl, "-o", options, "-l", str(root / "log"), "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://ansinh@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([*ctl, "-m", "fast", "-w", "stop"]), capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def _fresh_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}".encode())
        conn.execute(f"CREATE DATABASE {name}".encode())
    return server.rsplit("/", 1)[0] + "/" + name


def national_events(tmp: Path, n_people: int, n_pledges: int) -> tuple[Campaign, list[list[Event]]]:
    """The national campaign's events from one run of the runner, in the runner's three batches."""
    folder = tmp / "national"
    here = Path(__file__).resolve().parent
    subprocess.run(
        [
            sys.executable,
            str(here / "bench_programme.py"),
            "--make",
            str(folder),
            str(n_people),
            str(n_pledges),
        ],
        check=True,
    )
    run = run_campaign(folder, out=tmp / "run", plugins=False)
    with open_store(run.store) as store:
        events = list(store.events)
        campaign = store.campaign
    pledges = [e for e in events if isinstance(e, PledgeRegistered | MoneyReceived)]
    gifts = [e for e in events if isinstance(e, GiftAllocated)]
    rest = [e for e in events if not isinstance(e, PledgeRegistered | MoneyReceived | GiftAllocated)]
    return campaign, [pledges, gifts, rest]


def record(url: str, campaign: Campaign, batches: list[list[Event]]) -> float:
    """Seconds to record *batches* into a new store at *url*."""
    start = time.perf_counter()
    with open_store(url, campaign=campaign) as store:
        for batch in batches:
            store.append_batch(batch)
    return time.perf_counter() - start


def writers(url: str, tmp: Path) -> float:
    """Events per second of 8 processes appending money received to the same campaign's pledges at once."""
    campaign = Campaign(code="W2026", name="writers", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
    from ansinh.core.campaign import Pledge, Sponsor

    sponsor = Sponsor(id="S1", name="Ngân hàng A", kind="bank")
    pledge_ids = [f"P{i}" for i in range(20)]
    with open_store(url, campaign=campaign) as store:
        store.append_batch(
            [
                PledgeRegistered(
                    event_id=f"reg:{p}",
                    on=dt.date(2025, 11, 1),
                    sponsor=sponsor,
                    pledge=Pledge(id=p, sponsor_id="S1", money=10**12),
                )
                for p in pledge_ids
            ]
        )
    script = tmp / "writer.py"
    script.write_text(_WRITER, encoding="utf-8")
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, str(script), url, str(w), str(ROUNDS), str(BATCH), *pledge_ids])
        for w in range(WRITERS)
    ]
    for proc in procs:
        if proc.wait(timeout=900) != 0:
            sys.exit("a writer failed")
    seconds = time.perf_counter() - start
    with open_store(url) as store:
        assert len(store) == len(pledge_ids) + WRITERS * ROUNDS * BATCH
    return WRITERS * ROUNDS * BATCH / seconds


def main() -> None:
    args = sys.argv[1:]
    url = None
    if "--url" in args:
        at = args.index("--url")
        url = args[at + 1]
        del args[at : at + 2]
    n_people = int(args[0]) if args else 300_000
    n_pledges = int(args[1]) if len(args) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp_text, contextlib.ExitStack() as stack:
        tmp = Path(tmp_text)
        server = url or stack.enter_context(throwaway_cluster())
        t = time.perf_counter()
        campaign, batches = national_events(tmp, n_people, n_pledges)
        total = sum(len(b) for b in batches)
        print(
            f"setup: the national campaign run once in {time.perf_counter() - t:.1f} s "
            f"({n_people:,} people, {n_pledges:,} pledges, {total:,} events; {os.cpu_count()} cores)"
        )
        for name, target in (
            ("SQLite", f"sqlite:///{tmp / 'record.sqlite'}"),
            ("PostgreSQL", _fresh_database(server, "ansinh_bench_record")),
        ):
            seconds = record(target, campaign, batches)
            print(
                f"record the national campaign into {name:<10}: {seconds:7.2f} s ({total / seconds:,.0f} events/s)"
            )
        for name, target in (
            ("SQLite", f"sqlite:///{tmp / 'writers.sqlite'}"),
            ("PostgreSQL", _fresh_database(server, "ansinh_bench_writers")),
        ):
            rate = writers(target, tmp)
            print(
                f"{WRITERS} concurrent writers into {name:<10}: {rate:,.0f} events/s "
                f"({ROUNDS} batches of {BATCH} events each)"
            )


if __name__ == "__main__":
    main()
