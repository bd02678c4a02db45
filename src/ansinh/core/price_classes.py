"""Price classes: the participants :func:`~ansinh.core.pricing.price` prices alike, and their quotes once per class.

Two places price many people at once and share this one rule of what
pricing reads: the ledger checks each batch of gifts with a
:class:`GiftPrices` (created for the batch), and allocation groups its
candidates by the same :class:`PriceKeys`.  A batch of gifts (an allocation)
holds many gifts that :func:`~ansinh.core.pricing.price` prices alike: the
same product on the same purchase date for people whose values pricing reads
are equal.  A :class:`GiftPrices` calls :func:`~ansinh.core.pricing.price`
for the first gift of each class and hands the same quote to the others, so
the ledger compares each gift's quote with exactly what
:func:`~ansinh.core.pricing.price` returns.

The key of a class (:meth:`PriceKeys.key`) is every value :func:`~ansinh.core.pricing.price` reads
about the beneficiary that can change its result for this ledger's top-ups
and commune lists: always the categories, the province and, for a book, the
months of state support already used; the address (commune, former district,
former province) only where a top-up of that province, product and date is
keyed by area (:attr:`LocalSupport.area_keyed <ansinh.core.shares.LocalSupport.area_keyed>`)
or commune lists are in play for a card; the day out of poverty only where
such a top-up limits a group in months; the age on the purchase date (what
:meth:`~ansinh.core.shares.LocalSupport.for_person` reads of the date of birth) only where one is
for an age band.  Elsewhere pricing never reads them (a top-up that is not
area-keyed covers every address of its province; :meth:`for_person
<ansinh.core.shares.LocalSupport.for_person>` drops no group of a top-up
without month or age limits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable

from ansinh.core.campaign import Beneficiary, Gift
from ansinh.core.law import Law
from ansinh.core.people import Person, age_on
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport, Quote, price
from ansinh.core.products import ProductKind

__all__ = ["GiftPrices", "PriceKeys"]

_Reads = tuple[bool, bool, bool]
"""Whether pricing reads the address, the day out of poverty and the date of birth."""


class PriceKeys:
    """The key of the price class of a participant, for some top-ups and commune lists (see the module docstring).

    Equal keys (with the same product and purchase date) mean equal results of
    :func:`~ansinh.core.pricing.price`.  Create one per batch or allocation (it
    keeps what pricing reads for each province, kind and date it met).

    Args:
        local_supports: the provincial top-ups pricing considers.
        commune_lists: the commune lists pricing considers.

    Without top-ups or commune lists, where someone lives does not change a price:

    >>> import datetime as dt
    >>> from ansinh.core.people import Category, Person
    >>> from ansinh.core.products import ProductKind
    >>> def person(pid: str, commune: str) -> Person:
    ...     return Person(id=pid, full_name="A", date_of_birth=dt.date(1980, 1, 1), province="01",
    ...                   commune=commune, categories=frozenset({Category.NEAR_POOR}))
    >>> keys = PriceKeys((), ())
    >>> on = dt.date(2026, 1, 5)
    >>> keys.key(person("P1", "00001"), ProductKind.HEALTH_CARD, on) == keys.key(
    ...     person("P2", "00004"), ProductKind.HEALTH_CARD, on)
    True
    """

    def __init__(
        self, local_supports: tuple[LocalSupport, ...], commune_lists: tuple[CommuneList, ...]
    ) -> None:
        self._supports = local_supports
        self._lists = commune_lists
        self._reads: dict[tuple[str, ProductKind, dt.date], _Reads] = {}

    def _reads_of(self, province: str, kind: ProductKind, on: dt.date) -> _Reads:
        """What pricing reads beyond categories, province and supported months, for *province*, *kind*, *on*."""
        where = (province, kind, on)
        reads = self._reads.get(where)
        if reads is None:
            applying = [s for s in self._supports if s.applies(province, kind, on)]
            reads = self._reads[where] = (
                any(s.area_keyed for s in applying)
                or (kind is ProductKind.HEALTH_CARD and bool(self._lists)),
                any(s.group_months for s in applying),
                any(s.age_keyed for s in applying),
            )
        return reads

    def key(self, who: Beneficiary | Person, kind: ProductKind, on: dt.date) -> Hashable:
        """What :func:`~ansinh.core.pricing.price` reads about *who* for a product of *kind* on *on*."""
        province = who.province
        # the memo read inline (a call fewer per participant); a 3-tuple is never false
        address, left, born = self._reads.get((province, kind, on)) or self._reads_of(province, kind, on)
        return (
            who.categories,
            province,
            who.vsi_supported_months if kind is ProductKind.SOCIAL_BOOK else 0,
            (who.commune, who.district, who.former_province) if address else None,
            who.left_poverty_on if left else None,
            age_on(who.date_of_birth, on) if born and who.date_of_birth is not None else None,
        )


class GiftPrices:
    """:func:`~ansinh.core.pricing.price` of gifts' products for their beneficiaries, once per price class.

    Create one per batch (it keeps every class it met).  :meth:`quote`
    raises what :func:`~ansinh.core.pricing.price` raises.
    """

    def __init__(
        self, law: Law, local_supports: tuple[LocalSupport, ...], commune_lists: tuple[CommuneList, ...]
    ) -> None:
        self._law = law
        self._supports = local_supports
        self._lists = commune_lists
        self._keys = PriceKeys(local_supports, commune_lists)
        self._quotes: dict[Hashable, Quote] = {}

    def quote(self, gift: Gift) -> Quote:
        """The law's price of *gift*'s product for its beneficiary on its purchase date.

        Raises:
            AnsinhError: what :func:`~ansinh.core.pricing.price` raises for it.
        """
        who, product, on = gift.beneficiary, gift.product, gift.purchased_on
        key = (product, on, self._keys.key(who, product.kind, on))
        quote = self._quotes.get(key)
        if quote is None:
            quote = self._quotes[key] = price(
                product,
                who,
                on=on,
                law=self._law,
                local_supports=self._supports,
                commune_lists=self._lists,
            )
        return quote
