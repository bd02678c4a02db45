"""The shipped JSON Schemas: up to date, well formed, and matched by what ansinh writes.

``jsonschema`` is not a dependency, so a small checker of exactly the keywords
the generator uses lives here.  It is itself tested against documents that
must fail.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import serialization as ser
from ansinh import strategies as ast

KNOWN_KEYWORDS = frozenset(
    {
        "$schema",
        "$id",
        "$ref",
        "$defs",
        "title",
        "description",
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "minItems",
        "maxItems",
        "uniqueItems",
        "const",
        "enum",
        "anyOf",
        "oneOf",
        "pattern",
        "format",
    }
)

_TYPES: dict[str, Callable[[Any], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def problems(schema: Any, value: Any, root: dict[str, Any], path: str = "$") -> list[str]:
    """Where *value* breaks *schema* (the subset of draft 2020-12 the generator emits)."""
    if schema is False:
        return [f"{path}: no value allowed"]
    if schema is True:
        return []
    out: list[str] = []
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        out += problems(root["$defs"][name], value, root, path)
    if "type" in schema and not _TYPES[schema["type"]](value):
        return [*out, f"{path}: not of type {schema['type']}: {value!r}"]
    if "const" in schema and not (value == schema["const"] and type(value) is type(schema["const"])):
        out.append(f"{path}: not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        out.append(f"{path}: {value!r} not in enum")
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        out.append(f"{path}: {value!r} does not match {schema['pattern']}")
    if "anyOf" in schema and all(problems(s, value, root, path) for s in schema["anyOf"]):
        out.append(f"{path}: matches none of anyOf")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not problems(s, value, root, path)]
        if len(matching) != 1:
            out.append(f"{path}: matches {len(matching)} of oneOf")
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                out.append(f"{path}.{key}: required")
        for key, item in value.items():
            if key in props:
                out += problems(props[key], item, root, f"{path}.{key}")
            elif schema.get("additionalProperties", True) is False:
                out.append(f"{path}.{key}: not allowed")
    if isinstance(value, list):
        prefix = schema.get("prefixItems", [])
        for i, item in enumerate(value):
            sub = prefix[i] if i < len(prefix) else schema.get("items", True)
            out += problems(sub, item, root, f"{path}[{i}]")
        if len(value) < schema.get("minItems", 0) or len(value) > schema.get("maxItems", len(value)):
            out.append(f"{path}: wrong number of items")
        if schema.get("uniqueItems") and len({json.dumps(v, sort_keys=True) for v in value}) != len(value):
            out.append(f"{path}: items not unique")
    return out


def shipped(name: str) -> dict[str, Any]:
    text = resources.files("ansinh").joinpath("data", "schemas", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


NAMES = ser.shipped_schema_names()


def test_the_main_documents_have_schemas() -> None:
    assert {"quote", "decision", "campaign", "ledger_event"} <= set(NAMES)
    assert set(NAMES) <= set(ser.document_types())


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schema_is_what_the_generator_produces(name: str) -> None:
    text = resources.files("ansinh").joinpath("data", "schemas", f"{name}.schema.json").read_text("utf-8")
    assert text == ser.schema_text(name), "regenerate: python -m ansinh.serialization --write-schemas"


def test_no_stale_schema_files() -> None:
    folder = resources.files("ansinh").joinpath("data", "schemas")
    files = {p.name for p in folder.iterdir() if p.name.endswith(".json")}
    assert files == {f"{n}.schema.json" for n in NAMES}


def _walk(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        found.append(node)
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for sub in value.values():
                    found += _walk(sub)
            elif key in ("items", "anyOf", "oneOf", "prefixItems"):
                found += _walk(value)
    elif isinstance(node, list):
        for sub in node:
            found += _walk(sub)
    return found


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_well_formed(name: str) -> None:
    schema = shipped(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["type"] == {"const": name}
    assert schema["properties"]["schema_version"] == {"const": ser.schema_version(name)}
    for node in _walk(schema):
        assert set(node) <= KNOWN_KEYWORDS, set(node) - KNOWN_KEYWORDS
        if "$ref" in node:
            assert node["$ref"].removeprefix("#/$defs/") in schema["$defs"], node["$ref"]
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert set(node["required"]) <= set(node["properties"])


def test_every_definition_is_used() -> None:
    for name in NAMES:
        schema = shipped(name)
        text = json.dumps(schema)
        for definition in schema["$defs"]:
            assert f'"#/$defs/{definition}"' in text, (name, definition)


def test_money_is_an_integer_in_the_schema() -> None:
    quote = shipped("quote")["$defs"]["Quote"]["properties"]
    for field in ("gross", "state_support", "local_support", "payable", "monthly_payable"):
        assert quote[field] == {"type": "integer"}


STRATEGY_FOR: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "quote": ast.quotes,
    "decision": ast.decisions,
    "ledger_event": ast.ledger_events,
    "gift": ast.gifts,
    "campaign": ast.campaigns,
    "person": ast.people,
    "pledge": ast.pledges,
    "law": ast.laws,
}


def test_every_shipped_schema_has_a_strategy_here() -> None:
    assert set(STRATEGY_FOR) >= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25)
@given(data=st.data())
def test_documents_ansinh_writes_conform(name: str, data: st.DataObject) -> None:
    obj = data.draw(STRATEGY_FOR[name]())
    document = json.loads(ser.dumps_document(obj))
    assert document["type"] == name
    assert problems(shipped(name), document, shipped(name)) == []


def _quote_document() -> dict[str, Any]:
    import datetime as dt

    import ansinh

    document: dict[str, Any] = json.loads(
        ser.dumps_document(ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1)))
    )
    return document


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d["data"].__setitem__("payable", 1.5), "$.data.payable"),
        (lambda d: d["data"].pop("gross"), "$.data.gross"),
        (lambda d: d["data"].__setitem__("bonus", 1), "$.data.bonus"),
        (lambda d: d["data"]["product"].__setitem__("kind", "lottery"), "$.data.product"),
        (lambda d: d["data"]["lines"][1].__setitem__("value", "4.5%"), "$.data.lines[1].value"),
        (lambda d: d["data"].__setitem__("on", "2025-1-1"), "$.data.on"),
        (lambda d: d.__setitem__("schema_version", 3), "$.schema_version"),
        (lambda d: d["data"]["lines"][0].__setitem__("status", "sure"), "$.data.lines[0].status"),
    ],
)
def test_the_checker_and_schema_reject_bad_documents(change: Callable[[Any], Any], where: str) -> None:
    document = _quote_document()
    schema = shipped("quote")
    assert problems(schema, document, schema) == []
    bad = copy.deepcopy(document)
    change(bad)
    found = problems(schema, bad, schema)
    assert any(p.startswith(where) for p in found), found
