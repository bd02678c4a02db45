"""Running a campaign end to end: files in, ledger and report out.

:func:`run_campaign` does what a province office does with one year's
programme, from a campaign folder (:mod:`ansinh.io.campaign_files`):

1. read ``campaign.toml``, the sponsors, the pledges and the roster (bad
   rows are kept out and listed, never silently dropped);
2. screen the roster for each kind of gift the pledges name
   (:func:`ansinh.core.eligibility.screen`);
3. record the pledges and the money received in the ledger
   (a SQLite store, ``<out>/ledger.sqlite``);
4. allocate (:func:`ansinh.core.allocation.allocate`) and record each gift;
5. pay every gift whose pledge has received enough money, and mark paid gifts
   delivered on the handover date, if the campaign file gives one
   (:func:`~ansinh.core.ledger.payments_due`, :func:`~ansinh.core.ledger.deliveries_due`);
6. write the report files (:func:`ansinh.io.report_files.write_report`) and
   the events as JSON Lines (``<out>/events.jsonl``).

Every event has a stable id, so running the same folder again into the same
``out`` folder adds nothing: the ledger is unchanged and the report the same.
If the files changed in a way the ledger cannot take (a pledge amended after
gifts were bought with it), the run stops with the ledger's reason; use a new
``out`` folder or record the amendment.

Plugins reach the run only through plain arguments (``local_supports``,
``rules``, ``extra_priority``); the plugin layer collects them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import attrs

from ansinh.core.allocation import Allocation, allocate
from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import PriorityParts, Rule, Screening, screen
from ansinh.core.law import Law
from ansinh.core.ledger import Event, MoneyReceived, PledgeRegistered, deliveries_due, payments_due
from ansinh.core.people import Person
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.reporting import CampaignReport, report
from ansinh.io.campaign_files import CampaignFolder, read_campaign_folder
from ansinh.io.report_files import ReportFiles, write_report
from ansinh.io.roster import RejectedRow
from ansinh.io.store import SqliteStore, write_jsonl

__all__ = ["CampaignRun", "Progress", "run_campaign"]

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called as each long step advances."""


@attrs.frozen(kw_only=True)
class CampaignRun:
    """What :func:`run_campaign` did, and where it put the results."""

    campaign: Campaign
    out: Path
    """The output folder."""
    store: Path
    """The SQLite ledger."""
    events_file: Path
    """The ledger's events as JSON Lines."""
    files: ReportFiles
    report: CampaignReport
    allocation: Allocation
    """The gifts this run proposed (none when an earlier run already allocated everything)."""
    screened: tuple[tuple[ProductKind, int, int], ...]
    """``(kind, eligible, ineligible)`` for each kind of gift screened."""
    rejected: tuple[tuple[str, RejectedRow], ...]
    """``(file, problem)`` for every row kept out: sponsors, pledges and roster."""
    duplicates: int
    """People flagged as appearing twice in the roster."""
    new_events: int
    """Events this run added to the ledger (0 on a repeated run)."""

    @property
    def summary_vi(self) -> str:
        """The Vietnamese summary of the report."""
        return self.report.summary_vi()

    @property
    def summary_en(self) -> str:
        """The English summary of the report."""
        return self.report.summary_en()


def _products(folder: CampaignFolder) -> dict[ProductKind, Product]:
    s = folder.settings
    needed = {s.money_buys} if any(p.money for p in folder.pledges) else set()
    for p in folder.pledges:
        needed |= {kind for kind, n in p.units if n}
    out: dict[ProductKind, Product] = {}
    if ProductKind.HEALTH_CARD in needed:
        out[ProductKind.HEALTH_CARD] = HealthCard(months=s.card_months)
    if ProductKind.SOCIAL_BOOK in needed:
        out[ProductKind.SOCIAL_BOOK] = SocialBook(months=s.book_months)
    if ProductKind.TET_GIFT in needed and s.tet_gift_value:
        out[ProductKind.TET_GIFT] = TetGift(value=s.tet_gift_value)
    return out


def run_campaign(
    folder: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    law: Law | None = None,
    local_supports: Sequence[LocalSupport] = (),
    rules: Sequence[Rule] = (),
    extra_priority: Callable[[Person], PriorityParts] | None = None,
    progress: Progress | None = None,
) -> CampaignRun:
    """Run the campaign in *folder*; see the module docstring for the steps.

    Args:
        folder: the campaign folder (``campaign.toml``, ``sponsors.csv``,
            ``pledges.csv``, ``roster.csv``).
        out: where to write the ledger and the report (default: ``<folder>/build``).
        law: the law that prices gifts (default: :func:`ansinh.default_law`).
        local_supports: provincial top-ups pricing considers.
        rules: extra eligibility rules.
        extra_priority: extra priority parts for a person (e.g. from plugins).
        progress: ``progress(step, done, total)`` for long steps; the steps are
            ``"read"``, ``"screen"``, ``"record"``, ``"allocate"``, ``"pay"`` and ``"report"``.

    Returns:
        A :class:`CampaignRun` with the report and the files written.

    Raises:
        InvalidValueError: a campaign file cannot be read at all.
        RosterError: the roster cannot be read at all.
        InvariantViolation: the ledger in *out* refuses what the files say now.
        LedgerError: the store in *out* belongs to another campaign or is unusable.
    """

    from ansinh.api import resolve_law

    law = resolve_law(law)

    def tick(step: str, done: int, total: int) -> None:
        if progress is not None:
            progress(step, done, total)

    tick("read", 0, 1)
    data = read_campaign_folder(folder)
    tick("read", 1, 1)
    campaign, settings = data.campaign, data.settings
    out_dir = Path(out) if out is not None else data.folder / "build"

    products = _products(data)
    screenings: dict[ProductKind, Screening] = {}
    for n, (kind, product) in enumerate(products.items()):
        tick("screen", n, len(products))
        screenings[kind] = screen(
            data.roster,
            product,
            on=settings.purchase_date,
            campaign=campaign,
            law=law,
            rules=rules,
            extra_priority=extra_priority,
        )
    tick("screen", len(products), len(products))

    with SqliteStore(out_dir / "ledger.sqlite", campaign, law=law, local_supports=local_supports) as store:
        before = len(store)
        sponsors = {s.id: s for s in data.sponsors}
        registered = dict(data.registered_on)
        events: list[Event] = [
            PledgeRegistered(
                event_id=f"reg:{p.id}", on=registered[p.id], sponsor=sponsors[p.sponsor_id], pledge=p
            )
            for p in data.pledges
        ]
        counts: dict[str, int] = {}
        for r in data.receipts:
            counts[r.pledge_id] = counts.get(r.pledge_id, 0) + 1
            events.append(
                MoneyReceived(
                    event_id=f"recv:{r.pledge_id}:{counts[r.pledge_id]}",
                    on=r.on,
                    pledge_id=r.pledge_id,
                    amount=r.amount,
                )
            )
        store.extend(events, progress=lambda d, t: tick("record", d, t))

        tick("allocate", 0, 1)
        candidates = [d for s in screenings.values() for d in s.eligible]
        allocation = allocate(
            store.state,
            candidates,
            on=settings.purchase_date,
            law=law,
            local_supports=local_supports,
            affiliations=data.affiliation_map(),
            money_buys=settings.money_buys,
        )
        tick("allocate", 1, 1)
        store.extend(allocation.events(), progress=lambda d, t: tick("allocate", d, t))

        paid = payments_due(store.state, on=settings.purchase_date)
        payments: list[Event] = list(paid)
        if settings.handover_date is not None:
            payments += deliveries_due(store.state, on=settings.handover_date, paid=paid)
        store.extend(payments, progress=lambda d, t: tick("pay", d, t))

        tick("report", 0, 1)
        state = store.state
        new_events = len(store) - before
        events_file = write_jsonl(out_dir / "events.jsonl", store.events)
        store_path = store.path
    result = report(state, on=settings.effective_report_date, renewal_days=settings.renewal_days)
    files = write_report(result, out_dir)
    tick("report", 1, 1)
    roster_rejected = tuple((data.roster.source, r) for r in data.roster.rejected)
    return CampaignRun(
        campaign=campaign,
        out=out_dir,
        store=store_path,
        events_file=events_file,
        files=files,
        report=result,
        allocation=allocation,
        screened=tuple((k, len(s.eligible), len(s.ineligible)) for k, s in screenings.items()),
        rejected=data.rejected + roster_rejected,
        duplicates=len(data.roster.duplicates),
        new_events=new_events,
    )
