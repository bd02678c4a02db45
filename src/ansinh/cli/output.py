"""What every ``ansinh`` command writes besides its text: JSON documents and progress.

JSON goes to standard output, one document per command, with personal
identifiers masked (command output is public output): the identifier fields
whole, and every run of nine or more digits in any other text
(:func:`~ansinh.core.identifiers.mask_digits`), whatever column it was typed
in.  Text output is masked the same way (:class:`MaskedText`).  Progress goes
to standard error, only on a terminal or with ``--progress``.

>>> masked({"cccd": "001234567890", "rows": [{"social_insurance_number": "0123456789"}]})
{'cccd': '0012******90', 'rows': [{'social_insurance_number': '0123****89'}]}
>>> masked({"full_name": "001234567890 (typed in the wrong column)", "payable": 1263600000})
{'full_name': '0012******90 (typed in the wrong column)', 'payable': 1263600000}
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Final, TextIO

from ansinh.core.identifiers import mask_digits, mask_id

__all__ = ["MaskedText", "ProgressBar", "masked", "print_json", "progress_bar"]

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


class ProgressBar:
    """Progress on standard error: ``label done/total`` rewritten in place on a terminal,
    one line per finished step otherwise (a log stays readable); silent unless enabled."""

    def __init__(self, label: str, *, enabled: bool, tty: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = tty
        self._line = ""

    def __call__(self, done: int, total: int | None = None) -> None:
        """Show that *done* of *total* are done."""
        if not self.enabled:
            return
        text = f"{self.label} {done}" + (f"/{total}" if total else "")
        if self.tty:
            if self._line and not self._line.startswith(self.label + " "):
                sys.stderr.write("\n")  # a new step: keep the finished one on screen
            sys.stderr.write("\r" + text.ljust(len(self._line)))
            self._line = text
        elif total is None or done >= total:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def close(self) -> None:
        """End the line of a bar drawn on a terminal."""
        if self.enabled and self.tty and self._line:
            sys.stderr.write("\n")
            sys.stderr.flush()
        self._line = ""


def progress_bar(args: argparse.Namespace, label: str) -> ProgressBar:
    """A bar for a command's options: shown on a terminal (unless ``--json``) or with ``--progress``."""
    tty = sys.stderr.isatty()
    return ProgressBar(label, enabled=bool(args.progress) or (tty and not args.json), tty=tty)
