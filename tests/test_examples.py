"""The notebook-style scripts in ``examples/`` run from start to end and say what they should.

Each script runs in a fresh interpreter, in a temporary directory (so whatever
it writes lands there), with warnings turned into errors and a non-interactive
matplotlib backend.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ansinh

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))

pytestmark = pytest.mark.skipif(not SCRIPTS, reason="the examples are not in this tree")


def run_example(name: str, cwd: Path) -> str:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8", "PYTHONWARNINGS": "error"}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_example_is_a_percent_format_notebook(script: Path) -> None:
    text = script.read_text(encoding="utf-8")
    assert text.startswith("# %% [markdown]\n# # "), "start with a markdown cell holding the title"
    assert text.count("\n# %%\n") >= 2, "code in several cells"


def test_screen_a_roster(tmp_path: Path) -> None:
    from ansinh.io.roster import load_roster

    out = run_example("screen_a_roster.py", tmp_path)
    roster = load_roster(EXAMPLES / "rosters" / "danh-sach-mau.csv")
    assert f"{len(roster)} people accepted, {len(roster.rejected_rows)} rows rejected" in out
    assert "eligible:" in out
    assert "Cost of these ten cards to donors:" in out
    public = tmp_path / "danh-sach-cong-khai.csv"
    assert public.is_file()
    text = public.read_text(encoding="utf-8-sig")
    ids = [p.cccd for p in roster.people if p.cccd is not None]
    assert ids, "the sample roster has identifiers to hide"
    for cccd in ids:
        assert cccd not in text  # masked on the public list
    assert any(person.full_name in text for person in roster.people)


def test_compare_prices_next_year(tmp_path: Path) -> None:
    out = run_example("compare_prices_next_year.py", tmp_path)
    near_poor = ansinh.Person(
        id="x",
        full_name="x",
        date_of_birth=dt.date(1975, 6, 1),
        province="33",
        categories={ansinh.Category.NEAR_POOR},
    )
    card = ansinh.HealthCard(months=12)
    now = ansinh.price(card, near_poor, on=dt.date(2026, 1, 15), plugins=False).payable
    then = ansinh.price(card, near_poor, on=dt.date(2027, 1, 15), plugins=False).payable
    assert then > now
    assert f"{ansinh.format_vnd(now, 'en')} ->" in out
    assert f"({then - now:+,} đồng)" in out
    assert "[ansinh (scenario)]" in out
    # A money pledge buys fewer cards next year: 50,000,000 đồng at each year's price.
    assert f"{50_000_000 // now} health-insurance cards" in out
    assert f"{50_000_000 // then} health-insurance cards" in out


@pytest.mark.skipif(
    not (EXAMPLES / "tet-binh-ngo-2026" / "campaign.toml").is_file(), reason="the example campaign is missing"
)
def test_campaign_results(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = run_example("campaign_results.py", tmp_path)
    assert out.startswith("As of 2026-01-31, campaign “")
    assert "rows kept out:" in out
    chart = tmp_path / "build" / "gifts-by-province.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "build" / "ledger.sqlite").is_file()
    # Every province row of the report is printed with its gifts.
    csv = (tmp_path / "build" / "report.csv").read_text(encoding="utf-8-sig")
    assert "province" in csv
    assert "chart written to build/gifts-by-province.png" in out


@pytest.mark.skipif(
    not (EXAMPLES / "follow-up-2027" / "participation.csv").is_file(),
    reason="the follow-up example is missing",
)
def test_follow_up_next_year(tmp_path: Path) -> None:
    out = run_example("follow_up_next_year.py", tmp_path)
    assert "Already covered for the same months: health-insurance card P03:" in out
    assert "sponsor Ngân hàng TMCP Sông Hồng, central" in out
    assert "no gift yet, eligible" in out
    assert "2 renewed by a sponsor" in out
    assert "6 renewed by the person" in out
    assert "TP Hải Phòng          health-insurance card                 2026     10      3  67%" in out
    assert "033091401148" not in out  # identifiers are masked
