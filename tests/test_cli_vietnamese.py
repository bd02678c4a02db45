"""The command for clerks: Vietnamese by default (argparse's own words and the errors too),
Vietnamese category labels, reasons in words, --limit, a birth date in the future refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansinh import cli

ROSTER = Path(__file__).resolve().parents[1] / "examples" / "tet-binh-ngo-2026" / "roster.csv"
PERSON = ["--born", "1958-04-02", "--province", "33"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_help_is_vietnamese_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "price", "--help")
    assert code == cli.EXIT_OK
    assert out.startswith("cách dùng: ansinh price")
    assert "\ntùy chọn:\n" in out
    assert "in trợ giúp này rồi thoát" in out
    assert "usage:" not in out
    assert "options:" not in out
    _, out, _ = run(capsys, "price", "--help", "--lang", "en")
    assert out.startswith("usage: ansinh price")


@pytest.mark.parametrize(
    ("argv", "vi"),
    [
        (["check", "--on", "2026-01-10"], "ansinh check: thiếu tham số bắt buộc: --born, --province\n"),
        (
            ["price", "card", "--on", "xx"],
            "tham số --on: 'xx' không phải một ngày (YYYY-MM-DD hoặc DD/MM/YYYY)",
        ),
        (["price", "card", "--on", "2025-01-01", "--bogus"], "tham số không nhận ra: --bogus"),
        (["price", "card", "--months", "5", "--on", "2025-01-01"], "ansinh: months=5 không hợp lệ; cần: "),
        (
            ["law", "show", "nothing"],
            "ansinh: parameter='nothing' không có trong luật; các tham số: base_salary",
        ),
        (
            ["screen", "nofile.csv", "--on", "2025-01-01"],
            "nofile.csv: không đọc được (không có tệp hoặc thư mục này)",
        ),
    ],
)
def test_errors_are_vietnamese_by_default(
    capsys: pytest.CaptureFixture[str], argv: list[str], vi: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == cli.EXIT_USAGE
    assert vi in err
    code, _, err = run(capsys, *argv, "--lang", "en")
    assert code == cli.EXIT_USAGE
    assert vi not in err


def test_category_takes_the_roster_labels(capsys: pytest.CaptureFixture[str]) -> None:
    for label in ("near_poor", "hộ cận nghèo", "Cận nghèo", "near-poor"):
        code, out, _ = run(capsys, "check", "--on", "2026-01-10", *PERSON, "--category", label)
        assert code == cli.EXIT_OK
        assert "hộ cận nghèo +30" in out
    code, _, err = run(capsys, "check", "--on", "2026-01-10", *PERSON, "--category", "giàu có")
    assert code == cli.EXIT_USAGE
    assert "tham số --category: 'giàu có': one category" in err


def test_a_birth_date_in_the_future_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--on", "2026-01-10", "--born", "2026-02-01", "--province", "33")
    assert code == cli.EXIT_USAGE
    assert (
        "--born='2026-02-01' không hợp lệ; cần: một ngày sinh không sau hôm nay và không sau ngày --on" in err
    )
    code, _, err = run(capsys, "check", "--on", "2999-01-10", "--born", "2998-02-01", "--province", "33")
    assert code == cli.EXIT_USAGE
    code, _, _ = run(capsys, "check", "--on", "2026-01-10", "--born", "2026-01-10", "--province", "33")
    assert code in (cli.EXIT_OK, cli.EXIT_NO)  # born on the day: a decision, not a usage error


def test_screen_limit_applies_to_every_list_and_reasons_are_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "screen", str(ROSTER), "--on", "2026-01-05", "--limit", "2")
    assert code == cli.EXIT_OK
    eligible, rest = out.split("Không đủ điều kiện:\n")
    assert eligible.count("\n     ") == 2  # two numbered people
    assert "người nữa" in eligible
    ineligible, rejected = rest.split("Dòng bị loại:\n")
    lines = [ln for ln in ineligible.splitlines() if ln.startswith("  ") and not ln.startswith("  …")]
    assert len(lines) == 2
    assert "Thuộc nhóm được ngân sách nhà nước đóng 100% BHYT" in ineligible
    assert "[STATE_PAID_IN_FULL]" in ineligible
    assert "lỗi nữa" in rejected
    code, full, _ = run(capsys, "screen", str(ROSTER), "--on", "2026-01-05")
    assert len(full) > len(out)
    assert "…" not in full
