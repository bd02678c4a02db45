"""The ``ansinh`` command line: price, check, screen, run campaigns, read the law.

Every command prints text for people (Vietnamese by default, ``--lang en``
for English) or, with ``--json``, one stable JSON document for machines.

Exit codes:

* ``0`` (:data:`EXIT_OK`) — done;
* ``1`` (:data:`EXIT_NO`) — the answer is "no" (``check``: not eligible);
* ``2`` (:data:`EXIT_USAGE`) — bad usage or bad input (any
  :class:`~ansinh.exceptions.AnsinhError`, a missing file);
* ``3`` (:data:`EXIT_ERROR`) — an unexpected error (a bug: run again with
  ``--debug`` for the traceback).

Errors are one line on standard error.  Progress of long runs goes to
standard error, only when it is a terminal or ``--progress`` is given.

>>> main(["price", "card", "--months", "12", "--on", "2025-01-01", "--lang", "en"])
Quote for a health-insurance card — on 2025-01-01
  Base salary: VND 2,340,000/month  [Nghị định 73/2024/NĐ-CP, Điều 3 khoản 2]
  ...
  Payable by the donor: VND 1,263,600  (tổng − NSNN − NSĐP)
0
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, TextIO

from ansinh.core.campaign import Campaign
from ansinh.core.law import DatedValue, Law, Link, Parameter, ParamKind, ParamValue, RateTable, SourceStatus
from ansinh.core.money import format_percent, format_vnd
from ansinh.core.people import Category, Person, mask_id
from ansinh.core.products import HealthCard, Product, SocialBook, TetGift
from ansinh.core.provinces import find_province, province
from ansinh.exceptions import AnsinhError, InvalidValueError
from ansinh.serialization import SCHEMA_VERSION, dump_document, make_converter

if TYPE_CHECKING:
    from ansinh.core.eligibility import Decision, Screening
    from ansinh.core.reporting import CampaignReport
    from ansinh.io.roster import Roster
    from ansinh.plugin_manager import PluginHost

__all__ = ["EXIT_ERROR", "EXIT_NO", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK: Final = 0
"""The command did what was asked."""
EXIT_NO: Final = 1
"""The command worked and the answer is "no" (e.g. ``ansinh check``: not eligible)."""
EXIT_USAGE: Final = 2
"""Bad usage or bad input: an unknown option, a malformed date, an :class:`~ansinh.exceptions.AnsinhError`."""
EXIT_ERROR: Final = 3
"""An unexpected error (a bug in ansinh or a plugin); ``--debug`` shows the traceback."""

Lang = Literal["vi", "en"]

# -- words ------------------------------------------------------------------------

_T: Final[Mapping[str, tuple[str, str]]] = {
    "prog": (
        "Tính giá, xét điều kiện và chạy chương trình tặng sổ BHXH, thẻ BHYT.",
        "Price, check and run gifts of social-insurance books and health-insurance cards.",
    ),
    "lang": ("ngôn ngữ của kết quả (mặc định: vi)", "language of the output (default: vi)"),
    "json": ("in một tài liệu JSON ổn định (cho máy)", "print one stable JSON document (for machines)"),
    "debug": ("in traceback khi có lỗi", "print the traceback of errors"),
    "progress": (
        "luôn hiện tiến độ trên stderr (mặc định: chỉ khi là terminal)",
        "always show progress on stderr (default: only on a terminal)",
    ),
    "cmd": ("lệnh", "command"),
    "price": ("tính giá một thẻ BHYT, sổ BHXH hoặc suất quà", "price a card, a book or a gift"),
    "price.card": ("thẻ BHYT", "a health-insurance card"),
    "price.book": ("sổ BHXH tự nguyện", "a voluntary social-insurance book"),
    "price.gift": ("suất quà Tết", "a Tết gift"),
    "months": ("số tháng đóng", "months paid for"),
    "rank": (
        "thứ tự trong hộ gia đình (1 = người thứ nhất)",
        "position in the household (1 = first member)",
    ),
    "income": (
        "thu nhập tháng làm căn cứ đóng (mặc định: mức tối thiểu)",
        "chosen monthly income (default: the legal minimum)",
    ),
    "value": ("giá trị suất quà (đồng)", "gift value (đồng)"),
    "on": ("ngày (YYYY-MM-DD hoặc DD/MM/YYYY)", "date (YYYY-MM-DD or DD/MM/YYYY)"),
    "on.price": (
        "ngày mua: luật của ngày này tính giá cả kỳ",
        "purchase date: the law of that day prices the whole period",
    ),
    "person": ("người nhận (tùy chọn)", "the recipient (optional)"),
    "id": ("mã người trong danh sách", "the person's id on the roster"),
    "name": ("họ và tên", "full name"),
    "born": ("ngày sinh", "date of birth"),
    "province": ("mã tỉnh (2 chữ số) hoặc tên tỉnh", "province code (2 digits) or name"),
    "category": ("diện đối tượng (lặp lại được)", "category (repeatable)"),
    "supported": (
        "số tháng BHXH tự nguyện đã được NSNN hỗ trợ",
        "months of voluntary SI already state-supported",
    ),
    "law": ("xem các tham số pháp lý", "read the legal parameters"),
    "law.show": (
        "các giá trị theo ngày, kèm nguồn và mức độ xác nhận",
        "the dated values with their sources and status",
    ),
    "law.name": ("tên tham số (mặc định: tất cả)", "parameter name (default: all)"),
    "law.on": ("chỉ giá trị có hiệu lực vào ngày này", "only the value in force on this date"),
    "plugins": ("liệt kê các plugin đã đăng ký", "list the registered plugins"),
    "no_plugins": ("không có plugin nào", "no plugins"),
    "no_plugins_opt": (
        "không nạp plugin đã cài (chỉ dùng plugin có sẵn)",
        "do not load installed plugins (built-ins only)",
    ),
    "check": (
        "xét một người có đủ điều kiện nhận quà không (mã thoát 1: không đủ)",
        "check whether a person may receive a gift (exit code 1: not eligible)",
    ),
    "screen": (
        "xét cả danh sách (CSV/XLSX) và xếp theo thứ tự ưu tiên",
        "screen a roster (CSV/XLSX) and rank it by priority",
    ),
    "roster": ("tệp danh sách (.csv, .xlsx)", "roster file (.csv, .xlsx)"),
    "sheet": ("trang tính (Excel)", "worksheet (Excel)"),
    "limit": ("chỉ in N người đầu", "print only the first N people"),
    "product": ("loại quà: card (thẻ BHYT), book (sổ BHXH), gift (quà Tết)", "gift: card, book or gift"),
    "tet": ("ngày đầu và cuối kỳ nghỉ Tết (cho quà Tết)", "first and last day of Tết (for Tết gifts)"),
    "cprov": ("tỉnh của chương trình (chỉ xét người tỉnh này)", "the campaign's province (only its people)"),
    "cccd": ("số CCCD (12 chữ số)", "CCCD number (12 digits)"),
    "bhyt_until": ("hạn thẻ BHYT hiện có", "last day of the current health card"),
    "difficult": ("đã được xác nhận hoàn cảnh khó khăn", "reviewed as in difficult circumstances"),
    "compulsory": ("đang tham gia BHXH bắt buộc", "in compulsory social insurance"),
    "pension": ("đang hưởng lương hưu", "receiving a pension"),
    "not_citizen": ("không phải công dân Việt Nam", "not a Vietnamese citizen"),
    "hospital": ("ngày nhập viện và dự kiến ra viện", "hospital admission and expected discharge"),
    "needs_value": ("quà Tết cần --value", "a Tết gift needs --value"),
    "screening": ("Đang xét", "Screening"),
    "report": ("báo cáo kết quả một chương trình từ sổ ghi", "report a campaign's results from its ledger"),
    "ledger": ("tệp sổ ghi SQLite của chương trình", "the campaign's SQLite ledger file"),
    "report.on": (
        "ngày báo cáo (mặc định: ngày kết thúc chương trình)",
        "report date (default: the campaign's end)",
    ),
    "renewal": ("danh sách gia hạn: hết hạn trong N ngày (60)", "renewal list: expiring within N days (60)"),
    "public": (
        "ghi danh sách công khai (che thông tin cá nhân) ra tệp .csv hoặc .md",
        "write the public list (personal data masked) to a .csv or .md file",
    ),
    "public_written": ("đã ghi danh sách công khai", "public list written"),
    "campaign": ("chạy một chương trình", "run a campaign"),
    "campaign.run": (
        "chạy chương trình trong một thư mục: xét, ghi sổ, phân bổ, báo cáo",
        "run the campaign in a folder: screen, record, allocate, report",
    ),
    "campaign.dir": (
        "thư mục chương trình (campaign.toml, sponsors.csv, pledges.csv, roster.csv)",
        "the campaign folder (campaign.toml, sponsors.csv, pledges.csv, roster.csv)",
    ),
    "campaign.out": ("thư mục kết quả (mặc định: DIR/build)", "output folder (default: DIR/build)"),
    "global": ("tùy chọn chung", "global options"),
    "exit_codes": (
        "Mã thoát: 0 xong; 1 câu trả lời là “không” (check: không đủ điều kiện); "
        "2 sai cách dùng hoặc dữ liệu sai; 3 lỗi không mong đợi.",
        "Exit codes: 0 done; 1 the answer is no (check: not eligible); 2 bad usage or bad input; "
        "3 unexpected error.",
    ),
    "unexpected": (
        "lỗi không mong đợi (chạy lại với --debug để xem traceback)",
        "unexpected error (run again with --debug for the traceback)",
    ),
    "interrupted": ("đã dừng", "interrupted"),
    "needs_province": (
        "cần --province khi mô tả người nhận",
        "--province is needed to describe a recipient",
    ),
    "open": ("nay", "open"),
}

_STATUS: Final[Mapping[SourceStatus, tuple[str, str]]] = {
    SourceStatus.CONFIRMED: ("đã xác nhận", "confirmed"),
    SourceStatus.CONFIRMED_2ND: ("xác nhận qua nguồn thứ cấp", "confirmed (secondary source)"),
    SourceStatus.DERIVED: ("suy ra", "derived"),
    SourceStatus.UNCONFIRMED: ("chưa xác nhận", "unconfirmed"),
    SourceStatus.SCENARIO: ("kịch bản", "scenario"),
}


def _t(key: str, lang: Lang) -> str:
    vi, en = _T[key]
    return en if lang == "en" else vi


# -- argument types -----------------------------------------------------------------


class _UsageError(Exception):
    """Raised by the parser instead of exiting, so ``main`` prints one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message}")


_AMOUNT_RE: Final = re.compile(r"\d{1,3}(?:([._, ])\d{3})?(?:\1\d{3})*|\d+")


def _amount(text: str) -> int:
    """A whole number of đồng: ``1500000``, ``1_500_000`` or ``1.500.000``."""
    cleaned = text.strip()
    if not _AMOUNT_RE.fullmatch(cleaned):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of đồng (e.g. 1500000 or 1.500.000; never a fraction)"
        )
    return int(re.sub(r"[._, ]", "", cleaned))


def _count(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


def _date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or the Vietnamese ``DD/MM/YYYY``."""
    raw = text.strip()
    try:
        if "/" in raw:
            return dt.datetime.strptime(raw, "%d/%m/%Y").date()
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)") from None


def _province_code(text: str) -> str:
    raw = text.strip()
    try:
        return province(raw.zfill(2)).code if raw.isdigit() else find_province(raw).code
    except AnsinhError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- output helpers -------------------------------------------------------------------


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _pct(rate: Fraction, lang: Lang = "vi") -> str:
    """An exact percentage: ``4,5%`` (vi) or ``4.5%`` (en)."""
    return format_percent(rate, lang, digits=6)


def _value_text(param: Parameter, value: ParamValue | Link, lang: Lang) -> str:
    if isinstance(value, Link):
        mult = "" if value.multiple == 1 else f"{value.multiple} × "
        return f"= {mult}{value.of}"
    if isinstance(value, RateTable):
        return "; ".join(f"{k}: {_pct(v, lang)}" for k, v in value.entries)
    if isinstance(value, tuple):
        return ", ".join(str(m) for m in value) + (" tháng" if lang == "vi" else " months")
    if isinstance(value, Fraction):
        return _pct(value, lang)
    if param.kind is ParamKind.AMOUNT:
        return format_vnd(value, lang)
    unit = _UNITS_VI.get(param.unit, param.unit) if lang == "vi" else param.unit
    if lang == "vi" and param.name.endswith("_age"):
        unit = "tuổi"
    return f"{value} {unit}"


_UNITS_VI: Final[Mapping[str, str]] = {"months": "tháng", "days": "ngày", "years": "năm", "years old": "tuổi"}


# -- product and person options ---------------------------------------------------------


def _add_person_options(p: argparse.ArgumentParser, lang: Lang, *, required: bool) -> None:
    g = p.add_argument_group(_t("person", lang))
    g.add_argument("--id", default="cli", help=_t("id", lang))
    g.add_argument("--name", default="Người nhận", help=_t("name", lang))
    g.add_argument(
        "--born", type=_date, default=None, required=required, metavar="DATE", help=_t("born", lang)
    )
    g.add_argument(
        "--province", type=_province_code, default=None, required=required, help=_t("province", lang)
    )
    g.add_argument(
        "--category",
        action="append",
        default=[],
        choices=[c.value for c in Category],
        metavar="CATEGORY",
        help=_t("category", lang) + ": " + ", ".join(c.value for c in Category),
    )
    g.add_argument("--supported-months", type=_count, default=0, metavar="N", help=_t("supported", lang))
    if required:  # the facts only eligibility needs
        g.add_argument("--cccd", default=None, help=_t("cccd", lang))
        g.add_argument(
            "--bhyt-valid-until", type=_date, default=None, metavar="DATE", help=_t("bhyt_until", lang)
        )
        g.add_argument("--difficult", action="store_true", help=_t("difficult", lang))
        g.add_argument("--compulsory-si", action="store_true", help=_t("compulsory", lang))
        g.add_argument("--pension", action="store_true", help=_t("pension", lang))
        g.add_argument("--not-citizen", action="store_true", help=_t("not_citizen", lang))
        g.add_argument(
            "--hospital", type=_date, nargs=2, default=None, metavar=("FROM", "TO"), help=_t("hospital", lang)
        )


def _person_from(args: argparse.Namespace, lang: Lang) -> Person | None:
    described = args.province is not None or args.category or args.supported_months or args.born
    if not described:
        return None
    if args.province is None:
        raise InvalidValueError("--province", None, _t("needs_province", lang))
    extra: dict[str, Any] = {}
    if "cccd" in args:  # ``ansinh check``
        extra = {
            "cccd": args.cccd,
            "bhyt_valid_until": args.bhyt_valid_until,
            "difficult_circumstances": args.difficult,
            "compulsory_si": args.compulsory_si,
            "receives_pension": args.pension,
            "vietnamese_citizen": not args.not_citizen,
            "hospital_stay": tuple(args.hospital) if args.hospital else None,
        }
    return Person(
        id=args.id,
        full_name=args.name,
        # Age never changes a price; a recipient described only for pricing gets a placeholder.
        date_of_birth=args.born or dt.date(1980, 1, 1),
        province=args.province,
        categories=frozenset(Category(c) for c in args.category),
        vsi_supported_months=args.supported_months,
        **extra,
    )


def _add_product_options(p: argparse.ArgumentParser, lang: Lang, kinds: Sequence[str]) -> None:
    """``--months``/``--rank``/``--income``/``--value`` for the product kinds *kinds*."""
    if "card" in kinds or "book" in kinds:
        p.add_argument("--months", type=_count, default=12, help=_t("months", lang) + " (12)")
    if "card" in kinds:
        p.add_argument("--rank", type=_count, default=1, help=_t("rank", lang))
    if "book" in kinds:
        p.add_argument("--income", type=_amount, default=None, metavar="VND", help=_t("income", lang))
    if "gift" in kinds:
        p.add_argument(
            "--value", type=_amount, required=len(kinds) == 1, metavar="VND", help=_t("value", lang)
        )


def _add_campaign_options(p: argparse.ArgumentParser, lang: Lang) -> None:
    p.add_argument("--tet", type=_date, nargs=2, default=None, metavar=("FROM", "TO"), help=_t("tet", lang))
    p.add_argument(
        "--campaign-province", type=_province_code, default=None, metavar="PROVINCE", help=_t("cprov", lang)
    )


def _campaign_from(args: argparse.Namespace) -> Campaign | None:
    """A campaign made of the options (Tết dates, province), or ``None`` when none is given."""
    if args.tet is None and args.campaign_province is None:
        return None
    tet = tuple(args.tet) if args.tet else None
    days = [args.on, *(tet or ())]
    return Campaign(
        code="CLI",
        name="ansinh (dòng lệnh)",
        province=args.campaign_province,
        start=min(days),
        end=max(days),
        tet_dates=tet,
    )


def _plugins(args: argparse.Namespace) -> PluginHost | None:
    """``None``: the installed plugins; with ``--no-plugins`` the built-ins only."""
    if not args.no_plugins:
        return None
    from ansinh.plugin_manager import get_plugin_manager

    return get_plugin_manager(load_entrypoints=False)


def _product_from(kind: str, args: argparse.Namespace) -> Product:
    if kind == "card":
        return HealthCard(months=args.months, household_rank=args.rank)
    if kind == "book":
        return SocialBook(months=args.months, monthly_income=args.income)
    if args.value is None:
        raise InvalidValueError("--value", None, _t("needs_value", args.lang))
    return TetGift(value=args.value)


# -- commands -------------------------------------------------------------------------------


def _cmd_price(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh import api

    lang: Lang = args.lang
    product = _product_from(args.kind, args)
    person = _person_from(args, lang)
    quote = api.price(product, person, on=args.on, plugins=_plugins(args))
    if args.json:
        _print_json(dump_document(quote), out)
    else:
        out.write(quote.explain(lang) + "\n")
    return EXIT_OK


def _masked(data: Any) -> Any:
    """Mask identifiers anywhere in a JSON-ready document (command output is public output)."""
    if isinstance(data, dict):
        return {
            k: mask_id(v) if k in _ID_FIELDS and isinstance(v, str) else _masked(v) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_masked(x) for x in data]
    return data


_ID_FIELDS: Final = frozenset({"cccd", "social_insurance_number"})


def _decision_doc(decision: Decision) -> dict[str, Any]:
    conv = make_converter()
    data = conv.unstructure(decision)
    data["priority"]["score"] = decision.priority.score
    return {"schema_version": SCHEMA_VERSION, "type": "decision", "data": _masked(data)}


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh import api

    lang: Lang = args.lang
    product = _product_from(args.product, args)
    person = _person_from(args, lang)
    assert person is not None  # --born and --province are required
    decision = api.check(person, product, on=args.on, campaign=_campaign_from(args), plugins=_plugins(args))
    if args.json:
        _print_json(_decision_doc(decision), out)
    else:
        out.write(decision.explain(lang) + "\n")
        if decision.priority.parts:
            label = "Priority" if lang == "en" else "Ưu tiên"
            out.write(f"{label}: {decision.priority.score} ({decision.priority.explain(lang)})\n")
    return EXIT_OK if decision.eligible else EXIT_NO


_CHUNK: Final = 500


class _Progress:
    """Progress on standard error: ``label done/total`` rewritten in place on a terminal,
    one line per finished step otherwise (a log stays readable); silent unless enabled."""

    def __init__(self, label: str, *, enabled: bool, tty: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = tty
        self._line = ""

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.enabled:
            return
        text = f"{self.label} {done}" + (f"/{total}" if total else "")
        if self.tty:
            if self._line and not self._line.startswith(self.label + " "):
                sys.stderr.write("\n")  # a new step: keep the finished one on screen
            sys.stderr.write("\r" + text.ljust(len(self._line)))
            self._line = text
        elif total is None or done >= total:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.tty and self._line:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self._line = ""


def _progress(args: argparse.Namespace, label: str) -> _Progress:
    tty = sys.stderr.isatty()
    return _Progress(label, enabled=bool(args.progress) or (tty and not args.json), tty=tty)


def _cmd_screen(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh import api
    from ansinh.core.eligibility import Screening, ranking_key
    from ansinh.io.roster import load_roster

    lang: Lang = args.lang
    roster = load_roster(args.roster, sheet=args.sheet)
    product = _product_from(args.product, args)
    campaign = _campaign_from(args)
    plugins = _plugins(args)
    people = roster.people
    eligible: list[Decision] = []
    ineligible: list[Decision] = []
    bar = _progress(args, _t("screening", lang))
    try:
        # Each decision depends on its person alone, so screening in chunks and
        # merging by the ranking key gives exactly the one-call result.
        for start in range(0, max(len(people), 1), _CHUNK):
            part = api.screen(
                people[start : start + _CHUNK], product, on=args.on, campaign=campaign, plugins=plugins
            )
            eligible.extend(part.eligible)
            ineligible.extend(part.ineligible)
            bar(min(start + _CHUNK, len(people)), len(people))
    finally:
        bar.close()
    eligible.sort(key=ranking_key)
    ineligible.sort(key=ranking_key)
    result = Screening(product=product, on=args.on, eligible=tuple(eligible), ineligible=tuple(ineligible))
    if args.public:
        from ansinh.io.public_list import write_public_list

        written = write_public_list(result, args.public)
        sys.stderr.write(f"{_t('public_written', lang)}: {written}\n")
    if args.json:
        conv = make_converter()
        doc = {
            "schema_version": SCHEMA_VERSION,
            "type": "screening",
            "source": roster.source,
            "product": conv.unstructure(product, Product),
            "on": args.on.isoformat(),
            "eligible": [_row_doc(d, roster) for d in result.eligible],
            "ineligible": [_row_doc(d, roster) for d in result.ineligible],
            "reason_counts": dict(result.reason_counts()),
            "rejected_rows": [conv.unstructure(r) for r in roster.rejected],
            "duplicates": [conv.unstructure(d) for d in roster.duplicates],
        }
        _print_json(_masked(doc), out)
        return EXIT_OK
    out.write(_screen_text(result, roster, lang, args.limit))
    return EXIT_OK


def _row_doc(d: Decision, roster: Roster) -> dict[str, Any]:
    return {
        "id": d.person.id,
        "row": roster.row_of(d.person.id),
        "full_name": d.person.full_name,
        "province": d.person.province,
        "eligible": d.eligible,
        "score": d.priority.score,
        "priority": [list(p) for p in d.priority.parts],
        "valid_from": d.valid_from.isoformat() if d.valid_from else None,
        "reasons": list(d.codes),
    }


def _day(day: dt.date, lang: Lang) -> str:
    return day.isoformat() if lang == "en" else f"{day:%d/%m/%Y}"


def _screen_text(result: Screening, roster: Roster, lang: Lang, limit: int | None) -> str:
    en = lang == "en"
    kind = result.product.kind
    lines = [
        (
            f"Screening {roster.source} for a {kind.label_en} on {result.on.isoformat()}"
            if en
            else f"Xét danh sách {roster.source} — {kind.label_vi} ngày {result.on:%d/%m/%Y}"
        ),
        (
            f"{len(roster.people)} people read, {len(roster.rejected_rows)} rows rejected, "
            f"{len(result.eligible)} eligible, {len(result.ineligible)} not eligible"
            if en
            else f"{len(roster.people)} người đọc được, {len(roster.rejected_rows)} dòng bị loại, "
            f"{len(result.eligible)} đủ điều kiện, {len(result.ineligible)} không đủ điều kiện"
        ),
        "",
        "Eligible, by priority:" if en else "Đủ điều kiện, theo thứ tự ưu tiên:",
    ]
    shown = result.eligible if limit is None else result.eligible[:limit]
    for i, d in enumerate(shown, 1):
        valid = f"  {'valid from' if en else 'thẻ từ'} {_day(d.valid_from, lang)}" if d.valid_from else ""
        lines.append(
            f"  {i:>4}. {d.person.id}  {d.person.full_name}  [{d.priority.score}] "
            f"{d.priority.explain(lang)}{valid}"
        )
    if len(shown) < len(result.eligible):
        lines.append(f"  … {len(result.eligible) - len(shown)} {'more' if en else 'người nữa'}")
    if result.ineligible:
        lines += ["", "Not eligible:" if en else "Không đủ điều kiện:"]
        for d in result.ineligible:
            lines.append(f"  {d.person.id}  {d.person.full_name}: {', '.join(r.code for r in d.blocking)}")
    if roster.rejected:
        lines += ["", "Rejected rows:" if en else "Dòng bị loại:"]
        lines += [f"  {r}" for r in roster.rejected]
    if roster.duplicates:
        lines += ["", "Duplicates (not merged):" if en else "Trùng lặp (không gộp):"]
        for dup in roster.duplicates:
            rows = ", ".join(map(str, dup.rows))
            lines.append(f"  {dup.field} {dup.value}: {'rows' if en else 'dòng'} {rows}")
    return "\n".join(lines) + "\n"


def _report_text(rep: CampaignReport, lang: Lang) -> str:
    from ansinh.core.reporting import DIMENSIONS

    en = lang == "en"
    lines = [rep.summary_en() if en else rep.summary_vi(), ""]
    labels = _T_TOTALS
    for key, value in rep.totals().items():
        label = labels.get(key, (key, key))[1 if en else 0]
        is_money = key in _MONEY_TOTALS
        lines.append(f"  {label:<34} {format_vnd(value, lang) if is_money else value}")
    for dimension in DIMENSIONS:
        rows = rep.rows_for(dimension)
        if not rows:
            continue
        title = _T_DIMENSIONS.get(dimension, (dimension, dimension))[1 if en else 0]
        lines += ["", f"{title}:"]
        for row in rows:
            lines.append(
                f"  {row.label:<30} {row.gifts:>6} {'gifts' if en else 'suất'}  "
                f"{format_vnd(row.value, lang):>18}  {row.people:>6} {'people' if en else 'người'}"
            )
    if rep.expiring:
        lines += [
            "",
            ("Expiring within" if en else "Hết hạn trong")
            + f" {rep.renewal_days} "
            + ("days:" if en else "ngày tới:"),
        ]
        for item in rep.expiring:
            lines.append(
                f"  {item.person_id}  {item.kind.value}  {_day(item.valid_until, lang)}  ({item.days_left})"
            )
    return "\n".join(lines) + "\n"


_MONEY_TOTALS: Final = frozenset(
    {
        "pledged_money",
        "received",
        "committed",
        "spent",
        "leftover",
        "uncommitted",
        "value",
        "delivered_value",
        "cost_per_person",
    }
)
_T_TOTALS: Final[Mapping[str, tuple[str, str]]] = {
    "sponsors": ("Nhà tài trợ", "Sponsors"),
    "pledges": ("Khoản đăng ký tài trợ", "Pledges"),
    "pledged_money": ("Tiền đăng ký", "Money pledged"),
    "received": ("Tiền đã nhận", "Money received"),
    "committed": ("Tiền đã cam kết cho quà", "Money committed to gifts"),
    "spent": ("Tiền đã chi", "Money spent"),
    "leftover": ("Tiền nhận chưa dùng", "Received, not yet spent"),
    "uncommitted": ("Tiền chưa cam kết", "Not yet committed"),
    "health_cards": ("Thẻ BHYT", "Health cards"),
    "social_books": ("Sổ BHXH", "Social-insurance books"),
    "tet_gifts": ("Suất quà Tết", "Tết gifts"),
    "value": ("Tổng giá trị", "Total value"),
    "delivered_value": ("Giá trị đã trao", "Value delivered"),
    "people_covered": ("Số người được hỗ trợ", "People covered"),
    "cost_per_person": ("Bình quân mỗi người", "Cost per person"),
    "provinces": ("Số tỉnh, thành phố", "Provinces"),
    "expiring_soon": ("Sắp hết hạn", "Expiring soon"),
}
_T_DIMENSIONS: Final[Mapping[str, tuple[str, str]]] = {
    "province": ("Theo tỉnh, thành phố", "By province"),
    "product": ("Theo loại quà", "By product"),
    "sponsor_kind": ("Theo loại nhà tài trợ", "By kind of sponsor"),
    "strategy": ("Theo cách vận động", "By sourcing strategy"),
    "year": ("Theo năm mua", "By purchase year"),
    "pledge": ("Theo khoản tài trợ", "By pledge"),
}


def _cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.api import resolve_plugins
    from ansinh.core.reporting import report
    from ansinh.io.store import SqliteStore

    lang: Lang = args.lang
    path = Path(args.ledger)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    # The ledger re-checks every stored price on opening, with the same provincial
    # top-ups (and law parameters) the plugins contributed when the gifts were priced.
    host = resolve_plugins(_plugins(args))
    law = host.law_with_parameters(None) if host is not None else None
    supports = host.all_local_supports() if host is not None else ()
    with SqliteStore(path, law=law, local_supports=supports) as store:
        state = store.state
    on: dt.date = args.on or state.campaign.end
    rep = report(state, on=on, renewal_days=args.renewal_days)
    if args.json:
        _print_json({"schema_version": SCHEMA_VERSION, "type": "campaign_report", **rep.as_dict()}, out)
    else:
        out.write(_report_text(rep, lang))
    return EXIT_OK


def _cmd_campaign_run(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.io.run import run_campaign

    lang: Lang = args.lang
    en = lang == "en"
    bar = _progress(args, "")

    def progress(step: str, done: int, total: int) -> None:
        bar.label = _STEPS.get(step, (step, step))[1 if en else 0]
        bar(done, total)

    try:
        run = run_campaign(args.folder, out=args.out, plugins=_plugins(args), progress=progress)
    finally:
        bar.close()
    if args.json:
        conv = make_converter()
        doc = {
            "schema_version": SCHEMA_VERSION,
            "type": "campaign_run",
            "campaign": conv.unstructure(run.campaign),
            "out": str(run.out),
            "store": str(run.store),
            "events_file": str(run.events_file),
            "files": [str(f) for f in run.files.all],
            "new_events": run.new_events,
            "screened": [
                {"kind": kind.value, "eligible": good, "ineligible": bad} for kind, good, bad in run.screened
            ],
            "rejected": [{"file": f, **conv.unstructure(r)} for f, r in run.rejected],
            "duplicates": run.duplicates,
            "report": run.report.as_dict(),
        }
        _print_json(_masked(doc), out)
        return EXIT_OK
    lines = [run.summary_en if en else run.summary_vi, ""]
    for kind, good, bad in run.screened:
        label = kind.label_en if en else kind.label_vi
        lines.append(
            f"  {label}: {good} {'eligible' if en else 'đủ điều kiện'}, "
            f"{bad} {'not eligible' if en else 'không đủ điều kiện'}"
        )
    if run.rejected:
        lines += ["", ("Rows kept out:" if en else "Dòng bị loại:")]
        lines += [f"  {Path(f).name}: {r}" for f, r in run.rejected]
    if run.duplicates:
        lines.append(f"  {'people listed twice' if en else 'người trùng lặp'}: {run.duplicates}")
    lines += [
        "",
        (f"{run.new_events} new events in" if en else f"{run.new_events} sự kiện mới trong")
        + f" {run.store}",
        ("Files written:" if en else "Đã ghi:"),
        *(f"  {f}" for f in run.files.all),
    ]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


_STEPS: Final[Mapping[str, tuple[str, str]]] = {
    "read": ("Đọc tệp", "Reading"),
    "screen": ("Xét danh sách", "Screening"),
    "record": ("Ghi sổ", "Recording"),
    "allocate": ("Phân bổ", "Allocating"),
    "pay": ("Thanh toán", "Paying"),
    "report": ("Báo cáo", "Reporting"),
}


def _law(args: argparse.Namespace) -> Law:
    """The shipped law with the parameters the plugins add (a province's own)."""
    from ansinh.api import resolve_plugins
    from ansinh.data import default_law

    host = resolve_plugins(_plugins(args))
    return host.law_with_parameters(None) if host is not None else default_law()


def _rows(law: Law, param: Parameter, on: dt.date | None) -> list[tuple[DatedValue, dt.date | None]]:
    """Each value with its last day (filled from the next value), only the one in force *on* if given."""
    rows: list[tuple[DatedValue, dt.date | None]] = []
    values = param.values
    for i, v in enumerate(values):
        until = v.until
        if until is None and i + 1 < len(values):
            until = values[i + 1].effective - dt.timedelta(days=1)
        if on is None or (v.effective <= on and (until is None or on <= until)):
            rows.append((v, until))
    return rows


def _cmd_law_show(args: argparse.Namespace, out: TextIO) -> int:
    lang: Lang = args.lang
    law = _law(args)
    on: dt.date | None = args.on
    if args.name:
        params = [law.parameter(args.name)]
        if on is not None:
            law.lookup(args.name, on=on)  # a clear NotInForceError rather than an empty answer
    else:
        params = list(law.parameters)
    shown = [(p, rows) for p in params if (rows := _rows(law, p, on))]
    if args.json:
        conv = make_converter()
        docs = [
            {
                "name": param.name,
                "kind": param.kind.value,
                "unit": param.unit,
                "label_vi": param.label_vi,
                "label_en": param.label_en,
                "values": [
                    {
                        **conv.unstructure(v, DatedValue),
                        "last_day": until.isoformat() if until else None,
                        "resolved": conv.unstructure(law.value(param.name, on=on or v.effective), ParamValue),
                    }
                    for v, until in rows
                ],
            }
            for param, rows in shown
        ]
        _print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "type": "law_values",
                "law": law.name,
                "on": on.isoformat() if on else None,
                "parameters": docs,
            },
            out,
        )
        return EXIT_OK
    blocks = []
    for param, rows in shown:
        lines = [f"{param.name} — {param.label(lang)} ({param.unit})"]
        for v, until in rows:
            span = f"{v.effective.isoformat()} → {until.isoformat() if until else _t('open', lang)}"
            text = _value_text(param, v.value, lang)
            if isinstance(v.value, Link):
                resolved = law.value(param.name, on=on or v.effective)
                text += f" ({_value_text(param, resolved, lang)})"
            status = _STATUS[v.status][1 if lang == "en" else 0]
            lines.append(f"  {span}: {text}")
            lines.append(f"      [{v.citation}] <{status}>")
            if v.note:
                lines.append(f"      {v.note}")
        blocks.append("\n".join(lines))
    out.write("\n\n".join(blocks) + "\n")
    return EXIT_OK


def _cmd_plugins(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.plugin_manager import get_plugin_manager

    host = get_plugin_manager(load_entrypoints=not args.no_plugins)
    infos = host.plugins()
    if args.json:
        conv = make_converter()
        _print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "type": "plugins",
                "plugins": [conv.unstructure(info) for info in infos],
            },
            out,
        )
        return EXIT_OK
    if not infos:
        out.write(_t("no_plugins", args.lang) + "\n")
    for info in infos:
        out.write(info.describe() + "\n")
    return EXIT_OK


# -- parser -----------------------------------------------------------------------------------


def _sniff_lang(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "vi"


def _globals(lang: Lang, *, top: bool) -> _Parser:
    """The options every command accepts, before or after its name."""
    p = _Parser(add_help=False)
    # Sub-commands must not reset what was given before the command name.
    d: Callable[[Any], Any] = (lambda v: v) if top else (lambda _v: argparse.SUPPRESS)
    g = p.add_argument_group(_t("global", lang))
    g.add_argument("--lang", choices=("vi", "en"), default=d("vi"), help=_t("lang", lang))
    g.add_argument("--json", action="store_true", default=d(False), help=_t("json", lang))
    g.add_argument("--debug", action="store_true", default=d(False), help=_t("debug", lang))
    g.add_argument("--progress", action="store_true", default=d(False), help=_t("progress", lang))
    g.add_argument("--no-plugins", action="store_true", default=d(False), help=_t("no_plugins_opt", lang))
    return p


def build_parser(lang: Lang = "vi") -> argparse.ArgumentParser:
    """The argument parser of the ``ansinh`` command, with help in *lang*.

    >>> build_parser("en").parse_args(["law", "show", "base_salary", "--json"]).json
    True
    """
    from ansinh import __version__

    common = _globals(lang, top=False)
    parser = _Parser(
        prog="ansinh",
        description=_t("prog", lang),
        epilog=_t("exit_codes", lang),
        parents=[_globals(lang, top=True)],
    )
    parser.add_argument("--version", action="version", version=f"ansinh {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=_t("cmd", lang), required=True)

    # price
    p_price = sub.add_parser("price", help=_t("price", lang), description=_t("price", lang), parents=[common])
    kinds = p_price.add_subparsers(dest="kind", metavar="PRODUCT", required=True)
    for kind in ("card", "book", "gift"):
        k = kinds.add_parser(kind, help=_t(f"price.{kind}", lang), parents=[common])
        _add_product_options(k, lang, (kind,))
        k.add_argument("--on", type=_date, required=True, metavar="DATE", help=_t("on.price", lang))
        _add_person_options(k, lang, required=False)
        k.set_defaults(func=_cmd_price)

    # check
    p_check = sub.add_parser("check", help=_t("check", lang), description=_t("check", lang), parents=[common])
    p_check.add_argument(
        "--product", choices=("card", "book", "gift"), default="card", help=_t("product", lang)
    )
    _add_product_options(p_check, lang, ("card", "book", "gift"))
    p_check.add_argument("--on", type=_date, required=True, metavar="DATE", help=_t("on", lang))
    _add_campaign_options(p_check, lang)
    _add_person_options(p_check, lang, required=True)
    p_check.set_defaults(func=_cmd_check)

    # screen
    p_screen = sub.add_parser(
        "screen", help=_t("screen", lang), description=_t("screen", lang), parents=[common]
    )
    p_screen.add_argument("roster", metavar="ROSTER", help=_t("roster", lang))
    p_screen.add_argument("--sheet", default=None, help=_t("sheet", lang))
    p_screen.add_argument(
        "--product", choices=("card", "book", "gift"), default="card", help=_t("product", lang)
    )
    _add_product_options(p_screen, lang, ("card", "book", "gift"))
    p_screen.add_argument("--on", type=_date, required=True, metavar="DATE", help=_t("on", lang))
    p_screen.add_argument("--limit", type=_count, default=None, metavar="N", help=_t("limit", lang))
    p_screen.add_argument("--public", default=None, metavar="FILE", help=_t("public", lang))
    _add_campaign_options(p_screen, lang)
    p_screen.set_defaults(func=_cmd_screen)

    # campaign run
    p_campaign = sub.add_parser(
        "campaign", help=_t("campaign", lang), description=_t("campaign", lang), parents=[common]
    )
    campaign_sub = p_campaign.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    p_run = campaign_sub.add_parser(
        "run", help=_t("campaign.run", lang), description=_t("campaign.run", lang), parents=[common]
    )
    p_run.add_argument("folder", metavar="DIR", help=_t("campaign.dir", lang))
    p_run.add_argument("--out", default=None, metavar="OUT", help=_t("campaign.out", lang))
    p_run.set_defaults(func=_cmd_campaign_run)

    # report
    p_report = sub.add_parser(
        "report", help=_t("report", lang), description=_t("report", lang), parents=[common]
    )
    p_report.add_argument("ledger", metavar="LEDGER", help=_t("ledger", lang))
    p_report.add_argument("--on", type=_date, default=None, metavar="DATE", help=_t("report.on", lang))
    p_report.add_argument("--renewal-days", type=_count, default=60, metavar="N", help=_t("renewal", lang))
    p_report.set_defaults(func=_cmd_report)

    # law show
    p_law = sub.add_parser("law", help=_t("law", lang), description=_t("law", lang), parents=[common])
    law_sub = p_law.add_subparsers(dest="law_command", metavar="ACTION", required=True)
    show = law_sub.add_parser(
        "show", help=_t("law.show", lang), description=_t("law.show", lang), parents=[common]
    )
    show.add_argument("name", nargs="?", default=None, help=_t("law.name", lang))
    show.add_argument("--on", type=_date, default=None, metavar="DATE", help=_t("law.on", lang))
    show.set_defaults(func=_cmd_law_show)

    # plugins
    p_plugins = sub.add_parser(
        "plugins", help=_t("plugins", lang), description=_t("plugins", lang), parents=[common]
    )
    p_plugins.set_defaults(func=_cmd_plugins)

    return parser


# -- entry point -------------------------------------------------------------------------------


def _error_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ansinh`` command with *argv* (default: ``sys.argv[1:]``) and return the exit code.

    Args:
        argv: the arguments after the program name.

    Returns:
        :data:`EXIT_OK`, :data:`EXIT_NO`, :data:`EXIT_USAGE` or :data:`EXIT_ERROR`.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _sniff_lang(args_list)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_list)
    except _UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    debug = bool(args.debug)
    try:
        code: int = args.func(args, sys.stdout)
    except AnsinhError as exc:
        _report(exc, debug)
        return EXIT_USAGE
    except BrokenPipeError:  # `ansinh … | head`: the reader left; not an error of ours
        with contextlib.suppress(OSError, ValueError):  # stdout may not be a real file
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush is quiet
        return EXIT_OK
    except OSError as exc:
        _report(exc, debug, prefix=f"{exc.filename}: " if getattr(exc, "filename", None) else "")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"ansinh: {_t('interrupted', args.lang)}\n")
        return 130
    except Exception as exc:
        _report(exc, debug, prefix=f"{_t('unexpected', args.lang)}: {type(exc).__name__}: ")
        return EXIT_ERROR
    return code


def _report(exc: BaseException, debug: bool, prefix: str = "") -> None:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else _error_line(exc)
    sys.stderr.write(f"ansinh: {prefix}{text}\n")
