"""Helpers for testing a province plugin in a few lines.

>>> import datetime as dt, ansinh
>>> from ansinh.hookspecs import hookimpl
>>> from ansinh.testing import plugin_host, sample_people
>>> class FloodPriority:
...     @hookimpl
...     def ansinh_priority(self, candidate, campaign):
...         return (("hy.flood", 5),) if candidate.province == "33" else None
>>> host = plugin_host(FloodPriority())
>>> [host.priority_parts(p) for p in sample_people(province="33")][:1]
[(('hy.flood', 5),)]

``plugin_host`` builds a fresh host with only the plugins given: no installed
plugins, and no built-ins unless ``builtins=True`` — so a test sees exactly
what its plugin does.  Nothing here is used by ansinh itself.
"""

from __future__ import annotations

import datetime as dt

from ansinh.core.campaign import Campaign
from ansinh.core.people import Category, Person
from ansinh.plugin_manager import PluginHost, get_plugin_manager

__all__ = ["plugin_host", "sample_campaign", "sample_people", "sample_person"]


def plugin_host(*plugins: object, builtins: bool = False) -> PluginHost:
    """A fresh :class:`~ansinh.plugin_manager.PluginHost` holding only *plugins*.

    Args:
        plugins: modules or objects with ``@ansinh.hookimpl`` functions.
        builtins: also register ansinh's built-in plugins.

    Raises:
        PluginError: a plugin does not match the hook specifications.
    """
    host = get_plugin_manager(load_entrypoints=False, builtins=builtins)
    for plugin in plugins:
        host.register(plugin)
    return host


def sample_campaign(*, province: str | None = None, code: str = "TEST2026") -> Campaign:
    """A campaign shaped like "Xuân Bính Ngọ 2026" (Kế hoạch 2716/KH-BHXH), national unless *province* is given.

    >>> sample_campaign().start
    datetime.date(2025, 10, 23)
    """
    return Campaign(
        code=code,
        name="Xuân Bính Ngọ 2026 (test)",
        lunar_year="Bính Ngọ",
        plan_reference="Kế hoạch 2716/KH-BHXH ngày 23/10/2025",
        province=province,
        start=dt.date(2025, 10, 23),
        end=dt.date(2026, 3, 31),
        tet_dates=(dt.date(2026, 2, 16), dt.date(2026, 2, 22)),
    )


def sample_person(
    *,
    id: str = "T-001",
    province: str = "01",
    categories: frozenset[Category] | set[Category] = frozenset(),
    date_of_birth: dt.date = dt.date(1975, 5, 20),
    difficult_circumstances: bool = True,
) -> Person:
    """One adult person with made-up data (no real identifiers), on a reviewed list by default.

    >>> sample_person(categories={Category.POOR}).categories
    frozenset({<Category.POOR: 'poor'>})
    """
    return Person(
        id=id,
        full_name="Nguyễn Văn Thử",
        date_of_birth=date_of_birth,
        province=province,
        categories=frozenset(categories),
        difficult_circumstances=difficult_circumstances,
    )


_SAMPLE: tuple[tuple[str, frozenset[Category], dt.date], ...] = (
    ("other", frozenset(), dt.date(1975, 5, 20)),
    ("poor", frozenset({Category.POOR}), dt.date(1968, 1, 9)),
    ("near-poor", frozenset({Category.NEAR_POOR}), dt.date(1982, 11, 30)),
    ("ethnic", frozenset({Category.ETHNIC_MINORITY}), dt.date(1990, 7, 4)),
    ("island", frozenset({Category.ISLAND_RESIDENT}), dt.date(1979, 2, 14)),
    ("student", frozenset({Category.STUDENT}), dt.date(2008, 9, 1)),
    ("farm", frozenset({Category.FARM_AVERAGE_INCOME}), dt.date(1970, 3, 15)),
)


def sample_people(*, province: str = "01") -> tuple[Person, ...]:
    """One person per common group (others, poor, near-poor, ethnic minority, island, student, farm) in *province*.

    All are marked as in difficult circumstances (as after the commune's review).

    >>> [p.id for p in sample_people(province="56")][:3]
    ['56-other', '56-poor', '56-near-poor']
    """
    return tuple(
        Person(
            id=f"{province}-{key}",
            full_name=f"Người thử {key}",
            date_of_birth=born,
            province=province,
            categories=cats,
            difficult_circumstances=True,
        )
        for key, cats, born in _SAMPLE
    )
