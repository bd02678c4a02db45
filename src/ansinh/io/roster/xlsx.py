"""Reading a roster from an Excel workbook (``.xlsx`` / ``.xlsm``) with the optional ``openpyxl``."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from ansinh.exceptions import RosterError
from ansinh.io.roster.cells import stored_number_text
from ansinh.io.roster.columns import column_for
from ansinh.io.roster.csv import RowProgress
from ansinh.io.roster.parse import parse_roster_rows
from ansinh.io.roster.values import Cell, Roster
from ansinh.limits import MAX_XLSX_BYTES, MAX_XLSX_PART_BYTES
from ansinh.progress import counted

__all__ = ["load_roster_xlsx", "sheet_cells"]


def _whole_number(value: object) -> int | None:
    """The whole number a numeric cell holds (Excel stores numbers as floats), else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _excel_cell(value: object, zero_pad: int = 0) -> Cell:
    """A cell as the loader reads it: text as written; numbers through :func:`stored_number_text`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, dt.date):
        return value
    number = _whole_number(value)
    if number is not None:
        return stored_number_text(number, zero_pad)
    return str(value)


def _cells(rows: Iterable[Sequence[object]]) -> list[list[Cell]]:
    """Every row's cells, with the ``zero_pad`` of the column each cell is in (known from the header)."""
    cells: list[list[Cell]] = []
    widths: dict[int, int] = {}
    header_seen = False
    for r in rows:
        row = [_excel_cell(v, widths.get(i, 0)) for i, v in enumerate(r)]
        if not header_seen and any(not isinstance(c, str) or c.strip() for c in row):  # the header: see parse
            header_seen = True
            columns = [column_for(c) if isinstance(c, str) else None for c in row]
            widths = {i: col.zero_pad for i, col in enumerate(columns) if col is not None and col.zero_pad}
        cells.append(row)
    return cells


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


def load_roster_xlsx(path: Path, *, sheet: str | None = None, progress: RowProgress | None = None) -> Roster:
    """Read a roster from the first worksheet of a workbook, or the one *sheet* names.

    *progress*, if given, is called as ``progress(rows read, rows)`` while the
    sheet is read (every thousand rows and at the end; ``rows`` is the
    sheet's size as the workbook states it, or the rows read so far).

    Raises:
        RosterError: openpyxl is not installed, the workbook cannot be read
            or is past :data:`~ansinh.limits.MAX_XLSX_BYTES` or
            :data:`~ansinh.limits.MAX_XLSX_PART_BYTES`,
            *sheet* is not in it, or the rows are not a roster (see
            :func:`~ansinh.io.roster.parse.parse_roster_rows`).
    """
    return parse_roster_rows(sheet_cells(path, sheet=sheet, progress=progress), source=str(path))


def sheet_cells(
    path: Path, *, sheet: str | None = None, progress: RowProgress | None = None
) -> list[list[Cell]]:
    """The cells of a roster's worksheet as the roster reads them (numbers zero-padded back where the column says).

    Raises:
        RosterError: as :func:`load_roster_xlsx`, but for the rows not being a roster.
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
        found = ws.iter_rows(values_only=True)
        if progress is not None:
            total = ws.max_row or 0
            found = counted(found, lambda n: progress(n, max(total, n)), every=1000)
        return _cells(found)
    finally:
        wb.close()
