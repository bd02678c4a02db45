"""The participation file: whether people went on paying after their gift ended (follow-up).

A province that has no plugin for its BHXH system can enter the follow-up in a
CSV file, one row per person::

    cccd,ma_so_bhxh,trang_thai
    031190000100,,tự tiếp tục tham gia
    ,3112345678,lapsed

The status is ``renewed_by_person`` (``tự tiếp tục tham gia``, ``tự đóng``) or
``lapsed`` (``không tiếp tục``, ``dừng``); a renewal by a sponsor is seen in
the registry itself.  :func:`read_participation` gives a
:class:`ParticipationFile`, a look-up to pass as ``participation=`` to
:func:`ansinh.core.registry.follow_up`.  Every row ends as an answer or a
rejected row; identifiers in rejected rows are masked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Final

import attrs

from ansinh.core.people import Person
from ansinh.core.registry import FollowUpStatus
from ansinh.exceptions import InvalidValueError
from ansinh.io.campaign_files import _in_row_order, _read_csv
from ansinh.io.campaign_toml import plain
from ansinh.io.roster import RejectedRow

__all__ = ["PARTICIPATION_HEADERS", "ParticipationFile", "read_participation"]

PARTICIPATION_HEADERS: Final = {
    "cccd": ("cccd", "so cccd", "can cuoc"),
    "social_insurance_number": ("ma_so_bhxh", "ma so bhxh", "social_insurance_number", "bhxh"),
    "status": ("trang_thai", "trang thai", "status"),
}
"""Each field and the headers (compared without accents or case) that name it."""

_STATUSES: Final = {
    "renewed_by_person": FollowUpStatus.RENEWED_BY_PERSON,
    "tu tiep tuc tham gia": FollowUpStatus.RENEWED_BY_PERSON,
    "tu dong": FollowUpStatus.RENEWED_BY_PERSON,
    "lapsed": FollowUpStatus.LAPSED,
    "khong tiep tuc": FollowUpStatus.LAPSED,
    "dung": FollowUpStatus.LAPSED,
}


@attrs.frozen(kw_only=True)
class ParticipationFile:
    """The answers of a participation file, by identifier, and the rows kept out.

    Call it as ``participation(person, on)``: the status of the row with the
    person's CCCD, else with their mã số BHXH, else ``None``.
    """

    answers: tuple[tuple[str, str, FollowUpStatus], ...]
    """``(identifier kind, identifier, status)``: kind ``"cccd"`` or ``"social_insurance_number"``."""
    rejected: tuple[RejectedRow, ...] = ()
    _index: dict[tuple[str, str], FollowUpStatus] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {(kind, value): status for kind, value, status in self.answers})

    def __repr__(self) -> str:
        return f"ParticipationFile(answers={len(self.answers)}, rejected={len(self.rejected)})"

    def __call__(self, person: Person, on: dt.date) -> FollowUpStatus | None:
        """The status the file gives *person* (the same whatever the date *on*), or ``None``."""
        for kind in ("cccd", "social_insurance_number"):
            value = getattr(person, kind)
            if value is not None and (kind, value) in self._index:
                return self._index[kind, value]
        return None


def _identifier(field: str, text: str, digits: int) -> str | None:
    if not text:
        return None
    if len(text) != digits or not text.isascii() or not text.isdigit():
        raise InvalidValueError(field, text, f"{digits} digits")
    return text


def read_participation(path: str | os.PathLike[str]) -> ParticipationFile:
    """Read a participation file: CSV (UTF-8, split as every campaign file is) or an Excel workbook.

    Raises:
        CampaignFileError: the file cannot be read, or lacks the status column.
    """
    rows, names, broken = _read_csv(Path(path), PARTICIPATION_HEADERS, ("status",))
    answers: list[tuple[str, str, FollowUpStatus]] = []
    rejected: list[RejectedRow] = list(broken)
    seen: set[tuple[str, str]] = set()
    for number, cells in rows:
        try:
            status = _STATUSES.get(plain(cells["status"]))
            if status is None:
                raise InvalidValueError(
                    "status", cells["status"], "renewed_by_person (tự tiếp tục tham gia) or lapsed"
                )
            keys = [
                (kind, value)
                for kind, value in (
                    ("cccd", _identifier("cccd", cells.get("cccd", ""), 12)),
                    (
                        "social_insurance_number",
                        _identifier("social_insurance_number", cells.get("social_insurance_number", ""), 10),
                    ),
                )
                if value is not None
            ]
            if not keys:
                raise InvalidValueError("cccd", "", "a CCCD or a mã số BHXH on every row")
            for key in keys:
                if key in seen:
                    raise InvalidValueError(key[0], key[1], "an identifier no earlier row gave")
        except InvalidValueError as exc:
            rejected.append(RejectedRow(number, names.get(exc.field, exc.field), str(exc.value), exc.allowed))
            continue
        seen.update(keys)
        answers.extend((kind, value, status) for kind, value in keys)
    return ParticipationFile(answers=tuple(answers), rejected=_in_row_order(rejected))
