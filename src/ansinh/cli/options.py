"""The options several ``ansinh`` commands share, and the argument types that read them.

Amounts and dates are read the way a clerk writes them:

>>> parse_amount("1.500.000"), parse_date("10/01/2026")
(1500000, datetime.date(2026, 1, 10))
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from ansinh.cli.words import word
from ansinh.core.campaign import Campaign
from ansinh.core.labels import Lang
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard, Product, SocialBook, TetGift
from ansinh.core.provinces import find_province, province
from ansinh.exceptions import AnsinhError, InvalidValueError

if TYPE_CHECKING:
    from ansinh.io.store import SqliteStore
    from ansinh.plugin_manager import PluginHost

__all__ = [
    "STORE_ENV",
    "add_campaign_options",
    "add_person_options",
    "add_product_options",
    "campaign_from",
    "open_existing_store",
    "parse_amount",
    "parse_category",
    "parse_count",
    "parse_date",
    "parse_province",
    "person_from",
    "plugins_from",
    "product_from",
    "store_locations",
]

# -- argument types -----------------------------------------------------------------

_AMOUNT_RE: Final = re.compile(r"\d{1,3}(?:([._, ])\d{3})?(?:\1\d{3})*|\d+")


def parse_amount(text: str) -> int:
    """A whole number of đồng: ``1500000``, ``1_500_000`` or ``1.500.000``.

    Raises:
        argparse.ArgumentTypeError: anything else (a fraction, a word).
    """
    cleaned = text.strip()
    if not _AMOUNT_RE.fullmatch(cleaned):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number of đồng (e.g. 1500000 or 1.500.000; never a fraction)"
        )
    return int(re.sub(r"[._, ]", "", cleaned))


def parse_count(text: str) -> int:
    """A whole number >= 0.

    Raises:
        argparse.ArgumentTypeError: anything else.
    """
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number >= 0")
    return int(text)


def parse_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or the Vietnamese ``DD/MM/YYYY``.

    Raises:
        argparse.ArgumentTypeError: neither spelling, or no such day.
    """
    raw = text.strip()
    try:
        if "/" in raw:
            return dt.datetime.strptime(raw, "%d/%m/%Y").date()
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)") from None


def parse_category(text: str) -> Category:
    """One category by its code or any label the roster loader accepts (``"hộ cận nghèo"``, ``"near-poor"``).

    Raises:
        argparse.ArgumentTypeError: not one known category.
    """
    from ansinh.io.roster.cells import parse_categories

    try:
        categories, _difficult = parse_categories(text)
    except AnsinhError:
        categories = frozenset()
    if len(categories) != 1:
        raise argparse.ArgumentTypeError(
            f"{text!r}: one category, as a code or a label: "
            + ", ".join(f"{c.value} ({c.label_vi})" for c in Category)
        )
    return next(iter(categories))


def parse_province(text: str) -> str:
    """A province's code from its code (``"1"`` or ``"01"``) or its name (``"Hưng Yên"``).

    Raises:
        argparse.ArgumentTypeError: no province in force has that code or name.
    """
    raw = text.strip()
    try:
        return province(raw.zfill(2)).code if raw.isdigit() else find_province(raw).code
    except AnsinhError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


# -- the recipient --------------------------------------------------------------------------


def add_person_options(p: argparse.ArgumentParser, lang: Lang, *, required: bool) -> None:
    """The options describing a recipient; *required*: also the facts only eligibility needs."""
    g = p.add_argument_group(word("person", lang))
    g.add_argument("--id", default="cli", help=word("id", lang))
    g.add_argument("--name", default="Người nhận", help=word("name", lang))
    g.add_argument(
        "--born", type=parse_date, default=None, required=required, metavar="DATE", help=word("born", lang)
    )
    g.add_argument(
        "--province", type=parse_province, default=None, required=required, help=word("province", lang)
    )
    g.add_argument(
        "--category",
        action="append",
        default=[],
        type=parse_category,
        metavar="CATEGORY",
        help=word("category", lang)
        + ": "
        + ", ".join(f"{c.value} ({c.label_vi if lang == 'vi' else c.label_en})" for c in Category),
    )
    g.add_argument(
        "--supported-months", type=parse_count, default=0, metavar="N", help=word("supported", lang)
    )
    if required:
        g.add_argument("--cccd", default=None, help=word("cccd", lang))
        g.add_argument(
            "--bhyt-valid-until", type=parse_date, default=None, metavar="DATE", help=word("bhyt_until", lang)
        )
        g.add_argument("--difficult", action="store_true", help=word("difficult", lang))
        g.add_argument("--compulsory-si", action="store_true", help=word("compulsory", lang))
        g.add_argument("--pension", action="store_true", help=word("pension", lang))
        g.add_argument("--not-citizen", action="store_true", help=word("not_citizen", lang))
        g.add_argument(
            "--hospital",
            type=parse_date,
            nargs=2,
            default=None,
            metavar=("FROM", "TO"),
            help=word("hospital", lang),
        )


def person_from(args: argparse.Namespace, lang: Lang) -> Person | None:
    """The recipient the options describe, or ``None`` when none is described.

    Raises:
        InvalidValueError: a recipient is described without ``--province``, or
            a fact is refused by :class:`~ansinh.Person`.
    """
    described = args.province is not None or args.category or args.supported_months or args.born
    if not described:
        return None
    if args.province is None:
        raise InvalidValueError("--province", None, word("needs_province", lang))
    if args.born is not None and args.born > min(args.on, dt.date.today()):
        raise InvalidValueError("--born", args.born.isoformat(), word("born_future", lang))
    extra: dict[str, Any] = {}
    if "cccd" in args:  # ``ansinh check``
        extra = {
            "cccd": args.cccd,
            "bhyt_valid_until": args.bhyt_valid_until,
            "difficult_circumstances": args.difficult,
            "compulsory_si": args.compulsory_si,
            "receives_pension": args.pension,
            "vietnamese_citizen": not args.not_citizen,
            "hospital_stay": tuple(args.hospital) if args.hospital else None,
        }
    return Person(
        id=args.id,
        full_name=args.name,
        # Age never changes a price; a recipient described only for pricing gets a placeholder.
        date_of_birth=args.born or dt.date(1980, 1, 1),
        province=args.province,
        categories=frozenset(args.category),
        vsi_supported_months=args.supported_months,
        **extra,
    )


# -- the gift ------------------------------------------------------------------------------


def add_product_options(p: argparse.ArgumentParser, lang: Lang, kinds: Sequence[str]) -> None:
    """``--months``/``--rank``/``--income``/``--value`` for the product kinds *kinds*."""
    if "card" in kinds or "book" in kinds:
        p.add_argument("--months", type=parse_count, default=12, help=word("months", lang) + " (12)")
    if "card" in kinds:
        p.add_argument("--rank", type=parse_count, default=1, help=word("rank", lang))
    if "book" in kinds:
        p.add_argument("--income", type=parse_amount, default=None, metavar="VND", help=word("income", lang))
    if "gift" in kinds:
        p.add_argument(
            "--value", type=parse_amount, required=len(kinds) == 1, metavar="VND", help=word("value", lang)
        )


def product_from(kind: str, args: argparse.Namespace) -> Product:
    """The product of kind *kind* (``card``, ``book`` or ``gift``) the options describe.

    Raises:
        InvalidValueError: a Tết gift without ``--value``, or a product the
            library refuses.
    """
    if kind == "card":
        return HealthCard(months=args.months, household_rank=args.rank)
    if kind == "book":
        return SocialBook(months=args.months, monthly_income=args.income)
    if args.value is None:
        raise InvalidValueError("--value", None, word("needs_value", args.lang))
    return TetGift(value=args.value)


# -- the campaign and the plugins -------------------------------------------------------------


def add_campaign_options(p: argparse.ArgumentParser, lang: Lang) -> None:
    """``--tet FROM TO`` and ``--campaign-province``."""
    p.add_argument(
        "--tet", type=parse_date, nargs=2, default=None, metavar=("FROM", "TO"), help=word("tet", lang)
    )
    p.add_argument(
        "--campaign-province",
        type=parse_province,
        default=None,
        metavar="PROVINCE",
        help=word("cprov", lang),
    )


def campaign_from(args: argparse.Namespace) -> Campaign | None:
    """A campaign made of the options (Tết dates, province), or ``None`` when none is given."""
    if args.tet is None and args.campaign_province is None:
        return None
    tet = tuple(args.tet) if args.tet else None
    days = [args.on, *(tet or ())]
    return Campaign(
        code="CLI",
        name="ansinh (dòng lệnh)",
        province=args.campaign_province,
        start=min(days),
        end=max(days),
        tet_dates=tet,
    )


def plugins_from(args: argparse.Namespace) -> PluginHost | None:
    """What ``plugins=`` gets: ``None`` (the installed plugins), the built-ins only with
    ``--no-plugins``, or the installed plugins but those named by ``--disable-plugin``
    and ``ANSINH_DISABLE_PLUGINS``."""
    from ansinh.plugin_manager import disabled_plugins, get_plugin_manager

    if args.no_plugins:
        return get_plugin_manager(load_entrypoints=False)
    disabled = (*args.disable_plugin, *disabled_plugins())
    return get_plugin_manager(blocked=disabled) if args.disable_plugin else None


# -- stores -----------------------------------------------------------------------------

STORE_ENV: Final = "ANSINH_STORE"
"""The environment variable naming the store a command reads when none is given."""


def store_locations(given: Sequence[str]) -> tuple[str, ...]:
    """The stores a command reads: *given*, or the one ``ANSINH_STORE`` names.

    Raises:
        InvalidValueError: none given and ``ANSINH_STORE`` unset.
    """
    import os

    if given:
        return tuple(given)
    named = os.environ.get(STORE_ENV, "").strip()
    if not named:
        raise InvalidValueError(
            "STORE", "", f"a store (a path, sqlite:///path or postgresql://…), or {STORE_ENV} naming one"
        )
    return (named,)


def open_existing_store(location: str, **options: Any) -> SqliteStore:
    """Open the store *location* names (a path, ``sqlite:///`` or ``postgresql://`` URL) that must exist.

    *options* are :func:`~ansinh.io.store.open_store`'s (``law=``, ``local_supports=``).

    A store file that does not exist is :class:`FileNotFoundError` (as every
    missing input file); a database server is asked, and refuses with a
    :class:`~ansinh.exceptions.LedgerError` naming the cause.
    """
    from ansinh.io.store import is_postgres_url, open_store, store_location

    if not is_postgres_url(location):
        path = store_location(location)
        if not path.is_file():
            raise FileNotFoundError(2, "no such file", str(path))
    return open_store(location, **options)
