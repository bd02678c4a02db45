"""A campaign folder with a review.toml: posted, objected to, approved; gifts only to the approved list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ansinh.core.review import ReviewStatus
from ansinh.exceptions import CampaignFileError
from ansinh.io.review_files import REVIEW_FILE, read_review
from ansinh.io.run import run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"


def test_the_example_review_one_objection_upheld_one_dismissed(tmp_path: Path) -> None:
    run = run_campaign(EXAMPLE, out=tmp_path / "build", plugins=False)
    lst = run.review
    assert lst is not None
    assert lst.status is ReviewStatus.APPROVED
    assert lst.approval is not None
    assert lst.approval.minutes.startswith("Biên bản")
    outcomes = {o.person_id: o.outcome.value for o in lst.objections}
    assert outcomes == {"31-001": "upheld", "31-002": "dismissed"}
    people = {g.person_id for g in run.allocation.gifts}
    assert "31-001" not in people
    assert "31-001" in run.allocation.not_approved
    assert "31-002" in people  # the dismissed objection changed nothing
    text = (tmp_path / "build" / "public-list-health_card.md").read_text(encoding="utf-8")
    assert "từ ngày 01/12/2025 đến hết ngày 10/12/2025" in text
    assert "Bộ phận tiếp công dân" in text
    assert "031097750880" not in text  # 31-001's CCCD, masked
    assert "0310******80" in text  # the posted list is the one before the objections
    assert [p.name for p in run.public_lists] == [
        "public-list-health_card.md",
        "public-list-social_book.md",
        "public-list-tet_gift.md",
    ]
    again = run_campaign(EXAMPLE, out=tmp_path / "build", plugins=False)
    assert again.new_events == 0


def _folder(tmp_path: Path, review: str) -> Path:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    (folder / REVIEW_FILE).write_text(review, encoding="utf-8")
    return folder


POSTING = """
[posting]
place = "Nhà văn hóa"
start = 2025-12-01
end = 2025-12-10
"""
APPROVAL = """
[approval]
bodies = ["commune_committee", "mttq"]
on = 2025-12-11
minutes = "BB 1"
"""


@pytest.mark.parametrize(
    ("review", "where"),
    [
        (POSTING, "[approval]"),  # not approved: no gift can be allocated
        (POSTING.replace("end = 2025-12-10", "end = 2025-11-10") + APPROVAL, "[posting] end"),
        (POSTING + "colour = 1\n" + APPROVAL, "[posting] colour"),
        (POSTING + APPROVAL.replace('"mttq"', '"ubnd"'), "[approval] bodies"),
        (
            POSTING
            + '[[objection]]\nid = "A"\nkind = "remove"\nperson = "31-001"\nfiled_on = 2025-12-20\ngrounds = "x"\n'
            + APPROVAL,
            "[[objection]] A filed_on",
        ),
        (
            POSTING
            + '[[objection]]\nid = "A"\nkind = "remove"\nperson = "31-001"\nfiled_on = 2025-12-02\ngrounds = "x"\n'
            + APPROVAL,
            "[approval] objections",  # still pending
        ),
        (
            POSTING
            + '[[objection]]\nid = "A"\nkind = "add"\nperson = "99-999"\nfiled_on = 2025-12-02\ngrounds = "x"\n'
            + 'outcome = "upheld"\nreasons = "r"\ndecided_on = 2025-12-05\n'
            + APPROVAL,
            "[[objection]] A person",  # not on the roster
        ),
        ("list_id = [", "valid TOML"),
    ],
)
def test_a_wrong_review_file_stops_the_run_before_the_ledger(tmp_path: Path, review: str, where: str) -> None:
    folder = _folder(tmp_path, review)
    with pytest.raises(CampaignFileError, match=r"review\.toml") as info:
        run_campaign(folder, out=tmp_path / "out", plugins=False)
    assert where in str(info.value)
    assert not (tmp_path / "out" / "ledger.sqlite").exists()


def test_an_upheld_request_to_add_rescreens_the_person_and_lists_them(tmp_path: Path) -> None:
    outside = "31-003"  # a student the roster does not mark in difficult circumstances
    add = (
        f'[[objection]]\nid = "BS-01"\nkind = "add"\nperson = "{outside}"\nfiled_on = 2025-12-02\n'
        'grounds = "Mồ côi cha, mẹ ốm nặng"\noutcome = "upheld"\nreasons = "Xác minh đúng"\ndecided_on = 2025-12-05\n'
    )
    plain = run_campaign(_folder(tmp_path, POSTING + APPROVAL), out=tmp_path / "a", plugins=False)
    assert plain.review is not None
    assert outside not in plain.review.person_ids
    folder = _folder(tmp_path / "b", POSTING + add + APPROVAL)
    review = read_review(folder / REVIEW_FILE)
    assert [o.id for o in review.objections] == ["BS-01"]
    run = run_campaign(folder, out=tmp_path / "b" / "out", plugins=False)
    assert run.review is not None
    assert outside in run.review.person_ids
    assert run.review.objection("BS-01").outcome.value == "upheld"
    assert outside not in run.allocation.not_approved
