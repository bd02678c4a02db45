"""Values as messages show them: shortened, bounded in time and size, identifiers masked.

Every error message, rejected row and command output that quotes a value goes
through :func:`shown`, so a message never calls an unbounded ``repr`` (an int
of a million digits, a ten-megabyte string, a list nested a thousand deep, an
object whose ``repr`` raises) and never shows a nine-to-twelve-digit
identifier whole (:func:`~ansinh.core.identifiers.mask_digits`).

>>> shown("Nguyễn Văn A"), shown(1234567890), shown(10**5000)
("'Nguyễn Văn A'", '1234****90', '<an int of about 5001 digits>')
>>> shown("x" * 500)[-22:]
"xxx'… (500 characters)"
"""

from __future__ import annotations

import math
import reprlib
from typing import Any, Final

from ansinh.core.identifiers import mask_digits

__all__ = ["SHOWN_CHARACTERS", "shorten", "shown"]

SHOWN_CHARACTERS: Final = 80
"""The most characters of a value a message quotes (longer values end with ``…``)."""

_MAX_INT_DIGITS: Final = 40  # an int with more digits is described, never converted to text


def _int_text(value: int) -> str:
    bits = abs(value).bit_length()
    if bits <= _MAX_INT_DIGITS * 3:  # 120 bits < 10**37: at most 37 digits, safe and quick
        return repr(value)
    digits = math.floor(math.log10(abs(value))) + 1  # float rounding may add one near a power of ten
    if digits <= _MAX_INT_DIGITS:
        return repr(value)
    sign = "a negative " if value < 0 else "an "
    return f"<{sign}int of about {digits} digits>"


class _Repr(reprlib.Repr):
    """reprlib's bounded repr, with ints that may have millions of digits described instead."""

    def __init__(self) -> None:
        super().__init__()  # keyword arguments only from Python 3.12
        self.maxlevel = 3
        self.maxtuple = self.maxlist = self.maxarray = self.maxdict = 6
        self.maxset = self.maxfrozenset = self.maxdeque = 6
        self.maxstring = self.maxother = SHOWN_CHARACTERS
        self.maxlong = _MAX_INT_DIGITS

    def repr_int(self, x: int, level: int) -> str:
        return _int_text(x)

    def repr_bool(self, x: bool, level: int) -> str:
        return repr(x)

    def repr_instance(self, x: Any, level: int) -> str:
        try:
            text = repr(x)
        except Exception:  # a broken __repr__, an int over the conversion limit inside a Fraction …
            return f"<a {_type_name(x)}>"
        return text if len(text) <= self.maxother else text[: self.maxother - 1] + "…"


_REPR: Final = _Repr()


def shorten(text: str, limit: int = SHOWN_CHARACTERS) -> str:
    """*text* cut to *limit* characters (ending ``…``), digit runs masked.

    >>> shorten("0011700123890 and " + "y" * 100, 24)
    '0011*******90 and yyyyy…'
    """
    text = mask_digits(text[: limit * 2])  # the cut first: a huge text is never scanned whole
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: Any) -> str:
    """*value* as a message quotes it: a repr (strings in quotes), at most about 100 characters.

    Never raises and never takes long: an int of any size is described by its
    digit count, a long string is cut (its length said), containers show
    their first items, an object whose ``repr`` raises is named by its type.
    Every run of nine or more digits is masked.

    >>> shown(["a", 1, None]), shown(True), shown(-(10**50))
    ("['a', 1, None]", 'True', '<a negative int of about 51 digits>')
    """
    if type(value) is str:
        if len(value) <= SHOWN_CHARACTERS:
            return mask_digits(repr(value))
        return shorten(repr(value[:SHOWN_CHARACTERS]), SHOWN_CHARACTERS + 2) + f"… ({len(value)} characters)"
    if type(value) is int:
        return mask_digits(_int_text(value))
    try:
        text = _REPR.repr(value)
    except Exception:  # a str subclass whose slicing raises …
        text = f"<a {_type_name(value)}>"
    return shorten(text, SHOWN_CHARACTERS + 20)


def _type_name(value: object) -> str:
    try:
        return str(type(value).__qualname__)[:SHOWN_CHARACTERS]
    except Exception:  # pragma: no cover - a metaclass whose __qualname__ raises
        return "object"
