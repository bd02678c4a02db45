"""A chunk's rows are looked at for a province and a hospital stay only when some row may lack one: same problems."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh.io.roster import parse_roster_rows

_HEADER = ["Họ và tên", "Ngày sinh", "Tỉnh", "Tỉnh cũ", "Ngày nhập viện", "Ngày ra viện"]
_ROW = st.tuples(
    st.just("Lê Văn An"),
    st.just("01/01/1980"),
    st.sampled_from(["01", "", " "]),
    st.sampled_from(["", "01", " "]),
    st.sampled_from(["", "10/02/2026", " "]),
    st.sampled_from(["", "20/02/2026"]),
).map(list)


@settings(max_examples=150)
@given(st.lists(_ROW, min_size=1, max_size=10))
def test_each_row_lacking_a_province_or_half_a_stay_is_refused_for_it(rows: list[list[str]]) -> None:
    roster = parse_roster_rows([_HEADER, *rows])
    no_province = {n for n, r in enumerate(rows, 2) if not r[2].strip() and not r[3].strip()}
    half_stay = {n for n, r in enumerate(rows, 2) if bool(r[4].strip()) != bool(r[5].strip())}
    assert {x.row for x in roster.rejected if x.reason == "required: a province"} == no_province
    assert {
        x.row for x in roster.rejected if x.reason.startswith("both admission and discharge")
    } == half_stay
    stays = {n: p.hospital_stay for p, n in zip(roster.people, roster.rows, strict=True)}
    assert all((s is not None) == bool(rows[n - 2][4].strip()) for n, s in stays.items())
