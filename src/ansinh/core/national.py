"""The programme across campaigns: the national report as of a date, and the multi-year series.

BHXH Việt Nam's Customer Care Centre compiles "the results of the whole
country" every year (seed 002: "185.055 sổ bảo hiểm xã hội và thẻ bảo hiểm y
tế với tổng giá trị hơn 52,5 tỷ đồng"); a province office reports "Đến ngày
15/12, BHXH TP Hải Phòng đã vận động được 195 đơn vị và cá nhân tham gia ủng hộ
với tổng kinh phí hơn 1,61 tỷ đồng" (seed 003).  :func:`national_report` rolls
up the ledger states of many campaigns (a national campaign and the province
campaigns under it) as of one date:

* every campaign's own :func:`~ansinh.core.reporting.report` gives its gifts,
  their value and the people covered; the national figures are their sums
  (a person covered by two campaigns counts in both);
* :mod:`ansinh.core.accounting` values what sponsors registered, at central or
  provincial level, money and units apart;
* a row per province — the 34 units, or the 63 former ones for a date before
  2025-07-01 (``units="of_date"``), or every row mapped to today's 34
  (``units="current"``) — plus one row for central registrations;
* published totals that no person row backs (:class:`AggregateRecord`: a
  province's or the nation's figures for a year, with their source) stay in
  rows of their own, marked :attr:`Backing.AGGREGATE`.

:func:`ansinh.core.series.year_series` puts years side by side, person-backed
years and published figures distinguished.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign
>>> from ansinh.core.ledger import Ledger
>>> from ansinh.data import default_law
>>> hp = Campaign(code="HP2026", name="Xuân Bính Ngọ 2026", province="31",
...               start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> r = national_report([Ledger(hp, law=default_law()).state], on=dt.date(2025, 12, 15),
...                     law=default_law())
>>> r.office, r.mobilised
('BHXH TP Hải Phòng', 0)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

import attrs

from ansinh.core.accounting import (
    InstalmentState,
    InstalmentStatus,
    PledgeValue,
    RegistrationLevel,
    instalments_due,
    pledge_values,
    registration_level,
)
from ansinh.core.campaign import SponsorKind
from ansinh.core.dates import check_date
from ansinh.core.labels import Labelled
from ansinh.core.law import Law
from ansinh.core.ledger import LedgerState
from ansinh.core.money import format_vnd
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.core.provinces import (
    MERGER_DATE,
    current_code_for_former,
    former_province,
    former_provinces,
    province,
    provinces,
)
from ansinh.core.reporting import CampaignReport, about_vnd, format_count, report
from ansinh.core.validators import non_empty_text as _text
from ansinh.core.validators import whole_number as _whole_number
from ansinh.exceptions import InvalidValueError

__all__ = [
    "CENTRAL_KEY",
    "NATIONAL_DIMENSIONS",
    "AggregateRecord",
    "Backing",
    "NationalReport",
    "RollupRow",
    "Units",
    "aggregates_from_mapping",
    "map_to_current",
    "national_report",
]

Units = Literal["current", "of_date"]
"""How provinces are reported: mapped to today's 34 units, or under the units in force on the date."""

NATIONAL_DIMENSIONS: Final = ("province", "level", "sponsor_kind", "funds_source", "campaign")
"""The breakdowns of a national report, in this order."""

CENTRAL_KEY: Final = "TW"
"""The key of the province-breakdown row holding central registrations (khối Trung ương)."""

_OFFICE_NATIONAL: Final = "BHXH Việt Nam"


class Backing(Labelled):
    """What a figure rests on."""

    PERSONS = "persons"
    """Person rows in a ledger (every gift names its person)."""
    AGGREGATE = "aggregate"
    """A published total (an :class:`AggregateRecord`), no person row behind it."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each backing's ``(Vietnamese, English)`` label."""
        return {
            "persons": ("theo danh sách từng người", "person-backed"),
            "aggregate": ("số liệu đã công bố", "published total"),
        }


def _optional_count(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidValueError(attr.name, value, "None or a whole number >= 0")


@attrs.frozen(kw_only=True)
class AggregateRecord:
    """A published total for a year, not backed by person rows: a province's or the nation's.

    Figures the source does not give are ``None``.  ``former=True`` says
    ``province`` is one of the 63 codes in use before 2025-07-01.

    >>> r = AggregateRecord(year=2025, books_and_cards=185_055, value=52_500_000_000,
    ...                     approximate=True, source="Vietnam+, 04/3/2026 (seed 002)")
    >>> r.backing.value, r.scope
    ('aggregate', 'national')
    """

    year: int = attrs.field(validator=_whole_number(2000, 2100))
    province: str | None = None
    """A province code, ``None`` for the whole country."""
    former: bool = False
    health_cards: int | None = attrs.field(default=None, validator=_optional_count)
    social_books: int | None = attrs.field(default=None, validator=_optional_count)
    books_and_cards: int | None = attrs.field(default=None, validator=_optional_count)
    """Books and cards together, when only their total is published (else the sum of the two)."""
    tet_gifts: int | None = attrs.field(default=None, validator=_optional_count)
    people: int | None = attrs.field(default=None, validator=_optional_count)
    value: int | None = attrs.field(default=None, validator=_optional_count)
    """Value of the books and cards, đồng."""
    mobilised: int | None = attrs.field(default=None, validator=_optional_count)
    """Money mobilised (tổng kinh phí huy động), đồng."""
    approximate: bool = False
    """The source rounds its figures ("hơn", "gần", "khoảng")."""
    source: str = attrs.field(validator=_text)
    """Where the figures were published (required)."""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.province is not None:
            if self.former:
                former_province(self.province)
            else:
                province(self.province)
        elif self.former:
            raise InvalidValueError("former", self.former, "False for a national record (province=None)")

    @property
    def backing(self) -> Backing:
        """Always :attr:`Backing.AGGREGATE`: no person row backs a published total."""
        return Backing.AGGREGATE

    @property
    def scope(self) -> str:
        """``"national"``, or the province code."""
        return self.province if self.province is not None else "national"

    @property
    def cards_and_books(self) -> int | None:
        """Books and cards together: the published total, else the sum of the two (``None``: unknown)."""
        if self.books_and_cards is not None:
            return self.books_and_cards
        if self.health_cards is None and self.social_books is None:
            return None
        return (self.health_cards or 0) + (self.social_books or 0)

    def current_code(self) -> str | None:
        """The province's code among today's 34 (``None`` for a national record)."""
        if self.province is None:
            return None
        return current_code_for_former(self.province) if self.former else self.province


_RECORD_FIELDS: Final = frozenset(a.name for a in attrs.fields(AggregateRecord))


def aggregates_from_mapping(data: Mapping[str, Any]) -> tuple[AggregateRecord, ...]:
    """Aggregate records from ``{"record": [{...}, ...]}`` (a TOML file's ``[[record]]`` tables).

    Raises:
        InvalidValueError: not that shape, an unknown field, or a bad value (named with its record).

    >>> aggregates_from_mapping({"record": [{"year": 2025, "people": 5, "source": "x"}]})[0].people
    5
    """
    if not isinstance(data, Mapping) or set(data) - {"record"}:
        raise InvalidValueError("aggregates", data, "a mapping with one key, 'record' (a list of tables)")
    rows = data.get("record", [])
    if not isinstance(rows, list):
        raise InvalidValueError("record", rows, "a list of tables ([[record]])")
    out = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, Mapping):
            raise InvalidValueError(f"record {n}", row, "a table of fields")
        missing = sorted({"year", "source"} - set(row))
        if missing:
            raise InvalidValueError(f"record {n}", dict(row), "a table with " + " and ".join(missing))
        unknown = sorted(set(row) - _RECORD_FIELDS)
        if unknown:
            raise InvalidValueError(
                f"record {n}", ", ".join(unknown), "fields of " + ", ".join(sorted(_RECORD_FIELDS))
            )
        try:
            out.append(AggregateRecord(**row))
        except InvalidValueError as exc:
            raise InvalidValueError(f"record {n}: {exc.field}", exc.value, exc.allowed) from None
    return tuple(out)


@attrs.frozen(kw_only=True)
class RollupRow:
    """One line of a national breakdown."""

    dimension: str
    """One of :data:`NATIONAL_DIMENSIONS`."""
    key: str
    label: str
    backing: Backing = Backing.PERSONS
    former: bool = False
    """The key is one of the 63 former province codes."""
    health_cards: int = 0
    social_books: int = 0
    tet_gifts: int = 0
    value: int = 0
    """Value of the active gifts, đồng."""
    central_value: int = 0
    """The part of :attr:`value` central registrations pay."""
    people: int = 0
    """People covered (counted once per campaign)."""
    registered: int = 0
    """"Đăng ký": units valued plus money, đồng."""
    money: int = 0
    """Money pledged, đồng."""
    unit_value: int = 0
    """Units pledged, valued, đồng."""
    received: int = 0
    sponsors: int = 0
    source: str = ""
    """For an aggregate row: where it was published."""

    @property
    def gifts(self) -> int:
        """All gifts of the row."""
        return self.health_cards + self.social_books + self.tet_gifts

    @property
    def province_value(self) -> int:
        """The part of :attr:`value` provincial registrations pay."""
        return self.value - self.central_value

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (what CSV and XLSX files hold)."""
        return {
            "dimension": self.dimension,
            "key": self.key,
            "label": self.label,
            "backing": self.backing.value,
            "health_cards": self.health_cards,
            "social_books": self.social_books,
            "tet_gifts": self.tet_gifts,
            "gifts": self.gifts,
            "value": self.value,
            "central_value": self.central_value,
            "province_value": self.province_value,
            "people": self.people,
            "registered": self.registered,
            "money": self.money,
            "unit_value": self.unit_value,
            "received": self.received,
            "sponsors": self.sponsors,
            "source": self.source,
        }


_SUMMED: Final = (
    "health_cards",
    "social_books",
    "tet_gifts",
    "value",
    "central_value",
    "people",
    "registered",
    "money",
    "unit_value",
    "received",
    "sponsors",
)


def _add(a: RollupRow, b: RollupRow) -> RollupRow:
    return attrs.evolve(a, **{f: getattr(a, f) + getattr(b, f) for f in _SUMMED})


def _merge_rows(rows: Iterable[RollupRow]) -> tuple[RollupRow, ...]:
    """Rows with the same (dimension, backing, key) added up, in first-seen order of dimension, then by key."""
    merged: dict[tuple[str, str, str], RollupRow] = {}
    for r in rows:
        k = (r.dimension, r.backing.value, r.key)
        merged[k] = _add(merged[k], r) if k in merged else r
    order = {d: i for i, d in enumerate(NATIONAL_DIMENSIONS)}
    return tuple(
        sorted(
            merged.values(),
            key=lambda r: (order.get(r.dimension, 99), r.backing.value, r.key == CENTRAL_KEY, r.key),
        )
    )


# -- one campaign's part ------------------------------------------------------------------------


def _province_label(code: str) -> str:
    return "Khối Trung ương (BHXH Việt Nam)" if code == CENTRAL_KEY else province(code).name


def _sponsor_label(kind: str) -> str:
    try:
        return SponsorKind(kind).label_vi
    except ValueError:
        return kind


_LABELS: Final[Mapping[str, Any]] = {
    "province": _province_label,
    "level": lambda k: RegistrationLevel(k).label_vi,
    "sponsor_kind": lambda k: _sponsor_label(k),
    "funds_source": lambda k: k or "không ghi nguồn",
}


_FIELD: Final = {ProductKind.HEALTH_CARD: 0, ProductKind.SOCIAL_BOOK: 1, ProductKind.TET_GIFT: 2}

_GiftFact = tuple[str, str, int, int, str, bool]
"""What the rows read of one active gift: pledge id, province, kind slot, amount, person id, central."""


def _gift_rows(
    dimension: str, facts: Sequence[_GiftFact], key_of: Mapping[str, str] | None
) -> list[RollupRow]:
    """Gift rows of one campaign, keyed by the gift's province (*key_of* ``None``) or by its pledge's key."""
    sums: dict[str, list[int]] = {}
    people: dict[str, set[str]] = {}
    for pledge_id, where, slot, amount, person, central in facts:
        key = where if key_of is None else key_of[pledge_id]
        acc = sums.get(key)
        if acc is None:
            acc = sums[key] = [0, 0, 0, 0, 0]
            people[key] = set()
        acc[slot] += 1
        acc[3] += amount
        if central:
            acc[4] += amount
        people[key].add(person)
    return [
        RollupRow(
            dimension=dimension,
            key=k,
            label=_LABELS[dimension](k),
            health_cards=acc[0],
            social_books=acc[1],
            tet_gifts=acc[2],
            value=acc[3],
            central_value=acc[4],
            people=len(people[k]),
        )
        for k, acc in sums.items()
    ]


def _registration_rows(dimension: str, values: Iterable[tuple[str, PledgeValue]]) -> list[RollupRow]:
    """Registration rows of one campaign: (key, pledge value) pairs."""
    sums: dict[str, dict[str, Any]] = {}
    sponsors: dict[str, set[str]] = {}
    for key, v in values:
        s = sums.setdefault(key, dict.fromkeys(("registered", "money", "unit_value", "received"), 0))
        s["registered"] += v.registered
        s["money"] += v.money
        s["unit_value"] += v.unit_value
        s["received"] += v.received
        sponsors.setdefault(key, set()).add(v.sponsor_id)
    return [
        attrs.evolve(
            RollupRow(dimension=dimension, key=k, label=_LABELS[dimension](k), sponsors=len(sponsors[k])), **s
        )
        for k, s in sums.items()
    ]


def _campaign_part(
    state: LedgerState, *, on: dt.date, law: Law, local_supports: Sequence[LocalSupport]
) -> tuple[CampaignReport, tuple[PledgeValue, ...], list[RollupRow]]:
    """One campaign's report, its valued pledges and its rows (not yet merged with the others')."""
    state = state.as_of(on)  # only what was recorded on or before the date counts
    rep = report(state, on=on)
    values = pledge_values(state, on=on, law=law, local_supports=local_supports)
    balances = {b.pledge.id: b for b in state.pledges}
    level = {k: registration_level(b.sponsor, state.campaign) for k, b in balances.items()}
    central = {k for k, lv in level.items() if lv is RegistrationLevel.CENTRAL}
    facts: list[_GiftFact] = [
        (g.pledge_id, g.province, _FIELD[g.kind], g.amount, g.person_id, g.pledge_id in central)
        for g in state.gifts
        if g.status.is_active
    ]
    rows = _gift_rows("province", facts, None)
    rows += _gift_rows("level", facts, {k: lv.value for k, lv in level.items()})
    rows += _gift_rows("sponsor_kind", facts, {k: b.sponsor.kind_key for k, b in balances.items()})
    rows += _gift_rows("funds_source", facts, {k: b.pledge.funds_source for k, b in balances.items()})
    rows += _registration_rows(
        "province",
        (
            (v.province if v.level is RegistrationLevel.PROVINCE and v.province else CENTRAL_KEY, v)
            for v in values
        ),
    )
    rows += _registration_rows("level", ((v.level.value, v) for v in values))
    rows += _registration_rows("sponsor_kind", ((v.sponsor_kind, v) for v in values))
    rows += _registration_rows("funds_source", ((v.funds_source, v) for v in values))
    c = state.campaign
    whole = RollupRow(dimension="campaign", key=c.code, label=c.name)
    for r in rows:
        if r.dimension == "level":
            whole = _add(whole, r)
    return rep, values, [*rows, attrs.evolve(whole, people=rep.people_covered)]


# -- provinces: the 63 and the 34 ------------------------------------------------------------------


def _aggregate_row(record: AggregateRecord) -> RollupRow:
    code = record.province
    if code is None:
        key, label = "VN", "Cả nước (số liệu đã công bố)"
    else:
        key = code
        label = former_province(code).name if record.former else province(code).name
    return RollupRow(
        dimension="province",
        key=key,
        label=label,
        backing=Backing.AGGREGATE,
        former=record.former,
        health_cards=record.health_cards or 0,
        social_books=record.social_books or 0,
        tet_gifts=record.tet_gifts or 0,
        value=record.value or 0,
        people=record.people or 0,
        registered=record.mobilised or 0,
        source=record.source,
    )


def map_to_current(rows: Iterable[RollupRow]) -> tuple[RollupRow, ...]:
    """Province rows under today's 34 units: each former unit's row added into the unit it merged into.

    Other rows pass unchanged; totals are preserved.

    >>> rows = [RollupRow(dimension="province", key="30", label="Hải Dương", former=True, value=5),
    ...         RollupRow(dimension="province", key="31", label="TP Hải Phòng", value=7)]
    >>> [(r.key, r.label, r.value) for r in map_to_current(rows)]
    [('31', 'TP Hải Phòng', 12)]
    """
    out = []
    for r in rows:
        if r.dimension == "province" and r.former:
            code = current_code_for_former(r.key)
            r = attrs.evolve(r, key=code, label=province(code).name, former=False)
        out.append(r)
    return _merge_rows(out)


def _to_former(rows: Iterable[RollupRow]) -> list[RollupRow]:
    """Person rows under the 63 former units, where a current unit is exactly one former unit."""
    out = []
    for r in rows:
        if r.dimension == "province" and not r.former and r.key not in (CENTRAL_KEY, "VN"):
            formed = province(r.key).formed_from
            if len(formed) == 1:
                code = next(f.code for f in former_provinces() if f.merged_into == r.key)
                r = attrs.evolve(r, key=code, label=formed[0], former=True)
            else:
                r = attrs.evolve(r, label=f"{r.label} (đơn vị từ 01/07/2025)")
        out.append(r)
    return out


def _place(rows: list[RollupRow], *, on: dt.date, units: Units, every: bool) -> tuple[RollupRow, ...]:
    former = units == "of_date" and on < MERGER_DATE
    if every:  # a zero row for every unit in force, so the table lists them all
        if former:
            rows = rows + [
                RollupRow(dimension="province", key=f.code, label=f.name, former=True)
                for f in former_provinces()
            ]
        else:
            rows = rows + [RollupRow(dimension="province", key=p.code, label=p.name) for p in provinces()]
    return _merge_rows(_to_former(rows)) if former else map_to_current(rows)


# -- the national report ----------------------------------------------------------------------------


def _count_text(counts: Sequence[int], lang: Literal["vi", "en"]) -> str:
    health_cards, social_books, tet_gifts = counts
    words = (
        {"health_cards": "thẻ BHYT", "social_books": "sổ BHXH", "tet_gifts": "suất quà Tết"}
        if lang == "vi"
        else {
            "health_cards": "health-insurance cards",
            "social_books": "social-insurance books",
            "tet_gifts": "Tết gifts",
        }
    )
    parts = [
        f"{format_count(n, lang)} {words[k]}"
        for k, n in (("health_cards", health_cards), ("social_books", social_books), ("tet_gifts", tet_gifts))
        if n
    ]
    joiner = " và " if lang == "vi" else " and "
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + joiner + parts[-1] if parts else ""


@attrs.frozen(kw_only=True)
class NationalReport:
    """Many campaigns' results as of one date (see :func:`national_report`)."""

    on: dt.date
    office: str
    """Who reports: "BHXH Việt Nam", or "BHXH <province>" when every campaign is one province's."""
    units: Units
    campaigns: tuple[str, ...]
    """The campaign codes rolled up, in the order given."""
    reports: tuple[CampaignReport, ...]
    """Each campaign's own report, in the same order."""
    values: tuple[PledgeValue, ...]
    """Every live pledge, valued."""
    sponsors: int
    """Sponsors with a live pledge (counted once per campaign)."""
    instalments: tuple[InstalmentStatus, ...]
    """Every scheduled payment of the live pledges, where it stands on :attr:`on`."""
    rows: tuple[RollupRow, ...]
    """Every breakdown, in :data:`NATIONAL_DIMENSIONS` order; aggregate rows after person rows."""

    def _sum(self, kind: ProductKind, *, delivered: bool = False) -> int:
        return sum(r.count(kind, delivered=delivered) for r in self.reports)

    def rows_for(self, dimension: str, *, backing: Backing | None = None) -> tuple[RollupRow, ...]:
        """The rows of one breakdown (of one backing, if given).

        Raises:
            InvalidValueError: not one of :data:`NATIONAL_DIMENSIONS`.
        """
        if dimension not in NATIONAL_DIMENSIONS:
            raise InvalidValueError("dimension", dimension, "one of " + ", ".join(NATIONAL_DIMENSIONS))
        return tuple(
            r for r in self.rows if r.dimension == dimension and (backing is None or r.backing is backing)
        )

    @property
    def mobilised(self) -> int:
        """Tổng kinh phí vận động: every live pledge's registered value, đồng."""
        return sum(v.registered for v in self.values)

    def registered(self, level: RegistrationLevel) -> int:
        """What was registered at one level, đồng."""
        return sum(v.registered for v in self.values if v.level is level)

    def totals(self) -> dict[str, int]:
        """The person-backed headline figures: each is the sum of the campaigns' own reports."""
        return {
            "campaigns": len(self.campaigns),
            "sponsors": self.sponsors,
            "mobilised": self.mobilised,
            "registered_central": self.registered(RegistrationLevel.CENTRAL),
            "registered_province": self.registered(RegistrationLevel.PROVINCE),
            "money": sum(v.money for v in self.values),
            "unit_value": sum(v.unit_value for v in self.values),
            "received": sum(r.received for r in self.reports),
            "health_cards": self._sum(ProductKind.HEALTH_CARD),
            "social_books": self._sum(ProductKind.SOCIAL_BOOK),
            "tet_gifts": self._sum(ProductKind.TET_GIFT),
            "value": sum(r.value for r in self.reports),
            "delivered_value": sum(r.delivered_value for r in self.reports),
            "people_covered": sum(r.people_covered for r in self.reports),
            "provinces": len({p for r in self.reports for p in r.provinces}),
            "instalments_due": self._outstanding(InstalmentState.DUE),
            "instalments_overdue": self._outstanding(InstalmentState.OVERDUE),
        }

    def _outstanding(self, state: InstalmentState) -> int:
        return sum(i.outstanding for i in self.instalments if i.state is state)

    def as_dict(self) -> dict[str, Any]:
        """Everything as plain data: date, office, units, campaigns, totals, rows."""
        return {
            "on": self.on.isoformat(),
            "office": self.office,
            "units": self.units,
            "campaigns": list(self.campaigns),
            "totals": self.totals(),
            "rows": [r.as_dict() for r in self.rows],
        }

    def summary_vi(self) -> str:
        """The result in the seeds' style: "Đến ngày 15/12, BHXH TP Hải Phòng đã vận động được …"."""
        t = self.totals()
        text = (
            f"Đến ngày {self.on.day}/{self.on.month}, {self.office} đã vận động được "
            f"{format_count(t['sponsors'])} đơn vị, doanh nghiệp và cá nhân tham gia ủng hộ "
            f"với tổng kinh phí {about_vnd(t['mobilised'])}"
        )
        if t["registered_central"] and t["registered_province"]:
            text += (
                f" (khối Trung ương {about_vnd(t['registered_central'])}, "
                f"địa phương {about_vnd(t['registered_province'])})"
            )
        text += "."
        delivered = [self._sum(k, delivered=True) for k in ProductKind]
        given = [self._sum(k) for k in ProductKind]
        where = f" tại {format_count(t['provinces'])} tỉnh, thành phố" if t["provinces"] > 1 else ""
        if any(delivered):
            value = sum(r.delivered_value for r in self.reports)
            text += (
                f" Từ nguồn kinh phí này, đã trao tặng {_count_text(delivered, 'vi')} cho người dân có "
                f"hoàn cảnh khó khăn{where}, tổng giá trị {about_vnd(value)}."
            )
        elif any(given):
            text += (
                f" Đã phân bổ {_count_text(given, 'vi')} cho {format_count(t['people_covered'])} người "
                f"có hoàn cảnh khó khăn{where}, tổng giá trị {about_vnd(t['value'])}."
            )
        if t["instalments_overdue"]:
            text += f" Các khoản tài trợ đã quá hạn nộp {format_vnd(t['instalments_overdue'])}."
        return text

    def summary_en(self) -> str:
        """The same summary in English."""
        t = self.totals()
        text = (
            f"As of {self.on.isoformat()}, {self.office} had mobilised {format_count(t['sponsors'], 'en')} "
            f"sponsors, {about_vnd(t['mobilised'], 'en')} in all"
        )
        if t["registered_central"] and t["registered_province"]:
            text += (
                f" ({about_vnd(t['registered_central'], 'en')} central, "
                f"{about_vnd(t['registered_province'], 'en')} provincial)"
            )
        given = [self._sum(k) for k in ProductKind]
        delivered = [self._sum(k, delivered=True) for k in ProductKind]
        if any(given):
            text += (
                f"; {_count_text(given, 'en')} for {format_count(t['people_covered'], 'en')} people, worth "
                f"{about_vnd(t['value'], 'en')} ({_count_text(delivered, 'en') or 'none'} delivered)"
            )
        return text + "."


def _office(states: Sequence[LedgerState]) -> str:
    codes = {s.campaign.province for s in states}
    if len(codes) == 1 and None not in codes:
        (code,) = codes
        assert code is not None
        return f"BHXH {province(code).name}"
    return _OFFICE_NATIONAL


def national_report(
    states: Iterable[LedgerState],
    *,
    on: dt.date,
    law: Law,
    units: Units = "current",
    aggregates: Iterable[AggregateRecord] = (),
    local_supports: Sequence[LocalSupport] = (),
    office: str | None = None,
    every_province: bool = False,
) -> NationalReport:
    """Roll up many campaigns' ledger states as of *on* (see the module docstring).

    Args:
        states: one state per campaign (campaign codes must differ).
        on: the report date.
        law: the law that values unit pledges.
        units: ``"current"``: every province row under today's 34 units; ``"of_date"``:
            under the units in force on *on* (the 63 former ones before 2025-07-01).
        aggregates: published totals to show beside the person rows, marked as such.
        local_supports: provincial top-ups pricing considers.
        office: who reports (default: "BHXH Việt Nam", or the one province's office).
        every_province: a row for every unit in force (the 34, or the 63 under ``units="of_date"``
            before 2025-07-01), zeros where nothing happened; otherwise only units with figures.

    Raises:
        InvalidValueError: a bad argument, two states of one campaign, or units the law cannot price.
    """
    check_date("on", on)
    if units not in ("current", "of_date"):
        raise InvalidValueError("units", units, "'current' or 'of_date'")
    items = tuple(states)
    records = tuple(aggregates)
    for s in items:
        if not isinstance(s, LedgerState):
            raise InvalidValueError("states", s, "LedgerState values (ledger.state)")
    for a in records:
        if not isinstance(a, AggregateRecord):
            raise InvalidValueError("aggregates", a, "AggregateRecord values")
    codes = [s.campaign.code for s in items]
    if len(set(codes)) != len(codes):
        raise InvalidValueError("states", sorted(codes), "one state per campaign (codes must differ)")
    reports: list[CampaignReport] = []
    values: list[PledgeValue] = []
    rows: list[RollupRow] = []
    instalments: list[InstalmentStatus] = []
    sponsors = 0
    for s in items:
        rep, vals, part = _campaign_part(s, on=on, law=law, local_supports=local_supports)
        reports.append(rep)
        values += vals
        rows += part
        sponsors += len({v.sponsor_id for v in vals})
        instalments += instalments_due(s, on=on)
    rows += [_aggregate_row(a) for a in records]
    return NationalReport(
        on=on,
        office=office or _office(items),
        units=units,
        campaigns=tuple(codes),
        reports=tuple(reports),
        values=tuple(values),
        sponsors=sponsors,
        instalments=tuple(instalments),
        rows=_place(rows, on=on, units=units, every=bool(every_province)),
    )
