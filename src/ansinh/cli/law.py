"""The commands about what ansinh knows: ``ansinh law show`` and ``ansinh plugins``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import parse_date, plugins_from
from ansinh.cli.output import print_json
from ansinh.cli.views import law_rows, law_text, programmes_text
from ansinh.cli.words import contribution_text, word
from ansinh.core.labels import Lang
from ansinh.core.law import DatedValue, Law, ParamValue
from ansinh.core.shares import LocalSupport
from ansinh.plugin_manager import PluginInfo
from ansinh.plugins.local_support import NotShippedProgramme
from ansinh.serialization import SCHEMA_VERSION, make_converter

__all__ = ["register"]


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``law show`` and ``plugins`` commands (*add_parser*: the sub-parsers' ``add_parser``).

    Args:
        add_parser: adds a sub-command to the ``ansinh`` parser.
        common: the options every command accepts (a parent parser).
        lang: the language of the help.
    """
    p_law = add_parser("law", help=word("law", lang), description=word("law", lang), parents=[common])
    law_sub = p_law.add_subparsers(dest="law_command", metavar="ACTION", required=True)
    show = law_sub.add_parser(
        "show", help=word("law.show", lang), description=word("law.show", lang), parents=[common]
    )
    show.add_argument("name", nargs="?", default=None, help=word("law.name", lang))
    show.add_argument("--on", type=parse_date, default=None, metavar="DATE", help=word("law.on", lang))
    show.set_defaults(func=_law_show)

    p_plugins = add_parser(
        "plugins", help=word("plugins", lang), description=word("plugins", lang), parents=[common]
    )
    p_plugins.set_defaults(func=_plugins)


def _law(args: argparse.Namespace) -> Law:
    """The shipped law with the parameters the plugins add (a province's own)."""
    from ansinh.api import resolve_plugins
    from ansinh.data import default_law

    host = resolve_plugins(plugins_from(args))
    return host.law_with_parameters(None) if host is not None else default_law()


def _programmes(args: argparse.Namespace) -> tuple[tuple[LocalSupport, ...], tuple[NotShippedProgramme, ...]]:
    """The plugins' provincial programmes (every date) and those found and not shipped."""
    from ansinh.api import resolve_plugins
    from ansinh.plugins.local_support import not_shipped_programmes

    host = resolve_plugins(plugins_from(args))
    return (host.all_local_supports() if host is not None else ()), not_shipped_programmes()


def _law_show(args: argparse.Namespace, out: TextIO) -> int:
    lang: Lang = args.lang
    law = _law(args)
    on: dt.date | None = args.on
    if args.name:
        params = [law.parameter(args.name)]
        if on is not None:
            law.lookup(args.name, on=on)  # a clear NotInForceError rather than an empty answer
    else:
        params = list(law.parameters)
    supports, not_shipped = _programmes(args) if not args.name else ((), ())
    if not args.json:
        out.write(law_text(law, params, on=on, lang=lang))
        if not args.name:
            out.write("\n" + programmes_text(supports, not_shipped, on=on, lang=lang))
        return EXIT_OK
    conv = make_converter()
    docs = [
        {
            "name": param.name,
            "kind": param.kind.value,
            "unit": param.unit,
            "label_vi": param.label_vi,
            "label_en": param.label_en,
            "values": [
                {
                    **conv.unstructure(v, DatedValue),
                    "last_day": until.isoformat() if until else None,
                    "resolved": conv.unstructure(law.value(param.name, on=on or v.effective), ParamValue),
                }
                for v, until in rows
            ],
        }
        for param in params
        if (rows := law_rows(param, on))
    ]
    print_json(
        {
            "schema_version": SCHEMA_VERSION,
            "type": "law_values",
            "law": law.name,
            "on": on.isoformat() if on else None,
            "parameters": docs,
            "programmes": [
                {**conv.unstructure(s, LocalSupport), "area": s.area("en")}
                for s in supports
                if on is None or (s.effective <= on and (s.until is None or on <= s.until))
            ],
            "not_shipped": [conv.unstructure(p) for p in not_shipped],
        },
        out,
    )
    return EXIT_OK


def _plugins(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.plugin_manager import disabled_plugins, get_plugin_manager

    blocked = () if args.no_plugins else (*args.disable_plugin, *disabled_plugins())
    host = get_plugin_manager(load_entrypoints=not args.no_plugins, blocked=blocked)
    infos = host.plugins(contributions=True)
    if args.json:
        conv = make_converter()
        print_json(
            {
                "schema_version": SCHEMA_VERSION,
                "type": "plugins",
                "plugins": [conv.unstructure(info) for info in infos],
            },
            out,
        )
        return EXIT_OK
    if not infos:
        out.write(word("no_plugins", args.lang) + "\n")
    for info in infos:
        out.write(_plugin_text(info, args.lang))
    return EXIT_OK


def _plugin_text(info: PluginInfo, lang: Lang) -> str:
    """One plugin as ``ansinh plugins`` prints it: the heading line, then what it contributes."""
    lines = [info.describe().splitlines()[0]]
    lines += [f"  {contribution_text(c.kind, lang)}: {', '.join(c.names)}" for c in info.contributes]
    if info.error is not None:
        lines.append(f"  {word('broken', lang)}: {info.error}")
    return "\n".join(lines) + "\n"
