"""Provincial top-ups (facts.md §4) through the data-driven plugin and the pricing."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.api import price
from ansinh.core import pricing
from ansinh.core.law import Citation, RateTable, SourceStatus
from ansinh.core.people import Category
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.data import default_law
from ansinh.exceptions import LawDataError
from ansinh.plugin_manager import PluginHost
from ansinh.plugins import local_support
from ansinh.plugins.local_support import (
    LocalSupportTable,
    parse_local_supports,
    select,
    shipped_local_supports,
)
from ansinh.testing import plugin_host, sample_person

LAW = default_law()

HANOI, KHANH_HOA, HCMC = "01", "56", "79"
ON = dt.date(2026, 3, 1)


@pytest.fixture
def host() -> PluginHost:
    """A fresh host with only the local-support plugin."""
    return plugin_host(local_support)


def _by_code() -> dict[str, LocalSupport]:
    return {s.code: s for s in shipped_local_supports()}


# -- the shipped data -----------------------------------------------------------------


def test_shipped_programmes_with_dates_sources_and_status() -> None:
    table = _by_code()
    assert set(table) == {
        "hanoi-vsi-2026",
        "hanoi-bhyt-2026",
        "khanhhoa-vsi-2026-2030",
        "hcmc-bhyt-res75-2025",
        "hcmc-bhyt-res56-2025-students",
        "hcmc-bhyt-res56-2025-elderly",
        "binhdinh-bhyt-res18-2023",
        "longbien-vsi-2022",
    }
    hanoi = table["hanoi-vsi-2026"]
    assert (hanoi.province, hanoi.product, hanoi.effective, hanoi.until) == (
        HANOI,
        ProductKind.SOCIAL_BOOK,
        dt.date(2026, 1, 1),
        None,
    )
    assert hanoi.rates.as_dict() == {
        "poor": Fraction(1, 2),
        "near_poor": Fraction(3, 5),
        "other": Fraction(1, 10),
    }
    assert hanoi.status is SourceStatus.CONFIRMED  # the resolution's number was found: 19/NQ-HĐND
    assert "19/NQ-HĐND" in hanoi.citation.document
    assert "09/07/2025" in hanoi.citation.document
    assert "321/KH-UBND" in hanoi.citation.document
    assert "laodong" in hanoi.citation.url

    kh = table["khanhhoa-vsi-2026-2030"]
    assert (kh.effective, kh.until, kh.status) == (
        dt.date(2026, 1, 1),
        dt.date(2030, 12, 31),
        SourceStatus.UNCONFIRMED,  # the first day is not known (reported passed around 2026-01-23)
    )
    assert kh.rates.as_dict() == {
        "poor": Fraction(3, 10),
        "island_resident": Fraction(3, 10),
        "near_poor": Fraction(1, 4),
        "ethnic_minority": Fraction(3, 20),
        "other": Fraction(1, 10),
    }
    assert "1645085" in kh.citation.url

    hcmc = table["hcmc-bhyt-res75-2025"]
    assert (hcmc.province, hcmc.product, hcmc.effective, hcmc.status) == (
        HCMC,
        ProductKind.HEALTH_CARD,
        dt.date(2026, 1, 1),
        SourceStatus.CONFIRMED,
    )
    assert hcmc.rates.as_dict() == {"poor": 1, "near_poor": 1, "just_escaped_poverty": 1, "household": 1}
    assert hcmc.group_ages == (("household", 6, 16),)
    assert "75/2025/NQ-HĐND" in hcmc.citation.document
    assert hcmc.citation.article == "Điều 1 khoản 2"


def test_hook_is_trylast_and_answers_for_all_provinces(host: PluginHost) -> None:
    (impl,) = host.manager.hook.ansinh_local_support.get_hookimpls()
    assert impl.trylast
    assert len(host.all_local_supports()) == 8
    assert [s.code for s in host.local_supports(product=ProductKind.SOCIAL_BOOK, on=ON)] == [
        "hanoi-vsi-2026",
        "khanhhoa-vsi-2026-2030",
    ]


def test_select_filters() -> None:
    shipped = shipped_local_supports()
    assert select(shipped, None, None, None) == shipped
    assert select(shipped, KHANH_HOA, ProductKind.SOCIAL_BOOK, dt.date(2031, 1, 1)) == ()
    assert select(shipped, KHANH_HOA, ProductKind.SOCIAL_BOOK, dt.date(2030, 12, 31)) != ()
    assert select(shipped, HANOI, ProductKind.HEALTH_CARD, dt.date(2025, 12, 31)) == ()
    assert [s.code for s in select(shipped, HANOI, ProductKind.HEALTH_CARD, ON)] == ["hanoi-bhyt-2026"]


# -- Hà Nội (facts.md §4) --------------------------------------------------------------


def test_hanoi_others_on_2026_03_01(host: PluginHost) -> None:
    q = price(SocialBook(months=1), sample_person(province=HANOI), on=ON, plugins=host)
    assert (q.gross, q.state_support, q.local_support, q.payable) == (330_000, 66_000, 33_000, 231_000)
    line = q.line("monthly_local_support")
    assert line.value == 33_000
    assert line.status is SourceStatus.CONFIRMED
    year = price(SocialBook(months=12), sample_person(province=HANOI), on=ON, plugins=host)
    assert (year.local_support, year.payable, year.monthly_payable) == (396_000, 2_772_000, 231_000)


@pytest.mark.parametrize(
    ("category", "state", "local", "payable"),
    [
        (Category.POOR, 165_000, 165_000, 0),
        (Category.NEAR_POOR, 132_000, 198_000, 0),
        (Category.ETHNIC_MINORITY, 99_000, 33_000, 198_000),
    ],
)
def test_hanoi_groups(host: PluginHost, category: Category, state: int, local: int, payable: int) -> None:
    q = price(SocialBook(months=1), sample_person(province=HANOI, categories={category}), on=ON, plugins=host)
    assert (q.state_support, q.local_support, q.payable) == (state, local, payable)


def test_hanoi_not_before_2026(host: PluginHost) -> None:
    q = price(SocialBook(months=1), sample_person(province=HANOI), on=dt.date(2025, 12, 31), plugins=host)
    assert (q.local_support, q.payable) == (0, 264_000)


def test_no_local_support_without_plugins_or_person() -> None:
    assert price(SocialBook(months=1), sample_person(province=HANOI), on=ON, plugins=False).local_support == 0
    assert price(SocialBook(months=1), on=ON, plugins=plugin_host(local_support)).local_support == 0


# -- Khánh Hòa ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "local", "payable"),
    [
        (set(), 33_000, 231_000),
        ({Category.POOR}, 99_000, 66_000),
        ({Category.ISLAND_RESIDENT}, 99_000, 66_000),
        ({Category.NEAR_POOR}, 82_500, 115_500),
        ({Category.ETHNIC_MINORITY}, 49_500, 181_500),
        ({Category.NEAR_POOR, Category.ETHNIC_MINORITY}, 82_500, 115_500),  # highest level only
    ],
)
def test_khanh_hoa_groups(host: PluginHost, categories: set[Category], local: int, payable: int) -> None:
    q = price(
        SocialBook(months=1), sample_person(province=KHANH_HOA, categories=categories), on=ON, plugins=host
    )
    assert (q.local_support, q.payable) == (local, payable)


def test_khanh_hoa_ends_2030(host: PluginHost) -> None:
    person = sample_person(province=KHANH_HOA)
    last = price(SocialBook(months=1), person, on=dt.date(2030, 12, 31), plugins=host)
    assert last.monthly_local_support * 2 == last.monthly_state_support  # 10% vs 20% of the same base
    after = price(SocialBook(months=1), person, on=dt.date(2031, 1, 1), plugins=host)
    assert after.local_support == 0


# -- TP Hồ Chí Minh ---------------------------------------------------------------------------


def test_hcmc_near_poor_card_gets_the_remaining_share(host: PluginHost) -> None:
    person = sample_person(province=HCMC, categories={Category.NEAR_POOR})
    q = price(HealthCard(months=12), person, on=dt.date(2026, 1, 1), plugins=host)
    assert (q.gross, q.state_support, q.local_support, q.payable) == (1_263_600, 884_520, 379_080, 0)
    assert "75/2025" in str(q.line("monthly_local_support").citation)
    # Res. 75/2025 applies from 2026-01-01: the 2025-08-13 report was a proposal
    before = price(HealthCard(months=12), person, on=dt.date(2025, 12, 31), plugins=host)
    assert (before.local_support, before.payable) == (0, 379_080)


def test_hcmc_just_out_of_poverty_from_2026(host: PluginHost) -> None:
    person = sample_person(province=HCMC, categories={Category.JUST_ESCAPED_POVERTY})
    day_before = price(HealthCard(months=12), person, on=dt.date(2025, 12, 31), plugins=host)
    assert (day_before.state_support, day_before.local_support, day_before.payable) == (0, 0, 1_263_600)
    day_of = price(HealthCard(months=12), person, on=dt.date(2026, 1, 1), plugins=host)
    assert (day_of.state_support, day_of.local_support, day_of.payable) == (0, 1_263_600, 0)


def test_hcmc_other_groups_unchanged(host: PluginHost) -> None:
    poor = price(
        HealthCard(months=12), sample_person(province=HCMC, categories={Category.POOR}), on=ON, plugins=host
    )
    assert (poor.state_support, poor.local_support, poor.payable) == (1_263_600, 0, 0)
    other = price(HealthCard(months=12), sample_person(province=HCMC), on=ON, plugins=host)
    assert (other.local_support, other.payable) == (0, 1_263_600)


# -- never more than the contribution (Hypothesis) ----------------------------------------------

GROUPS = [c.value for c in Category] + ["other"]


@st.composite
def _extra_supports(draw: st.DrawFn) -> tuple[LocalSupport, ...]:
    """Arbitrary hypothetical top-ups, up to 100% per group, stacked with the shipped ones."""
    out = []
    for i in range(draw(st.integers(0, 3))):
        groups = draw(st.lists(st.sampled_from(GROUPS), min_size=1, max_size=4, unique=True))
        rates = tuple((g, draw(st.fractions(0, 1, max_denominator=1000))) for g in groups)
        out.append(
            LocalSupport(
                code=f"extra-{i}",
                province=draw(st.sampled_from([HANOI, KHANH_HOA, HCMC, "33"])),
                product=draw(st.sampled_from([ProductKind.SOCIAL_BOOK, ProductKind.HEALTH_CARD])),
                effective=dt.date(2025, 7, 1),
                until=None,
                rates=RateTable(rates),
                citation=Citation("Kịch bản"),
                status=SourceStatus.SCENARIO,
                label_vi="Kịch bản",
                label_en="Scenario",
            )
        )
    return tuple(out)


@given(
    extra=_extra_supports(),
    province=st.sampled_from([HANOI, KHANH_HOA, HCMC, "33"]),
    categories=st.sets(st.sampled_from(list(Category)), max_size=3),
    on=st.dates(dt.date(2025, 7, 1), dt.date(2031, 12, 31)),
    card=st.booleans(),
    months=st.sampled_from([3, 6, 12]),
    rank=st.integers(1, 6),
    steps=st.integers(0, 40),
    used=st.integers(0, 130),
)
def test_state_plus_local_never_exceed_the_contribution(
    extra: tuple[LocalSupport, ...],
    province: str,
    categories: set[Category],
    on: dt.date,
    card: bool,
    months: int,
    rank: int,
    steps: int,
    used: int,
) -> None:
    host = plugin_host(local_support, LocalSupportTable(extra))
    person = attrs.evolve(sample_person(province=province, categories=categories), vsi_supported_months=used)
    if card:
        product: HealthCard | SocialBook = HealthCard(months=months, household_rank=rank)
    else:
        floor = 1_500_000 if on.year < 2027 else 2_200_000
        product = SocialBook(months=months, monthly_income=floor + steps * 50_000)
    q = price(product, person, on=on, plugins=host)
    assert q.state_support >= 0
    assert q.local_support >= 0
    assert q.state_support + q.local_support <= q.gross
    assert q.monthly_state_support + q.monthly_local_support <= q.monthly_gross
    assert q.payable == q.gross - q.state_support - q.local_support >= 0
    if q.local_support:
        assert host.local_supports(province=province, product=product.kind, on=on)


# -- data errors -------------------------------------------------------------------------------------

_GOOD = {
    "code": "x",
    "province": "33",
    "product": "social_book",
    "effective": "2026-01-01",
    "rates": {"poor": "0.1"},
    "document": "Nghị quyết thử",
    "status": "scenario",
    "label_vi": "Thử",
    "label_en": "Test",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"province": "99"}, "province"),
        ({"product": "car"}, "product"),
        ({"status": "rumour"}, "status"),
        ({"rates": {"poor": 0.1}}, "rates.poor"),
        ({"rates": {"poor": "1.5"}}, "between 0 and 1"),
        ({"rates": {}}, "rates"),
        ({"effective": "1 Jan 2026"}, "effective"),
        ({"until": "2025-01-01"}, "until"),
        ({"label_vi": ""}, "label_vi"),
        ({"colour": "red"}, "unknown keys"),
    ],
)
def test_bad_data_is_named(change: dict[str, object], message: str) -> None:
    with pytest.raises(LawDataError, match=message):
        parse_local_supports({"support": [{**_GOOD, **change}]})


def test_missing_key_duplicate_code_and_bad_toml() -> None:
    without = {k: v for k, v in _GOOD.items() if k != "rates"}
    with pytest.raises(LawDataError, match="missing 'rates'"):
        parse_local_supports({"support": [without]})
    with pytest.raises(LawDataError, match="used twice"):
        parse_local_supports({"support": [_GOOD, _GOOD]})
    with pytest.raises(LawDataError, match="TOML"):
        LocalSupportTable.from_toml("[[support]\n")
    with pytest.raises(LawDataError, match="list"):
        parse_local_supports({"support": {"code": "x"}})


# -- overrides: the scalar path and the whole table agree ------------------------------------------


def _hanoi_override(effective: dt.date, until: dt.date | None, other: str) -> LocalSupportTable:
    base = _by_code()["hanoi-vsi-2026"]
    changed = attrs.evolve(
        base,
        effective=effective,
        until=until,
        rates=RateTable((("other", Fraction(other)),)),
        status=SourceStatus.SCENARIO,
    )
    return LocalSupportTable((changed,))


def test_override_for_some_dates_keeps_the_builtin_elsewhere() -> None:
    host = plugin_host(local_support)
    host.register(_hanoi_override(dt.date(2026, 6, 1), dt.date(2026, 8, 31), "0.3"), "correction")
    person = sample_person(province=HANOI)
    inside = price(SocialBook(months=1), person, on=dt.date(2026, 7, 1), plugins=host)
    assert inside.local_support == 99_000
    before = price(SocialBook(months=1), person, on=dt.date(2026, 5, 31), plugins=host)
    after = price(SocialBook(months=1), person, on=dt.date(2026, 9, 1), plugins=host)
    assert before.local_support == after.local_support == 33_000
    hanoi = [s for s in host.all_local_supports() if s.code == "hanoi-vsi-2026"]
    assert [(s.effective, s.until, s.status) for s in hanoi] == [
        (dt.date(2026, 6, 1), dt.date(2026, 8, 31), SourceStatus.SCENARIO),
        (dt.date(2026, 1, 1), dt.date(2026, 5, 31), SourceStatus.CONFIRMED),
        (dt.date(2026, 9, 1), None, SourceStatus.CONFIRMED),
    ]


@given(
    start=st.dates(dt.date(2025, 6, 1), dt.date(2027, 12, 31)),
    days=st.none() | st.integers(0, 900),
    other=st.sampled_from(["0", "0.05", "0.3", "1"]),
    on=st.dates(dt.date(2025, 7, 1), dt.date(2028, 12, 31)),
    categories=st.sets(
        st.sampled_from([Category.POOR, Category.NEAR_POOR, Category.ETHNIC_MINORITY]), max_size=2
    ),
)
def test_scalar_and_whole_table_give_the_same_price(
    start: dt.date, days: int | None, other: str, on: dt.date, categories: set[Category]
) -> None:
    until = None if days is None else start + dt.timedelta(days=days)
    host = plugin_host(local_support, _hanoi_override(start, until, other))
    person = sample_person(province=HANOI, categories=categories)
    scalar = price(SocialBook(months=1), person, on=on, plugins=host)
    table = pricing.price(
        SocialBook(months=1), person, on=on, local_supports=host.all_local_supports(), law=LAW
    )
    assert (scalar.local_support, scalar.payable) == (table.local_support, table.payable)
