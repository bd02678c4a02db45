"""The registry of people across campaigns: dedup, cover already given, follow-up and retention."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh
from ansinh.core.campaign import Campaign, Gift, Pledge, Sponsor
from ansinh.core.eligibility import check
from ansinh.core.ledger import GiftAllocated, GiftDelivered, GiftPaid, Ledger, MoneyReceived, PledgeRegistered
from ansinh.core.people import Category, Person
from ansinh.core.pricing import price
from ansinh.core.products import HealthCard, ProductKind
from ansinh.core.registry import (
    COVERED_ELSEWHERE,
    FollowUpStatus,
    Registry,
    dedup,
    follow_up,
    holdings,
    retention,
    same_person,
)
from ansinh.exceptions import CampaignFileError, InvalidValueError, PluginError
from ansinh.io.participation import read_participation
from ansinh.testing import plugin_host

LAW = ansinh.default_law()
CARD = HealthCard(months=12)

CCCDS = ("001170012389", "031190000123", "014190000777")
SINS = ("0123456789", "3112345678")


def person(
    pid: str, *, cccd: str | None = None, sin: str | None = None, commune: str = "Xã An Lão"
) -> Person:
    return Person(
        id=pid,
        full_name="Nguyễn Văn An",
        date_of_birth=dt.date(1960, 1, 1),
        province="31",
        categories={Category.NEAR_POOR},
        cccd=cccd,
        social_insurance_number=sin,
        commune=commune,
    )


people_st = st.builds(
    person,
    st.sampled_from(("A", "B", "C", "D")),
    cccd=st.sampled_from((None, *CCCDS)),
    sin=st.sampled_from((None, *SINS)),
    commune=st.sampled_from(("", "Xã An Lão", "xã an  lão", "Phường 1")),
)


@given(st.lists(people_st, max_size=12))
def test_dedup_never_merges_two_different_identifiers(people: list[Person]) -> None:
    result = dedup(people)
    assert {p for g in result.groups for p in g} == set(people)
    assert sum(len(g) for g in result.groups) == len(set(people))
    for group in result.groups:
        assert len({p.cccd for p in group} - {None}) <= 1
        assert len({p.social_insurance_number for p in group} - {None}) <= 1
        if len(group) > 1:
            assert all(p.cccd or p.social_insurance_number for p in group)  # never merged on name alone
    for m in result.candidates:
        for name in ("cccd", "social_insurance_number"):
            values = {getattr(m.first, name), getattr(m.second, name)}
            assert None in values or len(values) == 1  # never proposes two different identifiers
        assert m.first != m.second


@given(st.lists(people_st, max_size=10), st.randoms(use_true_random=False))
def test_dedup_is_stable_under_order_and_repetition(people: list[Person], rnd: object) -> None:
    shuffled = list(people) * 2
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    first = dedup(people)
    assert dedup(shuffled) == first
    assert dedup([p for g in first.groups for p in g]) == first


@given(people_st, people_st)
def test_dedup_is_symmetric(a: Person, b: Person) -> None:
    ab, ba = dedup([a, b]), dedup([b, a])
    assert ab == ba
    together = len(ab.groups) == 1
    assert together == (a == b or same_person(a, b))
    assert same_person(a, b) == same_person(b, a)


def test_records_without_an_identifier_are_proposed_never_merged() -> None:
    a = person("A", cccd=CCCDS[0])
    b = person("B")  # same name, birth and commune, no identifier
    c = person("C", cccd=CCCDS[1])  # same name and birth, another CCCD: another person
    result = dedup([a, b, c])
    assert len(result.groups) == 3
    pairs = {(m.first.id, m.second.id, m.score, m.fields) for m in result.candidates}
    assert pairs == {
        ("B", "A", 100, ("full_name", "date_of_birth", "commune")),
        ("B", "C", 100, ("full_name", "date_of_birth", "commune")),
    }
    other_commune = person("D", commune="Phường 1")
    assert [(m.score, m.fields) for m in dedup([a, other_commune]).candidates] == [
        (80, ("full_name", "date_of_birth"))
    ]


def test_a_social_insurance_number_joins_the_one_cccd_it_belongs_to() -> None:
    a = person("A", cccd=CCCDS[0], sin=SINS[0])
    b = person("B", sin=SINS[0])
    assert [len(g) for g in dedup([a, b]).groups] == [2]
    c = person("C", cccd=CCCDS[1], sin=SINS[0])  # the number is claimed by two CCCDs: ambiguous
    assert sorted(len(g) for g in dedup([a, b, c]).groups) == [1, 1, 1]


def test_dedup_refuses_what_is_not_a_person() -> None:
    with pytest.raises(InvalidValueError, match="people"):
        dedup(["001170012389"])  # type: ignore[list-item]


# -- campaigns --------------------------------------------------------------------

NATIONAL = Campaign(
    code="BN2026", name="Xuân Bính Ngọ 2026", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31)
)
PROVINCE = Campaign(
    code="BN2026-31",
    name="Hải Phòng 2026",
    province="31",
    start=dt.date(2025, 10, 23),
    end=dt.date(2026, 3, 31),
)
ON = dt.date(2026, 1, 5)


def gifted(campaign: Campaign, sponsor: Sponsor, who: list[Person], on: dt.date = ON) -> Ledger:
    ledger = Ledger(campaign, law=LAW)
    ledger.append(
        PledgeRegistered(
            event_id="r",
            on=on,
            sponsor=sponsor,
            pledge=Pledge(id="P1", sponsor_id=sponsor.id, units=((ProductKind.HEALTH_CARD, len(who)),)),
        )
    )
    for p in who:
        gift = Gift(
            id=f"G-{p.id}",
            pledge_id="P1",
            beneficiary=ansinh.Beneficiary(person_id=p.id, province=p.province, categories=p.categories),
            product=CARD,
            quote=price(CARD, p, on=on, law=LAW),
            funding="units",
            covers_from=on,
        )
        ledger.append(GiftAllocated(event_id=f"a-{p.id}", on=on, gift=gift))
    return ledger


BANK = Sponsor(id="S1", name="Ngân hàng A", kind="bank")
LOCAL = Sponsor(id="S2", name="Công ty B", kind="enterprise", province="31")


def test_a_person_a_central_sponsor_covers_is_refused_the_same_months_by_a_provincial_one() -> None:
    lan = person("HP-1", cccd=CCCDS[0])
    registry = Registry(holdings(gifted(NATIONAL, BANK, [lan]).state, [lan]))
    held = registry.holdings[0]
    assert (held.level.value, held.sponsor, len(held.months)) == ("central", "Ngân hàng A", 12)
    same_in_roster = person("31-77", cccd=CCCDS[0])  # another roster's id, the same CCCD
    rule = registry.rule(campaign=PROVINCE.code)
    refused = check(same_in_roster, CARD, on=ON, campaign=PROVINCE, law=LAW, rules=[rule])
    assert not refused.eligible
    assert refused.blocking[-1].code == COVERED_ELSEWHERE
    assert "G-HP-1" in refused.blocking[-1].text_vi
    assert "BN2026" in refused.blocking[-1].text_en
    assert "central" in refused.blocking[-1].text_en
    assert CCCDS[0] not in refused.blocking[-1].text_vi
    # from the month after the national card's last covered month, a provincial card may start
    assert held.covers_from == ON
    assert (
        registry.covering(same_in_roster, CARD.kind, dt.date(2027, 1, 1), 12, campaign=PROVINCE.code) is None
    )
    assert (
        registry.covering(same_in_roster, CARD.kind, dt.date(2026, 12, 31), 12, campaign=PROVINCE.code)
        is held
    )
    assert (
        registry.covering(same_in_roster, CARD.kind, dt.date(2025, 12, 1), 1, campaign=PROVINCE.code) is None
    )
    # a different person, or the same campaign, is not refused by the registry
    assert check(person("X", cccd=CCCDS[1]), CARD, on=ON, campaign=PROVINCE, law=LAW, rules=[rule]).eligible
    assert registry.covering(same_in_roster, CARD.kind, ON, 12, campaign=NATIONAL.code) is None


def test_holdings_need_every_gift_person() -> None:
    lan = person("HP-1", cccd=CCCDS[0])
    with pytest.raises(InvalidValueError, match="HP-1"):
        holdings(gifted(NATIONAL, BANK, [lan]).state, [])


def delivered(ledger: Ledger) -> Ledger:
    ledger.append(MoneyReceived(event_id="m", on=ON, pledge_id="P1", amount=10_000_000))
    for g in ledger.state.gifts:
        ledger.append(GiftPaid(event_id=f"p-{g.id}", on=ON, gift_id=g.id))
        ledger.append(GiftDelivered(event_id=f"d-{g.id}", on=ON, gift_id=g.id))
    return ledger


def test_follow_up_and_retention() -> None:
    ps = [person(f"HP-{i}", cccd=f"0311900001{i:02d}") for i in range(4)]
    year1 = delivered(gifted(NATIONAL, BANK, ps))
    card_end = year1.state.gifts[0].valid_until
    assert card_end is not None
    renew_day = card_end + dt.timedelta(days=1)
    y2 = Campaign(code="BN2027", name="2027", start=dt.date(2026, 10, 1), end=dt.date(2027, 3, 31))
    year2 = gifted(y2, BANK, [ps[0]], on=renew_day)  # a sponsor renews HP-0
    registry = Registry(holdings(year1.state, ps) + holdings(year2.state, ps))
    answers = {ps[1].cccd: "renewed_by_person", ps[2].cccd: FollowUpStatus.LAPSED}

    def lookup(p: Person, on: dt.date) -> str | FollowUpStatus | None:
        assert on == renew_day
        return answers.get(p.cccd)

    assert follow_up(registry, on=card_end) == ()  # not ended yet
    ups = follow_up(registry, on=renew_day, participation=lookup)
    assert [(f.holding.person.id, f.status.value) for f in ups] == [
        ("HP-0", "renewed_by_sponsor"),
        ("HP-1", "renewed_by_person"),
        ("HP-2", "lapsed"),
        ("HP-3", "unknown"),
    ]
    (row,) = retention(ups)
    assert (row.province, row.kind, row.year, row.ended) == ("31", ProductKind.HEALTH_CARD, 2026, 4)
    assert row.rate == Fraction(2, 3)
    assert retention(follow_up(registry, on=renew_day))[0].rate == 1  # only the sponsor renewal is known
    assert retention(follow_up(Registry(holdings(year1.state, ps)), on=renew_day))[0].rate is None
    with pytest.raises(InvalidValueError, match="participation"):
        follow_up(registry, on=renew_day, participation=lambda p, on: "maybe")


class _Lookup:
    """A province's participation look-up: knows two CCCDs, answers nothing for the rest."""

    def __init__(self, answers: dict[str | None, object]) -> None:
        self.answers = answers

    @ansinh.hookimpl
    def ansinh_participation(self, person: Person, on: dt.date) -> object:
        return self.answers.get(person.cccd)


def test_the_participation_hook_answers_follow_up() -> None:
    ps = [person(f"HP-{i}", cccd=f"0311900001{i:02d}") for i in range(3)]
    year1 = delivered(gifted(NATIONAL, BANK, ps))
    registry = Registry(holdings(year1.state, ps))
    host = plugin_host(_Lookup({ps[0].cccd: "renewed_by_person", ps[1].cccd: "lapsed"}))
    ups = follow_up(registry, on=dt.date(2027, 6, 1), participation=host.participation)
    assert [f.status for f in ups] == [
        FollowUpStatus.RENEWED_BY_PERSON,
        FollowUpStatus.LAPSED,
        FollowUpStatus.UNKNOWN,
    ]
    for wrong in ("renewed_by_sponsor", "yes", 1):
        bad = plugin_host(_Lookup({ps[0].cccd: wrong}))
        with pytest.raises(PluginError, match="ansinh_participation"):
            bad.participation(ps[0], dt.date(2027, 1, 5))


def test_the_participation_file_answers_follow_up(tmp_path: Path) -> None:
    ps = [person(f"HP-{i}", cccd=f"0311900001{i:02d}") for i in range(3)]
    ps.append(person("HP-3", sin=SINS[1]))
    path = tmp_path / "tham-gia.csv"
    path.write_text(
        "Số CCCD;Mã số BHXH;Trạng thái\n"
        f"{ps[0].cccd};;Tự tiếp tục tham gia\n"
        f"{ps[1].cccd};;không tiếp tục\n"
        f";{SINS[1]};lapsed\n"
        f"{ps[0].cccd};;lapsed\n"  # the same person again
        "031190000999;;có lẽ\n"  # not a status
        "12345;;lapsed\n"  # not a CCCD
        ";;lapsed\n",  # nobody
        encoding="utf-8-sig",
    )
    answers = read_participation(path)
    assert [(r.row, r.column) for r in answers.rejected] == [
        (5, "Số CCCD"),
        (6, "Trạng thái"),
        (7, "Số CCCD"),
        (8, "Số CCCD"),
    ]
    assert all("031190000100" not in f"{r}" for r in answers.rejected)
    assert "0311******00" in answers.rejected[0].value
    registry = Registry(holdings(delivered(gifted(NATIONAL, BANK, ps)).state, ps))
    ups = follow_up(registry, on=dt.date(2027, 6, 1), participation=answers)
    assert [f.status.value for f in ups] == ["renewed_by_person", "lapsed", "unknown", "lapsed"]
    assert "0311" not in repr(answers)
    (tmp_path / "x.csv").write_text("cccd\n031190000100\n", encoding="utf-8")
    with pytest.raises(CampaignFileError, match="status"):
        read_participation(tmp_path / "x.csv")
