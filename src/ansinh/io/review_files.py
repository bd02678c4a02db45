"""The review file of a campaign folder: how its list was posted, objected to and approved.

A campaign folder with a ``review.toml`` requires review: ``ansinh campaign
run`` posts the screened list (everyone eligible for some gift), applies the
objections in file order, approves it, and allocates only to the people the
approved list names (:mod:`ansinh.core.review`)::

    list_id = "BN2026-DS1"

    [posting]
    place = "Trụ sở UBND xã và nhà văn hóa các thôn"
    start = 2025-12-01
    end = 2025-12-10
    objections_to = "Bộ phận tiếp dân UBND xã"      # optional

    [[objection]]
    id = "PA-01"
    kind = "remove"             # or "add"
    person = "31-006"           # the roster's id (Mã)
    filed_on = 2025-12-03
    grounds = "Gia đình đã có thẻ BHYT do doanh nghiệp đóng"
    outcome = "upheld"          # or "dismissed"; leave out while pending
    reasons = "Xác minh đúng"
    decided_on = 2025-12-08

    [approval]
    bodies = ["commune_committee", "mttq", "mass_organisation"]
    on = 2025-12-11
    minutes = "Biên bản số 15/BB-UBND ngày 11/12/2025"

:func:`read_review` reads it; :func:`apply_review` runs the steps.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from ansinh.core.dates import is_date
from ansinh.core.review import (
    Approval,
    CandidateList,
    Objection,
    Outcome,
    Posting,
    approve,
    decide,
    draft,
    object_to,
    post,
)
from ansinh.exceptions import CampaignFileError, InvalidValueError

__all__ = ["REVIEW_FILE", "ReviewPlan", "apply_review", "read_review"]

REVIEW_FILE: Final = "review.toml"
"""The review file's name in a campaign folder."""

_TOP: Final = frozenset({"list_id", "posting", "objection", "approval"})
_POSTING: Final = frozenset({"place", "start", "end", "objections_to"})
_OBJECTION: Final = frozenset(
    {"id", "kind", "person", "filed_on", "filed_by", "grounds", "outcome", "reasons", "decided_on"}
)
_APPROVAL: Final = frozenset({"bodies", "on", "minutes"})


@attrs.frozen(kw_only=True)
class ReviewPlan:
    """What ``review.toml`` says happened: the posting, the objections with their outcomes, the approval."""

    list_id: str
    posting: Posting
    objections: tuple[Objection, ...]
    """Each as filed, pending; its decision is in :attr:`decisions`."""
    decisions: tuple[tuple[str, Outcome, str, dt.date], ...]
    """``(objection id, outcome, reasons, date)`` for each decided objection, in file order."""
    approval: Approval | None
    """``None`` while the list is not yet approved (then no gift can be allocated)."""


def _keys(table: Any, allowed: frozenset[str], where: str) -> Mapping[str, Any]:
    if not isinstance(table, Mapping):
        raise CampaignFileError(where, table, "a TOML table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise CampaignFileError(f"{where} {unknown[0]}", unknown[0], "one of " + ", ".join(sorted(allowed)))
    return table


def _date(table: Mapping[str, Any], key: str, where: str) -> dt.date:
    value = table.get(key)
    if not is_date(value):
        raise CampaignFileError(f"{where} {key}", value, "a TOML date such as 2025-12-01")
    assert isinstance(value, dt.date)
    return value


def _built(where: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except InvalidValueError as exc:
        raise CampaignFileError(f"{where} {exc.field}", exc.value, exc.allowed) from None
    except TypeError as exc:  # a TOML value of the wrong type in a text field
        raise CampaignFileError(where, "", f"values of the documented types ({exc})") from None


def _objection(table: Any, where: str) -> tuple[Objection, tuple[str, Outcome, str, dt.date] | None]:
    t = _keys(table, _OBJECTION, where)
    objection: Objection = _built(
        where,
        lambda: Objection(
            id=str(t.get("id", "")),
            kind=t.get("kind", ""),
            person_id=str(t.get("person", "")),
            filed_on=_date(t, "filed_on", where),
            filed_by=str(t.get("filed_by", "")),
            grounds=str(t.get("grounds", "")),
        ),
    )
    if "outcome" not in t:
        return objection, None
    decided: Objection = _built(
        where,
        lambda: attrs.evolve(
            objection,
            outcome=t["outcome"],
            reasons=str(t.get("reasons", "")),
            decided_on=_date(t, "decided_on", where),
        ),
    )
    assert decided.decided_on is not None
    return objection, (objection.id, decided.outcome, decided.reasons, decided.decided_on)


def read_review(path: str | os.PathLike[str]) -> ReviewPlan:
    """Read a ``review.toml``.

    Raises:
        CampaignFileError: the file cannot be read, is not TOML, has a key it
            should not, or a value is not allowed (the message names the key).
    """
    p = Path(path)
    where = p.name
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CampaignFileError(str(p), "", f"a readable review.toml ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise CampaignFileError(str(p), "", f"valid TOML ({exc})") from None
    _keys(data, _TOP, where)
    pt = _keys(data.get("posting"), _POSTING, f"{where} [posting]")
    posting: Posting = _built(
        f"{where} [posting]",
        lambda: Posting(
            place=str(pt.get("place", "")),
            start=_date(pt, "start", f"{where} [posting]"),
            end=_date(pt, "end", f"{where} [posting]"),
            objections_to=str(pt.get("objections_to", "")),
        ),
    )
    raw = data.get("objection", [])
    if not isinstance(raw, list):
        raise CampaignFileError(f"{where} [[objection]]", raw, "an array of tables")
    objections, decisions = [], []
    for n, table in enumerate(raw, 1):
        objection, decision = _objection(table, f"{where} [[objection]] #{n}")
        objections.append(objection)
        if decision is not None:
            decisions.append(decision)
    approval = None
    if "approval" in data:
        at = _keys(data["approval"], _APPROVAL, f"{where} [approval]")
        approval = _built(
            f"{where} [approval]",
            lambda: Approval(
                bodies=at.get("bodies", ()),
                on=_date(at, "on", f"{where} [approval]"),
                minutes=str(at.get("minutes", "")),
            ),
        )
    return ReviewPlan(
        list_id=str(data.get("list_id", "")) or "list",
        posting=posting,
        objections=tuple(objections),
        decisions=tuple(decisions),
        approval=approval,
    )


def apply_review(plan: ReviewPlan, person_ids: Iterable[str], *, checks: Mapping[str, Any]) -> CandidateList:
    """Post the list of *person_ids*, file and decide the objections, and approve it, as *plan* says.

    Args:
        plan: the review file.
        person_ids: the list as posted (the screened, eligible people).
        checks: person id → that person's eligibility decision, for upheld
            requests to add someone (the re-screening).

    Returns:
        The last version: approved if the plan has an approval.

    Raises:
        CampaignFileError: a step is refused (an objection outside the posting
            period, an upheld request to add an ineligible person …), naming it.
    """
    where = "review.toml"
    try:
        lst = post(draft(plan.list_id, person_ids), plan.posting)
        for objection in plan.objections:
            where = f"review.toml [[objection]] {objection.id}"
            lst = object_to(lst, objection)
        for objection_id, outcome, reasons, on in plan.decisions:
            where = f"review.toml [[objection]] {objection_id}"
            person_id = lst.objection(objection_id).person_id
            lst = decide(
                lst, objection_id, outcome=outcome, reasons=reasons, on=on, check=checks.get(person_id)
            )
        if plan.approval is not None:
            where = "review.toml [approval]"
            lst = approve(lst, plan.approval)
    except InvalidValueError as exc:
        raise CampaignFileError(f"{where} {exc.field}", exc.value, exc.allowed) from None
    return lst
