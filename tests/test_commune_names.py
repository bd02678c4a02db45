"""Commune names match whatever the case, the diacritics' composition, the spacing and the unit word."""

from __future__ import annotations

import datetime as dt
import unicodedata
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.law import Citation, RateTable, SourceStatus
from ansinh.core.people import Category, Person
from ansinh.core.places import COMMUNE_PREFIXES, commune_matches, normalise_commune, parse_commune_lists
from ansinh.core.pricing import LocalSupport, price
from ansinh.core.products import HealthCard, ProductKind
from ansinh.data import default_law

LAW = default_law()

NAMES = st.text(
    alphabet=st.sampled_from(list("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậềếểễệỳýỷỹỵ ÀÁĐƯƠXPTĐ\t")),
    max_size=30,
)


@given(st.text(max_size=40))
def test_normalise_is_idempotent(name: str) -> None:
    once = normalise_commune(name)
    assert normalise_commune(once) == once


@given(st.one_of(st.text(max_size=40), NAMES))
def test_nfc_and_nfd_spellings_normalise_the_same(name: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name)
    assert normalise_commune(nfc) == normalise_commune(nfd)


@given(
    NAMES,
    st.sampled_from(["Xã", "xã", "XÃ", "Phường", "phường", "Thị trấn", "THỊ TRẤN", "Đặc khu", "đặc khu"]),
)
def test_a_unit_word_before_a_name_is_dropped(name: str, prefix: str) -> None:
    if not normalise_commune(name):
        return  # a unit word alone is kept as a name
    assert normalise_commune(f"{prefix}  {name}") == normalise_commune(name)


@pytest.mark.parametrize(
    "spelling",
    [
        "Xã Mường Tè",
        "xã mường tè",
        "XÃ MƯỜNG TÈ",
        "  Xã   Mường\tTè ",
        "Mường Tè",
        unicodedata.normalize("NFD", "Xã Mường Tè"),
        "Thị trấn Mường Tè",
    ],
)
def test_spellings_of_one_commune(spelling: str) -> None:
    assert normalise_commune(spelling) == "mường tè"
    assert commune_matches(spelling, frozenset({"Xã Mường Tè"}))


def test_different_names_stay_different() -> None:
    assert normalise_commune("Xã Mường Tè") != normalise_commune("Xa Muong Te")  # the accents are the name
    assert normalise_commune("Phường 1") != normalise_commune("Phường 11")
    assert normalise_commune("Phường") == "phường"  # a unit word alone is a name
    assert not commune_matches("", frozenset({"Xã A"}))
    assert COMMUNE_PREFIXES == ("xã", "phường", "thị trấn", "đặc khu")


def _person(commune: str, *cats: Category) -> Person:
    return Person(
        id="x",
        full_name="x",
        date_of_birth=dt.date(1980, 1, 1),
        province="33",
        categories=set(cats),
        commune=commune,
    )


def test_a_commune_list_matches_a_roster_spelling() -> None:
    lists = parse_commune_lists(
        {
            "commune_list": [
                {
                    "code": "hy-poor",
                    "kind": "poor_commune",
                    "province": "33",
                    "communes": ["Xã Tân Dân"],
                    "effective": "2026-01-01",
                    "document": "QĐ (giả định)",
                    "status": "scenario",
                    "label_vi": "x",
                    "label_en": "x",
                }
            ]
        }
    )
    card = HealthCard(months=12)
    on = dt.date(2026, 3, 1)
    for spelling in ("Xã Tân Dân", "tân dân", unicodedata.normalize("NFD", "XÃ TÂN DÂN")):
        q = price(card, _person(spelling, Category.NEAR_POOR), on=on, law=LAW, commune_lists=lists)
        assert (q.group, q.payable) == ("near_poor_in_poor_commune", 0)
    other = price(card, _person("Xã Tân Hưng", Category.NEAR_POOR), on=on, law=LAW, commune_lists=lists)
    assert other.payable == 379_080  # 30 % of 12 × 4.5 % × 2,340,000


def test_an_area_keyed_programme_matches_a_roster_spelling() -> None:
    sup = LocalSupport(
        code="c",
        province="33",
        product=ProductKind.HEALTH_CARD,
        effective=dt.date(2026, 1, 1),
        until=None,
        rates=RateTable((("other", Fraction(1)),)),
        citation=Citation("x"),
        status=SourceStatus.SCENARIO,
        label_vi="x",
        label_en="x",
        communes=frozenset({"Phường Hiến Nam"}),
    )
    assert sup.covers(commune="hiến  nam")
    assert sup.covers(commune=unicodedata.normalize("NFD", "Phường Hiến Nam"))
    assert not sup.covers(commune="Phường Lam Sơn")
    q = price(
        HealthCard(months=12), _person("HIẾN NAM"), on=dt.date(2026, 3, 1), law=LAW, local_supports=[sup]
    )
    assert q.payable == 0
