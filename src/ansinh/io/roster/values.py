"""What a load gives back: the :class:`Roster` with its :class:`RejectedRow` and :class:`Duplicate` entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs

from ansinh.core.messages import shorten, shown
from ansinh.core.people import Person
from ansinh.core.tables import PERSON_COLUMNS, Tabular, person_record
from ansinh.exceptions import InvalidValueError

__all__ = ["Cell", "Duplicate", "RejectedRow", "Roster"]

Cell = str | dt.date
"""A cell as read: text (CSV, most Excel cells) or a date (Excel date cells)."""


_REASON_CHARACTERS = 500


def _value_text(value: Any) -> str:
    """A cell as a rejected row shows it: text shortened, anything else as :func:`~ansinh.core.messages.shown`."""
    return shorten(value) if isinstance(value, str) else shown(value)


def _reason_text(reason: Any) -> str:
    return shorten(reason if isinstance(reason, str) else shown(reason), _REASON_CHARACTERS)


@attrs.frozen
class RejectedRow:
    """One problem with one row that kept it out of the roster.

    Whatever builds it, the value is shortened and every run of nine or more
    digits in the column, value and reason is masked
    (:func:`~ansinh.core.identifiers.mask_digits`): a CCCD typed into any
    column is never shown whole.

    >>> RejectedRow(3, "Họ và tên", "001170012389", "not a name")
    RejectedRow(row=3, column='Họ và tên', value='0011******89', reason='not a name')
    """

    row: int
    """Row number as a spreadsheet shows it (header = 1); 0 for the whole file."""
    column: str = attrs.field(converter=_value_text)
    """The header as written in the file; empty when the whole row is at fault."""
    value: str = attrs.field(converter=_value_text)
    """The value (identifiers masked, long values shortened)."""
    reason: str = attrs.field(converter=_reason_text)
    """What is wrong and what is allowed."""

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.value!r}: {self.reason}"


@attrs.frozen
class Duplicate:
    """A person appearing more than once (same CCCD or same mã số BHXH): flagged, not merged."""

    field: str
    """``"cccd"`` or ``"social_insurance_number"``."""
    value: str
    """The identifier, masked."""
    rows: tuple[int, ...]
    """The rows it appears on."""
    person_ids: tuple[str, ...]
    """The ids of the people on those rows."""


@attrs.frozen(kw_only=True, repr=False)
class Roster(Tabular):
    """A loaded candidate list: accepted people, rejected rows, duplicates.

    ``to_arrow()``, ``to_pandas()``, ``to_polars()``: one row per accepted person
    with English column names and codes, identifiers masked
    (:func:`~ansinh.core.tables.person_record`) — the table :func:`ansinh.bulk.screen_table`
    and :func:`ansinh.bulk.price_table` read.
    """

    TABLE_COLUMNS: ClassVar[tuple[str, ...]] = PERSON_COLUMNS

    source: str
    """Where it was read from."""
    people: tuple[Person, ...]
    """The accepted people, in file order (duplicates included)."""
    rows: tuple[int, ...]
    """The row number of each accepted person (same order as :attr:`people`)."""
    rejected: tuple[RejectedRow, ...]
    """Every problem found, one entry per row and column at fault (a row's in the order of
    :data:`~ansinh.io.roster.columns.COLUMNS`)."""
    duplicates: tuple[Duplicate, ...]
    """People appearing more than once, by identifier."""
    columns: tuple[tuple[str, str], ...]
    """``(header as written, field)`` for every recognised column."""
    ignored_columns: tuple[str, ...] = ()
    """Headers that were not recognised (their cells are not read)."""
    lines_read: int = 0
    """Lines (CSV) or rows (Excel, other sources) read after the header, blank ones included.

    Every one is accounted for, and each load checks it::

        lines_read == len(people) + len(rejected_rows) + blank_lines + joined_lines

    (people listed twice are among :attr:`people`, flagged in :attr:`duplicates`)."""
    blank_lines: int = 0
    """Lines or rows after the header with nothing but white space in them (skipped)."""
    joined_lines: int = 0
    """CSV lines that continue a quoted cell of the row above (a cell holding a line break)."""

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def __repr__(self) -> str:
        return (
            f"Roster(source={self.source!r}, people={len(self.people)}, "
            f"rejected_rows={len(self.rejected_rows)}, duplicates={len(self.duplicates)})"
        )

    def records(self) -> list[dict[str, object]]:
        """One row per accepted person, in file order (:func:`~ansinh.core.tables.person_record`)."""
        return [person_record(p) for p in self.people]

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The numbers of the rows with at least one problem, in order."""
        return tuple(sorted({r.row for r in self.rejected}))

    def row_of(self, person_id: str) -> int:
        """The row a person was read from.

        Raises:
            InvalidValueError: no accepted person has that id.
        """
        for p, row in zip(self.people, self.rows, strict=True):
            if p.id == person_id:
                return row
        raise InvalidValueError("person_id", person_id, "the id of a person in this roster")
