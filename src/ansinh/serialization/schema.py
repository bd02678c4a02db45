"""JSON Schemas (draft 2020-12) of ansinh's documents, for systems written in other languages.

:func:`~ansinh.serialization.json_schema` describes exactly what :func:`~ansinh.serialization.dump_document`
writes for one document type; the schemas of the main documents
(:func:`shipped_schema_names`) ship in ``ansinh/data/schemas/`` and are
regenerated with ``python -m ansinh.serialization --write-schemas``
(:func:`write_schemas`).

>>> json_schema("tet_gift")["properties"]["type"]
{'const': 'tet_gift'}
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import typing
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import attrs

from ansinh.core.law import Link, RateTable
from ansinh.core.products import ProductKind
from ansinh.core.validators import Check
from ansinh.serialization._shapes import (
    DATE_PATTERN,
    FRACTION_PATTERN,
    INT_OR_FRACTION_ARGS,
    PARAM_OR_LINK_ARGS,
    PARAM_VALUE_ARGS,
    TAG_OF,
    UNITS_TYPE,
    TaggedUnion,
    is_ansinh_attrs,
    is_ansinh_enum,
    is_frozenset,
    is_tuple,
    public_fields,
    tagged_union,
    union_args,
)
from ansinh.serialization.documents import document_types, schema_version

__all__ = ["json_schema", "schema_of", "schema_text", "shipped_schema_names", "write_schemas"]

_JSON_SCHEMA_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_SHIPPED_SCHEMAS: Final = ("quote", "decision", "campaign", "ledger_event", "person", "pledge", "gift", "law")
"""The document types whose JSON Schema ships in ``ansinh/data/schemas``."""


_SCALARS: Final[dict[type, dict[str, Any]]] = {
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    str: {"type": "string"},
    dt.date: {"type": "string", "format": "date", "pattern": DATE_PATTERN},
}


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n", 1)[0].strip()


class _SchemaBuilder:
    """Builds JSON Schemas that describe exactly what :func:`make_converter` writes."""

    def __init__(self, *, public: bool = False) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self.public = public

    def ref(self, name: str) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{name}"}

    def of(self, tp: Any) -> dict[str, Any]:
        """The schema of one type hint (a ``$ref`` for enums and attrs classes)."""
        scalar = _SCALARS.get(tp) if isinstance(tp, type) else None
        if scalar is not None:
            return dict(scalar)
        if tp is Fraction:
            return self.rate()
        if is_frozenset(tp):
            return {"type": "array", "items": self.of(typing.get_args(tp)[0]), "uniqueItems": True}
        if tp == UNITS_TYPE:
            return self.units()
        if tp is RateTable:
            return self.rate_table()
        if is_ansinh_enum(tp):
            return self.enum(tp)
        if union_args(tp) is not None:
            return self.union(tp)
        if is_tuple(tp):
            return self.sequence(tp)
        if is_ansinh_attrs(tp):
            return self.attrs_class(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new type needs a branch

    def units(self) -> dict[str, Any]:
        """A pledge's units: a list of product kinds with their counts (>= 0, as ``Pledge`` checks)."""
        return {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"kind": self.of(ProductKind), "count": {"type": "integer", "minimum": 0}},
                "required": ["count", "kind"],
                "additionalProperties": False,
            },
        }

    def enum(self, tp: Any) -> dict[str, Any]:
        """A ``$ref`` to an ansinh enum, defined once by its values."""
        name = tp.__name__
        if name not in self.defs:
            self.defs[name] = {
                "description": _first_line(tp.__doc__),
                "type": "string",
                "enum": [m.value for m in tp],
            }
        return self.ref(name)

    def union(self, tp: Any) -> dict[str, Any]:
        """A union: parameter values, tagged unions, int-or-rate, or ``anyOf`` its members."""
        args = union_args(tp)
        if args == PARAM_VALUE_ARGS:
            return self.param_value()
        if args == PARAM_OR_LINK_ARGS:
            return {"anyOf": [self.param_value(), self.of(Link)]}
        union = tagged_union(tp)
        if union is not None:
            return self.tagged_union(union)
        if args == INT_OR_FRACTION_ARGS:
            return {"anyOf": [{"type": "integer"}, self.rate()]}
        members = [a for a in typing.get_args(tp) if a is not type(None)]
        alternatives = [self.of(a) for a in members]
        if type(None) in typing.get_args(tp):
            alternatives.append({"type": "null"})
        return {"anyOf": alternatives}

    def sequence(self, tp: Any) -> dict[str, Any]:
        """A homogeneous ``tuple[X, ...]`` or a fixed-length tuple."""
        targs = typing.get_args(tp)
        if len(targs) == 2 and targs[1] is Ellipsis:
            return {"type": "array", "items": self.of(targs[0])}
        return {
            "type": "array",
            "prefixItems": [self.of(a) for a in targs],
            "items": False,
            "minItems": len(targs),
            "maxItems": len(targs),
        }

    def attrs_class(self, cl: type[Any]) -> dict[str, Any]:
        name = cl.__name__
        if name in self.defs:
            return self.ref(name)
        self.defs[name] = {}  # reserve the name: classes may refer to themselves
        hints = typing.get_type_hints(cl)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if cl in TAG_OF:
            key, tag = TAG_OF[cl]
            properties[key] = {"const": tag}
            required.append(key)
        for a in public_fields(cl):
            properties[a.name] = self.of(hints[a.name])
            if isinstance(a.validator, Check):
                # The constraints the class checks, read from its own validator.
                properties[a.name].update(a.validator.json_schema(public=self.public))
            if a.default is attrs.NOTHING:
                required.append(a.name)
        self.defs[name] = {
            "description": _first_line(cl.__doc__),
            "type": "object",
            "properties": properties,
            "required": sorted(required),
            "additionalProperties": False,
        }
        return self.ref(name)

    def rate(self) -> dict[str, Any]:
        self.defs.setdefault(
            "Rate",
            {
                "description": 'An exact rate: a decimal string ("0.045") or "numerator/denominator" ("1/3").',
                "type": "string",
                "pattern": FRACTION_PATTERN,
            },
        )
        return self.ref("Rate")

    def rate_table(self) -> dict[str, Any]:
        if "RateTable" not in self.defs:
            self.defs["RateTable"] = {
                "description": _first_line(RateTable.__doc__),
                "type": "object",
                "properties": {
                    "entries": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"key": {"type": "string"}, "rate": self.rate()},
                            "required": ["key", "rate"],
                            "additionalProperties": False,
                        },
                    }
                },
                "required": ["entries"],
                "additionalProperties": False,
            }
        return self.ref("RateTable")

    def param_value(self) -> dict[str, Any]:
        if "ParamValue" not in self.defs:
            self.defs["ParamValue"] = {
                "description": "A parameter value: amount or count, rate, rate table, or allowed months.",
                "anyOf": [
                    {"type": "integer"},
                    self.rate(),
                    self.rate_table(),
                    {"type": "array", "items": {"type": "integer"}},
                ],
            }
        return self.ref("ParamValue")

    def tagged_union(self, union: TaggedUnion) -> dict[str, Any]:
        if union.name not in self.defs:
            self.defs[union.name] = {}  # reserve the name
            self.defs[union.name] = {
                "description": union.description,
                "oneOf": [self.attrs_class(cl) for cl, _ in union.members],
            }
        return self.ref(union.name)


def json_schema(name: str, *, public: bool = False) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document type *name*.

    The schema describes the whole envelope (``schema_version``, ``type``,
    ``data``); its ``$defs`` hold one definition per class.

    Args:
        name: one of :func:`document_types`.
        public: describe the public form, in which identifiers (CCCD, mã số
            BHXH) are masked as the command line prints them; read such a
            document with ``load_document(..., masked_identifiers=True)``.

    Raises:
        InvalidValueError: *name* is not one of :func:`document_types`.

    >>> s = json_schema("quote")
    >>> s["properties"]["type"], sorted(s["$defs"]["Quote"]["required"])[:3]
    ({'const': 'quote'}, ['gross', 'group', 'lines'])
    """
    version = schema_version(name)  # refuses an unknown name
    cl = document_types()[name]
    builder = _SchemaBuilder(public=public)
    union = tagged_union(cl)
    data = builder.of(cl)
    form = " (public: identifiers masked)" if public else ""
    return {
        "$schema": _JSON_SCHEMA_DIALECT,
        "$id": f"urn:ansinh:schema:{name}:{version}" + (":public" if public else ""),
        "title": f"ansinh {name} document{form}, schema version {version}",
        "description": union.description if union is not None else _first_line(cl.__doc__),
        "type": "object",
        "properties": {
            "schema_version": {"const": version},
            "type": {"const": name},
            "data": data,
        },
        "required": ["data", "schema_version", "type"],
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }


def schema_of(tp: Any, defs: dict[str, Any], *, public: bool = False) -> dict[str, Any]:
    """The JSON Schema of one type hint as the converter writes it, for documents built around ansinh's.

    Classes and enums become ``$ref`` s to ``#/$defs/<name>``; their
    definitions are added to *defs* (put it in the schema's ``$defs``).  The
    command line's own documents are described this way.

    >>> import ansinh
    >>> defs = {}
    >>> schema_of(tuple[int, ...], defs), schema_of(ansinh.ProductKind, defs), list(defs)
    ({'type': 'array', 'items': {'type': 'integer'}}, {'$ref': '#/$defs/ProductKind'}, ['ProductKind'])
    """
    builder = _SchemaBuilder(public=public)
    builder.defs = defs
    return builder.of(tp)


def schema_text(name: str) -> str:
    """The text of :func:`json_schema` as shipped (sorted keys would lose meaning; insertion order is kept)."""
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_names() -> tuple[str, ...]:
    """The document types whose schema ships in ``ansinh/data/schemas``."""
    return _SHIPPED_SCHEMAS


def write_schemas(directory: str | os.PathLike[str] | None = None) -> tuple[Path, ...]:
    """Write ``<name>.schema.json`` for each shipped document type.

    Each file is written to a temporary file and renamed, so a reader never
    sees half a schema.

    Args:
        directory: where to write (default: the package's ``data/schemas``).

    Returns:
        The paths written.
    """
    target = Path(directory) if directory is not None else Path(__file__).parents[1] / "data" / "schemas"
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _SHIPPED_SCHEMAS:
        path = target / f"{name}.schema.json"
        fd, tmp = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(schema_text(name))
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return tuple(written)
