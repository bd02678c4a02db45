"""Identifiers (số CCCD, mã số BHXH): the digits rule and the mask they are shown with.

>>> is_digits("001170012389", 12), is_digits("００１", 3), mask_id("001170012389")
(True, False, '0011******89')
>>> mask_digits("cccd 001170012389 in the name column")
'cccd 0011******89 in the name column'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["DIGIT_RUN", "is_digits", "mask_digits", "mask_id"]

DIGIT_RUN: Final = 9
"""The shortest run of digits :func:`mask_digits` masks: old identity cards have 9, social-insurance
numbers 10, CCCD 12."""

_RUN: Final = re.compile(rf"\d{{{DIGIT_RUN},}}")  # any script's digits: a CCCD typed full-width is one too


def is_digits(value: object, n: int) -> bool:
    """Whether *value* is a string of exactly *n* ASCII digits (``0``-``9``; no other digit characters)."""
    return isinstance(value, str) and len(value) == n and value.isascii() and value.isdigit()


def mask_id(value: str | None) -> str | None:
    """Mask an identifier, keeping the first four and last two characters.

    >>> mask_id("001170012389")
    '0011******89'
    >>> mask_id("0123456789")
    '0123****89'
    """
    if value is None:
        return None
    if len(value) <= 6:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 6) + value[-2:]


def mask_digits(text: str) -> str:
    """*text* with every run of nine or more digits masked like :func:`mask_id`.

    The one rule that keeps identifiers out of messages, rejected rows, logs and
    command output, whatever field or column they were typed in: an identity
    card (9 digits), a social-insurance number (10) or a CCCD (12) is never
    shown whole.  Money in messages is written with separators
    (:func:`~ansinh.core.money.format_vnd`) or is masked too.

    >>> mask_digits("cccd=001170012389, months=12, bhxh 0123456789")
    'cccd=0011******89, months=12, bhxh 0123****89'
    """
    return _RUN.sub(lambda m: m.group()[:4] + "*" * (len(m.group()) - 6) + m.group()[-2:], text)
