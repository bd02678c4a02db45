"""The sizes ansinh accepts from its input: past each one it answers with an error naming the limit.

Every size the input controls is bounded, so a hostile or broken input can
neither hang a call nor exhaust memory.  Each limit is far beyond any real
programme figure or file; the error raised names the limit and its value.

>>> from ansinh import limits
>>> limits.MAX_AMOUNT_DIGITS, limits.MAX_CELL_CHARACTERS
(24, 32767)
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_AMOUNT_DIGITS",
    "MAX_CELL_CHARACTERS",
    "MAX_DOCUMENT_BYTES",
    "MAX_FORMAT_DIGITS",
    "MAX_RATE_DIGITS",
    "MAX_RATE_EXPONENT",
    "MAX_ROSTER_BYTES",
    "MAX_XLSX_BYTES",
    "MAX_XLSX_PART_BYTES",
]

MAX_AMOUNT_DIGITS: Final = 24
"""The most digits of an amount of đồng or a count (10²⁴ đồng is far beyond any budget)."""

MAX_RATE_DIGITS: Final = 40
"""The most significant digits of a rate written as a decimal (``"0.045"``, ``"4.5%"``)."""

MAX_RATE_EXPONENT: Final = 40
"""The largest power of ten a decimal rate may carry either way (``"1e999999999"`` is refused)."""

MAX_FORMAT_DIGITS: Final = 30
"""The most decimals :func:`~ansinh.core.money.format_vnd_short` and ``format_percent`` write."""

MAX_CELL_CHARACTERS: Final = 32_767
"""The most characters in one roster cell (Excel's own limit); a longer cell rejects its row."""

MAX_ROSTER_BYTES: Final = 256 * 1024 * 1024
"""The largest roster file read (CSV), and the most bytes a CSV roster given as data may have."""

MAX_XLSX_BYTES: Final = 64 * 1024 * 1024
"""The largest Excel workbook read, as stored (zipped)."""

MAX_XLSX_PART_BYTES: Final = 128 * 1024 * 1024
"""The most bytes any part of a workbook (a sheet, the shared strings) may unzip to."""

MAX_DOCUMENT_BYTES: Final = 64 * 1024 * 1024
"""The largest JSON document :mod:`ansinh.serialization` reads."""
