"""The command line and plugins: listing what they contribute, disabling one, surviving a broken one."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ansinh import cli
from ansinh.api import default_plugins

_FAKE_OK = """
import ansinh.hookspecs

@ansinh.hookspecs.hookimpl
def ansinh_priority(candidate, campaign):
    return (("fake.part", 7),)
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fake distribution ``ansinh-fake 1.2`` on sys.path with the entry point ``fake``."""
    (tmp_path / "fake_cli_plugin.py").write_text(_FAKE_OK, encoding="utf-8")
    info = tmp_path / "ansinh_fake-1.2.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ansinh-fake\nVersion: 1.2\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text("[ansinh]\nfake = fake_cli_plugin\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("ANSINH_DISABLE_PLUGINS", raising=False)
    default_plugins.cache_clear()
    yield tmp_path
    default_plugins.cache_clear()
    sys.modules.pop("fake_cli_plugin", None)


def _break(installed: Path) -> None:
    (installed / "fake_cli_plugin.py").write_text("raise ImportError('no module named hưng_yên_data')\n")


def test_plugins_lists_contributions_in_vietnamese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plugins", "--no-plugins")
    assert code == cli.EXIT_OK
    assert "ansinh.sourcing (built-in): ansinh_sourcing_strategies" in out
    assert "  cách huy động: agricultural_sales, " in out
    (line,) = [ln for ln in out.splitlines() if ln.startswith("  chương trình NSĐP hỗ trợ: ")]
    assert (
        "hanoi-vsi-2026, hcmc-bhyt-res56-2025-elderly, hcmc-bhyt-res56-2025-students, hcmc-bhyt-res75-2025"
        in line
    )
    _, out, _ = run(capsys, "plugins", "--no-plugins", "--lang", "en")
    assert "  sourcing strategies: agricultural_sales, " in out


def test_plugins_json_has_versions_contributions_and_errors(
    capsys: pytest.CaptureFixture[str], installed: Path
) -> None:
    code, out, _ = run(capsys, "plugins", "--json")
    assert code == cli.EXIT_OK
    by_name = {p["name"]: p for p in json.loads(out)["plugins"]}
    assert (by_name["fake"]["distribution"], by_name["fake"]["version"]) == ("ansinh-fake", "1.2")
    assert by_name["fake"]["error"] is None
    kinds = {c["kind"]: c["names"] for c in by_name["ansinh.sourcing"]["contributes"]}
    assert "workplace_drive" in kinds["strategies"]


def test_a_broken_plugin_is_reported_once_and_skipped(
    capsys: pytest.CaptureFixture[str], installed: Path
) -> None:
    _break(installed)
    code, out, err = run(capsys, "price", "card", "--months", "12", "--on", "2025-01-01")
    assert code == cli.EXIT_OK
    assert "1.263.600" in out
    assert err.count("\n") == 1
    assert err.startswith("ansinh: cảnh báo: plugin 'fake' không nạp được nên bị bỏ qua (ImportError: ")
    assert "--disable-plugin fake" in err
    code, out, err = run(capsys, "plugins", "--lang", "en")
    assert code == cli.EXIT_OK
    assert "fake (ansinh-fake 1.2): no hooks\n  BROKEN: ImportError: no module named hưng_yên_data" in out
    assert "ansinh: warning: plugin 'fake' cannot be loaded" in err


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_plugin_can_be_disabled(
    capsys: pytest.CaptureFixture[str], installed: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    _break(installed)
    args = ["price", "card", "--months", "12", "--on", "2025-01-01"]
    if how == "option":
        args += ["--disable-plugin", "fake"]
    else:
        monkeypatch.setenv("ANSINH_DISABLE_PLUGINS", "other,fake")
    code, _, err = run(capsys, *args)
    assert (code, err) == (cli.EXIT_OK, "")
    code, out, err = run(capsys, "plugins", *args[-2:] if how == "option" else ())
    assert (code, err) == (cli.EXIT_OK, "")
    assert "fake" not in out
