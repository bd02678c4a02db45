"""Rows of cells → :class:`~ansinh.io.roster.values.Roster`: the header, then one person or some problems per row.

A load reads column by column, as :data:`~ansinh.io.roster.columns.COLUMNS`
says (each distinct cell of a column is parsed once: a roster repeats the same
few dates, provinces and categories thousands of times), then row by row
applies the rules that combine columns — a former province when the province
cell is blank, both hospital dates or neither, the nationality when there is
no citizen cell, the review flag from the categories cell, one id per person
— and builds the person with :class:`~ansinh.core.people.Person`: every check
it makes applies, and whatever it refuses becomes a rejected row naming the
column.  A row's problems are listed in COLUMNS order.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import repeat
from typing import Any, Final, NamedTuple

from ansinh.core.identifiers import mask_id
from ansinh.core.messages import shown
from ansinh.core.people import Category, Person
from ansinh.exceptions import InvalidValueError, RosterError
from ansinh.io.files import spreadsheet_value
from ansinh.io.roster.columns import COLUMNS, HEADERS, Column, column_for
from ansinh.io.roster.values import Cell, Duplicate, RejectedRow, Roster
from ansinh.limits import MAX_CELL_CHARACTERS

__all__ = ["TextRow", "cell_rows", "parse_roster_rows", "parse_text_rows", "read_text_rows", "split_header"]

_IDENTIFIERS: Final = ("cccd", "social_insurance_number")
_REQUIRED: Final = ("full_name", "date_of_birth")
_POSITION: Final = {c.field: position for position, c in enumerate(COLUMNS)}
_WHOLE_ROW: Final = -1
_CHUNK: Final = 512
_STAY: Final = ("hospital_admission", "hospital_discharge")
_NO_CATEGORIES: Final[frozenset[Category]] = frozenset()


def parse_roster_rows(rows: Iterable[Sequence[Cell]], *, source: str = "<rows>") -> Roster:
    """Build a roster from rows of cells; the first non-blank row is the header.

    This is what the Excel reader calls; use it for rows from any other source
    (a database, a web form).  Date cells (Excel's) are read as ISO dates.

    Raises:
        RosterError: no header, a required column missing, or two columns
            with the same meaning.
        InvalidValueError: a cell is neither a str nor a datetime.date.

    >>> r = parse_roster_rows([["Họ và tên", "Ngày sinh", "Tỉnh"], ["Lê Văn An", "02/02/1980", "Nghệ An"]])
    >>> [(p.full_name, p.date_of_birth.year, p.province) for p in r]
    [('Lê Văn An', 1980, '40')]
    """
    return read_text_rows(cell_rows(rows), source=source)


def cell_rows(rows: Iterable[Sequence[Cell]]) -> Iterator[TextRow]:
    """Rows of cells as the rows a reader found, numbered from 1, a date cell as its ISO text.

    Raises:
        InvalidValueError: (while the rows are read) a cell is neither a str nor a datetime.date.
    """
    for number, cells in enumerate(rows, start=1):
        yield TextRow(number, [_text_cell(c) for c in cells])


def parse_text_rows(rows: Iterable[Sequence[str]], *, source: str = "<rows>") -> Roster:
    """:func:`parse_roster_rows` for rows whose cells are all text.

    Raises:
        RosterError: no header, a required column missing, or two columns
            with the same meaning.
    """
    return read_text_rows(
        (TextRow(number, cells) for number, cells in enumerate(rows, start=1)), source=source
    )


class TextRow(NamedTuple):
    """A row as a file reader found it: where it starts, its cells, how many lines it spans."""

    number: int
    """The row (CSV: line) it starts on; the header's is 1 in a file without leading blank rows."""
    cells: Sequence[str]
    """Its cells as text."""
    lines: int = 1
    """How many lines of the file it spans (a quoted CSV cell may hold line breaks)."""
    problem: str = ""
    """Why the reader could not split it into cells (an unclosed quote …): the whole row is rejected."""


def read_text_rows(rows: Iterable[TextRow], *, source: str = "<rows>") -> Roster:
    """Build a roster from the rows a file reader found; the first non-blank row is the header.

    Every line after the header ends as a person, a rejected row, a blank line
    or a line of a multi-line cell, and the load checks that they add up
    (:attr:`Roster.lines_read <ansinh.io.roster.values.Roster.lines_read>`).

    Raises:
        RosterError: no header, a required column missing, two columns with
            the same meaning, or (a bug) lines that do not add up.
    """
    header, it = split_header(rows, source=source)
    load = _Load(source, header.cells)
    # _CHUNK rows at a time: each column is read at once, and the rows do not all stay in memory.
    while chunk := list(itertools.islice(it, _CHUNK)):
        load.read_rows(chunk)
    return load.roster()


def split_header(rows: Iterable[TextRow], *, source: str = "<rows>") -> tuple[TextRow, Iterator[TextRow]]:
    """A roster's header, its first non-blank row, and the rows after it (blank rows before it are skipped).

    Raises:
        RosterError: no header, or the reader could not split the header row.
    """
    it = iter(rows)
    header = next((r for r in it if r.problem or "".join(r.cells).strip()), None)
    if header is None:
        raise RosterError(f"{source}: empty — no header row")
    if header.problem:
        raise RosterError(f"{source}: the header row cannot be read: {header.problem}")
    return header, it


def _text_cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, dt.date):
        return (cell.date() if isinstance(cell, dt.datetime) else cell).isoformat()
    raise InvalidValueError("cell", cell, "a str or a datetime.date")


def _shown(field: str, value: str) -> str:
    # identifier columns masked whole (even a short value); RejectedRow masks digit runs in any column
    return mask_id(value) or "" if field in _IDENTIFIERS else value


def _match_header(source: str, header: Sequence[str]) -> tuple[list[str], dict[str, int], tuple[str, ...]]:
    """The headers as written, the cell index of each recognised field, the ignored headers."""
    names = [h.strip().lstrip("\ufeff") for h in header]
    fields: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(names):
        if not name:
            continue
        column = column_for(name)
        if column is None:
            ignored.append(name)
            continue
        if column.field in fields:
            raise RosterError(
                f"{source}: columns {names[fields[column.field]]!r} and {name!r} both mean {column.field!r}; keep one"
            )
        fields[column.field] = i
    missing = [f for f in _REQUIRED if f not in fields]
    if "province" not in fields and "former_province" not in fields:
        missing.append("province")
    if missing:
        wanted = "; ".join(f"{f}: one of {', '.join(repr(a) for a in HEADERS[f])}" for f in missing)
        raise RosterError(f"{source}: missing required column(s) — {wanted}; found {names!r}")
    return names, fields, tuple(ignored)


class _Refused(NamedTuple):
    """A cell its parser refused, and why."""

    reason: str


def _parsed(parse: Callable[[str], Any], text: str) -> Any:
    try:
        return parse(text)
    except InvalidValueError as e:
        return _Refused(e.allowed)


class _Problem(NamedTuple):
    position: int
    """Where the field is in COLUMNS (the order a row's problems are listed in)."""
    field: str
    value: str
    reason: str


class _Load:
    """One load: the columns the file has, the people accepted so far, the problems, the parsed cells."""

    def __init__(self, source: str, header: Sequence[str]) -> None:
        self.source = source
        self.names, self.fields, self.ignored = _match_header(source, header)
        self.people: list[Person] = []
        self.rows: list[int] = []
        self.rejected: list[RejectedRow] = []
        self.ids: dict[str, int] = {}  # id -> row of each accepted person
        self.lines_read = self.blank_lines = self.joined_lines = 0
        self.spans: dict[int, int] = {}  # row -> lines it spans, for rows of more than one line
        # parser -> (text -> value or _Refused, the texts refused): each distinct cell is parsed once
        self.memo: dict[Callable[[str], Any], tuple[dict[str, Any], set[str]]] = {}

    def read_rows(self, chunk: Sequence[TextRow]) -> None:
        """Count the lines of rows after the header, and read those that are not blank."""
        body: list[tuple[int, Sequence[str]]] = []
        for row in chunk:
            self.lines_read += row.lines
            if row.lines > 1:
                self.spans[row.number] = row.lines
            if row.problem:  # rejected whole, in its place among the others
                self.read(body)
                body = []
                self.rejected.append(RejectedRow(row.number, "", " ".join(row.cells), row.problem))
            elif "".join(row.cells).strip():
                body.append((row.number, row.cells))
            else:
                self.blank_lines += row.lines
                continue
            self.joined_lines += row.lines - 1
        self.read(body)

    def read(self, body: Sequence[tuple[int, Sequence[str]]]) -> None:
        """Read rows after the header: (row number, cells)."""
        if not body:
            return
        problems: dict[int, list[_Problem]] = {}
        # the rows padded to the header's width, turned into columns (longer rows' extra cells are blank)
        columns = list(zip(*self.fit(body, problems), strict=False))
        texts: dict[str, list[str]] = {}
        values: dict[str, list[Any]] = {}
        for column in COLUMNS:
            index = self.fields.get(column.field)
            if index is None:
                continue
            cells = list(map(str.strip, columns[index]))
            joined = "\n".join(cells)  # a cell starting with ' starts the text or follows a line break
            if joined[:1] == "'" or "\n'" in joined:  # a formula neutralised by a writer: its ' taken off
                cells = [spreadsheet_value(c) for c in cells]
            if column.instead_of in texts:
                cells = [
                    c if not other else "" for c, other in zip(cells, texts[column.instead_of], strict=True)
                ]
            texts[column.field] = cells
            values[column.field] = self.read_column(column, cells, problems)
        numbers = [number for number, _ in body]
        self.add_rows(
            numbers, self.person_fields(numbers, _Columns(len(body), texts, values), problems), problems
        )

    def fit(
        self, body: Sequence[tuple[int, Sequence[str]]], problems: dict[int, list[_Problem]]
    ) -> list[Sequence[str]]:
        """The rows padded to the header's width; more non-blank cells than headers is a problem."""
        width = len(self.names)
        rows = [cells for _, cells in body]
        # a cell over the limit makes its row's text over it too: only then are the cells measured
        if max(map(len, map("".join, rows)), default=0) > MAX_CELL_CHARACTERS:
            for i, cells in enumerate(rows):
                longest = max(map(len, cells))
                if longest > MAX_CELL_CHARACTERS:
                    reason = f"a cell of {longest} characters: at most {MAX_CELL_CHARACTERS} (ansinh.limits)"
                    problems.setdefault(i, []).append(_Problem(_WHOLE_ROW, "", "", reason))
                    rows[i] = [""] * width
        if set(map(len, rows)) <= {width}:
            return rows
        for i, cells in enumerate(rows):
            n = len(cells)
            if n > width and any(c.strip() for c in cells[width:]):
                reason = f"more cells than the {width} headers"
                problems.setdefault(i, []).append(_Problem(_WHOLE_ROW, "", f"{n} cells", reason))
            elif n < width:
                rows[i] = [*cells, *([""] * (width - n))]
        return rows

    def read_column(self, column: Column, cells: list[str], problems: dict[int, list[_Problem]]) -> list[Any]:
        """The value of each cell (``None`` if blank or refused); a problem for each refused cell or required blank."""
        parse, position = column.parse, _POSITION[column.field]
        refused: list[int] = []
        if parse is None:
            values: list[Any] = cells
        elif column.memo:  # each distinct cell parsed once per load
            memo, refusals = self.memo.setdefault(parse, ({"": None}, set()))
            try:  # every cell seen before in this load (so most chunks): looked up, no set built
                values = list(map(memo.__getitem__, cells))
            except KeyError:  # the cells not seen before, each parsed once
                for text in set(cells).difference(memo):
                    memo[text] = value = _parsed(parse, text)
                    if type(value) is _Refused:
                        refusals.add(text)
                values = list(map(memo.__getitem__, cells))
            if not refusals.isdisjoint(cells):
                refused = [i for i, text in enumerate(cells) if text in refusals]
        else:
            values = [_parsed(parse, text) if text else None for text in cells]
            refused = [i for i, v in enumerate(values) if type(v) is _Refused]
        for i in refused:
            problems.setdefault(i, []).append(_Problem(position, column.field, cells[i], values[i].reason))
            values[i] = None
        if column.required and "" in cells:
            for i in [i for i, text in enumerate(cells) if not text]:
                problems.setdefault(i, []).append(_Problem(position, column.field, "", column.required))
        return values

    def person_fields(
        self, numbers: list[int], c: _Columns, problems: dict[int, list[_Problem]]
    ) -> dict[str, list[Any]]:
        """Each :class:`~ansinh.core.people.Person` field, row by row: the rules that combine columns."""
        self.require_province(c, problems)
        categories = [
            v or (_NO_CATEGORIES, False) for v in c.value("categories")
        ]  # (categories, review flag)
        return {
            "id": [text or f"row-{number}" for text, number in zip(c.text("id"), numbers, strict=True)],
            "full_name": c.text("full_name"),
            "date_of_birth": c.value("date_of_birth"),
            "province": [
                p if p is not None else f
                for p, f in zip(c.value("province"), c.value("former_province"), strict=True)
            ],
            "categories": [cats for cats, _ in categories],
            "cccd": c.value("cccd"),
            "social_insurance_number": c.value("social_insurance_number"),
            "commune": c.text("commune"),
            "household_id": [text or None for text in c.text("household_id")],
            # no citizen cell: the nationality, if given, says; neither: a citizen
            "vietnamese_citizen": [
                v if v is not None else n if n is not None else True
                for v, n in zip(c.value("vietnamese_citizen"), c.value("nationality"), strict=True)
            ],
            "difficult_circumstances": [
                flag or v or False
                for (_, flag), v in zip(categories, c.value("difficult_circumstances"), strict=True)
            ],
            "compulsory_si": [v or False for v in c.value("compulsory_si")],
            "receives_pension": [v or False for v in c.value("receives_pension")],
            "bhyt_valid_until": c.value("bhyt_valid_until"),
            "left_poverty_on": c.value("left_poverty_on"),
            "vsi_supported_months": [v or 0 for v in c.value("vsi_supported_months")],
            "hospital_stay": self.hospital_stays(c, problems),
        }

    def add_rows(
        self, numbers: list[int], fields: dict[str, list[Any]], problems: dict[int, list[_Problem]]
    ) -> None:
        """Each row's person, or its problems (an id already taken is one).

        A chunk with no problem and no id taken twice is built in one go; if a
        person is refused there, the chunk is built again row by row (a person
        is a value: building one again changes nothing).
        """
        ids, people, rows = self.ids, self.people, self.rows
        pids = fields["id"]
        if not problems and ids.keys().isdisjoint(pids) and len(set(pids)) == len(pids):
            try:
                made = _people(fields)
            except InvalidValueError:
                pass
            else:
                ids.update(zip(pids, numbers, strict=True))
                people += made
                rows += numbers
                return
        # each row's keyword arguments: its (field, value) pairs made into a dict, looped over by C
        kwargs = map(dict, map(zip, repeat(tuple(fields)), zip(*fields.values(), strict=True)))
        for i, (number, pid, person) in enumerate(zip(numbers, pids, kwargs, strict=True)):
            found = problems.get(i) or []
            if pid in ids:
                found.append(self.problem("id", pid, f"the same id as row {ids[pid]}"))
            if not found:
                try:
                    accepted = Person(**person)
                except InvalidValueError as e:
                    shown_value = e.value if isinstance(e.value, str) else shown(e.value)
                    found.append(self.problem(e.field, shown_value, e.allowed))
                else:
                    ids[pid] = number
                    people.append(accepted)
                    rows.append(number)
                    continue
            self.reject(number, found)

    def require_province(self, c: _Columns, problems: dict[int, list[_Problem]]) -> None:
        """A row needs a province or a former province."""
        field = "province" if "province" in self.fields else "former_province"
        if "" not in c.text("province") or "" not in c.text("former_province"):
            return  # every row has one of them: no row need be looked at
        for i, (current, former) in enumerate(
            zip(c.text("province"), c.text("former_province"), strict=True)
        ):
            if not current and not former:
                problems.setdefault(i, []).append(self.problem(field, "", "required: a province"))

    def hospital_stays(
        self, c: _Columns, problems: dict[int, list[_Problem]]
    ) -> list[tuple[dt.date, dt.date] | None]:
        """Admission and discharge of each row: both dates or neither, discharge not before admission."""
        if not any(itertools.chain(*(c.text(f) for f in _STAY))):
            return c.none  # no admission or discharge cell (or no such column): no row need be looked at
        stays: list[tuple[dt.date, dt.date] | None] = []
        rows = zip(*(c.text(f) for f in _STAY), *(c.value(f) for f in _STAY), strict=True)
        for i, (admitted_text, discharged_text, admitted, discharged) in enumerate(rows):
            stay = None
            if admitted_text or discharged_text:
                for field, text in zip(_STAY, (admitted_text, discharged_text), strict=True):
                    if not text:
                        reason = "both admission and discharge dates are needed for a hospital stay"
                        problems.setdefault(i, []).append(self.problem(field, "", reason))
                if admitted is not None and discharged is not None:
                    if discharged < admitted:
                        problem = self.problem(_STAY[1], discharged_text, "before the admission date")
                        problems.setdefault(i, []).append(problem)
                    else:
                        stay = (admitted, discharged)
            stays.append(stay)
        return stays

    @staticmethod
    def problem(field: str, value: str, reason: str) -> _Problem:
        return _Problem(_POSITION.get(field, len(COLUMNS)), field, value, reason)

    def reject(self, number: int, problems: list[_Problem]) -> None:
        """Record a row's problems in COLUMNS order, each naming its header as written."""
        for p in sorted(problems, key=lambda p: p.position):
            i = self.fields.get(p.field)
            column = self.names[i] if i is not None else p.field
            self.rejected.append(RejectedRow(number, column, _shown(p.field, p.value), p.reason))

    def roster(self) -> Roster:
        self.check_lines()
        return Roster(
            source=self.source,
            people=tuple(self.people),
            rows=tuple(self.rows),
            rejected=tuple(self.rejected),
            duplicates=_duplicates(self.people, self.rows),
            columns=tuple((self.names[i], f) for f, i in sorted(self.fields.items(), key=lambda kv: kv[1])),
            ignored_columns=self.ignored,
            lines_read=self.lines_read,
            blank_lines=self.blank_lines,
            joined_lines=self.joined_lines,
        )

    def check_lines(self) -> None:
        """Every line read is a person, a rejected row, a blank line or part of a multi-line row."""
        rejected = {r.row for r in self.rejected}
        outcomes = len(self.people) + len(rejected) + self.blank_lines + self.joined_lines
        spanned = sum(self.spans.get(n, 1) for n in itertools.chain(self.rows, rejected)) + self.blank_lines
        if not outcomes == spanned == self.lines_read or rejected.intersection(self.rows):
            raise RosterError(
                f"{self.source}: {self.lines_read} lines read but {outcomes} accounted for "
                f"({len(self.people)} people, {len(rejected)} rejected rows, {self.blank_lines} blank lines, "
                f"{self.joined_lines} lines inside multi-line cells); this is a bug in ansinh, please report it"
            )


def _people(fields: dict[str, list[Any]]) -> list[Person]:
    """``Person(**row)`` for each row of *fields* (:meth:`_Load.person_fields`); the first refusal is raised.

    The keywords are named once here, not made into a dict for every row.
    """
    f = fields
    return [
        Person(
            id=pid,
            full_name=name,
            date_of_birth=born,
            province=province,
            categories=categories,
            cccd=cccd,
            social_insurance_number=si_number,
            commune=commune,
            household_id=household,
            vietnamese_citizen=citizen,
            difficult_circumstances=difficult,
            compulsory_si=compulsory,
            receives_pension=pension,
            bhyt_valid_until=card_end,
            left_poverty_on=left_poverty,
            vsi_supported_months=months,
            hospital_stay=stay,
        )
        for (
            pid,
            name,
            born,
            province,
            categories,
            cccd,
            si_number,
            commune,
            household,
            citizen,
            difficult,
            compulsory,
            pension,
            card_end,
            left_poverty,
            months,
            stay,
        ) in zip(
            f["id"],
            f["full_name"],
            f["date_of_birth"],
            f["province"],
            f["categories"],
            f["cccd"],
            f["social_insurance_number"],
            f["commune"],
            f["household_id"],
            f["vietnamese_citizen"],
            f["difficult_circumstances"],
            f["compulsory_si"],
            f["receives_pension"],
            f["bhyt_valid_until"],
            f["left_poverty_on"],
            f["vsi_supported_months"],
            f["hospital_stay"],
            strict=True,
        )
    ]


def _duplicates(people: Sequence[Person], rows: Sequence[int]) -> tuple[Duplicate, ...]:
    """People sharing a CCCD or a mã số BHXH, ordered by first row, then cccd first, then identifier."""
    found: list[tuple[int, int, str, str, list[int]]] = []
    for n, field in enumerate(_IDENTIFIERS):
        first: dict[str, int] = {}  # identifier -> index of the first person carrying it
        repeated: dict[str, list[int]] = {}  # identifier carried more than once -> indices of all
        for index, ident in enumerate([getattr(p, field) for p in people]):
            if ident is not None and first.setdefault(ident, index) != index:
                repeated.setdefault(ident, [first[ident]]).append(index)
        found += ((rows[indices[0]], n, ident, field, indices) for ident, indices in repeated.items())
    return tuple(
        Duplicate(
            field,
            mask_id(ident) or "",
            tuple(rows[i] for i in indices),
            tuple(people[i].id for i in indices),
        )
        for _, _, ident, field, indices in sorted(found)
    )


class _Columns:
    """The columns read: each field's cells (stripped) and values, blank or ``None`` where the file has none."""

    __slots__ = ("blank", "none", "texts", "values")

    def __init__(self, n: int, texts: dict[str, list[str]], values: dict[str, list[Any]]) -> None:
        self.texts, self.values = texts, values
        self.blank: list[str] = [""] * n
        self.none: list[Any] = [None] * n

    def text(self, field: str) -> list[str]:
        """The cells of *field*, stripped (``""`` when blank or when the file has no such column)."""
        return self.texts.get(field, self.blank)

    def value(self, field: str) -> list[Any]:
        """The values of *field* (``None`` when blank, refused, or when the file has no such column)."""
        return self.values.get(field, self.none)
