"""Writing a national report and a year series to files: CSV, XLSX, Markdown, HTML with charts.

:func:`write_national_report` follows the conventions of
:mod:`ansinh.io.report_files`: every file goes through a temporary file and a
rename (:func:`~ansinh.io.files.write_atomic`), CSV files are UTF-8 with a
byte-order mark, and only ids and figures appear (never names or identity
numbers).  Into one folder it writes:

``national.csv``
    every breakdown row (:meth:`~ansinh.core.national.RollupRow.as_dict`).
``totals.csv``
    the headline figures, one per line.
``series.csv``
    the year series, when one is given (empty figures: not published).
``national.xlsx``
    the same tables, one sheet each — only when openpyxl is installed
    (``pip install 'ansinh[excel]'``).
``summary.txt``
    the Vietnamese summary sentence, then the English one.
``national.md`` and ``national.html``
    the summary, the totals, each breakdown and the series as tables; the HTML
    page draws a bar chart by province and a chart of the years (inline SVG: no
    plotting library, no extra file).

Text cells of the CSV and XLSX files are safe to open in a spreadsheet: they go
through :func:`~ansinh.io.files.csv_text` and
:func:`~ansinh.io.files.workbook_cell`, so formula-like text is never run.
Markdown cells go through :func:`~ansinh.io.files.markdown_text`; the HTML page
is escaped throughout.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ansinh.core.dates import format_date
from ansinh.core.money import format_vnd
from ansinh.core.national import NATIONAL_DIMENSIONS, Backing, NationalReport, RollupRow
from ansinh.core.reporting import format_count
from ansinh.core.series import SeriesRow
from ansinh.exceptions import OutputFileError
from ansinh.io.files import csv_text, markdown_text, workbook_cell, write_atomic

__all__ = [
    "NationalFiles",
    "render_national_html",
    "render_national_markdown",
    "write_national_report",
]

_TITLES: Final = {
    "province": "Theo tỉnh, thành phố",
    "level": "Theo cấp đăng ký (Trung ương / địa phương)",
    "sponsor_kind": "Theo loại nhà tài trợ",
    "funds_source": "Theo nguồn kinh phí",
    "campaign": "Theo chương trình",
}
_COLUMNS: Final = (
    ("label", ""),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("tet_gifts", "Quà Tết"),
    ("value", "Giá trị"),
    ("central_value", "Do Trung ương"),
    ("people", "Số người"),
    ("sponsors", "Nhà tài trợ"),
    ("registered", "Đăng ký"),
    ("money", "Tiền"),
    ("unit_value", "Hiện vật (quy tiền)"),
    ("received", "Đã nhận"),
)
_MONEY: Final = frozenset(
    {
        "value",
        "central_value",
        "registered",
        "money",
        "unit_value",
        "received",
        "mobilised",
        "instalments_due",
        "instalments_overdue",
    }
)
_SERIES_COLUMNS: Final = (
    ("year", "Năm"),
    ("backing", "Số liệu"),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("books_and_cards", "Sổ và thẻ"),
    ("tet_gifts", "Quà Tết"),
    ("people", "Số người"),
    ("value", "Giá trị"),
    ("mobilised", "Huy động"),
    ("source", "Nguồn"),
)


@attrs.frozen(kw_only=True)
class NationalFiles:
    """The files :func:`write_national_report` wrote."""

    folder: Path
    csv: Path
    totals: Path
    series: Path | None
    xlsx: Path | None
    """``None`` when openpyxl is not installed."""
    summary: Path
    markdown: Path
    html: Path

    @property
    def all(self) -> tuple[Path, ...]:
        """Every file written."""
        files = (self.csv, self.totals, self.series, self.xlsx, self.summary, self.markdown, self.html)
        return tuple(f for f in files if f is not None)


def _csv_text(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    return csv_text([header, *rows])


def _tables(
    report: NationalReport, series: Sequence[SeriesRow]
) -> dict[str, tuple[list[str], list[list[object]]]]:
    """Every table as (header, rows) by sheet name: what CSV and XLSX files hold."""
    row_dicts = [r.as_dict() for r in report.rows]
    header = list(RollupRow(dimension="", key="", label="").as_dict())
    tables = {
        "national": (header, [list(d.values()) for d in row_dicts]),
        "totals": (["figure", "value"], [[k, v] for k, v in report.totals().items()]),
    }
    if series:
        s_header = list(series[0].as_dict())
        tables["series"] = (s_header, [list(r.as_dict().values()) for r in series])
    return tables


def _cell(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key in _MONEY and isinstance(value, int):
        return format_vnd(value) if value else "—"
    if isinstance(value, bool):
        return "có" if value else ""
    if isinstance(value, int) and key != "year":
        return format_count(value) if value else "—"
    if key == "backing":
        return Backing(str(value)).label_vi
    return str(value)


def _shown(rows: Sequence[RollupRow]) -> list[tuple[str, str]]:
    return [(k, t) for k, t in _COLUMNS if k == "label" or any(r.as_dict()[k] for r in rows)]


def _row_label(r: RollupRow) -> str:
    return r.label + (" *" if r.backing is Backing.AGGREGATE else "")


def render_national_markdown(report: NationalReport, series: Sequence[SeriesRow] = ()) -> str:
    """The report (and the series, if given) as Markdown tables."""
    lines = [
        f"# {markdown_text(report.office)} — báo cáo ngày {format_date(report.on)}",
        "",
        markdown_text(report.summary_vi()),
        "",
    ]
    lines += ["## Tổng hợp", "", "| Chỉ tiêu | Giá trị |", "|---|---:|"]
    lines += [f"| {k} | {_cell(k, v)} |" for k, v in report.totals().items()]
    for dim in NATIONAL_DIMENSIONS:
        rows = report.rows_for(dim)
        if not rows:
            continue
        cols = _shown(rows)
        lines += ["", f"## {_TITLES[dim]}", ""]
        lines.append("| " + " | ".join(t for _, t in cols) + " |")
        lines.append("|" + "|".join("---" if k == "label" else "---:" for k, _ in cols) + "|")
        for r in rows:
            d = r.as_dict()
            cells = [_row_label(r) if k == "label" else _cell(k, d[k]) for k, _ in cols]
            lines.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    if any(r.backing is Backing.AGGREGATE for r in report.rows):
        lines += ["", "\\* số liệu đã công bố, không có danh sách từng người (nguồn ghi trong tệp CSV)."]
    if series:
        lines += ["", "## Qua các năm", ""]
        lines.append("| " + " | ".join(t for _, t in _SERIES_COLUMNS) + " |")
        lines.append(
            "|" + "|".join("---" if k in ("backing", "source") else "---:" for k, _ in _SERIES_COLUMNS) + "|"
        )
        for s in series:
            d = s.as_dict()
            approx = "≈ " if s.approximate else ""
            cells = [
                (approx if k == "books_and_cards" and d[k] is not None else "") + _cell(k, d[k])
                for k, _ in _SERIES_COLUMNS
            ]
            lines.append("| " + " | ".join(markdown_text(c) for c in cells) + " |")
    lines += ["", "---", "", markdown_text(report.summary_en()), ""]
    return "\n".join(lines)


def _bar_chart_svg(rows: Sequence[RollupRow]) -> str:
    """Gift value by province as horizontal bars (person rows only), in SVG."""
    data = sorted(
        ((r.value, r.label) for r in rows if r.backing is Backing.PERSONS and r.value), reverse=True
    )
    if not data:
        return ""
    top = data[0][0]
    width, bar_h, left = 640, 18, 190
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{len(data) * (bar_h + 6) + 30}" '
        'role="img" aria-label="Giá trị quà tặng theo tỉnh, thành phố">'
    ]
    for i, (value, label) in enumerate(data):
        y = 10 + i * (bar_h + 6)
        w = max(1, (value * (width - left - 120)) // top)
        parts.append(
            f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" font-size="12">{html.escape(label)}</text>'
            f'<rect x="{left}" y="{y}" width="{w}" height="{bar_h}" fill="#2a6ebb"/>'
            f'<text x="{left + w + 4}" y="{y + 13}" font-size="11">{html.escape(format_vnd(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _series_chart_svg(series: Sequence[SeriesRow]) -> str:
    """Books and cards per year as columns; published totals hatched grey, person-backed years blue."""
    data = [(s.year, s.books_and_cards or 0, s.backing) for s in series]
    top = max((n for _, n, _ in data), default=0)
    if not top:
        return ""
    col, gap, height = 56, 14, 220
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{len(data) * (col + gap) + 20}" height="{height + 50}" '
        'role="img" aria-label="Số sổ và thẻ qua các năm">'
    ]
    for i, (year, n, backing) in enumerate(data):
        h = (n * height) // top
        x = 10 + i * (col + gap)
        colour = "#2a6ebb" if backing is Backing.PERSONS else "#999999"
        parts.append(
            f'<rect x="{x}" y="{height - h + 20}" width="{col}" height="{h}" fill="{colour}"/>'
            f'<text x="{x + col // 2}" y="{height - h + 14}" text-anchor="middle" font-size="10">'
            f"{format_count(n) if n else '—'}</text>"
            f'<text x="{x + col // 2}" y="{height + 36}" text-anchor="middle" font-size="12">{year}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_national_html(report: NationalReport, series: Sequence[SeriesRow] = ()) -> str:
    """The report as one self-contained HTML page with its charts (escaped throughout)."""
    e = html.escape
    title = f"{report.office} — báo cáo ngày {format_date(report.on)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em}"
        "td.n{text-align:right}th{background:#eef}tr.aggregate td{color:#555;font-style:italic}</style>",
        "</head><body>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(report.summary_vi())}</p>",
        "<h2>Tổng hợp</h2><table>",
    ]
    parts += [
        f'<tr><th>{e(k)}</th><td class="n">{e(_cell(k, v))}</td></tr>' for k, v in report.totals().items()
    ]
    parts.append("</table>")
    chart = _bar_chart_svg(report.rows_for("province"))
    if chart:
        parts.append(f"<h2>Giá trị quà tặng theo tỉnh, thành phố</h2><figure>{chart}</figure>")
    for dim in NATIONAL_DIMENSIONS:
        rows = report.rows_for(dim)
        if not rows:
            continue
        cols = _shown(rows)
        parts.append(f"<h2>{e(_TITLES[dim])}</h2><table><tr>")
        parts += [f"<th>{e(t)}</th>" for _, t in cols]
        parts.append("</tr>")
        for r in rows:
            d = r.as_dict()
            cells = "".join(
                f"<td>{e(_row_label(r))}</td>" if k == "label" else f'<td class="n">{e(_cell(k, d[k]))}</td>'
                for k, _ in cols
            )
            cls = ' class="aggregate"' if r.backing is Backing.AGGREGATE else ""
            parts.append(f"<tr{cls}>{cells}</tr>")
        parts.append("</table>")
    if series:
        parts.append("<h2>Qua các năm</h2>")
        chart = _series_chart_svg(series)
        if chart:
            parts.append(
                f"<figure>{chart}<figcaption>Xanh: theo danh sách từng người; xám: số liệu đã công bố.</figcaption></figure>"
            )
        parts.append("<table><tr>" + "".join(f"<th>{e(t)}</th>" for _, t in _SERIES_COLUMNS) + "</tr>")
        for s in series:
            d = s.as_dict()
            cls = ' class="aggregate"' if s.backing is Backing.AGGREGATE else ""
            parts.append(
                f"<tr{cls}>" + "".join(f"<td>{e(_cell(k, d[k]))}</td>" for k, _ in _SERIES_COLUMNS) + "</tr>"
            )
        parts.append("</table>")
    parts.append(f'<hr><p lang="en">{e(report.summary_en())}</p></body></html>')
    return "\n".join(parts) + "\n"


def _write_xlsx(path: Path, tables: dict[str, tuple[list[str], list[list[object]]]]) -> Path | None:
    try:
        from openpyxl import Workbook
    except ImportError:
        return None
    wb = Workbook(write_only=True)
    for name, (header, rows) in tables.items():
        ws = wb.create_sheet(name)
        ws.append([workbook_cell(h) for h in header])
        for row in rows:
            ws.append([workbook_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return write_atomic(path, buf.getvalue())


def write_national_report(
    report: NationalReport,
    folder: str | os.PathLike[str],
    *,
    series: Sequence[SeriesRow] = (),
    xlsx: bool = True,
) -> NationalFiles:
    """Write the report files into *folder* (created if missing); see the module docstring.

    Args:
        report: the national report.
        folder: where to write.
        series: a year series to add (:func:`ansinh.core.series.year_series`).
        xlsx: write ``national.xlsx`` when openpyxl is installed.

    Raises:
        OutputFileError: a file cannot be written (nothing half-written is left).
    """
    out = Path(folder)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFileError(f"{out}: cannot create the report folder ({exc.strerror or exc})") from None
    tables = _tables(report, series)
    paths: dict[str, Any] = {
        name: write_atomic(out / f"{name}.csv", _csv_text(*table), bom=True) for name, table in tables.items()
    }
    return NationalFiles(
        folder=out,
        csv=paths["national"],
        totals=paths["totals"],
        series=paths.get("series"),
        xlsx=_write_xlsx(out / "national.xlsx", tables) if xlsx else None,
        summary=write_atomic(out / "summary.txt", report.summary_vi() + "\n\n" + report.summary_en() + "\n"),
        markdown=write_atomic(out / "national.md", render_national_markdown(report, series)),
        html=write_atomic(out / "national.html", render_national_html(report, series)),
    )
