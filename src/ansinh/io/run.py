"""Running a campaign end to end: files in, plugins asked, ledger and report out.

:func:`run_campaign` does what a province office does with one year's
programme, from a campaign folder (:mod:`ansinh.io.campaign_files`):

1. read ``campaign.toml``, the sponsors, the pledges and the roster (bad
   rows are kept out and listed, never silently dropped);
2. give each plugin its ``[plugins.NAME]`` settings, ask the plugins for their
   parameters (added to the law), the whole table of provincial top-ups, the
   dated commune lists (with those of the folder's ``commune_lists.toml``, which
   win for a code both have: :mod:`ansinh.io.commune_lists`) and
   their eligibility rules for each kind of gift, and run each ``[[sourcing]]``
   strategy with its inputs (its sponsors and pledges join those of the files);
3. screen the roster for each kind of gift the pledges name
   (:func:`ansinh.core.eligibility.screen`), with the plugins' rules, the
   rule refusing people another campaign already covers the same months
   (``COVERED_ELSEWHERE``, when ``[[run.registry]]`` or ``registry=`` names
   other campaigns' stores: :meth:`ansinh.core.registry.Registry.rule`) and
   priority parts, the top-ups and the commune lists (a gift the budgets pay
   in full is ``FULLY_SUPPORTED``: not a candidate), and the province's points
   table if the folder has a ``priority.toml`` (:mod:`ansinh.io.priority_files`);
4. record the pledges and the money received in the ledger
   (a SQLite store, ``<out>/ledger.sqlite``), as one batch; the batch
   that would start a new store is checked before the store is made, so a
   batch the ledger refuses leaves no store behind (a store holding the
   campaign would refuse a corrected ``campaign.toml``);
5. if the folder has a ``review.toml`` (:mod:`ansinh.io.review_files`), post
   the screened list (``public-list-<kind>.md`` says where and until when, and
   where to object), apply the objections and the approval; only the people
   the approved list names can receive a gift;
6. allocate (:func:`ansinh.core.allocation.allocate`) and record the gifts
   as one batch (all of them, or none); an earmarked pledge (workers'
   relatives, members) pays for the people the roster's ``Đơn vị liên quan``
   column links to its target, and for those a plugin's
   :func:`~ansinh.hookspecs.ansinh_earmark_matches` says belong to it;
7. pay every gift whose pledge has received enough money, and mark paid gifts
   delivered at the ``[[handover]]`` ceremony that includes them, else on the
   handover date, if the campaign file gives one
   (:func:`~ansinh.core.ledger.payments_due`, :func:`~ansinh.core.handover.handover_deliveries`);
8. write the report files (:func:`ansinh.io.report_files.write_report`) —
   ``report.md`` and ``report.html`` in the folder's ``[report] template``
   layout, else a plugin's (:func:`~ansinh.hookspecs.ansinh_report_templates`),
   else ansinh's default (:mod:`ansinh.io.report_templates`) — and the
   ledger's events as JSON Lines (``<out>/events.jsonl``) when asked
   (``events_jsonl=True``, ``--events-jsonl``, or ``events_jsonl = true`` in
   ``[run]``: the ledger holds them all, and a national run's file is
   hundreds of megabytes); the report files are written all of them, or none.

The ``[run]`` settings and the output folder are checked before anything is
written (:func:`ansinh.io.run_checks.check_run`); an error met once events
were written says how to finish: run again (:func:`~ansinh.io.run_checks.resumable`).

Every plugin is asked, and the report templates are compiled, before the ledger
is opened, so a failing plugin (:class:`~ansinh.exceptions.PluginError`) or a
template with a syntax error leaves the output folder as it was.  A template that
fails while rendering stops the run after the ledger is written, with the report
files as they were; running again once it is fixed records nothing twice.

Every event has a stable id, so running the same folder again into the same
``out`` folder adds nothing: the ledger is unchanged and the report the same.
If the files changed in a way the ledger cannot take (a pledge amended after
gifts were bought with it), the run stops with the ledger's reason; use a new
``out`` folder or record the amendment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import attrs
import pluggy

from ansinh.api import affiliations_from_plugins, resolve_law, resolve_plugins
from ansinh.core.allocation import Allocation, allocate
from ansinh.core.audit import Actor
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.display import Section, html_summary
from ansinh.core.eligibility import (
    DEFAULT_PRIORITY_POLICY,
    CheckContext,
    Decision,
    PriorityParts,
    PriorityPolicy,
    Reason,
    Rule,
    Screening,
    screen,
)
from ansinh.core.handover import handover_deliveries
from ansinh.core.identifiers import mask_digits
from ansinh.core.law import Law
from ansinh.core.ledger import (
    Event,
    Ledger,
    MoneyReceived,
    PledgeRegistered,
    payments_due,
)
from ansinh.core.messages import shorten
from ansinh.core.people import Person
from ansinh.core.places import CommuneList
from ansinh.core.pricing import LocalSupport
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.core.registry import Holding, Registry, holdings
from ansinh.core.reporting import CampaignReport, report
from ansinh.core.review import CandidateList, ObjectionKind, Outcome, ReviewStatus
from ansinh.exceptions import CampaignFileError, InvalidValueError, LedgerError
from ansinh.hookspecs import SourcingResult
from ansinh.io.campaign_files import CampaignFolder, Receipt, read_campaign_folder
from ansinh.io.campaign_toml import RegistrySource
from ansinh.io.commune_lists import COMMUNE_LISTS_FILE, merge_commune_lists, read_commune_lists
from ansinh.io.documents import (
    DELIVERIES_FILE,
    allocation_documents,
    delivery_documents,
    read_deliveries,
    receipt_documents,
)
from ansinh.io.priority_files import PRIORITY_FILE, read_priority_policy
from ansinh.io.public_list import write_public_list
from ansinh.io.report_files import ReportFiles, write_report
from ansinh.io.report_templates import ReportLayout, plugin_report_layout
from ansinh.io.review_files import REVIEW_FILE, apply_review, read_review
from ansinh.io.roster import RejectedRow, load_roster
from ansinh.io.run_checks import check_run, resumable
from ansinh.io.store import SqliteStore, open_store, write_jsonl
from ansinh.plugin_manager import PluginHost
from ansinh.progress import counted

__all__ = ["CampaignRun", "Progress", "run_campaign"]

Progress = Callable[[str, int, int], None]
"""``progress(step, done, total)``: called as each long step advances."""


@attrs.frozen(kw_only=True, repr=False)
class CampaignRun:
    """What :func:`run_campaign` did, and where it put the results.

    Its ``repr`` is short (counts and paths, never the people) and every run
    of nine or more digits in it is masked.
    """

    campaign: Campaign
    out: Path
    """The output folder."""
    store: Path
    """The SQLite ledger."""
    events_file: Path | None
    """The ledger's events as JSON Lines; ``None`` when the run was not asked to write them."""
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
    sourcing: tuple[SourcingResult, ...] = ()
    """What each ``[[sourcing]]`` strategy produced, with its assumptions, in file order."""
    review: CandidateList | None = None
    """The approved list, when the folder has a ``review.toml`` (:mod:`ansinh.io.review_files`)."""
    public_lists: tuple[Path, ...] = ()
    """The public lists written for the review, one per kind of gift screened."""

    def __repr__(self) -> str:
        return mask_digits(
            f"CampaignRun(campaign={shorten(self.campaign.code)!r}, out={str(self.out)!r}, "
            f"gifts={len(self.allocation.gifts)}, rejected={len(self.rejected)}, "
            f"duplicates={self.duplicates}, new_events={self.new_events})"
        )

    def _repr_html_(self) -> str:
        screened = [(kind.label_en, good, bad) for kind, good, bad in self.screened]
        rejected = [(Path(f).name, r.row, r.column, r.reason) for f, r in self.rejected]
        notes = [(s.strategy, note) for s in self.sourcing for note in s.assumptions]
        return (
            html_summary(
                f"CampaignRun {self.campaign.code}",
                [("summary", self.summary_en), ("output", str(self.out)), ("new events", self.new_events)],
                [
                    Section("screened", ("gift", "eligible", "not eligible"), screened, open=True),
                    Section("sourcing", ("strategy", "assumption"), notes),
                    Section("rows kept out", ("file", "row", "column", "why"), rejected),
                ],
            )
            + self.report._repr_html_()
            + self.allocation._repr_html_()
        )

    @property
    def summary_vi(self) -> str:
        """The Vietnamese summary of the report."""
        return self.report.summary_vi()

    @property
    def summary_en(self) -> str:
        """The English summary of the report."""
        return self.report.summary_en()


@attrs.frozen
class _KindRule:
    """A plugin rule that applies to one kind of gift only (a run screens several kinds)."""

    kind: ProductKind
    rule: Rule

    @property
    def code(self) -> str:
        """The wrapped rule's code."""
        return self.rule.code

    def evaluate(self, ctx: CheckContext) -> Reason | None:
        """The wrapped rule's reason for gifts of :attr:`kind`; ``None`` for other gifts."""
        return self.rule.evaluate(ctx) if ctx.product.kind is self.kind else None


@attrs.frozen(kw_only=True)
class _Contributions:
    """What the plugins add to a run, as the plain arguments the core takes."""

    law: Law
    local_supports: tuple[LocalSupport, ...] = ()
    commune_lists: tuple[CommuneList, ...] = ()
    rules: tuple[Rule, ...] = ()
    host: PluginHost | None = None
    policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY

    def extra_priority(self, campaign: Campaign) -> Callable[[Person], PriorityParts] | None:
        return self.host.priority_function(campaign) if self.host is not None else None


def _contributions(
    law: Law | None, plugins: PluginHost | pluggy.PluginManager | bool | None, data: CampaignFolder
) -> _Contributions:
    law = resolve_law(law)
    host = resolve_plugins(plugins)
    path = data.folder / COMMUNE_LISTS_FILE
    own = read_commune_lists(path) if path.is_file() else ()
    if host is None:
        if data.plugin_settings:
            name = next(iter(data.plugin_settings))
            raise CampaignFileError(f"campaign.toml [plugins.{name}]", name, "settings of a loaded plugin")
        return _Contributions(law=law, commune_lists=own)
    try:
        host = host.configured(data.plugin_settings)
    except InvalidValueError as exc:
        raise CampaignFileError(f"campaign.toml [{exc.field}]", exc.value, exc.allowed) from None
    return _Contributions(
        law=host.law_with_parameters(law),
        local_supports=host.all_local_supports(),
        commune_lists=merge_commune_lists(own, host.all_commune_lists()),
        rules=tuple(_KindRule(kind, rule) for kind in ProductKind for rule in host.eligibility_rules(kind)),
        host=host,
    )


def _sourced(
    data: CampaignFolder, host: PluginHost | None
) -> tuple[CampaignFolder, tuple[SourcingResult, ...]]:
    """*data* with the sponsors and pledges of its ``[[sourcing]]`` strategies added."""
    if not data.sourcing:
        return data, ()
    if host is None:
        raise CampaignFileError(
            "campaign.toml [[sourcing]]", data.sourcing[0].strategy, "plugins (not --no-plugins)"
        )
    results: list[SourcingResult] = []
    sponsors: dict[str, Sponsor] = {s.id: s for s in data.sponsors}
    pledges: list[Pledge] = list(data.pledges)
    dates, receipts = list(data.registered_on), list(data.receipts)
    for n, plan in enumerate(data.sourcing, 1):
        where = f"campaign.toml [[sourcing]] #{n} ({plan.strategy})"
        try:
            result = host.source(plan.strategy, plan.inputs, data.campaign)
        except InvalidValueError as exc:
            raise CampaignFileError(f"{where} {exc.field}", exc.value, exc.allowed) from None
        for sponsor in result.sponsors:
            if sponsors.setdefault(sponsor.id, sponsor) != sponsor:
                raise CampaignFileError(f"{where} sponsor", sponsor.id, "a sponsor id not used otherwise")
        known = {p.id for p in pledges}
        for pledge in result.pledges:
            if pledge.id in known or pledge.sponsor_id not in sponsors:
                raise CampaignFileError(f"{where} pledge", pledge.id, "a new pledge id of a known sponsor")
            pledges.append(pledge)
            dates.append((pledge.id, plan.registered_on or data.campaign.start))
            if plan.received_on is not None and pledge.money:
                receipts.append(Receipt(pledge_id=pledge.id, on=plan.received_on, amount=pledge.money))
        results.append(result)
    sourced = attrs.evolve(
        data,
        sponsors=tuple(sponsors.values()),
        pledges=tuple(pledges),
        registered_on=tuple(dates),
        receipts=tuple(receipts),
    )
    return sourced, tuple(results)


def _products(folder: CampaignFolder) -> dict[ProductKind, Product]:
    """One product for each kind of gift the pledges can buy, as the campaign file sets it."""
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


def _policy(data: CampaignFolder, host: PluginHost | None) -> PriorityPolicy:
    """The folder's ``priority.toml``, else a plugin's table (``ansinh_priority_policy``), else ansinh's default."""
    path = data.folder / PRIORITY_FILE
    if path.is_file():
        return read_priority_policy(path)
    from_plugin = host.priority_policy(data.campaign) if host is not None else None
    return from_plugin or DEFAULT_PRIORITY_POLICY


def _layout(data: CampaignFolder, host: PluginHost | None) -> ReportLayout | None:
    """The folder's ``[report] template``, else a plugin's templates, else ``None`` (the default), compiled."""
    layout = data.report_layout
    if layout is None and host is not None:
        layout = plugin_report_layout(host, data.campaign)
    if layout is not None:
        layout.check()
    return layout


def _screen(
    data: CampaignFolder,
    given: _Contributions,
    tick: Progress,
    people: tuple[Person, ...] | None = None,
) -> dict[ProductKind, Screening]:
    """The roster (or *people*) screened for each kind of gift the pledges can buy."""
    products = _products(data)
    extra_priority = given.extra_priority(data.campaign)
    policy = given.policy
    screenings: dict[ProductKind, Screening] = {}
    chosen = data.roster.people if people is None else people
    total = len(chosen) * len(products)
    for n, (kind, product) in enumerate(products.items()):
        before = n * len(chosen)
        tick("screen", before, total)
        screenings[kind] = screen(
            counted(chosen, lambda done: tick("screen", before + done, total)),  # noqa: B023 - used at once
            product,
            on=data.settings.purchase_date,
            campaign=data.campaign,
            law=given.law,
            rules=given.rules,
            extra_priority=extra_priority,
            priority_policy=policy,
            local_supports=given.local_supports,
            commune_lists=given.commune_lists,
        )
    if ProductKind.TET_GIFT in screenings:
        screenings[ProductKind.TET_GIFT] = _at_hospitals(screenings[ProductKind.TET_GIFT], data)
    return screenings


def _at_hospitals(screening: Screening, data: CampaignFolder) -> Screening:
    """The Tết gift screening, each patient's gift naming their hospital and its level (roster ``Bệnh viện``, ``Tuyến``).

    No rule of a Tết gift reads the hospital, so each decision stands; only the gift it is for names it.
    """
    where = dict(data.hospitals)

    def named(d: Decision) -> Decision:
        found = where.get(d.person.id)
        if found is None or not isinstance(d.product, TetGift):
            return d
        gift = attrs.evolve(d.product, hospital=found[0], hospital_level=found[1])
        return attrs.evolve(d, product=gift)

    if not where:
        return screening
    return attrs.evolve(
        screening,
        eligible=tuple(map(named, screening.eligible)),
        ineligible=tuple(map(named, screening.ineligible)),
    )


def _held(
    source: RegistrySource, given: _Contributions, people: tuple[Person, ...], own: str
) -> list[Holding]:
    """The active gifts of every campaign of *source*'s store but *own*, with their people.

    The store is read with this run's law and top-ups: its gifts' amounts are checked against them.
    """
    held: list[Holding] = []
    with open_store(
        source.store, law=given.law, local_supports=given.local_supports, commune_lists=given.commune_lists
    ) as store:
        for other in store.campaigns():
            if other.code != own:
                held += holdings(store.ledger_of(other.code).state, people)
    return held


def _registry_rules(
    data: CampaignFolder, given: _Contributions, extra: tuple[RegistrySource, ...]
) -> tuple[Rule, ...]:
    """The rule refusing people other campaigns' gifts already cover the same months (none without sources).

    Each source's store is read campaign by campaign (this campaign's own gifts
    are the ledger's business); its roster says who each gift's person is.

    Raises:
        CampaignFileError: a store or roster is missing, a gift's person is not in its roster,
            or a store cannot be read (another law or other top-ups, damaged).
    """
    held: list[Holding] = []
    for n, source in enumerate(data.settings.registry + extra, 1):
        where = f"registry #{n}"
        if not source.store.is_file():
            raise CampaignFileError(f"{where} store", str(source.store), "an existing store (ledger.sqlite)")
        people = load_roster(source.roster).people
        try:
            held += _held(source, given, people, data.campaign.code)
        except LedgerError as exc:
            raise CampaignFileError(
                f"{where} store",
                str(source.store),
                f"a store priced under this run's law and top-ups ({exc})",
            ) from None
        except InvalidValueError as exc:
            raise CampaignFileError(
                f"{where} roster", str(source.roster), f"a roster holding {exc.allowed}"
            ) from None
    if not held:
        return ()
    return (Registry(held).rule(campaign=data.campaign.code),)


def _pledge_events(data: CampaignFolder) -> list[Event]:
    """Each pledge registered, and each sum received (ids ``reg:<pledge>``, ``recv:<pledge>:<n>``)."""
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
    return events


def _check_pledges(campaign: Campaign, given: _Contributions, pledged: list[Event]) -> None:
    """Check the pledge batch that would start a new store, in a ledger of its own.

    Raises:
        InvariantViolation: the ledger refuses the batch (no store is made).
    """
    Ledger(
        campaign, law=given.law, local_supports=given.local_supports, commune_lists=given.commune_lists
    ).append_batch(pledged)


def _record(
    store: SqliteStore,
    data: CampaignFolder,
    pledged: list[Event],
    screenings: dict[ProductKind, Screening],
    given: _Contributions,
    tick: Progress,
    approved: CandidateList | None = None,
    added: tuple[Decision, ...] = (),
    actor: Actor | None = None,
    deliveries: Mapping[str, Mapping[ProductKind, str]] | None = None,
) -> Allocation:
    """Record the pledges (*pledged*), allocate and record the gifts, then pay and deliver what is due (by *actor*, with documents).

    *deliveries* are the card numbers and book serials of ``deliveries.csv``
    (:func:`_deliveries`), read before anything is recorded.
    """
    settings = data.settings
    receipts = receipt_documents(pledged, data.receipts)
    store.append_batch(pledged, progress=lambda d, t: tick("record", d, t), actor=actor, documents=receipts)
    tick("allocate", 0, 1)
    eligible = [d for s in screenings.values() for d in s.eligible] + list(added)
    affiliations = {k: tuple(v) for k, v in data.affiliation_map().items()}
    for person_id, targets in affiliations_from_plugins(store.state, eligible, plugins=given.host).items():
        affiliations[person_id] = tuple(sorted({*affiliations.get(person_id, ()), *targets}))
    allocation = allocate(
        store.state,
        eligible,
        on=settings.purchase_date,
        law=given.law,
        local_supports=given.local_supports,
        affiliations=affiliations,
        money_buys=settings.money_buys,
        approved=approved,
        commune_lists=given.commune_lists,
    )
    tick("allocate", 1, 1)
    allocated = allocation.events()
    minutes = allocation_documents(allocated, approved)
    tick("record", 0, len(allocated))  # the ledger checks the batch before the first row is written
    store.append_batch(allocated, progress=lambda d, t: tick("record", d, t), actor=actor, documents=minutes)
    tick("pay", 0, 1)
    paid = payments_due(store.state, on=settings.purchase_date)
    due: list[Event] = list(paid)
    due += handover_deliveries(store.state, data.handovers, paid=paid, default=settings.handover_date)
    serials = delivery_documents(due, store.state, deliveries or {}, data.handovers)
    store.append_batch(due, progress=lambda d, t: tick("pay", d, t), actor=actor, documents=serials)
    return allocation


def _deliveries(data: CampaignFolder) -> dict[str, dict[ProductKind, str]]:
    """The folder's ``deliveries.csv``, if it has one (read before any event is recorded: a bad file writes nothing).

    Raises:
        CampaignFileError: the file is wrong (:func:`~ansinh.io.documents.read_deliveries`).
    """
    path = data.folder / DELIVERIES_FILE
    return read_deliveries(path) if path.is_file() else {}


def _reviewed(
    data: CampaignFolder,
    screenings: dict[ProductKind, Screening],
    out_dir: Path,
    rescreen: Callable[[Person], dict[ProductKind, Screening]],
    policy: PriorityPolicy,
    layout: ReportLayout | None = None,
) -> tuple[CandidateList | None, tuple[Path, ...], tuple[Decision, ...]]:
    """The approved list of a folder with a ``review.toml``, the public lists posted, and the people added.

    The list posted is everyone eligible for some gift.  An upheld request to
    add someone confirms their difficult circumstances: the roster's person is
    screened again with that (*rescreen*), and listed only if eligible.
    Without a ``review.toml``: ``(None, (), ())``.

    Raises:
        CampaignFileError: the review file is wrong, a step is refused, or the list is not approved.
    """
    path = data.folder / REVIEW_FILE
    if not path.is_file():
        return None, (), ()
    plan = read_review(path)
    listed = sorted({d.person.id for s in screenings.values() for d in s.eligible})
    roster = {p.id: p for p in data.roster.people}
    upheld = {i for i, outcome, _, _ in plan.decisions if outcome is Outcome.UPHELD}
    checks: dict[str, Decision] = {}
    added: list[Decision] = []
    for o in plan.objections:
        if o.kind is not ObjectionKind.ADD or o.id not in upheld:
            continue
        if o.person_id not in roster:
            raise CampaignFileError(f"{REVIEW_FILE} [[objection]] {o.id} person", o.person_id, "a roster id")
        again = rescreen(attrs.evolve(roster[o.person_id], difficult_circumstances=True))
        decisions = [d for s in again.values() for d in s.decisions]
        if decisions:
            checks[o.person_id] = next((d for d in decisions if d.eligible), decisions[0])
            added += [d for d in decisions if d.eligible]
    approved = apply_review(plan, listed, checks=checks)
    if approved.status is not ReviewStatus.APPROVED:
        raise CampaignFileError(f"{REVIEW_FILE} [approval]", "", "an approval before gifts are allocated")
    written = tuple(
        write_public_list(
            s,
            out_dir / f"public-list-{kind.value}.md",
            include_ineligible=False,
            posting=plan.posting,
            priority_policy=policy,
            layout=layout,
        )
        for kind, s in screenings.items()
    )
    return approved, written, tuple(added)


def run_campaign(
    folder: str | os.PathLike[str],
    *,
    out: str | os.PathLike[str] | None = None,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    progress: Progress | None = None,
    actor: Actor | None = None,
    registry: Iterable[RegistrySource] = (),
    events_jsonl: bool | None = None,
) -> CampaignRun:
    """Run the campaign in *folder* end to end, with the plugins' contributions.

    See the module docstring for the steps.

    Args:
        folder: the campaign folder (``campaign.toml``, ``sponsors.csv``,
            ``pledges.csv``, ``roster.csv``).
        out: where to write the ledger and the report (default: ``<folder>/build``).
        law: the law that prices gifts (default: :func:`ansinh.default_law`).
        plugins: which plugins contribute: ``None`` the installed ones,
            ``False`` none, or a host (see :mod:`ansinh.api`).
        progress: ``progress(step, done, total)`` for long steps; the steps are
            ``"read"`` (rows of the roster), ``"screen"`` (people, for each kind
            of gift), ``"record"`` and ``"pay"`` (events), ``"allocate"`` and
            ``"report"``; :func:`ansinh.progress.tqdm_progress` draws them.
        actor: who records the events (default: ``[run] actor`` and ``role`` of
            ``campaign.toml``, else no one); each event is stored with its
            document where the folder has one (:mod:`ansinh.io.documents`).
        registry: other campaigns' stores (with their rosters), added to the
            ``[[run.registry]]`` of ``campaign.toml``: a person one of their
            gifts covers in the same months is refused (``COVERED_ELSEWHERE``).
        events_jsonl: also write every event of the ledger to ``<out>/events.jsonl``;
            ``None``: as the folder's ``[run] events_jsonl`` says (default: no).

    Returns:
        A :class:`CampaignRun` with the report and the files written.

    Raises:
        PluginError: a plugin failed (the output folder is left as it was).
        InvalidValueError: a campaign file cannot be read at all, or a
            ``[[sourcing]]`` or ``[plugins.NAME]`` table is not what its
            strategy or plugin takes (:class:`~ansinh.exceptions.CampaignFileError`).
        RosterError: the roster cannot be read at all.
        InvariantViolation: the ledger in *out* refuses what the files say now.
        LedgerError: the store in *out* belongs to another campaign or is unusable.
    """

    def tick(step: str, done: int, total: int) -> None:
        if progress is not None:
            progress(step, done, total)

    if out is not None and not isinstance(out, str | os.PathLike):
        raise InvalidValueError("out", out, "a folder path, or None for <folder>/build")
    if progress is not None and not callable(progress):
        raise InvalidValueError("progress", progress, "a callable progress(step, done, total), or None")
    if events_jsonl is not None and not isinstance(events_jsonl, bool):
        raise InvalidValueError("events_jsonl", events_jsonl, "True, False or None (the folder's setting)")
    sources = tuple(registry) if isinstance(registry, Iterable) else (registry,)
    for source in sources:
        if not isinstance(source, RegistrySource):
            raise InvalidValueError("registry", source, "RegistrySource(store=..., roster=...) values")
    host = resolve_plugins(plugins)
    data = read_campaign_folder(
        folder,
        sponsor_kinds=host.sponsor_kinds() if host is not None else (),
        progress=lambda done, total: tick("read", done, total),
    )
    given = _contributions(law, host if host is not None else False, data)
    data, sourced = _sourced(data, given.host)
    given = attrs.evolve(given, policy=_policy(data, given.host))
    given = attrs.evolve(given, rules=given.rules + _registry_rules(data, given, sources))
    out_dir = check_run(data.campaign, data.settings, Path(out) if out is not None else data.folder / "build")
    layout = _layout(data, given.host)
    deliveries = _deliveries(data)
    screenings = _screen(data, given, tick)
    approved, public_lists, added = _reviewed(
        data,
        screenings,
        out_dir,
        lambda person: _screen(data, given, lambda *_: None, (person,)),
        given.policy,
        layout,
    )
    pledged = _pledge_events(data)
    if not (out_dir / "ledger.sqlite").exists():
        _check_pledges(data.campaign, given, pledged)
    with (
        SqliteStore(
            out_dir / "ledger.sqlite",
            data.campaign,
            law=given.law,
            local_supports=given.local_supports,
            commune_lists=given.commune_lists,
        ) as store,
        resumable(out_dir, lambda: len(store) - before),
    ):  # an error once events are written says how to finish
        before = len(store)
        recorder = actor if actor is not None else data.settings.actor
        allocation = _record(
            store, data, pledged, screenings, given, tick, approved, added, recorder, deliveries
        )
        tick("report", 0, 1)
        state = store.state
        new_events = len(store) - before
        wanted = data.settings.events_jsonl if events_jsonl is None else events_jsonl
        events_file = write_jsonl(out_dir / "events.jsonl", store.events) if wanted else None
        store_path = store.path
        result = report(
            state,
            on=data.settings.effective_report_date,
            renewal_days=data.settings.renewal_days,
            handovers=data.handovers,
        )
        files = write_report(result, out_dir, layout=layout)
    tick("report", 1, 1)
    return CampaignRun(
        campaign=data.campaign,
        out=out_dir,
        store=store_path,
        events_file=events_file,
        files=files,
        report=result,
        allocation=allocation,
        screened=tuple((k, len(s.eligible), len(s.ineligible)) for k, s in screenings.items()),
        rejected=data.rejected + tuple((data.roster.source, r) for r in data.roster.rejected),
        duplicates=len(data.roster.duplicates),
        new_events=new_events,
        sourcing=sourced,
        review=approved,
        public_lists=public_lists,
    )
