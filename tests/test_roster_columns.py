"""A campaign folder's extra roster columns (affiliations, hospitals) are read from the roster's own rows.

The people come from :func:`~ansinh.io.roster.load.load_roster`; the
``Đơn vị liên quan``, ``Bệnh viện`` and ``Tuyến`` cells of the same file
come from :func:`~ansinh.io.roster.load.roster_rows`: the same separator,
header, lines and row numbers.  Each test below is a file on which a second
reading rule (the one the folder reader had before) found other rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.exceptions import CampaignFileError
from ansinh.io.campaign_files import read_campaign_folder
from ansinh.io.roster import load_roster, roster_rows
from ansinh.io.roster.csv import delimiter_of

_TOML = (
    '[campaign]\ncode = "T2026"\nname = "Cột danh sách"\nstart = 2025-10-23\nend = 2026-03-31\n'
    "[run]\npurchase_date = 2026-03-01\n"
)
"""The least a campaign.toml holds: its campaign and purchase date (the files are read, not run)."""

_PEOPLE = (
    ("01-001", "Nguyễn Văn An", "20/09/1970"),
    ("01-002", "Trần Thị Bình", "26/02/1983"),
    ("01-003", "Lê Văn Cường", "07/02/1960"),
)


def _folder(
    root: Path, roster: str, sponsors: str = "id,name,kind,province\nS1,Ngân hàng A,bank,01\n"
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "campaign.toml").write_text(_TOML, encoding="utf-8")
    (root / "sponsors.csv").write_text(sponsors, encoding="utf-8")
    (root / "pledges.csv").write_text(
        "id,sponsor id,money,province,registered on,received,received on\n"
        "P1,S1,5544000,01,2025-11-01,5544000,2025-11-02\n",
        encoding="utf-8",
    )
    (root / "roster.csv").write_text(roster, encoding="utf-8")
    return root


def test_a_header_with_a_tab_in_a_cell_is_split_by_its_commas(tmp_path: Path) -> None:
    # the header uses "," five times and a tab once: both readers split it by ","
    roster = (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Ghi chú\tnội bộ,Đơn vị liên quan\n"
        "01-001,Nguyễn Văn An,20/09/1970,01,,\n"
        "01-002,Trần Thị Bình,26/02/1983,01,,DN01\n"
    )
    data = read_campaign_folder(_folder(tmp_path / "c", roster))
    assert [p.id for p in data.roster.people] == ["01-001", "01-002"]
    assert data.affiliation_map() == {"01-002": frozenset({"DN01"})}


def test_blank_lines_before_the_header_are_skipped_by_both(tmp_path: Path) -> None:
    roster = "\n,,,\nMã,Họ và tên,Ngày sinh,Tỉnh,Đơn vị liên quan\n01-002,Trần Thị Bình,26/02/1983,01,DN01\n"
    data = read_campaign_folder(_folder(tmp_path / "c", roster))
    assert [p.id for p in data.roster.people] == ["01-002"]
    assert data.affiliation_map() == {"01-002": frozenset({"DN01"})}


def test_an_unclosed_quote_does_not_swallow_the_next_peoples_columns(tmp_path: Path) -> None:
    roster = (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Xã/phường,Đơn vị liên quan\n"
        '01-001,Nguyễn Văn An,20/09/1970,01,"Phường Ba Đình,DN09\n'
        "01-002,Trần Thị Bình,26/02/1983,01,Xã Sóc Sơn,DN01\n"
        "01-003,Lê Văn Cường,07/02/1960,01,Xã Ba Vì,DN02\n"
    )
    data = read_campaign_folder(_folder(tmp_path / "c", roster))
    assert [x.row for x in data.roster.rejected] == [2]
    assert data.affiliation_map() == {"01-002": frozenset({"DN01"}), "01-003": frozenset({"DN02"})}


def test_a_bad_hospital_level_is_named_by_the_rosters_row_number(tmp_path: Path) -> None:
    # the first person's address spans two lines: the next row starts on line 4, as the roster counts
    roster = (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Xã/phường,Bệnh viện,Tuyến\n"
        '01-001,Nguyễn Văn An,20/09/1970,01,"Số 1\nPhường Ba Đình",,\n'
        "01-002,Trần Thị Bình,26/02/1983,01,Xã Sóc Sơn,Bệnh viện Bạch Mai,tuyến thôn\n"
    )
    folder = _folder(tmp_path / "c", roster)
    assert [r.number for r in roster_rows(folder / "roster.csv")] == [1, 2, 4]
    with pytest.raises(CampaignFileError, match=r"roster\.csv row 4 hospital_level"):
        read_campaign_folder(folder)


def test_sponsors_are_split_by_the_same_rule(tmp_path: Path) -> None:
    # a stray tab after the last header: "," is still the separator the header uses most
    sponsors = "id,name,kind,province\t\nS1,Ngân hàng A,bank,01\n"
    data = read_campaign_folder(_folder(tmp_path / "c", "Mã,Họ và tên,Ngày sinh,Tỉnh\n", sponsors))
    assert [(s.id, s.name) for s in data.sponsors] == [("S1", "Ngân hàng A")]


@settings(max_examples=40, deadline=None)
@given(
    delimiter=st.sampled_from([",", ";", "\t"]),
    blank_lines=st.integers(0, 2),
    targets=st.lists(st.sampled_from(["", "DN01", "DN02", "DN01;DN02"]), min_size=3, max_size=3),
    spanning=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_the_affiliations_are_those_of_the_rosters_people(
    tmp_path_factory: pytest.TempPathFactory,
    delimiter: str,
    blank_lines: int,
    targets: list[str],
    spanning: list[bool],
) -> None:
    lines = ["" for _ in range(blank_lines)]
    lines.append(delimiter.join(["Mã", "Họ và tên", "Ngày sinh", "Tỉnh", "Xã/phường", "Đơn vị liên quan"]))
    for (pid, name, born), target, spans in zip(_PEOPLE, targets, spanning, strict=True):
        commune = '"Số 1\nPhường Ba Đình"' if spans else "Xã Ba Vì"
        cell = f'"{target}"' if delimiter == ";" and ";" in target else target
        lines.append(delimiter.join([pid, name, born, "01", commune, cell]))
    folder = _folder(tmp_path_factory.mktemp("c"), "\n".join(lines) + "\n")
    assert delimiter_of((folder / "roster.csv").read_text(encoding="utf-8")) == delimiter
    data = read_campaign_folder(folder)
    assert [p.id for p in load_roster(folder / "roster.csv").people] == [p[0] for p in _PEOPLE]
    expected = {
        pid: frozenset(target.split(";"))
        for (pid, _, _), target in zip(_PEOPLE, targets, strict=True)
        if target
    }
    assert data.affiliation_map() == expected
