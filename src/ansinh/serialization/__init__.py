"""JSON-ready dicts for every public ansinh type, and JSON Schemas for the main documents.

This is the stable interchange format other systems use to exchange ansinh's
objects.  It follows the ``cattrs.preconf`` style: :func:`make_converter`
returns a new :class:`cattrs.Converter` configured by
:func:`configure_converter`; :data:`cattrs.global_converter` is never touched.

The package has three modules, and every name is also here:
:mod:`~ansinh.serialization.converter` (the converter and its hooks, exact
rates), :mod:`~ansinh.serialization.documents` (the versioned envelope,
reading older versions) and :mod:`~ansinh.serialization.schema` (JSON Schemas).

The format
    * dates are ISO strings (``"2026-01-01"``); enums are their values
      (``"near_poor"``);
    * money and counts are JSON integers.  A float is **refused** on the way
      in, even ``12.0``: money is whole đồng;
    * exact rates (:class:`~fractions.Fraction`) are strings: a decimal when
      the rate has a finite decimal expansion (``"0.045"``, ``"1"``), else
      ``"numerator/denominator"`` (``"1/3"``).  Both forms are read back
      exactly; a JSON number is refused for a rate;
    * products carry a ``"kind"`` tag (``"health_card"``, ``"social_book"``,
      ``"tet_gift"``) so a :data:`~ansinh.Product` can be read back; ledger
      events carry their ``"type"`` (``"gift_allocated"`` …, the class's
      ``type``) so an :data:`~ansinh.core.ledger.Event` can;
    * sets (a person's categories, a beneficiary's affiliations) are sorted
      lists, so equal objects always give equal documents;
    * a :class:`~ansinh.RateTable` is ``{"entries": [{"key": ..., "rate": ...}]}``
      (order kept); a pledge's units are ``[{"kind": ..., "count": ...}]``;
      other pairs (a priority's parts, a decision's facts) are 2-item arrays;
    * a parameter value (:class:`~ansinh.DatedValue` ``.value``) is an integer
      (amount, count), a rate string, a list of month counts, a rate table
      object, or a link object ``{"of": ..., "multiple": ...}``;
    * keys ansinh does not know are rejected (``forbid_extra_keys``).

Personal identifiers (``cccd``, ``social_insurance_number``) are written **in
full**: this is a data interchange format between trusted systems, not public
output.  Mask them (:func:`ansinh.core.people.mask_id`) before showing a
document to anyone.

Top-level documents (:func:`dump_document`, :func:`load_document`) wrap the
object in an envelope::

    {"schema_version": 2, "type": "quote", "data": {...}}

``type`` is one of :func:`document_types` (every ledger event is a
``"ledger_event"``; the event's own ``"type"`` is inside ``data``);
``schema_version`` is the type's version (:func:`schema_version`), bumped
whenever a reader of version *n* could misread a document of that type.
Version 2 of the quote and of every document holding one (gift, ledger event,
ledger state, allocation) names no person in the quote; version 1 documents
are still read (their quotes' ``person_id`` and ``province`` are dropped).  :func:`json_schema` gives a JSON
Schema (draft 2020-12) of each document type; those of the main documents
(:func:`shipped_schema_names`: quote, decision, campaign, ledger event …)
are shipped in ``ansinh/data/schemas/`` for systems in other languages
(regenerate them with ``python -m ansinh.serialization --write-schemas``).

Every error reading a document is a :class:`~ansinh.exceptions.SerializationError`
whose message lists each bad field with its path (from
:func:`cattrs.transform_error`).

>>> import datetime as dt, ansinh
>>> q = ansinh.price(ansinh.HealthCard(months=12), on=dt.date(2025, 1, 1))
>>> doc = dump_document(q)
>>> doc["schema_version"], doc["type"], doc["data"]["payable"], doc["data"]["product"]
(2, 'quote', 1263600, {'kind': 'health_card', 'months': 12, 'household_rank': 1, 'first_year': False})
>>> load_document(doc, ansinh.Quote) == q
True
>>> doc["data"]["gross"] = 1263600.0
>>> load_document(doc, ansinh.Quote)
Traceback (most recent call last):
...
ansinh.exceptions.SerializationError: cannot read a quote document: value=1263600.0 is not allowed: a whole number as a JSON integer (never a float: money is whole đồng) @ $.data.gross
"""

from __future__ import annotations

from ansinh.serialization.converter import (
    configure_converter,
    format_fraction,
    make_converter,
    parse_fraction,
)
from ansinh.serialization.documents import (
    SCHEMA_VERSION,
    document_type_name,
    document_types,
    dump_document,
    dumps_document,
    load_document,
    loads_document,
    schema_version,
)
from ansinh.serialization.schema import (
    json_schema,
    schema_of,
    schema_text,
    shipped_schema_names,
    write_schemas,
)

__all__ = [
    "SCHEMA_VERSION",
    "configure_converter",
    "document_type_name",
    "document_types",
    "dump_document",
    "dumps_document",
    "format_fraction",
    "json_schema",
    "load_document",
    "loads_document",
    "make_converter",
    "parse_fraction",
    "schema_of",
    "schema_text",
    "schema_version",
    "shipped_schema_names",
    "write_schemas",
]
