"""Finding, loading and calling plugins, with a typed facade.

:func:`get_plugin_manager` builds a :class:`PluginHost`: a pluggy
``PluginManager`` for the project ``ansinh`` with the hookspecs of
:mod:`ansinh.hookspecs`, the built-in plugins (registered exactly like
third-party ones; their hooks are ``trylast`` so a province overrides them),
the plugins installed under the entry-point group ``ansinh``, and
``check_pending()``.  Nothing is loaded when ``ansinh`` is imported.

The host calls each hook through one typed method, so no ``Any`` from
``pm.hook`` reaches the domain.  Every result is checked; a plugin that
raises or returns the wrong type is reported as
:class:`~ansinh.exceptions.PluginError` naming the plugin and the hook, and
the method returns nothing, so whatever was being computed stays unchanged.

Implementations are called one by one, in pluggy's order (``tryfirst``
first, then the most recently registered, ``trylast`` last), so that a
failure can be pinned on the plugin that caused it.  Hook wrappers are
therefore not supported on ``ansinh`` hooks.

>>> host = get_plugin_manager(load_entrypoints=False)
>>> [p.name for p in host.plugins()]
['ansinh.sourcing', 'ansinh.local_support']
>>> import datetime as dt
>>> from ansinh.core.products import ProductKind
>>> [s.code for s in host.local_supports(province="01", product=ProductKind.SOCIAL_BOOK,
...                                      on=dt.date(2026, 3, 1))]
['hanoi-vsi-2026']
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.metadata
import os
import types
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Final, cast, final

import pluggy

from ansinh import hookspecs
from ansinh._plugin_values import (
    _INVENTORY,
    Contribution,
    PluginInfo,
    PluginRule,
    _is_part,
    _is_rule,
    _is_strategy,
    _kind_of,
    _uncovered,
    described,
    raised,
)
from ansinh.core import validators
from ansinh.core.campaign import Campaign, Earmark, LocalSponsorKind
from ansinh.core.dates import check_date
from ansinh.core.eligibility.priorities import PriorityPolicy
from ansinh.core.law import Law, Parameter
from ansinh.core.messages import shown
from ansinh.core.people import Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import Product, ProductKind
from ansinh.core.registry import FollowUpStatus
from ansinh.exceptions import AnsinhError, InvalidValueError, LawDataError, PluginError, PluginLoadWarning
from ansinh.hookspecs import PROJECT_NAME, SourcingResult, SourcingStrategy

if TYPE_CHECKING:
    from ansinh.core.eligibility import Rule

__all__ = [
    "BUILTIN_PLUGINS",
    "DISABLE_ENV",
    "Contribution",
    "PluginHost",
    "PluginInfo",
    "disabled_plugins",
    "get_plugin_manager",
]

BUILTIN_PLUGINS: Final = ("ansinh.sourcing", "ansinh.local_support")
"""Names the built-in plugins are registered under (block them with ``blocked=``)."""

DISABLE_ENV: Final = "ANSINH_DISABLE_PLUGINS"
"""The environment variable naming plugins not to load (comma- or space-separated)."""


def disabled_plugins(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The plugin names :data:`DISABLE_ENV` lists in *environ* (default: ``os.environ``).

    >>> disabled_plugins({"ANSINH_DISABLE_PLUGINS": "hung_yen, thai_nguyen"})
    ('hung_yen', 'thai_nguyen')
    """
    text = (os.environ if environ is None else environ).get(DISABLE_ENV, "")
    return tuple(name for name in text.replace(",", " ").split() if name)


def _builtin_plugins() -> tuple[tuple[str, object], ...]:
    # Imported here, not at module level: building a manager is the only time
    # the built-ins are needed, and ansinh must not load plugins on import.
    from ansinh.plugins import local_support, sourcing

    return (("ansinh.sourcing", sourcing), ("ansinh.local_support", local_support))


@final
class PluginHost:
    """A typed facade over a pluggy ``PluginManager`` for the ``ansinh`` hooks.

    Build one with :func:`get_plugin_manager`; :mod:`ansinh.testing` builds
    one holding only the plugins under test.  Each hook has one method here;
    each checks what every plugin returned.

    Args:
        manager: a ``pluggy.PluginManager`` for the project ``ansinh`` that
            already has the hookspecs; ``None`` makes an empty one.

    Raises:
        InvalidValueError: *manager* is not an ansinh plugin manager.
    """

    __slots__ = ("_broken", "_builtins", "_pm", "_settings", "_table_cache")

    def __init__(self, manager: pluggy.PluginManager | None = None) -> None:
        if manager is None:
            manager = pluggy.PluginManager(PROJECT_NAME)
            manager.add_hookspecs(hookspecs)
        elif not isinstance(manager, pluggy.PluginManager) or manager.project_name != PROJECT_NAME:
            raise InvalidValueError(
                "manager", manager, f"a pluggy.PluginManager for the project {PROJECT_NAME!r}"
            )
        elif not hasattr(manager.hook, "ansinh_local_support"):
            manager.add_hookspecs(hookspecs)
        self._pm: Final = manager
        self._builtins: set[str] = set()
        self._broken: dict[str, PluginInfo] = {}
        self._settings: dict[str, Mapping[str, object]] = {}
        self._table_cache: tuple[frozenset[int], tuple[LocalSupport, ...]] | None = None

    def __repr__(self) -> str:
        names = ", ".join(p.name for p in self.plugins())
        return f"PluginHost([{names}])"

    @property
    def manager(self) -> pluggy.PluginManager:
        """The underlying pluggy ``PluginManager`` (for advanced use)."""
        return self._pm

    # -- registration ---------------------------------------------------------

    def register(self, plugin: object, name: str | None = None, *, builtin: bool = False) -> str:
        """Register *plugin* (a module or an object with hook functions) and return its name.

        Without *name*, a module is registered under its ``__name__`` and an
        object under its class name (``Class-2``, ``Class-3`` … if taken).

        Raises:
            PluginError: a hook function does not match its specification, an
                ``ansinh_*`` function is not a known hook, or the name is taken.
        """
        if name is None and not isinstance(plugin, types.ModuleType):
            # pluggy would name an object by its id(); its class name reads better in errors and lists
            base = type(plugin).__qualname__
            name, n = base, 2
            while self._pm.get_plugin(name) is not None:
                name, n = f"{base}-{n}", n + 1
        label = name or getattr(plugin, "__name__", None) or type(plugin).__name__
        try:
            registered = self._pm.register(plugin, name=name)
        except (ValueError, pluggy.PluginValidationError) as exc:
            raise PluginError(label, "register", str(exc)) from None
        if registered is None:
            raise PluginError(label, "register", "the name is blocked")
        try:
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self._pm.unregister(plugin)
            raise PluginError(registered, "check_pending", str(exc)) from None
        if builtin:
            self._builtins.add(registered)
        return registered

    def unregister(self, name: str) -> None:
        """Remove the plugin registered as *name* (nothing if there is none)."""
        plugin = self._pm.get_plugin(name)
        if plugin is not None:
            self._pm.unregister(plugin)
        self._builtins.discard(name)

    def is_registered(self, name: str) -> bool:
        """Whether a plugin is registered under *name*."""
        return self._pm.get_plugin(name) is not None

    def plugins(self, *, contributions: bool = False) -> tuple[PluginInfo, ...]:
        """Every registered plugin with its distribution and hooks, then the broken ones.

        Args:
            contributions: also ask each plugin what it contributes (strategies,
                top-up programmes, rules, parameters); a plugin failing then is
                listed with its :attr:`~PluginInfo.error` instead of raising.
        """
        from ansinh import __version__

        dists: dict[int, importlib.metadata.Distribution] = {
            id(plugin): dist for plugin, dist in self._pm.list_plugin_distributions()
        }
        out = []
        for name, plugin in self._pm.list_name_plugin():
            if plugin is None:  # a blocked name
                continue
            callers = self._pm.get_hookcallers(plugin) or []
            dist = dists.get(id(plugin))
            builtin = name in self._builtins
            given, error = self._contributions_of(plugin) if contributions else ((), None)
            out.append(
                PluginInfo(
                    name=name,
                    distribution="ansinh" if builtin else None if dist is None else dist.metadata["Name"],
                    version=__version__ if builtin else None if dist is None else dist.version,
                    hooks=tuple(sorted(c.name for c in callers)),
                    builtin=builtin,
                    contributes=given,
                    error=error,
                )
            )
        return (*out, *self._broken.values())

    def describe(self, *, contributions: bool = False) -> str:
        """The plugin list as text, one plugin per line (what ``ansinh plugins`` prints)."""
        return "\n".join(p.describe() for p in self.plugins(contributions=contributions)) or "no plugins"

    def _contributions_of(self, plugin: object) -> tuple[tuple[Contribution, ...], str | None]:
        """What *plugin* contributes, by hook; the error of the first hook that failed."""
        out: list[Contribution] = []
        try:
            for caller in self._pm.get_hookcallers(plugin) or []:
                inventory = _INVENTORY.get(caller.name)
                if inventory is None:
                    continue
                kind, check, expected, calls, key = inventory
                names: set[str] = set()
                for impl in caller.get_hookimpls():
                    if impl.plugin is plugin:
                        for kwargs in calls:
                            names.update(
                                key(item)
                                for item in self._call_one(impl, caller.name, check, expected, kwargs)
                            )
                if names:
                    out.append(Contribution(kind, tuple(sorted(names))))
        except PluginError as exc:
            return tuple(out), str(exc)
        return tuple(sorted(out, key=lambda c: c.kind)), None

    # -- settings ---------------------------------------------------------------

    def configured(self, settings: Mapping[str, Mapping[str, object]]) -> PluginHost:
        """A host over the same plugins whose hooks receive ``settings[name]`` as ``settings``.

        This is how ``campaign.toml``'s ``[plugins.NAME]`` tables reach each
        plugin: a hook implementation that takes a ``settings`` argument gets
        its own plugin's table (read-only; an empty mapping when there is none).
        The new host shares the plugin manager with this one.

        Raises:
            InvalidValueError: a name is not a registered, disabled or broken
                plugin, or a value is not a table.
        """
        known = [name for name, _plugin in self._pm.list_name_plugin()] + list(self._broken)
        tables: dict[str, Mapping[str, object]] = {}
        for name, table in settings.items():
            if name not in known:
                raise InvalidValueError(f"plugins.{name}", name, "the name of a plugin: " + ", ".join(known))
            if not isinstance(table, Mapping):
                raise InvalidValueError(f"plugins.{name}", table, "a table of settings")
            tables[name] = types.MappingProxyType(copy.deepcopy(dict(table)))
        host = PluginHost(self._pm)
        host._builtins = set(self._builtins)
        host._broken = dict(self._broken)
        host._settings = tables
        return host

    def settings_of(self, name: str) -> Mapping[str, object]:
        """The settings the plugin *name* receives (an empty mapping when none were given)."""
        return self._settings.get(name, types.MappingProxyType({}))

    # -- calling ----------------------------------------------------------------

    def _call_one(
        self,
        impl: pluggy.HookImpl,
        hook: str,
        check: Callable[[object], bool],
        expected: str,
        kwargs: Mapping[str, object],
    ) -> tuple[object, ...]:
        """Call one implementation of *hook*; its checked items (none for ``None``)."""
        name = impl.plugin_name
        if impl.wrapper or impl.hookwrapper:
            raise PluginError(name, hook, "hook wrappers are not supported on ansinh hooks")
        try:
            result = impl.function(*(self._argument(name, kwargs, arg) for arg in impl.argnames))
            if result is None:
                return ()
            if isinstance(result, str | bytes | Mapping) or not isinstance(result, Iterable):
                raise PluginError(
                    name, hook, f"returned {shown(result)}; expected an iterable of {expected} or None"
                )
            items = tuple(result)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(name, hook, raised(exc)) from exc
        for item in items:
            try:
                ok = check(item)
            except Exception:  # an object whose attributes raise
                ok = False
            if not ok:
                raise PluginError(name, hook, f"returned {shown(item)}; expected {expected}")
        return items

    def _argument(self, plugin: str, kwargs: Mapping[str, object], arg: str) -> object:
        return self.settings_of(plugin) if arg == "settings" else kwargs[arg]

    def _call(
        self, hook: str, check: Callable[[object], bool], expected: str, /, **kwargs: object
    ) -> list[tuple[str, tuple[object, ...]]]:
        """Call every implementation of *hook*; return (plugin, checked items) in call order."""
        caller: pluggy.HookCaller = getattr(self._pm.hook, hook)
        out: list[tuple[str, tuple[object, ...]]] = []
        for impl in reversed(caller.get_hookimpls()):
            items = self._call_one(impl, hook, check, expected, kwargs)
            if items:
                out.append((impl.plugin_name, items))
        return out

    @staticmethod
    def _flatten(results: list[tuple[str, tuple[object, ...]]], key: Callable[[object], str]) -> list[object]:
        seen: set[str] = set()
        flat: list[object] = []
        for _name, items in results:
            for item in items:
                k = key(item)
                if k not in seen:  # the first in call order wins: a province overrides a built-in
                    seen.add(k)
                    flat.append(item)
        return flat

    def _supports(
        self, province: str | None, kind: ProductKind | None, on: dt.date | None
    ) -> list[LocalSupport]:
        results = self._call(
            "ansinh_local_support",
            lambda s: isinstance(s, LocalSupport),
            "LocalSupport",
            province=province,
            product=kind,
            on=on,
        )
        return [s for _name, items in results for s in items if isinstance(s, LocalSupport)]

    def local_supports(
        self, *, product: ProductKind | Product, on: dt.date, province: str | None = None
    ) -> tuple[LocalSupport, ...]:
        """Provincial top-ups that apply to *product* on *on* (in *province*, or in any province).

        A programme (the same ``code``, province and product) offered by
        several plugins is taken from the first one called that covers the
        date, so a province can correct a built-in entry.  The result is
        exactly what :meth:`all_local_supports` gives for that day.

        Raises:
            PluginError: a plugin raised or returned something other than
                :class:`~ansinh.LocalSupport`.
        """
        kind = _kind_of(product)
        day = check_date("on", on)
        # The hook contract lets a plugin be asked once for its whole dated table,
        # so the table is built once per set of registered plugins and filtered here:
        # pricing a roster must not call every plugin for every person.
        return tuple(
            s
            for s in self._local_table()
            if s.applies(province if province is not None else s.province, kind, day)
        )

    def _local_table(self) -> tuple[LocalSupport, ...]:
        registered = frozenset(map(id, self._pm.get_plugins()))
        cached = self._table_cache
        if cached is not None and cached[0] == registered:
            return cached[1]
        table = self.all_local_supports()
        self._table_cache = (registered, table)
        return table

    def all_local_supports(self) -> tuple[LocalSupport, ...]:
        """Every provincial top-up the plugins know, for every province, product and date.

        This is the whole dated table a bulk pricer needs; pass it as
        ``local_supports=`` to :func:`ansinh.core.pricing.price`, which keeps
        those that apply.  Where a plugin called earlier offers the same
        programme (``code``, province and product) for some dates, a later
        one's entry is cut to the dates not covered, so on every day the
        table gives exactly what :meth:`local_supports` gives.

        Raises:
            PluginError: a plugin raised or returned something other than
                :class:`~ansinh.LocalSupport`.
        """
        accepted: list[LocalSupport] = []
        for s in self._supports(None, None, None):
            pieces = [s]
            for a in accepted:
                if (a.code, a.province, a.product) == (s.code, s.province, s.product):
                    pieces = [q for p in pieces for q in _uncovered(p, a)]
            accepted.extend(pieces)
        return tuple(accepted)

    def all_commune_lists(self) -> tuple[CommuneList, ...]:
        """Every dated commune list the plugins supply (``ansinh_commune_lists``), the first of each ``code``.

        Pass them as ``commune_lists=`` to pricing, checking, screening and
        allocation; the place-dependent rules read only the lists of a person's
        province and commune.

        Raises:
            PluginError: a plugin raised or returned something other than a CommuneList.
        """
        results = self._call("ansinh_commune_lists", lambda c: isinstance(c, CommuneList), "CommuneList")
        lists = self._flatten(results, lambda c: str(getattr(c, "code", "")))
        return tuple(c for c in lists if isinstance(c, CommuneList))

    def eligibility_rules(self, product: ProductKind | Product) -> tuple[Rule, ...]:
        """Local eligibility rules for *product* (a kind or a product), in call order.

        Each rule is wrapped so that, when it later raises or returns
        something other than a :class:`~ansinh.core.eligibility.Reason` or
        ``None``, the error is a :class:`PluginError` naming its plugin.  A
        rule ``code`` offered twice is taken from the plugin called first.

        Raises:
            PluginError: a plugin raised or returned something without a
                ``code`` and an ``evaluate`` method.
        """
        kind = _kind_of(product)
        results = self._call(
            "ansinh_eligibility_rules",
            _is_rule,
            "a rule (an object with code: str and evaluate(ctx))",
            product=kind,
        )
        seen: set[str] = set()
        rules: list[Rule] = []
        for name, items in results:
            for item in items:
                rule = cast("Rule", item)
                if rule.code not in seen:
                    seen.add(rule.code)
                    rules.append(PluginRule(plugin=name, rule=rule))
        return tuple(rules)

    def priority_parts(self, person: Person, campaign: Campaign | None = None) -> tuple[tuple[str, int], ...]:
        """Named priority parts ``(code, points)`` the plugins add for *person*.

        Raises:
            PluginError: a plugin raised or returned something other than
                ``(str, int)`` pairs.
        """
        if not isinstance(person, Person):
            raise InvalidValueError("person", person, "an ansinh.Person")
        results = self._call(
            "ansinh_priority",
            _is_part,
            "(code: non-empty str, points: int) pairs",
            candidate=person,
            campaign=campaign,
        )
        parts: list[tuple[str, int]] = []
        for _name, items in results:
            for item in items:
                assert isinstance(item, tuple)
                parts.append(
                    (str.__str__(item[0]), int.__index__(item[1]))
                )  # plain values, never a subclass's
        return tuple(parts)

    def priority_function(
        self, campaign: Campaign | None = None
    ) -> Callable[[Person], tuple[tuple[str, int], ...]]:
        """:meth:`priority_parts` bound to *campaign*, as a function of the person.

        While no plugin implements ``ansinh_priority`` (asked at each call, so a plugin registered
        later counts), it returns ``()`` for a person without calling the hook, as
        :meth:`priority_parts` would; it still refuses anything but a person.
        """

        def parts(person: Person) -> tuple[tuple[str, int], ...]:
            if isinstance(person, Person) and not self._pm.hook.ansinh_priority.get_hookimpls():
                return ()
            return self.priority_parts(person, campaign)

        return parts

    def parameters(self, law: Law | None = None) -> tuple[Parameter, ...]:
        """Extra dated parameters the plugins contribute, checked against *law*.

        A parameter the law already has with exactly the same history is
        left out; one with a different history, one offered by two plugins,
        or one whose history is inconsistent is a :class:`PluginError`.

        Args:
            law: the law to check against (default: :func:`ansinh.default_law`).

        Raises:
            PluginError: a plugin raised, returned something other than a
                :class:`~ansinh.Parameter`, or contradicted the law.
        """
        if law is None:
            from ansinh.data import default_law

            law = default_law()
        results = self._call("ansinh_parameters", lambda p: isinstance(p, Parameter), "Parameter")
        known = set(law.names)
        extra: dict[str, tuple[str, Parameter]] = {}
        for name, items in results:
            for item in items:
                assert isinstance(item, Parameter)
                if item.name in known:
                    if law.parameter(item.name) != item:
                        raise PluginError(
                            name,
                            "ansinh_parameters",
                            f"parameter {item.name!r} conflicts with the law's; a plugin may add "
                            "parameters, never change one",
                        )
                    continue
                if item.name in extra:
                    other = extra[item.name][0]
                    if extra[item.name][1] != item:
                        raise PluginError(
                            name,
                            "ansinh_parameters",
                            f"parameter {item.name!r} is also contributed, differently, by {other!r}",
                        )
                    continue
                try:
                    Law((*law.parameters, item), name=law.name)
                except (LawDataError, AnsinhError) as exc:
                    raise PluginError(name, "ansinh_parameters", str(exc)) from None
                extra[item.name] = (name, item)
        return tuple(p for _name, p in extra.values())

    def law_with_parameters(self, law: Law | None = None) -> Law:
        """*law* plus the plugins' parameters (the same object when they add none).

        Raises:
            PluginError: as :meth:`parameters`.
        """
        if law is None:
            from ansinh.data import default_law

            law = default_law()
        extra = self.parameters(law)
        if not extra:
            return law
        return Law((*law.parameters, *extra), name=law.name, amendments=law.amendments)

    def sourcing_strategies(self) -> tuple[type[SourcingStrategy], ...]:
        """Every sourcing strategy class offered, one per name (the first in call order wins).

        Raises:
            PluginError: a plugin raised or returned something that is not a
                strategy class (``name``, ``from_mapping`` and ``source``).
        """
        results = self._call(
            "ansinh_sourcing_strategies",
            _is_strategy,
            "a SourcingStrategy class (name, from_mapping, source)",
        )
        return tuple(
            s for s in self._flatten(results, lambda s: str(getattr(s, "name", ""))) if _is_strategy(s)
        )

    def sourcing_strategy(self, name: str) -> type[SourcingStrategy]:
        """The strategy class called *name*.

        Raises:
            InvalidValueError: no plugin offers a strategy of that name.
            PluginError: as :meth:`sourcing_strategies`.
        """
        strategies = self.sourcing_strategies()
        for strategy in strategies:
            if strategy.name == name:
                return strategy
        raise InvalidValueError("strategy", name, "one of " + ", ".join(s.name for s in strategies))

    def source(self, strategy: str, inputs: Mapping[str, object], campaign: Campaign) -> SourcingResult:
        """Run the strategy called *strategy* with *inputs* for *campaign* (a ``[[sourcing]]`` table).

        Raises:
            InvalidValueError: no plugin offers that strategy, or *inputs* are
                not what it takes (its own message, naming the field).
            PluginError: the strategy failed otherwise, or returned something
                other than a :class:`~ansinh.hookspecs.SourcingResult`.
        """
        cls = self.sourcing_strategy(strategy)
        owner = next(
            (
                name
                for name, items in self._call("ansinh_sourcing_strategies", _is_strategy, "a class")
                if cls in items
            ),
            strategy,
        )
        try:
            result = cls.from_mapping(inputs).source(campaign)
        except InvalidValueError:
            raise
        except Exception as exc:
            raise PluginError(owner, f"{strategy}.source", raised(exc)) from exc
        if not isinstance(result, SourcingResult):
            raise PluginError(
                owner, f"{strategy}.source", f"returned {shown(result)}; expected a SourcingResult"
            )
        return result

    def sponsor_kinds(self) -> tuple[LocalSponsorKind, ...]:
        """The sponsor kinds the plugins add (``ansinh_sponsor_kinds``), by code.

        Raises:
            PluginError: a plugin failed or returned something else, or two
                plugins gave one code different labels.
        """
        kinds: dict[str, tuple[str, LocalSponsorKind]] = {}
        for name, items in self._call(
            "ansinh_sponsor_kinds", lambda k: isinstance(k, LocalSponsorKind), "LocalSponsorKind"
        ):
            for kind in items:
                assert isinstance(kind, LocalSponsorKind)
                first = kinds.setdefault(kind.code, (name, kind))
                if first[1] != kind:
                    raise PluginError(
                        name, "ansinh_sponsor_kinds", f"kind {kind.code!r} differs from plugin {first[0]!r}'s"
                    )
        return tuple(kinds[code][1] for code in sorted(kinds))

    def earmark_matches(self, earmark: Earmark, person: Person) -> bool | None:
        """Whether *person* may be paid for by a pledge with *earmark*; ``None`` if no plugin knows.

        The first plugin that answers ``True`` or ``False`` decides.

        Raises:
            PluginError: a plugin raised or answered something other than a bool or None.
        """
        answer = self._first_answer(
            "ansinh_earmark_matches",
            lambda a: isinstance(a, bool),
            "True, False or None",
            earmark=earmark,
            person=person,
        )
        return None if answer is None else bool(answer)

    def _first_answer(
        self, hook: str, accept: Callable[[object], bool], expected: str, /, **kwargs: object
    ) -> object | None:
        """The first non-None answer to the firstresult *hook*, checked by *accept*; ``None`` if none."""
        caller: pluggy.HookCaller = getattr(self._pm.hook, hook)
        for impl in reversed(caller.get_hookimpls()):
            if impl.wrapper or impl.hookwrapper:
                raise PluginError(impl.plugin_name, hook, "hook wrappers are not supported on ansinh hooks")
            try:
                answer = impl.function(
                    *(self._argument(impl.plugin_name, kwargs, arg) for arg in impl.argnames)
                )
            except Exception as exc:
                raise PluginError(impl.plugin_name, hook, raised(exc)) from exc
            if answer is None:
                continue
            if not accept(answer):
                raise PluginError(impl.plugin_name, hook, f"returned {shown(answer)}; expected {expected}")
            return answer
        return None

    def priority_policy(self, campaign: Campaign | None = None) -> PriorityPolicy | None:
        """The first plugin's table of priority points (``ansinh_priority_policy``), or ``None``.

        Raises:
            PluginError: a plugin raised or answered something other than a PriorityPolicy or None.
        """
        answer = self._first_answer(
            "ansinh_priority_policy",
            lambda a: isinstance(a, PriorityPolicy),
            "a PriorityPolicy or None",
            campaign=campaign,
        )
        return answer if isinstance(answer, PriorityPolicy) else None

    def participation(self, person: Person, on: dt.date) -> FollowUpStatus | None:
        """How *person* stood on *on* by the first plugin that knows (``ansinh_participation``); else ``None``.

        Pass :attr:`participation` itself to :func:`ansinh.core.registry.follow_up`.

        Raises:
            PluginError: a plugin raised or answered something other than
                ``"renewed_by_person"``, ``"lapsed"`` or ``None``.
        """
        check_date("on", on)
        answer = self._first_answer(
            "ansinh_participation",
            lambda a: a in _PARTICIPATION_ANSWERS,
            "'renewed_by_person', 'lapsed' or None",
            person=person,
            on=on,
        )
        return None if answer is None else FollowUpStatus(str(answer))


_PARTICIPATION_ANSWERS: Final = frozenset({FollowUpStatus.RENEWED_BY_PERSON, FollowUpStatus.LAPSED})


def _load_entrypoints(host: PluginHost, *, strict: bool) -> None:
    """Load each installed plugin on its own: one that fails is skipped (or raised when *strict*)."""
    pm = host.manager
    for ep in importlib.metadata.entry_points(group=PROJECT_NAME):
        if pm.get_plugin(ep.name) is not None or pm.is_blocked(ep.name) or ep.name in host._broken:
            continue
        try:
            pm.load_setuptools_entrypoints(PROJECT_NAME, name=ep.name)
            pm.check_pending()
        except pluggy.PluginValidationError as exc:
            error = PluginError(ep.name, "check_pending", str(exc))
        except Exception as exc:
            error = PluginError(ep.name, "load", described(exc))
        else:
            continue
        if pm.get_plugin(ep.name) is not None:
            pm.unregister(name=ep.name)
        if strict:
            raise error
        dist = ep.dist
        host._broken[ep.name] = PluginInfo(
            name=ep.name,
            distribution=None if dist is None else dist.metadata["Name"],
            version=None if dist is None else dist.version,
            hooks=(),
            error=error.problem.splitlines()[0] if error.problem else error.hook,
        )
        warnings.warn(PluginLoadWarning(ep.name, host._broken[ep.name].error or ""), stacklevel=3)


def get_plugin_manager(
    *, load_entrypoints: bool = True, blocked: Iterable[str] = (), builtins: bool = True, strict: bool = False
) -> PluginHost:
    """Build a plugin host: hookspecs, built-ins, installed plugins, then ``check_pending()``.

    Args:
        load_entrypoints: load the plugins installed under the entry-point
            group ``ansinh``.
        blocked: plugin names never to register — entry-point names, or
            :data:`BUILTIN_PLUGINS` names such as ``"ansinh.local_support"``.
        builtins: register the built-in plugins (their hooks are ``trylast``).
        strict: raise when an installed plugin cannot be loaded, instead of
            skipping it with a :class:`~ansinh.exceptions.PluginLoadWarning`
            (it is then listed by :meth:`PluginHost.plugins` as broken).

    Returns:
        A new :class:`PluginHost`; every call builds a fresh one.

    Raises:
        PluginError: with *strict*, an installed plugin cannot be imported or
            does not match the hook specifications.
        InvalidValueError: *blocked* is not a collection of names.

    >>> host = get_plugin_manager(load_entrypoints=False, blocked=["ansinh.local_support"])
    >>> host.is_registered("ansinh.local_support"), host.is_registered("ansinh.sourcing")
    (False, True)
    """
    if isinstance(blocked, str):
        raise InvalidValueError("blocked", blocked, "a collection of plugin names, not one string")
    names = validators.items("blocked", blocked, "a collection of plugin names")
    for name in names:
        if not isinstance(name, str) or not name:
            raise InvalidValueError("blocked", name, "plugin names (non-empty strings)")
    host = PluginHost()
    for name in names:
        host.manager.set_blocked(name)
    if builtins:
        for name, plugin in _builtin_plugins():
            if not host.manager.is_blocked(name):
                host.register(plugin, name, builtin=True)
    if load_entrypoints:
        _load_entrypoints(host, strict=strict)
    host.manager.check_pending()
    return host
