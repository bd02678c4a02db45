"""What a campaign run checks before it writes anything, and what it says when it stops half-way.

:func:`~ansinh.io.run.run_campaign` writes the ledger first, then the report.
A run that failed after its first event was written would leave an output
folder with a ledger and no report; so every input that could stop the run
later is checked up front (:func:`check_run`), before the ledger is opened,
each refusal a :class:`~ansinh.exceptions.CampaignFileError` naming the key.
The report files are written together or not at all
(:func:`~ansinh.io.report_files.write_report`), and an error met once events
were written says how to finish the run (:func:`resumable`): run it again —
the ledger keeps every event, and a second run appends only what is missing.

>>> import datetime as dt
>>> from ansinh.core.campaign import Campaign
>>> from ansinh.io.campaign_toml import RunSettings
>>> c = Campaign(code="C", name="C", start=dt.date(2025, 10, 23), end=dt.date(2026, 3, 31))
>>> check_settings(c, RunSettings(purchase_date=dt.date(2027, 1, 5)))
Traceback (most recent call last):
...
ansinh.exceptions.CampaignFileError: campaign.toml [run] purchase_date='2027-01-05' is not allowed: a date within the campaign, 2025-10-23 to 2026-03-31 (gifts are bought while it runs)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ansinh.core.campaign import Campaign
from ansinh.core.products import HealthCard, SocialBook, TetGift
from ansinh.exceptions import AnsinhError, CampaignFileError, InvalidValueError, OutputFileError
from ansinh.io.campaign_toml import RunSettings

__all__ = ["check_out_folder", "check_run", "check_settings", "resumable", "resume_advice"]

_RUN = "campaign.toml [run]"


def check_settings(campaign: Campaign, settings: RunSettings) -> None:
    """Refuse ``[run]`` settings the run would trip over after writing its first event.

    Raises:
        CampaignFileError: naming the key: a purchase date outside the
            campaign (the ledger refuses its gifts), a handover date before
            the campaign starts, or months or a gift value no product takes.
    """
    purchase = settings.purchase_date
    if not campaign.start <= purchase <= campaign.end:
        raise CampaignFileError(
            f"{_RUN} purchase_date",
            purchase.isoformat(),
            f"a date within the campaign, {campaign.start} to {campaign.end} (gifts are bought while it runs)",
        )
    if settings.handover_date is not None and settings.handover_date < campaign.start:
        raise CampaignFileError(
            f"{_RUN} handover_date",
            settings.handover_date.isoformat(),
            f"a date on or after the campaign start {campaign.start}",
        )
    products = (
        ("card_months", lambda: HealthCard(months=settings.card_months)),
        ("book_months", lambda: SocialBook(months=settings.book_months)),
        ("tet_gift_value", lambda: not settings.tet_gift_value or TetGift(value=settings.tet_gift_value)),
    )
    for key, make in products:
        try:
            make()
        except InvalidValueError as exc:
            raise CampaignFileError(f"{_RUN} {key}", exc.value, exc.allowed) from None


def check_out_folder(out: str | os.PathLike[str]) -> Path:
    """Make sure the output folder can be written before the run writes its ledger there (nothing is created).

    A folder that exists gets a temporary file written and removed; one that
    does not must be creatable in the nearest folder above it that exists.

    Returns:
        The folder.

    Raises:
        OutputFileError: it cannot be created or written (read-only media,
            permissions, a file of that name), naming the cause.
    """
    folder = Path(out)
    try:
        if folder.is_dir():
            with tempfile.TemporaryFile(dir=folder, prefix=".ansinh-probe-"):
                pass
            return folder
        above = folder.absolute().parent
        while not above.exists():
            above = above.parent
        if folder.exists() or not above.is_dir():
            raise NotADirectoryError(20, "not a folder")
        if not os.access(above, os.W_OK | os.X_OK):
            raise PermissionError(13, f"{above} cannot be written")
    except OSError as exc:
        raise OutputFileError(
            f"{folder}: the output folder cannot be written ({exc.strerror or exc}); nothing was written"
        ) from None
    return folder


def check_run(campaign: Campaign, settings: RunSettings, out: str | os.PathLike[str]) -> Path:
    """Every check a run makes before it writes: :func:`check_settings`, then :func:`check_out_folder`.

    Returns:
        The output folder.
    """
    check_settings(campaign, settings)
    return check_out_folder(out)


def resume_advice(out: str | os.PathLike[str], written: int) -> str:
    """What to tell someone whose run stopped after writing *written* events into the ledger in *out*."""
    return (
        f" — the run stopped after recording {written} new events in {Path(out) / 'ledger.sqlite'}; "
        "report files from earlier runs were left as they were. Fix the cause and run the same "
        "command again: the ledger keeps those events, and a second run appends only what is "
        "missing, then writes the report"
    )


@contextlib.contextmanager
def resumable(out: str | os.PathLike[str], written: Callable[[], int]) -> Iterator[None]:
    """Add :func:`resume_advice` to an ansinh error or an :class:`OSError` raised once events were written.

    *written* tells how many events the run has written so far; the error
    keeps its type (the advice is added to its message).
    """
    try:
        yield
    except (AnsinhError, OSError) as exc:
        with contextlib.suppress(Exception):  # the advice never hides the error
            count = written()
            if count and exc.args and isinstance(exc.args[0], str):
                exc.args = (exc.args[0] + resume_advice(out, count), *exc.args[1:])
        raise
