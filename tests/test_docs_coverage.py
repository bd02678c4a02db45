"""Every public name has a docstring and a place in the reference documentation.

Public modules are found by walking the package (names starting with ``_``
are private); a module's public names are its ``__all__``.  The documentation
is read as text: a module is documented by an ``automodule`` directive
(which documents its whole ``__all__`` unless ``:no-members:`` is given), a
single name by a directive naming it in full (``autofunction::
ansinh.hookspecs.ansinh_priority``).  The names ``import ansinh`` gives are
listed by the ``ansinh-exports`` directive and documented where they are
defined.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import itertools
import pkgutil
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

import ansinh

DOCS = Path(__file__).resolve().parent.parent / "docs"

pytestmark = pytest.mark.skipif(not DOCS.is_dir(), reason="the docs are not in this tree (installed package)")


def _public_module_names() -> list[str]:
    names = ["ansinh"]
    for info in pkgutil.walk_packages(ansinh.__path__, "ansinh."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        names.append(info.name)
    return sorted(names)


MODULES = _public_module_names()


def _import(name: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:  # an optional dependency (numpy, openpyxl …) is missing
        if exc.name and not exc.name.startswith("ansinh"):
            pytest.skip(f"{name} needs {exc.name}")
        raise


@functools.cache
def _docs_text() -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*")) if p.suffix in (".rst", ".md")]
    return "\n".join(parts)


def _automodule_options(module: str) -> str | None:
    """The option lines of the ``automodule`` directive for *module*, or ``None`` if there is none."""
    pattern = re.compile(
        r"^[ \t]*(?:\.\.[ \t]+|```\{)automodule(?::: |\}[ \t]*)"
        + re.escape(module)
        + r"[ \t]*\n((?:[ \t]+:.*\n|:.*\n)*)",
        re.MULTILINE,
    )
    match = pattern.search(_docs_text())
    return None if match is None else match.group(1)


def _documents_members(module: str, name: str | None = None) -> bool:
    """Whether the ``automodule`` of *module* documents its ``__all__`` (and *name* is not excluded)."""
    options = _automodule_options(module)
    if options is None or ":no-members:" in options or re.search(r":members:[ \t]*\S", options):
        return False
    excluded = re.search(r":exclude-members:(.*)", options)
    return name is None or excluded is None or name not in {n.strip() for n in excluded.group(1).split(",")}


def _mentions(module: str) -> bool:
    return (
        _automodule_options(module) is not None
        or re.search(r"(module|currentmodule)::\s*" + re.escape(module) + r"\s*$", _docs_text(), re.MULTILINE)
        is not None
    )


@functools.cache
def _attribute_docs(module: str) -> frozenset[str]:
    """Module-level names assigned in *module* and followed by a string (an attribute docstring)."""
    mod = importlib.import_module(module)
    try:
        source = inspect.getsource(mod)
    except (OSError, TypeError):
        return frozenset()
    names: set[str] = set()
    body = ast.parse(source).body
    for node, nxt in itertools.pairwise(body):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if (
            isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
            and nxt.value.value.strip()
        ):
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return frozenset(names)


def _has_docstring(module: ModuleType, name: str) -> bool:
    obj = getattr(module, name)
    if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.ismodule(obj) or inspect.ismethod(obj):
        return bool((obj.__doc__ or "").strip())
    wrapped = getattr(obj, "__wrapped__", None)
    if inspect.isfunction(wrapped):  # functools.cache and friends keep the function's docstring
        return bool((obj.__doc__ or "").strip())
    # A value (constant, type alias, marker): its docstring is the string after the assignment,
    # in this module or in the one it is imported from.
    loaded = sorted(m for m in sys.modules if m == "ansinh" or m.startswith("ansinh."))
    return any(
        name in _attribute_docs(m)
        for m in loaded
        if m == module.__name__ or getattr(sys.modules[m], name, _MISSING) is obj
    )


_MISSING = object()


def _import_quiet(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def _documented(module: ModuleType, name: str) -> bool:
    """Whether some public module that exports this very object documents it."""
    obj = getattr(module, name)
    for other in MODULES:
        mod = module if other == module.__name__ else _import_quiet(other)
        if mod is None or name not in getattr(mod, "__all__", ()) or getattr(mod, name) is not obj:
            continue
        if _documents_members(other, name) or f"{other}.{name}" in _docs_text():
            return True
    return False


def test_the_public_modules_are_found() -> None:
    assert {"ansinh", "ansinh.core.law", "ansinh.cli", "ansinh.serialization"} <= set(MODULES)
    assert "ansinh.__main__" not in MODULES


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_a_docstring(module_name: str) -> None:
    module = _import(module_name)
    assert (module.__doc__ or "").strip(), f"module {module_name} has no docstring"
    names = getattr(module, "__all__", None)
    if names is None:
        public = [
            n for n in vars(module) if not n.startswith("_") and not inspect.ismodule(getattr(module, n))
        ]
        assert not public, f"{module_name} has public names {public} but no __all__"
        return
    missing = [n for n in names if n != "__version__" and not _has_docstring(module, n)]
    assert not missing, f"{module_name}: no docstring for {missing}"


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_module_is_in_the_reference(module_name: str) -> None:
    module = _import(module_name)
    if not hasattr(module, "__all__") and hasattr(module, "__path__"):
        # A package with no names of its own: documenting its modules is enough.
        assert _mentions(module_name) or any(_mentions(m) for m in MODULES if m.startswith(module_name + "."))
        return
    assert _mentions(module_name), f"no automodule (or module) directive for {module_name} in docs/"
    if module_name == "ansinh":
        return  # its names are documented where they are defined (next test)
    undocumented = [n for n in getattr(module, "__all__", ()) if not _documented(module, n)]
    assert not undocumented, f"{module_name}: {undocumented} do not appear in the reference docs"


def test_every_name_of_the_package_is_in_the_reference() -> None:
    assert ".. ansinh-exports::" in _docs_text()
    for name in ansinh.__all__:
        obj = getattr(ansinh, name)
        if name == "__version__":
            continue
        home = getattr(obj, "__module__", None)
        if not isinstance(home, str) or not home.startswith("ansinh.") or not hasattr(obj, "__qualname__"):
            homes = [m for m in MODULES if m != "ansinh" and name in getattr(_import_quiet(m), "__all__", ())]
            assert homes, f"ansinh.{name} is defined in no public module's __all__"
            home = homes[0]
        assert home in MODULES, f"ansinh.{name} is defined in the private module {home}"
        module = importlib.import_module(home)
        assert name in getattr(module, "__all__", ()) or f"{home}.{name}" in _docs_text(), (
            f"ansinh.{name} is not in {home}.__all__, so the reference does not document it"
        )
        assert _documents_members(home, name) or f"{home}.{name}" in _docs_text(), f"{home} is not documented"
