"""The bounds an ansinh HTTP server keeps: request size, roster rows, computation time.

>>> Limits().max_rows
10000
>>> Limits(max_rows=0)
Traceback (most recent call last):
...
ansinh.exceptions.InvalidValueError: max_rows=0 is not allowed: a whole number >= 1
"""

from __future__ import annotations

import math
from typing import Any, Final

import attrs

from ansinh.exceptions import InvalidValueError

__all__ = ["XLSX_EXPANSION", "Limits"]

XLSX_EXPANSION: Final = 20
"""How many times :attr:`Limits.max_body_bytes` an uploaded workbook may unpack to (a zip bomb guard)."""


def _whole(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError(attribute.name, value, "a whole number >= 1")


def _seconds(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0
    if not ok:
        raise InvalidValueError(attribute.name, value, "a finite number of seconds > 0")


@attrs.frozen(kw_only=True)
class Limits:
    """What one request may ask of the server; each limit has its own clear answer.

    * a body larger than :attr:`max_body_bytes` is refused with **413**
      (an uploaded workbook also may not unpack to more than
      :data:`XLSX_EXPANSION` times that);
    * a roster of more than :attr:`max_rows` rows is refused with **422**
      (the body was accepted, its content names too many people: the
      problem document names the ``rows`` field, like any other bad value);
    * a computation running longer than :attr:`timeout` seconds is answered
      with **504** (the worker thread finishes in the background: Python
      cannot stop a thread, so the limit frees the client, not the CPU).
    """

    max_body_bytes: int = attrs.field(default=10 * 1024 * 1024, validator=_whole)
    """Largest request body, in bytes (10 MiB)."""
    max_rows: int = attrs.field(default=10_000, validator=_whole)
    """Most people (roster rows, JSON lines) ``POST /screen`` reads in one request."""
    timeout: float = attrs.field(default=30.0, validator=_seconds)
    """Longest computation for one request, in seconds."""
