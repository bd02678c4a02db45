"""Hostile values and valid objects the fuzz tests draw arguments from."""

from __future__ import annotations

import datetime as dt
import functools
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

import ansinh
from ansinh.core.campaign import Beneficiary, Campaign, Pledge, Sponsor, SponsorKind
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, ProductKind, SocialBook, TetGift

CCCD = "001170012389"
"""A 12-digit identifier planted in inputs: no message may show it whole."""
UNMASKED = re.compile(r"\d{9,}")


class Sneaky(str):
    """A str subclass with a repr that raises: messages must not call it."""

    def __repr__(self) -> str:
        raise RuntimeError("repr of a hostile str")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # how Hypothesis shows it
        p.text("Sneaky()")


class BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("repr raises")

    def __str__(self) -> str:
        raise RuntimeError("str raises")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # how Hypothesis shows it
        p.text("BadRepr()")


@functools.cache
def law() -> ansinh.Law:
    return ansinh.default_law()


def campaign() -> Campaign:
    return Campaign(code="BN2026", name="Tết 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))


def person() -> Person:
    return Person(
        id="P1",
        full_name="Lê Thị Hoa",
        date_of_birth=dt.date(1962, 3, 5),
        province="33",
        categories=frozenset({Category.NEAR_POOR}),
        cccd=CCCD,
    )


def valid_objects() -> list[Any]:
    sponsor = Sponsor(id="S1", name="Vietcombank", kind=SponsorKind.BANK)
    return [
        law(),
        campaign(),
        person(),
        HealthCard(months=12),
        SocialBook(months=12),
        TetGift(value=500_000),
        sponsor,
        Pledge(id="P1", sponsor_id="S1", money=10_000_000),
        Beneficiary(person_id="P1", province="33"),
        ProductKind.HEALTH_CARD,
        Category.POOR,
        dt.date(2026, 1, 5),
    ]


BOUNDARY_DATES = st.sampled_from([dt.date.min, dt.date.max, dt.date(9999, 12, 1), dt.date(1, 1, 2)])

HOSTILE: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 3, 12, 10**5000, -(10**5000), 2**64, 1234567890, int(CCCD)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1e999999999"), Fraction(10**5000, 3), Fraction(1, 3)]),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            CCCD,
            f"id {CCCD}",
            "1e999999999",
            "=HYPERLINK(1)",
            "x" * 40_000,
            "01",
            "health_card",
            "poor",
            "2026-01-05",
            Sneaky("sneaky"),
        ]
    ),
    BOUNDARY_DATES,
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    st.lists(st.integers(), max_size=3),
    st.lists(st.text(max_size=3), max_size=3).map(tuple),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.frozensets(st.sampled_from(list(Category)), max_size=2),
    st.just(object()),
    st.just(BadRepr()),
    st.builds(lambda: [[[[[]]]]] * 3),
    st.sampled_from(valid_objects()),
)
"""Wrong types, boundary values and valid objects in the wrong place."""


def valid_by_name() -> dict[str, Any]:
    """A valid value for each argument name the public API uses often: fuzzing breaks one or two at a time."""
    on = dt.date(2026, 1, 5)
    ledger = ansinh.Ledger(campaign(), law=law())
    return {
        "id": "X1",
        "sponsor_id": "S1",
        "pledge_id": "P1",
        "gift_id": "G1",
        "event_id": "E1",
        "person_id": "P1",
        "name": "Tên",
        "full_name": "Lê Thị Hoa",
        "code": "C1",
        "date_of_birth": dt.date(1962, 3, 5),
        "province": "33",
        "on": on,
        "start": dt.date(2025, 10, 23),
        "end": dt.date(2026, 3, 31),
        "effective": on,
        "due": on,
        "months": 12,
        "household_rank": 1,
        "money": 10_000_000,
        "amount": 1_000_000,
        "value": 500_000,
        "units": ((ProductKind.HEALTH_CARD, 2),),
        "kind": "bank",
        "target": "DN-1",
        "person": person(),
        "who": person(),
        "product": HealthCard(months=12),
        "campaign": campaign(),
        "law": law(),
        "state": ledger.state,
        "candidates": (),
        "people": (person(),),
        "events": (),
        "plugins": False,
        "sponsor": Sponsor(id="S1", name="Vietcombank", kind=SponsorKind.BANK),
        "pledge": Pledge(id="P1", sponsor_id="S1", money=10_000_000),
        "lang": "vi",
        "digits": 2,
        "source": "test",
        "document": "Nghị định 1",
    }
