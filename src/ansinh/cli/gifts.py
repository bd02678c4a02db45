"""The commands about one gift or one roster: ``ansinh price``, ``ansinh check`` and ``ansinh screen``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final, TextIO

from ansinh.cli import EXIT_NO, EXIT_OK
from ansinh.cli.options import (
    add_campaign_options,
    add_person_options,
    add_product_options,
    campaign_from,
    parse_count,
    parse_date,
    person_from,
    plugins_from,
    product_from,
)
from ansinh.cli.output import masked, print_json, step_progress
from ansinh.cli.views import screening_text
from ansinh.cli.words import word
from ansinh.core.labels import Lang
from ansinh.core.products import Product
from ansinh.serialization import SCHEMA_VERSION, dump_document, make_converter

if TYPE_CHECKING:
    from ansinh.core.eligibility import Decision, Screening
    from ansinh.io.roster import Roster
    from ansinh.progress import StepProgress

__all__ = ["register"]

_CHUNK: Final = 500
"""People screened per call, so progress can be shown."""


def register(
    add_parser: Callable[..., argparse.ArgumentParser], common: argparse.ArgumentParser, lang: Lang
) -> None:
    """Add the ``price``, ``check`` and ``screen`` commands (*add_parser*: the sub-parsers' ``add_parser``).

    Args:
        add_parser: adds a sub-command to the ``ansinh`` parser.
        common: the options every command accepts (a parent parser).
        lang: the language of the help.
    """
    p_price = add_parser("price", help=word("price", lang), description=word("price", lang), parents=[common])
    kinds = p_price.add_subparsers(dest="kind", metavar="PRODUCT", required=True)
    for kind in ("card", "book", "gift"):
        k = kinds.add_parser(kind, help=word(f"price.{kind}", lang), parents=[common])
        add_product_options(k, lang, (kind,))
        k.add_argument("--on", type=parse_date, required=True, metavar="DATE", help=word("on.price", lang))
        add_person_options(k, lang, required=False)
        k.set_defaults(func=_price)

    p_check = add_parser("check", help=word("check", lang), description=word("check", lang), parents=[common])
    p_check.add_argument(
        "--product", choices=("card", "book", "gift"), default="card", help=word("product", lang)
    )
    add_product_options(p_check, lang, ("card", "book", "gift"))
    p_check.add_argument("--on", type=parse_date, required=True, metavar="DATE", help=word("on", lang))
    add_campaign_options(p_check, lang)
    add_person_options(p_check, lang, required=True)
    p_check.set_defaults(func=_check)

    p_screen = add_parser(
        "screen", help=word("screen", lang), description=word("screen", lang), parents=[common]
    )
    p_screen.add_argument("roster", metavar="ROSTER", help=word("roster", lang))
    p_screen.add_argument("--sheet", default=None, help=word("sheet", lang))
    p_screen.add_argument(
        "--product", choices=("card", "book", "gift"), default="card", help=word("product", lang)
    )
    add_product_options(p_screen, lang, ("card", "book", "gift"))
    p_screen.add_argument("--on", type=parse_date, required=True, metavar="DATE", help=word("on", lang))
    p_screen.add_argument("--limit", type=parse_count, default=None, metavar="N", help=word("limit", lang))
    p_screen.add_argument("--public", default=None, metavar="FILE", help=word("public", lang))
    add_campaign_options(p_screen, lang)
    p_screen.set_defaults(func=_screen)


# -- price ---------------------------------------------------------------------------------


def _price(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh import api

    lang: Lang = args.lang
    product = product_from(args.kind, args)
    person = person_from(args, lang)
    quote = api.price(product, person, on=args.on, plugins=plugins_from(args))
    if args.json:
        print_json(dump_document(quote), out)
    else:
        out.write(quote.explain(lang) + "\n")
    return EXIT_OK


# -- check ---------------------------------------------------------------------------------


def _decision_doc(decision: Decision) -> dict[str, Any]:
    # The public form of a decision document: identifiers masked (read it back with
    # load_document(..., masked_identifiers=True)).
    document: dict[str, Any] = masked(dump_document(decision))
    return document


def _check(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh import api

    lang: Lang = args.lang
    product = product_from(args.product, args)
    person = person_from(args, lang)
    assert person is not None  # --born and --province are required
    decision = api.check(
        person, product, on=args.on, campaign=campaign_from(args), plugins=plugins_from(args)
    )
    if args.json:
        print_json(_decision_doc(decision), out)
    else:
        out.write(decision.explain(lang) + "\n")
        if decision.priority.parts:
            label = "Priority" if lang == "en" else "Ưu tiên"
            out.write(f"{label}: {decision.priority.score} ({decision.priority.explain(lang)})\n")
    return EXIT_OK if decision.eligible else EXIT_NO


# -- screen --------------------------------------------------------------------------------


def _screen(args: argparse.Namespace, out: TextIO) -> int:
    from ansinh.io.roster import load_roster

    lang: Lang = args.lang
    product = product_from(args.product, args)
    with step_progress(args) as bars:
        roster = load_roster(
            args.roster, sheet=args.sheet, progress=bars.step("read") if bars.enabled else None
        )
        result = _screened(args, roster, product, bars)
    if args.public:
        from ansinh.io.public_list import write_public_list

        written = write_public_list(result, args.public)
        sys.stderr.write(f"{word('public_written', lang)}: {written}\n")
    if args.json:
        conv = make_converter()
        doc = {
            "schema_version": SCHEMA_VERSION,
            "type": "screening",
            "source": roster.source,
            "product": conv.unstructure(product, Product),
            "on": args.on.isoformat(),
            "eligible": [_row_doc(d, roster) for d in result.eligible],
            "ineligible": [_row_doc(d, roster) for d in result.ineligible],
            "reason_counts": dict(result.reason_counts()),
            "rejected_rows": [conv.unstructure(r) for r in roster.rejected],
            "duplicates": [conv.unstructure(d) for d in roster.duplicates],
        }
        print_json(masked(doc), out)
        return EXIT_OK
    out.write(screening_text(result, roster, lang, args.limit))
    return EXIT_OK


def _screened(args: argparse.Namespace, roster: Roster, product: Product, bars: StepProgress) -> Screening:
    """The roster screened in chunks (with progress), merged into the one-call result."""
    from ansinh import api
    from ansinh.core.eligibility import Screening, ranking_key

    campaign = campaign_from(args)
    plugins = plugins_from(args)
    people = roster.people
    eligible: list[Decision] = []
    ineligible: list[Decision] = []
    bars("screen", 0, len(people))
    # Each decision depends on its person alone, so screening in chunks and
    # merging by the ranking key gives exactly the one-call result.
    for start in range(0, max(len(people), 1), _CHUNK):
        part = api.screen(
            people[start : start + _CHUNK], product, on=args.on, campaign=campaign, plugins=plugins
        )
        eligible.extend(part.eligible)
        ineligible.extend(part.ineligible)
        bars("screen", min(start + _CHUNK, len(people)), len(people))
    eligible.sort(key=ranking_key)
    ineligible.sort(key=ranking_key)
    return Screening(product=product, on=args.on, eligible=tuple(eligible), ineligible=tuple(ineligible))


def _row_doc(d: Decision, roster: Roster) -> dict[str, Any]:
    return {
        "id": d.person.id,
        "row": roster.row_of(d.person.id),
        "full_name": d.person.full_name,
        "province": d.person.province,
        "eligible": d.eligible,
        "score": d.priority.score,
        "priority": [list(p) for p in d.priority.parts],
        "valid_from": d.valid_from.isoformat() if d.valid_from else None,
        "reasons": list(d.codes),
    }
