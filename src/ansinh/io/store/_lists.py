"""The dated commune lists a store keeps (in its ``meta`` table) to price its gifts as they were made."""

from __future__ import annotations

import json
from typing import Final

from ansinh.core.places import CommuneList, parse_commune_lists
from ansinh.exceptions import AnsinhError, InvalidValueError, LedgerError

__all__ = ["LISTS", "kept_lists", "merged_lists"]


LISTS: Final = "commune_lists"
"""The ``meta`` key of the commune lists a store keeps (their ``[[commune_list]]`` tables as JSON)."""


def kept_lists(text: str, where: str) -> tuple[CommuneList, ...]:
    """The commune lists a store keeps, read from their JSON *text*.

    Raises:
        LedgerError: the text cannot be read.
    """
    try:
        return parse_commune_lists({"commune_list": json.loads(text)})
    except (AnsinhError, TypeError, ValueError) as exc:
        raise LedgerError(f"{where}: the kept commune lists cannot be read ({exc})") from None


def merged_lists(kept: tuple[CommuneList, ...], given: tuple[CommuneList, ...]) -> tuple[CommuneList, ...]:
    """*given*, then the *kept* lists whose code none of them has."""
    if not all(isinstance(c, CommuneList) for c in given):
        raise InvalidValueError("commune_lists", given, "a sequence of CommuneList, one per code")
    codes = {c.code for c in given}
    if len(codes) < len(given):
        raise InvalidValueError("commune_lists", given, "a sequence of CommuneList, one per code")
    merged = (*given, *(c for c in kept if c.code not in codes))
    return kept if set(merged) == set(kept) else merged
