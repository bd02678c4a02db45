"""Fuzz the shipped campaign folder, one file damaged at a time, through :func:`ansinh.run_campaign`.

Each example takes ``examples/tet-binh-ngo-2026`` and damages one of its
files (cut short, a hostile snippet put in, a line dropped or doubled).
The run either succeeds or raises an :class:`~ansinh.exceptions.AnsinhError`
that shows no identifier; and when it raises, no event was recorded and the
output folder holds no store and no report file (nothing half-written).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ansinh

from .test_files_and_documents import FUZZ
from .test_public_api import check_error

pytestmark = pytest.mark.fuzz

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tet-binh-ngo-2026"
FILES = sorted(p.name for p in EXAMPLE.iterdir() if p.suffix in (".csv", ".toml"))
SNIPPETS = [
    b'"',
    b"\r",
    b"\x00",
    b"\x01",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b",;\t",
    b"=HYPERLINK(1)",
    b"[[",
    b"]]\n",
    b"\n\n",
    b"= 1\n",
    b"x" * 200_000,
    "Số CCCD 031190000100 ".encode(),
]


def _damaged(data: bytes, how: str, at: float, snippet: bytes) -> bytes:
    cut = int(len(data) * at)
    if how == "cut":
        return data[:cut]
    if how == "insert":
        return data[:cut] + snippet + data[cut:]
    lines = data.splitlines(keepends=True)
    i = min(int(len(lines) * at), len(lines) - 1)
    if how == "drop":
        return b"".join(lines[:i] + lines[i + 1 :])
    return b"".join(lines[: i + 1] + lines[i:])  # a line doubled


@FUZZ
@given(
    name=st.sampled_from(FILES),
    how=st.sampled_from(["cut", "insert", "drop", "double"]),
    at=st.floats(min_value=0, max_value=1),
    snippet=st.sampled_from(SNIPPETS),
)
def test_a_damaged_campaign_file_is_refused_whole_or_read(
    name: str, how: str, at: float, snippet: bytes
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "campaign"
        shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build", "README.md"))
        path = folder / name
        path.write_bytes(_damaged(path.read_bytes(), how, at, snippet))
        out = Path(tmp) / "out"
        error: Exception | None = None
        try:
            ansinh.run_campaign(folder, out=out, plugins=False)
        except Exception as exc:  # checked below, outside the handler
            error = exc
        if error is not None:
            check_error(error)
            assert "the run stopped after recording" not in str(error)  # no event was written
            left = sorted(p.name for p in out.iterdir()) if out.is_dir() else []
            assert not [
                n for n in left if n.startswith(("ledger", "report", "totals", "summary", "events"))
            ], left
