"""Priority points as declared local policy: ansinh's default says so; a province replaces it by file or plugin."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import ansinh
from ansinh.core.eligibility import (
    DEFAULT_PRIORITY_POLICY,
    PRIORITY_TABLE,
    PriorityPolicy,
    check,
    priority,
    screen,
)
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard
from ansinh.exceptions import CampaignFileError, InvalidValueError, PluginError
from ansinh.io.priority_files import PRIORITY_FILE, read_priority_policy
from ansinh.io.run import run_campaign
from ansinh.testing import plugin_host

LAW = ansinh.default_law()
ON = dt.date(2026, 1, 10)
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
HY = PriorityPolicy(
    points={"POOR": 50, "DISABILITY": 45, "NEAR_POOR": 20, "AGE_60_PLUS": 5},
    source="Quyết định số 12/QĐ-UBND tỉnh Hưng Yên (ví dụ)",
    province="33",
)


def person(pid: str, categories: set[Category], born: dt.date = dt.date(1950, 1, 1)) -> Person:
    return Person(id=pid, full_name="Trần Văn Bình", date_of_birth=born, province="33", categories=categories)


def test_the_default_table_is_declared_as_ansinh_s_own() -> None:
    assert DEFAULT_PRIORITY_POLICY.is_default
    assert DEFAULT_PRIORITY_POLICY.province is None
    assert "no legal source" in DEFAULT_PRIORITY_POLICY.source
    assert DEFAULT_PRIORITY_POLICY.points == tuple((code, pts) for code, pts, _, _ in PRIORITY_TABLE)
    p = person("a", {Category.NEAR_POOR})
    assert priority(p, on=ON) == priority(p, on=ON, policy=DEFAULT_PRIORITY_POLICY)


def test_a_province_table_replaces_the_points_and_leaves_out_what_it_omits() -> None:
    p = person("a", {Category.NEAR_POOR, Category.STUDENT})
    assert priority(p, on=ON).parts == (
        ("NEAR_POOR", 30),
        ("STUDENT", 5),
        ("AGE_60_PLUS", 10),
        ("UNINSURED", 10),
    )
    assert priority(p, on=ON, policy=HY).parts == (("NEAR_POOR", 20), ("AGE_60_PLUS", 5))
    young = person("b", {Category.DISABILITY}, born=dt.date(2015, 1, 1))
    assert priority(young, on=ON, policy=HY).parts == (("DISABILITY", 45),)  # AGE_UNDER_16 left out


def test_the_table_changes_the_order_of_a_screening() -> None:
    near_poor, disabled = person("a", {Category.NEAR_POOR}), person("b", {Category.DISABILITY})
    card = HealthCard(months=12)
    default = screen([near_poor, disabled], card, on=ON, law=LAW)
    local = screen([near_poor, disabled], card, on=ON, law=LAW, priority_policy=HY)
    assert [d.person.id for d in default.eligible] == ["a", "b"]  # 30 + 20 against 25 + 20
    assert [d.person.id for d in local.eligible] == ["b", "a"]  # 45 + 5 against 20 + 5
    assert check(disabled, card, on=ON, law=LAW, priority_policy=HY).priority.score == 50
    with pytest.raises(InvalidValueError, match="priority_policy"):
        check(disabled, card, on=ON, law=LAW, priority_policy={"POOR": 1})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("points", "source", "field"),
    [
        ({"RICH": 5}, "QĐ 1", "points"),
        ({"POOR": -1}, "QĐ 1", "points.POOR"),
        ({"POOR": 1.5}, "QĐ 1", "points.POOR"),
        ({"POOR": True}, "QĐ 1", "points.POOR"),
        ("POOR", "QĐ 1", "points"),
        ({"POOR": 10}, "  ", "source"),
    ],
)
def test_a_bad_table_is_refused(points: object, source: str, field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        PriorityPolicy(points=points, source=source)
    assert info.value.field == field


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    return folder


def test_a_campaign_folder_s_priority_toml_ranks_its_list(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / PRIORITY_FILE).write_text(
        'source = "Quyết định số 12/QĐ-UBND (ví dụ)"\n[points]\nPOOR = 50\nNEAR_POOR = 40\n', encoding="utf-8"
    )
    policy = read_priority_policy(folder / PRIORITY_FILE)
    assert policy.points == (("POOR", 50), ("NEAR_POOR", 40))
    run = run_campaign(folder, out=tmp_path / "out", plugins=False)
    reasons = {g.reason.split(";")[0] for g in run.allocation.gifts}
    assert all("từ 60 tuổi" not in r and "AGE_60_PLUS" not in r for r in reasons)
    text = (tmp_path / "out" / "public-list-health_card.md").read_text(encoding="utf-8")
    assert "Điểm ưu tiên tính theo: Quyết định số 12/QĐ-UBND (ví dụ)." in text
    (folder / PRIORITY_FILE).write_text('source = "x"\n[points]\nPOOR = -5\n', encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"priority\.toml points\.POOR"):
        run_campaign(folder, out=tmp_path / "out2", plugins=False)


class _Province:
    def __init__(self, answer: object) -> None:
        self.answer = answer

    @ansinh.hookimpl
    def ansinh_priority_policy(self, campaign: object) -> object:
        return self.answer


def test_a_plugin_replaces_the_table_and_the_folder_s_file_comes_first(tmp_path: Path) -> None:
    host = plugin_host(_Province(HY))
    assert host.priority_policy() is HY
    assert plugin_host().priority_policy() is None
    with pytest.raises(PluginError, match="ansinh_priority_policy"):
        plugin_host(_Province({"POOR": 50})).priority_policy()
    disabled = person("b", {Category.DISABILITY})
    assert ansinh.check(disabled, HealthCard(months=12), on=ON, plugins=host).priority.score == 50
    assert (
        ansinh.screen([disabled], HealthCard(months=12), on=ON, plugins=host).eligible[0].priority.score == 50
    )
    assert (
        ansinh.check(disabled, HealthCard(months=12), on=ON, plugins=False).priority.score == 45
    )  # 25 + 10 + 10
    folder = _folder(tmp_path)
    run = run_campaign(folder, out=tmp_path / "a", plugins=host)
    text = (tmp_path / "a" / "public-list-health_card.md").read_text(encoding="utf-8")
    assert HY.source in text
    (folder / PRIORITY_FILE).write_text(
        'source = "Quyết định của thư mục"\n[points]\nPOOR = 1\n', encoding="utf-8"
    )
    run = run_campaign(folder, out=tmp_path / "b", plugins=host)
    assert run.review is not None
    text = (tmp_path / "b" / "public-list-health_card.md").read_text(encoding="utf-8")
    assert "Quyết định của thư mục" in text
    assert HY.source not in text
