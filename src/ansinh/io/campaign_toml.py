"""Reading ``campaign.toml`` (the campaign, the ``[run]`` settings, the file names, ``[[sourcing]]``,
``[[handover]]``, ``[plugins.NAME]`` and ``[report]`` tables), and the cell helpers the campaign files share.

Every key ``campaign.toml`` may hold is listed (cattrs with ``forbid_extra_keys``): a key it does not
know is refused, naming it. :mod:`ansinh.io.campaign_files` reads the rest of a campaign folder.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
import types
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import cattrs

from ansinh.core.audit import Actor
from ansinh.core.campaign import Campaign
from ansinh.core.dates import is_date
from ansinh.core.handover import Handover
from ansinh.core.products import ProductKind
from ansinh.core.provinces import find_province, province
from ansinh.exceptions import AnsinhError, CampaignFileError, InvalidValueError, RosterError
from ansinh.io.files import read_limited
from ansinh.limits import MAX_ROSTER_BYTES

__all__ = [
    "CellError",
    "RegistrySource",
    "RunSettings",
    "SourcingPlan",
    "plain",
    "province_cell",
    "read_campaign_text",
    "read_campaign_toml",
    "read_handovers",
    "read_only",
    "read_toml",
]


def plain(text: str) -> str:
    """Matching form: no accents, lower case, punctuation as spaces, single spaces."""
    text = text.replace("Đ", "D").replace("đ", "d")
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


class CellError(Exception):
    """A cell of a campaign file that cannot be read: its field, its text and what is allowed."""

    def __init__(self, field: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.value = value
        self.reason = reason


def province_cell(field: str, text: str) -> str | None:
    """A province cell: a current code or name, or ``None`` for blank / "toàn quốc" (raises :class:`CellError`)."""
    cleaned = text.strip()
    if not cleaned or plain(cleaned) in ("toan quoc", "national", "trung uong"):
        return None
    try:
        if cleaned.isdigit():
            return province(cleaned.zfill(2)).code
        return find_province(cleaned).code
    except AnsinhError:
        raise CellError(
            field, text, "a current province code or name, or blank for the whole campaign"
        ) from None


def read_campaign_text(path: Path) -> str:
    """A campaign file's text (UTF-8, BOM dropped): a regular file of at most :data:`~ansinh.limits.MAX_ROSTER_BYTES`.

    Raises:
        UnicodeDecodeError: not UTF-8.
        CampaignFileError: missing, not a regular file, or larger than the limit.
    """
    try:
        data = read_limited(path, MAX_ROSTER_BYTES, "MAX_ROSTER_BYTES", RosterError)
    except RosterError as exc:
        raise CampaignFileError(str(path), "", f"a readable file ({exc})") from None
    return data.decode("utf-8-sig")


def _path(value: Any) -> Path:
    if not isinstance(value, str | os.PathLike):
        raise CampaignFileError("registry", value, "a file path")
    return Path(value)


@attrs.frozen(kw_only=True)
class RegistrySource:
    """Another campaign's gifts to check this one against: a programme store and the roster of its people.

    A store keeps no names nor identity numbers, so the roster its gifts were
    allocated from says who each gift's person is (by the roster's id): people
    are then matched across campaigns by CCCD or mã số BHXH
    (:class:`~ansinh.core.registry.Registry`).
    """

    store: Path = attrs.field(converter=_path)
    """The store (``ledger.sqlite`` of another run, or a programme store holding many campaigns)."""
    roster: Path = attrs.field(converter=_path)
    """The roster (CSV or workbook) holding the people of its gifts."""


@attrs.frozen(kw_only=True)
class RunSettings:
    """How to run the campaign (the ``[run]`` table of ``campaign.toml``)."""

    purchase_date: dt.date
    """The law of this date prices every gift."""
    handover_date: dt.date | None = None
    """Paid gifts are delivered on this date; ``None``: not yet."""
    report_date: dt.date | None = None
    money_buys: ProductKind = ProductKind.HEALTH_CARD
    card_months: int = 12
    book_months: int = 12
    tet_gift_value: int | None = None
    renewal_days: int = 60
    events_jsonl: bool = False
    """Whether a run also writes every event of the ledger as JSON Lines (``<out>/events.jsonl``)."""
    actor: Actor | None = None
    """Who records the run's events (``actor`` and ``role`` of ``[run]``); ``None``: no one named."""
    registry: tuple[RegistrySource, ...] = ()
    """Other campaigns' stores whose gifts this run's people must not already hold for the same months
    (``[[run.registry]]``; paths relative to the campaign folder)."""

    @property
    def effective_report_date(self) -> dt.date:
        """The report's date: ``report_date``, else the handover date, else the purchase date."""
        return self.report_date or self.handover_date or self.purchase_date


@attrs.frozen(kw_only=True)
class SourcingPlan:
    """A ``[[sourcing]]`` table of ``campaign.toml``: a strategy to run, with its inputs."""

    strategy: str
    """The strategy's name (see :meth:`~ansinh.plugin_manager.PluginHost.sourcing_strategies`)."""
    inputs: Mapping[str, object]
    """Its ``[sourcing.inputs]`` table, read-only (tables as mappings, arrays as tuples)."""
    registered_on: dt.date | None = None
    """When its pledges were registered (``None``: the campaign start)."""
    received_on: dt.date | None = None
    """When the money it pledged was received (``None``: not yet)."""


def _table(data: Mapping[str, Any], name: str, where: str) -> Mapping[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, Mapping):
        raise CampaignFileError(f"{where} [{name}]", table, "a TOML table")
    return table


def _toml_date(table: Mapping[str, Any], key: str, where: str, required: bool = False) -> dt.date | None:
    value = table.get(key)
    if value is None and not required:
        return None
    if not is_date(value):
        raise CampaignFileError(f"{where} {key}", value, "a TOML date such as 2026-01-05")
    return value


def _required_date(table: Mapping[str, Any], key: str, where: str) -> dt.date:
    value = _toml_date(table, key, where, required=True)
    assert value is not None
    return value


# The keys each table of campaign.toml may hold; cattrs refuses any other (forbid_extra_keys).
# The values are checked below, with messages naming the key.
@attrs.define
class _CampaignKeys:
    code: Any = None
    name: Any = None
    lunar_year: Any = None
    plan_reference: Any = None
    province: Any = None
    start: Any = None
    end: Any = None
    tet_dates: Any = None
    parent: Any = None


@attrs.define
class _RunKeys:
    purchase_date: Any = None
    handover_date: Any = None
    report_date: Any = None
    money_buys: Any = None
    card_months: Any = None
    book_months: Any = None
    tet_gift_value: Any = None
    renewal_days: Any = None
    events_jsonl: Any = None
    actor: Any = None
    role: Any = None
    registry: Any = None


@attrs.define
class _FilesKeys:
    sponsors: Any = None
    pledges: Any = None
    roster: Any = None


@attrs.define
class _ReportKeys:
    template: Any = None


@attrs.define
class _SourcingKeys:
    strategy: Any = None
    inputs: Any = None
    registered_on: Any = None
    received_on: Any = None


@attrs.define
class _HandoverKeys:
    date: Any = None
    place: Any = None
    leader: Any = None
    provinces: Any = None
    pledges: Any = None
    kinds: Any = None
    hospitals: Any = None
    reference: Any = None


@attrs.define
class _TopKeys:
    campaign: Any = None
    run: Any = None
    files: Any = None
    sourcing: Any = None
    handover: Any = None
    plugins: Any = None
    report: Any = None


_KEYS: Final = cattrs.Converter(forbid_extra_keys=True, detailed_validation=False)


def _known_keys(table: Mapping[str, Any], keys: type, where: str) -> None:
    """Refuse a key *keys* does not have, naming it (a typo must not be ignored)."""
    try:
        _KEYS.structure(dict(table), keys)
    except cattrs.ForbiddenExtraKeysError as exc:
        key = sorted(exc.extra_fields)[0]
        allowed = ", ".join(a.name for a in attrs.fields(keys))
        raise CampaignFileError(f"{where} {key}", table[key], f"a known key: {allowed}") from None


def _each_table(
    data: Mapping[str, Any], key: str, keys: type, where: str, name: str
) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """``(where, table)`` for each ``[[name]]`` table under *key*, each checked for unknown keys."""
    tables = data.get(key, [])
    if not isinstance(tables, list):
        raise CampaignFileError(f"{where} {name}", tables, f"[[{name}]] tables")
    for i, table in enumerate(tables):
        at = f"{where} [[{name}]] #{i + 1}"
        if not isinstance(table, Mapping):
            raise CampaignFileError(at, table, f"a [[{name}]] table")
        _known_keys(table, keys, at)
        yield at, table


def _load(p: Path) -> dict[str, Any]:
    """The parsed ``campaign.toml`` at *p*.

    Raises:
        CampaignFileError: it cannot be read, or is not valid TOML.
    """
    try:
        return tomllib.loads(read_campaign_text(p))
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(str(p), "", f"a readable campaign.toml ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CampaignFileError(str(p), "", f"valid TOML ({exc})") from None


def read_only(value: Any) -> Any:
    """A TOML value that cannot be changed: tables as read-only mappings, arrays as tuples."""
    if isinstance(value, Mapping):
        return types.MappingProxyType({k: read_only(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(read_only(v) for v in value)
    return value


def _sourcing(data: Mapping[str, Any], where: str) -> tuple[SourcingPlan, ...]:
    plans = []
    for at, table in _each_table(data, "sourcing", _SourcingKeys, where, "sourcing"):
        strategy, inputs = table.get("strategy"), table.get("inputs", {})
        if not isinstance(strategy, str) or not strategy:
            raise CampaignFileError(f"{at} strategy", strategy, "the name of a sourcing strategy")
        if not isinstance(inputs, Mapping):
            raise CampaignFileError(f"{at} inputs", inputs, "a table of the strategy's inputs")
        plans.append(
            SourcingPlan(
                strategy=strategy,
                inputs=read_only(inputs),
                registered_on=_toml_date(table, "registered_on", at),
                received_on=_toml_date(table, "received_on", at),
            )
        )
    return tuple(plans)


_KIND_WORDS: Final = {
    **{plain(k.value.replace("_", " ")): k for k in ProductKind},
    **{plain(k.label_vi): k for k in ProductKind},
    **{plain(k.label_en): k for k in ProductKind},
    "the bhyt": ProductKind.HEALTH_CARD,
    "so bhxh": ProductKind.SOCIAL_BOOK,
    "qua tet": ProductKind.TET_GIFT,
}


def _texts(table: Mapping[str, Any], key: str, at: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise CampaignFileError(f"{at} {key}", value, 'a list of non-empty strings, e.g. ["P01", "P02"]')
    return [v.strip() for v in value]


def _handover(table: Mapping[str, Any], at: str) -> Handover:
    """One ``[[handover]]`` table (its keys already known)."""
    provinces = []
    for text in _texts(table, "provinces", at):
        try:
            code = province_cell("provinces", text)
        except CellError as bad:
            raise CampaignFileError(f"{at} provinces", text, bad.reason) from None
        if code is None:
            raise CampaignFileError(f"{at} provinces", text, "a province (leave provinces out for any)")
        provinces.append(code)
    kinds = []
    for text in _texts(table, "kinds", at):
        kind = _KIND_WORDS.get(plain(text))
        if kind is None:
            allowed = ", ".join(f"{k.value} ({k.label_vi})" for k in ProductKind)
            raise CampaignFileError(f"{at} kinds", text, f"a kind of gift: {allowed}")
        kinds.append(kind)
    for key in ("place", "leader"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise CampaignFileError(f"{at} {key}", table.get(key), f"the ceremony's {key}, as text")
    reference = table.get("reference", "")
    if not isinstance(reference, str):
        raise CampaignFileError(f"{at} reference", reference, "the ceremony's document, as text")
    return Handover(
        on=_required_date(table, "date", at),
        place=" ".join(table["place"].split()),
        leader=" ".join(table["leader"].split()),
        provinces=provinces,
        pledges=_texts(table, "pledges", at),
        kinds=kinds,
        hospitals=[" ".join(h.split()) for h in _texts(table, "hospitals", at)],
        reference=reference.strip(),
    )


def read_handovers(path: str | os.PathLike[str]) -> tuple[Handover, ...]:
    """The ``[[handover]]`` tables of ``campaign.toml``: the campaign's handover ceremonies, in file order.

    Each names its ``date``, ``place`` and ``leader`` (who led the delegation),
    and which gifts it hands over: ``provinces`` (codes or names), ``pledges``
    (ids), ``kinds`` (``health_card``, ``social_book``, ``tet_gift`` or their
    Vietnamese names), ``hospitals`` (of Tết gifts) — each left out for any —,
    and optionally its document ``reference``.

    Raises:
        CampaignFileError: the file cannot be read, or a table has an unknown
            key or a value that is not allowed (the message names it).
    """
    p = Path(path)
    where = p.name
    out = []
    for at, table in _each_table(_load(p), "handover", _HandoverKeys, where, "handover"):
        try:
            out.append(_handover(table, at))
        except CampaignFileError:
            raise
        except InvalidValueError as exc:
            raise CampaignFileError(f"{at} {exc.field}", exc.value, exc.allowed) from None
    return tuple(out)


def _plugin_settings(data: Mapping[str, Any], where: str) -> Mapping[str, Mapping[str, object]]:
    tables = _table(data, "plugins", where)
    for name, table in tables.items():
        if not isinstance(table, Mapping):
            raise CampaignFileError(f"{where} [plugins.{name}]", table, "a table of the plugin's settings")
    return read_only(tables)  # type: ignore[no-any-return]


def read_campaign_toml(path: str | os.PathLike[str]) -> tuple[Campaign, RunSettings, dict[str, str]]:
    """Read ``campaign.toml``: the campaign, the run settings and the file names.

    Raises:
        CampaignFileError: the file is missing, is not TOML, has a key it
            should not, or a value is not allowed (the message names the key).
    """
    campaign, settings, names, *_others = read_toml(Path(path))
    return campaign, settings, names


def read_toml(
    p: Path,
) -> tuple[
    Campaign,
    RunSettings,
    dict[str, str],
    tuple[SourcingPlan, ...],
    Mapping[str, Mapping[str, object]],
    str | None,
]:
    """Read ``campaign.toml`` whole: the campaign, the settings, the file names, sourcing plans, plugin
    settings, and the ``[report] template`` path (``None``: none given; checked by
    :func:`~ansinh.io.report_templates.read_report_layout`).

    Raises:
        CampaignFileError: as :func:`read_campaign_toml`.
    """
    where = p.name
    data = _load(p)
    _known_keys(data, _TopKeys, where)
    c = _table(data, "campaign", where)
    run = _table(data, "run", where)
    files = _table(data, "files", where)
    report = _table(data, "report", where)
    for table, keys, name in (
        (c, _CampaignKeys, "campaign"),
        (run, _RunKeys, "run"),
        (files, _FilesKeys, "files"),
        (report, _ReportKeys, "report"),
    ):
        _known_keys(table, keys, f"{where} [{name}]")
    campaign = _campaign_of(c, where)
    settings = attrs.evolve(_settings_of(run, where), registry=_registry(run, p.parent, where))
    names = _file_names(files, p.parent, where)
    template = report.get("template")
    if template is not None and (not isinstance(template, str) or not template):
        raise CampaignFileError(
            f"{where} [report] template", template, "a folder or file name inside the campaign folder"
        )
    return campaign, settings, names, _sourcing(data, where), _plugin_settings(data, where), template


def _campaign_of(c: Mapping[str, Any], where: str) -> Campaign:
    """The ``[campaign]`` table as a :class:`~ansinh.core.campaign.Campaign`."""
    tet = c.get("tet_dates")
    tet_dates: tuple[dt.date, dt.date] | None = None
    if tet is not None:
        if not (isinstance(tet, list) and len(tet) == 2 and all(map(is_date, tet))):
            raise CampaignFileError(f"{where} tet_dates", tet, "[first day, last day] as TOML dates")
        tet_dates = (tet[0], tet[1])
    prov = c.get("province")
    campaign = Campaign(
        code=c.get("code", ""),
        name=c.get("name", ""),
        lunar_year=str(c.get("lunar_year", "")),
        plan_reference=str(c.get("plan_reference", "")),
        province=_province_or_error(prov, where),
        start=_required_date(c, "start", where),
        end=_required_date(c, "end", where),
        tet_dates=tet_dates,
        parent=str(c["parent"]) if c.get("parent") is not None else None,
    )
    return campaign


def _settings_of(run: Mapping[str, Any], where: str) -> RunSettings:
    """The ``[run]`` table as :class:`RunSettings`."""
    purchase = _required_date(run, "purchase_date", where)
    try:
        money_buys = ProductKind(run.get("money_buys", "health_card"))
    except ValueError:
        raise CampaignFileError(
            f"{where} money_buys", run.get("money_buys"), "one of " + ", ".join(k.value for k in ProductKind)
        ) from None
    ints: dict[str, Any] = {}
    for key in ("card_months", "book_months", "renewal_days", "tet_gift_value"):
        if key in run:
            value = run[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise CampaignFileError(f"{where} {key}", value, "a whole number >= 0 (never a float)")
            ints[key] = value
    events_jsonl = run.get("events_jsonl", False)
    if not isinstance(events_jsonl, bool):
        raise CampaignFileError(f"{where} events_jsonl", events_jsonl, "true or false")
    settings = RunSettings(
        purchase_date=purchase,
        handover_date=_toml_date(run, "handover_date", where),
        report_date=_toml_date(run, "report_date", where),
        money_buys=money_buys,
        events_jsonl=events_jsonl,
        actor=_actor(run, where),
        **ints,
    )
    return settings


def _actor(run: Mapping[str, Any], where: str) -> Actor | None:
    """``[run] actor`` and ``role`` (default ``clerk``) as an :class:`~ansinh.core.audit.Actor`."""
    if "actor" not in run:
        if "role" in run:
            raise CampaignFileError(f"{where} role", run["role"], "given with an actor")
        return None
    try:
        return Actor(id=run["actor"], role=run.get("role", "clerk"))
    except InvalidValueError as exc:
        key = "actor" if exc.field == "id" else exc.field
        raise CampaignFileError(f"{where} {key}", exc.value, exc.allowed) from None


@attrs.define
class _RegistryKeys:
    store: Any = None
    roster: Any = None


def _registry(run: Mapping[str, Any], folder: Path, where: str) -> tuple[RegistrySource, ...]:
    """The ``[[run.registry]]`` tables: each a ``store`` and the ``roster`` of its people, relative to *folder*."""
    out = []
    for at, table in _each_table(run, "registry", _RegistryKeys, where, "run.registry"):
        paths = {}
        for key in ("store", "roster"):
            value = table.get(key)
            if not isinstance(value, str) or not value.strip():
                raise CampaignFileError(
                    f"{at} {key}", value, f"the path of the {key} (relative to the campaign folder)"
                )
            paths[key] = folder / value
        out.append(RegistrySource(store=paths["store"], roster=paths["roster"]))
    return tuple(out)


def _file_names(files: Mapping[str, Any], folder: Path, where: str) -> dict[str, str]:
    """The ``[files]`` table: each file's name (default ``<name>.csv``, or ``<name>.xlsx`` when only it exists)."""
    names = {"sponsors": "sponsors.csv", "pledges": "pledges.csv", "roster": "roster.csv"}
    for key in names:  # a folder may hold a workbook instead: sponsors.xlsx
        if not (folder / names[key]).exists() and (folder / f"{key}.xlsx").exists():
            names[key] = f"{key}.xlsx"
    for key in names:
        if key in files:
            if not isinstance(files[key], str) or not files[key]:
                raise CampaignFileError(f"{where} files.{key}", files[key], "a file name")
            names[key] = files[key]
    return names


def _province_or_error(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise CampaignFileError(f"{where} province", value, "a province code or name as a string")
    try:
        return province_cell("province", value)
    except CellError as bad:
        raise CampaignFileError(f"{where} province", value, bad.reason) from None
