"""The ``ansinh`` command line: output, JSON, exit codes and one-line errors."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import ansinh
from ansinh import cli
from ansinh import strategies as ast
from ansinh.cli.options import parse_amount, parse_date
from ansinh.data import default_law
from ansinh.serialization import load_document

LAW = default_law()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    code, out, err = run(capsys, *argv, "--json")
    assert code == cli.EXIT_OK, err
    return json.loads(out)


# -- price ----------------------------------------------------------------------------


def test_price_card_prints_the_explained_quote_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "price", "card", "--months", "12", "--rank", "2", "--on", "2025-01-01")
    assert code == 0
    assert err == ""
    assert out.startswith("Báo giá thẻ BHYT — ngày 01/01/2025")
    assert "Số tiền nhà tài trợ đóng: 884.520 đ" in out
    assert "Nghị định 73/2024/NĐ-CP" in out


def test_price_card_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "price", "card", "--months", "12", "--on", "2025-01-01")
    assert code == 0
    assert "Payable by the donor: VND 1,263,600" in out


def test_price_book_for_a_near_poor_person_matches_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(
        capsys,
        "price",
        "book",
        "--months",
        "12",
        "--income",
        "1.500.000",
        "--on",
        "01/01/2026",
        "--category",
        "near_poor",
        "--province",
        "Hà Nội",
    )
    import datetime as dt

    person = ansinh.Person(
        id="cli",
        full_name="x",
        date_of_birth=dt.date(1980, 1, 1),
        province="01",
        categories=frozenset({ansinh.Category.NEAR_POOR}),
    )
    expected = ansinh.price(
        ansinh.SocialBook(months=12, monthly_income=1_500_000), person, on=dt.date(2026, 1, 1)
    )
    assert doc["schema_version"] == 2
    assert doc["type"] == "quote"
    assert load_document(doc, ansinh.Quote) == expected
    data = doc["data"]
    # Hà Nội's own top-up (a built-in plugin) applies on top of the state's 40 %.
    assert data["state_support"] == 1_584_000
    assert data["local_support"] == expected.local_support > 0
    assert data["payable"] == expected.payable
    assert isinstance(data["gross"], int)


def test_price_gift(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "price", "gift", "--value", "500_000", "--on", "2026-02-10")
    assert doc["data"]["payable"] == 500_000


def test_json_option_is_accepted_before_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--json", "price", "card", "--months", "3", "--on", "2025-01-01")
    assert code == 0
    assert json.loads(out)["data"]["months"] == 3


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["price", "card", "--months", "7", "--on", "2025-01-01"], "months=7"),
        (["price", "card", "--on", "2025-13-01"], "not a date"),
        (["price", "book", "--income", "1.5", "--on", "2026-01-01"], "whole number of đồng"),
        (["price", "card", "--on", "2025-01-01", "--category", "poor"], "--province"),
        (["price", "card", "--on", "2025-01-01", "--province", "99"], "province='99'"),
        (["price", "card"], "--on"),
        (["law", "show", "no_such_parameter"], "no_such_parameter"),
        (["law", "show", "vsi_state_support", "--on", "2010-01-01"], "no value on 2010-01-01"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv, "--lang", "en")
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert needle in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_debug_shows_the_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--debug", "price", "card", "--months", "7", "--on", "2025-01-01")
    assert code == cli.EXIT_USAGE
    assert "Traceback" in err


def test_unexpected_errors_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(ansinh.api, "price", boom)
    code, _, err = run(capsys, "price", "card", "--on", "2025-01-01")
    assert code == cli.EXIT_ERROR
    assert "RuntimeError: kaboom" in err
    assert "Traceback" not in err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--lang", "en", "--help")
    assert code == 0
    assert "usage: ansinh" in out
    assert "price" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"ansinh {ansinh.__version__}"


# -- law show -------------------------------------------------------------------------


def test_law_show_one_parameter_lists_its_history_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "law", "show", "base_salary")
    assert code == 0
    law = ansinh.default_law()
    for v in law.history("base_salary"):
        assert v.effective.isoformat() in out
        assert v.citation.document in out
    assert "2.340.000 đ" in out
    assert "<xác nhận qua nguồn thứ cấp>" in out  # the 2018 decree number is confirmed-2nd


def test_law_show_on_a_date_gives_the_value_in_force(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "law", "show", "vsi_income_ceiling", "--on", "2026-07-01")
    (param,) = doc["parameters"]
    (value,) = param["values"]
    assert value["resolved"] == 50_600_000
    assert value["value"] == {"of": "reference_level", "multiple": "20"}
    assert value["last_day"] is None
    assert value["status"] == "confirmed"


def _in_force(law: ansinh.Law, name: str, on: dt.date) -> bool:
    try:
        law.lookup(name, on=on)
    except ansinh.NotInForceError:
        return False
    return True


def test_law_show_everything_on_a_date_covers_every_parameter_in_force(
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = run_json(capsys, "law", "show", "--on", "2026-01-01", "--no-plugins")
    names = [p["name"] for p in doc["parameters"]]
    law = ansinh.default_law()
    in_force = [n for n in law.names if _in_force(law, n, dt.date(2026, 1, 1))]
    assert names == in_force
    assert "bhyt_first_year_student_payment_months" not in names  # ended on 2025-06-30
    assert all(len(p["values"]) == 1 for p in doc["parameters"])


def test_law_show_text_in_english_uses_percentages(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "law", "show", "bhyt_rate", "--on", "2025-08-01", "--lang", "en")
    assert code == 0
    assert "4.5%" in out
    assert "<confirmed>" in out


# -- the installed command ------------------------------------------------------------


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ansinh", "price", "card", "--on", "2025-01-01", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["data"]["payable"] == 1_263_600


# -- plugins --------------------------------------------------------------------------


def test_plugins_lists_the_built_ins(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plugins", "--no-plugins")
    assert code == 0
    assert "ansinh.local_support (built-in): ansinh_local_support" in out


def test_plugins_json(capsys: pytest.CaptureFixture[str]) -> None:
    doc = run_json(capsys, "plugins")
    by_name = {p["name"]: p for p in doc["plugins"]}
    assert by_name["ansinh.sourcing"]["builtin"] is True
    assert by_name["ansinh.sourcing"]["hooks"] == ["ansinh_sourcing_strategies"]


# -- check ----------------------------------------------------------------------------

PERSON = ["--born", "1958-04-02", "--province", "33", "--name", "Trần Văn Bình"]


def test_check_eligible_exits_0_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--on", "2026-01-10", *PERSON, "--category", "near_poor")
    assert code == cli.EXIT_OK
    assert "ĐỦ ĐIỀU KIỆN" in out
    assert "WAITING_PERIOD_30_DAYS" in out
    assert "Thẻ có giá trị từ ngày 09/02/2026" in out


def test_check_ineligible_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--product", "book", "--on", "2026-01-10", "--born", "2015-04-02",
        "--province", "33", "--difficult", "--lang", "en",
    )  # fmt: skip
    assert code == cli.EXIT_NO
    assert "NOT ELIGIBLE" in out
    assert "UNDER_MIN_AGE" in out


def test_check_json_masks_the_cccd(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", "--on", "2026-01-10", *PERSON, "--category", "near_poor",
        "--cccd", "033058001234", "--json",
    )  # fmt: skip
    assert code == cli.EXIT_OK
    doc = json.loads(out)
    assert doc["type"] == "decision"
    assert doc["data"]["eligible"] is True
    assert doc["data"]["person"]["cccd"] == "0330******34"
    assert "033058001234" not in out
    assert doc["data"]["priority"]["score"] == 50


def test_check_tet_gift_needs_tet_dates(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", "--product", "gift", "--value", "500000", "--on", "2026-02-10", *PERSON, "--difficult"]
    code, _, err = run(capsys, *base)
    assert code == cli.EXIT_USAGE
    assert "tet_dates" in err
    code, out, _ = run(
        capsys, *base, "--hospital", "2026-02-01", "2026-02-20", "--tet", "2026-02-16", "2026-02-22",
        "--bhyt-valid-until", "2026-12-31",
    )  # fmt: skip
    assert code == cli.EXIT_OK, out


# -- screen ---------------------------------------------------------------------------

ROSTER = """STT,Họ và tên,Ngày sinh,Số CCCD,Tỉnh,Đối tượng,Hạn thẻ BHYT
A-1,Nguyễn Văn A,01/01/1950,001050000001,Hà Nội,Hộ cận nghèo,
A-2,Lê Thị B,01/01/1990,001190000002,Hà Nội,Hộ nghèo,
A-3,Trần Văn C,31/02/1975,,Hà Nội,Hộ cận nghèo,
A-4,Phạm Thị D,01/01/1985,033185000004,Hưng Yên,Hộ mới thoát nghèo,
"""


def test_screen_ranks_and_reports_rejected_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    roster = tmp_path / "ds.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out, err = run(capsys, "screen", str(roster), "--on", "2026-01-10", "--lang", "en")
    assert code == cli.EXIT_OK
    assert err == ""  # no progress: stderr is not a terminal
    assert "3 people read, 1 rows rejected, 2 eligible, 1 not eligible" in out
    assert out.index("A-1") < out.index("A-4")  # near-poor and 60+ first
    assert (
        "A-2  Lê Thị B: In a group whose health insurance the state pays in full (poor household). "
        "[STATE_PAID_IN_FULL]"
    ) in out
    assert "row 4, column 'Ngày sinh'" in out


def test_screen_json_and_progress(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    roster = tmp_path / "ds.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out, err = run(capsys, "screen", str(roster), "--on", "2026-01-10", "--json", "--progress")
    assert code == cli.EXIT_OK
    assert "3/3" in err
    doc = json.loads(out)
    assert doc["type"] == "screening"
    assert [r["id"] for r in doc["eligible"]] == ["A-1", "A-4"]
    assert doc["eligible"][0]["row"] == 2
    assert doc["ineligible"][0]["reasons"][0] == "STATE_PAID_IN_FULL"
    assert doc["rejected_rows"][0]["row"] == 4
    assert "001050000001" not in out


def test_screen_writes_the_public_list(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    roster = tmp_path / "ds.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    public = tmp_path / "cong-khai.md"
    code, _, err = run(capsys, "screen", str(roster), "--on", "2026-01-10", "--public", str(public))
    assert code == cli.EXIT_OK
    assert str(public) in err
    text = public.read_text(encoding="utf-8")
    assert "Nguyễn Văn A" in text
    assert "0010******01" in text
    assert "001050000001" not in text


def test_screen_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "screen", str(tmp_path / "nope.csv"), "--on", "2026-01-10")
    assert code == cli.EXIT_USAGE
    assert "nope.csv" in err


# -- report ---------------------------------------------------------------------------


def _ledger(path: Path) -> None:
    from ansinh.core.allocation import allocate
    from ansinh.core.campaign import Campaign, Pledge, Sponsor
    from ansinh.core.eligibility import screen
    from ansinh.core.ledger import MoneyReceived, PledgeRegistered
    from ansinh.io.store import SqliteStore
    from ansinh.testing import sample_people

    campaign = Campaign(
        code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
    )
    on = dt.date(2026, 1, 5)
    with SqliteStore(path, campaign) as store:
        store.append(
            PledgeRegistered(
                event_id="reg:P1",
                on=dt.date(2025, 11, 1),
                sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
                pledge=Pledge(id="P1", sponsor_id="S1", money=2_000_000),
            )
        )
        store.append(
            MoneyReceived(event_id="money:P1", on=dt.date(2025, 11, 2), pledge_id="P1", amount=2_000_000)
        )
        # Hưng Yên has no provincial top-up for cards: the store (law only) and the report (with the
        # installed plugins) price these gifts alike
        people = sample_people(province="33")
        eligible = screen(people, ansinh.HealthCard(months=12), on=on, law=LAW).eligible
        for event in allocate(store.state, eligible, on=on, law=LAW).events():
            store.append(event)


def test_report_reads_a_ledger(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    _ledger(path)
    code, out, err = run(capsys, "report", str(path), "--on", "2026-01-31")
    assert code == cli.EXIT_OK, err
    assert out.startswith("Đến ngày 31/01/2026, chương trình “Xuân Bính Ngọ 2026”")
    assert "Số tiền đã nhận (đ)" in out
    assert "2.000.000 đ" in out
    assert "\nĐã trao:\n" in out
    assert "\nĐã phân bổ, chưa trao:\n" in out
    code, out, err = run(capsys, "report", str(path), "--on", "2026-01-31", "--lang", "en")
    assert "\nDelivered:\n" in out
    assert "\nAllocated, not yet delivered:\n" in out
    assert "VND 2,000,000" in out
    doc = run_json(capsys, "report", str(path), "--on", "2026-01-31")
    assert doc["type"] == "campaign_report"
    assert doc["totals"]["received"] == 2_000_000
    assert doc["totals"]["health_cards"] >= 1


def test_report_of_a_missing_or_foreign_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "report", str(tmp_path / "nope.sqlite"))
    assert code == cli.EXIT_USAGE
    assert "nope.sqlite" in err
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    code, _, err = run(capsys, "report", str(junk))
    assert code == cli.EXIT_USAGE
    assert "junk.sqlite" in err


# -- campaign run ---------------------------------------------------------------------

CAMPAIGN = Path(__file__).resolve().parent.parent / "examples" / "tet-binh-ngo-2026"


@pytest.mark.skipif(
    not (CAMPAIGN / "campaign.toml").is_file(), reason="the example campaign is not in this tree"
)
def test_campaign_run_writes_the_ledger_and_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "campaign", "run", str(CAMPAIGN), "--out", str(out_dir), "--progress")
    assert code == cli.EXIT_OK, err
    assert out.startswith("Đến ngày 31/01/2026, chương trình “")
    assert "Dòng bị loại:" in out
    # The example's one ceremony, with what it handed over (the report files list it too).
    ceremony = out.split("Lễ trao tặng:\n", 1)[1].splitlines()[0]
    assert ceremony.startswith("  16/01/2026 tại UBND phường Hải An")
    assert ceremony.endswith(": 12 suất, 11.094.840 đ, 11 người")
    assert (out_dir / "ledger.sqlite").is_file()
    assert "Báo cáo: 1/1 bước" in err  # progress, one line per finished step (stderr is not a terminal)
    doc = run_json(capsys, "campaign", "run", str(CAMPAIGN), "--out", str(out_dir))
    assert doc["type"] == "campaign_run"
    assert doc["report"]["totals"]["health_cards"] > 0
    assert {s["kind"] for s in doc["screened"]} >= {"health_card"}
    # The ledger the run wrote is what `ansinh report` reads.
    report = run_json(capsys, "report", str(out_dir / "ledger.sqlite"), "--on", doc["report"]["on"])
    report["totals"].pop("expiring_soon")  # the campaign file sets its own renewal window
    doc["report"]["totals"].pop("expiring_soon")
    assert report["totals"] == doc["report"]["totals"]


def test_campaign_run_of_a_missing_folder_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "campaign", "run", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert code == cli.EXIT_USAGE
    assert "nope" in err
    assert len(err.strip().splitlines()) == 1


# -- argument parsing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1500000", 1_500_000), ("1.500.000", 1_500_000), ("1,500,000", 1_500_000), ("1_500_000", 1_500_000)],
)
def test_amounts_accept_grouped_digits(text: str, amount: int) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text", ["1.5", "1.50.000", "1.500,000", "-5", "1e6", ""])
def test_amounts_refuse_anything_but_whole_dong(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="whole number of đồng"):
        parse_amount(text)


def test_dates_in_both_spellings() -> None:
    assert parse_date("2026-01-10") == parse_date("10/01/2026") == dt.date(2026, 1, 10)


def test_lang_can_be_given_with_an_equals_sign(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "price", "card", "--on", "2025-01-01", "--lang=en")
    assert code == 0
    assert out.startswith("Quote for")


@given(card=ast.health_cards(), on=ast.dates())
def test_price_json_is_the_library_quote(card: ansinh.HealthCard, on: dt.date) -> None:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        months, rank = str(card.months), str(card.household_rank)
        code = cli.main(
            ["price", "card", "--months", months, "--rank", rank, "--on", on.isoformat(), "--json"]
        )
    assert code == cli.EXIT_OK
    assert load_document(json.loads(buffer.getvalue()), ansinh.Quote) == ansinh.price(card, on=on)


def test_serve_is_a_command_of_ansinh() -> None:
    from ansinh.cli import build_parser

    args = build_parser("en").parse_args(["serve", "--port", "8123", "--lang", "en"])
    assert (args.command, args.port, args.host) == ("serve", 8123, "127.0.0.1")
    assert callable(args.func)
