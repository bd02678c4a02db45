"""The commands about programme stores: ``ansinh store merge``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import open_existing_store, plugins_from
from ansinh.cli.output import print_json
from ansinh.cli.words import word
from ansinh.core.labels import Lang
from ansinh.serialization import SCHEMA_VERSION

__all__ = ["register"]


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``store merge`` command (*add_parser*: the sub-parsers' ``add_parser``).

    Args:
        add_parser: adds a sub-command to the ``ansinh`` parser.
        common: the options every command accepts (a parent parser).
        lang: the language of the help.
    """
    p_store = add_parser("store", help=word("store", lang), description=word("store", lang), parents=[common])
    store_sub = p_store.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    p_merge = store_sub.add_parser(
        "merge", help=word("store.merge", lang), description=word("store.merge", lang), parents=[common]
    )
    p_merge.add_argument("sources", nargs="+", metavar="SRC", help=word("store.sources", lang))
    p_merge.add_argument("--into", required=True, metavar="DST", help=word("store.into", lang))
    p_merge.set_defaults(func=_merge)


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.api import resolve_plugins
    from ansinh.io.store import merge, open_store

    lang: Lang = args.lang
    # Every store is read with the law, the provincial top-ups and the commune lists the gifts were priced with.
    host = resolve_plugins(plugins_from(args))
    law = host.law_with_parameters(None) if host is not None else None
    supports = host.all_local_supports() if host is not None else ()
    lists = host.all_commune_lists() if host is not None else ()
    new, campaigns = 0, set()
    with open_store(args.into, law=law, local_supports=supports, commune_lists=lists) as target:
        for source in args.sources:
            with open_existing_store(source, law=law, local_supports=supports, commune_lists=lists) as store:
                result = merge(store, into=target)
            new += result.new_events
            campaigns |= {code for code, _ in result.events} | set(result.campaigns)
    if args.json:
        document = {"new_events": new, "stores": len(args.sources), "campaigns": sorted(campaigns)}
        print_json({"schema_version": SCHEMA_VERSION, "type": "store_merge", **document}, out)
    else:
        out.write(
            word("store.merged", lang).format(new=new, stores=len(args.sources), campaigns=len(campaigns))
            + "\n"
        )
    return EXIT_OK
