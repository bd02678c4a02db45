"""Writing a file in a child process while this one writes the others.

A report's workbook and chart take most of the time its files take to write
(about two seconds of three for a national campaign) and need nothing from
the other files.  :func:`side_writes` gives a ``start(write)`` that runs
``write()`` — a function that writes one file and returns its path, or
``None`` when it writes none — in a child process, and a handle whose
:meth:`SideWrite.result` waits for it.

The child is made with ``fork`` (:mod:`multiprocessing`'s ``"fork"``
context): it has this process's objects as they are, so nothing is
converted or sent to it but the path it wrote, back.  That is done only
where it is safe and useful:

- on Linux (on macOS system libraries may not survive a ``fork``; Windows has none);
- in a process running a single thread (a ``fork`` copies no other thread,
  and a lock another thread held would stay held in the child);
- with more than one processor.

Anywhere else, or when ``ANSINH_SIDE_WRITES=0`` is set, ``start`` runs
``write()`` at once, in this process.  A child that fails in any way
(the write raised, the child was killed) makes :meth:`SideWrite.result` run
``write()`` again in this process: its error is then raised here as it is,
and a failure of the child's own costs only the time.  The writes must
therefore be safe to repeat (:func:`~ansinh.io.files.write_atomic` writes are).

>>> from pathlib import Path
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> def write() -> Path:
...     path = folder / "note.txt"
...     path.write_text("written")
...     return path
>>> with side_writes() as start:
...     note = start(write)
...     path = note.result()
>>> path.read_text()
'written'
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Final

__all__ = ["SWITCH", "SideWrite", "can_fork", "side_writes"]

Write = Callable[[], Path | None]

SWITCH: Final = "ANSINH_SIDE_WRITES"
"""The environment variable that, set to ``0``, keeps every write in this process."""


def can_fork() -> bool:
    """Whether :func:`side_writes` runs writes in child processes here (see the module docstring)."""
    return (
        sys.platform == "linux"
        and os.environ.get(SWITCH, "1") != "0"
        and threading.active_count() == 1
        and (os.cpu_count() or 1) > 1
    )


def _child(write: Write, conn: Connection) -> None:
    """The child's work: *write*, then its path (or ``None``) sent back; ``("failed", None)`` if it raised."""
    try:
        path = write()
        conn.send(("done", None if path is None else os.fspath(path)))
    except BaseException:  # the parent writes again, and raises the error itself
        conn.send(("failed", None))
    finally:
        conn.close()


class SideWrite:
    """One write started by :func:`side_writes`: in a child process, or done already."""

    __slots__ = ("_conn", "_done", "_process", "_write")

    def __init__(self, write: Write, fork: bool) -> None:
        self._write = write
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._done: tuple[Path | None] | None = None
        if not fork:
            self._done = (write(),)
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(write, send), daemon=True)
        try:
            process.start()
        except OSError:  # no child to be had (out of memory, too many processes): written here
            receive.close()
            self._done = (write(),)
            return
        finally:
            send.close()  # the child's end: the parent keeps only its own
        self._process, self._conn = process, receive

    def result(self) -> Path | None:
        """The path written (``None``: nothing written), once the write is done.

        Raises:
            Exception: what the write raises when it is run again in this
                process after the child failed.
        """
        if self._done is None:
            status, path = self._answer()
            self._done = (Path(path) if path is not None else None,) if status == "done" else (self._write(),)
        return self._done[0]

    def _answer(self) -> tuple[str, str | None]:
        """What the child sent, once it has ended (``("failed", None)`` if it sent nothing)."""
        assert self._conn is not None
        assert self._process is not None
        try:
            answer = self._conn.recv()
        except (EOFError, OSError):  # the child ended without a word: killed, or out of memory
            answer = ("failed", None)
        finally:
            self._conn.close()
            self._process.join()
        ok = isinstance(answer, tuple) and len(answer) == 2 and self._process.exitcode == 0
        return answer if ok else ("failed", None)

    def stop(self) -> None:
        """End the child if it still runs (the caller gave up on its result)."""
        if self._process is not None and self._done is None:
            self._process.terminate()
            self._process.join()
            if self._conn is not None:
                self._conn.close()
            self._done = (None,)


@contextlib.contextmanager
def side_writes() -> Iterator[Callable[[Write], SideWrite]]:
    """``start(write)`` for the block: each write runs beside this process where that is safe (module docstring).

    When the block ends with an error, the writes still running are stopped
    (their children ended); when it ends normally, every write started is
    waited for, so that none outlives the block.
    """
    fork = can_fork()
    started: list[SideWrite] = []

    def start(write: Write) -> SideWrite:
        pending = SideWrite(write, fork)
        started.append(pending)
        return pending

    try:
        yield start
    except BaseException:
        for pending in started:
            pending.stop()
        raise
    for pending in started:
        pending.result()
