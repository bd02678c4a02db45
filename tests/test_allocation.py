"""Allocation: budgets, earmarks, determinism, and no one left while a pledge could pay."""

from __future__ import annotations

import datetime as dt
import pickle
import random

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.allocation import Allocation, Candidate, allocate
from ansinh.core.campaign import (
    Beneficiary,
    Campaign,
    Earmark,
    Funding,
    Gift,
    Pledge,
    Sponsor,
    earmark_matches,
)
from ansinh.core.eligibility import Priority
from ansinh.core.ledger import GiftCancelled, Ledger, LedgerState, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.pricing import Quote, price
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError

LAW = default_law()

CAMPAIGN = Campaign(
    code="BN2026",
    name="Xuân Bính Ngọ 2026",
    start=dt.date(2025, 10, 23),
    end=dt.date(2026, 3, 31),
    tet_dates=(dt.date(2026, 2, 16), dt.date(2026, 2, 22)),
)
ON = dt.date(2026, 1, 5)
CARD = HealthCard(months=12)
BOOK = SocialBook(months=12)
PROVINCES = ("31", "33", "19")
CATEGORY_SETS: tuple[frozenset[Category], ...] = (
    frozenset({Category.NEAR_POOR}),
    frozenset({Category.STUDENT}),
    frozenset({Category.FARM_AVERAGE_INCOME}),
    frozenset(),
)
TARGETS = ("DN-1", "TG-1")
PRODUCTS: tuple[Product, ...] = (CARD, CARD, BOOK)


def person(i: int, province: str = "31", categories: frozenset[Category] = CATEGORY_SETS[0]) -> Person:
    return Person(
        id=f"X{i:03d}",
        full_name="Nguyễn Văn An",
        date_of_birth=dt.date(1960 + i % 40, 1, 1),
        province=province,
        categories=categories,
    )


def registered(pledge: Pledge) -> PledgeRegistered:
    """The event registering *pledge* of sponsor S1."""
    sponsor = Sponsor(id="S1", name="Công ty A", kind="enterprise")
    return PledgeRegistered(event_id=f"reg:{pledge.id}", on=ON, sponsor=sponsor, pledge=pledge)


def state_of(*pledges: Pledge) -> LedgerState:
    return Ledger(CAMPAIGN, events=[registered(p) for p in pledges], law=LAW).state


def test_money_buys_by_priority_and_passes_over_who_it_cannot_afford() -> None:
    dear = person(1, categories=frozenset())  # household card: 1,263,600
    cheap = person(2)  # near-poor: 379,080
    cands = [
        Candidate(person=dear, product=CARD, priority=Priority.of((("A", 50),))),
        Candidate(person=cheap, product=CARD, priority=Priority.of((("A", 10),))),
    ]
    result = allocate(state_of(Pledge(id="P1", sponsor_id="S1", money=1_000_000)), cands, on=ON, law=LAW)
    assert [g.person_id for g in result.gifts] == ["X002"]
    assert result.leftovers[0].money_left == 1_000_000 - 379_080
    assert dict(result.unserved)[ProductKind.HEALTH_CARD] == 1
    richer = allocate(state_of(Pledge(id="P1", sponsor_id="S1", money=1_700_000)), cands, on=ON, law=LAW)
    assert [g.person_id for g in richer.gifts] == ["X001", "X002"]


def test_units_before_money_and_the_reason_names_the_pledge() -> None:
    people = [person(i) for i in range(4)]
    cands = [
        Candidate(person=p, product=CARD, priority=Priority.of((("NEAR_POOR", 30 - i),)))
        for i, p in enumerate(people)
    ]
    state = state_of(
        Pledge(id="P-money", sponsor_id="S1", money=379_080),
        Pledge(id="P-units", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 2),)),
    )
    result = allocate(state, cands, on=ON, law=LAW)
    by_person = {g.person_id: g for g in result.gifts}
    assert by_person["X000"].pledge_id == "P-units"
    assert by_person["X000"].funding is Funding.UNITS
    assert by_person["X002"].pledge_id == "P-money"
    assert "P-money" in by_person["X002"].reason
    assert "ưu tiên 28 (NEAR_POOR +28)" in by_person["X002"].reason
    assert by_person["X000"].quote == price(CARD, people[0], on=ON, law=LAW)


def test_months_follow_the_pledge_and_valid_from_the_decision() -> None:
    p = person(1)
    cands = [Candidate(person=p, product=CARD, valid_from=dt.date(2026, 2, 4))]
    result = allocate(
        state_of(Pledge(id="P1", sponsor_id="S1", money=5_000_000, card_months=6)), cands, on=ON, law=LAW
    )
    (g,) = result.gifts
    assert g.product == HealthCard(months=6)
    assert g.covers_from == dt.date(2026, 2, 4)
    assert g.valid_until == dt.date(2026, 8, 3)


def test_a_person_holding_a_card_for_those_months_is_skipped() -> None:
    p, q = person(1), person(2)
    cands = [
        Candidate(person=p, product=CARD, priority=Priority.of((("A", 9),))),
        Candidate(person=q, product=CARD),
    ]
    ledger = Ledger(
        CAMPAIGN,
        events=[registered(Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 1),)))],
        law=LAW,
    )
    first = allocate(ledger.state, cands, on=ON, law=LAW)
    ledger.extend(first.events())
    ledger.append(registered(Pledge(id="P2", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 1),))))
    second = allocate(ledger.state, cands, on=ON, law=LAW)
    assert [g.person_id for g in first.gifts] == ["X001"]
    assert [(g.person_id, g.pledge_id) for g in second.gifts] == [("X002", "P2")]
    ledger.extend(second.events())
    assert allocate(ledger.state, cands, on=ON, law=LAW).gifts == ()


def test_tet_gifts_and_books_use_their_own_candidates() -> None:
    p = person(1)
    cands = [Candidate(person=p, product=TetGift(value=500_000)), Candidate(person=p, product=BOOK)]
    state = state_of(
        Pledge(id="P1", sponsor_id="S1", units=((ProductKind.TET_GIFT, 2), (ProductKind.SOCIAL_BOOK, 1)))
    )
    result = allocate(state, cands, on=ON, law=LAW)
    assert sorted((g.kind, g.amount) for g in result.gifts) == [
        (ProductKind.SOCIAL_BOOK, 12 * (330_000 - 132_000)),
        (ProductKind.TET_GIFT, 500_000),
    ]
    assert result.leftovers[0].units_left == ((ProductKind.TET_GIFT, 1),)


def test_bad_arguments() -> None:
    with pytest.raises(InvalidValueError, match="state"):
        allocate("state", [], on=ON, law=LAW)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="on"):
        allocate(state_of(), [], on="2026-01-05", law=LAW)  # type: ignore[arg-type]


# -- properties -----------------------------------------------------------------


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]]:
    n = draw(st.integers(0, 18))
    people = [
        person(i, draw(st.sampled_from(PROVINCES)), draw(st.sampled_from(CATEGORY_SETS))) for i in range(n)
    ]
    cands = [
        Candidate(
            person=p,
            product=draw(st.sampled_from(PRODUCTS)),
            priority=Priority.of((("SCORE", draw(st.integers(0, 5))),)),
        )
        for p in people
    ]
    affiliations = {
        p.id: frozenset(draw(st.sets(st.sampled_from(TARGETS), max_size=2)))
        for p in people
        if draw(st.booleans())
    }
    pledges = []
    for j in range(draw(st.integers(1, 6))):
        cards = draw(st.integers(0, 3))
        books = draw(st.integers(0, 2))
        money = draw(st.sampled_from([0, 300_000, 700_000, 1_300_000, 2_500_000]))
        if not (cards or books or money):
            money = 1_000_000
        earmark = draw(
            st.sampled_from(
                [
                    None,
                    None,
                    Earmark(kind="workers_relatives", target="DN-1"),
                    Earmark(kind="members", target="TG-1"),
                    Earmark(kind="category", target="student"),
                ]
            )
        )
        units = tuple(
            (k, c) for k, c in ((ProductKind.HEALTH_CARD, cards), (ProductKind.SOCIAL_BOOK, books)) if c
        )
        pledges.append(
            Pledge(
                id=f"P{j}",
                sponsor_id="S1",
                units=units,
                money=money,
                province=draw(st.sampled_from([None, *PROVINCES])),
                earmark=earmark,
                card_months=draw(st.sampled_from([6, 12])),
            )
        )
    return state_of(*pledges), cands, affiliations


def _run(scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]]) -> Allocation:
    state, cands, affiliations = scenario
    return allocate(state, cands, on=ON, affiliations=affiliations, law=LAW)


@given(scenarios())
def test_budgets_are_never_exceeded_and_the_ledger_accepts_every_gift(
    scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]],
) -> None:
    state = scenario[0]
    result = _run(scenario)
    ledger = Ledger(CAMPAIGN, events=[], law=LAW)
    for b in state.pledges:
        ledger.append(
            PledgeRegistered(event_id=f"reg:{b.pledge.id}", on=ON, sponsor=b.sponsor, pledge=b.pledge)
        )
    ledger.extend(result.events())  # the ledger re-checks every invariant and price
    left = {x.pledge_id: x for x in result.leftovers}
    for b in ledger.state.pledges:
        p = b.pledge
        assert b.committed <= p.money
        money_left = left[p.id].money_left if p.id in left else 0
        assert b.committed + money_left == p.money  # leftover reported, never lost
        for kind in ProductKind:
            units_left = dict(left[p.id].units_left).get(kind, 0) if p.id in left else 0
            assert b.units_committed(kind) + units_left == p.units_of(kind)


@given(scenarios())
def test_earmarks_and_provinces_are_always_honoured(
    scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]],
) -> None:
    state, _, affiliations = scenario
    for g in _run(scenario).gifts:
        pledge = state.pledge(g.pledge_id).pledge
        assert pledge.province in (None, g.province)
        assert earmark_matches(pledge.earmark, g.beneficiary)
        if pledge.earmark is not None and pledge.earmark.kind.value in ("workers_relatives", "members"):
            assert pledge.earmark.target in affiliations.get(g.person_id, ())
        assert g.pledge_id in g.reason


@given(scenarios(), st.randoms(use_true_random=False))
def test_allocation_is_deterministic_whatever_the_order(
    scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]], rnd: random.Random
) -> None:
    state, cands, affiliations = scenario
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert allocate(state, shuffled, on=ON, affiliations=affiliations, law=LAW) == _run(scenario)


@st.composite
def crowds(draw: st.DrawFn) -> tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]]:
    """People listed several times (several kinds; twice for one kind with different scores), ties on
    score and birth date, a first day covered, communes; pledges of every kind, some earmarked."""
    births = (dt.date(1950, 1, 1), dt.date(1961, 6, 1))
    kinds: dict[ProductKind, tuple[Product, ...]] = {
        ProductKind.HEALTH_CARD: (CARD, HealthCard(months=6, household_rank=2)),
        ProductKind.SOCIAL_BOOK: (BOOK, SocialBook(months=12, monthly_income=2_000_000)),
        ProductKind.TET_GIFT: (TetGift(value=300_000),),
    }
    cands = []
    for i in range(draw(st.integers(0, 10))):
        p = Person(
            id=f"Y{i:02d}",
            full_name="Trần Thị Bình",
            date_of_birth=draw(st.sampled_from(births)),
            province=draw(st.sampled_from(PROVINCES)),
            categories=draw(st.sampled_from(CATEGORY_SETS)),
            commune=draw(st.sampled_from(("", "Xã An Bình"))),
        )
        for kind in draw(st.sets(st.sampled_from(list(kinds)), max_size=3)):
            for score in draw(st.lists(st.integers(0, 3), min_size=1, max_size=2, unique=True)):
                cands.append(
                    Candidate(
                        person=p,
                        product=draw(st.sampled_from(kinds[kind])),
                        priority=Priority.of((("SCORE", score),)),
                        valid_from=draw(st.sampled_from((None, dt.date(2026, 2, 1)))),
                    )
                )
    pledges = [
        Pledge(
            id=f"P{j}",
            sponsor_id="S1",
            units=((ProductKind.TET_GIFT, draw(st.integers(0, 2))), (ProductKind.SOCIAL_BOOK, 1)),
            money=draw(st.sampled_from([0, 700_000, 2_500_000])),
            province=draw(st.sampled_from([None, *PROVINCES])),
            earmark=draw(
                st.sampled_from(
                    [
                        None,
                        Earmark(kind="commune", target="xa an binh"),
                        Earmark(kind="members", target="TG-1"),
                    ]
                )
            ),
        )
        for j in range(draw(st.integers(1, 4)))
    ]
    affiliations = {c.person.id: frozenset({"TG-1"}) for c in cands if c.priority.score == 3}
    return state_of(*pledges), cands, affiliations


@given(crowds(), st.data())
def test_the_same_candidates_in_any_order_give_the_same_allocation(
    crowd: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]], data: st.DataObject
) -> None:
    state, cands, affiliations = crowd
    expected = allocate(state, cands, on=ON, affiliations=affiliations, law=LAW)
    again = allocate(state, data.draw(st.permutations(cands)), on=ON, affiliations=affiliations, law=LAW)
    assert again == expected
    assert [repr(g) for g in again.gifts] == [repr(g) for g in expected.gifts]


@given(scenarios())
def test_no_eligible_candidate_is_left_while_a_pledge_that_could_pay_has_enough(
    scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]],
) -> None:
    state, cands, affiliations = scenario
    result = _run(scenario)
    served = {(g.person_id, g.kind) for g in result.gifts}
    left = {x.pledge_id: x for x in result.leftovers}
    for c in cands:
        kind = c.product.kind
        if (c.person.id, kind) in served:
            continue
        for b in state.pledges:
            pledge = b.pledge
            if pledge.province not in (None, c.person.province):
                continue
            links = affiliations.get(c.person.id, frozenset())
            if pledge.earmark is not None and not (
                pledge.earmark.target in links
                or pledge.earmark.target in {x.value for x in c.person.categories}
            ):
                continue
            leftover = left.get(pledge.id)
            assert leftover is None or dict(leftover.units_left).get(kind, 0) == 0, (c.person.id, pledge.id)
            if kind is ProductKind.HEALTH_CARD and leftover is not None:
                cost = price(HealthCard(months=pledge.card_months), c.person, on=ON, law=LAW).payable
                assert leftover.money_left < cost, (c.person.id, pledge.id)


# -- the gifts are what the constructors build ---------------------------------------


def _rebuilt(gift: Gift) -> Gift:
    """The gift made again through the public constructors, from its field values."""
    b = gift.beneficiary
    beneficiary = Beneficiary(
        person_id=b.person_id,
        province=b.province,
        categories=b.categories,
        vsi_supported_months=b.vsi_supported_months,
        affiliations=b.affiliations,
        date_of_birth=b.date_of_birth,
    )
    quote = Quote(**{f.name: getattr(gift.quote, f.name) for f in attrs.fields(Quote)})
    fields = {f.name: getattr(gift, f.name) for f in attrs.fields(Gift)}
    return Gift(**{**fields, "beneficiary": beneficiary, "quote": quote})


@given(scenarios())
def test_gifts_equal_what_the_constructors_build(
    scenario: tuple[LedgerState, list[Candidate], dict[str, frozenset[str]]],
) -> None:
    state, cands, _ = scenario
    result = _run(scenario)
    persons = {c.person.id: c.person for c in cands}
    for g in result.gifts:
        again = _rebuilt(g)
        assert again == g
        assert repr(again) == repr(g)
        assert hash(again) == hash(g)
        assert g.quote == price(g.product, persons[g.person_id], on=ON, law=LAW)
        assert g.amount == g.quote.payable
        assert g.id == f"{g.pledge_id}:{g.person_id}:{g.kind.value}"
        assert state.pledge(g.pledge_id).pledge.province in (None, g.province)


@given(st.lists(st.integers(-(10**20), 10**20), min_size=1, max_size=12))
def test_any_whole_score_ranks_highest_first(scores: list[int]) -> None:
    cands = [
        Candidate(person=person(i), product=CARD, priority=Priority.of((("S", s),)))
        for i, s in enumerate(scores)
    ]
    state = state_of(Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, len(scores)),)))
    result = allocate(state, list(reversed(cands)), on=ON, law=LAW)
    expected = sorted(cands, key=lambda c: (-c.priority.score, c.person.date_of_birth, c.person.id))
    assert [g.person_id for g in result.gifts] == [c.person.id for c in expected]
    assert [g.priority for g in result.gifts] == sorted(scores, reverse=True)


def test_a_person_listed_twice_counts_once_with_the_best_entry() -> None:
    p = person(1)
    cands = [
        Candidate(person=p, product=CARD, priority=Priority.of((("A", 1),))),
        Candidate(person=p, product=CARD, priority=Priority.of((("A", 7),))),
        Candidate(person=person(2), product=CARD, priority=Priority.of((("A", 3),))),
    ]
    result = allocate(state_of(Pledge(id="P1", sponsor_id="S1", money=5_000_000)), cands, on=ON, law=LAW)
    assert [(g.person_id, g.priority) for g in result.gifts] == [("X001", 7), ("X002", 3)]
    assert result.unserved == ((ProductKind.HEALTH_CARD, 0),)


def test_a_second_gift_from_the_same_pledge_gets_a_new_id() -> None:
    cands = [Candidate(person=person(1), product=CARD)]
    ledger = Ledger(CAMPAIGN, law=LAW)
    ledger.append(registered(Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 2),))))
    first = allocate(ledger.state, cands, on=ON, law=LAW)
    ledger.extend(first.events())
    ledger.append(GiftCancelled(event_id="cancel", on=ON, gift_id=first.gifts[0].id))
    second = allocate(ledger.state, cands, on=ON, law=LAW)
    assert [g.id for g in first.gifts] == ["P1:X001:health_card"]
    assert [g.id for g in second.gifts] == ["P1:X001:health_card:2"]
    ledger.extend(second.events())  # the ledger accepts it


def test_bad_values_met_while_giving_raise_the_constructors_errors() -> None:
    state = state_of(Pledge(id="P1", sponsor_id="S1", money=5_000_000))
    late = Candidate(person=person(1), product=CARD, valid_from=dt.datetime(2026, 2, 1, 8, 0))
    with pytest.raises(InvalidValueError, match="covers_from"):
        allocate(state, [late], on=ON, law=LAW)
    with pytest.raises(InvalidValueError, match="affiliations"):
        allocate(
            state, [Candidate(person=person(1), product=CARD)], on=ON, affiliations={"X001": [" "]}, law=LAW
        )
    # a bad value for someone who gets no gift is never looked at
    poor = Candidate(person=person(2), product=CARD, priority=Priority.of((("A", 9),)))
    result = allocate(
        state_of(Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 1),))),
        [poor, late],
        on=ON,
        affiliations={"X001": [" "]},
        law=LAW,
    )
    assert [g.person_id for g in result.gifts] == ["X002"]


@pytest.mark.parametrize(
    ("late", "unaffiliated", "error"),
    [("X001", "X002", "covers_from"), ("X002", "X001", "affiliations"), ("X001", "X001", "affiliations")],
)
def test_of_two_bad_values_the_first_gift_s_is_reported(late: str, unaffiliated: str, error: str) -> None:
    cands = [
        Candidate(
            person=person(i),
            product=CARD,
            priority=Priority.of((("A", 10 - i),)),
            valid_from=dt.datetime(2026, 2, 1, 8, 0) if f"X{i:03d}" == late else None,
        )
        for i in (1, 2)
    ]
    state = state_of(Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 2),)))
    with pytest.raises(InvalidValueError, match=error):
        allocate(state, cands, on=ON, affiliations={unaffiliated: ["ok", ""]}, law=LAW)


@pytest.mark.parametrize("months", [0, 61, True, 1.5, "12"])
def test_pledge_months_must_be_whole_and_in_range(months: object) -> None:
    for field in ("card_months", "book_months"):
        with pytest.raises(InvalidValueError, match=field):
            Pledge(id="P1", sponsor_id="S1", money=1_000_000, **{field: months})  # type: ignore[arg-type]


@pytest.mark.parametrize("funding", ["units", "money"])
def test_a_period_the_law_does_not_allow_is_the_leftover_reason(funding: str) -> None:
    pledge = (
        Pledge(id="P1", sponsor_id="S1", units=((ProductKind.HEALTH_CARD, 2),), card_months=7)
        if funding == "units"
        else Pledge(id="P1", sponsor_id="S1", money=10_000_000, card_months=7)
    )
    ledger = Ledger(CAMPAIGN, law=LAW)
    ledger.append(registered(pledge))
    result = allocate(
        ledger.state, [Candidate(person=person(i), product=CARD) for i in range(3)], on=ON, law=LAW
    )
    assert result.gifts == ()
    (left,) = result.leftovers
    assert "does not allow a 7-month health-insurance card (only 3, 6, 12 months)" in left.reason_en
    assert "không cho phép thẻ BHYT 7 tháng (chỉ 3, 6, 12 tháng)" in left.reason_vi
    assert "no matching eligible candidate" not in left.reason_en


def test_allocate_refuses_a_law_of_the_wrong_type() -> None:
    with pytest.raises(InvalidValueError, match="law"):
        allocate(Ledger(CAMPAIGN, law=LAW).state, [], on=ON, law="2026")  # type: ignore[arg-type]


# -- the allocation as a value --------------------------------------------------------


def test_allocations_compare_hash_and_pickle_as_values() -> None:
    cands = [Candidate(person=person(i), product=CARD) for i in range(5)]
    result = allocate(state_of(Pledge(id="P1", sponsor_id="S1", money=1_200_000)), cands, on=ON, law=LAW)
    assert type(result.gifts) is tuple
    assert len(result.gifts) == 3
    assert all(type(g) is Gift for g in result.gifts)
    assert pickle.loads(pickle.dumps(result)) == result
    again = allocate(state_of(Pledge(id="P1", sponsor_id="S1", money=1_200_000)), cands, on=ON, law=LAW)
    assert again == result
    assert hash(again) == hash(result)
    # one price class: its gifts share one quote
    assert len({id(g.quote) for g in result.gifts}) == 1


@pytest.mark.parametrize("targets", ["DN-1", 7, [None], ["DN-1", " "]])
def test_affiliations_that_are_not_a_collection_of_names_are_refused(targets: object) -> None:
    # a string is not a set of names (it would otherwise match its letters)
    state = state_of(Pledge(id="P1", sponsor_id="S1", money=1_000_000))
    with pytest.raises(InvalidValueError, match="affiliations"):
        allocate(
            state,
            [Candidate(person=person(1), product=CARD)],
            on=ON,
            affiliations={"X001": targets},  # type: ignore[dict-item]
            law=LAW,
        )


@pytest.mark.parametrize("affiliations", [7, "DN-1", [""]])
def test_beneficiary_refuses_affiliations_that_are_not_names(affiliations: object) -> None:
    with pytest.raises(InvalidValueError, match="affiliations"):
        Beneficiary(person_id="X001", province="31", affiliations=affiliations)


def test_changing_the_inputs_after_allocate_does_not_change_the_gifts() -> None:
    @attrs.define
    class Mutable:  # a caller's own candidate type, changed after allocate
        person: Person
        product: Product
        priority: Priority

    cands = [Mutable(person(i), CARD, Priority.of((("A", 5 - i),))) for i in range(3)]
    affiliations = {"X000": ["DN-1"]}
    state = state_of(
        Pledge(
            id="P1",
            sponsor_id="S1",
            money=5_000_000,
            earmark=Earmark(kind="workers_relatives", target="DN-1"),
        )
    )
    result = allocate(state, cands, on=ON, affiliations=affiliations, law=LAW)
    cands[0].priority = Priority.of((("B", 9),))
    affiliations["X000"].append("DN-2")
    (gift,) = result.gifts
    assert gift.reason.startswith("ưu tiên 5 (A +5)")
    assert gift.beneficiary.affiliations == frozenset({"DN-1"})
