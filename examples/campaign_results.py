# %% [markdown]
# # A campaign's results — Kết quả chương trình Xuân Bính Ngọ 2026
#
# The folder `examples/tet-binh-ngo-2026` holds one year's programme as a province office keeps
# it: `campaign.toml`, the sponsors, their pledges and the reviewed roster. This notebook runs
# it end to end — screen, record, allocate, pay — and looks at the results: totals, gifts by
# province and by kind of sponsor, and a chart.
#
# Run it as a script or open it as a notebook (Jupytext percent format). The ledger and the
# report files are written to `build/` under the current directory; running it again adds
# nothing to the ledger.

# %%
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write files; no window needed
import matplotlib.pyplot as plt

import ansinh
from ansinh import run_campaign

HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
FOLDER = HERE / "tet-binh-ngo-2026"
OUT = Path.cwd() / "build"

# %% [markdown]
# ## Run it
#
# The installed province plugins take part (their top-ups and local rules). Rows the office
# typed wrongly are kept out and listed — never silently dropped.

# %%
run = run_campaign(FOLDER, out=OUT)
print(run.summary_en)
print()
for kind, eligible, ineligible in run.screened:
    print(f"  {kind.label_en:<35} eligible {eligible:>4}   not eligible {ineligible:>4}")
print(f"  rows kept out: {len(run.rejected)}")
for file, problem in run.rejected:
    print(f"    {Path(file).name}: {problem}")

# %% [markdown]
# ## The totals

# %%
rep = run.report
money = {
    "pledged_money",
    "received",
    "committed",
    "spent",
    "leftover",
    "uncommitted",
    "value",
    "delivered_value",
    "cost_per_person",
}
for key, value in rep.totals().items():
    print(f"  {key:<18} {ansinh.format_vnd(value, 'en') if key in money else value:>18}")

# %% [markdown]
# ## Where the gifts went, and who paid

# %%
by_province = rep.rows_for("province")
for row in by_province:
    print(
        f"  {row.label:<22} {row.gifts:>4} gifts  {ansinh.format_vnd(row.value, 'en'):>16}  {row.people:>3} people"
    )
print()
by_sponsor = rep.rows_for("sponsor_kind")
for row in by_sponsor:
    print(f"  {row.label:<36} received {ansinh.format_vnd(row.received, 'en'):>16}")

# %% [markdown]
# ## A chart
#
# Gifts by province, one bar segment per kind of gift.

# %%
fig, ax = plt.subplots(figsize=(8, 4))
labels = [row.label for row in by_province]
bottom = [0] * len(by_province)
for attr, name in (("health_cards", "thẻ BHYT"), ("social_books", "sổ BHXH"), ("tet_gifts", "quà Tết")):
    counts = [getattr(row, attr) for row in by_province]
    ax.bar(labels, counts, bottom=bottom, label=name)
    bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
ax.set_ylabel("gifts")
ax.set_title(run.campaign.name, fontsize=9)
ax.legend()
ax.tick_params(axis="x", labelrotation=30)
fig.tight_layout()
chart = OUT / "gifts-by-province.png"
fig.savefig(chart, dpi=100)
plt.close(fig)
print("chart written to", chart.relative_to(Path.cwd()))

# %% [markdown]
# The run also wrote the report as CSV, Markdown, HTML and its own chart:

# %%
for path in run.files.all:
    print(" ", path.relative_to(Path.cwd()))
