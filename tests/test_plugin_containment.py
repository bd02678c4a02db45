"""Plugins that fail in hostile ways are contained and named; run_campaign asks about earmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ansinh.core.campaign import Earmark
from ansinh.core.people import Person
from ansinh.exceptions import PluginError
from ansinh.hookspecs import hookimpl
from ansinh.io.run import run_campaign
from ansinh.testing import plugin_host, sample_people

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"


class _Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text")


class _BadRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class _RaisesUnprintable:
    @hookimpl
    def ansinh_priority(self) -> object:
        raise _Unprintable


class _ReturnsUnprintable:
    @hookimpl
    def ansinh_priority(self) -> object:
        return [_BadRepr()]


class _EmptyCode:
    @hookimpl
    def ansinh_priority(self) -> object:
        return [("", 5)]


class _HugeMessage:
    @hookimpl
    def ansinh_priority(self) -> object:
        raise ValueError("001170012389 " * 100_000)


@pytest.mark.parametrize(
    ("plugin", "said"),
    [
        (_RaisesUnprintable(), "raised _Unprintable: <its message cannot be shown"),
        (_ReturnsUnprintable(), "returned <a _BadRepr>"),
        (_EmptyCode(), "returned ('', 5); expected (code: non-empty str"),
        (_HugeMessage(), "raised ValueError: 0011******89"),
    ],
    ids=["str-raises", "repr-raises", "empty-code", "huge-message"],
)
def test_a_hostile_plugin_is_named(plugin: object, said: str) -> None:
    host = plugin_host()
    host.register(plugin, "hostile")
    with pytest.raises(PluginError) as info:
        host.priority_parts(sample_people(province="33")[0])
    assert (info.value.plugin, info.value.hook) == ("hostile", "ansinh_priority")
    assert said in str(info.value)
    assert len(str(info.value)) < 1000


class _Members:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    @hookimpl
    def ansinh_earmark_matches(self, earmark: Earmark, person: Person) -> bool | None:
        self.asked.append((earmark.target, person.id))
        return None


def test_run_campaign_asks_the_plugins_about_earmarks(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    plugin = _Members()
    run_campaign(folder, out=tmp_path / "out", plugins=plugin_host(plugin))
    assert plugin.asked
    assert {target for target, _ in plugin.asked} >= {"DN-HY-01"}


class _EveryoneIsAWorkersRelative:
    @hookimpl
    def ansinh_earmark_matches(self, earmark: Earmark, person: Person) -> bool | None:
        return True if earmark.target == "DN-HY-01" else None


def test_a_plugin_earmark_answer_reaches_the_allocation(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    without = run_campaign(folder, out=tmp_path / "a", plugins=False)
    with_plugin = run_campaign(folder, out=tmp_path / "b", plugins=plugin_host(_EveryoneIsAWorkersRelative()))
    p01_without = {g.beneficiary.person_id for g in without.allocation.gifts if g.pledge_id == "P01"}
    p01_with = {g.beneficiary.person_id for g in with_plugin.allocation.gifts if g.pledge_id == "P01"}
    assert p01_without  # the roster's own affiliations
    assert p01_with != p01_without  # the plugin's answer widened who P01 may pay for
