"""Verify a quote document: re-price it from the law and refuse any figure the law does not give.

A quote travels between systems as a JSON document
(:func:`ansinh.serialization.dump_document`).  :func:`verify` reads it back,
prices its product again on its date under the law (and the provinces'
top-ups from the plugins), and returns the :class:`~ansinh.Quote` only if
every field and every line is what the law gives.  An edited amount is
refused with a :class:`~ansinh.exceptions.QuoteMismatchError` naming the
field, the value found and the law's value.

A quote names no person, so the price class is read from the quote itself:
its contribution group (a category, or nobody's), the months the state
supports (for a book, the months already supported follow from them), and,
when it holds a local top-up, the provinces whose programmes apply that day.
Pass ``who=`` to verify it for one person instead.

>>> import datetime as dt, ansinh
>>> from ansinh.serialization import dump_document
>>> doc = dump_document(ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1)))
>>> verify(doc).payable
1263600
>>> doc["data"]["payable"] = 1
>>> verify(doc)
Traceback (most recent call last):
...
ansinh.exceptions.QuoteMismatchError: payable=1 is not allowed: 1263600, the law's figure for this health_card on 2025-01-01
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any, Final, NoReturn

import attrs
import pluggy

from ansinh.api import price, resolve_law, resolve_plugins
from ansinh.core.law import Law
from ansinh.core.people import Category
from ansinh.core.pricing import Participant, Quote
from ansinh.core.products import ProductKind, TetGift
from ansinh.core.provinces import provinces
from ansinh.exceptions import AnsinhError, InvalidValueError, QuoteMismatchError
from ansinh.plugin_manager import PluginHost

__all__ = ["verify"]

_FIELDS: Final = tuple(a.name for a in attrs.fields(Quote))
"""The quote's fields, in the order a mismatch is reported (product first, lines and law last)."""


@attrs.frozen
class _PriceClass:
    """What pricing reads about a participant, read back from a quote."""

    categories: frozenset[Category]
    province: str | None
    vsi_supported_months: int
    date_of_birth: dt.date | None = None
    """A date of birth at the lower end of an age band a top-up of the province has (or none)."""


def _read(document: object) -> Quote:
    if isinstance(document, Quote):
        return document
    # Imported here: ``import ansinh`` does not load the serialization machinery.
    from ansinh.serialization import load_document, loads_document

    if isinstance(document, str | bytes):
        return loads_document(document, Quote)
    if isinstance(document, Mapping):
        return load_document(document, Quote)
    raise InvalidValueError("document", document, "a quote document (a mapping or JSON text) or a Quote")


_USED_IN_FORMULA: Final = re.compile(r"[−-] *([0-9]+)\)$")
"""The months already supported, as the "supported months" line's formula ends: ``min(12, 120 − 30)``."""


def _used_months(quote: Quote) -> int:
    """The months already supported, as the quote's "supported months" line shows them (else 0).

    Only a guess at the price class: the re-priced quote must still equal the
    document in every field, so a wrong guess cannot let an edit through.
    """
    line = next((ln for ln in quote.lines if ln.code == "supported_months"), None)
    found = _USED_IN_FORMULA.search(line.formula) if line is not None else None
    return int(found.group(1)) if found is not None else 0


def _price_classes(quote: Quote, host: PluginHost | None) -> Iterator[_PriceClass]:
    """The price classes that could have given *quote*, the simplest first."""
    codes = {c.value: c for c in Category}
    base = frozenset({codes[quote.group]}) if quote.group in codes else frozenset()
    used = _used_months(quote)
    yield _PriceClass(base, None, used)
    if quote.monthly_local_support == 0 or host is None or isinstance(quote.product, TetGift):
        return
    kind: ProductKind = quote.product.kind
    for p in provinces():
        if not host.local_supports(province=p.code, product=kind, on=quote.on):
            continue
        yield _PriceClass(base, p.code, used)
        # A top-up may be granted for another of the person's categories than the state's group.
        for other in Category:
            if other not in base:
                yield _PriceClass(base | {other}, p.code, used)
        # ... or only within an age band: a person at its lower end stands for the band.
        for low in _band_starts(host, p.code, kind, quote.on):
            yield _PriceClass(base, p.code, used, _born(quote.on, low))
            for other in Category:
                if other not in base:
                    yield _PriceClass(base | {other}, p.code, used, _born(quote.on, low))


def _band_starts(host: PluginHost, province: str, kind: ProductKind, on: dt.date) -> list[int]:
    """The first ages of the age bands of the province's top-ups in force on *on*."""
    supports = host.local_supports(province=province, product=kind, on=on)
    return sorted({low for s in supports for _, low, _ in s.group_ages})


def _born(on: dt.date, age: int) -> dt.date:
    """A date of birth that makes a person *age* years old on *on*."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February
        return dt.date(on.year - age, 2, 28)


def _differences(found: Quote, expected: Quote) -> list[str]:
    return [name for name in _FIELDS if getattr(found, name) != getattr(expected, name)]


def verify(
    document: object,
    who: Participant | None = None,
    *,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> Quote:
    """Re-price a quote document from the law; return the quote if every figure is the law's.

    Args:
        document: a quote document (the decoded JSON mapping, or its text) as
            :func:`~ansinh.serialization.dump_document` writes it, or a
            :class:`~ansinh.Quote`.
        who: the participant the quote is for; ``None`` reads the price class
            from the quote (module docstring).
        law: the law to price with (default: the shipped law); a scenario's
            quote needs its scenario law.
        plugins: whose top-ups to consider, as for :func:`ansinh.price`.

    Returns:
        The quote read from the document, equal to the law's quote.

    Raises:
        SerializationError: the document is not a readable quote document.
        QuoteMismatchError: a field (an amount, a line, the group, the law's
            name …) differs from what the law gives; the first one is named
            with the law's value.  A product the law of that date cannot price
            is reported on ``product``.
    """
    quote = _read(document)
    law = resolve_law(law)
    host = resolve_plugins(plugins)
    if quote.law_name != law.name:
        raise QuoteMismatchError(
            "law_name", quote.law_name, f"{law.name!r}, the law verifying it (pass law= for a scenario)"
        )
    candidates = [who] if who is not None else list(_price_classes(quote, host))
    best: tuple[list[str], Quote] | None = None
    for candidate in candidates:
        try:
            expected = price(
                quote.product, candidate, on=quote.on, law=law, plugins=host if host is not None else False
            )
        except AnsinhError as exc:
            raise QuoteMismatchError(
                "product", quote.product, f"a product the law prices on {quote.on.isoformat()} ({exc})"
            ) from None
        diffs = _differences(quote, expected)
        if not diffs:
            return quote
        if best is None or len(diffs) < len(best[0]):
            best = (diffs, expected)
    assert best is not None
    _refuse(quote, *best)


def _first_difference(found: tuple[Any, ...], wanted: tuple[Any, ...]) -> int:
    for i, (a, b) in enumerate(zip(found, wanted, strict=False)):
        if a != b:
            return i
    return min(len(found), len(wanted))


def _refuse(quote: Quote, diffs: list[str], expected: Quote) -> NoReturn:
    field = diffs[0]
    found, wanted = getattr(quote, field), getattr(expected, field)
    where = f"the law's figure for this {quote.product.kind.value} on {quote.on.isoformat()}"
    if field != "lines":
        raise QuoteMismatchError(field, found, f"{wanted!r}, {where}")
    i = _first_difference(found, wanted)
    if i >= len(found):
        raise QuoteMismatchError("lines", len(found), f"{len(wanted)} lines, {where}")
    want = f"{wanted[i].value!r} with the law's labels and citation" if i < len(wanted) else "no such line"
    raise QuoteMismatchError(f"lines[{i}].{found[i].code}", found[i].value, f"{want}, {where}")
