"""The ``ansinh report`` command: one campaign's report, or the national roll-up of several stores.

``ansinh report STORE`` prints one campaign's report, as before; a store is a
path, a ``sqlite:///`` or a ``postgresql://`` URL, and with no STORE the one
``ANSINH_STORE`` names.  Given
several stores, or any of ``--by``, ``--units``, ``--published``,
``--aggregates`` or ``--out``, it prints the national report
(:func:`ansinh.core.national.national_report`) as of ``--on``: the summary in
the seeds' style, the totals and the breakdown ``--by`` asks for
(``province``, ``level``, ``sponsor_kind``, ``funds_source``, ``campaign``, or
``year`` for the series, published totals included with ``--published`` or
``--aggregates FILE.toml``).  ``--out DIR`` also writes the report files
(:func:`ansinh.io.national_files.write_national_report`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from ansinh.cli import EXIT_OK
from ansinh.cli.options import open_existing_store, parse_count, parse_date, plugins_from, store_locations
from ansinh.cli.output import print_json
from ansinh.cli.views import report_text
from ansinh.cli.words import dimension_text, total_text, word
from ansinh.core.labels import Lang
from ansinh.core.ledger import LedgerState
from ansinh.core.money import format_vnd
from ansinh.core.national import (
    NATIONAL_DIMENSIONS,
    AggregateRecord,
    NationalReport,
    Units,
    aggregates_from_mapping,
)
from ansinh.core.series import SeriesRow
from ansinh.exceptions import InvalidValueError
from ansinh.serialization import SCHEMA_VERSION

__all__ = ["register"]

_BY = (*NATIONAL_DIMENSIONS, "year")


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``report`` command (*add_parser*: the sub-parsers' ``add_parser``).

    Args:
        add_parser: adds a sub-command to the ``ansinh`` parser.
        common: the options every command accepts (a parent parser).
        lang: the language of the help.
    """
    p = add_parser("report", help=word("report", lang), description=word("report", lang), parents=[common])
    p.add_argument("stores", nargs="*", metavar="STORE", help=word("ledger", lang))
    p.add_argument("--on", type=parse_date, default=None, metavar="DATE", help=word("report.on", lang))
    p.add_argument("--renewal-days", type=parse_count, default=60, metavar="N", help=word("renewal", lang))
    p.add_argument(
        "--campaign", action="append", default=None, metavar="CODE", help=word("report.only", lang)
    )
    p.add_argument("--by", choices=_BY, default=None, help=word("report.by", lang))
    p.add_argument("--units", choices=("current", "of_date"), default=None, help=word("report.units", lang))
    p.add_argument("--all-provinces", action="store_true", help=word("report.all_provinces", lang))
    p.add_argument("--published", action="store_true", help=word("report.published", lang))
    p.add_argument("--aggregates", default=None, metavar="FILE", help=word("report.aggregates", lang))
    p.add_argument("--out", default=None, metavar="DIR", help=word("report.out", lang))
    p.set_defaults(func=_report)


def _states(args: argparse.Namespace) -> list[LedgerState]:
    """The ledger state of every store, opened with the plugins' law and top-ups (as they priced the gifts)."""
    from ansinh.api import resolve_plugins

    host = resolve_plugins(plugins_from(args))
    law = host.law_with_parameters(None) if host is not None else None
    supports = host.all_local_supports() if host is not None else ()
    lists = host.all_commune_lists() if host is not None else ()
    states: list[LedgerState] = []
    for name in store_locations(args.stores):
        with open_existing_store(  # every campaign it holds
            name, law=law, local_supports=supports, commune_lists=lists
        ) as store:
            states += [store.ledger_of(c.code).state for c in store.campaigns()]
    if args.campaign:
        wanted = set(args.campaign)
        parent = {s.campaign.code: s.campaign.parent for s in states}

        def chosen(
            code: str | None,
        ) -> bool:  # the campaign, or one under it (a province's under the nation's)
            seen: set[str] = set()
            while code is not None and code not in seen:
                if code in wanted:
                    return True
                seen.add(code)
                code = parent.get(code)
            return False

        missing = wanted - set(parent)
        states = [s for s in states if chosen(s.campaign.code)]
        if missing:
            raise InvalidValueError(
                "--campaign",
                ", ".join(sorted(missing)),
                "the code of a campaign in the stores (its children count too)",
            )
    return states


def _aggregates(args: argparse.Namespace) -> tuple[AggregateRecord, ...]:
    records: tuple[AggregateRecord, ...] = ()
    if args.published:
        from ansinh.data import published_figures

        records += published_figures()
    if args.aggregates:
        path = Path(args.aggregates)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise InvalidValueError(
                "--aggregates", str(path), f"a TOML file of [[record]] tables ({exc})"
            ) from None
        records += aggregates_from_mapping(data)
    return records


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.collector import paused_collector

    with paused_collector():  # every event of every store is read: millions of frozen values
        return _report_states(args, out)


def _report_states(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.core.reporting import report

    lang: Lang = args.lang
    states = _states(args)
    national = len(args.stores) > 1 or any(
        (args.by, args.units, args.published, args.aggregates, args.out, args.campaign, args.all_provinces)
    )
    if not national and len(states) == 1:
        state = states[0]
        rep = report(state, on=args.on or state.campaign.end, renewal_days=args.renewal_days)
        if args.json:
            print_json({"schema_version": SCHEMA_VERSION, "type": "campaign_report", **rep.as_dict()}, out)
        else:
            out.write(report_text(rep, lang))
        return EXIT_OK
    return _national(args, states, out)


def _national(args: argparse.Namespace, states: list[LedgerState], out: TextIO) -> int:
    from ansinh.core.national import national_report
    from ansinh.core.series import year_series
    from ansinh.data import default_law

    lang: Lang = args.lang
    on: dt.date = args.on or max((s.campaign.end for s in states), default=dt.date.today())
    law = default_law()
    records = _aggregates(args)
    units: Units = "of_date" if args.units == "of_date" else "current"
    rep = national_report(
        states, on=on, law=law, units=units, aggregates=records, every_province=args.all_provinces
    )
    series: tuple[SeriesRow, ...] = ()
    if args.by == "year" or records:
        by_year: dict[int, list[LedgerState]] = {}
        for s in states:
            by_year.setdefault(s.campaign.start.year, []).append(s)
        yearly = {y: national_report(group, on=on, law=law, units=units) for y, group in by_year.items()}
        series = year_series(yearly, records)
    if args.out:
        from ansinh.io.national_files import write_national_report

        write_national_report(rep, args.out, series=series)
    if args.json:
        doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "type": "national_report", **rep.as_dict()}
        doc["series"] = [r.as_dict() for r in series]
        print_json(doc, out)
    else:
        out.write(_national_text(rep, series, args.by or "province", lang))
    return EXIT_OK


def _national_text(rep: NationalReport, series: Sequence[SeriesRow], by: str, lang: Lang) -> str:
    en = lang == "en"
    lines = [rep.summary_en() if en else rep.summary_vi(), ""]
    money = {
        "mobilised",
        "registered_central",
        "registered_province",
        "money",
        "unit_value",
        "received",
        "value",
        "delivered_value",
        "instalments_due",
        "instalments_overdue",
    }
    for key, value in rep.totals().items():
        lines.append(f"  {total_text(key, lang):<34} {format_vnd(value, lang) if key in money else value}")
    if by == "year":
        lines += ["", "Years:" if en else "Qua các năm:"]
        for s in series:
            n = "—" if s.books_and_cards is None else f"{'≈' if s.approximate else ''}{s.books_and_cards}"
            worth = "—" if s.value is None else format_vnd(s.value, lang)
            lines.append(f"  {s.year}  {s.backing.label(lang):<26} {n:>10}  {worth:>20}  {s.source}")
    else:
        lines += ["", f"{dimension_text(by, lang)}:"]
        for r in rep.rows_for(by):
            mark = " *" if r.backing.value == "aggregate" else ""
            lines.append(
                f"  {r.label + mark:<34} {r.gifts:>7} {'gifts' if en else 'suất'}  "
                f"{format_vnd(r.value, lang):>20}  {r.people:>7} {'people' if en else 'người'}  "
                f"{format_vnd(r.registered, lang):>20}"
            )
    return "\n".join(lines) + "\n"
