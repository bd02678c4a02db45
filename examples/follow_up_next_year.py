# %% [markdown]
# # The year after — Năm sau: theo dõi, duy trì và tránh tặng trùng
#
# "Many people who were given a book or a card go on paying themselves": the programme follows
# people across years. This notebook runs the example campaign Xuân Bính Ngọ 2026
# (`examples/tet-binh-ngo-2026`), keeps its gifts in a **registry of people across campaigns**,
# and then, a year on:
#
# 1. refuses a provincial card for a person a central sponsor already covers in the same months;
# 2. renews two cards in the 2027 national campaign (renewed by a sponsor);
# 3. reads the follow-up file (`examples/follow-up-2027/participation.csv`) and prints each ended
#    gift's status and the retention rate by province, product and year.
#
# Every person, sponsor and figure is made up; the law and the prices are real. Run it as a
# script or open it as a notebook (Jupytext percent format); it writes to `build/` under the
# current directory.

# %%
from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs

import ansinh
from ansinh.core.allocation import allocate
from ansinh.core.campaign import Campaign, Pledge, Sponsor
from ansinh.core.eligibility import check
from ansinh.core.ledger import Ledger, PledgeRegistered
from ansinh.core.products import HealthCard, ProductKind
from ansinh.core.registry import FollowUpStatus, Registry, follow_up, holdings, retention
from ansinh.io.participation import read_participation
from ansinh.io.roster import load_roster
from ansinh.io.store import read_jsonl

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
FOLDER = HERE / "tet-binh-ngo-2026"
LAW = ansinh.default_law()

# %% [markdown]
# ## The 2026 campaign, and its gifts in the registry
#
# The registry keeps each active gift with its person's identifiers (CCCD, mã số BHXH — shown
# masked), its sponsor and whether the sponsor registered centrally or with a province.

# %%
run = ansinh.run_campaign(FOLDER, out=Path.cwd() / "build" / "bn2026", plugins=False)
people = load_roster(FOLDER / "roster.csv").people
assert run.events_file is not None  # the folder's [run] asks for events.jsonl
state_2026 = ansinh.replay(run.campaign, read_jsonl(run.events_file), law=LAW)
registry = Registry(holdings(state_2026, people))
central = [h for h in registry.holdings if h.level.value == "central"]
print(f"{len(registry.holdings)} gifts in the registry, {len(central)} from central sponsors")

# %% [markdown]
# ## A provincial card the same months: refused, naming the other gift
#
# In October 2026 Hưng Yên runs its own drive. Its check takes the registry's rule as a plain
# argument (the core's `check(..., rules=)`), so a person the bank (a central sponsor) already covers until February 2027 is
# refused, with a reason naming that gift; a person with no gift is not.

# %%
hung_yen = Campaign(
    code="HY-T10-2026",
    name="Hưng Yên — Tháng vận động tháng 10/2026",
    province="33",
    start=dt.date(2026, 10, 1),
    end=dt.date(2026, 12, 31),
)
rule = registry.rule(campaign=hung_yen.code)
covered = next(h for h in central if h.province == "33" and h.kind is ProductKind.HEALTH_CARD)
card = HealthCard(months=12)
refused = check(covered.person, card, on=dt.date(2026, 10, 15), campaign=hung_yen, law=LAW, rules=[rule])
assert not refused.eligible
print(f"{covered.person.full_name} ({covered.person.masked_cccd}):")
print("  " + refused.blocking[-1].text("en"))
print("  " + refused.blocking[-1].text("vi"))
gifted = {h.person.id for h in registry.holdings}
free = next(
    p
    for p in people
    if p.province == "33"
    and p.id not in gifted
    and check(p, card, on=dt.date(2026, 10, 15), campaign=hung_yen, law=LAW, rules=[rule]).eligible
)
print(f"{free.full_name} ({free.masked_cccd}): no gift yet, eligible")

# %% [markdown]
# ## 2027: a sponsor renews two cards
#
# The bank renews two of its cards in the next national campaign. A card bought before the old
# one ends starts the day after it (no waiting period), so there is no gap.

# %%
bn2027 = Campaign(
    code="BN2027", name="Xuân Đinh Mùi 2027", start=dt.date(2026, 10, 20), end=dt.date(2027, 3, 31)
)
bank = Sponsor(id="NH-01", name="Ngân hàng TMCP Ví dụ", kind="bank")
ledger = Ledger(bn2027, law=LAW)
ledger.append(
    PledgeRegistered(
        event_id="reg:NH-01-2027",
        on=dt.date(2026, 11, 1),
        sponsor=bank,
        pledge=Pledge(id="NH-01-2027", sponsor_id=bank.id, units=((ProductKind.HEALTH_CARD, 2),)),
    )
)
renewed = [h for h in central if h.kind is ProductKind.HEALTH_CARD and h.province == "25"][:2]
renewals = [
    check(attrs.evolve(h.person, bhyt_valid_until=h.valid_until), card, on=dt.date(2027, 1, 20), law=LAW)
    for h in renewed
]
ledger.extend(allocate(ledger.state, renewals, on=dt.date(2027, 1, 20), law=LAW).events())
registry = Registry(registry.holdings + holdings(ledger.state, people))
for g in ledger.state.gifts:
    print(f"  {g.id}: from {g.covers_from:%d/%m/%Y} to {g.valid_until:%d/%m/%Y}")

# %% [markdown]
# ## Follow-up on 1 March 2027, and the retention rate
#
# For each card or book that ended: renewed by a sponsor (seen in the registry), renewed by the
# person or lapsed (the participation file, or a province plugin's `ansinh_participation` hook),
# else unknown. The rate counts renewals over the gifts whose status is known.

# %%
answers = read_participation(HERE / "follow-up-2027" / "participation.csv")
ups = follow_up(registry, on=dt.date(2027, 3, 1), participation=answers)
counts: dict[str, int] = {}
for f in ups:
    counts[f.status.label_en] = counts.get(f.status.label_en, 0) + 1
print(f"{len(ups)} gifts ended: " + ", ".join(f"{n} {label}" for label, n in sorted(counts.items())))
print()
print(f"{'province':<22}{'product':<36}{'year':>6}{'ended':>7}{'known':>7}  retention")
for row in retention(ups):
    known = row.ended - row.count(FollowUpStatus.UNKNOWN)
    rate = "—" if row.rate is None else f"{float(row.rate):.0%}"
    print(
        f"{ansinh.core.provinces.province(row.province).name:<22}{row.kind.label_en:<36}"
        f"{row.year:>6}{row.ended:>7}{known:>7}  {rate}"
    )
assert any(f.status.value == "renewed_by_sponsor" for f in ups)
assert any(row.rate is not None for row in retention(ups))
