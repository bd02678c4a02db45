"""The roster's columns: one table of field, accepted headers and cell parser.

:data:`COLUMNS` is the single description of a roster file: which headers a
column may have (Vietnamese or English, in the matching form of
:func:`~ansinh.io.roster.cells.match_key`), which parser reads its cells, and
the header :func:`~ansinh.io.roster.write.write_roster_csv` writes.  The
loader reads the columns in this order, so a row's problems are listed in it.

>>> column_for("Ngày sinh").field, column_for("CCCD").field, column_for("Ghi chú") is None
('date_of_birth', 'cccd', True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import attrs

from ansinh.io.roster.cells import (
    match_key,
    parse_categories,
    parse_cccd,
    parse_count,
    parse_date,
    parse_flag,
    parse_former_province,
    parse_is_vietnamese,
    parse_province,
    parse_social_insurance_number,
)

__all__ = ["COLUMNS", "HEADERS", "Column", "column_for"]


@attrs.frozen
class Column:
    """One column a roster may have."""

    field: str
    """The :class:`~ansinh.core.people.Person` field it fills, or a field the loader combines
    (``former_province``, ``nationality``, ``hospital_admission``, ``hospital_discharge``)."""
    headers: tuple[str, ...]
    """The headers it is recognised by, in matching form (no accents, lower case, single spaces)."""
    parse: Callable[[str], Any] | None
    """Reads a cell (stripped, not blank); raises :class:`~ansinh.exceptions.InvalidValueError`
    saying what is allowed.  ``None``: the value is the cell's text as written."""
    written: str = ""
    """The Vietnamese header the roster writer gives it (English: the field name); ``""``: not written."""
    required: str = ""
    """Why a blank cell rejects the row; ``""``: a blank cell is allowed."""
    instead_of: str = ""
    """Read only when the cell of this other field is blank (the former-province column)."""
    memo: bool = True
    """Whether a load parses each distinct cell once (not for identifiers: they seldom repeat)."""
    zero_pad: int = 0
    """Excel drops the leading zeros of identifiers typed as numbers: a numeric cell shorter than
    this is padded back (0: never)."""


COLUMNS: Final[tuple[Column, ...]] = (
    Column(
        "full_name",
        ("ho va ten", "ho ten", "ten", "full name", "name"),
        None,
        written="Họ và tên",
        required="required: the person's full name",
    ),
    Column(
        "date_of_birth",
        ("ngay sinh", "ngay thang nam sinh", "date of birth", "dob", "birth date"),
        parse_date,
        written="Ngày sinh",
        required="required: a date dd/mm/yyyy or yyyy-mm-dd",
    ),
    Column(
        "province",
        ("tinh", "tinh thanh pho", "tinh tp", "ma tinh", "province", "province code", "tinh thanh"),
        parse_province,
        written="Tỉnh",
    ),
    Column(
        "former_province",
        ("tinh cu", "ma tinh cu", "tinh truoc 2025", "former province", "province 63"),
        parse_former_province,
        instead_of="province",
    ),
    Column(
        "cccd",
        ("so cccd", "cccd", "can cuoc cong dan", "so can cuoc", "so dinh danh", "so dinh danh ca nhan"),
        parse_cccd,
        written="Số CCCD",
        memo=False,
        zero_pad=12,
    ),
    Column(
        "social_insurance_number",
        ("ma so bhxh", "so bhxh", "ma bhxh", "social insurance number", "si number"),
        parse_social_insurance_number,
        written="Mã số BHXH",
        memo=False,
        zero_pad=10,
    ),
    Column(
        "categories",
        ("doi tuong", "nhom doi tuong", "categories", "category"),
        parse_categories,
        written="Đối tượng",
    ),
    Column(
        "difficult_circumstances",
        ("hoan canh kho khan", "difficult circumstances"),
        parse_flag,
        written="Hoàn cảnh khó khăn",
    ),
    Column(
        "compulsory_si",
        ("bhxh bat buoc", "dang tham gia bhxh bat buoc", "compulsory si"),
        parse_flag,
        written="BHXH bắt buộc",
    ),
    Column(
        "receives_pension",
        ("huong luong huu", "dang huong luong huu", "receives pension", "pensioner"),
        parse_flag,
        written="Hưởng lương hưu",
    ),
    Column(
        "vietnamese_citizen",
        ("cong dan viet nam", "vietnamese citizen", "citizen"),
        parse_flag,
        written="Công dân Việt Nam",
    ),
    Column("nationality", ("quoc tich", "nationality"), parse_is_vietnamese),
    Column(
        "commune",
        ("xa", "xa phuong", "phuong xa", "xa phuong dac khu", "commune"),
        None,
        written="Xã/phường",
    ),
    Column(
        "household_id",
        ("ma ho", "ma ho gia dinh", "so ho", "household", "household id"),
        None,
        written="Mã hộ",
    ),
    Column(
        "bhyt_valid_until",
        ("han the bhyt", "han the", "the bhyt co gia tri den", "bhyt het han", "bhyt valid until"),
        parse_date,
        written="Hạn thẻ BHYT",
    ),
    Column(
        "left_poverty_on",
        (
            "ngay thoat ngheo",
            "ngay thoat can ngheo",
            "ngay thoat ngheo thoat can ngheo",
            "ngay cong nhan thoat ngheo",
            "left poverty on",
        ),
        parse_date,
        written="Ngày thoát nghèo",
    ),
    Column(
        "vsi_supported_months",
        ("so thang da duoc ho tro", "so thang duoc ho tro", "vsi supported months"),
        parse_count,
        written="Số tháng đã được hỗ trợ",
    ),
    Column(
        "hospital_admission",
        ("ngay nhap vien", "ngay vao vien", "hospital admission", "admitted"),
        parse_date,
        written="Ngày nhập viện",
    ),
    Column(
        "hospital_discharge",
        ("ngay ra vien", "ngay ra vien du kien", "hospital discharge", "discharge"),
        parse_date,
        written="Ngày ra viện",
    ),
    Column(
        "id",
        ("id", "ma", "ma ho so", "ma doi tuong", "stt", "so thu tu", "person id"),
        None,
        written="Mã",
    ),
)
"""Every column a roster may have, in the order the loader reads a row.

Name and date of birth are required, and one of the province columns;
without an id column a person's id is ``row-<n>``."""

HEADERS: Final[dict[str, tuple[str, ...]]] = {c.field: c.headers for c in COLUMNS}
"""Field → accepted headers (in the matching form: no accents, lower case, words separated by spaces)."""

_BY_HEADER: Final[dict[str, Column]] = {h: c for c in COLUMNS for h in c.headers}


def column_for(header: str) -> Column | None:
    """The column a header (as written in a file) names, or ``None`` if none does."""
    return _BY_HEADER.get(match_key(header))
