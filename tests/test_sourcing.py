"""The built-in sourcing strategies: each one's arithmetic, earmarks and input checks."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.campaign import EarmarkKind, SponsorKind
from ansinh.core.people import Category
from ansinh.core.products import ProductKind
from ansinh.exceptions import InvalidValueError
from ansinh.plugins import sourcing
from ansinh.plugins.sourcing import (
    AgriculturalSales,
    CentralRegistration,
    CentralSponsors,
    CommuneEngagement,
    Enterprise,
    ReligiousOrganisations,
    SectorStaff,
    WorkplaceDrive,
)
from ansinh.testing import plugin_host, sample_campaign

CAMPAIGN = sample_campaign(code="BN2026")


def test_hook_offers_the_six_builtins_trylast() -> None:
    host = plugin_host(sourcing)
    names = [s.name for s in host.sourcing_strategies()]
    assert names == [
        "workplace_drive",
        "agricultural_sales",
        "commune_engagement",
        "sector_staff",
        "central_sponsors",
        "religious_organisations",
    ]
    (impl,) = host.manager.hook.ansinh_sourcing_strategies.get_hookimpls()
    assert impl.trylast


# -- workplace drive ------------------------------------------------------------------


def test_workplace_drive_arithmetic_and_earmark() -> None:
    drive = WorkplaceDrive.from_mapping(
        {
            "province": "33",
            "enterprises": [
                {
                    "id": "DN01",
                    "name": "Công ty May Hưng Yên",
                    "workers": 1_205,
                    "participation": "60%",
                    "amount_per_worker": 50_000,
                    "match": "0.5",
                },
                {"id": "DN02", "name": "Công ty Điện tử", "workers": 300, "amount_per_worker": 20_000},
            ],
        }
    )
    result = drive.source(CAMPAIGN)
    first, second = result.pledges
    # 60% of 1,205 = 723 workers (723.0 exactly) × 50,000 = 36,150,000; +50% match = 18,075,000
    assert first.money == 723 * 50_000 + 18_075_000 == 54_225_000
    assert second.money == 300 * 20_000
    assert first.earmark is not None
    assert first.earmark.kind is EarmarkKind.WORKERS_RELATIVES
    assert first.earmark.target == "DN01"
    assert (first.province, first.strategy, first.id) == (
        "33",
        "workplace_drive",
        "workplace_drive:BN2026:DN01",
    )
    assert [s.kind for s in result.sponsors] == [SponsorKind.ENTERPRISE, SponsorKind.ENTERPRISE]
    assert result.money == 60_225_000
    assert "723 of 1205 workers" in result.assumptions[0]
    assert "enterprise adds 50%" in result.assumptions[0]


def test_workplace_drive_rounds_people_down_and_skips_empty() -> None:
    drive = WorkplaceDrive(
        enterprises=(
            Enterprise(id="A", name="A", workers=7, participation=Fraction(1, 2), amount_per_worker=10_000),
            Enterprise(id="B", name="B", workers=1, participation=Fraction(1, 2), amount_per_worker=10_000),
        )
    )
    result = drive.source(CAMPAIGN)
    assert [p.money for p in result.pledges] == [30_000]  # 3 of 7; B: 0 of 1 → no pledge
    assert len(result.assumptions) == 2
    assert result.pledges[0].province is None  # national campaign, no province given


@given(
    workers=st.integers(0, 100_000),
    share=st.fractions(0, 1),
    amount=st.integers(0, 1_000_000),
    match=st.fractions(0, 1),
)
def test_workplace_drive_formula(workers: int, share: Fraction, amount: int, match: Fraction) -> None:
    e = Enterprise(
        id="E", name="E", workers=workers, participation=share, amount_per_worker=amount, match=match
    )
    result = WorkplaceDrive(enterprises=(e,)).source(CAMPAIGN)
    base = math.floor(workers * share) * amount
    assert result.money == base + math.floor(base * match)
    assert result.money <= workers * amount * 2
    assert all(isinstance(p.money, int) for p in result.pledges)


# -- agricultural sales --------------------------------------------------------------------


def test_agricultural_sales_share_of_volume() -> None:
    result = AgriculturalSales.from_mapping(
        {
            "province": "25",
            "channels": [
                {
                    "id": "HTX1",
                    "name": "HTX cam Cao Phong",
                    "sales_volume": 1_234_567_891,
                    "contribution_share": "2%",
                },
                {
                    "id": "HTX2",
                    "name": "HTX chè",
                    "sales_volume": 10,
                    "contribution_share": "0.05",
                    "category": "poor",
                },
            ],
        }
    ).source(CAMPAIGN)
    (pledge,) = result.pledges  # 5% of 10 đồng rounds down to 0: no pledge
    assert pledge.money == 24_691_357  # ⌊1,234,567,891 × 0.02⌋
    assert pledge.earmark is not None
    assert (pledge.earmark.kind, pledge.earmark.target) == (
        EarmarkKind.CATEGORY,
        Category.FARM_AVERAGE_INCOME.value,
    )
    assert pledge.province == "25"
    assert "rounded down" in result.assumptions[0]


# -- commune engagement ----------------------------------------------------------------------


def test_commune_engagement_money_cards_and_earmark() -> None:
    result = CommuneEngagement.from_mapping(
        {
            "province": "19",
            "communes": [
                {
                    "id": "X1",
                    "name": "Xã Phú Đình",
                    "households": 850,
                    "participation": "0.3",
                    "amount_per_household": 100_000,
                    "budget": 5_000_000,
                    "cards": 12,
                },
                {"id": "X2", "name": "Xã Trống", "households": 0},
            ],
        }
    ).source(CAMPAIGN)
    (pledge,) = result.pledges
    assert pledge.money == 255 * 100_000 + 5_000_000
    assert pledge.units_of(ProductKind.HEALTH_CARD) == 12
    assert pledge.earmark is not None
    assert (pledge.earmark.kind, pledge.earmark.target) == (EarmarkKind.COMMUNE, "Xã Phú Đình")
    assert result.sponsors[0].kind is SponsorKind.COMMUNE


# -- sector staff ------------------------------------------------------------------------------


def test_sector_staff_head_count_times_amount() -> None:
    result = SectorStaff.from_mapping(
        {
            "units": [
                {
                    "id": "BHXH-VN",
                    "name": "Cơ quan BHXH Việt Nam",
                    "head_count": 1_500,
                    "amount_per_person": 200_000,
                },
                {
                    "id": "BHXH-33",
                    "name": "BHXH tỉnh Hưng Yên",
                    "head_count": 420,
                    "amount_per_person": 150_000,
                    "province": "33",
                },
            ]
        }
    ).source(CAMPAIGN)
    assert [p.money for p in result.pledges] == [300_000_000, 63_000_000]
    assert [p.province for p in result.pledges] == [None, "33"]
    assert all(p.earmark is None for p in result.pledges)
    assert {s.kind for s in result.sponsors} == {SponsorKind.SECTOR_STAFF}


# -- central sponsors --------------------------------------------------------------------------


def test_central_sponsors_register_units() -> None:
    result = CentralSponsors.from_mapping(
        {
            "registrations": [
                {
                    "id": "VCB",
                    "name": "Vietcombank",
                    "kind": "bank",
                    "cards": 8_900,
                    "books": 3_000,
                    "province": "14",
                },
                {"id": "DN", "name": "Tập đoàn X", "cards": 100, "card_months": 6, "money": 10_000_000},
                {"id": "NONE", "name": "Chưa đăng ký"},
            ]
        }
    ).source(CAMPAIGN)
    vcb, dn = result.pledges
    assert vcb.units_of(ProductKind.HEALTH_CARD) == 8_900
    assert vcb.units_of(ProductKind.SOCIAL_BOOK) == 3_000
    assert vcb.province == "14"
    assert (dn.card_months, dn.money) == (6, 10_000_000)
    assert [s.province for s in result.sponsors] == [None, None]
    assert [s.kind for s in result.sponsors] == [SponsorKind.BANK, SponsorKind.ENTERPRISE]
    assert len(result.assumptions) == 3


def test_central_sponsors_refuse_other_kinds_and_province() -> None:
    with pytest.raises(InvalidValueError, match="kind"):
        CentralRegistration(id="x", name="x", kind="religious")
    with pytest.raises(InvalidValueError, match="province"):
        CentralSponsors.from_mapping({"province": "01", "registrations": []})


# -- religious organisations --------------------------------------------------------------------


def test_religious_organisations_earmark_members() -> None:
    result = ReligiousOrganisations.from_mapping(
        {
            "province": "79",
            "congregations": [
                {"id": "GHPGVN-79", "name": "Ban Trị sự GHPGVN TP HCM", "members": 250},
                {
                    "id": "GX-1",
                    "name": "Giáo xứ Tân Định",
                    "members": 40,
                    "product": "social_book",
                    "months": 6,
                },
            ],
        }
    ).source(CAMPAIGN)
    cards, books = result.pledges
    assert cards.units == ((ProductKind.HEALTH_CARD, 250),)
    assert cards.card_months == 12
    assert books.units == ((ProductKind.SOCIAL_BOOK, 40),)
    assert books.book_months == 6
    assert cards.earmark is not None
    assert (cards.earmark.kind, cards.earmark.target) == (EarmarkKind.MEMBERS, "GHPGVN-79")
    assert {s.kind for s in result.sponsors} == {SponsorKind.RELIGIOUS}


# -- input checking --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {"enterprises": [{"id": "A", "name": "A", "workers": 1.5, "amount_per_worker": 1}]},
            "enterprises[0].workers",
        ),
        ({"enterprises": [{"id": "A", "name": "A", "workers": 1}]}, "enterprises[0].amount_per_worker"),
        (
            {"enterprises": [{"id": "A", "name": "A", "workers": 1, "amount_per_worker": 1, "bonus": 2}]},
            "enterprises[0].bonus",
        ),
        (
            {
                "enterprises": [
                    {"id": "A", "name": "A", "workers": 1, "amount_per_worker": 1, "participation": 0.5}
                ]
            },
            "enterprises[0].participation",
        ),
        (
            {
                "enterprises": [
                    {"id": "A", "name": "A", "workers": 1, "amount_per_worker": 1, "participation": "1.5"}
                ]
            },
            "enterprises[0].participation",
        ),
        (
            {
                "enterprises": [
                    {"id": "A", "name": "A", "workers": 1, "amount_per_worker": 1, "province": "99"}
                ]
            },
            "province",
        ),
        ({"enterprises": "DN01"}, "enterprises"),
        ({"enterprises": ["DN01"]}, "enterprises[0]"),
        ({"channels": []}, "workplace_drive.channels"),
    ],
)
def test_bad_inputs_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValueError) as info:
        WorkplaceDrive.from_mapping(data)
    assert field in str(info.value)


def test_bad_category_and_product_are_named() -> None:
    with pytest.raises(InvalidValueError, match="category"):
        AgriculturalSales.from_mapping(
            {
                "channels": [
                    {
                        "id": "a",
                        "name": "a",
                        "sales_volume": 1,
                        "contribution_share": "0.1",
                        "category": "rich",
                    }
                ]
            }
        )
    with pytest.raises(InvalidValueError, match="product"):
        ReligiousOrganisations.from_mapping(
            {"congregations": [{"id": "a", "name": "a", "members": 1, "product": "tet_gift"}]}
        )
