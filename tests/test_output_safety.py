"""Every CSV ansinh writes is safe to open in a spreadsheet; Markdown and HTML output is escaped."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.eligibility import screen
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard
from ansinh.io.files import FORMULA_STARTS, csv_text, markdown_text, spreadsheet_text, spreadsheet_value
from ansinh.io.public_list import public_list_csv, public_list_markdown
from ansinh.io.roster import load_roster, write_roster_csv
from ansinh.io.run import run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
HOSTILE = (
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\tTab",
    "\rCR",
    "'=quoted",
    "<script>x</script>",
)


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def _no_formula(cells: list[str]) -> None:
    for c in cells:
        assert not c or c[0] not in FORMULA_STARTS, c


@given(st.text())
def test_neutralised_text_reads_back_and_never_starts_a_formula(text: str) -> None:
    cell = spreadsheet_text(text)
    assert spreadsheet_value(cell) == text
    assert not cell or cell[0] not in FORMULA_STARTS


def test_numbers_stay_numbers() -> None:
    assert csv_text([[-5, "-5", None, 0]]) == "-5,'-5,,0\n"


def _people() -> list[Person]:
    return [
        Person(
            id=f"P{i}",
            full_name=name,
            date_of_birth=dt.date(1960, 1, 1),
            province="01",
            categories=frozenset({Category.NEAR_POOR}),
            commune="-Xã",
            household_id="@H",
        )
        for i, name in enumerate(HOSTILE)
    ]


def test_the_office_roster_neutralises_formulas_and_reads_back(tmp_path: Path) -> None:
    people = _people()
    path = write_roster_csv(people, tmp_path / "ds.csv")
    _no_formula(_cells(path.read_text(encoding="utf-8")))
    back = load_roster(path)
    assert [(p.full_name, p.commune, p.household_id) for p in back.people] == [
        (p.full_name, p.commune, p.household_id) for p in people
    ]


def test_the_public_list_csv_and_markdown_are_safe() -> None:
    result = screen(_people(), HealthCard(months=12), on=dt.date(2026, 1, 5), law=ansinh.default_law())
    _no_formula(_cells(public_list_csv(result)))
    md = public_list_markdown(result, title="<b>Danh sách</b>")
    assert "<script>" not in md
    assert "<b>" not in md
    assert "&lt;script&gt;" in md


def test_markdown_text_is_one_escaped_line() -> None:
    assert markdown_text("a|b\n<i>c</i>") == "a\\|b &lt;i&gt;c&lt;/i&gt;"


def test_report_files_are_safe(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    toml = folder / "campaign.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('code = "BN2026"', 'code = "=BN2026"').replace(
        'name = "Tặng thẻ', 'name = "<script>alert(1)</script> Tặng thẻ'
    )
    toml.write_text(text, encoding="utf-8")
    sponsors = folder / "sponsors.csv"
    sponsors.write_text(
        sponsors.read_text(encoding="utf-8").replace("Công ty TNHH May mặc Phố Hiến", "=cmd|' /C calc'!A0"),
        encoding="utf-8",
    )
    roster = folder / "roster.csv"
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    roster.write_text(
        lines[0] + "".join("-" + line for line in lines[1:]), encoding="utf-8"
    )  # ids start with -
    review = folder / "review.toml"
    review.write_text(
        review.read_text(encoding="utf-8").replace('person = "', 'person = "-'), encoding="utf-8"
    )
    run = run_campaign(folder, out=tmp_path / "out", plugins=False)
    for path in (run.files.csv, run.files.totals, run.files.renewals):
        _no_formula(_cells(path.read_text(encoding="utf-8")))
    assert any(c.startswith("'-") for c in _cells(run.files.renewals.read_text(encoding="utf-8")))
    for path in (run.files.markdown, run.files.html):
        page = path.read_text(encoding="utf-8")
        assert "<script>" not in page
        assert "&lt;script&gt;" in page
