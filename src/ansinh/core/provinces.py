"""Province-level administrative units: the 34 in force since 2025-07-01 and the 63 before.

Resolution 202/2025/QH15 merged 63 units into 34 from 2025-07-01; the codes
of Decision 19/2025/QĐ-TTg reuse the code of one former province (see
``facts.md`` §10 — the merger lists are CONFIRMED-2nd, the code
correspondence DERIVED).  Old and new codes overlap with *different*
meanings (``24`` was Bắc Giang and is now Bắc Ninh), so every function says
which scheme it reads.

>>> province("79").name
'TP Hồ Chí Minh'
>>> current_code_for_former("74")   # Bình Dương merged into HCMC
'79'
>>> find_province("thai binh").code
'33'
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import Final

import attrs

from ansinh.exceptions import InvalidPersonError

__all__ = [
    "MERGER_DATE",
    "MERGER_DATE_TEXT",
    "FormerProvince",
    "Province",
    "current_code_for_former",
    "find_province",
    "former_province",
    "former_provinces",
    "normalise_name",
    "province",
    "provinces",
]

MERGER_DATE_TEXT = "2025-07-01 (Nghị quyết 202/2025/QH15; mã theo Quyết định 19/2025/QĐ-TTg)"
"""When and by which texts the 34 units replaced the 63."""

MERGER_DATE: Final = dt.date(2025, 7, 1)
"""The first day of the 34 units; the 63 former ones were in force before it."""


# The 63 former units and the unit each merged into on 2025-07-01: (old code, old name, new code,
# new name).  Codes of Decision 124/2004/QĐ-TTg and Decision 19/2025/QĐ-TTg; merger lists of
# Resolution 202/2025/QH15 (facts.md §10).  Kept here, in the core, because every Person is
# validated against it; tests/data/provinces.csv is the project's source copy and a test checks
# that the two agree.
_ROWS: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("01", "Hà Nội", "01", "TP Hà Nội"),
    ("04", "Cao Bằng", "04", "Cao Bằng"),
    ("08", "Tuyên Quang", "08", "Tuyên Quang"),
    ("02", "Hà Giang", "08", "Tuyên Quang"),
    ("11", "Điện Biên", "11", "Điện Biên"),
    ("12", "Lai Châu", "12", "Lai Châu"),
    ("14", "Sơn La", "14", "Sơn La"),
    ("10", "Lào Cai", "15", "Lào Cai"),
    ("15", "Yên Bái", "15", "Lào Cai"),
    ("19", "Thái Nguyên", "19", "Thái Nguyên"),
    ("06", "Bắc Kạn", "19", "Thái Nguyên"),
    ("20", "Lạng Sơn", "20", "Lạng Sơn"),
    ("22", "Quảng Ninh", "22", "Quảng Ninh"),
    ("27", "Bắc Ninh", "24", "Bắc Ninh"),
    ("24", "Bắc Giang", "24", "Bắc Ninh"),
    ("25", "Phú Thọ", "25", "Phú Thọ"),
    ("26", "Vĩnh Phúc", "25", "Phú Thọ"),
    ("17", "Hòa Bình", "25", "Phú Thọ"),
    ("31", "Hải Phòng", "31", "TP Hải Phòng"),
    ("30", "Hải Dương", "31", "TP Hải Phòng"),
    ("33", "Hưng Yên", "33", "Hưng Yên"),
    ("34", "Thái Bình", "33", "Hưng Yên"),
    ("37", "Ninh Bình", "37", "Ninh Bình"),
    ("35", "Hà Nam", "37", "Ninh Bình"),
    ("36", "Nam Định", "37", "Ninh Bình"),
    ("38", "Thanh Hóa", "38", "Thanh Hóa"),
    ("40", "Nghệ An", "40", "Nghệ An"),
    ("42", "Hà Tĩnh", "42", "Hà Tĩnh"),
    ("45", "Quảng Trị", "44", "Quảng Trị"),
    ("44", "Quảng Bình", "44", "Quảng Trị"),
    ("46", "Thừa Thiên Huế", "46", "TP Huế"),
    ("48", "Đà Nẵng", "48", "TP Đà Nẵng"),
    ("49", "Quảng Nam", "48", "TP Đà Nẵng"),
    ("51", "Quảng Ngãi", "51", "Quảng Ngãi"),
    ("62", "Kon Tum", "51", "Quảng Ngãi"),
    ("64", "Gia Lai", "52", "Gia Lai"),
    ("52", "Bình Định", "52", "Gia Lai"),
    ("56", "Khánh Hòa", "56", "Khánh Hòa"),
    ("58", "Ninh Thuận", "56", "Khánh Hòa"),
    ("66", "Đắk Lắk", "66", "Đắk Lắk"),
    ("54", "Phú Yên", "66", "Đắk Lắk"),
    ("68", "Lâm Đồng", "68", "Lâm Đồng"),
    ("67", "Đắk Nông", "68", "Lâm Đồng"),
    ("60", "Bình Thuận", "68", "Lâm Đồng"),
    ("75", "Đồng Nai", "75", "Đồng Nai"),
    ("70", "Bình Phước", "75", "Đồng Nai"),
    ("79", "Hồ Chí Minh", "79", "TP Hồ Chí Minh"),
    ("74", "Bình Dương", "79", "TP Hồ Chí Minh"),
    ("77", "Bà Rịa - Vũng Tàu", "79", "TP Hồ Chí Minh"),
    ("72", "Tây Ninh", "80", "Tây Ninh"),
    ("80", "Long An", "80", "Tây Ninh"),
    ("87", "Đồng Tháp", "82", "Đồng Tháp"),
    ("82", "Tiền Giang", "82", "Đồng Tháp"),
    ("86", "Vĩnh Long", "86", "Vĩnh Long"),
    ("83", "Bến Tre", "86", "Vĩnh Long"),
    ("84", "Trà Vinh", "86", "Vĩnh Long"),
    ("89", "An Giang", "91", "An Giang"),
    ("91", "Kiên Giang", "91", "An Giang"),
    ("92", "Cần Thơ", "92", "TP Cần Thơ"),
    ("94", "Sóc Trăng", "92", "TP Cần Thơ"),
    ("93", "Hậu Giang", "92", "TP Cần Thơ"),
    ("96", "Cà Mau", "96", "Cà Mau"),
    ("95", "Bạc Liêu", "96", "Cà Mau"),
)


@attrs.frozen
class Province:
    """One of the 34 province-level units in force since 2025-07-01."""

    code: str
    """Two-digit code (Decision 19/2025/QĐ-TTg)."""
    name: str
    """Official short name, e.g. ``"TP Hà Nội"``."""
    formed_from: tuple[str, ...]
    """Names of the former provinces merged into it (itself if unchanged)."""


@attrs.frozen
class FormerProvince:
    """One of the 63 units before 2025-07-01 (codes of Decision 124/2004/QĐ-TTg)."""

    code: str
    name: str
    merged_into: str
    """Code of the current unit."""


def normalise_name(text: str) -> str:
    """Lower-case, strip accents and the ``TP``/``Tỉnh`` prefixes, for matching names.

    >>> normalise_name("TP. Hồ Chí Minh")
    'ho chi minh'
    >>> normalise_name("Tỉnh Thừa Thiên - Huế")
    'thua thien hue'
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    for ch in ".-–_,":
        plain = plain.replace(ch, " ")
    words = plain.split()
    while words and words[0] in ("tp", "thanh", "tinh", "pho") and len(words) > 1:
        if words[0] == "thanh" and words[1:2] == ["pho"]:
            words = words[2:]
        elif words[0] in ("tp", "tinh"):
            words = words[1:]
        else:
            break
    return " ".join(words)


@functools.cache
def _tables() -> tuple[dict[str, Province], dict[str, FormerProvince], dict[str, str]]:
    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    former: dict[str, FormerProvince] = {}
    by_name: dict[str, str] = {}
    for old_code, old_name, new_code, new_name in _ROWS:
        members.setdefault(new_code, []).append(old_name)
        names[new_code] = new_name
        former[old_code] = FormerProvince(old_code, old_name, new_code)
        by_name[normalise_name(old_name)] = new_code
    current = {c: Province(c, names[c], tuple(members[c])) for c in sorted(names)}
    for c, p in current.items():
        by_name[normalise_name(p.name)] = c
    by_name.setdefault("hue", "46")
    return current, former, by_name


def provinces() -> tuple[Province, ...]:
    """The 34 current units, by code."""
    return tuple(_tables()[0].values())


def former_provinces() -> tuple[FormerProvince, ...]:
    """The 63 former units, in data order."""
    return tuple(_tables()[1].values())


def province(code: str) -> Province:
    """The current unit with this two-digit code.

    Raises:
        InvalidPersonError: not one of the 34 current codes.
    """
    try:
        return _tables()[0][code]
    except (KeyError, TypeError):
        raise InvalidPersonError(
            "province", code, "one of the 34 codes in force since 2025-07-01: " + ", ".join(_tables()[0])
        ) from None


def former_province(code: str) -> FormerProvince:
    """The former (pre-2025-07-01) unit with this two-digit code.

    Raises:
        InvalidPersonError: not one of the 63 former codes.

    >>> former_province("30").name, former_province("30").merged_into
    ('Hải Dương', '31')
    """
    try:
        return _tables()[1][code]
    except (KeyError, TypeError):
        raise InvalidPersonError("province", code, "one of the 63 codes in use before 2025-07-01") from None


def current_code_for_former(code: str) -> str:
    """The current code of the unit a former (pre-2025-07-01) province merged into.

    Raises:
        InvalidPersonError: not one of the 63 former codes.
    """
    return former_province(code).merged_into


def find_province(name: str) -> Province:
    """The current unit for a current *or former* province name (accents optional).

    Raises:
        InvalidPersonError: the name matches no unit.
    """
    code = _tables()[2].get(normalise_name(name))
    if code is None:
        raise InvalidPersonError("province", name, "the name of one of the 34 current or 63 former provinces")
    return _tables()[0][code]
