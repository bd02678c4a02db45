"""Every ``ansinh --json`` output has a shipped JSON Schema, and what the commands print matches it."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import ansinh
from ansinh import cli
from ansinh.cli.schemas import cli_schema, cli_schema_names, cli_schema_text
from ansinh.exceptions import InvalidValueError, SerializationError
from ansinh.serialization import load_document

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CAMPAIGN = EXAMPLES / "tet-binh-ngo-2026"
PERSON = ("--born", "1958-04-02", "--province", "33", "--category", "near_poor", "--cccd", "033058001234")

# One command line per command (the ledger placeholder is filled by the test).
COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("price", "card"): ("price", "card", "--months", "12", "--on", "2025-01-01"),
    ("price", "book"): ("price", "book", "--months", "12", "--on", "2026-01-01"),
    ("price", "gift"): ("price", "gift", "--value", "500000", "--on", "2026-01-01"),
    ("check",): ("check", "--on", "2026-01-10", *PERSON),
    ("screen",): ("screen", str(EXAMPLES / "tet-binh-ngo-2026" / "roster.csv"), "--on", "2026-01-10"),
    ("campaign", "run"): ("campaign", "run", str(CAMPAIGN), "--out", "{out}"),
    ("report",): ("report", "{out}/ledger.sqlite"),
    ("store", "merge"): ("store", "merge", "{out}/ledger.sqlite", "--into", "{out}/national.sqlite"),
    ("ledger", "verify"): ("ledger", "verify", "{out}/ledger.sqlite"),
    ("law", "show"): ("law", "show", "--on", "2026-01-01"),
    ("plugins",): ("plugins",),
    ("plugin", "new"): ("plugin", "new", "demo_plugin", "--dir", "{out}/plugin"),
}
NO_JSON: dict[tuple[str, ...], str] = {
    ("serve",): "runs a server; it prints no document",
}


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path
    for action in subs:
        for name, sub in action.choices.items():
            yield from commands(sub, (*path, name))


def shipped(name: str) -> dict[str, Any]:
    text = (
        resources.files("ansinh").joinpath("data", "schemas", "cli", f"{name}.schema.json").read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_every_command_is_run_here() -> None:
    assert set(commands(cli.build_parser("en"))) == set(COMMANDS) | set(NO_JSON)


@pytest.mark.parametrize("name", cli_schema_names())
def test_shipped_cli_schema_is_what_the_generator_produces(name: str) -> None:
    text = (
        resources.files("ansinh").joinpath("data", "schemas", "cli", f"{name}.schema.json").read_text("utf-8")
    )
    assert text == cli_schema_text(name), "regenerate: ansinh.cli.schemas.write_cli_schemas()"
    jsonschema.Draft202012Validator.check_schema(shipped(name))


def test_no_stale_cli_schema_files() -> None:
    folder = resources.files("ansinh").joinpath("data", "schemas", "cli")
    assert {p.name for p in folder.iterdir()} == {f"{n}.schema.json" for n in cli_schema_names()}


def test_an_unknown_cli_schema_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="name='decisions'"):
        cli_schema("decisions")


@pytest.mark.skipif(not (CAMPAIGN / "campaign.toml").is_file(), reason="the example campaign is not here")
def test_every_json_output_matches_its_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    seen = set()
    for command, argv in COMMANDS.items():
        args = [a.replace("{out}", str(tmp_path / "out")) for a in argv]
        code = cli.main([*args, "--json"])
        out = capsys.readouterr().out
        assert code in (cli.EXIT_OK, cli.EXIT_NO), (command, out)
        document = json.loads(out)
        assert document["type"] in cli_schema_names(), command
        check = jsonschema.Draft202012Validator(
            shipped(document["type"]), format_checker=jsonschema.FormatChecker()
        )
        errors = [f"{e.json_path}: {e.message}" for e in check.iter_errors(document)]
        assert errors == [], (command, errors[:3])
        seen.add(document["type"])
    assert seen == set(cli_schema_names())


def test_the_decision_check_prints_is_read_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", "--on", "2026-01-10", *PERSON, "--json"]) == cli.EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["data"]["person"]["cccd"] == "0330******34"
    with pytest.raises(SerializationError, match="cccd"):
        load_document(document, ansinh.Decision)
    decision = load_document(document, ansinh.Decision, masked_identifiers=True)
    assert decision.person.cccd is None
    assert decision.eligible is document["data"]["eligible"]
    assert decision.person.province == "33"


def test_masked_identifiers_accept_only_the_masked_form() -> None:
    person = ansinh.Person(
        id="P1", full_name="Lê Văn Tâm", date_of_birth=ansinh.default_law().parameters[0].values[0].effective,
        province="33", cccd="033058001234", social_insurance_number="0123456789",
    )  # fmt: skip
    from ansinh.serialization import dump_document

    document = dump_document(person)
    assert load_document(document, ansinh.Person, masked_identifiers=True) == person
    document["data"]["social_insurance_number"] = "0123****89"
    assert load_document(document, ansinh.Person, masked_identifiers=True).social_insurance_number is None
    document["data"]["cccd"] = "0330*****34"  # one star short
    with pytest.raises(SerializationError, match="cccd"):
        load_document(document, ansinh.Person, masked_identifiers=True)
