"""The shipped JSON Schemas: up to date, well formed, and matched by what ansinh writes.

Documents are checked with ``jsonschema`` (draft 2020-12, formats asserted);
``test_schema_agreement.py`` checks that the schemas refuse what the loader refuses.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import serialization as ser
from ansinh import strategies as ast
from ansinh.exceptions import SerializationError

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
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
    }
)


def problems(schema: dict[str, Any], value: Any) -> list[str]:
    """Where *value* breaks *schema*: each error's JSON path and message."""
    check = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{e.json_path} {e.message}" for e in check.iter_errors(value)]


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
    assert problems(shipped(name), document) == []


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
        (lambda d: d["data"].__setitem__("payable", 1.5), "$.data.payable "),
        (lambda d: d["data"].__setitem__("payable", True), "$.data.payable "),
        (lambda d: d["data"].pop("gross"), "$.data 'gross' is a required property"),
        (
            lambda d: d["data"].__setitem__("bonus", 1),
            "$.data Additional properties are not allowed ('bonus'",
        ),
        (lambda d: d["data"]["product"].__setitem__("kind", "lottery"), "$.data.product "),
        (lambda d: d["data"]["product"].__setitem__("months", 0), "$.data.product "),
        (lambda d: d["data"]["lines"][1].__setitem__("value", "4.5%"), "$.data.lines[1].value "),
        (lambda d: d["data"]["lines"][1].__setitem__("value", "1/0"), "$.data.lines[1].value "),
        (lambda d: d["data"].__setitem__("on", "2025-1-1"), "$.data.on "),
        (lambda d: d["data"].__setitem__("on", "2025-02-30"), "$.data.on "),
        (lambda d: d["data"].__setitem__("on", "2025-01-01\n"), "$.data.on "),
        (lambda d: d.__setitem__("schema_version", 3), "$.schema_version "),
        (lambda d: d["data"]["lines"][0].__setitem__("status", "sure"), "$.data.lines[0].status "),
    ],
)
def test_the_schema_rejects_bad_documents(change: Callable[[Any], Any], where: str) -> None:
    document = _quote_document()
    schema = shipped("quote")
    assert problems(schema, document) == []
    bad = copy.deepcopy(document)
    change(bad)
    found = problems(schema, bad)
    assert any(p.startswith(where) for p in found), found
    with pytest.raises(SerializationError):
        ser.load_document(bad, ser.document_types()["quote"])
