"""The ``ansinh serve`` command: the HTTP API on uvicorn.

:func:`add_parser` adds the ``serve`` sub-command to the ``ansinh``
command's parser; :func:`run` runs it.  This module imports neither
Starlette nor uvicorn, so the command's help works without the extra;
:func:`run` says how to install it when it is missing.
``python -m ansinh.serve`` runs the same command on its own (:func:`main`).

The server logs one line per request (method, path without its query
string, status, time; identifiers masked) and never a request body.

>>> import argparse
>>> parser = argparse.ArgumentParser(prog="ansinh")
>>> sub = parser.add_subparsers(dest="command")
>>> _ = add_parser(sub, "en")
>>> args = parser.parse_args(["serve", "--port", "8080", "--store", "sqlite:///build/ledger.sqlite"])
>>> args.host, args.port, args.store
('127.0.0.1', 8080, ['sqlite:///build/ledger.sqlite'])
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TextIO

from ansinh.core.labels import Lang
from ansinh.exceptions import AnsinhError
from ansinh.serve.limits import Limits

if TYPE_CHECKING:
    from ansinh.plugin_manager import PluginHost

__all__ = ["add_parser", "main", "run"]

_T: Final[Mapping[str, tuple[str, str]]] = {
    "serve": (
        "chạy API HTTP (OpenAPI tại /openapi.json, tài liệu tại /docs)",
        "run the HTTP API (OpenAPI at /openapi.json, docs at /docs)",
    ),
    "host": ("địa chỉ lắng nghe (mặc định: 127.0.0.1)", "address to listen on (default: 127.0.0.1)"),
    "port": ("cổng (mặc định: 8000)", "port (default: 8000)"),
    "store": (
        "kho sổ ghi (đường dẫn, sqlite:///đường-dẫn hoặc postgresql://…; lặp lại được)",
        "a store (a path, sqlite:///path or postgresql://…; repeatable)",
    ),
    "max_body": ("kích thước tối đa của nội dung yêu cầu, byte", "largest request body, in bytes"),
    "max_rows": ("số dòng tối đa của một danh sách gửi lên", "most roster rows per request"),
    "timeout": (
        "thời gian tính toán tối đa mỗi yêu cầu, giây",
        "longest computation per request, in seconds",
    ),
    "cors": (
        "nguồn (origin) mà trang web được gọi API, ví dụ https://cong.example.vn (lặp lại được)",
        "an origin whose browser pages may call the API, e.g. https://portal.example.vn (repeatable)",
    ),
    "log_level": ("mức nhật ký (mặc định: info)", "log level (default: info)"),
    "no_plugins": ("không nạp plugin đã cài (chỉ dùng plugin có sẵn)", "do not load installed plugins"),
    "missing": (
        "lệnh serve cần gói mở rộng: pip install 'ansinh[serve]'",
        "the serve command needs the extra: pip install 'ansinh[serve]'",
    ),
}
_LOG_LEVELS: Final = ("critical", "error", "warning", "info", "debug")


def _t(key: str, lang: Lang) -> str:
    vi, en = _T[key]
    return en if lang == "en" else vi


def _positive(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0 or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{text!r} is not a number > 0")
        return value

    return parse


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1 to 65535)")
    return int(text)


def _add_options(p: argparse.ArgumentParser, lang: Lang) -> None:
    defaults = Limits()
    p.add_argument("--host", default="127.0.0.1", help=_t("host", lang))
    p.add_argument("--port", type=_port, default=8000, help=_t("port", lang))
    p.add_argument("--store", action="append", default=[], metavar="URL", help=_t("store", lang))
    p.add_argument(
        "--max-body-bytes",
        type=_positive(int),
        default=defaults.max_body_bytes,
        metavar="N",
        help=_t("max_body", lang) + f" ({defaults.max_body_bytes})",
    )
    p.add_argument(
        "--max-rows",
        type=_positive(int),
        default=defaults.max_rows,
        metavar="N",
        help=_t("max_rows", lang) + f" ({defaults.max_rows})",
    )
    p.add_argument(
        "--timeout",
        type=_positive(float),
        default=defaults.timeout,
        metavar="SECONDS",
        help=_t("timeout", lang) + f" ({defaults.timeout:g})",
    )
    p.add_argument("--cors-origin", action="append", default=[], metavar="ORIGIN", help=_t("cors", lang))
    p.add_argument("--log-level", choices=_LOG_LEVELS, default="info", help=_t("log_level", lang))
    with contextlib.suppress(argparse.ArgumentError):  # a parent (the global options) may have it
        p.add_argument("--no-plugins", action="store_true", help=_t("no_plugins", lang))


def add_parser(
    subparsers: Any, lang: Lang = "vi", *, parents: Sequence[argparse.ArgumentParser] = ()
) -> argparse.ArgumentParser:
    """Add the ``serve`` sub-command to *subparsers* (from ``parser.add_subparsers()``).

    Args:
        subparsers: the ``ansinh`` command's sub-parsers.
        lang: the language of the help.
        parents: parsers whose options ``serve`` also takes (the command's
            global options: ``--lang``, ``--no-plugins`` …).

    Returns:
        The new parser; its default ``func`` is :func:`run`.
    """
    p: argparse.ArgumentParser = subparsers.add_parser(
        "serve", help=_t("serve", lang), description=_t("serve", lang), parents=list(parents)
    )
    _add_options(p, lang)
    p.set_defaults(func=run)
    return p


def _log_config(level: str) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["ansinh.serve"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


def _plugins(args: argparse.Namespace) -> PluginHost | None:
    if not getattr(args, "no_plugins", False):
        return None
    from ansinh.plugin_manager import get_plugin_manager

    return get_plugin_manager(load_entrypoints=False)


def run(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Serve the API until interrupted; returns the exit code (0).

    Raises:
        AnsinhError: the ``serve`` extra is not installed, a store cannot be
            opened, or a plugin cannot be loaded.
    """
    lang: Lang = "en" if getattr(args, "lang", "vi") == "en" else "vi"
    try:
        import uvicorn

        from ansinh.serve.app import create_app
    except ImportError:
        raise AnsinhError(_t("missing", lang)) from None
    limits = Limits(max_body_bytes=args.max_body_bytes, max_rows=args.max_rows, timeout=args.timeout)
    app = create_app(
        plugins=_plugins(args), store=args.store or None, limits=limits, cors_origins=args.cors_origin
    )
    if app.state.campaigns is not None:
        app.state.campaigns.campaigns()  # a store that cannot be read fails now, not at the first request
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_config=_log_config(args.log_level),
        log_level=args.log_level,
        access_log=False,  # ansinh's own access log never shows a query string
        server_header=False,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ansinh.serve [OPTIONS]``: the ``serve`` command on its own.

    Returns:
        The exit code: 0, or 2 for bad usage or input.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    pairs = zip(args_list, [*args_list[1:], ""], strict=True)
    lang: Lang = "en" if any(a == "--lang=en" or (a, b) == ("--lang", "en") for a, b in pairs) else "vi"
    parser = argparse.ArgumentParser(prog="python -m ansinh.serve", description=_t("serve", lang))
    parser.add_argument("--lang", choices=("vi", "en"), default="vi")
    _add_options(parser, lang)
    args = parser.parse_args(args_list)
    try:
        return run(args)
    except AnsinhError as exc:
        sys.stderr.write(f"ansinh serve: {exc}\n")
        return 2
