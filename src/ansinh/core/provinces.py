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

import functools
import unicodedata

import attrs

from ansinh.exceptions import InvalidPersonError

__all__ = [
    "MERGER_DATE_TEXT",
    "FormerProvince",
    "Province",
    "current_code_for_former",
    "find_province",
    "former_provinces",
    "normalise_name",
    "province",
    "provinces",
]

MERGER_DATE_TEXT = "2025-07-01 (Nghị quyết 202/2025/QH15; mã theo Quyết định 19/2025/QĐ-TTg)"
"""When and by which texts the 34 units replaced the 63."""


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
    from ansinh.data import province_rows

    members: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    former: dict[str, FormerProvince] = {}
    by_name: dict[str, str] = {}
    for old_code, old_name, new_code, new_name in province_rows():
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


def current_code_for_former(code: str) -> str:
    """The current code of the unit a former (pre-2025-07-01) province merged into.

    Raises:
        InvalidPersonError: not one of the 63 former codes.
    """
    try:
        return _tables()[1][code].merged_into
    except (KeyError, TypeError):
        raise InvalidPersonError("province", code, "one of the 63 codes in use before 2025-07-01") from None


def find_province(name: str) -> Province:
    """The current unit for a current *or former* province name (accents optional).

    Raises:
        InvalidPersonError: the name matches no unit.
    """
    code = _tables()[2].get(normalise_name(name))
    if code is None:
        raise InvalidPersonError("province", name, "the name of one of the 34 current or 63 former provinces")
    return _tables()[0][code]
