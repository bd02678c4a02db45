"""Candidate lists reviewed in public: versions, posting, objections, approval.

The programme's lists are "công khai, minh bạch, đúng người": the commune
reviews the candidates with the People's Committee and the Fatherland Front
(MTTQ), posts the list, hears objections, and approves it.  A
:class:`CandidateList` is a frozen value; each step is a function that returns
the next value, or refuses (:class:`~ansinh.exceptions.ReviewError`) and
changes nothing:

* :func:`draft` — version 1 of a list, status ``draft``;
* :func:`post` — ``draft`` → ``posted``, with the place and period of posting;
* :func:`object_to` — while posted, anyone objects to a listed person or asks
  for a person to be added (:class:`Objection`), within the posting period;
* :func:`decide` — an objection is upheld or dismissed, always with reasons.
  An upheld objection against a listed person removes them; an upheld request
  to be added lists the person only if the public ``check`` says they are
  eligible (its :class:`~ansinh.core.eligibility.Decision` is an argument: the
  core stays pure);
* :func:`approve` — ``posted`` → ``approved`` once the posting period is over
  and every objection is decided, recording the reviewing bodies, the date and
  the minutes' reference (biên bản);
* :func:`revise` — any change after approval makes a **new version** (status
  ``draft``): an approved list is never changed.

Allocation takes the approved list as a plain argument
(``allocate(..., approved=...)``) and refuses anyone not on it.

>>> import datetime as dt
>>> v1 = draft("BN2026-31", ["HP-1", "HP-2", "HP-3"])
>>> v1 = post(v1, Posting(place="Nhà văn hóa thôn 3", start=dt.date(2025, 11, 10),
...                       end=dt.date(2025, 11, 17)))
>>> v1 = object_to(v1, Objection(id="O1", kind="remove", person_id="HP-2",
...                              filed_on=dt.date(2025, 11, 12), grounds="đã có thẻ BHYT hộ gia đình"))
>>> v1 = decide(v1, "O1", outcome="upheld", reasons="xác minh: đã có thẻ", on=dt.date(2025, 11, 15))
>>> v1.person_ids
('HP-1', 'HP-3')
>>> v1 = approve(v1, Approval(bodies={"commune_committee", "mttq"}, on=dt.date(2025, 11, 18),
...                           minutes="Biên bản số 12/BB-UBND"))
>>> v1.status.value, v1.allows("HP-1"), v1.allows("HP-2")
('approved', True, False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from ansinh.core.dates import format_date
from ansinh.core.labels import Labelled
from ansinh.core.validators import date as _date
from ansinh.core.validators import non_empty_text as _text
from ansinh.exceptions import ReviewError

__all__ = [
    "Approval",
    "CandidateList",
    "Objection",
    "ObjectionKind",
    "Outcome",
    "Posting",
    "ReviewStatus",
    "ReviewingBody",
    "approve",
    "decide",
    "draft",
    "object_to",
    "post",
    "revise",
]


class ReviewStatus(Labelled):
    """Where a version of a candidate list stands."""

    DRAFT = "draft"
    """Being prepared; not yet shown to the public."""
    POSTED = "posted"
    """Posted for objections (niêm yết công khai)."""
    APPROVED = "approved"
    """Approved by the reviewing bodies; never changed again."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each status's ``(Vietnamese, English)`` label."""
        return {
            "draft": ("dự thảo", "draft"),
            "posted": ("đang niêm yết", "posted"),
            "approved": ("đã phê duyệt", "approved"),
        }


class ReviewingBody(Labelled):
    """A body that reviews a list with the commune."""

    COMMUNE_COMMITTEE = "commune_committee"
    """The commune People's Committee (UBND xã)."""
    MTTQ = "mttq"
    """The Vietnam Fatherland Front committee (Ủy ban MTTQ Việt Nam)."""
    MASS_ORGANISATION = "mass_organisation"
    """A mass organisation (Hội Phụ nữ, Hội Nông dân, Đoàn Thanh niên, Hội Cựu chiến binh …)."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each body's ``(Vietnamese, English)`` label."""
        return {
            "commune_committee": ("UBND xã", "commune People's Committee"),
            "mttq": ("Ủy ban MTTQ", "Fatherland Front committee"),
            "mass_organisation": ("tổ chức chính trị - xã hội", "mass organisation"),
        }


class ObjectionKind(Labelled):
    """What an objection asks for."""

    REMOVE = "remove"
    """A listed person should not receive a gift."""
    ADD = "add"
    """A person missing from the list should be added."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each kind's ``(Vietnamese, English)`` label."""
        return {
            "remove": ("phản ánh người trong danh sách", "objection"),
            "add": ("đề nghị bổ sung", "request"),
        }


class Outcome(Labelled):
    """The outcome of an objection."""

    PENDING = "pending"
    UPHELD = "upheld"
    DISMISSED = "dismissed"

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each outcome's ``(Vietnamese, English)`` label."""
        return {
            "pending": ("đang xem xét", "pending"),
            "upheld": ("chấp nhận", "upheld"),
            "dismissed": ("không chấp nhận", "dismissed"),
        }


def _enum(cls: type[Labelled], field: str) -> Any:
    def convert(value: Any) -> Any:
        try:
            return cls(value)
        except ValueError:
            raise ReviewError(field, value, "one of " + ", ".join(m.value for m in cls)) from None

    return convert


def _kind(value: Any) -> ObjectionKind:
    result: ObjectionKind = _enum(ObjectionKind, "kind")(value)
    return result


def _outcome(value: Any) -> Outcome:
    result: Outcome = _enum(Outcome, "outcome")(value)
    return result


def _status(value: Any) -> ReviewStatus:
    result: ReviewStatus = _enum(ReviewStatus, "status")(value)
    return result


def _bodies(value: Any) -> frozenset[ReviewingBody]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ReviewError("bodies", value, "a non-empty set of reviewing bodies")
    convert = _enum(ReviewingBody, "bodies")
    bodies = frozenset(convert(v) for v in value)
    if not bodies:
        raise ReviewError("bodies", value, "at least one reviewing body")
    return bodies


def _ids(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ReviewError("person_ids", value, "a collection of person ids")
    ids = tuple(value)
    for item in ids:
        if not isinstance(item, str) or not item.strip():
            raise ReviewError("person_ids", item, "non-empty text (a person id)")
    return tuple(sorted(set(ids)))


@attrs.frozen(kw_only=True)
class Posting:
    """Where and when a list is posted for objections (niêm yết)."""

    place: str = attrs.field(validator=_text)
    """Where the list hangs (e.g. the commune's cultural house)."""
    start: dt.date = attrs.field(validator=_date)
    end: dt.date = attrs.field(validator=_date)
    """Last day objections are received."""
    objections_to: str = ""
    """Where to object or ask to be added (a desk, an address, a phone number); empty: at :attr:`place`."""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ReviewError("end", self.end, f"on or after the posting start {self.start}")

    def notice(self) -> str:
        """The sentence a public list prints: where and until when it is posted, where to object.

        >>> print(Posting(place="Nhà văn hóa thôn 3", start=dt.date(2025, 11, 10),
        ...               end=dt.date(2025, 11, 17)).notice())  # doctest: +NORMALIZE_WHITESPACE
        Danh sách được niêm yết công khai tại Nhà văn hóa thôn 3 từ ngày 10/11/2025 đến hết ngày
        17/11/2025. Ý kiến phản ánh hoặc đề nghị bổ sung người có hoàn cảnh khó khăn gửi về Nhà văn
        hóa thôn 3 trong thời gian niêm yết.
        """
        where = self.objections_to.strip() or self.place
        return (
            f"Danh sách được niêm yết công khai tại {self.place} từ ngày {format_date(self.start)} "
            f"đến hết ngày {format_date(self.end)}. Ý kiến phản ánh hoặc đề nghị bổ sung người có "
            f"hoàn cảnh khó khăn gửi về {where} trong thời gian niêm yết."
        )

    def covers(self, day: dt.date) -> bool:
        """Whether *day* lies in the posting period."""
        return self.start <= day <= self.end


@attrs.frozen(kw_only=True)
class Approval:
    """The reviewing bodies' approval of a list."""

    bodies: frozenset[ReviewingBody] = attrs.field(converter=_bodies)
    on: dt.date = attrs.field(validator=_date)
    minutes: str = attrs.field(validator=_text)
    """The minutes' reference (số biên bản)."""


@attrs.frozen(kw_only=True)
class Objection:
    """An objection to a listed person, or a request to add one (phản ánh, kiến nghị)."""

    id: str = attrs.field(validator=_text)
    kind: ObjectionKind = attrs.field(converter=_kind)
    person_id: str = attrs.field(validator=_text)
    filed_on: dt.date = attrs.field(validator=_date)
    grounds: str = attrs.field(validator=_text)
    """Why, in the objector's words."""
    filed_by: str = ""
    """Who objected, if they gave a name (anyone may object)."""
    outcome: Outcome = attrs.field(default=Outcome.PENDING, converter=_outcome)
    reasons: str = ""
    """Why it was upheld or dismissed (required once decided)."""
    decided_on: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        decided = self.outcome is not Outcome.PENDING
        if decided and (not self.reasons.strip() or self.decided_on is None):
            raise ReviewError("reasons", self.reasons, "a decided objection says why and when")
        if self.decided_on is not None and self.decided_on < self.filed_on:
            raise ReviewError("decided_on", self.decided_on, f"on or after filing ({self.filed_on})")


@attrs.frozen(kw_only=True)
class CandidateList:
    """One version of a commune's (or campaign's) candidate list.

    Build it with :func:`draft` and move it on with the other functions of this
    module; the constructor checks that status and record agree.
    """

    list_id: str = attrs.field(validator=_text)
    version: int = attrs.field(default=1)
    person_ids: tuple[str, ...] = attrs.field(converter=_ids)
    """The listed people's ids, sorted."""
    status: ReviewStatus = attrs.field(default=ReviewStatus.DRAFT, converter=_status)
    posting: Posting | None = None
    objections: tuple[Objection, ...] = ()
    approval: Approval | None = None
    removed: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    """People an upheld objection removed: no version of this list may give them a gift."""

    def __attrs_post_init__(self) -> None:
        if type(self.version) is not int or self.version < 1:
            raise ReviewError("version", self.version, "a whole number from 1")
        if (self.posting is None) != (self.status is ReviewStatus.DRAFT):
            raise ReviewError(
                "posting", self.posting, "a posting exactly when the list is posted or approved"
            )
        if (self.approval is None) != (self.status is not ReviewStatus.APPROVED):
            raise ReviewError("approval", self.approval, "an approval exactly when the list is approved")
        if set(self.removed) & set(self.person_ids):
            raise ReviewError("person_ids", self.person_ids, "no one an upheld objection removed")

    def allows(self, person_id: str) -> bool:
        """Whether this list is approved and names *person_id*."""
        return self.status is ReviewStatus.APPROVED and person_id in self.person_ids

    def objection(self, objection_id: str) -> Objection:
        """One objection, by id.

        Raises:
            ReviewError: no objection has that id.
        """
        for o in self.objections:
            if o.id == objection_id:
                return o
        raise ReviewError("objection_id", objection_id, "the id of an objection filed against this list")


def _require(lst: object, *statuses: ReviewStatus) -> CandidateList:
    if not isinstance(lst, CandidateList):
        raise ReviewError("candidate_list", lst, "a CandidateList")
    if lst.status not in statuses:
        raise ReviewError(
            "status", lst.status.value, "only " + " or ".join(s.value for s in statuses) + " for this step"
        )
    return lst


def draft(list_id: str, person_ids: Iterable[str]) -> CandidateList:
    """Version 1 of a candidate list, as a draft."""
    return CandidateList(list_id=list_id, person_ids=person_ids)


def post(lst: CandidateList, posting: Posting) -> CandidateList:
    """Post a draft for objections.

    Raises:
        ReviewError: the list is not a draft, or *posting* is not a :class:`Posting`.
    """
    _require(lst, ReviewStatus.DRAFT)
    if not isinstance(posting, Posting):
        raise ReviewError("posting", posting, "a Posting (place, start, end)")
    return attrs.evolve(lst, status=ReviewStatus.POSTED, posting=posting)


def object_to(lst: CandidateList, objection: Objection) -> CandidateList:
    """File an objection against a posted list.

    Raises:
        ReviewError: the list is not posted; the objection is not pending, is
            filed outside the posting period, reuses an id, objects to someone
            not listed or asks to add someone already listed.
    """
    _require(lst, ReviewStatus.POSTED)
    assert lst.posting is not None
    if not isinstance(objection, Objection) or objection.outcome is not Outcome.PENDING:
        raise ReviewError("objection", objection, "a pending Objection")
    if not lst.posting.covers(objection.filed_on):
        raise ReviewError(
            "filed_on",
            objection.filed_on,
            f"within the posting period {lst.posting.start} to {lst.posting.end}",
        )
    if any(o.id == objection.id for o in lst.objections):
        raise ReviewError("id", objection.id, "an id not yet used by an objection to this list")
    listed = objection.person_id in lst.person_ids
    if objection.kind is ObjectionKind.REMOVE and not listed:
        raise ReviewError("person_id", objection.person_id, "a person on the list (to object to)")
    if objection.kind is ObjectionKind.ADD and listed:
        raise ReviewError("person_id", objection.person_id, "a person not yet on the list (to add)")
    return attrs.evolve(lst, objections=(*lst.objections, objection))


_DECIDABLE: Final = (Outcome.UPHELD, Outcome.DISMISSED)


def decide(
    lst: CandidateList,
    objection_id: str,
    *,
    outcome: Outcome | str,
    reasons: str,
    on: dt.date,
    check: Any = None,
) -> CandidateList:
    """Decide one pending objection of a posted list.

    Args:
        lst: the posted list.
        objection_id: the objection's id.
        outcome: ``"upheld"`` or ``"dismissed"``.
        reasons: why (a clerk's text; required).
        on: the date of the decision.
        check: for an upheld request to add someone, the public ``check`` of
            that person (an :class:`~ansinh.core.eligibility.Decision`): the
            person is listed only if it says eligible.

    Returns:
        The list with the objection decided; an upheld objection against a
        listed person removes them, an upheld request to add lists the person.

    Raises:
        ReviewError: the list is not posted, the objection is unknown or already
            decided, the outcome is not upheld or dismissed, or an upheld
            request to add lacks an eligible *check* of that person.
    """
    _require(lst, ReviewStatus.POSTED)
    old = lst.objection(objection_id)
    if old.outcome is not Outcome.PENDING:
        raise ReviewError("objection_id", objection_id, "a pending objection (this one is decided)")
    result = _outcome(outcome)
    if result not in _DECIDABLE:
        raise ReviewError("outcome", outcome, "upheld or dismissed")
    new = attrs.evolve(old, outcome=result, reasons=reasons, decided_on=on)
    objections = tuple(new if o.id == objection_id else o for o in lst.objections)
    ids, removed = set(lst.person_ids), set(lst.removed)
    if result is Outcome.UPHELD and new.kind is ObjectionKind.REMOVE:
        ids.discard(new.person_id)
        removed.add(new.person_id)
    elif result is Outcome.UPHELD:
        if new.person_id in removed:
            raise ReviewError(
                "person_id", new.person_id, "someone no upheld objection removed from this list"
            )
        _check_rescreening(check, new.person_id)
        ids.add(new.person_id)
    return attrs.evolve(lst, objections=objections, person_ids=ids, removed=removed)


def _check_rescreening(check: Any, person_id: str) -> None:
    person = getattr(getattr(check, "person", None), "id", None)
    if person != person_id or not isinstance(getattr(check, "eligible", None), bool):
        raise ReviewError("check", check, f"the eligibility decision (ansinh.check) of person {person_id!r}")
    if not check.eligible:
        codes = ", ".join(r.code for r in check.blocking)
        raise ReviewError("check", codes, "an eligible decision: the re-screened person is not eligible")


def approve(lst: CandidateList, approval: Approval) -> CandidateList:
    """Approve a posted list.

    Raises:
        ReviewError: the list is not posted, an objection is still pending, or
            the approval is dated before the posting period ends.
    """
    _require(lst, ReviewStatus.POSTED)
    assert lst.posting is not None
    if not isinstance(approval, Approval):
        raise ReviewError("approval", approval, "an Approval (bodies, on, minutes)")
    pending = [o.id for o in lst.objections if o.outcome is Outcome.PENDING]
    if pending:
        raise ReviewError("objections", pending, "every objection decided before approval")
    if approval.on < lst.posting.end:
        raise ReviewError("on", approval.on, f"on or after the end of posting ({lst.posting.end})")
    return attrs.evolve(lst, status=ReviewStatus.APPROVED, approval=approval)


def revise(lst: CandidateList, person_ids: Iterable[str]) -> CandidateList:
    """The next version of *lst*, as a draft with *person_ids* (the old version is unchanged).

    People an upheld objection removed stay removed in every later version.

    Raises:
        ReviewError: *person_ids* names someone an upheld objection removed.
    """
    _require(lst, *ReviewStatus)
    return CandidateList(
        list_id=lst.list_id, version=lst.version + 1, person_ids=person_ids, removed=lst.removed
    )
