"""Built-in sourcing strategies: the ways provinces raise resources for gifts.

Each strategy is a small frozen class holding a province's local inputs; its
:meth:`~ansinh.hookspecs.SourcingStrategy.source` method turns them into sponsors and pledges
(:class:`~ansinh.core.campaign.Pledge`), earmarked where the programme
reserves them, and lists the assumptions it used with their numbers.  The
arithmetic is whole đồng; shares are exact fractions; a share of people is
rounded *down* to whole people (nobody gives a fraction of a gift).

From the programme's own reports (``seeds/001``):

* :class:`WorkplaceDrive` — Hưng Yên: BHXH works with enterprises, whose
  workers fund cards and books for their own relatives.
* :class:`AgriculturalSales` — Hòa Bình: a share of produce sold through a
  supported sales channel, for farm households.
* :class:`CommuneEngagement` — Thái Nguyên: the commune government mobilises
  its residents directly.
* :class:`SectorStaff` — everywhere: the social-security sector's own staff.
* :class:`CentralSponsors` — banks and enterprises registering units centrally.
* :class:`ReligiousOrganisations` — religious bodies giving cards to their
  monks, nuns and parishioners.

The module is itself a plugin (registered as ``ansinh.sourcing``): its
:func:`ansinh_sourcing_strategies` hook is ``trylast``, so a province plugin
offering a strategy of the same name replaces the built-in one.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign
>>> campaign = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...                     start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> drive = WorkplaceDrive.from_mapping({"province": "33", "enterprises": [
...     {"id": "DN01", "name": "Công ty May Hưng Yên", "workers": 1200,
...      "participation": "0.6", "amount_per_worker": 50000}]})
>>> result = drive.source(campaign)
>>> result.money, result.pledges[0].earmark.kind.value
(36000000, 'workers_relatives')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, ClassVar, Self, TypeVar

import attrs

from ansinh.core.campaign import Campaign, Earmark, EarmarkKind, Pledge, Sponsor, SponsorKind
from ansinh.core.money import format_percent, format_vnd, to_rate
from ansinh.core.people import Category
from ansinh.core.products import ProductKind
from ansinh.core.validators import non_empty_text as _text
from ansinh.core.validators import optional_province as _opt_province
from ansinh.exceptions import InvalidValueError
from ansinh.hookspecs import SourcingResult, SourcingStrategy, hookimpl

__all__ = [
    "BUILTIN_STRATEGIES",
    "AgriculturalSales",
    "CentralRegistration",
    "CentralSponsors",
    "Commune",
    "CommuneEngagement",
    "Congregation",
    "Enterprise",
    "ReligiousOrganisations",
    "SalesChannel",
    "SectorStaff",
    "StaffUnit",
    "WorkplaceDrive",
    "ansinh_sourcing_strategies",
]

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
_R = TypeVar("_R", bound=attrs.AttrsInstance)


# -- validation helpers -----------------------------------------------------------


def _count(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attr.name, value, "a whole number >= 0 (đồng or people; never float)")


def _to_share(value: object, field: str) -> Fraction:
    rate = to_rate(value, field)
    if not 0 <= rate <= 1:
        raise InvalidValueError(field, value, "a share between 0 and 1 (e.g. '0.6' or '60%')")
    return rate


def _participation(value: object) -> Fraction:
    return _to_share(value, "participation")


def _match(value: object) -> Fraction:
    return _to_share(value, "match")


def _contribution_share(value: object) -> Fraction:
    return _to_share(value, "contribution_share")


def _months(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 60:
        raise InvalidValueError(attr.name, value, "a whole number of months from 1 to 60")


def _build(cls: type[_R], data: object, where: str) -> _R:
    """Build an attrs input row from a mapping, naming the bad field on error."""
    if not isinstance(data, Mapping):
        raise InvalidValueError(where, data, "a table of fields")
    fields = attrs.fields(cls)
    names = [a.name for a in fields]
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise InvalidValueError(
            f"{where}.{unknown[0]}", data[unknown[0]], "one of the fields " + ", ".join(names)
        )
    missing = [a.name for a in fields if a.default is attrs.NOTHING and a.name not in data]
    if missing:
        raise InvalidValueError(f"{where}.{missing[0]}", None, "a value (this field is required)")
    try:
        return cls(**data)
    except InvalidValueError as exc:
        raise InvalidValueError(f"{where}.{exc.field}", exc.value, exc.allowed) from None


def _rows(cls: type[_R], data: Mapping[str, object], key: str) -> tuple[_R, ...]:
    raw = data.get(key, ())
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Iterable):
        raise InvalidValueError(key, raw, f"a list of {cls.__name__} tables")
    return tuple(_build(cls, row, f"{key}[{i}]") for i, row in enumerate(raw))


def _strategy_fields(data: Mapping[str, object], rows_key: str, name: str) -> None:
    if not isinstance(data, Mapping):
        raise InvalidValueError(name, data, "a table")
    allowed = {rows_key, "province"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidValueError(
            f"{name}.{unknown[0]}", data[unknown[0]], "one of " + ", ".join(sorted(allowed))
        )


def _opt_text(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InvalidValueError(key, value, "a province code (text) or nothing")
    return value


def _pct(rate: Fraction) -> str:
    return format_percent(rate, "en")


def _vnd(amount: int) -> str:
    return format_vnd(amount, "en")


def _result(
    strategy: str, sponsors: list[Sponsor], pledges: list[Pledge], assumptions: list[str]
) -> SourcingResult:
    unique: dict[str, Sponsor] = {}
    for s in sponsors:
        unique.setdefault(s.id, s)
    return SourcingResult(
        strategy=strategy,
        sponsors=tuple(unique.values()),
        pledges=tuple(pledges),
        assumptions=tuple(assumptions),
    )


def _people(count: int, share: Fraction) -> int:
    """Whole people among *count* at *share*, rounded down."""
    return math.floor(count * share)


# -- workplace drive (Hưng Yên) -------------------------------------------------------


@attrs.frozen(kw_only=True)
class Enterprise:
    """An enterprise taking part in a workplace drive."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    workers: int = attrs.field(validator=_count)
    """Head-count of workers."""
    amount_per_worker: int = attrs.field(validator=_count)
    """Đồng each participating worker gives."""
    participation: Fraction = attrs.field(default=Fraction(1), converter=_participation)
    """Share of workers expected to give (rounded down to whole workers)."""
    match: Fraction = attrs.field(default=Fraction(0), converter=_match)
    """Share of the workers' total the enterprise adds from its own funds (rounded down to the đồng)."""
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the workers' relatives live, if not the drive's province."""


@attrs.frozen(kw_only=True)
class WorkplaceDrive:
    """Enterprises × workers → money pledges for the relatives of those workers.

    For each enterprise: ``givers = ⌊workers × participation⌋``;
    ``money = givers × amount_per_worker + ⌊match × that⌋``; the pledge is
    earmarked :attr:`EarmarkKind.WORKERS_RELATIVES` with the enterprise's id.
    """

    name: ClassVar[str] = "workplace_drive"
    label_vi: ClassVar[str] = "Vận động doanh nghiệp hỗ trợ thân nhân người lao động"
    label_en: ClassVar[str] = "Workplace drive for workers' relatives"

    enterprises: tuple[Enterprise, ...]
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """The province running the drive (default for every enterprise)."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"province": "33", "enterprises": [{...}, ...]}``."""
        _strategy_fields(data, "enterprises", cls.name)
        return cls(enterprises=_rows(Enterprise, data, "enterprises"), province=_opt_text(data, "province"))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One money pledge per enterprise, earmarked for its workers' relatives."""
        sponsors, pledges, notes = [], [], []
        for e in self.enterprises:
            givers = _people(e.workers, e.participation)
            from_workers = givers * e.amount_per_worker
            matched = math.floor(from_workers * e.match)
            money = from_workers + matched
            notes.append(
                f"{e.name}: {givers} of {e.workers} workers ({_pct(e.participation)}, rounded down) × "
                f"{_vnd(e.amount_per_worker)} = {_vnd(from_workers)}"
                + (f"; enterprise adds {_pct(e.match)} = {_vnd(matched)}" if e.match else "")
            )
            if money == 0:
                continue
            province = e.province or self.province or campaign.province
            sponsors.append(Sponsor(id=e.id, name=e.name, kind=SponsorKind.ENTERPRISE, province=province))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{e.id}",
                    sponsor_id=e.id,
                    money=money,
                    province=province,
                    earmark=Earmark(
                        kind=EarmarkKind.WORKERS_RELATIVES,
                        target=e.id,
                        label=f"thân nhân người lao động {e.name}",
                    ),
                    strategy=self.name,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


# -- agricultural sales (Hòa Bình) ---------------------------------------------------


def _category(value: object) -> Category:
    if isinstance(value, str) and value in Category.__members__.values():
        return Category(value)
    raise InvalidValueError("category", value, "one of " + ", ".join(c.value for c in Category))


@attrs.frozen(kw_only=True)
class SalesChannel:
    """A sales channel for farm produce that BHXH helps and that gives back a share."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    sales_volume: int = attrs.field(validator=_count)
    """Value of the produce sold through the supported channel, in đồng."""
    contribution_share: Fraction = attrs.field(converter=_contribution_share)
    """Share of the sales volume given to the programme (rounded down to the đồng)."""
    province: str | None = attrs.field(default=None, validator=_opt_province)
    category: Category = attrs.field(default=Category.FARM_AVERAGE_INCOME, converter=_category)
    """The households the money is for (default: farm households of average living standard)."""


@attrs.frozen(kw_only=True)
class AgriculturalSales:
    """Sales volume through a supported channel × a contribution share → pledges for farm households.

    For each channel: ``money = ⌊sales_volume × contribution_share⌋``, earmarked
    :attr:`EarmarkKind.CATEGORY` for the channel's category.
    """

    name: ClassVar[str] = "agricultural_sales"
    label_vi: ClassVar[str] = "Hỗ trợ kênh tiêu thụ nông sản"
    label_en: ClassVar[str] = "Agricultural sales channel"

    channels: tuple[SalesChannel, ...]
    province: str | None = attrs.field(default=None, validator=_opt_province)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"province": "25", "channels": [{...}, ...]}``."""
        _strategy_fields(data, "channels", cls.name)
        return cls(channels=_rows(SalesChannel, data, "channels"), province=_opt_text(data, "province"))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One money pledge per channel, earmarked for farm households."""
        sponsors, pledges, notes = [], [], []
        for ch in self.channels:
            money = math.floor(ch.sales_volume * ch.contribution_share)
            notes.append(
                f"{ch.name}: {_pct(ch.contribution_share)} of sales of {_vnd(ch.sales_volume)} "
                f"= {_vnd(money)} (rounded down)"
            )
            if money == 0:
                continue
            province = ch.province or self.province or campaign.province
            sponsors.append(Sponsor(id=ch.id, name=ch.name, kind=SponsorKind.ENTERPRISE, province=province))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{ch.id}",
                    sponsor_id=ch.id,
                    money=money,
                    province=province,
                    earmark=Earmark(
                        kind=EarmarkKind.CATEGORY, target=ch.category.value, label=ch.category.label_vi
                    ),
                    strategy=self.name,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


# -- commune government engagement (Thái Nguyên) ----------------------------------------


@attrs.frozen(kw_only=True)
class Commune:
    """A commune whose government takes part directly."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    """Tên xã/phường; also the earmark's target."""
    households: int = attrs.field(validator=_count)
    """Households the commune government reaches."""
    amount_per_household: int = attrs.field(default=0, validator=_count)
    """Đồng each giving household contributes."""
    participation: Fraction = attrs.field(default=Fraction(1), converter=_participation)
    """Share of reached households that give (rounded down)."""
    budget: int = attrs.field(default=0, validator=_count)
    """Money the commune commits from its own sources, in đồng."""
    cards: int = attrs.field(default=0, validator=_count)
    """Health cards the commune's officials register as units."""
    province: str | None = attrs.field(default=None, validator=_opt_province)


@attrs.frozen(kw_only=True)
class CommuneEngagement:
    """The commune government mobilises its residents → pledges for that commune's residents.

    For each commune: ``money = ⌊households × participation⌋ ×
    amount_per_household + budget``, plus ``cards`` health cards as units;
    earmarked :attr:`EarmarkKind.COMMUNE` with the commune's name.
    """

    name: ClassVar[str] = "commune_engagement"
    label_vi: ClassVar[str] = "Vận động chính quyền cơ sở vào cuộc"
    label_en: ClassVar[str] = "Commune government engagement"

    communes: tuple[Commune, ...]
    province: str | None = attrs.field(default=None, validator=_opt_province)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"province": "19", "communes": [{...}, ...]}``."""
        _strategy_fields(data, "communes", cls.name)
        return cls(communes=_rows(Commune, data, "communes"), province=_opt_text(data, "province"))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One pledge per commune, earmarked for its residents."""
        sponsors, pledges, notes = [], [], []
        for c in self.communes:
            givers = _people(c.households, c.participation)
            money = givers * c.amount_per_household + c.budget
            notes.append(
                f"{c.name}: {givers} of {c.households} households ({_pct(c.participation)}, rounded down) × "
                f"{_vnd(c.amount_per_household)} + commune budget {_vnd(c.budget)} = {_vnd(money)}; "
                f"{c.cards} cards registered"
            )
            if money == 0 and c.cards == 0:
                continue
            province = c.province or self.province or campaign.province
            sponsors.append(Sponsor(id=c.id, name=c.name, kind=SponsorKind.COMMUNE, province=province))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{c.id}",
                    sponsor_id=c.id,
                    units=((ProductKind.HEALTH_CARD, c.cards),) if c.cards else (),
                    money=money,
                    province=province,
                    earmark=Earmark(kind=EarmarkKind.COMMUNE, target=c.name, label=f"người dân {c.name}"),
                    strategy=self.name,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


# -- sector staff ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class StaffUnit:
    """A unit of the social-security sector whose staff contribute."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    head_count: int = attrs.field(validator=_count)
    amount_per_person: int = attrs.field(validator=_count)
    """Đồng each staff member gives (often a day's salary)."""
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the gifts go; ``None``: anywhere in the campaign's scope."""


@attrs.frozen(kw_only=True)
class SectorStaff:
    """Head-count × per-person amount → a money pledge per unit (no earmark).

    The sector's own staff funded the programme from its start (2020).
    """

    name: ClassVar[str] = "sector_staff"
    label_vi: ClassVar[str] = "Công chức, viên chức, người lao động ngành BHXH đóng góp"
    label_en: ClassVar[str] = "Social-security staff contributions"

    units: tuple[StaffUnit, ...]
    province: str | None = attrs.field(default=None, validator=_opt_province)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"units": [{...}, ...]}``."""
        _strategy_fields(data, "units", cls.name)
        return cls(units=_rows(StaffUnit, data, "units"), province=_opt_text(data, "province"))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One money pledge per unit."""
        sponsors, pledges, notes = [], [], []
        for u in self.units:
            money = u.head_count * u.amount_per_person
            notes.append(f"{u.name}: {u.head_count} staff × {_vnd(u.amount_per_person)} = {_vnd(money)}")
            if money == 0:
                continue
            province = u.province or self.province or campaign.province
            sponsors.append(Sponsor(id=u.id, name=u.name, kind=SponsorKind.SECTOR_STAFF, province=province))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{u.id}",
                    sponsor_id=u.id,
                    money=money,
                    province=province,
                    strategy=self.name,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


# -- central sponsors --------------------------------------------------------------------

_CENTRAL_KINDS = (SponsorKind.BANK, SponsorKind.ENTERPRISE, SponsorKind.ORGANISATION)


def _central_kind(value: object) -> SponsorKind:
    try:
        kind = SponsorKind(value) if isinstance(value, str) else None
    except ValueError:
        kind = None
    if kind not in _CENTRAL_KINDS:
        raise InvalidValueError("kind", value, "one of " + ", ".join(k.value for k in _CENTRAL_KINDS))
    assert kind is not None
    return kind


@attrs.frozen(kw_only=True)
class CentralRegistration:
    """Units a bank or enterprise registers with BHXH Việt Nam centrally."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    kind: SponsorKind = attrs.field(default=SponsorKind.ENTERPRISE, converter=_central_kind)
    cards: int = attrs.field(default=0, validator=_count)
    books: int = attrs.field(default=0, validator=_count)
    card_months: int = attrs.field(default=12, validator=_months)
    book_months: int = attrs.field(default=12, validator=_months)
    money: int = attrs.field(default=0, validator=_count)
    """Money in đồng on top of the units."""
    province: str | None = attrs.field(default=None, validator=_opt_province)
    """Where the units go; ``None``: BHXH Việt Nam allocates them."""


@attrs.frozen(kw_only=True)
class CentralSponsors:
    """Banks and enterprises registering units centrally → unit pledges (no earmark).

    The sponsor is central (no province); the pledge goes to the province named, if any.
    """

    name: ClassVar[str] = "central_sponsors"
    label_vi: ClassVar[str] = "Nhà tài trợ đăng ký qua BHXH Việt Nam"
    label_en: ClassVar[str] = "Central sponsors"

    registrations: tuple[CentralRegistration, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"registrations": [{...}, ...]}``."""
        _strategy_fields(data, "registrations", cls.name)
        if data.get("province") is not None:
            raise InvalidValueError(
                "province", data["province"], "nothing: central sponsors have no province"
            )
        return cls(registrations=_rows(CentralRegistration, data, "registrations"))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One pledge per registration, of its cards, books and money."""
        sponsors, pledges, notes = [], [], []
        for r in self.registrations:
            units = tuple(
                (kind, n)
                for kind, n in ((ProductKind.HEALTH_CARD, r.cards), (ProductKind.SOCIAL_BOOK, r.books))
                if n
            )
            notes.append(
                f"{r.name} ({r.kind.value}): {r.cards} cards of {r.card_months} months, "
                f"{r.books} books of {r.book_months} months, {_vnd(r.money)}"
            )
            if not units and r.money == 0:
                continue
            sponsors.append(Sponsor(id=r.id, name=r.name, kind=r.kind, province=None))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{r.id}",
                    sponsor_id=r.id,
                    units=units,
                    money=r.money,
                    province=r.province,
                    strategy=self.name,
                    card_months=r.card_months,
                    book_months=r.book_months,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


# -- religious organisations ---------------------------------------------------------------


def _gift_kind(value: object) -> ProductKind:
    try:
        kind = ProductKind(value) if isinstance(value, str) else None
    except ValueError:
        kind = None
    if kind not in (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK):
        raise InvalidValueError("product", value, "health_card or social_book")
    assert kind is not None
    return kind


@attrs.frozen(kw_only=True)
class Congregation:
    """A religious body giving gifts to its own members in difficulty."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    members: int = attrs.field(validator=_count)
    """Monks, nuns or parishioners in difficulty to receive one gift each."""
    product: ProductKind = attrs.field(default=ProductKind.HEALTH_CARD, converter=_gift_kind)
    months: int = attrs.field(default=12, validator=_months)
    province: str | None = attrs.field(default=None, validator=_opt_province)


@attrs.frozen(kw_only=True)
class ReligiousOrganisations:
    """Members in difficulty → one unit each, earmarked :attr:`EarmarkKind.MEMBERS` for the body."""

    name: ClassVar[str] = "religious_organisations"
    label_vi: ClassVar[str] = "Tổ chức tôn giáo tặng tăng ni, phật tử, giáo dân"
    label_en: ClassVar[str] = "Religious organisations for their members"

    congregations: tuple[Congregation, ...]
    province: str | None = attrs.field(default=None, validator=_opt_province)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"province": "79", "congregations": [{...}, ...]}``."""
        _strategy_fields(data, "congregations", cls.name)
        return cls(
            congregations=_rows(Congregation, data, "congregations"), province=_opt_text(data, "province")
        )

    def source(self, campaign: Campaign) -> SourcingResult:
        """One unit pledge per body, earmarked for its members."""
        sponsors, pledges, notes = [], [], []
        for g in self.congregations:
            notes.append(f"{g.name}: {g.members} members × 1 {g.product.label_en} of {g.months} months")
            if g.members == 0:
                continue
            province = g.province or self.province or campaign.province
            sponsors.append(Sponsor(id=g.id, name=g.name, kind=SponsorKind.RELIGIOUS, province=province))
            card = g.product is ProductKind.HEALTH_CARD
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{g.id}",
                    sponsor_id=g.id,
                    units=((g.product, g.members),),
                    province=province,
                    earmark=Earmark(
                        kind=EarmarkKind.MEMBERS, target=g.id, label=f"tăng ni, phật tử, giáo dân {g.name}"
                    ),
                    strategy=self.name,
                    card_months=g.months if card else 12,
                    book_months=12 if card else g.months,
                )
            )
        return _result(self.name, sponsors, pledges, notes)


BUILTIN_STRATEGIES: tuple[type[SourcingStrategy], ...] = (
    WorkplaceDrive,
    AgriculturalSales,
    CommuneEngagement,
    SectorStaff,
    CentralSponsors,
    ReligiousOrganisations,
)
"""The built-in strategy classes, in the order :func:`ansinh_sourcing_strategies` offers them."""


@hookimpl(trylast=True)
def ansinh_sourcing_strategies() -> tuple[type[SourcingStrategy], ...]:
    """Offer the built-in strategies (``trylast``: a province's variant of the same name wins)."""
    return BUILTIN_STRATEGIES
