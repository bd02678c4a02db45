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
    the summary, the totals and each breakdown as tables, and the chart.
``chart.png``
    gift value by province — only when matplotlib is installed
    (``pip install 'ansinh[chart]'``); the other files never need it.
``report.xlsx``
    the totals, one sheet per breakdown and the renewal list (:func:`write_xlsx`)
    — only when openpyxl is installed (``ansinh[excel]``).

Every file is written through a temporary file and renamed, so a reader never
sees half a report.  Only ids (never names or identity numbers) appear.  Text
a spreadsheet would run as a formula gets a leading ``'`` in the CSV files and the workbook
(:func:`~ansinh.io.files.csv_text`); text in ``report.md`` is escaped
(:func:`~ansinh.io.files.markdown_text`: ``<script>`` is shown, never run)
and in ``report.html`` too.
"""

from __future__ import annotations

import html
import io
import os
from pathlib import Path
from typing import Any

import attrs

from ansinh.core.dates import format_date
from ansinh.core.money import format_vnd
from ansinh.core.reporting import DIMENSIONS, CampaignReport, ReportRow, format_count
from ansinh.exceptions import AnsinhError
from ansinh.io.files import csv_text, markdown_text, spreadsheet_text, write_atomic

__all__ = ["ReportFiles", "render_html", "render_markdown", "write_chart", "write_report", "write_xlsx"]

_DIMENSION_TITLES = {
    "province": "Theo tỉnh, thành phố",
    "product": "Theo loại quà",
    "sponsor_kind": "Theo loại nhà tài trợ",
    "strategy": "Theo cách huy động",
    "year": "Theo năm mua",
    "pledge": "Theo khoản tài trợ",
    "hospital_level": "Quà Tết theo tuyến bệnh viện",
    "hospital": "Quà Tết theo bệnh viện",
}
_OPTIONAL_DIMENSIONS = frozenset({"hospital_level", "hospital"})
"""Breakdowns left out of the workbook when they have no row (a campaign without Tết gifts)."""

_HANDOVER_COLUMNS = (
    ("on", "Ngày"),
    ("place", "Địa điểm"),
    ("leader", "Trưởng đoàn"),
    ("reference", "Văn bản"),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("tet_gifts", "Quà Tết"),
    ("value", "Giá trị (đ)"),
    ("people", "Số người"),
)
_HANDOVER_TITLE = "Lễ trao tặng"

_TOTAL_LABELS = {
    "sponsors": "Nhà tài trợ",
    "pledges": "Khoản tài trợ",
    "pledged_money": "Số tiền đăng ký (đ)",
    "received": "Số tiền đã nhận (đ)",
    "committed": "Số tiền đã phân bổ (đ)",
    "spent": "Số tiền đã chi mua (đ)",
    "leftover": "Đã nhận chưa sử dụng (đ)",
    "uncommitted": "Đăng ký chưa phân bổ (đ)",
    "health_cards": "Thẻ BHYT",
    "social_books": "Sổ BHXH",
    "tet_gifts": "Suất quà Tết",
    "value": "Tổng giá trị (đ)",
    "delivered_value": "Giá trị đã trao (đ)",
    "people_covered": "Số người được hỗ trợ",
    "cost_per_person": "Bình quân mỗi người (đ)",
    "provinces": "Số tỉnh, thành phố",
    "expiring_soon": "Sắp hết hạn (cần gia hạn)",
}

_ROW_COLUMNS = (
    ("label", ""),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("tet_gifts", "Quà Tết"),
    ("value", "Giá trị"),
    ("people", "Số người"),
    ("pledged", "Đăng ký"),
    ("received", "Đã nhận"),
    ("spent", "Đã chi"),
)
_MONEY_COLUMNS = frozenset({"value", "pledged", "received", "spent"})
_COUNTED = frozenset({"health_cards", "social_books", "tet_gifts", "value", "people"})


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


def _cell(row: ReportRow, key: str) -> str:
    value = row.as_dict()[key]
    if key in _MONEY_COLUMNS:
        return format_vnd(value) if value else "—"
    if isinstance(value, int):
        return format_count(value) if value else "—"
    return str(value)


def _columns(rows: tuple[ReportRow, ...]) -> list[tuple[str, str]]:
    """The columns worth showing: the label, then any column with a non-zero value."""
    return [(k, t) for k, t in _ROW_COLUMNS if k == "label" or any(r.as_dict()[k] for r in rows)]


def _handover_cells(report: CampaignReport) -> list[list[str]]:
    """Each ceremony's cells as a reader sees them (dates dd/mm/yyyy, amounts and counts formatted)."""
    out = []
    for row in report.handovers:
        data = row.as_dict()
        cells = []
        for key, _ in _HANDOVER_COLUMNS:
            value = data[key]
            if key == "on":
                cells.append(format_date(row.handover.on))
            elif key == "value":
                cells.append(format_vnd(value) if value else "—")
            elif isinstance(value, int):
                cells.append(format_count(value) if value else "—")
            else:
                cells.append(str(value))
        out.append(cells)
    return out


def _hospital_note(report: CampaignReport, dim: str) -> str:
    """The sentence under the hospital breakdown ("tại Bệnh viện Việt Đức, …")."""
    where = report.hospitals_text() if dim == "hospital" else ""
    return f"Quà Tết cho bệnh nhân có hoàn cảnh khó khăn {where}." if where else ""


def _totals_rows(report: CampaignReport) -> list[tuple[str, str]]:
    out = []
    for key, value in report.totals().items():
        label = _TOTAL_LABELS.get(key, key)
        out.append((label, format_vnd(value) if label.endswith("(đ)") else format_count(value)))
    return out


def render_markdown(report: CampaignReport, *, chart: str | None = None) -> str:
    """The report as Markdown (GitHub tables); *chart* is the image file name to show, if any."""
    c = report.campaign
    m = markdown_text
    lines = [f"# {m(c.name)}", ""]
    if c.plan_reference:
        lines += [f"*{m(c.plan_reference)}* — báo cáo ngày {format_date(report.on)}", ""]
    lines += [m(report.summary_vi()), "", "## Tổng hợp", "", "| Chỉ tiêu | Giá trị |", "|---|---:|"]
    lines += [f"| {m(label)} | {m(value)} |" for label, value in _totals_rows(report)]
    if chart:
        lines += ["", f"![Giá trị quà tặng theo tỉnh, thành phố]({chart})"]
    for dim in DIMENSIONS:
        rows = report.rows_for(dim)
        if not rows:
            continue
        cols = _columns(rows)
        lines += ["", f"## {_DIMENSION_TITLES[dim]}", ""]
        if _hospital_note(report, dim):
            lines += [m(_hospital_note(report, dim)), ""]
        lines.append("| " + " | ".join(t or "" for _, t in cols) + " |")
        lines.append("|" + "|".join("---" if k == "label" else "---:" for k, _ in cols) + "|")
        for r in rows:
            lines.append("| " + " | ".join(m(_cell(r, k)) for k, _ in cols) + " |")
    if report.handovers:
        lines += ["", f"## {_HANDOVER_TITLE} ({len(report.handovers)})", ""]
        lines.append("| " + " | ".join(t for _, t in _HANDOVER_COLUMNS) + " |")
        lines.append("|" + "|".join("---:" if k in _COUNTED else "---" for k, _ in _HANDOVER_COLUMNS) + "|")
        lines += ["| " + " | ".join(m(c) for c in cells) + " |" for cells in _handover_cells(report)]
    lines += ["", f"## Sắp hết hạn trong {report.renewal_days} ngày ({len(report.expiring)})", ""]
    if report.expiring:
        lines += ["| Mã người | Tỉnh | Loại | Hết hạn | Còn (ngày) |", "|---|---|---|---|---:|"]
        for x in report.expiring:
            lines.append(
                f"| {m(x.person_id)} | {m(x.province)} | {x.kind.label_vi} | {format_date(x.valid_until)} | {x.days_left} |"
            )
    else:
        lines.append("Không có.")
    lines += ["", "---", "", m(report.summary_en()), ""]
    return "\n".join(lines)


def render_html(report: CampaignReport, *, chart: str | None = None) -> str:
    """The report as a self-contained HTML page; *chart* is the image file name to show, if any."""
    e = html.escape
    c = report.campaign
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{e(c.name)}</title>",
        "<style>body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
        "td.n{text-align:right}th{background:#eef}</style>",
        "</head><body>",
        f"<h1>{e(c.name)}</h1>",
    ]
    if c.plan_reference:
        parts.append(f"<p><em>{e(c.plan_reference)}</em> — báo cáo ngày {format_date(report.on)}</p>")
    parts.append(f"<p>{e(report.summary_vi())}</p>")
    parts.append("<h2>Tổng hợp</h2><table>")
    parts += [f'<tr><th>{e(k)}</th><td class="n">{e(v)}</td></tr>' for k, v in _totals_rows(report)]
    parts.append("</table>")
    if chart:
        parts.append(f'<p><img src="{e(chart)}" alt="Giá trị quà tặng theo tỉnh, thành phố"></p>')
    for dim in DIMENSIONS:
        rows = report.rows_for(dim)
        if not rows:
            continue
        cols = _columns(rows)
        parts.append(f"<h2>{e(_DIMENSION_TITLES[dim])}</h2>")
        if _hospital_note(report, dim):
            parts.append(f"<p>{e(_hospital_note(report, dim))}</p>")
        parts.append("<table><tr>")
        parts += [f"<th>{e(t)}</th>" for _, t in cols]
        parts.append("</tr>")
        for r in rows:
            cells = "".join(
                f"<td>{e(_cell(r, k))}</td>" if k == "label" else f'<td class="n">{e(_cell(r, k))}</td>'
                for k, _ in cols
            )
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    if report.handovers:
        parts.append(f"<h2>{e(_HANDOVER_TITLE)} ({len(report.handovers)})</h2><table><tr>")
        parts += [f"<th>{e(t)}</th>" for _, t in _HANDOVER_COLUMNS]
        parts.append("</tr>")
        for texts in _handover_cells(report):
            tds = "".join(
                f'<td class="n">{e(c)}</td>' if k in _COUNTED else f"<td>{e(c)}</td>"
                for (k, _), c in zip(_HANDOVER_COLUMNS, texts, strict=True)
            )
            parts.append(f"<tr>{tds}</tr>")
        parts.append("</table>")
    parts.append(f"<h2>Sắp hết hạn trong {report.renewal_days} ngày ({len(report.expiring)})</h2>")
    if report.expiring:
        parts.append(
            "<table><tr><th>Mã người</th><th>Tỉnh</th><th>Loại</th><th>Hết hạn</th><th>Còn (ngày)</th></tr>"
        )
        for x in report.expiring:
            parts.append(
                f"<tr><td>{e(x.person_id)}</td><td>{e(x.province)}</td><td>{e(x.kind.label_vi)}</td>"
                f'<td>{format_date(x.valid_until)}</td><td class="n">{x.days_left}</td></tr>'
            )
        parts.append("</table>")
    else:
        parts.append("<p>Không có.</p>")
    parts.append(f'<hr><p lang="en">{e(report.summary_en())}</p></body></html>')
    return "\n".join(parts) + "\n"


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
        # text cells through spreadsheet_text, as in every CSV: never read as a formula
        sheet.append([spreadsheet_text(v) if isinstance(v, str) else v for v in row])


def write_xlsx(report: CampaignReport, path: str | os.PathLike[str]) -> Path | None:
    """Write the report as a workbook: the totals, one sheet per breakdown, the renewal list.

    ``None`` when openpyxl is not installed (``ansinh[excel]``).  Amounts are
    whole-đồng numbers; text cells are safe to open (no formula).

    Raises:
        OutputFileError: the file cannot be written (nothing half-written is left).
    """
    try:
        import openpyxl
    except ImportError:
        return None
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    totals: list[list[object]] = [[_TOTAL_LABELS.get(k, k), v] for k, v in report.totals().items()]
    _sheet(workbook, "Tổng hợp", ["Chỉ tiêu", "Giá trị"], totals)
    for dimension in DIMENSIONS:
        rows = report.rows_for(dimension)
        if not rows and dimension in _OPTIONAL_DIMENSIONS:
            continue
        cols = _columns(rows)
        header = [_DIMENSION_TITLES[dimension] if k == "label" else title for k, title in cols]
        _sheet(
            workbook, _DIMENSION_TITLES[dimension], header, [[getattr(r, k) for k, _ in cols] for r in rows]
        )
    if report.handovers:
        _sheet(
            workbook,
            _HANDOVER_TITLE,
            [t for _, t in _HANDOVER_COLUMNS],
            [
                [row.handover.on if k == "on" else row.as_dict()[k] for k, _ in _HANDOVER_COLUMNS]
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


def write_report(
    report: CampaignReport, folder: str | os.PathLike[str], *, chart: bool = True
) -> ReportFiles:
    """Write the report files into *folder* (created if missing); see the module docstring.

    Args:
        report: the report.
        folder: where to write.
        chart: draw ``chart.png`` when matplotlib is installed.

    Raises:
        RosterError: a file cannot be written (nothing half-written is left).
    """
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AnsinhError(f"{out}: cannot create the report folder ({exc})") from None
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
    chart_path = write_chart(report, out / "chart.png") if chart else None
    name = chart_path.name if chart_path is not None else None
    markdown = write_atomic(out / "report.md", render_markdown(report, chart=name))
    page = write_atomic(out / "report.html", render_html(report, chart=name))
    xlsx = write_xlsx(report, out / "report.xlsx")
    return ReportFiles(
        folder=out,
        csv=csv_path,
        totals=totals,
        renewals=renewals,
        summary=summary,
        markdown=markdown,
        html=page,
        chart=chart_path,
        xlsx=xlsx,
        handovers=handovers,
    )
