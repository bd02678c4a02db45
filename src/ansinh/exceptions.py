"""Every error ansinh raises on purpose.

All of them derive from :class:`AnsinhError`, so ``except ansinh.AnsinhError``
catches everything the library reports about bad input or broken data.  The
leaves also subclass the natural built-in (``ValueError``, ``LookupError``), so
code that already catches those keeps working.

Messages always say which field, which value and what is allowed.  The one
warning, :class:`PluginLoadWarning`, says an installed plugin was skipped.
"""

from __future__ import annotations

from typing import Any

from ansinh.core.identifiers import mask_digits
from ansinh.core.messages import shown

__all__ = [
    "AnsinhError",
    "CampaignFileError",
    "InvalidAmountError",
    "InvalidPersonError",
    "InvalidProductError",
    "InvalidValueError",
    "InvariantViolation",
    "LawDataError",
    "LedgerError",
    "NotInForceError",
    "OutputFileError",
    "PluginError",
    "PluginLoadWarning",
    "QuoteMismatchError",
    "ReviewError",
    "RosterError",
    "SerializationError",
    "UnknownParameterError",
]


class AnsinhError(Exception):
    """Base class of every error raised by ansinh.

    Its message has every run of nine or more digits masked
    (:func:`~ansinh.core.identifiers.mask_digits`), whatever built it: an
    identifier in a file name, a cell or a plugin's text never shows whole.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(mask_digits(a) if isinstance(a, str) else a for a in args))


class InvalidValueError(AnsinhError, ValueError):
    """A value given to ansinh is not allowed.

    The message quotes the value with :func:`~ansinh.core.messages.shown`:
    shortened, never an unbounded ``repr``, nine-to-twelve-digit runs masked.

    Attributes:
        field: the name of the field or argument.
        value: the value that was given.
        allowed: a human description of what is allowed.
    """

    def __init__(self, field: str, value: Any, allowed: str) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(f"{field}={shown(value)} is not allowed: {allowed}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.allowed))


class InvalidAmountError(InvalidValueError):
    """A money amount or a rate is malformed (a float, a fraction of a đồng, negative …)."""


class InvalidProductError(InvalidValueError):
    """A product (card, book, gift) cannot exist or cannot be priced as given."""


class InvalidPersonError(InvalidValueError):
    """A person's data is malformed (bad CCCD, unknown province …)."""


class ReviewError(InvalidValueError):
    """A step of a candidate list's public review is not allowed (wrong status, a pending objection …)."""


class LawDataError(AnsinhError, ValueError):
    """The legal parameter data is inconsistent (a gap, an overlap, a bad value …)."""


class UnknownParameterError(AnsinhError, LookupError):
    """A legal parameter name that the law does not define."""

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        super().__init__(
            f"parameter={shown(name)} is not defined by this law; known parameters: " + ", ".join(known)
        )

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.name, self.known))


class NotInForceError(AnsinhError, LookupError):
    """No value of a legal parameter is in force on the requested date."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class QuoteMismatchError(InvalidValueError):
    """A quote's figure is not what the law gives (:func:`ansinh.verify`): an edited amount, line or group."""


class RosterError(AnsinhError, ValueError):
    """A roster file cannot be read at all (not merely some bad rows)."""


class CampaignFileError(InvalidValueError):
    """A campaign folder (campaign.toml, sponsors.csv, pledges.csv) cannot be read as given."""


class OutputFileError(AnsinhError, OSError):
    """A result file (report, roster, public list, export) cannot be written.

    The target file is left as it was; no partial file remains.
    """


class LedgerError(AnsinhError):
    """A ledger or store cannot be used (corrupt file, wrong campaign …)."""


class InvariantViolation(LedgerError, ValueError):
    """An event was rejected because it would break a ledger invariant.

    The ledger is left exactly as it was before the event was offered.
    """


class PluginError(AnsinhError):
    """A plugin raised, returned a wrong type, or contradicted the law.

    Attributes:
        plugin: the name the plugin is registered under.
        hook: the hook that was being called.
    """

    def __init__(self, plugin: str, hook: str, problem: str) -> None:
        self.plugin = plugin
        self.hook = hook
        self.problem = problem
        super().__init__(f"plugin {plugin!r} failed in hook {hook!r}: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.plugin, self.hook, self.problem))


class SerializationError(AnsinhError, ValueError):
    """A document cannot be converted to or from ansinh's types.

    The message names the path of every bad field.
    """


class PluginLoadWarning(UserWarning):
    """An installed plugin could not be loaded and was skipped (the others still work).

    Attributes:
        plugin: the entry-point name of the plugin.
        problem: what went wrong, one line.
    """

    def __init__(self, plugin: str, problem: str) -> None:
        self.plugin = plugin
        self.problem = problem
        super().__init__(f"plugin {plugin!r} cannot be loaded and is skipped: {problem}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.plugin, self.problem))
