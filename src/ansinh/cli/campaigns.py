"""The commands about a whole campaign: ``ansinh campaign run`` and ``ansinh report``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import parse_count, parse_date, plugins_from
from ansinh.cli.output import masked, print_json, progress_bar
from ansinh.cli.views import report_text, run_text
from ansinh.cli.words import step_text, word
from ansinh.core.labels import Lang
from ansinh.serialization import SCHEMA_VERSION, make_converter

__all__ = ["register"]


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``campaign run`` and ``report`` commands (*add_parser*: the sub-parsers' ``add_parser``).

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
    p_run.set_defaults(func=_campaign_run)

    p_report = add_parser(
        "report", help=word("report", lang), description=word("report", lang), parents=[common]
    )
    p_report.add_argument("ledger", metavar="LEDGER", help=word("ledger", lang))
    p_report.add_argument("--on", type=parse_date, default=None, metavar="DATE", help=word("report.on", lang))
    p_report.add_argument("--campaign", default=None, metavar="CODE", help=word("report.campaign", lang))
    p_report.add_argument(
        "--renewal-days", type=parse_count, default=60, metavar="N", help=word("renewal", lang)
    )
    p_report.set_defaults(func=_report)


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.api import resolve_plugins
    from ansinh.core.reporting import report
    from ansinh.io.store import SqliteStore

    lang: Lang = args.lang
    path = Path(args.ledger)
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    # The ledger re-checks every stored price on opening, with the same provincial
    # top-ups (and law parameters) the plugins contributed when the gifts were priced.
    host = resolve_plugins(plugins_from(args))
    law = host.law_with_parameters(None) if host is not None else None
    supports = host.all_local_supports() if host is not None else ()
    with SqliteStore(path, law=law, local_supports=supports) as store:
        state = store.ledger_of(args.campaign).state if args.campaign else store.state
    on: dt.date = args.on or state.campaign.end
    rep = report(state, on=on, renewal_days=args.renewal_days)
    if args.json:
        print_json({"schema_version": SCHEMA_VERSION, "type": "campaign_report", **rep.as_dict()}, out)
    else:
        out.write(report_text(rep, lang))
    return EXIT_OK


def _campaign_run(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.io.run import run_campaign

    lang: Lang = args.lang
    bar = progress_bar(args, "")

    def progress(step: str, done: int, total: int) -> None:
        bar.label = step_text(step, lang)
        bar(done, total)

    try:
        run = run_campaign(args.folder, out=args.out, plugins=plugins_from(args), progress=progress)
    finally:
        bar.close()
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
        "events_file": str(run.events_file),
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
