"""The ledger's fast paths give what the plain paths give."""

from __future__ import annotations

import attrs
from hypothesis import given
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.campaign import Gift, GiftStatus
from ansinh.core.ledger import _with_status


def test_a_gift_given_a_status_keeps_every_other_field() -> None:
    """``_with_status`` names each field of a gift: a new field must be passed on there too."""
    assert {a.alias for a in attrs.fields(Gift) if a.init} == {
        "id",
        "pledge_id",
        "beneficiary",
        "product",
        "quote",
        "funding",
        "covers_from",
        "priority",
        "reason",
        "status",
    }


@given(
    gift=ast.gifts(),
    status=st.sampled_from(GiftStatus),
    priority=st.integers(-(10**6), 10**6),
    reason=st.text(),
)
def test_a_gift_given_a_status_is_what_evolve_gives(
    gift: Gift, status: GiftStatus, priority: int, reason: str
) -> None:
    """The same gift as ``attrs.evolve(gift, status=…)``, field for field (and a new object)."""
    gift = attrs.evolve(gift, priority=priority, reason=reason)
    moved = _with_status(gift, status)
    assert moved == attrs.evolve(gift, status=status)
    assert attrs.astuple(moved, recurse=False) == attrs.astuple(
        attrs.evolve(gift, status=status), recurse=False
    )
    assert moved is not gift
