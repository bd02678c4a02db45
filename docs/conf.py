"""Sphinx configuration for ansinh's documentation.

Build: ``sphinx-build -W --keep-going -n -b html docs docs/_build/html`` and
``-b doctest`` (``nox -s docs`` runs both).  Links to the documentation of
Python, attrs, cattrs, pluggy and Hypothesis need the network: set
``ANSINH_DOCS_INTERSPHINX=1`` to use them; offline builds leave those names
unlinked instead of failing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import ansinh

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "ansinh"
author = "ansinh developers"
copyright = "2026, ansinh developers"
release = ansinh.__version__
version = ".".join(release.split(".")[:2])
language = "en"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "ansinh_docs",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"ansinh {release}"

# -- autodoc --------------------------------------------------------------------------
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}
autoclass_content = "class"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# -- doctest -------------------------------------------------------------------------
# Docstring examples are run by pytest (--doctest-modules) in their module's
# namespace; here only the examples written in the documentation pages run.  No global
# set-up: each page imports what it uses, so every example runs as written in a plain
# Python session (tests/test_docs_examples.py runs each page in a fresh interpreter).
doctest_test_doctest_blocks = ""

# -- cross-references -----------------------------------------------------------------
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
if os.environ.get("ANSINH_DOCS_INTERSPHINX"):
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "attrs": ("https://www.attrs.org/en/stable/", None),
        "cattrs": ("https://catt.rs/en/stable/", None),
        "pluggy": ("https://pluggy.readthedocs.io/en/stable/", None),
        "hypothesis": ("https://hypothesis.readthedocs.io/en/latest/", None),
    }

# Names from the standard library and third-party packages: linked through
# intersphinx when it is on, left as plain text (not an error) when offline.
_EXTERNAL = (
    r"(datetime|fractions|decimal|enum|collections|collections\.abc|typing|typing_extensions|pathlib|os"
    r"|io|argparse|functools|importlib|json|csv|re|types|contextlib|concurrent|logging|sqlite3"
    r"|attr|attrs|cattr|cattrs|pluggy|hypothesis|numpy|np|pyarrow|pa|pandas|pd|dask|distributed"
    r"|openpyxl|matplotlib|starlette|uvicorn|anyio|httpx)(\..+)?"
)
nitpick_ignore_regex = [
    (r"py:.*", _EXTERNAL),
    # Short names the standard library uses in type hints (``Path``, ``Fraction`` …).
    (r"py:.*", r"(Path|Fraction|Decimal|TextIO|BinaryIO|Iterator|Iterable|Mapping|Sequence|Callable)"),
    (r"py:.*", r"(dt|date|Any|Final|Literal|TypeAlias|SearchStrategy|Converter|PluginManager|Figure)(\..+)?"),
    # Private helpers and type variables that signatures mention but the docs do not describe.
    (r"py:.*", r"(ansinh(\.\w+)*\.)?_\w+(\.\w+)*"),
    (r"py:class", r"ansinh\.[\w.]+\.[A-Z]"),
]
