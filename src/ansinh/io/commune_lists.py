"""Reading dated commune lists from a TOML file (a campaign folder's ``commune_lists.toml``).

The file holds ``[[commune_list]]`` tables, the shape
:func:`ansinh.core.places.parse_commune_lists` reads: each a list of poor
communes or of communes in (extremely) difficult areas of one province, with
its dates, source and status.  A campaign folder carrying such a file has its
lists used by :func:`ansinh.io.run.run_campaign` beside those the plugins supply
(:func:`~ansinh.hookspecs.ansinh_commune_lists`)::

    [[commune_list]]
    code = "hy-xa-ngheo-2026"
    kind = "poor_commune"            # or "difficult_area"
    province = "33"
    communes = ["Xã Tân Hưng", "Xã Đức Hợp"]
    effective = 2025-07-01
    until = 2026-12-31               # optional: the last day on the list
    document = "Quyết định …/QĐ-TTg"
    article = "Phụ lục"              # optional
    url = "https://…"                # optional
    status = "confirmed"
    label_vi = "Xã nghèo"
    label_en = "Poor communes"

>>> import pathlib, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = pathlib.Path(tmp) / COMMUNE_LISTS_FILE
...     _ = path.write_text('''[[commune_list]]
... code = "c"
... kind = "poor_commune"
... province = "33"
... communes = ["Xã A"]
... effective = 2025-07-01
... document = "QĐ (giả định)"
... status = "scenario"
... label_vi = "Xã nghèo"
... label_en = "Poor communes"
... ''', encoding="utf-8")
...     [c.code for c in read_commune_lists(path)]
['c']
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Final

from ansinh.core.places import CommuneList, parse_commune_lists
from ansinh.exceptions import CampaignFileError, LawDataError

__all__ = ["COMMUNE_LISTS_FILE", "merge_commune_lists", "read_commune_lists"]

COMMUNE_LISTS_FILE: Final = "commune_lists.toml"
"""The name of the commune-list file a campaign folder may carry."""


def read_commune_lists(path: str | os.PathLike[str]) -> tuple[CommuneList, ...]:
    """The ``[[commune_list]]`` tables of the TOML file *path*.

    Raises:
        CampaignFileError: the file cannot be read, is not TOML, or a table is
            malformed (the message names the table and the key).
    """
    where = Path(path)
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CampaignFileError(str(where), where.name, f"a readable TOML file ({exc})") from None
    try:
        return parse_commune_lists(data)
    except LawDataError as exc:
        raise CampaignFileError(str(where), where.name, f"[[commune_list]] tables ({exc})") from None


def merge_commune_lists(
    first: tuple[CommuneList, ...], then: tuple[CommuneList, ...]
) -> tuple[CommuneList, ...]:
    """*first*, then the lists of *then* whose code none of *first* has (a folder's lists override a plugin's)."""
    codes = {c.code for c in first}
    return (*first, *(c for c in then if c.code not in codes))
