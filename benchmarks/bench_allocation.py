"""Benchmark: allocate a national campaign (330,000 candidates, 10,000 pledges) on one core.

Target (issue 12): :func:`ansinh.core.allocation.allocate`, which decides, prices
and builds every :class:`~ansinh.core.campaign.Gift` with its constructor, takes
no longer than the former allocate-then-read-the-gifts (2.9 s on the reference
machine).
Run: ``python benchmarks/bench_allocation.py [people] [pledges] [repeats]``.

Each run is timed with the garbage collector on, as in real use, after a
``gc.collect()`` so that the setup's garbage is not charged to it; the best of
*repeats* runs is printed (the machine may be busy), and also the best time with
the collector paused, as :mod:`timeit` measures, to show the collector's share.

The data are made up and deterministic (a seeded ``random.Random``): people
spread over the 34 provinces in several categories, pledges of units and of
money, some for one province, some earmarked for the relatives of an
enterprise's workers or for students.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sys
import time

from ansinh.core.allocation import Allocation, Candidate, allocate
from ansinh.core.campaign import Campaign, Earmark, Pledge, Sponsor, SponsorKind
from ansinh.core.eligibility import Priority
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.core.provinces import provinces
from ansinh.data import default_law

ON = dt.date(2026, 1, 5)
CATEGORY_MIX = (
    (Category.NEAR_POOR,),
    (Category.STUDENT,),
    (Category.FARM_AVERAGE_INCOME,),
    (Category.JUST_ESCAPED_POVERTY,),
    (Category.ETHNIC_MINORITY,),
    (),
)


def build(n_people: int, n_pledges: int) -> tuple[Ledger, list[Candidate], dict[str, list[str]]]:
    """Make the campaign, its pledges and the screened candidates."""
    rng = random.Random(2026)
    codes = [p.code for p in provinces()]
    campaign = Campaign(
        code="BN2026-BENCH",
        name="Xuân Bính Ngọ 2026 (benchmark)",
        start=dt.date(2025, 10, 23),
        end=dt.date(2026, 3, 31),
    )
    people = [
        Person(
            id=f"P{i:07d}",
            full_name="Nguyễn Văn An",
            date_of_birth=dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
            province=codes[i % len(codes)],
            categories=frozenset(CATEGORY_MIX[rng.randrange(len(CATEGORY_MIX))]),
        )
        for i in range(n_people)
    ]
    card = HealthCard(months=12)
    book = SocialBook(months=12)
    candidates = [
        Candidate(person=p, product=card, priority=Priority(rng.randrange(100), ())) for p in people
    ]
    candidates += [
        Candidate(person=p, product=book, priority=Priority(rng.randrange(100), ())) for p in people[::10]
    ]
    affiliations = {p.id: [f"ENT-{i % 200:03d}"] for i, p in enumerate(people[::7])}
    events = []
    for j in range(n_pledges):
        sponsor = Sponsor(id=f"S{j:05d}", name=f"Nhà tài trợ {j}", kind=SponsorKind.ENTERPRISE)
        r = rng.random()
        province = codes[j % len(codes)] if r < 0.7 else None
        earmark = None
        if j % 20 == 0:
            earmark = Earmark(kind="workers_relatives", target=f"ENT-{j % 200:03d}")
        elif j % 20 == 1:
            earmark = Earmark(kind="category", target="student")
        if j % 3 == 0:
            units: tuple[tuple[ProductKind, int], ...] = ((ProductKind.HEALTH_CARD, rng.randrange(5, 20)),)
            if j % 9 == 0:
                units += ((ProductKind.SOCIAL_BOOK, rng.randrange(1, 4)),)
            pledge = Pledge(
                id=f"PL{j:05d}", sponsor_id=sponsor.id, units=units, province=province, earmark=earmark
            )
        else:
            pledge = Pledge(
                id=f"PL{j:05d}",
                sponsor_id=sponsor.id,
                money=rng.randrange(2, 30) * 1_000_000,
                province=province,
                earmark=earmark,
            )
        events.append(
            PledgeRegistered(
                event_id=f"reg:{pledge.id}", on=dt.date(2025, 11, 1), sponsor=sponsor, pledge=pledge
            )
        )
    ledger = Ledger(campaign, events=events, law=default_law())
    return ledger, candidates, affiliations


def loop_seconds() -> float:
    """CPU seconds of a plain 10-million-step Python loop: this machine's speed, to compare runs."""
    start = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.process_time() - start


def main() -> None:
    n_people = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    n_pledges = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    t0 = time.perf_counter()
    ledger, candidates, affiliations = build(n_people, n_pledges)
    state = ledger.state
    law = default_law()
    t1 = time.perf_counter()
    speed = loop_seconds()
    print(f"machine: a 10M-step Python loop takes {speed:.2f} s CPU (to compare machines)")
    print(
        f"setup: {t1 - t0:.2f} s ({n_people:,} people, {len(candidates):,} candidates, {n_pledges:,} pledges)"
    )
    timings: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    results: list[Allocation] = []
    for _ in range(max(repeats, 1)):
        for collector in (True, False):
            results.clear()  # the last result's objects are not kept alive into the next run
            gc.collect()
            if not collector:
                gc.disable()
            c1, w1 = time.process_time(), time.perf_counter()
            results.append(allocate(state, candidates, on=ON, law=law, affiliations=affiliations))
            c2, w2 = time.process_time(), time.perf_counter()
            gc.enable()
            timings[collector].append((w2 - w1, c2 - c1))
    result = results[-1]
    gifts = len(result.gifts)
    print(
        f"result: {gifts:,} gifts, {len(result.leftovers):,} pledges with leftovers, "
        f"money left {result.money_left:,} đồng"
    )
    for collector, label in ((True, "allocate"), (False, "allocate, collector paused")):
        wall, cpu = min(timings[collector])
        print(
            f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU (best of {repeats}), every gift built"
            f"  ->  {gifts / wall:,.0f} gifts/s"
        )


if __name__ == "__main__":
    main()
