"""Allocation's price classes stand for each of their candidates: the class's quote is pricing's for each.

:func:`~ansinh.core.allocation.ranking.rank` groups candidates by product and
:meth:`PriceKeys.key <ansinh.core.price_classes.PriceKeys.key>`, and allocation prices
each class once, for its first candidate.  These properties check it against
:func:`~ansinh.core.pricing.price` called for every candidate, with provincial
top-ups keyed by area, months out of poverty and age bands, and commune lists,
over people who share some of those values and differ in others.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.allocation import Candidate, allocate
from ansinh.core.allocation.ranking import rank
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.eligibility import Priority
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.places import CommuneList
from ansinh.core.price_classes import PriceKeys
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.core.products import HealthCard, Product, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import AnsinhError
from ansinh.plugins.local_support import shipped_local_supports

LAW = default_law()
D = dt.date
ON = D(2026, 3, 1)
PROVINCES = ("01", "79", "31")
CAMPAIGN = Campaign(code="C", name="C", start=D(2025, 10, 23), end=D(2026, 3, 31))
LEFT_POVERTY = (None, D(2021, 6, 1), D(2023, 6, 1), D(2025, 12, 1), D(2026, 6, 1))
BORN = (
    D(1951, 3, 1),
    D(1951, 3, 2),
    D(1955, 6, 1),
    D(1961, 3, 1),
    D(1961, 3, 2),
    D(1961, 9, 9),
    D(2015, 1, 1),
)
CATEGORIES = (Category.NEAR_POOR, Category.POOR, Category.STUDENT, Category.JUST_ESCAPED_POVERTY)
PRODUCTS: tuple[Product, ...] = (HealthCard(months=12), HealthCard(months=6), SocialBook(months=12))


CONTEXTS = ast.pricing_contexts(provinces=PROVINCES, in_force=ON, shipped=shipped_local_supports())
"""The shipped top-ups, or drawn ones of :data:`PROVINCES` (some with an age band), and commune lists."""


@st.composite
def _person(draw: st.DrawFn, i: int) -> Person:
    """Someone of one of a few provinces and categories."""
    province = draw(st.sampled_from(PROVINCES))
    commune, district, former = draw(ast.addresses(province=province))
    return Person(
        id=f"P-{i:02d}",
        full_name="Nguyễn Văn An",
        date_of_birth=draw(st.sampled_from(BORN)),
        province=province,
        categories=draw(st.frozensets(st.sampled_from(CATEGORIES), max_size=2)),
        vsi_supported_months=draw(st.sampled_from((0, 60, 119))),
        commune=commune,
        district=district,
        former_province=former,
        left_poverty_on=draw(st.sampled_from(LEFT_POVERTY)),
    )


@st.composite
def _variant(draw: st.DrawFn, who: Person, i: int) -> Person:
    """*who* as person *i*, maybe with another address, day out of poverty, birth date or supported months."""
    changes: dict[str, Any] = {"id": f"P-{i:02d}"}
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


def _candidates(data: st.DataObject) -> list[Candidate]:
    """Candidates who are variants of a few people: many share a price class and differ in what it leaves out."""
    people = data.draw(st.lists(_person(0), min_size=1, max_size=3), label="people")
    return [
        Candidate(
            person=data.draw(_variant(data.draw(st.sampled_from(people)), i), label="person"),
            product=data.draw(st.sampled_from(PRODUCTS), label="product"),
            priority=Priority.of((("S", data.draw(st.integers(0, 3), label="score")),)),
        )
        for i in range(data.draw(st.integers(1, 20), label="candidates"))
    ]


def _priced(
    product: Product,
    who: Person,
    on: dt.date,
    supports: tuple[LocalSupport, ...],
    lists: tuple[CommuneList, ...] = (),
) -> Quote | tuple[type[BaseException], str]:
    """Pricing's quote of *product* for *who*, or what it raises."""
    try:
        return price(product, who, on=on, law=LAW, local_supports=supports, commune_lists=lists)
    except AnsinhError as exc:
        return type(exc), str(exc)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_each_candidate_is_priced_as_its_class_is(data: st.DataObject) -> None:
    supports, lists = data.draw(CONTEXTS, label="top-ups and lists")
    cands = _candidates(data)
    tables = rank(cands, scope=None, keys=PriceKeys(supports, lists), on=ON)
    for table in tables.values():
        for pos, i in enumerate(table.order):
            price_class, candidate = table.classes[pos], table.candidates[i]
            assert price_class.product == candidate.product
            assert price_class.categories == {c.value for c in candidate.person.categories}
            assert isinstance(candidate.product, HealthCard | SocialBook)
            for months in (6, 12):  # what pledges may buy
                product = attrs.evolve(candidate.product, months=months)
                shared = _priced(product, price_class.who, ON, supports, lists)
                assert shared == _priced(product, candidate.person, ON, supports, lists)


@settings(max_examples=75, deadline=None)
@given(data=st.data())
def test_allocated_gifts_have_pricing_s_quote_for_each_person(data: st.DataObject) -> None:
    supports, lists = data.draw(CONTEXTS, label="top-ups and lists")
    cands = _candidates(data)
    pledge = Pledge(
        id="P1",
        sponsor_id="S1",
        money=data.draw(st.sampled_from((1_000_000, 5_000_000, 10**9)), label="money"),
        card_months=data.draw(st.sampled_from((6, 12)), label="card months"),
    )
    sponsor = Sponsor(id="S1", name="A", kind="bank")
    events = [PledgeRegistered(event_id="reg", on=D(2025, 11, 1), sponsor=sponsor, pledge=pledge)]
    ledger = Ledger(CAMPAIGN, law=LAW, local_supports=supports, commune_lists=lists, events=events)
    result = allocate(ledger.state, cands, on=ON, law=LAW, local_supports=supports, commune_lists=lists)
    persons = {c.person.id: c.person for c in cands}
    for g in result.gifts:
        plain = price(
            g.product, persons[g.person_id], on=ON, law=LAW, local_supports=supports, commune_lists=lists
        )
        assert g.quote == plain
        assert plain.payable > 0 or plain.gross == 0
    ledger.extend(result.events())  # the ledger prices each gift again and accepts it


def test_ranking_tells_apart_everyone_the_shipped_top_ups_price_apart() -> None:
    # every combination of the values a shipped top-up reads (address, day out of poverty, date of
    # birth) in the provinces that have them, ranked at once: each candidate's class prices as they do
    supports = tuple(shipped_local_supports())
    addresses = (("", "", None), ("", "Long Biên", None), ("Xã Tiên Lữ", "", None))
    categories: tuple[frozenset[Category], ...] = (
        frozenset(),
        frozenset({Category.NEAR_POOR}),
        frozenset({Category.JUST_ESCAPED_POVERTY}),
        frozenset({Category.MILD_DISABILITY}),
    )
    people = [
        Person(
            id=f"P-{n}",
            full_name="Nguyễn Văn An",
            date_of_birth=born,
            province=province,
            categories=cats,
            commune=commune,
            district=district,
            former_province=former,
            left_poverty_on=left,
        )
        for n, (province, cats, (commune, district, former), born, left) in enumerate(
            itertools.product(("79", "01", "56", "31"), categories, addresses, BORN, LEFT_POVERTY)
        )
    ]
    cands = [
        Candidate(person=p, product=product, priority=Priority(0, ()))
        for product in (HealthCard(months=12), SocialBook(months=12))
        for p in people
    ]
    for on in (D(2025, 11, 20), ON):
        tables = rank(cands, scope=None, keys=PriceKeys(supports, ()), on=on)
        for table in tables.values():
            assert len(set(table.classes)) < len(table)  # some share a class
            for pos, i in enumerate(table.order):
                price_class, who = table.classes[pos], table.persons[i]
                shared = _priced(price_class.product, price_class.who, on, supports)
                assert shared == _priced(price_class.product, who, on, supports)


# -- the ranking order ---------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(("A", "B", "C", "AB", "B0", "a")),
            st.sampled_from((D(1900, 1, 1), D(1950, 6, 1), D(1950, 6, 2), D(2026, 1, 1))),
            st.one_of(st.integers(-3, 3), st.sampled_from((-(10**20), 10**20, 2**40, -(2**40)))),
            st.sampled_from(PRODUCTS),
        ),
        max_size=40,
    )
)
def test_ranking_is_the_ranking_key_order_each_person_once(
    entries: list[tuple[str, dt.date, int, Product]],
) -> None:
    # many ties on score and birth date, people listed twice, scores of any size: the order is
    # sorting by (-score, date of birth, id), ties in the order given, each person's first entry kept
    born: dict[str, dt.date] = {}
    cands = [
        Candidate(
            person=Person(
                id=pid,
                full_name="Nguyễn Văn An",
                date_of_birth=born.setdefault(pid, birth),  # one person, one date of birth
                province="31",
            ),
            product=product,
            priority=Priority.of((("S", score),)),
        )
        for pid, birth, score, product in entries
    ]
    tables = rank(cands, scope=None, keys=PriceKeys((), ()), on=ON)
    for kind, table in tables.items():
        of_kind = [i for i, c in enumerate(cands) if c.product.kind is kind]
        plain = sorted(
            of_kind,
            key=lambda i: (-cands[i].priority.score, cands[i].person.date_of_birth, cands[i].person.id),
        )
        once: dict[str, int] = {}
        for i in plain:
            once.setdefault(cands[i].person.id, i)  # the first entry in that order
        assert [table.candidates[i].person.id for i in table.order] == [
            cands[i].person.id for i in once.values()
        ]
        assert [table.candidates[i] for i in table.order] == [cands[i] for i in once.values()]
    assert sum(map(len, tables.values())) == len({(c.person.id, c.product.kind) for c in cands})
