"""Pausing Python's cyclic garbage collector for a long batch job.

A national campaign holds millions of small objects (people, decisions,
gifts, events) that live until the run ends.  CPython's cyclic collector
walks every one of them again and again as they are made: on this
project's reference machine that was about a third of the CPU time of a
national run.  ansinh's values are frozen ``attrs`` classes that hold no
reference cycles, so a run makes no cyclic garbage worth collecting:
reference counting frees what it drops, and the peak memory is the same with
the collector paused (see ``benchmarks/bench_programme.py``).

When the block ends, the objects still alive are put straight into the
collector's oldest generation (``gc.freeze()`` then ``gc.unfreeze()``)
before the collector is enabled again.  Otherwise they would all still be
in the youngest generation, and the first collection after the block would
walk every one of them: about 2 seconds after a national run, spent as the
command ends.  They stay collectable: a full collection (``gc.collect()``)
still finds any cycle among them.

One thing does make cycles: a traceback.  A library that raises and
catches an exception while ansinh calls it (matplotlib's first import does,
dozens of times, inside the report step) leaves an exception, its traceback
and its frames in a cycle, and a frame holds its callers' frames and their
variables: the whole run.  So at the end of a run its objects are often
garbage only the collector can free, and the collection Python runs as a
process exits walked and freed them one by one: about 3 seconds after a
national run.  The command skips that work (:func:`freeze_for_exit`): the
operating system takes the memory back at once.

The ``ansinh`` command runs ``campaign run``, ``report`` and ``store merge``
inside :func:`paused_collector`, and calls :func:`freeze_for_exit` as it
ends.  The library never touches the collector on its own: it is
process-wide state, and only the application knows whether pausing it is
safe (a long-running server should not).  A notebook or script
running a national campaign can do what the command does:

>>> import gc
>>> from ansinh.collector import paused_collector
>>> with paused_collector():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["freeze_for_exit", "paused_collector"]


@contextmanager
def paused_collector() -> Iterator[None]:
    """Disable the cyclic garbage collector for the ``with`` block, then restore it as it was.

    Reference counting still frees every object that is dropped; only
    reference cycles wait until the block ends (the collector then runs as
    usual).  Nested blocks are fine: the outermost one re-enables it, and a
    collector that was already disabled stays disabled.  The outermost block
    moves the objects alive at its end to the oldest generation, so that the
    next young collection does not walk them all.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()  # every tracked object to the permanent generation …
            gc.unfreeze()  # … and back, into the oldest one
            gc.enable()


def freeze_for_exit() -> None:
    """Leave every object alive now to the operating system: no collection walks or frees them.

    Moves them to the collector's permanent generation (``gc.freeze()``),
    which the collection Python runs as the process exits skips; reference
    cycles among them (a run held by a traceback's frames, see above) are
    then never freed one by one.  Only for a process about to end: in a
    process that goes on, they would never be collected.  The ``ansinh``
    command (:func:`ansinh.cli.command`) calls it after its work is done and
    its files are closed; finalizers of objects in cycles do not run, and
    ansinh closes every file and store itself, never in a finalizer.
    """
    gc.freeze()
