"""Report layouts from Jinja2 templates: the default, a province's letterhead, broken and hostile templates."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Mapping
from pathlib import Path

import attrs
import markupsafe
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import Campaign
from ansinh.core.money import format_vnd
from ansinh.core.products import ProductKind
from ansinh.core.reporting import DIMENSIONS, CampaignReport, format_count, report
from ansinh.exceptions import CampaignFileError, PluginError
from ansinh.hookspecs import hookimpl
from ansinh.io.files import markdown_text
from ansinh.io.report_files import render_html, render_markdown, write_report
from ansinh.io.report_templates import (
    ReportLayout,
    plugin_report_layout,
    read_report_layout,
    totals_groups,
)
from ansinh.io.run import run_campaign
from ansinh.testing import plugin_host

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tet-binh-ngo-2026"
LETTERHEAD = ROOT / "src" / "ansinh" / "templates" / "letterhead"

_FILES = {
    "campaign.toml": """
[campaign]
code = "T2026"
name = "Thử nghiệm Hà Nội 2026"
start = 2025-10-23
end = 2026-03-31
province = "01"

[run]
purchase_date = 2026-03-01
handover_date = 2026-03-05
money_buys = "health_card"
card_months = 12
""",
    "sponsors.csv": "id,name,kind,province\nS1,<script>alert(1)</script> & Co | x,bank,01\n",
    "pledges.csv": (
        "id,sponsor id,money,cards,province,registered on,received,received on\nP1,S1,,2,01,2025-11-01,,\n"
    ),
    "roster.csv": (
        "Mã,Họ và tên,Ngày sinh,Tỉnh,Xã/phường,Đối tượng,Hoàn cảnh khó khăn\n"
        "01-001,Nguyễn Văn An,20/09/1970,TP Hà Nội,Phường Ba Đình,,x\n"
        "01-002,Trần Thị Bình,26/02/1983,TP Hà Nội,Xã Sóc Sơn,,x\n"
    ),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small Hà Nội campaign whose sponsor has a hostile name."""
    root = tmp_path / "campaign"
    root.mkdir()
    for name, text in _FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> CampaignReport:
    """The shipped example campaign's report (delivered gifts and gifts still waiting)."""
    return run_campaign(EXAMPLE, out=tmp_path_factory.mktemp("example"), plugins=False).report


def _with_template(folder: Path, line: str) -> None:
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"\n[report]\n{line}\n", encoding="utf-8")


# -- the default layout: the same facts as before -------------------------------------------------


def _facts(report: CampaignReport) -> list[str]:
    """What the report said before templates: title, plan, summaries, totals, every breakdown row, renewals."""
    facts = [report.campaign.name, report.summary_vi(), report.summary_en()]
    if report.campaign.plan_reference:
        facts.append(report.campaign.plan_reference)
    facts += [format_vnd(v) for v in (report.received, report.spent, report.value, report.delivered_value)]
    for dimension in DIMENSIONS:
        for row in report.rows_for(dimension):
            facts += [row.label, format_vnd(row.value) if row.value else "—"]
            facts += [format_count(row.health_cards)] if row.health_cards else []
    facts += [x.person_id for x in report.expiring]
    for ceremony in report.handovers:  # the handover ceremonies
        facts += [ceremony.handover.place, ceremony.handover.leader, format_vnd(ceremony.value)]
    if report.hospitals_text():  # the sentence on the hospitals Tết gifts went to
        facts.append(report.hospitals_text())
    return facts


@pytest.mark.parametrize("page", ["md", "html"])
def test_the_default_layout_shows_every_fact(example: CampaignReport, page: str) -> None:
    text = render_markdown(example) if page == "md" else render_html(example)
    escape = markdown_text if page == "md" else (lambda t: str(markupsafe.escape(t)))
    missing = [fact for fact in _facts(example) if escape(fact) not in text]
    assert not missing
    assert f"Sắp hết hạn trong {example.renewal_days} ngày ({len(example.expiring)})" in text
    assert text.count("Theo ") >= 5  # a title for each breakdown with rows
    assert example.handovers  # the example has a ceremony, and Tết gifts in hospitals
    assert f"Lễ trao tặng ({len(example.handovers)})" in text
    assert "Quà Tết theo tuyến bệnh viện" in text


def test_totals_say_what_is_delivered_and_what_is_allocated_only(example: CampaignReport) -> None:
    groups = {g.title: dict(g.formatted()) for g in totals_groups(example)}
    cards = example.count(ProductKind.HEALTH_CARD)
    given = example.count(ProductKind.HEALTH_CARD, delivered=True)
    assert 0 < given < cards  # the example has cards not yet handed over
    assert groups["Đã trao"]["Thẻ BHYT đã trao"] == format_count(given)
    assert groups["Đã phân bổ, chưa trao"]["Thẻ BHYT chưa trao"] == format_count(cards - given)
    assert groups["Đã phân bổ, chưa trao"]["Giá trị chưa trao (đ)"] == format_vnd(
        example.value - example.delivered_value
    )
    assert groups["Tổng đã phân bổ (kể cả đã trao)"]["Thẻ BHYT"] == format_count(cards)
    md = render_markdown(example)
    assert "| **Đã trao** | |" in md
    assert "| **Đã phân bổ, chưa trao** | |" in md
    assert f"| Thẻ BHYT chưa trao | {cards - given} |" in md


def test_the_summary_says_what_is_delivered_and_what_is_allocated_only(example: CampaignReport) -> None:
    pending = example.count(ProductKind.HEALTH_CARD) - example.count(ProductKind.HEALTH_CARD, delivered=True)
    assert example.pending == ((ProductKind.HEALTH_CARD, pending),)
    assert f"; {pending} thẻ BHYT (" in example.summary_vi()
    assert "đã phân bổ, chưa trao." in example.summary_vi()
    assert f"allocated, not yet delivered: {pending} health-insurance cards (" in example.summary_en()


def test_the_example_campaign_report_still_builds(tmp_path: Path) -> None:
    run = run_campaign(EXAMPLE, out=tmp_path / "out", plugins=False)
    md = run.files.markdown.read_text(encoding="utf-8")
    page = run.files.html.read_text(encoding="utf-8")
    assert md.startswith("# Tặng thẻ BHYT cho người có hoàn cảnh khó khăn")
    assert "đã phân bổ, chưa trao" in md
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in page  # the default layout has no letterhead


# -- a province's own layout ---------------------------------------------------------------------


def test_the_shipped_letterhead_from_the_campaign_folder(folder: Path) -> None:
    shutil.copytree(LETTERHEAD, folder / "letterhead")
    _with_template(folder, 'template = "letterhead"')
    run = run_campaign(folder, out=folder / "out", plugins=False)
    for text in (run.files.html.read_text(encoding="utf-8"), run.files.markdown.read_text(encoding="utf-8")):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
        assert "Độc lập - Tự do - Hạnh phúc" in text
        assert "BẢO HIỂM XÃ HỘI TỈNH HƯNG YÊN" in text
        assert "Hưng Yên, ngày 05 tháng 03 năm 2026" in text
        assert "GIÁM ĐỐC" in text
        assert "Thử nghiệm Hà Nội 2026" in text  # the default layout's body is still there
        assert "Đã phân bổ, chưa trao" in text


def test_one_template_file_replaces_one_page(folder: Path) -> None:
    (folder / "trang.html.j2").write_text(
        '{% extends "ansinh/report.html.j2" %}{% block letterhead %}<p class="lh">UBND {{ campaign.name }}'
        "</p>{% endblock %}",
        encoding="utf-8",
    )
    _with_template(folder, 'template = "trang.html.j2"')
    run = run_campaign(folder, out=folder / "out", plugins=False)
    assert '<p class="lh">UBND Thử nghiệm Hà Nội 2026</p>' in run.files.html.read_text(encoding="utf-8")
    assert "UBND" not in run.files.markdown.read_text(encoding="utf-8")  # report.md keeps the default


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('template = "../letterhead"', "inside the campaign folder"),
        ('template = "/etc"', "inside the campaign folder"),
        ('template = "missing"', "a folder holding report.html.j2"),
        ('template = "roster.csv"', "a file named ….html.j2"),
        ("template = 3", "a folder or file name"),
        ('templat = "letterhead"', "templat"),
    ],
)
def test_a_bad_report_table_is_refused_by_name(folder: Path, line: str, message: str) -> None:
    _with_template(folder, line)
    with pytest.raises(CampaignFileError, match="report") as info:
        run_campaign(folder, out=folder / "out", plugins=False)
    assert message in str(info.value)
    assert not (folder / "out").exists()


def test_a_link_out_of_the_campaign_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(LETTERHEAD, outside)
    (folder / "letterhead").symlink_to(outside, target_is_directory=True)
    _with_template(folder, 'template = "letterhead"')
    with pytest.raises(CampaignFileError, match="inside the campaign folder"):
        run_campaign(folder, out=folder / "out", plugins=False)


class _Letterhead:
    def __init__(self, templates: object) -> None:
        self.templates = templates
        self.settings: list[Mapping[str, object]] = []

    @hookimpl
    def ansinh_report_templates(self, campaign: Campaign, settings: Mapping[str, object]) -> object:
        self.settings.append(settings)
        return self.templates


_PLUGIN_PAGE = (
    '{% extends "ansinh/report.html.j2" %}'
    "{% block letterhead %}<p>BHXH TỈNH {{ report.campaign.province }}</p>{% endblock %}"
    "{% block signature %}<p>KT. GIÁM ĐỐC</p>{% endblock %}"
)


def test_a_plugin_gives_the_layout(folder: Path) -> None:
    plugin = _Letterhead({"report.html.j2": _PLUGIN_PAGE})
    _with_template(folder, "")  # an empty [report] table: no template of the folder's own
    toml = folder / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[plugins.lh]\noffice = "HN"\n', encoding="utf-8")
    host = plugin_host()
    host.register(plugin, name="lh")
    run = run_campaign(folder, out=folder / "out", plugins=host)
    page = run.files.html.read_text(encoding="utf-8")
    assert "<p>BHXH TỈNH 01</p>" in page
    assert "<p>KT. GIÁM ĐỐC</p>" in page
    assert plugin.settings == [{"office": "HN"}]


def test_the_folder_template_wins_over_a_plugin(folder: Path) -> None:
    shutil.copytree(LETTERHEAD, folder / "letterhead")
    _with_template(folder, 'template = "letterhead"')
    run = run_campaign(folder, out=folder / "out", plugins=plugin_host(_Letterhead({"report.html.j2": "x"})))
    assert "BẢO HIỂM XÃ HỘI TỈNH HƯNG YÊN" in run.files.html.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "answer", [{"report.pdf.j2": "x"}, {"report.html.j2": b"x"}, "report.html.j2", {}, {"report.md.j2": 1}]
)
def test_a_plugin_answering_something_else_is_named(answer: object) -> None:
    host = plugin_host()
    host.register(_Letterhead(answer), name="lh")
    with pytest.raises(PluginError, match=r"'lh' failed in hook 'ansinh_report_templates'"):
        plugin_report_layout(host, _campaign())


def test_a_plugin_raising_is_named() -> None:
    class _Raises:
        @hookimpl
        def ansinh_report_templates(self) -> None:
            raise RuntimeError("no letterhead today")

    host = plugin_host()
    host.register(_Raises(), name="boom")
    with pytest.raises(PluginError, match=r"boom.*no letterhead today"):
        plugin_report_layout(host, _campaign())
    assert plugin_report_layout(plugin_host(), _campaign()) is None


def _campaign() -> Campaign:
    return Campaign(code="T", name="T", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))


# -- broken and hostile templates ----------------------------------------------------------------


def test_a_template_with_a_syntax_error_names_its_line_and_writes_nothing(folder: Path) -> None:
    (folder / "lh").mkdir()
    (folder / "lh" / "report.html.j2").write_text(
        '{% extends "ansinh/report.html.j2" %}\n{% block letterhead %}\n{% if %}\n{% endblock %}\n',
        encoding="utf-8",
    )
    _with_template(folder, 'template = "lh"')
    with pytest.raises(CampaignFileError, match=r"report template lh/report\.html\.j2 line 3") as info:
        run_campaign(folder, out=folder / "out", plugins=False)
    assert "'{% if %}'" in str(info.value)  # the line itself
    assert not (folder / "out").exists()  # checked before the ledger is opened


def test_a_template_failing_to_render_names_its_line_and_leaves_the_folder(
    example: CampaignReport, tmp_path: Path
) -> None:
    layout = ReportLayout(
        templates=(
            (
                "report.md.j2",
                '{% extends "ansinh/report.md.j2" %}\n{% block letterhead %}\nỦy ban\n{{ report.nope }}\n'
                "{% endblock %}\n",
            ),
        ),
        origin="mine/",
    )
    layout.check()  # it compiles: the error is in rendering
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.md").write_text("last year's report", encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"mine/report\.md\.j2 line 4.*nope") as info:
        write_report(example, out, chart=False, layout=layout)
    assert "Jinja2 template that renders" in str(info.value)
    assert "'{{ report.nope }}'" in str(info.value)
    assert sorted(p.name for p in out.iterdir()) == ["report.md"]
    assert (out / "report.md").read_text(encoding="utf-8") == "last year's report"


@pytest.mark.parametrize(
    "expression",
    [
        "campaign.__class__.__init__.__globals__",
        "report.__class__.__mro__",
        "''.__class__.__subclasses__()",
        "report._repr_html_()",
    ],
)
def test_the_sandbox_keeps_templates_away_from_python(example: CampaignReport, expression: str) -> None:
    layout = ReportLayout(templates=(("report.html.j2", "{{ " + expression + " }}"),), origin="evil/")
    with pytest.raises(CampaignFileError, match=r"evil/report\.html\.j2 line 1"):
        render_html(example, layout=layout)


def test_hostile_names_are_escaped_in_both_pages(folder: Path) -> None:
    (folder / "own.html.j2").write_text(
        '{% extends "ansinh/report.html.j2" %}{% block letterhead %}<p>{{ report.rows[-1].label }}</p>'
        "{% endblock %}",
        encoding="utf-8",
    )
    _with_template(folder, 'template = "own.html.j2"')
    run = run_campaign(folder, out=folder / "out", plugins=False)
    page = run.files.html.read_text(encoding="utf-8")
    md = run.files.markdown.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<script" not in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co | x" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co \\| x" in md


def test_a_layout_holds_only_known_templates() -> None:
    with pytest.raises(CampaignFileError, match=r"report\.md\.j2, report\.html\.j2 or public-list\.md\.j2"):
        ReportLayout(templates=(("report.pdf.j2", "x"),))
    with pytest.raises(CampaignFileError, match="one of"):
        ReportLayout().render("other.j2", None)  # type: ignore[arg-type]
    with pytest.raises(CampaignFileError, match="pairs"):
        ReportLayout(templates={"report.md.j2": "x"})  # type: ignore[arg-type]
    with pytest.raises(CampaignFileError, match="pairs"):
        ReportLayout(templates=(("report.md.j2", "x", "y"),))  # type: ignore[arg-type]


def test_read_report_layout_reads_the_shipped_example() -> None:
    layout = read_report_layout(LETTERHEAD.parent, "letterhead")
    assert {name for name, _ in layout.templates} == {"report.html.j2", "report.md.j2"}
    assert layout.origin == "letterhead/"
    layout.check()


def test_xlsx_totals_separate_delivered_from_allocated(example: CampaignReport, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    files = write_report(example, tmp_path, chart=False)
    assert files.xlsx is not None
    sheet = openpyxl.load_workbook(files.xlsx)["Tổng hợp"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(values_only=True)}
    assert rows["Thẻ BHYT đã trao"] == example.count(ProductKind.HEALTH_CARD, delivered=True)
    assert rows["Giá trị chưa trao (đ)"] == example.pending_value
    assert "Đã phân bổ, chưa trao" in rows


def test_the_public_list_takes_the_commune_letterhead(tmp_path: Path) -> None:
    folder = tmp_path / "campaign"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    (folder / "xa.public-list.md.j2").write_text(
        '{% extends "ansinh/public-list.md.j2" %}{% block letterhead %}**ỦY BAN NHÂN DÂN XÃ AN LÃO**\n\n'
        "{% endblock %}{% block signature %}\n**TM. ỦY BAN NHÂN DÂN**\n{% endblock %}",
        encoding="utf-8",
    )
    _with_template(folder, 'template = "xa.public-list.md.j2"')
    run = run_campaign(folder, out=tmp_path / "out", plugins=False)
    assert run.public_lists
    for path in run.public_lists:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("**ỦY BAN NHÂN DÂN XÃ AN LÃO**\n\n# Danh sách công khai")
        assert text.rstrip().endswith("**TM. ỦY BAN NHÂN DÂN**")
        assert "Thông tin cá nhân đã được che" in text
        assert "******" in text  # the identifiers stay masked
    assert "ỦY BAN" not in run.files.markdown.read_text(encoding="utf-8")


def test_a_plugin_template_failing_names_the_plugin(example: CampaignReport) -> None:
    host = plugin_host()
    host.register(_Letterhead({"report.md.j2": "# {{ 1 // 0 }}"}), name="hy")
    layout = plugin_report_layout(host, _campaign())
    assert layout is not None
    with pytest.raises(CampaignFileError, match=r"report template plugin 'hy': report\.md\.j2 line 1"):
        render_markdown(example, layout=layout)


# -- properties ------------------------------------------------------------------------------------


@settings(max_examples=20, deadline=None)
@given(state=ast.ledger_states(max_events=16))
def test_delivered_and_waiting_add_up_to_what_is_allocated(state: object) -> None:
    r = report(state, on=dt.date(2026, 6, 30))  # type: ignore[arg-type]
    groups = {g.title: g.lines for g in totals_groups(r)}
    delivered = {line.label: line.value for line in groups["Đã trao"]}
    waiting = {line.label: line.value for line in groups["Đã phân bổ, chưa trao"]}
    allocated = {line.label: line.value for line in groups["Tổng đã phân bổ (kể cả đã trao)"]}
    assert (
        delivered["Giá trị đã trao (đ)"] + waiting["Giá trị chưa trao (đ)"] == allocated["Tổng giá trị (đ)"]
    )
    for kind, label in (
        (ProductKind.HEALTH_CARD, "Thẻ BHYT"),
        (ProductKind.SOCIAL_BOOK, "Sổ BHXH"),
        (ProductKind.TET_GIFT, "Suất quà Tết"),
    ):
        given_n = delivered.get(f"{label} đã trao", 0)
        assert given_n + waiting.get(f"{label} chưa trao", 0) == allocated[label] == r.count(kind)
    assert all(n > 0 for _, n in r.pending)
    md, page = render_markdown(r), render_html(r)
    assert md.count("| **") == len(groups)  # each group's heading row
    assert page.count('<th class="group"') == len(groups)


_HOSTILE = st.text(
    st.sampled_from("<>&|\\\"'`*_[]()#!{}%Tết ạ\n") | st.characters(), min_size=1, max_size=40
).filter(str.strip)


@settings(max_examples=50, deadline=None)
@given(name=_HOSTILE)
def test_any_campaign_name_is_escaped_in_both_pages(example: CampaignReport, name: str) -> None:
    try:
        campaign = attrs.evolve(example.campaign, name=name)
    except Exception:  # a name Campaign refuses is never reported
        return
    r = attrs.evolve(example, campaign=campaign)
    page = render_html(r)
    shown = str(markupsafe.escape(campaign.name))
    assert f"<title>{shown}</title>" in page
    assert f"<h1>{shown}</h1>" in page
    if shown != campaign.name:  # the name as it is never reaches the page (a page holds "<" of its own)
        assert f"<h1>{campaign.name}</h1>" not in page
        assert f"<title>{campaign.name}</title>" not in page
    md = render_markdown(r)
    assert f"# {markdown_text(campaign.name)}\n" in md
