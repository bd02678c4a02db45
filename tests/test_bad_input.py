"""The reproducers of issue 13, item 4: each is an AnsinhError naming the field now."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import ansinh
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.labels import Code
from ansinh.exceptions import AnsinhError, InvalidValueError, SerializationError
from ansinh.serialization import loads_document

LAW = ansinh.default_law()


def _(value: object) -> Any:
    """*value*, typed Any: these calls pass wrong types on purpose."""
    return value


CAMPAIGN = Campaign(code="C", name="n", start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1))
PERSON = ansinh.Person(id="a", full_name="b", date_of_birth=dt.date(1980, 1, 1), province="01")

CASES: dict[str, tuple[Callable[[], Any], str]] = {
    "sponsor kind": (lambda: Sponsor(id="S", name="n", kind=_("xyz")), "kind='xyz'"),
    "pledge units": (lambda: Pledge(id="P", sponsor_id="S", units=_(5)), "units=5"),
    "pledge instalments": (
        lambda: Pledge(id="P", sponsor_id="S", money=5, instalments=_(("x",))),
        "instalments=",
    ),
    "ledger append": (lambda: ansinh.Ledger(CAMPAIGN, law=LAW).append(_("x")), "event='x'"),
    "ledger extend": (lambda: ansinh.Ledger(CAMPAIGN, law=LAW).extend(_(None)), "events=None"),
    "price law": (
        lambda: ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2026, 1, 1), law=_("x")),
        "law='x'",
    ),
    "load_roster None": (lambda: ansinh.load_roster(_(None)), "path=None"),
    "document type a list": (
        lambda: loads_document('{"schema_version":1,"type":["tet_gift"],"data":{}}', ansinh.TetGift),
        "type=['tet_gift']",
    ),
    "deep json": (lambda: loads_document("[" * 100_000 + "]" * 100_000, ansinh.TetGift), "not valid JSON"),
    "law value unhashable": (lambda: LAW.value(_(["x"]), on=dt.date(2026, 1, 1)), "parameter=['x']"),
    "age_on": (lambda: PERSON.age_on(_("2026")), "on='2026'"),
    "tet_dates": (
        lambda: Campaign(
            code="C", name="n", start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), tet_dates=_(True)
        ),
        "tet_dates=True",
    ),
    "allocate state": (lambda: ansinh.allocate(_(None), [], on=dt.date(2026, 1, 1)), "state=None"),
    "allocate candidates": (
        lambda: ansinh.allocate(ansinh.Ledger(CAMPAIGN, law=LAW).state, _([[1]]), on=dt.date(2026, 1, 1)),
        "candidate=[1]",
    ),
    "blocked plugins": (lambda: ansinh.get_plugin_manager(blocked=_(None)), "blocked=None"),
    "ledger state": (
        lambda: ansinh.LedgerState(campaign=CAMPAIGN, pledges=_(None), gifts=(), event_count=0),
        "pledges=None",
    ),
    "category with a huge int": (
        lambda: ansinh.Category(_(10**5000)),
        "Category=<an int of about 5001 digits>",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_an_ansinh_error_naming_the_field(case: str) -> None:
    func, shown = CASES[case]
    with pytest.raises(AnsinhError) as info:
        func()
    assert shown in str(info.value)


def test_an_unknown_code_is_still_a_value_error() -> None:
    with pytest.raises(ValueError, match="one of"):
        ansinh.ProductKind("book")
    assert issubclass(ansinh.ProductKind, Code)


def test_a_document_too_deep_for_structuring_is_a_serialization_error() -> None:
    nested: Any = "x"
    for _ in range(5000):
        nested = {"a": nested}
    with pytest.raises(SerializationError):
        ansinh.serialization.load_document(
            {"schema_version": 1, "type": "sponsor", "data": nested}, ansinh.Sponsor
        )


def test_an_ansinh_error_masks_digit_runs_whatever_built_it() -> None:
    assert str(AnsinhError("file 001170012389.csv")) == "file 0011******89.csv"
    assert isinstance(InvalidValueError("x", 1, "y"), AnsinhError)


def test_duplicate_arrow_column_names_are_named() -> None:
    pa = pytest.importorskip("pyarrow")
    from ansinh.bulk import screen_table

    day = pa.array([dt.date(1980, 1, 1)])
    table = pa.Table.from_arrays(
        [pa.array(["a"]), day, day, pa.array(["01"])],
        names=["id", "date_of_birth", "date_of_birth", "province"],
    )
    with pytest.raises(InvalidValueError, match=r"date_of_birth.*column names are all different"):
        screen_table(table, ansinh.HealthCard(months=12), on=dt.date(2026, 1, 1))
