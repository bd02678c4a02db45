"""The report's fast paths give what the plain paths give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import Gift
from ansinh.core.products import ProductKind
from ansinh.core.reporting import _Facts

_KEYS: dict[str, Callable[[str, dt.date, ProductKind], str]] = {
    "pledge": lambda p, d, k: p,
    "year": lambda p, d, k: str(d.year),
    "kind": lambda p, d, k: k.value,
    "all three": lambda p, d, k: f"{p}|{d.isoformat()}|{k.value}",
    "one key": lambda p, d, k: "",
}

# a few gifts, each drawn again and again: people and classes with several gifts
_GIFT_LISTS = st.lists(ast.gifts(), min_size=1, max_size=5).flatmap(
    lambda gifts: st.lists(st.sampled_from(gifts), max_size=20)
)


@given(gifts=_GIFT_LISTS, key=st.sampled_from(sorted(_KEYS)))
def test_counting_the_classes_is_counting_the_gifts(gifts: list[Gift], key: str) -> None:
    """A key of a gift's (pledge, purchase date, kind) counts the same through its classes as gift by gift."""
    key_of = _KEYS[key]
    facts = _Facts(gifts)
    by_gift = facts.by_column([key_of(g.pledge_id, g.purchased_on, g.kind) for g in gifts])
    assert facts.by_class(facts.classes(), key_of) == by_gift
    assert sum(facts.classes().values()) == len(gifts)
