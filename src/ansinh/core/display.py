"""Short text and HTML displays of ansinh's results, for notebooks and consoles.

A result that holds many people (a screening, an allocation, a report) must
not print a hundred thousand characters: its ``repr()`` is one line of
counts and totals, and its ``_repr_html_()`` (what Jupyter shows) is a small
table of the headline figures with each long part in a collapsible section
showing at most :data:`MAX_ROWS` rows.  Every text is HTML-escaped; the HTML
degrades to plain text where styles are not applied.

These are pure functions over strings: no I/O, no state.

>>> print(html_summary("Quote", [("payable", "1.263.600 đ")]))
<div class="ansinh-repr"><strong>Quote</strong><table><tr><th style="text-align:left">payable</th><td style="text-align:left">1.263.600 đ</td></tr></table></div>
>>> "&lt;b&gt;" in html_summary("<b>", [])
True
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

__all__ = ["MAX_ROWS", "Section", "html_summary", "shorten"]

MAX_ROWS: Final = 20
"""Rows shown per section of an HTML display; the rest are counted, not shown."""

_CELL: Final = ' style="text-align:left"'


def shorten(text: str, limit: int = 60) -> str:
    """*text* cut to *limit* characters with ``…`` (for one-line reprs).

    >>> shorten("Tặng thẻ BHYT cho người có hoàn cảnh khó khăn", 20)
    'Tặng thẻ BHYT cho n…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


@attrs.frozen
class Section:
    """A collapsible table of an HTML display: a title, column headers and rows of text."""

    title: str
    headers: tuple[str, ...]
    rows: Sequence[Sequence[object]]
    """The rows (only the first :data:`MAX_ROWS` are shown)."""
    open: bool = False
    """Shown unfolded."""

    def html(self) -> str:
        """The section as a ``<details>`` element with a table, escaped."""
        head = "".join(f"<th{_CELL}>{html.escape(h)}</th>" for h in self.headers)
        body = "".join(
            "<tr>" + "".join(f"<td{_CELL}>{html.escape(str(c))}</td>" for c in row) + "</tr>"
            for row in self.rows[:MAX_ROWS]
        )
        more = len(self.rows) - MAX_ROWS
        tail = f"<p>… {more} more not shown</p>" if more > 0 else ""
        flag = " open" if self.open else ""
        return (
            f"<details{flag}><summary>{html.escape(self.title)} ({len(self.rows)})</summary>"
            f"<table><tr>{head}</tr>{body}</table>{tail}</details>"
        )


def html_summary(title: str, fields: Iterable[tuple[str, object]], sections: Iterable[Section] = ()) -> str:
    """An HTML display: *title*, a two-column table of *fields*, then each non-empty section."""
    rows = "".join(
        f"<tr><th{_CELL}>{html.escape(k)}</th><td{_CELL}>{html.escape(str(v))}</td></tr>" for k, v in fields
    )
    parts = "".join(s.html() for s in sections if s.rows)
    return f'<div class="ansinh-repr"><strong>{html.escape(title)}</strong><table>{rows}</table>{parts}</div>'
