"""Whole-đồng amounts, exact rates, the one rounding rule, and formatting.

Money in ansinh is always a plain :class:`int` of đồng.  Rates are
:class:`fractions.Fraction`.  A ``float`` is refused wherever money or a rate
enters, because a float cannot hold most decimal rates (``0.045``) exactly.

Rounding happens at one named step, :func:`round_half_up`, applied to the
*monthly* amount of each line (gross contribution, each support).  The legal
texts give no explicit rounding rule (``facts.md`` §6, UNCONFIRMED); every
shipped parameter makes these amounts whole đồng anyway, so the rule only
matters for what-if scenarios.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

from ansinh.exceptions import InvalidAmountError, InvalidValueError
from ansinh.limits import MAX_AMOUNT_DIGITS, MAX_FORMAT_DIGITS, MAX_RATE_DIGITS, MAX_RATE_EXPONENT

__all__ = [
    "ROUNDING_RULE",
    "Rate",
    "english_numbers",
    "format_percent",
    "format_vnd",
    "format_vnd_short",
    "round_half_up",
    "to_amount",
    "to_rate",
]

Rate = Fraction
"""An exact rate, e.g. ``Fraction(9, 200)`` for 4.5 %."""

ROUNDING_RULE = "round half up to the đồng, once, on each monthly amount"
"""The one rounding rule ansinh applies (see the module docstring)."""

Lang = Literal["vi", "en"]

_AMOUNT_BOUND = 10**MAX_AMOUNT_DIGITS
_RATE_BITS = (
    int((MAX_RATE_DIGITS + MAX_RATE_EXPONENT) * 3.33) + 1
)  # bits of a rate's numerator or denominator


def to_amount(value: object, field: str = "amount") -> int:
    """Check that *value* is a whole number of đồng and return it as ``int``.

    Args:
        value: an ``int`` (``bool`` and ``float`` are refused).
        field: the name used in the error message.

    Raises:
        InvalidAmountError: *value* is not an ``int``, or has more than
            :data:`~ansinh.limits.MAX_AMOUNT_DIGITS` digits.

    >>> to_amount(1_263_600)
    1263600
    >>> to_amount(1.5, "monthly_income")
    Traceback (most recent call last):
    ...
    ansinh.exceptions.InvalidAmountError: monthly_income=1.5 is not allowed: a whole number of đồng as int (floats are never accepted for money)
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAmountError(
            field, value, "a whole number of đồng as int (floats are never accepted for money)"
        )
    if not -_AMOUNT_BOUND < value < _AMOUNT_BOUND:
        raise InvalidAmountError(field, value, f"at most {MAX_AMOUNT_DIGITS} digits (ansinh.limits)")
    return value


def _bounded_rate(value: Fraction, original: object, field: str) -> Fraction:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > _RATE_BITS:
        raise InvalidAmountError(
            field, original, f"a rate of at most {MAX_RATE_DIGITS + MAX_RATE_EXPONENT} digits (ansinh.limits)"
        )
    return value


def _decimal_rate(dec: Decimal, original: object, field: str) -> Fraction:
    """*dec* as a Fraction, refused before converting if its digits or exponent are too large."""
    if not dec.is_finite():
        raise InvalidAmountError(field, original, "a finite rate")
    if len(dec.as_tuple().digits) > MAX_RATE_DIGITS or abs(dec.adjusted()) > MAX_RATE_EXPONENT:
        raise InvalidAmountError(
            field,
            original,
            f"a decimal rate of at most {MAX_RATE_DIGITS} digits and exponent within "
            f"±{MAX_RATE_EXPONENT} (ansinh.limits)",
        )
    return Fraction(dec)


def to_rate(value: object, field: str = "rate") -> Fraction:
    """Convert *value* to an exact :class:`~fractions.Fraction` rate.

    Accepts ``Fraction``, ``int``, ``Decimal`` and decimal strings such as
    ``"0.045"`` or ``"4.5%"``.  Refuses ``float``.

    Raises:
        InvalidAmountError: *value* is a float, a bool, not a number, or past
            :data:`~ansinh.limits.MAX_RATE_DIGITS` /
            :data:`~ansinh.limits.MAX_RATE_EXPONENT` (refused before any
            arithmetic, so ``"1e999999999"`` is answered at once).

    >>> to_rate("4.5%")
    Fraction(9, 200)
    >>> to_rate("0.7")
    Fraction(7, 10)
    """
    if isinstance(value, (bool, float)):
        raise InvalidAmountError(
            field, value, "an exact rate: Fraction, int, Decimal or a decimal string (never float)"
        )
    if isinstance(value, Fraction):
        return _bounded_rate(value, value, field)
    if isinstance(value, int):
        return _bounded_rate(Fraction(value), value, field)
    if isinstance(value, Decimal):
        return _decimal_rate(value, value, field)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        if len(text) > 2 * (MAX_RATE_DIGITS + MAX_RATE_EXPONENT):
            raise InvalidAmountError(
                field, value, f"a decimal string of at most {MAX_RATE_DIGITS} digits (ansinh.limits)"
            )
        try:
            dec = Decimal(text.replace(",", "."))
        except ArithmeticError:
            raise InvalidAmountError(field, value, "a decimal string such as '0.045' or '4.5%'") from None
        result = _decimal_rate(dec, value, field)
        return result / 100 if percent else result
    raise InvalidAmountError(
        field, value, "an exact rate: Fraction, int, Decimal or a decimal string (never float)"
    )


def round_half_up(value: Fraction | int) -> int:
    """Round an exact amount to the nearest đồng, halves away from zero.

    This is ansinh's single rounding step (:data:`ROUNDING_RULE`).

    >>> round_half_up(Fraction(105300))
    105300
    >>> round_half_up(Fraction(1, 2)), round_half_up(Fraction(-1, 2))
    (1, -1)
    """
    if isinstance(value, int):
        return value
    num, den = value.numerator, value.denominator
    if den == 1:
        return num
    sign = -1 if num < 0 else 1
    q, r = divmod(abs(num), den)
    return sign * (q + (1 if 2 * r >= den else 0))


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def format_vnd(amount: int, lang: Lang = "vi") -> str:
    """Format a whole-đồng amount the way a clerk writes it.

    >>> format_vnd(1_263_600)
    '1.263.600 đ'
    >>> format_vnd(1_263_600, "en")
    'VND 1,263,600'
    >>> format_vnd(-5000)
    '-5.000 đ'
    """
    to_amount(amount)
    sign = "-" if amount < 0 else ""
    digits = str(abs(amount))
    if lang == "en":
        return f"{sign}VND {_group(digits, ',')}"
    return f"{sign}{_group(digits, '.')} đ"


_SCALES_VI = ((10**9, "tỷ đồng"), (10**6, "triệu đồng"), (10**3, "nghìn đồng"))
_SCALES_EN = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def format_vnd_short(amount: int, lang: Lang = "vi", digits: int = 2) -> str:
    """Format a large amount in words, as news reports and summaries do.

    The amount is rounded half up to *digits* decimals of its scale and
    trailing zeros are dropped.

    Raises:
        InvalidAmountError: *amount* is not a whole number of đồng (:func:`to_amount`).
        InvalidValueError: *digits* is not from 0 to :data:`~ansinh.limits.MAX_FORMAT_DIGITS`.

    >>> format_vnd_short(52_500_000_000)
    '52,5 tỷ đồng'
    >>> format_vnd_short(1_612_000_000)
    '1,61 tỷ đồng'
    >>> format_vnd_short(79_400_000_000, "en")
    'VND 79.4 billion'
    >>> format_vnd_short(590_000_000)
    '590 triệu đồng'
    """
    to_amount(amount)
    _check_digits(digits)
    scales = _SCALES_EN if lang == "en" else _SCALES_VI
    sign = "-" if amount < 0 else ""
    value = abs(amount)
    for size, word in scales:
        if value >= size:
            scaled = round_half_up(Fraction(value * 10**digits, size))
            whole, frac = divmod(scaled, 10**digits)
            frac_text = str(frac).rjust(digits, "0").rstrip("0") if digits else ""
            whole_text = _group(str(whole), "," if lang == "en" else ".")
            number = whole_text + (("." if lang == "en" else ",") + frac_text if frac_text else "")
            return f"{sign}VND {number} {word}" if lang == "en" else f"{sign}{number} {word}"
    return format_vnd(amount, lang)


def _check_digits(digits: object) -> None:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= MAX_FORMAT_DIGITS:
        raise InvalidValueError(
            "digits", digits, f"a whole number from 0 to {MAX_FORMAT_DIGITS} (ansinh.limits)"
        )


def format_percent(rate: Fraction | int, lang: Lang = "vi", digits: int = 4) -> str:
    """Format an exact rate as a percentage without ever going through ``float``.

    The value is exact when it has at most *digits* decimals, otherwise it is
    rounded half up to *digits* decimals; trailing zeros are dropped.

    >>> format_percent(Fraction(9, 200)), format_percent(Fraction(9, 200), "en")
    ('4,5%', '4.5%')
    >>> format_percent(Fraction(1, 3)), format_percent(Fraction(7, 10))
    ('33,3333%', '70%')
    """
    _check_digits(digits)
    scaled = round_half_up(to_rate(rate) * 100 * 10**digits)
    sign = "-" if scaled < 0 else ""
    head, tail = divmod(abs(scaled), 10**digits)
    tail_text = str(tail).rjust(digits, "0").rstrip("0") if digits else ""
    mark = "," if lang == "vi" else "."
    return f"{sign}{head}{mark + tail_text if tail_text else ''}%"


_VI_AMOUNT: Final = re.compile(r"(?<![\d.,])(-?)(\d{1,3}(?:\.\d{3})*) đ(?!\w)")
_VI_PERCENT: Final = re.compile(r"(?<![\d.,])(-?\d+),(\d+)%")


def english_numbers(text: str) -> str:
    """*text* with the amounts and percentages :func:`format_vnd` and :func:`format_percent`
    wrote in Vietnamese rewritten in English form; everything else is kept.

    What a text stored in Vietnamese form (a quote line's formula) shows with
    ``lang="en"``.  Only the exact forms the formatters write are rewritten
    (``1.500.000 đ``, ``4,5%``), so other numbers are never touched.

    >>> english_numbers("4,5% × 2.340.000 đ × 70%")
    '4.5% × VND 2,340,000 × 70%'
    >>> english_numbers("330.000 đ × 12, -5.000 đ; 1,5 triệu")
    'VND 330,000 × 12, -VND 5,000; 1,5 triệu'
    """
    text = _VI_AMOUNT.sub(lambda m: f"{m[1]}VND {m[2].replace('.', ',')}", text)
    return _VI_PERCENT.sub(r"\1.\2%", text)
