r"""Writing result files: never half-written, safe to open in a spreadsheet or a Markdown viewer.

Every file ansinh writes (rosters, public lists, reports, charts, ledger
exports) goes through :func:`write_atomic`: the data is written to a temporary
file beside the target and renamed over it only when complete.

Every CSV ansinh writes goes through :func:`csv_text`, which neutralises
formulas the OWASP way (:func:`spreadsheet_text`): a text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``,
so a name like ``=HYPERLINK(…)`` is shown, never run.  Numbers stay numbers
(a negative amount is written as ``-5``).  The roster reader takes the
``'`` off again (:func:`spreadsheet_value`), so a written roster reads back
to the same people.  Every XLSX cell goes through :func:`workbook_cell`
(the same, and the control characters a workbook cannot hold shown as
``\ufffd``).  Markdown text goes through :func:`markdown_text`.

>>> print(csv_text([["id", "name", "amount"], ["R1", "=1+1", -5], ["R2", "'@x", 7]]), end="")
id,name,amount
R1,'=1+1,-5
R2,''@x,7
>>> spreadsheet_value("'=1+1"), spreadsheet_value("''@x"), spreadsheet_value("'quoted")
('=1+1', "'@x", "'quoted")
"""

from __future__ import annotations

import csv
import errno
import html
import io
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from ansinh.exceptions import AnsinhError, OutputFileError

__all__ = [
    "FORMULA_STARTS",
    "csv_text",
    "markdown_text",
    "read_limited",
    "spreadsheet_text",
    "spreadsheet_value",
    "workbook_cell",
    "write_atomic",
]

FORMULA_STARTS: Final = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)."""


def _formula_like(text: str) -> bool:
    """Whether *text*, after any leading ``'``, starts like a formula (then one more ``'`` is needed)."""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in FORMULA_STARTS


def spreadsheet_text(text: str) -> str:
    r"""*text* as a CSV or XLSX cell: a ``'`` in front if a spreadsheet would read it as a formula.

    A text already starting with ``'`` before a formula character gets one
    more, so :func:`spreadsheet_value` gives back exactly *text*.

    >>> spreadsheet_text("-Lan"), spreadsheet_text("Lan"), spreadsheet_text("\tx")
    ("'-Lan", 'Lan', "'\tx")
    """
    return "'" + text if _formula_like(text) else text


_NOT_IN_WORKBOOKS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters XML 1.0, so an XLSX file, cannot hold (tab, line feed and carriage return it can)."""


def workbook_cell(value: object) -> object:
    r"""*value* as an XLSX cell: text through :func:`spreadsheet_text`, each control character a workbook
    cannot hold shown as ``\ufffd`` (U+FFFD); numbers, dates and blanks as they are.

    Every workbook ansinh writes takes its cells from here, so a text a
    campaign file let through (a NUL in a sponsor's name) never stops a
    report from being written; the CSV files keep the text exactly.

    >>> workbook_cell("=1+1"), workbook_cell("Ngân\x00hàng") == "Ngân\ufffdhàng", workbook_cell(5), workbook_cell(None)
    ("'=1+1", True, 5, None)
    """
    if not isinstance(value, str):
        return value
    return _NOT_IN_WORKBOOKS.sub("\ufffd", spreadsheet_text(value))


def spreadsheet_value(cell: str) -> str:
    """A cell written by :func:`spreadsheet_text`, as it was before: the added ``'`` taken off."""
    return cell[1:] if cell.startswith("'") and _formula_like(cell[1:]) else cell


def csv_text(rows: Iterable[Iterable[object]], *, lineterminator: str = "\n") -> str:
    """Rows as CSV text: strings through :func:`spreadsheet_text`, numbers as numbers, ``None`` blank.

    Raises:
        TypeError: never for the types ansinh writes (str, int, None); any other value is written as its ``str``.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=lineterminator)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str):
        return spreadsheet_text(value)
    if value is None or isinstance(value, int | float):
        return value
    return spreadsheet_text(str(value))


def markdown_text(text: str) -> str:
    r"""*text* as one Markdown table cell or line: HTML escaped (``<script>`` is shown, never run), ``\`` and ``|`` escaped, on one line.

    >>> markdown_text("<script>alert(1)</script> | a\nb")
    '&lt;script&gt;alert(1)&lt;/script&gt; \\| a b'
    """
    text = html.escape(" ".join(text.split()), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|")


def read_limited(path: Path, limit: int, name: str, error: type[AnsinhError]) -> bytes:
    """The bytes of the regular file *path*, refused with *error* past *limit* bytes or if not a file.

    A device (``/dev/zero``), a pipe or a folder is refused before it is
    read, and no more than *limit* + 1 bytes are ever read: the error names
    the limit (*name*, one of :mod:`ansinh.limits`).

    Raises:
        AnsinhError: *error*, naming the file and the problem.
    """
    try:
        exists, regular = path.exists(), path.is_file()
    except (OSError, ValueError) as e:  # a name too long, a NUL in the name
        raise error(f"{path}: cannot be read ({getattr(e, 'strerror', None) or e})") from None
    if not exists:
        raise error(f"{path}: cannot be read ({os.strerror(errno.ENOENT)})")
    if not regular:
        raise error(f"{path}: not a regular file (a folder or a device)")
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except (OSError, ValueError) as e:
        raise error(f"{path}: cannot be read ({getattr(e, 'strerror', None) or e})") from None
    if len(data) > limit:
        raise error(f"{path}: larger than {limit} bytes (ansinh.limits.{name})")
    return data


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes | Iterable[str],
    *,
    bom: bool = False,
    durable: bool = False,
) -> Path:
    """Write *data* to *path* through a temporary file and a rename.

    Args:
        path: the target; its folder is created if missing.
        data: text (written as UTF-8, newlines untranslated), bytes, or an
            iterable of text chunks (written one after the other, so a large
            export need not be held in memory).
        bom: start a text file with a UTF-8 byte-order mark (Excel then shows
            Vietnamese correctly).
        durable: ``fsync`` the file before the rename, for ledgers.

    Returns:
        The target path.

    Raises:
        OutputFileError: the file cannot be written; the target is unchanged
            and no temporary file is left.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "xin chào").read_text(encoding="utf-8")
    'xin chào'
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(data)
                if durable:
                    raw.flush()
                    os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                for chunk in (data,) if isinstance(data, str) else data:
                    fh.write(chunk)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
        raise
    return target
