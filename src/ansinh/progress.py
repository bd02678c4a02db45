"""Progress bars for long steps: tqdm in a terminal or a notebook, plain text without it.

ansinh's long functions report progress through a callback and never draw
anything themselves: :func:`~ansinh.io.run.run_campaign` calls
``progress(step, done, total)`` for its steps (``"read"``, ``"screen"``,
``"record"``, ``"allocate"``, ``"pay"``, ``"report"``);
:func:`~ansinh.io.roster.load.load_roster` calls ``progress(done, total)`` with
the rows read so far.  This module draws them, at the edge (the command line, a
notebook):

>>> from ansinh.progress import tqdm_progress
>>> with tqdm_progress() as bars:                                   # doctest: +SKIP
...     run = run_campaign("examples/tet-binh-ngo-2026", progress=bars)
...     roster = load_roster("roster.csv", progress=bars.step("read"))

:func:`tqdm_progress` draws one `tqdm <https://tqdm.github.io>`_ bar per step,
with its rate and time left, through ``tqdm.auto`` (a widget in Jupyter, a text
bar in a terminal); tqdm is the optional extra ``ansinh[progress]``, imported
only when a bar is made.  Without tqdm it draws the same figures as plain text
(:func:`text_progress`): rewritten in place on a terminal, one line per
finished step otherwise, so a log stays readable.
"""

from __future__ import annotations

import functools
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import Any, Final, Protocol, TextIO, TypeVar

from ansinh.exceptions import InvalidValueError

__all__ = ["STEP_UNITS", "Bar", "Progress", "StepProgress", "counted", "text_progress", "tqdm_progress"]

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: what :func:`~ansinh.io.run.run_campaign` calls."""

STEP_UNITS: Final[Mapping[str, str]] = {
    "read": "rows",
    "screen": "people",
    "record": "events",
    "pay": "events",
}
"""What each step of a campaign run counts (other steps count ``"steps"``)."""

T = TypeVar("T")


def counted(items: Iterable[T], report: Callable[[int], None], *, every: int = 500) -> Iterator[T]:
    """*items*, calling ``report(n)`` with how many were taken so far: every *every* items and at the end.

    How a step that hands an iterable to a function reports its progress
    without that function knowing about progress.

    >>> seen = []
    >>> list(counted("abcde", seen.append, every=2)), seen
    (['a', 'b', 'c', 'd', 'e'], [2, 4, 5])
    """
    n = 0
    for n, item in enumerate(items, start=1):
        yield item
        if n % every == 0:
            report(n)
    if n % every:
        report(n)


class Bar(Protocol):
    """What draws the bar of one step (made for each step by a :class:`StepProgress`)."""

    def show(self, done: int, total: int) -> None:
        """Draw that *done* of *total* are done."""

    def close(self) -> None:
        """End the bar."""


class StepProgress:
    """A ``progress(step, done, total)`` callable that draws one bar per step.

    Made by :func:`tqdm_progress` or :func:`text_progress`; ``StepProgress(None)``
    draws nothing.  A new bar (``make_bar(label, unit, total)``) starts when
    the step changes or its count starts again; :meth:`close` ends the last
    one (or use it as a context manager).

    Args:
        make_bar: makes the bar of a step, or ``None`` to draw nothing.
        labels: the text shown for each step (default: the step's name).
        units: what each step counts (default: :data:`STEP_UNITS`).
    """

    def __init__(
        self,
        make_bar: Callable[[str, str, int], Bar] | None,
        *,
        labels: Mapping[str, str] | None = None,
        units: Mapping[str, str] | None = None,
    ) -> None:
        self._make_bar = make_bar
        self._labels = dict(labels or {})
        self._units = {**STEP_UNITS, **(units or {})}
        self._step: str | None = None
        self._done = 0
        self._bar: Bar | None = None

    @property
    def enabled(self) -> bool:
        """Whether it draws anything."""
        return self._make_bar is not None

    def __call__(self, step: str, done: int, total: int) -> None:
        """Show that *done* of *total* of *step* are done."""
        if self._make_bar is None:
            return
        if self._bar is None or step != self._step or done < self._done:
            self._end()
            label = self._labels.get(step, step)
            self._bar = self._make_bar(label, self._units.get(step, "steps"), total)
            self._step = step
        self._done = done
        self._bar.show(done, total)

    def step(self, step: str) -> Callable[[int, int], None]:
        """A ``progress(done, total)`` callable for one step (what :func:`~ansinh.io.roster.load.load_roster` takes)."""
        return lambda done, total: self(step, done, total)

    def _end(self) -> None:
        if self._bar is not None:
            self._bar.close()
        self._bar, self._step, self._done = None, None, 0

    def close(self) -> None:
        """End the bar being drawn."""
        self._end()

    def __enter__(self) -> StepProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class _TqdmBar:
    def __init__(self, tqdm: Any, label: str, unit: str, total: int, file: TextIO | None) -> None:
        self._bar = tqdm(total=total, desc=label, unit=f" {unit}", file=file, dynamic_ncols=True, leave=True)

    def show(self, done: int, total: int) -> None:
        if self._bar.total != total:
            self._bar.total = total
        self._bar.update(done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def _duration(seconds: float) -> str:
    minutes, s = divmod(int(seconds), 60)
    hours, m = divmod(minutes, 60)
    return f"{hours}:{m:02d}:{s:02d}" if hours else f"{m:02d}:{s:02d}"


class _TextBar:
    """``label: done/total unit [elapsed<left, rate unit/s]``."""

    _EVERY: Final = 0.1  # seconds between two redraws on a terminal

    def __init__(self, label: str, unit: str, file: TextIO, clock: Callable[[], float]) -> None:
        self._label, self._unit, self._file, self._clock = label, unit, file, clock
        self._tty = bool(getattr(file, "isatty", lambda: False)())
        self._start = clock()
        self._drawn = -1.0
        self._width = 0
        self._text = ""

    def _line(self, done: int, total: int) -> str:
        elapsed = self._clock() - self._start
        rate = done / elapsed if elapsed > 0 else 0.0
        left = _duration((total - done) / rate) if rate and total >= done else "?"
        count = f"{done}/{total}" if total else f"{done}"
        return f"{self._label}: {count} {self._unit} [{_duration(elapsed)}<{left}, {rate:.1f} {self._unit}/s]"

    def show(self, done: int, total: int) -> None:
        self._text = self._line(done, total)
        if not self._tty:
            return  # one line when the step ends
        now = self._clock()
        if now - self._drawn >= self._EVERY or done >= total:
            self._file.write("\r" + self._text.ljust(self._width))
            self._file.flush()
            self._width, self._drawn = len(self._text), now

    def close(self) -> None:
        self._file.write(("\r" + self._text.ljust(self._width) if self._tty else self._text) + "\n")
        self._file.flush()


def _tqdm_auto() -> Any:
    """``tqdm.auto.tqdm`` without its monitor thread, or ``None`` when tqdm is not installed.

    The monitor only speeds up a bar updated too rarely; these bars are moved
    by the run itself.  And a process running a second thread writes its
    report's workbook and chart itself, not in child processes
    (:func:`~ansinh.io.report_files.write_report`).
    """
    try:
        with warnings.catch_warnings():
            # In a notebook without ipywidgets tqdm warns and draws a text bar, which works.
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None
    return _without_monitor(tqdm)


@functools.cache
def _without_monitor(tqdm: type) -> type:
    return type(tqdm.__name__, (tqdm,), {"monitor_interval": 0})


def _check_options(labels: object, units: object, file: object) -> None:
    for name, value in (("labels", labels), ("units", units)):
        if value is not None and not isinstance(value, Mapping):
            raise InvalidValueError(name, value, "a mapping of step name to text, or None")
    if file is not None and not callable(getattr(file, "write", None)):
        raise InvalidValueError("file", file, "a text stream (with write), or None for sys.stderr")


def text_progress(
    *,
    labels: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    file: TextIO | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> StepProgress:
    """Bars as plain text on *file* (default: standard error), with the rate and the time left.

    On a terminal each bar is rewritten in place; otherwise one line is
    written when each step ends.

    Args:
        labels: the text shown for each step (default: the step's name).
        units: what each step counts (default: :data:`STEP_UNITS`).
        file: where to draw (default: ``sys.stderr`` when drawing).
        clock: seconds, for the rate and the time left.

    Raises:
        InvalidValueError: *labels*, *units* or *file* is not what is described.

    >>> import io
    >>> ticks = iter(range(100))
    >>> out = io.StringIO()
    >>> with text_progress(labels={"screen": "Screening"}, file=out, clock=lambda: next(ticks)) as bars:
    ...     for done in (0, 200, 400):
    ...         bars("screen", done, 400)
    >>> out.getvalue()
    'Screening: 400/400 people [00:03<00:00, 133.3 people/s]\\n'
    """
    _check_options(labels, units, file)

    def bar(label: str, unit: str, total: int) -> Bar:
        return _TextBar(label, unit, file if file is not None else sys.stderr, clock)

    return StepProgress(bar, labels=labels, units=units)


def tqdm_progress(
    *,
    labels: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    file: TextIO | None = None,
) -> StepProgress:
    """tqdm bars (``tqdm.auto``: a widget in Jupyter, text in a terminal), or :func:`text_progress` without tqdm.

    Pass the result as ``progress=`` to :func:`~ansinh.io.run.run_campaign`,
    or ``bars.step("read")`` to :func:`~ansinh.io.roster.load.load_roster`.
    tqdm is the optional extra ``pip install 'ansinh[progress]'``.

    Args:
        labels: the text shown for each step (default: the step's name).
        units: what each step counts (default: :data:`STEP_UNITS`).
        file: where a text bar is drawn (default: standard error).

    Raises:
        InvalidValueError: *labels*, *units* or *file* is not what is described.
    """
    _check_options(labels, units, file)
    tqdm = _tqdm_auto()
    if tqdm is None:
        return text_progress(labels=labels, units=units, file=file)

    def bar(label: str, unit: str, total: int) -> Bar:
        return _TqdmBar(tqdm, label, unit, total, file)

    return StepProgress(bar, labels=labels, units=units)
