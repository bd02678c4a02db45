"""``POST /screen``: a roster in (JSON lines, or a CSV / XLSX upload), ranked decisions out as JSON lines.

Two ways to send a roster:

* ``Content-Type: application/x-ndjson`` (or ``application/jsonl``): the
  first line says what to screen for (``{"product", "on", "campaign"}``,
  see :class:`~ansinh.serve.reading.ScreenRequest`), every further line is
  one person (its data, or a whole person document).  Blank lines are
  skipped; a line that cannot be read becomes a ``rejected_row`` line of the
  answer (``row`` is its line number), like a bad row of a CSV file.
* ``Content-Type: multipart/form-data``: a part ``request`` (the same JSON
  object), a file part ``roster`` (``.csv``, or ``.xlsx`` / ``.xlsm`` by its
  file name or content type, read by :mod:`ansinh.io.roster`) and an optional
  part ``sheet``.

The answer (``application/x-ndjson``) is one JSON document per line: a
``decision`` document per person, eligible people first by priority (as
:func:`ansinh.screen` ranks them), then the others; a ``rejected_row`` line
per problem found in the input; a ``duplicate`` line per identifier found
on several rows (files only); and last, a ``screening_summary`` line, so a
reader knows the answer is complete.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import attrs

from ansinh.core.eligibility import Screening
from ansinh.core.people import Person
from ansinh.exceptions import RosterError
from ansinh.io.roster import Duplicate, RejectedRow, Roster, load_roster, parse_roster_csv
from ansinh.serialization import dump_document
from ansinh.serve.documents import (
    duplicate_document,
    rejected_row_document,
    screening_summary_document,
)
from ansinh.serve.limits import XLSX_EXPANSION, Limits
from ansinh.serve.problems import FieldProblem, Problem, ProblemError, ProblemType, shown_value
from ansinh.serve.reading import ScreenRequest, parse_json, read_value, screen_request

__all__ = [
    "JSON_LINES_TYPES",
    "XLSX_TYPE",
    "ScreenInput",
    "read_json_lines",
    "read_upload",
    "screening_lines",
]

JSON_LINES_TYPES: Final = ("application/x-ndjson", "application/jsonl", "application/json-lines")
"""The media types of a JSON lines body (the first is the one the answer uses)."""
XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
"""The media type of an ``.xlsx`` upload."""

_LINES_PER_CHUNK: Final = 200


@attrs.frozen(kw_only=True)
class ScreenInput:
    """A roster as received: what to screen for, the people read, what could not be read."""

    request: ScreenRequest
    people: tuple[Person, ...]
    rejected: tuple[RejectedRow, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    source: str = ""
    """The file name of an upload; ``""`` for JSON lines."""

    @property
    def rejected_rows(self) -> int:
        """How many rows (lines) had at least one problem."""
        return len({r.row for r in self.rejected})


def _too_many(rows: int, limits: Limits) -> ProblemError:
    problem = FieldProblem(
        field="rows",
        value=rows,
        allowed=f"at most {limits.max_rows} rows per request; split the roster",
        allowed_vi=f"tối đa {limits.max_rows} dòng mỗi yêu cầu; hãy chia nhỏ danh sách",
    )
    return ProblemError(Problem(type=ProblemType.TOO_MANY_ROWS, errors=(problem,)))


def read_json_lines(body: bytes, *, limits: Limits) -> ScreenInput:
    """Read a JSON lines body: what to screen for, then one person per line.

    Raises:
        ProblemError: no first line, a first line that cannot be read (400 or
            422), or more than ``limits.max_rows`` people (422).
    """
    lines = [(n, line) for n, line in enumerate(body.split(b"\n"), 1) if line.strip()]
    if not lines:
        allowed = 'a first line {"product": ..., "on": ...}, then one person per line'
        raise ProblemError(Problem.invalid("body", None, allowed))
    first, header = lines[0]
    request = screen_request(parse_json(header, field=f"line {first}"))
    if len(lines) - 1 > limits.max_rows:
        raise _too_many(len(lines) - 1, limits)
    people: list[Person] = []
    rejected: list[RejectedRow] = []
    for number, line in lines[1:]:
        try:
            people.append(read_value(parse_json(line, field="line"), Person, "person", document=True))
        except ProblemError as exc:
            rejected.extend(
                RejectedRow(
                    row=number,
                    column=e.field or "",
                    value="" if e.value is None else shown_value(e.value),
                    reason=e.allowed,
                )
                for e in exc.problem.errors
            )
    return ScreenInput(request=request, people=tuple(people), rejected=tuple(rejected))


def _is_xlsx(filename: str, content_type: str) -> bool:
    return (
        Path(filename).suffix.lower() in (".xlsx", ".xlsm") or content_type.split(";")[0].strip() == XLSX_TYPE
    )


def _check_workbook(data: bytes, limits: Limits) -> None:
    """Refuse a workbook that unpacks to far more than a request may hold (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip at all: the roster reader says what is wrong
    most = XLSX_EXPANSION * limits.max_body_bytes
    if size > most:
        problem = FieldProblem(
            field="roster",
            value=f"{size} bytes unpacked",
            allowed=f"a workbook that unpacks to at most {most} bytes",
            allowed_vi=f"tệp Excel giải nén không quá {most} byte",
        )
        raise ProblemError(Problem(type=ProblemType.CONTENT_TOO_LARGE, errors=(problem,)))


def _load_workbook(data: bytes, filename: str, sheet: str | None) -> Roster:
    with tempfile.TemporaryDirectory(prefix="ansinh-serve-") as tmp:
        path = Path(tmp) / ("roster" + (Path(filename).suffix.lower() or ".xlsx"))
        path.write_bytes(data)
        try:
            return attrs.evolve(load_roster(path, sheet=sheet), source=filename)
        except RosterError as exc:  # name the upload, not the temporary file
            raise RosterError(str(exc).replace(str(path), filename)) from None


def read_upload(
    *, request: object, filename: str, content_type: str, data: bytes, sheet: str | None, limits: Limits
) -> ScreenInput:
    """Read an uploaded roster file and what to screen it for.

    Args:
        request: the decoded ``request`` part (see :class:`~ansinh.serve.reading.ScreenRequest`).
        filename: the file name the client gave.
        content_type: the part's content type.
        data: the file's bytes.
        sheet: the worksheet to read (Excel only).
        limits: the server's limits.

    Raises:
        ProblemError: a bad ``request`` part (422), too many rows (422), a
            workbook that unpacks too large (413).
        RosterError: the file cannot be read at all (422).
    """
    settings = screen_request(request)
    if _is_xlsx(filename, content_type):
        _check_workbook(data, limits)
        roster = _load_workbook(data, filename, sheet)
    else:
        roster = parse_roster_csv(data, source=filename)
    rows = len(roster.people) + len(roster.rejected_rows)
    if rows > limits.max_rows:
        raise _too_many(rows, limits)
    return ScreenInput(
        request=settings,
        people=roster.people,
        rejected=roster.rejected,
        duplicates=roster.duplicates,
        source=filename,
    )


def _line(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def screening_lines(screening: Screening, given: ScreenInput) -> Iterator[bytes]:
    """The answer of ``POST /screen``, a few hundred lines per chunk (see the module docstring)."""

    def lines() -> Iterator[str]:
        for decision in screening.decisions:
            yield _line(dump_document(decision))
        for row in given.rejected:
            yield _line(rejected_row_document(row))
        for duplicate in given.duplicates:
            yield _line(duplicate_document(duplicate))
        yield _line(
            screening_summary_document(
                screening,
                source=given.source,
                people=len(given.people),
                rejected_rows=given.rejected_rows,
                duplicates=len(given.duplicates),
            )
        )

    chunk: list[str] = []
    for text in lines():
        chunk.append(text)
        if len(chunk) >= _LINES_PER_CHUNK:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")
