"""The commands about programme stores: ``ansinh store merge`` and ``ansinh ledger verify``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ansinh.cli import EXIT_NO, EXIT_OK
from ansinh.cli.options import open_existing_store, plugins_from
from ansinh.cli.output import masked, print_json
from ansinh.cli.words import word
from ansinh.core.labels import Lang
from ansinh.serialization import SCHEMA_VERSION

if TYPE_CHECKING:
    from ansinh.core.audit import Actor

__all__ = ["actor_from", "register"]


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``store merge`` and ``ledger verify`` commands (*add_parser*: the sub-parsers' ``add_parser``).

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
    p_merge.add_argument("--actor", metavar="ID", help=word("audit.actor", lang))
    p_merge.add_argument("--role", metavar="ROLE", help=word("audit.role", lang))
    p_merge.set_defaults(func=_merge)
    p_ledger = add_parser(
        "ledger", help=word("ledger.group", lang), description=word("ledger.group", lang), parents=[common]
    )
    ledger_sub = p_ledger.add_subparsers(dest="ledger_command", metavar="ACTION", required=True)
    p_verify = ledger_sub.add_parser(
        "verify", help=word("ledger.verify", lang), description=word("ledger.verify", lang), parents=[common]
    )
    p_verify.add_argument("store", metavar="STORE", help=word("ledger.store", lang))
    p_verify.set_defaults(func=_verify)


def actor_from(args: argparse.Namespace) -> Actor | None:
    """The :class:`~ansinh.core.audit.Actor` of ``--actor``/``--role`` (``None`` without ``--actor``).

    Raises:
        InvalidValueError: ``--role`` without ``--actor``, or an id or role that is not one line of text.
    """
    from ansinh.core.audit import Actor
    from ansinh.exceptions import InvalidValueError

    if args.actor is None:
        if args.role is not None:
            raise InvalidValueError("--role", args.role, "given with --actor")
        return None
    return Actor(id=args.actor, role=args.role if args.role is not None else "clerk")


def _merge(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.api import resolve_plugins
    from ansinh.collector import paused_collector
    from ansinh.io.store import merge, open_store

    lang: Lang = args.lang
    # Every store is read with the law, the provincial top-ups and the commune lists the gifts were priced with.
    host = resolve_plugins(plugins_from(args))
    law = host.law_with_parameters(None) if host is not None else None
    supports = host.all_local_supports() if host is not None else ()
    lists = host.all_commune_lists() if host is not None else ()
    actor = actor_from(args)
    new, campaigns = 0, set()
    with (
        paused_collector(),
        open_store(args.into, law=law, local_supports=supports, commune_lists=lists) as target,
    ):
        for source in args.sources:
            with open_existing_store(source, law=law, local_supports=supports, commune_lists=lists) as store:
                result = merge(store, into=target, actor=actor)
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


def _verify(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.io.store import is_postgres_url, store_location, verify_store

    lang: Lang = args.lang
    if not is_postgres_url(args.store) and not store_location(args.store).is_file():
        raise FileNotFoundError(2, "no such file", str(store_location(args.store)))
    found = verify_store(args.store)
    if args.json:
        broken = found.broken
        # Digests are not identifiers: only the text around them is masked.
        document = {
            "store": masked(found.store),
            "intact": found.intact,
            "events": found.events,
            "campaigns": [
                {"code": masked(c.code), "events": c.events, "head": c.head} for c in found.campaigns
            ],
            "broken": None
            if broken is None
            else masked(
                {
                    "campaign": broken.campaign,
                    "seq": broken.seq,
                    "event_id": broken.event_id,
                    "problem": broken.problem,
                }
            ),
        }
        print_json({"schema_version": SCHEMA_VERSION, "type": "ledger_verify", **document}, out)
    elif found.broken is None:
        out.write(
            word("ledger.intact", lang).format(events=found.events, campaigns=len(found.campaigns)) + "\n"
        )
        for c in found.campaigns:
            # in groups of eight, so that no run of digits looks like an identifier to the masking
            head = " ".join(c.head[i : i + 8] for i in range(0, len(c.head), 8))
            out.write(f"  {c.code}: {c.events} · {head}\n")
    else:
        b = found.broken
        where = f"#{b.seq} ({b.event_id!r})" if b.seq else word("ledger.end", lang)
        out.write(
            word("ledger.broken", lang).format(campaign=b.campaign, where=where, problem=b.problem) + "\n"
        )
    return EXIT_OK if found.intact else EXIT_NO
