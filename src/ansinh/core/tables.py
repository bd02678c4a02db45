"""Results as tables: ``to_arrow()``, ``to_pandas()`` and ``to_polars()`` for notebooks.

:class:`Tabular` gives a result with many rows (a screening, an allocation,
a report, a roster) the three conversions from one list of plain records,
with fixed columns (an empty result still has them).  Identifiers are masked
in every record (:func:`person_record`), so a table can be shown or saved.

The libraries are imported when a conversion is asked for, never on import:
``pyarrow`` (``ansinh[bulk]``), ``pandas`` or ``polars``.

>>> import datetime as dt
>>> from ansinh.core.people import Category, Person
>>> p = Person(id="33-001", full_name="Trần Văn Bình", date_of_birth=dt.date(1958, 4, 2),
...            province="33", categories={Category.NEAR_POOR}, cccd="034058001234")
>>> record = person_record(p)
>>> record["categories"], record["cccd"]
('near_poor', '0340******34')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar, Final

from ansinh.core.people import Person
from ansinh.exceptions import InvalidValueError

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["PERSON_COLUMNS", "Tabular", "person_record"]

PERSON_COLUMNS: Final = (
    "id",
    "full_name",
    "date_of_birth",
    "province",
    "commune",
    "categories",
    "cccd",
    "social_insurance_number",
    "household_id",
    "vietnamese_citizen",
    "difficult_circumstances",
    "compulsory_si",
    "receives_pension",
    "bhyt_valid_until",
    "vsi_supported_months",
    "hospital_admission",
    "hospital_discharge",
)
"""The columns of a person's record: the names and codes :mod:`ansinh.bulk` reads."""


def person_record(person: Person) -> dict[str, object]:
    """A person as one row of :data:`PERSON_COLUMNS`: codes, dates, identifiers masked.

    ``categories`` is the category codes joined by ``";"``, as
    :func:`ansinh.bulk.screen_table` reads them.
    """
    stay = person.hospital_stay
    return {
        "id": person.id,
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth,
        "province": person.province,
        "commune": person.commune,
        "categories": ";".join(sorted(c.value for c in person.categories)),
        "cccd": person.masked_cccd,
        "social_insurance_number": person.masked_social_insurance_number,
        "household_id": person.household_id,
        "vietnamese_citizen": person.vietnamese_citizen,
        "difficult_circumstances": person.difficult_circumstances,
        "compulsory_si": person.compulsory_si,
        "receives_pension": person.receives_pension,
        "bhyt_valid_until": person.bhyt_valid_until,
        "vsi_supported_months": person.vsi_supported_months,
        "hospital_admission": stay[0] if stay else None,
        "hospital_discharge": stay[1] if stay else None,
    }


def _module(name: str, extra: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise InvalidValueError("library", name, f"an installed {name} (pip install {extra})") from None


class Tabular:
    """Adds ``to_arrow()``, ``to_pandas()`` and ``to_polars()`` to a class with ``records()``."""

    __slots__ = ()

    TABLE_COLUMNS: ClassVar[tuple[str, ...]] = ()
    """The columns of :meth:`records`, in order."""

    def records(self) -> list[dict[str, object]]:
        """One plain dict per row, with the keys :attr:`TABLE_COLUMNS`."""
        raise NotImplementedError  # pragma: no cover - every subclass defines it

    def to_arrow(self) -> pa.Table:
        """The rows as a ``pyarrow.Table`` (needs ``pyarrow``: ``ansinh[bulk]``).

        Raises:
            InvalidValueError: pyarrow is not installed.
        """
        pa = _module("pyarrow", "'ansinh[bulk]'")
        rows = self.records()
        return pa.table({c: [r[c] for r in rows] for c in self.TABLE_COLUMNS})

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame``.

        Raises:
            InvalidValueError: pandas is not installed.
        """
        pd = _module("pandas", "pandas")
        return pd.DataFrame(self.records(), columns=list(self.TABLE_COLUMNS))

    def to_polars(self) -> Any:
        """The rows as a ``polars.DataFrame``.

        Raises:
            InvalidValueError: polars is not installed.
        """
        pl = _module("polars", "polars")
        rows = self.records()
        return pl.DataFrame({c: [r[c] for r in rows] for c in self.TABLE_COLUMNS})
