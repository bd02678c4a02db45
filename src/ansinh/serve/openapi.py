"""The OpenAPI 3.1 document of the HTTP API, built from the same JSON Schemas as the documents.

The wire format is ansinh's own JSON documents (rates as strings, money as
integers, tagged unions, ``schema_version`` envelopes), so the component
schemas are not derived from the attrs classes by a web framework: they are
:func:`ansinh.serialization.json_schema` of each document type, with their
``$defs`` moved to ``#/components/schemas``, plus the API's own documents
(:func:`ansinh.serve.documents.api_schemas`), the request bodies and the
problem document.  A ``oneOf`` whose members all carry a constant tag
(``kind``, ``type``) gets an OpenAPI ``discriminator``, which client
generators use to pick the class.

>>> doc = openapi_document()
>>> doc["openapi"], sorted(doc["paths"])[:3]
('3.1.0', ['/campaigns', '/campaigns/{code}/report', '/check'])
>>> doc["components"]["schemas"]["Product"]["discriminator"]["propertyName"]
'kind'
"""

from __future__ import annotations

import copy
import html
from typing import Any, Final

from ansinh.serialization import json_schema, schema_version
from ansinh.serve.documents import API_DOCUMENT_VERSION, api_schemas
from ansinh.serve.problems import PROBLEM_MEDIA_TYPE, ProblemType
from ansinh.serve.screening import JSON_LINES_TYPES, XLSX_TYPE

__all__ = ["LIBRARY_DOCUMENTS", "docs_page", "openapi_document"]

LIBRARY_DOCUMENTS: Final = (
    "quote",
    "decision",
    "person",
    "campaign",
    "report",
    "law",
    "health_card",
    "social_book",
    "tet_gift",
)
"""The library document types the API reads or writes (their schemas are in the components)."""

_REF_PREFIX: Final = "#/components/schemas/"
_DATE: Final = {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_JSON: Final = "application/json"
_NDJSON: Final = JSON_LINES_TYPES[0]


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": _REF_PREFIX + name}


def _document_name(type_name: str) -> str:
    """``"health_card"`` → ``"HealthCardDocument"``."""
    return "".join(part.title() for part in type_name.split("_")) + "Document"


def _moved(schema: Any) -> Any:
    """*schema* with references to ``#/$defs/X`` pointing at ``#/components/schemas/X``."""
    if isinstance(schema, dict):
        return {
            k: (_REF_PREFIX + v.removeprefix("#/$defs/") if k == "$ref" and isinstance(v, str) else _moved(v))
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_moved(v) for v in schema]
    return schema


def _add(schemas: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    if name in schemas and schemas[name] != schema:
        raise ValueError(f"two different JSON Schemas are named {name!r}")  # pragma: no cover - a naming bug
    schemas[name] = schema


def _library_schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for name in LIBRARY_DOCUMENTS:
        full = json_schema(name)
        for def_name, definition in full["$defs"].items():
            _add(schemas, def_name, _moved(definition))
        envelope = {k: v for k, v in full.items() if k not in ("$schema", "$id", "$defs")}
        _add(schemas, _document_name(name), _moved(envelope))
    return schemas


def _input(data: str, document: str, what: str) -> dict[str, Any]:
    return {
        "description": f"{what}: its data, or a whole {document} (schema_version, type, data).",
        "oneOf": [_ref(data), _ref(document)],
    }


def _request(description: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "description": description,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _request_schemas() -> dict[str, Any]:
    on = {**_DATE, "description": "The date (ISO YYYY-MM-DD)."}
    campaign = {
        **_nullable(_ref("CampaignInput")),
        "description": "The campaign (province, Tết dates), optional.",
    }
    return {
        "ProductDocument": {
            "description": "A whole product document.",
            "oneOf": [_ref("HealthCardDocument"), _ref("SocialBookDocument"), _ref("TetGiftDocument")],
        },
        "ProductInput": _input("Product", "ProductDocument", "A product"),
        "PersonInput": _input("Person", "PersonDocument", "A person"),
        "CampaignInput": _input("Campaign", "CampaignDocument", "A campaign"),
        "PriceRequest": _request(
            "What to price, for whom, on which purchase date.",
            {
                "product": _ref("ProductInput"),
                "who": {
                    **_nullable(_ref("PersonInput")),
                    "description": "The recipient; null: a general participant.",
                },
                "on": on,
            },
            ["on", "product"],
        ),
        "CheckRequest": _request(
            "Who, which gift, on which date (and the campaign, if any).",
            {"person": _ref("PersonInput"), "product": _ref("ProductInput"), "on": on, "campaign": campaign},
            ["on", "person", "product"],
        ),
        "ScreenRequest": _request(
            "What a roster is screened for.",
            {"product": _ref("ProductInput"), "on": on, "campaign": campaign},
            ["on", "product"],
        ),
        "FieldError": {
            "description": "One bad field: its path, the value sent (shortened, identifiers masked), what is allowed.",
            "type": "object",
            "properties": {
                "field": {"type": ["string", "null"]},
                "value": {"type": ["string", "null"]},
                "allowed": {"type": ["string", "null"]},
            },
            "required": ["allowed", "field", "value"],
        },
        "Problem": {
            "description": "An RFC 9457 problem document, in Vietnamese or English (Accept-Language).",
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": [t.uri for t in ProblemType]},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "field": {"type": ["string", "null"]},
                "value": {"type": ["string", "null"]},
                "allowed": {"type": ["string", "null"]},
                "errors": {"type": "array", "items": _ref("FieldError")},
            },
            "required": ["allowed", "detail", "field", "status", "title", "type", "value"],
        },
    }


def _discriminate(schemas: dict[str, Any]) -> None:
    """Add a ``discriminator`` to every ``oneOf`` of references whose targets share a constant tag."""
    for schema in schemas.values():
        members = schema.get("oneOf")
        if not members or not all(set(m) == {"$ref"} for m in members):
            continue
        targets = [schemas[m["$ref"].removeprefix(_REF_PREFIX)] for m in members]
        for key in ("type", "kind"):
            tags = [t.get("properties", {}).get(key, {}).get("const") for t in targets]
            if all(
                isinstance(tag, str) and key in t.get("required", ())
                for tag, t in zip(tags, targets, strict=True)
            ):
                mapping = {tag: m["$ref"] for tag, m in zip(tags, members, strict=True)}
                schema["discriminator"] = {"propertyName": key, "mapping": mapping}
                break


def _schemas() -> dict[str, Any]:
    schemas = _library_schemas()
    for name, schema in (*api_schemas().items(), *_request_schemas().items()):
        _add(schemas, name, schema)
    _discriminate(schemas)
    return dict(sorted(schemas.items()))


_PROBLEMS: Final = {
    "400": "Malformed JSON, or a request that cannot be read.",
    "404": "No such path, parameter or campaign.",
    "405": "The path does not take this method.",
    "413": "The body is larger than the server's limit.",
    "415": "The Content-Type is not one this endpoint reads.",
    "422": "A field has a value ansinh does not allow (or a roster has too many rows).",
    "500": "The server failed (a plugin, the store, a bug); nothing about the request is wrong.",
    "504": "The computation took longer than the server's limit.",
}


def _responses() -> dict[str, Any]:
    return {
        f"Problem{code}": {"description": text, "content": {PROBLEM_MEDIA_TYPE: {"schema": _ref("Problem")}}}
        for code, text in _PROBLEMS.items()
    }


def _answer(document: str, description: str, *codes: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "200": {"description": description, "content": {_JSON: {"schema": _ref(document)}}}
    }
    for code in sorted({*codes, "500"}):
        out[code] = {"$ref": f"#/components/responses/Problem{code}"}
    return out


def _json_body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {_JSON: {"schema": _ref(schema)}}}


_POST_PROBLEMS: Final = ("400", "413", "415", "422", "504")


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def _path(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


_LANGUAGE: Final = {"$ref": "#/components/parameters/AcceptLanguage"}


def _operation(op_id: str, tag: str, summary: str, description: str, **rest: Any) -> dict[str, Any]:
    parameters = [_LANGUAGE, *rest.pop("parameters", [])]
    return {
        "operationId": op_id,
        "tags": [tag],
        "summary": summary,
        "description": description,
        "parameters": parameters,
        **rest,
    }


def _screen_operation() -> dict[str, Any]:
    lines = (
        "The answer: one JSON document per line, each matching the schema ScreeningLine: "
        "decision documents (eligible people first, by priority, then the others), rejected_row lines, "
        "duplicate lines (files only), and a last screening_summary line."
    )
    return _operation(
        "screen",
        "rules",
        "Screen a roster and rank it",
        "Check every person of a roster for one gift and rank the eligible ones by priority, as "
        "ansinh.screen does. Send JSON lines (a first line with product, on and campaign, then one person "
        "per line) or upload a CSV / XLSX roster with a request part. At most max_rows people per request.",
        requestBody={
            "required": True,
            "content": {
                _NDJSON: {
                    "schema": {
                        "type": "string",
                        "description": "First line: a ScreenRequest; then one PersonInput per line.",
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "request": _ref("ScreenRequest"),
                            "roster": {
                                "type": "string",
                                "contentMediaType": "application/octet-stream",
                                "description": "The roster: .csv (UTF-8), or .xlsx / .xlsm.",
                            },
                            "sheet": {
                                "type": "string",
                                "description": "The worksheet (Excel; default: the first).",
                            },
                        },
                        "required": ["request", "roster"],
                    },
                    "encoding": {
                        "request": {"contentType": _JSON},
                        "roster": {"contentType": f"text/csv, {XLSX_TYPE}, application/octet-stream"},
                    },
                },
            },
        },
        responses={
            "200": {
                "description": lines,
                "content": {_NDJSON: {"schema": {"type": "string", "description": lines}}},
            },
            **{
                code: {"$ref": f"#/components/responses/Problem{code}"}
                for code in sorted({*_POST_PROBLEMS, "500"})
            },
        },
    )


def _paths() -> dict[str, Any]:
    on_query = _query("on", "A date (ISO YYYY-MM-DD).", _DATE)
    return {
        "/price": {
            "post": _operation(
                "price",
                "rules",
                "Price a product",
                "Price a card, a book or a Tết gift for a person (or a general participant) on a purchase "
                "date, with the province's top-ups, exactly as ansinh.price does.",
                requestBody=_json_body("PriceRequest"),
                responses=_answer("QuoteDocument", "The quote document.", *_POST_PROBLEMS),
            )
        },
        "/check": {
            "post": _operation(
                "check",
                "rules",
                "Check a person",
                "Decide whether a gift can be given to a person on a date, with reasons, as ansinh.check does.",
                requestBody=_json_body("CheckRequest"),
                responses=_answer("DecisionDocument", "The decision document.", *_POST_PROBLEMS),
            )
        },
        "/screen": {"post": _screen_operation()},
        "/law": {
            "get": _operation(
                "getLaw",
                "law",
                "The law",
                "Every legal parameter with its dated values, citations and status (with the plugins' own).",
                responses=_answer("LawDocument", "The law document."),
            )
        },
        "/law/{name}": {
            "get": _operation(
                "getLawParameter",
                "law",
                "One legal parameter",
                "A parameter's whole history and, with on=, the value in force that day (links resolved).",
                parameters=[_path("name", "The parameter's name, e.g. base_salary."), on_query],
                responses=_answer("LawParameterDocument", "The parameter.", "404", "422"),
            )
        },
        "/plugins": {
            "get": _operation(
                "listPlugins",
                "plugins",
                "The plugins",
                "The plugins registered in this server.",
                responses=_answer("PluginsDocument", "The plugins."),
            )
        },
        "/campaigns": {
            "get": _operation(
                "listCampaigns",
                "campaigns",
                "The campaigns",
                "The campaigns of the server's store (read-only).",
                responses=_answer("CampaignsDocument", "The campaigns.", "504"),
            )
        },
        "/campaigns/{code}/report": {
            "get": _operation(
                "getCampaignReport",
                "campaigns",
                "A campaign's report",
                "The campaign's results as of a date (default: its last day), computed from its ledger.",
                parameters=[
                    _path("code", "The campaign's code."),
                    {**on_query, "description": "The report date (default: the campaign's end)."},
                    _query(
                        "renewal_days",
                        "The renewal window in days (default 60).",
                        {"type": "integer", "minimum": 0, "maximum": 3660},
                    ),
                ],
                responses=_answer("ReportDocument", "The report document.", "404", "422", "504"),
            )
        },
    }


def openapi_document(*, version: str | None = None, server: str | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API.

    Args:
        version: the version of the API (default: ansinh's version).
        server: the URL prefix the app is served under (e.g. where another
            ASGI app mounts it); ``None``: the root.
    """
    if version is None:
        import ansinh

        version = ansinh.__version__
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "ansinh",
            "version": version,
            "summary": "Prices, eligibility and reports of Vietnam Social Security's gift programme.",
            "description": (
                "The rules of ansinh over HTTP. Requests and answers are ansinh's JSON documents "
                '({"schema_version", "type", "data"}): money in whole đồng as JSON integers, exact rates '
                "as strings, dates as ISO strings, products tagged by kind. Errors are RFC 9457 problem "
                "documents naming the field, the value (identifiers masked) and what is allowed, in "
                "Vietnamese, or in English when Accept-Language prefers it. Documents of this version: "
                + ", ".join(f"{n} v{schema_version(n)}" for n in LIBRARY_DOCUMENTS)
                + f"; the API's own documents are at version {API_DOCUMENT_VERSION}."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "tags": [
            {"name": "rules", "description": "Pricing, eligibility and screening."},
            {"name": "law", "description": "The legal parameters."},
            {"name": "plugins", "description": "The province plugins installed."},
            {"name": "campaigns", "description": "Read-only reports of the campaign store."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "parameters": {
                "AcceptLanguage": {
                    "name": "Accept-Language",
                    "in": "header",
                    "required": False,
                    "description": "The language of problem documents: Vietnamese (default) or English (en).",
                    "schema": {"type": "string"},
                }
            },
        },
    }
    if server:
        doc["servers"] = [{"url": server}]
    return copy.deepcopy(doc)


_PAGE: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui.css">
</head>
<body>
<noscript>The interactive documentation needs JavaScript; the API is described by
<a href="{spec}">{spec}</a>.</noscript>
<div id="ui"></div>
<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: "{spec}", dom_id: "#ui"}});</script>
</body>
</html>
"""


def docs_page(spec_url: str = "openapi.json", *, title: str = "ansinh API") -> str:
    """The HTML page of the interactive documentation (Swagger UI, loaded from a CDN) for *spec_url*.

    >>> "openapi.json" in docs_page()
    True
    """
    return _PAGE.format(title=html.escape(title), spec=html.escape(spec_url, quote=True))
