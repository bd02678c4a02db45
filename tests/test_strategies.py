"""The exported Hypothesis strategies: one per public type, valid values only, and they round-trip."""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ansinh
from ansinh import serialization as ser
from ansinh import strategies as ast
from ansinh.core import (
    allocation,
    campaign,
    eligibility,
    law,
    ledger,
    people,
    pricing,
    products,
    reporting,
)
from ansinh.core.ledger import EVENT_TYPES, Ledger, replay
from ansinh.core.pricing import price
from ansinh.core.provinces import provinces
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError
from ansinh.hypothesis_hook import HOOK_TYPES, register_strategies

LAW = default_law()

PUBLIC_MODULES: tuple[ModuleType, ...] = (
    law,
    people,
    products,
    pricing,
    eligibility,
    campaign,
    ledger,
    allocation,
    reporting,
)

NOT_VALUES: dict[type[Any], str] = {
    eligibility.CheckContext: "what a rule sees during one check (holds the law); never stored",
    eligibility.FunctionRule: "wraps a Python function",
    eligibility.BuiltinRule: "wraps a Python function",
    ansinh.CampaignRun: "the result of one command-line run: file paths written",
    ansinh.Roster: "a roster file as read, with its rejected rows (io layer); see people()",
}


def _public_types() -> set[type[Any]]:
    found: set[type[Any]] = set()
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            obj = getattr(module, name)
            if isinstance(obj, type) and (attrs.has(obj) or issubclass(obj, enum.Enum)):
                found.add(obj)
    for name in ansinh.__all__:
        obj = getattr(ansinh, name)
        if isinstance(obj, type) and (attrs.has(obj) or issubclass(obj, enum.Enum)):
            found.add(obj)
    return found - set(NOT_VALUES)


def test_every_public_type_has_a_strategy() -> None:
    missing = sorted(t.__name__ for t in _public_types() - set(ast.STRATEGIES))
    assert missing == []


def test_only_ansinh_types_are_in_the_registry() -> None:
    assert all(t.__module__.startswith("ansinh.") for t in ast.STRATEGIES)


def test_every_public_strategy_function_is_exported() -> None:
    for name in ast.__all__:
        if name == "STRATEGIES":
            continue
        assert callable(getattr(ast, name))
        assert getattr(ast, name).__doc__, name


REGISTRY = sorted(ast.STRATEGIES.items(), key=lambda item: item[0].__name__)


def _refuse_float(token: str) -> Any:
    raise AssertionError(f"a float in the JSON: {token}")


@pytest.mark.parametrize(("cl", "factory"), REGISTRY, ids=[cl.__name__ for cl, _ in REGISTRY])
@settings(max_examples=10)
@given(data=st.data())
def test_every_strategy_produces_its_type_and_round_trips(
    cl: type[Any], factory: Any, data: st.DataObject
) -> None:
    value = data.draw(factory())
    assert isinstance(value, cl)
    converter = ser.make_converter()
    text = json.dumps(converter.unstructure(value), ensure_ascii=False)
    back = converter.structure(json.loads(text, parse_float=_refuse_float), cl)
    assert back == value
    assert type(back) is type(value)


@settings(max_examples=10)
@given(ast.ledgers())
def test_ledgers_round_trip_through_their_events(book: Ledger) -> None:
    documents = [json.loads(ser.dumps_document(e)) for e in book.events]
    any_event: Any = ledger.Event  # a union, which ``type[T]`` parameters do not accept
    events: list[ledger.Event] = [ser.load_document(d, any_event) for d in documents]
    camp = ser.load_document(json.loads(ser.dumps_document(book.campaign)), campaign.Campaign)
    assert replay(camp, events, law=LAW) == book.state
    assert {d["type"] for d in documents} <= {"ledger_event"}


# -- validity ---------------------------------------------------------------------------------


@settings(max_examples=20)
@given(ast.dates())
def test_dates_are_priceable(day: dt.date) -> None:
    assert price(products.HealthCard(months=12), on=day, law=LAW).payable > 0
    assert price(products.SocialBook(months=12), on=day, law=LAW).payable >= 0


@settings(max_examples=20)
@given(data=st.data())
def test_products_are_priceable_on_their_date(data: st.DataObject) -> None:
    day = data.draw(ast.dates())
    product = data.draw(ast.products(on=day))
    assert price(product, on=day, law=LAW).gross > 0


@settings(max_examples=20)
@given(ast.products())
def test_products_without_a_date_are_priceable_on_every_date(product: products.Product) -> None:
    for day in (dt.date(2018, 12, 1), dt.date(2022, 1, 1), dt.date(2025, 7, 1), dt.date(2027, 1, 1)):
        assert price(product, on=day, law=LAW).gross > 0


@settings(max_examples=20)
@given(data=st.data())
def test_scenario_laws_still_price_everything(data: st.DataObject) -> None:
    what_if = data.draw(ast.laws(min_amendments=1))
    assert what_if.amendments
    day = data.draw(ast.dates(law=what_if))
    book = data.draw(ast.social_books(on=day, law=what_if))
    card = data.draw(ast.health_cards(on=day, law=what_if))
    for product in (book, card):
        quote = price(product, on=day, law=what_if)
        assert quote.payable == quote.gross - quote.state_support - quote.local_support


@settings(max_examples=20)
@given(data=st.data())
def test_social_book_incomes_lie_on_the_step(data: st.DataObject) -> None:
    day = data.draw(ast.dates())
    book = data.draw(ast.social_books(on=day))
    lw = ansinh.default_law()
    floor = lw.amount("vsi_income_floor", on=day)
    if book.monthly_income is not None:
        assert floor <= book.monthly_income <= lw.amount("vsi_income_ceiling", on=day)
        assert (book.monthly_income - floor) % lw.amount("vsi_income_step", on=day) == 0
    assert book.months in lw.months("vsi_payment_months", on=day)


@settings(max_examples=20)
@given(ast.people(province="31", categories={people.Category.POOR}, min_age=15, max_age=15))
def test_people_keyword_arguments(person: people.Person) -> None:
    assert person.province == "31"
    assert person.categories == {people.Category.POOR}
    assert person.age_on(dt.date(2026, 1, 1)) == 15


@settings(max_examples=20)
@given(ast.people(min_age=60, max_age=100, on=dt.date(2024, 2, 29)))
def test_people_ages_on_a_leap_day(person: people.Person) -> None:
    assert 60 <= person.age_on(dt.date(2024, 2, 29)) <= 100


@settings(max_examples=20)
@given(ast.people())
def test_people_have_valid_codes(person: people.Person) -> None:
    assert person.province in {p.code for p in provinces()}
    assert person.cccd is None or (len(person.cccd) == 12 and person.cccd.isdigit())


@settings(max_examples=20)
@given(ast.pledges(sponsor_id="S-1"))
def test_pledges_add_up(pledge: campaign.Pledge) -> None:
    assert pledge.sponsor_id == "S-1"
    assert pledge.units or pledge.money > 0
    if pledge.instalments:
        assert sum(i.amount for i in pledge.instalments) == pledge.money


@settings(max_examples=20)
@given(ast.campaigns(province="33"))
def test_campaigns_in_a_province(camp: campaign.Campaign) -> None:
    assert camp.province == "33"
    assert camp.start <= camp.end


@settings(max_examples=15)
@given(ast.decisions(on=dt.date(2026, 1, 10)))
def test_decisions_explain_themselves(decision: eligibility.Decision) -> None:
    assert decision.on == dt.date(2026, 1, 10)
    assert decision.eligible == (not decision.blocking)


@settings(max_examples=10)
@given(ast.ledgers())
def test_ledgers_replay_to_the_same_state(book: Ledger) -> None:
    assert replay(book.campaign, book.events, law=LAW) == book.state


@settings(max_examples=20)
@given(ast.gifts(on=dt.date(2026, 1, 5)))
def test_gifts_are_priced_for_their_beneficiary(gift: campaign.Gift) -> None:
    assert gift.quote == price(gift.product, gift.beneficiary, on=dt.date(2026, 1, 5), law=LAW)


@settings(max_examples=20)
@given(ast.ledger_events(types=(ledger.MoneyReceived,)))
def test_ledger_events_of_one_type(event: ledger.Event) -> None:
    assert isinstance(event, ledger.MoneyReceived)
    assert event.amount > 0


def test_every_event_type_has_a_strategy() -> None:
    assert set(EVENT_TYPES) <= set(ast.STRATEGIES)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ast.dates(min_value=dt.date(2000, 1, 1)), "min_value"),
        (lambda: ast.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2025, 1, 1)), "max_value"),
        (lambda: ast.people(min_age=30, max_age=20), "max_age"),
        (lambda: ast.laws(min_amendments=3, max_amendments=1), "max_amendments"),
        (lambda: ast.tet_gifts(min_value=0), "max_value"),
        (lambda: ast.ledgers(max_events=0), "max_events"),
        (lambda: ast.ledger_events(types=(int,)), "types"),  # type: ignore[arg-type]
        (lambda: ast.health_cards(law="law"), "law"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_refused(call: Any, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message):
        call()


# -- the Hypothesis entry point -----------------------------------------------------------------


def test_setup_hook_registers_from_type() -> None:
    register_strategies()

    @settings(max_examples=10)
    @given(
        person=st.from_type(people.Person),
        product=st.from_type(products.Product),  # type: ignore[arg-type]
        pledge=st.from_type(campaign.Pledge),
        sponsor=st.from_type(campaign.Sponsor),
        book=st.from_type(Ledger),
    )
    def check(
        person: people.Person,
        product: products.Product,
        pledge: campaign.Pledge,
        sponsor: campaign.Sponsor,
        book: Ledger,
    ) -> None:
        assert replay(book.campaign, book.events, law=LAW) == book.state
        assert person.province in {p.code for p in provinces()}
        assert isinstance(product, products.HealthCard | products.SocialBook | products.TetGift)
        assert pledge.units or pledge.money > 0
        assert isinstance(sponsor.kind, campaign.SponsorKind)

    check()


def test_setup_hook_covers_the_registry_and_ledgers() -> None:
    assert set(HOOK_TYPES) == {*ast.STRATEGIES, Ledger}
    assert len(HOOK_TYPES) == len(set(HOOK_TYPES))


def test_setup_hook_registers_nothing_but_ansinh_types() -> None:
    register_strategies()
    # A builtin keeps Hypothesis' own strategy.
    assert "ansinh" not in repr(st.from_type(int))


PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"

# Runs in a fresh interpreter with only the entry point given in argv[1], as a fresh install has
# it, whatever the entry points of the installed distribution say.
_FRESH = """
import importlib.metadata as md, sys
entry_point = md.EntryPoint(name="_", value=sys.argv[1], group="hypothesis")
installed = md.entry_points
md.entry_points = lambda **p: md.EntryPoints([entry_point]) if p.get("group") == "hypothesis" else installed(**p)
if sys.argv[2] == "strategies first":
    import ansinh.strategies
from hypothesis import given, settings, strategies as st
import ansinh
from ansinh.core.ledger import Ledger
@settings(max_examples=5, database=None)
@given(st.from_type(ansinh.Person), st.from_type(Ledger))
def t(person, ledger):
    assert person.province and ledger.state.event_count >= 0
t()
"""


def _fresh(*argv: str) -> subprocess.CompletedProcess[str]:
    src = str(Path(ansinh.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    env.pop("HYPOTHESIS_NO_PLUGINS", None)  # these tests are about the entry point
    return subprocess.run([sys.executable, "-c", *argv], capture_output=True, text=True, env=env, check=False)


def _entry_point() -> str:
    if not PYPROJECT.is_file():
        pytest.skip("pyproject.toml is not in this tree (installed package)")
    with PYPROJECT.open("rb") as fh:
        (value,) = tomllib.load(fh)["project"]["entry-points"]["hypothesis"].values()
    assert isinstance(value, str)
    return value


@pytest.mark.parametrize("order", ["hypothesis first", "strategies first"])
def test_the_entry_point_gives_from_type_in_a_fresh_interpreter(order: str) -> None:
    done = _fresh(_FRESH, _entry_point(), order)
    assert done.returncode == 0, done.stderr


def test_the_entry_point_of_older_installs_still_works() -> None:
    # Editable installs keep the entry point of the day they were installed.
    done = _fresh(_FRESH, "ansinh.strategies:_hypothesis_setup_hook", "strategies first")
    assert done.returncode == 0, done.stderr


def test_the_hook_module_imports_no_hypothesis() -> None:
    module = _entry_point().split(":")[0]
    code = f"import sys, {module}; assert 'hypothesis' not in sys.modules, 'hypothesis imported'"
    done = _fresh(code)
    assert done.returncode == 0, done.stderr


DOCUMENTS = sorted(ser.document_types().items())


@pytest.mark.parametrize(("name", "cl"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
@settings(max_examples=5)
@given(data=st.data())
def test_every_document_type_round_trips_through_its_envelope(
    name: str, cl: Any, data: st.DataObject
) -> None:
    strategy = ast.ledger_events() if cl is ledger.Event else ast.STRATEGIES[cl]()
    value = data.draw(strategy)
    document = json.loads(ser.dumps_document(value), parse_float=_refuse_float)
    assert document["type"] == name
    assert ser.load_document(document, cl) == value


@given(data=st.data())
def test_pricing_contexts_are_in_the_provinces_asked_for(data: st.DataObject) -> None:
    day = dt.date(2026, 1, 5)
    supports, lists = data.draw(ast.pricing_contexts(provinces=("01", "79"), in_force=day))
    assert {s.province for s in supports} <= {"01", "79"}
    assert {c.province for c in lists} <= {"01", "79"}
    assert all(c.effective <= day and c.until is None for c in lists)


def test_pricing_contexts_draw_age_bands_in_force_and_the_shipped_top_ups() -> None:
    from hypothesis import find

    from ansinh.plugins.local_support import shipped_local_supports

    day, shipped = dt.date(2026, 1, 5), shipped_local_supports()
    contexts = ast.pricing_contexts(provinces=("79",), in_force=day, shipped=shipped)
    drawn = find(
        contexts,
        lambda c: c[0] != shipped and any(s.group_ages and s.applies("79", s.product, day) for s in c[0]),
    )
    assert drawn[0]
    assert all(s.province == "79" for s in drawn[0])
    assert find(contexts, lambda c: c[0] == shipped)[0] == shipped
    with pytest.raises(InvalidValueError, match="provinces"):
        ast.pricing_contexts(provinces=(), in_force=day)
