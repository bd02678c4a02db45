"""Loading a roster file: CSV or Excel, chosen by the file's suffix."""

from __future__ import annotations

import os
from pathlib import Path

from ansinh.exceptions import RosterError
from ansinh.io.roster.csv import parse_roster_csv
from ansinh.io.roster.values import Roster
from ansinh.io.roster.xlsx import load_roster_xlsx

__all__ = ["load_roster"]


def load_roster(path: str | os.PathLike[str], *, sheet: str | None = None) -> Roster:
    """Load a candidate list from a CSV or Excel file.

    Args:
        path: a ``.csv`` (or any text) file, or an ``.xlsx`` / ``.xlsm`` workbook.
        sheet: the worksheet to read (Excel only; default: the first).

    Returns:
        A :class:`~ansinh.io.roster.values.Roster` with the accepted people,
        every rejected row and the duplicates.

    Raises:
        RosterError: the file cannot be read at all (missing, not UTF-8, no
            header, a required column missing, openpyxl not installed …).
    """
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return load_roster_xlsx(p, sheet=sheet)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise RosterError(f"{p}: cannot be read ({e.strerror or e})") from None
    return parse_roster_csv(data, source=str(p))
