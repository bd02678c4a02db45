"""Charts as matplotlib ``Figure`` objects, for notebooks, and as PNG files.

:func:`report_figure` draws one breakdown of a campaign report (gift value by
province, by kind of gift, by sponsor kind …); :func:`series_figure` draws the
multi-year series, published totals apart from the years backed by person
rows.  Both return the ``Figure`` — a notebook shows it, a script can change
it — and :func:`save_png` writes one atomically.

matplotlib's object API is used (no ``pyplot``, no global state), so drawing
works in a server or a test as well as in Jupyter.  Needs ``ansinh[chart]``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from ansinh.core.labels import Lang
from ansinh.core.reporting import DIMENSIONS, CampaignReport
from ansinh.core.series import SeriesRow
from ansinh.exceptions import InvalidValueError
from ansinh.io.files import write_atomic

if TYPE_CHECKING:
    import matplotlib.figure

__all__ = ["SERIES_MEASURES", "report_figure", "save_png", "series_figure"]

SERIES_MEASURES: Final = ("books_and_cards", "health_cards", "social_books", "tet_gifts", "people", "value")
"""What :func:`series_figure` can draw, year by year."""

_TITLES: Final = {
    "province": ("Giá trị quà tặng theo tỉnh, thành phố", "Gift value by province"),
    "product": ("Giá trị quà tặng theo loại quà", "Gift value by kind of gift"),
    "sponsor_kind": ("Giá trị quà tặng theo loại nhà tài trợ", "Gift value by kind of sponsor"),
    "strategy": ("Giá trị quà tặng theo cách huy động", "Gift value by sourcing strategy"),
    "year": ("Giá trị quà tặng theo năm mua", "Gift value by purchase year"),
    "pledge": ("Giá trị quà tặng theo khoản tài trợ", "Gift value by pledge"),
    "hospital_level": ("Giá trị quà Tết theo tuyến bệnh viện", "Tết gift value by hospital level"),
    "hospital": ("Giá trị quà Tết theo bệnh viện", "Tết gift value by hospital"),
}


def _figure(size: tuple[float, float]) -> matplotlib.figure.Figure:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise InvalidValueError(
            "matplotlib", None, "matplotlib installed (pip install 'ansinh[chart]')"
        ) from None
    fig = Figure(figsize=size, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def report_figure(
    report: CampaignReport, dimension: str = "province", *, lang: Lang = "vi"
) -> matplotlib.figure.Figure:
    """Gift value (millions of đồng) for each row of one breakdown of *report*, largest on top.

    Raises:
        InvalidValueError: *dimension* is not one of :data:`~ansinh.core.reporting.DIMENSIONS`,
            or matplotlib is not installed.
    """
    if dimension not in DIMENSIONS:
        raise InvalidValueError("dimension", dimension, "one of " + ", ".join(DIMENSIONS))
    rows = sorted(report.rows_for(dimension), key=lambda r: (-r.value, r.key))
    fig = _figure((8, 0.4 * max(len(rows), 3) + 1.2))
    ax = fig.add_subplot()
    ax.barh([r.label for r in rows][::-1], [r.value / 1_000_000 for r in rows][::-1], color="#2a6ebb")
    ax.set_xlabel("million VND" if lang == "en" else "triệu đồng")
    ax.set_title(_TITLES[dimension][1 if lang == "en" else 0])
    fig.tight_layout()
    return fig


def series_figure(
    rows: Iterable[SeriesRow], measure: str = "books_and_cards", *, lang: Lang = "vi"
) -> matplotlib.figure.Figure:
    """One bar per year of the series: person-backed years solid, published totals hatched.

    A year without a published figure for *measure* has no bar.

    Raises:
        InvalidValueError: *measure* is not one of :data:`SERIES_MEASURES`, or
            matplotlib is not installed.
    """
    if measure not in SERIES_MEASURES:
        raise InvalidValueError("measure", measure, "one of " + ", ".join(SERIES_MEASURES))
    years: list[tuple[int, float, bool]] = []
    for row in rows:
        value: Any = getattr(row, measure)
        if value is not None:
            years.append(
                (
                    row.year,
                    value / 1_000_000 if measure == "value" else value,
                    row.backing.value == "aggregate",
                )
            )
    fig = _figure((8, 4.5))
    ax = fig.add_subplot()
    bars = ax.bar([str(y) for y, _v, _p in years], [v for _y, v, _p in years], color="#2a6ebb")
    for bar, (_y, _v, published) in zip(bars, years, strict=True):
        if published:
            bar.set_hatch("//")
            bar.set_facecolor("#9dbde6")
    en = lang == "en"
    ax.set_ylabel(("million VND" if en else "triệu đồng") if measure == "value" else measure)
    ax.set_title("By year (hatched: published totals)" if en else "Theo năm (gạch chéo: số liệu công bố)")
    fig.tight_layout()
    return fig


def save_png(figure: matplotlib.figure.Figure, path: str | os.PathLike[str]) -> Path:
    """Write *figure* as a PNG file, atomically; the path written.

    Raises:
        OutputFileError: the file cannot be written.
    """
    buf = io.BytesIO()
    figure.savefig(buf, format="png")
    target = Path(path)
    write_atomic(target, buf.getvalue())
    return target
