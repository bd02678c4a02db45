"""Charts as matplotlib Figures (for notebooks) and PNG files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ansinh.core.national import AggregateRecord
from ansinh.core.reporting import DIMENSIONS
from ansinh.core.series import year_series
from ansinh.exceptions import InvalidValueError
from ansinh.io.charts import report_figure, save_png, series_figure
from ansinh.io.run import CampaignRun, run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> CampaignRun:
    return run_campaign(EXAMPLE, out=tmp_path_factory.mktemp("run"), plugins=False)


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_breakdown_is_a_figure(run: CampaignRun, dimension: str) -> None:
    fig = report_figure(run.report, dimension, lang="en")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    rows = run.report.rows_for(dimension)
    assert len(ax.patches) == len(rows)
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert sorted(p.get_width() for p in bars) == sorted(r.value / 1_000_000 for r in rows)
    assert ax.get_xlabel() == "million VND"


def test_the_report_chart_file_is_the_same_figure(run: CampaignRun, tmp_path: Path) -> None:
    png = save_png(report_figure(run.report), tmp_path / "chart.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert (run.out / "chart.png").read_bytes().startswith(b"\x89PNG")
    with pytest.raises(InvalidValueError, match="dimension"):
        report_figure(run.report, "colour")


def test_the_year_series_marks_published_totals() -> None:
    rows = year_series(
        {},
        [
            AggregateRecord(year=2024, books_and_cards=150_000, source="test"),
            AggregateRecord(year=2025, books_and_cards=185_055, source="test"),
            AggregateRecord(year=2023, value=1_000_000_000, source="test"),  # no count published
        ],
    )
    fig = series_figure(rows)
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024", "2025"]
    assert [p.get_height() for p in ax.patches if isinstance(p, Rectangle)] == [150_000, 185_055]
    assert all(p.get_hatch() == "//" for p in ax.patches)
    with pytest.raises(InvalidValueError, match="measure"):
        series_figure(rows, "colour")


def test_without_matplotlib_the_extra_is_named(run: CampaignRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(InvalidValueError, match=r"ansinh\[chart\]"):
        report_figure(run.report)


def test_the_report_as_a_workbook(run: CampaignRun) -> None:
    import openpyxl

    assert run.files.xlsx is not None
    assert run.files.xlsx in run.files.all
    workbook = openpyxl.load_workbook(run.files.xlsx)
    assert workbook.sheetnames[0] == "Tổng hợp"
    assert workbook.sheetnames[-1] == "Sắp hết hạn"
    assert workbook.sheetnames[-2] == "Lễ trao tặng"  # the example's handover ceremony
    assert len(workbook.sheetnames) == 3 + len(DIMENSIONS)
    totals = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert totals["Tổng giá trị (đ)"] == run.report.value  # a number, not text
    by_province = list(workbook["Theo tỉnh, thành phố"].iter_rows(min_row=2, values_only=True))
    assert len(by_province) == len(run.report.rows_for("province"))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(c, str) and c.startswith("=") for c in row)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    import attrs
    import openpyxl

    from ansinh.io.report_files import write_xlsx

    report = run_campaign(EXAMPLE, out=tmp_path / "r", plugins=False).report
    row = attrs.evolve(report.rows_for("province")[0], label='=HYPERLINK("http://x")')
    evil = attrs.evolve(report, rows=(row, *report.rows[1:]))
    path = write_xlsx(evil, tmp_path / "evil.xlsx")
    assert path is not None
    sheet = openpyxl.load_workbook(path)["Theo tỉnh, thành phố"]
    assert sheet.cell(2, 1).value == '\'=HYPERLINK("http://x")'
    assert sheet.cell(2, 1).data_type == "s"
