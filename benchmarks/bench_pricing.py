"""Scalar pricing speed: quotes per second for cards and books (``nox -s bench``).

Prints one line per case.  ``explain()`` is not called: it formats text and is
not on the hot path of a campaign.
"""

from __future__ import annotations

import datetime as dt
import time

import ansinh


def _rate(label: str, fn: object, n: int) -> None:
    assert callable(fn)
    fn()  # warm the law's period cache
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<55} {n / best:>12,.0f} quotes/s")


def main() -> None:
    on = dt.date(2026, 3, 1)
    person = ansinh.Person(
        id="B-1",
        full_name="Nguyễn Thị Lan",
        date_of_birth=dt.date(1975, 5, 5),
        province="33",
        categories={ansinh.Category.NEAR_POOR},
    )
    card = ansinh.HealthCard(months=12, household_rank=2)
    book = ansinh.SocialBook(months=12, monthly_income=2_000_000)
    law = ansinh.default_law()
    n = 200_000
    print(f"ansinh {ansinh.__version__}, scalar price() without explain(), best of 3 x {n:,}")
    _rate("core price(card, no person)", lambda: ansinh.core.pricing.price(card, on=on, law=law), n)
    _rate(
        "core price(card, near-poor person)",
        lambda: ansinh.core.pricing.price(card, person, on=on, law=law),
        n,
    )
    _rate(
        "core price(book, near-poor person)",
        lambda: ansinh.core.pricing.price(book, person, on=on, law=law),
        n,
    )
    _rate("ansinh.price(card, person) (with installed plugins)", lambda: ansinh.price(card, person, on=on), n)
    _rate("ansinh.price(book, person) (with installed plugins)", lambda: ansinh.price(book, person, on=on), n)
    dates = [dt.date(2019, 1, 1) + dt.timedelta(days=i % 4000) for i in range(n)]
    t0 = time.perf_counter()
    for d in dates:
        ansinh.core.pricing.price(card, person, on=d, law=law)
    print(
        f"{'core price(card, person), 4,000 distinct dates':<55} {n / (time.perf_counter() - t0):>12,.0f} quotes/s"
    )


if __name__ == "__main__":
    main()
