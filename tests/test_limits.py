"""Sizes the input controls are bounded: each refusal is quick and names the limit."""

from __future__ import annotations

import datetime as dt
import shutil
import time
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import ansinh
from ansinh import limits
from ansinh.core.money import format_percent, format_vnd, format_vnd_short, to_amount, to_rate
from ansinh.exceptions import (
    CampaignFileError,
    InvalidAmountError,
    InvalidValueError,
    LawDataError,
    RosterError,
    SerializationError,
)
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.roster import load_roster, parse_roster_csv
from ansinh.serialization import loads_document

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"


@pytest.mark.parametrize(
    "value", ["1e999999999", "1e-999999999", Decimal("1e999999999"), "1" * 10_000, Fraction(10**200, 3)]
)
def test_a_rate_past_the_limits_is_refused_at_once(value: object) -> None:
    start = time.perf_counter()
    with pytest.raises(InvalidAmountError, match=r"ansinh\.limits"):
        to_rate(value)
    assert time.perf_counter() - start < 1


def test_amend_with_a_huge_exponent_returns_at_once() -> None:
    with pytest.raises(LawDataError, match="exponent"):
        ansinh.default_law().amend("bhyt_rate", "1e999999999", effective=dt.date(2026, 1, 1), source="x")


def test_rates_inside_the_limits_are_exact() -> None:
    assert to_rate("4.5%") == Fraction(9, 200)
    assert to_rate("1e-40") == Fraction(1, 10**40)


@pytest.mark.parametrize("digits", [2**64, -1, limits.MAX_FORMAT_DIGITS + 1, True, 2.0])
def test_format_digits_are_bounded(digits: object) -> None:
    with pytest.raises(InvalidValueError, match="digits"):
        format_vnd_short(10**9, digits=digits)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="digits"):
        format_percent(Fraction(1, 3), digits=digits)  # type: ignore[arg-type]


def test_amounts_are_bounded() -> None:
    limit = 10**limits.MAX_AMOUNT_DIGITS
    assert to_amount(limit - 1) == limit - 1
    for value in (limit, -limit, 10**100_000):
        with pytest.raises(InvalidAmountError, match="at most 24 digits"):
            to_amount(value)
        with pytest.raises(InvalidAmountError):
            format_vnd(value)


def test_a_device_or_a_huge_roster_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(RosterError, match="not a regular file"):
        load_roster("/dev/zero")
    big = tmp_path / "big.csv"
    big.write_text("Họ và tên,Ngày sinh,Tỉnh\n" + "A,01/01/1980,01\n" * 100, encoding="utf-8")
    monkeypatch.setattr(limits, "MAX_ROSTER_BYTES", 100)
    monkeypatch.setattr("ansinh.io.roster.load.MAX_ROSTER_BYTES", 100)
    with pytest.raises(RosterError, match="MAX_ROSTER_BYTES"):
        load_roster(big)


def test_a_long_cell_rejects_its_row_and_a_huger_one_the_file() -> None:
    header = "Họ và tên,Ngày sinh,Tỉnh\n"
    r = parse_roster_csv(header + "A,01/01/1980,01\n" + "B" * 40_000 + ",01/01/1980,01\n")
    assert [p.full_name for p in r.people] == ["A"]
    assert "32767" in r.rejected[0].reason
    with pytest.raises(RosterError, match="MAX_CELL_CHARACTERS"):
        parse_roster_csv(header + "B" * 200_000 + ",01/01/1980,01\n")


def test_a_workbook_part_that_unzips_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["Họ và tên", "Ngày sinh", "Tỉnh"])
    wb.active.append(["x" * 5000, "01/01/1980", "01"])
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    assert max(i.file_size for i in zipfile.ZipFile(path).infolist()) > 2000
    monkeypatch.setattr("ansinh.io.roster.xlsx.MAX_XLSX_PART_BYTES", 2000)
    with pytest.raises(RosterError, match="MAX_XLSX_PART_BYTES"):
        load_roster(path)
    monkeypatch.setattr("ansinh.io.roster.xlsx.MAX_XLSX_BYTES", 100)
    with pytest.raises(RosterError, match="MAX_XLSX_BYTES"):
        load_roster(path)


@pytest.mark.parametrize("name", ["/etc/passwd", "../roster.csv", "sub/../../roster.csv"])
def test_campaign_files_must_stay_inside_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(EXAMPLE / "roster.csv", tmp_path / "roster.csv")
    toml = folder / "campaign.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('roster = "roster.csv"', f'roster = "{name}"'),
        encoding="utf-8",
    )
    with pytest.raises(CampaignFileError, match="inside the campaign folder") as info:
        read_campaign_folder(folder)
    assert "root:" not in str(info.value)


def test_a_link_leading_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    (folder / "roster.csv").unlink()
    (folder / "roster.csv").symlink_to("/etc/passwd")
    with pytest.raises(CampaignFileError, match="inside the campaign folder"):
        read_campaign_folder(folder)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"schema_version": 1, "type": "tet_gift", "data": {"value": 1' + "0" * 5000 + "}}",
    ],
    ids=["deep", "huge-int"],
)
def test_hostile_json_is_a_serialization_error(text: str) -> None:
    with pytest.raises(SerializationError):
        loads_document(text, ansinh.TetGift)
