"""Fuzz the command line: hostile arguments end in a usage error or an answer, never a crash or a leak."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh import cli

from ._values import CCCD, UNMASKED
from .test_public_api import EXAMPLES

pytestmark = pytest.mark.fuzz

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=not os.environ.get("ANSINH_FUZZ_EXAMPLES"),
)

WORDS = st.one_of(
    st.sampled_from(
        [
            "price",
            "card",
            "book",
            "gift",
            "check",
            "law",
            "show",
            "--months",
            "--on",
            "--rank",
            "--income",
            "--value",
            "--json",
            "--lang",
            "en",
            "vi",
            "12",
            "-1",
            "0",
            "2026-01-05",
            "9999-12-31",
            "0001-01-01",
            "1e999999999",
            "9" * 5000,
            CCCD,
            "--province",
            "01",
            "--category",
            "poor",
            "--born",
            "base_salary",
            "\x00",
            "",
        ]
    ),
    st.text(max_size=8),
)


@FUZZ
@given(argv=st.lists(WORDS, max_size=8))
def test_hostile_arguments(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code in (cli.EXIT_OK, cli.EXIT_NO, cli.EXIT_USAGE), err[-2000:]
    if "--json" not in argv:
        assert not UNMASKED.search(out), out[-500:]
    assert not UNMASKED.search(err), err[-500:]
