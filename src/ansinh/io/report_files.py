"""Writing a campaign report to files: CSV, Markdown, HTML, and a chart when matplotlib is there.

:func:`write_report` writes, into one folder:

``report.csv``
    every breakdown row (:meth:`~ansinh.core.reporting.ReportRow.as_dict`);
    UTF-8 with a byte-order mark so Excel shows the accents.
``totals.csv``
    the headline figures, one per line.
``renewals.csv``
    the renewal list: cards and books ending soon.
``summary.txt``
    the Vietnamese summary paragraph, then the English one.
``handovers.csv``
    the handover ceremonies (date, place, leader, document, gifts handed
    over) — only when the campaign has ceremonies.
``report.md`` and ``report.html``
    the summary, the totals and each breakdown as tables, and the chart,
    rendered from Jinja2 templates: ansinh's default layout or a province's own
    (its letterhead and signature block: :mod:`ansinh.io.report_templates`).
``chart.png``
    gift value by province — only when matplotlib is installed
    (``pip install 'ansinh[chart]'``); the other files never need it.
``report.xlsx``
    the totals, one sheet per breakdown and the renewal list (:func:`write_xlsx`)
    — only when openpyxl is installed (``ansinh[excel]``).

Both templates are rendered before any file is written, and the files are
written into a temporary folder inside the target folder and moved into place
(:func:`os.replace`) only once every one is written: a template that fails or
a file that cannot be written (a full disk) leaves the report files already
there as they were, and no half-written file.  Only ids (never names or identity numbers) appear.  Text
a spreadsheet would run as a formula gets a leading ``'`` in the CSV files and the workbook
(:func:`~ansinh.io.files.csv_text`); text in ``report.md`` is escaped
(:func:`~ansinh.io.files.markdown_text`: ``<script>`` is shown, never run)
and in ``report.html`` too.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import attrs

from ansinh.core.reporting import DIMENSIONS, CampaignReport, ReportRow
from ansinh.exceptions import OutputFileError
from ansinh.io._side_writes import side_writes
from ansinh.io.files import csv_text, workbook_cell, write_atomic
from ansinh.io.report_templates import (
    DIMENSION_TITLES,
    HANDOVER_COLUMNS,
    HANDOVER_TITLE,
    ReportLayout,
    breakdown_columns,
    totals_groups,
)

__all__ = ["ReportFiles", "render_html", "render_markdown", "write_chart", "write_report", "write_xlsx"]

_DEFAULT_LAYOUT = ReportLayout()

_OPTIONAL_DIMENSIONS = frozenset({"hospital_level", "hospital"})
"""Breakdowns left out of the workbook when they have no row (a campaign without Tết gifts)."""


@attrs.frozen(kw_only=True)
class ReportFiles:
    """The files :func:`write_report` wrote."""

    folder: Path
    csv: Path
    totals: Path
    renewals: Path
    summary: Path
    markdown: Path
    html: Path
    chart: Path | None
    """``None`` when matplotlib is not installed."""
    xlsx: Path | None = None
    """``report.xlsx`` (one sheet per breakdown); ``None`` when openpyxl is not installed."""
    handovers: Path | None = None
    """``handovers.csv``; ``None`` when the campaign has no handover ceremony."""

    @property
    def all(self) -> tuple[Path, ...]:
        """Every file written."""
        files = (self.csv, self.totals, self.renewals, self.summary, self.markdown, self.html)
        return tuple(f for f in (*files, self.handovers, self.xlsx, self.chart) if f is not None)


def _csv_text(header: list[str], rows: list[list[object]]) -> str:
    return csv_text([header, *rows])


def render_markdown(
    report: CampaignReport, *, chart: str | None = None, layout: ReportLayout | None = None
) -> str:
    """The report as Markdown (GitHub tables); *chart* is the image file name to show, if any.

    Rendered from *layout*'s ``report.md.j2`` (default: ansinh's own layout).

    Raises:
        CampaignFileError: the template fails to render (naming it and its line).
    """
    return (layout or _DEFAULT_LAYOUT).render("report.md.j2", report, chart=chart)


def render_html(
    report: CampaignReport, *, chart: str | None = None, layout: ReportLayout | None = None
) -> str:
    """The report as a self-contained HTML page; *chart* is the image file name to show, if any.

    Rendered from *layout*'s ``report.html.j2`` (default: ansinh's own layout), every value HTML-escaped.

    Raises:
        CampaignFileError: the template fails to render (naming it and its line).
    """
    return (layout or _DEFAULT_LAYOUT).render("report.html.j2", report, chart=chart)


def write_chart(report: CampaignReport, path: str | os.PathLike[str]) -> Path | None:
    """Draw gift value by province as a PNG bar chart; ``None`` if matplotlib is not installed.

    The figure is :func:`ansinh.io.charts.report_figure` (which a notebook can show as it is).
    """
    from ansinh.io.charts import report_figure, save_png

    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return None
    return save_png(report_figure(report, "province"), path)


def _sheet(workbook: Any, title: str, header: list[str], rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(title[:31])
    lines: list[list[object]] = [list(header), *rows]
    for row in lines:
        sheet.append([workbook_cell(v) for v in row])  # never read as a formula, nothing a workbook refuses


def write_xlsx(report: CampaignReport, path: str | os.PathLike[str]) -> Path | None:
    """Write the report as a workbook: the totals, one sheet per breakdown, the ceremonies, the renewal list.

    ``None`` when openpyxl is not installed (``ansinh[excel]``).  Amounts are
    whole-đồng numbers; text cells are safe to open (no formula).

    Raises:
        OutputFileError: the file cannot be written (nothing half-written is left).
    """
    try:
        import openpyxl
    except ImportError:
        return None
    workbook = openpyxl.Workbook(write_only=True)  # rows stream out as they are appended: no cell objects
    totals: list[list[object]] = []
    for group in totals_groups(report):
        totals += [[group.title, None], *([line.label, line.value] for line in group.lines)]
    _sheet(workbook, "Tổng hợp", ["Chỉ tiêu", "Giá trị"], totals)
    for dimension in DIMENSIONS:
        rows = report.rows_for(dimension)
        if not rows and dimension in _OPTIONAL_DIMENSIONS:
            continue
        cols = breakdown_columns(rows)
        header = [DIMENSION_TITLES[dimension] if k == "label" else title for k, title in cols]
        _sheet(
            workbook, DIMENSION_TITLES[dimension], header, [[getattr(r, k) for k, _ in cols] for r in rows]
        )
    if report.handovers:
        _sheet(
            workbook,
            HANDOVER_TITLE,
            [t for _, t in HANDOVER_COLUMNS],
            [
                [row.handover.on if k == "on" else row.as_dict()[k] for k, _ in HANDOVER_COLUMNS]
                for row in report.handovers
            ],
        )
    _sheet(
        workbook,
        "Sắp hết hạn",
        ["Mã người", "Tỉnh", "Loại", "Hết hạn", "Còn (ngày)", "Khoản tài trợ"],
        [
            [x.person_id, x.province, x.kind.label_vi, x.valid_until, x.days_left, x.pledge_id]
            for x in report.expiring
        ],
    )
    buf = io.BytesIO()
    workbook.save(buf)
    return write_atomic(Path(path), buf.getvalue())


def _matplotlib_installed() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def write_report(
    report: CampaignReport,
    folder: str | os.PathLike[str],
    *,
    chart: bool = True,
    layout: ReportLayout | None = None,
) -> ReportFiles:
    """Write the report files into *folder* (created if missing); see the module docstring.

    Args:
        report: the report.
        folder: where to write.
        chart: draw ``chart.png`` when matplotlib is installed.
        layout: the templates of ``report.md`` and ``report.html`` (default: ansinh's own;
            see :mod:`ansinh.io.report_templates`).

    Every file is first written into a temporary folder inside *folder*,
    and all of them are moved into place only once each is written.

    On Linux with more than one processor, in a process running a single
    thread, the workbook and the chart (the slowest files) are written by
    child processes (``fork``) while this one writes the others: about a
    second less for a national campaign's report.  The files are the same.
    Anywhere else, with the environment variable ``ANSINH_SIDE_WRITES=0``, or
    when a child fails, they are written in this process.

    Raises:
        CampaignFileError: a template fails to render (naming it and its line); nothing is written.
        OutputFileError: a file cannot be written; the report files already
            in *folder* are left as they were.
    """
    out = Path(folder)
    name = "chart.png" if chart and _matplotlib_installed() else None
    # both pages first: a template that fails must leave the folder as it was
    pages = (
        render_markdown(report, chart=name, layout=layout),
        render_html(report, chart=name, layout=layout),
    )
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(dir=out, prefix=".report-"))
    except OSError as exc:
        raise OutputFileError(f"{out}: cannot create the report folder ({exc.strerror or exc})") from None
    try:
        return _moved(_write_files(report, stage, name, pages), out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _moved(files: ReportFiles, out: Path) -> ReportFiles:
    """*files* moved from their (temporary) folder into *out*."""
    moved: dict[str, Any] = {}
    try:
        for field in attrs.fields(ReportFiles):
            path = getattr(files, field.name)
            if field.name != "folder" and path is not None:
                os.replace(path, out / path.name)
                moved[field.name] = out / path.name
    except OSError as exc:
        raise OutputFileError(
            f"{out}: the report files cannot be moved into place ({exc.strerror or exc})"
        ) from None
    return attrs.evolve(files, folder=out, **moved)


def _write_texts(report: CampaignReport, out: Path, pages: tuple[str, str]) -> ReportFiles:
    """Write the CSV files, the summary and both pages into *out* (the files but the workbook and the chart)."""
    markdown_text, page_text = pages
    rows = [r.as_dict() for r in report.rows]
    header = list(rows[0]) if rows else list(ReportRow(dimension="", key="", label="").as_dict())
    csv_path = write_atomic(out / "report.csv", _csv_text(header, [list(r.values()) for r in rows]), bom=True)
    totals = write_atomic(
        out / "totals.csv",
        _csv_text(["figure", "value"], [[k, v] for k, v in report.totals().items()]),
        bom=True,
    )
    renewals = write_atomic(
        out / "renewals.csv",
        _csv_text(
            ["gift_id", "person_id", "province", "kind", "valid_until", "days_left", "pledge_id"],
            [
                [
                    x.gift_id,
                    x.person_id,
                    x.province,
                    x.kind.value,
                    x.valid_until.isoformat(),
                    x.days_left,
                    x.pledge_id,
                ]
                for x in report.expiring
            ],
        ),
        bom=True,
    )
    handovers = None
    if report.handovers:
        header = list(report.handovers[0].as_dict())
        table = [list(row.as_dict().values()) for row in report.handovers]
        handovers = write_atomic(out / "handovers.csv", _csv_text(header, table), bom=True)
    summary = write_atomic(out / "summary.txt", report.summary_vi() + "\n\n" + report.summary_en() + "\n")
    markdown = write_atomic(out / "report.md", markdown_text)
    page = write_atomic(out / "report.html", page_text)
    return ReportFiles(
        folder=out,
        csv=csv_path,
        totals=totals,
        renewals=renewals,
        summary=summary,
        markdown=markdown,
        html=page,
        chart=None,
        handovers=handovers,
    )


def _write_files(report: CampaignReport, out: Path, name: str | None, pages: tuple[str, str]) -> ReportFiles:
    """Write every report file into *out* (see :func:`write_report`); *pages* are report.md and report.html.

    The workbook and the chart, the slowest, are written beside the others
    where that is safe (:mod:`ansinh.io._side_writes`).
    """
    with side_writes() as start:
        workbook = start(lambda: write_xlsx(report, out / "report.xlsx"))
        drawn = start(lambda: write_chart(report, out / "chart.png")) if name else None
        files = _write_texts(report, out, pages)
        chart = drawn.result() if drawn is not None else None
        return attrs.evolve(files, chart=chart, xlsx=workbook.result())
