"""Benchmark: the national report over 34 province campaigns (≈145,000 gifts, 10,000 pledges).

Target (issue 15): merging 34 province stores of the national campaign's size
and producing the national report takes no more than 60 s on the 2-core
reference machine.  This script times the report part:
:func:`ansinh.core.national.national_report` over the 34 ledger states as of
a date (every campaign read as of the date, its own report, its pledges valued
through ``price()``, the rows per province, level, sponsor kind, funds source and
campaign), then the year series and the files.
Run: ``python benchmarks/bench_national.py [gifts] [pledges] [repeats]``.

The data are made up and deterministic (a seeded ``random.Random``): one
campaign per province, pledges of money and of near-poor cards registered in
November, gifts allocated, paid and handed over in December.  The best of
*repeats* runs is printed, after a ``gc.collect()``.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sys
import tempfile
import time

from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, Pledge, Sponsor
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    GiftDelivered,
    GiftPaid,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeRegistered,
)
from ansinh.core.national import national_report
from ansinh.core.people import Category
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.core.provinces import provinces
from ansinh.core.series import year_series
from ansinh.data import default_law, published_figures
from ansinh.io.national_files import write_national_report

LAW = default_law()
ON = dt.date(2026, 1, 31)
BUY, PAY, HAND = dt.date(2025, 12, 1), dt.date(2025, 12, 5), dt.date(2025, 12, 10)


def _province_events(code: str, n_gifts: int, n_pledges: int, rng: random.Random) -> list[Event]:
    events: list[Event] = []
    kinds = ("enterprise", "bank", "individual", "organisation", "religious")
    for n in range(n_pledges):
        sponsor = Sponsor(id=f"S{n}", name=f"Nhà tài trợ {n}", kind=rng.choice(kinds), province=code)
        pledge = Pledge(
            id=f"P{n}",
            sponsor_id=sponsor.id,
            money=n_gifts * 3_000_000 // n_pledges + 3_000_000,
            units=((ProductKind.HEALTH_CARD, 5),) if n % 4 == 0 else (),
            unit_categories={Category.NEAR_POOR},
            funds_source=rng.choice(("", "quỹ từ thiện xã hội")),
        )
        events.append(
            PledgeRegistered(event_id=f"r{n}", on=dt.date(2025, 11, 3), sponsor=sponsor, pledge=pledge)
        )
        events.append(
            MoneyReceived(
                event_id=f"m{n}", on=dt.date(2025, 11, 10), pledge_id=pledge.id, amount=pledge.money
            )
        )
    products = (HealthCard(months=12), SocialBook(months=12))
    for g in range(n_gifts):
        who = Beneficiary(person_id=f"{code}-{g:06d}", province=code, categories={Category.NEAR_POOR})
        product = products[0] if g % 12 else products[1]
        gift = Gift(
            id=f"G{g}",
            pledge_id=f"P{g % n_pledges}",
            beneficiary=who,
            product=product,
            quote=price(product, who, on=BUY, law=LAW),
            funding=Funding.MONEY,
            covers_from=BUY,
        )
        events += [
            GiftAllocated(event_id=f"a{g}", on=BUY, gift=gift),
            GiftPaid(event_id=f"p{g}", on=PAY, gift_id=gift.id),
            GiftDelivered(event_id=f"d{g}", on=HAND, gift_id=gift.id),
        ]
    return events


def build(n_gifts: int, n_pledges: int) -> list[LedgerState]:
    """One ledger state per province, the gifts and pledges spread evenly."""
    rng = random.Random(2026)
    codes = [p.code for p in provinces()]
    states = []
    for i, code in enumerate(codes):
        campaign = Campaign(
            code=f"BN2026-{code}",
            name="Xuân Bính Ngọ 2026",
            province=code,
            start=dt.date(2025, 10, 23),
            end=dt.date(2026, 3, 31),
        )
        gifts = n_gifts // len(codes) + (1 if i < n_gifts % len(codes) else 0)
        pledges = max(1, n_pledges // len(codes))
        states.append(Ledger(campaign, law=LAW, events=_province_events(code, gifts, pledges, rng)).state)
    return states


def _best(repeats: int, run: object) -> float:
    assert callable(run)
    best = float("inf")
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str]) -> None:
    n_gifts = int(argv[0]) if argv else 145_000
    n_pledges = int(argv[1]) if len(argv) > 1 else 10_000
    repeats = int(argv[2]) if len(argv) > 2 else 3
    start = time.perf_counter()
    states = build(n_gifts, n_pledges)
    print(
        f"setup: 34 ledgers, {n_gifts:,} gifts, {n_pledges:,} pledges in {time.perf_counter() - start:.1f} s"
    )
    report_time = _best(repeats, lambda: national_report(states, on=ON, law=LAW))
    rep = national_report(states, on=ON, law=LAW)
    t = rep.totals()
    print(
        f"national_report: {report_time:.2f} s (best of {repeats}); {len(rep.rows)} rows, "
        f"{t['health_cards'] + t['social_books']:,} books and cards, {t['mobilised']:,} đồng mobilised"
    )
    series_time = _best(repeats, lambda: year_series({2025: rep}, published_figures()))
    print(f"year_series: {series_time * 1000:.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        files_time = _best(
            repeats,
            lambda: write_national_report(rep, tmp, series=year_series({2025: rep}, published_figures())),
        )
    print(f"write_national_report (CSV, XLSX, MD, HTML): {files_time:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
