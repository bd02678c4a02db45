"""What every ``ansinh`` command writes besides its text: JSON documents and progress.

JSON goes to standard output, one document per command, with personal
identifiers masked (command output is public output): the identifier fields
whole, and every run of nine or more digits in any other text
(:func:`~ansinh.core.identifiers.mask_digits`), whatever column it was typed
in.  Text output is masked the same way (:class:`MaskedText`).  Progress goes
to standard error (:func:`step_progress`).

>>> masked({"cccd": "001234567890", "rows": [{"social_insurance_number": "0123456789"}]})
{'cccd': '0012******90', 'rows': [{'social_insurance_number': '0123****89'}]}
>>> masked({"full_name": "001234567890 (typed in the wrong column)", "payable": 1263600000})
{'full_name': '0012******90 (typed in the wrong column)', 'payable': 1263600000}
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Final, TextIO

from ansinh.cli.words import step_text, step_unit_text
from ansinh.core.identifiers import mask_digits, mask_id

if TYPE_CHECKING:
    from ansinh.progress import StepProgress

__all__ = ["MaskedText", "masked", "print_json", "step_progress"]

_ID_FIELDS: Final = frozenset({"cccd", "social_insurance_number"})


def print_json(data: Any, out: TextIO) -> None:
    """Write *data* as indented JSON (Vietnamese kept as is) and a newline."""
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def masked(data: Any) -> Any:
    """*data* with identifiers masked anywhere in it: identifier fields whole, digit runs in all text.

    Numbers stay numbers (money is never masked); keys are text too.
    """
    if isinstance(data, dict):
        return {
            mask_digits(str(k)): mask_id(v) if k in _ID_FIELDS and isinstance(v, str) else masked(v)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return [masked(x) for x in data]
    if isinstance(data, str):
        return mask_digits(data)
    return data


class MaskedText:
    r"""A text stream that writes to *out* with every run of nine or more digits masked.

    What text commands print through: a CCCD typed in a name or id column is
    masked in the text output as in JSON.  (JSON output is masked value by
    value, :func:`masked`, so that money stays a number.)

    >>> import io
    >>> buf = io.StringIO()
    >>> MaskedText(buf).write("HN-001  001234567890\n")
    21
    >>> buf.getvalue()
    'HN-001  0012******90\n'
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        """Write *text*, masked; returns the length of *text* as given."""
        self.out.write(mask_digits(text))
        return len(text)

    def flush(self) -> None:
        """Flush the stream underneath."""
        self.out.flush()

    def isatty(self) -> bool:
        """Whether the stream underneath is a terminal."""
        return self.out.isatty()

    def fileno(self) -> int:
        """The file descriptor of the stream underneath."""
        return self.out.fileno()


_STEPS: Final = ("read", "screen", "record", "allocate", "pay", "report")


def step_progress(args: argparse.Namespace) -> StepProgress:
    """The progress bars of a command, on standard error, labelled in its language.

    Shown with ``--progress``, hidden with ``--no-progress``; by default only
    on a terminal and without ``--json``.  On a terminal: tqdm bars (plain
    text without tqdm, :func:`ansinh.progress.tqdm_progress`); otherwise one
    plain line per finished step, so a log stays readable.
    """
    from ansinh.progress import StepProgress, text_progress, tqdm_progress

    tty = sys.stderr.isatty()
    wanted = args.progress if args.progress is not None else (tty and not args.json)
    if not wanted:
        return StepProgress(None)
    lang = args.lang
    labels = {step: step_text(step, lang) for step in _STEPS}
    units = {step: step_unit_text(step, lang) for step in _STEPS}
    make = tqdm_progress if tty else text_progress
    return make(labels=labels, units=units, file=sys.stderr)
