"""``ansinh plugin new NAME``: a province plugin package that builds, installs and passes its tests.

The package it writes (``ansinh-NAME/``) holds a ``pyproject.toml`` with its
build system (hatchling) and the ``ansinh`` entry point, the plugin module
with one example of the common hooks (a local eligibility rule, the
province's budget top-ups read from a data file shipped inside the package,
priority points read from the plugin's ``[plugins.NAME]`` settings), tests
written with :mod:`ansinh.testing`, a README and a GitHub Actions workflow.

>>> files = plugin_files("hung-yen")
>>> sorted(files)[:3]
['.github/workflows/ci.yml', 'README.md', 'pyproject.toml']
>>> 'hung_yen = "ansinh_hung_yen.plugin"' in files["pyproject.toml"]
True
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import string
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final, TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import parse_province
from ansinh.cli.output import print_json
from ansinh.cli.words import word
from ansinh.core.labels import Lang
from ansinh.core.provinces import find_province
from ansinh.exceptions import AnsinhError, InvalidValueError, OutputFileError
from ansinh.serialization import SCHEMA_VERSION

__all__ = ["NAME_PATTERN", "create_plugin", "plugin_files", "register"]

NAME_PATTERN: Final = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
"""What a plugin name may be: lower-case ASCII letters and digits, words joined by ``-`` or ``_``."""

_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.25"]
build-backend = "hatchling.build"

[project]
name = "$dist"
version = "0.1.0"
description = "ansinh province plugin $entry: local rules, top-ups and priorities."
readme = "README.md"
requires-python = ">=3.11"
dependencies = ["ansinh>=$ansinh_version"]
classifiers = ["Typing :: Typed", "Programming Language :: Python :: 3"]

# ansinh finds the plugin through this entry point (group "ansinh"); the name on
# the left is the plugin's name: `ansinh plugins` shows it, `--disable-plugin $entry`
# turns it off, and campaign.toml passes it the table [plugins.$entry].
[project.entry-points.ansinh]
$entry = "$module.plugin"

[dependency-groups]
test = ["pytest>=8"]

# Every file under src/$module is shipped in the wheel, local_support.toml and
# py.typed included (hatchling packages the whole folder; tests check it).
[tool.hatch.build.targets.wheel]
packages = ["src/$module"]

[tool.hatch.build.targets.sdist]
include = ["src", "tests", "README.md"]

[tool.pytest.ini_options]
addopts = ["-ra", "--strict-markers", "--import-mode=importlib", "-p", "no:cacheprovider"]
testpaths = ["tests"]
filterwarnings = ["error"]

[tool.ruff]
line-length = 110
src = ["src", "tests"]

[tool.mypy]
strict = true
files = ["src", "tests"]
mypy_path = "src"
"""

_INIT = '''\
"""The ansinh province plugin $entry (distribution $dist).

ansinh loads :mod:`$module.plugin` through the entry point ``$entry``.
"""

__all__: list[str] = []
'''

_PLUGIN = '''\
"""The hooks of the ansinh plugin $entry.

Each function marked ``@hookimpl`` is a hook ansinh calls; keep the ones you
need, delete the others (the hooks are described in ansinh's reference,
"Plugin hooks").  A hook may take only the arguments it uses, and every hook
may take ``settings``: this plugin's ``[plugins.$entry]`` table of the
campaign's campaign.toml (an empty mapping outside a campaign run).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from importlib.resources import files

from ansinh.core.eligibility import CheckContext, FunctionRule, Reason
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.hookspecs import hookimpl
from ansinh.plugins.local_support import LocalSupportTable

PROVINCE = "$province"
"""The province this plugin is for (its current code)."""

COMMUNE_REQUIRED = "${code}_COMMUNE_REQUIRED"


@functools.cache
def top_ups() -> LocalSupportTable:
    """The province's budget top-ups, read once from the package's ``local_support.toml``."""
    text = files("$module").joinpath("local_support.toml").read_text(encoding="utf-8")
    return LocalSupportTable.from_toml(text)


@hookimpl
def ansinh_local_support(
    province: str | None, product: ProductKind | None, on: dt.date | None
) -> tuple[LocalSupport, ...]:
    """The top-ups of local_support.toml that match (``None``: any)."""
    return top_ups().ansinh_local_support(province=province, product=product, on=on)


def _commune_recorded(ctx: CheckContext) -> Reason | None:
    if ctx.person.province == PROVINCE and not ctx.person.commune.strip():
        return Reason(
            COMMUNE_REQUIRED,
            True,  # blocking
            "Chưa ghi xã/phường cư trú: tỉnh chỉ tặng theo danh sách do xã rà soát.",
            "No commune recorded: the province gives only to people on a commune-reviewed list.",
        )
    return None


COMMUNE_RULE = FunctionRule(COMMUNE_REQUIRED, _commune_recorded)


@hookimpl
def ansinh_eligibility_rules(product: ProductKind) -> tuple[FunctionRule, ...]:
    """A local rule for cards and books (not for Tết gifts)."""
    return () if product is ProductKind.TET_GIFT else (COMMUNE_RULE,)


@hookimpl
def ansinh_priority(candidate: Person, settings: Mapping[str, object]) -> tuple[tuple[str, int], ...]:
    """Points for people of the communes the campaign lists in ``[plugins.$entry]``::

    [plugins.$entry]
    priority_communes = ["Xã A", "Xã B"]
    priority_points = 3
    """
    communes = settings.get("priority_communes", ())
    points = settings.get("priority_points", 3)
    if not isinstance(communes, list | tuple) or not isinstance(points, int):
        raise TypeError("[plugins.$entry]: priority_communes is a list of names, priority_points a number")
    return (("$entry.priority_commune", points),) if candidate.commune in communes else ()
'''

_DATA = """\
# The province's budget top-ups on top of the state's support (ngân sách địa phương hỗ trợ):
# one [[support]] table per programme, with its dates, rates by group and legal source.
# This one is an EXAMPLE (status = "scenario"): replace it with your province's resolution.
[[support]]
code = "$entry-vsi-example"
province = "$province"
product = "social_book"
effective = 2027-01-01
rates = { poor = "0.1", near_poor = "0.05" }
document = "Nghị quyết HĐND tỉnh (ví dụ: thay bằng văn bản thật)"
status = "scenario"
label_vi = "Ví dụ: tỉnh hỗ trợ thêm đóng BHXH tự nguyện"
label_en = "Example: provincial top-up for voluntary social insurance"
"""

_TESTS = '''\
"""The plugin $entry, tested with ansinh.testing."""

from __future__ import annotations

import datetime as dt

import attrs
from ansinh.api import check, price
from ansinh.core.people import Category
from ansinh.core.products import HealthCard, SocialBook
from ansinh.plugin_manager import get_plugin_manager
from ansinh.testing import plugin_host, sample_person

from $module import plugin


def test_the_rule_wants_a_commune() -> None:
    host = plugin_host(plugin)
    person = sample_person(province=plugin.PROVINCE)
    decision = check(person, HealthCard(months=12), on=dt.date(2026, 1, 15), plugins=host)
    assert plugin.COMMUNE_REQUIRED in decision.codes
    reviewed = attrs.evolve(person, commune="Xã A")
    decision = check(reviewed, HealthCard(months=12), on=dt.date(2026, 1, 15), plugins=host)
    assert plugin.COMMUNE_REQUIRED not in decision.codes


def test_the_top_up_is_packaged_and_lowers_the_price() -> None:
    host = plugin_host(plugin)
    assert [s.code for s in host.all_local_supports()] == ["$entry-vsi-example"]
    poor = sample_person(province=plugin.PROVINCE, categories={Category.POOR})
    book, on = SocialBook(months=12), dt.date(2027, 3, 1)
    with_top_up = price(book, poor, on=on, plugins=host)
    without = price(book, poor, on=on, plugins=False)
    assert with_top_up.local_support > 0
    assert with_top_up.payable < without.payable


def test_priority_reads_the_campaign_settings() -> None:
    host = plugin_host()
    host.register(plugin, "$entry")
    person = attrs.evolve(sample_person(province=plugin.PROVINCE), commune="Xã A")
    assert host.priority_parts(person) == ()
    configured = host.configured({"$entry": {"priority_communes": ["Xã A"], "priority_points": 5}})
    assert configured.priority_parts(person) == (("$entry.priority_commune", 5),)


def test_the_installed_plugin_loads() -> None:
    """Run after installing the package (pip install .): ansinh finds it through its entry point."""
    host = get_plugin_manager(strict=True)
    info = {p.name: p for p in host.plugins(contributions=True)}["$entry"]
    assert not info.broken, info.error
    assert {c.kind for c in info.contributes} == {"rules", "top_ups"}
'''

_README = """\
# $dist

An [ansinh](https://pypi.org/project/ansinh/) province plugin: `$entry`.

```console
$$ pip install .
$$ ansinh plugins
$$ python -m pytest
```

- `src/$module/plugin.py` — the hooks (a local rule, the top-ups, priority from settings);
- `src/$module/local_support.toml` — the province's top-ups (shipped inside the wheel);
- `tests/` — tests written with `ansinh.testing`.

A campaign passes the plugin its settings in `campaign.toml`:

```toml
[plugins.$entry]
priority_communes = ["Xã A"]
priority_points = 3
```

Turn the plugin off without uninstalling it: `ansinh --disable-plugin $entry …` or
`ANSINH_DISABLE_PLUGINS=$entry`.
"""

_CI = """\
name: CI

on:
  push:
  pull_request:

jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: ["3.11", "3.12", "3.13"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: $${{ matrix.python-version }}
      - run: python -m pip install . pytest
      - run: python -m pytest
      - run: ansinh plugins
"""

_TEMPLATES: Final = {
    "pyproject.toml": _PYPROJECT,
    "README.md": _README,
    ".github/workflows/ci.yml": _CI,
    "src/{module}/__init__.py": _INIT,
    "src/{module}/plugin.py": _PLUGIN,
    "src/{module}/local_support.toml": _DATA,
    "src/{module}/py.typed": "",
    "tests/test_plugin.py": _TESTS,
}


def _province_code(name: str, province: str | None) -> str:
    if province is None:
        try:
            return find_province(name.replace("-", " ").replace("_", " ")).code
        except AnsinhError:
            return "01"
    try:
        return parse_province(province)
    except argparse.ArgumentTypeError:
        raise InvalidValueError("--province", province, "a current province code or name") from None


def plugin_files(name: str, *, province: str | None = None) -> dict[str, str]:
    """The files of a new plugin package called *name*: relative path → text.

    Args:
        name: the plugin's name (see :data:`NAME_PATTERN`), e.g. ``"hung-yen"``:
            distribution ``ansinh-hung-yen``, module ``ansinh_hung_yen``, entry point ``hung_yen``.
        province: the province's current code; default: the province *name*
            names, else ``"01"``.

    Raises:
        InvalidValueError: *name* or *province* is not allowed.
    """
    if not isinstance(name, str) or len(name) > 40 or not NAME_PATTERN.fullmatch(name):
        raise InvalidValueError(
            "NAME", name, "lower-case ASCII letters and digits, words joined by - or _ (at most 40)"
        )
    from ansinh import __version__

    entry = name.replace("-", "_")
    values = {
        "entry": entry,
        "dist": "ansinh-" + name.replace("_", "-"),
        "module": "ansinh_" + entry,
        "code": entry.upper(),
        "province": _province_code(name, province),
        "ansinh_version": __version__,
    }
    return {
        path.format(module=values["module"]): string.Template(text).substitute(values)
        for path, text in _TEMPLATES.items()
    }


def create_plugin(name: str, directory: str | os.PathLike[str], *, province: str | None = None) -> Path:
    """Write the package of :func:`plugin_files` into *directory* (created; never overwritten).

    Returns:
        The package's folder.

    Raises:
        InvalidValueError: *name* or *province* is not allowed.
        OutputFileError: *directory* exists and is not empty, or cannot be written.
    """
    files = plugin_files(name, province=province)
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise OutputFileError(f"{target}: exists and is not empty; choose a new folder with --dir")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # written beside the target and renamed, so a failure leaves no half-made package
        staging = Path(tempfile.mkdtemp(prefix=".ansinh-plugin-", dir=target.parent))
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    try:
        for path, text in files.items():
            out = staging / path
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
        if target.exists():
            target.rmdir()
        staging.rename(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``plugin new`` command (*add_parser*: the sub-parsers' ``add_parser``)."""
    p_plugin = add_parser(
        "plugin", help=word("plugin", lang), description=word("plugin", lang), parents=[common]
    )
    sub = p_plugin.add_subparsers(dest="plugin_command", metavar="ACTION", required=True)
    p_new = sub.add_parser(
        "new", help=word("plugin.new", lang), description=word("plugin.new", lang), parents=[common]
    )
    p_new.add_argument("name", metavar="NAME", help=word("plugin.name", lang))
    p_new.add_argument("--dir", default=None, metavar="DIR", help=word("plugin.dir", lang))
    p_new.add_argument(
        "--province",
        type=parse_province,
        default=None,
        metavar="PROVINCE",
        help=word("plugin.province", lang),
    )
    p_new.set_defaults(func=_new)


def _new(args: argparse.Namespace, out: TextIO) -> int:
    folder = args.dir or f"ansinh-{args.name.replace('_', '-')}"
    made = create_plugin(args.name, folder, province=args.province)
    if args.json:
        files = sorted(str(p.relative_to(made)) for p in made.rglob("*") if p.is_file())
        document = {"folder": str(made), "name": args.name, "province": args.province, "files": files}
        print_json({"schema_version": SCHEMA_VERSION, "type": "plugin_package", **document}, out)
        return EXIT_OK
    out.write(word("plugin.created", args.lang).format(folder=made) + "\n")
    return EXIT_OK
