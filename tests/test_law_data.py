"""Every value ansinh ships has a citation and a status, and programmes of one area never overlap silently."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ansinh.core.law import SourceStatus
from ansinh.core.pricing import LocalSupport
from ansinh.data import default_law
from ansinh.plugins.local_support import not_shipped_programmes, shipped_local_supports

LAW = default_law()


@pytest.mark.parametrize("name", LAW.names)
def test_every_law_value_has_a_citation_and_a_status(name: str) -> None:
    for value in LAW.history(name):
        assert value.citation.document.strip(), (name, value.effective)
        assert isinstance(value.status, SourceStatus)
        assert value.status is not SourceStatus.SCENARIO, (name, value.effective)
        if not value.status.is_firm:
            assert value.note.strip(), f"{name} from {value.effective}: a weaker status says why"


@pytest.mark.parametrize("support", shipped_local_supports(), ids=lambda s: s.code)
def test_every_programme_has_a_citation_a_status_and_an_area(support: LocalSupport) -> None:
    assert support.citation.document.strip()
    assert support.status is not SourceStatus.SCENARIO
    assert support.label_vi.strip()
    assert support.label_en.strip()
    assert support.area("vi").startswith("tỉnh/thành phố ")
    if not support.status.is_firm:
        assert support.note.strip(), f"{support.code}: a weaker status says why"


def test_every_programme_found_and_not_shipped_says_why() -> None:
    found = not_shipped_programmes()
    assert found
    shipped = {s.code for s in shipped_local_supports()}
    for p in found:
        assert p.code not in shipped
        assert p.citation.document.strip()
        assert p.reason.strip()
        assert p.status is not SourceStatus.SCENARIO


def _overlap_in_time(a: LocalSupport, b: LocalSupport) -> bool:
    end_a = a.until or dt.date.max
    end_b = b.until or dt.date.max
    return a.effective <= end_b and b.effective <= end_a


def _areas_may_meet(a: LocalSupport, b: LocalSupport) -> bool:
    """Whether one person could be in both areas (inside one province)."""
    if a.former_province and b.former_province and a.former_province != b.former_province:
        return False
    if a.district and b.district and a.district != b.district:
        return False
    return not (a.communes and b.communes and a.communes.isdisjoint(b.communes))


def overlaps_without_a_rule(supports: tuple[LocalSupport, ...]) -> list[tuple[str, str]]:
    """Pairs of programmes of one area, product and time that do not state how they combine."""
    return [
        (a.code, b.code)
        for a, b in itertools.combinations(supports, 2)
        if a.province == b.province
        and a.product is b.product
        and _overlap_in_time(a, b)
        and _areas_may_meet(a, b)
        and not (b.code in a.combines_with and a.code in b.combines_with)
    ]


def test_no_two_programmes_of_one_area_overlap_without_a_rule() -> None:
    assert overlaps_without_a_rule(shipped_local_supports()) == []


def test_the_overlap_check_finds_an_unstated_overlap() -> None:
    import attrs

    (hcmc75,) = [s for s in shipped_local_supports() if s.code == "hcmc-bhyt-res75-2025"]
    (hcmc56,) = [s for s in shipped_local_supports() if s.code == "hcmc-bhyt-res56-2025-students"]
    assert overlaps_without_a_rule((hcmc75, hcmc56)) == []
    silent = attrs.evolve(hcmc56, combines_with=frozenset())
    assert overlaps_without_a_rule((hcmc75, silent)) == [(hcmc75.code, hcmc56.code)]
    elsewhere = attrs.evolve(silent, former_province="74")
    assert overlaps_without_a_rule((attrs.evolve(hcmc75, former_province="79"), elsewhere)) == []
    later = attrs.evolve(silent, effective=dt.date(2030, 1, 1))
    assert overlaps_without_a_rule((attrs.evolve(hcmc75, until=dt.date(2029, 12, 31)), later)) == []


def test_law_show_lists_every_programme_with_area_dates_and_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from ansinh import cli

    assert cli.main(["law", "show", "--lang", "en"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "Provincial programmes" in out
    assert "Programmes found and not shipped" in out
    for s in shipped_local_supports():
        assert s.code in out
        assert s.area("en") in out
    for p in not_shipped_programmes():
        assert p.code in out
    assert "province 52, former province 52; health-insurance card; 2023-07-24 → 2025-06-30" in out
    assert cli.main(["law", "show", "--json", "--on", "2026-01-01"]) == cli.EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    in_force = {p["code"] for p in doc["programmes"]}
    assert "hcmc-bhyt-res75-2025" in in_force
    assert "binhdinh-bhyt-res18-2023" not in in_force  # ended on 2025-06-30
    assert {p["code"] for p in doc["not_shipped"]} == {p.code for p in not_shipped_programmes()}
    assert all(p["status"] and p["citation"]["document"] for p in doc["programmes"])
