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

    [run]
    purchase_date = 2026-01-05   # the law of this date prices every gift
    handover_date = 2026-01-20   # paid gifts are delivered on this date (optional)
    report_date = 2026-01-31     # the report's date (default: handover, else purchase date)
    money_buys = "health_card"   # what money pledges buy
    card_months = 12             # the card screened for (pledges may ask other months)
    book_months = 12
    tet_gift_value = 500000      # value of a Tết gift, if pledges name gifts
    renewal_days = 60

    [files]                      # optional: other file names
    sponsors = "sponsors.csv"
    pledges = "pledges.csv"
    roster = "roster.csv"

    [[sourcing]]                 # optional, repeatable: run a sourcing strategy
    strategy = "workplace_drive" # a strategy name (``ansinh plugins`` lists them)
    received_on = 2025-12-01     # optional: its money was received on this date
    [sourcing.inputs]            # the strategy's inputs (its ``from_mapping`` table)
    province = "33"
    enterprises = [{ id = "DN01", name = "Công ty May", workers = 1200, participation = "0.6", amount_per_worker = 50000 }]

    [plugins.hung_yen]           # optional: settings passed to the plugin "hung_yen"
    flood_points = 3

A key ``campaign.toml`` does not know (a typo such as ``renewal_dayz``) is
refused with its name, never silently ignored.  The pledges a ``[[sourcing]]``
table produces are added to those of ``pledges.csv`` by :func:`ansinh.io.run.run_campaign`,
registered on ``registered_on`` (default: the campaign start).

CSV files are UTF-8 (a byte-order mark is fine); each file may instead be an
Excel workbook (``sponsors.xlsx``, ``pledges.xlsx``, ``roster.xlsx``: its first
sheet, read with ``ansinh[excel]``), its cells read as the same text a CSV
export holds.  Both have Vietnamese or English headers (accents and case ignored; see :data:`SPONSOR_HEADERS` and
:data:`PLEDGE_HEADERS`).  Amounts are whole đồng, with or without ``.``
thousands separators (``50.000.000``).  A bad row is kept out and reported
(:attr:`CampaignFolder.rejected`), never silently dropped; the rest is read.

The roster may carry a column ``Đơn vị liên quan`` (``affiliations``): the
sponsor ids (or other earmark targets) a person is linked to — the enterprise
where a relative works, the congregation they belong to — separated by ``;``.
Earmarked pledges (``workers_relatives``, ``members``) pay only for people
linked to their target.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tomllib
import types
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import cattrs

from ansinh.core.campaign import (
    Campaign,
    Earmark,
    EarmarkKind,
    LocalSponsorKind,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.dates import is_date
from ansinh.core.people import Category
from ansinh.core.products import ProductKind
from ansinh.core.provinces import find_province, province
from ansinh.exceptions import AnsinhError, CampaignFileError, InvalidValueError, RosterError
from ansinh.io.files import read_limited
from ansinh.io.roster import RejectedRow, Roster, load_roster
from ansinh.limits import MAX_ROSTER_BYTES

__all__ = [
    "PLEDGE_HEADERS",
    "SPONSOR_HEADERS",
    "CampaignFolder",
    "Receipt",
    "RunSettings",
    "SourcingPlan",
    "read_campaign_folder",
    "read_campaign_toml",
    "read_pledges",
    "read_sponsors",
]


def _plain(text: str) -> str:
    """Matching form: no accents, lower case, punctuation as spaces, single spaces."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


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
}
"""Pledge field → accepted headers (matching form)."""

_AFFILIATION_HEADERS: Final = ("don vi lien quan", "affiliations", "affiliation", "don vi")
_ROSTER_ID_HEADERS: Final = ("id", "ma", "ma ho so", "ma doi tuong", "person id")

_SPONSOR_KINDS: Final[dict[str, SponsorKind]] = {
    **{_plain(k.value.replace("_", " ")): k for k in SponsorKind if k is not SponsorKind.OTHER},
    **{_plain(k.label_vi): k for k in SponsorKind if k is not SponsorKind.OTHER},
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
    **{_plain(k.value.replace("_", " ")): k for k in EarmarkKind},
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
    **{_plain(c.value.replace("_", " ")): c for c in Category},
    **{_plain(c.label_vi): c for c in Category},
    **{_plain(c.label_en): c for c in Category},
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
class RunSettings:
    """How to run the campaign (the ``[run]`` table of ``campaign.toml``)."""

    purchase_date: dt.date
    """The law of this date prices every gift."""
    handover_date: dt.date | None = None
    """Paid gifts are delivered on this date; ``None``: not yet."""
    report_date: dt.date | None = None
    money_buys: ProductKind = ProductKind.HEALTH_CARD
    card_months: int = 12
    book_months: int = 12
    tet_gift_value: int | None = None
    renewal_days: int = 60

    @property
    def effective_report_date(self) -> dt.date:
        """The report's date: ``report_date``, else the handover date, else the purchase date."""
        return self.report_date or self.handover_date or self.purchase_date


@attrs.frozen(kw_only=True)
class SourcingPlan:
    """A ``[[sourcing]]`` table of ``campaign.toml``: a strategy to run, with its inputs."""

    strategy: str
    """The strategy's name (see :meth:`~ansinh.plugin_manager.PluginHost.sourcing_strategies`)."""
    inputs: Mapping[str, object]
    """Its ``[sourcing.inputs]`` table, read-only (tables as mappings, arrays as tuples)."""
    registered_on: dt.date | None = None
    """When its pledges were registered (``None``: the campaign start)."""
    received_on: dt.date | None = None
    """When the money it pledged was received (``None``: not yet)."""


@attrs.frozen(kw_only=True)
class Receipt:
    """Money received for a pledge, as ``pledges.csv`` records it."""

    pledge_id: str
    on: dt.date
    amount: int


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
    plugin_settings: Mapping[str, Mapping[str, object]] = attrs.field(factory=lambda: _read_only({}))
    """Plugin name → its ``[plugins.NAME]`` table, read-only."""

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


class _Bad(Exception):
    def __init__(self, field: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.value = value
        self.reason = reason


def _amount(field: str, text: str) -> int:
    cleaned = text.strip().replace(".", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith(("đ", "d")):
        cleaned = cleaned[:-1]
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        raise _Bad(field, text, "a whole number of đồng (e.g. 50000000 or 50.000.000), never a fraction")
    return int(cleaned)


def _count(field: str, text: str) -> int:
    cleaned = text.strip()
    if not cleaned:
        return 0
    if not cleaned.isdigit():
        raise _Bad(field, text, "a whole number >= 0")
    return int(cleaned)


def _date(field: str, text: str) -> dt.date | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    try:
        if "/" in cleaned:
            d, m, y = (int(x) for x in cleaned.split("/"))
            return dt.date(y, m, d)
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        raise _Bad(field, text, "a date as dd/mm/yyyy or yyyy-mm-dd") from None


def _province(field: str, text: str) -> str | None:
    cleaned = text.strip()
    if not cleaned or _plain(cleaned) in ("toan quoc", "national", "trung uong"):
        return None
    try:
        if cleaned.isdigit():
            return province(cleaned.zfill(2)).code
        return find_province(cleaned).code
    except AnsinhError:
        raise _Bad(field, text, "a current province code or name, or blank for the whole campaign") from None


def _read_text(path: Path) -> str:
    """A campaign file's text (UTF-8, BOM dropped): a regular file of at most :data:`~ansinh.limits.MAX_ROSTER_BYTES`.

    Raises:
        UnicodeDecodeError: not UTF-8.
        CampaignFileError: missing, not a regular file, or larger than the limit.
    """
    try:
        data = read_limited(path, MAX_ROSTER_BYTES, "MAX_ROSTER_BYTES", RosterError)
    except RosterError as exc:
        raise CampaignFileError(str(path), "", f"a readable file ({exc})") from None
    return data.decode("utf-8-sig")


_EXCEL: Final = (".xlsx", ".xlsm")


def _cell_text(value: object) -> str:
    """An Excel cell as the text the same cell has in a CSV export."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _excel_rows(path: Path) -> list[list[str]]:
    """The first worksheet's rows as text (needs openpyxl: ``ansinh[excel]``)."""
    try:
        import openpyxl
    except ImportError:
        raise CampaignFileError(
            str(path), "", "openpyxl installed to read Excel (pip install 'ansinh[excel]')"
        ) from None
    try:
        data = read_limited(path, MAX_ROSTER_BYTES, "MAX_ROSTER_BYTES", RosterError)
    except RosterError as exc:
        raise CampaignFileError(str(path), "", f"a readable file ({exc})") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise CampaignFileError(str(path), "", f"a readable Excel workbook ({type(exc).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        return [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _text_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file (``,`` or ``;``) or of an Excel workbook's first sheet, as text."""
    if path.suffix.lower() in _EXCEL:
        return _excel_rows(path)
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(
            str(path), "", f"a readable UTF-8 CSV file, or an .xlsx workbook ({exc})"
        ) from None
    sample = text.split("\n", 1)[0]
    delimiter = ";" if sample.count(";") > sample.count(",") else ("\t" if "\t" in sample else ",")
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_csv(path: Path, headers: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> Any:
    reader = iter(_text_rows(path))
    try:
        header = next(reader)
    except StopIteration:
        raise CampaignFileError(str(path), "", "a CSV file or a worksheet with a header row") from None
    index = {alias: f for f, aliases in headers.items() for alias in aliases}
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    for i, h in enumerate(header):
        field = index.get(_plain(h))
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
    rows = []
    for number, row in enumerate(reader, 2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()}
        rows.append((number, cells))
    return rows, names


def _kind_table(extra: Iterable[LocalSponsorKind]) -> dict[str, tuple[SponsorKind, str]]:
    """How sponsor files write each kind (matching form) → (kind, local kind code)."""
    table = {k: (v, "") for k, v in _SPONSOR_KINDS.items()}
    for local in extra:
        for text in (local.code.replace("_", " "), local.label_vi, local.label_en, *local.aliases):
            table.setdefault(_plain(text), (SponsorKind.OTHER, local.code))
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
    rows, names = _read_csv(Path(path), SPONSOR_HEADERS, ("id", "name", "kind"))
    sponsors: list[Sponsor] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    for number, cells in rows:
        try:
            found = kinds.get(_plain(cells["kind"]))
            if found is None:
                raise _Bad("kind", cells["kind"], "one of " + ", ".join(allowed))
            if cells["id"] in seen:
                raise _Bad("id", cells["id"], "an id not used by an earlier row")
            sponsor = Sponsor(
                id=cells["id"],
                name=cells["name"],
                kind=found[0],
                local_kind=found[1],
                province=_province("province", cells.get("province", "")),
            )
        except _Bad as bad:
            rejected.append(RejectedRow(number, names.get(bad.field, bad.field), bad.value, bad.reason))
            continue
        except InvalidValueError as exc:
            rejected.append(RejectedRow(number, names.get(exc.field, exc.field), exc.value, exc.allowed))
            continue
        seen.add(sponsor.id)
        sponsors.append(sponsor)
    return tuple(sponsors), tuple(rejected)


def _earmark(cells: Mapping[str, str]) -> Earmark | None:
    kind_text = cells.get("earmark", "")
    if not kind_text:
        return None
    kind = _EARMARK_KINDS.get(_plain(kind_text))
    if kind is None:
        raise _Bad("earmark", kind_text, "one of " + ", ".join(k.value for k in EarmarkKind))
    target = cells.get("earmark_target", "")
    if not target:
        raise _Bad("earmark_target", target, "the target of the earmark (a sponsor id, category or commune)")
    if kind is EarmarkKind.CATEGORY:
        category = _CATEGORIES.get(_plain(target))
        if category is None:
            raise _Bad("earmark_target", target, "a category: " + ", ".join(c.value for c in Category))
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
    rows, names = _read_csv(Path(path), PLEDGE_HEADERS, ("id", "sponsor_id"))
    known = {s.id for s in sponsors}
    pledges: list[Pledge] = []
    dates: list[tuple[str, dt.date]] = []
    receipts: list[Receipt] = []
    rejected: list[RejectedRow] = []
    seen: set[str] = set()
    for number, cells in rows:
        try:
            if cells["id"] in seen:
                raise _Bad("id", cells["id"], "an id not used by an earlier row")
            if cells["sponsor_id"] not in known:
                raise _Bad("sponsor_id", cells["sponsor_id"], "the id of a sponsor in sponsors.csv")
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
                province=_province("province", cells.get("province", "")),
                earmark=_earmark(cells),
                strategy=cells.get("strategy", ""),
                **options,
            )
            registered = _date("registered_on", cells.get("registered_on", "")) or default_date
            received = _amount("received", cells.get("received", ""))
            received_on = _date("received_on", cells.get("received_on", "")) or registered
        except _Bad as bad:
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
            receipts.append(Receipt(pledge_id=pledge.id, on=received_on, amount=received))
    return tuple(pledges), tuple(dates), tuple(receipts), tuple(rejected)


def _table(data: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise CampaignFileError(f"{where} [{name}]", table, "a TOML table")
    return table


def _toml_date(table: Mapping[str, Any], key: str, where: str, required: bool = False) -> dt.date | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not is_date(value):
        raise CampaignFileError(f"{where} {key}", value, "a TOML date such as 2026-01-05")
    return value


def _required_date(table: Mapping[str, Any], key: str, where: str) -> dt.date:
    value = _toml_date(table, key, where, required=True)
    assert value is not None
    return value


# The keys each table of campaign.toml may hold; cattrs refuses any other (forbid_extra_keys).
# The values are checked below, with messages naming the key.
@attrs.define
class _CampaignKeys:
    code: Any = None
    name: Any = None
    lunar_year: Any = None
    plan_reference: Any = None
    province: Any = None
    start: Any = None
    end: Any = None
    tet_dates: Any = None


@attrs.define
class _RunKeys:
    purchase_date: Any = None
    handover_date: Any = None
    report_date: Any = None
    money_buys: Any = None
    card_months: Any = None
    book_months: Any = None
    tet_gift_value: Any = None
    renewal_days: Any = None


@attrs.define
class _FilesKeys:
    sponsors: Any = None
    pledges: Any = None
    roster: Any = None


@attrs.define
class _SourcingKeys:
    strategy: Any = None
    inputs: Any = None
    registered_on: Any = None
    received_on: Any = None


@attrs.define
class _TopKeys:
    campaign: Any = None
    run: Any = None
    files: Any = None
    sourcing: Any = None
    plugins: Any = None


_KEYS: Final = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)


def _known_keys(table: Mapping[str, Any], keys: type, where: str) -> None:
    """Refuse a key *keys* does not have, naming it (a typo must not be ignored)."""
    try:
        _KEYS.structure(dict(table), keys)
    except cattrs.ForbiddenExtraKeysError as exc:
        key = sorted(exc.extra_fields)[0]
        allowed = ", ".join(a.name for a in attrs.fields(keys))
        raise CampaignFileError(f"{where} {key}", table[key], f"a known key: {allowed}") from None


def _read_only(value: Any) -> Any:
    """A TOML value that cannot be changed: tables as read-only mappings, arrays as tuples."""
    if isinstance(value, Mapping):
        return types.MappingProxyType({k: _read_only(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_read_only(v) for v in value)
    return value


def _sourcing(data: Mapping[str, Any], where: str) -> tuple[SourcingPlan, ...]:
    tables = data.get("sourcing", [])
    if not isinstance(tables, list):
        raise CampaignFileError(f"{where} sourcing", tables, "[[sourcing]] tables")
    plans = []
    for i, table in enumerate(tables):
        at = f"{where} [[sourcing]] #{i + 1}"
        if not isinstance(table, Mapping):
            raise CampaignFileError(at, table, "a [[sourcing]] table")
        _known_keys(table, _SourcingKeys, at)
        strategy, inputs = table.get("strategy"), table.get("inputs", {})
        if not isinstance(strategy, str) or not strategy:
            raise CampaignFileError(f"{at} strategy", strategy, "the name of a sourcing strategy")
        if not isinstance(inputs, Mapping):
            raise CampaignFileError(f"{at} inputs", inputs, "a table of the strategy's inputs")
        plans.append(
            SourcingPlan(
                strategy=strategy,
                inputs=_read_only(inputs),
                registered_on=_toml_date(table, "registered_on", at),
                received_on=_toml_date(table, "received_on", at),
            )
        )
    return tuple(plans)


def _plugin_settings(data: Mapping[str, Any], where: str) -> Mapping[str, Mapping[str, object]]:
    tables = _table(data, "plugins", where)
    for name, table in tables.items():
        if not isinstance(table, Mapping):
            raise CampaignFileError(f"{where} [plugins.{name}]", table, "a table of the plugin's settings")
    return _read_only(tables)  # type: ignore[no-any-return]


def read_campaign_toml(path: str | os.PathLike[str]) -> tuple[Campaign, RunSettings, dict[str, str]]:
    """Read ``campaign.toml``: the campaign, the run settings and the file names.

    Raises:
        CampaignFileError: the file is missing, is not TOML, has a key it
            should not, or a value is not allowed (the message names the key).
    """
    campaign, settings, names, _sourcing_plans, _plugins = _read_toml(Path(path))
    return campaign, settings, names


def _read_toml(
    p: Path,
) -> tuple[
    Campaign, RunSettings, dict[str, str], tuple[SourcingPlan, ...], Mapping[str, Mapping[str, object]]
]:
    where = p.name
    try:
        data = tomllib.loads(_read_text(p))
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(str(p), "", f"a readable campaign.toml ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CampaignFileError(str(p), "", f"valid TOML ({exc})") from None
    _known_keys(data, _TopKeys, where)
    c = _table(data, "campaign", where)
    run = _table(data, "run", where)
    files = _table(data, "files", where)
    for table, keys, name in (
        (c, _CampaignKeys, "campaign"),
        (run, _RunKeys, "run"),
        (files, _FilesKeys, "files"),
    ):
        _known_keys(table, keys, f"{where} [{name}]")
    tet = c.get("tet_dates")
    tet_dates: tuple[dt.date, dt.date] | None = None
    if tet is not None:
        if not (isinstance(tet, list) and len(tet) == 2 and all(map(is_date, tet))):
            raise CampaignFileError(f"{where} tet_dates", tet, "[first day, last day] as TOML dates")
        tet_dates = (tet[0], tet[1])
    prov = c.get("province")
    campaign = Campaign(
        code=c.get("code", ""),
        name=c.get("name", ""),
        lunar_year=str(c.get("lunar_year", "")),
        plan_reference=str(c.get("plan_reference", "")),
        province=_province_or_error(prov, where),
        start=_required_date(c, "start", where),
        end=_required_date(c, "end", where),
        tet_dates=tet_dates,
    )
    purchase = _required_date(run, "purchase_date", where)
    try:
        money_buys = ProductKind(run.get("money_buys", "health_card"))
    except ValueError:
        raise CampaignFileError(
            f"{where} money_buys", run.get("money_buys"), "one of " + ", ".join(k.value for k in ProductKind)
        ) from None
    ints: dict[str, Any] = {}
    for key in ("card_months", "book_months", "renewal_days", "tet_gift_value"):
        if key in run:
            value = run[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CampaignFileError(f"{where} {key}", value, "a whole number >= 0 (never a float)")
            ints[key] = value
    settings = RunSettings(
        purchase_date=purchase,
        handover_date=_toml_date(run, "handover_date", where),
        report_date=_toml_date(run, "report_date", where),
        money_buys=money_buys,
        **ints,
    )
    names = {"sponsors": "sponsors.csv", "pledges": "pledges.csv", "roster": "roster.csv"}
    for key in names:  # a folder may hold a workbook instead: sponsors.xlsx
        if not (p.parent / names[key]).exists() and (p.parent / f"{key}.xlsx").exists():
            names[key] = f"{key}.xlsx"
    for key in names:
        if key in files:
            if not isinstance(files[key], str) or not files[key]:
                raise CampaignFileError(f"{where} files.{key}", files[key], "a file name")
            names[key] = files[key]
    return campaign, settings, names, _sourcing(data, where), _plugin_settings(data, where)


def _province_or_error(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CampaignFileError(f"{where} province", value, "a province code or name as a string")
    try:
        return _province("province", value)
    except _Bad as bad:
        raise CampaignFileError(f"{where} province", value, bad.reason) from None


def _affiliations(path: Path) -> tuple[tuple[str, frozenset[str]], ...]:
    try:
        reader = iter(_text_rows(path))  # a CSV file or a workbook, as the roster
    except CampaignFileError:
        return ()  # load_roster reports an unreadable roster
    header = [_plain(h) for h in next(reader, [])]
    id_col = next((i for i, h in enumerate(header) if h in _ROSTER_ID_HEADERS), None)
    aff_col = next((i for i, h in enumerate(header) if h in _AFFILIATION_HEADERS), None)
    if id_col is None or aff_col is None:
        return ()
    out: dict[str, frozenset[str]] = {}
    for row in reader:
        if len(row) > max(id_col, aff_col) and row[id_col].strip():
            targets = frozenset(t.strip() for t in row[aff_col].replace(",", ";").split(";") if t.strip())
            if targets:
                out[row[id_col].strip()] = out.get(row[id_col].strip(), frozenset()) | targets
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
    folder: str | os.PathLike[str], *, sponsor_kinds: Iterable[LocalSponsorKind] = ()
) -> CampaignFolder:
    """Read a whole campaign folder (see the module docstring); *sponsor_kinds*: kinds plugins add.

    Raises:
        InvalidValueError: ``campaign.toml``, ``sponsors.csv`` or ``pledges.csv``
            cannot be read at all, or ``[files]`` names a file outside the
            folder (a :class:`~ansinh.exceptions.CampaignFileError`).
        RosterError: the roster cannot be read at all.
    """
    if not isinstance(folder, str | os.PathLike):
        raise CampaignFileError("folder", folder, "a path to a campaign folder holding campaign.toml")
    root = Path(folder)
    if not root.is_dir():
        raise CampaignFileError("folder", str(root), "a campaign folder holding campaign.toml")
    campaign, settings, names, sourcing, plugin_settings = _read_toml(root / "campaign.toml")
    paths = {key: _inside(root, key, name) for key, name in names.items()}
    sponsors, bad_sponsors = read_sponsors(paths["sponsors"], sponsor_kinds=sponsor_kinds)
    pledges, dates, receipts, bad_pledges = read_pledges(
        paths["pledges"], sponsors, default_date=campaign.start
    )
    roster_path = paths["roster"]
    roster = load_roster(roster_path)
    return CampaignFolder(
        folder=root,
        campaign=campaign,
        settings=settings,
        sponsors=sponsors,
        pledges=pledges,
        registered_on=dates,
        receipts=receipts,
        roster=roster,
        affiliations=_affiliations(roster_path),
        rejected=tuple((names["sponsors"], r) for r in bad_sponsors)
        + tuple((names["pledges"], r) for r in bad_pledges),
        sourcing=sourcing,
        plugin_settings=plugin_settings,
    )
