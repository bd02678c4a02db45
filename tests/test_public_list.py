"""Public lists: masked, Vietnamese, with reasons and citations; never half-written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.core.eligibility import check, screen
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, SocialBook
from ansinh.core.review import Posting
from ansinh.data import default_law
from ansinh.exceptions import InvalidValueError
from ansinh.io.public_list import (
    PUBLIC_COLUMNS,
    public_list_csv,
    public_list_markdown,
    public_rows,
    write_public_list,
)
from ansinh.io.roster import load_roster

LAW = default_law()

D = dt.date
ON = D(2026, 1, 10)
CARD = HealthCard(months=12)
SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "rosters" / "danh-sach-mau.csv"


def person(i: int, **kw: Any) -> Person:
    base: dict[str, Any] = {
        "id": f"P{i}",
        "full_name": f"Người Số {i}",
        "date_of_birth": D(1970, 7, 23),
        "province": "33",
        "categories": frozenset({Category.NEAR_POOR}),
        "cccd": f"0331700{i:05d}",
        "social_insurance_number": f"33210{i:05d}",
        "commune": "Xã Tiên Lữ",
        "household_id": "HO-77",
    }
    base.update(kw)
    return Person(**base)


def test_rows_are_masked_and_ordered() -> None:
    people = [
        person(1),
        person(2, categories={Category.POOR}),
        person(3, categories={Category.NEAR_POOR, Category.DISABILITY}),
    ]
    rows = public_rows(screen(people, CARD, on=ON, law=LAW))
    assert [r.full_name for r in rows] == ["Người Số 3", "Người Số 1", "Người Số 2"]
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].masked_cccd == "0331******03"
    assert rows[0].birth_year == 1970
    assert rows[0].province == "Hưng Yên"
    assert rows[0].result == "Đủ điều kiện"
    assert rows[0].valid_from == "09/02/2026"
    assert rows[0].score == 65
    assert "người khuyết tật +25" in rows[0].priority
    assert rows[2].result == "Không đủ điều kiện"
    assert "100% BHYT" in rows[2].reasons
    assert "Điều 12" in rows[2].reasons  # the citation is printed
    # an ineligible person's row shows only why not
    assert "nối tiếp" not in rows[2].reasons
    assert "30 ngày" not in rows[2].reasons
    assert len(rows[0].cells()) == len(PUBLIC_COLUMNS)


def test_include_ineligible_false() -> None:
    s = screen([person(1), person(2, categories={Category.POOR})], CARD, on=ON, law=LAW)
    rows = public_rows(s, include_ineligible=False)
    assert [r.full_name for r in rows] == ["Người Số 1"]


def test_decisions_as_a_list_are_ordered_eligible_first() -> None:
    ds = [check(p, CARD, on=ON, law=LAW) for p in (person(1, categories={Category.POOR}), person(2))]
    rows = public_rows(ds)
    assert [r.result for r in rows] == ["Đủ điều kiện", "Không đủ điều kiện"]
    with pytest.raises(InvalidValueError):
        public_rows(["x"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError):
        public_rows(5)  # type: ignore[arg-type]


def test_no_personal_data_in_any_output() -> None:
    roster = load_roster(SAMPLE)
    s = screen(roster, SocialBook(months=12), on=ON, law=LAW)
    texts = [public_list_csv(s), public_list_markdown(s)]
    for p in roster.people:
        for text in texts:
            assert p.cccd is None or p.cccd not in text
            assert p.social_insurance_number is None or p.social_insurance_number not in text
            assert p.commune not in text
            dob = p.date_of_birth
            assert f"{dob.day:02d}/{dob.month:02d}/{dob.year}" not in text
            assert dob.isoformat() not in text


def test_csv_has_vietnamese_header() -> None:
    text = public_list_csv(screen([person(1)], CARD, on=ON, law=LAW))
    header, row = list(csv.reader(io.StringIO(text)))
    assert tuple(header) == PUBLIC_COLUMNS
    assert row[1] == "Người Số 1"
    assert row[2] == "1970"


def test_markdown_escapes_and_titles() -> None:
    s = screen([person(1, full_name="Lê | Văn\nTám")], CARD, on=ON, law=LAW)
    md = public_list_markdown(s)
    assert md.startswith("# Danh sách công khai — thẻ BHYT — ngày 10/01/2026\n")
    table = [line for line in md.splitlines() if line.startswith("| 1 |")]
    assert len(table) == 1
    assert "Lê \\| Văn Tám" in table[0]
    assert public_list_markdown([], title="Xã A").startswith("# Xã A\n")


def test_a_posted_list_says_where_and_until_when_and_where_to_object(tmp_path: Path) -> None:
    s = screen([person(1)], CARD, on=ON, law=LAW)
    posting = Posting(
        place="Nhà văn hóa thôn | 3",
        start=D(2025, 11, 10),
        end=D(2025, 11, 17),
        objections_to="Bộ phận một cửa UBND xã",
    )
    md = public_list_markdown(s, posting=posting)
    assert "niêm yết công khai tại Nhà văn hóa thôn \\| 3 từ ngày 10/11/2025 đến hết ngày 17/11/2025" in md
    assert "gửi về Bộ phận một cửa UBND xã" in md
    assert md.index("niêm yết") < md.index("| STT")
    assert "niêm yết" not in public_list_markdown(s)
    written = write_public_list(s, tmp_path / "cong-khai.md", posting=posting).read_text(encoding="utf-8")
    assert written == md
    with pytest.raises(InvalidValueError, match="posting"):
        public_list_markdown(s, posting="thôn 3")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="posting"):
        write_public_list(s, tmp_path / "x.csv", posting="thôn 3")  # type: ignore[arg-type]


def test_write_public_list(tmp_path: Path) -> None:
    s = screen([person(1)], CARD, on=ON, law=LAW)
    csv_path = write_public_list(s, tmp_path / "cong-khai.csv")
    md_path = write_public_list(s, tmp_path / "cong-khai.md")
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert md_path.read_text(encoding="utf-8").startswith("# ")
    forced = write_public_list(s, tmp_path / "list.txt", format="md")
    assert forced.read_text(encoding="utf-8").startswith("# ")
    with pytest.raises(InvalidValueError):
        write_public_list(s, tmp_path / "x.pdf", format="pdf")  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cong-khai.csv", "cong-khai.md", "list.txt"]


@settings(max_examples=30)
@given(
    cccds=st.lists(st.from_regex(r"[0-9]{12}", fullmatch=True), min_size=1, max_size=6, unique=True),
)
def test_masking_property(cccds: list[str]) -> None:
    people = [person(i, cccd=c) for i, c in enumerate(cccds)]
    out = public_list_csv(screen(people, CARD, on=ON, law=LAW)) + public_list_markdown(
        screen(people, CARD, on=ON, law=LAW)
    )
    for c in cccds:
        assert c not in out
        assert f"{c[:4]}******{c[-2:]}" in out
