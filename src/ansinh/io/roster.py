"""Candidate lists (danh sách rà soát): load them from CSV or Excel without losing a row.

:func:`load_roster` reads a list of people in difficult circumstances, as a
province office keeps it, and returns a :class:`Roster`: the people it could
accept, **every** rejected row with its row number, column, value and reason,
and the people who appear twice (flagged, never merged).

Files
    CSV in UTF-8, with or without a byte-order mark (Excel's "CSV UTF-8"),
    separated by ``,``, ``;`` or tabs (guessed from the header line); or
    ``.xlsx`` / ``.xlsm`` with the optional ``openpyxl`` (``pip install
    'ansinh[excel]'``), first sheet unless ``sheet=`` names one.  Row numbers
    are the ones a spreadsheet shows: the header is row 1.

Headers
    Vietnamese or English, case, accents, spaces and punctuation ignored
    (:data:`HEADERS` lists them all), e.g. ``Họ và tên`` / ``full_name``,
    ``Ngày sinh`` / ``date_of_birth``, ``Số CCCD`` / ``cccd``, ``Mã số BHXH`` /
    ``social_insurance_number``, ``Tỉnh`` / ``province``, ``Đối tượng`` /
    ``categories``, ``Hạn thẻ BHYT`` / ``bhyt_valid_until``.  Columns with other
    headers (``Ghi chú`` …) are ignored and listed in
    :attr:`Roster.ignored_columns`.  Name, date of birth and a province column
    are required.  Without an id column (``Mã``, ``STT``, ``id``) a person's id
    is ``row-<n>``.

Values
    Dates as ``dd/mm/yyyy`` (also ``-`` or ``.``) or ISO ``yyyy-mm-dd``.
    CCCD: 12 digits; mã số BHXH: 10 digits (Excel cells holding them as
    numbers are zero-padded back, since Excel drops leading zeros).
    Categories: codes (``near_poor``) or Vietnamese / English labels
    (``hộ cận nghèo``), separated by ``;`` or ``,``; ``hoàn cảnh khó khăn``
    there sets the review flag.  Yes/no columns: ``x``, ``có``, ``yes``,
    ``1`` … or blank, ``không``, ``no``, ``0``.

Provinces
    A name (current or one of the former 63, accents optional) is mapped with
    :func:`~ansinh.core.provinces.find_province`.  A two-digit code in a
    ``Tỉnh`` / ``province`` column is read as a current code (Decision
    19/2025/QĐ-TTg) when it is one of the 34, otherwise as a former code
    (Decision 124/2004/QĐ-TTg) mapped to the unit it merged into.  The two
    readings never disagree: every current code is the former code of one of
    the provinces merged into it (a test checks this on the shipped data).  A
    column named for the former scheme (``Tỉnh cũ``, ``Mã tỉnh cũ``,
    ``former_province``) is always read as former codes or names.

Identifiers are masked in rejected rows and in duplicate flags.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final, Literal, TypeVar

import attrs

from ansinh.core.people import Category, Person, _trusted_person, mask_id
from ansinh.core.provinces import current_code_for_former, find_province, provinces
from ansinh.exceptions import AnsinhError, InvalidValueError, RosterError
from ansinh.io.files import write_atomic

__all__ = [
    "HEADERS",
    "Duplicate",
    "RejectedRow",
    "Roster",
    "load_roster",
    "parse_roster_csv",
    "parse_roster_rows",
    "write_roster_csv",
]

Cell = str | dt.date
"""A cell as read: text (CSV, most Excel cells) or a date (Excel date cells)."""

_MAX_SHOWN: Final = 80


@attrs.frozen
class RejectedRow:
    """One problem with one row that kept it out of the roster."""

    row: int
    """Row number as a spreadsheet shows it (header = 1); 0 for the whole file."""
    column: str
    """The header as written in the file; empty when the whole row is at fault."""
    value: str
    """The value (identifiers masked, long values shortened)."""
    reason: str
    """What is wrong and what is allowed."""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.value!r}: {self.reason}"


@attrs.frozen
class Duplicate:
    """A person appearing more than once (same CCCD or same mã số BHXH): flagged, not merged."""

    field: str
    """``"cccd"`` or ``"social_insurance_number"``."""
    value: str
    """The identifier, masked."""
    rows: tuple[int, ...]
    """The rows it appears on."""
    person_ids: tuple[str, ...]
    """The ids of the people on those rows."""


@attrs.frozen(kw_only=True, repr=False)
class Roster:
    """A loaded candidate list: accepted people, rejected rows, duplicates."""

    source: str
    """Where it was read from."""
    people: tuple[Person, ...]
    """The accepted people, in file order (duplicates included)."""
    rows: tuple[int, ...]
    """The row number of each accepted person (same order as :attr:`people`)."""
    rejected: tuple[RejectedRow, ...]
    """Every problem found, one entry per row and column at fault."""
    duplicates: tuple[Duplicate, ...]
    """People appearing more than once, by identifier."""
    columns: tuple[tuple[str, str], ...]
    """``(header as written, field)`` for every recognised column."""
    ignored_columns: tuple[str, ...] = ()
    """Headers that were not recognised (their cells are not read)."""

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def __repr__(self) -> str:
        return (
            f"Roster(source={self.source!r}, people={len(self.people)}, "
            f"rejected_rows={len(self.rejected_rows)}, duplicates={len(self.duplicates)})"
        )

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The numbers of the rows with at least one problem, in order."""
        return tuple(sorted({r.row for r in self.rejected}))

    def row_of(self, person_id: str) -> int:
        """The row a person was read from.

        Raises:
            InvalidValueError: no accepted person has that id.
        """
        for p, row in zip(self.people, self.rows, strict=True):
            if p.id == person_id:
                return row
        raise InvalidValueError("person_id", person_id, "the id of a person in this roster")


# ---------------------------------------------------------------- headers ---


def _key(text: str) -> str:
    """Accents, case and punctuation removed: the form headers and labels are matched in."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


_HEADER_TABLE: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("id", ("id", "ma", "ma ho so", "ma doi tuong", "stt", "so thu tu", "person id")),
    ("full_name", ("ho va ten", "ho ten", "ten", "full name", "name")),
    ("date_of_birth", ("ngay sinh", "ngay thang nam sinh", "date of birth", "dob", "birth date")),
    (
        "province",
        ("tinh", "tinh thanh pho", "tinh tp", "ma tinh", "province", "province code", "tinh thanh"),
    ),
    ("former_province", ("tinh cu", "ma tinh cu", "tinh truoc 2025", "former province", "province 63")),
    ("commune", ("xa", "xa phuong", "phuong xa", "xa phuong dac khu", "commune")),
    ("household_id", ("ma ho", "ma ho gia dinh", "so ho", "household", "household id")),
    ("categories", ("doi tuong", "nhom doi tuong", "categories", "category")),
    ("cccd", ("so cccd", "cccd", "can cuoc cong dan", "so can cuoc", "so dinh danh", "so dinh danh ca nhan")),
    (
        "social_insurance_number",
        ("ma so bhxh", "so bhxh", "ma bhxh", "social insurance number", "si number"),
    ),
    ("vietnamese_citizen", ("cong dan viet nam", "vietnamese citizen", "citizen")),
    ("nationality", ("quoc tich", "nationality")),
    ("difficult_circumstances", ("hoan canh kho khan", "difficult circumstances")),
    ("compulsory_si", ("bhxh bat buoc", "dang tham gia bhxh bat buoc", "compulsory si")),
    ("receives_pension", ("huong luong huu", "dang huong luong huu", "receives pension", "pensioner")),
    (
        "bhyt_valid_until",
        ("han the bhyt", "han the", "the bhyt co gia tri den", "bhyt het han", "bhyt valid until"),
    ),
    (
        "vsi_supported_months",
        ("so thang da duoc ho tro", "so thang duoc ho tro", "vsi supported months"),
    ),
    ("hospital_admission", ("ngay nhap vien", "ngay vao vien", "hospital admission", "admitted")),
    (
        "hospital_discharge",
        ("ngay ra vien", "ngay ra vien du kien", "hospital discharge", "discharge"),
    ),
)

HEADERS: Final[dict[str, tuple[str, ...]]] = dict(_HEADER_TABLE)
"""Field → accepted headers (in the matching form: no accents, lower case, words separated by spaces)."""

_HEADER_INDEX: Final[dict[str, str]] = {alias: f for f, aliases in _HEADER_TABLE for alias in aliases}
_IDENTIFIERS: Final = frozenset({"cccd", "social_insurance_number"})
_REQUIRED: Final = ("full_name", "date_of_birth")

# ------------------------------------------------------------------ values ---

_TRUE: Final = frozenset({"x", "co", "yes", "y", "true", "1", "dung", "v"})
_FALSE: Final = frozenset({"", "khong", "no", "n", "false", "0", "sai"})
_VN: Final = frozenset({"viet nam", "vietnam", "vn", "vnm", "viet"})
_DIFFICULT_WORDS: Final = frozenset({"hoan canh kho khan", "hckk", "kho khan", "difficult circumstances"})

_CATEGORY_ALIASES: Final[dict[Category, tuple[str, ...]]] = {
    Category.POOR: ("ngheo", "ho ngheo"),
    Category.NEAR_POOR: ("can ngheo", "ho can ngheo"),
    Category.JUST_ESCAPED_POVERTY: ("moi thoat ngheo", "thoat ngheo", "ho thoat ngheo"),
    Category.ETHNIC_MINORITY: ("dan toc thieu so", "dtts", "nguoi dtts"),
    Category.ETHNIC_MINORITY_DIFFICULT_AREA: ("dtts vung kho khan", "dan toc thieu so vung kho khan"),
    Category.STUDENT: ("hoc sinh", "sinh vien", "hssv", "hoc sinh sinh vien"),
    Category.FARM_AVERAGE_INCOME: ("ho muc song trung binh", "muc song trung binh"),
    Category.ISLAND_RESIDENT: ("xa dao", "dac khu"),
    Category.DISABILITY: ("khuyet tat", "nkt"),
    Category.ELDERLY_ALONE: ("cao tuoi co don", "nct co don"),
    Category.CHILD: ("tre em", "tre em hckk"),
    Category.SOCIAL_ALLOWANCE: ("bao tro xa hoi", "btxh", "tro cap xa hoi"),
    Category.MERITORIOUS: ("nguoi co cong", "co cong"),
    Category.FREE_WORKER: ("lao dong tu do", "ldtd"),
}


def _category_index() -> dict[str, Category]:
    index: dict[str, Category] = {}
    for cat in Category:
        for text in (cat.value, cat.label_vi, cat.label_en, *_CATEGORY_ALIASES.get(cat, ())):
            index[_key(text)] = cat
    return index


_CATEGORY_INDEX: Final = _category_index()


def _plain(text: str) -> str:
    """Lower case, no accents, spaces around separators squeezed: for phrase matching."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"\s*([,;|])\s*", r"\1", " ".join(plain.lower().split()))


# Labels that contain a separator ("học sinh, sinh viên") are replaced by their code before splitting.
_COMMA_PHRASES: Final[tuple[tuple[str, str], ...]] = tuple(
    sorted(
        ((_plain(c.label_vi), c.value) for c in Category if "," in c.label_vi),
        key=lambda kv: -len(kv[0]),
    )
)
_SPLIT: Final = re.compile(r"[;,|\n]")
_DATE_DMY: Final = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DATE_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


class _CellError(Exception):
    """A cell that cannot be read (internal; becomes a RejectedRow)."""


def _parse_date(cell: str) -> dt.date:
    m = _DATE_DMY.fullmatch(cell)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_ISO.fullmatch(cell)
        if not m:
            raise _CellError("not a date: use dd/mm/yyyy or yyyy-mm-dd")
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise _CellError("no such day: use dd/mm/yyyy or yyyy-mm-dd") from None


@functools.lru_cache(maxsize=1024)
def _parse_bool(cell: str) -> bool:
    k = _key(cell)
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise _CellError("not yes/no: use x, có, yes, 1 or blank, không, no, 0")


def _parse_digits(cell: str, n: int) -> str:
    if len(cell) == n and cell.isascii() and cell.isdigit():
        return cell
    value = cell.replace(" ", "").replace(".", "").replace("-", "")
    if len(value) != n or not value.isascii() or not value.isdigit():
        raise _CellError(f"not {n} digits")
    return value


_CURRENT_CODES: Final = frozenset(p.code for p in provinces())


@functools.lru_cache(maxsize=4096)
def _province_value(cell: str, former: bool) -> str:
    text = cell.strip()
    if text.isascii() and text.isdigit() and len(text) <= 3:
        code = text.zfill(2)
        if not former and code in _CURRENT_CODES:
            return code
        try:
            return current_code_for_former(code)
        except AnsinhError:
            scheme = "the 63 former codes" if former else "the 34 current or 63 former codes"
            raise _CellError(f"unknown province code: not one of {scheme}") from None
    k = _key(text)
    alias = _PROVINCE_ALIASES.get(k)
    if alias is not None:
        return alias
    try:
        return find_province(text).code
    except AnsinhError:
        raise _CellError("unknown province: not a current or former province name or code") from None


def _current_province(cell: str) -> str:
    return _province_value(cell, False)


def _former_province(cell: str) -> str:
    return _province_value(cell, True)


_T = TypeVar("_T")

_PROVINCE_ALIASES: Final = {"hcm": "79", "tp hcm": "79", "tphcm": "79", "sai gon": "79", "hn": "01"}


@functools.lru_cache(maxsize=4096)
def _parse_categories(cell: str) -> tuple[frozenset[Category], bool]:
    text = _plain(cell)
    for phrase, code in _COMMA_PHRASES:
        text = text.replace(phrase, code)
    cats: set[Category] = set()
    difficult = False
    for token in _SPLIT.split(text):
        k = _key(token)
        if not k:
            continue
        if k in _DIFFICULT_WORDS:
            difficult = True
            continue
        cat = _CATEGORY_INDEX.get(k)
        if cat is None:
            raise _CellError(
                f"unknown category {token.strip()!r}: use a code or a label of "
                + ", ".join(c.value for c in Category)
            )
        cats.add(cat)
    return frozenset(cats), difficult


def _parse_count(cell: str) -> int:
    text = cell.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise _CellError("not a whole number >= 0")
    return int(text)


def _shown(column: str, value: str) -> str:
    text = value
    if column in _IDENTIFIERS:
        return mask_id(text) or ""
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


# ---------------------------------------------------------------- loading ---


_NO_CATEGORIES: Final[frozenset[Category]] = frozenset()
# The fields a row is read for, in the order of _Builder.plan.
_PLAN: Final = (
    "id",
    "full_name",
    "date_of_birth",
    "province",
    "former_province",
    "cccd",
    "social_insurance_number",
    "categories",
    "difficult_circumstances",
    "compulsory_si",
    "receives_pension",
    "vietnamese_citizen",
    "nationality",
    "commune",
    "household_id",
    "bhyt_valid_until",
    "vsi_supported_months",
    "hospital_admission",
    "hospital_discharge",
)


class _Builder:
    """The state of one load: accepted people, problems, identifiers seen, parsed cells.

    A file repeats the same few dates, provinces, category lists and yes/no
    values thousands of times, so each distinct cell is parsed once per load
    (the dictionaries below); a cell that cannot be read is parsed again each
    time, which only costs on rows that are rejected anyway.  Every value is
    checked here as :class:`Person` would check it, so accepted people are
    built without checking them a second time (``_trusted_person``; a
    province code outside the current ones, which the shipped data never
    gives, goes through ``Person`` instead).
    """

    __slots__ = (
        "bools",
        "categories",
        "dates",
        "fields",
        "formers",
        "headers",
        "ids",
        "people",
        "plan",
        "provinces",
        "rejected",
        "repeated",
        "rows",
        "seen",
        "source",
        "width",
    )

    def __init__(self, source: str, fields: dict[str, int], headers: list[str]) -> None:
        self.source = source
        self.fields = fields
        self.headers = headers
        self.width = len(headers)
        # cell index of each field of _PLAN, None when the file has no such column
        self.plan: tuple[int | None, ...] = tuple(fields.get(f) for f in _PLAN)
        self.people: list[Person] = []
        self.rows: list[int] = []
        self.rejected: list[RejectedRow] = []
        self.ids: dict[str, int] = {}
        # identifier field -> identifier -> index in self.people of the first person carrying it;
        # and, for identifiers carried more than once, the indices of all (plain ints rather than
        # a list of (row, id) per identifier: 200,000 fewer objects for the garbage collector)
        self.seen: dict[str, dict[str, int]] = {f: {} for f in _IDENTIFIERS}
        self.repeated: dict[str, dict[str, list[int]]] = {f: {} for f in _IDENTIFIERS}
        self.dates: dict[str, dt.date] = {}
        self.provinces: dict[str, str] = {}
        self.formers: dict[str, str] = {}
        self.categories: dict[str, tuple[frozenset[Category], bool]] = {}
        self.bools: dict[str, bool] = {}

    def parsed(
        self,
        cache: dict[str, _T],
        parse: Callable[[str], _T],
        errors: list[RejectedRow],
        row: int,
        field: str,
        value: str,
    ) -> _T | None:
        """``parse(value)``, once per distinct value in a load; ``None`` (and a problem) if it fails."""
        hit = cache.get(value)
        if hit is None:
            try:
                hit = cache[value] = parse(value)
            except _CellError as e:
                self.fail(errors, row, field, value, str(e))
        return hit

    def fail(self, errors: list[RejectedRow], row: int, field: str, value: str, reason: str) -> None:
        i = self.fields.get(field)
        column = self.headers[i] if i is not None else field
        errors.append(RejectedRow(row, column, _shown(field, value), reason))

    def flag(self, errors: list[RejectedRow], row: int, field: str, cell: str) -> bool | None:
        value = cell.strip()
        if not value:
            return None
        return self.parsed(self.bools, _parse_bool, errors, row, field, value)

    def digits(self, errors: list[RejectedRow], row: int, field: str, cell: str, n: int) -> str | None:
        value = cell.strip()
        if not value:
            return None
        if len(value) == n and value.isascii() and value.isdigit():
            return value
        try:
            return _parse_digits(value, n)
        except _CellError as e:
            self.fail(errors, row, field, value, str(e))
            return None

    def add(self, row: int, cells: Sequence[str]) -> None:
        errors: list[RejectedRow] = []
        width = self.width
        n = len(cells)
        if n != width:
            if n > width and any(c.strip() for c in cells[width:]):
                errors.append(RejectedRow(row, "", f"{n} cells", f"more cells than the {width} headers"))
            if n < width:
                cells = [*cells, *([""] * (width - n))]
        (
            i_id,
            i_name,
            i_dob,
            i_province,
            i_former,
            i_cccd,
            i_si,
            i_categories,
            i_difficult,
            i_compulsory,
            i_pension,
            i_citizen,
            i_nationality,
            i_commune,
            i_household,
            i_until,
            i_months,
            i_admitted,
            i_discharged,
        ) = self.plan

        name = cells[i_name].strip() if i_name is not None else ""
        if not name:
            self.fail(errors, row, "full_name", name, "required: the person's full name")
        dob_cell = cells[i_dob].strip() if i_dob is not None else ""
        dob: dt.date | None = None
        if dob_cell == "":
            self.fail(errors, row, "date_of_birth", dob_cell, "required: a date dd/mm/yyyy or yyyy-mm-dd")
        else:
            dob = self.parsed(self.dates, _parse_date, errors, row, "date_of_birth", dob_cell)

        prov = cells[i_province].strip() if i_province is not None else ""
        former = False
        if not prov:
            prov = cells[i_former].strip() if i_former is not None else ""
            former = True
        province: str | None = None
        if not prov:
            field = "province" if i_province is not None else "former_province"
            self.fail(errors, row, field, prov, "required: a province")
        elif former:
            province = self.parsed(self.formers, _former_province, errors, row, "former_province", prov)
        else:
            province = self.parsed(self.provinces, _current_province, errors, row, "province", prov)

        # identifiers are unique, so not memoised
        cccd = None if i_cccd is None else self.digits(errors, row, "cccd", cells[i_cccd], 12)
        si = None if i_si is None else self.digits(errors, row, "social_insurance_number", cells[i_si], 10)

        categories = _NO_CATEGORIES
        difficult_category = False
        if i_categories is not None:
            text = cells[i_categories].strip()
            if text:
                parsed = self.parsed(self.categories, _parse_categories, errors, row, "categories", text)
                if parsed is not None:
                    categories, difficult_category = parsed

        difficult: bool | None = None
        if i_difficult is not None:
            value = cells[i_difficult].strip()
            if value:
                difficult = self.bools.get(value)
                if difficult is None:
                    difficult = self.flag(errors, row, "difficult_circumstances", value)
        compulsory = (
            self.flag(errors, row, "compulsory_si", cells[i_compulsory]) if i_compulsory is not None else None
        )
        pension = (
            self.flag(errors, row, "receives_pension", cells[i_pension]) if i_pension is not None else None
        )
        citizen = (
            self.flag(errors, row, "vietnamese_citizen", cells[i_citizen]) if i_citizen is not None else None
        )
        if difficult_category:
            difficult = True
        if i_nationality is not None:
            nationality = cells[i_nationality].strip()
            if nationality and citizen is None:
                citizen = _key(nationality) in _VN

        commune = cells[i_commune].strip() if i_commune is not None else ""
        household = (cells[i_household].strip() or None) if i_household is not None else None

        until: dt.date | None = None
        if i_until is not None:
            until_cell = cells[i_until].strip()
            if until_cell != "":
                until = self.parsed(self.dates, _parse_date, errors, row, "bhyt_valid_until", until_cell)

        months = 0
        if i_months is not None:
            months_cell = cells[i_months].strip()
            if months_cell:
                try:
                    months = _parse_count(months_cell)
                except _CellError as e:
                    self.fail(errors, row, "vsi_supported_months", months_cell, str(e))

        stay: tuple[dt.date, dt.date] | None = None
        admitted = cells[i_admitted].strip() if i_admitted is not None else ""
        discharged = cells[i_discharged].strip() if i_discharged is not None else ""
        if admitted != "" or discharged != "":
            days: list[dt.date] = []
            for field, raw_day in (("hospital_admission", admitted), ("hospital_discharge", discharged)):
                if raw_day == "":
                    self.fail(
                        errors,
                        row,
                        field,
                        raw_day,
                        "both admission and discharge dates are needed for a hospital stay",
                    )
                    continue
                day = self.parsed(self.dates, _parse_date, errors, row, field, raw_day)
                if day is not None:
                    days.append(day)
            if len(days) == 2:
                if days[1] < days[0]:
                    self.fail(errors, row, "hospital_discharge", discharged, "before the admission date")
                else:
                    stay = (days[0], days[1])

        pid = (cells[i_id].strip() if i_id is not None else "") or f"row-{row}"
        if pid in self.ids:
            self.fail(errors, row, "id", pid, f"the same id as row {self.ids[pid]}")
        if errors or dob is None or province is None:
            self.rejected.extend(errors)
            return
        if province in _CURRENT_CODES:
            person = _trusted_person(
                pid,
                name,
                dob,
                province,
                categories,
                cccd,
                si,
                commune,
                household,
                True if citizen is None else citizen,
                bool(difficult),
                bool(compulsory),
                bool(pension),
                until,
                months,
                stay,
            )
        else:  # never with the shipped data: Person's own check then names the problem
            try:
                person = Person(
                    id=pid,
                    full_name=name,
                    date_of_birth=dob,
                    province=province,
                    categories=categories,
                    cccd=cccd,
                    social_insurance_number=si,
                    commune=commune,
                    household_id=household,
                    vietnamese_citizen=True if citizen is None else citizen,
                    difficult_circumstances=bool(difficult),
                    compulsory_si=bool(compulsory),
                    receives_pension=bool(pension),
                    bhyt_valid_until=until,
                    vsi_supported_months=months,
                    hospital_stay=stay,
                )
            except InvalidValueError as e:
                self.fail(errors, row, e.field, _shown(e.field, str(e.value)), e.allowed)
                self.rejected.extend(errors)
                return
        self.ids[pid] = row
        index = len(self.people)
        self.people.append(person)
        self.rows.append(row)
        if cccd is not None:
            first = self.seen["cccd"].setdefault(cccd, index)
            if first != index:
                self.again("cccd", cccd, first, index)
        if si is not None:
            first = self.seen["social_insurance_number"].setdefault(si, index)
            if first != index:
                self.again("social_insurance_number", si, first, index)

    def again(self, field: str, ident: str, first: int, index: int) -> None:
        """Note that the person at *index* carries the identifier of the one at *first*."""
        indices = self.repeated[field].get(ident)
        if indices is None:
            self.repeated[field][ident] = [first, index]
        else:
            indices.append(index)

    def roster(self, ignored: tuple[str, ...]) -> Roster:
        # Ordered by the first row, then as _IDENTIFIERS iterates.
        found = sorted(
            (self.rows[indices[0]], n, field, value, indices)
            for n, field in enumerate(_IDENTIFIERS)
            for value, indices in self.repeated[field].items()
        )
        dups = tuple(
            Duplicate(
                field,
                mask_id(value) or "",
                tuple(self.rows[i] for i in indices),
                tuple(self.people[i].id for i in indices),
            )
            for _, _, field, value, indices in found
        )
        return Roster(
            source=self.source,
            people=tuple(self.people),
            rows=tuple(self.rows),
            rejected=tuple(self.rejected),
            duplicates=dups,
            columns=tuple((self.headers[i], f) for f, i in sorted(self.fields.items(), key=lambda kv: kv[1])),
            ignored_columns=ignored,
        )


def _header_fields(source: str, header: Sequence[str]) -> tuple[dict[str, int], list[str], tuple[str, ...]]:
    names = [h.strip().lstrip("\ufeff") for h in header]
    fields: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(names):
        if not name:
            continue
        field = _HEADER_INDEX.get(_key(name))
        if field is None:
            ignored.append(name)
            continue
        if field in fields:
            raise RosterError(
                f"{source}: columns {names[fields[field]]!r} and {name!r} both mean {field!r}; keep one"
            )
        fields[field] = i
    missing = [f for f in _REQUIRED if f not in fields]
    if "province" not in fields and "former_province" not in fields:
        missing.append("province")
    if missing:
        wanted = "; ".join(f"{f}: one of {', '.join(repr(a) for a in HEADERS[f])}" for f in missing)
        raise RosterError(f"{source}: missing required column(s) — {wanted}; found {names!r}")
    return fields, names, tuple(ignored)


def parse_roster_rows(rows: Iterable[Sequence[Cell]], *, source: str = "<rows>") -> Roster:
    """Build a roster from rows of cells; the first non-blank row is the header.

    This is what the CSV and Excel readers call; use it for rows from any
    other source (a database, a web form).

    Raises:
        RosterError: no header, a required column missing, or two columns
            with the same meaning.
    """
    return _parse_rows(([_text_cell(c) for c in cells] for cells in rows), source)


def _text_cell(cell: Cell) -> str:
    if isinstance(cell, dt.date):
        return (cell.date() if isinstance(cell, dt.datetime) else cell).isoformat()
    if not isinstance(cell, str):
        raise InvalidValueError("cell", cell, "a str or a datetime.date")
    return cell


def _parse_rows(rows: Iterable[Sequence[str]], source: str) -> Roster:
    builder: _Builder | None = None
    ignored: tuple[str, ...] = ()
    for number, cells in enumerate(rows, start=1):
        if not "".join(cells).strip():  # a blank row (same as: no cell with a non-space)
            continue
        if builder is None:
            fields, names, ignored = _header_fields(source, cells)
            builder = _Builder(source, fields, names)
            continue
        builder.add(number, cells)
    if builder is None:
        raise RosterError(f"{source}: empty — no header row")
    return builder.roster(ignored)


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_roster_csv(data: bytes | str, *, source: str = "<csv>") -> Roster:
    """Read a roster from CSV bytes (UTF-8, with or without BOM) or text.

    Raises:
        RosterError: not UTF-8, not CSV, no header, or a required column missing.

    >>> r = parse_roster_csv("Họ và tên,Ngày sinh,Tỉnh,Số CCCD\\n"
    ...                      "Lê Thị Hoa,05/03/1962,Thái Bình,034162001234\\n"
    ...                      "Ngô Văn Tư,31/02/1970,33,\\n")
    >>> [(p.full_name, p.province, p.masked_cccd) for p in r.people]
    [('Lê Thị Hoa', '33', '0341******34')]
    >>> [(x.row, x.column, x.reason) for x in r.rejected]
    [(3, 'Ngày sinh', 'no such day: use dd/mm/yyyy or yyyy-mm-dd')]
    """
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
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=False)
        return _parse_rows(reader, source)
    except csv.Error as e:
        raise RosterError(f"{source}: not readable as CSV ({e})") from None


def _excel_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _load_xlsx(path: Path, sheet: str | None) -> Roster:
    try:
        import openpyxl
    except ImportError:
        raise RosterError(
            f"{path}: reading .xlsx files needs openpyxl; install it with: pip install 'ansinh[excel]'"
        ) from None
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken file
        raise RosterError(f"{path}: not a readable Excel workbook ({type(e).__name__}: {e})") from None
    try:
        if sheet is None:
            ws = wb.worksheets[0]
        elif sheet in wb.sheetnames:
            ws = wb[sheet]
        else:
            raise RosterError(f"{path}: sheet={sheet!r} not found; sheets: {', '.join(wb.sheetnames)}")
        rows = [[_excel_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    # Excel drops the leading zeros of identifiers typed as numbers; put them back.
    padded: list[list[Cell]] = []
    header_fields: dict[int, int] = {}
    for r in rows:
        if not header_fields and any(c for c in r):
            for i, c in enumerate(r):
                if isinstance(c, str):
                    f = _HEADER_INDEX.get(_key(c))
                    if f in _IDENTIFIERS:
                        header_fields[i] = 12 if f == "cccd" else 10
            padded.append(r)
            continue
        padded.append(
            [
                c.zfill(header_fields[i])
                if i in header_fields and isinstance(c, str) and c.isdigit() and len(c) < header_fields[i]
                else c
                for i, c in enumerate(r)
            ]
        )
    return parse_roster_rows(padded, source=str(path))


def load_roster(path: str | os.PathLike[str], *, sheet: str | None = None) -> Roster:
    """Load a candidate list from a CSV or Excel file.

    Args:
        path: a ``.csv`` (or any text) file, or an ``.xlsx`` / ``.xlsm`` workbook.
        sheet: the worksheet to read (Excel only; default: the first).

    Returns:
        A :class:`Roster` with the accepted people, every rejected row and the duplicates.

    Raises:
        RosterError: the file cannot be read at all (missing, not UTF-8, no
            header, a required column missing, openpyxl not installed …).
    """
    p = Path(path)
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        return _load_xlsx(p, sheet)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise RosterError(f"{p}: cannot be read ({e.strerror or e})") from None
    return parse_roster_csv(data, source=str(p))


# ---------------------------------------------------------------- writing ---

_COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("id", "Mã", "id"),
    ("full_name", "Họ và tên", "full_name"),
    ("date_of_birth", "Ngày sinh", "date_of_birth"),
    ("province", "Tỉnh", "province"),
    ("commune", "Xã/phường", "commune"),
    ("household_id", "Mã hộ", "household_id"),
    ("categories", "Đối tượng", "categories"),
    ("cccd", "Số CCCD", "cccd"),
    ("social_insurance_number", "Mã số BHXH", "social_insurance_number"),
    ("vietnamese_citizen", "Công dân Việt Nam", "vietnamese_citizen"),
    ("difficult_circumstances", "Hoàn cảnh khó khăn", "difficult_circumstances"),
    ("compulsory_si", "BHXH bắt buộc", "compulsory_si"),
    ("receives_pension", "Hưởng lương hưu", "receives_pension"),
    ("bhyt_valid_until", "Hạn thẻ BHYT", "bhyt_valid_until"),
    ("vsi_supported_months", "Số tháng đã được hỗ trợ", "vsi_supported_months"),
    ("hospital_admission", "Ngày nhập viện", "hospital_admission"),
    ("hospital_discharge", "Ngày ra viện", "hospital_discharge"),
)


def _row(p: Person, lang: Literal["vi", "en"]) -> list[str]:
    def day(d: dt.date | None) -> str:
        if d is None:
            return ""
        return d.isoformat() if lang == "en" else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"

    def flag(b: bool) -> str:
        if lang == "en":
            return "yes" if b else "no"
        return "có" if b else "không"

    cats = sorted(p.categories, key=lambda c: c.value)
    stay = p.hospital_stay
    return [
        p.id,
        p.full_name,
        day(p.date_of_birth),
        p.province,
        p.commune,
        p.household_id or "",
        ";".join(c.value for c in cats) if lang == "en" else "; ".join(c.label_vi for c in cats),
        p.cccd or "",
        p.social_insurance_number or "",
        flag(p.vietnamese_citizen),
        flag(p.difficult_circumstances),
        flag(p.compulsory_si),
        flag(p.receives_pension),
        day(p.bhyt_valid_until),
        str(p.vsi_supported_months),
        day(stay[0]) if stay else "",
        day(stay[1]) if stay else "",
    ]


def write_roster_csv(
    people: Iterable[Person] | Roster,
    path: str | os.PathLike[str],
    *,
    lang: Literal["vi", "en"] = "vi",
) -> Path:
    """Write people to a CSV roster that :func:`load_roster` reads back to the same people.

    Vietnamese headers, dates ``dd/mm/yyyy`` and category labels by default;
    ``lang="en"`` writes English headers, ISO dates and category codes.  The
    file is UTF-8 with a BOM (so Excel shows Vietnamese correctly) and is
    written to a temporary file first, then renamed.  Identifiers are written
    in full: this is the office's working file, not a public list (see
    :mod:`ansinh.io.public_list`).

    Raises:
        InvalidValueError: an item is not a Person, or *lang* is not vi/en.
        RosterError: the file cannot be written.
    """
    if lang not in ("vi", "en"):
        raise InvalidValueError("lang", lang, "'vi' or 'en'")
    items = people.people if isinstance(people, Roster) else people
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([en if lang == "en" else vi for _, vi, en in _COLUMNS])
    for p in items:
        if not isinstance(p, Person):
            raise InvalidValueError("people", p, "ansinh.Person objects")
        writer.writerow(_row(p, lang))
    return write_atomic(path, buf.getvalue(), bom=True)
