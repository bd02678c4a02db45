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
    ``MILD_DISABILITY``                25     category person with a mild disability
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

Declared local policy (:class:`PriorityPolicy`)
    The points are local policy, not law: the table above is ansinh's own
    default (:data:`DEFAULT_PRIORITY_POLICY`, which says so).  A province
    replaces it with its own table and the decision it comes from, passed as
    ``priority_policy=`` to :func:`~ansinh.core.eligibility.check` and
    :func:`~ansinh.core.eligibility.screen` (a campaign folder's
    ``priority.toml``); parts its table leaves out give no points.  Plugins'
    parts (``ansinh_priority``) are added on top as before.

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
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Final, Literal

import attrs

from ansinh.core.dates import check_date
from ansinh.core.eligibility.values import Priority, PriorityParts
from ansinh.core.people import Category, Person, age_on
from ansinh.exceptions import InvalidValueError

if TYPE_CHECKING:
    from ansinh.core.eligibility.values import CheckContext, Decision

__all__ = [
    "DEFAULT_PRIORITY_POLICY",
    "DIFFICULT_CATEGORIES",
    "OLD_AGE",
    "PRIORITY_TABLE",
    "YOUNG_AGE",
    "PriorityPolicy",
    "category_parts",
    "check_parts",
    "check_policy",
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
        Category.MILD_DISABILITY,
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
    ("MILD_DISABILITY", 25, "người khuyết tật nhẹ", "person with a mild disability"),
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


def _points(value: object) -> tuple[tuple[str, int], ...]:
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("points", value, "(part, points) pairs or a mapping of part to points")
    out: dict[str, int] = {}
    for item in value:
        if not isinstance(item, tuple | list) or len(item) != 2:
            raise InvalidValueError("points", item, "a (part, points) pair")
        code, pts = item
        if code not in _POINTS:
            raise InvalidValueError("points", code, "a part of PRIORITY_TABLE: " + ", ".join(_POINTS))
        if isinstance(pts, bool) or not isinstance(pts, int) or pts < 0:
            raise InvalidValueError(f"points.{code}", pts, "a whole number of points >= 0")
        if code in out:
            raise InvalidValueError("points", code, "each part once")
        out[code] = pts
    return tuple((code, out[code]) for code in _POINTS if code in out)


@attrs.frozen(kw_only=True)
class PriorityPolicy:
    """A table of priority points and where it comes from: a province's decision, or ansinh's default.

    >>> hy = PriorityPolicy(points={"POOR": 50, "NEAR_POOR": 40, "AGE_60_PLUS": 5},
    ...                     source="Quyết định số 12/QĐ-UBND tỉnh Hưng Yên (ví dụ)", province="33")
    >>> hy.points_of("NEAR_POOR"), hy.points_of("STUDENT"), hy.is_default
    (40, 0, False)
    """

    points: tuple[tuple[str, int], ...] = attrs.field(converter=_points)
    """``(part, points)`` for the parts the table gives points to, in :data:`PRIORITY_TABLE` order."""
    source: str = attrs.field()
    """The decision the table comes from (or, for the default, that it has no legal source)."""
    province: str | None = None
    """The province whose table it is; ``None`` for ansinh's default."""
    is_default: bool = False
    """Whether this is ansinh's own default table."""

    @source.validator
    def _check_source(self, _attr: object, value: object) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidValueError("source", value, "the decision the table comes from (non-empty text)")

    def points_of(self, code: str) -> int:
        """The points of part *code* under this table (0 when the table leaves it out)."""
        return dict(self.points).get(code, 0)


DEFAULT_PRIORITY_POLICY: Final = PriorityPolicy(
    points=tuple((code, pts) for code, pts, _, _ in PRIORITY_TABLE),
    source="ansinh's default table: no legal source; a province declares its own (PriorityPolicy)",
    is_default=True,
)
"""ansinh's own points (:data:`PRIORITY_TABLE`), declared as a default without a legal source."""

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
def category_parts(
    categories: frozenset[Category], policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY
) -> PriorityParts:
    """The parts *categories* give under *policy*, in the order of :data:`PRIORITY_TABLE`.

    >>> category_parts(frozenset({Category.ETHNIC_MINORITY, Category.NEAR_POOR}))
    (('NEAR_POOR', 30), ('ETHNIC_MINORITY', 15))
    """
    if policy is DEFAULT_PRIORITY_POLICY:
        return tuple((code, pts) for cat, code, pts in _CATEGORY_PARTS if cat in categories)
    table = dict(policy.points)
    return tuple(
        (code, table[code]) for cat, code, _ in _CATEGORY_PARTS if cat in categories and code in table
    )


@functools.lru_cache(maxsize=4096)
def _builtin_priority(
    categories: frozenset[Category],
    reviewed: bool,
    old: bool,
    young: bool,
    uninsured: bool,
    policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> Priority:
    parts = list(category_parts(categories, policy))
    table = _POINTS if policy is DEFAULT_PRIORITY_POLICY else dict(policy.points)
    for code, applies in (
        ("DIFFICULT_CIRCUMSTANCES", reviewed),
        ("AGE_60_PLUS", old),
        ("AGE_UNDER_16", young and not old),
        ("UNINSURED", uninsured),
    ):
        if applies and code in table:
            parts.append((code, table[code]))
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


def priority(
    person: Person,
    *,
    on: dt.date,
    extra: PriorityParts = (),
    policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> Priority:
    """The priority of *person* on a date, with its parts (see the module docstring's table).

    Args:
        person: the candidate.
        on: the date (ages are counted on it).
        extra: extra ``(code, points)`` parts, e.g. from a province plugin;
            they follow the built-in parts.
        policy: the points table (default: :data:`DEFAULT_PRIORITY_POLICY`).

    Raises:
        InvalidValueError: *person* is not a Person, *on* not a date, *extra*
            malformed, or *policy* not a :class:`PriorityPolicy`.

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
    check_policy(policy)
    return _priority(
        person, age_on(person.date_of_birth, on), on, check_parts(extra) if extra else (), policy
    )


def check_policy(policy: object) -> PriorityPolicy:
    """*policy* if it is a :class:`PriorityPolicy`.

    Raises:
        InvalidValueError: it is not.
    """
    if not isinstance(policy, PriorityPolicy):
        raise InvalidValueError("priority_policy", policy, "a PriorityPolicy (ansinh.core.eligibility)")
    return policy


def context_priority(
    ctx: CheckContext, extra: PriorityParts = (), policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY
) -> Priority:
    """:func:`priority` of the context's person on its date (the age the context holds).

    Raises:
        InvalidValueError: *extra* is malformed.
    """
    return _priority(ctx.person, ctx.age, ctx.on, check_parts(extra) if extra else (), policy)


def _priority(
    person: Person, age: int, on: dt.date, extra: PriorityParts, policy: PriorityPolicy
) -> Priority:
    until = person.bhyt_valid_until
    base = _builtin_priority(
        person.categories,
        person.difficult_circumstances,
        age >= OLD_AGE,
        age < YOUNG_AGE,
        until is None or until < on,
        policy,
    )
    return Priority.of(base.parts + extra) if extra else base


def ranking_key(decision: Decision) -> tuple[int, dt.date, str]:
    """Sort key: higher score first, then the older person, then ``person.id``."""
    return (-decision.priority.score, decision.person.date_of_birth, decision.person.id)
