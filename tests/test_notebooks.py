"""The Jupyter notebooks in ``examples/`` run from top to bottom under nbclient and show what they say.

The kernel is the interpreter running the tests: a ``python3`` kernelspec is
written to a temporary folder put first on ``JUPYTER_PATH``, so whatever
``python3`` kernel the machine has, the notebooks run with this ansinh and its
extras.  The notebooks are stored without outputs.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

import ansinh

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="the examples are not in this tree")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["cells"][0]["cell_type"] == "markdown"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None


@pytest.fixture
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A ``python3`` kernel running this interpreter, importing the ansinh under test."""
    pytest.importorskip("ipykernel")
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    package_root = str(Path(ansinh.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH", "")) if p)
    kernel = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ansinh tests)",
        "language": "python",
        "env": {"PYTHONPATH": path, "JUPYTER_PLATFORM_DIRS": "1"},
    }
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns without it
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    return "python3"


def _execute(name: str, kernel: str) -> list[dict[str, Any]]:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(EXAMPLES / name, as_version=4)
    client = nbclient.NotebookClient(
        nb, kernel_name=kernel, timeout=300, resources={"metadata": {"path": str(EXAMPLES)}}
    )
    client.execute()
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec(kernel).argv[0] == sys.executable
    outputs: list[dict[str, Any]] = [
        out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    ]
    assert not [out for out in outputs if out["output_type"] == "error"]
    return outputs


def _texts(outputs: list[dict[str, Any]]) -> str:
    parts: list[str] = []
    for out in outputs:
        if out["output_type"] == "stream":
            parts.append(out["text"])
        for kind in ("text/plain", "text/html"):
            parts.append(out.get("data", {}).get(kind, ""))
    return "\n".join(parts)


@pytest.mark.slow
def test_price_and_compare_scenarios(kernel: str) -> None:
    outputs = _execute("price_and_compare_scenarios.ipynb", kernel)
    text = _texts(outputs)
    assert "(2340000, 2530000)" in text  # the base salary before and after 2026-07-01
    assert "Payable by the donor: VND 409,860" in text
    # The table: the near-poor card rose with the base salary, the poor household's books did not.
    assert "near-poor person, 1 card" in text
    assert "VND 379,080" in text
    assert "VND 30,780" in text
    assert "poor household, 4 books" in text
    assert any("image/png" in out.get("data", {}) for out in outputs), "the chart is shown"


@pytest.mark.slow
def test_screen_and_run_a_campaign(kernel: str) -> None:
    from ansinh.io.roster import load_roster

    roster = load_roster(EXAMPLES / "rosters" / "danh-sach-mau.csv")
    outputs = _execute("screen_and_run_a_campaign.ipynb", kernel)
    text = _texts(outputs)
    assert f"people=37, rejected_rows={len(roster.rejected)}" in text
    assert "row 20, Ngày sinh: '31/02/1975'" in text
    assert "Screening(health_card on 2026-01-10" in text
    assert "person_id" in text
    assert "<table" in text
    assert "As of 2026-01-31, campaign" in text  # the report's summary
    assert "report.xlsx" in text
    assert "100%" in text  # the progress bars were drawn
    assert any("image/png" in out.get("data", {}) for out in outputs), "the chart is shown"
    # Identifiers never appear in what the notebook shows.
    ids = [p.cccd for p in roster.people if p.cccd]
    assert ids
    assert not [i for i in ids if i in text]
