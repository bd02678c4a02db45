"""The example province plugin package (examples/ansinh-hung-yen) works with ansinh.

The fast test imports it from its source folder and registers it by hand; the
slow one installs it with pip into a temporary folder and checks that
``ansinh`` finds it through its entry point, then runs the package's own tests.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from ansinh.api import check
from ansinh.core.products import HealthCard
from ansinh.testing import plugin_host, sample_campaign, sample_person

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ansinh-hung-yen"


@pytest.fixture
def hung_yen(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The example's plugin module, imported from its source folder."""
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    yield importlib.import_module("ansinh_hung_yen.plugin")
    for name in [m for m in sys.modules if m.startswith("ansinh_hung_yen")]:
        del sys.modules[name]


def test_example_registers_and_works(hung_yen: ModuleType) -> None:
    host = plugin_host(hung_yen, builtins=True)
    info = {p.name: p for p in host.plugins()}["ansinh_hung_yen.plugin"]
    assert info.hooks == ("ansinh_eligibility_rules", "ansinh_sourcing_strategies")
    drive = host.sourcing_strategy("hung_yen_workplace_drive").from_mapping(
        {"enterprises": [{"id": "DN01", "name": "Công ty May", "workers": 500, "workers_per_card": 25}]}
    )
    assert drive.source(sample_campaign(province="33")).pledges[0].units[0][1] == 20
    decision = check(
        sample_person(province="33"), HealthCard(months=12), on=dt.date(2026, 1, 15), plugins=host
    )
    assert "HY_COMMUNE_REQUIRED" in decision.codes


def _run(
    args: list[str], *, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=120, check=False)


@pytest.mark.slow
def test_installed_example_is_found_through_its_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {
        **os.environ,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # hatchling (the example's build backend) is in the "test" dependency group,
    # so the build needs no network.
    installed = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(EXAMPLE),
        ],
        env=env,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    listing = _run(
        [
            sys.executable,
            "-c",
            "from ansinh.plugin_manager import get_plugin_manager as g; "
            "print(g().describe()); print('--'); print(g(blocked=['hung_yen']).describe())",
        ],
        env=env,
    )
    assert listing.returncode == 0, listing.stderr
    found, blocked = listing.stdout.split("--\n")
    assert "hung_yen (ansinh-hung-yen 0.1.0): ansinh_eligibility_rules, ansinh_sourcing_strategies" in found
    assert "ansinh.local_support (built-in)" in found
    assert "hung_yen" not in blocked
    cli = _run([sys.executable, "-m", "ansinh", "plugins"], env=env)
    assert cli.returncode == 0, cli.stderr
    assert "hung_yen (ansinh-hung-yen 0.1.0)" in cli.stdout
    own_tests = _run([sys.executable, "-m", "pytest", "-q"], env=env, cwd=EXAMPLE)
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert "5 passed" in own_tests.stdout
