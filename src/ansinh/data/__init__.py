"""The data ansinh ships: legal parameters and administrative units.

Files are read on first use (never at import time) and cached; the objects
returned are immutable, so sharing them is safe.
"""

from __future__ import annotations

import csv
import functools
import io
import tomllib
from importlib import resources

from ansinh.core.law import Law

__all__ = ["default_law", "province_rows", "read_text"]


def read_text(name: str) -> str:
    """The text of a file shipped in ``ansinh/data``."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


@functools.cache
def default_law() -> Law:
    """The legal parameters shipped with ansinh (``ansinh/data/law.toml``).

    The same immutable object is returned on every call; use
    :meth:`~ansinh.core.law.Law.amend` to build a scenario.

    >>> import datetime as dt
    >>> default_law().value("base_salary", on=dt.date(2026, 7, 1))
    2530000
    """
    return Law.from_mapping(tomllib.loads(read_text("law.toml")), name="ansinh")


@functools.cache
def province_rows() -> tuple[tuple[str, str, str, str], ...]:
    """Rows ``(old_code, old_name, new_code, new_name)`` of ``provinces.csv``."""
    reader = csv.DictReader(io.StringIO(read_text("provinces.csv")))
    return tuple((r["old_code"], r["old_name"], r["new_code"], r["new_name"]) for r in reader)
