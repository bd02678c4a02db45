"""The ledger prices a batch's gifts once per price class: the same quotes, the same refusals as pricing each.

:class:`~ansinh.core.price_classes.GiftPrices` hands one quote to every gift whose
pricing inputs are equal; these properties check it against
:func:`~ansinh.core.pricing.price` called for each gift, with provincial
top-ups keyed by area, months out of poverty and age bands, and commune
lists, over people who share some of those values and differ in others.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import Beneficiary, Campaign, Funding, Gift, Pledge, Sponsor
from ansinh.core.events import Event, GiftAllocated, PledgeRegistered
from ansinh.core.law import Citation, SourceStatus
from ansinh.core.ledger import Ledger
from ansinh.core.people import Category
from ansinh.core.places import CommuneList, PlaceKind
from ansinh.core.price_classes import GiftPrices
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import AnsinhError, InvariantViolation
from ansinh.plugins.local_support import shipped_local_supports

LAW = default_law()
D = dt.date
DAYS = (D(2025, 11, 20), D(2026, 1, 5), D(2026, 3, 1))
PROVINCES = ("01", "79", "31")
CAMPAIGN = Campaign(code="C", name="C", start=D(2025, 10, 23), end=D(2026, 3, 31))
SPONSOR = Sponsor(id="S1", name="A", kind="bank")


CONTEXTS = ast.pricing_contexts(provinces=PROVINCES, in_force=DAYS[0], shipped=shipped_local_supports())
"""The shipped top-ups, or drawn ones of :data:`PROVINCES` (some with an age band), and commune lists."""


LEFT_POVERTY = (None, D(2023, 6, 1), D(2025, 12, 1))
BORN = (None, D(1951, 3, 1), D(1955, 6, 1), D(1961, 3, 1), D(1961, 3, 2), D(2008, 1, 5))


@st.composite
def _people(draw: st.DrawFn) -> Beneficiary:
    """Someone of one of a few provinces and categories (the price classes the gifts fall in)."""
    province = draw(st.sampled_from(PROVINCES))
    commune, district, former = draw(ast.addresses(province=province))
    return Beneficiary(
        person_id="P-0",
        province=province,
        categories=draw(
            st.frozensets(st.sampled_from((Category.NEAR_POOR, Category.POOR, Category.STUDENT)), max_size=2)
        ),
        vsi_supported_months=draw(st.sampled_from((0, 60, 119))),
        commune=commune,
        district=district,
        former_province=former,
        left_poverty_on=draw(st.sampled_from(LEFT_POVERTY)),
        date_of_birth=draw(st.sampled_from(BORN)),
    )


@st.composite
def _variant(draw: st.DrawFn, who: Beneficiary) -> Beneficiary:
    """*who*, or someone else who shares their province and categories but maybe not the rest."""
    changes: dict[str, Any] = {"person_id": f"P-{draw(st.integers(0, 9))}"}
    if draw(st.booleans()):
        changes["commune"], changes["district"], changes["former_province"] = draw(
            ast.addresses(province=who.province)
        )
    if draw(st.booleans()):
        changes["left_poverty_on"] = draw(st.sampled_from(LEFT_POVERTY))
    if draw(st.booleans()):
        changes["date_of_birth"] = draw(st.sampled_from(BORN))
    if draw(st.booleans()):
        changes["vsi_supported_months"] = draw(st.sampled_from((0, 60, 119)))
    return attrs.evolve(who, **changes)


@st.composite
def _gifts(draw: st.DrawFn, products: list[Product], people: list[Beneficiary]) -> Gift:
    """A gift of one of *products* to a variant of one of *people*, with the quote pricing gives without top-ups."""
    product = draw(st.sampled_from(products))
    day = draw(st.sampled_from(DAYS))
    try:
        quote = price(product, None, on=day, law=LAW)
    except AnsinhError:
        quote = price(product, None, on=DAYS[1], law=LAW)
    return Gift(
        id=f"G-{draw(st.integers(0, 10**6))}",
        pledge_id="P1",
        beneficiary=draw(_variant(draw(st.sampled_from(people)))),
        product=product,
        quote=quote,
        funding=Funding.MONEY,
        covers_from=quote.on if product.months else None,
    )


def _some_gifts(data: st.DataObject, products: list[Product], unique: bool = False) -> list[Gift]:
    """Gifts to variants of a few people (many share a price class, and differ in what it leaves out)."""
    people = data.draw(st.lists(_people(), min_size=1, max_size=3), label="people")
    return data.draw(
        st.lists(
            _gifts(products, people),
            min_size=1,
            max_size=25,
            unique_by=(lambda g: g.id) if unique else None,
        ),
        label="gifts",
    )


def _outcome(call: Callable[[], Quote]) -> Quote | tuple[type[BaseException], str]:
    try:
        return call()
    except AnsinhError as exc:
        return type(exc), str(exc)


def _products(data: st.DataObject) -> list[Product]:
    return data.draw(st.lists(ast.products(on=DAYS[1], law=LAW), min_size=1, max_size=2), label="products")


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_gift_prices_equal_pricing_each_gift(data: st.DataObject) -> None:
    supports, lists = data.draw(CONTEXTS, label="top-ups and lists")
    gifts = _some_gifts(data, _products(data))
    prices = GiftPrices(LAW, supports, lists)
    for g in gifts:
        memo = _outcome(lambda g=g: prices.quote(g))  # type: ignore[misc]
        plain = _outcome(
            lambda g=g: price(  # type: ignore[misc]
                g.product,
                g.beneficiary,
                on=g.purchased_on,
                law=LAW,
                local_supports=supports,
                commune_lists=lists,
            )
        )
        assert memo == plain


def _priced(g: Gift, supports: tuple[LocalSupport, ...], lists: tuple[CommuneList, ...]) -> Gift:
    """*g* with the law's quote, where it has one (else *g* as it is: the ledger refuses it)."""
    try:
        quote = price(
            g.product, g.beneficiary, on=g.purchased_on, law=LAW, local_supports=supports, commune_lists=lists
        )
    except AnsinhError:
        return g
    return attrs.evolve(g, quote=quote)


def _first_refusal(ledger: Ledger, events: list[Event]) -> str | None:
    """Append *events* one by one (each checked on its own); the first refusal's message, if any."""
    for event in events:
        try:
            ledger.append(event)
        except InvariantViolation as exc:
            return str(exc)
    return None


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_batch_and_extend_refuse_exactly_what_one_by_one_refuses(data: st.DataObject) -> None:
    supports, lists = data.draw(CONTEXTS, label="top-ups and lists")
    products = _products(data)
    drawn = _some_gifts(data, products, unique=True)
    right = data.draw(st.lists(st.booleans(), min_size=len(drawn), max_size=len(drawn)), label="priced")
    gifts = [_priced(g, supports, lists) if ok else g for g, ok in zip(drawn, right, strict=True)]
    months = {
        p.kind: p.months for p in reversed(products)
    }  # the pledge buys the first card's and book's months
    pledge = Pledge(
        id="P1",
        sponsor_id="S1",
        money=10**12,
        card_months=months.get(ProductKind.HEALTH_CARD, 12),
        book_months=months.get(ProductKind.SOCIAL_BOOK, 12),
    )
    start = [PledgeRegistered(event_id="reg", on=D(2025, 11, 1), sponsor=SPONSOR, pledge=pledge)]
    batch: list[Event] = [GiftAllocated(event_id=f"a:{g.id}", on=g.purchased_on, gift=g) for g in gifts]

    def fresh() -> Ledger:
        return Ledger(CAMPAIGN, law=LAW, local_supports=supports, commune_lists=lists, events=start)

    expected = _first_refusal(fresh(), batch)
    extended = fresh()
    if expected is None:
        assert extended.extend(batch) == len(batch)
    else:
        with pytest.raises(InvariantViolation) as stopped:
            extended.extend(batch)
        assert str(stopped.value) == expected
    ledger = fresh()
    before = ledger.state
    if expected is None:
        assert ledger.append_batch(batch) == tuple(batch)
    else:
        with pytest.raises(InvariantViolation) as refused:
            ledger.append_batch(batch)
        assert str(refused.value) == expected
        assert ledger.state == before


def test_gift_prices_tell_apart_everyone_the_shipped_top_ups_price_apart() -> None:
    # every combination of the values a shipped top-up reads (address, day out of poverty, date of
    # birth) in the provinces that have them, through one memo: each quote is pricing's
    supports = shipped_local_supports()
    lists = (
        CommuneList(
            code="CL-1",
            kind=PlaceKind.POOR_COMMUNE,
            province="01",
            communes=frozenset({"Xã Tiên Lữ"}),
            effective=D(2025, 1, 1),
            until=None,
            citation=Citation("x"),
            status=SourceStatus.CONFIRMED,
            label_vi="Xã nghèo",
            label_en="Poor communes",
        ),
    )
    prices = GiftPrices(LAW, supports, lists)
    addresses = (("", "", None), ("", "Long Biên", None), ("Xã Tiên Lữ", "", None))
    births = (*BORN, D(2015, 1, 1))
    products: tuple[Product, ...] = (HealthCard(months=12), SocialBook(months=12))
    categories: tuple[set[Category], ...] = (
        set(),
        {Category.NEAR_POOR},
        {Category.JUST_ESCAPED_POVERTY},
        {Category.MILD_DISABILITY},
    )
    for n, (province, product, day, cats, (commune, district, former), born, left) in enumerate(
        itertools.product(
            ("79", "01", "56"),
            products,
            DAYS,
            categories,
            addresses,
            births,
            (*LEFT_POVERTY, D(2024, 1, 1)),
        )
    ):
        who = Beneficiary(
            person_id=f"P-{n}",
            province=province,
            categories=cats,
            commune=commune,
            district=district,
            former_province=former,
            left_poverty_on=left,
            date_of_birth=born,
        )
        quote = price(product, None, on=day, law=LAW)
        g = Gift(
            id="G",
            pledge_id="P",
            beneficiary=who,
            product=product,
            quote=quote,
            funding="money",
            covers_from=day,
        )
        expected = price(product, who, on=day, law=LAW, local_supports=supports, commune_lists=lists)
        assert prices.quote(g) == expected
