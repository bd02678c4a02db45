"""The Hưng Yên plugin, tested the way ansinh.testing suggests."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from ansinh_hung_yen import plugin

from ansinh.api import check, price
from ansinh.core.campaign import EarmarkKind
from ansinh.core.products import HealthCard, ProductKind, SocialBook
from ansinh.exceptions import InvalidValueError
from ansinh.testing import plugin_host, sample_campaign, sample_person

ON = dt.date(2026, 1, 15)


def test_strategy_is_offered_next_to_the_builtins() -> None:
    host = plugin_host(plugin, builtins=True)
    assert host.sourcing_strategy("hung_yen_workplace_drive") is plugin.HungYenWorkplaceDrive
    assert host.sourcing_strategy("workplace_drive").name == "workplace_drive"


def test_drive_arithmetic() -> None:
    drive = plugin.HungYenWorkplaceDrive.from_mapping(
        {
            "enterprises": [
                {
                    "id": "DN01",
                    "name": "Công ty May",
                    "workers": 1234,
                    "workers_per_card": 50,
                    "amount_per_worker": 20000,
                    "participation": "0.5",
                },
                {"id": "DN02", "name": "Công ty Nhỏ", "workers": 10, "workers_per_card": 50},
            ]
        }
    )
    result = drive.source(sample_campaign(province="33"))
    (pledge,) = result.pledges
    assert pledge.units_of(ProductKind.HEALTH_CARD) == 24
    assert pledge.money == 617 * 20000
    assert pledge.earmark is not None
    assert pledge.earmark.kind is EarmarkKind.WORKERS_RELATIVES
    assert len(result.assumptions) == 2


def test_bad_input_names_the_field() -> None:
    with pytest.raises(InvalidValueError, match="workers_per_card"):
        plugin.HungYenWorkplaceDrive.from_mapping(
            {"enterprises": [{"id": "x", "name": "X", "workers": 1, "workers_per_card": 0}]}
        )


def test_commune_rule_blocks_only_in_hung_yen() -> None:
    host = plugin_host(plugin)
    card = HealthCard(months=12)
    missing = check(sample_person(province="33"), card, on=ON, plugins=host)
    assert "HY_COMMUNE_REQUIRED" in missing.codes
    assert not missing.eligible
    recorded = attrs.evolve(sample_person(province="33"), commune="Phường Hiến Nam")
    assert "HY_COMMUNE_REQUIRED" not in check(recorded, card, on=ON, plugins=host).codes
    assert "HY_COMMUNE_REQUIRED" not in check(sample_person(province="01"), card, on=ON, plugins=host).codes


def test_plugin_adds_no_local_support() -> None:
    quote = price(SocialBook(months=12), sample_person(province="33"), on=ON, plugins=plugin_host(plugin))
    assert quote.local_support == 0
