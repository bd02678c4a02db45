"""Fuzz hostile CSV and Excel rosters, campaign files and mutated JSON documents.

Only AnsinhError escapes; every row is accounted for; no nine-or-more-digit run shows in a rejected row.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ansinh
from ansinh.io.campaign_files import read_pledges, read_sponsors
from ansinh.io.roster import Roster, load_roster, parse_roster_csv
from ansinh.io.roster.csv import delimiter_of
from ansinh.serialization import dump_document, loads_document

from ._values import CCCD, UNMASKED, campaign, person
from .test_public_api import EXAMPLES, check_error

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("ANSINH_FUZZ_EXAMPLES"),
)

HEADERS = [
    "Mã",
    "Họ và tên",
    "Ngày sinh",
    "Tỉnh",
    "Số CCCD",
    "Mã số BHXH",
    "Đối tượng",
    "Ghi chú",
    "Ngày nhập viện",
]
CELL_TEXT = st.one_of(
    st.text(alphabet="ab1/\"\r\n ,;\t=+-@'\x00é", max_size=10),
    st.sampled_from(
        ["01/01/1980", "31/02/1990", "Hà Nội", "01", CCCD, "0123456789", "hộ nghèo", "x" * 40_000]
    ),
)


def _accounted(r: Roster) -> None:
    assert r.lines_read == len(r.people) + len(r.rejected_rows) + r.blank_lines + r.joined_lines
    for row in r.rejected:
        assert not UNMASKED.search(f"{row} {row!r}"), row
    for dup in r.duplicates:
        assert not UNMASKED.search(dup.value)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(CELL_TEXT, max_size=7), max_size=12),
    sep=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    encode=st.booleans(),
    tail=st.binary(max_size=4),
)
def test_hostile_csv(
    header: list[str], rows: list[list[str]], sep: str, newline: str, encode: bool, tail: bytes
) -> None:
    text = newline.join(sep.join(cells) for cells in [header, *rows])
    data: bytes | str = text.encode("utf-8") + tail if encode else text
    try:
        roster = parse_roster_csv(data)
    except Exception as exc:
        check_error(exc)
        return
    _accounted(roster)


SPONSOR_HEADER = st.one_of(
    st.just(["id", "name", "kind", "province"]),
    st.just(["Mã nhà tài trợ", "Tên", "Loại", "Tỉnh", "Ghi chú"]),
    st.lists(st.sampled_from(["id", "name", "kind", "sponsor id", "money", "x", ""]), min_size=1, max_size=5),
)
SPONSOR_CELL = st.one_of(
    st.text(alphabet='ab1"\r\n ,;\t=é', max_size=8),
    st.sampled_from(
        ["S1", "S2", "bank", "ngân hàng", "hợp tác xã", "01", "Hà Nội", "50.000.000", "x" * 200_000]
    ),
)


@FUZZ
@given(
    header=SPONSOR_HEADER,
    rows=st.lists(st.lists(SPONSOR_CELL, max_size=5), max_size=10),
    sep=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_hostile_sponsor_and_pledge_files(
    header: list[str], rows: list[list[str]], sep: str, newline: str
) -> None:
    # every line after the header ends as a sponsor (pledge) or a rejected row, when no quote joins lines
    text = newline.join(sep.join(cells) for cells in [header, *rows]) + newline
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sponsors.csv"
        path.write_text(text, encoding="utf-8", newline="")
        for read in (read_sponsors, lambda p: read_pledges(p, (), default_date=dt.date(2026, 1, 5))):
            try:
                found = read(path)
            except Exception as exc:
                check_error(exc)
                continue
            kept, rejected = len(found[0]), found[-1]
            for row in rejected:
                assert not UNMASKED.search(f"{row} {row!r}"), row
            if '"' not in text:
                d = delimiter_of(text)
                # lines end at \r\n, \r or \n, as in a roster (a lone \r in a cell ends its line)
                lines = [ln for ln in re.split(r"\r\n|\r|\n", text) if any(c.strip() for c in ln.split(d))]
                assert kept + len({r.row for r in rejected}) == len(lines) - 1


EXCEL_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.text(alphabet="ab1/ =é", max_size=10),
    st.sampled_from(["01/01/1980", "Hà Nội", CCCD, int(CCCD), 10**11 + 7]),
)


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
    rows=st.lists(st.lists(EXCEL_CELL, max_size=7), max_size=10),
)
def test_hostile_xlsx(header: list[str], rows: list[list[Any]]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [header, *rows]:
        ws.append(r)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ds.xlsx"
        wb.save(path)
        try:
            roster = load_roster(path)
        except Exception as exc:
            check_error(exc)
            return
    _accounted(roster)


def _documents() -> list[tuple[dict[str, Any], type]]:
    law = ansinh.default_law()
    on = dt.date(2026, 1, 5)
    quote = ansinh.price(ansinh.HealthCard(months=12), person(), on=on, law=law)
    objects = [
        person(),
        campaign(),
        ansinh.HealthCard(months=6),
        ansinh.SocialBook(months=12, monthly_income=2_000_000),
        ansinh.TetGift(value=500_000),
        quote,
        ansinh.Sponsor(id="S", name="n", kind="bank"),
        ansinh.Pledge(id="P", sponsor_id="S", money=5_000_000),
        ansinh.check(person(), ansinh.HealthCard(months=12), on=on, law=law, plugins=False),
    ]
    return [(json.loads(json.dumps(dump_document(o))), type(o)) for o in objects]


DOCUMENTS = _documents()
JSON_VALUE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
        st.sampled_from(["", CCCD, "health_card", "2026-01-05", "9999-12-31", "0001-01-01", "1e999999999"]),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], action: str, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        copy = dict(doc)
        if not rest and action == "delete":
            copy.pop(head, None)
        elif not rest and action == "add":
            copy[f"{head}_extra"] = new
        else:
            copy[head] = _mutate(doc[head], rest, action, new)
        return copy
    copy_list = list(doc)
    copy_list[head] = _mutate(doc[head], rest, action, new)
    return copy_list


@FUZZ
@given(data=st.data())
def test_mutated_json_documents(data: st.DataObject) -> None:
    doc, cls = data.draw(st.sampled_from(DOCUMENTS), label="document")
    paths = _paths(doc)
    mutations = data.draw(st.integers(min_value=1, max_value=3), label="mutations")
    for _ in range(mutations):
        path = data.draw(st.sampled_from(paths), label="path")
        action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
        doc = _mutate(doc, path, action, data.draw(JSON_VALUE, label="value"))
        paths = _paths(doc)
    text = json.dumps(doc, ensure_ascii=data.draw(st.booleans(), label="ascii"))
    try:
        loads_document(text, cls)
    except Exception as exc:
        check_error(exc)
