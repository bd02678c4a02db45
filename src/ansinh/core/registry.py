"""People across campaigns: each person's gifts, deduplication, cover already given, follow-up, retention.

The programme runs every year, nationally and in every province, and a person
may be on several lists.  The registry joins the gifts of many campaigns
(:func:`holdings` of each ledger state, with the roster's people) and answers:

* **who is who** — :func:`dedup` groups records by identifier (CCCD, mã số
  BHXH) and never puts two different values of one identifier in a group; a
  record without an identifier is never merged on name alone: pairs that look
  alike (name, date of birth, commune) are returned as :class:`MatchCandidate`
  with a score and the fields that matched, for a person to review;
* **already covered** — :meth:`Registry.covering` finds another campaign's gift
  covering the same months; :meth:`Registry.rule` is an eligibility rule for
  ``check(..., rules=...)`` that refuses such a person with a reason naming the
  other gift (its campaign, id and sponsor, central or provincial);
* **what happened next** — :func:`follow_up` gives each gift that ended its
  status after it (renewed by a sponsor, seen in the registry; renewed by the
  person or lapsed, from a participation look-up; else unknown), and
  :func:`retention` the rate by province, product and year.

Identifiers are compared whole here and shown masked everywhere
(:class:`~ansinh.core.people.Person` masks its own ``repr``).

>>> import datetime as dt
>>> from ansinh.core.people import Person
>>> a = Person(id="HN-1", full_name="Nguyễn Thị Lan", date_of_birth=dt.date(1970, 3, 1),
...            province="01", cccd="001170012389")
>>> b = Person(id="31-7", full_name="Nguyễn  thị Lan", date_of_birth=dt.date(1970, 3, 1),
...            province="31", commune="Xã An Lão")
>>> c = Person(id="31-8", full_name="Trần Văn Minh", date_of_birth=dt.date(1955, 1, 1),
...            province="31", cccd="001170012389")
>>> result = dedup([a, b, c])
>>> [[p.id for p in group] for group in result.groups]
[['31-7'], ['31-8', 'HN-1']]
>>> [(m.score, m.fields) for m in result.candidates]
[(80, ('full_name', 'date_of_birth'))]
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Final

import attrs

from ansinh.core.accounting import RegistrationLevel, registration_level
from ansinh.core.campaign import GiftStatus, month_index
from ansinh.core.eligibility import CheckContext, FunctionRule, Reason
from ansinh.core.labels import Labelled
from ansinh.core.ledger import LedgerState
from ansinh.core.people import Person
from ansinh.core.places import normalise_commune
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError

__all__ = [
    "COVERED_ELSEWHERE",
    "Dedup",
    "FollowUp",
    "FollowUpStatus",
    "Holding",
    "MatchCandidate",
    "Participation",
    "Registry",
    "RetentionRow",
    "dedup",
    "follow_up",
    "holdings",
    "retention",
    "same_person",
]

COVERED_ELSEWHERE: Final = "COVERED_ELSEWHERE"
"""The code of the reason :meth:`Registry.rule` gives."""

_IDENTIFIERS: Final = ("cccd", "social_insurance_number")


def same_person(a: Person, b: Person) -> bool:
    """Whether *a* and *b* share an identifier and none of their identifiers differ.

    Symmetric; never true for two different CCCDs or two different mã số BHXH.
    """
    shared = False
    for name in _IDENTIFIERS:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None:
            if x != y:
                return False
            shared = True
    return shared


@attrs.frozen(kw_only=True)
class Holding:
    """One gift as the registry keeps it: whose, what, which months, who paid, where."""

    campaign: str
    """The campaign's code."""
    gift_id: str
    person: Person
    kind: ProductKind
    province: str
    year: int
    """The year of purchase."""
    covers_from: dt.date | None
    valid_until: dt.date | None
    """Last day covered (``None`` for a Tết gift)."""
    months: range
    """The months covered, as :func:`~ansinh.core.campaign.month_index` values (the ledger's
    :attr:`Gift.months <ansinh.core.campaign.Gift.months>`; empty for a Tết gift)."""
    sponsor: str
    """The sponsor's name."""
    level: RegistrationLevel
    """Central (BHXH Việt Nam) or provincial."""
    status: GiftStatus

    def describe(self) -> str:
        """The gift in a clerk's words (no identifier)."""
        return (
            f"{self.kind.label_vi} {self.gift_id} (chương trình {self.campaign}, nhà tài trợ {self.sponsor}, "
            f"{self.level.label_vi})"
        )


def holdings(state: LedgerState, people: Iterable[Person]) -> tuple[Holding, ...]:
    """The active gifts of one campaign's *state*, each with its person from *people* (by roster id).

    Raises:
        InvalidValueError: *state* is not a ledger state, or a gift's person is not in *people*.
    """
    if not isinstance(state, LedgerState):
        raise InvalidValueError("state", state, "a LedgerState (ledger.state)")
    by_id = {p.id: p for p in people}
    campaign = state.campaign
    result = []
    for gift in state.active_gifts:
        person = by_id.get(gift.person_id)
        if person is None:
            raise InvalidValueError("people", gift.person_id, f"the person of gift {gift.id!r} among people")
        sponsor = state.pledge(gift.pledge_id).sponsor
        result.append(
            Holding(
                campaign=campaign.code,
                gift_id=gift.id,
                person=person,
                kind=gift.kind,
                province=gift.province,
                year=gift.purchased_on.year,
                covers_from=gift.covers_from,
                valid_until=gift.valid_until,
                months=gift.months,
                sponsor=sponsor.name,
                level=registration_level(sponsor, campaign),
                status=gift.status,
            )
        )
    return tuple(result)


def _sorted_holdings(value: object) -> tuple[Holding, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValueError("holdings", value, "Holding values (ansinh.core.registry.holdings)")
    items = tuple(value)
    for h in items:
        if not isinstance(h, Holding):
            raise InvalidValueError("holdings", h, "Holding values (ansinh.core.registry.holdings)")
    return tuple(sorted(items, key=lambda h: (h.campaign, h.gift_id, h.person.id)))


@attrs.frozen
class Registry:
    """Gifts of many campaigns, looked up by a person's identifiers.

    Build it from :func:`holdings` of each campaign; the order they are given
    in does not matter.
    """

    holdings: tuple[Holding, ...] = attrs.field(converter=_sorted_holdings)
    _index: dict[tuple[str, str], tuple[int, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, h in enumerate(self.holdings):
            for name in _IDENTIFIERS:
                value = getattr(h.person, name)
                if value is not None:
                    index[name, value].append(i)
        object.__setattr__(self, "_index", {k: tuple(v) for k, v in index.items()})

    def of(self, person: Person) -> tuple[Holding, ...]:
        """Every gift of the person *person* is by identifier (:func:`same_person`); none without one."""
        seen: set[int] = set()
        for name in _IDENTIFIERS:
            value = getattr(person, name)
            if value is not None:
                seen.update(self._index.get((name, value), ()))
        return tuple(self.holdings[i] for i in sorted(seen) if same_person(person, self.holdings[i].person))

    def covering(
        self, person: Person, kind: ProductKind, first: dt.date, months: int = 1, *, campaign: str
    ) -> Holding | None:
        """Another campaign's gift of *kind* to *person* covering one of *months* months from *first*'s.

        Months are whole calendar months, as the ledger counts them. A gift of
        *campaign* itself is the ledger's business and is not looked at.

        Returns:
            The first such gift (in campaign and gift order), or ``None``.
        """
        wanted = range(month_index(first), month_index(first) + max(months, 1))
        for h in self.of(person):
            if h.kind is kind and h.campaign != campaign and h.status.is_active:
                held = h.months
                if held and max(held.start, wanted.start) < min(held.stop, wanted.stop):
                    return h
        return None

    def rule(self, *, campaign: str) -> FunctionRule:
        """An eligibility rule refusing a person another campaign already covers in the gift's months.

        Pass it to ``check(..., rules=[registry.rule(campaign=...)])`` or ``screen``;
        the blocking reason (:data:`COVERED_ELSEWHERE`) names the other gift.
        """

        def evaluate(ctx: CheckContext) -> Reason | None:
            if ctx.product.months <= 0:
                return None
            other = self.covering(ctx.person, ctx.product.kind, ctx.on, ctx.product.months, campaign=campaign)
            if other is None:
                return None
            return Reason(
                COVERED_ELSEWHERE,
                True,
                f"Đã được tặng {other.describe()} cho cùng các tháng.",
                f"Already covered for the same months: {other.kind.label_en} {other.gift_id} "
                f"(campaign {other.campaign}, sponsor {other.sponsor}, {other.level.label_en}).",
            )

        return FunctionRule(COVERED_ELSEWHERE, evaluate)


# -- deduplication ----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class MatchCandidate:
    """Two records in different groups that may be one person: for review, never merged by ansinh."""

    first: Person
    second: Person
    """The two records, in a fixed order (whatever order they came in)."""
    score: int
    """0-100: full name 50, date of birth 30, commune 20."""
    fields: tuple[str, ...]
    """The fields that matched."""


@attrs.frozen(kw_only=True)
class Dedup:
    """What :func:`dedup` found: groups of records of one person, and pairs to review."""

    groups: tuple[tuple[Person, ...], ...]
    candidates: tuple[MatchCandidate, ...]


_WEIGHTS: Final = (("full_name", 50), ("date_of_birth", 30), ("commune", 20))
_CANDIDATE_SCORE: Final = 70
"""A pair is proposed when the name matches and the date of birth or the commune does too."""


def _name(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _key(p: Person) -> tuple[str, ...]:
    """A total order on records, whatever order they come in."""
    rest = sorted((a.name, repr(getattr(p, a.name))) for a in attrs.fields(Person))
    return (p.cccd or "", p.social_insurance_number or "", p.id, p.full_name, *(f"{k}={v}" for k, v in rest))


def _group_keys(people: list[Person]) -> list[tuple[str, ...]]:
    """Each record's group: by CCCD (split by mã số BHXH where one CCCD has several), then by mã số BHXH."""
    sins_of: dict[str, set[str]] = defaultdict(set)
    for p in people:
        if p.cccd is not None and p.social_insurance_number is not None:
            sins_of[p.cccd].add(p.social_insurance_number)
    keys: list[tuple[str, ...] | None] = []
    anchors: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for p in people:
        if p.cccd is None:
            keys.append(None)
            continue
        key: tuple[str, ...] = (
            ("cccd", p.cccd)
            if len(sins_of[p.cccd]) <= 1
            else ("cccd", p.cccd, p.social_insurance_number or "")
        )
        keys.append(key)
        if p.social_insurance_number is not None:
            anchors[p.social_insurance_number].add(key)
    result: list[tuple[str, ...]] = []
    for p, known in zip(people, keys, strict=True):
        if known is not None:
            result.append(known)
        elif p.social_insurance_number is not None:
            found = anchors.get(p.social_insurance_number, set())
            result.append(next(iter(found)) if len(found) == 1 else ("sin", p.social_insurance_number))
        else:
            result.append(("none", *_key(p)))
    return result


def _match(a: Person, b: Person) -> MatchCandidate | None:
    for name in _IDENTIFIERS:
        x, y = getattr(a, name), getattr(b, name)
        if x is not None and y is not None and x != y:
            return None  # two different identifiers: two people
    same = {
        "full_name": _name(a.full_name) == _name(b.full_name),
        "date_of_birth": a.date_of_birth == b.date_of_birth,
        "commune": bool(a.commune.strip()) and normalise_commune(a.commune) == normalise_commune(b.commune),
    }
    fields = tuple(name for name, _ in _WEIGHTS if same[name])
    score = sum(w for name, w in _WEIGHTS if same[name])
    if score < _CANDIDATE_SCORE:
        return None
    first, second = sorted((a, b), key=_key)
    return MatchCandidate(first=first, second=second, score=score, fields=fields)


def dedup(people: Iterable[Person]) -> Dedup:
    """Group records of the same person, and propose pairs that may be one person.

    Records are grouped by identifier only: a CCCD, else a mã số BHXH that
    points to one CCCD; a group never holds two different values of either.
    Records in different groups whose identifiers do not differ and whose name
    matches with the date of birth or the commune are returned as candidates,
    highest score first.  The result does not depend on the order of *people*;
    equal records count once.

    Raises:
        InvalidValueError: an item is not a :class:`~ansinh.core.people.Person`.
    """
    unique: dict[Person, None] = {}
    for p in people:
        if not isinstance(p, Person):
            raise InvalidValueError("people", p, "ansinh Person values")
        unique[p] = None
    ordered = sorted(unique, key=_key)
    grouped: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    group_of: dict[Person, tuple[str, ...]] = {}
    for p, key in zip(ordered, _group_keys(ordered), strict=True):
        grouped[key].append(p)
        group_of[p] = key
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in ordered:
        by_name[_name(p.full_name)].append(p)
    candidates = []
    for block in by_name.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if group_of[a] != group_of[b] and (m := _match(a, b)) is not None:
                    candidates.append(m)
    candidates.sort(key=lambda m: (-m.score, _key(m.first), _key(m.second)))
    groups = sorted((tuple(g) for g in grouped.values()), key=lambda g: _key(g[0]))
    return Dedup(groups=tuple(groups), candidates=tuple(candidates))


# -- follow-up and retention -------------------------------------------------------


class FollowUpStatus(Labelled):
    """What happened after a gift ended."""

    RENEWED_BY_PERSON = "renewed_by_person"
    """The person went on paying themselves."""
    RENEWED_BY_SPONSOR = "renewed_by_sponsor"
    """Another gift covers the month after (seen in the registry)."""
    LAPSED = "lapsed"
    UNKNOWN = "unknown"

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each status's ``(Vietnamese, English)`` label."""
        return {
            "renewed_by_person": ("tự tiếp tục tham gia", "renewed by the person"),
            "renewed_by_sponsor": ("được tặng tiếp", "renewed by a sponsor"),
            "lapsed": ("không tiếp tục", "lapsed"),
            "unknown": ("chưa rõ", "unknown"),
        }


Participation = Callable[[Person, dt.date], FollowUpStatus | str | None]
"""A look-up: the person's status on a date (renewed by the person or lapsed), ``None`` if unknown."""


@attrs.frozen(kw_only=True)
class FollowUp:
    """The status after one gift that ended."""

    holding: Holding
    on: dt.date
    """The first day after the gift: the day the status is about."""
    status: FollowUpStatus


def follow_up(
    registry: Registry, *, on: dt.date, participation: Participation | None = None
) -> tuple[FollowUp, ...]:
    """The status after every card or book of *registry* that ended before *on*.

    Renewed by a sponsor when another gift of the registry covers the month
    after; otherwise *participation* (a participation file, or the
    ``ansinh_participation`` hook) answers for the day after the gift, and
    ``None`` from it — or no look-up — is unknown.

    Raises:
        InvalidValueError: *participation* answers something that is not a status.
    """
    result = []
    for h in registry.holdings:
        if h.valid_until is None or h.valid_until >= on or h.status is not GiftStatus.DELIVERED:
            continue
        after = h.valid_until + dt.timedelta(days=1)
        if registry.covering(h.person, h.kind, after, campaign="") is not None:
            status = FollowUpStatus.RENEWED_BY_SPONSOR
        else:
            status = _asked(participation, h.person, after)
        result.append(FollowUp(holding=h, on=after, status=status))
    return tuple(result)


def _asked(participation: Participation | None, person: Person, day: dt.date) -> FollowUpStatus:
    answer = None if participation is None else participation(person, day)
    if answer is None:
        return FollowUpStatus.UNKNOWN
    try:
        return FollowUpStatus(answer)
    except ValueError:
        raise InvalidValueError(
            "participation", answer, "one of " + ", ".join(s.value for s in FollowUpStatus) + ", or None"
        ) from None


@attrs.frozen(kw_only=True)
class RetentionRow:
    """Gifts that ended, by what happened next, for one province, product and year."""

    province: str
    kind: ProductKind
    year: int
    counts: tuple[tuple[FollowUpStatus, int], ...]
    """Every status with its count, in :class:`FollowUpStatus` order."""

    def count(self, status: FollowUpStatus) -> int:
        """How many gifts ended with *status*."""
        return dict(self.counts)[status]

    @property
    def ended(self) -> int:
        """Gifts that ended."""
        return sum(n for _, n in self.counts)

    @property
    def rate(self) -> Fraction | None:
        """Renewed (by the person or a sponsor) over the gifts whose status is known; ``None`` if none is."""
        known = self.ended - self.count(FollowUpStatus.UNKNOWN)
        if not known:
            return None
        renewed = self.count(FollowUpStatus.RENEWED_BY_PERSON) + self.count(FollowUpStatus.RENEWED_BY_SPONSOR)
        return Fraction(renewed, known)


def retention(follow_ups: Iterable[FollowUp]) -> tuple[RetentionRow, ...]:
    """The retention of *follow_ups* by province, product and year (of purchase), sorted."""
    counts: dict[tuple[str, ProductKind, int], dict[FollowUpStatus, int]] = defaultdict(
        lambda: dict.fromkeys(FollowUpStatus, 0)
    )
    for f in follow_ups:
        if not isinstance(f, FollowUp):
            raise InvalidValueError("follow_ups", f, "FollowUp values (ansinh.core.registry.follow_up)")
        h = f.holding
        counts[h.province, h.kind, h.year][f.status] += 1
    return tuple(
        RetentionRow(province=p, kind=k, year=y, counts=tuple(c.items()))
        for (p, k, y), c in sorted(counts.items())
    )
