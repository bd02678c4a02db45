"""The command that runs a whole campaign: ``ansinh campaign run`` (``ansinh report`` is in :mod:`~ansinh.cli.report`)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import plugins_from
from ansinh.cli.output import masked, print_json, step_progress
from ansinh.cli.views import run_text
from ansinh.cli.words import word
from ansinh.core.labels import Lang
from ansinh.serialization import SCHEMA_VERSION, make_converter

__all__ = ["register"]


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``campaign run`` command (*add_parser*: the sub-parsers' ``add_parser``).

    Args:
        add_parser: adds a sub-command to the ``ansinh`` parser.
        common: the options every command accepts (a parent parser).
        lang: the language of the help.
    """
    p_campaign = add_parser(
        "campaign", help=word("campaign", lang), description=word("campaign", lang), parents=[common]
    )
    campaign_sub = p_campaign.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    p_run = campaign_sub.add_parser(
        "run", help=word("campaign.run", lang), description=word("campaign.run", lang), parents=[common]
    )
    p_run.add_argument("folder", metavar="DIR", help=word("campaign.dir", lang))
    p_run.add_argument("--out", default=None, metavar="OUT", help=word("campaign.out", lang))
    p_run.add_argument(
        "--events-jsonl", action="store_true", default=None, help=word("campaign.events_jsonl", lang)
    )
    p_run.add_argument("--actor", metavar="ID", help=word("audit.actor", lang))
    p_run.add_argument("--role", metavar="ROLE", help=word("audit.role", lang))
    p_run.add_argument(
        "--registry",
        nargs=2,
        action="append",
        default=[],
        metavar=("STORE", "ROSTER"),
        help=word("campaign.registry", lang),
    )
    p_run.set_defaults(func=_campaign_run)


def _campaign_run(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.cli.stores import actor_from
    from ansinh.collector import paused_collector
    from ansinh.io.campaign_toml import RegistrySource
    from ansinh.io.run import run_campaign

    lang: Lang = args.lang
    with step_progress(args) as bars, paused_collector():
        run = run_campaign(
            args.folder,
            out=args.out,
            plugins=plugins_from(args),
            progress=bars,
            registry=[RegistrySource(store=store, roster=roster) for store, roster in args.registry],
            actor=actor_from(args),
            events_jsonl=args.events_jsonl,
        )
    if not args.json:
        out.write(run_text(run, lang))
        return EXIT_OK
    conv = make_converter()
    doc = {
        "schema_version": SCHEMA_VERSION,
        "type": "campaign_run",
        "campaign": conv.unstructure(run.campaign),
        "out": str(run.out),
        "store": str(run.store),
        "events_file": None if run.events_file is None else str(run.events_file),
        "files": [str(f) for f in run.files.all],
        "new_events": run.new_events,
        "screened": [
            {"kind": kind.value, "eligible": good, "ineligible": bad} for kind, good, bad in run.screened
        ],
        "rejected": [{"file": f, **conv.unstructure(r)} for f, r in run.rejected],
        "duplicates": run.duplicates,
        "report": run.report.as_dict(),
    }
    print_json(masked(doc), out)
    return EXIT_OK
