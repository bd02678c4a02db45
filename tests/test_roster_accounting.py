"""Rows never lost: every line after the header is a person, a rejected row, a blank line or part of a cell."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.people import Person
from ansinh.exceptions import InvalidPersonError, InvalidValueError
from ansinh.io.roster import Roster, load_roster, parse_roster_csv
from ansinh.io.roster import parse as roster_parse
from ansinh.io.roster.csv import _last_line_start, _line_count, text_rows

HEADER = "Mã,Họ và tên,Ngày sinh,Tỉnh\n"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _adds_up(r: Roster) -> None:
    assert r.lines_read == len(r.people) + len(r.rejected_rows) + r.blank_lines + r.joined_lines
    assert not set(r.rows) & set(r.rejected_rows)


def test_a_stray_quote_swallows_nothing() -> None:
    r = parse_roster_csv(
        HEADER + 'R1,A,01/01/1980,01\nR2,"B,01/01/1980,01\nR3,C,01/01/1980,01\nR4,D,01/01/1980,01\n'
    )
    assert [p.id for p in r.people] == ["R1", "R3", "R4"]
    assert r.rows == (2, 4, 5)
    [bad] = r.rejected
    assert bad.row == 3
    assert bad.reason.startswith("unclosed quote from line 3 swallowed lines 4–5")
    assert bad.value == 'R2,"B,01/01/1980,01'
    assert r.lines_read == 4
    _adds_up(r)


def test_a_stray_quote_closed_by_another_keeps_the_lines_between() -> None:
    r = parse_roster_csv(HEADER + 'R1,"A,01/01/1980,01\nR2,B,01/01/1980,01\nR3,C",01/01/1980,01\n')
    assert [p.id for p in r.people] == ["R2"]
    assert r.rejected_rows == (2, 4)
    assert r.rejected[0].reason.startswith("unclosed quote from line 2 swallowed lines 3–4")
    _adds_up(r)


def test_a_cell_with_a_line_break_is_one_row() -> None:
    r = parse_roster_csv(HEADER + 'R1,"Nguyễn\nVăn A",01/01/1980,01\nR2,B,01/01/1980,01\n\n')
    assert [p.full_name for p in r.people] == ["Nguyễn\nVăn A", "B"]
    assert r.rows == (2, 4)
    assert (r.lines_read, r.blank_lines, r.joined_lines) == (4, 1, 1)
    _adds_up(r)


def test_an_unclosed_quote_on_the_last_line() -> None:
    r = parse_roster_csv(HEADER + 'R1,A,01/01/1980,01\nR2,"B,01/01/1980,01')
    assert [p.id for p in r.people] == ["R1"]
    assert r.rejected[0].reason.startswith("unclosed quote on line 3")
    _adds_up(r)


_CELL = st.text(alphabet='ab1/"\r\n ,;', max_size=12)
_ROW = st.lists(_CELL, max_size=6).map(",".join)


@given(st.lists(_ROW, max_size=15), st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_line_of_hostile_csv_is_accounted_for(rows: list[str], newline: str) -> None:
    text = HEADER.replace("\n", newline) + newline.join(rows)
    r = parse_roster_csv(text)
    _adds_up(r)
    assert r.lines_read == len(_LINE.findall(text)) - 1  # every line after the header


_TEXT = st.text(alphabet='ab,;"\r\n \x0b\x0c\x1c\x85\u2028', max_size=40)


@given(_TEXT)
def test_the_csv_reader_sees_the_lines_the_loader_counts(text: str) -> None:
    # text_rows reads a StringIO(newline="") and splits _LINE's lines only for multi-line rows
    assert list(io.StringIO(text, newline="")) == _LINE.findall(text)
    assert _line_count(text) == len(_LINE.findall(text))
    assert _LINE.findall(text, _last_line_start(text)) == _LINE.findall(text)[-1:]


@given(_TEXT, st.sampled_from([",", ";"]))
def test_text_rows_cover_every_line_once(text: str, delimiter: str) -> None:
    rows = list(text_rows(text, delimiter))
    starts = [r.number for r in rows]
    assert starts == sorted(set(starts))
    assert sum(r.lines for r in rows) == len(_LINE.findall(text))
    assert all(a.number + a.lines == b.number for a, b in itertools.pairwise(rows))


def test_xlsx_rows_are_accounted_for(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã", "Họ và tên", "Ngày sinh", "Tỉnh"])
    ws.append(["R1", "A", "01/01/1980", "01"])
    ws.append([None, None, None, None])
    ws.append(["R2", "B", "31/02/1980", "01"])
    ws.append(["R3", "C", "01/01/1980", "01"])
    ws.cell(row=7, column=2, value="D")  # a row after a gap
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    r = load_roster(path)
    assert r.rows == (2, 5)
    assert r.rejected_rows == (4, 7)
    assert (r.lines_read, r.blank_lines) == (6, 2)
    _adds_up(r)


_ID = st.sampled_from(["R1", "R2", "R3", ""])
_NAME = st.sampled_from(["Lê Văn An", "BAD", "", " "])
_DAY = st.sampled_from(["01/01/1980", "31/02/1980", "", "1980-05-05"])
_PROVINCE = st.sampled_from(["01", "79", "99", ""])
_PERSON_ROW = st.tuples(_ID, _NAME, _DAY, _PROVINCE).map(",".join)


@given(st.lists(_PERSON_ROW, max_size=12))
def test_a_chunk_reads_as_its_rows_one_by_one(rows: list[str]) -> None:
    # a chunk without problems is built in one go, and again row by row if a person is refused:
    # the roster is the same as when every row is a chunk of its own
    text = HEADER + "\n".join(rows)

    def refusing(**fields: object) -> Person:  # a person the loader cannot foresee being refused
        if fields["full_name"] == "BAD":
            raise InvalidPersonError("full_name", "BAD", "not BAD")
        return Person(**fields)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(roster_parse, "Person", refusing)
        whole = parse_roster_csv(text)
        mp.setattr(roster_parse, "_CHUNK", 1)
        one_by_one = parse_roster_csv(text)
    assert (whole.people, whole.rows, whole.rejected) == (
        one_by_one.people,
        one_by_one.rows,
        one_by_one.rejected,
    )
    assert all(p.full_name != "BAD" for p in whole.people)
    _adds_up(whole)


# the fields the loader gives a person (_Load.person_fields), each row's Person(**row)
_FIELDS = (
    "id",
    "full_name",
    "date_of_birth",
    "province",
    "categories",
    "cccd",
    "social_insurance_number",
    "commune",
    "household_id",
    "vietnamese_citizen",
    "difficult_circumstances",
    "compulsory_si",
    "receives_pension",
    "bhyt_valid_until",
    "left_poverty_on",
    "vsi_supported_months",
    "hospital_stay",
)
_BAD = st.sampled_from([None, "", " ", "99", "1980-01-01", -1, 2.0, True, ("x",), frozenset({"poor"}), ["x"]])


@st.composite
def _rows(draw: st.DrawFn) -> list[dict[str, object]]:
    """Rows of person fields, now and then one field of a row given a value a person may refuse."""
    rows = []
    for person in draw(st.lists(ast.people(), max_size=4)):
        row = {f: getattr(person, f) for f in _FIELDS}
        if draw(st.booleans()):
            row[draw(st.sampled_from(_FIELDS))] = draw(_BAD)
        rows.append(row)
    return rows


def _outcome(build: object) -> object:
    """What calling *build* gives: its people, or the refusal it raised (its type and message)."""
    try:
        return build()  # type: ignore[operator]
    except InvalidValueError as e:
        return type(e), str(e)


@settings(max_examples=150)
@given(_rows())
def test_the_people_of_a_chunk_are_each_rows_person(rows: list[dict[str, object]]) -> None:
    # _people names the keywords once instead of a dict per row: the same people, the same first refusal
    columns = {f: [row[f] for row in rows] for f in _FIELDS}
    assert _outcome(lambda: roster_parse._people(columns)) == _outcome(
        lambda: [Person(**row) for row in rows]  # type: ignore[arg-type]
    )


def test_the_people_of_a_chunk_get_every_field_the_loader_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    given_fields: list[set[str]] = []
    people = roster_parse._people

    def spy(fields: dict[str, list[object]]) -> list[Person]:
        given_fields.append(set(fields))
        return people(fields)

    monkeypatch.setattr(roster_parse, "_people", spy)
    r = parse_roster_csv(HEADER + "R1,A,01/01/1980,01\n")
    assert [p.id for p in r.people] == ["R1"]
    assert given_fields == [set(_FIELDS)]
