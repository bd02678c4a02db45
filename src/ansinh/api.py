"""The public entry points that combine the core with province plugins.

The core (:mod:`ansinh.core`) takes what plugins contribute as plain
arguments; this module gathers those contributions from a
:class:`~ansinh.plugin_manager.PluginHost` and passes them in:

* :func:`price` — the top-ups of the person's province;
* :func:`check` and :func:`screen` — local rules, and priority parts;
* :func:`allocate` — the whole table of top-ups, and who belongs to an
  enterprise or congregation named by an earmark;
* all four — the dated commune lists the provinces supply
  (:func:`~ansinh.hookspecs.ansinh_commune_lists`), so the place-dependent
  national rules (:mod:`ansinh.core.places`) take effect.

A whole campaign folder is run by :func:`ansinh.io.run.run_campaign` (also
``ansinh.run_campaign``), which asks the plugins through this module; this
module reads and writes no file (the shipped law, :func:`ansinh.default_law`,
is loaded on first use).

Every function takes ``plugins=``:

* ``None`` (the default): the installed plugins — a host built by
  :func:`default_plugins` on first use (never at import) and then reused;
* ``False``: no plugins at all (not even the built-ins);
* a :class:`~ansinh.plugin_manager.PluginHost` (e.g. from
  :func:`ansinh.testing.plugin_host`) or a ``pluggy.PluginManager`` for the
  project ``ansinh``.

A plugin that fails raises :class:`~ansinh.exceptions.PluginError` before
anything is computed, so nothing is left half done.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pluggy

from ansinh.core import pricing
from ansinh.core.campaign import Campaign
from ansinh.core.dates import is_date
from ansinh.core.law import Law
from ansinh.core.people import Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Participant, Quote
from ansinh.core.products import Product, ProductKind
from ansinh.core.validators import items
from ansinh.exceptions import InvalidValueError
from ansinh.plugin_manager import PluginHost

if TYPE_CHECKING:
    from ansinh.core.allocation import Allocation, CandidateLike
    from ansinh.core.eligibility import Decision, Screening
    from ansinh.core.ledger import LedgerState

__all__ = [
    "affiliations_from_plugins",
    "allocate",
    "check",
    "commune_lists_of",
    "default_plugins",
    "local_supports_for",
    "price",
    "resolve_law",
    "resolve_plugins",
    "screen",
]


@functools.cache
def default_plugins() -> PluginHost:
    """The installed plugins: a host built on first use, then reused.

    Plugins named in the environment variable ``ANSINH_DISABLE_PLUGINS``
    (comma-separated) are not loaded; one that cannot be loaded is skipped
    with a :class:`~ansinh.exceptions.PluginLoadWarning`, once.  Call
    ``default_plugins.cache_clear()`` after installing a plugin in a running
    interpreter.
    """
    from ansinh.plugin_manager import disabled_plugins, get_plugin_manager

    return get_plugin_manager(blocked=disabled_plugins())


def resolve_plugins(plugins: PluginHost | pluggy.PluginManager | bool | None) -> PluginHost | None:
    """The host that ``plugins=`` stands for, or ``None`` for "no plugins".

    Raises:
        InvalidValueError: *plugins* is not one of the accepted values.
    """
    if plugins is None or plugins is True:
        return default_plugins()
    if plugins is False:
        return None
    if isinstance(plugins, PluginHost):
        return plugins
    if isinstance(plugins, pluggy.PluginManager):
        return PluginHost(plugins)
    raise InvalidValueError(
        "plugins", plugins, "None (installed plugins), False (none), a PluginHost or a pluggy.PluginManager"
    )


def resolve_law(law: Law | None) -> Law:
    """*law*, or the shipped law (:func:`ansinh.default_law`) for ``None``.

    Raises:
        InvalidValueError: *law* is neither a :class:`~ansinh.Law` nor ``None``.
    """
    if law is None:
        from ansinh.data import default_law

        return default_law()
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law or None (the shipped law)")
    return law


def local_supports_for(
    product: Product, who: Participant | None, *, on: dt.date, plugins: PluginHost | None
) -> tuple[LocalSupport, ...]:
    """The top-ups the plugins offer for *who*'s province, *product* and *on* (``()`` without a province)."""
    province = getattr(who, "province", None)
    if plugins is None or not isinstance(province, str):
        return ()
    kind = getattr(product, "kind", None)
    if not isinstance(kind, ProductKind) or not is_date(on):
        return ()  # the core reports the bad argument
    return plugins.local_supports(province=province, product=kind, on=on)


def commune_lists_of(plugins: PluginHost | None) -> tuple[CommuneList, ...]:
    """The dated commune lists the plugins supply (``()`` without plugins).

    Raises:
        PluginError: a plugin failed.
    """
    return plugins.all_commune_lists() if plugins is not None else ()


def price(
    product: Product,
    who: Participant | None = None,
    *,
    on: dt.date,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> Quote:
    """Price *product* for *who* on the purchase date *on*, with provincial top-ups.

    See :func:`ansinh.core.pricing.price` for the computation; the plugins
    contribute the top-ups of the person's province
    (:func:`~ansinh.hookspecs.ansinh_local_support`) and the commune lists
    (:func:`~ansinh.hookspecs.ansinh_commune_lists`) the person's ``commune`` is
    looked up in.

    Args:
        product: a :class:`~ansinh.HealthCard`, :class:`~ansinh.SocialBook` or
            :class:`~ansinh.TetGift`.
        who: who receives it (a :class:`~ansinh.Person`, or anything with
            ``categories``, ``province`` and ``vsi_supported_months``);
            ``None`` prices it for a general participant.
        on: the purchase date.
        law: the parameters to use (default: the shipped law).
        plugins: which plugins contribute (see the module docstring).

    Raises:
        PluginError: a plugin failed.
        InvalidProductError: the product does not fit the law of that date.

    >>> import datetime as dt, ansinh
    >>> q = ansinh.price(ansinh.SocialBook(months=12), on=dt.date(2026, 1, 1))
    >>> q.gross, q.state_support, q.payable
    (3960000, 792000, 3168000)
    >>> from ansinh.testing import sample_person
    >>> q = ansinh.price(ansinh.SocialBook(months=1), sample_person(province="01"), on=dt.date(2026, 3, 1))
    >>> q.gross, q.state_support, q.local_support, q.payable
    (330000, 66000, 33000, 231000)
    """
    law = resolve_law(law)
    host = resolve_plugins(plugins)
    supports = local_supports_for(product, who, on=on, plugins=host)
    lists = commune_lists_of(host)
    return pricing.price(product, who, on=on, law=law, local_supports=supports, commune_lists=lists)


def check(
    person: Person,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> Decision:
    """Decide whether *product* can be given to *person* on *on*, with the plugins' local rules.

    See :func:`ansinh.core.eligibility.check`; the plugins contribute extra
    rules (:func:`~ansinh.hookspecs.ansinh_eligibility_rules`) and the top-ups of
    the person's province and the commune lists (a gift the budgets pay in full
    is ``FULLY_SUPPORTED``).

    Raises:
        PluginError: a plugin, or one of its rules, failed.
        InvalidValueError: an argument has the wrong type.

    >>> import datetime as dt, ansinh
    >>> from ansinh.testing import sample_person
    >>> from ansinh.api import check
    >>> check(sample_person(), ansinh.SocialBook(months=12), on=dt.date(2026, 1, 1)).eligible
    True
    """
    from ansinh.core import eligibility

    law = resolve_law(law)
    host = resolve_plugins(plugins)
    rules = host.eligibility_rules(product) if host is not None and _is_product(product) else ()
    supports = local_supports_for(product, person, on=on, plugins=host)
    policy = host.priority_policy(campaign) if host is not None else None
    return eligibility.check(
        person,
        product,
        on=on,
        campaign=campaign,
        law=law,
        rules=rules,
        local_supports=supports,
        priority_policy=policy or eligibility.DEFAULT_PRIORITY_POLICY,
        commune_lists=commune_lists_of(host),
    )


def screen(
    people: Iterable[Person],
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> Screening:
    """Check every person and rank them, with the plugins' rules and priority parts.

    See :func:`ansinh.core.eligibility.screen`; the plugins contribute extra
    rules and priority parts (:func:`~ansinh.hookspecs.ansinh_priority`), the
    top-ups and the commune lists, and may replace the table of priority points
    (:func:`~ansinh.hookspecs.ansinh_priority_policy`).

    Raises:
        PluginError: a plugin failed (no screening is returned).
        InvalidValueError: an argument has the wrong type.
    """
    from ansinh.core import eligibility

    law = resolve_law(law)
    host = resolve_plugins(plugins)
    if host is None or not _is_product(product):
        return eligibility.screen(people, product, on=on, campaign=campaign, law=law)
    if not isinstance(campaign, Campaign | None):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign or None")
    return eligibility.screen(
        people,
        product,
        on=on,
        campaign=campaign,
        law=law,
        rules=host.eligibility_rules(product),
        extra_priority=host.priority_function(campaign),
        local_supports=host.all_local_supports(),
        priority_policy=host.priority_policy(campaign) or eligibility.DEFAULT_PRIORITY_POLICY,
        commune_lists=host.all_commune_lists(),
    )


def affiliations_from_plugins(
    state: LedgerState, candidates: Iterable[CandidateLike], *, plugins: PluginHost | None
) -> dict[str, tuple[str, ...]]:
    """Person id → the earmark targets the plugins say the person belongs to.

    Asks :func:`~ansinh.hookspecs.ansinh_earmark_matches` about every
    earmark of kind "workers' relatives" or "members" among the pledges of
    *state* and every candidate; only the province knows who those people are.

    Raises:
        PluginError: a plugin failed.
    """
    from ansinh.core.campaign import EarmarkKind

    if plugins is None:
        return {}
    kinds = (EarmarkKind.WORKERS_RELATIVES, EarmarkKind.MEMBERS)
    earmarks = {
        b.pledge.earmark
        for b in state.pledges
        if b.pledge.earmark is not None and b.pledge.earmark.kind in kinds
    }
    out: dict[str, tuple[str, ...]] = {}
    if not earmarks:  # no pledge needs the plugins' word: nobody is asked about
        return out
    for candidate in candidates:
        person = candidate.person
        targets = tuple(sorted({e.target for e in earmarks if plugins.earmark_matches(e, person) is True}))
        if targets:
            out[person.id] = tuple(sorted({*out.get(person.id, ()), *targets}))
    return out


def allocate(
    state: LedgerState,
    candidates: Iterable[CandidateLike],
    *,
    on: dt.date,
    law: Law | None = None,
    affiliations: Mapping[str, Iterable[str]] | None = None,
    money_buys: ProductKind = ProductKind.HEALTH_CARD,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
) -> Allocation:
    """Match pledges to candidates, with the plugins' top-ups and earmark knowledge.

    See :func:`ansinh.core.allocation.allocate`.  The plugins contribute the
    whole table of provincial top-ups (gifts are priced with them) and, through
    :func:`~ansinh.hookspecs.ansinh_earmark_matches`, who belongs to which
    enterprise or congregation; *affiliations* given here are added to theirs.
    Their commune lists are passed too, so a gift the state pays in full for a
    person's commune is never bought.

    Raises:
        PluginError: a plugin failed (nothing is allocated).
        InvalidValueError: an argument has the wrong type.
    """
    from ansinh.core import allocation
    from ansinh.core.ledger import LedgerState

    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    if affiliations is not None and not isinstance(affiliations, Mapping):
        raise InvalidValueError(
            "affiliations", affiliations, "a mapping person id -> earmark targets, or None"
        )
    law = resolve_law(law)
    host = resolve_plugins(plugins)
    people = items("candidates", candidates, "a collection of candidates (Decision or Candidate)")
    supports = host.all_local_supports() if host is not None else ()
    merged: dict[str, tuple[str, ...]] = {}
    if all(hasattr(c, "person") for c in people):  # else core names the bad candidate
        merged = affiliations_from_plugins(state, people, plugins=host)
    for person_id, targets in (affiliations or {}).items():
        merged[person_id] = tuple(
            sorted(
                {
                    *merged.get(person_id, ()),
                    *items(f"affiliations[{person_id!r}]", targets, "earmark targets"),
                }
            )
        )
    return allocation.allocate(
        state,
        people,
        on=on,
        law=law,
        local_supports=supports,
        affiliations=merged,
        money_buys=money_buys,
        commune_lists=commune_lists_of(host),
    )


def _is_product(product: object) -> bool:
    return isinstance(getattr(product, "kind", None), ProductKind)
