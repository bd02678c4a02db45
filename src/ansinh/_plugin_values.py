"""The values the plugin host hands out and the checks it applies to what plugins return.

Kept apart from :mod:`ansinh.plugin_manager` (which re-exports :class:`PluginInfo`
and :class:`Contribution`) so that module stays about calling the hooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final, TypeGuard

import attrs

from ansinh.core.campaign import LocalSponsorKind
from ansinh.core.law import Parameter
from ansinh.core.messages import shorten, shown
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError, PluginError
from ansinh.hookspecs import SourcingStrategy

if TYPE_CHECKING:
    from ansinh.core.eligibility import CheckContext, Reason, Rule

__all__ = ["Contribution", "PluginInfo", "PluginRule", "described", "raised"]


@attrs.frozen
class Contribution:
    """What one plugin contributes through one hook, by name (as ``ansinh plugins`` lists it)."""

    kind: str
    """``"strategies"``, ``"top_ups"``, ``"commune_lists"``, ``"rules"``, ``"parameters"`` or
    ``"sponsor_kinds"``."""
    names: tuple[str, ...]
    """Strategy names, top-up programme codes, rule codes or parameter names, sorted."""


@attrs.frozen
class PluginInfo:
    """One plugin, as ``ansinh plugins`` lists it: registered, or installed but broken."""

    name: str
    """The name it is registered under (the entry-point name for installed plugins)."""
    distribution: str | None
    """The installed distribution it came from, e.g. ``"ansinh-hung-yen"``; ``None`` if registered directly."""
    version: str | None
    """That distribution's version (ansinh's own for the built-ins)."""
    hooks: tuple[str, ...]
    """The hooks it implements, sorted."""
    builtin: bool = False
    """Whether it ships with ansinh."""
    contributes: tuple[Contribution, ...] = ()
    """What it contributes (filled by ``plugins(contributions=True)``)."""
    error: str | None = None
    """Why it is broken (it could not be loaded, or failed when asked what it contributes); else ``None``."""

    @property
    def broken(self) -> bool:
        """Whether the plugin failed (see :attr:`error`)."""
        return self.error is not None

    def describe(self) -> str:
        """Its name, origin and hooks; then one indented line per contribution, and the error if any."""
        if self.builtin:
            origin = "built-in"
        elif self.distribution is None:
            origin = "registered directly"
        else:
            origin = f"{self.distribution} {self.version or ''}".strip()
        lines = [f"{self.name} ({origin}): {', '.join(self.hooks) or 'no hooks'}"]
        lines += [f"  {c.kind}: {', '.join(c.names)}" for c in self.contributes]
        if self.error is not None:
            lines.append(f"  BROKEN: {self.error}")
        return "\n".join(lines)


def _is_rule(value: object) -> bool:
    return isinstance(getattr(value, "code", None), str) and callable(getattr(value, "evaluate", None))


def _is_strategy(value: object) -> TypeGuard[type[SourcingStrategy]]:
    return (
        isinstance(value, type)
        and isinstance(getattr(value, "name", None), str)
        and callable(getattr(value, "from_mapping", None))
        and callable(getattr(value, "source", None))
    )


def _is_part(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and bool(str.strip(value[0]))  # an empty code is refused naming the plugin
        and isinstance(value[1], int)
        and not isinstance(value[1], bool)
    )


def _kind_of(product: object) -> ProductKind:
    if isinstance(product, ProductKind):
        return product
    kind = getattr(product, "kind", None)
    if isinstance(kind, ProductKind):
        return kind
    raise InvalidValueError("product", product, "a ProductKind or a HealthCard, SocialBook or TetGift")


_DAY: Final = dt.timedelta(days=1)

_Inventory = tuple[
    str, Callable[[object], bool], str, tuple[Mapping[str, object], ...], Callable[[object], str]
]
# hook -> (contribution kind, check, expected, the calls that ask for everything, name of an item)
_INVENTORY: Final[dict[str, _Inventory]] = {
    "ansinh_sourcing_strategies": (
        "strategies",
        _is_strategy,
        "a SourcingStrategy class",
        ({},),
        lambda s: str(getattr(s, "name", "")),
    ),
    "ansinh_local_support": (
        "top_ups",
        lambda s: isinstance(s, LocalSupport),
        "LocalSupport",
        ({"province": None, "product": None, "on": None},),
        lambda s: str(getattr(s, "code", "")),
    ),
    "ansinh_commune_lists": (
        "commune_lists",
        lambda c: isinstance(c, CommuneList),
        "CommuneList",
        ({},),
        lambda c: str(getattr(c, "code", "")),
    ),
    "ansinh_eligibility_rules": (
        "rules",
        _is_rule,
        "a rule",
        tuple({"product": kind} for kind in ProductKind),
        lambda r: str(getattr(r, "code", "")),
    ),
    "ansinh_parameters": (
        "parameters",
        lambda p: isinstance(p, Parameter),
        "Parameter",
        ({},),
        lambda p: str(getattr(p, "name", "")),
    ),
    "ansinh_sponsor_kinds": (
        "sponsor_kinds",
        lambda k: isinstance(k, LocalSponsorKind),
        "LocalSponsorKind",
        ({},),
        lambda k: str(getattr(k, "code", "")),
    ),
}


def _uncovered(piece: LocalSupport, earlier: LocalSupport) -> list[LocalSupport]:
    """The parts of *piece*'s dates that *earlier* does not cover."""
    end, other_end = piece.until, earlier.until
    if (end is not None and end < earlier.effective) or (
        other_end is not None and other_end < piece.effective
    ):
        return [piece]
    out = []
    if piece.effective < earlier.effective:
        out.append(attrs.evolve(piece, until=earlier.effective - _DAY))
    if other_end is not None and (end is None or end > other_end):
        out.append(attrs.evolve(piece, effective=other_end + _DAY))
    return out


def described(exc: BaseException) -> str:
    """A plugin's exception as ``Type: message``, even if its ``str`` raises or is huge."""
    try:
        text = str(exc)
    except Exception:
        text = "<its message cannot be shown: str() raised>"
    return f"{type(exc).__name__}: {shorten(text, 500)}"


def raised(exc: BaseException) -> str:
    """``raised Type: message``, for a plugin's failure (see :func:`described`)."""
    return f"raised {described(exc)}"


@attrs.frozen
class PluginRule:
    """A plugin's rule, with its failures reported as :class:`PluginError` naming the plugin."""

    plugin: str
    rule: Rule

    @property
    def code(self) -> str:
        """The wrapped rule's code."""
        return self.rule.code

    def evaluate(self, ctx: CheckContext) -> Reason | None:
        """Evaluate the wrapped rule, checking what it returns."""
        from ansinh.core.eligibility import Reason

        try:
            reason = self.rule.evaluate(ctx)
        except Exception as exc:
            raise PluginError(
                self.plugin,
                "ansinh_eligibility_rules",
                f"rule {shown(self.code)} {raised(exc)}",
            ) from exc
        if reason is not None and not isinstance(reason, Reason):
            raise PluginError(
                self.plugin,
                "ansinh_eligibility_rules",
                f"rule {shown(self.code)} returned {shown(reason)}; expected a Reason or None",
            )
        return reason
