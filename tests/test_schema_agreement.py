"""The shipped JSON Schemas and the loader agree: what one refuses, the other refuses.

Each field validator of the documents' classes is a :class:`~ansinh.core.validators.Check`
whose JSON Schema keywords the schema carries; the few rules that no JSON
Schema keyword can say (one field compared with another) are listed here, and
the schemas' documentation names them.  Documents are checked with
``jsonschema`` (draft 2020-12, formats asserted) and with
:func:`ansinh.serialization.load_document`.
"""

from __future__ import annotations

import copy
import json
import typing
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh import serialization as ser
from ansinh import strategies as ast
from ansinh.core import validators
from ansinh.core.campaign import Campaign, Gift, Pledge, Sponsor
from ansinh.core.law import Law, RateTable
from ansinh.core.people import Person
from ansinh.core.products import TetGift
from ansinh.exceptions import AnsinhError
from ansinh.serialization._shapes import is_ansinh_attrs, public_fields

NAMES = ser.shipped_schema_names()

CROSS_FIELD_RULES: dict[tuple[type[Any], str], str] = {
    (Person, "hospital_stay"): "admission on or before discharge",
    (RateTable, "entries"): "rates between 0 and 1, keys distinct",
}
"""Field validators no JSON Schema keyword can say, and what they check."""

POST_INIT_RULES: dict[type[Any], str] = {
    Campaign: "end on or after start; Tết dates in order",
    Pledge: "units or money; instalments adding up to money (unit counts >= 0 is in the schema)",
    Gift: "the quote is of the gift's product; covers_from iff the product covers months",
    Law: "parameters defined once, histories in order, links to existing parameters",
    Sponsor: "a plugin's local kind exactly when the kind is 'other'",
    TetGift: "a hospital level only with a named hospital",
}
"""Classes that also check their fields together after construction."""

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


def shipped(name: str) -> dict[str, Any]:
    text = resources.files("ansinh").joinpath("data", "schemas", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validator_for(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(shipped(name), format_checker=jsonschema.FormatChecker())


def classes_in(tp: Any, seen: set[type[Any]] | None = None) -> set[type[Any]]:
    """Every ansinh attrs class a document of type *tp* can hold."""
    seen = set() if seen is None else seen
    if is_ansinh_attrs(tp):
        if tp in seen:
            return seen
        seen.add(tp)
        hints = typing.get_type_hints(tp)
        for a in public_fields(tp):
            classes_in(hints[a.name], seen)
    for arg in typing.get_args(tp):
        classes_in(arg, seen)
    return seen


def test_the_validators_module_gives_checks() -> None:
    plain = [validators.non_empty_text, validators.date, validators.non_negative_int]
    plain += [validators.positive_amount, validators.province, validators.optional_province]
    made = [validators.text(), validators.day(optional=True), validators.whole_number(0, 5)]
    made += [validators.identifier(12), validators.instance_of(int)]
    assert all(isinstance(v, validators.Check) for v in plain + made)
    assert validators.whole_number(3).json_schema() == {"minimum": 3}
    assert validators.identifier(10).json_schema()["maxLength"] == 10


@pytest.mark.parametrize("name", NAMES)
def test_every_validator_has_a_schema_counterpart(name: str) -> None:
    defs = shipped(name)["$defs"]
    for cl in classes_in(ser.document_types()[name]):
        for a in public_fields(cl):
            if a.validator is None:
                continue
            if (cl, a.name) in CROSS_FIELD_RULES:
                assert not isinstance(a.validator, validators.Check)
                continue
            assert isinstance(a.validator, validators.Check), (cl.__name__, a.name)
            prop = defs[cl.__name__]["properties"][a.name]
            for key, value in a.validator.json_schema().items():
                assert prop[key] == value, (cl.__name__, a.name, key)
        if "__attrs_post_init__" in vars(cl):
            assert cl in POST_INIT_RULES, cl.__name__


def test_the_documented_cross_field_rules_are_real() -> None:
    for cl, field in CROSS_FIELD_RULES:
        assert attrs.fields_dict(cl)[field].validator is not None
    for cl in POST_INIT_RULES:
        assert "__attrs_post_init__" in vars(cl)


def refusal(document: Any, name: str) -> str | None:
    """Why the loader refuses *document* (``None``: it reads it)."""
    try:
        ser.load_document(document, ser.document_types()[name])
    except AnsinhError as exc:
        return str(exc)
    return None


def paths(node: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON document a value sits (keys and indexes from the root)."""
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from paths(value, (*here, i))


def replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(document)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


# Values near the edges of what the validators allow, and shapes a typo makes.
NASTY: st.SearchStrategy[Any] = st.one_of(
    st.integers(-3, 3),
    st.integers(55, 65),
    st.sampled_from([None, True, False, 12.0, 0.5, [], {}, "", " ", "\n", "x", "x\n", "12", "01", "99"]),
    st.sampled_from(["2025-02-30", "2025-01-01\n", "2025-1-1", "0.045\n", "1/0", "1/3", "-1", "2"]),
    st.sampled_from(["001170012389", "00117001238", "001170012389\n", "0123456789", "０１２３４５６７８９"]),
    st.sampled_from(["health_card", "social_book", "near_poor", "poor", "enterprise", "gift_paid"]),
    st.text(max_size=4),
)


# What the loader says when a rule of CROSS_FIELD_RULES or POST_INIT_RULES refuses a document.
CROSS_FIELD_REFUSALS = (
    "admission first",
    "between 0 and 1",
    "distinct keys",
    "a date on or after start",
    "in order",
    "a pledge needs units or money",
    "adding up to money",
    "a Quote of the gift's product",
    "covers_from",
    "merged into",  # Person: the former province merged into the current one
    "exactly when kind is 'other'",  # Sponsor: local_kind
    # Law: each parameter's history, and links between parameters
    "is defined twice",
    "has no values",
    "ends before it starts",
    "overlap —",
    "gap —",
    "links to unknown parameter",
    "link cycle",
    "which has no value on",
    "is not a whole number",
    "which is not a number",
)

FLOAT_REFUSAL = "never a float"
"""JSON Schema counts ``12.0`` as an integer; ansinh refuses it (money is whole đồng, JSON integers)."""


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_schema_and_loader_agree_on_edited_documents(name: str, data: st.DataObject) -> None:
    document = json.loads(ser.dumps_document(data.draw(STRATEGY_FOR[name](), label="object")))
    check = validator_for(name)
    assert check.is_valid(document)
    assert refusal(document, name) is None
    where = data.draw(st.sampled_from([p for p in paths(document) if len(p) > 1]), label="path")
    value = data.draw(NASTY, label="value")
    edited = replace(document, where, value)
    by_schema, refused = check.is_valid(edited), refusal(edited, name)
    if by_schema and refused is not None:
        known = CROSS_FIELD_REFUSALS + ((FLOAT_REFUSAL,) if isinstance(value, float) else ())
        assert any(r in refused for r in known), (where, refused)
    else:
        assert by_schema == (refused is None), (where, refused, list(check.iter_errors(edited))[:1])


def test_a_float_law_value_is_refused_saying_never_a_float() -> None:
    """A parameter's value of ``12.0`` is refused as every other whole number is: never a float (Hypothesis found it)."""
    from ansinh.data import default_law

    document = json.loads(ser.dumps_document(default_law()))
    path = next(p for p in paths(document) if p and p[-1] == "value" and type(get_at(document, p)) is int)
    refused = refusal(replace(document, path, 12.0), "law")
    assert refused is not None
    assert FLOAT_REFUSAL in refused, refused


def get_at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document
