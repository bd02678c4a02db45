"""The priority file of a campaign folder: a province's own table of priority points.

Priority points are local policy, not law (:class:`~ansinh.core.eligibility.PriorityPolicy`).
A campaign folder with a ``priority.toml`` screens its roster with that table
instead of ansinh's default; the file names the decision it comes from::

    source = "Quyết định số 12/QĐ-UBND ngày 05/09/2025 của UBND tỉnh Hưng Yên"
    province = "33"            # optional

    [points]                   # parts left out give no points
    POOR = 50
    NEAR_POOR = 40
    DISABILITY = 30
    AGE_60_PLUS = 10
    UNINSURED = 10

The parts are those of :data:`~ansinh.core.eligibility.PRIORITY_TABLE`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Final

from ansinh.core.eligibility import PriorityPolicy
from ansinh.exceptions import CampaignFileError, InvalidValueError

__all__ = ["PRIORITY_FILE", "read_priority_policy"]

PRIORITY_FILE: Final = "priority.toml"
"""The priority file's name in a campaign folder."""

_KEYS: Final = frozenset({"source", "province", "points"})


def read_priority_policy(path: str | os.PathLike[str]) -> PriorityPolicy:
    """Read a ``priority.toml``.

    Raises:
        CampaignFileError: the file cannot be read, is not TOML, has an unknown
            key or part, or a value is not allowed (the message names it).
    """
    p = Path(path)
    where = p.name
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(str(p), "", f"a readable priority.toml ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CampaignFileError(str(p), "", f"valid TOML ({exc})") from None
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise CampaignFileError(f"{where} {unknown[0]}", unknown[0], "one of " + ", ".join(sorted(_KEYS)))
    province = data.get("province")
    if province is not None and not isinstance(province, str):
        raise CampaignFileError(f"{where} province", province, "a province code as a string")
    try:
        return PriorityPolicy(points=data.get("points", {}), source=data.get("source", ""), province=province)
    except InvalidValueError as exc:
        raise CampaignFileError(f"{where} {exc.field}", exc.value, exc.allowed) from None
