"""SQL views a reporting tool reads without ansinh, the same on SQLite and PostgreSQL.

Every store has them (made or remade whenever it is opened):

* ``ansinh_pledges`` — one row per pledge as registered: campaign, pledge,
  sponsor (id, name, kind), province, money pledged, registration date,
  whether it was withdrawn;
* ``ansinh_money_received`` — one row per sum received: campaign, pledge, date, amount;
* ``ansinh_gifts`` — one row per gift: campaign, gift, pledge, person,
  province, product kind and months, funding, payable amount (what the
  pledge pays), cover start, allocation date, and whether it was paid,
  delivered or cancelled;
* ``ansinh_pledge_balances`` — per pledge: money pledged, received, committed
  to gifts not cancelled, and paid out;
* ``ansinh_people_covered`` — per campaign, province and year of cover
  start: people covered by a gift not cancelled, and the gifts' value.

The views read the stored rows' JSON bodies (``json_extract`` on SQLite,
``jsonb`` on PostgreSQL); amounts are whole đồng.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

__all__ = ["VIEW_NAMES", "view_statements"]

Dialect = Literal["sqlite", "postgresql"]

VIEW_NAMES: Final = (
    "ansinh_pledges",
    "ansinh_money_received",
    "ansinh_gifts",
    "ansinh_pledge_balances",
    "ansinh_people_covered",
)
"""The views every store has, in the order they are made."""


def _extractors(dialect: Dialect) -> tuple[Callable[[str], str], Callable[[str], str]]:
    """``(text at path, integer at path)`` for a dotted JSON path in ``e.body``."""
    if dialect == "sqlite":
        return (lambda p: f"json_extract(e.body, '$.{p}')"), (lambda p: f"json_extract(e.body, '$.{p}')")

    def text(path: str) -> str:
        return "(e.body::jsonb #>> '{" + path.replace(".", ",") + "}')"

    return text, (lambda p: f"{text(p)}::bigint")


def view_statements(dialect: Dialect) -> tuple[str, ...]:
    """The statements that (re)make every view in *dialect*: drop, then create, each in turn."""
    t, n = _extractors(dialect)
    flag = "CASE WHEN EXISTS (SELECT 1 FROM events x WHERE x.campaign = e.campaign AND x.type = '{kind}' AND {match}) THEN 1 ELSE 0 END"
    gift_id = t("gift.id")

    def has(kind: str, path: str) -> str:
        inner = (
            f"json_extract(x.body, '$.{path}')" if dialect == "sqlite" else f"(x.body::jsonb ->> '{path}')"
        )
        return flag.format(kind=kind, match=f"{inner} = {gift_id}")

    def pledge_has(kind: str) -> str:
        inner = (
            "json_extract(x.body, '$.pledge_id')"
            if dialect == "sqlite"
            else "(x.body::jsonb ->> 'pledge_id')"
        )
        return flag.format(kind=kind, match=f"{inner} = {t('pledge.id')}")

    bodies = {
        "ansinh_pledges": (
            f"SELECT c.code AS campaign, {t('pledge.id')} AS pledge_id, {t('sponsor.id')} AS sponsor_id, "
            f"{t('sponsor.name')} AS sponsor_name, {t('sponsor.kind')} AS sponsor_kind, "
            f"COALESCE({t('pledge.province')}, {t('sponsor.province')}) AS province, "
            f"{n('pledge.money')} AS money, e.on_date AS registered_on, {pledge_has('pledge_withdrawn')} AS withdrawn "
            "FROM events e JOIN campaigns c ON c.id = e.campaign WHERE e.type = 'pledge_registered'"
        ),
        "ansinh_money_received": (
            f"SELECT c.code AS campaign, {t('pledge_id')} AS pledge_id, e.on_date AS received_on, "
            f"{n('amount')} AS amount "
            "FROM events e JOIN campaigns c ON c.id = e.campaign WHERE e.type = 'money_received'"
        ),
        "ansinh_gifts": (
            f"SELECT c.code AS campaign, {gift_id} AS gift_id, {t('gift.pledge_id')} AS pledge_id, "
            f"{t('gift.beneficiary.person_id')} AS person_id, {t('gift.beneficiary.province')} AS province, "
            f"{t('gift.product.kind')} AS product, {n('gift.product.months')} AS months, "
            f"{t('gift.funding')} AS funding, {n('gift.quote.payable')} AS payable, "
            f"{t('gift.covers_from')} AS covers_from, e.on_date AS allocated_on, "
            f"{has('gift_paid', 'gift_id')} AS paid, {has('gift_delivered', 'gift_id')} AS delivered, "
            f"{has('gift_cancelled', 'gift_id')} AS cancelled "
            "FROM events e JOIN campaigns c ON c.id = e.campaign WHERE e.type = 'gift_allocated'"
        ),
        "ansinh_pledge_balances": (
            "SELECT p.campaign, p.pledge_id, p.money, "
            "COALESCE((SELECT SUM(r.amount) FROM ansinh_money_received r "
            "WHERE r.campaign = p.campaign AND r.pledge_id = p.pledge_id), 0) AS received, "
            "COALESCE((SELECT SUM(g.payable) FROM ansinh_gifts g WHERE g.campaign = p.campaign "
            "AND g.pledge_id = p.pledge_id AND g.funding = 'money' AND g.cancelled = 0), 0) AS committed, "
            "COALESCE((SELECT SUM(g.payable) FROM ansinh_gifts g WHERE g.campaign = p.campaign "
            "AND g.pledge_id = p.pledge_id AND g.funding = 'money' AND g.cancelled = 0 AND g.paid = 1), 0) AS paid "
            "FROM ansinh_pledges p"
        ),
        "ansinh_people_covered": (
            "SELECT campaign, province, CAST(substr(covers_from, 1, 4) AS INTEGER) AS year, "
            "COUNT(DISTINCT person_id) AS people, SUM(payable) AS value, COUNT(*) AS gifts "
            "FROM ansinh_gifts WHERE cancelled = 0 "
            "GROUP BY campaign, province, CAST(substr(covers_from, 1, 4) AS INTEGER)"
        ),
    }
    drops = tuple(f"DROP VIEW IF EXISTS {name}" for name in reversed(VIEW_NAMES))
    return drops + tuple(f"CREATE VIEW {name} AS {bodies[name]}" for name in VIEW_NAMES)
