"""The plugin host: loading, blocking, overriding, and reporting faulty plugins."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Iterator, Mapping
from fractions import Fraction
from pathlib import Path

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ansinh
from ansinh import strategies
from ansinh.core.campaign import Campaign, Earmark, EarmarkKind
from ansinh.core.law import Citation, DatedValue, Parameter, ParamKind, RateTable, SourceStatus
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError, PluginError, PluginLoadWarning
from ansinh.hookspecs import hookimpl
from ansinh.plugin_manager import (
    BUILTIN_PLUGINS,
    DISABLE_ENV,
    Contribution,
    PluginHost,
    disabled_plugins,
    get_plugin_manager,
)
from ansinh.plugins.local_support import shipped_local_supports
from ansinh.plugins.sourcing import WorkplaceDrive
from ansinh.testing import plugin_host, sample_person

ON = dt.date(2026, 3, 1)


def _support(code: str = "hanoi-vsi-2026", province: str = "01", other: str = "0.3") -> LocalSupport:
    return LocalSupport(
        code=code,
        province=province,
        product=ProductKind.SOCIAL_BOOK,
        effective=dt.date(2026, 1, 1),
        until=None,
        rates=RateTable((("other", Fraction(other)),)),
        citation=Citation("Nghị quyết thử"),
        status=SourceStatus.SCENARIO,
        label_vi="Thử",
        label_en="Test",
    )


def _param(name: str, value: int) -> Parameter:
    return Parameter(
        name=name,
        kind=ParamKind.AMOUNT,
        unit="VND",
        label_vi=name,
        label_en=name,
        values=(
            DatedValue(
                effective=dt.date(2026, 1, 1),
                until=None,
                value=value,
                citation=Citation("Quyết định thử"),
                status=SourceStatus.SCENARIO,
            ),
        ),
    )


@pytest.fixture
def host() -> PluginHost:
    """A fresh host with the built-ins only (no installed plugins)."""
    return get_plugin_manager(load_entrypoints=False)


# -- building -------------------------------------------------------------------


def test_builtins_registered_like_plugins_and_trylast(host: PluginHost) -> None:
    infos = {p.name: p for p in host.plugins()}
    assert tuple(infos) == BUILTIN_PLUGINS
    assert infos["ansinh.local_support"].hooks == ("ansinh_local_support",)
    assert infos["ansinh.sourcing"].hooks == ("ansinh_sourcing_strategies",)
    assert all(p.builtin and p.distribution == "ansinh" for p in infos.values())
    assert all(p.version == ansinh.__version__ and not p.broken for p in infos.values())
    for caller_name in ("ansinh_local_support", "ansinh_sourcing_strategies"):
        impls = getattr(host.manager.hook, caller_name).get_hookimpls()
        assert impls
        assert all(i.trylast for i in impls)
    assert "built-in" in host.describe()


def test_each_call_builds_a_fresh_host() -> None:
    a = get_plugin_manager(load_entrypoints=False)
    b = get_plugin_manager(load_entrypoints=False)
    a.unregister("ansinh.local_support")
    assert not a.is_registered("ansinh.local_support")
    assert b.is_registered("ansinh.local_support")


def test_blocked_builtin_really_blocks() -> None:
    host = get_plugin_manager(load_entrypoints=False, blocked=["ansinh.local_support"])
    assert not host.is_registered("ansinh.local_support")
    assert host.all_local_supports() == ()
    with pytest.raises(PluginError, match="blocked"):
        host.register(object(), "ansinh.local_support")


def test_blocked_must_be_names() -> None:
    with pytest.raises(InvalidValueError, match="blocked"):
        get_plugin_manager(load_entrypoints=False, blocked="ansinh.sourcing")
    with pytest.raises(InvalidValueError, match="blocked"):
        get_plugin_manager(load_entrypoints=False, blocked=[""])


def test_without_builtins_is_empty() -> None:
    host = get_plugin_manager(load_entrypoints=False, builtins=False)
    assert host.plugins() == ()
    assert host.describe() == "no plugins"
    assert host.sourcing_strategies() == ()


def test_host_refuses_foreign_manager() -> None:
    with pytest.raises(InvalidValueError, match="manager"):
        PluginHost(pluggy.PluginManager("pytest"))


def test_host_adds_specs_to_bare_ansinh_manager() -> None:
    host = PluginHost(pluggy.PluginManager("ansinh"))
    host.register(sys.modules[__name__].__class__("empty"))
    assert host.all_local_supports() == ()


# -- entry points -----------------------------------------------------------------


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake distribution on sys.path with one ``ansinh`` entry point."""
    (tmp_path / "fake_ansinh_plugin.py").write_text(
        textwrap.dedent(
            """
            import ansinh.hookspecs

            @ansinh.hookspecs.hookimpl
            def ansinh_priority(candidate, campaign):
                return (("fake.part", 7),)
            """
        ),
        encoding="utf-8",
    )
    info = tmp_path / "ansinh_fake-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ansinh-fake\nVersion: 1.2\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[ansinh]\nfake = fake_ansinh_plugin\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    sys.modules.pop("fake_ansinh_plugin", None)


def test_entry_points_are_loaded_with_their_distribution(installed: Path) -> None:
    host = get_plugin_manager()
    info = {p.name: p for p in host.plugins()}["fake"]
    assert (info.distribution, info.version, info.hooks) == ("ansinh-fake", "1.2", ("ansinh_priority",))
    assert not info.builtin
    assert "ansinh-fake 1.2" in host.describe()
    assert host.priority_parts(sample_person()) == (("fake.part", 7),)


def test_blocked_entry_point_is_not_loaded(installed: Path) -> None:
    host = get_plugin_manager(blocked=["fake"])
    assert not host.is_registered("fake")
    assert host.priority_parts(sample_person()) == ()


def test_no_entry_points_when_asked(installed: Path) -> None:
    assert not get_plugin_manager(load_entrypoints=False).is_registered("fake")


def test_broken_entry_point_is_skipped_with_one_warning(installed: Path) -> None:
    (installed / "fake_ansinh_plugin.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    with pytest.warns(PluginLoadWarning, match="boom") as caught:
        host = get_plugin_manager()
    assert [w.message.plugin for w in caught if isinstance(w.message, PluginLoadWarning)] == ["fake"]
    assert not host.is_registered("fake")
    assert host.is_registered("ansinh.local_support")  # the others still work
    info = {p.name: p for p in host.plugins()}["fake"]
    assert info.broken
    assert (info.distribution, info.version) == ("ansinh-fake", "1.2")
    assert "RuntimeError: boom" in (info.error or "")
    assert "BROKEN: RuntimeError: boom" in host.describe()


def test_broken_entry_point_raises_when_strict(installed: Path) -> None:
    (installed / "fake_ansinh_plugin.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    with pytest.raises(PluginError, match="boom") as info:
        get_plugin_manager(strict=True)
    assert (info.value.plugin, info.value.hook) == ("fake", "load")


def test_disabled_broken_plugin_is_not_loaded_at_all(installed: Path) -> None:
    (installed / "fake_ansinh_plugin.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    host = get_plugin_manager(blocked=disabled_plugins({DISABLE_ENV: "other, fake"}))
    assert "fake" not in {p.name for p in host.plugins()}


def test_entry_point_with_unknown_hook_is_skipped_and_unregistered(installed: Path) -> None:
    (installed / "fake_ansinh_plugin.py").write_text(
        "import ansinh.hookspecs\n\n@ansinh.hookspecs.hookimpl\ndef ansinh_not_a_hook():\n    return 1\n",
        encoding="utf-8",
    )
    with pytest.warns(PluginLoadWarning, match="ansinh_not_a_hook"):
        host = get_plugin_manager()
    assert not host.is_registered("fake")
    host.manager.check_pending()  # nothing of the broken plugin is left behind
    with pytest.raises(PluginError, match="ansinh_not_a_hook") as info:
        get_plugin_manager(strict=True)
    assert (info.value.plugin, info.value.hook) == ("fake", "check_pending")


def test_importing_ansinh_loads_no_plugins() -> None:
    code = (
        "import sys, ansinh, ansinh.api, ansinh.plugin_manager; "
        "print(any(m.startswith('ansinh.plugins.') for m in sys.modules), "
        "ansinh.api.default_plugins.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "0"]


# -- registration errors ----------------------------------------------------------


class _UnknownHook:
    @hookimpl
    def ansinh_no_such_hook(self) -> int:
        return 1


class _WrongArgs:
    @hookimpl
    def ansinh_priority(self, person: Person) -> None:
        return None


def test_unknown_hook_is_refused_and_unregistered() -> None:
    host = plugin_host()
    with pytest.raises(PluginError, match="ansinh_no_such_hook") as info:
        host.register(_UnknownHook(), "bad")
    assert info.value.hook == "check_pending"
    assert not host.is_registered("bad")


def test_wrong_arguments_are_refused() -> None:
    with pytest.raises(PluginError, match="person") as info:
        plugin_host().register(_WrongArgs(), "wrong")
    assert (info.value.plugin, info.value.hook) == ("wrong", "register")


def test_same_name_twice_is_refused() -> None:
    host = plugin_host()
    host.register(_Override(), "x")
    with pytest.raises(PluginError, match="x"):
        host.register(_Override(), "x")


# -- overriding and merging ------------------------------------------------------------


class _Override:
    @hookimpl
    def ansinh_local_support(
        self, province: str | None, product: ProductKind | None, on: dt.date | None
    ) -> tuple[LocalSupport, ...]:
        return (_support(),)


def test_province_plugin_overrides_builtin_by_code(host: PluginHost) -> None:
    before = host.local_supports(province="01", product=ProductKind.SOCIAL_BOOK, on=ON)
    assert [s.status for s in before] == [SourceStatus.CONFIRMED]
    host.register(_Override(), "override")
    after = host.local_supports(province="01", product=ProductKind.SOCIAL_BOOK, on=ON)
    assert [(s.code, s.status) for s in after] == [("hanoi-vsi-2026", SourceStatus.SCENARIO)]
    assert len(host.all_local_supports()) == len(shipped_local_supports())


def test_local_supports_filters_what_plugins_return() -> None:
    host = plugin_host(_Override())
    assert host.local_supports(province="56", product=ProductKind.SOCIAL_BOOK, on=ON) == ()
    assert host.local_supports(province="01", product=ProductKind.HEALTH_CARD, on=ON) == ()
    assert host.local_supports(province="01", product=ProductKind.SOCIAL_BOOK, on=dt.date(2025, 12, 31)) == ()
    assert len(host.local_supports(product=ProductKind.SOCIAL_BOOK, on=ON)) == 1


def test_local_supports_checks_arguments(host: PluginHost) -> None:
    with pytest.raises(InvalidValueError, match="product"):
        host.local_supports(product="card", on=ON)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="on"):
        host.local_supports(product=ProductKind.SOCIAL_BOOK, on=dt.datetime(2026, 1, 1))


class _Drive(WorkplaceDrive):
    pass


class _DriveVariant:
    @hookimpl
    def ansinh_sourcing_strategies(self) -> tuple[type[WorkplaceDrive], ...]:
        return (_Drive,)


def test_strategy_of_same_name_replaces_builtin(host: PluginHost) -> None:
    assert host.sourcing_strategy("workplace_drive") is WorkplaceDrive
    host.register(_DriveVariant())
    assert host.sourcing_strategy("workplace_drive") is _Drive
    assert len(host.sourcing_strategies()) == 6
    with pytest.raises(InvalidValueError, match="agricultural_sales"):
        host.sourcing_strategy("lottery")


class _Matcher:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    @hookimpl
    def ansinh_earmark_matches(self, earmark: Earmark, person: Person) -> object:
        return self.answer


def test_earmark_matches_stops_at_first_answer() -> None:
    earmark = Earmark(kind=EarmarkKind.WORKERS_RELATIVES, target="DN01")
    person = sample_person()
    assert plugin_host().earmark_matches(earmark, person) is None
    host = plugin_host()
    host.register(_Matcher(None), "silent")
    host.register(_Matcher(True), "yes")
    assert host.earmark_matches(earmark, person) is True
    host.register(_Matcher("yes"), "bad")
    with pytest.raises(PluginError, match="True, False or None") as info:
        host.earmark_matches(earmark, person)
    assert info.value.plugin == "bad"


# -- faulty plugins ------------------------------------------------------------------------


class _Raises:
    @hookimpl
    def ansinh_local_support(self) -> None:
        raise RuntimeError("database down")

    @hookimpl
    def ansinh_earmark_matches(self) -> None:
        raise KeyError("x")


class _WrongType:
    @hookimpl
    def ansinh_local_support(self) -> list[object]:
        return [_support(), "Hà Nội +10%"]

    @hookimpl
    def ansinh_priority(self) -> list[object]:
        return [("ok", 1), ("bool", True)]

    @hookimpl
    def ansinh_sourcing_strategies(self) -> list[object]:
        return [WorkplaceDrive(enterprises=())]


class _NotIterable:
    @hookimpl
    def ansinh_local_support(self) -> str:
        return "01"


class _LazyFailure:
    @hookimpl
    def ansinh_local_support(self) -> Iterator[LocalSupport]:
        yield _support()
        raise ValueError("half way")


@pytest.mark.parametrize(
    ("plugin", "message"),
    [
        (_Raises(), "RuntimeError: database down"),
        (_WrongType(), "expected LocalSupport"),
        (_NotIterable(), "expected an iterable"),
        (_LazyFailure(), "half way"),
    ],
)
def test_faulty_plugin_is_named_and_nothing_returned(plugin: object, message: str) -> None:
    host = get_plugin_manager(load_entrypoints=False)
    before = host.all_local_supports()
    host.register(plugin, "faulty")
    with pytest.raises(PluginError, match=message) as info:
        host.local_supports(province="01", product=ProductKind.SOCIAL_BOOK, on=ON)
    assert (info.value.plugin, info.value.hook) == ("faulty", "ansinh_local_support")
    assert "faulty" in str(info.value)
    assert "ansinh_local_support" in str(info.value)
    host.unregister("faulty")
    assert host.all_local_supports() == before


def test_wrong_types_in_other_hooks() -> None:
    host = plugin_host(_WrongType())
    with pytest.raises(PluginError, match="pairs") as info:
        host.priority_parts(sample_person())
    assert info.value.hook == "ansinh_priority"
    with pytest.raises(PluginError, match="SourcingStrategy class"):
        host.sourcing_strategies()
    with pytest.raises(PluginError, match="KeyError"):
        plugin_host(_Raises()).earmark_matches(Earmark(kind=EarmarkKind.MEMBERS, target="x"), sample_person())


class _Wrapper:
    @hookimpl(wrapper=True)
    def ansinh_local_support(self) -> Iterator[None]:
        return (yield)


def test_hook_wrappers_are_refused() -> None:
    with pytest.raises(PluginError, match="wrappers"):
        plugin_host(_Wrapper()).all_local_supports()


def test_priority_parts_needs_a_person() -> None:
    with pytest.raises(InvalidValueError, match="person"):
        plugin_host().priority_parts("someone")  # type: ignore[arg-type]


# -- parameters ----------------------------------------------------------------------------


class _Params:
    def __init__(self, *params: Parameter) -> None:
        self.params = params

    @hookimpl
    def ansinh_parameters(self) -> tuple[Parameter, ...]:
        return self.params


def test_new_parameters_extend_the_law() -> None:
    host = plugin_host(_Params(_param("hy_drive_amount", 50_000)))
    law = default_law()
    (param,) = host.parameters(law)
    assert param.name == "hy_drive_amount"
    extended = host.law_with_parameters(law)
    assert extended.value("hy_drive_amount", on=ON) == 50_000
    assert extended.value("base_salary", on=ON) == law.value("base_salary", on=ON)
    assert plugin_host().law_with_parameters(law) is law


def test_identical_law_parameter_is_not_a_conflict() -> None:
    law = default_law()
    host = plugin_host(_Params(law.parameter("base_salary")))
    assert host.parameters(law) == ()


def test_conflict_with_the_law_is_a_plugin_error() -> None:
    host = plugin_host()
    host.register(_Params(_param("base_salary", 9_999_999)), "greedy")
    with pytest.raises(PluginError, match="conflicts with the law") as info:
        host.parameters()
    assert (info.value.plugin, info.value.hook) == ("greedy", "ansinh_parameters")
    assert default_law().value("base_salary", on=ON) == 2_340_000


def test_two_plugins_disagreeing_is_a_plugin_error() -> None:
    host = plugin_host()
    host.register(_Params(_param("hy_x", 1)), "a")
    host.register(_Params(_param("hy_x", 2)), "b")
    with pytest.raises(PluginError, match="also contributed"):
        host.parameters()
    same = plugin_host()
    same.register(_Params(_param("hy_x", 1)), "a")
    same.register(_Params(_param("hy_x", 1)), "b")
    assert len(same.parameters()) == 1


def test_inconsistent_parameter_history_is_a_plugin_error() -> None:
    bad = Parameter(
        name="hy_bad",
        kind=ParamKind.AMOUNT,
        unit="VND",
        label_vi="x",
        label_en="x",
        values=(),
    )
    with pytest.raises(PluginError, match="no values"):
        plugin_host(_Params(bad)).parameters()


def test_objects_are_named_after_their_class() -> None:
    host = plugin_host(_Override(), _Override())
    assert [p.name for p in host.plugins()] == ["_Override", "_Override-2"]
    assert host.register(sys.modules[__name__]) == __name__


# -- what each plugin contributes, and its settings ------------------------------------


class _Settled:
    """A plugin whose priority reads its ``[plugins.NAME]`` settings."""

    @hookimpl
    def ansinh_priority(self, candidate: Person, settings: object) -> tuple[tuple[str, int], ...]:
        assert isinstance(settings, Mapping)
        return (("t.points", int(settings.get("points", 0))),) if settings else ()


def test_plugins_list_what_each_contributes(host: PluginHost) -> None:
    infos = {p.name: p for p in host.plugins(contributions=True)}
    strategies = infos["ansinh.sourcing"].contributes
    assert [c.kind for c in strategies] == ["strategies"]
    assert "workplace_drive" in strategies[0].names
    (top_ups,) = infos["ansinh.local_support"].contributes
    assert top_ups.kind == "top_ups"
    assert "hanoi-vsi-2026" in top_ups.names
    assert "  strategies: " in host.describe(contributions=True)
    assert host.plugins()[0].contributes == ()


def test_a_plugin_failing_when_listed_is_shown_broken(host: PluginHost) -> None:
    host.register(_BrokenRules(), "bad")
    info = {p.name: p for p in host.plugins(contributions=True)}["bad"]
    assert info.broken
    assert "ansinh_eligibility_rules" in (info.error or "")
    assert Contribution("rules", ("X",)) not in info.contributes


def test_settings_reach_only_their_plugin(host: PluginHost) -> None:
    host.register(_Settled(), "settled")
    assert host.priority_parts(sample_person()) == ()
    configured = host.configured({"settled": {"points": 4}})
    assert configured.priority_parts(sample_person()) == (("t.points", 4),)
    assert configured.settings_of("ansinh.sourcing") == {}
    with pytest.raises(TypeError):
        configured.settings_of("settled")["points"] = 5  # type: ignore[index]


def test_settings_for_an_unknown_plugin_are_refused(host: PluginHost) -> None:
    with pytest.raises(InvalidValueError, match=r"plugins\.setled"):
        host.configured({"setled": {"points": 4}})
    with pytest.raises(InvalidValueError, match="a table"):
        host.configured({"ansinh.sourcing": 4})  # type: ignore[dict-item]


class _BrokenRules:
    @hookimpl
    def ansinh_eligibility_rules(self, product: ProductKind) -> object:
        raise RuntimeError("no rules today")


def test_sponsor_kinds_are_listed_as_contributions(host: PluginHost) -> None:
    from ansinh.core.campaign import LocalSponsorKind

    class Cooperatives:
        @hookimpl
        def ansinh_sponsor_kinds(self) -> tuple[LocalSponsorKind, ...]:
            return (LocalSponsorKind(code="hop_tac_xa", label_vi="hợp tác xã", label_en="cooperative"),)

    host.register(Cooperatives(), "coops")
    info = {p.name: p for p in host.plugins(contributions=True)}["coops"]
    assert info.contributes == (Contribution("sponsor_kinds", ("hop_tac_xa",)),)


# -- the priority function -------------------------------------------------------------------


class _Points:
    @hookimpl
    def ansinh_priority(self, candidate: Person) -> tuple[tuple[str, int], ...]:
        return (("t.near_poor", 3),) if candidate.categories else ()


@settings(max_examples=40)
@given(person=strategies.people(), campaign=st.none() | strategies.campaigns(), plugged=st.booleans())
def test_priority_function_is_priority_parts(
    person: Person, campaign: Campaign | None, plugged: bool
) -> None:
    """Without a priority plugin the function answers ``()`` without the hook; with one, or one
    registered after the function was made, it is :meth:`PluginHost.priority_parts`."""
    host = plugin_host()
    parts = host.priority_function(campaign)
    assert parts(person) == host.priority_parts(person, campaign) == ()
    if plugged:
        host.register(_Points(), "points")
        assert parts(person) == host.priority_parts(person, campaign)
        assert parts(person) == ((("t.near_poor", 3),) if person.categories else ())


def test_priority_function_needs_a_person() -> None:
    with pytest.raises(InvalidValueError, match="person"):
        plugin_host().priority_function()("someone")  # type: ignore[arg-type]
