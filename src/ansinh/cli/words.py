"""The words of the ``ansinh`` command in Vietnamese and English: one table per kind of text.

Every text is a ``(vi, en)`` pair; the functions here pick the one for the
language of the output (Vietnamese unless ``--lang en``).

>>> word("json", "en")
'print one stable JSON document (for machines)'
>>> status_text(SourceStatus.DERIVED, "vi"), step_text("pay", "en")
('suy ra', 'Paying')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from ansinh.core.labels import Lang
from ansinh.core.law import SourceStatus

__all__ = [
    "contribution_text",
    "dimension_text",
    "message_text",
    "status_text",
    "step_text",
    "step_unit_text",
    "total_text",
    "unit_text",
    "word",
]

_TEXTS: Final[Mapping[str, tuple[str, str]]] = {
    "prog": (
        "Tính giá, xét điều kiện và chạy chương trình tặng sổ BHXH, thẻ BHYT.",
        "Price, check and run gifts of social-insurance books and health-insurance cards.",
    ),
    "lang": ("ngôn ngữ của kết quả (mặc định: vi)", "language of the output (default: vi)"),
    "json": ("in một tài liệu JSON ổn định (cho máy)", "print one stable JSON document (for machines)"),
    "debug": ("in traceback khi có lỗi", "print the traceback of errors"),
    "progress": (
        "hiện (--progress) hay không hiện (--no-progress) tiến độ trên stderr, với tốc độ và thời gian "
        "còn lại (mặc định: chỉ khi stderr là terminal và không có --json)",
        "show (--progress) or hide (--no-progress) progress on stderr, with the rate and the time left "
        "(default: only when stderr is a terminal and without --json)",
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
    "plugins": (
        "liệt kê các plugin: phiên bản, hook và những gì mỗi plugin đóng góp (kể cả plugin hỏng)",
        "list the plugins: version, hooks and what each contributes (broken ones too)",
    ),
    "no_plugins": ("không có plugin nào", "no plugins"),
    "no_plugins_opt": (
        "không nạp plugin đã cài (chỉ dùng plugin có sẵn)",
        "do not load installed plugins (built-ins only)",
    ),
    "disable_plugin": (
        "không nạp plugin NAME (lặp lại được; cũng qua biến môi trường ANSINH_DISABLE_PLUGINS)",
        "do not load the plugin NAME (repeatable; also the environment variable ANSINH_DISABLE_PLUGINS)",
    ),
    "warning": ("cảnh báo", "warning"),
    "born_future": (
        "một ngày sinh không sau hôm nay và không sau ngày --on",
        "a birth date not after today nor after --on",
    ),
    "plugin": ("tạo plugin của tỉnh", "make a province plugin"),
    "plugin.new": (
        "tạo một gói plugin mới (pyproject, hook mẫu, dữ liệu, kiểm thử, CI)",
        "create a new plugin package (pyproject, example hooks, data, tests, CI)",
    ),
    "plugin.name": (
        "tên plugin, chữ thường không dấu, nối bằng - hoặc _ (vd. hung-yen)",
        "the plugin's name, lower-case ASCII, words joined by - or _ (e.g. hung-yen)",
    ),
    "plugin.dir": ("thư mục tạo gói (mặc định: ansinh-NAME)", "the folder to create (default: ansinh-NAME)"),
    "plugin.province": (
        "mã hoặc tên tỉnh (mặc định: tỉnh có tên NAME, nếu có)",
        "the province's code or name (default: the province NAME names, if any)",
    ),
    "plugin.created": (
        "Đã tạo gói plugin trong {folder}: cài bằng `pip install {folder}`, kiểm thử bằng `python -m pytest`.",
        "Created the plugin package in {folder}: install it with `pip install {folder}`, test it with `python -m pytest`.",
    ),
    "plugin_skipped": (
        "plugin {plugin!r} không nạp được nên bị bỏ qua ({problem}); tắt hẳn bằng --disable-plugin {plugin}",
        "plugin {plugin!r} cannot be loaded and is skipped ({problem}); turn it off with --disable-plugin {plugin}",
    ),
    "broken": ("HỎNG", "BROKEN"),
    "contributes": ("đóng góp", "contributes"),
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
    "report": (
        "báo cáo kết quả một chương trình, hoặc tổng hợp nhiều chương trình, từ sổ ghi",
        "report a campaign's results, or roll up several campaigns, from their ledgers",
    ),
    "ledger": (
        "kho sổ ghi: tệp SQLite hoặc URL sqlite:///…, postgresql://… (một hoặc nhiều; mặc định ANSINH_STORE)",
        "store(s): a SQLite file or a sqlite:///…, postgresql://… URL (default: ANSINH_STORE)",
    ),
    "report.only": (
        "chỉ báo cáo chương trình có mã này (lặp lại được)",
        "only the campaign with this code (repeatable)",
    ),
    "report.by": (
        "bảng chi tiết theo chiều này (mặc định: province)",
        "the breakdown to print (default: province)",
    ),
    "report.units": (
        "tỉnh theo đơn vị hiện nay (current) hay đơn vị tại ngày báo cáo (of_date: 63 tỉnh trước 01/07/2025)",
        "provinces as today's units (current) or the units of the report date (of_date: the 63 before 2025-07-01)",
    ),
    "report.all_provinces": (
        "một dòng cho mọi tỉnh, thành phố (34, hoặc 63 trước 01/07/2025), kể cả tỉnh chưa có số liệu",
        "a row for every province (34, or 63 before 2025-07-01), zeros included",
    ),
    "report.published": (
        "thêm số liệu đã công bố 2020–2025 (không theo danh sách từng người)",
        "add the published 2020–2025 totals (not backed by person rows)",
    ),
    "report.aggregates": (
        "thêm số liệu đã công bố từ tệp TOML ([[record]])",
        "add published totals from a TOML file ([[record]] tables)",
    ),
    "report.out": (
        "ghi các tệp báo cáo (CSV, XLSX, MD, HTML) vào thư mục",
        "write the report files (CSV, XLSX, MD, HTML) into a folder",
    ),
    "report.on": (
        "ngày báo cáo (mặc định: ngày kết thúc chương trình)",
        "report date (default: the campaign's end)",
    ),
    "store": ("kho sổ ghi: gộp kho của các tỉnh", "programme stores: merge province stores"),
    "store.merge": (
        "gộp các kho (của tỉnh) vào một kho (toàn quốc); gộp lại lần nữa không thay đổi gì",
        "merge stores (a province's) into one (the national store); merging again changes nothing",
    ),
    "store.sources": (
        "các kho cần gộp (đường dẫn, sqlite:///… hoặc postgresql://…)",
        "the stores to merge (paths, sqlite:///… or postgresql://…)",
    ),
    "store.into": (
        "kho nhận (tạo mới nếu chưa có; đường dẫn hoặc URL, kể cả postgresql://…)",
        "the store to merge into (created if missing; a path or URL, postgresql://… too)",
    ),
    "store.merged": (
        "Đã gộp {new} sự kiện mới từ {stores} kho ({campaigns} chương trình)",
        "Merged {new} new events from {stores} stores ({campaigns} campaigns)",
    ),
    "audit.actor": (
        "người ghi (mã cán bộ, tên đăng nhập …), lưu cùng mỗi sự kiện",
        "who records (a staff number, a login …), kept with each event",
    ),
    "audit.role": ("vai trò của người ghi (mặc định: clerk)", "the recorder's role (default: clerk)"),
    "ledger.group": ("sổ ghi: kiểm tra chuỗi băm", "ledgers: verify the hash chain"),
    "ledger.verify": (
        "tính lại chuỗi băm của kho, nêu sự kiện đầu tiên không khớp (mã thoát 0: nguyên vẹn, 1: không)",
        "recompute the store's hash chain and name the first event that does not match "
        "(exit 0: intact, 1: not)",
    ),
    "ledger.store": (
        "kho cần kiểm tra (đường dẫn, sqlite:///… hoặc postgresql://…)",
        "the store to verify (a path, sqlite:///… or postgresql://…)",
    ),
    "ledger.intact": (
        "Nguyên vẹn: {events} sự kiện, {campaigns} chương trình (mã băm cuối của mỗi chương trình)",
        "Intact: {events} events, {campaigns} campaigns (each campaign's head digest)",
    ),
    "ledger.broken": (
        "KHÔNG nguyên vẹn: chương trình {campaign}, sự kiện {where}: {problem}",
        "NOT intact: campaign {campaign}, event {where}: {problem}",
    ),
    "ledger.end": ("cuối chuỗi", "the end of its chain"),
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
    "campaign.events_jsonl": (
        "ghi thêm mọi sự kiện của sổ cái ra OUT/events.jsonl (mặc định: theo [run] events_jsonl, không ghi)",
        "also write every ledger event to OUT/events.jsonl (default: as [run] events_jsonl says, no)",
    ),
    "campaign.registry": (
        "sổ (ledger.sqlite) và danh sách người của một chương trình khác: không tặng trùng tháng đã được tặng"
        " (lặp lại được)",
        "another campaign's store (ledger.sqlite) and the roster of its people: no gift for months already"
        " covered (repeatable)",
    ),
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


_STEP_UNITS: Final[Mapping[str, tuple[str, str]]] = {
    "read": ("dòng", "rows"),
    "screen": ("người", "people"),
    "record": ("sự kiện", "events"),
    "pay": ("sự kiện", "events"),
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
    "campaigns": ("Số chương trình", "Campaigns"),
    "mobilised": ("Tổng kinh phí vận động", "Total mobilised"),
    "registered_central": ("Đăng ký khối Trung ương", "Registered centrally"),
    "registered_province": ("Đăng ký tại địa phương", "Registered in the provinces"),
    "money": ("Đăng ký bằng tiền", "Pledged in money"),
    "unit_value": ("Đăng ký hiện vật (quy tiền)", "Pledged in units (valued)"),
    "instalments_due": ("Đến hạn nộp", "Instalments due"),
    "instalments_overdue": ("Quá hạn nộp", "Instalments overdue"),
}
_DIMENSIONS: Final[Mapping[str, tuple[str, str]]] = {
    "province": ("Theo tỉnh, thành phố", "By province"),
    "product": ("Theo loại quà", "By product"),
    "sponsor_kind": ("Theo loại nhà tài trợ", "By kind of sponsor"),
    "strategy": ("Theo cách vận động", "By sourcing strategy"),
    "year": ("Theo năm mua", "By purchase year"),
    "hospital_level": ("Quà Tết theo tuyến bệnh viện", "Tết gifts by hospital level"),
    "hospital": ("Quà Tết theo bệnh viện", "Tết gifts by hospital"),
    "level": ("Theo cấp đăng ký", "By registration level"),
    "funds_source": ("Theo nguồn kinh phí", "By source of funds"),
    "campaign": ("Theo chương trình", "By campaign"),
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


_CONTRIBUTIONS: Final[dict[str, tuple[str, str]]] = {
    "strategies": ("cách huy động", "sourcing strategies"),
    "top_ups": ("chương trình NSĐP hỗ trợ", "local top-up programmes"),
    "rules": ("quy định xét chọn", "eligibility rules"),
    "parameters": ("tham số", "parameters"),
    "sponsor_kinds": ("loại nhà tài trợ", "sponsor kinds"),
}


# The fixed English of argparse (help headings, its error messages, Python 3.11-3.13) and of
# ansinh's errors and argument types, and their Vietnamese; what the message quotes is kept.
_ARGPARSE_VI: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern, re.MULTILINE), vi)
    for pattern, vi in (
        (r"^usage: ", "cách dùng: "),
        (r"^options:$", "tùy chọn:"),
        (r"^positional arguments:$", "tham số:"),
        (r"show this help message and exit", "in trợ giúp này rồi thoát"),
        (r"show program's version number and exit", "in phiên bản rồi thoát"),
        (r"the following arguments are required: ", "thiếu tham số bắt buộc: "),
        (r"unrecognized arguments: ", "tham số không nhận ra: "),
        (r"^argument ([^:]+): ", r"tham số \1: "),
        (r"invalid choice: (.*) \(choose from (.*)\)$", r"lựa chọn không hợp lệ: \1 (chọn một trong \2)"),
        (r"invalid \S+ value: ", "giá trị không hợp lệ: "),
        (r"expected one argument", "cần một giá trị"),
        (r"expected (\d+) arguments", r"cần \1 giá trị"),
        (r"not allowed with argument ", "không dùng cùng với "),
        (r"ambiguous option: (\S+) could match ", r"tùy chọn mơ hồ: \1 có thể là "),
        (r"ignored explicit argument ", "bỏ qua giá trị "),
        (r" is not allowed: ", " không hợp lệ; cần: "),
        (r"^plugin ('[^']*') failed in hook ('[^']*'): ", r"plugin \1 lỗi ở hook \2: "),
        (r"^plugin ('[^']*') cannot be loaded and is skipped: ", r"plugin \1 không nạp được nên bị bỏ qua: "),
        (r" is not defined by this law; known parameters: ", " không có trong luật; các tham số: "),
        (r" is not a date \(YYYY-MM-DD or DD/MM/YYYY\)", " không phải một ngày (YYYY-MM-DD hoặc DD/MM/YYYY)"),
        (r" is not a whole number >= 0", " không phải số nguyên >= 0"),
        (
            r" is not a whole number of đồng \(e\.g\. 1500000 or 1\.500\.000; never a fraction\)",
            " không phải số đồng nguyên (vd. 1500000 hoặc 1.500.000; không có phần lẻ)",
        ),
        (r"No such file or directory", "không có tệp hoặc thư mục này"),
        (r": cannot be read \(", ": không đọc được ("),
        (
            r"not a regular file \(a missing file, a folder or a device\)",
            "không phải một tệp (không có tệp, hoặc là thư mục, thiết bị)",
        ),
        (r"^no such file$", "không có tệp này"),
    )
)


def message_text(text: str, lang: Lang) -> str:
    """argparse's own words (``usage:``, ``options:``, its errors) and the frame of ansinh's errors in *lang*.

    What a message quotes (a value, a field, what is allowed) is left as it is.

    >>> message_text("the following arguments are required: --on", "vi")
    'thiếu tham số bắt buộc: --on'
    >>> message_text("argument --months: invalid choice: '5' (choose from '3', '6', '12')", "vi")
    "tham số --months: lựa chọn không hợp lệ: '5' (chọn một trong '3', '6', '12')"
    >>> message_text("months=5 is not allowed: one of 3, 6, 12", "vi")
    'months=5 không hợp lệ; cần: one of 3, 6, 12'
    """
    if lang == "en":
        return text
    for pattern, vi in _ARGPARSE_VI:
        text = pattern.sub(vi, text)
    return text


def contribution_text(kind: str, lang: Lang) -> str:
    """The label of what a plugin contributes (``"strategies"`` -> ``"cách huy động"``); an unknown kind as is."""
    return _pick(_CONTRIBUTIONS.get(kind, (kind, kind)), lang)


def step_text(step: str, lang: Lang) -> str:
    """The label of a step of a campaign run (``"read"``, ``"screen"`` …); an unknown step as is."""
    return _pick(_STEPS.get(step, (step, step)), lang)


def step_unit_text(step: str, lang: Lang) -> str:
    """What a step of a campaign run counts, in *lang* (:data:`ansinh.progress.STEP_UNITS`)."""
    return _pick(_STEP_UNITS.get(step, ("bước", "steps")), lang)


def total_text(key: str, lang: Lang) -> str:
    """The label of a report total (``"received"`` -> ``"Tiền đã nhận"``); an unknown key as is."""
    return _pick(_TOTALS.get(key, (key, key)), lang)


def dimension_text(dimension: str, lang: Lang) -> str:
    """The title of a report breakdown (``"province"`` -> ``"By province"``); an unknown one as is."""
    return _pick(_DIMENSIONS.get(dimension, (dimension, dimension)), lang)


def unit_text(unit: str, lang: Lang) -> str:
    """A parameter's unit in *lang* (the law's units are English: ``"months"`` -> ``"tháng"``)."""
    return _UNITS_VI.get(unit, unit) if lang == "vi" else unit
