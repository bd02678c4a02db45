"""One rule for identifier cells in CSV and Excel: the same rows read the same from either file.

A cell is read as the text it holds (a CSV cell, an Excel text cell); only a
cell Excel stored as a number gets its dropped leading zeros back.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh.io.roster import Roster, load_roster
from ansinh.io.roster.cells import stored_number_text

openpyxl = pytest.importorskip("openpyxl")

HEADER = ["Họ và tên", "Ngày sinh", "Tỉnh", "Số CCCD", "Mã số BHXH"]


def _write_csv(path: Path, rows: list[list[Any]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")


def _write_xlsx(path: Path, rows: list[list[Any]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [HEADER, *rows]:
        ws.append(row)
    wb.save(path)


def _seen(roster: Roster) -> tuple[object, ...]:
    return (
        [(p.id, p.cccd, p.social_insurance_number) for p in roster.people],
        [(r.row, r.column, r.value, r.reason) for r in roster.rejected],
        [(d.field, d.rows) for d in roster.duplicates],
    )


def _rows(cells: list[tuple[str, str]]) -> list[list[Any]]:
    return [[f"Người {i}", "01/02/1980", "33", cccd, si] for i, (cccd, si) in enumerate(cells, start=1)]


_DIGITS = st.text(alphabet="0123456789", min_size=0, max_size=13)
_CELL = st.one_of(
    _DIGITS,
    st.builds(
        lambda d, pre, post: pre + d + post,
        _DIGITS,
        st.sampled_from(["", " ", "'"]),
        st.sampled_from(["", " "]),
    ),
    st.text(alphabet="0123456789 .-xX,;", max_size=16),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.tuples(_CELL, _CELL), min_size=1, max_size=8))
def test_identifier_text_cells_read_the_same_from_csv_and_xlsx(
    tmp_path: Path, cells: list[tuple[str, str]]
) -> None:
    rows = _rows(cells)
    _write_csv(tmp_path / "ds.csv", rows)
    _write_xlsx(tmp_path / "ds.xlsx", rows)
    from_csv = load_roster(tmp_path / "ds.csv")
    from_xlsx = load_roster(tmp_path / "ds.xlsx")
    assert _seen(from_xlsx) == _seen(from_csv)
    assert from_xlsx.lines_read == from_csv.lines_read


@pytest.mark.parametrize(("cccd", "si"), [("12345", ""), ("34162001234", ""), ("", "121001234")])
def test_short_text_identifiers_are_refused_from_both(tmp_path: Path, cccd: str, si: str) -> None:
    rows = _rows([(cccd, si)])
    _write_csv(tmp_path / "ds.csv", rows)
    _write_xlsx(tmp_path / "ds.xlsx", rows)
    for path in (tmp_path / "ds.csv", tmp_path / "ds.xlsx"):
        roster = load_roster(path)
        assert roster.people == ()
        (problem,) = roster.rejected
        assert problem.reason == ("not 12 digits" if cccd else "not 10 digits")


def test_only_number_cells_get_their_leading_zeros_back(tmp_path: Path) -> None:
    _write_xlsx(
        tmp_path / "ds.xlsx",
        [
            ["Number", "01/02/1980", "33", 34162001234, 121001234.0],
            ["Text", "01/02/1980", "33", "34162001234", "121001234"],
            ["Text, zeros kept", "01/02/1980", "33", "034162001235", "0121001235"],
        ],
    )
    roster = load_roster(tmp_path / "ds.xlsx")
    assert [(p.full_name, p.cccd, p.social_insurance_number) for p in roster.people] == [
        ("Number", "034162001234", "0121001234"),
        ("Text, zeros kept", "034162001235", "0121001235"),
    ]
    assert [(r.row, r.column) for r in roster.rejected] == [(3, "Số CCCD"), (3, "Mã số BHXH")]


@given(value=st.integers(min_value=0, max_value=10**12 - 1))
def test_a_stored_number_pads_back_to_the_identifier(value: int) -> None:
    text = stored_number_text(value, 12)
    assert len(text) == max(12, len(str(value)))
    assert int(text) == value
