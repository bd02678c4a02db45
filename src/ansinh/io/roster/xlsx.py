"""Reading a roster from an Excel workbook (``.xlsx`` / ``.xlsm``) with the optional ``openpyxl``."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from ansinh.exceptions import RosterError
from ansinh.io.roster.columns import column_for
from ansinh.io.roster.parse import parse_roster_rows
from ansinh.io.roster.values import Cell, Roster
from ansinh.limits import MAX_XLSX_BYTES, MAX_XLSX_PART_BYTES

__all__ = ["load_roster_xlsx"]


def _excel_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _zero_padded(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Excel drops the leading zeros of identifiers typed as numbers: put them back (see ``Column.zero_pad``)."""
    padded: list[list[Cell]] = []
    widths: dict[int, int] = {}
    header_seen = False
    for r in rows:
        if not header_seen and any(not isinstance(c, str) or c.strip() for c in r):  # the header: see parse
            header_seen = True
            for i, c in enumerate(r):
                column = column_for(c) if isinstance(c, str) else None
                if column is not None and column.zero_pad:
                    widths[i] = column.zero_pad
            padded.append(r)
            continue
        padded.append(
            [
                c.zfill(widths[i])
                if i in widths and isinstance(c, str) and c.isdigit() and len(c) < widths[i]
                else c
                for i, c in enumerate(r)
            ]
        )
    return padded


def _check_sizes(path: Path) -> None:
    """Refuse a workbook too large, or with a part that unzips too large, before openpyxl reads it."""
    try:
        size = path.stat().st_size
        if size > MAX_XLSX_BYTES:
            raise RosterError(f"{path}: larger than {MAX_XLSX_BYTES} bytes (ansinh.limits.MAX_XLSX_BYTES)")
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.file_size > MAX_XLSX_PART_BYTES:
                    raise RosterError(
                        f"{path}: the part {info.filename[:80]!r} unzips to {info.file_size} bytes, more than "
                        f"{MAX_XLSX_PART_BYTES} (ansinh.limits.MAX_XLSX_PART_BYTES)"
                    )
    except OSError as e:
        raise RosterError(f"{path}: cannot be read ({e.strerror or e})") from None
    except (zipfile.BadZipFile, ValueError) as e:
        raise RosterError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None


def load_roster_xlsx(path: Path, *, sheet: str | None = None) -> Roster:
    """Read a roster from the first worksheet of a workbook, or the one *sheet* names.

    Raises:
        RosterError: openpyxl is not installed, the workbook cannot be read
            or is past :data:`~ansinh.limits.MAX_XLSX_BYTES` or
            :data:`~ansinh.limits.MAX_XLSX_PART_BYTES`,
            *sheet* is not in it, or the rows are not a roster (see
            :func:`~ansinh.io.roster.parse.parse_roster_rows`).
    """
    try:
        import openpyxl
    except ImportError:
        raise RosterError(
            f"{path}: reading .xlsx files needs openpyxl; install it with: pip install 'ansinh[excel]'"
        ) from None
    _check_sizes(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise RosterError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise RosterError(f"{path}: sheet={sheet!r} not found; sheets: {', '.join(wb.sheetnames)}")
        rows = [[_excel_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    return parse_roster_rows(_zero_padded(rows), source=str(path))
