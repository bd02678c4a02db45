"""Reading a roster from CSV: UTF-8 with or without a byte-order mark, separated by ``,``, ``;`` or tabs."""

from __future__ import annotations

import csv
import io

from ansinh.exceptions import InvalidValueError, RosterError
from ansinh.io.roster.parse import parse_text_rows
from ansinh.io.roster.values import Roster

__all__ = ["parse_roster_csv"]


def _delimiter(text: str) -> str:
    """The separator the header line uses most (``,`` when it has none)."""
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_roster_csv(data: bytes | str, *, source: str = "<csv>") -> Roster:
    """Read a roster from CSV bytes (UTF-8, with or without BOM) or text.

    Raises:
        RosterError: not UTF-8, not CSV, no header, or a required column missing.

    >>> r = parse_roster_csv("Họ và tên,Ngày sinh,Tỉnh,Số CCCD\\n"
    ...                      "Lê Thị Hoa,05/03/1962,Thái Bình,034162001234\\n"
    ...                      "Ngô Văn Tư,31/02/1970,33,\\n")
    >>> [(p.full_name, p.province, p.masked_cccd) for p in r.people]
    [('Lê Thị Hoa', '33', '0341******34')]
    >>> [(x.row, x.column, x.reason) for x in r.rejected]
    [(3, 'Ngày sinh', 'no such day: use dd/mm/yyyy or yyyy-mm-dd')]
    """
    if isinstance(data, bytes | bytearray):
        try:
            text = bytes(data).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise RosterError(
                f"{source}: not UTF-8 text (byte {e.start}); save the file as 'CSV UTF-8' or as .xlsx"
            ) from None
    elif isinstance(data, str):
        text = data.removeprefix("\ufeff")
    else:
        raise InvalidValueError("data", type(data).__name__, "bytes or str")
    if "\x00" in text:
        raise RosterError(f"{source}: contains NUL characters; this is not a CSV text file")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
        return parse_text_rows(reader, source=source)
    except csv.Error as e:
        raise RosterError(f"{source}: not readable as CSV ({e})") from None
