"""Campaigns, sponsors and pledges: the programme itself.

Each year BHXH Việt Nam launches a plan (e.g. Kế hoạch 2716/KH-BHXH of
23/10/2025, "Tặng thẻ BHYT cho người có hoàn cảnh khó khăn, mang Tết ấm đến
với người nghèo Xuân Bính Ngọ"); sponsors register pledges of books, cards,
gifts or money; gifts are bought directly for named people.

>>> import datetime as dt
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026", lunar_year="Bính Ngọ",
...              plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31),
...              tet_dates=(dt.date(2026, 2, 16), dt.date(2026, 2, 22)))
>>> c.province is None
True
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from ansinh.core.products import ProductKind
from ansinh.core.provinces import province as _province
from ansinh.exceptions import InvalidValueError

__all__ = [
    "Campaign",
    "Earmark",
    "EarmarkKind",
    "Instalment",
    "Pledge",
    "Sponsor",
    "SponsorKind",
]


def _text(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attr.name, value, "a non-empty string")


def _opt_province(_inst: object, _attr: object, value: Any) -> None:
    if value is not None:
        _province(value)


def _date(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidValueError(attr.name, value, "a datetime.date")


def _non_negative_int(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attr.name, value, "a whole number >= 0 (money in whole đồng, never float)")


@attrs.frozen(kw_only=True)
class Campaign:
    """One year's programme (chương trình / kế hoạch)."""

    code: str = attrs.field(validator=_text)
    """Stable identifier, e.g. ``"BN2026"``."""
    name: str = attrs.field(validator=_text)
    lunar_year: str = ""
    """The lunar-year label, e.g. ``"Bính Ngọ"``."""
    plan_reference: str = ""
    """The plan document, e.g. ``"Kế hoạch 2716/KH-BHXH ngày 23/10/2025"``."""
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """``None`` for a national campaign, else the current province code."""
    start: dt.date = attrs.field(validator=_date)
    end: dt.date = attrs.field(validator=_date)
    tet_dates: tuple[dt.date, dt.date] | None = None
    """First and last day of the Tết holiday the campaign covers (for Tết gifts)."""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError("end", self.end, f"a date on or after start ({self.start})")
        if self.tet_dates is not None:
            a, b = self.tet_dates
            if b < a:
                raise InvalidValueError("tet_dates", self.tet_dates, "(first day, last day) in order")

    @property
    def is_national(self) -> bool:
        """Whether the campaign covers the whole country."""
        return self.province is None


class SponsorKind(enum.StrEnum):
    """Who gives (nhà tài trợ)."""

    ENTERPRISE = "enterprise"
    BANK = "bank"
    ORGANISATION = "organisation"
    RELIGIOUS = "religious"
    INDIVIDUAL = "individual"
    SECTOR_STAFF = "sector_staff"
    """The social-security sector's own staff (công chức, viên chức ngành BHXH)."""
    COMMUNE = "commune"
    """A commune government engaged directly."""


@attrs.frozen(kw_only=True)
class Sponsor:
    """A sponsor (nhà tài trợ)."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    kind: SponsorKind = attrs.field(converter=SponsorKind)
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the sponsor registered; ``None`` for central sponsors."""


class EarmarkKind(enum.StrEnum):
    """What a pledge is reserved for."""

    WORKERS_RELATIVES = "workers_relatives"
    """Relatives of a given enterprise's workers (``Earmark.target`` names the enterprise)."""
    CATEGORY = "category"
    """People in a category (``Earmark.target`` is a :class:`~ansinh.Category` value)."""
    MEMBERS = "members"
    """Members of an organisation or congregation (``Earmark.target`` names it)."""
    COMMUNE = "commune"
    """Residents of a commune (``Earmark.target`` names it)."""


@attrs.frozen(kw_only=True)
class Earmark:
    """A restriction on who a pledge may pay for."""

    kind: EarmarkKind = attrs.field(converter=EarmarkKind)
    target: str = attrs.field(validator=_text)
    label: str = ""
    """Human wording, e.g. "thân nhân người lao động Công ty X"."""


@attrs.frozen(kw_only=True)
class Instalment:
    """A scheduled payment of a money pledge."""

    due: dt.date = attrs.field(validator=_date)
    amount: int = attrs.field(validator=_non_negative_int)


@attrs.frozen(kw_only=True)
class Pledge:
    """What a sponsor registers (đăng ký tài trợ): units and/or money.

    ``units`` maps a product kind to a number of gifts; ``money`` is whole
    đồng.  A pledge with units pays for exactly that many gifts of that kind;
    money buys gifts by priority.
    """

    id: str = attrs.field(validator=_text)
    sponsor_id: str = attrs.field(validator=_text)
    units: tuple[tuple[ProductKind, int], ...] = ()
    """``((ProductKind.HEALTH_CARD, 10),)`` for "10 cards"."""
    money: int = attrs.field(default=0, validator=_non_negative_int)
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the gifts must go; ``None``: anywhere in the campaign's scope."""
    earmark: Earmark | None = None
    strategy: str = ""
    """The sourcing strategy the pledge came from (plugin strategy name), if any."""
    card_months: int = 12
    """Months of each card this pledge buys (3, 6 or 12)."""
    book_months: int = 12
    """Months of each book this pledge buys."""
    instalments: tuple[Instalment, ...] = ()

    def __attrs_post_init__(self) -> None:
        for kind, count in self.units:
            if (
                not isinstance(kind, ProductKind)
                or isinstance(count, bool)
                or not isinstance(count, int)
                or count < 0
            ):
                raise InvalidValueError("units", self.units, "pairs (ProductKind, whole number >= 0)")
        if not self.units and self.money == 0:
            raise InvalidValueError("money", self.money, "a pledge needs units or money (or both)")
        if self.instalments and sum(i.amount for i in self.instalments) != self.money:
            raise InvalidValueError(
                "instalments", self.instalments, f"amounts adding up to money={self.money}"
            )

    def units_of(self, kind: ProductKind) -> int:
        """How many gifts of *kind* the pledge names."""
        return sum(n for k, n in self.units if k is kind)
