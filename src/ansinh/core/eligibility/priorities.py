"""Who comes first: difficult circumstances, the priority score, and the ranking order.

Difficult circumstances
    A person is in difficult circumstances when the review set
    :attr:`~ansinh.core.people.Person.difficult_circumstances`, or when one of
    their categories is among :data:`DIFFICULT_CATEGORIES` (the programme's
    target groups: ethnic minorities, people who just escaped poverty,
    near-poor and average-living-standard farm households, other disadvantaged
    people).

Priority (:func:`priority`)
    A deterministic score: the sum of the points of every part that applies
    (:data:`PRIORITY_TABLE`), plus the parts a province plugin adds.

    ================================== ====== =========================================
    part                               points when
    ================================== ====== =========================================
    ``POOR``                           40     category poor household
    ``NEAR_POOR``                      30     category near-poor household
    ``DISABILITY``                     25     category person with a disability
    ``ELDERLY_ALONE``                  25     category elderly person living alone
    ``JUST_ESCAPED_POVERTY``           20     category just escaped poverty
    ``CHILD``                          20     category child in difficult circumstances
    ``ETHNIC_MINORITY``                15     category ethnic minority
    ``ETHNIC_MINORITY_DIFFICULT_AREA`` 15     category ethnic minority, difficult area
    ``SOCIAL_ALLOWANCE``               10     category monthly social allowance
    ``FARM_AVERAGE_INCOME``            10     category farm household, average standard
    ``ISLAND_RESIDENT``                10     category island commune or special zone
    ``EXTREMELY_DIFFICULT_AREA``       10     category extremely difficult area
    ``SOCIAL_PENSION_75``              10     category aged 75+ on the social pension
    ``STUDENT``                        5      category student
    ``FREE_WORKER``                    5      category informal worker
    ``MERITORIOUS``                    5      category meritorious services
    ``DIFFICULT_CIRCUMSTANCES``        10     flag set by the review
    ``AGE_60_PLUS``                    10     aged 60 or over on the date
    ``AGE_UNDER_16``                   10     aged under 16 on the date
    ``UNINSURED``                      10     no health card valid on the date
    ================================== ====== =========================================

Ordering (:func:`ranking_key`)
    Higher score first; on a tie the older person first (earlier date of
    birth); then by ``person.id``.  So two lists built from the same people
    always come out in the same order.

>>> import datetime as dt
>>> from ansinh.core.people import Category, Person
>>> p = Person(id="HY-001", full_name="Trần Văn Bình", date_of_birth=dt.date(1958, 4, 2),
...            province="33", categories={Category.NEAR_POOR})
>>> pr = priority(p, on=dt.date(2026, 1, 10))
>>> pr.score, pr.parts
(50, (('NEAR_POOR', 30), ('AGE_60_PLUS', 10), ('UNINSURED', 10)))
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Final, Literal

from ansinh.core.dates import check_date
from ansinh.core.eligibility.values import Priority, PriorityParts
from ansinh.core.people import Category, Person, age_on
from ansinh.exceptions import InvalidValueError

if TYPE_CHECKING:
    from ansinh.core.eligibility.values import CheckContext, Decision

__all__ = [
    "DIFFICULT_CATEGORIES",
    "OLD_AGE",
    "PRIORITY_TABLE",
    "YOUNG_AGE",
    "category_parts",
    "check_parts",
    "context_priority",
    "difficult_categories",
    "in_difficult_circumstances",
    "part_label",
    "part_points",
    "priority",
    "ranking_key",
]

DIFFICULT_CATEGORIES: Final[frozenset[Category]] = frozenset(
    {
        Category.POOR,
        Category.NEAR_POOR,
        Category.JUST_ESCAPED_POVERTY,
        Category.ETHNIC_MINORITY,
        Category.ETHNIC_MINORITY_DIFFICULT_AREA,
        Category.FARM_AVERAGE_INCOME,
        Category.DISABILITY,
        Category.ELDERLY_ALONE,
        Category.CHILD,
        Category.SOCIAL_ALLOWANCE,
    }
)
"""Categories that by themselves count as difficult circumstances (the programme's targets)."""

PRIORITY_TABLE: Final[tuple[tuple[str, int, str, str], ...]] = (
    ("POOR", 40, "hộ nghèo", "poor household"),
    ("NEAR_POOR", 30, "hộ cận nghèo", "near-poor household"),
    ("DISABILITY", 25, "người khuyết tật", "person with a disability"),
    ("ELDERLY_ALONE", 25, "người cao tuổi cô đơn", "elderly person living alone"),
    ("JUST_ESCAPED_POVERTY", 20, "hộ mới thoát nghèo", "just escaped poverty"),
    ("CHILD", 20, "trẻ em có hoàn cảnh khó khăn", "child in difficult circumstances"),
    ("ETHNIC_MINORITY", 15, "người dân tộc thiểu số", "ethnic minority"),
    (
        "ETHNIC_MINORITY_DIFFICULT_AREA",
        15,
        "người dân tộc thiểu số vùng khó khăn",
        "ethnic minority in a disadvantaged area",
    ),
    ("SOCIAL_ALLOWANCE", 10, "hưởng trợ cấp xã hội hằng tháng", "monthly social allowance"),
    ("FARM_AVERAGE_INCOME", 10, "hộ nông, lâm, ngư, diêm nghiệp mức sống trung bình", "farm household"),
    ("ISLAND_RESIDENT", 10, "cư trú tại xã đảo, đặc khu", "island commune or special zone"),
    (
        "EXTREMELY_DIFFICULT_AREA",
        10,
        "cư trú tại vùng đặc biệt khó khăn",
        "area with extremely difficult conditions",
    ),
    ("SOCIAL_PENSION_75", 10, "từ đủ 75 tuổi hưởng trợ cấp hưu trí xã hội", "aged 75+ on the social pension"),
    ("STUDENT", 5, "học sinh, sinh viên", "student"),
    ("FREE_WORKER", 5, "lao động tự do", "informal worker"),
    ("MERITORIOUS", 5, "người có công với cách mạng", "person with meritorious services"),
    ("DIFFICULT_CIRCUMSTANCES", 10, "hoàn cảnh khó khăn (xác nhận khi rà soát)", "difficult circumstances"),
    ("AGE_60_PLUS", 10, "từ 60 tuổi trở lên", "aged 60 or over"),
    ("AGE_UNDER_16", 10, "dưới 16 tuổi", "aged under 16"),
    ("UNINSURED", 10, "chưa có thẻ BHYT còn giá trị", "no valid health card"),
)
"""Every built-in priority part: ``(code, points, label_vi, label_en)``, highest points first."""

OLD_AGE: Final = 60
"""From this age on the date, the part ``AGE_60_PLUS`` applies."""
YOUNG_AGE: Final = 16
"""Under this age on the date, the part ``AGE_UNDER_16`` applies."""

_POINTS: Final[dict[str, int]] = {code: pts for code, pts, _, _ in PRIORITY_TABLE}
_LABELS: Final[dict[str, tuple[str, str]]] = {code: (vi, en) for code, _, vi, en in PRIORITY_TABLE}
# The category parts in table order, so the parts of a score always come out in the same order.
_CATEGORY_PARTS: Final[tuple[tuple[Category, str, int], ...]] = tuple(
    (Category(code.lower()), code, pts)
    for code, pts, _, _ in PRIORITY_TABLE
    if code.lower() in {c.value for c in Category}
)


def part_points(code: str) -> int:
    """The points of a built-in part (:data:`PRIORITY_TABLE`).

    Raises:
        InvalidValueError: *code* is not a built-in part.

    >>> part_points("UNINSURED")
    10
    """
    try:
        return _POINTS[code]
    except KeyError:
        raise InvalidValueError("code", code, "a part of PRIORITY_TABLE") from None


def part_label(code: str, lang: Literal["vi", "en"] = "vi") -> str:
    """The label of a part in ``"vi"`` or ``"en"``; a part not in the table is named by its code.

    >>> part_label("NEAR_POOR"), part_label("NEAR_POOR", "en"), part_label("COMMUNE_X")
    ('hộ cận nghèo', 'near-poor household', 'COMMUNE_X')
    """
    labels = _LABELS.get(code)
    if labels is None:
        return code
    return labels[1] if lang == "en" else labels[0]


def difficult_categories(categories: frozenset[Category]) -> bool:
    """Whether one of *categories* counts by itself as difficult circumstances.

    >>> difficult_categories(frozenset({Category.STUDENT})), difficult_categories(frozenset({Category.POOR}))
    (False, True)
    """
    return not categories.isdisjoint(DIFFICULT_CATEGORIES)


def in_difficult_circumstances(person: Person) -> bool:
    """Whether the person counts as being in difficult circumstances.

    True when the review set the flag, or when a category is one of
    :data:`DIFFICULT_CATEGORIES`.
    """
    return person.difficult_circumstances or not person.categories.isdisjoint(DIFFICULT_CATEGORIES)


@functools.lru_cache(maxsize=1024)
def category_parts(categories: frozenset[Category]) -> PriorityParts:
    """The parts *categories* give, in the order of :data:`PRIORITY_TABLE`.

    >>> category_parts(frozenset({Category.ETHNIC_MINORITY, Category.NEAR_POOR}))
    (('NEAR_POOR', 30), ('ETHNIC_MINORITY', 15))
    """
    return tuple((code, pts) for cat, code, pts in _CATEGORY_PARTS if cat in categories)


@functools.lru_cache(maxsize=4096)
def _builtin_priority(
    categories: frozenset[Category], reviewed: bool, old: bool, young: bool, uninsured: bool
) -> Priority:
    parts = list(category_parts(categories))
    if reviewed:
        parts.append(("DIFFICULT_CIRCUMSTANCES", _POINTS["DIFFICULT_CIRCUMSTANCES"]))
    if old:
        parts.append(("AGE_60_PLUS", _POINTS["AGE_60_PLUS"]))
    elif young:
        parts.append(("AGE_UNDER_16", _POINTS["AGE_UNDER_16"]))
    if uninsured:
        parts.append(("UNINSURED", _POINTS["UNINSURED"]))
    return Priority.of(tuple(parts))


def check_parts(parts: object, *, field: str = "extra") -> PriorityParts:
    """*parts* as a tuple of ``(code, points)`` pairs, checked.

    Raises:
        InvalidValueError: *parts* is not a sequence of (non-empty str, int) pairs; names *field*.

    >>> check_parts([("COMMUNE_X", 5)])
    (('COMMUNE_X', 5),)
    """
    if not isinstance(parts, tuple | list):
        raise InvalidValueError(field, parts, "a tuple of (code, points) pairs")
    out = []
    for item in parts:
        if (
            not isinstance(item, tuple | list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or not item[0]
            or isinstance(item[1], bool)
            or not isinstance(item[1], int)
        ):
            raise InvalidValueError(field, item, "a (code, points) pair: a non-empty str and an int")
        out.append((item[0], item[1]))
    return tuple(out)


def priority(person: Person, *, on: dt.date, extra: PriorityParts = ()) -> Priority:
    """The priority of *person* on a date, with its parts (see the module docstring's table).

    Args:
        person: the candidate.
        on: the date (ages are counted on it).
        extra: extra ``(code, points)`` parts, e.g. from a province plugin;
            they follow the built-in parts.

    Raises:
        InvalidValueError: *person* is not a Person, *on* not a date, or *extra* malformed.

    >>> import datetime as dt
    >>> from ansinh.core.people import Category, Person
    >>> p = Person(id="1", full_name="A", date_of_birth=dt.date(2015, 1, 1), province="01",
    ...            categories={Category.CHILD}, bhyt_valid_until=dt.date(2026, 12, 31))
    >>> priority(p, on=dt.date(2026, 1, 1), extra=(("COMMUNE_X", 5),)).parts
    (('CHILD', 20), ('AGE_UNDER_16', 10), ('COMMUNE_X', 5))
    """
    if not isinstance(person, Person):
        raise InvalidValueError("person", person, "an ansinh.Person")
    check_date("on", on)
    return _priority(person, age_on(person.date_of_birth, on), on, check_parts(extra) if extra else ())


def context_priority(ctx: CheckContext, extra: PriorityParts = ()) -> Priority:
    """:func:`priority` of the context's person on its date (the age the context holds).

    Raises:
        InvalidValueError: *extra* is malformed.
    """
    return _priority(ctx.person, ctx.age, ctx.on, check_parts(extra) if extra else ())


def _priority(person: Person, age: int, on: dt.date, extra: PriorityParts) -> Priority:
    until = person.bhyt_valid_until
    base = _builtin_priority(
        person.categories,
        person.difficult_circumstances,
        age >= OLD_AGE,
        age < YOUNG_AGE,
        until is None or until < on,
    )
    return Priority.of(base.parts + extra) if extra else base


def ranking_key(decision: Decision) -> tuple[int, dt.date, str]:
    """Sort key: higher score first, then the older person, then ``person.id``."""
    return (-decision.priority.score, decision.person.date_of_birth, decision.person.id)
