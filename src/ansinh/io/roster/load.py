"""Loading a roster file: CSV or Excel, chosen by the file's suffix."""

from __future__ import annotations

import os
from pathlib import Path

from ansinh.exceptions import InvalidValueError, RosterError
from ansinh.io.files import read_limited
from ansinh.io.roster.csv import RowProgress, check_progress, parse_roster_csv
from ansinh.io.roster.values import Roster
from ansinh.io.roster.xlsx import load_roster_xlsx
from ansinh.limits import MAX_ROSTER_BYTES

__all__ = ["load_roster"]


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
    if not isinstance(path, str | os.PathLike) or (isinstance(path, str) and not path.strip()):
        raise InvalidValueError("path", path, "a path to a .csv, .xlsx or .xlsm file")
    if sheet is not None and not isinstance(sheet, str):
        raise InvalidValueError("sheet", sheet, "a worksheet name, or None for the first")
    check_progress(progress)
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return load_roster_xlsx(p, sheet=sheet, progress=progress)
    data = read_limited(p, MAX_ROSTER_BYTES, "MAX_ROSTER_BYTES", RosterError)
    return parse_roster_csv(data, source=str(p), progress=progress)
