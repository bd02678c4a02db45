"""The words of the ``ansinh`` command in Vietnamese and English: one table per kind of text.

Every text is a ``(vi, en)`` pair; the functions here pick the one for the
language of the output (Vietnamese unless ``--lang en``).

>>> word("json", "en")
'print one stable JSON document (for machines)'
>>> status_text(SourceStatus.DERIVED, "vi"), step_text("pay", "en")
('suy ra', 'Paying')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ansinh.core.labels import Lang
from ansinh.core.law import SourceStatus

__all__ = ["dimension_text", "status_text", "step_text", "total_text", "unit_text", "word"]

_TEXTS: Final[Mapping[str, tuple[str, str]]] = {
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
    "report.campaign": (
        "mã chương trình trong kho (khi kho có nhiều chương trình)",
        "the campaign's code in the store (when the store holds several)",
    ),
    "store": ("kho sổ ghi: gộp kho của các tỉnh", "programme stores: merge province stores"),
    "store.merge": (
        "gộp các kho (của tỉnh) vào một kho (toàn quốc); gộp lại lần nữa không thay đổi gì",
        "merge stores (a province's) into one (the national store); merging again changes nothing",
    ),
    "store.sources": (
        "các kho cần gộp (đường dẫn hoặc sqlite:///…)",
        "the stores to merge (paths or sqlite:///…)",
    ),
    "store.into": ("kho nhận (tạo mới nếu chưa có)", "the store to merge into (created if missing)"),
    "store.merged": (
        "Đã gộp {new} sự kiện mới từ {stores} kho ({campaigns} chương trình)",
        "Merged {new} new events from {stores} stores ({campaigns} campaigns)",
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


_STEPS: Final[Mapping[str, tuple[str, str]]] = {
    "read": ("Đọc tệp", "Reading"),
    "screen": ("Xét danh sách", "Screening"),
    "record": ("Ghi sổ", "Recording"),
    "allocate": ("Phân bổ", "Allocating"),
    "pay": ("Thanh toán", "Paying"),
    "report": ("Báo cáo", "Reporting"),
}


_TOTALS: Final[Mapping[str, tuple[str, str]]] = {
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
_DIMENSIONS: Final[Mapping[str, tuple[str, str]]] = {
    "province": ("Theo tỉnh, thành phố", "By province"),
    "product": ("Theo loại quà", "By product"),
    "sponsor_kind": ("Theo loại nhà tài trợ", "By kind of sponsor"),
    "strategy": ("Theo cách vận động", "By sourcing strategy"),
    "year": ("Theo năm mua", "By purchase year"),
    "pledge": ("Theo khoản tài trợ", "By pledge"),
}


_UNITS_VI: Final[Mapping[str, str]] = {"months": "tháng", "days": "ngày", "years": "năm", "years old": "tuổi"}


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    vi, en = pair
    return en if lang == "en" else vi


def word(key: str, lang: Lang) -> str:
    """The text *key* (a help line, a message) in *lang*.

    Raises:
        KeyError: *key* is not a text of the command (a bug, never bad input).
    """
    return _pick(_TEXTS[key], lang)


def status_text(status: SourceStatus, lang: Lang) -> str:
    """How sure the source of a legal value is, in words (``"đã xác nhận"``, ``"confirmed"`` …)."""
    return _pick(_STATUS[status], lang)


def step_text(step: str, lang: Lang) -> str:
    """The label of a step of a campaign run (``"read"``, ``"screen"`` …); an unknown step as is."""
    return _pick(_STEPS.get(step, (step, step)), lang)


def total_text(key: str, lang: Lang) -> str:
    """The label of a report total (``"received"`` -> ``"Tiền đã nhận"``); an unknown key as is."""
    return _pick(_TOTALS.get(key, (key, key)), lang)


def dimension_text(dimension: str, lang: Lang) -> str:
    """The title of a report breakdown (``"province"`` -> ``"By province"``); an unknown one as is."""
    return _pick(_DIMENSIONS.get(dimension, (dimension, dimension)), lang)


def unit_text(unit: str, lang: Lang) -> str:
    """A parameter's unit in *lang* (the law's units are English: ``"months"`` -> ``"tháng"``)."""
    return _UNITS_VI.get(unit, unit) if lang == "vi" else unit
