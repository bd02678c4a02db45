"""The hooks a province plugin implements (project name and entry-point group ``ansinh``).

Each hook below is a module-level function whose docstring is the single
source of its documentation.  A plugin is any module or object with
functions of the same names, marked with :data:`hookimpl`::

    import ansinh

    @ansinh.hookimpl
    def ansinh_eligibility_rules(product):
        return (MyRule(),)

A plugin implements only the hooks it needs and may accept only the
arguments it uses (pluggy passes arguments by name).  Every hook may take a
``settings`` argument: the plugin's own ``[plugins.NAME]`` table of the
campaign's ``campaign.toml`` (like a datasette plugin's configuration), an
empty mapping outside a campaign run::

    @ansinh.hookimpl
    def ansinh_priority(candidate, settings):
        points = int(settings.get("flood_points", 3))
        return (("hy.flood", points),) if candidate.commune in settings.get("flooded", ()) else None

Hooks are called through :class:`ansinh.plugin_manager.PluginHost`, which checks every result's
type and reports a failure as :class:`~ansinh.exceptions.PluginError` naming
the plugin and the hook.

Besides the five hooks of the design, :func:`ansinh_earmark_matches` exists
because a real province needs it: a workplace drive is earmarked for "the
relatives of this enterprise's workers" and a religious body's gift for "our
members", and only the province's own rosters know who those people are —
nothing on :class:`~ansinh.Person` says so.

The types exchanged by the hooks are defined here too:
:class:`SourcingStrategy` (a way of raising resources) and
:class:`SourcingResult` (the sponsors and pledges it produced, with its
assumptions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, runtime_checkable

import attrs
import pluggy

from ansinh.core.campaign import Campaign, Earmark, LocalSponsorKind, Pledge, Sponsor
from ansinh.core.eligibility.priorities import PriorityPolicy
from ansinh.core.law import Parameter
from ansinh.core.people import Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError

if TYPE_CHECKING:
    from ansinh.core.eligibility import Rule

__all__ = [
    "PROJECT_NAME",
    "SourcingResult",
    "SourcingStrategy",
    "ansinh_commune_lists",
    "ansinh_earmark_matches",
    "ansinh_eligibility_rules",
    "ansinh_local_support",
    "ansinh_parameters",
    "ansinh_participation",
    "ansinh_priority",
    "ansinh_priority_policy",
    "ansinh_report_templates",
    "ansinh_sourcing_strategies",
    "ansinh_sponsor_kinds",
    "hookimpl",
    "hookspec",
]

PROJECT_NAME = "ansinh"
"""The pluggy project name, which is also the entry-point group plugins register under."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
"""Marks the hook specifications below (for ansinh itself, not for plugins)."""

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marks a plugin's hook implementation; re-exported as ``ansinh.hookimpl``.

Use ``@hookimpl(trylast=True)`` for a default another plugin may override,
``@hookimpl(tryfirst=True)`` to come before the others.
"""


# -- types exchanged by the hooks ---------------------------------------------


def _tuple_of(kind: type, field: str) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(_inst: object, _attr: object, value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(v, kind) for v in value):
            raise InvalidValueError(field, value, f"a tuple of {kind.__name__}")

    return check


@attrs.frozen(kw_only=True)
class SourcingResult:
    """What a sourcing strategy produced: sponsors, their pledges, and the assumptions used.

    ``assumptions`` are sentences with the numbers used, so a clerk can see how
    every pledge was arrived at (e.g. "60% of the 1,200 workers of Công ty X
    give 50,000 đồng").
    """

    strategy: str
    """The :attr:`SourcingStrategy.name` that produced it."""
    sponsors: tuple[Sponsor, ...] = attrs.field(default=(), validator=_tuple_of(Sponsor, "sponsors"))
    pledges: tuple[Pledge, ...] = attrs.field(default=(), validator=_tuple_of(Pledge, "pledges"))
    assumptions: tuple[str, ...] = attrs.field(default=(), validator=_tuple_of(str, "assumptions"))

    @property
    def money(self) -> int:
        """Total money pledged, in đồng."""
        return sum(p.money for p in self.pledges)

    def units_of(self, kind: ProductKind) -> int:
        """Total gifts of *kind* pledged as units."""
        return sum(p.units_of(kind) for p in self.pledges)


@runtime_checkable
class SourcingStrategy(Protocol):
    """A way a province mobilises resources, configured with its local inputs.

    A strategy *class* is what :func:`ansinh_sourcing_strategies` returns; an
    *instance* holds the local inputs (enterprises and their workers, sales
    volumes, head-counts …) and turns them into pledges with
    :meth:`source`.  Built-in strategies live in
    :mod:`ansinh.plugins.sourcing`.
    """

    name: ClassVar[str]
    """Stable code, e.g. ``"workplace_drive"``; a plugin overrides a strategy by reusing its name."""
    label_vi: ClassVar[str]
    """Vietnamese name."""
    label_en: ClassVar[str]
    """English name."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Self:
        """Build the strategy from plain data (a parsed TOML or JSON table).

        Raises:
            InvalidValueError: a field is missing, unknown or malformed.
        """
        ...  # pragma: no cover

    def source(self, campaign: Campaign) -> SourcingResult:
        """The sponsors and pledges these inputs give for *campaign*, with the assumptions used."""
        ...  # pragma: no cover


# -- hook specifications --------------------------------------------------------


@hookspec
def ansinh_sourcing_strategies(  # type: ignore[empty-body]
    settings: Mapping[str, object],
) -> Iterable[type[SourcingStrategy]]:
    """Contribute ways of raising resources (sourcing strategies).

    Return the strategy *classes* the plugin offers; each is configured with
    local inputs and turns them into pledges (see :class:`SourcingStrategy`).
    All plugins' results are collected.  When two plugins offer a strategy
    with the same :attr:`~SourcingStrategy.name`, the one called first wins:
    the built-ins are ``trylast``, so a province's own variant replaces them.

    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of strategy classes (may be empty).
    """


@hookspec
def ansinh_local_support(  # type: ignore[empty-body]
    province: str | None, product: ProductKind | None, on: dt.date | None, settings: Mapping[str, object]
) -> Iterable[LocalSupport]:
    """Contribute provincial budget top-ups on top of state support (ngân sách địa phương hỗ trợ).

    Return the :class:`~ansinh.LocalSupport` programmes matching the filter.
    ``None`` in an argument means "any": bulk pricing asks once with all
    three ``None`` for the whole dated table, so a plugin must be able to
    answer for every province and date.  All plugins' results are
    collected; the caller filters them again with
    :meth:`LocalSupport.applies <ansinh.LocalSupport.applies>`, and the
    pricing caps state plus local support at the contribution.

    :param province: code of the current province-level unit, or ``None`` for all provinces.
    :param product: the kind of gift being priced, or ``None`` for all kinds.
    :param on: the purchase date, or ``None`` for every date.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of :class:`~ansinh.LocalSupport` (may be empty).
    """


@hookspec
def ansinh_commune_lists(settings: Mapping[str, object]) -> Iterable[CommuneList]:  # type: ignore[empty-body]
    """Contribute dated commune lists (poor communes, difficult areas) for the place-dependent national rules.

    Return the plugin's whole dated table of :class:`~ansinh.core.places.CommuneList`
    values (each says its province, kind, communes, dates, source and status;
    :func:`~ansinh.core.places.parse_commune_lists` reads them from a TOML
    file's ``[[commune_list]]`` tables).  The host filters nothing: pricing
    reads a list only for a person of its province living in one of its
    communes on its dates (:func:`~ansinh.core.places.place_groups`), so a
    near-poor person in a poor commune has the whole card paid by the state
    from 2025-07-01 (Decree 188/2025 Art. 6.6).  All plugins' results are
    collected; when two plugins give a list with the same ``code``, the one
    called first wins (the built-ins are ``trylast``).

    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of :class:`~ansinh.core.places.CommuneList` (may be empty).
    """


@hookspec
def ansinh_eligibility_rules(  # type: ignore[empty-body]
    product: ProductKind, settings: Mapping[str, object]
) -> Iterable[Rule]:
    """Contribute local eligibility rules for a kind of gift.

    Each rule has a stable ``code`` and an ``evaluate(ctx)`` method returning
    a reason when the person is *not* eligible (or ``None``), see
    :class:`ansinh.core.eligibility.Rule`.  The rules are added to the legal
    ones in :func:`ansinh.api.check` and :func:`ansinh.api.screen`; all plugins'
    results are collected, in call order.

    :param product: the kind of gift being checked.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of rules (may be empty).
    """


@hookspec
def ansinh_priority(
    candidate: Person, campaign: Campaign | None, settings: Mapping[str, object]
) -> Iterable[tuple[str, int]] | None:
    """Contribute to a candidate's priority when gifts are scarce.

    Return named parts ``(code, points)``, e.g. ``(("hy.flood_2025", 3),)``;
    they are added to the legal priority and shown as its explanation.  Use
    a code prefixed with your plugin's name so parts stay traceable.  All
    plugins' parts are collected, in call order.

    :param candidate: the person being ranked.
    :param campaign: the campaign the ranking is for, or ``None``.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of ``(code, points)`` pairs, or ``None`` for nothing.
    """


@hookspec(firstresult=True)
def ansinh_priority_policy(
    campaign: Campaign | None, settings: Mapping[str, object]
) -> PriorityPolicy | None:
    """Replace ansinh's table of priority points with the province's own, declared with its source.

    Priority points are local policy: return a
    :class:`~ansinh.core.eligibility.PriorityPolicy` naming the decision it
    comes from (``source``), or ``None`` to leave the default.  A campaign
    folder's ``priority.toml`` takes precedence over a plugin.  The parts of
    :func:`ansinh_priority` are still added on top.  This hook stops at first
    non-None result.

    :param campaign: the campaign being screened, or ``None``.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: a :class:`~ansinh.core.eligibility.PriorityPolicy`, or ``None``.
    """


@hookspec
def ansinh_parameters(settings: Mapping[str, object]) -> Iterable[Parameter]:  # type: ignore[empty-body]
    """Contribute extra dated parameters (a province's own, with their sources).

    Each :class:`~ansinh.Parameter` carries its full history of
    :class:`~ansinh.DatedValue` entries with citations.  A parameter whose
    name the law already defines with different values is a conflict and is
    reported as :class:`~ansinh.exceptions.PluginError`: a plugin may add to
    the law, never change it.  Prefix names with the province (e.g.
    ``"hy_drive_default_share"``).

    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of :class:`~ansinh.Parameter` (may be empty).
    """


@hookspec(firstresult=True)
def ansinh_earmark_matches(earmark: Earmark, person: Person, settings: Mapping[str, object]) -> bool | None:
    """Say whether *person* is someone an earmarked pledge may pay for.

    Only the province knows who the relatives of an enterprise's workers are,
    or who belongs to a congregation: answer ``True`` or ``False`` for the
    earmarks you know, and ``None`` for the others.  This hook stops at
    first non-None result.

    :param earmark: the pledge's earmark (its ``kind`` and ``target``).
    :param person: the candidate.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: ``True``/``False``, or ``None`` when this plugin does not know.
    """


@hookspec(firstresult=True)
def ansinh_participation(person: Person, on: dt.date, settings: Mapping[str, object]) -> str | None:
    """Say how *person* stood on *on*, the day after a gifted card or book ended (follow-up).

    A province that can look a person up in another BHXH system (by CCCD or
    mã số BHXH) answers ``"renewed_by_person"`` (they went on paying
    themselves) or ``"lapsed"``; ``None`` when it does not know.  A renewal
    by a sponsor is seen in the registry itself
    (:func:`ansinh.core.registry.follow_up`).  This hook stops at first
    non-None result.

    :param person: the person whose gift ended (identifiers unmasked: keep them inside your system).
    :param on: the first day after the gift.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: ``"renewed_by_person"``, ``"lapsed"`` (a :class:`~ansinh.core.registry.FollowUpStatus` value) or ``None``.
    """


@hookspec
def ansinh_sponsor_kinds(settings: Mapping[str, object]) -> Iterable[LocalSponsorKind]:  # type: ignore[empty-body]
    """Contribute sponsor kinds the built-in ones lack (cooperatives — hợp tác xã —, foreign donors …).

    A sponsor of such a kind is a :class:`~ansinh.core.campaign.Sponsor` with
    ``kind="other"`` and ``local_kind`` set to the kind's code; sponsor files
    may write the code, either label or an alias.  Reports group sponsors by
    :attr:`~ansinh.core.campaign.Sponsor.kind_key`.  All plugins' results are
    collected; two plugins giving one code different labels is a
    :class:`~ansinh.exceptions.PluginError`.

    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: an iterable of :class:`~ansinh.core.campaign.LocalSponsorKind` (may be empty).
    """


@hookspec(firstresult=True)
def ansinh_report_templates(campaign: Campaign, settings: Mapping[str, object]) -> Mapping[str, str] | None:
    """Give the province's own report layout: its letterhead, its signature block.

    Return a mapping of template names — ``"report.html.j2"`` (the HTML page)
    and/or ``"report.md.j2"`` (the Markdown report) — to Jinja2 template text,
    or ``None`` to leave ansinh's default layout.  A template usually extends
    the default (``{% extends "ansinh/report.html.j2" %}``) and overrides its
    ``letterhead`` and ``signature`` blocks; the names it sees are listed in
    :func:`ansinh.io.report_templates.report_context`.  Templates run in
    Jinja2's sandbox and every value they print is escaped.  Ship the files as
    package data and read them with :mod:`importlib.resources`.  A campaign
    folder's ``[report] template`` takes precedence over a plugin.  This hook
    stops at first non-None result.

    :param campaign: the campaign whose report is written.
    :param settings: this plugin's own ``[plugins.NAME]`` table of ``campaign.toml`` (read-only; empty when none).
    :return: a mapping of ``"report.html.j2"`` / ``"report.md.j2"`` to template text, or ``None``.
    """
