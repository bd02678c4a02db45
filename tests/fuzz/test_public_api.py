"""Fuzz every name of ``ansinh.__all__`` that takes input: only AnsinhError escapes, no identifier leaks.

Short here (a few examples per name); ``nox -s fuzz`` runs long (``ANSINH_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ansinh
from ansinh.exceptions import AnsinhError

from ._values import CCCD, HOSTILE, UNMASKED, campaign, law, person, valid_by_name

VALID = valid_by_name()

pytestmark = [pytest.mark.fuzz, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

EXAMPLES = int(os.environ.get("ANSINH_FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("ANSINH_FUZZ_EXAMPLES"),
)

# Names that take no input from a caller worth fuzzing, or that are not called with data.
_SKIP = {
    "__version__",
    "default_law",  # no arguments
    "hookimpl",  # pluggy's marker: decorates a function
    "Rule",  # protocols
    "SourcingStrategy",
    "run_campaign",  # has its own fuzz test (a folder on disk)
}


def _callables() -> list[str]:
    names = []
    for name in ansinh.__all__:
        obj = getattr(ansinh, name)
        if name in _SKIP or not callable(obj):
            continue
        if isinstance(obj, type) and issubclass(obj, BaseException):
            continue
        names.append(name)
    return names


def check_error(exc: BaseException) -> None:
    """An error is an AnsinhError whose message never shows a nine-or-more-digit run."""
    if not isinstance(exc, AnsinhError):
        raise AssertionError(f"{type(exc).__name__} escaped: {exc!r}"[:2000]) from exc
    text = str(exc)
    assert not UNMASKED.search(text), text[:500]


def call(func: Callable[..., Any], args: list[Any], kwargs: dict[str, Any]) -> Any:
    try:
        return func(*args, **kwargs)
    except Exception as exc:
        check_error(exc)
        return None


def _arguments(data: st.DataObject, func: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    if isinstance(func, type) and issubclass(func, enum.Enum):
        return [data.draw(HOSTILE, label="value")], {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in inspect.signature(func).parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty and not data.draw(st.booleans(), label=f"give {p.name}"):
            continue
        # mostly valid where a valid value is known, so that the hostile one reaches deeper checks
        if p.name in VALID and data.draw(st.integers(0, 3), label=f"break {p.name}"):
            value = VALID[p.name]
        else:
            value = data.draw(HOSTILE, label=p.name)
        if p.kind is p.POSITIONAL_ONLY or (p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty):
            args.append(value)
        else:
            kwargs[p.name] = value
    return args, kwargs


@pytest.mark.parametrize("name", _callables())
@FUZZ
@given(data=st.data())
def test_only_ansinh_errors_escape(name: str, data: st.DataObject) -> None:
    func = getattr(ansinh, name)
    args, kwargs = _arguments(data, func)
    call(func, args, kwargs)


_METHODS: dict[str, Callable[[], Callable[..., Any]]] = {
    "Law.value": lambda: law().value,
    "Law.at": lambda: law().at,
    "Law.amend": lambda: law().amend,
    "Law.parameter": lambda: law().parameter,
    "Ledger.append": lambda: ansinh.Ledger(campaign(), law=law()).append,
    "Ledger.extend": lambda: ansinh.Ledger(campaign(), law=law()).extend,
    "Quote.explain": lambda: ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2026, 1, 5)).explain,
    "Person.age_on": lambda: person().age_on,
}


@pytest.mark.parametrize("name", sorted(_METHODS))
@FUZZ
@given(data=st.data())
def test_methods_only_raise_ansinh_errors(name: str, data: st.DataObject) -> None:
    method = _METHODS[name]()
    args, kwargs = _arguments(data, method)
    call(method, args, kwargs)


def test_the_planted_identifier_is_twelve_digits() -> None:
    assert UNMASKED.fullmatch(CCCD)


@FUZZ
@given(folder=HOSTILE)
def test_run_campaign_with_hostile_folders(tmp_path_factory: pytest.TempPathFactory, folder: Any) -> None:
    out = tmp_path_factory.mktemp("out")
    call(ansinh.run_campaign, [folder], {"out": Path(out), "plugins": False})
