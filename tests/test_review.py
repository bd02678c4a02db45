"""Candidate lists reviewed in public: the steps, the refusals, and the state machine's invariants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import ansinh
from ansinh.core.allocation import Candidate, allocate
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.eligibility import check
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.products import HealthCard
from ansinh.core.review import (
    Approval,
    CandidateList,
    Objection,
    ObjectionKind,
    Outcome,
    Posting,
    ReviewStatus,
    approve,
    decide,
    draft,
    object_to,
    post,
    revise,
)
from ansinh.exceptions import AnsinhError, InvalidValueError, ReviewError

LAW = ansinh.default_law()
POSTING = Posting(place="Nhà văn hóa thôn 3", start=dt.date(2025, 11, 10), end=dt.date(2025, 11, 17))
APPROVAL = Approval(bodies={"commune_committee", "mttq"}, on=dt.date(2025, 11, 18), minutes="BB 12/BB-UBND")
CARD = HealthCard(months=12)
ON = dt.date(2026, 1, 5)


def person(pid: str, categories: frozenset[Category] = frozenset({Category.NEAR_POOR})) -> Person:
    return Person(
        id=pid,
        full_name="Nguyễn Văn An",
        date_of_birth=dt.date(1960, 1, 1),
        province="31",
        categories=categories,
    )


def objection(oid: str, kind: str, pid: str, day: dt.date = dt.date(2025, 11, 12)) -> Objection:
    return Objection(id=oid, kind=kind, person_id=pid, filed_on=day, grounds="ý kiến của người dân")


def posted(ids: tuple[str, ...] = ("HP-1", "HP-2", "HP-3")) -> CandidateList:
    return post(draft("L", ids), POSTING)


def test_the_whole_review_one_upheld_one_dismissed() -> None:
    lst = object_to(posted(), objection("O1", "remove", "HP-2"))
    lst = object_to(lst, objection("O2", "remove", "HP-3"))
    lst = decide(lst, "O1", outcome="upheld", reasons="đã có thẻ", on=dt.date(2025, 11, 15))
    lst = decide(
        lst, "O2", outcome=Outcome.DISMISSED, reasons="xác minh đúng hoàn cảnh", on=dt.date(2025, 11, 15)
    )
    final = approve(lst, APPROVAL)
    assert final.status is ReviewStatus.APPROVED
    assert final.person_ids == ("HP-1", "HP-3")
    assert final.removed == ("HP-2",)
    assert final.objection("O2").reasons == "xác minh đúng hoàn cảnh"
    assert final.approval is not None
    assert final.approval.minutes == "BB 12/BB-UBND"


def test_steps_out_of_order_are_refused() -> None:
    with pytest.raises(ReviewError, match="status"):
        approve(draft("L", ["A"]), APPROVAL)
    with pytest.raises(ReviewError, match="status"):
        object_to(draft("L", ["A"]), objection("O1", "remove", "A"))
    with pytest.raises(ReviewError, match="status"):
        post(posted(), POSTING)
    final = approve(posted(), APPROVAL)
    steps: tuple[Callable[[], CandidateList], ...] = (
        lambda: post(final, POSTING),
        lambda: object_to(final, objection("O1", "remove", "HP-1")),
        lambda: approve(final, APPROVAL),
    )
    for step in steps:
        with pytest.raises(ReviewError, match="approved"):
            step()


def test_objections_only_in_the_posting_period_and_about_the_right_people() -> None:
    lst = posted()
    with pytest.raises(ReviewError, match="filed_on"):
        object_to(lst, objection("O1", "remove", "HP-1", dt.date(2025, 11, 9)))
    assert object_to(lst, objection("O1", "remove", "HP-1", POSTING.end)).objections  # the last day counts
    with pytest.raises(ReviewError, match="filed_on"):
        object_to(lst, objection("O1", "remove", "HP-1", dt.date(2025, 11, 18)))
    with pytest.raises(ReviewError, match="person on the list"):
        object_to(lst, objection("O1", "remove", "HP-9"))
    with pytest.raises(ReviewError, match="not yet on the list"):
        object_to(lst, objection("O1", "add", "HP-1"))
    once = object_to(lst, objection("O1", "remove", "HP-1"))
    with pytest.raises(ReviewError, match="id"):
        object_to(once, objection("O1", "remove", "HP-2"))


def test_approval_waits_for_every_decision_and_the_end_of_posting() -> None:
    lst = object_to(posted(), objection("O1", "remove", "HP-1"))
    with pytest.raises(ReviewError, match="every objection decided"):
        approve(lst, APPROVAL)
    lst = decide(lst, "O1", outcome="dismissed", reasons="không có căn cứ", on=dt.date(2025, 11, 16))
    with pytest.raises(ReviewError, match="end of posting"):
        approve(lst, attrs.evolve(APPROVAL, on=dt.date(2025, 11, 16)))
    assert approve(lst, attrs.evolve(APPROVAL, on=POSTING.end)).status is ReviewStatus.APPROVED


def test_a_decision_needs_reasons_and_happens_once() -> None:
    lst = object_to(posted(), objection("O1", "remove", "HP-1"))
    with pytest.raises(ReviewError, match="reasons"):
        decide(lst, "O1", outcome="upheld", reasons=" ", on=dt.date(2025, 11, 15))
    with pytest.raises(ReviewError, match="upheld or dismissed"):
        decide(lst, "O1", outcome="pending", reasons="x", on=dt.date(2025, 11, 15))
    with pytest.raises(ReviewError, match="outcome"):
        decide(lst, "O1", outcome="maybe", reasons="x", on=dt.date(2025, 11, 15))
    done = decide(lst, "O1", outcome="dismissed", reasons="x", on=dt.date(2025, 11, 15))
    with pytest.raises(ReviewError, match="pending objection"):
        decide(done, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 16))
    with pytest.raises(ReviewError, match="objection_id"):
        decide(done, "O9", outcome="upheld", reasons="x", on=dt.date(2025, 11, 16))


def test_an_upheld_request_to_add_rescreens_the_person_with_check() -> None:
    lst = object_to(posted(), objection("O1", "add", "HP-9"))
    eligible = check(person("HP-9"), CARD, on=ON, law=LAW)
    not_eligible = check(attrs.evolve(person("HP-9", frozenset()), compulsory_si=True), CARD, on=ON, law=LAW)
    assert eligible.eligible
    assert not not_eligible.eligible
    with pytest.raises(ReviewError, match="check"):
        decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15))
    with pytest.raises(ReviewError, match="not eligible"):
        decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15), check=not_eligible)
    with pytest.raises(ReviewError, match="HP-9"):
        decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15),
               check=check(person("HP-8"), CARD, on=ON, law=LAW))  # fmt: skip
    added = decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15), check=eligible)
    assert added.person_ids == ("HP-1", "HP-2", "HP-3", "HP-9")


def test_a_person_an_upheld_objection_removed_stays_removed() -> None:
    lst = object_to(posted(), objection("O1", "remove", "HP-2"))
    lst = decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 13))
    lst = object_to(lst, objection("O2", "add", "HP-2", dt.date(2025, 11, 14)))
    with pytest.raises(ReviewError, match="removed"):
        decide(lst, "O2", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15),
               check=check(person("HP-2"), CARD, on=ON, law=LAW))  # fmt: skip
    with pytest.raises(ReviewError, match="removed"):
        revise(lst, ["HP-1", "HP-2"])


def test_changes_after_approval_make_a_new_version() -> None:
    v1 = approve(posted(), APPROVAL)
    v2 = revise(v1, ["HP-1", "HP-4"])
    assert (v2.version, v2.status, v2.person_ids) == (2, ReviewStatus.DRAFT, ("HP-1", "HP-4"))
    assert v1.person_ids == ("HP-1", "HP-2", "HP-3")
    assert v1.status is ReviewStatus.APPROVED
    assert not v2.allows("HP-1")  # a draft allows no one


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Posting(place="x", start=dt.date(2025, 11, 10), end=dt.date(2025, 11, 9)), "end"),
        (lambda: Approval(bodies=set(), on=dt.date(2025, 11, 18), minutes="x"), "bodies"),
        (lambda: Approval(bodies={"ubnd"}, on=dt.date(2025, 11, 18), minutes="x"), "bodies"),
        (lambda: Approval(bodies="mttq", on=dt.date(2025, 11, 18), minutes="x"), "bodies"),
        (lambda: objection("O", "delete", "A"), "kind"),
        (lambda: draft("L", "HP-1"), "person_ids"),
        (lambda: draft("L", ["HP-1", ""]), "person_ids"),
        (lambda: CandidateList(list_id="L", person_ids=(), status="posted"), "posting"),
        (lambda: CandidateList(list_id="L", person_ids=(), version=0), "version"),
    ],
)
def test_bad_values_name_the_field(build: object, field: str) -> None:
    with pytest.raises(AnsinhError) as info:
        build()  # type: ignore[operator]
    assert isinstance(info.value, InvalidValueError)
    assert info.value.field == field


def _allocation_state() -> Ledger:
    c = Campaign(
        code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
    )
    ledger = Ledger(c, law=LAW)
    ledger.append(
        PledgeRegistered(
            event_id="e1",
            on=dt.date(2025, 11, 1),
            sponsor=Sponsor(id="S1", name="A", kind="bank"),
            pledge=Pledge(id="P1", sponsor_id="S1", units=((CARD.kind, 5),)),
        )
    )
    return ledger


def test_allocation_refuses_anyone_not_on_the_approved_list() -> None:
    lst = object_to(posted(), objection("O1", "remove", "HP-2"))
    final = approve(decide(lst, "O1", outcome="upheld", reasons="x", on=dt.date(2025, 11, 15)), APPROVAL)
    cands = [Candidate(person=person(p), product=CARD) for p in ("HP-1", "HP-2", "HP-3", "HP-4")]
    state = _allocation_state().state
    result = allocate(state, cands, on=ON, law=LAW, approved=final)
    assert sorted(g.person_id for g in result.gifts) == ["HP-1", "HP-3"]
    assert result.not_approved == ("HP-2", "HP-4")
    assert len(allocate(state, cands, on=ON, law=LAW).gifts) == 4  # no review: everyone
    with pytest.raises(InvalidValueError, match="approved"):
        allocate(state, cands, on=ON, law=LAW, approved=lst)  # posted, not approved


PEOPLE = ("A", "B", "C", "D", "E")
DAYS = tuple(dt.date(2025, 11, d) for d in range(8, 21))


class ReviewMachine(RuleBasedStateMachine):
    """Any sequence of steps: refused steps change nothing; the invariants always hold."""

    def __init__(self) -> None:
        super().__init__()
        self.current = draft("L", ["A", "B", "C"])
        self.approved: list[tuple[CandidateList, tuple[str, ...]]] = []
        self.upheld_against: set[str] = set()
        self.n = 0

    def _try(self, step: object) -> None:
        before = self.current
        try:
            self.current = step()  # type: ignore[operator]
        except ReviewError:
            assert self.current == before

    @rule(start=st.sampled_from(DAYS), days=st.integers(0, 6))
    def do_post(self, start: dt.date, days: int) -> None:
        self._try(lambda: post(self.current, Posting(place="x", start=start, end=start + dt.timedelta(days))))

    @rule(kind=st.sampled_from(ObjectionKind), pid=st.sampled_from(PEOPLE), day=st.sampled_from(DAYS))
    def do_object(self, kind: ObjectionKind, pid: str, day: dt.date) -> None:
        self.n += 1
        self._try(lambda: object_to(self.current, objection(f"O{self.n}", kind, pid, day)))

    @rule(data=st.data(), outcome=st.sampled_from(("upheld", "dismissed")), eligible=st.booleans())
    def do_decide(self, data: st.DataObject, outcome: str, eligible: bool) -> None:
        if not self.current.objections:
            return
        o = data.draw(st.sampled_from(self.current.objections))
        who = person(o.person_id, frozenset({Category.NEAR_POOR}) if eligible else frozenset())
        decision = check(attrs.evolve(who, compulsory_si=not eligible), CARD, on=ON, law=LAW)
        self._try(
            lambda: decide(self.current, o.id, outcome=outcome, reasons="r", on=o.filed_on, check=decision)
        )
        decided = self.current.objection(o.id)
        if decided.outcome is Outcome.UPHELD and o.kind is ObjectionKind.REMOVE:
            self.upheld_against.add(o.person_id)

    @rule(day=st.sampled_from(DAYS))
    def do_approve(self, day: dt.date) -> None:
        self._try(lambda: approve(self.current, attrs.evolve(APPROVAL, on=day)))
        if self.current.status is ReviewStatus.APPROVED and all(
            lst is not self.current for lst, _ in self.approved
        ):
            self.approved.append((self.current, self.current.person_ids))

    @rule(ids=st.frozensets(st.sampled_from(PEOPLE)))
    def do_revise(self, ids: frozenset[str]) -> None:
        version = self.current.version
        self._try(lambda: revise(self.current, ids))
        assert self.current.version in (version, version + 1)

    @invariant()
    def no_one_upheld_against_is_listed(self) -> None:
        assert not self.upheld_against & set(self.current.person_ids)
        assert self.upheld_against <= set(self.current.removed)

    @invariant()
    def approved_lists_never_change(self) -> None:
        for lst, ids in self.approved:
            assert lst.status is ReviewStatus.APPROVED
            assert lst.person_ids == ids

    @invariant()
    def only_an_approved_list_allows(self) -> None:
        for pid in PEOPLE:
            assert self.current.allows(pid) == (
                self.current.status is ReviewStatus.APPROVED and pid in self.current.person_ids
            )

    @invariant()
    def approved_means_reviewed(self) -> None:
        if self.current.status is ReviewStatus.APPROVED:
            assert self.current.posting is not None
            assert self.current.approval is not None
            assert self.current.approval.on >= self.current.posting.end
            assert all(o.outcome is not Outcome.PENDING for o in self.current.objections)


TestReviewMachine = ReviewMachine.TestCase
