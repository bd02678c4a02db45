"""Deliveries and their documents: the faster ways give what the plain ways (kept here) give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansinh import strategies as ast
from ansinh.core.events import Event, GiftDelivered, GiftPaid
from ansinh.core.handover import Handover, _ordered, handover_deliveries
from ansinh.core.ledger import Ledger, deliveries_due, payments_due
from ansinh.core.products import ProductKind
from ansinh.core.state import LedgerState
from ansinh.io.documents import delivery_documents


def _plain_handover_deliveries(
    state: LedgerState, handovers: Iterable[Handover], *, paid: Iterable[GiftPaid], default: dt.date | None
) -> tuple[GiftDelivered, ...]:
    """handover_deliveries as it was: every gift in a dict, every ceremony asked about every default delivery."""
    ceremonies = _ordered(handovers)
    paid = tuple(paid)
    gifts = {g.id: g for g in state.gifts}
    taken: dict[str, GiftDelivered] = {}
    for h in ceremonies:
        for event in deliveries_due(state, on=h.on, paid=paid):
            if event.gift_id not in taken and h.includes(gifts[event.gift_id]):
                taken[event.gift_id] = event
    if default is not None:
        for event in deliveries_due(state, on=default, paid=paid):
            gift = gifts[event.gift_id]
            if event.gift_id not in taken and not any(h.includes(gift) for h in ceremonies):
                taken[event.gift_id] = event
    return tuple(sorted(taken.values(), key=lambda e: e.on))


def _plain_delivery_documents(
    events: Iterable[Event],
    state: LedgerState,
    deliveries: Mapping[str, Mapping[ProductKind, str]],
    handovers: Iterable[Handover],
) -> dict[str, str]:
    """delivery_documents as it was: every ceremony looked at for every delivery."""
    ceremonies = sorted(handovers, key=lambda h: h.on)
    out = {}
    for e in events:
        if isinstance(e, GiftDelivered):
            gift = state.gift(e.gift_id)
            document = deliveries.get(gift.person_id, {}).get(gift.kind)
            if not document:
                held = (h for h in ceremonies if h.on == e.on and h.reference and h.includes(gift))
                document = next((h.reference for h in held), None)
            if document:
                out[e.event_id] = document
    return out


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ast.ledgers(max_events=14), data=st.data())
def test_deliveries_and_their_documents_are_what_the_plain_ways_give(
    ledger: Ledger, data: st.DataObject
) -> None:
    state = ledger.state
    days = st.dates(ledger.campaign.start, ledger.campaign.end)
    ids = [b.pledge.id for b in state.pledges]
    ceremonies = data.draw(st.lists(ast.handovers(days=days, pledge_ids=ids), max_size=3), label="ceremonies")
    default = data.draw(st.none() | days, label="default")
    paid = payments_due(state, on=data.draw(days, label="paid on"))
    events = handover_deliveries(state, ceremonies, paid=paid, default=default)
    assert events == _plain_handover_deliveries(state, ceremonies, paid=paid, default=default)

    ledger.append_batch([*paid, *events])
    after = ledger.state
    people = sorted({g.person_id for g in after.gifts}) or ["nobody"]
    deliveries = data.draw(
        st.dictionaries(
            st.sampled_from(people),
            st.dictionaries(st.sampled_from(ProductKind), st.sampled_from(("", "HN4010123456789", "SS-1"))),
        ),
        label="deliveries",
    )
    due: list[Event] = [*paid, *events]
    assert delivery_documents(due, after, deliveries, ceremonies) == _plain_delivery_documents(
        due, after, deliveries, ceremonies
    )
