"""Whole rosters at once: exact columnar pricing and screening (extra ``ansinh[bulk]``).

:func:`price_table` prices and :func:`screen_table` screens a table with one
row per person, giving per row exactly what :func:`ansinh.core.pricing.price`
and :func:`ansinh.core.eligibility.check` give for that person — money as
int64 đồng, each row on its own date.  :func:`price_parquet` streams a
Parquet dataset larger than memory; :mod:`ansinh.bulk.dask` does the same on
a Dask cluster.  This package needs numpy and pyarrow; ``import ansinh``
never imports it.
"""

from ansinh.bulk._law_tables import PricingPlan
from ansinh.bulk.parquet import BulkSummary, price_parquet, screen_parquet
from ansinh.bulk.pricing import GROUP_NAMES, OUTPUT_COLUMNS, RowSupports, make_plan, price_table
from ansinh.bulk.screening import SCREEN_COLUMNS, ScreenPlan, make_screen_plan, screen_table

__all__ = [
    "GROUP_NAMES",
    "OUTPUT_COLUMNS",
    "SCREEN_COLUMNS",
    "BulkSummary",
    "PricingPlan",
    "RowSupports",
    "ScreenPlan",
    "make_plan",
    "make_screen_plan",
    "price_parquet",
    "price_table",
    "screen_parquet",
    "screen_table",
]
