"""Loading a roster file: CSV or Excel, chosen by the file's suffix."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ansinh.exceptions import InvalidValueError, RosterError
from ansinh.io.files import read_limited
from ansinh.io.roster.csv import RowProgress, check_progress, csv_rows, csv_text
from ansinh.io.roster.parse import TextRow, cell_rows, read_text_rows
from ansinh.io.roster.values import Roster
from ansinh.io.roster.xlsx import sheet_cells
from ansinh.limits import MAX_ROSTER_BYTES

__all__ = ["load_roster", "roster_rows"]


def load_roster(
    path: str | os.PathLike[str], *, sheet: str | None = None, progress: RowProgress | None = None
) -> Roster:
    """Load a candidate list from a CSV or Excel file.

    Args:
        path: a ``.csv`` (or any text) file, or an ``.xlsx`` / ``.xlsm`` workbook.
        sheet: the worksheet to read (Excel only; default: the first).
        progress: called as ``progress(rows read, rows)`` while the file is
            read (lines of a CSV file, rows of a sheet), e.g.
            ``tqdm_progress().step("read")`` (:mod:`ansinh.progress`).

    Returns:
        A :class:`~ansinh.io.roster.values.Roster` with the accepted people,
        every rejected row and the duplicates.

    Raises:
        RosterError: the file cannot be read at all (missing, not UTF-8, no
            header, a required column missing, openpyxl not installed, larger
            than :data:`~ansinh.limits.MAX_ROSTER_BYTES` …).
        InvalidValueError: *path* is not a path, *sheet* not a string, or
            *progress* not a callable.
    """
    return read_text_rows(roster_rows(path, sheet=sheet, progress=progress), source=str(path))


def roster_rows(
    path: str | os.PathLike[str], *, sheet: str | None = None, progress: RowProgress | None = None
) -> Iterator[TextRow]:
    """The rows of a roster file exactly as :func:`load_roster` reads them, the header first, as text.

    A reader of columns the roster does not know (a campaign folder's
    ``Đơn vị liên quan``, ``Bệnh viện``) reads them with this, so that it
    splits lines, numbers rows and finds the header (:func:`~ansinh.io.roster.parse.split_header`)
    as the roster does.  A CSV file's rows that cannot be split keep their
    :attr:`~ansinh.io.roster.parse.TextRow.problem`.

    Raises:
        RosterError: as :func:`load_roster` (the file cannot be read at all).
        InvalidValueError: as :func:`load_roster`.
    """
    if not isinstance(path, str | os.PathLike) or (isinstance(path, str) and not path.strip()):
        raise InvalidValueError("path", path, "a path to a .csv, .xlsx or .xlsm file")
    if sheet is not None and not isinstance(sheet, str):
        raise InvalidValueError("sheet", sheet, "a worksheet name, or None for the first")
    check_progress(progress)
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return cell_rows(sheet_cells(p, sheet=sheet, progress=progress))
    data = read_limited(p, MAX_ROSTER_BYTES, "MAX_ROSTER_BYTES", RosterError)
    return csv_rows(csv_text(data, source=str(p)), source=str(p), progress=progress)
