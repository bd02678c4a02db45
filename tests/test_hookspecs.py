"""Every hook is specified, typed and documented in one place."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

import pluggy
import pytest

from ansinh import hookspecs
from ansinh.core.campaign import Pledge, Sponsor, SponsorKind
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError
from ansinh.hookspecs import SourcingResult, SourcingStrategy
from ansinh.plugins.sourcing import BUILTIN_STRATEGIES

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _hooks() -> list[tuple[str, Callable[..., Any]]]:
    return [(name, fn) for name, fn in vars(hookspecs).items() if name.startswith("ansinh_") and callable(fn)]


HOOKS = _hooks()
HOOK_NAMES = [name for name, _ in HOOKS]


def _spec_opts(fn: Callable[..., Any]) -> dict[str, Any]:
    opts = getattr(fn, "ansinh_spec", None)
    assert isinstance(opts, dict), f"{fn.__name__} is not marked with @hookspec"
    return opts


def test_the_design_hooks_exist() -> None:
    assert set(HOOK_NAMES) >= {
        "ansinh_sourcing_strategies",
        "ansinh_local_support",
        "ansinh_eligibility_rules",
        "ansinh_priority",
        "ansinh_parameters",
    }


def test_markers_belong_to_the_ansinh_project() -> None:
    assert isinstance(hookspecs.hookimpl, pluggy.HookimplMarker)
    assert hookspecs.hookimpl.project_name == "ansinh" == hookspecs.PROJECT_NAME
    assert hookspecs.hookspec.project_name == "ansinh"


@pytest.mark.parametrize(("name", "fn"), HOOKS, ids=HOOK_NAMES)
def test_every_hook_is_documented_and_typed(name: str, fn: Callable[..., Any]) -> None:
    _spec_opts(fn)
    doc = inspect.getdoc(fn)
    assert doc, f"{name} has no docstring"
    params = list(inspect.signature(fn).parameters)
    for param in params:
        assert f":param {param}:" in doc, f"{name}: no ':param {param}:' line"
    assert ":return:" in doc, f"{name}: no ':return:' line"
    hints = get_type_hints(fn, vars(hookspecs) | {"Rule": object})
    assert set(hints) == {*params, "return"}, f"{name} is not fully typed"


@pytest.mark.parametrize(("name", "fn"), HOOKS, ids=HOOK_NAMES)
def test_firstresult_hooks_say_so(name: str, fn: Callable[..., Any]) -> None:
    said = "stops at first non-None result" in " ".join((inspect.getdoc(fn) or "").split())
    assert said == bool(_spec_opts(fn).get("firstresult")), name


def test_hook_reference_page_documents_every_hook() -> None:
    page = (DOCS / "reference" / "hooks.rst").read_text(encoding="utf-8")
    for name in HOOK_NAMES:
        assert f".. autofunction:: ansinh.hookspecs.{name}" in page, f"{name} missing from hooks.rst"


def test_howto_mentions_every_hook() -> None:
    page = (DOCS / "howto" / "write-a-plugin.md").read_text(encoding="utf-8")
    for name in HOOK_NAMES:
        assert name in page, f"{name} missing from write-a-plugin.md"


def test_builtin_strategies_satisfy_the_protocol() -> None:
    for cls in BUILTIN_STRATEGIES:
        assert isinstance(cls.name, str)
        assert isinstance(cls.label_vi, str)
        assert cls.label_en
        assert isinstance(cls.from_mapping({}), SourcingStrategy)


def test_sourcing_result_totals_and_validation() -> None:
    pledges = (
        Pledge(id="p1", sponsor_id="s", money=100_000),
        Pledge(id="p2", sponsor_id="s", units=((ProductKind.HEALTH_CARD, 3),)),
    )
    result = SourcingResult(
        strategy="x", sponsors=(Sponsor(id="s", name="S", kind=SponsorKind.BANK),), pledges=pledges
    )
    assert result.money == 100_000
    assert result.units_of(ProductKind.HEALTH_CARD) == 3
    with pytest.raises(InvalidValueError, match="pledges"):
        SourcingResult(strategy="x", pledges=[pledges[0]])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="assumptions"):
        SourcingResult(strategy="x", assumptions=(1,))  # type: ignore[arg-type]
