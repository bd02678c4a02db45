"""Reading a roster from CSV: UTF-8 with or without a byte-order mark, separated by ``,``, ``;`` or tabs."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Final

from ansinh.exceptions import InvalidValueError, RosterError
from ansinh.io.roster.parse import TextRow, read_text_rows
from ansinh.io.roster.values import Roster
from ansinh.limits import MAX_CELL_CHARACTERS, MAX_ROSTER_BYTES

__all__ = [
    "RowProgress",
    "check_progress",
    "csv_rows",
    "csv_text",
    "delimiter_of",
    "parse_roster_csv",
    "text_rows",
]

RowProgress = Callable[[int, int], None]
"""``progress(done, total)``: rows (lines of a CSV file) read so far, of all."""

_REPORT_EVERY: Final = 1000  # lines between two progress calls


def delimiter_of(text: str) -> str:
    r"""The separator of a CSV text: the one of ``,``, ``;`` and tab its header line uses most (``,`` when it has none).

    The header line is the first with a character other than separators and
    spaces (blank lines before it are skipped, as the header rule skips
    them: :func:`~ansinh.io.roster.parse.split_header`).  Every CSV file
    ansinh reads (rosters, sponsors, pledges) is split by this rule.

    >>> delimiter_of("Họ và tên;Ngày sinh;Tỉnh\nA;01/01/1980;01\n"), delimiter_of("a\tb,c\td"), delimiter_of("id")
    (';', '\t', ',')
    >>> delimiter_of("\n;;\nMã;Họ và tên\n")
    ';'
    """
    start = 0
    while True:
        end = text.find("\n", start)  # the lines one by one, the rest of the text not copied
        line = text[start:] if end < 0 else text[start:end]
        if end < 0 or line.strip(" \t\r,;"):
            break
        start = end + 1
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


_LINE: Final = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")  # the lines the csv module sees


def _swallowed(number: int, span: int) -> str:
    if span == 1:
        return f"unclosed quote on line {number}: close the quote or remove it"
    end = number + span - 1
    lines = f"line {end}" if span == 2 else f"lines {number + 1}–{end}"
    return (
        f"unclosed quote from line {number} swallowed {lines}: line {number} is kept out "
        "and the lines after it are read on their own; close the quote or remove it"
    )


def text_rows(text: str, delimiter: str) -> Iterator[TextRow]:
    r"""The rows of a CSV text, each with the line it starts on and the lines it spans.

    A quoted cell may hold line breaks, so a row may span several lines; but
    a stray opening quote would swallow every line up to the next quote.  A
    row spanning several lines is read as one only if its quotes are closed,
    it has as many cells as the header and none of its later lines looks like
    a row of its own (as many separators as the header); otherwise its first line becomes
    a rejected row saying which lines the quote swallowed, and reading goes
    on from the next line.  So every line ends in exactly one row.

    >>> [(r.number, r.lines, r.problem[:30]) for r in text_rows('a,b\nx,"y\nz,w\n', ",")]
    [(1, 1, ''), (2, 1, 'unclosed quote from line 2 swa'), (3, 1, '')]
    >>> [(r.number, r.lines, r.cells) for r in text_rows('a,b\nx,"y\nz"\n', ",")]
    [(1, 1, ['a', 'b']), (2, 2, ['x', 'y\nz'])]
    """
    last = _line_count(text)
    lines: list[str] = []  # the text's lines (as _LINE finds them), split only when a row needs them
    width: int | None = None
    start = 0
    while start < last:
        # the same lines as _LINE: a StringIO with newline="" ends a line at \r\n, \r or \n, as written
        source = io.StringIO(text, newline="") if start == 0 else itertools.islice(lines, start, None)
        reader = csv.reader(source, delimiter=delimiter, strict=False)
        consumed = start
        for cells in reader:
            number, consumed = consumed + 1, start + reader.line_num
            span = consumed - number + 1
            if width is None and "".join(cells).strip():
                width = len(cells)
            if span > 1:
                lines = lines or _LINE.findall(text)
                spanned = lines[number - 1 : consumed]
            elif number == last:  # an unclosed quote may end the text
                spanned = _LINE.findall(text, _last_line_start(text))
            else:
                spanned = []
            if spanned and _broken(spanned, cells, width, delimiter):
                yield TextRow(number, [spanned[0].rstrip("\r\n")], 1, _swallowed(number, span))
                lines = lines or _LINE.findall(text)
                start = number  # the next line, read afresh
                break
            yield TextRow(number, cells, span)
        else:
            return


def _broken(lines: list[str], cells: list[str], width: int | None, delimiter: str) -> bool:
    """Whether the lines of one row hold an unclosed quote, or look like several rows run together.

    Several lines are one row only with as many cells as the header, and with
    no line after the first that has a row's worth of separators (a cell
    holding a line break has a line or two of text, not the next row).
    """
    if sum(line.count('"') for line in lines) % 2:
        return True
    if len(lines) == 1 or width is None:
        return False
    return len(cells) != width or any(line.count(delimiter) >= width - 1 for line in lines[1:])


def _line_count(text: str) -> int:
    """The lines :data:`_LINE` finds, counted without listing them."""
    returns = text.count("\r")  # most files have none: then the \r\n pairs need no count
    breaks = text.count("\n") + (returns - text.count("\r\n") if returns else 0)
    return breaks + (1 if text and text[-1] not in "\r\n" else 0)


def _last_line_start(text: str) -> int:
    """Where the last of the lines :data:`_LINE` finds starts (0 for a text of one line)."""
    end = len(text) - (2 if text.endswith("\r\n") else 1 if text.endswith(("\r", "\n")) else 0)
    return max(text.rfind("\n", 0, end), text.rfind("\r", 0, end)) + 1


def _reported(rows: Iterator[TextRow], total: int, progress: RowProgress) -> Iterator[TextRow]:
    """*rows*, calling ``progress(lines read, total)`` as they are read and once at the end."""
    told = 0
    for row in rows:
        yield row
        read = row.number + row.lines - 1
        if read - told >= _REPORT_EVERY:
            progress(read, total)
            told = read
    progress(total, total)


def check_progress(progress: object) -> None:
    """Check that *progress* is a callable ``progress(done, total)``, or ``None``.

    Raises:
        InvalidValueError: it is neither.
    """
    if progress is not None and not callable(progress):
        raise InvalidValueError("progress", progress, "a callable progress(done, total), or None")


def parse_roster_csv(
    data: bytes | str, *, source: str = "<csv>", progress: RowProgress | None = None
) -> Roster:
    """Read a roster from CSV bytes (UTF-8, with or without BOM) or text.

    *progress*, if given, is called as ``progress(lines read, lines)`` while
    the rows are read (every thousand lines and at the end).

    Raises:
        RosterError: not UTF-8, not CSV, no header, a required column missing,
            or more than :data:`~ansinh.limits.MAX_ROSTER_BYTES` bytes.
        InvalidValueError: *data* is neither bytes nor str, or *progress* not a callable.

    >>> r = parse_roster_csv("Họ và tên,Ngày sinh,Tỉnh,Số CCCD\\n"
    ...                      "Lê Thị Hoa,05/03/1962,Thái Bình,034162001234\\n"
    ...                      "Ngô Văn Tư,31/02/1970,33,\\n")
    >>> [(p.full_name, p.province, p.masked_cccd) for p in r.people]
    [('Lê Thị Hoa', '33', '0341******34')]
    >>> [(x.row, x.column, x.reason) for x in r.rejected]
    [(3, 'Ngày sinh', 'no such day: use dd/mm/yyyy or yyyy-mm-dd')]
    """
    check_progress(progress)
    return read_text_rows(
        csv_rows(csv_text(data, source=source), source=source, progress=progress), source=source
    )


def csv_text(data: bytes | str, *, source: str = "<csv>") -> str:
    """The text of a CSV file's bytes (UTF-8, with or without BOM) or text, checked as :func:`parse_roster_csv` checks it.

    Raises:
        RosterError: not UTF-8, holding NUL characters, or more than
            :data:`~ansinh.limits.MAX_ROSTER_BYTES` bytes.
        InvalidValueError: *data* is neither bytes nor str.
    """
    if isinstance(data, bytes | bytearray | str) and len(data) > MAX_ROSTER_BYTES:
        raise RosterError(f"{source}: larger than {MAX_ROSTER_BYTES} bytes (ansinh.limits.MAX_ROSTER_BYTES)")
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
    return text


def csv_rows(text: str, *, source: str = "<csv>", progress: RowProgress | None = None) -> Iterator[TextRow]:
    """The rows of a roster's CSV text as the roster reads them (:func:`text_rows`, split by :func:`delimiter_of`).

    *progress*, if given, is called as ``progress(lines read, lines)``.

    Raises:
        RosterError: (while the rows are read) a cell is too long for the csv module.
    """
    rows = text_rows(text, delimiter_of(text))
    if progress is not None:
        rows = _reported(rows, _line_count(text), progress)
    try:
        yield from rows
    except csv.Error as e:  # a cell over the csv module's field size limit (131072 characters)
        raise RosterError(
            f"{source}: not readable as CSV ({e}); a cell may hold at most "
            f"{MAX_CELL_CHARACTERS} characters (ansinh.limits.MAX_CELL_CHARACTERS)"
        ) from None
