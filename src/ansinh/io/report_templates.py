"""Report layouts: the Jinja2 templates ``report.md``, ``report.html`` and the public lists are rendered from.

ansinh ships a default layout (package data: ``ansinh/templates/report.md.j2``,
``report.html.j2`` and ``public-list.md.j2``, the list posted for review:
:mod:`ansinh.io.public_list`).  A province replaces or extends it with its own —
its letterhead (quốc hiệu, tiêu ngữ, issuing office, place and date line) and
its signature block — in one of two ways:

* ``[report] template = "letterhead"`` in ``campaign.toml``: a folder inside the
  campaign folder holding ``report.html.j2``, ``report.md.j2`` and/or
  ``public-list.md.j2``, or one such file (:func:`read_report_layout`);
* a plugin's :func:`~ansinh.hookspecs.ansinh_report_templates` hook
  (:func:`plugin_report_layout`).

A province template usually extends the default and overrides a few blocks
(``letterhead``, ``signature``, ``style``): the default layout is reachable as
``ansinh/report.html.j2`` and ``ansinh/report.md.j2``::

    {% extends "ansinh/report.html.j2" %}
    {% block letterhead %}<p>BẢO HIỂM XÃ HỘI TỈNH HƯNG YÊN</p>{% endblock %}

Templates come from files and plugins, so they run in Jinja2's sandbox
(``jinja2.sandbox.SandboxedEnvironment``: no access to private
attributes or to Python's internals).  Every value a template prints is
escaped: HTML-escaped in ``.html.j2`` templates (autoescape) and
:func:`~ansinh.io.files.markdown_text`-escaped in ``.md.j2`` templates, so a
sponsor called ``<script>`` is shown, never run.  A template that cannot be
read or rendered raises :class:`~ansinh.exceptions.CampaignFileError` naming
the template and its line; the report files are rendered before any is
written (:func:`ansinh.io.report_files.write_report`), so none is half-written.

The names a template sees are listed in :func:`report_context`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, Literal, TypeGuard

import attrs
import jinja2
import jinja2.sandbox
from markupsafe import Markup

from ansinh.core.campaign import Campaign
from ansinh.core.dates import format_date
from ansinh.core.messages import shorten, shown
from ansinh.core.money import format_vnd
from ansinh.core.products import ProductKind
from ansinh.core.reporting import DIMENSIONS, CampaignReport, ReportRow, format_count
from ansinh.exceptions import CampaignFileError, PluginError, RosterError
from ansinh.io.files import markdown_text, read_limited, write_atomic
from ansinh.plugin_manager import PluginHost

__all__ = [
    "DEFAULT_PREFIX",
    "DIMENSION_TITLES",
    "HANDOVER_COLUMNS",
    "HANDOVER_TITLE",
    "MAX_TEMPLATE_BYTES",
    "ROW_COLUMNS",
    "TEMPLATE_NAMES",
    "ReportLayout",
    "TotalsGroup",
    "TotalsLine",
    "breakdown_columns",
    "copy_example_letterhead",
    "plugin_report_layout",
    "read_report_layout",
    "report_context",
    "totals_groups",
]

TEMPLATE_NAMES: Final = ("report.md.j2", "report.html.j2", "public-list.md.j2")
"""The templates a layout may hold: the Markdown report, the HTML page, and the public list
(:mod:`ansinh.io.public_list`, posted for review)."""

DEFAULT_PREFIX: Final = "ansinh/"
"""``{% extends "ansinh/report.html.j2" %}`` names ansinh's default template from a province's own."""

MAX_TEMPLATE_BYTES: Final = 1024 * 1024
"""The largest template file read (1 MiB)."""

DIMENSION_TITLES: Final = {
    "province": "Theo tỉnh, thành phố",
    "product": "Theo loại quà",
    "sponsor_kind": "Theo loại nhà tài trợ",
    "strategy": "Theo cách huy động",
    "year": "Theo năm mua",
    "pledge": "Theo khoản tài trợ",
    "hospital_level": "Quà Tết theo tuyến bệnh viện",
    "hospital": "Quà Tết theo bệnh viện",
}
"""The Vietnamese title of each breakdown."""

HANDOVER_COLUMNS: Final = (
    ("on", "Ngày"),
    ("place", "Địa điểm"),
    ("leader", "Trưởng đoàn"),
    ("reference", "Văn bản"),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("tet_gifts", "Quà Tết"),
    ("value", "Giá trị (đ)"),
    ("people", "Số người"),
)
"""The columns of the handover ceremonies' table (keys of ``ansinh.core.handover.HandoverRow.as_dict()``)."""

HANDOVER_TITLE: Final = "Lễ trao tặng"
"""The title of the handover ceremonies' section and sheet."""

_COUNTED: Final = frozenset({"health_cards", "social_books", "tet_gifts", "value", "people"})

ROW_COLUMNS: Final = (
    ("label", ""),
    ("health_cards", "Thẻ BHYT"),
    ("social_books", "Sổ BHXH"),
    ("tet_gifts", "Quà Tết"),
    ("value", "Giá trị"),
    ("people", "Số người"),
    ("pledged", "Đăng ký"),
    ("received", "Đã nhận"),
    ("spent", "Đã chi"),
)
"""The columns a breakdown may show (a column whose values are all zero is left out)."""

_MONEY_COLUMNS: Final = frozenset({"value", "pledged", "received", "spent"})

_KIND_LABELS: Final = {
    ProductKind.HEALTH_CARD: "Thẻ BHYT",
    ProductKind.SOCIAL_BOOK: "Sổ BHXH",
    ProductKind.TET_GIFT: "Suất quà Tết",
}


@attrs.frozen(kw_only=True)
class TotalsLine:
    """One figure of the totals table, with its Vietnamese and English labels."""

    label: str
    label_en: str
    value: int
    money: bool = False
    """An amount in đồng (else a count)."""

    def text(self, lang: Literal["vi", "en"] = "vi") -> tuple[str, str]:
        """``(label, value)`` as a reader sees them: money as ``1.234 đ`` (``VND 1,234``), counts with separators."""
        shown = format_vnd(self.value, lang) if self.money else format_count(self.value, lang)
        return (self.label_en if lang == "en" else self.label), shown


@attrs.frozen(kw_only=True)
class TotalsGroup:
    """One part of the totals table: a title and its lines."""

    title: str
    title_en: str
    lines: tuple[TotalsLine, ...]

    def formatted(self, lang: Literal["vi", "en"] = "vi") -> tuple[tuple[str, str], ...]:
        """The lines as ``(label, value)`` texts (see :meth:`TotalsLine.text`)."""
        return tuple(line.text(lang) for line in self.lines)

    def heading(self, lang: Literal["vi", "en"] = "vi") -> str:
        """The title in *lang*."""
        return self.title_en if lang == "en" else self.title


def _kinds(report: CampaignReport) -> tuple[ProductKind, ...]:
    """The kinds of gift the report has (all three when it has none, as the totals always showed)."""
    present = tuple(k for k in ProductKind if report.count(k))
    return present or tuple(ProductKind)


_KIND_EN: Final = {
    ProductKind.HEALTH_CARD: "Health cards",
    ProductKind.SOCIAL_BOOK: "Social-insurance books",
    ProductKind.TET_GIFT: "Tết gifts",
}


def totals_groups(report: CampaignReport) -> tuple[TotalsGroup, ...]:
    """The totals table: money, gifts handed over, gifts allocated and not yet handed over, all gifts.

    Handed-over and allocated-only figures are in groups of their own, so a
    reader never puts "42 thẻ" beside "44 thẻ" without knowing which is which.
    """
    L = TotalsLine
    kinds = _kinds(report)
    pending = dict(report.pending)
    money = TotalsGroup(
        title="Tài trợ",
        title_en="Sponsorship",
        lines=(
            L(label="Nhà tài trợ", label_en="Sponsors", value=report.sponsors),
            L(label="Khoản tài trợ", label_en="Pledges", value=report.pledges),
            L(label="Số tiền đăng ký (đ)", label_en="Money pledged", value=report.pledged_money, money=True),
            L(label="Số tiền đã nhận (đ)", label_en="Money received", value=report.received, money=True),
            L(label="Số tiền đã phân bổ (đ)", label_en="Money committed", value=report.committed, money=True),
            L(label="Số tiền đã chi mua (đ)", label_en="Money spent", value=report.spent, money=True),
            L(
                label="Đã nhận chưa sử dụng (đ)",
                label_en="Received, not spent",
                value=report.leftover,
                money=True,
            ),
            L(
                label="Đăng ký chưa phân bổ (đ)",
                label_en="Pledged, not committed",
                value=report.uncommitted,
                money=True,
            ),
        ),
    )
    delivered = TotalsGroup(
        title="Đã trao",
        title_en="Delivered",
        lines=(
            *(
                L(
                    label=f"{_KIND_LABELS[k]} đã trao",
                    label_en=f"{_KIND_EN[k]} delivered",
                    value=report.count(k, delivered=True),
                )
                for k in kinds
            ),
            L(
                label="Giá trị đã trao (đ)",
                label_en="Value delivered",
                value=report.delivered_value,
                money=True,
            ),
        ),
    )
    waiting = TotalsGroup(
        title="Đã phân bổ, chưa trao",
        title_en="Allocated, not yet delivered",
        lines=(
            *(
                L(
                    label=f"{_KIND_LABELS[k]} chưa trao",
                    label_en=f"{_KIND_EN[k]} not yet delivered",
                    value=pending.get(k, 0),
                )
                for k in kinds
            ),
            L(
                label="Giá trị chưa trao (đ)",
                label_en="Value not yet delivered",
                value=report.pending_value,
                money=True,
            ),
        ),
    )
    allocated = TotalsGroup(
        title="Tổng đã phân bổ (kể cả đã trao)",
        title_en="All allocated (delivered or not)",
        lines=(
            *(L(label=_KIND_LABELS[k], label_en=_KIND_EN[k], value=report.count(k)) for k in ProductKind),
            L(label="Tổng giá trị (đ)", label_en="Total value", value=report.value, money=True),
            L(label="Số người được hỗ trợ", label_en="People covered", value=report.people_covered),
            L(
                label="Bình quân mỗi người (đ)",
                label_en="Cost per person",
                value=report.cost_per_person,
                money=True,
            ),
            L(label="Số tỉnh, thành phố", label_en="Provinces", value=len(report.provinces)),
            L(label="Sắp hết hạn (cần gia hạn)", label_en="Expiring soon", value=len(report.expiring)),
        ),
    )
    return money, delivered, waiting, allocated


def _cell(key: str, value: Any) -> str:
    """The text of a breakdown cell: the value of column *key* of a row."""
    if key in _MONEY_COLUMNS:
        return format_vnd(value) if value else "—"
    if isinstance(value, int):
        return format_count(value) if value else "—"
    return str(value)


def _column(rows: tuple[ReportRow, ...], key: str) -> list[str]:
    """The texts of column *key* of *rows* (:func:`_cell`), each distinct value formatted once.

    A breakdown of thousands of pledges holds a few hundred distinct counts and amounts.
    """
    # keyed by type too: equal values of two types (1, 1.0) need not read alike
    values = [(type(v), v) for v in (getattr(r, key) for r in rows)]
    texts = {value: _cell(key, value[1]) for value in set(values)}
    return [texts[value] for value in values]


def breakdown_columns(rows: tuple[ReportRow, ...]) -> list[tuple[str, str]]:
    """The columns worth showing: the label, then any column with a non-zero value."""
    return [(k, t) for k, t in ROW_COLUMNS if k == "label" or any(getattr(r, k) for r in rows)]


def _breakdowns(report: CampaignReport) -> list[dict[str, Any]]:
    out = []
    for dim in DIMENSIONS:
        rows = report.rows_for(dim)
        if rows:
            cols = breakdown_columns(rows)
            where = report.hospitals_text() if dim == "hospital" else ""
            numeric = [k != "label" for k, _ in cols]
            texts = [list(row) for row in zip(*(_column(rows, k) for k, _ in cols), strict=True)]
            out.append(
                {
                    "key": dim,
                    "title": DIMENSION_TITLES[dim],
                    "note": f"Quà Tết cho bệnh nhân có hoàn cảnh khó khăn {where}." if where else "",
                    "columns": [{"title": t, "numeric": n} for (_, t), n in zip(cols, numeric, strict=True)],
                    "rows": texts,
                    "cells": [list(zip(row, numeric, strict=True)) for row in texts],
                }
            )
    return out


def _handovers(report: CampaignReport) -> dict[str, Any]:
    """The handover ceremonies' table: dates dd/mm/yyyy, amounts and counts formatted."""
    rows = []
    for row in report.handovers:
        data = row.as_dict()
        cells = []
        for key, _ in HANDOVER_COLUMNS:
            value = data[key]
            if key == "on":
                cells.append(format_date(row.handover.on))
            elif key == "value":
                cells.append(format_vnd(value) if value else "—")
            elif isinstance(value, int):
                cells.append(format_count(value) if value else "—")
            else:
                cells.append(str(value))
        rows.append(cells)
    columns = [{"title": t, "numeric": k in _COUNTED} for k, t in HANDOVER_COLUMNS]
    return {"title": HANDOVER_TITLE, "columns": columns, "rows": rows}


def _date_words(day: dt.date) -> str:
    """The date line of an administrative document: "ngày 05 tháng 01 năm 2026"."""
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def report_context(report: CampaignReport, *, chart: str | None = None) -> dict[str, Any]:
    """What a report template sees.

    ``report`` (the :class:`~ansinh.core.reporting.CampaignReport`) and
    ``campaign``; ``date`` (``31/01/2026``) and ``date_words`` (``ngày 31
    tháng 01 năm 2026``, for the place and date line); ``summary_vi`` and
    ``summary_en``; ``totals`` (the :func:`totals_groups`, each with
    ``title``, ``heading(lang)`` and ``formatted(lang)`` lines);
    ``breakdowns`` (each with ``key``, ``title``, ``note`` — a sentence or
    empty —, ``columns`` — ``title``, ``numeric`` —, ``rows`` of cell
    texts, and ``cells``: the same rows with each text paired with its
    column's ``numeric``, ``{% for text, numeric in row %}``, which a table
    of thousands of rows prints much faster than looking the column up for
    each cell); ``handovers`` (the ceremonies: ``title``, ``columns``, ``rows``;
    no rows when there are none); ``expiring`` (each with ``person_id``, ``province``, ``kind``,
    ``valid_until``, ``days_left``) and ``renewal_days``; ``chart`` (the image
    file name, or ``None``).
    """
    return {
        "report": report,
        "campaign": report.campaign,
        "date": format_date(report.on),
        "date_words": _date_words(report.on),
        "summary_vi": report.summary_vi(),
        "summary_en": report.summary_en(),
        "totals": totals_groups(report),
        "breakdowns": _breakdowns(report),
        "handovers": _handovers(report),
        "expiring": [
            {
                "person_id": x.person_id,
                "province": x.province,
                "kind": x.kind.label_vi,
                "valid_until": format_date(x.valid_until),
                "days_left": x.days_left,
            }
            for x in report.expiring
        ],
        "renewal_days": report.renewal_days,
        "chart": chart,
    }


# -- layouts -------------------------------------------------------------------


@functools.cache
def _default_source(name: str) -> str:
    return importlib.resources.files("ansinh").joinpath("templates", name).read_text(encoding="utf-8")


def _markdown_finalize(value: object) -> object:
    """Every value a Markdown template prints, escaped (text marked ``|safe`` by the template excepted)."""
    return value if isinstance(value, Markup) else markdown_text(str(value))


def _markdown_finalizer() -> Callable[[object], object]:
    """:func:`_markdown_finalize` for one environment: each distinct text escaped once.

    A report prints the same counts and amounts thousands of times.
    """
    escaped: dict[str, str] = {}

    def finalize(value: object) -> object:
        if type(value) is not str:  # exactly str: not Markup
            return _markdown_finalize(value)
        text = escaped.get(value)
        if text is None:
            text = escaped[value] = markdown_text(value)
        return text

    return finalize


@attrs.frozen(kw_only=True)
class ReportLayout:
    """The templates a report is rendered with: ansinh's defaults, and a province's own in their place.

    >>> layout = ReportLayout()  # the default layout
    >>> layout.origin
    'ansinh'
    """

    templates: tuple[tuple[str, str], ...] = ()
    """``(name, source)`` of each template replacing the default of that name (see :data:`TEMPLATE_NAMES`)."""
    origin: str = "ansinh"
    """Where the templates come from, for messages (``letterhead/`` or ``plugin 'hy'``)."""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.templates, tuple) or not all(
            isinstance(t, tuple) and len(t) == 2 for t in self.templates
        ):
            raise CampaignFileError("templates", self.templates, "a tuple of (name, template text) pairs")
        if not isinstance(self.origin, str):
            raise CampaignFileError("origin", self.origin, "text saying where the templates come from")
        for name, source in self.templates:
            if name not in TEMPLATE_NAMES or not isinstance(source, str):
                raise CampaignFileError(
                    f"report template {self.origin}",
                    name,
                    "report.md.j2, report.html.j2 or public-list.md.j2, as text",
                )

    def _sources(self) -> dict[str, tuple[str, str]]:
        """Template name → (the name messages show, its text): the layout's own, then the defaults."""
        out = {f"{DEFAULT_PREFIX}{n}": (f"{DEFAULT_PREFIX}{n}", _default_source(n)) for n in TEMPLATE_NAMES}
        for name in TEMPLATE_NAMES:
            out[name] = out[f"{DEFAULT_PREFIX}{name}"]
        for name, source in self.templates:
            if self.origin.endswith("/"):
                shown = self.origin + name  # a folder: the file's own path
            elif self.origin.endswith(".j2"):
                shown = self.origin  # one file
            else:
                shown = f"{self.origin}: {name}"  # a plugin
            out[name] = (shown, source)
        return out

    def _load(self, name: str) -> tuple[str, str, Any] | None:
        found = self._sources().get(name)
        return None if found is None else (found[1], found[0], lambda: True)

    def _environment(self, name: str) -> jinja2.sandbox.SandboxedEnvironment:
        html = name.endswith(".html.j2")
        return jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.FunctionLoader(self._load),
            autoescape=html,
            finalize=None if html else _markdown_finalizer(),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def check(self) -> None:
        """Compile every template (its own and the default it extends): a syntax error is raised now.

        Raises:
            CampaignFileError: a template is not valid Jinja2 (the message names it and its line).
        """
        for name in TEMPLATE_NAMES:
            env = self._environment(name)
            try:
                env.get_template(name)
            except jinja2.TemplateError as exc:
                raise self._error(exc, name) from None

    def render(self, name: str, report: CampaignReport, *, chart: str | None = None) -> str:
        """Render the report template *name* (``report.md.j2`` or ``report.html.j2``) for *report*.

        Raises:
            CampaignFileError: the template is not valid or fails to render (naming it and its line).
        """
        if name not in TEMPLATE_NAMES[:2]:
            raise CampaignFileError("template", name, "one of " + ", ".join(TEMPLATE_NAMES[:2]))
        return self.render_with(name, report_context(report, chart=chart))

    def render_with(self, name: str, context: Mapping[str, object]) -> str:
        """Render the template *name* (one of :data:`TEMPLATE_NAMES`) with the names of *context*.

        Raises:
            CampaignFileError: the template is not valid or fails to render (naming it and its line).
        """
        if name not in TEMPLATE_NAMES:
            raise CampaignFileError("template", name, "one of " + ", ".join(TEMPLATE_NAMES))
        env = self._environment(name)
        try:
            return env.get_template(name).render(context)
        except Exception as exc:  # a template can raise anything: it is reported, never half-written
            raise self._error(exc, name) from None

    def _error(self, exc: BaseException, name: str) -> CampaignFileError:
        """*exc* as a :class:`CampaignFileError` naming the template, its line, and the line's text."""
        texts = dict(self._sources().values())
        where, line = self._sources()[name][0], 0
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where, line = exc.filename or where, exc.lineno
            problem = exc.message or str(exc)
        else:
            problem = f"{type(exc).__name__}: {exc}"
            for frame in reversed(traceback.extract_tb(exc.__traceback__)):
                if frame.filename in texts and frame.lineno:
                    where, line = frame.filename, frame.lineno
                    break
        lines = texts.get(where, "").splitlines()
        text = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        at = f"report template {where}" + (f" line {line}" if line else "")
        return CampaignFileError(at, text, "a Jinja2 template that renders: " + shorten(str(problem), 300))


def _read_template(path: Path, shown: str) -> str:
    try:
        return read_limited(path, MAX_TEMPLATE_BYTES, "MAX_TEMPLATE_BYTES", RosterError).decode("utf-8-sig")
    except (RosterError, UnicodeDecodeError) as exc:
        raise CampaignFileError(
            f"campaign.toml [report] template {shown}", "", f"a readable UTF-8 file ({exc})"
        ) from None


_BY_SUFFIX: Final = ("public-list.md.j2", "report.html.j2", "report.md.j2")  # the longest suffix first


def read_report_layout(folder: str | Path, template: str) -> ReportLayout:
    """The layout ``[report] template = "…"`` names: a folder or a template file inside the campaign *folder*.

    A folder holds ``report.html.j2``, ``report.md.j2`` and/or
    ``public-list.md.j2``; a file is one of them (its name says which:
    ``….html.j2``, ``….public-list.md.j2`` or ``….md.j2``).

    Raises:
        CampaignFileError: the path leads out of the campaign folder (absolute,
            ``..``, a link out), does not exist, holds no template, or cannot be read.
    """
    root = Path(folder)
    path = root / template
    try:
        inside = path.resolve().is_relative_to(root.resolve())
        kind = "folder" if path.is_dir() else "file" if path.is_file() else None
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        inside, kind = False, None
    if not inside:
        raise CampaignFileError(
            "campaign.toml [report] template",
            template,
            "a path inside the campaign folder (no absolute path, no ..)",
        )
    if kind == "folder":
        found = tuple(
            (n, _read_template(path / n, f"{template}/{n}")) for n in TEMPLATE_NAMES if (path / n).is_file()
        )
    elif kind == "file":
        name = next((n for n in _BY_SUFFIX if path.name.endswith(n.removeprefix("report"))), None)
        found = ((name, _read_template(path, template)),) if name else ()
    else:
        found = ()
    if not found:
        raise CampaignFileError(
            "campaign.toml [report] template",
            template,
            "a folder holding report.html.j2, report.md.j2 or public-list.md.j2, or a file named ….html.j2 or ….md.j2",
        )
    return ReportLayout(templates=found, origin=template.rstrip("/") + ("/" if kind == "folder" else ""))


def copy_example_letterhead(folder: str | os.PathLike[str]) -> Path:
    """Copy ansinh's example letterhead (a province office's) into ``<folder>/letterhead``, to edit.

    The two templates, ``report.html.j2`` and ``report.md.j2``, extend the
    default layout with the quốc hiệu, the tiêu ngữ, the issuing office, the
    place and date line and the signature block.  Files already there are kept.

    Returns:
        The ``letterhead`` folder; ``[report] template = "letterhead"`` in ``campaign.toml`` uses it.

    Raises:
        OutputFileError: a file cannot be written.
    """
    target = Path(folder) / "letterhead"
    for name in TEMPLATE_NAMES[:2]:
        if not (target / name).exists():
            write_atomic(target / name, _default_source(f"letterhead/{name}"))
    return target


def plugin_report_layout(host: PluginHost, campaign: Campaign) -> ReportLayout | None:
    """The layout of the first plugin answering :func:`~ansinh.hookspecs.ansinh_report_templates`, or ``None``.

    Plugins are asked in pluggy's order (a province's before the built-ins); each receives its own
    ``[plugins.NAME]`` settings, as every hook does.

    Raises:
        PluginError: a plugin raised, or answered something other than a mapping of
            ``report.md.j2`` / ``report.html.j2`` to template text (at most :data:`MAX_TEMPLATE_BYTES` each).
    """
    hook = "ansinh_report_templates"
    for impl in reversed(host.manager.hook.ansinh_report_templates.get_hookimpls()):
        plugin = impl.plugin_name
        if impl.wrapper or impl.hookwrapper:
            raise PluginError(plugin, hook, "hook wrappers are not supported on ansinh hooks")
        given = {"campaign": campaign, "settings": host.settings_of(plugin)}
        try:
            answer = impl.function(*(given[arg] for arg in impl.argnames))
        except Exception as exc:
            raise PluginError(plugin, hook, f"raised {shown(exc)}") from exc
        if answer is None:
            continue
        if not _is_templates(answer):
            raise PluginError(
                plugin,
                hook,
                f"returned {shown(answer)}; expected a mapping of report.md.j2 / report.html.j2 to text",
            )
        return ReportLayout(templates=tuple(sorted(answer.items())), origin=f"plugin {plugin!r}")
    return None


def _is_templates(answer: object) -> TypeGuard[Mapping[str, str]]:
    return (
        isinstance(answer, Mapping)
        and bool(answer)
        and all(
            k in TEMPLATE_NAMES and isinstance(v, str) and len(v.encode("utf-8")) <= MAX_TEMPLATE_BYTES
            for k, v in answer.items()
        )
    )
