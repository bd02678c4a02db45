"""No module imports a private name (``_x``), or from a private module, of another package.

Inside one package (``ansinh.bulk`` and its ``_kernel``, ``ansinh.io.roster`` and
its modules) private names are shared freely; across packages only public
names are (a plugin never reaches into the core's internals).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
pytestmark = pytest.mark.skipif(not (SRC / "ansinh").is_dir(), reason="the sources are not in this tree")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _imports(path: Path) -> list[tuple[str, str]]:
    """``(module, name)`` for every absolute import from ansinh (name ``""`` for ``import ansinh.x``)."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("ansinh"):
            found += [(node.module or "", alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.startswith("ansinh")]
    return found


def _crossings(src: Path) -> list[str]:
    bad = []
    for path in sorted((src / "ansinh").rglob("*.py")):
        parts = path.relative_to(src).with_suffix("").parts
        package = ".".join(parts[:-1])  # the importer's package (its own, for an __init__)
        for module, name in _imports(path):
            inside = module == package or module.startswith(package + ".")
            if not inside and (_private(name) or any(_private(p) for p in module.split("."))):
                bad.append(f"{'.'.join(parts)}: from {module} import {name or '(module)'}")
    return bad


def test_no_private_name_is_imported_across_packages() -> None:
    assert _crossings(SRC) == []


def test_the_check_sees_a_crossing(tmp_path: Path) -> None:
    plugin = tmp_path / "ansinh" / "plugins" / "p.py"
    plugin.parent.mkdir(parents=True)
    plugin.write_text("from ansinh.core.law import _parse_date\nfrom ansinh.plugins._own import x\n")
    assert _crossings(tmp_path) == ["ansinh.plugins.p: from ansinh.core.law import _parse_date"]
