"""Writing result files so that no half-written file is ever left behind.

Every file ansinh writes (rosters, public lists, reports, charts, ledger
exports) goes through :func:`write_atomic`: the data is written to a temporary
file beside the target and renamed over it only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ansinh.exceptions import OutputFileError

__all__ = ["write_atomic"]


def write_atomic(
    path: str | os.PathLike[str],
    data: str | bytes | Iterable[str],
    *,
    bom: bool = False,
    durable: bool = False,
) -> Path:
    """Write *data* to *path* through a temporary file and a rename.

    Args:
        path: the target; its folder is created if missing.
        data: text (written as UTF-8, newlines untranslated), bytes, or an
            iterable of text chunks (written one after the other, so a large
            export need not be held in memory).
        bom: start a text file with a UTF-8 byte-order mark (Excel then shows
            Vietnamese correctly).
        durable: ``fsync`` the file before the rename, for ledgers.

    Returns:
        The target path.

    Raises:
        OutputFileError: the file cannot be written; the target is unchanged
            and no temporary file is left.

    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "a.txt", "xin chào").read_text(encoding="utf-8")
    'xin chào'
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as raw:
                raw.write(data)
                if durable:
                    raw.flush()
                    os.fsync(raw.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
                for chunk in (data,) if isinstance(data, str) else data:
                    fh.write(chunk)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputFileError(f"{target}: cannot be written ({exc.strerror or exc})") from None
        raise
    return target
