"""The Hưng Yên plugin: hook implementations and the types they offer.

Hưng Yên's BHXH works directly with enterprises, mobilising support for the
relatives of the workers of each enterprise (BHXH Việt Nam, conference on the
programme 2020–2023).  This plugin adds that as a strategy, plus one local
eligibility rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar, Self

import attrs

from ansinh.core.campaign import Campaign, Earmark, EarmarkKind, Pledge, Sponsor, SponsorKind
from ansinh.core.eligibility import CheckContext, FunctionRule, Reason, Rule
from ansinh.core.money import to_rate
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError
from ansinh.hookspecs import SourcingResult, SourcingStrategy, hookimpl

__all__ = [
    "COMMUNE_RULE",
    "Enterprise",
    "HungYenWorkplaceDrive",
    "ansinh_eligibility_rules",
    "ansinh_sourcing_strategies",
]

PROVINCE = "33"
"""Hưng Yên's code since 2025-07-01 (Hưng Yên + Thái Bình)."""


def _count(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attr.name, value, "a whole number >= 0")


def _positive(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(attr.name, value, "a whole number >= 1")


def _text(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(attr.name, value, "a non-empty string")


def _share(value: object) -> Fraction:
    rate = to_rate(value, "participation")
    if not 0 <= rate <= 1:
        raise InvalidValueError("participation", value, "a share between 0 and 1")
    return rate


@attrs.frozen(kw_only=True)
class Enterprise:
    """An enterprise of Hưng Yên taking part, and what it commits."""

    id: str = attrs.field(validator=_text)
    name: str = attrs.field(validator=_text)
    workers: int = attrs.field(validator=_count)
    workers_per_card: int = attrs.field(validator=_positive)
    """The enterprise registers one 12-month card per this many workers."""
    amount_per_worker: int = attrs.field(default=0, validator=_count)
    """Đồng each participating worker adds."""
    participation: Fraction = attrs.field(default=Fraction(0), converter=_share)
    """Share of workers who add money (rounded down to whole workers)."""


@attrs.frozen(kw_only=True)
class HungYenWorkplaceDrive:
    """Enterprises register cards for their workers' relatives; workers add money.

    ``cards = workers // workers_per_card``;
    ``money = ⌊workers × participation⌋ × amount_per_worker``.
    """

    name: ClassVar[str] = "hung_yen_workplace_drive"
    label_vi: ClassVar[str] = "Hưng Yên: doanh nghiệp tặng thẻ BHYT cho thân nhân người lao động"
    label_en: ClassVar[str] = "Hưng Yên: enterprises give cards to their workers' relatives"

    enterprises: tuple[Enterprise, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build from ``{"enterprises": [{...}, ...]}``."""
        unknown = sorted(set(data) - {"enterprises"})
        if unknown:
            raise InvalidValueError(unknown[0], data[unknown[0]], "only 'enterprises'")
        rows = data.get("enterprises", [])
        if not isinstance(rows, list):
            raise InvalidValueError("enterprises", rows, "a list of tables")
        out = []
        for i, row in enumerate(rows):
            if not isinstance(row, Mapping):
                raise InvalidValueError(f"enterprises[{i}]", row, "a table")
            try:
                out.append(Enterprise(**row))
            except TypeError as exc:
                raise InvalidValueError(f"enterprises[{i}]", dict(row), str(exc)) from None
        return cls(enterprises=tuple(out))

    def source(self, campaign: Campaign) -> SourcingResult:
        """One pledge per enterprise, earmarked for its workers' relatives."""
        sponsors, pledges, notes = [], [], []
        for e in self.enterprises:
            cards = e.workers // e.workers_per_card
            givers = math.floor(e.workers * e.participation)
            money = givers * e.amount_per_worker
            notes.append(
                f"{e.name}: {e.workers} workers // {e.workers_per_card} = {cards} cards; "
                f"{givers} workers × {e.amount_per_worker:,} đồng = {money:,} đồng"
            )
            if not cards and not money:
                continue
            sponsors.append(Sponsor(id=e.id, name=e.name, kind=SponsorKind.ENTERPRISE, province=PROVINCE))
            pledges.append(
                Pledge(
                    id=f"{self.name}:{campaign.code}:{e.id}",
                    sponsor_id=e.id,
                    units=((ProductKind.HEALTH_CARD, cards),) if cards else (),
                    money=money,
                    province=PROVINCE,
                    earmark=Earmark(
                        kind=EarmarkKind.WORKERS_RELATIVES,
                        target=e.id,
                        label=f"thân nhân người lao động {e.name}",
                    ),
                    strategy=self.name,
                    card_months=12,
                )
            )
        return SourcingResult(
            strategy=self.name, sponsors=tuple(sponsors), pledges=tuple(pledges), assumptions=tuple(notes)
        )


def _commune_required(ctx: CheckContext) -> Reason | None:
    if ctx.person.province == PROVINCE and not ctx.person.commune.strip():
        return Reason(
            "HY_COMMUNE_REQUIRED",
            True,
            "Chưa ghi xã/phường cư trú: Hưng Yên chỉ tặng theo danh sách do xã rà soát.",
            "No commune recorded: Hưng Yên gives only to people on a commune-reviewed list.",
        )
    return None


COMMUNE_RULE: Rule = FunctionRule("HY_COMMUNE_REQUIRED", _commune_required)
"""In Hưng Yên a candidate's commune must be recorded (the list is reviewed by the commune)."""


@hookimpl
def ansinh_sourcing_strategies() -> tuple[type[SourcingStrategy], ...]:
    """Offer Hưng Yên's workplace drive."""
    return (HungYenWorkplaceDrive,)


@hookimpl
def ansinh_eligibility_rules(product: ProductKind) -> tuple[Rule, ...]:
    """The commune rule, for cards and books (a Tết gift goes to in-patients, listed by hospitals)."""
    return () if product is ProductKind.TET_GIFT else (COMMUNE_RULE,)
