"""Every example in docs/ runs as written in a plain Python session.

Each page's ``{doctest}`` blocks run top to bottom in a fresh interpreter (a
subprocess: nothing imported for them, no set-up), sharing one namespace as a
reader typing them in would; a failure names the page, the block and its line.
The ``python`` blocks are fragments of files a reader writes (a plugin's
module, a script for a cluster): they are compiled, not run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import ansinh

DOCS = Path(__file__).resolve().parent.parent / "docs"
ROOT = DOCS.parent
FENCE = re.compile(
    r"^(?P<indent> *)```(?P<kind>\{doctest\}|python)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.S | re.M
)

# Runs in the fresh interpreter: reads the blocks, runs each as a doctest in one namespace.
DRIVER = """
import doctest, json, sys
page, blocks = json.load(sys.stdin)
flags = doctest.ELLIPSIS | doctest.IGNORE_EXCEPTION_DETAIL | doctest.DONT_ACCEPT_TRUE_FOR_1
runner = doctest.DocTestRunner(optionflags=flags)
namespace = {"__name__": "__main__"}
failed = []
for i, (line, text) in enumerate(blocks, 1):
    test = doctest.DocTestParser().get_doctest(text, namespace, f"{page} block {i}", page, line)
    test.globs = namespace  # a DocTest copies its globals: share one namespace, as in a session
    report = []
    result = runner.run(test, out=report.append, clear_globs=False)
    if result.failed:
        failed.append(f"{page}, block {i} (line {line}):\\n" + "".join(report))
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""


def blocks(page: Path, kind: str) -> list[tuple[int, str]]:
    """The ``kind`` blocks of *page*: (line of the first line of code, code)."""
    text = page.read_text("utf-8")
    found = []
    for match in FENCE.finditer(text):
        if match.group("kind") == kind:
            line = text.count("\n", 0, match.start("body")) + 1
            indent = len(match.group("indent"))
            body = "".join(ln[indent:] for ln in match.group("body").splitlines(keepends=True))
            found.append((line, body))
    return found


PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
EXAMPLE_PAGES = [p for p in PAGES if blocks(p, "{doctest}")]


def test_the_docs_have_examples_to_run() -> None:
    assert len(EXAMPLE_PAGES) >= 8
    assert "doctest_global_setup" not in (DOCS / "conf.py").read_text("utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_the_examples_of_a_page_run_in_a_fresh_interpreter(page: Path) -> None:
    name = str(page.relative_to(DOCS))
    src = Path(ansinh.__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps([name, blocks(page, "{doctest}")]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(src), "PATH": "", "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8"},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_failing_example_names_its_page_block_and_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(["howto/x.md", [[3, ">>> 1 + 1\n2\n"], [9, ">>> ansinh.price\n"]]]),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "howto/x.md, block 2 (line 9)" in done.stdout
    assert "NameError: name 'ansinh' is not defined" in done.stdout


@pytest.mark.parametrize("page", [p for p in PAGES if blocks(p, "python")], ids=lambda p: p.name)
def test_the_python_fragments_compile(page: Path) -> None:
    for line, code in blocks(page, "python"):
        try:
            compile(code, f"{page.name}:{line}", "exec")
        except SyntaxError as exc:  # pragma: no cover - the message is the failure
            pytest.fail(f"{page.relative_to(DOCS)} line {line}: {exc}")
