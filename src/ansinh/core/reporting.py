"""Campaign results from the ledger alone: totals, breakdowns, the renewal list, a summary.

:func:`report` reads a :class:`~ansinh.core.state.LedgerState` and returns a
:class:`CampaignReport`: money pledged, received, committed and paid out;
gifts and their value by province, product, sponsor kind, sourcing strategy,
purchase year and pledge; people covered and the cost per person; what is
left; and the gifts that expire soon (the renewal list).  Its
:meth:`~CampaignReport.summary_vi` writes the sentence a yearly report
carries ("… trao tặng 1.896 thẻ BHYT và 143 sổ BHXH … tổng giá trị hơn 1,61 tỷ
đồng").

Counted gifts are the active ones (allocated, paid or delivered); cancelled
and refunded gifts count nowhere.  "Trao tặng" (handed over) counts delivered
gifts only.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign
>>> from ansinh.core.ledger import Ledger
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> import ansinh
>>> r = report(Ledger(c, law=ansinh.default_law()).state, on=dt.date(2026, 1, 31))
>>> r.people_covered, r.value
(0, 0)
>>> about_vnd(1_612_000_000), about_vnd(599_996_000), about_vnd(52_500_000_000)
('hơn 1,61 tỷ đồng', 'gần 600 triệu đồng', '52,5 tỷ đồng')
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from fractions import Fraction
from itertools import compress
from typing import Any, ClassVar, Final, Literal, TypeAlias

import attrs

from ansinh.core._gift_facts import Counted, GiftFacts
from ansinh.core.campaign import Campaign, Gift, GiftStatus
from ansinh.core.dates import add_days, check_date, format_date
from ansinh.core.display import Section, html_summary
from ansinh.core.handover import Handover, HandoverRow, handover_rows
from ansinh.core.ledger import LedgerState, PledgeBalance
from ansinh.core.money import format_vnd, format_vnd_short, round_half_up
from ansinh.core.products import HospitalLevel, ProductKind, TetGift
from ansinh.core.provinces import province as _province
from ansinh.core.tables import Tabular
from ansinh.exceptions import InvalidValueError

__all__ = [
    "DIMENSIONS",
    "CampaignReport",
    "RenewalItem",
    "ReportRow",
    "about_vnd",
    "format_count",
    "report",
]

DIMENSIONS: Final = (
    "province",
    "product",
    "sponsor_kind",
    "strategy",
    "year",
    "pledge",
    "hospital_level",
    "hospital",
)
"""The breakdowns a report has, in this order (the last two count Tết gifts only, by the hospital they name)."""

_DIMENSION_LABELS: Final = {
    "province": ("Tỉnh, thành phố", "Province"),
    "product": ("Loại quà", "Product"),
    "sponsor_kind": ("Loại nhà tài trợ", "Sponsor kind"),
    "strategy": ("Cách huy động", "Sourcing strategy"),
    "year": ("Năm mua", "Purchase year"),
    "pledge": ("Khoản tài trợ", "Pledge"),
    "hospital_level": ("Tuyến bệnh viện (quà Tết)", "Hospital level (Tết gifts)"),
    "hospital": ("Bệnh viện (quà Tết)", "Hospital (Tết gifts)"),
}

_SHORT_VI: Final = {
    ProductKind.HEALTH_CARD: "thẻ BHYT",
    ProductKind.SOCIAL_BOOK: "sổ BHXH",
    ProductKind.TET_GIFT: "suất quà Tết",
}
_SHORT_EN: Final = {
    ProductKind.HEALTH_CARD: ("health-insurance card", "health-insurance cards"),
    ProductKind.SOCIAL_BOOK: ("social-insurance book", "social-insurance books"),
    ProductKind.TET_GIFT: ("Tết gift", "Tết gifts"),
}

_Money: TypeAlias = dict[str, tuple[int, int, int]]

DIRECT_STRATEGY: Final = ""
"""The strategy key of pledges registered directly (no sourcing strategy)."""


def format_count(n: int, lang: Literal["vi", "en"] = "vi") -> str:
    """A count with thousands separators, as a report writes it.

    >>> format_count(185055), format_count(185055, "en")
    ('185.055', '185,055')
    """
    text = f"{n:,}"
    return text if lang == "en" else text.replace(",", ".")


def about_vnd(amount: int, lang: Literal["vi", "en"] = "vi") -> str:
    """A large amount in words, prefixed "hơn" / "gần" when the short form rounds it down / up.

    >>> about_vnd(22_051_000_000, "en")
    'over VND 22.05 billion'
    >>> about_vnd(590_000_000)
    '590 triệu đồng'
    """
    text = format_vnd_short(amount, lang)
    value = abs(amount)
    for size in (10**9, 10**6, 10**3):
        if value >= size:
            exact = Fraction(value * 100, size)
            shown = round_half_up(exact)
            if shown == exact:
                return text
            if shown < exact:
                return ("over " if lang == "en" else "hơn ") + text
            return ("nearly " if lang == "en" else "gần ") + text
    return text


@attrs.frozen(kw_only=True)
class ReportRow:
    """One line of a breakdown: gifts, value and people for one key of one dimension."""

    dimension: str
    """One of :data:`DIMENSIONS`."""
    key: str
    """The stable key (province code, product kind, sponsor kind, strategy, year, pledge id)."""
    label: str
    """What a reader sees (province name, product name …)."""
    health_cards: int = 0
    social_books: int = 0
    tet_gifts: int = 0
    value: int = 0
    """What the pledges pay for these gifts, đồng."""
    people: int = 0
    """Distinct people these gifts go to."""
    pledged: int = 0
    """Money pledged (sponsor-kind, strategy and pledge rows only)."""
    received: int = 0
    """Money received (sponsor-kind, strategy and pledge rows only)."""
    spent: int = 0
    """Money paid out for gifts (sponsor-kind, strategy and pledge rows only)."""

    @property
    def gifts(self) -> int:
        """All gifts of the row."""
        return self.health_cards + self.social_books + self.tet_gifts

    def as_dict(self) -> dict[str, Any]:
        """The row as a plain dict (what CSV files hold)."""
        return {
            "dimension": self.dimension,
            "key": self.key,
            "label": self.label,
            "health_cards": self.health_cards,
            "social_books": self.social_books,
            "tet_gifts": self.tet_gifts,
            "gifts": self.gifts,
            "value": self.value,
            "people": self.people,
            "pledged": self.pledged,
            "received": self.received,
            "spent": self.spent,
        }


@attrs.frozen(kw_only=True)
class RenewalItem:
    """A card or book that ends soon: someone to offer a renewal to."""

    gift_id: str
    person_id: str
    province: str
    kind: ProductKind
    valid_until: dt.date
    days_left: int
    pledge_id: str


@attrs.frozen(kw_only=True)
class CampaignReport(Tabular):
    """A campaign's results on a date, computed from the ledger alone (see :func:`report`).

    ``to_arrow()``, ``to_pandas()``, ``to_polars()``: one row per breakdown row
    (:meth:`records`; filter on ``dimension``).
    """

    TABLE_COLUMNS: ClassVar[tuple[str, ...]] = (
        "dimension", "key", "label", "health_cards", "social_books", "tet_gifts", "gifts", "value", "people",
        "pledged", "received", "spent",
    )  # fmt: skip

    campaign: Campaign
    on: dt.date
    """The date of the report (for the renewal list)."""
    sponsors: int
    pledges: int
    """Pledges not withdrawn."""
    pledged_money: int
    pledged_units: tuple[tuple[ProductKind, int], ...]
    received: int
    committed: int
    """Money committed to active gifts paid by pledges' money."""
    spent: int
    """Money paid out for gifts."""
    leftover: int
    """Money received and not paid out (never lost: it stays with its pledge)."""
    uncommitted: int
    """Pledged money no active gift uses yet."""
    gifts: tuple[tuple[ProductKind, int], ...]
    """Active gifts by kind."""
    delivered: tuple[tuple[ProductKind, int], ...]
    """Delivered gifts by kind."""
    by_status: tuple[tuple[GiftStatus, int], ...]
    value: int
    """Value of the active gifts (what the pledges pay), đồng."""
    delivered_value: int
    people_covered: int
    """Distinct people holding an active gift."""
    provinces: tuple[str, ...]
    """Codes of the provinces gifts go to."""
    rows: tuple[ReportRow, ...]
    """Every breakdown, in :data:`DIMENSIONS` order."""
    expiring: tuple[RenewalItem, ...]
    """Cards and books ending within the renewal window, soonest first."""
    renewal_days: int
    handovers: tuple[HandoverRow, ...] = ()
    """What each handover ceremony handed over (:func:`~ansinh.core.handover.handover_rows`), in date order."""

    @property
    def cost_per_person(self) -> int:
        """Average value per person covered (round half up), 0 when no one is."""
        return round_half_up(Fraction(self.value, self.people_covered)) if self.people_covered else 0

    def count(self, kind: ProductKind, *, delivered: bool = False) -> int:
        """Active (or delivered) gifts of *kind*."""
        return sum(n for k, n in (self.delivered if delivered else self.gifts) if k is kind)

    @property
    def pending(self) -> tuple[tuple[ProductKind, int], ...]:
        """Gifts allocated (or paid) and not yet handed over, by kind: :attr:`gifts` less :attr:`delivered`."""
        counts = ((k, self.count(k) - self.count(k, delivered=True)) for k in ProductKind)
        return tuple((k, n) for k, n in counts if n)

    @property
    def pending_value(self) -> int:
        """Value of the gifts allocated and not yet handed over, đồng (:attr:`value` less ``delivered_value``)."""
        return self.value - self.delivered_value

    def rows_for(self, dimension: str) -> tuple[ReportRow, ...]:
        """The rows of one breakdown.

        Raises:
            InvalidValueError: not one of :data:`DIMENSIONS`.
        """
        if dimension not in DIMENSIONS:
            raise InvalidValueError("dimension", dimension, "one of " + ", ".join(DIMENSIONS))
        return tuple(r for r in self.rows if r.dimension == dimension)

    def totals(self) -> dict[str, int]:
        """The headline figures as a plain dict."""
        return {
            "sponsors": self.sponsors,
            "pledges": self.pledges,
            "pledged_money": self.pledged_money,
            "received": self.received,
            "committed": self.committed,
            "spent": self.spent,
            "leftover": self.leftover,
            "uncommitted": self.uncommitted,
            "health_cards": self.count(ProductKind.HEALTH_CARD),
            "social_books": self.count(ProductKind.SOCIAL_BOOK),
            "tet_gifts": self.count(ProductKind.TET_GIFT),
            "value": self.value,
            "delivered_value": self.delivered_value,
            "people_covered": self.people_covered,
            "cost_per_person": self.cost_per_person,
            "provinces": len(self.provinces),
            "expiring_soon": len(self.expiring),
        }

    def as_dict(self) -> dict[str, Any]:
        """Everything as plain data: campaign, totals, rows, renewal list."""
        return {
            "campaign": {"code": self.campaign.code, "name": self.campaign.name},
            "on": self.on.isoformat(),
            "totals": self.totals(),
            "rows": [r.as_dict() for r in self.rows],
            "expiring": [
                {
                    "gift_id": x.gift_id,
                    "person_id": x.person_id,
                    "province": x.province,
                    "kind": x.kind.value,
                    "valid_until": x.valid_until.isoformat(),
                    "days_left": x.days_left,
                    "pledge_id": x.pledge_id,
                }
                for x in self.expiring
            ],
            "handovers": [row.as_dict() for row in self.handovers],
        }

    def records(self) -> list[dict[str, object]]:
        """Every breakdown row as a plain dict (what ``report.csv`` holds)."""
        return [r.as_dict() for r in self.rows]

    def __repr__(self) -> str:
        gifts = sum(n for _k, n in self.gifts)
        return (
            f"CampaignReport({self.campaign.code!r} on {self.on.isoformat()}: {gifts} gifts for "
            f"{self.people_covered} people in {len(self.provinces)} provinces, value={self.value}, "
            f"received={self.received}, {len(self.rows)} breakdown rows, {len(self.expiring)} expiring)"
        )

    def _repr_html_(self) -> str:
        money = {"pledged_money", "received", "committed", "spent", "leftover", "uncommitted", "value"}
        totals = [
            (k, format_vnd(v) if k in money | {"delivered_value", "cost_per_person"} else v)
            for k, v in self.totals().items()
        ]
        head = ("", "cards", "books", "Tết gifts", "value", "people")
        sections = [
            Section(
                f"by {dimension}",
                head,
                [
                    (r.label, r.health_cards, r.social_books, r.tet_gifts, format_vnd(r.value), r.people)
                    for r in self.rows_for(dimension)
                ],
            )
            for dimension in DIMENSIONS
        ]
        expiring = [
            (x.person_id, x.kind.value, x.valid_until.isoformat(), x.days_left) for x in self.expiring
        ]
        sections.append(Section("expiring soon", ("person", "gift", "valid until", "days left"), expiring))
        return html_summary(
            f"CampaignReport {self.campaign.code} — {self.campaign.name} (on {self.on.isoformat()})",
            [("summary", self.summary_en()), *totals],
            sections,
        )

    def hospitals_text(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Where the Tết gifts went, as a report says it ("tại Bệnh viện Việt Đức, Nhi Trung ương");
        ``""`` when no Tết gift names a hospital.

        Central hospitals come first, then provincial and district ones; in a
        level, the hospital with more gifts first.
        """
        names = [r.label for r in self.rows_for("hospital")]
        if not names:
            return ""
        if lang == "en":
            return "at " + ", ".join(names)
        prefix = "Bệnh viện "
        short = [n[len(prefix) :] for n in names if n.startswith(prefix) and len(n) > len(prefix)]
        other = [n for n in names if not (n.startswith(prefix) and len(n) > len(prefix))]
        parts = ([prefix + ", ".join(short)] if short else []) + other
        return "tại " + ", ".join(parts)

    def _kinds_text(
        self, counts: tuple[tuple[ProductKind, int], ...], lang: Literal["vi", "en"], *, money: int = 0
    ) -> str:
        parts = []
        for kind in ProductKind:
            n = sum(c for k, c in counts if k is kind)
            if n:
                if lang == "en":
                    one, many = _SHORT_EN[kind]
                    parts.append(f"{format_count(n, 'en')} {one if n == 1 else many}")
                else:
                    parts.append(f"{format_count(n)} {_SHORT_VI[kind]}")
        if money:
            parts.append(about_vnd(money, lang))
        joiner = " and " if lang == "en" else " và "
        if len(parts) <= 1:
            return "".join(parts)
        return ", ".join(parts[:-1]) + joiner + parts[-1]

    def _gifts_vi(self) -> list[str]:
        """The sentences on gifts: handed over, then allocated and not yet handed over, each with its value."""
        where = f" tại {len(self.provinces)} tỉnh, thành phố" if len(self.provinces) > 1 else ""
        pending = self._kinds_text(self.pending, "vi")
        if not self.gifts:
            return ["Chưa có suất quà nào được phân bổ."]
        if not self.delivered:
            return [
                f"Đã phân bổ {self._kinds_text(self.gifts, 'vi')} cho "
                f"{format_count(self.people_covered)} người có hoàn cảnh khó khăn{where}, "
                f"tổng giá trị {about_vnd(self.value)}; chưa trao suất nào."
            ]
        out = [
            f"Từ nguồn kinh phí này đã trao tặng {self._kinds_text(self.delivered, 'vi')} "
            f"cho người dân có hoàn cảnh khó khăn{where}, tổng giá trị {about_vnd(self.delivered_value)}"
            + (f"; {pending} ({about_vnd(self.pending_value)}) đã phân bổ, chưa trao." if pending else ".")
        ]
        if pending:
            out.append(
                f"Tổng số đã phân bổ, kể cả đã trao: {self._kinds_text(self.gifts, 'vi')}, "
                f"tổng giá trị {about_vnd(self.value)}."
            )
        return out

    def _gifts_en(self) -> str:
        """The English sentences on gifts: delivered, then allocated and not yet delivered."""
        if not self.gifts:
            return " No gift allocated yet."
        delivered = self._kinds_text(self.delivered, "en")
        pending = self._kinds_text(self.pending, "en")
        text = (
            f" Delivered: {delivered}, worth {about_vnd(self.delivered_value, 'en')}"
            if delivered
            else " Delivered: none"
        )
        if pending:
            text += f"; allocated, not yet delivered: {pending} ({about_vnd(self.pending_value, 'en')})"
        return text + (
            f". In all, delivered or not: {self._kinds_text(self.gifts, 'en')} allocated for "
            f"{format_count(self.people_covered, 'en')} people in {len(self.provinces)} province(s), "
            f"worth {about_vnd(self.value, 'en')}."
        )

    def summary_vi(self) -> str:
        """The result in one Vietnamese paragraph, in the style of BHXH Việt Nam's reports."""
        c = self.campaign
        head = f"Đến ngày {format_date(self.on)}, chương trình “{c.name}”"
        if c.plan_reference:
            head += f" ({c.plan_reference})"
        out = [head + f": {format_count(self.sponsors)} đơn vị, doanh nghiệp và cá nhân đăng ký tài trợ"]
        pledged = self._kinds_text(self.pledged_units, "vi", money=self.pledged_money)
        if pledged:
            out[0] += " " + pledged
        out[0] += f"; đã tiếp nhận {about_vnd(self.received)}." if self.received else "."
        out += self._gifts_vi()
        if self.people_covered:
            out.append(
                f"Bình quân {format_vnd(self.cost_per_person)} cho mỗi người được hỗ trợ "
                f"({format_count(self.people_covered)} người)."
            )
        if self.leftover > 0:
            out.append(
                f"Số tiền đã nhận chưa sử dụng: {format_vnd(self.leftover)}, được giữ lại theo từng khoản tài trợ."
            )
        if self.expiring:
            out.append(
                f"{format_count(len(self.expiring))} thẻ, sổ sẽ hết hạn trong {self.renewal_days} ngày tới, "
                f"cần vận động gia hạn."
            )
        return " ".join(out)

    def summary_en(self) -> str:
        """The same summary in English."""
        c = self.campaign
        text = f"As of {format_date(self.on, 'en')}, campaign “{c.name}”: {format_count(self.sponsors, 'en')} sponsors pledged"
        pledged = self._kinds_text(self.pledged_units, "en", money=self.pledged_money)
        text += (" " + pledged) if pledged else " nothing"
        text += f"; {about_vnd(self.received, 'en')} received." if self.received else "."
        text += self._gifts_en()
        if self.leftover > 0:
            text += f" {format_vnd(self.leftover, 'en')} received is not yet spent."
        return text


def _province_label(code: str) -> str:
    try:
        return _province(code).name
    except InvalidValueError:
        return code


def _rows(
    dimension: str,
    counted: tuple[Counted, Counter[str]],
    label_of: Callable[[str], str],
    money: _Money | None = None,
) -> list[ReportRow]:
    """One row per key (sorted) of *counted* and of *money*.

    *counted* holds the gifts by (key, kind, amount) and the repeated
    gifts of each key (:meth:`GiftFacts.by_column`): the number and value of
    the gifts by key and kind follow, and their people are the gifts less
    the repeated ones.
    """
    by_key, repeated = counted
    counts: Counter[tuple[str, ProductKind]] = Counter()
    gifts: Counter[str] = Counter()
    values: Counter[str] = Counter()
    for (key, kind, amount), n in by_key.items():
        counts[key, kind] += n
        gifts[key] += n
        values[key] += amount * n
    money = money or {}
    rows = []
    for key in sorted(values.keys() | money.keys()):
        pledged, received, spent = money.get(key, (0, 0, 0))
        rows.append(
            ReportRow(
                dimension=dimension,
                key=key,
                label=label_of(key),
                health_cards=counts[key, ProductKind.HEALTH_CARD],
                social_books=counts[key, ProductKind.SOCIAL_BOOK],
                tet_gifts=counts[key, ProductKind.TET_GIFT],
                value=values[key],
                people=gifts[key] - repeated[key],
                pledged=pledged,
                received=received,
                spent=spent,
            )
        )
    return rows


def _kinds(kinds: Iterable[ProductKind]) -> tuple[tuple[ProductKind, int], ...]:
    counts = Counter(kinds)
    return tuple((k, counts[k]) for k in ProductKind if k in counts)


def _money_by(balances: Iterable[PledgeBalance], key_of: Callable[[PledgeBalance], str]) -> _Money:
    """Money pledged, received and spent, by a key of the pledge."""
    out: _Money = {}
    for b in balances:
        key = key_of(b)
        p, r, s = out.get(key, (0, 0, 0))
        out[key] = (p + b.pledge.money, r + b.received, s + b.spent)
    return out


def _breakdowns(state: LedgerState, facts: GiftFacts, balances: list[PledgeBalance]) -> tuple[ReportRow, ...]:
    """Every breakdown of the gifts of *facts*, in :data:`DIMENSIONS` order.

    All but the province and hospital breakdowns key a gift by its pledge,
    purchase date or kind: they count the gifts' :meth:`~GiftFacts.classes`.
    """
    pledge_of = {b.pledge.id: b for b in state.pledges}
    classes = facts.classes()
    of_pledge = {pledge_id: pledge_of[pledge_id] for pledge_id, _, _, _ in classes}
    sponsor_kinds = {pledge_id: b.sponsor.kind.value for pledge_id, b in of_pledge.items()}
    strategies = {pledge_id: b.pledge.strategy for pledge_id, b in of_pledge.items()}
    years = {day: str(day.year) for _, day, _, _ in classes}
    rows: list[ReportRow] = []
    rows += _rows("province", facts.by_column(facts.provinces), _province_label)
    rows += _rows(
        "product", facts.by_class(classes, lambda p, d, k: k.value), lambda k: ProductKind(k).label_vi
    )
    rows += _rows(
        "sponsor_kind",
        facts.by_class(classes, lambda p, d, k: sponsor_kinds[p]),
        _sponsor_label,
        _money_by(balances, lambda b: b.sponsor.kind.value),
    )
    rows += _rows(
        "strategy",
        facts.by_class(classes, lambda p, d, k: strategies[p]),
        lambda k: k or "vận động trực tiếp",
        _money_by(balances, lambda b: b.pledge.strategy),
    )
    rows += _rows("year", facts.by_class(classes, lambda p, d, k: years[d]), str)
    rows += _rows(
        "pledge",
        facts.by_class(classes, lambda p, d, k: p),
        lambda k: f"{k} — {pledge_of[k].sponsor.name}",
        _money_by(balances, lambda b: b.pledge.id),
    )
    rows += _hospital_rows(facts)
    return tuple(rows)


_LEVEL_ORDER: Final = {level.value: n for n, level in enumerate(HospitalLevel)}
_NO_LEVEL: Final = "unknown"


def _level_key(g: Gift) -> str:
    level = g.product.hospital_level if isinstance(g.product, TetGift) else None
    return _NO_LEVEL if level is None else level.value


def _level_label(key: str) -> str:
    return "chưa rõ tuyến" if key == _NO_LEVEL else HospitalLevel(key).label_vi


def _level_rank(key: str) -> int:
    return _LEVEL_ORDER.get(key, len(_LEVEL_ORDER))


def _hospital(g: Gift) -> str:
    return g.product.hospital if isinstance(g.product, TetGift) else ""


def _hospital_rows(active: GiftFacts) -> list[ReportRow]:
    """The Tết gifts by hospital level (central, province, district, not known), then by named hospital
    (central ones first; in a level, more gifts first)."""
    tet = active.where([kind is ProductKind.TET_GIFT for kind in active.kinds])
    levels = sorted(
        _rows("hospital_level", tet.by_column([_level_key(g) for g in tet.gifts]), _level_label),
        key=lambda r: _level_rank(r.key),
    )
    named = tet.where([bool(_hospital(g)) for g in tet.gifts])
    level_of = {_hospital(g): _level_key(g) for g in named.gifts}
    hospitals = sorted(
        _rows("hospital", named.by_column([_hospital(g) for g in named.gifts]), str),
        key=lambda r: (_level_rank(level_of[r.key]), -r.tet_gifts, r.key),
    )
    return levels + hospitals


def _expiring(active: Iterable[Gift], on: dt.date, renewal_days: int) -> tuple[RenewalItem, ...]:
    """Cards and books whose last covered day falls from *on* to *on* + *renewal_days*, soonest first.

    Gifts covering the same months from the same day end on the same day:
    :attr:`Gift.valid_until <ansinh.core.campaign.Gift.valid_until>` is read
    once per (first day, months).
    """
    horizon = add_days(on, renewal_days)  # clamped: a report dated near 9999-12-31 does not overflow
    ends: dict[tuple[dt.date | None, int], dt.date | None] = {}
    items = []
    for g in active:
        period = (g.covers_from, g.product.months)
        if period in ends:
            until = ends[period]
        else:
            until = ends[period] = g.valid_until
        if until is not None and on <= until <= horizon:
            items.append(
                RenewalItem(
                    gift_id=g.id,
                    person_id=g.person_id,
                    province=g.province,
                    kind=g.kind,
                    valid_until=until,
                    days_left=(until - on).days,
                    pledge_id=g.pledge_id,
                )
            )
    items.sort(key=lambda x: (x.valid_until, x.person_id, x.gift_id))
    return tuple(items)


def _check_arguments(state: object, on: object, renewal_days: object) -> None:
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    check_date("on", on)
    if isinstance(renewal_days, bool) or not isinstance(renewal_days, int) or renewal_days < 0:
        raise InvalidValueError("renewal_days", renewal_days, "a whole number of days >= 0")


def report(
    state: LedgerState, *, on: dt.date, renewal_days: int = 60, handovers: Iterable[Handover] = ()
) -> CampaignReport:
    """The campaign's results on *on*, from the ledger state alone.

    Only what happened on or before *on* counts (:meth:`LedgerState.as_of
    <ansinh.core.state.LedgerState.as_of>`): a report as of a date equals
    the report of a ledger that holds only the events dated on or before it.

    Args:
        state: the ledger's state.
        on: the report date; the renewal list holds cards and books whose last
            covered day falls from *on* to *on* + *renewal_days*.
        renewal_days: the renewal window, in days.
        handovers: the campaign's handover ceremonies; the report lists what
            each handed over by *on* (:attr:`CampaignReport.handovers`).

    Raises:
        InvalidValueError: a bad argument.
    """
    _check_arguments(state, on, renewal_days)
    state = state.as_of(on)
    balances = [b for b in state.pledges if not b.withdrawn]
    active_statuses = {s for s in GiftStatus if s.is_active}  # the rule read once per status, not per gift
    active = GiftFacts([g for g in state.gifts if g.status in active_statuses])
    delivered = [g.status is GiftStatus.DELIVERED for g in active.gifts]
    units: dict[ProductKind, int] = {}
    for b in balances:
        for kind, n in b.pledge.units:
            units[kind] = units.get(kind, 0) + n
    status_counts = Counter(g.status for g in state.gifts)
    received = sum(b.received for b in state.pledges)
    spent = sum(b.spent for b in state.pledges)
    return CampaignReport(
        campaign=state.campaign,
        on=on,
        sponsors=len({b.sponsor.id for b in balances}),
        pledges=len(balances),
        pledged_money=sum(b.pledge.money for b in balances),
        pledged_units=tuple((k, units[k]) for k in ProductKind if units.get(k)),
        received=received,
        committed=sum(b.committed for b in state.pledges),
        spent=spent,
        leftover=received - spent,
        uncommitted=sum(b.money_left for b in balances),
        gifts=_kinds(active.kinds),
        delivered=_kinds(compress(active.kinds, delivered)),
        by_status=tuple((s, status_counts[s]) for s in GiftStatus if s in status_counts),
        value=sum(active.amounts),
        delivered_value=sum(compress(active.amounts, delivered)),
        people_covered=len(set(active.persons)),
        provinces=tuple(sorted(set(active.provinces))),
        rows=_breakdowns(state, active, balances),
        expiring=_expiring(active.gifts, on, renewal_days),
        renewal_days=renewal_days,
        handovers=handover_rows(state, handovers),
    )


def _sponsor_label(kind: str) -> str:
    from ansinh.core.campaign import SponsorKind

    try:
        return SponsorKind(kind).label_vi
    except ValueError:
        return kind
