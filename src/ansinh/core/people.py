"""People: who a gift is for, with their identifiers masked wherever they show.

>>> import datetime as dt
>>> p = Person(id="HN-001", full_name="Nguyễn Thị Lan", date_of_birth=dt.date(1970, 3, 1),
...            province="01", categories=frozenset({Category.NEAR_POOR}),
...            cccd="001170012389")
>>> p.masked_cccd
'0011******89'
>>> "001170012389" in repr(p)
False
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ansinh.core import validators
from ansinh.core.dates import is_date
from ansinh.core.identifiers import mask_id
from ansinh.core.labels import Labelled
from ansinh.core.provinces import current_code_for_former, former_provinces
from ansinh.core.validators import Check, optional_former_province
from ansinh.exceptions import InvalidPersonError, InvalidValueError

__all__ = ["IMPLIED_CATEGORIES", "Category", "Person", "age_on", "mask_id", "rate_groups", "to_categories"]


class Category(Labelled):
    """Circumstances the law or the programme treats differently.

    The value is the stable code used in data files and in the law's rate
    tables (``bhyt_state_support``, ``vsi_state_support`` …).
    """

    POOR = "poor"
    """Member of a poor household (hộ nghèo)."""
    NEAR_POOR = "near_poor"
    """Member of a near-poor household (hộ cận nghèo)."""
    JUST_ESCAPED_POVERTY = "just_escaped_poverty"
    """Household that has just left (near-)poverty (hộ mới thoát nghèo)."""
    ETHNIC_MINORITY = "ethnic_minority"
    """Ethnic minority (người dân tộc thiểu số)."""
    ETHNIC_MINORITY_DIFFICULT_AREA = "ethnic_minority_difficult_area"
    """Ethnic minority living where the state pays BHYT in full (vùng có điều kiện KT-XH khó khăn)."""
    STUDENT = "student"
    """Pupil or student (học sinh, sinh viên)."""
    FARM_AVERAGE_INCOME = "farm_average_income"
    """Farm, forestry, fishery or salt household of average living standard."""
    ISLAND_RESIDENT = "island_resident"
    """Resident of an island commune or special zone (xã đảo, đặc khu)."""
    EXTREMELY_DIFFICULT_AREA = "extremely_difficult_area"
    """Resident of an area with extremely difficult socio-economic conditions, any ethnicity
    (vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn; state pays BHYT in full)."""
    SOCIAL_PENSION_75 = "social_pension_75"
    """Aged 75 or more and receiving the social pension (trợ cấp hưu trí xã hội; from 2025-07-01
    the state pays BHYT in full)."""
    DISABILITY = "disability"
    """Person with a disability (người khuyết tật)."""
    MILD_DISABILITY = "mild_disability"
    """Person with a mild disability, as the competent authority certified it (người khuyết tật nhẹ):
    a group Hà Nội's Resolution 19/NQ-HĐND (2025) Art. 2 supports from 2026-01-01 (confirmed at
    news level: giadinh.suckhoedoisong.vn, 2025-07-29).  It implies :attr:`DISABILITY`."""
    ELDERLY_ALONE = "elderly_alone"
    """Elderly person living alone (người cao tuổi cô đơn)."""
    CHILD = "child"
    """Child in difficult circumstances (trẻ em có hoàn cảnh khó khăn)."""
    SOCIAL_ALLOWANCE = "social_allowance"
    """Receives a monthly social-protection allowance (state pays BHYT in full)."""
    MERITORIOUS = "meritorious"
    """Person with meritorious services or their relative (state pays BHYT in full)."""
    FREE_WORKER = "free_worker"
    """Informal worker without stable income (lao động tự do)."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each category's ``(Vietnamese, English)`` label."""
        return _LABELS


_LABELS: Final[Mapping[str, tuple[str, str]]] = {
    Category.POOR: ("hộ nghèo", "poor household"),
    Category.NEAR_POOR: ("hộ cận nghèo", "near-poor household"),
    Category.JUST_ESCAPED_POVERTY: ("hộ mới thoát nghèo", "just escaped poverty"),
    Category.ETHNIC_MINORITY: ("người dân tộc thiểu số", "ethnic minority"),
    Category.ETHNIC_MINORITY_DIFFICULT_AREA: (
        "người dân tộc thiểu số vùng khó khăn",
        "ethnic minority in a disadvantaged area",
    ),
    Category.STUDENT: ("học sinh, sinh viên", "student"),
    Category.FARM_AVERAGE_INCOME: (
        "hộ nông, lâm, ngư, diêm nghiệp có mức sống trung bình",
        "farm household of average living standard",
    ),
    Category.ISLAND_RESIDENT: ("cư trú tại xã đảo, đặc khu", "island commune or special zone"),
    Category.EXTREMELY_DIFFICULT_AREA: (
        "cư trú tại vùng đặc biệt khó khăn",
        "area with extremely difficult conditions",
    ),
    Category.SOCIAL_PENSION_75: (
        "từ đủ 75 tuổi hưởng trợ cấp hưu trí xã hội",
        "aged 75+ on the social pension",
    ),
    Category.DISABILITY: ("người khuyết tật", "person with a disability"),
    Category.MILD_DISABILITY: ("người khuyết tật nhẹ", "person with a mild disability"),
    Category.ELDERLY_ALONE: ("người cao tuổi cô đơn", "elderly person living alone"),
    Category.CHILD: ("trẻ em có hoàn cảnh khó khăn", "child in difficult circumstances"),
    Category.SOCIAL_ALLOWANCE: ("hưởng trợ cấp xã hội hằng tháng", "monthly social allowance"),
    Category.MERITORIOUS: ("người có công với cách mạng", "person with meritorious services"),
    Category.FREE_WORKER: ("lao động tự do", "informal worker"),
}


IMPLIED_CATEGORIES: Final[Mapping[Category, frozenset[Category]]] = {
    Category.ETHNIC_MINORITY_DIFFICULT_AREA: frozenset({Category.ETHNIC_MINORITY}),
    Category.MILD_DISABILITY: frozenset({Category.DISABILITY}),
}
"""The other groups a category belongs to by definition.

An ethnic-minority person living in a difficult area is an ethnic-minority person:
Decree 159/2025 Art. 5 gives them the ethnic-minority voluntary-SI rate (30 %), and a
province's ethnic-minority top-up applies to them too.  A person with a mild disability is a
person with a disability.
"""


def rate_groups(categories: Iterable[Category]) -> frozenset[Category]:
    """*categories* with every group they imply (:data:`IMPLIED_CATEGORIES`).

    Pricing looks rates up under these, so a category maps to every group it belongs to.

    >>> sorted(c.value for c in rate_groups({Category.ETHNIC_MINORITY_DIFFICULT_AREA}))
    ['ethnic_minority', 'ethnic_minority_difficult_area']
    """
    found = set(categories)
    for category in tuple(found):
        found |= IMPLIED_CATEGORIES.get(category, frozenset())
    return frozenset(found)


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    """Whole years of age on a date (a person born on 29 February turns a year older on 1 March).

    >>> age_on(dt.date(2011, 1, 15), dt.date(2026, 1, 15))
    15
    >>> age_on(dt.date(2011, 1, 15), dt.date(2026, 1, 14))
    14
    """
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def to_categories(
    value: Iterable[Category | str], *, error: type[InvalidValueError] = InvalidPersonError
) -> frozenset[Category]:
    """*value* as a frozenset of :class:`Category` (codes are converted); the converter of every ``categories`` field.

    Raises:
        InvalidValueError: *error* (by default :class:`~ansinh.exceptions.InvalidPersonError`)
            naming the item that is not a category, or the value if it is a string or not a collection.

    >>> sorted(to_categories(["poor", Category.NEAR_POOR]))
    [<Category.NEAR_POOR: 'near_poor'>, <Category.POOR: 'poor'>]
    """
    if type(value) is frozenset:
        for item in value:
            if type(item) is not Category:
                break
        else:
            return value  # already what the field holds (a loader or another ansinh object gave it)
    if isinstance(value, str):
        raise error("categories", value, "a set of Category values, not a string")
    result = set()
    try:
        items = iter(value)
    except TypeError:
        raise error("categories", value, "a set of Category values") from None
    for item in items:
        try:
            result.add(Category(item))
        except ValueError:
            raise error("categories", item, "one of " + ", ".join(c.value for c in Category)) from None
    return frozenset(result)


_text = validators.text(error=InvalidPersonError)


def _former_merged_into_province(person: Any, _attr: object, value: Any) -> None:
    """``None``, or a former (pre-2025-07-01) province code that merged into the person's province."""
    if value is None:
        return
    merged = None
    if isinstance(value, str) and value in _FORMER_CODES:
        merged = current_code_for_former(value)
    if merged is None or merged != person.province:
        raise InvalidPersonError(
            "former_province", value, f"None or a pre-2025 province code that merged into {person.province}"
        )


_FORMER_CODES: Final = frozenset(p.code for p in former_provinces())
_FORMER_PROVINCE: Final = Check(_former_merged_into_province, optional_former_province.schema)


@attrs.frozen(kw_only=True, repr=False)
class Person:
    """A person on a reviewed list (người có hoàn cảnh khó khăn).

    Identifiers (``cccd``, ``social_insurance_number``) are validated and are
    masked in ``repr``; use :attr:`masked_cccd` in anything printed.
    """

    id: str = attrs.field(validator=_text)
    """The roster's own identifier for this person."""
    full_name: str = attrs.field(validator=_text)
    """Họ và tên."""
    date_of_birth: dt.date = attrs.field(validator=validators.day(error=InvalidPersonError))
    """Ngày sinh."""
    province: str = attrs.field(validator=validators.province)
    """Code of one of the 34 current province-level units (see :mod:`ansinh.core.provinces`)."""
    categories: frozenset[Category] = attrs.field(factory=frozenset, converter=to_categories)
    """Circumstances (poor, near-poor, student …)."""
    cccd: str | None = attrs.field(
        default=None, validator=validators.identifier(12, error=InvalidPersonError)
    )
    """Số CCCD: 12 digits."""
    social_insurance_number: str | None = attrs.field(
        default=None, validator=validators.identifier(10, error=InvalidPersonError)
    )
    """Mã số BHXH: 10 digits."""
    commune: str = ""
    """Xã/phường of residence (public lists never show it); area-keyed programmes read it."""
    district: str = ""
    """Quận/huyện of residence before 2025-07-01 (districts were abolished then); a district's own
    programme (e.g. Long Biên) reads it."""
    former_province: str | None = attrs.field(default=None, validator=_FORMER_PROVINCE)
    """Code of the province of residence before 2025-07-01 (one of the 63; it must have merged into
    :attr:`province`); a former province's programme reads it.  ``None``: not given."""
    household_id: str | None = None
    """Identifies members of one household (same lawful residence)."""
    vietnamese_citizen: bool = True
    """Công dân Việt Nam."""
    difficult_circumstances: bool = False
    """Set by the review with the commune when no category says it."""
    compulsory_si: bool = False
    """Currently in compulsory social insurance (BHXH bắt buộc)."""
    receives_pension: bool = False
    """Currently receiving a pension (đang hưởng lương hưu)."""
    bhyt_valid_until: dt.date | None = attrs.field(
        default=None, validator=validators.day(error=InvalidPersonError, optional=True)
    )
    """Last day of the person's current or latest health-insurance card; ``None``: never insured."""
    vsi_supported_months: int = attrs.field(
        default=0, validator=validators.whole_number(0, error=InvalidPersonError)
    )
    """Months of voluntary SI already supported by the state (the 120-month cap)."""
    left_poverty_on: dt.date | None = attrs.field(
        default=None, validator=validators.day(error=InvalidPersonError, optional=True)
    )
    """The day the household left the poverty or near-poverty list (thoát nghèo, thoát cận nghèo);
    ``None``: not known.  A programme that supports people just out of poverty only for some months
    (:attr:`LocalSupport.group_months <ansinh.core.shares.LocalSupport.group_months>`: HCMC and Hà Nội
    36 months, Long Biên 12) counts them from this day; without it the limit cannot be checked."""
    hospital_stay: tuple[dt.date, dt.date] | None = attrs.field(default=None)
    """Admission and expected discharge, for Tết gifts to in-patients."""

    @hospital_stay.validator
    def _check_stay(self, _attr: object, value: Any) -> None:
        if value is None:
            return
        ok = (
            isinstance(value, tuple) and len(value) == 2 and all(map(is_date, value)) and value[0] <= value[1]
        )
        if not ok:
            raise InvalidPersonError(
                "hospital_stay", value, "None or (admission date, discharge date) with admission first"
            )

    @property
    def masked_cccd(self) -> str | None:
        """The CCCD as a public list shows it (``0012******89``)."""
        return mask_id(self.cccd)

    @property
    def masked_social_insurance_number(self) -> str | None:
        """The mã số BHXH, masked."""
        return mask_id(self.social_insurance_number)

    def age_on(self, on: dt.date) -> int:
        """Whole years of age on a date.

        Raises:
            InvalidValueError: *on* is not a :class:`datetime.date`.
        """
        if not is_date(on):
            raise InvalidValueError("on", on, "a datetime.date")
        return age_on(self.date_of_birth, on)

    def __repr__(self) -> str:
        cats = ", ".join(sorted(c.value for c in self.categories))
        return (
            f"Person(id={self.id!r}, full_name={self.full_name!r}, "
            f"born={self.date_of_birth.year}, province={self.province!r}, "
            f"categories={{{cats}}}, cccd={self.masked_cccd!r})"
        )
