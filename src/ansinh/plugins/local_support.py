"""Provincial budget top-ups as a data-driven plugin (registered as ``ansinh.local_support``).

The top-ups the project's sources confirm (``facts.md`` §4) ship in
``ansinh/data/local_support.toml``, each with its dates, rates by group,
citation and status:

* Hà Nội, from 2026-01-01: +50% poor, +60% near-poor, +10% others on
  voluntary SI (the resolution's number is not known, so it is flagged
  unconfirmed);
* Khánh Hòa, 2026–2030: +30% poor and island communes, +25% near-poor,
  +15% ethnic minority, +10% others on voluntary SI;
* TP Hồ Chí Minh: 100% of the health-insurance contribution for poor and
  near-poor people under the city's standard (for a near-poor card, the share
  the state leaves).

The module's hook is ``trylast``: a province plugin returning a programme
with the same ``code`` replaces the shipped one.  A province can ship its own
table the same way with :class:`LocalSupportTable`.

>>> import datetime as dt
>>> from ansinh.core.products import ProductKind
>>> [s.code for s in select(shipped_local_supports(), "56", ProductKind.SOCIAL_BOOK, dt.date(2027, 5, 1))]
['khanhhoa-vsi-2026-2030']
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Iterable, Mapping
from typing import Any, Self

import attrs

from ansinh.core.law import (
    Citation,
    RateTable,
    SourceStatus,
    parse_date,
    parse_status,
    parse_table,
    parse_text,
)
from ansinh.core.money import to_rate
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.core.provinces import current_code_for_former
from ansinh.core.provinces import province as _province
from ansinh.exceptions import AnsinhError, InvalidValueError, LawDataError
from ansinh.hookspecs import hookimpl

__all__ = [
    "LocalSupportTable",
    "NotShippedProgramme",
    "ansinh_local_support",
    "not_shipped_programmes",
    "parse_local_supports",
    "select",
    "shipped_local_supports",
]

_REQUIRED = (
    "code",
    "province",
    "product",
    "effective",
    "rates",
    "document",
    "status",
    "label_vi",
    "label_en",
)
_KEYS = frozenset(
    (
        *_REQUIRED,
        "until",
        "article",
        "url",
        "note",
        "former_province",
        "district",
        "communes",
        "combines_with",
        "group_months",
        "group_ages",
    )
)


def _one(table: object, where: str) -> LocalSupport:
    raw = parse_table(table, where, required=_REQUIRED, allowed=_KEYS)
    try:
        product = ProductKind(raw["product"])
    except ValueError:
        raise LawDataError(
            f"{where}.product={raw['product']!r} is not allowed: one of "
            + ", ".join(k.value for k in ProductKind)
        ) from None
    status = parse_status(raw["status"], f"{where}.status")
    rates_raw = raw["rates"]
    if not isinstance(rates_raw, Mapping) or not rates_raw:
        raise LawDataError(f"{where}.rates must be a non-empty table of group = rate")
    entries = []
    for key, value in rates_raw.items():
        try:
            rate = to_rate(value, f"{where}.rates.{key}")
        except InvalidValueError as exc:
            raise LawDataError(str(exc)) from None
        if not 0 <= rate <= 1:
            raise LawDataError(f"{where}.rates.{key}={value!r} is not allowed: a rate between 0 and 1")
        entries.append((str(key), rate))
    province = parse_text(raw, "province", where)
    try:
        _province(province)
    except AnsinhError as exc:
        raise LawDataError(f"{where}: {exc}") from None
    effective = parse_date(raw["effective"], f"{where}.effective")
    until = None if raw.get("until") is None else parse_date(raw["until"], f"{where}.until")
    if until is not None and until < effective:
        raise LawDataError(f"{where}.until={until} is not allowed: on or after effective ({effective})")
    former, district, communes = _area(raw, where, province)
    return LocalSupport(
        code=parse_text(raw, "code", where),
        province=province,
        product=product,
        effective=effective,
        until=until,
        rates=RateTable(tuple(entries)),
        citation=Citation(
            parse_text(raw, "document", where),
            parse_text(raw, "article", where, required=False),
            parse_text(raw, "url", where, required=False),
        ),
        status=status,
        label_vi=parse_text(raw, "label_vi", where),
        label_en=parse_text(raw, "label_en", where),
        former_province=former,
        district=district,
        communes=communes,
        combines_with=_codes(raw, where),
        note=parse_text(raw, "note", where, required=False),
        group_months=_group_months(raw, where, {key for key, _ in entries}),
        group_ages=_group_ages(raw, where, {key for key, _ in entries}),
    )


def _group_months(raw: Mapping[str, Any], where: str, groups: set[str]) -> tuple[tuple[str, int], ...]:
    """``group_months = { group = months }``: groups limited to months after the person left poverty."""
    table = raw.get("group_months", {})
    ok = isinstance(table, Mapping) and all(
        key in groups and isinstance(n, int) and not isinstance(n, bool) and n > 0 for key, n in table.items()
    )
    if not ok:
        raise LawDataError(
            f"{where}.group_months={table!r} is not allowed: a table of group = months (a whole number "
            "> 0), each group one of the programme's rates"
        )
    return tuple(sorted((str(k), int(n)) for k, n in table.items()))


def _age(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 150


def _group_ages(
    raw: Mapping[str, Any], where: str, groups: set[str]
) -> tuple[tuple[str, int, int | None], ...]:
    """``group_ages = { group = [from, below] }``: groups for ages *from* to under *below* (``[from]``: no limit)."""
    table = raw.get("group_ages", {})
    ok = isinstance(table, Mapping)
    out: list[tuple[str, int, int | None]] = []
    for key, band in table.items() if ok else ():
        fits = isinstance(band, list) and len(band) in (1, 2) and all(_age(a) for a in band)
        if key not in groups or not fits or (len(band) == 2 and band[0] >= band[1]):
            ok = False
            break
        out.append((str(key), band[0], band[1] if len(band) == 2 else None))
    if not ok:
        raise LawDataError(
            f"{where}.group_ages={table!r} is not allowed: a table of group = [from_age, below_age] "
            "(whole years, from < below) or [from_age], each group one of the programme's rates"
        )
    return tuple(sorted(out))


def _codes(raw: Mapping[str, Any], where: str) -> frozenset[str]:
    codes = raw.get("combines_with", [])
    if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
        raise LawDataError(f"{where}.combines_with={codes!r} is not allowed: a list of programme codes")
    return frozenset(codes)


def _area(raw: Mapping[str, Any], where: str, province: str) -> tuple[str | None, str, frozenset[str]]:
    """The optional area inside the province: a former province, a former district, a commune list."""
    former = raw.get("former_province")
    if former is not None:
        if not isinstance(former, str):
            raise LawDataError(f"{where}.former_province={former!r} is not allowed: a pre-2025 province code")
        try:
            merged = current_code_for_former(former)
        except AnsinhError as exc:
            raise LawDataError(f"{where}: {exc}") from None
        if merged != province:
            raise LawDataError(
                f"{where}.former_province={former!r} is not allowed: a former province that merged into {province}"
            )
    district = parse_text(raw, "district", where, required=False)
    communes = raw.get("communes", [])
    if not isinstance(communes, list) or not all(isinstance(c, str) and c.strip() for c in communes):
        raise LawDataError(f"{where}.communes={communes!r} is not allowed: a list of commune names")
    return former, district, frozenset(communes)


def parse_local_supports(data: Mapping[str, object]) -> tuple[LocalSupport, ...]:
    """Read ``[[support]]`` tables (the shape of ``local_support.toml``) into :class:`~ansinh.LocalSupport`.

    Raises:
        LawDataError: a table is malformed, names an unknown province, or two
            tables share a ``code``.

    >>> parse_local_supports({"support": [{
    ...     "code": "x", "province": "33", "product": "social_book", "effective": "2026-01-01",
    ...     "rates": {"poor": "0.1"}, "document": "Nghị quyết …", "status": "scenario",
    ...     "label_vi": "Thử", "label_en": "Test"}]})[0].rates["poor"]
    Fraction(1, 10)
    """
    raw = data.get("support", [])
    if not isinstance(raw, list):
        raise LawDataError("support must be a list of tables ([[support]])")
    supports = tuple(_one(item, f"support[{i}]") for i, item in enumerate(raw))
    codes = [s.code for s in supports]
    for code in codes:
        if codes.count(code) > 1:
            raise LawDataError(f"support code {code!r} is used twice; codes must be unique")
    return supports


@functools.cache
def shipped_local_supports() -> tuple[LocalSupport, ...]:
    """The top-ups shipped in ``ansinh/data/local_support.toml`` (read on first use, then cached)."""
    from ansinh.data import read_text

    return parse_local_supports(tomllib.loads(read_text("local_support.toml")))


def select(
    supports: Iterable[LocalSupport],
    province: str | None,
    product: ProductKind | None,
    on: dt.date | None,
) -> tuple[LocalSupport, ...]:
    """The *supports* matching the filter; ``None`` in an argument matches anything."""
    return tuple(
        s
        for s in supports
        if (province is None or s.province == province)
        and (product is None or s.product is product)
        and (on is None or (s.effective <= on and (s.until is None or on <= s.until)))
    )


@attrs.frozen(kw_only=True)
class NotShippedProgramme:
    """A provincial programme the audit found but ansinh does not price, and why (listed, never applied)."""

    code: str
    province: str
    """Code of the current province-level unit it lies in."""
    area: str
    """The area in words (a former province, a district …)."""
    product: str
    """The kind of gift it concerns, in words (``"health_card"``, ``"health_card, social_book"``)."""
    groups: str
    """Its groups and rates, as the sources give them."""
    dates: str
    """Its dates as far as known."""
    citation: Citation
    status: SourceStatus
    reason: str
    """Why it is not shipped as a :class:`~ansinh.LocalSupport`."""


_NOT_SHIPPED_KEYS = frozenset(
    ("code", "province", "area", "product", "groups", "dates", "document", "url", "status", "reason")
)


def _not_shipped(raw: object, where: str) -> NotShippedProgramme:
    if not isinstance(raw, Mapping) or set(raw) != _NOT_SHIPPED_KEYS:
        raise LawDataError(f"{where} must be a table with exactly the keys {sorted(_NOT_SHIPPED_KEYS)}")
    province = parse_text(raw, "province", where)
    try:
        _province(province)
    except AnsinhError as exc:
        raise LawDataError(f"{where}: {exc}") from None
    return NotShippedProgramme(
        code=parse_text(raw, "code", where),
        province=province,
        area=parse_text(raw, "area", where),
        product=parse_text(raw, "product", where),
        groups=parse_text(raw, "groups", where),
        dates=parse_text(raw, "dates", where),
        citation=Citation(parse_text(raw, "document", where), "", parse_text(raw, "url", where)),
        status=parse_status(raw["status"], f"{where}.status"),
        reason=parse_text(raw, "reason", where),
    )


@functools.cache
def not_shipped_programmes() -> tuple[NotShippedProgramme, ...]:
    """The programmes found and not shipped (``[[not_shipped]]`` in ``local_support.toml``).

    >>> {p.code for p in not_shipped_programmes()} >= {"camau-bhyt", "nghean-2025-2030"}
    True
    """
    from ansinh.data import read_text

    raw = tomllib.loads(read_text("local_support.toml")).get("not_shipped", [])
    if not isinstance(raw, list):
        raise LawDataError("not_shipped must be a list of tables ([[not_shipped]])")
    return tuple(_not_shipped(item, f"not_shipped[{i}]") for i, item in enumerate(raw))


@hookimpl(trylast=True)
def ansinh_local_support(
    province: str | None, product: ProductKind | None, on: dt.date | None
) -> tuple[LocalSupport, ...]:
    """Serve the shipped top-ups (``trylast``: a province's entry with the same code wins)."""
    return select(shipped_local_supports(), province, product, on)


@attrs.frozen
class LocalSupportTable:
    """A plugin serving a fixed table of top-ups: how a province ships its own.

    >>> import datetime as dt, tomllib
    >>> from ansinh.testing import plugin_host
    >>> table = LocalSupportTable.from_toml('''
    ... [[support]]
    ... code = "hy-vsi-2027"
    ... province = "33"
    ... product = "social_book"
    ... effective = 2027-01-01
    ... rates = { poor = "0.2" }
    ... document = "Nghị quyết HĐND tỉnh Hưng Yên (giả định)"
    ... status = "scenario"
    ... label_vi = "Hưng Yên hỗ trợ thêm"
    ... label_en = "Hưng Yên top-up"
    ... ''')
    >>> host = plugin_host(table)
    >>> [s.code for s in host.all_local_supports()]
    ['hy-vsi-2027']
    """

    supports: tuple[LocalSupport, ...] = attrs.field()

    @supports.validator
    def _check(self, _attr: object, value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(s, LocalSupport) for s in value):
            raise InvalidValueError("supports", value, "a tuple of LocalSupport")

    @classmethod
    def from_toml(cls, text: str) -> Self:
        """Build from TOML text with ``[[support]]`` tables (see :func:`parse_local_supports`).

        Raises:
            LawDataError: the text is not TOML or a table is malformed.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise LawDataError(f"local support data is not valid TOML: {exc}") from None
        return cls(parse_local_supports(data))

    @hookimpl
    def ansinh_local_support(
        self, province: str | None, product: ProductKind | None, on: dt.date | None
    ) -> tuple[LocalSupport, ...]:
        """Serve this table's top-ups matching the filter."""
        return select(self.supports, province, product, on)
