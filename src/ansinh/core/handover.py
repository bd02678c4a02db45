"""Handover ceremonies (lễ trao tặng): when, where, who led the delegation, and which gifts.

Gifts are handed over in person, at ceremonies a delegation leads ("các đoàn
công tác do lãnh đạo BHXH Việt Nam trực tiếp dẫn đầu"): the books and cards of
a province at its communes' halls, the Tết gifts of in-patients at their
hospitals.  A :class:`Handover` says which gifts a ceremony hands over by
what a clerk knows before gifts exist: the provinces of the people, the
pledges that pay, the kinds of gift, the hospitals of Tết gifts (each left
empty: any).

:func:`handover_deliveries` turns the ceremonies into the deliveries due: a
paid gift is delivered at the first ceremony that includes it on or after
its payment; a gift no ceremony takes is delivered on the campaign's general
handover date, if there is one.  :func:`handover_rows` reads back, from the
ledger alone, what each ceremony handed over (the report's ceremonies
section).

>>> import datetime as dt
>>> h = Handover(on=dt.date(2026, 1, 16), place="UBND phường Hải An, TP Hải Phòng",
...              leader="Phó Tổng Giám đốc BHXH Việt Nam", provinces={"31"}, kinds={"health_card"})
>>> h.describe()
'16/01/2026 tại UBND phường Hải An, TP Hải Phòng, do Phó Tổng Giám đốc BHXH Việt Nam dẫn đầu'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

import attrs

from ansinh.core.campaign import Gift, GiftStatus
from ansinh.core.dates import check_date, format_date
from ansinh.core.ledger import GiftDelivered, GiftPaid, deliveries_due
from ansinh.core.products import ProductKind, TetGift
from ansinh.core.provinces import province as _province
from ansinh.core.state import LedgerState
from ansinh.core.validators import date as _date
from ansinh.core.validators import non_empty_text as _text
from ansinh.exceptions import InvalidValueError

__all__ = ["Handover", "HandoverRow", "handover_deliveries", "handover_rows"]


def _names(field: str, value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError(field, value, "a set of non-empty strings (empty: any)")
    out = frozenset(value)
    if not all(isinstance(v, str) and v.strip() for v in out):
        raise InvalidValueError(field, value, "a set of non-empty strings (empty: any)")
    return out


def _pledge_ids(value: Any) -> frozenset[str]:
    return _names("pledges", value)


def _hospital_names(value: Any) -> frozenset[str]:
    return _names("hospitals", value)


def _provinces(value: Any) -> frozenset[str]:
    out = _names("provinces", value)
    for code in out:
        try:
            _province(code)
        except InvalidValueError:
            raise InvalidValueError("provinces", code, "current province codes (empty: any)") from None
    return out


def _kinds(value: Any) -> frozenset[ProductKind]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("kinds", value, "a set of product kinds (empty: any)")
    try:
        return frozenset(ProductKind(k) for k in value)
    except ValueError:
        raise InvalidValueError(
            "kinds", value, "product kinds: " + ", ".join(k.value for k in ProductKind)
        ) from None


@attrs.frozen(kw_only=True)
class Handover:
    """A handover ceremony (lễ trao tặng) and the gifts it hands over."""

    on: dt.date = attrs.field(validator=_date)
    """The day of the ceremony."""
    place: str = attrs.field(validator=_text)
    """Where ("Nhà văn hóa xã Tiên Lữ, tỉnh Hưng Yên", "Bệnh viện Hữu nghị Việt Đức")."""
    leader: str = attrs.field(validator=_text)
    """Who led the delegation ("Phó Tổng Giám đốc BHXH Việt Nam …")."""
    provinces: frozenset[str] = attrs.field(factory=frozenset, converter=_provinces)
    """Gifts to people of these provinces (current codes); empty: any province."""
    pledges: frozenset[str] = attrs.field(factory=frozenset, converter=_pledge_ids)
    """Gifts these pledges pay (pledge ids); empty: any pledge."""
    kinds: frozenset[ProductKind] = attrs.field(factory=frozenset, converter=_kinds)
    """Gifts of these kinds; empty: any kind."""
    hospitals: frozenset[str] = attrs.field(factory=frozenset, converter=_hospital_names)
    """Tết gifts naming one of these hospitals (a :class:`~ansinh.core.products.TetGift`'s ``hospital``);
    empty: any gift.  With hospitals named, only Tết gifts are included."""
    reference: str = ""
    """The ceremony's document, if any (biên bản bàn giao …)."""

    def includes(self, gift: Gift) -> bool:
        """Whether *gift* is one this ceremony hands over (by province, pledge, kind and hospital)."""
        if self.provinces and gift.province not in self.provinces:
            return False
        if self.pledges and gift.pledge_id not in self.pledges:
            return False
        if self.kinds and gift.kind not in self.kinds:
            return False
        if self.hospitals:
            product = gift.product
            return isinstance(product, TetGift) and product.hospital in self.hospitals
        return True

    def describe(self, lang: Literal["vi", "en"] = "vi") -> str:
        """Date, place and leader, in a clerk's words."""
        if lang == "en":
            return f"{format_date(self.on, 'en')} at {self.place}, led by {self.leader}"
        return f"{format_date(self.on)} tại {self.place}, do {self.leader} dẫn đầu"


def _ordered(handovers: Iterable[Handover]) -> list[Handover]:
    if isinstance(handovers, Handover) or not isinstance(handovers, Iterable):
        raise InvalidValueError("handovers", handovers, "Handover values")
    items = list(handovers)
    for h in items:
        if not isinstance(h, Handover):
            raise InvalidValueError("handovers", h, "Handover values")
    # by date; on one day, in the order given (the first listed takes a gift two include)
    return sorted(items, key=lambda h: h.on)


def handover_deliveries(
    state: LedgerState,
    handovers: Iterable[Handover],
    *,
    paid: Iterable[GiftPaid] = (),
    default: dt.date | None = None,
) -> tuple[GiftDelivered, ...]:
    """The deliveries the ceremonies (and the general handover date *default*) make.

    A gift paid by a ceremony's day (in *state*, or by one of *paid*) and
    included by it is delivered that day, at the first such ceremony; a paid
    gift no ceremony takes is delivered on *default* when it is paid by then
    (``None``: it waits).  The events are those of
    :func:`~ansinh.core.ledger.deliveries_due` (ids ``deliver:<gift id>``), in
    date order; the ledger accepts every one.

    Raises:
        InvalidValueError: *state* is not a ledger state, *handovers* holds
            something other than :class:`Handover`, *default* is not a date,
            or *paid* is not :class:`GiftPaid` events.
    """
    ceremonies = _ordered(handovers)
    if default is not None:
        check_date("default", default)
    paid = tuple(paid)
    gifts = {g.id: g for g in state.gifts} if ceremonies else {}  # only a ceremony looks at the gifts
    taken: dict[str, GiftDelivered] = {}
    for h in ceremonies:
        for event in deliveries_due(state, on=h.on, paid=paid):
            if event.gift_id not in taken and h.includes(gifts[event.gift_id]):
                taken[event.gift_id] = event
    if default is not None:
        for event in deliveries_due(state, on=default, paid=paid):
            if event.gift_id in taken or (
                ceremonies and any(h.includes(gifts[event.gift_id]) for h in ceremonies)
            ):
                continue
            taken[event.gift_id] = event
    return tuple(sorted(taken.values(), key=lambda e: e.on))  # stable: gift order within a day


@attrs.frozen(kw_only=True)
class HandoverRow:
    """What one ceremony handed over, read from the ledger."""

    handover: Handover
    health_cards: int = 0
    social_books: int = 0
    tet_gifts: int = 0
    value: int = 0
    """What the pledges paid for these gifts, đồng."""
    people: int = 0

    @property
    def gifts(self) -> int:
        """Gifts of every kind handed over."""
        return self.health_cards + self.social_books + self.tet_gifts

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (what ``handovers.csv`` holds)."""
        h = self.handover
        return {
            "on": h.on.isoformat(),
            "place": h.place,
            "leader": h.leader,
            "reference": h.reference,
            "health_cards": self.health_cards,
            "social_books": self.social_books,
            "tet_gifts": self.tet_gifts,
            "gifts": self.gifts,
            "value": self.value,
            "people": self.people,
        }


def handover_rows(state: LedgerState, handovers: Iterable[Handover]) -> tuple[HandoverRow, ...]:
    """What each ceremony handed over: the delivered gifts it includes, delivered on its day.

    A gift two ceremonies of one day include counts at the first listed
    (as :func:`handover_deliveries` delivers it).  Rows are in date order.

    Raises:
        InvalidValueError: *state* is not a ledger state or *handovers* holds something other than :class:`Handover`.
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    ceremonies = _ordered(handovers)
    if not ceremonies:
        return ()  # no need to read the gifts
    changed = state.changed_on()
    delivered = [g for g in state.gifts if g.status is GiftStatus.DELIVERED]
    counted: set[str] = set()
    rows = []
    for h in ceremonies:
        mine = [g for g in delivered if changed[g.id] == h.on and g.id not in counted and h.includes(g)]
        counted.update(g.id for g in mine)
        count = {k: sum(1 for g in mine if g.kind is k) for k in ProductKind}
        rows.append(
            HandoverRow(
                handover=h,
                health_cards=count[ProductKind.HEALTH_CARD],
                social_books=count[ProductKind.SOCIAL_BOOK],
                tet_gifts=count[ProductKind.TET_GIFT],
                value=sum(g.amount for g in mine),
                people=len({g.person_id for g in mine}),
            )
        )
    return tuple(rows)
