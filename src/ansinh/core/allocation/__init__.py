"""Matching pledges to eligible candidates, explainably.

:func:`allocate` takes the ledger's state (pledges and what they have left)
and the screened candidates, and proposes gifts:

1. Pledges are served in a fixed order: earmarked pledges first (they can pay
   for the fewest people), then pledges for one province, then national ones;
   ties by pledge id.
2. Unit pledges ("10 thẻ BHYT") go first: each unit goes to the best-ranked
   candidate for that kind of gift whom the pledge may pay for and who has no
   gift of that kind yet.
3. Then money buys gifts (``money_buys``: cards by default) by priority: the
   best-ranked candidate whose gift the money left can pay for; a candidate
   too dear for what is left is passed over for the next one, never the other
   way round.
4. Whatever is left — units without a candidate, money smaller than any
   remaining gift — is reported in :attr:`Allocation.leftovers`, never lost.

Candidates are screened decisions: objects with ``.person``, ``.product``
and ``.priority.score`` (an :class:`ansinh.core.eligibility.Decision`, or a
:class:`Candidate`); an optional ``.valid_from`` is the first day a card can
cover.  Ranking is by score, highest first, then the older person, then the
person id (as :func:`ansinh.core.eligibility.ranking_key`), so the result is
deterministic whatever order the candidates come in.  Every gift says why
this person and which pledge pays (:attr:`~ansinh.core.campaign.Gift.reason`).

Each gift is priced with :func:`~ansinh.core.pricing.price` on the purchase
date *on*, so the proposed gifts pass the ledger's price check.  Prices are
computed once per price class (the product, and what pricing reads of the
person: categories, province, supported months and, where a top-up or commune
list of their province reads them, address, day out of poverty or age; the key
the ledger checks gifts by) and the class's gifts share its quote;
the work grows with the number of candidates and gifts, not with candidates
× pledges (``benchmarks/bench_allocation.py`` measures a national campaign).
Every :class:`~ansinh.core.campaign.Gift` is built with its constructor
before :func:`allocate` returns, so a value it refuses raises there.

The package's modules: :mod:`~ansinh.core.allocation.ranking` (candidates
best first, by kind, with their price classes),
:mod:`~ansinh.core.allocation.pools` (whom a pledge may pay for; price
tiers), :mod:`~ansinh.core.allocation.matching` (pledge order, units then
money, the gifts) and :mod:`~ansinh.core.allocation.leftovers`.

>>> import datetime as dt
>>> import ansinh
>>> from ansinh.core.campaign import Campaign, Pledge, Sponsor
>>> from ansinh.core.eligibility import Priority
>>> from ansinh.core.ledger import Ledger, PledgeRegistered
>>> from ansinh.core.people import Category, Person
>>> from ansinh.core.products import HealthCard
>>> c = Campaign(code="BN2026", name="Xuân Bính Ngọ 2026",
...              start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> law = ansinh.default_law()
>>> ledger = Ledger(c, law=law)
>>> _ = ledger.append(PledgeRegistered(
...     event_id="e1", on=dt.date(2025, 11, 1),
...     sponsor=Sponsor(id="S1", name="Ngân hàng A", kind="bank"),
...     pledge=Pledge(id="P1", sponsor_id="S1", money=1_000_000)))
>>> people = [Person(id=f"HP-{i}", full_name="Nguyễn Văn A", date_of_birth=dt.date(1960, 1, 1),
...                  province="31", categories={Category.NEAR_POOR}) for i in range(5)]
>>> cands = [Candidate(person=p, product=HealthCard(months=12), priority=Priority.of((("NEAR_POOR", 10 - i),)))
...          for i, p in enumerate(people)]
>>> result = allocate(ledger.state, cands, on=dt.date(2026, 1, 5), law=law)
>>> [(g.person_id, g.amount) for g in result.gifts]
[('HP-0', 379080), ('HP-1', 379080)]
>>> result.leftovers[0].money_left
241840
>>> result.gifts[0].quote is result.gifts[1].quote  # one price class, one quote
True
"""

from ansinh.core.allocation.leftovers import Leftover
from ansinh.core.allocation.matching import Allocation, allocate
from ansinh.core.allocation.ranking import Candidate, CandidateLike

__all__ = [
    "Allocation",
    "Candidate",
    "CandidateLike",
    "Leftover",
    "allocate",
]
