"""The report's fast paths give what the plain paths give."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from ansinh import strategies as ast
from ansinh.core._gift_facts import GiftFacts
from ansinh.core.campaign import Gift
from ansinh.core.ledger import LedgerState
from ansinh.core.products import ProductKind
from ansinh.core.reporting import ReportRow, report
from ansinh.io.report_files import render_html, render_markdown, write_report
from ansinh.io.report_templates import (
    ReportLayout,
    _cell,
    _column,
    _markdown_finalize,
    _markdown_finalizer,
    read_report_layout,
)

_KEYS: dict[str, Callable[[str, dt.date, ProductKind], str]] = {
    "pledge": lambda p, d, k: p,
    "year": lambda p, d, k: str(d.year),
    "kind": lambda p, d, k: k.value,
    "all three": lambda p, d, k: f"{p}|{d.isoformat()}|{k.value}",
    "one key": lambda p, d, k: "",
}

# a few gifts, each drawn again and again: people and classes with several gifts
_GIFT_LISTS = st.lists(ast.gifts(), min_size=1, max_size=5).flatmap(
    lambda gifts: st.lists(st.sampled_from(gifts), max_size=20)
)


@given(gifts=_GIFT_LISTS, key=st.sampled_from(sorted(_KEYS)))
def test_counting_the_classes_is_counting_the_gifts(gifts: list[Gift], key: str) -> None:
    """A key of a gift's (pledge, purchase date, kind) counts the same through its classes as gift by gift."""
    key_of = _KEYS[key]
    facts = GiftFacts(gifts)
    by_gift = facts.by_column([key_of(g.pledge_id, g.purchased_on, g.kind) for g in gifts])
    assert facts.by_class(facts.classes(), key_of) == by_gift
    assert sum(facts.classes().values()) == len(gifts)


_LETTERHEAD = read_report_layout(Path(__file__).parent.parent / "src" / "ansinh" / "templates", "letterhead")


@settings(deadline=None)
@given(
    state=ast.ledger_states(max_events=14),
    day=st.dates(dt.date(2025, 10, 1), dt.date(2026, 6, 30)),
    layout=st.sampled_from((None, _LETTERHEAD)),
)
def test_the_pages_written_are_the_pages_rendered(
    state: LedgerState, day: dt.date, layout: ReportLayout | None
) -> None:
    """The pages write_report writes are what render_markdown / render_html give."""
    r = report(state, on=day)
    with tempfile.TemporaryDirectory() as folder:
        files = write_report(r, folder, chart=False, layout=layout)
        assert files.markdown.read_text(encoding="utf-8") == render_markdown(r, layout=layout)
        assert files.html.read_text(encoding="utf-8") == render_html(r, layout=layout)


_CELL_VALUES = (
    st.integers(0, 3) | st.integers(-(10**12), 10**12) | st.booleans() | st.sampled_from((1.0, 0.0, 2.5))
)


@given(
    rows=st.lists(
        st.builds(
            ReportRow,
            dimension=st.just("pledge"),
            key=st.text(max_size=3),
            label=st.text(max_size=3) | _CELL_VALUES,
            health_cards=_CELL_VALUES,
            people=_CELL_VALUES,
            value=st.integers(0, 3) | st.integers(-(10**12), 10**12),
        ),
        max_size=12,
    ),
    key=st.sampled_from(("label", "health_cards", "people", "value")),
)
def test_a_column_formats_each_distinct_value_once_to_the_same_texts(rows: list[ReportRow], key: str) -> None:
    """The texts of a breakdown column are each cell's own text, whatever repeats."""
    assert _column(tuple(rows), key) == [_cell(key, getattr(r, key)) for r in rows]


_PRINTED = (
    st.text(alphabet="ab|\\<>& \n*", max_size=4) | st.integers(-3, 3) | st.builds(Markup, st.text(max_size=3))
)


@given(values=st.lists(_PRINTED, max_size=20))
def test_a_markdown_environment_escapes_as_the_plain_finalize(values: list[object]) -> None:
    """The finalize of one environment (each distinct text escaped once) prints what _markdown_finalize prints."""
    finalize = _markdown_finalizer()
    assert [finalize(v) for v in values] == [_markdown_finalize(v) for v in values]
    assert [type(finalize(v)) for v in values] == [type(_markdown_finalize(v)) for v in values]
