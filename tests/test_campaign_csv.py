"""Campaign files (sponsors, pledges, participation, deliveries) are read as a roster is: no row is lost.

An unclosed quote used to swallow every line after it into one cell (the
sponsors and pledges there were never listed, nor rejected); a cell over the
csv module's limit, or a carriage return inside a cell, escaped as a bare
``csv.Error``.  A workbook is read by the roster's reader too: its size
limits, and identifiers stored as numbers zero-padded back.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from ansinh.core.campaign import Sponsor
from ansinh.exceptions import CampaignFileError
from ansinh.io.campaign_files import read_pledges, read_sponsors
from ansinh.io.documents import read_deliveries
from ansinh.io.participation import read_participation
from ansinh.io.run import run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"

_UNCLOSED = "unclosed quote from line 2 swallowed lines 3–4"


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_an_unclosed_quote_in_sponsors_rejects_its_line_and_reads_the_next(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "sponsors.csv",
        'id,name,kind,province\nS1,"Ngân hàng A,bank,01\nS2,Ngân hàng B,bank,01\nS3,Ngân hàng C,bank,01\n',
    )
    sponsors, rejected = read_sponsors(path)
    assert [s.id for s in sponsors] == ["S2", "S3"]
    assert [(r.row, r.column, r.value) for r in rejected] == [(2, "", 'S1,"Ngân hàng A,bank,01')]
    assert rejected[0].reason.startswith(_UNCLOSED)


def test_a_line_no_reader_can_split_is_listed_in_row_order(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "pledges.csv",
        'id,sponsor id,money\nP1,"S1,1000000\nP2,S1,1000000\nP3,S9,1000000\n',  # no such sponsor
    )
    pledges, _, _, rejected = read_pledges(path, (), default_date=dt.date(2026, 1, 5))
    assert pledges == ()
    assert [(r.row, r.column) for r in rejected] == [(2, ""), (3, "sponsor id"), (4, "sponsor id")]


def test_a_multi_line_cell_keeps_the_rows_line_numbers(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "sponsors.csv",
        'id,name,kind\nS1,"Ngân hàng A\nchi nhánh 2",bank\nS2,Ngân hàng B,hợp tác xã\n',
    )
    sponsors, rejected = read_sponsors(path)
    assert [(s.id, s.name) for s in sponsors] == [("S1", "Ngân hàng A\nchi nhánh 2")]
    assert [(r.row, r.column) for r in rejected] == [(4, "kind")]  # the line it is on, as a roster counts


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = _file(tmp_path, "sponsors.csv", "\n;;\nid;name;kind\nS1;Ngân hàng A;bank\n")
    sponsors, rejected = read_sponsors(path)
    assert ([s.id for s in sponsors], rejected) == (["S1"], ())


def test_a_cell_over_the_csv_modules_limit_is_a_campaign_file_error(tmp_path: Path) -> None:
    path = _file(tmp_path, "sponsors.csv", "id,name,kind\nS1," + "x" * 200_000 + ",bank\n")
    with pytest.raises(CampaignFileError, match="MAX_CELL_CHARACTERS") as info:
        read_sponsors(path)
    assert info.value.field == str(path)


def test_a_lone_carriage_return_ends_a_line_as_in_a_roster(tmp_path: Path) -> None:
    path = _file(tmp_path, "sponsors.csv", "id,name,kind\r\nS1,Ngân hàng\rA,bank\r\n")
    sponsors, rejected = read_sponsors(path)
    assert sponsors == ()
    assert [(r.row, r.column) for r in rejected] == [(2, "kind"), (3, "kind")]


def test_a_participation_file_rejects_an_unsplittable_line(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "tham-gia.csv",
        'Số CCCD;Trạng thái\n"031190000100;lapsed\n031190000101;lapsed\n031190000102;lapsed\n',
    )
    answers = read_participation(path)
    assert [value for _, value, _ in answers.answers] == ["031190000101", "031190000102"]
    assert [(r.row, r.column) for r in answers.rejected] == [(2, "")]
    assert "031190000100" not in repr(answers.rejected)  # the line shown is masked


def test_a_deliveries_file_with_an_unsplittable_line_is_refused_naming_it(tmp_path: Path) -> None:
    path = _file(tmp_path, "deliveries.csv", 'Mã người,Mã thẻ BHYT\n31-001,"HN1\n31-002,HN2\n31-003,HN3\n')
    with pytest.raises(CampaignFileError, match=r"deliveries\.csv line 2.*unclosed quote"):
        read_deliveries(path)


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_a_campaign_workbook_is_read_within_the_rosters_limits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _workbook(tmp_path / "pledges.xlsx", [["id", "sponsor id", "money"], ["P1", "S1", 1_000_000]])
    monkeypatch.setattr("ansinh.io.roster.xlsx.MAX_XLSX_PART_BYTES", 500)  # a part unzipping larger
    with pytest.raises(CampaignFileError, match=r"pledges\.xlsx.*MAX_XLSX_PART_BYTES"):
        read_pledges(path, (), default_date=dt.date(2026, 1, 5))


def test_an_identifier_excel_stored_as_a_number_gets_its_zeros_back(tmp_path: Path) -> None:
    # as in a roster: Excel drops the leading zero of 031190000100 typed into a number cell
    path = _workbook(tmp_path / "tham-gia.xlsx", [["Số CCCD", "Trạng thái"], [31190000100, "lapsed"]])
    answers = read_participation(path)
    assert [(kind, value) for kind, value, _ in answers.answers] == [("cccd", "031190000100")]
    assert answers.rejected == ()


def test_a_nul_in_a_campaign_csv_file_refuses_it_as_a_roster_is_refused(tmp_path: Path) -> None:
    path = _file(tmp_path, "sponsors.csv", "id,name,kind\nS1,Ngân\x00hàng,bank\n")
    with pytest.raises(CampaignFileError, match="NUL"):
        read_sponsors(path)


def test_a_control_character_in_a_sponsors_name_never_stops_the_workbook(tmp_path: Path) -> None:
    # the CSV report keeps the name as it is; the workbook, which cannot hold \x01, shows U+FFFD
    openpyxl = pytest.importorskip("openpyxl")
    folder = Path(shutil.copytree(EXAMPLE, tmp_path / "campaign"))
    sponsors = folder / "sponsors.csv"
    text = sponsors.read_text(encoding="utf-8")
    assert "Công đoàn cơ quan" in text
    sponsors.write_text(text.replace("Công đoàn cơ quan", "Công đoàn\x01cơ quan"), encoding="utf-8")
    run = run_campaign(folder, out=tmp_path / "out", plugins=False)
    assert run.files.xlsx is not None
    assert "Công đoàn\x01cơ quan" in run.files.csv.read_text(encoding="utf-8-sig")
    workbook = openpyxl.load_workbook(run.files.xlsx, read_only=True)
    cells = {c for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for c in row}
    workbook.close()
    assert any(isinstance(c, str) and "Công đoàn\ufffdcơ quan" in c for c in cells)


def test_a_pledge_date_is_read_as_a_rosters_four_digit_year_and_all(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "pledges.csv",
        "id,sponsor id,money,registered on,received,received on\n"
        "P1,S1,1000000,20/11/2025,1000000,20/11/20\n"  # a year of two digits: not year 20
        "P2,S1,1000000,20-11-2025,1000000,21.11.2025\n",  # the roster's other separators
    )
    sponsor = Sponsor(id="S1", name="Ngân hàng A", kind="bank")
    pledges, dates, receipts, rejected = read_pledges(path, (sponsor,), default_date=dt.date(2026, 1, 5))
    assert [(r.row, r.column, r.value) for r in rejected] == [(2, "received on", "20/11/20")]
    assert (dates, [r.on for r in receipts]) == ((("P2", dt.date(2025, 11, 20)),), [dt.date(2025, 11, 21)])
    assert [p.id for p in pledges] == ["P2"]
