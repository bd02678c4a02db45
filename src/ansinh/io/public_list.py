"""The public list (danh sách công khai) of a reviewed roster, with personal data masked.

The programme reviews its lists "khách quan, công khai, minh bạch": the
commune posts who will receive a gift and why.  A public list shows, in
Vietnamese, for each person: the name, the **year** of birth only, the CCCD
masked (``0012******89``), the province (never the commune, household or
address), the categories, the priority score with its parts, the result and
the reasons with their legal citations.

Rows come eligible first, each group in priority order (:func:`ansinh.core.eligibility.ranking_key`).

>>> import datetime as dt
>>> from ansinh.core.eligibility import screen
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> p = Person(id="1", full_name="Lò Thị Mai", date_of_birth=dt.date(1990, 5, 17), province="14",
...            categories={Category.ETHNIC_MINORITY}, cccd="014190000123", commune="Xã Mường Bú")
>>> import ansinh
>>> card = HealthCard(months=12)
>>> text = public_list_markdown(screen([p], card, on=dt.date(2026, 1, 5), law=ansinh.default_law()))
>>> "0141******23" in text, "014190000123" in text, "1990" in text, "17/05" in text, "Mường Bú" in text
(True, False, True, False, False)
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final, Literal

import attrs

from ansinh.core.dates import format_date
from ansinh.core.eligibility import Decision, PriorityPolicy, Screening, ranking_key
from ansinh.core.provinces import province as _province
from ansinh.core.review import Posting
from ansinh.exceptions import InvalidValueError
from ansinh.io.files import csv_text, write_atomic
from ansinh.io.report_templates import ReportLayout

__all__ = [
    "PUBLIC_COLUMNS",
    "PublicRow",
    "public_list_csv",
    "public_list_markdown",
    "public_rows",
    "write_public_list",
]

PUBLIC_COLUMNS: Final = (
    "STT",
    "Họ và tên",
    "Năm sinh",
    "Số CCCD",
    "Tỉnh/thành phố",
    "Đối tượng",
    "Điểm ưu tiên",
    "Căn cứ ưu tiên",
    "Kết quả",
    "Lý do",
    "Thẻ có giá trị từ",
)
"""The columns of a public list, in order."""


@attrs.frozen(kw_only=True)
class PublicRow:
    """One line of a public list: nothing on it identifies a person beyond name and birth year."""

    number: int
    """STT: position on the list, from 1."""
    full_name: str
    birth_year: int
    masked_cccd: str
    """``0012******89``, or empty when the person has no CCCD on the roster."""
    province: str
    """The province's name."""
    categories: str
    """Vietnamese labels, ``;``-separated."""
    score: int
    priority: str
    """The parts of the score, e.g. ``hộ cận nghèo +30; từ 60 tuổi trở lên +10``."""
    result: str
    """``Đủ điều kiện`` or ``Không đủ điều kiện``."""
    reasons: str
    """The reasons in Vietnamese with their citations, ``;``-separated (only the blocking ones
    for an ineligible person)."""
    valid_from: str
    """For health cards, the day the card would start (dd/mm/yyyy); else empty."""

    def values(self) -> tuple[int | str, ...]:
        """The row's values (numbers as ``int``), in :data:`PUBLIC_COLUMNS` order."""
        return (
            self.number,
            self.full_name,
            self.birth_year,
            self.masked_cccd,
            self.province,
            self.categories,
            self.score,
            self.priority,
            self.result,
            self.reasons,
            self.valid_from,
        )

    def cells(self) -> tuple[str, ...]:
        """The row as text cells, in :data:`PUBLIC_COLUMNS` order."""
        return tuple(str(v) for v in self.values())


def _ordered(decisions: Screening | Iterable[Decision], include_ineligible: bool) -> list[Decision]:
    if isinstance(decisions, Screening):
        items = list(decisions.eligible) + (list(decisions.ineligible) if include_ineligible else [])
        return items
    given: object = decisions
    if isinstance(given, str | bytes) or not isinstance(given, Iterable):
        raise InvalidValueError("decisions", decisions, "a Screening or an iterable of Decision")
    items = []
    for d in given:
        if not isinstance(d, Decision):
            raise InvalidValueError("decisions", d, "Decision objects (from ansinh.check)")
        if d.eligible or include_ineligible:
            items.append(d)
    items.sort(key=lambda d: (not d.eligible, *ranking_key(d)))
    return items


def _reason_text(d: Decision) -> str:
    # An ineligible person's list shows why not; what their card would have done is noise there.
    parts = []
    for r in d.reasons if d.eligible else d.blocking:
        parts.append(f"{r.text_vi} ({r.citation})" if r.citation is not None else r.text_vi)
    return "; ".join(parts)


def public_rows(
    decisions: Screening | Iterable[Decision], *, include_ineligible: bool = True
) -> tuple[PublicRow, ...]:
    """The rows of the public list, eligible first, in priority order.

    Args:
        decisions: a :class:`~ansinh.core.eligibility.Screening` or decisions.
        include_ineligible: also list the people found ineligible, with the reasons.

    Raises:
        InvalidValueError: *decisions* is not a Screening or decisions.
    """
    rows = []
    for n, d in enumerate(_ordered(decisions, include_ineligible), start=1):
        p = d.person
        vf = d.valid_from
        rows.append(
            PublicRow(
                number=n,
                full_name=p.full_name,
                birth_year=p.date_of_birth.year,
                masked_cccd=p.masked_cccd or "",
                province=_province(p.province).name,
                categories="; ".join(sorted(c.label_vi for c in p.categories)),
                score=d.priority.score,
                priority=d.priority.explain("vi"),
                result="Đủ điều kiện" if d.eligible else "Không đủ điều kiện",
                reasons=_reason_text(d),
                valid_from="" if vf is None else format_date(vf),
            )
        )
    return tuple(rows)


def public_list_csv(decisions: Screening | Iterable[Decision], *, include_ineligible: bool = True) -> str:
    """The public list as CSV text (Vietnamese headers), formulas neutralised (:func:`~ansinh.io.files.csv_text`)."""
    rows: list[tuple[object, ...]] = [PUBLIC_COLUMNS]
    for row in public_rows(decisions, include_ineligible=include_ineligible):
        rows.append(row.values())  # numbers as numbers: a negative score is -5, not text
    return csv_text(rows, lineterminator="\r\n")


def public_list_markdown(
    decisions: Screening | Iterable[Decision],
    *,
    title: str | None = None,
    include_ineligible: bool = True,
    posting: Posting | None = None,
    priority_policy: PriorityPolicy | None = None,
    layout: ReportLayout | None = None,
) -> str:
    """The public list as a Markdown table with a title and a note on masking; text escaped (:func:`~ansinh.io.files.markdown_text`).

    Rendered from *layout*'s ``public-list.md.j2`` (default: ansinh's own; a
    commune's letterhead: :mod:`ansinh.io.report_templates`).  The template
    sees ``title``, ``notices``, ``posting``, ``columns`` and ``rows`` (the
    masked :class:`PublicRow` values) — never a person's unmasked data.

    With *posting* (a list under public review, :mod:`ansinh.core.review`) the
    list also says where and until when it is posted and where to object
    (:meth:`~ansinh.core.review.Posting.notice`).  With *priority_policy* it
    says which table of priority points ranked the list and where it comes from.

    Raises:
        InvalidValueError: *decisions* is not a Screening or decisions, or
            *posting* is not a :class:`~ansinh.core.review.Posting`.
        CampaignFileError: the template fails to render (naming it and its line).
    """
    if posting is not None and not isinstance(posting, Posting):
        raise InvalidValueError("posting", posting, "a Posting (ansinh.core.review) or None")
    if priority_policy is not None and not isinstance(priority_policy, PriorityPolicy):
        raise InvalidValueError("priority_policy", priority_policy, "a PriorityPolicy or None")
    if title is None:
        if isinstance(decisions, Screening):
            title = (
                f"Danh sách công khai — {decisions.product.kind.label_vi} — ngày {format_date(decisions.on)}"
            )
        else:
            title = "Danh sách công khai"
    notices = [posting.notice()] if posting is not None else []
    if priority_policy is not None:
        notices.append(f"Điểm ưu tiên tính theo: {priority_policy.source}.")
    context = {
        "title": title,
        "notices": notices,
        "posting": posting,
        "columns": PUBLIC_COLUMNS,
        "rows": public_rows(decisions, include_ineligible=include_ineligible),
    }
    return (layout or ReportLayout()).render_with("public-list.md.j2", context)


def write_public_list(
    decisions: Screening | Iterable[Decision],
    path: str | os.PathLike[str],
    *,
    format: Literal["csv", "md"] | None = None,
    title: str | None = None,
    include_ineligible: bool = True,
    posting: Posting | None = None,
    priority_policy: PriorityPolicy | None = None,
    layout: ReportLayout | None = None,
) -> Path:
    """Write the public list to *path* (CSV with a BOM, or Markdown), never half-written.

    Args:
        decisions: a Screening or decisions.
        path: the file to write.
        format: ``"csv"`` or ``"md"``; default from the suffix (``.md`` → Markdown, else CSV).
        title: the Markdown title.
        include_ineligible: also list ineligible people with the reasons.
        posting: where and until when the list is posted (Markdown states it;
            a CSV file is the table alone).
        priority_policy: the table of priority points that ranked the list
            (Markdown names its source).
        layout: the templates (Markdown only; default: ansinh's own).

    Raises:
        InvalidValueError: an unknown format, or *posting* is not a Posting.
        RosterError: the file cannot be written.
    """
    fmt = format or ("md" if Path(path).suffix.lower() in (".md", ".markdown") else "csv")
    if fmt == "md":
        text = public_list_markdown(
            decisions,
            title=title,
            include_ineligible=include_ineligible,
            posting=posting,
            priority_policy=priority_policy,
            layout=layout,
        )
        return write_atomic(path, text)
    if fmt == "csv":
        if posting is not None and not isinstance(posting, Posting):
            raise InvalidValueError("posting", posting, "a Posting (ansinh.core.review) or None")
        return write_atomic(path, public_list_csv(decisions, include_ineligible=include_ineligible), bom=True)
    raise InvalidValueError("format", format, "'csv', 'md' or None")
