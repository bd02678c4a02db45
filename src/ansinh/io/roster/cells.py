"""Reading one roster cell: each parser takes the cell's text, stripped and not blank.

A parser returns the value or raises :class:`~ansinh.exceptions.InvalidValueError`
whose ``allowed`` says what the cell may hold; the loader turns it into a
:class:`~ansinh.io.roster.values.RejectedRow`.  Which parser reads which column
is the :data:`~ansinh.io.roster.columns.COLUMNS` table.

>>> parse_date("5.3.1962"), parse_province("TP HCM"), parse_former_province("34")
(datetime.date(1962, 3, 5), '79', '33')
>>> parse_date("31/02/1970")
Traceback (most recent call last):
...
ansinh.exceptions.InvalidValueError: cell='31/02/1970' is not allowed: no such day: use dd/mm/yyyy or yyyy-mm-dd
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Final

from ansinh.core.identifiers import is_digits
from ansinh.core.people import Category
from ansinh.core.provinces import current_code_for_former, find_province, provinces
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "match_key",
    "parse_categories",
    "parse_cccd",
    "parse_count",
    "parse_date",
    "parse_flag",
    "parse_former_province",
    "parse_is_vietnamese",
    "parse_province",
    "parse_social_insurance_number",
    "stored_number_text",
]


def match_key(text: str) -> str:
    """Accents, case and punctuation removed: the form headers and labels are matched in.

    >>> match_key("Số CCCD"), match_key("Xã/phường"), match_key("full_name")
    ('so cccd', 'xa phuong', 'full name')
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.lower()).split())


def _refuse(text: str, allowed: str) -> InvalidValueError:
    return InvalidValueError("cell", text, allowed)


_DATE_DMY: Final = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_DATE_ISO: Final = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def parse_date(text: str) -> dt.date:
    """``dd/mm/yyyy`` (also with ``-`` or ``.``, one-digit day and month allowed) or ISO ``yyyy-mm-dd``."""
    m = _DATE_DMY.fullmatch(text)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_ISO.fullmatch(text)
        if not m:
            raise _refuse(text, "not a date: use dd/mm/yyyy or yyyy-mm-dd")
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise _refuse(text, "no such day: use dd/mm/yyyy or yyyy-mm-dd") from None


_TRUE: Final = frozenset({"x", "co", "yes", "y", "true", "1", "dung", "v"})
_FALSE: Final = frozenset({"", "khong", "no", "n", "false", "0", "sai"})


def parse_flag(text: str) -> bool:
    """A yes/no cell: ``x``, ``có``, ``yes``, ``1`` … or ``không``, ``no``, ``0`` … (accents and case ignored)."""
    k = match_key(text)
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise _refuse(text, "not yes/no: use x, có, yes, 1 or blank, không, no, 0")


_VIETNAM: Final = frozenset({"viet nam", "vietnam", "vn", "vnm", "viet"})


def parse_is_vietnamese(text: str) -> bool:
    """Whether a nationality cell (``Quốc tịch``) says Vietnamese; any other text says not."""
    return match_key(text) in _VIETNAM


def _digits(text: str, n: int) -> str:
    if is_digits(text, n):
        return text
    value = text.replace(" ", "").replace(".", "").replace("-", "")
    if not is_digits(value, n):
        raise _refuse(text, f"not {n} digits")
    return value


def parse_cccd(text: str) -> str:
    """A số CCCD: 12 digits, spaces, dots and dashes between them dropped."""
    return _digits(text, 12)


def parse_social_insurance_number(text: str) -> str:
    """A mã số BHXH: 10 digits, spaces, dots and dashes between them dropped."""
    return _digits(text, 10)


def stored_number_text(value: int, zero_pad: int = 0) -> str:
    """The text of a cell a spreadsheet stored as a whole *number*, its leading zeros put back.

    One rule for every file format: a cell is read as the text it holds — a
    CSV cell, or an Excel cell stored as text — so ``"12345"`` in the CCCD
    column is refused ("not 12 digits") whether it comes from CSV or Excel.
    Only a cell Excel stored as a number can have lost leading zeros (Excel
    drops them from ``034162001234`` typed into a number cell), so only such
    a cell, in a column with a ``zero_pad`` width
    (:attr:`Column.zero_pad <ansinh.io.roster.columns.Column.zero_pad>`),
    is padded back to that width.

    >>> stored_number_text(34162001234, 12), stored_number_text(121001234, 10)
    ('034162001234', '0121001234')
    >>> stored_number_text(42), stored_number_text(-5, 12)
    ('42', '-5')
    """
    text = str(value)
    return text.zfill(zero_pad) if value >= 0 and len(text) < zero_pad else text


def parse_count(text: str) -> int:
    """A whole number >= 0 of up to six digits (months already supported)."""
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise _refuse(text, "not a whole number >= 0")
    return int(text)


_CURRENT_CODES: Final = frozenset(p.code for p in provinces())
_PROVINCE_ALIASES: Final = {"hcm": "79", "tp hcm": "79", "tphcm": "79", "sai gon": "79", "hn": "01"}


def _province(text: str, former: bool) -> str:
    if text.isascii() and text.isdigit() and len(text) <= 3:
        code = text.zfill(2)
        if not former and code in _CURRENT_CODES:
            return code
        try:
            return current_code_for_former(code)
        except AnsinhError:
            scheme = "the 63 former codes" if former else "the 34 current or 63 former codes"
            raise _refuse(text, f"unknown province code: not one of {scheme}") from None
    alias = _PROVINCE_ALIASES.get(match_key(text))
    if alias is not None:
        return alias
    try:
        return find_province(text).code
    except AnsinhError:
        raise _refuse(text, "unknown province: not a current or former province name or code") from None


def parse_province(text: str) -> str:
    """A province name (current or former) or code, as the current code.

    A two-digit code is a current code (Decision 19/2025/QĐ-TTg) when it is one
    of the 34, otherwise a former one (Decision 124/2004/QĐ-TTg) mapped to the
    unit it merged into.
    """
    return _province(text, False)


def parse_former_province(text: str) -> str:
    """A former (pre-2025-07-01) province name or code, as the current code of the unit it merged into."""
    return _province(text, True)


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
    Category.EXTREMELY_DIFFICULT_AREA: ("vung dac biet kho khan", "dbkk"),
    Category.SOCIAL_PENSION_75: ("huu tri xa hoi", "tro cap huu tri xa hoi"),
    Category.DISABILITY: ("khuyet tat", "nkt"),
    Category.ELDERLY_ALONE: ("cao tuoi co don", "nct co don"),
    Category.CHILD: ("tre em", "tre em hckk"),
    Category.SOCIAL_ALLOWANCE: ("bao tro xa hoi", "btxh", "tro cap xa hoi"),
    Category.MERITORIOUS: ("nguoi co cong", "co cong"),
    Category.FREE_WORKER: ("lao dong tu do", "ldtd"),
}
_CATEGORY_INDEX: Final = {
    match_key(text): cat
    for cat in Category
    for text in (cat.value, cat.label_vi, cat.label_en, *_CATEGORY_ALIASES.get(cat, ()))
}


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


def parse_categories(text: str) -> tuple[frozenset[Category], bool]:
    """Categories as codes or Vietnamese / English labels, separated by ``;``, ``,`` or ``|``.

    Returns:
        The categories, and whether the cell also says ``hoàn cảnh khó khăn``
        (difficult circumstances: the review flag).

    >>> categories, difficult = parse_categories("Hộ cận nghèo; học sinh, sinh viên; HCKK")
    >>> sorted(categories), difficult
    ([<Category.NEAR_POOR: 'near_poor'>, <Category.STUDENT: 'student'>], True)
    """
    text = _plain(text)
    for phrase, code in _COMMA_PHRASES:
        text = text.replace(phrase, code)
    cats: set[Category] = set()
    difficult = False
    for token in _SPLIT.split(text):
        k = match_key(token)
        if not k:
            continue
        if k in _DIFFICULT_WORDS:
            difficult = True
            continue
        cat = _CATEGORY_INDEX.get(k)
        if cat is None:
            raise _refuse(
                text,
                f"unknown category {token.strip()!r}: use a code or a label of "
                + ", ".join(c.value for c in Category),
            )
        cats.add(cat)
    return frozenset(cats), difficult
