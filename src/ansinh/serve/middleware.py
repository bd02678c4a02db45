"""ASGI middleware of the HTTP API: an access log without identifiers, a last guard, a body limit.

* :class:`AccessLog` logs one line per request to the logger
  ``ansinh.serve.access``: method, path (no query string; any run of nine or
  more digits masked), status and time.  Bodies are never logged.
* :class:`Guard` answers any exception that nothing else handled with a
  500 problem document that says nothing of its cause; the traceback goes to
  the logger ``ansinh.serve`` with every run of nine or more digits masked.
  (Starlette's own last handler re-raises, so the server would log the
  exception unmasked.)
* :class:`BodyLimit` refuses a body larger than the limit with a 413 problem:
  at once when ``Content-Length`` says so, else as soon as the bytes
  received pass the limit.
"""

from __future__ import annotations

import logging
import time
import traceback
from typing import Final

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ansinh.core.labels import Lang
from ansinh.serve.problems import (
    PROBLEM_MEDIA_TYPE,
    FieldProblem,
    Problem,
    ProblemError,
    ProblemType,
    mask_digits,
    negotiate_language,
    problem_for,
)

__all__ = [
    "ACCESS_LOGGER",
    "ERROR_LOGGER",
    "AccessLog",
    "BodyLimit",
    "Guard",
    "problem_response",
    "scope_language",
]

ACCESS_LOGGER: Final = "ansinh.serve.access"
"""The logger of the access log."""
ERROR_LOGGER: Final = "ansinh.serve"
"""The logger of the server's own errors (masked)."""

_PATH_SHOWN: Final = 200


def scope_language(scope: Scope) -> Lang:
    """The language of problem documents for a request (its ``Accept-Language``)."""
    return negotiate_language(Headers(scope=scope).get("accept-language"))


def problem_response(problem: Problem, lang: Lang) -> Response:
    """The problem document as a response (``application/problem+json``, ``Content-Language``)."""
    headers = {"Content-Language": lang, "Vary": "Accept-Language", **dict(problem.headers)}
    return JSONResponse(
        problem.to_json(lang), status_code=problem.status, headers=headers, media_type=PROBLEM_MEDIA_TYPE
    )


def _shown_path(scope: Scope) -> str:
    path = str(scope.get("root_path", "")) + str(scope.get("path", ""))
    path = "".join(ch if ch.isprintable() else "?" for ch in path)  # no forged log lines
    path = mask_digits(path)
    return path if len(path) <= _PATH_SHOWN else path[: _PATH_SHOWN - 1] + "…"


class AccessLog:
    """Log ``METHOD /path STATUS TIMEms`` for every HTTP request (never the query string or the body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(ACCESS_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def remember(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, remember)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            self.logger.info("%s %s %s %.1fms", scope.get("method", "?"), _shown_path(scope), status, elapsed)


class Guard:
    """Answer an exception nothing else handled with a problem document (500 unless it is bad input)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.logger = logging.getLogger(ERROR_LOGGER)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def remember(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, remember)
        except Exception as exc:
            text = "".join(traceback.format_exception(exc))
            self.logger.error(
                "%s %s failed:\n%s", scope.get("method", "?"), _shown_path(scope), mask_digits(text)
            )
            if started:  # too late for a problem document: the server closes the connection
                return
            await problem_response(problem_for(exc), scope_language(scope))(scope, receive, send)


class BodyLimit:
    """Refuse request bodies larger than *max_bytes* with a 413 problem document."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _problem(self, size: int | None) -> Problem:
        field = FieldProblem(
            field="body",
            value=None if size is None else f"{size} bytes",
            allowed=f"at most {self.max_bytes} bytes",
            allowed_vi=f"không quá {self.max_bytes} byte",
        )
        return Problem(type=ProblemType.CONTENT_TOO_LARGE, errors=(field,))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await problem_response(self._problem(int(declared)), scope_language(scope))(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ProblemError(self._problem(None))
            return message

        await self.app(scope, limited, send)
