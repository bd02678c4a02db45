"""The data ansinh ships: the legal parameters and the programme's published totals.

Files are read on first use (never at import time) and cached; the objects
returned are immutable, so sharing them is safe.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from ansinh.core.law import Law
from ansinh.core.national import AggregateRecord, aggregates_from_mapping

__all__ = ["default_law", "published_figures", "read_text"]


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
def published_figures() -> tuple[AggregateRecord, ...]:
    """The programme's published totals, 2020–2025, each with its source (``published_figures.toml``).

    National records, and a few provinces' as examples; none is backed by
    person rows (:class:`~ansinh.core.national.AggregateRecord`).

    >>> [r.year for r in published_figures() if r.province is None]
    [2020, 2021, 2022, 2023, 2024, 2025]
    """
    return aggregates_from_mapping(tomllib.loads(read_text("published_figures.toml")))
