"""Writing a roster CSV that :func:`~ansinh.io.roster.load.load_roster` reads back to the same people."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Literal

from ansinh.core.dates import format_date
from ansinh.core.people import Person
from ansinh.exceptions import InvalidValueError
from ansinh.io.files import csv_text, write_atomic
from ansinh.io.roster.columns import COLUMNS
from ansinh.io.roster.values import Roster

__all__ = ["write_roster_csv"]

_WRITTEN: Final = (
    "id",
    "full_name",
    "date_of_birth",
    "province",
    "commune",
    "household_id",
    "categories",
    "cccd",
    "social_insurance_number",
    "vietnamese_citizen",
    "difficult_circumstances",
    "compulsory_si",
    "receives_pension",
    "bhyt_valid_until",
    "left_poverty_on",
    "vsi_supported_months",
    "hospital_admission",
    "hospital_discharge",
)
"""The columns written, in order (their Vietnamese headers are in COLUMNS)."""
_HEADERS_VI: Final = {c.field: c.written for c in COLUMNS}


def _row(p: Person, lang: Literal["vi", "en"]) -> list[str]:
    def day(d: dt.date | None) -> str:
        return "" if d is None else format_date(d, lang)

    def flag(b: bool) -> str:
        if lang == "en":
            return "yes" if b else "no"
        return "có" if b else "không"

    cats = sorted(p.categories, key=lambda c: c.value)
    stay = p.hospital_stay
    return [
        p.id,
        p.full_name,
        day(p.date_of_birth),
        p.province,
        p.commune,
        p.household_id or "",
        ";".join(c.value for c in cats) if lang == "en" else "; ".join(c.label_vi for c in cats),
        p.cccd or "",
        p.social_insurance_number or "",
        flag(p.vietnamese_citizen),
        flag(p.difficult_circumstances),
        flag(p.compulsory_si),
        flag(p.receives_pension),
        day(p.bhyt_valid_until),
        day(p.left_poverty_on),
        str(p.vsi_supported_months),
        day(stay[0] if stay else None),
        day(stay[1] if stay else None),
    ]


def write_roster_csv(
    people: Iterable[Person] | Roster,
    path: str | os.PathLike[str],
    *,
    lang: Literal["vi", "en"] = "vi",
) -> Path:
    """Write people to a CSV roster that :func:`~ansinh.io.roster.load.load_roster` reads back to the same people.

    Vietnamese headers, dates ``dd/mm/yyyy`` and category labels by default;
    ``lang="en"`` writes English headers (the field names), ISO dates and
    category codes.  The file is UTF-8 with a BOM (so Excel shows Vietnamese
    correctly) and is written to a temporary file first, then renamed.  Text
    cells a spreadsheet would run as a formula get a leading ``'``
    (:func:`~ansinh.io.files.spreadsheet_text`), which the loader takes off.
    Identifiers are written in full: this is the office's working file, not a
    public list (see :mod:`ansinh.io.public_list`).

    Raises:
        InvalidValueError: an item is not a Person, or *lang* is not vi/en.
        OutputFileError: the file cannot be written.
    """
    if lang not in ("vi", "en"):
        raise InvalidValueError("lang", lang, "'vi' or 'en'")
    items = people.people if isinstance(people, Roster) else people
    rows = [[f if lang == "en" else _HEADERS_VI[f] for f in _WRITTEN]]
    for p in items:
        if not isinstance(p, Person):
            raise InvalidValueError("people", p, "ansinh.Person objects")
        rows.append(_row(p, lang))
    return write_atomic(path, csv_text(rows, lineterminator="\r\n"), bom=True)
