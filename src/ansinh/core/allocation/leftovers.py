"""Leftovers: what each pledge still holds after allocation, and why, in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import attrs

from ansinh.core.allocation.pools import months_of
from ansinh.core.campaign import EarmarkKind, Pledge
from ansinh.core.dates import format_date
from ansinh.core.law import Law
from ansinh.core.ledger import PledgeBalance
from ansinh.core.money import format_vnd
from ansinh.core.products import ProductKind
from ansinh.exceptions import AnsinhError

__all__ = ["Leftover", "leftovers"]


@attrs.frozen(kw_only=True)
class Leftover:
    """What a pledge still holds after allocation, and why it was not spent."""

    pledge_id: str
    sponsor_id: str
    units_left: tuple[tuple[ProductKind, int], ...]
    money_left: int
    reason_vi: str
    reason_en: str


_PAYMENT_MONTHS = {
    ProductKind.HEALTH_CARD: "bhyt_payment_months",
    ProductKind.SOCIAL_BOOK: "vsi_payment_months",
}


def period_refused(law: Law, kind: ProductKind, months: int, on: dt.date) -> tuple[str, str] | None:
    """Why no pledge paying for *months* of *kind* can buy one on *on* (the law does not allow that period).

    ``None`` when the law allows it (or has no payment periods in force that
    day: then pricing refuses every gift alike).
    """
    name = _PAYMENT_MONTHS.get(kind)
    if name is None:
        return None
    try:
        allowed = law.months(name, on=on)
    except AnsinhError:
        return None
    if months in allowed:
        return None
    listed = ", ".join(map(str, allowed))
    return (
        f"luật ngày {format_date(on)} không cho phép {kind.label_vi} {months} tháng (chỉ {listed} tháng)",
        f"the law of {format_date(on, 'en')} does not allow a {months}-month {kind.label_en} "
        f"(only {listed} months)",
    )


def _reasons(
    pledge: Pledge,
    kinds: list[ProductKind],
    units: bool,
    money: int,
    refused: Mapping[tuple[ProductKind, int], tuple[str, str] | None],
) -> tuple[str, str]:
    vi, en = [], []
    for kind in kinds:
        text = refused[kind, months_of(kind, pledge)]
        if text is not None:
            vi.append(text[0])
            en.append(text[1])
    if not vi:
        if units:
            vi.append("không còn người đủ điều kiện phù hợp để nhận số đơn vị còn lại")
            en.append("no matching eligible candidate left for the remaining units")
        if money > 0:
            vi.append(f"số tiền còn lại {format_vnd(money)} không đủ mua thêm suất nào cho người phù hợp")
            en.append(f"the {format_vnd(money, 'en')} left buys no gift for any matching candidate")
        earmark = pledge.earmark
        if earmark is not None and earmark.kind in (EarmarkKind.WORKERS_RELATIVES, EarmarkKind.MEMBERS):
            # only the roster's affiliations or a province plugin say who belongs to the target
            vi.append(
                f"khoản tài trợ dành cho {earmark.kind.value} của {earmark.target!r}: chỉ người có "
                "cột Đơn vị liên quan ghi mã này hoặc được plugin (ansinh_earmark_matches) xác nhận"
            )
            en.append(
                f"the pledge is earmarked for {earmark.kind.value} of {earmark.target!r}: only people whose "
                "affiliations column names it, or whom a plugin's ansinh_earmark_matches accepts, match"
            )
    return "; ".join(vi), "; ".join(en)


def leftovers(
    balances: Iterable[PledgeBalance],
    units_left: Mapping[str, Mapping[ProductKind, int]],
    money_left: Mapping[str, int],
    *,
    law: Law,
    on: dt.date,
    money_buys: ProductKind,
) -> tuple[Leftover, ...]:
    """One :class:`Leftover` per pledge that still holds units or money, by pledge id.

    Args:
        balances: the pledges allocation served.
        units_left: pledge id -> kind -> units no candidate received.
        money_left: pledge id -> đồng no gift used.
        law: the law the gifts were priced with.
        on: the purchase date.
        money_buys: the kind of gift money buys.
    """
    out = []
    # whether the law refuses a period depends on the kind and the months only:
    # thousands of leftovers share a handful of answers
    refused: dict[tuple[ProductKind, int], tuple[str, str] | None] = {}
    for balance in sorted(balances, key=lambda b: b.pledge.id):
        pledge = balance.pledge
        units = tuple((kind, n) for kind, n in units_left.get(pledge.id, {}).items() if n > 0)
        money = money_left.get(pledge.id, 0)
        if not units and money <= 0:
            continue
        kinds = [kind for kind, _ in units]
        if money > 0 and money_buys not in kinds:
            kinds.append(money_buys)
        for kind in kinds:
            key = (kind, months_of(kind, pledge))
            if key not in refused:
                refused[key] = period_refused(law, kind, key[1], on)
        reason_vi, reason_en = _reasons(pledge, kinds, bool(units), money, refused)
        out.append(
            Leftover(
                pledge_id=pledge.id,
                sponsor_id=balance.sponsor.id,
                units_left=units,
                money_left=money,
                reason_vi=reason_vi,
                reason_en=reason_en,
            )
        )
    return tuple(out)
