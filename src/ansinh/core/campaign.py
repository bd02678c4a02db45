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
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ansinh.core.dates import add_months, is_date
from ansinh.core.labels import Code, Labelled
from ansinh.core.people import Category, Person, to_categories
from ansinh.core.pricing import Quote
from ansinh.core.products import MAX_MONTHS, Product, ProductKind
from ansinh.core.validators import date as _date
from ansinh.core.validators import (
    day,
    instance_of,
    names_ok,
    optional_former_province,
    optional_non_negative_int,
    optional_text,
)
from ansinh.core.validators import non_empty_text as _text
from ansinh.core.validators import non_negative_int as _non_negative_int
from ansinh.core.validators import optional_province as _opt_province
from ansinh.core.validators import province as _province
from ansinh.core.validators import whole_number as _whole_number
from ansinh.exceptions import InvalidValueError

__all__ = [
    "Beneficiary",
    "Campaign",
    "Earmark",
    "EarmarkKind",
    "Funding",
    "Gift",
    "GiftStatus",
    "Instalment",
    "LocalSponsorKind",
    "Pledge",
    "Sponsor",
    "SponsorKind",
    "earmark_matches",
    "month_index",
]


def _categories(value: Any) -> frozenset[Category]:
    return to_categories(value, error=InvalidValueError)


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
    parent: str | None = attrs.field(default=None, validator=optional_text)
    """The code of the campaign this one is part of (a province's under the national one), or ``None``."""
    purchase_date: dt.date | None = attrs.field(default=None, validator=day(optional=True))
    """The date unit pledges are valued at before allocation (``None``: :attr:`start`)."""

    def __attrs_post_init__(self) -> None:
        if self.parent == self.code:
            raise InvalidValueError("parent", self.parent, f"the code of another campaign than {self.code!r}")
        if self.end < self.start:
            raise InvalidValueError("end", self.end, f"a date on or after start ({self.start})")
        if self.tet_dates is not None:
            if not (
                isinstance(self.tet_dates, tuple)
                and len(self.tet_dates) == 2
                and all(map(is_date, self.tet_dates))
            ):
                raise InvalidValueError(
                    "tet_dates", self.tet_dates, "(first day, last day) as two datetime.date"
                )
            a, b = self.tet_dates
            if b < a:
                raise InvalidValueError("tet_dates", self.tet_dates, "(first day, last day) in order")

    @property
    def is_national(self) -> bool:
        """Whether the campaign covers the whole country."""
        return self.province is None


class SponsorKind(Labelled):
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
    OTHER = "other"
    """A kind a province adds through a plugin (:class:`LocalSponsorKind`); ``Sponsor.local_kind`` names it."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each kind's ``(Vietnamese, English)`` label."""
        return _SPONSOR_LABELS


_SPONSOR_LABELS = {
    "enterprise": ("doanh nghiệp", "enterprise"),
    "bank": ("ngân hàng", "bank"),
    "organisation": ("tổ chức, đoàn thể", "organisation"),
    "religious": ("tổ chức tôn giáo", "religious body"),
    "individual": ("cá nhân, nhà hảo tâm", "individual"),
    "sector_staff": ("công chức, viên chức ngành BHXH", "social-security staff"),
    "commune": ("chính quyền cấp xã", "commune government"),
    "other": ("loại khác (tỉnh bổ sung)", "other (added by a province)"),
}


def _kind_code(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, str)
        or not value
        or not all(c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in value)
        or value in {k.value for k in SponsorKind}
    ):
        raise InvalidValueError(
            attr.name,
            value,
            "a new code of lower-case ASCII letters, digits and _, not a built-in sponsor kind",
        )


def _aliases(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("aliases", value, "a tuple of non-empty strings")
    out = tuple(value)
    if not all(isinstance(a, str) and a.strip() for a in out):
        raise InvalidValueError("aliases", value, "a tuple of non-empty strings")
    return out


@attrs.frozen(kw_only=True)
class LocalSponsorKind:
    """A sponsor kind a province adds through the ``ansinh_sponsor_kinds`` hook (e.g. cooperatives).

    >>> LocalSponsorKind(code="hop_tac_xa", label_vi="hợp tác xã", label_en="cooperative",
    ...                  aliases=("htx",)).code
    'hop_tac_xa'
    """

    code: str = attrs.field(validator=_kind_code)
    """Stable code, stored as ``Sponsor.local_kind``."""
    label_vi: str = attrs.field(validator=_text)
    label_en: str = attrs.field(validator=_text)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_aliases)
    """Other ways sponsor files write it ("htx")."""


def _sponsor_kind(value: Any) -> SponsorKind:
    try:
        return SponsorKind(value)
    except ValueError:
        raise InvalidValueError(
            "kind", value, "one of " + ", ".join(k.value for k in SponsorKind) + " (a plugin adds others)"
        ) from None


@attrs.frozen(kw_only=True)
class Sponsor:
    """A sponsor (nhà tài trợ)."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    kind: SponsorKind = attrs.field(converter=_sponsor_kind)
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the sponsor registered; ``None`` for central sponsors."""
    local_kind: str = ""
    """With ``kind=SponsorKind.OTHER``: the code of the :class:`LocalSponsorKind` a plugin added."""

    def __attrs_post_init__(self) -> None:
        if (self.kind is SponsorKind.OTHER) != bool(self.local_kind):
            raise InvalidValueError(
                "local_kind", self.local_kind, "a plugin's kind code exactly when kind is 'other'"
            )

    @property
    def kind_key(self) -> str:
        """The kind reports group by: the local kind's code, else the built-in kind's value."""
        return self.local_kind or self.kind.value


class EarmarkKind(Code):
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
    card_months: int = attrs.field(default=12, validator=_whole_number(1, MAX_MONTHS))
    """Months of each card this pledge buys (the law of the purchase date allows 3, 6 or 12)."""
    book_months: int = attrs.field(default=12, validator=_whole_number(1, MAX_MONTHS))
    """Months of each book this pledge buys (the law of the purchase date allows 1, 3, 6 or 12)."""
    instalments: tuple[Instalment, ...] = ()
    declared_value: int | None = attrs.field(default=None, validator=optional_non_negative_int)
    """What the sponsor says the units are worth, đồng ("tương ứng 13,3 tỷ đồng"); ``None``:
    value them at the campaign's purchase date (:func:`ansinh.core.accounting.pledge_value`)."""
    unit_categories: frozenset[Category] = attrs.field(factory=frozenset, converter=_categories)
    """Who the units are declared for ("19.500 thẻ BHYT cho người cận nghèo"), for valuing them."""
    funds_source: str = ""
    """Where the money comes from, e.g. "kinh phí hoạt động tình nghĩa của ngành",
    "quỹ từ thiện xã hội của doanh nghiệp"."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.units, tuple) or not all(
            isinstance(u, tuple) and len(u) == 2 for u in self.units
        ):
            raise InvalidValueError("units", self.units, "a tuple of pairs (ProductKind, whole number >= 0)")
        if not isinstance(self.instalments, tuple) or not all(
            isinstance(i, Instalment) for i in self.instalments
        ):
            raise InvalidValueError("instalments", self.instalments, "a tuple of Instalment")
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


# -- gifts ------------------------------------------------------------------


class GiftStatus(Labelled):
    """Where a gift is in its life: allocated → paid → delivered, or cancelled / refunded."""

    ALLOCATED = "allocated"
    """Matched to a person and a pledge; the pledge's budget is committed."""
    PAID = "paid"
    """Bought: the contribution was paid to the social-security office from money received."""
    DELIVERED = "delivered"
    """Handed over to the person (trao tặng); final."""
    CANCELLED = "cancelled"
    """Withdrawn before payment; the pledge's budget is free again."""
    REFUNDED = "refunded"
    """Paid, then refunded to the pledge; the budget and the money are free again."""

    @property
    def is_active(self) -> bool:
        """Whether the gift still holds budget and covers its months."""
        return self in (GiftStatus.ALLOCATED, GiftStatus.PAID, GiftStatus.DELIVERED)

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each status's ``(Vietnamese, English)`` label."""
        return {
            "allocated": ("đã phân bổ", "allocated"),
            "paid": ("đã đóng tiền", "paid"),
            "delivered": ("đã trao tặng", "delivered"),
            "cancelled": ("đã hủy", "cancelled"),
            "refunded": ("đã hoàn trả", "refunded"),
        }


class Funding(Code):
    """Which part of a pledge pays a gift."""

    UNITS = "units"
    """One of the units the pledge names ("10 thẻ BHYT")."""
    MONEY = "money"
    """The pledge's money, by the gift's price."""


_NO_TEXTS: frozenset[str] = frozenset()
"""Shared by every beneficiary without affiliations (one object, not one each)."""


def _texts(value: Any) -> frozenset[str]:
    if not value:
        return _NO_TEXTS
    if isinstance(value, str):
        raise InvalidValueError("affiliations", value, "a set of strings, not a string")
    try:
        result = frozenset(value)
    except TypeError:
        raise InvalidValueError("affiliations", value, "a set of non-empty strings") from None
    if not names_ok([result]):
        raise InvalidValueError("affiliations", value, "non-empty strings")
    return result


def _funding(value: Any) -> Funding:
    return value if type(value) is Funding else Funding(value)


def _gift_status(value: Any) -> GiftStatus:
    return value if type(value) is GiftStatus else GiftStatus(value)


@attrs.frozen(kw_only=True)
class Beneficiary:
    """What the ledger keeps about the person a gift is for (never names or identity numbers).

    It holds exactly what pricing and earmarks read: the province, the
    categories, the voluntary-SI months already supported, the address, the day
    out of poverty and the date of birth (programmes keyed by area, months or age), and the
    affiliations that earmarks name (an enterprise whose workers' relatives a
    pledge is for, a congregation, a commune).

    It fits :class:`~ansinh.core.pricing.Participant`, so a gift's price can be
    checked from it alone.

    >>> b = Beneficiary(person_id="HP-007", province="31", categories={Category.NEAR_POOR})
    >>> sorted(b.categories)
    [<Category.NEAR_POOR: 'near_poor'>]
    """

    person_id: str = attrs.field(validator=_text)
    province: str = attrs.field(validator=_province)
    categories: frozenset[Category] = attrs.field(factory=frozenset, converter=_categories)
    vsi_supported_months: int = attrs.field(default=0, validator=_non_negative_int)
    affiliations: frozenset[str] = attrs.field(factory=frozenset, converter=_texts)
    """Earmark targets the person belongs to (enterprise ids, congregations, communes)."""
    commune: str = attrs.field(default="", validator=instance_of(str))
    """The person's commune, as area-keyed programmes read it (``""``: not given)."""
    district: str = attrs.field(default="", validator=instance_of(str))
    """The person's former district (``""``: not given)."""
    former_province: str | None = attrs.field(default=None, validator=optional_former_province)
    """The person's pre-2025 province code (``None``: not given)."""
    left_poverty_on: dt.date | None = attrs.field(default=None, validator=day(optional=True))
    """The day the person's household left the poverty or near-poverty list (``None``: not known)."""
    date_of_birth: dt.date | None = attrs.field(default=None, validator=day(optional=True))
    """The person's date of birth, as a programme for an age band reads it (``None``: not given, and
    no age-banded group applies)."""

    @classmethod
    def from_person(cls, person: Person, affiliations: Iterable[str] = ()) -> Beneficiary:
        """The ledger's view of *person*, with the earmark targets they belong to."""
        return cls(
            person_id=person.id,
            province=person.province,
            categories=person.categories,
            vsi_supported_months=person.vsi_supported_months,
            affiliations=frozenset(affiliations),
            commune=person.commune,
            district=person.district,
            former_province=person.former_province,
            left_poverty_on=person.left_poverty_on,
            date_of_birth=person.date_of_birth,
        )


def earmark_matches(earmark: Earmark | None, beneficiary: Beneficiary) -> bool:
    """Whether a pledge with *earmark* may pay for *beneficiary*.

    A category earmark needs the category; any other earmark needs its target
    among the beneficiary's affiliations.

    >>> b = Beneficiary(person_id="x", province="33", affiliations={"ENT-01"})
    >>> earmark_matches(Earmark(kind="workers_relatives", target="ENT-01"), b)
    True
    >>> earmark_matches(Earmark(kind="category", target="student"), b)
    False
    """
    if earmark is None:
        return True
    if earmark.kind is EarmarkKind.CATEGORY:
        return earmark.target in {c.value for c in beneficiary.categories}
    return earmark.target in beneficiary.affiliations


def month_index(day: dt.date) -> int:
    """Months since year 0 (``year × 12 + month − 1``): coverage is counted in whole months.

    >>> month_index(dt.date(2026, 2, 15)) - month_index(dt.date(2025, 2, 1))
    12
    """
    return day.year * 12 + day.month - 1


@attrs.frozen(kw_only=True)
class Gift:
    """One gift: a product for one person, priced on its purchase date, paid by one pledge.

    ``quote`` is the law's price on the purchase date (``quote.on``) for this
    person; :attr:`amount` (``quote.payable``) is what the pledge pays.  A card
    or book covers ``product.months`` whole months from ``covers_from``.
    ``reason`` says why this person and which pledge pays.
    """

    id: str = attrs.field(validator=_text)
    pledge_id: str = attrs.field(validator=_text)
    beneficiary: Beneficiary
    product: Product
    quote: Quote
    funding: Funding = attrs.field(converter=_funding)
    covers_from: dt.date | None = None
    """First day covered (cards and books); ``None`` for a Tết gift."""
    priority: int = 0
    """The priority score that ranked the person."""
    reason: str = ""
    """Why this person, and which pledge pays (a sentence a clerk can read)."""
    status: GiftStatus = attrs.field(default=GiftStatus.ALLOCATED, converter=_gift_status)

    def __attrs_post_init__(self) -> None:
        quote = self.quote
        if not isinstance(quote, Quote) or (
            quote.product is not self.product and quote.product != self.product
        ):
            raise InvalidValueError("quote", quote, f"a Quote of the gift's product {self.product!r}")
        if not isinstance(self.beneficiary, Beneficiary):
            raise InvalidValueError("beneficiary", self.beneficiary, "a Beneficiary")
        if self.product.months > 0:
            if not is_date(self.covers_from):
                raise InvalidValueError("covers_from", self.covers_from, "a datetime.date")
        elif self.covers_from is not None:
            raise InvalidValueError("covers_from", self.covers_from, "None for a product covering no months")

    @property
    def person_id(self) -> str:
        """Who receives it."""
        return self.beneficiary.person_id

    @property
    def province(self) -> str:
        """The province of the person who receives it."""
        return self.beneficiary.province

    @property
    def kind(self) -> ProductKind:
        """The product kind."""
        return self.product.kind

    @property
    def amount(self) -> int:
        """What the pledge pays, in đồng (``quote.payable``)."""
        return self.quote.payable

    @property
    def purchased_on(self) -> dt.date:
        """The purchase date whose law priced the gift."""
        return self.quote.on

    @property
    def months(self) -> range:
        """The months covered, as :func:`month_index` values (empty for a Tết gift)."""
        if self.covers_from is None:
            return range(0)
        start = month_index(self.covers_from)
        return range(start, start + self.product.months)

    @property
    def valid_until(self) -> dt.date | None:
        """Last day covered; ``None`` for a Tết gift."""
        if self.covers_from is None:
            return None

        return add_months(self.covers_from, self.product.months) - dt.timedelta(days=1)
