"""attrs validators shared by the domain classes; each error names the field, the value and what is allowed.

Each check is made by a factory whose ``error`` keyword is the error class
raised (an :class:`~ansinh.exceptions.InvalidValueError` subclass, e.g. Person's
:class:`~ansinh.exceptions.InvalidPersonError`); the plain validators
(:data:`non_empty_text`, :data:`date` …) raise InvalidValueError.

>>> import attrs
>>> from ansinh.exceptions import InvalidPersonError
>>> @attrs.frozen
... class Card:
...     holder: str = attrs.field(validator=text(error=InvalidPersonError))
>>> Card(" ")
Traceback (most recent call last):
...
ansinh.exceptions.InvalidPersonError: holder=' ' is not allowed: a non-empty string
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Iterable
from itertools import chain, groupby, repeat
from typing import TYPE_CHECKING, Any, Final

import attrs

from ansinh.core.dates import is_date
from ansinh.core.identifiers import is_digits, mask_id
from ansinh.core.provinces import former_province as _former_province
from ansinh.core.provinces import former_provinces as _former_provinces
from ansinh.core.provinces import province as _province
from ansinh.core.provinces import provinces as _provinces
from ansinh.exceptions import InvalidValueError

__all__ = [
    "Check",
    "Validator",
    "date",
    "day",
    "identifier",
    "instance_of",
    "items",
    "names_ok",
    "non_empty_text",
    "non_negative_int",
    "optional_former_province",
    "optional_non_negative_int",
    "optional_province",
    "optional_text",
    "positive_amount",
    "province",
    "text",
    "tuple_of",
    "whole_number",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
"""What attrs calls to validate a field: ``(instance, attribute, value) -> None``, raising when refused."""


@attrs.frozen
class Check:
    """A field validator together with the JSON Schema keywords that say the same thing.

    The validators of this module are ``Check`` objects, so the JSON Schemas
    (:func:`ansinh.serialization.json_schema`) carry the very constraints the
    classes check, read from the field's validator (one rule, one
    implementation).  The keywords constrain only their own JSON type
    (``pattern`` a string, ``minimum`` a number), so they sit beside a
    ``null`` alternative unchanged.

    >>> whole_number(1, 60).json_schema()
    {'minimum': 1, 'maximum': 60}
    """

    test: Validator
    """The validation itself, ``(instance, attribute, value) -> None``."""
    schema: tuple[tuple[str, Any], ...] = ()
    """JSON Schema keywords, as pairs (an ``enum``'s values as a tuple); empty: the type says it all."""
    masked: tuple[tuple[str, Any], ...] | None = None
    """For an identifier: the keywords of its masked form, as public documents show it; else ``None``."""

    if TYPE_CHECKING:

        def __call__(self, inst: Any, attr: attrs.Attribute[Any], value: Any) -> None:
            """Validate *value* (what attrs calls)."""

    else:
        # Calling a Check calls its test: the property hands the test over (from C, no Python frame of
        # its own), as attrs calls every validator of every value built.
        __call__ = property(operator.attrgetter("test"), doc="Validate *value* (what attrs calls).")

    def json_schema(self, *, public: bool = False) -> dict[str, Any]:
        """The keywords as a new JSON-ready dict (tuples become lists).

        Args:
            public: the keywords of a public document, where identifiers are
                masked (:func:`~ansinh.core.identifiers.mask_id`).
        """
        keywords = self.masked if public and self.masked is not None else self.schema
        return {k: list(v) if isinstance(v, tuple) else v for k, v in keywords}

    def is_masked(self, value: object) -> bool:
        """Whether *value* is this identifier's masked form (``"0011******89"``); ``False`` for other checks."""
        if self.masked is None or not isinstance(value, str):
            return False
        keywords = dict(self.masked)
        return len(value) == keywords["maxLength"] and re.search(keywords["pattern"], value) is not None


NON_BLANK_PATTERN: Final = r"\S"
"""A JSON Schema pattern for "something other than white space" (``str.strip`` and ``\\S`` agree)."""


def text(*, error: type[InvalidValueError] = InvalidValueError) -> Check:
    """A validator accepting strings with something other than white space in them, raising *error*."""

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        """A string with something other than white space in it."""
        if not isinstance(value, str) or not value.strip():
            raise error(attr.name, value, "a non-empty string")

    return Check(check, (("pattern", NON_BLANK_PATTERN),))


non_empty_text: Final[Check] = text()
"""A string with something other than white space in it (:func:`text` raising InvalidValueError)."""


def _optional_text(inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        non_empty_text(inst, attr, value)


optional_text: Final = Check(_optional_text, (("pattern", NON_BLANK_PATTERN),))
"""``None`` or a string with something other than white space in it."""


def names_ok(collections: Iterable[Any]) -> bool:
    """Whether each of *collections* is a collection (not a string) of non-empty strings.

    What ``Beneficiary.affiliations`` accepts, checked for many collections at
    once in loops run by C (allocation checks a whole ``affiliations`` map).

    >>> names_ok([["DN-1", "TG-1"], set()]), names_ok(["DN-1"]), names_ok([[" "]]), names_ok([7])
    (True, False, False, False)
    """
    collections = list(collections)
    if any(map(isinstance, collections, repeat(str))):
        return False
    try:
        names = list(chain.from_iterable(collections))
    except TypeError:  # not a collection
        return False
    return all(map(isinstance, names, repeat(str))) and all(map(str.strip, names))


def day(*, error: type[InvalidValueError] = InvalidValueError, optional: bool = False) -> Check:
    """A validator accepting a :class:`datetime.date` (:func:`~ansinh.core.dates.is_date`: no ``datetime``).

    Args:
        error: the error raised (an :class:`~ansinh.exceptions.InvalidValueError` subclass).
        optional: whether ``None`` is accepted too.
    """

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        """A :class:`datetime.date` that is not a ``datetime`` (or ``None`` if optional)."""
        # a date (the common case) tested first; is_date says for anything else
        if type(value) is not dt.date and not (optional and value is None) and not is_date(value):
            raise error(attr.name, value, "a datetime.date")

    return Check(check, (("format", "date"),))


date: Final[Check] = day()
"""A :class:`datetime.date`; a ``datetime`` is refused: ansinh's dates have no time (:func:`day`)."""


def _non_negative_int(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attr.name, value, "a whole number >= 0 (money in whole đồng, never float)")


non_negative_int: Final = Check(_non_negative_int, (("minimum", 0),))
"""A whole number >= 0 (đồng or a count); ``bool`` and ``float`` are refused."""


def _optional_non_negative_int(inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _non_negative_int(inst, attr, value)


optional_non_negative_int: Final = Check(_optional_non_negative_int, (("minimum", 0),))
"""``None`` or a whole number >= 0; ``bool`` and ``float`` are refused."""


def whole_number(
    low: int, high: int | None = None, error: type[InvalidValueError] = InvalidValueError
) -> Check:
    """A validator accepting whole numbers from *low* to *high* (no upper bound if ``None``).

    ``bool`` and ``float`` are refused; the error raised is *error* (an
    :class:`~ansinh.exceptions.InvalidValueError` subclass).
    """

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            allowed = (
                f"a whole number from {low} to {high}" if high is not None else f"a whole number >= {low}"
            )
            raise error(attr.name, value, allowed)

    bounds = (("minimum", low),) if high is None else (("minimum", low), ("maximum", high))
    return Check(check, bounds)


def identifier(n: int, *, error: type[InvalidValueError] = InvalidValueError) -> Check:
    """A validator accepting ``None`` or exactly *n* ASCII digits (:func:`~ansinh.core.identifiers.is_digits`).

    The error raised (*error*) shows the value masked (:func:`~ansinh.core.identifiers.mask_id`).
    """

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not is_digits(value, n):
            shown = mask_id(value) if isinstance(value, str) else value
            raise error(attr.name, shown, f"exactly {n} digits, or None")

    # The lengths also refuse "<n digits>\n", which a "$" lets through in some regex engines.
    lengths = (("minLength", n), ("maxLength", n))
    shown = mask_id("0" * n) or ""
    runs = ((("[0-9]" if c == "0" else re.escape(c)), len(list(g))) for c, g in groupby(shown))
    masked = "^" + "".join(f"{unit}{{{count}}}" for unit, count in runs) + "$"
    return Check(check, (("pattern", f"^[0-9]{{{n}}}$"), *lengths), (("pattern", masked), *lengths))


def _positive_amount(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValueError(attr.name, value, "a whole number of đồng > 0 (never float)")


positive_amount: Final = Check(_positive_amount, (("minimum", 1),))
"""A whole number of đồng > 0; ``bool`` and ``float`` are refused."""


def _province_code(_inst: object, _attr: object, value: Any) -> None:
    if type(value) is not str or value not in _CURRENT:  # a code: the common case, answered by a set
        _province(value)


def _optional_province_code(_inst: object, _attr: object, value: Any) -> None:
    if value is not None:
        _province_code(_inst, _attr, value)


_CODES: Final = tuple(p.code for p in _provinces())
_CURRENT: Final = frozenset(_CODES)

province: Final = Check(_province_code, (("enum", _CODES),))
"""One of the 34 current province codes (:func:`~ansinh.core.provinces.province` names what is allowed)."""

optional_province: Final = Check(_optional_province_code, (("enum", (*_CODES, None)),))
"""``None`` or one of the 34 current province codes."""


def _optional_former_province_code(_inst: object, _attr: object, value: Any) -> None:
    if value is not None:
        _former_province(value)


_FORMER_CODES: Final = tuple(p.code for p in _former_provinces())

optional_former_province: Final = Check(_optional_former_province_code, (("enum", (*_FORMER_CODES, None)),))
"""``None`` or one of the 63 province codes in use before 2025-07-01."""


def instance_of(cls: type) -> Check:
    """A validator accepting only instances of *cls*."""

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise InvalidValueError(attr.name, value, f"a {cls.__name__}")

    return Check(check)


def items(
    field: str, value: Any, allowed: str, *, error: type[InvalidValueError] = InvalidValueError
) -> tuple[Any, ...]:
    """*value* as a tuple of its items; a string, a mapping or a non-collection raises *error*.

    >>> items("people", [1, 2], "people"), items("people", None, "a collection of people")
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidValueError: people=None is not allowed: a collection of people
    """
    if isinstance(value, str | bytes | bytearray) or value is None:
        raise error(field, value, allowed)
    try:
        return tuple(value)
    except TypeError:
        raise error(field, value, allowed) from None


def tuple_of(cls: type | tuple[type, ...], *, error: type[InvalidValueError] = InvalidValueError) -> Check:
    """A validator accepting a tuple whose items are all instances of *cls*."""
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(isinstance(v, cls) for v in value):
            raise error(attr.name, value, f"a tuple of {names}")

    return Check(check)
