"""ansinh over HTTP: a web API for systems that are not written in Python (``pip install 'ansinh[serve]'``).

:func:`create_app` builds an ASGI application (Starlette) over one law, one
set of plugins and, optionally, a campaign store; ``ansinh serve`` runs it
with uvicorn.  Requests and answers are ansinh's JSON documents
(:mod:`ansinh.serialization`), errors are RFC 9457 problem documents
(:mod:`ansinh.serve.problems`), and ``GET /openapi.json`` describes it all
(:mod:`ansinh.serve.openapi`).

Why Starlette and not a framework that derives schemas from attrs classes:
the wire format is ansinh's own encoding (rates as strings, money as JSON
integers, tagged unions, ``schema_version`` envelopes), which the cattrs
converter of :func:`ansinh.serialization.make_converter` reads and writes
and :func:`ansinh.serialization.json_schema` describes.  A schema derived
from the attrs classes by the framework would describe another encoding.

Importing this package imports neither Starlette nor uvicorn (so
``ansinh serve --help`` works without the extra); :func:`create_app` and
:class:`Limits` are loaded on first use.

>>> from ansinh.serve import Limits
>>> Limits(timeout=5).timeout
5
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ansinh.serve.app import create_app
    from ansinh.serve.campaigns import CampaignSource, SqliteCampaigns
    from ansinh.serve.limits import Limits

__all__ = ["CampaignSource", "Limits", "SqliteCampaigns", "create_app"]

_HOMES = {
    "create_app": "ansinh.serve.app",
    "CampaignSource": "ansinh.serve.campaigns",
    "SqliteCampaigns": "ansinh.serve.campaigns",
    "Limits": "ansinh.serve.limits",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'ansinh.serve' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
