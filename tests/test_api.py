"""The public functions gather plugin contributions and pass them to the core."""

from __future__ import annotations

import datetime as dt

import attrs
import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import api, hookspecs
from ansinh import strategies as ast
from ansinh.core.allocation import Candidate
from ansinh.core.campaign import Campaign, Earmark, EarmarkKind, Pledge, Sponsor
from ansinh.core.eligibility import CheckContext, FunctionRule, Reason, Rule
from ansinh.core.ledger import Ledger, LedgerState, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, PluginError
from ansinh.hookspecs import hookimpl
from ansinh.plugin_manager import PluginHost
from ansinh.plugins import local_support
from ansinh.testing import plugin_host, sample_campaign, sample_people, sample_person

LAW = default_law()

ON = dt.date(2026, 3, 1)
BOOK = SocialBook(months=1)


def _over_70(ctx: CheckContext) -> Reason | None:
    if ctx.age >= 70:
        return Reason("HY_OVER_70", True, "Từ 70 tuổi: đã có thẻ BHYT do ngân sách.", "70 or over.")
    return None


class _LocalRules:
    @hookimpl
    def ansinh_eligibility_rules(self, product: ProductKind) -> tuple[Rule, ...]:
        return (FunctionRule("HY_OVER_70", _over_70),) if product is ProductKind.HEALTH_CARD else ()


class _Flood:
    @hookimpl
    def ansinh_priority(self, candidate: Person, campaign: Campaign | None) -> tuple[tuple[str, int], ...]:
        return (("hy.flood", 100),) if Category.ETHNIC_MINORITY in candidate.categories else ()


class _BrokenRule:
    def __init__(self, result: object) -> None:
        self.result = result

    @hookimpl
    def ansinh_eligibility_rules(self) -> tuple[Rule, ...]:
        def evaluate(ctx: CheckContext) -> Reason | None:
            if isinstance(self.result, Exception):
                raise self.result
            return self.result  # type: ignore[return-value]

        return (FunctionRule("BROKEN", evaluate),)


class _BrokenSupport:
    @hookimpl
    def ansinh_local_support(self) -> list[object]:
        return ["Hà Nội +10%"]


class _BrokenPriority:
    @hookimpl
    def ansinh_priority(self) -> object:
        return 5


# -- choosing plugins -----------------------------------------------------------------------


def test_default_plugins_are_the_installed_ones_built_once() -> None:
    first = api.default_plugins()
    assert api.default_plugins() is first
    assert first.is_registered("ansinh.local_support")
    q = api.price(BOOK, sample_person(province="01"), on=ON)
    assert (q.local_support, q.payable) == (33_000, 231_000)
    assert api.resolve_plugins(None) is first


def test_plugins_false_means_none() -> None:
    assert api.resolve_plugins(False) is None
    q = api.price(BOOK, sample_person(province="01"), on=ON, plugins=False)
    assert (q.local_support, q.payable) == (0, 264_000)


def test_an_empty_host_means_none() -> None:
    assert api.price(BOOK, sample_person(province="01"), on=ON, plugins=plugin_host()).local_support == 0


def test_a_pluggy_manager_is_accepted() -> None:
    pm = pluggy.PluginManager("ansinh")
    pm.add_hookspecs(hookspecs)
    pm.register(local_support)
    assert api.price(BOOK, sample_person(province="01"), on=ON, plugins=pm).local_support == 33_000


@pytest.mark.parametrize("bad", ["ansinh", 1, object()])
def test_other_plugin_values_are_refused(bad: object) -> None:
    with pytest.raises(InvalidValueError, match="plugins"):
        api.price(BOOK, on=ON, plugins=bad)  # type: ignore[arg-type]


def test_bad_product_is_reported_by_the_core() -> None:
    with pytest.raises(InvalidValueError, match="product"):
        api.price("card", sample_person(), on=ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="product"):
        api.check(sample_person(), "card", on=ON)  # type: ignore[arg-type]


# -- check and screen ----------------------------------------------------------------------


def test_check_uses_plugin_rules() -> None:
    host = plugin_host(_LocalRules())
    old = sample_person(date_of_birth=dt.date(1950, 1, 1))
    decision = api.check(old, HealthCard(months=12), on=ON, plugins=host)
    assert not decision.eligible
    assert "HY_OVER_70" in decision.codes
    assert api.check(old, HealthCard(months=12), on=ON, plugins=False).eligible
    assert "HY_OVER_70" not in api.check(old, BOOK, on=ON, plugins=host).codes


def test_screen_uses_plugin_rules_and_priority() -> None:
    host = plugin_host(_LocalRules(), _Flood())
    people = (
        *sample_people(province="33"),
        sample_person(id="old", province="33", date_of_birth=dt.date(1950, 1, 1)),
    )
    result = api.screen(people, HealthCard(months=12), on=ON, campaign=sample_campaign(), plugins=host)
    assert result.eligible[0].person.id == "33-ethnic"
    assert ("hy.flood", 100) in result.eligible[0].priority.parts
    assert [d.person.id for d in result.ineligible if "HY_OVER_70" in d.codes] == ["old"]
    plain = api.screen(people, HealthCard(months=12), on=ON, plugins=False)
    assert all(("hy.flood", 100) not in d.priority.parts for d in plain.eligible)


def test_screen_checks_campaign() -> None:
    with pytest.raises(InvalidValueError, match="campaign"):
        api.screen(sample_people(), BOOK, on=ON, campaign="BN2026", plugins=plugin_host())  # type: ignore[arg-type]


# -- faulty plugins leave everything unchanged ----------------------------------------------


def test_faulty_local_support_raises_before_pricing() -> None:
    host = plugin_host(local_support)
    host.register(_BrokenSupport(), "broken")
    with pytest.raises(PluginError, match="LocalSupport") as info:
        api.price(BOOK, sample_person(province="01"), on=ON, plugins=host)
    assert (info.value.plugin, info.value.hook) == ("broken", "ansinh_local_support")
    host.unregister("broken")
    assert api.price(BOOK, sample_person(province="01"), on=ON, plugins=host).local_support == 33_000


@pytest.mark.parametrize(
    ("result", "message"),
    [(RuntimeError("no roster"), "RuntimeError: no roster"), ("ok", "expected a Reason")],
)
def test_faulty_rule_is_named(result: object, message: str) -> None:
    host = plugin_host()
    host.register(_BrokenRule(result), "broken")
    with pytest.raises(PluginError, match=message) as info:
        api.check(sample_person(), BOOK, on=ON, plugins=host)
    assert (info.value.plugin, info.value.hook) == ("broken", "ansinh_eligibility_rules")


def test_faulty_priority_leaves_the_people_unchanged() -> None:
    host = plugin_host()
    host.register(_BrokenPriority(), "broken")
    people = list(sample_people())
    copy = [attrs.evolve(p) for p in people]
    with pytest.raises(PluginError, match="iterable") as info:
        api.screen(people, BOOK, on=ON, plugins=host)
    assert info.value.hook == "ansinh_priority"
    assert people == copy


def test_local_supports_for_without_person_or_kind() -> None:
    host = plugin_host(local_support)
    assert api.local_supports_for(BOOK, None, on=ON, plugins=host) == ()
    assert api.local_supports_for(BOOK, sample_person(), on=ON, plugins=None) == ()
    supports = api.local_supports_for(BOOK, sample_person(province="01"), on=ON, plugins=host)
    assert [s.code for s in supports] == ["hanoi-vsi-2026"]
    assert all(isinstance(s, LocalSupport) for s in supports)


# -- allocation ------------------------------------------------------------------------------


class _Relatives:
    """Knows that person ``33-poor`` is a relative of a worker of DN01."""

    @hookimpl
    def ansinh_earmark_matches(self, earmark: Earmark, person: Person) -> bool | None:
        if earmark.kind is not EarmarkKind.WORKERS_RELATIVES or earmark.target != "DN01":
            return None
        return person.id in ("33-poor", "33-farm")


def _drive_ledger() -> LedgerState:
    ledger = Ledger(sample_campaign(), law=LAW)
    pledge = Pledge(
        id="P1",
        sponsor_id="DN01",
        units=((ProductKind.HEALTH_CARD, 1),),
        earmark=Earmark(kind=EarmarkKind.WORKERS_RELATIVES, target="DN01"),
    )
    ledger.append(
        PledgeRegistered(
            event_id="e1",
            on=dt.date(2025, 11, 1),
            sponsor=Sponsor(id="DN01", name="Công ty May", kind="enterprise"),
            pledge=pledge,
        )
    )
    return ledger.state


def test_allocate_uses_plugin_earmark_knowledge_and_top_ups() -> None:
    state = _drive_ledger()
    people = sample_people(province="33")
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in people]
    host = plugin_host(_Relatives(), local_support)
    assert api.affiliations_from_plugins(state, candidates, plugins=host) == {
        "33-poor": ("DN01",),
        "33-farm": ("DN01",),
    }
    result = api.allocate(state, candidates, on=dt.date(2026, 1, 5), plugins=host)
    # the poor relative's card costs a donor nothing (the state pays it all): the unit goes on
    assert [g.person_id for g in result.gifts] == ["33-farm"]
    without = api.allocate(state, candidates, on=dt.date(2026, 1, 5), plugins=False)
    assert without.gifts == ()
    assert [lo.pledge_id for lo in without.leftovers] == ["P1"]
    given = api.allocate(
        state, candidates, on=dt.date(2026, 1, 5), plugins=False, affiliations={"33-farm": ["DN01"]}
    )
    assert [g.person_id for g in given.gifts] == ["33-farm"]


def test_allocate_faulty_earmark_plugin_allocates_nothing() -> None:
    state = _drive_ledger()
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in sample_people(province="33")]
    host = plugin_host()
    host.register(_BrokenEarmark(), "broken")
    with pytest.raises(PluginError) as info:
        api.allocate(state, candidates, on=dt.date(2026, 1, 5), plugins=host)
    assert (info.value.plugin, info.value.hook) == ("broken", "ansinh_earmark_matches")
    assert state.pledge("P1").units_left(ProductKind.HEALTH_CARD) == 1


def _pledged(earmarks: list[Earmark | None]) -> LedgerState:
    """A ledger with one pledge of money per earmark."""
    ledger = Ledger(sample_campaign(), law=LAW)
    for n, earmark in enumerate(earmarks):
        ledger.append(
            PledgeRegistered(
                event_id=f"e{n}",
                on=dt.date(2025, 11, 1),
                sponsor=Sponsor(id="DN01", name="Công ty May", kind="enterprise"),
                pledge=Pledge(id=f"P{n}", sponsor_id="DN01", money=1_000_000, earmark=earmark),
            )
        )
    return ledger.state


def test_affiliations_from_plugins_asks_nothing_without_such_earmarks() -> None:
    state = _pledged([None, Earmark(kind=EarmarkKind.CATEGORY, target="poor")])
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in sample_people(province="33")]
    host = plugin_host()
    host.register(_BrokenEarmark(), "broken")  # raises if it is asked at all
    assert api.affiliations_from_plugins(state, candidates, plugins=host) == {}


class _Knows:
    """Answers by the parity of the lengths of the earmark's target and the person's id (not for ids ending in 0)."""

    @hookimpl
    def ansinh_earmark_matches(self, earmark: Earmark, person: Person) -> bool | None:
        if person.id.endswith("0"):
            return None
        return (len(earmark.target) + len(person.id)) % 2 == 0


def _asked_about_everyone(
    state: LedgerState, candidates: list[Candidate], host: PluginHost
) -> dict[str, tuple[str, ...]]:
    """The plain path: every candidate asked about every workers' relatives or members earmark."""
    earmarks = {
        b.pledge.earmark
        for b in state.pledges
        if b.pledge.earmark is not None
        and b.pledge.earmark.kind in (EarmarkKind.WORKERS_RELATIVES, EarmarkKind.MEMBERS)
    }
    out: dict[str, tuple[str, ...]] = {}
    for c in candidates:
        targets = {e.target for e in earmarks if host.earmark_matches(e, c.person) is True}
        if targets:
            out[c.person.id] = tuple(sorted({*out.get(c.person.id, ()), *targets}))
    return out


@settings(max_examples=40, deadline=None)
@given(earmarks=st.lists(st.none() | ast.earmarks(), max_size=6), people=st.lists(ast.people(), max_size=6))
def test_affiliations_from_plugins_is_the_plain_path(
    earmarks: list[Earmark | None], people: list[Person]
) -> None:
    state = _pledged(earmarks)
    candidates = [Candidate(person=p, product=HealthCard(months=12)) for p in people]
    host = plugin_host(_Knows())
    assert api.affiliations_from_plugins(state, candidates, plugins=host) == _asked_about_everyone(
        state, candidates, host
    )


class _BrokenEarmark:
    @hookimpl
    def ansinh_earmark_matches(self) -> object:
        return "maybe"
