"""Reading a roster table: conversion to Arrow, column checks, dictionary encoding.

Everything here works on whole columns; nothing loops over rows in Python
except over the (small) dictionaries of the categorical columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from ansinh.bulk._law_tables import KIND_CODES
from ansinh.core.people import Category
from ansinh.core.provinces import province as _province
from ansinh.exceptions import AnsinhError, InvalidValueError

__all__ = [
    "CATEGORIES",
    "DATE",
    "INCOME",
    "MONTHS",
    "PRODUCT",
    "PROVINCE",
    "RANK",
    "USED",
    "Encoded",
    "dict_codes",
    "encode",
    "encode_persons",
    "int_column",
    "to_table",
]

DATE: Final = "date"
PRODUCT: Final = "product"
MONTHS: Final = "months"
RANK: Final = "household_rank"
CATEGORIES: Final = "categories"
PROVINCE: Final = "province"
INCOME: Final = "monthly_income"
USED: Final = "vsi_supported_months"

Intp = npt.NDArray[np.intp]
_INVALID_BIT: Final = 1 << len(Category)
_CATEGORY_BIT: Final[dict[str, int]] = {c.value: 1 << i for i, c in enumerate(Category)}
_CATEGORY_OF_BIT: Final[tuple[Category, ...]] = tuple(Category)


def to_table(data: object, field: str = "table") -> pa.Table:
    """An Arrow table from *data*, without copying where the source allows it.

    Accepts a ``pyarrow.Table`` or ``RecordBatch``, a pandas or polars
    DataFrame, any object with ``__arrow_c_stream__``, or a mapping of column
    name to array (numpy arrays, lists, Arrow arrays).

    Raises:
        InvalidValueError: *data* is none of those, or has two columns of the same name.
    """
    table = _arrow(data, field)
    names = table.column_names
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise InvalidValueError(field, ", ".join(twice), "a table whose column names are all different")
    return table


def _arrow(data: object, field: str) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    module = type(data).__module__.split(".")[0]
    try:
        if module == "pandas":
            return pa.Table.from_pandas(data, preserve_index=False)
        if module == "polars":
            table = data.to_arrow()  # type: ignore[attr-defined]
            if isinstance(table, pa.Table):
                return table
        if isinstance(data, Mapping):
            return pa.table(dict(data))
        if hasattr(data, "__arrow_c_stream__"):
            return pa.table(data)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise InvalidValueError(field, type(data).__name__, f"a table Arrow can read ({exc})") from None
    raise InvalidValueError(
        field,
        type(data).__name__,
        "a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or a dict of column arrays",
    )


def _require(table: pa.Table, name: str) -> None:
    if name not in table.column_names:
        raise InvalidValueError(
            f"table.{name}", None, f"a column {name!r} (the table has: {', '.join(table.column_names)})"
        )


def _check_int(table: pa.Table, name: str) -> None:
    if name in table.column_names:
        typ = table.schema.field(name).type
        if not (pa.types.is_integer(typ) or pa.types.is_null(typ)):
            raise InvalidValueError(
                f"table.{name}", str(typ), "an integer column (floats are never accepted for money or counts)"
            )


def _date_column(table: pa.Table, name: str) -> pa.Table:
    typ = table.schema.field(name).type
    if pa.types.is_date32(typ):
        return table
    if pa.types.is_date64(typ) or pa.types.is_timestamp(typ) or pa.types.is_null(typ):
        try:
            col = table.column(name).cast(pa.date32(), safe=True)
        except pa.ArrowInvalid:
            raise InvalidValueError(
                f"table.{name}", str(typ), "dates (date32); timestamps only when every time is midnight"
            ) from None
        return table.set_column(table.schema.get_field_index(name), name, col)
    raise InvalidValueError(f"table.{name}", str(typ), "a date32 column (or date64 / midnight timestamps)")


def _as_dictionary(table: pa.Table, name: str) -> pa.Table:
    typ = table.schema.field(name).type
    if pa.types.is_dictionary(typ):
        if pa.types.is_string(typ.value_type) or pa.types.is_large_string(typ.value_type):
            return table
        if not pa.types.is_null(typ.value_type):
            raise InvalidValueError(f"table.{name}", str(typ), "strings (or a dictionary of strings)")
        typ = pa.null()  # an empty categorical (e.g. a Dask meta frame): no values at all
    if pa.types.is_null(typ):
        col = pa.chunked_array([pa.nulls(len(table), pa.string())])
    elif pa.types.is_string(typ) or pa.types.is_large_string(typ):
        col = table.column(name)
    elif pa.types.is_string_view(typ):  # polars' strings
        col = table.column(name).cast(pa.string())
    else:
        raise InvalidValueError(f"table.{name}", str(typ), "strings (or a dictionary of strings)")
    return table.set_column(table.schema.get_field_index(name), name, pc.dictionary_encode(col))


def _dictionary(col: pa.ChunkedArray) -> list[Any]:
    for chunk in col.chunks:
        return list(chunk.dictionary.to_pylist())
    return []


def parse_categories(text: str) -> frozenset[Category] | None:
    """Categories from the ``"near_poor;student"`` form; ``None`` if one is unknown.

    >>> sorted(parse_categories("student; near_poor;"))
    [<Category.NEAR_POOR: 'near_poor'>, <Category.STUDENT: 'student'>]
    >>> parse_categories("rich") is None
    True
    """
    try:
        return frozenset(Category(t) for t in (s.strip() for s in text.split(";")) if t)
    except ValueError:
        return None


def category_items(value: object) -> list[Any]:
    """A row's categories as the list a :class:`~ansinh.Person` is built from."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t for t in (s.strip() for s in value.split(";")) if t]
    if isinstance(value, list):
        return value
    return [value]


def _valid_province(code: object) -> bool:
    if not isinstance(code, str):
        return False
    try:
        _province(code)
    except AnsinhError:
        return False
    return True


@attrs.frozen(eq=False)
class Encoded:
    """A roster table with its categorical columns dictionary-encoded, and their maps.

    Category *classes* are the distinct category sets in the table; class
    ``len(classes)`` stands for an invalid entry.  Province classes are 0 (no
    programme, or no province), ``1..len(provinces)`` (a province some
    programme names) and ``len(provinces) + 1`` (not a province code).
    """

    table: pa.Table
    kind_map: Intp
    """Product dictionary index → 0 card, 1 book, 2 other."""
    classes: tuple[frozenset[Category], ...]
    cat_map: Intp | None
    """Category dictionary index → class (dictionary or string column)."""
    cat_rows: Intp | None
    """Class of each row (list column); ``None`` otherwise."""
    provinces: tuple[str, ...]
    prov_map: Intp | None
    """Province dictionary index → province class; ``None`` when no column."""
    has_invalid_province: bool

    @property
    def n_classes(self) -> int:
        """Number of category classes including the invalid one."""
        return len(self.classes) + 1

    @property
    def n_provinces(self) -> int:
        """Number of province classes including 0 and the invalid one."""
        return len(self.provinces) + 2


def _list_classes(
    col: pa.ChunkedArray, classes: list[frozenset[Category]], index: dict[frozenset[Category], int]
) -> Intp:
    masks = np.zeros(len(col), dtype=np.intp)
    pos = 0
    for chunk in col.chunks:
        n = len(chunk)
        if n == 0:
            continue
        values = chunk.values
        enc = pc.dictionary_encode(values)
        words = enc.dictionary.to_pylist()
        bits = np.array(
            [_CATEGORY_BIT.get(w, _INVALID_BIT) if w is not None else _INVALID_BIT for w in words]
        )
        bits = np.append(bits, _INVALID_BIT).astype(np.intp)
        idx = enc.indices.fill_null(len(words)).to_numpy(zero_copy_only=False).astype(np.intp)
        vbits = np.append(bits[idx], 0)
        offsets = chunk.offsets.to_numpy(zero_copy_only=False).astype(np.intp)
        starts = offsets[:-1]
        lengths = offsets[1:] - starts
        reduced = np.bitwise_or.reduceat(vbits, np.minimum(starts, len(vbits) - 1)) if n else vbits[:0]
        reduced[lengths == 0] = 0
        if chunk.null_count:
            reduced[chunk.is_null().to_numpy(zero_copy_only=False)] = 0
        masks[pos : pos + n] = reduced
        pos += n
    present = np.flatnonzero(np.bincount(masks, minlength=1))
    remap = np.zeros(int(present.max()) + 1 if present.size else 1, dtype=np.intp)
    for m in present.tolist():
        if m & _INVALID_BIT:
            remap[m] = -1
            continue
        cats = frozenset(c for i, c in enumerate(_CATEGORY_OF_BIT) if m >> i & 1)
        if cats not in index:
            index[cats] = len(classes)
            classes.append(cats)
        remap[m] = index[cats]
    out: Intp = remap[masks]
    return out


def _encode_categories(
    table: pa.Table,
) -> tuple[pa.Table, list[frozenset[Category]], Intp | None, Intp | None]:
    classes: list[frozenset[Category]] = [frozenset()]
    if CATEGORIES not in table.column_names:
        return table, classes, None, None
    typ = table.schema.field(CATEGORIES).type
    index: dict[frozenset[Category], int] = {frozenset(): 0}
    cat_map: Intp | None = None
    cat_rows: Intp | None = None
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        if pa.types.is_string_view(typ.value_type):  # polars' strings
            i = table.schema.get_field_index(CATEGORIES)
            table = table.set_column(i, CATEGORIES, table.column(CATEGORIES).cast(pa.list_(pa.string())))
        elif not (
            pa.types.is_string(typ.value_type)
            or pa.types.is_large_string(typ.value_type)
            or pa.types.is_null(typ.value_type)
        ):
            raise InvalidValueError(f"table.{CATEGORIES}", str(typ), "a list of strings")
        cat_rows = _list_classes(table.column(CATEGORIES), classes, index)
    else:
        table = _as_dictionary(table, CATEGORIES).unify_dictionaries()
        codes = []
        for text in _dictionary(table.column(CATEGORIES)):
            cats = parse_categories(text) if isinstance(text, str) else None
            if cats is None:
                codes.append(-1)
                continue
            if cats not in index:
                index[cats] = len(classes)
                classes.append(cats)
            codes.append(index[cats])
        cat_map = np.array([*codes, 0], dtype=np.intp)
    invalid = len(classes)
    for arr in (cat_map, cat_rows):
        if arr is not None:
            arr[arr < 0] = invalid
    return table, classes, cat_map, cat_rows


def encode(table: pa.Table, supported_provinces: frozenset[str]) -> Encoded:
    """Check the columns of a roster table and encode its categorical columns.

    Args:
        table: the roster.
        supported_provinces: province codes some local-support programme names.

    Raises:
        InvalidValueError: a required column is missing or a column has the wrong type.
    """
    for name in (DATE, PRODUCT, MONTHS):
        _require(table, name)
    for name in (MONTHS, RANK, INCOME, USED):
        _check_int(table, name)
    table = _date_column(table, DATE)
    table = _as_dictionary(table, PRODUCT)
    if PROVINCE in table.column_names:
        table = _as_dictionary(table, PROVINCE)
    table = table.unify_dictionaries()
    table, classes, cat_map, cat_rows = _encode_categories(table)

    kinds = [KIND_CODES.get(v, 2) if isinstance(v, str) else 2 for v in _dictionary(table.column(PRODUCT))]
    kind_map = np.array([*kinds, 2], dtype=np.intp)

    provinces: list[str] = []
    prov_map: Intp | None = None
    bad_province = False
    if PROVINCE in table.column_names:
        entries = _dictionary(table.column(PROVINCE))
        provinces = sorted({p for p in entries if isinstance(p, str) and p in supported_provinces})
        pindex = {p: i + 1 for i, p in enumerate(provinces)}
        codes = []
        for p in entries:
            if not _valid_province(p):
                codes.append(len(provinces) + 1)
                bad_province = True
            else:
                codes.append(pindex.get(p, 0))
        prov_map = np.array([*codes, 0], dtype=np.intp)
    return Encoded(
        table=table,
        kind_map=kind_map,
        classes=tuple(classes),
        cat_map=cat_map,
        cat_rows=cat_rows,
        provinces=tuple(provinces),
        prov_map=prov_map,
        has_invalid_province=bad_province,
    )


@attrs.frozen(eq=False)
class PersonsEncoded:
    """A persons table for screening, with its category classes and province maps."""

    table: pa.Table
    classes: tuple[frozenset[Category], ...]
    cat_map: Intp | None
    cat_rows: Intp | None
    prov_map: Intp
    """Province dictionary index (plus one slot for null) → itself (for sizing)."""
    prov_bad: npt.NDArray[np.bool_]
    """Province dictionary index (and null) → not a valid province code."""
    outside: npt.NDArray[np.bool_] | None
    """Province dictionary index → outside the campaign's province; ``None``: national."""


_BOOL_COLUMNS: Final = (
    "difficult_circumstances",
    "vietnamese_citizen",
    "compulsory_si",
    "receives_pension",
)


def encode_persons(table: pa.Table, campaign_province: str | None) -> PersonsEncoded:
    """Check and encode a persons table for :func:`ansinh.bulk.screen_table`.

    Raises:
        InvalidValueError: a required column is missing or a column has the wrong type.
    """
    for name in ("date_of_birth", PROVINCE):
        _require(table, name)
    _check_int(table, USED)
    for name in _BOOL_COLUMNS:
        if name in table.column_names:
            typ = table.schema.field(name).type
            if not (pa.types.is_boolean(typ) or pa.types.is_null(typ)):
                raise InvalidValueError(f"table.{name}", str(typ), "a boolean column")
            if pa.types.is_null(typ):
                i = table.schema.get_field_index(name)
                table = table.set_column(i, name, table.column(name).cast(pa.bool_()))
    for name in ("date_of_birth", "bhyt_valid_until", "hospital_admission", "hospital_discharge"):
        if name in table.column_names:
            table = _date_column(table, name)
    table = _as_dictionary(table, PROVINCE).unify_dictionaries()
    table, classes, cat_map, cat_rows = _encode_categories(table)
    entries = _dictionary(table.column(PROVINCE))
    prov_bad = np.array([not _valid_province(p) for p in entries] + [True], dtype=bool)
    outside = None
    if campaign_province is not None:
        outside = np.array([p != campaign_province for p in entries] + [True], dtype=bool)
    return PersonsEncoded(
        table=table,
        classes=tuple(classes),
        cat_map=cat_map,
        cat_rows=cat_rows,
        prov_map=np.arange(len(entries) + 1, dtype=np.intp),
        prov_bad=prov_bad,
        outside=outside,
    )


def int_column(
    arr: pa.Array | None, n: int, fill: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_] | None]:
    """An integer column of a batch as int64 (nulls replaced by *fill*) and its null mask."""
    if arr is None or pa.types.is_null(arr.type):
        return np.full(n, fill, dtype=np.int64), (None if arr is None else np.ones(n, dtype=bool))
    nulls = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
    if arr.type != pa.int64():
        arr = arr.cast(pa.int64(), safe=False)
    if nulls is not None:
        arr = arr.fill_null(fill)
    values: npt.NDArray[np.int64] = arr.to_numpy(zero_copy_only=False)
    return values, nulls


def dict_codes(arr: pa.Array, missing: int) -> npt.NDArray[np.integer[Any]]:
    """Dictionary indices of a batch column in their own integer type, nulls mapped to *missing*.

    No copy when the column has no nulls (the indices are read in place).
    """
    idx = arr.indices
    if arr.null_count:
        if missing > np.iinfo(idx.type.to_pandas_dtype()).max:
            idx = idx.cast(pa.int64())
        idx = idx.fill_null(missing)
    out: npt.NDArray[np.integer[Any]] = idx.to_numpy(zero_copy_only=False)
    if arr.null_count and arr.indices.null_count != arr.null_count:
        # nulls in the dictionary itself
        out = np.where(arr.is_null().to_numpy(zero_copy_only=False), missing, out)
    return out


def dict_indices(arr: pa.Array, missing: int) -> Intp:
    """Dictionary indices of a batch column as intp, with nulls mapped to *missing*."""
    out: Intp = dict_codes(arr, missing).astype(np.intp, copy=False)
    return out
