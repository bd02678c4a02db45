"""``ansinh plugin new``: the package it writes builds (hatchling wheel, data file inside), installs and passes its own tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from ansinh import cli
from ansinh.cli.plugin_new import create_plugin, plugin_files
from ansinh.exceptions import InvalidValueError, OutputFileError

SRC = Path(__file__).resolve().parents[1] / "src"


def test_the_files_of_a_new_plugin() -> None:
    files = plugin_files("hung-yen")
    assert set(files) == {
        "pyproject.toml",
        "README.md",
        ".github/workflows/ci.yml",
        "src/ansinh_hung_yen/__init__.py",
        "src/ansinh_hung_yen/plugin.py",
        "src/ansinh_hung_yen/local_support.toml",
        "src/ansinh_hung_yen/py.typed",
        "tests/test_plugin.py",
    }
    project = tomllib.loads(files["pyproject.toml"])
    assert project["build-system"]["build-backend"] == "hatchling.build"
    assert project["project"]["name"] == "ansinh-hung-yen"
    assert project["project"]["entry-points"]["ansinh"] == {"hung_yen": "ansinh_hung_yen.plugin"}
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["src/ansinh_hung_yen"]
    (support,) = tomllib.loads(files["src/ansinh_hung_yen/local_support.toml"])["support"]
    assert support["province"] == "33"  # Hưng Yên, from the name
    assert "${{ matrix.python-version }}" in files[".github/workflows/ci.yml"]
    compile(files["src/ansinh_hung_yen/plugin.py"], "plugin.py", "exec")
    compile(files["tests/test_plugin.py"], "test_plugin.py", "exec")


def test_the_province_can_be_given() -> None:
    data = plugin_files("my_plugin", province="Thái Nguyên")["src/ansinh_my_plugin/local_support.toml"]
    assert 'province = "19"' in data
    assert 'province = "01"' in plugin_files("dong-bac")["src/ansinh_dong_bac/local_support.toml"]


@pytest.mark.parametrize("name", ["Hưng-Yên", "1abc", "a--b", "", "x" * 41, "a b"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidValueError, match="NAME"):
        plugin_files(name)


def test_an_existing_folder_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFileError, match="not empty"):
        create_plugin("hung-yen", tmp_path / "taken")
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]
    made = create_plugin("hung-yen", tmp_path / "empty-is-fine")
    assert (made / "pyproject.toml").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no staging left


def test_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["plugin", "new", "hung-yen", "--dir", str(tmp_path / "p"), "--lang", "en"])
    assert code == cli.EXIT_OK
    assert "Created the plugin package in" in capsys.readouterr().out
    assert cli.main(["plugin", "new", "Hưng Yên", "--dir", str(tmp_path / "q")]) == cli.EXIT_USAGE
    assert "NAME='Hưng Yên' không hợp lệ" in capsys.readouterr().err


def _run(
    args: list[str], *, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, timeout=300, check=False)


@pytest.mark.slow
def test_the_generated_plugin_builds_installs_and_passes_its_tests(tmp_path: Path) -> None:
    package = create_plugin("thai-nguyen", tmp_path / "ansinh-thai-nguyen")
    env = {
        **os.environ,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_INPUT": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": str(SRC),
    }
    env.pop("ANSINH_DISABLE_PLUGINS", None)
    pip = [sys.executable, "-m", "pip"]
    # hatchling is in the "test" dependency group, so building needs no network
    built = _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(package)],
        env=env,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    assert {"ansinh_thai_nguyen/local_support.toml", "ansinh_thai_nguyen/py.typed"} <= names
    site = tmp_path / "site"
    installed = _run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    env["PYTHONPATH"] = os.pathsep.join([str(site), str(SRC)])
    listing = _run([sys.executable, "-m", "ansinh", "plugins", "--lang", "en"], env=env)
    assert listing.returncode == 0, listing.stderr
    assert listing.stderr == ""
    assert "thai_nguyen (ansinh-thai-nguyen 0.1.0): " in listing.stdout
    assert "  local top-up programmes: thai_nguyen-vsi-example" in listing.stdout
    own_tests = _run([sys.executable, "-m", "pytest", "-q"], env=env, cwd=package)
    assert own_tests.returncode == 0, own_tests.stdout + own_tests.stderr
    assert "4 passed" in own_tests.stdout
