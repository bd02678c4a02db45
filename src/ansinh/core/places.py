"""Dated commune lists and the national rules that depend on where a person lives.

Two health-card rules of Decree 188/2025/NĐ-CP Art. 6.6 (HI Law Art. 12.4) depend
on the commune, not on a category:

- a near-poor person living in a **poor commune** (a Prime Minister's decision
  lists them) has the whole card paid by the state (group
  :data:`NEAR_POOR_IN_POOR_COMMUNE`, parameter
  ``bhyt_state_paid_near_poor_poor_commune``);
- an ethnic-minority person living in a commune that **left the list of
  (extremely) difficult areas** has at least 70 % paid for
  ``bhyt_left_difficult_area_months`` (36) months after it left (group
  :data:`ETHNIC_MINORITY_LEFT_DIFFICULT_AREA`, parameter
  ``bhyt_state_support_left_difficult_area``).

The lists themselves are data a province supplies (:class:`CommuneList`, read
from a table by :func:`parse_commune_lists`); ansinh ships none, since no list
was found in a public source.  A commune matches by its name as the person's
``commune`` gives it, compared by :func:`normalise_commune` (whatever the case, the
composition of the diacritics, the spacing and a "Xã", "Phường", "Thị trấn" or
"Đặc khu" prefix).

>>> import datetime as dt
>>> from ansinh.core.people import Category
>>> from ansinh.data import default_law
>>> poor = parse_commune_lists({"commune_list": [{
...     "code": "hy-poor-2026", "kind": "poor_commune", "province": "33", "communes": ["Xã A"],
...     "effective": "2026-01-01", "document": "Quyết định … (giả định)", "status": "scenario",
...     "label_vi": "Xã nghèo", "label_en": "Poor communes"}]})
>>> sorted(place_groups(poor, categories={Category.NEAR_POOR}, province="33", commune="Xã A",
...                     on=dt.date(2026, 3, 1), period=default_law().at(dt.date(2026, 3, 1))))
['near_poor_in_poor_commune']
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from ansinh.core.dates import add_months
from ansinh.core.law import (
    Citation,
    LawPeriod,
    SourceStatus,
    parse_date,
    parse_status,
    parse_table,
    parse_text,
)
from ansinh.core.people import Category, rate_groups
from ansinh.core.provinces import province as _province
from ansinh.exceptions import AnsinhError, LawDataError, NotInForceError, UnknownParameterError

__all__ = [
    "COMMUNE_PREFIXES",
    "ETHNIC_MINORITY_LEFT_DIFFICULT_AREA",
    "LEFT_DIFFICULT_AREA_MONTHS",
    "NEAR_POOR_IN_POOR_COMMUNE",
    "PLACE_GROUP_LABELS",
    "CommuneList",
    "PlaceKind",
    "commune_list_table",
    "commune_matches",
    "normalise_commune",
    "parse_commune_lists",
    "place_groups",
]

NEAR_POOR_IN_POOR_COMMUNE: Final = "near_poor_in_poor_commune"
"""Group key: a near-poor person living in a poor commune."""
ETHNIC_MINORITY_LEFT_DIFFICULT_AREA: Final = "ethnic_minority_left_difficult_area"
"""Group key: an ethnic-minority person in a commune that left the difficult-area list."""
LEFT_DIFFICULT_AREA_MONTHS: Final = "bhyt_left_difficult_area_months"
"""The parameter: months the support lasts after a commune leaves the difficult-area list."""
PLACE_GROUP_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    NEAR_POOR_IN_POOR_COMMUNE: ("hộ cận nghèo ở xã nghèo", "near-poor household in a poor commune"),
    ETHNIC_MINORITY_LEFT_DIFFICULT_AREA: (
        "người dân tộc thiểu số ở xã ra khỏi vùng khó khăn",
        "ethnic minority in a commune that left the difficult-area list",
    ),
}
"""The ``(Vietnamese, English)`` label of each place group."""


COMMUNE_PREFIXES: Final = ("xã", "phường", "thị trấn", "đặc khu")
"""The unit words a commune-level name may start with (after 2025-07-01: xã, phường, đặc khu;
before it also thị trấn), dropped by :func:`normalise_commune`."""


def _fold(text: str) -> str:
    """Case folded, composed (NFC), whitespace collapsed: repeated until it no longer changes."""
    for _ in range(4):
        folded = " ".join(unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).casefold()).split())
        if folded == text:
            break
        text = folded
    return text


def normalise_commune(name: str) -> str:
    """*name* as commune names are compared: one form whatever the case, the composition of the
    diacritics (NFC or NFD), the spacing, and a leading unit word (:data:`COMMUNE_PREFIXES`).

    The diacritics themselves are kept ("Xã A" and "Xa A" stay different names); a unit word
    alone ("Phường") is a name and is kept.

    >>> normalise_commune("Xã  Mường Tè"), normalise_commune("PHƯỜNG Ba Đình"), normalise_commune("Đặc khu Phú Quốc")
    ('mường tè', 'ba đình', 'phú quốc')
    >>> import unicodedata
    >>> normalise_commune(unicodedata.normalize("NFD", "thị trấn Mường Tè")) == normalise_commune("Mường Tè")
    True
    """
    text = _fold(name)
    while True:
        for prefix in COMMUNE_PREFIXES:
            if text.startswith(prefix + " "):
                text = text[len(prefix) + 1 :]
                break
        else:
            return text


@functools.lru_cache(maxsize=1024)
def _commune_keys(communes: frozenset[str]) -> frozenset[str]:
    return frozenset(normalise_commune(c) for c in communes)


def commune_matches(commune: str, communes: frozenset[str]) -> bool:
    """Whether *commune* is one of *communes*, compared by :func:`normalise_commune`.

    >>> commune_matches("xã mường tè", frozenset({"Xã Mường Tè"})), commune_matches("", frozenset({"Xã A"}))
    (True, False)
    """
    return bool(commune.strip()) and normalise_commune(commune) in _commune_keys(communes)


class PlaceKind(enum.StrEnum):
    """What a commune list lists."""

    POOR_COMMUNE = "poor_commune"
    """Poor communes (xã nghèo), per a Prime Minister's decision."""
    DIFFICULT_AREA = "difficult_area"
    """Communes in areas with (extremely) difficult socio-economic conditions."""


@attrs.frozen(kw_only=True, cache_hash=True)
class CommuneList:
    """A dated list of communes of one province (poor communes, difficult areas), with its source.

    A commune is on the list from :attr:`effective` to :attr:`until` (inclusive);
    for a difficult-area list, the day after :attr:`until` is the day its communes
    left it.
    """

    code: str
    kind: PlaceKind
    province: str
    communes: frozenset[str]
    effective: dt.date
    until: dt.date | None
    citation: Citation
    status: SourceStatus
    label_vi: str
    label_en: str

    def lists(self, province: str | None, commune: str, on: dt.date) -> bool:
        """Whether *commune* of *province* is on the list on *on*."""
        return (
            province == self.province
            and commune_matches(commune, self.communes)
            and self.effective <= on
            and (self.until is None or on <= self.until)
        )

    def left_within(self, province: str | None, commune: str, on: dt.date, months: int) -> bool:
        """Whether *commune* left this list (after :attr:`until`) at most *months* months before *on*."""
        return (
            province == self.province
            and commune_matches(commune, self.communes)
            and self.until is not None
            and self.until < on <= add_months(self.until, months)
        )


def place_groups(
    lists: Iterable[CommuneList],
    *,
    categories: Iterable[Category],
    province: str | None,
    commune: str,
    on: dt.date,
    period: LawPeriod,
) -> frozenset[str]:
    """The place groups (:data:`PLACE_GROUP_LABELS`) a person is in on *on*.

    ``bhyt_left_difficult_area_months`` is read from *period*; a law without it
    (or before it is in force) has no such group.
    """
    if not commune:
        return frozenset()
    groups: set[str] = set()
    cats = rate_groups(categories)
    try:
        months = period.amount(LEFT_DIFFICULT_AREA_MONTHS)
    except (NotInForceError, UnknownParameterError):
        months = None
    for lst in lists:
        if (
            lst.kind is PlaceKind.POOR_COMMUNE
            and Category.NEAR_POOR in cats
            and lst.lists(province, commune, on)
        ):
            groups.add(NEAR_POOR_IN_POOR_COMMUNE)
        elif (
            lst.kind is PlaceKind.DIFFICULT_AREA
            and months is not None
            and Category.ETHNIC_MINORITY in cats
            and lst.left_within(province, commune, on, months)
        ):
            groups.add(ETHNIC_MINORITY_LEFT_DIFFICULT_AREA)
    return frozenset(groups)


_REQUIRED: Final = (
    "code",
    "kind",
    "province",
    "communes",
    "effective",
    "document",
    "status",
    "label_vi",
    "label_en",
)
_KEYS: Final = frozenset((*_REQUIRED, "until", "article", "url", "note"))


def _one(table: object, where: str) -> CommuneList:
    raw = parse_table(table, where, required=_REQUIRED, allowed=_KEYS)
    try:
        kind = PlaceKind(raw["kind"])
        _province(raw["province"])
    except (ValueError, AnsinhError):
        raise LawDataError(
            f"{where}: kind={raw['kind']!r}, province={raw['province']!r} are not allowed: a kind among "
            + ", ".join(k.value for k in PlaceKind)
            + " and one of the 34 current province codes"
        ) from None
    communes = raw["communes"]
    if not isinstance(communes, list) or not communes or not all(isinstance(c, str) and c for c in communes):
        raise LawDataError(f"{where}.communes is not allowed: a non-empty list of commune names")
    effective = parse_date(raw["effective"], f"{where}.effective")
    until = None if raw.get("until") is None else parse_date(raw["until"], f"{where}.until")
    if until is not None and until < effective:
        raise LawDataError(f"{where}.until={until} is not allowed: on or after effective ({effective})")
    return CommuneList(
        code=parse_text(raw, "code", where),
        kind=kind,
        province=raw["province"],
        communes=frozenset(communes),
        effective=effective,
        until=until,
        citation=Citation(
            parse_text(raw, "document", where),
            parse_text(raw, "article", where, required=False),
            parse_text(raw, "url", where, required=False),
        ),
        status=parse_status(raw["status"], f"{where}.status"),
        label_vi=parse_text(raw, "label_vi", where),
        label_en=parse_text(raw, "label_en", where),
    )


def parse_commune_lists(data: Mapping[str, object]) -> tuple[CommuneList, ...]:
    """Read ``[[commune_list]]`` tables (a province's data file) into :class:`CommuneList` values.

    Raises:
        LawDataError: a table is malformed, or two tables share a ``code``.
    """
    raw = data.get("commune_list", [])
    if not isinstance(raw, list):
        raise LawDataError("commune_list must be a list of tables ([[commune_list]])")
    lists = tuple(_one(item, f"commune_list[{i}]") for i, item in enumerate(raw))
    codes = [c.code for c in lists]
    for code in codes:
        if codes.count(code) > 1:
            raise LawDataError(f"commune list code {code!r} is used twice; codes must be unique")
    return lists


def commune_list_table(lst: CommuneList) -> dict[str, object]:
    """*lst* as one ``[[commune_list]]`` table: :func:`parse_commune_lists` reads it back equal.

    >>> import datetime as dt
    >>> (lst,) = parse_commune_lists({"commune_list": [{
    ...     "code": "c", "kind": "poor_commune", "province": "33", "communes": ["Xã A"],
    ...     "effective": "2026-01-01", "document": "QĐ", "status": "scenario",
    ...     "label_vi": "x", "label_en": "x"}]})
    >>> parse_commune_lists({"commune_list": [commune_list_table(lst)]}) == (lst,)
    True
    """
    table: dict[str, object] = {
        "code": lst.code,
        "kind": lst.kind.value,
        "province": lst.province,
        "communes": sorted(lst.communes),
        "effective": lst.effective.isoformat(),
        "document": lst.citation.document,
        "status": lst.status.value,
        "label_vi": lst.label_vi,
        "label_en": lst.label_en,
    }
    if lst.until is not None:
        table["until"] = lst.until.isoformat()
    if lst.citation.article:
        table["article"] = lst.citation.article
    if lst.citation.url:
        table["url"] = lst.citation.url
    return table
