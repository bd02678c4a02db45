"""What a sponsor can give: a health card, a voluntary-SI book, a Tết gift.

Products only say *what* is given; the law on the purchase date says what it
costs (:func:`ansinh.price`).  Limits that depend on the date (allowed payment
periods, the income range of a book) are therefore checked when pricing, with
the law of that date; limits that never depend on it are checked here.

>>> HealthCard(months=12, household_rank=2)
HealthCard(months=12, household_rank=2)
>>> SocialBook(months=12, monthly_income=1_500_000).kind
<ProductKind.SOCIAL_BOOK: 'social_book'>
>>> TetGift(value=500_000, hospital="Bệnh viện Việt Đức", hospital_level="central")
TetGift(value=500000, hospital='Bệnh viện Việt Đức', hospital_level=<HospitalLevel.CENTRAL: 'central'>)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final, TypeAlias

import attrs

from ansinh.core.labels import Labelled
from ansinh.core.validators import Check, whole_number
from ansinh.exceptions import InvalidProductError

__all__ = [
    "MAX_HOSPITAL_NAME",
    "MAX_MONTHS",
    "HealthCard",
    "HospitalLevel",
    "Product",
    "ProductKind",
    "SocialBook",
    "TetGift",
]

MAX_MONTHS = 60
"""No product is paid for more than 60 months at once (the 5-year cap on voluntary-SI lump sums)."""


class ProductKind(Labelled):
    """The kinds of gift."""

    HEALTH_CARD = "health_card"
    """Thẻ BHYT (hộ gia đình or a supported group)."""
    SOCIAL_BOOK = "social_book"
    """Sổ BHXH tự nguyện: voluntary social-insurance contributions."""
    TET_GIFT = "tet_gift"
    """Suất quà Tết for an insured in-patient."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each kind's ``(Vietnamese, English)`` name."""
        return {
            "health_card": ("thẻ BHYT", "health-insurance card"),
            "social_book": ("sổ BHXH tự nguyện", "voluntary social-insurance book"),
            "tet_gift": ("suất quà Tết", "Tết gift"),
        }


def _whole(low: int, high: int | None) -> Check:
    return whole_number(low, high, InvalidProductError)


def _check_flag(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise InvalidProductError(attr.name, value, "True or False")


_flag = Check(_check_flag, (("type", "boolean"),))


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class HealthCard:
    """A health-insurance card (thẻ BHYT) paid for *months* months.

    Args:
        months: the payment period; the law of the purchase date decides which
            periods are allowed (3, 6 or 12 months for households under Decrees
            146/2018 and 188/2025 — parameter ``bhyt_payment_months``; a card
            priced in the student group follows ``bhyt_student_payment_months``:
            3, 6, 9 or 12 before 2025-07-01 — see
            :func:`~ansinh.core.pricing.card_payment_months`).
        household_rank: position of the person among household members joining
            in the same fiscal year (1 = first; 5 stands for fifth and later).
            Only households paying without state support get the reduction.
        first_year: the card of a first-year pupil or student (the first
            enrolment): before Decree 188/2025 such a card could be paid for 3 or
            15 months (parameter ``bhyt_first_year_student_payment_months``, read
            only for a card priced in the student group).
    """

    months: int = attrs.field(validator=_whole(1, MAX_MONTHS))
    household_rank: int = attrs.field(default=1, validator=_whole(1, None))
    first_year: bool = attrs.field(default=False, validator=_flag)

    def __repr__(self) -> str:
        first = ", first_year=True" if self.first_year else ""
        return f"HealthCard(months={self.months}, household_rank={self.household_rank}{first})"

    @property
    def kind(self) -> ProductKind:
        """Always :attr:`ProductKind.HEALTH_CARD`."""
        return ProductKind.HEALTH_CARD


def _check_income(_inst: object, _attr: object, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value <= 0):
        raise InvalidProductError(
            "monthly_income",
            value,
            "None (the legal minimum) or a positive whole number of đồng (never float)",
        )


_income = Check(_check_income, (("minimum", 1),))


@attrs.frozen(kw_only=True, cache_hash=True)
class SocialBook:
    """Voluntary social-insurance contributions (sổ BHXH tự nguyện) for *months* months.

    Args:
        months: the payment period; allowed periods come from the law of the
            purchase date (1, 3, 6 or 12 — parameter ``vsi_payment_months``).
        monthly_income: the chosen income the 22 % applies to; ``None`` means
            the legal minimum (the rural poverty line).  It must lie between the
            floor and the ceiling on the 50,000-đồng step; that is checked when
            pricing, because the range changes with the date.
    """

    months: int = attrs.field(validator=_whole(1, MAX_MONTHS))
    monthly_income: int | None = attrs.field(default=None, validator=_income)

    @property
    def kind(self) -> ProductKind:
        """Always :attr:`ProductKind.SOCIAL_BOOK`."""
        return ProductKind.SOCIAL_BOOK


class HospitalLevel(Labelled):
    """The level (tuyến) of the hospital a Tết gift is handed over in.

    The programme's reports count Tết gifts "tại các bệnh viện tuyến Trung ương,
    tuyến tỉnh và tuyến huyện".
    """

    CENTRAL = "central"
    """Tuyến Trung ương: Việt Đức, Bệnh nhiệt đới Trung ương, Nhi Trung ương …"""
    PROVINCE = "province"
    """Tuyến tỉnh: a province's hospitals."""
    DISTRICT = "district"
    """Tuyến huyện: a district's (former district's) hospital or health centre."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each level's ``(Vietnamese, English)`` name."""
        return {
            "central": ("tuyến Trung ương", "central"),
            "province": ("tuyến tỉnh", "provincial"),
            "district": ("tuyến huyện", "district"),
        }


MAX_HOSPITAL_NAME = 200
"""The longest hospital name a Tết gift takes, in characters."""


_HOSPITAL_PATTERN: Final = r"^(?:\S(?:.*\S)?)?(?![\s\S])"
"""A name on one line with no space around it (or ``""``): the validator and the JSON Schema share it
(the look-ahead ends the text where ``$`` would let a final line break through)."""
_HOSPITAL_NAME: Final = re.compile(_HOSPITAL_PATTERN)


def _check_hospital(_inst: object, _attr: object, value: Any) -> None:
    if not isinstance(value, str) or len(value) > MAX_HOSPITAL_NAME or not _HOSPITAL_NAME.search(value):
        raise InvalidProductError(
            "hospital",
            value,
            f'the hospital\'s name ("Bệnh viện Việt Đức"; one line of at most {MAX_HOSPITAL_NAME} characters, '
            'no space around it), or "" when not named',
        )


def _hospital_level(value: Any) -> HospitalLevel | None:
    if value is None or type(value) is HospitalLevel:
        return value
    try:
        return HospitalLevel(value)
    except ValueError:
        raise InvalidProductError(
            "hospital_level", value, "None (not known) or one of " + ", ".join(m.value for m in HospitalLevel)
        ) from None


@attrs.frozen(kw_only=True, cache_hash=True, repr=False)
class TetGift:
    """A Tết gift package for an insured in-patient, of a fixed value in đồng.

    There is no legal price: the campaign sets the value.  The gift may name
    the hospital it is handed over in and that hospital's level, so reports
    can say "tại Bệnh viện Việt Đức, Nhiệt đới Trung ương, Nhi Trung ương" and
    count gifts by level (documents written before these fields read as not
    named: ``""`` and ``None``).

    Args:
        value: the value of one gift, whole đồng.
        hospital: the hospital's name (``""``: not named).
        hospital_level: its :class:`HospitalLevel` (``None``: not known); only
            with a named hospital.
    """

    value: int = attrs.field(validator=_whole(1, None))
    hospital: str = attrs.field(
        default="",
        validator=Check(
            _check_hospital,
            (("type", "string"), ("maxLength", MAX_HOSPITAL_NAME), ("pattern", _HOSPITAL_PATTERN)),
        ),
    )
    hospital_level: HospitalLevel | None = attrs.field(default=None, converter=_hospital_level)

    def __attrs_post_init__(self) -> None:
        if self.hospital_level is not None and not self.hospital:
            raise InvalidProductError("hospital_level", self.hospital_level, "None when no hospital is named")

    def __repr__(self) -> str:
        where = f", hospital={self.hospital!r}" if self.hospital else ""
        level = f", hospital_level={self.hospital_level!r}" if self.hospital_level is not None else ""
        return f"TetGift(value={self.value}{where}{level})"

    @property
    def kind(self) -> ProductKind:
        """Always :attr:`ProductKind.TET_GIFT`."""
        return ProductKind.TET_GIFT

    @property
    def months(self) -> int:
        """A gift covers no period: 0."""
        return 0


Product: TypeAlias = HealthCard | SocialBook | TetGift
"""Any product ansinh can price."""
