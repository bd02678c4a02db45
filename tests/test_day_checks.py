"""The date check (:func:`ansinh.core.dates.is_date`), the day and the province validators: the common case tested first, the same answers."""

from __future__ import annotations

import datetime as dt
import functools
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core import validators
from ansinh.core.dates import is_date
from ansinh.core.provinces import former_provinces, province, provinces
from ansinh.exceptions import InvalidPersonError, InvalidValueError


class _Day(dt.date):
    """A date subclass (not a datetime): a date."""


_VALUES = st.one_of(
    st.dates(),
    st.datetimes(),
    st.dates().map(lambda d: _Day(d.year, d.month, d.day)),
    st.none(),
    st.text(max_size=10),
    st.integers(),
)


@given(_VALUES)
def test_is_date_is_a_date_and_not_a_datetime(value: object) -> None:
    assert is_date(value) == (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


@attrs.frozen
class _Card:
    born: dt.date = attrs.field(validator=validators.day(error=InvalidPersonError))
    until: dt.date | None = attrs.field(default=None, validator=validators.day(optional=True))


@given(_VALUES)
def test_the_day_validators_accept_a_date_and_none_only_where_optional(value: object) -> None:
    wanted = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if wanted:
        _Card(value)  # type: ignore[arg-type]
    else:
        with pytest.raises(InvalidPersonError) as e:
            _Card(value)  # type: ignore[arg-type]
        assert str(e.value) == str(InvalidPersonError("born", value, "a datetime.date"))
    if wanted or value is None:
        _Card(dt.date(2000, 1, 1), value)  # type: ignore[arg-type]
    else:
        with pytest.raises(InvalidValueError) as plain:
            _Card(dt.date(2000, 1, 1), value)  # type: ignore[arg-type]
        assert type(plain.value) is InvalidValueError
        assert str(plain.value) == str(InvalidValueError("until", value, "a datetime.date"))


class _Code(str):
    """A str subclass (a code all the same)."""


_CODES = [p.code for p in provinces()]
_PROVINCE_VALUES = st.one_of(
    st.sampled_from(_CODES),
    st.sampled_from([p.code for p in former_provinces()]),
    st.sampled_from(_CODES).map(_Code),
    st.text(alphabet="0123456789 x", max_size=3),
    st.integers(0, 99),
    st.none(),
    st.lists(st.just("01"), max_size=1),  # unhashable
)


@attrs.frozen
class _Place:
    province: str = attrs.field(validator=validators.province)
    optional: str | None = attrs.field(default="01", validator=validators.optional_province)


def _refusal(build: object) -> object:
    try:
        build()  # type: ignore[operator]
    except InvalidValueError as e:
        return type(e), str(e)
    return None


@given(_PROVINCE_VALUES)
def test_the_province_validators_answer_as_the_province_table(value: object) -> None:
    # the validators answer a current code from a set; provinces.province says for anything else
    expected = _refusal(lambda: province(value))  # type: ignore[arg-type]
    assert _refusal(lambda: _Place(value)) == expected  # type: ignore[arg-type]
    assert _refusal(lambda: _Place("01", value)) == (None if value is None else expected)  # type: ignore[arg-type]


def test_the_province_validators_answer_every_short_code_as_the_province_table() -> None:
    for n in range(4):
        for value in map("".join, itertools.product("0123456789", repeat=n)):
            expected = _refusal(functools.partial(province, value))
            assert _refusal(functools.partial(_Place, value)) == expected
            assert _refusal(functools.partial(_Place, "01", value)) == expected


def test_calling_a_check_calls_its_test() -> None:
    seen: list[tuple[object, ...]] = []
    check = validators.Check(lambda *args: seen.append(args))
    check(None, "attr", 7)  # type: ignore[arg-type]
    assert seen == [(None, "attr", 7)]
    assert validators.non_empty_text.__call__ is validators.non_empty_text.test
    with pytest.raises(InvalidValueError, match="a non-empty string"):
        validators.non_empty_text(None, attrs.fields(_Place).province, " ")
