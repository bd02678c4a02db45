"""ansinh — price, check and run gifts of social and health insurance for people in need.

``ansinh`` puts Vietnam Social Security's programme "Tặng sổ BHXH, thẻ BHYT cho
người có hoàn cảnh khó khăn" into code: exact, cited prices of health-insurance
cards and voluntary social-insurance books on any date, eligibility with
reasons, campaigns from pledges to gifts, and province plugins.

Importing ``ansinh`` reads no file (not even its own metadata: ``__version__``
is read when first asked for), loads no plugin and imports no optional
dependency; :func:`default_law` and the installed plugins are loaded on first use.

>>> import datetime as dt, ansinh
>>> ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1)).payable
1263600
"""

from __future__ import annotations

from ansinh.api import allocate, check, price, screen
from ansinh.core.allocation import Allocation, Candidate, Leftover
from ansinh.core.campaign import (
    Beneficiary,
    Campaign,
    Earmark,
    EarmarkKind,
    Funding,
    Gift,
    GiftStatus,
    Instalment,
    Pledge,
    Sponsor,
    SponsorKind,
)
from ansinh.core.eligibility import (
    CheckContext,
    Decision,
    FunctionRule,
    Priority,
    Reason,
    Rule,
    Screening,
)
from ansinh.core.law import Citation, DatedValue, Law, Parameter, RateTable, SourceStatus
from ansinh.core.ledger import (
    Event,
    GiftAllocated,
    GiftCancelled,
    GiftDelivered,
    GiftPaid,
    GiftRefunded,
    Ledger,
    LedgerState,
    MoneyReceived,
    PledgeAmended,
    PledgeBalance,
    PledgeRegistered,
    PledgeWithdrawn,
    replay,
)
from ansinh.core.money import format_vnd, format_vnd_short
from ansinh.core.people import Category, Person
from ansinh.core.pricing import LocalSupport, Quote, QuoteLine
from ansinh.core.products import HealthCard, HospitalLevel, Product, ProductKind, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport, RenewalItem, ReportRow, report
from ansinh.data import default_law
from ansinh.exceptions import (
    AnsinhError,
    CampaignFileError,
    InvalidAmountError,
    InvalidPersonError,
    InvalidProductError,
    InvalidValueError,
    InvariantViolation,
    LawDataError,
    LedgerError,
    NotInForceError,
    OutputFileError,
    PluginError,
    QuoteMismatchError,
    ReviewError,
    RosterError,
    SerializationError,
    UnknownParameterError,
)
from ansinh.hookspecs import SourcingResult, SourcingStrategy, hookimpl
from ansinh.io.roster import Roster, load_roster
from ansinh.io.run import CampaignRun, run_campaign
from ansinh.plugin_manager import PluginHost, get_plugin_manager
from ansinh.verification import verify


def __getattr__(name: str) -> str:
    # ``__version__`` reads the installed distribution's metadata, a file: only when asked for,
    # so that ``import ansinh`` opens no file but Python modules.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("ansinh")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Allocation",
    "AnsinhError",
    "Beneficiary",
    "Campaign",
    "CampaignFileError",
    "CampaignReport",
    "CampaignRun",
    "Candidate",
    "Category",
    "CheckContext",
    "Citation",
    "DatedValue",
    "Decision",
    "Earmark",
    "EarmarkKind",
    "Event",
    "FunctionRule",
    "Funding",
    "Gift",
    "GiftAllocated",
    "GiftCancelled",
    "GiftDelivered",
    "GiftPaid",
    "GiftRefunded",
    "GiftStatus",
    "HealthCard",
    "HospitalLevel",
    "Instalment",
    "InvalidAmountError",
    "InvalidPersonError",
    "InvalidProductError",
    "InvalidValueError",
    "InvariantViolation",
    "Law",
    "LawDataError",
    "Ledger",
    "LedgerError",
    "LedgerState",
    "Leftover",
    "LocalSupport",
    "MoneyReceived",
    "NotInForceError",
    "OutputFileError",
    "Parameter",
    "Person",
    "Pledge",
    "PledgeAmended",
    "PledgeBalance",
    "PledgeRegistered",
    "PledgeWithdrawn",
    "PluginError",
    "PluginHost",
    "Priority",
    "Product",
    "ProductKind",
    "Quote",
    "QuoteLine",
    "QuoteMismatchError",
    "RateTable",
    "Reason",
    "RenewalItem",
    "ReportRow",
    "ReviewError",
    "Roster",
    "RosterError",
    "Rule",
    "Screening",
    "SerializationError",
    "SocialBook",
    "SourceStatus",
    "SourcingResult",
    "SourcingStrategy",
    "Sponsor",
    "SponsorKind",
    "TetGift",
    "UnknownParameterError",
    "__version__",
    "allocate",
    "check",
    "default_law",
    "format_vnd",
    "format_vnd_short",
    "get_plugin_manager",
    "hookimpl",
    "load_roster",
    "price",
    "replay",
    "report",
    "run_campaign",
    "screen",
    "verify",
]
