"""The date check (:func:`ansinh.core.dates.is_date`) and the day validators: the common case tested first, the same answers."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core import validators
from ansinh.core.dates import is_date
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
        with pytest.raises(InvalidPersonError):
            _Card(value)  # type: ignore[arg-type]
    if wanted or value is None:
        _Card(dt.date(2000, 1, 1), value)  # type: ignore[arg-type]
    else:
        with pytest.raises(InvalidValueError):
            _Card(dt.date(2000, 1, 1), value)  # type: ignore[arg-type]
