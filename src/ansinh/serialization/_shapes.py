"""How ansinh's types look in its JSON format: shared by the converter and the JSON Schema builder.

One home for what both need to agree on: the patterns of dates and exact
rates, which unions carry a tag (and which tag each member has), and which
types are ansinh's own.
"""

from __future__ import annotations

import enum
import re
import types
import typing
from fractions import Fraction
from typing import Any, Final

import attrs

from ansinh.core.events import EVENT_TYPES
from ansinh.core.law import Link, ParamValue
from ansinh.core.products import HealthCard, ProductKind, SocialBook, TetGift

FRACTION_RE: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+|/[0-9]*[1-9][0-9]*)?")
"""An exact rate: a decimal, or a fraction with a non-zero denominator (read with ``fullmatch``)."""
DATE_RE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
"""An ISO date's shape (read with ``fullmatch``; ``date.fromisoformat`` checks the day exists)."""

END_OF_TEXT: Final = r"(?![\s\S])"
"""The end of the text in both Python's and ECMA-262's regexes (``$`` also matches before a final newline in Python's)."""
FRACTION_PATTERN: Final = "^" + FRACTION_RE.pattern + END_OF_TEXT
DATE_PATTERN: Final = "^" + DATE_RE.pattern + END_OF_TEXT

UNITS_TYPE: Final = tuple[tuple[ProductKind, int], ...]


@attrs.frozen
class TaggedUnion:
    """A union whose members carry a tag key, so a reader knows which one it has."""

    name: str
    """The name of its JSON Schema definition."""
    key: str
    """The tag key in each member's object."""
    members: tuple[tuple[type[Any], str], ...]
    """Each member class and its tag."""
    description: str

    @property
    def args(self) -> frozenset[Any]:
        """The member classes."""
        return frozenset(cl for cl, _ in self.members)


UNIONS: Final = (
    TaggedUnion(
        "Product",
        "kind",
        (
            (HealthCard, ProductKind.HEALTH_CARD.value),
            (SocialBook, ProductKind.SOCIAL_BOOK.value),
            (TetGift, ProductKind.TET_GIFT.value),
        ),
        'Any product, told apart by its "kind".',
    ),
    TaggedUnion(
        "LedgerEvent",
        "type",
        tuple((cl, cl.type) for cl in EVENT_TYPES),
        'Any ledger event, told apart by its "type".',
    ),
)
TAG_OF: Final[dict[type[Any], tuple[str, str]]] = {cl: (u.key, tag) for u in UNIONS for cl, tag in u.members}


def union_args(tp: Any) -> frozenset[Any] | None:
    """The members of *tp* if it is a union (``A | B`` or ``Union[A, B]``), else ``None``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return frozenset(typing.get_args(tp))
    return None


PARAM_VALUE_ARGS: Final = frozenset(typing.get_args(ParamValue))
PARAM_OR_LINK_ARGS: Final = PARAM_VALUE_ARGS | {Link}
INT_OR_FRACTION_ARGS: Final = frozenset({int, Fraction})


def tagged_union(tp: Any) -> TaggedUnion | None:
    """The tagged union *tp* is (same members), or ``None``."""
    args = union_args(tp)
    for union in UNIONS:
        if args == union.args:
            return union
    return None


def is_tuple(tp: Any) -> bool:
    """Whether *tp* is a ``tuple[...]`` type."""
    return typing.get_origin(tp) is tuple


def is_frozenset(tp: Any) -> bool:
    """Whether *tp* is a ``frozenset[...]`` type."""
    return typing.get_origin(tp) is frozenset


def is_ansinh_enum(tp: Any) -> bool:
    """Whether *tp* is one of ansinh's enums (written as its value)."""
    return isinstance(tp, type) and issubclass(tp, enum.Enum) and tp.__module__.startswith("ansinh.")


def is_ansinh_attrs(tp: Any) -> bool:
    """Whether *tp* is one of ansinh's attrs classes (written as a JSON object)."""
    return isinstance(tp, type) and attrs.has(tp) and tp.__module__.startswith("ansinh.")


def public_fields(cl: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    """The fields of *cl* a document holds: those its constructor takes."""
    return tuple(a for a in attrs.fields(cl) if a.init)
