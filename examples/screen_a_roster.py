# %% [markdown]
# # Screening a roster — Xét danh sách người có hoàn cảnh khó khăn
#
# An analyst at a province office has the reviewed list (danh sách rà soát) as a CSV file. This
# notebook reads it, decides who may receive a 12-month health card on a date, ranks the eligible
# by priority, summarises the reasons, and writes the public list the commune posts — with
# identifiers masked.
#
# Run it as a script (`python examples/screen_a_roster.py`) or open it as a notebook (the `# %%`
# cells are Jupytext's percent format). Files are written to the current directory.

# %%
from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import ansinh
from ansinh.api import screen
from ansinh.io.public_list import write_public_list
from ansinh.io.roster import load_roster

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
ROSTER = HERE / "rosters" / "danh-sach-mau.csv"
ON = dt.date(2026, 1, 10)

# %% [markdown]
# ## Load the list
#
# No row is lost: the people ansinh can read are accepted, every other row is listed with its
# row number and what is wrong, and people appearing twice are flagged (never merged).

# %%
roster = load_roster(ROSTER)
print(f"{len(roster)} people accepted, {len(roster.rejected_rows)} rows rejected")
for problem in roster.rejected:
    print("  rejected:", problem)
for dup in roster.duplicates:
    print(f"  duplicate {dup.field} {dup.value} on rows {dup.rows}")

# %% [markdown]
# ## Screen for a 12-month health card

# %%
card = ansinh.HealthCard(months=12)
result = screen(roster.people, card, on=ON)
print(f"eligible: {len(result.eligible)}, not eligible: {len(result.ineligible)}")

# %% [markdown]
# Why people were found not eligible (or what the card's start date depends on):

# %%
for code, count in result.reason_counts():
    print(f"  {code:<32} {count}")

# %% [markdown]
# ## The ten people with the highest priority, and what a card costs for each

# %%
print(f"{'#':>3}  {'id':<8} {'score':>5}  {'payable':>12}  valid from")
total = 0
for i, decision in enumerate(result.eligible[:10], 1):
    quote = ansinh.price(card, decision.person, on=ON)
    total += quote.payable
    print(
        f"{i:>3}  {decision.person.id:<8} {decision.priority.score:>5}  "
        f"{ansinh.format_vnd(quote.payable):>12}  {decision.valid_from}"
    )
print("Cost of these ten cards to donors:", ansinh.format_vnd(total))

# %% [markdown]
# By province (the list mixes several offices' people):

# %%
by_province = collections.Counter(d.person.province for d in result.eligible)
for code, count in sorted(by_province.items()):
    print(f"  {code} {ansinh.core.provinces.province(code).name:<20} {count}")

# %% [markdown]
# ## The public list
#
# Name, year of birth, masked CCCD, province, categories, priority, result and reasons — never
# the commune, the household or the full identifier.

# %%
public = write_public_list(result, Path.cwd() / "danh-sach-cong-khai.csv")
print("public list written to", public.name)
