"""The ``ansinh`` command line: price, check, screen, run campaigns, read the law.

Every command prints text for people (Vietnamese by default, ``--lang en``
for English) or, with ``--json``, one stable JSON document for machines.

Exit codes:

* ``0`` (:data:`EXIT_OK`) — done;
* ``1`` (:data:`EXIT_NO`) — the answer is "no" (``check``: not eligible);
* ``2`` (:data:`EXIT_USAGE`) — bad usage or bad input (any
  :class:`~ansinh.exceptions.AnsinhError`, a missing file);
* ``3`` (:data:`EXIT_ERROR`) — an unexpected error (a bug: run again with
  ``--debug`` for the traceback).

Errors are one line on standard error, and so is each installed plugin that
cannot be loaded (it is skipped; ``ansinh plugins`` lists it as broken;
``--disable-plugin NAME`` or ``ANSINH_DISABLE_PLUGINS=NAME`` keeps it from
being loaded at all).  Progress of long runs (``screen``, ``campaign run``)
goes to standard error, with the rate and the time left: tqdm bars on a
terminal (plain text without the ``ansinh[progress]`` extra), unless
``--json`` or ``--no-progress``; ``--progress`` shows it anywhere (one line
per finished step when standard error is not a terminal).

The package holds the parser, :func:`main` and :func:`command` (the
program: ``ansinh`` and ``python -m ansinh``); the commands live in
:mod:`~ansinh.cli.gifts` (``price``, ``check``, ``screen``),
:mod:`~ansinh.cli.campaigns` (``campaign run``), :mod:`~ansinh.cli.report` (``report``),
:mod:`~ansinh.cli.stores` (``store merge``),
:mod:`~ansinh.cli.law` (``law show``, ``plugins``), :mod:`~ansinh.cli.plugin_new`
(``plugin new``) and, from the HTTP package,
:mod:`ansinh.serve.cli` (``serve``), their shared options in
:mod:`~ansinh.cli.options`, what they print in :mod:`~ansinh.cli.views` and
:mod:`~ansinh.cli.output`, and every word in both languages in
:mod:`~ansinh.cli.words`.

>>> main(["price", "card", "--months", "12", "--on", "2025-01-01", "--lang", "en"])
Quote for a health-insurance card — on 2025-01-01
  Base salary: VND 2,340,000/month  [Nghị định 73/2024/NĐ-CP, Điều 3 khoản 2]
  ...
  Payable by the donor: VND 1,263,600  (total − state − local budget)
0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from typing import Any, Final, NoReturn, TextIO, cast

from ansinh.cli.output import MaskedText
from ansinh.cli.words import message_text, word
from ansinh.collector import freeze_for_exit
from ansinh.core.identifiers import mask_digits
from ansinh.core.labels import Lang
from ansinh.core.messages import shorten
from ansinh.exceptions import AnsinhError, PluginLoadWarning

__all__ = ["EXIT_ERROR", "EXIT_NO", "EXIT_OK", "EXIT_USAGE", "build_parser", "command", "main"]

EXIT_OK: Final = 0
"""The command did what was asked."""
EXIT_NO: Final = 1
"""The command worked and the answer is "no" (e.g. ``ansinh check``: not eligible)."""
EXIT_USAGE: Final = 2
"""Bad usage or bad input: an unknown option, a malformed date, an :class:`~ansinh.exceptions.AnsinhError`."""
EXIT_ERROR: Final = 3
"""An unexpected error (a bug in ansinh or a plugin); ``--debug`` shows the traceback."""


class _UsageError(Exception):
    """Raised by the parser instead of exiting, so ``main`` prints one line."""


class _Parser(argparse.ArgumentParser):
    """The command's parser: argparse's own words in Vietnamese, errors raised for ``main``."""

    lang: Lang = "vi"

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: {message_text(message, self.lang)}")

    def format_usage(self) -> str:
        return message_text(super().format_usage(), self.lang)

    def format_help(self) -> str:
        return message_text(super().format_help(), self.lang)


class _EnglishParser(_Parser):
    lang: Lang = "en"


# -- parser -----------------------------------------------------------------------------------


def _sniff_lang(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "vi"
        if arg.startswith("--lang="):
            return "en" if arg.split("=", 1)[1] == "en" else "vi"
    return "vi"


def _globals(lang: Lang, *, top: bool) -> _Parser:
    """The options every command accepts, before or after its name."""
    p = _Parser(add_help=False)
    # Sub-commands must not reset what was given before the command name.
    d: Callable[[Any], Any] = (lambda v: v) if top else (lambda _v: argparse.SUPPRESS)
    g = p.add_argument_group(word("global", lang))
    g.add_argument("--lang", choices=("vi", "en"), default=d("vi"), help=word("lang", lang))
    g.add_argument("--json", action="store_true", default=d(False), help=word("json", lang))
    g.add_argument("--debug", action="store_true", default=d(False), help=word("debug", lang))
    g.add_argument(
        "--progress", action=argparse.BooleanOptionalAction, default=d(None), help=word("progress", lang)
    )
    g.add_argument("--no-plugins", action="store_true", default=d(False), help=word("no_plugins_opt", lang))
    g.add_argument(
        "--disable-plugin",
        action="append",
        default=d([]),
        metavar="NAME",
        dest="disable_plugin",
        help=word("disable_plugin", lang),
    )
    return p


def build_parser(lang: Lang = "vi") -> argparse.ArgumentParser:
    """The argument parser of the ``ansinh`` command, with help in *lang*.

    >>> build_parser("en").parse_args(["law", "show", "base_salary", "--json"]).json
    True
    """
    from ansinh import __version__

    # The command modules take the exit codes from this package: imported here, once it is complete.
    from ansinh.cli import campaigns, gifts, law, plugin_new, report, stores

    common = _globals(lang, top=False)
    parser = (_EnglishParser if lang == "en" else _Parser)(
        prog="ansinh",
        description=word("prog", lang),
        epilog=word("exit_codes", lang),
        parents=[_globals(lang, top=True)],
    )
    parser.add_argument("--version", action="version", version=f"ansinh {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=word("cmd", lang), required=True)

    for module in (gifts, campaigns, report, stores, law, plugin_new):
        module.register(sub.add_parser, common, lang)
    from ansinh.serve import cli as serve_cli  # imports neither Starlette nor uvicorn

    serve_cli.add_parser(sub, lang, parents=[common])
    return parser


# -- entry point -------------------------------------------------------------------------------


def _error_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``ansinh`` command with *argv* (default: ``sys.argv[1:]``) and return the exit code.

    Args:
        argv: the arguments after the program name.

    Returns:
        :data:`EXIT_OK`, :data:`EXIT_NO`, :data:`EXIT_USAGE` or :data:`EXIT_ERROR`.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _sniff_lang(args_list)
    parser = build_parser(lang)
    try:
        args = parser.parse_args(args_list)
    except _UsageError as exc:
        sys.stderr.write(mask_digits(f"{exc}\n"))
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version exit through argparse
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    debug = bool(args.debug)
    # JSON is masked value by value (money stays a number); text is masked as it is written.
    out = sys.stdout if getattr(args, "json", False) else cast(TextIO, MaskedText(sys.stdout))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", PluginLoadWarning)  # each host warns once per broken plugin
            warnings.showwarning = _warning_line(args.lang)
            code: int = args.func(args, out)
    except AnsinhError as exc:
        _report(exc, debug, lang=args.lang)
        return EXIT_USAGE
    except BrokenPipeError:  # `ansinh … | head`: the reader left; not an error of ours
        with contextlib.suppress(OSError, ValueError):  # stdout may not be a real file
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush is quiet
        return EXIT_OK
    except OSError as exc:
        _report(
            exc, debug, prefix=f"{exc.filename}: " if getattr(exc, "filename", None) else "", lang=args.lang
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write(f"ansinh: {word('interrupted', args.lang)}\n")
        return 130
    except Exception as exc:
        _report(exc, debug, prefix=f"{word('unexpected', args.lang)}: {type(exc).__name__}: ")
        return EXIT_ERROR
    return code


def command() -> int:
    """The ``ansinh`` program: :func:`main` with the process's arguments, then nothing left to collect.

    The process ends right after, so the objects of its work are left to the
    operating system (:func:`ansinh.collector.freeze_for_exit`) rather than
    walked and freed one by one as Python exits: about 3 seconds after a
    national ``campaign run``.  Call :func:`main` to run a command inside a
    process that goes on.

    Returns:
        The exit code, as :func:`main` returns it.
    """
    code = main()
    freeze_for_exit()
    return code


def _warning_line(lang: Lang) -> Callable[..., None]:
    """``warnings.showwarning`` for the command: a skipped plugin is one line on standard error."""
    seen: set[str] = set()

    def show(message: Warning | str, category: type[Warning], *_args: object, **_kwargs: object) -> None:
        if isinstance(message, PluginLoadWarning):
            if message.plugin in seen:
                return
            seen.add(message.plugin)
            text = word("plugin_skipped", lang).format(plugin=message.plugin, problem=message.problem)
        else:
            text = f"{category.__name__}: {message}"
        sys.stderr.write(f"ansinh: {word('warning', lang)}: {text}\n")

    return show


def _report(exc: BaseException, debug: bool, prefix: str = "", *, lang: Lang = "en") -> None:
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    text = exc.strerror if isinstance(exc, OSError) and exc.strerror else _error_line(exc)
    text = message_text(text, lang)
    sys.stderr.write(mask_digits(f"ansinh: {prefix}{shorten(text, 2000)}\n"))
