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

from collections.abc import Callable, Iterable
from itertools import chain, repeat
from typing import Any, Final

import attrs

from ansinh.core.dates import is_date
from ansinh.core.identifiers import is_digits, mask_id
from ansinh.core.provinces import province as _province
from ansinh.exceptions import InvalidValueError

__all__ = [
    "Validator",
    "date",
    "day",
    "identifier",
    "instance_of",
    "items",
    "names_ok",
    "non_empty_text",
    "non_negative_int",
    "optional_province",
    "positive_amount",
    "province",
    "text",
    "tuple_of",
    "whole_number",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
"""What attrs calls to validate a field: ``(instance, attribute, value) -> None``, raising when refused."""


def text(*, error: type[InvalidValueError] = InvalidValueError) -> Validator:
    """A validator accepting strings with something other than white space in them, raising *error*."""

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        """A string with something other than white space in it."""
        if not isinstance(value, str) or not value.strip():
            raise error(attr.name, value, "a non-empty string")

    return check


non_empty_text: Final[Validator] = text()
"""A string with something other than white space in it (:func:`text` raising InvalidValueError)."""


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


def day(*, error: type[InvalidValueError] = InvalidValueError, optional: bool = False) -> Validator:
    """A validator accepting a :class:`datetime.date` (:func:`~ansinh.core.dates.is_date`: no ``datetime``).

    Args:
        error: the error raised (an :class:`~ansinh.exceptions.InvalidValueError` subclass).
        optional: whether ``None`` is accepted too.
    """

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        """A :class:`datetime.date` that is not a ``datetime`` (or ``None`` if optional)."""
        if not is_date(value) and not (optional and value is None):
            raise error(attr.name, value, "a datetime.date")

    return check


date: Final[Validator] = day()
"""A :class:`datetime.date`; a ``datetime`` is refused: ansinh's dates have no time (:func:`day`)."""


def non_negative_int(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    """A whole number >= 0 (đồng or a count); ``bool`` and ``float`` are refused."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(attr.name, value, "a whole number >= 0 (money in whole đồng, never float)")


def whole_number(
    low: int, high: int | None = None, error: type[InvalidValueError] = InvalidValueError
) -> Validator:
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

    return check


def identifier(n: int, *, error: type[InvalidValueError] = InvalidValueError) -> Validator:
    """A validator accepting ``None`` or exactly *n* ASCII digits (:func:`~ansinh.core.identifiers.is_digits`).

    The error raised (*error*) shows the value masked (:func:`~ansinh.core.identifiers.mask_id`).
    """

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not is_digits(value, n):
            shown = mask_id(value) if isinstance(value, str) else value
            raise error(attr.name, shown, f"exactly {n} digits, or None")

    return check


def positive_amount(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
    """A whole number of đồng > 0; ``bool`` and ``float`` are refused."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValueError(attr.name, value, "a whole number of đồng > 0 (never float)")


def province(_inst: object, _attr: object, value: Any) -> None:
    """One of the 34 current province codes (:func:`~ansinh.core.provinces.province` names what is allowed)."""
    _province(value)


def optional_province(_inst: object, _attr: object, value: Any) -> None:
    """``None`` or one of the 34 current province codes."""
    if value is not None:
        _province(value)


def instance_of(cls: type) -> Validator:
    """A validator accepting only instances of *cls*."""

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise InvalidValueError(attr.name, value, f"a {cls.__name__}")

    return check


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


def tuple_of(
    cls: type | tuple[type, ...], *, error: type[InvalidValueError] = InvalidValueError
) -> Validator:
    """A validator accepting a tuple whose items are all instances of *cls*."""
    names = " or ".join(c.__name__ for c in (cls if isinstance(cls, tuple) else (cls,)))

    def check(_inst: object, attr: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple) or not all(isinstance(v, cls) for v in value):
            raise error(attr.name, value, f"a tuple of {names}")

    return check
