"""ansinh — price, check and run gifts of social and health insurance for people in need.

``ansinh`` puts Vietnam Social Security's programme "Tặng sổ BHXH, thẻ BHYT cho
người có hoàn cảnh khó khăn" into code: exact, cited prices of health-insurance
cards and voluntary social-insurance books on any date, eligibility with
reasons, campaigns from pledges to gifts, and province plugins.

>>> import datetime as dt, ansinh
>>> ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1)).payable
1263600
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ansinh.api import price
from ansinh.core.law import Citation, DatedValue, Law, Parameter, RateTable, SourceStatus
from ansinh.core.money import format_vnd, format_vnd_short
from ansinh.core.people import Category, Person
from ansinh.core.pricing import LocalSupport, Quote, QuoteLine
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.data import default_law
from ansinh.exceptions import (
    AnsinhError,
    InvalidAmountError,
    InvalidPersonError,
    InvalidProductError,
    InvalidValueError,
    LawDataError,
    NotInForceError,
    PluginError,
    UnknownParameterError,
)

try:
    __version__ = version("ansinh")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AnsinhError",
    "Category",
    "Citation",
    "DatedValue",
    "HealthCard",
    "InvalidAmountError",
    "InvalidPersonError",
    "InvalidProductError",
    "InvalidValueError",
    "Law",
    "LawDataError",
    "LocalSupport",
    "NotInForceError",
    "Parameter",
    "Person",
    "PluginError",
    "Product",
    "ProductKind",
    "Quote",
    "QuoteLine",
    "RateTable",
    "SocialBook",
    "SourceStatus",
    "TetGift",
    "UnknownParameterError",
    "__version__",
    "default_law",
    "format_vnd",
    "format_vnd_short",
    "price",
]
