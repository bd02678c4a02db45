"""``import ansinh`` is quiet: it opens no file but Python modules, loads no plugin, imports no optional dependency."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import ansinh

# Runs in a fresh interpreter: every file opened while ``import ansinh`` runs, the modules it
# imported, and whether the installed plugins were loaded.
_PROBE = r"""
import json, os, sys
opened = []
def audit(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.fsdecode(args[0]))
sys.addaudithook(audit)
before = set(sys.modules)
import ansinh
after = set(sys.modules)
print(json.dumps({
    "opened": opened,
    "modules": sorted(after - before),
    "path": sys.path,
    "plugins_loaded": ansinh.api.default_plugins.cache_info().currsize,
}))
"""

_MODULE_SUFFIXES = (".py", ".pyc", ".so", ".pyd")
_OPTIONAL = (
    "numpy",
    "pyarrow",
    "numba",
    "dask",
    "distributed",
    "pandas",
    "openpyxl",
    "matplotlib",
    "hypothesis",
)
_NOT_AT_IMPORT = (
    "ansinh.plugins",  # the built-in plugins: loaded with the plugin manager, on first use
    "ansinh.bulk",
    "ansinh.cli",
    "ansinh.serialization",
    "ansinh.strategies",
    "ansinh.testing",
)


def _probe() -> dict[str, Any]:
    src = str(Path(ansinh.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_importing_ansinh_opens_no_file_but_python_modules() -> None:
    found = _probe()
    path_entries = {os.path.abspath(p) for p in found["path"] if p}
    others = [
        f
        for f in found["opened"]
        if not f.endswith(_MODULE_SUFFIXES)
        and not os.path.isdir(f)
        and os.path.abspath(f) not in path_entries  # the import system probing sys.path (zip files)
    ]
    assert others == []
    assert found["opened"], "the audit hook saw nothing: the probe is broken"
    data = [f for f in found["opened"] if f.endswith((".toml", ".csv", ".json", "METADATA"))]
    assert data == []


def test_importing_ansinh_loads_no_plugin_and_no_optional_dependency() -> None:
    found = _probe()
    modules: list[str] = found["modules"]
    assert "ansinh.api" in modules  # the probe saw the import
    assert [m for m in modules if m.split(".")[0] in _OPTIONAL] == []
    assert [m for m in modules if m.startswith(_NOT_AT_IMPORT)] == []
    assert found["plugins_loaded"] == 0


def test_the_package_root_imports_only_what_it_re_exports() -> None:
    tree = ast.parse(Path(ansinh.__file__).read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module != "__future__"):
            imported += [alias.asname or alias.name for alias in node.names]
    assert imported
    assert sorted(set(imported) - set(ansinh.__all__)) == []


def test_the_version_is_read_when_asked_for() -> None:
    assert isinstance(ansinh.__version__, str)
    assert ansinh.__version__
    assert "__version__" not in vars(ansinh)  # never read at import time
