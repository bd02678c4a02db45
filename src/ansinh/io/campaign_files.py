"""Reading a campaign folder: ``campaign.toml``, ``sponsors.csv``, ``pledges.csv`` and the roster.

A campaign folder holds what a province office or BHXH Việt Nam keeps for one
year's programme::

    campaign.toml   the plan and how to run it (purchase date, handover date …)
    sponsors.csv    nhà tài trợ: id, name, kind, province
    pledges.csv     đăng ký tài trợ: units and/or money, province, earmark, money received
    roster.csv      the reviewed candidate list (read by :func:`ansinh.io.roster.load.load_roster`)

``campaign.toml``::

    [campaign]
    code = "BN2026"
    name = "Tặng thẻ BHYT cho người có hoàn cảnh khó khăn, mang Tết ấm đến với người nghèo Xuân Bính Ngọ"
    lunar_year = "Bính Ngọ"
    plan_reference = "Kế hoạch 2716/KH-BHXH ngày 23/10/2025"
    start = 2025-10-23
    end = 2026-03-31
    tet_dates = [2026-02-16, 2026-02-22]
    # province = "31"            # a provincial campaign; omit for a national one
    # parent = "BN2026"          # the code of the national campaign a province's is part of

    [run]
    purchase_date = 2026-01-05   # the law of this date prices every gift
    handover_date = 2026-01-20   # paid gifts are delivered on this date (optional)
    report_date = 2026-01-31     # the report's date (default: handover, else purchase date)
    money_buys = "health_card"   # what money pledges buy
    card_months = 12             # the card screened for (pledges may ask other months)
    book_months = 12
    tet_gift_value = 500000      # value of a Tết gift, if pledges name gifts
    renewal_days = 60
    events_jsonl = false         # also write every ledger event to <out>/events.jsonl

    [files]                      # optional: other file names
    sponsors = "sponsors.csv"
    pledges = "pledges.csv"
    roster = "roster.csv"

    [[handover]]                 # optional, repeatable: a handover ceremony (lễ trao tặng)
    date = 2026-01-16
    place = "UBND phường Hải An, TP Hải Phòng"
    leader = "Phó Tổng Giám đốc BHXH Việt Nam"   # who led the delegation
    provinces = ["TP Hải Phòng"] # which gifts: of these provinces' people (optional) ...
    pledges = ["P02", "P07"]     # ... paid by these pledges (optional)
    kinds = ["health_card"]      # ... of these kinds (optional)
    hospitals = []               # ... Tết gifts at these hospitals (optional)
    reference = "Biên bản số 01/BB-BHXH"   # optional

    [[sourcing]]                 # optional, repeatable: run a sourcing strategy
    strategy = "workplace_drive" # a strategy name (``ansinh plugins`` lists them)
    received_on = 2025-12-01     # optional: its money was received on this date
    [sourcing.inputs]            # the strategy's inputs (its ``from_mapping`` table)
    province = "33"
    enterprises = [{ id = "DN01", name = "Công ty May", workers = 1200, participation = "0.6", amount_per_worker = 50000 }]

    [plugins.hung_yen]           # optional: settings passed to the plugin "hung_yen"
    flood_points = 3

    [report]                     # optional: the province's own report layout (letterhead, signature)
    template = "letterhead"      # a folder (or one .html.j2 / .md.j2 file) inside the campaign folder

A key ``campaign.toml`` does not know (a typo such as ``renewal_dayz``) is
refused with its name, never silently ignored.  Paid gifts a ``[[handover]]``
ceremony includes are delivered on its date (:func:`~ansinh.core.handover.handover_deliveries`);
the others on ``handover_date``.  The pledges a ``[[sourcing]]``
table produces are added to those of ``pledges.csv`` by :func:`ansinh.io.run.run_campaign`,
registered on ``registered_on`` (default: the campaign start).

CSV files are UTF-8 (a byte-order mark is fine), separated by ``,``, ``;`` or
tabs, whichever the header line uses most (the roster's rule,
:func:`~ansinh.io.roster.csv.delimiter_of`); each file may instead be an
Excel workbook (``sponsors.xlsx``, ``pledges.xlsx``, ``roster.xlsx``: its first
sheet, read with ``ansinh[excel]``), its cells read as the same text a CSV
export holds, by the roster's reader (:func:`~ansinh.io.roster.xlsx.sheet_cells`:
its size limits, and a CCCD or mã số BHXH stored as a number zero-padded
back).  Both have Vietnamese or English headers (accents and case ignored; see :data:`SPONSOR_HEADERS` and
:data:`PLEDGE_HEADERS`).  Amounts are whole đồng, with or without ``.``
thousands separators (``50.000.000``); dates as in a roster, ``dd/mm/yyyy``
(also with ``-`` or ``.``) or ``yyyy-mm-dd``.  A bad row is kept out and reported
(:attr:`CampaignFolder.rejected`), never silently dropped; the rest is read.
Lines are split as a roster's are (:func:`~ansinh.io.roster.csv.csv_rows`):
the header is the first line that is not blank, a quoted cell may span
lines, and a line whose quote is never closed is rejected on its own, the
lines after it read as rows of their own.

For Tết gifts the roster may carry the hospital each patient is treated in
(``Bệnh viện``, ``hospital``) and its level (``Tuyến``, ``hospital_level``:
``Trung ương``, ``tỉnh`` or ``huyện`` — or ``central``, ``province``,
``district``); each Tết gift then names them (:class:`~ansinh.core.products.TetGift`).

The roster may carry a column ``Đơn vị liên quan`` (``affiliations``): the
sponsor ids (or other earmark targets) a person is linked to — the enterprise
where a relative works, the congregation they belong to — separated by ``;``.
Earmarked pledges (``workers_relatives``, ``members``) pay only for people
linked to their target.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from ansinh.core.audit import MAX_DOCUMENT
from ansinh.core.campaign import (
    Campaign,
    Earmark,
    EarmarkKind,
    LocalSponsorKind,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.handover import Handover
from ansinh.core.people import Category
from ansinh.core.products import HospitalLevel, ProductKind, TetGift
from ansinh.exceptions import CampaignFileError, InvalidValueError, RosterError
from ansinh.io.campaign_toml import (
    CellError,
    RunSettings,
    SourcingPlan,
    plain,
    province_cell,
    read_campaign_text,
    read_handovers,
    read_only,
    read_toml,
)
from ansinh.io.report_templates import ReportLayout, read_report_layout
from ansinh.io.roster import RejectedRow, Roster, load_roster
from ansinh.io.roster.cells import parse_date
from ansinh.io.roster.csv import csv_rows, csv_text
from ansinh.io.roster.load import roster_rows
from ansinh.io.roster.parse import TextRow, cell_rows, split_header
from ansinh.io.roster.xlsx import sheet_cells
from ansinh.limits import MAX_CELL_CHARACTERS

__all__ = [
    "PLEDGE_HEADERS",
    "SPONSOR_HEADERS",
    "CampaignFolder",
    "Receipt",
    "read_campaign_folder",
    "read_pledges",
    "read_sponsors",
]


SPONSOR_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("id", "ma", "ma nha tai tro", "sponsor id"),
    "name": ("name", "ten", "ten nha tai tro", "ten don vi"),
    "kind": ("kind", "loai", "loai nha tai tro"),
    "province": ("province", "tinh", "tinh thanh pho"),
}
"""Sponsor field → accepted headers (matching form)."""

PLEDGE_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("id", "ma", "ma khoan tai tro", "pledge id"),
    "sponsor_id": ("sponsor id", "ma nha tai tro", "nha tai tro"),
    "cards": ("cards", "the bhyt", "so the bhyt"),
    "books": ("books", "so bhxh", "so so bhxh"),
    "gifts": ("gifts", "suat qua", "qua tet", "so suat qua"),
    "money": ("money", "so tien", "tien tai tro", "so tien tai tro"),
    "province": ("province", "tinh", "tinh thanh pho"),
    "earmark": ("earmark", "danh cho", "loai dich danh"),
    "earmark_target": ("earmark target", "doi tuong danh cho", "ma dich danh"),
    "earmark_label": ("earmark label", "ghi chu danh cho", "mo ta dich danh"),
    "strategy": ("strategy", "cach huy dong", "nguon huy dong"),
    "card_months": ("card months", "so thang the"),
    "book_months": ("book months", "so thang so"),
    "registered_on": ("registered on", "ngay dang ky"),
    "received": ("received", "da nhan", "so tien da nhan"),
    "received_on": ("received on", "ngay nhan"),
    "receipt": ("receipt", "receipt reference", "so chung tu", "chung tu", "so phieu thu"),
}
"""Pledge field → accepted headers (matching form)."""

_AFFILIATION_HEADERS: Final = ("don vi lien quan", "affiliations", "affiliation", "don vi")
_HOSPITAL_HEADERS: Final = ("benh vien", "hospital", "ten benh vien", "noi dieu tri")
_LEVEL_HEADERS: Final = ("tuyen", "tuyen benh vien", "hospital level", "level")
_LEVELS: Final[dict[str, HospitalLevel]] = {
    **{plain(m.value): m for m in HospitalLevel},
    **{plain(m.label_vi): m for m in HospitalLevel},
    **{plain(m.label_en): m for m in HospitalLevel},
    "trung uong": HospitalLevel.CENTRAL,
    "tinh": HospitalLevel.PROVINCE,
    "huyen": HospitalLevel.DISTRICT,
}
_ROSTER_ID_HEADERS: Final = ("id", "ma", "ma ho so", "ma doi tuong", "person id")

_SPONSOR_KINDS: Final[dict[str, SponsorKind]] = {
    **{plain(k.value.replace("_", " ")): k for k in SponsorKind if k is not SponsorKind.OTHER},
    **{plain(k.label_vi): k for k in SponsorKind if k is not SponsorKind.OTHER},
    "doanh nghiep": SponsorKind.ENTERPRISE,
    "cong ty": SponsorKind.ENTERPRISE,
    "ngan hang": SponsorKind.BANK,
    "to chuc": SponsorKind.ORGANISATION,
    "doan the": SponsorKind.ORGANISATION,
    "ton giao": SponsorKind.RELIGIOUS,
    "giao hoi": SponsorKind.RELIGIOUS,
    "ca nhan": SponsorKind.INDIVIDUAL,
    "nha hao tam": SponsorKind.INDIVIDUAL,
    "cong chuc nganh": SponsorKind.SECTOR_STAFF,
    "nganh bhxh": SponsorKind.SECTOR_STAFF,
    "xa": SponsorKind.COMMUNE,
}

_EARMARK_KINDS: Final[dict[str, EarmarkKind]] = {
    **{plain(k.value.replace("_", " ")): k for k in EarmarkKind},
    "than nhan nguoi lao dong": EarmarkKind.WORKERS_RELATIVES,
    "nguoi lao dong": EarmarkKind.WORKERS_RELATIVES,
    "hoi vien": EarmarkKind.MEMBERS,
    "tin do": EarmarkKind.MEMBERS,
    "thanh vien": EarmarkKind.MEMBERS,
    "doi tuong": EarmarkKind.CATEGORY,
    "nhom doi tuong": EarmarkKind.CATEGORY,
    "xa": EarmarkKind.COMMUNE,
    "xa phuong": EarmarkKind.COMMUNE,
}

_CATEGORIES: Final[dict[str, Category]] = {
    **{plain(c.value.replace("_", " ")): c for c in Category},
    **{plain(c.label_vi): c for c in Category},
    **{plain(c.label_en): c for c in Category},
    "hoc sinh": Category.STUDENT,
    "sinh vien": Category.STUDENT,
    "can ngheo": Category.NEAR_POOR,
    "ngheo": Category.POOR,
    "dan toc thieu so": Category.ETHNIC_MINORITY,
    "moi thoat ngheo": Category.JUST_ESCAPED_POVERTY,
    "khuyet tat": Category.DISABILITY,
    "lao dong tu do": Category.FREE_WORKER,
}


@attrs.frozen(kw_only=True)
class Receipt:
    """Money received for a pledge, as ``pledges.csv`` records it."""

    pledge_id: str
    on: dt.date
    amount: int
    reference: str = ""
    """The receipt or collection reference (``Số chứng từ``), kept as the event's document."""


@attrs.frozen(kw_only=True)
class CampaignFolder:
    """Everything a campaign folder holds, read and checked."""

    folder: Path
    campaign: Campaign
    settings: RunSettings
    sponsors: tuple[Sponsor, ...]
    pledges: tuple[Pledge, ...]
    registered_on: tuple[tuple[str, dt.date], ...]
    """The registration date of each pledge (the campaign start when the file gives none)."""
    receipts: tuple[Receipt, ...]
    roster: Roster
    affiliations: tuple[tuple[str, frozenset[str]], ...]
    """Person id → earmark targets they are linked to (``Đơn vị liên quan``)."""
    rejected: tuple[tuple[str, RejectedRow], ...]
    """``(file name, problem)`` for every row kept out of sponsors and pledges."""
    sourcing: tuple[SourcingPlan, ...] = ()
    """The ``[[sourcing]]`` tables, in order."""
    plugin_settings: Mapping[str, Mapping[str, object]] = attrs.field(factory=lambda: read_only({}))
    """Plugin name → its ``[plugins.NAME]`` table, read-only."""
    report_layout: ReportLayout | None = None
    """The templates ``[report] template`` names (:mod:`ansinh.io.report_templates`); ``None``: none given."""
    handovers: tuple[Handover, ...] = ()
    """The ``[[handover]]`` ceremonies, in file order."""
    hospitals: tuple[tuple[str, tuple[str, HospitalLevel | None]], ...] = ()
    """Person id → the hospital they are treated in and its level (the roster's ``Bệnh viện``, ``Tuyến``)."""

    def affiliation_map(self) -> dict[str, frozenset[str]]:
        """:attr:`affiliations` as a dict, for :func:`~ansinh.core.allocation.allocate`."""
        return dict(self.affiliations)

    def sponsor(self, sponsor_id: str) -> Sponsor:
        """The sponsor with this id.

        Raises:
            InvalidValueError: no sponsor has it.
        """
        for s in self.sponsors:
            if s.id == sponsor_id:
                return s
        raise CampaignFileError("sponsor_id", sponsor_id, "the id of a sponsor in sponsors.csv")


# -- cells --------------------------------------------------------------------


def _amount(field: str, text: str) -> int:
    cleaned = text.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith(("đ", "d")):
        cleaned = cleaned[:-1]
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        raise CellError(field, text, "a whole number of đồng (e.g. 50000000 or 50.000.000), never a fraction")
    return int(cleaned)


def _count(field: str, text: str) -> int:
    cleaned = text.strip()
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        raise CellError(field, text, "a whole number >= 0")
    return int(cleaned)


def _date(field: str, text: str) -> dt.date | None:
    """A date cell read as a roster's (:func:`~ansinh.io.roster.cells.parse_date`: a four-digit year); blank: ``None``."""
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        return parse_date(cleaned)
    except InvalidValueError as exc:
        raise CellError(field, text, exc.allowed) from None


_EXCEL: Final = (".xlsx", ".xlsm")


def _text_rows(path: Path) -> Iterator[TextRow]:
    """The rows of a CSV file or of an Excel workbook's first sheet, as text, read and numbered as the roster's are.

    A CSV file is read as a roster is (:func:`~ansinh.io.roster.csv.csv_rows`):
    split by :func:`~ansinh.io.roster.csv.delimiter_of`, and a row with an
    unclosed quote comes with its :attr:`~ansinh.io.roster.parse.TextRow.problem`,
    the lines after it read on their own.
    """
    if path.suffix.lower() in _EXCEL:
        try:  # the roster's reader: its size limits, and a number cell in an identifier column zero-padded back
            return cell_rows(sheet_cells(path))
        except RosterError as exc:
            raise CampaignFileError(str(path), "", f"a readable Excel workbook ({exc})") from None
    try:
        text = csv_text(read_campaign_text(path), source=str(path))  # the roster's checks: no NUL …
    except (OSError, UnicodeDecodeError, RosterError) as exc:
        raise CampaignFileError(
            str(path), "", f"a readable UTF-8 CSV file, or an .xlsx workbook ({exc})"
        ) from None
    return csv_rows(text, source=str(path))


def _in_row_order(rejected: Iterable[RejectedRow]) -> tuple[RejectedRow, ...]:
    """Rejected rows by row number (the rows a reader could not split among those a reader refused)."""
    return tuple(sorted(rejected, key=lambda r: r.row))


CsvRows = list[tuple[int, dict[str, str]]]
"""``(row number, {field: cell})`` for each row of a campaign file that is not blank."""


def _read_csv(
    path: Path, headers: Mapping[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[CsvRows, dict[str, str], tuple[RejectedRow, ...]]:
    """A campaign file's rows by field, its headers as written by field, and the rows that could not be split.

    The header is the first row that is not blank (:func:`~ansinh.io.roster.parse.split_header`);
    each of *headers*' fields is found by any of its headers (matching form),
    and each of *required* must be.  A row the reader could not split (an
    unclosed quote) is a :class:`~ansinh.io.roster.values.RejectedRow` with
    the reason, never lost: the caller lists it with the rows it rejects.

    Raises:
        CampaignFileError: the file cannot be read, has no header row, lacks
            a required column, or holds a cell too long for the csv module.
    """
    try:
        header_row, reader = split_header(_text_rows(path), source=str(path))
    except RosterError:
        raise CampaignFileError(str(path), "", "a CSV file or a worksheet with a header row") from None
    header = list(header_row.cells)
    index = {alias: f for f, aliases in headers.items() for alias in aliases}
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, h in enumerate(header):
        field = index.get(plain(h))
        if field is not None and field not in columns:
            columns[field] = i
            names[field] = h
    missing = [f for f in required if f not in columns]
    if missing:
        raise CampaignFileError(
            str(path),
            ", ".join(header),
            "headers including " + ", ".join(f"{f} ({' / '.join(headers[f][:3])})" for f in missing),
        )
    rows: CsvRows = []
    broken: list[RejectedRow] = []
    try:
        for number, row, _, problem in reader:
            if problem:
                broken.append(RejectedRow(number, "", " ".join(row), problem))
            elif any(cell.strip() for cell in row):
                rows.append(
                    (number, {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()})
                )
    except RosterError:  # a cell over the csv module's limit
        raise CampaignFileError(
            str(path),
            "",
            f"cells of at most {MAX_CELL_CHARACTERS} characters (ansinh.limits.MAX_CELL_CHARACTERS)",
        ) from None
    return rows, names, tuple(broken)


def _kind_table(extra: Iterable[LocalSponsorKind]) -> dict[str, tuple[SponsorKind, str]]:
    """How sponsor files write each kind (matching form) → (kind, local kind code)."""
    table = {k: (v, "") for k, v in _SPONSOR_KINDS.items()}
    for local in extra:
        for text in (local.code.replace("_", " "), local.label_vi, local.label_en, *local.aliases):
            table.setdefault(plain(text), (SponsorKind.OTHER, local.code))
    return table


def read_sponsors(
    path: str | os.PathLike[str], *, sponsor_kinds: Iterable[LocalSponsorKind] = ()
) -> tuple[tuple[Sponsor, ...], tuple[RejectedRow, ...]]:
    """Read ``sponsors.csv``: the sponsors, and every row kept out with the reason.

    Args:
        path: the file.
        sponsor_kinds: kinds plugins add (``ansinh_sponsor_kinds``); a row of
            another kind ("hợp tác xã" with no plugin adding it) is rejected.

    Raises:
        CampaignFileError: the file cannot be read or lacks a required column.
    """
    extra = tuple(sponsor_kinds)
    kinds = _kind_table(extra)
    allowed = [f"{k.value} ({k.label_vi})" for k in SponsorKind if k is not SponsorKind.OTHER]
    allowed += [f"{k.code} ({k.label_vi})" for k in extra]
    rows, names, broken = _read_csv(Path(path), SPONSOR_HEADERS, ("id", "name", "kind"))
    sponsors: list[Sponsor] = []
    rejected: list[RejectedRow] = list(broken)
    seen: set[str] = set()
    for number, cells in rows:
        try:
            found = kinds.get(plain(cells["kind"]))
            if found is None:
                raise CellError("kind", cells["kind"], "one of " + ", ".join(allowed))
            if cells["id"] in seen:
                raise CellError("id", cells["id"], "an id not used by an earlier row")
            sponsor = Sponsor(
                id=cells["id"],
                name=cells["name"],
                kind=found[0],
                local_kind=found[1],
                province=province_cell("province", cells.get("province", "")),
            )
        except CellError as bad:
            rejected.append(RejectedRow(number, names.get(bad.field, bad.field), bad.value, bad.reason))
            continue
        except InvalidValueError as exc:
            rejected.append(RejectedRow(number, names.get(exc.field, exc.field), exc.value, exc.allowed))
            continue
        seen.add(sponsor.id)
        sponsors.append(sponsor)
    return tuple(sponsors), _in_row_order(rejected)


def _earmark(cells: Mapping[str, str]) -> Earmark | None:
    kind_text = cells.get("earmark", "")
    if not kind_text:
        return None
    kind = _EARMARK_KINDS.get(plain(kind_text))
    if kind is None:
        raise CellError("earmark", kind_text, "one of " + ", ".join(k.value for k in EarmarkKind))
    target = cells.get("earmark_target", "")
    if not target:
        raise CellError(
            "earmark_target", target, "the target of the earmark (a sponsor id, category or commune)"
        )
    if kind is EarmarkKind.CATEGORY:
        category = _CATEGORIES.get(plain(target))
        if category is None:
            raise CellError("earmark_target", target, "a category: " + ", ".join(c.value for c in Category))
        target = category.value
    return Earmark(kind=kind, target=target, label=cells.get("earmark_label", ""))


def read_pledges(
    path: str | os.PathLike[str],
    sponsors: tuple[Sponsor, ...],
    *,
    default_date: dt.date,
) -> tuple[tuple[Pledge, ...], tuple[tuple[str, dt.date], ...], tuple[Receipt, ...], tuple[RejectedRow, ...]]:
    """Read ``pledges.csv``: pledges, their registration dates, money received, rejected rows.

    Args:
        path: the file.
        sponsors: the sponsors read from ``sponsors.csv`` (a pledge must name one).
        default_date: the date used when a row gives no registration or receipt date.

    Raises:
        CampaignFileError: the file cannot be read or lacks a required column.
    """
    rows, names, broken = _read_csv(Path(path), PLEDGE_HEADERS, ("id", "sponsor_id"))
    known = {s.id for s in sponsors}
    pledges: list[Pledge] = []
    dates: list[tuple[str, dt.date]] = []
    receipts: list[Receipt] = []
    rejected: list[RejectedRow] = list(broken)
    seen: set[str] = set()
    for number, cells in rows:
        try:
            if cells["id"] in seen:
                raise CellError("id", cells["id"], "an id not used by an earlier row")
            if cells["sponsor_id"] not in known:
                raise CellError("sponsor_id", cells["sponsor_id"], "the id of a sponsor in sponsors.csv")
            units = tuple(
                (kind, n)
                for kind, n in (
                    (ProductKind.HEALTH_CARD, _count("cards", cells.get("cards", ""))),
                    (ProductKind.SOCIAL_BOOK, _count("books", cells.get("books", ""))),
                    (ProductKind.TET_GIFT, _count("gifts", cells.get("gifts", ""))),
                )
                if n
            )
            options: dict[str, Any] = {}
            for field in ("card_months", "book_months"):
                if cells.get(field):
                    options[field] = _count(field, cells[field])
            pledge = Pledge(
                id=cells["id"],
                sponsor_id=cells["sponsor_id"],
                units=units,
                money=_amount("money", cells.get("money", "")),
                province=province_cell("province", cells.get("province", "")),
                earmark=_earmark(cells),
                strategy=cells.get("strategy", ""),
                **options,
            )
            registered = _date("registered_on", cells.get("registered_on", "")) or default_date
            received = _amount("received", cells.get("received", ""))
            received_on = _date("received_on", cells.get("received_on", "")) or registered
            reference = cells.get("receipt", "")
            if len(reference) > MAX_DOCUMENT:
                raise CellError("receipt", reference, f"at most {MAX_DOCUMENT} characters")
        except CellError as bad:
            rejected.append(RejectedRow(number, names.get(bad.field, bad.field), bad.value, bad.reason))
            continue
        except InvalidValueError as exc:
            column = names.get(exc.field, exc.field)
            rejected.append(RejectedRow(number, column, exc.value, exc.allowed))
            continue
        seen.add(pledge.id)
        pledges.append(pledge)
        dates.append((pledge.id, registered))
        if received:
            receipts.append(
                Receipt(pledge_id=pledge.id, on=received_on, amount=received, reference=reference)
            )
    return tuple(pledges), tuple(dates), tuple(receipts), _in_row_order(rejected)


def _roster_columns(
    path: Path,
) -> tuple[tuple[tuple[str, frozenset[str]], ...], tuple[tuple[str, tuple[str, HospitalLevel | None]], ...]]:
    """The roster's affiliations (:func:`_affiliations`) and hospitals (:func:`_hospitals`).

    The rows are the roster's own (:func:`~ansinh.io.roster.load.roster_rows`):
    the same header, lines and row numbers as the people were read from.  A
    row the roster could not split is the roster's to report, and read for
    neither.

    Raises:
        CampaignFileError: a hospital level is wrong (:func:`_hospitals`).
    """
    try:
        header, rows = split_header(roster_rows(path), source=str(path))
        names = [plain(h) for h in header.cells]
        if not any(h in _AFFILIATION_HEADERS or h in _HOSPITAL_HEADERS for h in names):
            return (), ()
        read = [r for r in rows if not r.problem]
    except RosterError:
        return (), ()  # load_roster reports an unreadable roster
    return _affiliations(names, read), _hospitals(path.name, names, read)


def _affiliations(header: list[str], rows: Iterable[TextRow]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Person id → the targets of the roster's ``Đơn vị liên quan`` column, if it has one (*header*: matching form)."""
    id_col = next((i for i, h in enumerate(header) if h in _ROSTER_ID_HEADERS), None)
    aff_col = next((i for i, h in enumerate(header) if h in _AFFILIATION_HEADERS), None)
    if id_col is None or aff_col is None:
        return ()
    out: dict[str, frozenset[str]] = {}
    for row in (r.cells for r in rows):
        if len(row) > max(id_col, aff_col) and row[id_col].strip():
            targets = frozenset(t.strip() for t in row[aff_col].replace(",", ";").split(";") if t.strip())
            if targets:
                out[row[id_col].strip()] = out.get(row[id_col].strip(), frozenset()) | targets
    return tuple(sorted(out.items()))


def _level(text: str, where: str) -> HospitalLevel | None:
    if not text.strip():
        return None
    level = _LEVELS.get(plain(text))
    if level is None:
        allowed = ", ".join(f"{m.value} ({m.label_vi})" for m in HospitalLevel)
        raise CampaignFileError(where, text, f"a hospital level: {allowed}, or blank")
    return level


def _at(row: Sequence[str], i: int | None) -> str:
    return row[i].strip() if i is not None and i < len(row) else ""


def _hospitals(
    name: str, header: list[str], rows: Iterable[TextRow]
) -> tuple[tuple[str, tuple[str, HospitalLevel | None]], ...]:
    """Person id → (hospital, level) from the roster's ``Bệnh viện`` and ``Tuyến`` columns, if it has them.

    *name* is the roster file's name, *header* its header in matching form.

    Raises:
        CampaignFileError: a level cell is not a level, or a level is given without a hospital.
    """
    id_col = next((i for i, h in enumerate(header) if h in _ROSTER_ID_HEADERS), None)
    name_col = next((i for i, h in enumerate(header) if h in _HOSPITAL_HEADERS), None)
    level_col = next((i for i, h in enumerate(header) if h in _LEVEL_HEADERS), None)
    if id_col is None or name_col is None:
        return ()
    out: dict[str, tuple[str, HospitalLevel | None]] = {}
    for number, row, *_ in rows:
        where = f"{name} row {number} hospital_level"
        person, hospital, level_text = _at(row, id_col), _at(row, name_col), _at(row, level_col)
        level = _level(level_text, where)
        if person and hospital:
            try:  # the gift's own rule for a hospital's name
                named = TetGift(value=1, hospital=" ".join(hospital.split()), hospital_level=level)
            except InvalidValueError as exc:
                raise CampaignFileError(f"{name} row {number} hospital", hospital, exc.allowed) from None
            out[person] = (named.hospital, named.hospital_level)
        elif level is not None:
            raise CampaignFileError(where, level_text, "blank when the row names no hospital")
    return tuple(sorted(out.items()))


def _inside(root: Path, key: str, name: str) -> Path:
    """*name* under *root*, refused if it leads out of the folder (``/etc/passwd``, ``../x``, a link out)."""
    path = root / name
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        inside = False
    if not inside:
        raise CampaignFileError(
            f"campaign.toml files.{key}", name, "a file inside the campaign folder (no absolute path, no ..)"
        )
    return path


def read_campaign_folder(
    folder: str | os.PathLike[str],
    *,
    sponsor_kinds: Iterable[LocalSponsorKind] = (),
    progress: Callable[[int, int], None] | None = None,
) -> CampaignFolder:
    """Read a whole campaign folder (see the module docstring); *sponsor_kinds*: kinds plugins add.

    *progress* is called as ``progress(rows read, rows)`` while the roster is
    read (:func:`~ansinh.io.roster.load.load_roster`).

    Raises:
        InvalidValueError: ``campaign.toml``, ``sponsors.csv`` or ``pledges.csv``
            cannot be read at all, or ``[files]`` names a file outside the
            folder (a :class:`~ansinh.exceptions.CampaignFileError`).
        RosterError: the roster cannot be read at all.
    """
    if not isinstance(folder, str | os.PathLike):
        raise CampaignFileError("folder", folder, "a path to a campaign folder holding campaign.toml")
    root = Path(folder)
    try:
        is_folder = root.is_dir()
    except (OSError, ValueError):  # a name too long, a NUL in it
        is_folder = False
    if not is_folder:
        raise CampaignFileError("folder", str(root), "a campaign folder holding campaign.toml")
    campaign, settings, names, sourcing, plugin_settings, template = read_toml(root / "campaign.toml")
    paths = {key: _inside(root, key, name) for key, name in names.items()}
    layout = read_report_layout(root, template) if template is not None else None
    sponsors, bad_sponsors = read_sponsors(paths["sponsors"], sponsor_kinds=sponsor_kinds)
    pledges, dates, receipts, bad_pledges = read_pledges(
        paths["pledges"], sponsors, default_date=campaign.start
    )
    roster_path = paths["roster"]
    roster = load_roster(roster_path, progress=progress)
    affiliations, hospitals = _roster_columns(roster_path)
    return CampaignFolder(
        folder=root,
        campaign=campaign,
        settings=settings,
        sponsors=sponsors,
        pledges=pledges,
        registered_on=dates,
        receipts=receipts,
        roster=roster,
        affiliations=affiliations,
        rejected=tuple((names["sponsors"], r) for r in bad_sponsors)
        + tuple((names["pledges"], r) for r in bad_pledges),
        sourcing=sourcing,
        plugin_settings=plugin_settings,
        report_layout=layout,
        hospitals=hospitals,
        handovers=read_handovers(root / "campaign.toml"),
    )
