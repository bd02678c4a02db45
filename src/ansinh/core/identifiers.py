"""Identifiers (số CCCD, mã số BHXH): the digits rule and the mask they are shown with.

>>> is_digits("001170012389", 12), is_digits("００１", 3), mask_id("001170012389")
(True, False, '0011******89')
"""

from __future__ import annotations

__all__ = ["is_digits", "mask_id"]


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
