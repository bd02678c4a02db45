# %% [markdown]
# # This year's and next year's prices for the same pledges
#
# Sponsors register pledges for the Tết campaign: some name a number of gifts ("20 thẻ BHYT"),
# some give money. The law changes under them: the base salary rose on 2026-07-01, and the
# rural poverty line — the floor of voluntary social insurance — rises on 2027-01-01. This
# notebook prices the same pledges on a date of this campaign and on the same date next year,
# and adds a what-if: the base salary rising again in 2027.
#
# Run it as a script or open it as a notebook (Jupytext percent format).

# %%
from __future__ import annotations

import datetime as dt

import ansinh
from ansinh.core.campaign import Pledge
from ansinh.core.products import ProductKind

THIS_YEAR = dt.date(2026, 1, 15)
NEXT_YEAR = dt.date(2027, 1, 15)
LAW = ansinh.default_law()

# %% [markdown]
# ## The pledges
#
# Two unit pledges and two money pledges. Cards are for near-poor people (the state pays 70 %),
# books for people in the "other" group at the legal minimum income.

# %%
pledges = [
    Pledge(id="P-BANK", sponsor_id="S-BANK", units=((ProductKind.HEALTH_CARD, 20),)),
    Pledge(id="P-STAFF", sponsor_id="S-STAFF", units=((ProductKind.SOCIAL_BOOK, 10),)),
    Pledge(id="P-PAGODA", sponsor_id="S-PAGODA", money=50_000_000),
    Pledge(id="P-FIRM", sponsor_id="S-FIRM", money=120_000_000),
]
# What each money pledge is spent on.
MONEY_BUYS = {"P-PAGODA": ProductKind.HEALTH_CARD, "P-FIRM": ProductKind.SOCIAL_BOOK}
near_poor = ansinh.Person(
    id="mẫu-1",
    full_name="Người nhận mẫu",
    date_of_birth=dt.date(1975, 6, 1),
    province="33",
    categories={ansinh.Category.NEAR_POOR},
)
other = ansinh.Person(
    id="mẫu-2",
    full_name="Người nhận mẫu",
    date_of_birth=dt.date(1980, 6, 1),
    province="33",
    difficult_circumstances=True,
)
CARD = ansinh.HealthCard(months=12)
BOOK = ansinh.SocialBook(months=12)

# %% [markdown]
# ## One gift, priced on each date
#
# `plugins=False`: the national law only, so the comparison is about the law.


# %%
def unit_prices(on: dt.date, law: ansinh.Law = LAW) -> dict[ProductKind, int]:
    card = ansinh.price(CARD, near_poor, on=on, law=law, plugins=False)
    book = ansinh.price(BOOK, other, on=on, law=law, plugins=False)
    return {ProductKind.HEALTH_CARD: card.payable, ProductKind.SOCIAL_BOOK: book.payable}


now = unit_prices(THIS_YEAR)
then = unit_prices(NEXT_YEAR)
for kind in (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK):
    change = then[kind] - now[kind]
    print(
        f"{kind.label_en:<35} {ansinh.format_vnd(now[kind], 'en'):>16} -> "
        f"{ansinh.format_vnd(then[kind], 'en'):>16}  ({change:+,} đồng)"
    )

# %% [markdown]
# Why the book costs more: the income floor follows the rural poverty line.

# %%
for on in (THIS_YEAR, NEXT_YEAR):
    entry = LAW.lookup("rural_poverty_line", on=on)
    print(
        on, ansinh.format_vnd(LAW.amount("vsi_income_floor", on=on)), f"[{entry.citation}] <{entry.status}>"
    )

# %% [markdown]
# ## What each pledge is worth
#
# A unit pledge costs its sponsor more next year; a money pledge buys fewer gifts.


# %%
def pledge_row(pledge: Pledge, prices: dict[ProductKind, int]) -> tuple[str, str]:
    if pledge.units:
        cost = sum(prices[kind] * count for kind, count in pledge.units)
        return "cost", ansinh.format_vnd(cost, "en")
    kind = MONEY_BUYS[pledge.id]
    return "buys", f"{pledge.money // prices[kind]} {kind.label_en}s"


print(f"{'pledge':<10} {'':<5} {THIS_YEAR.year:>40} {NEXT_YEAR.year:>40}")
for pledge in pledges:
    what, a = pledge_row(pledge, now)
    _, b = pledge_row(pledge, then)
    print(f"{pledge.id:<10} {what:<5} {a:>40} {b:>40}")

# %% [markdown]
# ## A what-if: the base salary rises to 2,800,000 đồng on 2027-01-01
#
# `Law.amend` builds a scenario; the shipped law is unchanged. Everything linked to the base
# salary (the reference level, the voluntary-SI ceiling) follows.

# %%
what_if = LAW.amend("base_salary", 2_800_000, effective=dt.date(2027, 1, 1), source="Kịch bản / scenario")
scenario = unit_prices(NEXT_YEAR, what_if)
for kind in (ProductKind.HEALTH_CARD, ProductKind.SOCIAL_BOOK):
    print(
        f"{kind.label_en:<35} law {ansinh.format_vnd(then[kind], 'en'):>16}   "
        f"scenario {ansinh.format_vnd(scenario[kind], 'en'):>16}"
    )
print(ansinh.price(CARD, near_poor, on=NEXT_YEAR, law=what_if, plugins=False).explain("en"))
