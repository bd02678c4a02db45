"""The HTTP API's own documents, in ansinh's envelope, with their JSON Schemas side by side.

Most answers are the library's documents exactly as
:func:`ansinh.serialization.dump_document` writes them (quote, decision,
law, report).  A few answers have no library type of their own; they use the
same envelope ``{"schema_version", "type", "data"}``, with these types
(each at version :data:`API_DOCUMENT_VERSION`):

* ``law_parameter`` — one legal parameter, its whole history and the value
  in force on a date (``GET /law/{name}``);
* ``plugins`` — the registered plugins (``GET /plugins``);
* ``campaigns`` — the campaigns of the store (``GET /campaigns``);
* ``rejected_row``, ``duplicate`` and ``screening_summary`` — lines of the
  answer of ``POST /screen`` (besides ``decision`` documents).

The schemas here refer to the library's definitions
(``#/components/schemas/Parameter`` …) that :mod:`ansinh.serve.openapi`
takes from :func:`ansinh.serialization.json_schema`.

>>> envelope("plugins", [])
{'schema_version': 1, 'type': 'plugins', 'data': []}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import Screening
from ansinh.core.law import LawValue, Parameter
from ansinh.core.products import Product
from ansinh.io.roster import Duplicate, RejectedRow
from ansinh.plugin_manager import PluginInfo
from ansinh.serialization import make_converter

__all__ = [
    "API_DOCUMENTS",
    "API_DOCUMENT_VERSION",
    "api_schemas",
    "campaigns_document",
    "duplicate_document",
    "envelope",
    "law_parameter_document",
    "plugins_document",
    "rejected_row_document",
    "screening_summary_document",
]

API_DOCUMENT_VERSION: Final = 1
"""The ``schema_version`` of every document type of :data:`API_DOCUMENTS`."""

API_DOCUMENTS: Final = (
    "law_parameter",
    "plugins",
    "campaigns",
    "rejected_row",
    "duplicate",
    "screening_summary",
)
"""The document types the HTTP API adds to the library's (see the module docstring)."""

_CONVERTER: Final = make_converter()


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(description: str, properties: Mapping[str, Any], optional: Iterable[str] = ()) -> dict[str, Any]:
    skip = set(optional)
    return {
        "description": description,
        "type": "object",
        "properties": dict(properties),
        "required": sorted(k for k in properties if k not in skip),
        "additionalProperties": False,
    }


_DATE: Final = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def envelope(type_name: str, data: object) -> dict[str, Any]:
    """``{"schema_version": 1, "type": type_name, "data": data}`` for one of :data:`API_DOCUMENTS`."""
    return {"schema_version": API_DOCUMENT_VERSION, "type": type_name, "data": data}


def _envelope_schema(type_name: str, description: str, data: dict[str, Any]) -> dict[str, Any]:
    return _object(
        description,
        {
            "schema_version": {"const": API_DOCUMENT_VERSION},
            "type": {"const": type_name},
            "data": data,
        },
    )


def law_parameter_document(
    parameter: Parameter, on: dt.date | None, in_force: LawValue | None
) -> dict[str, Any]:
    """A ``law_parameter`` document: the parameter's history and, with *on*, the value in force then."""
    return envelope(
        "law_parameter",
        {
            "parameter": _CONVERTER.unstructure(parameter),
            "on": None if on is None else on.isoformat(),
            "in_force": None if in_force is None else _CONVERTER.unstructure(in_force),
        },
    )


def plugins_document(plugins: Iterable[PluginInfo]) -> dict[str, Any]:
    """A ``plugins`` document listing *plugins*."""
    return envelope("plugins", [_CONVERTER.unstructure(p) for p in plugins])


def campaigns_document(campaigns: Iterable[Campaign]) -> dict[str, Any]:
    """A ``campaigns`` document: the data of each campaign."""
    return envelope("campaigns", [_CONVERTER.unstructure(c) for c in campaigns])


def rejected_row_document(row: RejectedRow) -> dict[str, Any]:
    """A ``rejected_row`` line: a roster row (or JSON line) that could not be read (value masked)."""
    return envelope("rejected_row", _CONVERTER.unstructure(row))


def duplicate_document(duplicate: Duplicate) -> dict[str, Any]:
    """A ``duplicate`` line: one identifier found on several rows (masked; the people are not merged)."""
    return envelope("duplicate", _CONVERTER.unstructure(duplicate))


def screening_summary_document(
    screening: Screening, *, source: str, people: int, rejected_rows: int, duplicates: int
) -> dict[str, Any]:
    """The ``screening_summary`` line that ends the answer of ``POST /screen``."""
    return envelope(
        "screening_summary",
        {
            "source": source,
            "product": _CONVERTER.unstructure(screening.product, Product),
            "on": screening.on.isoformat(),
            "people": people,
            "eligible": len(screening.eligible),
            "ineligible": len(screening.ineligible),
            "rejected_rows": rejected_rows,
            "duplicates": duplicates,
            "reason_counts": [{"code": code, "count": n} for code, n in screening.reason_counts()],
        },
    )


def _law_value_schema() -> dict[str, Any]:
    return _object(
        "One parameter in one law period: its value (links resolved) and where it comes from.",
        {
            "name": {"type": "string"},
            "kind": _ref("ParamKind"),
            "unit": {"type": "string"},
            "label_vi": {"type": "string"},
            "label_en": {"type": "string"},
            "value": _ref("ParamValue"),
            "citation": _ref("Citation"),
            "status": _ref("SourceStatus"),
            "sources": {"type": "array", "items": _ref("DatedValue")},
        },
    )


def api_schemas() -> dict[str, dict[str, Any]]:
    """The JSON Schemas of :data:`API_DOCUMENTS` and of the classes they hold, by component name."""
    string_or_null = {"type": ["string", "null"]}
    count = {"type": "integer", "minimum": 0}
    return {
        "LawValue": _law_value_schema(),
        "LawParameterDocument": _envelope_schema(
            "law_parameter",
            "A legal parameter: its whole history and, when a date was asked, the value in force then.",
            _object(
                "The parameter, the date asked (or null) and the value in force on it (or null).",
                {
                    "parameter": _ref("Parameter"),
                    "on": _nullable(_DATE),
                    "in_force": _nullable(_ref("LawValue")),
                },
            ),
        ),
        "PluginInfo": _object(
            "One registered plugin.",
            {
                "name": {"type": "string"},
                "distribution": string_or_null,
                "version": string_or_null,
                "hooks": {"type": "array", "items": {"type": "string"}},
                "builtin": {"type": "boolean"},
                "contributes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "kind": {"type": "string"},
                            "names": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["kind", "names"],
                    },
                },
                "error": string_or_null,
            },
        ),
        "PluginsDocument": _envelope_schema(
            "plugins", "The registered plugins.", {"type": "array", "items": _ref("PluginInfo")}
        ),
        "CampaignsDocument": _envelope_schema(
            "campaigns", "The campaigns of the server's store.", {"type": "array", "items": _ref("Campaign")}
        ),
        "RejectedRow": _object(
            "One problem with one row that kept it out of the screening.",
            {
                "row": count,
                "column": {"type": "string"},
                "value": {"type": "string"},
                "reason": {"type": "string"},
            },
        ),
        "RejectedRowDocument": _envelope_schema(
            "rejected_row", "A row (or JSON line) that could not be read.", _ref("RejectedRow")
        ),
        "Duplicate": _object(
            "A person appearing more than once (same CCCD or mã số BHXH): flagged, not merged.",
            {
                "field": {"type": "string"},
                "value": {"type": "string"},
                "rows": {"type": "array", "items": count},
                "person_ids": {"type": "array", "items": {"type": "string"}},
            },
        ),
        "DuplicateDocument": _envelope_schema(
            "duplicate", "An identifier found on several rows.", _ref("Duplicate")
        ),
        "ScreeningSummary": _object(
            "Counts of one screening: people read, eligible, not eligible, rows rejected, reasons.",
            {
                "source": {"type": "string"},
                "product": _ref("Product"),
                "on": _DATE,
                "people": count,
                "eligible": count,
                "ineligible": count,
                "rejected_rows": count,
                "duplicates": count,
                "reason_counts": {
                    "type": "array",
                    "items": _object(
                        "How many people got a reason code.", {"code": {"type": "string"}, "count": count}
                    ),
                },
            },
        ),
        "ScreeningSummaryDocument": _envelope_schema(
            "screening_summary", "The last line of a screening.", _ref("ScreeningSummary")
        ),
        "ScreeningLine": {
            "description": "One line of the answer of POST /screen.",
            "oneOf": [
                _ref("DecisionDocument"),
                _ref("RejectedRowDocument"),
                _ref("DuplicateDocument"),
                _ref("ScreeningSummaryDocument"),
            ],
        },
    }
