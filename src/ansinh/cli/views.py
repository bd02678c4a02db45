"""The text ``ansinh`` prints for people: screenings, reports, campaign runs and the law.

Each function returns the whole text (ending with a newline) in Vietnamese or
English; the commands write it, and ``--json`` prints documents instead.

>>> import datetime as dt
>>> from ansinh.data import default_law
>>> law = default_law()
>>> print(law_text(law, [law.parameter("base_salary")], on=dt.date(2025, 1, 1), lang="en"), end="")
base_salary — Base salary (VND/month)
  2024-07-01 → 2026-06-30: VND 2,340,000
      [Nghị định 73/2024/NĐ-CP, Điều 3 khoản 2] <confirmed>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ansinh.cli.words import dimension_text, status_text, unit_text, word
from ansinh.core.dates import format_date
from ansinh.core.labels import Lang
from ansinh.core.law import DatedValue, Law, Link, Parameter, ParamKind, ParamValue, RateTable
from ansinh.core.money import format_percent, format_vnd
from ansinh.core.reporting import DIMENSIONS
from ansinh.core.shares import LocalSupport
from ansinh.plugins.local_support import NotShippedProgramme

if TYPE_CHECKING:
    from ansinh.core.eligibility import Screening
    from ansinh.core.reporting import CampaignReport
    from ansinh.io.roster import Roster
    from ansinh.io.run import CampaignRun

__all__ = ["law_rows", "law_text", "report_text", "run_text", "screening_text", "value_text"]


# -- the law ---------------------------------------------------------------------------------


def _percent(rate: Fraction, lang: Lang) -> str:
    """An exact percentage: ``4,5%`` (vi) or ``4.5%`` (en)."""
    return format_percent(rate, lang, digits=6)


def value_text(param: Parameter, value: ParamValue | Link, lang: Lang) -> str:
    """One value of *param* as a clerk reads it: money, a percentage, months, a link to another value."""
    if isinstance(value, Link):
        mult = "" if value.multiple == 1 else f"{value.multiple} × "
        return f"= {mult}{value.of}"
    if isinstance(value, RateTable):
        return "; ".join(f"{k}: {_percent(v, lang)}" for k, v in value.entries)
    if isinstance(value, tuple):
        return ", ".join(str(m) for m in value) + (" tháng" if lang == "vi" else " months")
    if isinstance(value, Fraction):
        return _percent(value, lang)
    if param.kind is ParamKind.AMOUNT:
        return format_vnd(value, lang)
    unit = unit_text(param.unit, lang)
    if lang == "vi" and param.name.endswith("_age"):
        unit = "tuổi"
    return f"{value} {unit}"


def law_rows(param: Parameter, on: dt.date | None = None) -> list[tuple[DatedValue, dt.date | None]]:
    """Each value of *param* with its last day (filled from the next value); only the one in force *on* if given."""
    rows: list[tuple[DatedValue, dt.date | None]] = []
    values = param.values
    for i, v in enumerate(values):
        until = v.until
        if until is None and i + 1 < len(values):
            until = values[i + 1].effective - dt.timedelta(days=1)
        if on is None or (v.effective <= on and (until is None or on <= until)):
            rows.append((v, until))
    return rows


def law_text(law: Law, params: Iterable[Parameter], *, on: dt.date | None, lang: Lang) -> str:
    """The values of *params* (those in force *on*, or all) with their sources, as ``ansinh law show`` prints them."""
    blocks = []
    for param in params:
        rows = law_rows(param, on)
        if not rows:
            continue
        lines = [f"{param.name} — {param.label(lang)} ({param.unit})"]
        for v, until in rows:
            span = f"{v.effective.isoformat()} → {until.isoformat() if until else word('open', lang)}"
            text = value_text(param, v.value, lang)
            if isinstance(v.value, Link):
                resolved = law.value(param.name, on=on or v.effective)
                text += f" ({value_text(param, resolved, lang)})"
            lines.append(f"  {span}: {text}")
            lines.append(f"      [{v.citation}] <{status_text(v.status, lang)}>")
            if v.note:
                lines.append(f"      {v.note}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def programmes_text(
    supports: Iterable[LocalSupport],
    not_shipped: Iterable[NotShippedProgramme],
    *,
    on: dt.date | None,
    lang: Lang,
) -> str:
    """Every provincial programme (those in force *on*, or all): area, dates, rates, source, status;
    then those found and not shipped, with why."""
    vi = lang == "vi"
    lines = ["Chương trình hỗ trợ của địa phương" if vi else "Provincial programmes"]
    for s in supports:
        if on is not None and not (s.effective <= on and (s.until is None or on <= s.until)):
            continue
        until = s.until.isoformat() if s.until else word("open", lang)
        rates = s.rates_text(lang)
        lines.append(f"  {s.code} — {s.label_vi if vi else s.label_en}")
        lines.append(f"      {s.area(lang)}; {s.product.label(lang)}; {s.effective.isoformat()} → {until}")
        lines.append(f"      {rates}")
        lines.append(f"      [{s.citation}] <{status_text(s.status, lang)}>")
        if s.note:
            lines.append(f"      {s.note}")
    lines.append("")
    lines.append("Chương trình đã tìm thấy nhưng chưa áp dụng" if vi else "Programmes found and not shipped")
    for p in not_shipped:
        lines.append(f"  {p.code} — {p.area} ({p.province}); {p.product}; {p.dates}")
        lines.append(f"      {p.groups}")
        lines.append(f"      [{p.citation}] <{status_text(p.status, lang)}>")
        lines.append(f"      {p.reason}")
    return "\n".join(lines) + "\n"


# -- screenings, reports and runs ----------------------------------------------------------------


def screening_text(result: Screening, roster: Roster, lang: Lang, limit: int | None = None) -> str:
    """A screening of *roster* as ``ansinh screen`` prints it: the eligible by priority (the first
    *limit* of them), the ineligible with their reasons, the rejected and duplicate rows."""
    en = lang == "en"
    kind = result.product.kind
    lines = [
        (
            f"Screening {roster.source} for a {kind.label_en} on {result.on.isoformat()}"
            if en
            else f"Xét danh sách {roster.source} — {kind.label_vi} ngày {format_date(result.on)}"
        ),
        (
            f"{len(roster.people)} people read, {len(roster.rejected_rows)} rows rejected, "
            f"{len(result.eligible)} eligible, {len(result.ineligible)} not eligible"
            if en
            else f"{len(roster.people)} người đọc được, {len(roster.rejected_rows)} dòng bị loại, "
            f"{len(result.eligible)} đủ điều kiện, {len(result.ineligible)} không đủ điều kiện"
        ),
        "",
        "Eligible, by priority:" if en else "Đủ điều kiện, theo thứ tự ưu tiên:",
    ]
    shown = result.eligible if limit is None else result.eligible[:limit]
    for i, d in enumerate(shown, 1):
        valid = (
            f"  {'valid from' if en else 'thẻ từ'} {format_date(d.valid_from, lang)}" if d.valid_from else ""
        )
        lines.append(
            f"  {i:>4}. {d.person.id}  {d.person.full_name}  [{d.priority.score}] "
            f"{d.priority.explain(lang)}{valid}"
        )
    lines += _more(len(result.eligible), len(shown), en)
    if result.ineligible:
        lines += ["", "Not eligible:" if en else "Không đủ điều kiện:"]
        for d in result.ineligible[:limit]:
            reasons = "; ".join(f"{r.text(lang)} [{r.code}]" for r in d.blocking)
            lines.append(f"  {d.person.id}  {d.person.full_name}: {reasons}")
        lines += _more(len(result.ineligible), len(result.ineligible[:limit]), en)
    if roster.rejected:
        lines += ["", "Rejected rows:" if en else "Dòng bị loại:"]
        lines += [f"  {r}" for r in roster.rejected[:limit]]
        lines += _more(len(roster.rejected), len(roster.rejected[:limit]), en, "problems", "lỗi nữa")
    if roster.duplicates:
        lines += ["", "Duplicates (not merged):" if en else "Trùng lặp (không gộp):"]
        for dup in roster.duplicates[:limit]:
            rows = ", ".join(map(str, dup.rows))
            lines.append(f"  {dup.field} {dup.value}: {'rows' if en else 'dòng'} {rows}")
        lines += _more(len(roster.duplicates), len(roster.duplicates[:limit]), en, "more", "nhóm nữa")
    return "\n".join(lines) + "\n"


def _more(total: int, shown: int, en: bool, word_en: str = "more", word_vi: str = "người nữa") -> list[str]:
    """``["  … N more"]`` when *shown* of *total* were printed; nothing when all were."""
    return [f"  … {total - shown} {word_en if en else word_vi}"] if shown < total else []


def report_text(rep: CampaignReport, lang: Lang) -> str:
    """A campaign report as ``ansinh report`` prints it: the summary, the totals, each breakdown
    and the renewal list."""
    en = lang == "en"
    from ansinh.io.report_templates import totals_groups  # jinja2 only when a report is printed

    lines = [rep.summary_en() if en else rep.summary_vi()]
    for group in totals_groups(rep):  # delivered and allocated-only figures apart, as in report.md
        lines += ["", f"{group.heading(lang)}:"]
        lines += [f"  {label:<40} {value}" for label, value in group.formatted(lang)]
    for dimension in DIMENSIONS:
        rows = rep.rows_for(dimension)
        if not rows:
            continue
        title = dimension_text(dimension, lang)
        lines += ["", f"{title}:"]
        for row in rows:
            lines.append(
                f"  {row.label:<30} {row.gifts:>6} {'gifts' if en else 'suất'}  "
                f"{format_vnd(row.value, lang):>18}  {row.people:>6} {'people' if en else 'người'}"
            )
    lines += handover_lines(rep, lang)
    if rep.expiring:
        lines += [
            "",
            ("Expiring within" if en else "Hết hạn trong")
            + f" {rep.renewal_days} "
            + ("days:" if en else "ngày tới:"),
        ]
        for item in rep.expiring:
            lines.append(
                f"  {item.person_id}  {item.kind.value}  {format_date(item.valid_until, lang)}  ({item.days_left})"
            )
    return "\n".join(lines) + "\n"


def handover_lines(rep: CampaignReport, lang: Lang) -> list[str]:
    """The report's handover ceremonies, one line each (date, place, leader; gifts, value, people); none without."""
    if not rep.handovers:
        return []
    en = lang == "en"
    lines = ["", "Handover ceremonies:" if en else "Lễ trao tặng:"]
    for row in rep.handovers:
        lines.append(
            f"  {row.handover.describe(lang)}: {row.gifts} {'gifts' if en else 'suất'}, "
            f"{format_vnd(row.value, lang)}, {row.people} {'people' if en else 'người'}"
        )
    return lines


def run_text(run: CampaignRun, lang: Lang) -> str:
    """What ``ansinh campaign run`` prints: the summary, the screening counts, the handover
    ceremonies, the rows kept out, the new events and the files written."""
    en = lang == "en"
    lines = [run.summary_en if en else run.summary_vi, ""]
    for kind, good, bad in run.screened:
        label = kind.label_en if en else kind.label_vi
        lines.append(
            f"  {label}: {good} {'eligible' if en else 'đủ điều kiện'}, "
            f"{bad} {'not eligible' if en else 'không đủ điều kiện'}"
        )
    lines += handover_lines(run.report, lang)
    if run.rejected:
        lines += ["", ("Rows kept out:" if en else "Dòng bị loại:")]
        lines += [f"  {Path(f).name}: {r}" for f, r in run.rejected]
    if run.duplicates:
        lines.append(f"  {'people listed twice' if en else 'người trùng lặp'}: {run.duplicates}")
    for result in run.sourcing:
        lines += [
            "",
            f"{'Sourcing' if en else 'Huy động'} {result.strategy}: {format_vnd(result.money, lang)}",
        ]
        lines += [f"  {note}" for note in result.assumptions]
    if run.allocation.leftovers:
        lines += ["", ("Pledges not fully used:" if en else "Khoản tài trợ chưa dùng hết:")]
        for left in run.allocation.leftovers:
            units = ", ".join(f"{n} {kind.label_en if en else kind.label_vi}" for kind, n in left.units_left)
            held = ", ".join(
                x for x in (units, format_vnd(left.money_left, lang) if left.money_left else "") if x
            )
            lines.append(f"  {left.pledge_id} ({held}): {left.reason_en if en else left.reason_vi}")
    lines += [
        "",
        (f"{run.new_events} new events in" if en else f"{run.new_events} sự kiện mới trong")
        + f" {run.store}",
        ("Files written:" if en else "Đã ghi:"),
        *(f"  {f}" for f in run.files.all),
    ]
    return "\n".join(lines) + "\n"
