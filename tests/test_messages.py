"""Values in messages: bounded, shortened, identifiers masked wherever they were typed."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh import cli
from ansinh.core.identifiers import mask_digits
from ansinh.core.messages import SHOWN_CHARACTERS, shorten, shown
from ansinh.exceptions import InvalidPersonError, InvalidValueError
from ansinh.io.roster import RejectedRow, parse_roster_csv
from ansinh.io.run import run_campaign

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026"
_LONG_RUN = re.compile(r"\d{9,}")


@given(st.text())
def test_masked_text_has_no_run_of_nine_digits(text: str) -> None:
    masked = mask_digits(text)
    assert not _LONG_RUN.search(masked)
    assert len(masked) == len(text)


@given(st.from_regex(r"\A[0-9]{9,12}\Z"))
def test_an_identifier_keeps_its_first_four_and_last_two(ident: str) -> None:
    assert mask_digits(f"x {ident} y") == f"x {ident[:4]}{'*' * (len(ident) - 6)}{ident[-2:]} y"


@given(st.text(min_size=0, max_size=8, alphabet="0123456789"))
def test_short_digit_runs_stay(digits: str) -> None:
    assert mask_digits(f"months={digits}") == f"months={digits}"


class _BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError("no repr")


def _nested(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value",
    [
        10**100_000,
        -(10**5000),
        Fraction(10**5000, 3),
        "x" * 10_000_000,
        _nested(10_000),
        list(range(1_000_000)),
        _BrokenRepr(),
        float("nan"),
        {"cccd": "001170012389"},
    ],
    ids=[
        "huge-int",
        "huge-negative",
        "huge-fraction",
        "ten-mb",
        "deep",
        "long-list",
        "broken",
        "nan",
        "dict",
    ],
)
def test_shown_is_short_quick_and_never_raises(value: object) -> None:
    start = time.perf_counter()
    text = shown(value)
    assert time.perf_counter() - start < 1.0
    assert len(text) <= SHOWN_CHARACTERS + 40
    assert not _LONG_RUN.search(text)


def test_shown_quotes_strings_and_says_how_long_a_long_one_is() -> None:
    assert shown("Lan") == "'Lan'"
    assert shown("y" * 1000).endswith("… (1000 characters)")
    assert shown(10**5000) == "<an int of about 5001 digits>"
    assert shown(_BrokenRepr()) == "<a _BrokenRepr>"
    assert shorten("abc", 10) == "abc"


def test_invalid_value_error_with_a_huge_int_is_an_ansinh_error() -> None:
    with pytest.raises(InvalidValueError, match=r"months=<an int of about 5001 digits> is not allowed"):
        ansinh.HealthCard(months=10**5000)


def test_an_identifier_given_as_an_int_is_masked() -> None:
    with pytest.raises(InvalidPersonError) as info:
        ansinh.Person(
            id="a",
            full_name="b",
            date_of_birth=dt.date(1980, 1, 1),
            province="01",
            social_insurance_number=1234567890,  # type: ignore[arg-type]
        )
    assert "1234567890" not in str(info.value)
    assert "1234****90" in str(info.value)


def test_rejected_rows_mask_an_identifier_typed_in_any_column() -> None:
    roster = parse_roster_csv("Mã,Họ và tên,Ngày sinh,Tỉnh\nR1,001170012389,001170012389,01\n")
    assert roster.rejected
    for row in roster.rejected:
        assert "001170012389" not in f"{row} {row!r}"
    assert RejectedRow(1, "001170012389", 10**5000, "because 001170012389").reason == "because 0011******89"


def test_cli_text_and_json_mask_an_identifier_typed_in_the_id_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "ds.csv"
    roster.write_text(
        "STT,Họ và tên,Ngày sinh,Tỉnh,Đối tượng\n"
        "001170012389,Nguyễn Văn A,01/01/1950,Hà Nội,Hộ cận nghèo\n"
        "A-2,001190000002,31/02/1990,Hà Nội,Hộ cận nghèo\n",
        encoding="utf-8",
    )
    for extra in ([], ["--json"]):
        code = cli.main(["screen", str(roster), "--on", "2026-01-10", "--lang", "en", *extra])
        out, err = capsys.readouterr()
        assert code == cli.EXIT_OK, err
        assert "001170012389" not in out + err
        assert "001190000002" not in out + err
        if extra:
            json.loads(out)  # money stays numbers: the document still parses


def test_cli_error_lines_are_masked(capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["price", "card", "--months", "001170012389", "--on", "2026-01-10"])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE
    assert "001170012389" not in err


def test_campaign_run_repr_is_short_and_masked(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder)
    run = run_campaign(folder, out=tmp_path / "run-001170012389", plugins=False)
    text = repr(run)
    assert text.startswith("CampaignRun(campaign=")
    assert "001170012389" not in text
    assert len(text) < 400
