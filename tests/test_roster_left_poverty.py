"""The roster's "Ngày thoát nghèo" column: Person.left_poverty_on read from CSV and XLSX, and written back."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import ansinh
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard
from ansinh.io.roster import load_roster, write_roster_csv
from ansinh.io.roster.columns import column_for

D = dt.date


def _csv(path: Path, header: str, cell: str) -> Path:
    path.write_text(
        f"Họ và tên,Ngày sinh,Tỉnh,Đối tượng,{header}\nLê Thị Hoa,05/03/1962,79,hộ mới thoát nghèo,{cell}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "header", ["Ngày thoát nghèo", "Ngày thoát cận nghèo", "NGAY THOAT NGHEO", "left_poverty_on"]
)
def test_csv_column_is_read(tmp_path: Path, header: str) -> None:
    (person,) = load_roster(_csv(tmp_path / "r.csv", header, "10/01/2024")).people
    assert person.left_poverty_on == D(2024, 1, 10)


def test_a_blank_cell_is_not_known_and_a_bad_date_rejects_the_row(tmp_path: Path) -> None:
    (person,) = load_roster(_csv(tmp_path / "a.csv", "Ngày thoát nghèo", "")).people
    assert person.left_poverty_on is None
    roster = load_roster(_csv(tmp_path / "b.csv", "Ngày thoát nghèo", "31/02/2024"))
    assert roster.people == ()
    assert [(r.row, r.column) for r in roster.rejected] == [(2, "Ngày thoát nghèo")]


def test_xlsx_column_is_read(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Tỉnh", "Đối tượng", "Ngày thoát nghèo"])
    ws.append(["Lê Thị Hoa", dt.datetime(1962, 3, 5), "79", "hộ mới thoát nghèo", dt.datetime(2024, 1, 10)])
    ws.append(["Ngô Văn Tư", "01/01/1970", "79", None, "10/01/2024"])
    path = tmp_path / "ds.xlsx"
    wb.save(path)
    a, b = load_roster(path).people
    assert a.left_poverty_on == b.left_poverty_on == D(2024, 1, 10)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_writer_writes_it_and_the_loader_reads_it_back(tmp_path: Path, lang: str) -> None:
    people = [
        Person(
            id="a",
            full_name="Lê Thị Hoa",
            date_of_birth=D(1962, 3, 5),
            province="79",
            categories={Category.JUST_ESCAPED_POVERTY},
            left_poverty_on=D(2024, 1, 10),
        ),
        Person(id="b", full_name="Ngô Văn Tư", date_of_birth=D(1970, 1, 1), province="79"),
    ]
    path = write_roster_csv(people, tmp_path / "out.csv", lang=lang)  # type: ignore[arg-type]
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert ("Ngày thoát nghèo" if lang == "vi" else "left_poverty_on") in header.split(",")
    assert list(load_roster(path).people) == people


def test_the_day_read_limits_the_36_months_of_hcmc_res_75(tmp_path: Path) -> None:
    (person,) = load_roster(_csv(tmp_path / "r.csv", "Ngày thoát nghèo", "10/01/2024")).people
    card = HealthCard(months=12)
    assert ansinh.price(card, person, on=D(2027, 1, 9)).payable == 0
    assert ansinh.price(card, person, on=D(2027, 1, 10)).payable == 1_366_200  # 12 × 4.5 % × 2,530,000


def test_the_json_schema_of_a_person_has_the_field() -> None:
    from importlib.resources import files

    schema = json.loads(
        files("ansinh.data").joinpath("schemas/person.schema.json").read_text(encoding="utf-8")
    )
    text = json.dumps(schema)
    assert '"left_poverty_on"' in text
    assert column_for("Ngày thoát nghèo") is not None
