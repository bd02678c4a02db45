"""Exact columnar screening: :func:`screen_table`.

Every row is decided exactly as :func:`ansinh.core.eligibility.check`
decides that person for the same product, date and campaign: the same
``eligible``, the same reason codes in the same order, the same card
start (``valid_from``) and the same priority score.

The built-in rules of health cards and social books are evaluated on whole
columns.  Every threshold is read from the core, from the same law period
(``law.at(on)``) and through the same functions the scalar rules call
(:mod:`ansinh.core.eligibility.thresholds`, the card start of
:mod:`ansinh.core.eligibility.card_start`, the points and difficult
categories of :mod:`ansinh.core.eligibility.priorities`), never re-derived
here: the age tests become comparisons of birth dates against the latest
birth date old enough, the card start a comparison of the card's end with
:func:`~ansinh.core.eligibility.card_start.last_break_end`, and category
tests lookups by category class.  Tết gifts, extra
``rules=`` (a province's own), rows whose person data is malformed and rows of
a category class the budgets pay in full (``FULLY_SUPPORTED``, found by the
core's :func:`~ansinh.core.eligibility.rules.fully_supported` once per class;
no provincial top-ups nor commune lists here, as ``check`` without
``local_supports`` and ``commune_lists``) go
through the scalar :func:`~ansinh.core.eligibility.checking` one row at a time —
correct, but much slower.  If the built-in rule list of
:mod:`ansinh.core.eligibility` ever differs from the one vectorised here,
every row takes the scalar path, so the result stays exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pluggy
import pyarrow as pa

from ansinh.api import resolve_plugins
from ansinh.bulk._input import (
    CATEGORIES,
    PROVINCE,
    USED,
    category_items,
    dict_indices,
    encode_persons,
    to_table,
)
from ansinh.bulk._law_tables import day_number
from ansinh.core.campaign import Campaign
from ansinh.core.eligibility import Rule, builtin_rules, check
from ansinh.core.eligibility.card_start import card_start, gift_end, last_break_end
from ansinh.core.eligibility.priorities import (
    DEFAULT_PRIORITY_POLICY,
    OLD_AGE,
    YOUNG_AGE,
    PriorityPolicy,
    category_parts,
    check_policy,
    difficult_categories,
)
from ansinh.core.eligibility.rules import fully_supported
from ansinh.core.eligibility.thresholds import child_state_paid_age, state_paid_groups, vsi_min_age
from ansinh.core.law import Law, LawPeriod
from ansinh.core.people import Category, Person, age_on
from ansinh.core.products import HealthCard, Product, ProductKind, SocialBook, TetGift
from ansinh.exceptions import AnsinhError, InvalidValueError
from ansinh.plugin_manager import PluginHost

__all__ = ["SCREEN_COLUMNS", "ScreenPlan", "make_screen_plan", "screen_batches", "screen_table"]

DATE_OF_BIRTH: Final = "date_of_birth"
BHYT_VALID_UNTIL: Final = "bhyt_valid_until"
DIFFICULT: Final = "difficult_circumstances"
CITIZEN: Final = "vietnamese_citizen"
COMPULSORY: Final = "compulsory_si"
PENSION: Final = "receives_pension"
STAY_START: Final = "hospital_admission"
STAY_END: Final = "hospital_discharge"

SCREEN_COLUMNS: Final = ("eligible", "reasons", "valid_from", "priority", "error")
"""Columns :func:`screen_table` appends (an input column of the same name is replaced)."""

_CARD_CODES: Final = (
    "ALREADY_INSURED",
    "STATE_PAID_IN_FULL",
    "STATE_PAID_CHILD_UNDER_6",
    "OUTSIDE_CAMPAIGN_PROVINCE",
    "NOT_IN_DIFFICULT_CIRCUMSTANCES",
    "RENEWAL_FROM_CARD_END",
    "WAITING_PERIOD_30_DAYS",
    "CONTINUOUS_PARTICIPATION",
)
_CARD_RULES: Final = (*_CARD_CODES[:3], "FULLY_SUPPORTED", *_CARD_CODES[3:5], "CARD_START")
_CARD_BLOCKING: Final = 0b11111
_BOOK_CODES: Final = (
    "NOT_CITIZEN",
    "UNDER_MIN_AGE",
    "IN_COMPULSORY_SI",
    "RECEIVES_PENSION",
    "OUTSIDE_CAMPAIGN_PROVINCE",
    "NOT_IN_DIFFICULT_CIRCUMSTANCES",
)
_BOOK_RULES: Final = (*_BOOK_CODES[:4], "FULLY_SUPPORTED", *_BOOK_CODES[4:])
_BOOK_BLOCKING: Final = 0b111111
_BATCH_ROWS: Final = 1 << 16
_NO_DATE: Final = np.iinfo(np.int32).min
_MAX_DAY: Final = day_number(dt.date.max)
_MIN_DAY: Final = day_number(dt.date.min)

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def _codes_dictionary(codes: Sequence[str]) -> list[str]:
    return [";".join(c for i, c in enumerate(codes) if m >> i & 1) for m in range(1 << len(codes))]


def _latest_birth(on: dt.date, age: int) -> int:
    """Day number of the latest birth date at which a person is at least *age* on *on*."""
    lo, hi = _MIN_DAY, day_number(on)
    if age <= 0:
        return hi
    epoch = dt.date(1970, 1, 1)
    if age_on(epoch + dt.timedelta(days=lo), on) < age:
        return lo - 1
    while lo < hi:  # largest d with age_on(d) >= age; age_on is non-increasing in d
        mid = (lo + hi + 1) // 2
        if age_on(epoch + dt.timedelta(days=mid), on) >= age:
            lo = mid
        else:
            hi = mid - 1
    return lo


@attrs.frozen(eq=False)
class ScreenPlan:
    """What :func:`screen_table` needs for one product, date and campaign; picklable."""

    product: Product
    on: dt.date
    campaign: Campaign | None
    law: Law
    rules: tuple[Rule, ...]
    vectorised: bool
    """False: every row takes the scalar path (Tết gift, extra rules, unknown built-ins)."""
    gift_end: int = 0
    """Day number of the gift period's last day."""
    break_limit: int = 0
    """Last day a card may have ended on and still count as a break (not continuous)."""
    first_valid: int = 0
    """Day number a first-participation card (no card, or after a break) starts on."""
    child_birth: int = 0
    """Latest birth day of a person old enough not to be a state-paid child (no such group: the last day)."""
    min_age_birth: int = 0
    """Latest birth day of a person old enough for a social book."""
    birth_60: int = 0
    """Latest birth day of a person aged 60 or over (priority)."""
    birth_16: int = 0
    """Latest birth day of a person aged 16 or over (priority)."""
    fully_paid: frozenset[Category] = frozenset()
    """The groups whose health card the state pays in full."""
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY
    """The points table the scores follow (a province's declared table, or ansinh's default)."""


def make_screen_plan(
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    rules: Iterable[Rule] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> ScreenPlan:
    """Prepare the law values :func:`screen_table` reads, once.

    *plugins* is as for :func:`ansinh.api.check`: ``None`` adds the installed
    plugins' eligibility rules for the product after *rules*, ``False`` none.
    *priority_policy* is the points table the scores follow, as for
    :func:`~ansinh.core.eligibility.check` (a campaign's ``priority.toml``).

    Raises:
        InvalidValueError: an argument is malformed (as :func:`ansinh.core.eligibility.check`).
        NotInForceError: the law has no value on *on*.
    """
    if not isinstance(product, HealthCard | SocialBook | TetGift):
        raise InvalidValueError("product", product, "a HealthCard, SocialBook or TetGift")
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidValueError("on", on, "a datetime.date")
    if law is None:
        from ansinh.data import default_law

        law = default_law()
    if not isinstance(law, Law):
        raise InvalidValueError("law", law, "an ansinh.Law or None")
    if campaign is not None and not isinstance(campaign, Campaign):
        raise InvalidValueError("campaign", campaign, "an ansinh Campaign or None")
    if isinstance(product, TetGift) and (campaign is None or campaign.tet_dates is None):
        raise InvalidValueError("campaign", campaign, "a Campaign with tet_dates, to check a Tết gift")
    policy = check_policy(priority_policy)
    extra = tuple(rules)
    host = resolve_plugins(plugins)
    if host is not None:
        extra += host.eligibility_rules(product)
    for r in extra:
        if not isinstance(getattr(r, "code", None), str) or not callable(getattr(r, "evaluate", None)):
            raise InvalidValueError(
                "rules", r, "a Rule: an object with a str code and an evaluate(ctx) method"
            )
    kind = product.kind
    builtins = tuple(r.code for r in builtin_rules(kind))
    known = {ProductKind.HEALTH_CARD: _CARD_RULES, ProductKind.SOCIAL_BOOK: _BOOK_RULES}.get(kind)
    vectorised = not extra and known is not None and builtins == known
    plan = ScreenPlan(
        product=product,
        on=on,
        campaign=campaign,
        law=law,
        rules=extra,
        vectorised=vectorised,
        priority_policy=policy,
    )
    # The thresholds the scalar rules read, from the same functions and the same law period; reading
    # them here raises NotInForceError as check() would, even when every row takes the scalar path.
    period = law.at(on)
    if kind is ProductKind.HEALTH_CARD:
        plan = attrs.evolve(plan, **_card_thresholds(product, on, period))
    elif kind is ProductKind.SOCIAL_BOOK:
        plan = attrs.evolve(plan, min_age_birth=_latest_birth(on, vsi_min_age(period).value))
    return attrs.evolve(plan, birth_60=_latest_birth(on, OLD_AGE), birth_16=_latest_birth(on, YOUNG_AGE))


def _card_thresholds(product: Product, on: dt.date, period: LawPeriod) -> dict[str, Any]:
    """The health-card fields of a :class:`ScreenPlan`, from the core's card-start and threshold functions."""
    cutoff = last_break_end(on, period=period)
    child = child_state_paid_age(period)
    return {
        "gift_end": day_number(gift_end(on, product.months)),
        "break_limit": _MIN_DAY - 1 if cutoff is None else day_number(cutoff),
        "first_valid": day_number(card_start(None, on, period=period).valid_from),
        "child_birth": _MAX_DAY if child is None else _latest_birth(on, child.value),
        "fully_paid": frozenset(category for category, _ in state_paid_groups(period)),
    }


@attrs.frozen
class _Class:
    """A category class as the core's price reads a participant (no province: no top-ups here)."""

    categories: frozenset[Category]
    province: None = None
    vsi_supported_months: int = 0


def _class_tables(
    plan: ScreenPlan, classes: Sequence[frozenset[Category]]
) -> tuple[I64, BoolArray, BoolArray, BoolArray]:
    points = np.zeros(len(classes) + 1, dtype=np.int64)
    difficult = np.zeros(len(classes) + 1, dtype=bool)
    fully = np.zeros(len(classes) + 1, dtype=bool)
    budgets = np.zeros(len(classes) + 1, dtype=bool)
    for i, cats in enumerate(classes):
        points[i] = sum(pts for _, pts in category_parts(cats, plan.priority_policy))
        difficult[i] = difficult_categories(cats)
        fully[i] = not cats.isdisjoint(plan.fully_paid)
        # the core's FULLY_SUPPORTED rule, for the class with no months used yet (more used months
        # only leave more to pay): its rows are settled by the scalar check
        budgets[i] = fully_supported(plan.product, _Class(cats), on=plan.on, law=plan.law) is not None
    return points, difficult, fully, budgets


def _dates(arr: pa.Array | None, n: int) -> I32:
    """Day numbers of a date column; nulls (and a missing column) become a sentinel."""
    if arr is None:
        return np.full(n, _NO_DATE, dtype=np.int32)
    if not pa.types.is_date32(arr.type):
        arr = arr.cast(pa.date32())
    days = arr.view(pa.int32())
    if arr.null_count:
        days = days.fill_null(_NO_DATE)
    out: I32 = days.to_numpy(zero_copy_only=False)
    return out


def _flags(arr: pa.Array | None, n: int, default: bool) -> BoolArray:
    if arr is None:
        return np.full(n, default, dtype=bool)
    if arr.null_count:
        arr = arr.fill_null(default)
    out: BoolArray = arr.to_numpy(zero_copy_only=False)
    return out


def _col(batch: pa.RecordBatch, name: str) -> pa.Array | None:
    i = batch.schema.get_field_index(name)
    return None if i < 0 else batch.column(i)


@attrs.frozen
class _Cols:
    eligible: BoolArray
    mask: npt.NDArray[np.int16]
    valid_from: I32
    priority: I64


def _row_classes(batch: pa.RecordBatch, enc: Any, sl: slice) -> npt.NDArray[np.intp]:
    """Each row's category class (``len(enc.classes)`` marks a malformed category list)."""
    n = batch.num_rows
    cat_arr = _col(batch, CATEGORIES)
    if enc.cat_rows is not None:
        return enc.cat_rows[sl]  # type: ignore[no-any-return]
    if enc.cat_map is not None and cat_arr is not None:
        return enc.cat_map.take(dict_indices(cat_arr, len(enc.cat_map) - 1), mode="clip")  # type: ignore[no-any-return]
    return np.zeros(n, dtype=np.intp)


def _bad_and_outside(
    batch: pa.RecordBatch, enc: Any, dob: I32, cls: npt.NDArray[np.intp]
) -> tuple[BoolArray, BoolArray]:
    """Rows the scalar path must settle (malformed data), and rows outside the campaign's provinces."""
    n = batch.num_rows
    outside = np.zeros(n, dtype=bool)
    bad = (dob == _NO_DATE) | (cls == len(enc.classes))
    prov_arr = _col(batch, PROVINCE)
    if prov_arr is None:
        bad |= True
    else:
        prov_idx = dict_indices(prov_arr, len(enc.prov_map) - 1)
        bad |= enc.prov_bad.take(prov_idx, mode="clip")
        if enc.outside is not None:
            outside = enc.outside.take(prov_idx, mode="clip")
    used_arr = _col(batch, USED)
    if used_arr is not None:
        used = (
            used_arr.fill_null(0).to_numpy(zero_copy_only=False)
            if used_arr.null_count
            else used_arr.to_numpy()
        )
        bad |= used < 0
    return bad, outside


def _card_bits(plan: ScreenPlan, dob: I32, until: I32, on: int, out_valid_from: I32) -> Any:
    """The card rules' reason bits (age, renewal, waiting start …); writes each row's card start."""
    renewal = until >= on
    mask = (until >= plan.gift_end).astype(np.int16)
    mask |= (dob > plan.child_birth) * np.int16(1 << 2)
    mask |= renewal * np.int16(1 << 5)
    waiting_start = (until <= plan.break_limit) & ~renewal  # no card, or a break
    mask |= waiting_start * np.int16(1 << 6)
    continuous = ~renewal & ~waiting_start
    mask |= continuous * np.int16(1 << 7)
    next_day = np.minimum(until, _MAX_DAY - 1) + 1
    out_valid_from[:] = np.where(renewal, next_day, np.where(continuous, on, plan.first_valid))
    return mask


def _book_bits(batch: pa.RecordBatch, plan: ScreenPlan, dob: I32) -> Any:
    """The social book rules' reason bits (citizen, minimum age, compulsory insurance, pension)."""
    n = batch.num_rows
    mask = (~_flags(_col(batch, CITIZEN), n, True)).astype(np.int16)
    mask |= (dob > plan.min_age_birth) * np.int16(1 << 1)
    mask |= _flags(_col(batch, COMPULSORY), n, False) * np.int16(1 << 2)
    mask |= _flags(_col(batch, PENSION), n, False) * np.int16(1 << 3)
    return mask


def _score(plan: ScreenPlan, points: I64, cls: npt.NDArray[np.intp], dob: I32, until: I32, on: int) -> Any:
    """Each row's priority score from its category class, age and card (the review flag comes later)."""
    points_of = plan.priority_policy.points_of
    score = points.astype(np.int32).take(cls, mode="clip")
    old = dob <= plan.birth_60
    score += old * np.int32(points_of("AGE_60_PLUS"))
    score += ((dob > plan.birth_16) & ~old) * np.int32(points_of("AGE_UNDER_16"))
    score += (until < on) * np.int32(points_of("UNINSURED"))  # no card (the sentinel) counts too
    return score


def _screen_batch(
    batch: pa.RecordBatch,
    plan: ScreenPlan,
    enc: Any,
    tables: tuple[I64, BoolArray, BoolArray, BoolArray],
    offset: int,
    out: _Cols,
) -> npt.NDArray[np.intp]:
    """Screen a batch into *out*; return the rows the scalar path must settle."""
    n = batch.num_rows
    sl = slice(offset, offset + n)
    points, difficult_cls, fully_cls, budgets_cls = tables
    on = day_number(plan.on)
    dob = _dates(_col(batch, "date_of_birth"), n)
    until = _dates(_col(batch, BHYT_VALID_UNTIL), n)
    flag = _flags(_col(batch, DIFFICULT), n, False)
    cls = _row_classes(batch, enc, sl)
    bad, outside = _bad_and_outside(batch, enc, dob, cls)
    # classes a budget may pay in full (FULLY_SUPPORTED): the scalar rule settles them
    bad |= budgets_cls.take(cls, mode="clip")
    card = plan.product.kind is ProductKind.HEALTH_CARD
    nd_bit = np.int16(1 << (4 if card else 5))
    # per category class: the not-difficult bit (cleared below by the review flag) and the state-paid bit
    cls_bits = np.where(difficult_cls, 0, nd_bit).astype(np.int16)
    if card:
        cls_bits |= fully_cls.astype(np.int16) << 1
    mask = cls_bits.take(cls, mode="clip")
    score = _score(plan, points, cls, dob, until, on)
    if flag.any():
        mask &= ~(flag * nd_bit)
        score += flag * np.int32(plan.priority_policy.points_of("DIFFICULT_CIRCUMSTANCES"))
    if outside.any():
        mask |= outside * np.int16(1 << (3 if card else 4))
    if card:
        mask |= _card_bits(plan, dob, until, on, out.valid_from[sl])
        blocking = _CARD_BLOCKING
    else:
        mask |= _book_bits(batch, plan, dob)
        out.valid_from[sl] = _NO_DATE
        blocking = _BOOK_BLOCKING
    out.mask[sl] = mask
    out.eligible[sl] = (mask & blocking) == 0
    out.priority[sl] = score
    return np.flatnonzero(bad) + offset


def _person(row: Mapping[str, Any]) -> Person:
    stay: Any = None
    if row.get(STAY_START) is not None or row.get(STAY_END) is not None:
        stay = (row.get(STAY_START), row.get(STAY_END))
    used = row.get(USED)
    return Person(
        id="bulk-row",
        full_name="bulk row",
        date_of_birth=row.get(DATE_OF_BIRTH),  # type: ignore[arg-type]
        province=row.get(PROVINCE),  # type: ignore[arg-type]
        categories=category_items(row.get(CATEGORIES)),
        difficult_circumstances=bool(row.get(DIFFICULT) or False),
        vietnamese_citizen=True if row.get(CITIZEN) is None else bool(row.get(CITIZEN)),
        compulsory_si=bool(row.get(COMPULSORY) or False),
        receives_pension=bool(row.get(PENSION) or False),
        bhyt_valid_until=row.get(BHYT_VALID_UNTIL),
        vsi_supported_months=0 if used is None else used,
        hospital_stay=stay,
    )


def _scalar(row: Mapping[str, Any], plan: ScreenPlan) -> tuple[bool, str, dt.date | None, int] | str:
    try:
        d = check(
            _person(row),
            plan.product,
            on=plan.on,
            campaign=plan.campaign,
            law=plan.law,
            rules=plan.rules,
            priority_policy=plan.priority_policy,
        )
    except AnsinhError as exc:
        return str(exc)
    return d.eligible, ";".join(d.codes), d.valid_from, d.priority.score


def screen_batches(table: pa.Table, plan: ScreenPlan, *, batch_rows: int = _BATCH_ROWS) -> pa.Table:
    """Screen an Arrow table with a prepared *plan* (see :func:`screen_table`)."""
    enc = encode_persons(table, plan.campaign.province if plan.campaign is not None else None)
    data = enc.table
    n = data.num_rows
    out = _Cols(
        eligible=np.zeros(n, dtype=bool),
        mask=np.zeros(n, dtype=np.int16),
        valid_from=np.zeros(n, dtype=np.int32),
        priority=np.zeros(n, dtype=np.int64),
    )
    kind = plan.product.kind
    codes = _CARD_CODES if kind is ProductKind.HEALTH_CARD else _BOOK_CODES
    slow: list[npt.NDArray[np.intp]] = []
    if plan.vectorised:
        tables = _class_tables(plan, enc.classes)
        offset = 0
        for batch in data.to_batches(max_chunksize=batch_rows):
            slow.append(_screen_batch(batch, plan, enc, tables, offset, out))
            offset += batch.num_rows
    else:
        slow.append(np.arange(n, dtype=np.intp))
    rows = np.concatenate(slow) if slow else np.zeros(0, dtype=np.intp)
    errors: dict[int, str] = {}
    extra_texts: dict[int, str] = {}
    for start in range(0, len(rows), batch_rows):
        block = rows[start : start + batch_rows]
        for i, row in zip(block.tolist(), data.take(pa.array(block)).to_pylist(), strict=True):
            _settle(i, row, plan, out, errors, extra_texts)
    return _assemble(table, out, codes, errors, extra_texts)


def _settle(
    i: int,
    row: Mapping[str, Any],
    plan: ScreenPlan,
    out: _Cols,
    errors: dict[int, str],
    extra_texts: dict[int, str],
) -> None:
    """Decide row *i* with the scalar ``check`` and write the result into *out*."""
    hit = _scalar(row, plan)
    if isinstance(hit, str):
        errors[i] = hit
        return
    eligible, text, valid_from, score = hit
    out.eligible[i] = eligible
    out.priority[i] = score
    out.valid_from[i] = _NO_DATE if valid_from is None else day_number(valid_from)
    extra_texts[i] = text


def _assemble(
    table: pa.Table, out: _Cols, codes: Sequence[str], errors: Mapping[int, str], texts: Mapping[int, str]
) -> pa.Table:
    n = table.num_rows
    err_mask = np.zeros(n, dtype=bool)
    if errors:
        err_mask[list(errors)] = True
    dictionary = _codes_dictionary(codes)
    indices = out.mask.astype(np.int32)
    if texts:
        extra = sorted(set(texts.values()) - set(dictionary))
        lookup = {t: i for i, t in enumerate(dictionary)}
        lookup.update({t: len(dictionary) + j for j, t in enumerate(extra)})
        dictionary = dictionary + extra
        for i, text in texts.items():
            indices[i] = lookup[text]
    reasons = pa.DictionaryArray.from_arrays(
        pa.array(indices, mask=err_mask if errors else None), pa.array(dictionary, pa.string())
    )
    valid_mask = err_mask | (out.valid_from == _NO_DATE)
    cols: dict[str, pa.Array] = {
        "eligible": pa.array(out.eligible, mask=err_mask if errors else None),
        "reasons": reasons,
        "valid_from": pa.array(out.valid_from, mask=valid_mask).view(pa.date32()),
        "priority": pa.array(out.priority, mask=err_mask if errors else None),
    }
    if errors:
        text_col: list[str | None] = [None] * n
        for i, t in errors.items():
            text_col[i] = t
        cols["error"] = pa.array(text_col, pa.string())
    else:
        cols["error"] = pa.nulls(n, pa.string())
    result = table.select([c for c in table.column_names if c not in SCREEN_COLUMNS])
    for name, col in cols.items():
        result = result.append_column(name, col)
    return result


def screen_table(
    table: object,
    product: Product,
    *,
    on: dt.date,
    campaign: Campaign | None = None,
    law: Law | None = None,
    rules: Iterable[Rule] = (),
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    plan: ScreenPlan | None = None,
    priority_policy: PriorityPolicy = DEFAULT_PRIORITY_POLICY,
) -> pa.Table:
    """Decide, row by row, exactly as :func:`ansinh.core.eligibility.check` decides.

    Args:
        table: one row per person (a ``pyarrow.Table``, pandas / polars
            DataFrame or dict of arrays) with ``date_of_birth`` (date32) and
            ``province``, and optionally ``categories``,
            ``difficult_circumstances``, ``vietnamese_citizen``,
            ``compulsory_si``, ``receives_pension`` (booleans),
            ``bhyt_valid_until`` (date32), ``vsi_supported_months``,
            ``hospital_admission`` / ``hospital_discharge`` (Tết gifts).
        product: the gift, as for ``check``.
        on: the date of the gift.
        campaign: the campaign (its province limits who may receive).
        law: the parameters (default: the shipped law).
        rules: extra rules; with any, every row is checked by the scalar
            ``check`` one at a time (slow).
        plugins: as for :func:`ansinh.api.check`: ``None`` (the default) adds
            the installed plugins' eligibility rules (the built-in plugins
            have none), ``False`` adds none, or a plugin host.
        plan: a prepared :func:`make_screen_plan` (then leave the other
            keyword arguments out).
        priority_policy: the points table the ``priority`` scores follow (a
            province's declared :class:`~ansinh.core.eligibility.PriorityPolicy`;
            default: ansinh's own table), as ``check(..., priority_policy=)``.

    Returns:
        The input table plus ``eligible`` (bool), ``reasons`` (the reason
        codes in rule order, joined by ``";"``), ``valid_from`` (date32, health
        cards), ``priority`` (int64 score) and ``error`` (null, or why the row's
        person data is invalid).

    Raises:
        InvalidValueError: a required column is missing or of the wrong type,
            or an argument is malformed.
        NotInForceError: the law has no value on *on*.

    >>> import datetime as dt, pyarrow as pa
    >>> from ansinh.core.products import SocialBook
    >>> t = pa.table({"date_of_birth": [dt.date(1980, 1, 1), dt.date(2015, 1, 1)],
    ...               "province": ["01", "01"], "categories": ["near_poor", "poor"]})
    >>> r = screen_table(t, SocialBook(months=12), on=dt.date(2026, 1, 1))
    >>> r.column("eligible").to_pylist(), r.column("reasons").to_pylist()
    ([True, False], ['', 'UNDER_MIN_AGE'])
    """
    if plan is None:
        plan = make_screen_plan(
            product,
            on=on,
            campaign=campaign,
            law=law,
            rules=rules,
            plugins=plugins,
            priority_policy=priority_policy,
        )
    elif not isinstance(plan, ScreenPlan):
        raise InvalidValueError("plan", plan, "a plan from ansinh.bulk.make_screen_plan")
    return screen_batches(to_table(table), plan)
