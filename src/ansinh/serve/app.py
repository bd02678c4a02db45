"""The ASGI application: :func:`create_app` builds it over one law, one set of plugins and a store.

Endpoints (the OpenAPI document at ``GET /openapi.json`` describes each):

=====================================  ===============================================
``POST /price``                        a quote document (:func:`ansinh.price`)
``POST /check``                        a decision document (:func:`ansinh.check`)
``POST /screen``                       decision documents as JSON lines (:mod:`~ansinh.serve.screening`)
``GET /law``                           the law document (with the plugins' parameters)
``GET /law/{name}?on=``                one parameter, and its value in force on a date
``GET /plugins``                       the registered plugins
``GET /campaigns``                     the campaigns of the store
``GET /campaigns/{code}/report?on=``   a report document (:func:`ansinh.report`)
``GET /openapi.json``, ``GET /docs``   the OpenAPI 3.1 document and the interactive docs
=====================================  ===============================================

The work of a request runs in a worker thread, bounded by
:attr:`~ansinh.serve.limits.Limits.timeout`; the event loop only reads and
writes.  Nothing is written anywhere: the store is only read.

>>> from ansinh.serve import create_app
>>> app = create_app(plugins=False)
>>> sorted(r.path for r in app.routes)[:3]
['/campaigns', '/campaigns/{code}/report', '/check']
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

import anyio
import anyio.to_thread
import pluggy
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ansinh import api
from ansinh.core.eligibility import Screening
from ansinh.core.law import Law
from ansinh.core.reporting import report
from ansinh.exceptions import AnsinhError, InvalidProductError, InvalidValueError, UnknownParameterError
from ansinh.plugin_manager import PluginHost
from ansinh.serialization import dump_document
from ansinh.serve.campaigns import CampaignSource, SqliteCampaigns
from ansinh.serve.documents import campaigns_document, law_parameter_document, plugins_document
from ansinh.serve.limits import Limits
from ansinh.serve.middleware import ERROR_LOGGER, AccessLog, BodyLimit, Guard, problem_response
from ansinh.serve.openapi import docs_page, openapi_document
from ansinh.serve.problems import (
    FieldProblem,
    Problem,
    ProblemError,
    ProblemType,
    mask_digits,
    negotiate_language,
    problem_for,
)
from ansinh.serve.reading import check_request, parse_json, price_request, read_value
from ansinh.serve.screening import (
    JSON_LINES_TYPES,
    ScreenInput,
    read_json_lines,
    read_upload,
    screening_lines,
)

__all__ = ["StoreArgument", "create_app"]

T = TypeVar("T")

StoreArgument = CampaignSource | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None
"""What ``store=`` accepts: a :class:`~ansinh.serve.campaigns.CampaignSource`, store files or ``None``."""

_MAX_RENEWAL_DAYS: Final = 3660
_JSON_TYPES: Final = ("application/json",)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _unsupported(request: Request, allowed: str) -> ProblemError:
    field = FieldProblem(field="Content-Type", value=request.headers.get("content-type", ""), allowed=allowed)
    return ProblemError(Problem(type=ProblemType.UNSUPPORTED_MEDIA_TYPE, errors=(field,)))


async def _json_body(request: Request) -> object:
    media = _media_type(request)
    if media not in _JSON_TYPES and not media.endswith("+json"):
        raise _unsupported(request, "application/json")
    return parse_json(await request.body())


def _query(request: Request, *names: str) -> dict[str, str]:
    """The query parameters of *request*, refusing any but *names* (a typo is an error, not a default)."""
    params = request.query_params
    takes = ", ".join(names) or "none"
    unknown = [
        FieldProblem(
            field=key, value=params[key], allowed=f"no such query parameter; this path takes: {takes}"
        )
        for key in params
        if key not in names
    ]
    if unknown:
        raise ProblemError(Problem(type=ProblemType.INVALID_VALUE, errors=tuple(unknown)))
    return {key: params[key] for key in names if key in params}


def _date(query: dict[str, str], name: str) -> dt.date | None:
    text = query.get(name)
    return None if text is None else read_value(text, dt.date, name)


def _renewal_days(query: dict[str, str]) -> int:
    text = query.get("renewal_days")
    if text is None:
        return 60
    if text.isascii() and text.isdigit() and len(text) <= 4 and int(text) <= _MAX_RENEWAL_DAYS:
        return int(text)
    raise ProblemError(
        Problem.invalid("renewal_days", text, f"a whole number of days from 0 to {_MAX_RENEWAL_DAYS}")
    )


def _not_found(field: str, value: str, allowed: str) -> ProblemError:
    problem = FieldProblem(field=field, value=value, allowed=allowed)
    return ProblemError(Problem(type=ProblemType.NOT_FOUND, errors=(problem,)))


@functools.lru_cache(maxsize=8)
def _openapi_bytes(server: str) -> bytes:
    doc = openapi_document(server=server or None)
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Endpoints:
    """The request handlers, sharing one law, one plugin host, one store and the limits."""

    def __init__(
        self, *, law: Law, host: PluginHost | None, source: CampaignSource | None, limits: Limits
    ) -> None:
        self.law = law
        self.host = host
        self.plugins: PluginHost | bool = host if host is not None else False
        self.source = source
        self.limits = limits
        self._law_document: bytes | None = None

    async def compute(self, work: Callable[[], T]) -> T:
        """Run *work* in a worker thread; a 504 problem when it takes longer than the limit.

        A product the law of the day refuses is named as the request's ``product`` field.
        """
        seconds = self.limits.timeout
        try:
            with anyio.fail_after(seconds):
                return await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
        except InvalidProductError as exc:  # the law of the day refuses the product: name it in the request
            field = exc.field if exc.field.startswith("product") else f"product.{exc.field}"
            raise ProblemError(Problem.invalid(field, exc.value, exc.allowed)) from None
        except TimeoutError:
            problem = FieldProblem(
                field=None,
                allowed=f"at most {seconds:g} seconds of computation per request",
                allowed_vi=f"tối đa {seconds:g} giây tính toán cho mỗi yêu cầu",
            )
            raise ProblemError(Problem(type=ProblemType.TIMEOUT, errors=(problem,))) from None

    async def price(self, request: Request) -> Response:
        req = price_request(await _json_body(request))
        quote = await self.compute(
            lambda: api.price(req.product, req.who, on=req.on, law=self.law, plugins=self.plugins)
        )
        return JSONResponse(dump_document(quote))

    async def check(self, request: Request) -> Response:
        req = check_request(await _json_body(request))
        decision = await self.compute(
            lambda: api.check(
                req.person, req.product, on=req.on, campaign=req.campaign, law=self.law, plugins=self.plugins
            )
        )
        return JSONResponse(dump_document(decision))

    async def _upload(self, request: Request) -> Callable[[], ScreenInput]:
        async with request.form(max_files=1, max_fields=4, max_part_size=self.limits.max_body_bytes) as form:
            parts = {key: form.get(key) for key in ("request", "roster", "sheet")}
            extra = [key for key in form if key not in parts]
            errors = [
                FieldProblem(field=k, allowed="no such part; the parts are request, roster, sheet")
                for k in extra
            ]
            request_part, roster, sheet = parts["request"], parts["roster"], parts["sheet"]
            if request_part is None:
                errors.append(
                    FieldProblem(field="request", allowed='a part with {"product": ..., "on": ...}')
                )
            if not isinstance(roster, UploadFile):
                errors.append(FieldProblem(field="roster", allowed="a file part: the roster (.csv, .xlsx)"))
            if errors or request_part is None or not isinstance(roster, UploadFile):
                raise ProblemError(Problem(type=ProblemType.INVALID_VALUE, errors=tuple(errors)))
            text = await request_part.read() if isinstance(request_part, UploadFile) else request_part
            settings = parse_json(text, field="request")
            data = await roster.read()
        filename = roster.filename or "roster.csv"
        content_type = roster.content_type or ""
        chosen = sheet if isinstance(sheet, str) and sheet else None
        return lambda: read_upload(
            request=settings,
            filename=filename,
            content_type=content_type,
            data=data,
            sheet=chosen,
            limits=self.limits,
        )

    async def screen(self, request: Request) -> Response:
        media = _media_type(request)
        if media in JSON_LINES_TYPES:
            body = await request.body()
            read: Callable[[], ScreenInput] = lambda: read_json_lines(body, limits=self.limits)  # noqa: E731
        elif media == "multipart/form-data":
            read = await self._upload(request)
        else:
            raise _unsupported(
                request, f"{JSON_LINES_TYPES[0]}, or multipart/form-data with request and roster"
            )

        def work() -> tuple[ScreenInput, Screening]:
            given = read()
            req = given.request
            screening = api.screen(
                given.people,
                req.product,
                on=req.on,
                campaign=req.campaign,
                law=self.law,
                plugins=self.plugins,
            )
            return given, screening

        given, screening = await self.compute(work)
        return StreamingResponse(screening_lines(screening, given), media_type=JSON_LINES_TYPES[0])

    async def law_document(self, request: Request) -> Response:
        _query(request)
        if self._law_document is None:
            doc = await self.compute(lambda: dump_document(self.law))
            self._law_document = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return Response(self._law_document, media_type="application/json")

    async def law_parameter(self, request: Request) -> Response:
        name = request.path_params["name"]
        on = _date(_query(request, "on"), "on")
        try:
            parameter = self.law.parameter(name)
        except UnknownParameterError as exc:
            raise _not_found("name", name, "one of " + ", ".join(exc.known)) from None
        in_force = self.law.at(on).entry(name) if on is not None else None
        return JSONResponse(law_parameter_document(parameter, on, in_force))

    async def plugins_list(self, request: Request) -> Response:
        _query(request)
        return JSONResponse(plugins_document(self.host.plugins() if self.host is not None else ()))

    async def campaigns(self, request: Request) -> Response:
        _query(request)
        source = self.source
        found = await self.compute(source.campaigns) if source is not None else ()
        return JSONResponse(campaigns_document(found))

    async def campaign_report(self, request: Request) -> Response:
        code = request.path_params["code"]
        query = _query(request, "on", "renewal_days")
        on = _date(query, "on")
        days = _renewal_days(query)
        source = self.source
        state = await self.compute(lambda: source.state(code)) if source is not None else None
        if state is None:
            raise _not_found("code", code, "the code of a campaign listed by GET /campaigns")
        day = on if on is not None else state.campaign.end
        return JSONResponse(
            dump_document(await self.compute(lambda: report(state, on=day, renewal_days=days)))
        )

    async def openapi(self, request: Request) -> Response:
        return Response(
            _openapi_bytes(str(request.scope.get("root_path", ""))), media_type="application/json"
        )

    async def docs(self, request: Request) -> Response:
        return HTMLResponse(docs_page("openapi.json"))

    def routes(self) -> list[Route]:
        return [
            Route("/price", self.price, methods=["POST"]),
            Route("/check", self.check, methods=["POST"]),
            Route("/screen", self.screen, methods=["POST"]),
            Route("/law", self.law_document, methods=["GET"]),
            Route("/law/{name}", self.law_parameter, methods=["GET"]),
            Route("/plugins", self.plugins_list, methods=["GET"]),
            Route("/campaigns", self.campaigns, methods=["GET"]),
            Route("/campaigns/{code}/report", self.campaign_report, methods=["GET"]),
            Route("/openapi.json", self.openapi, methods=["GET"]),
            Route("/docs", self.docs, methods=["GET"]),
        ]


_HTTP_PROBLEMS: Final = {
    400: ProblemType.BAD_REQUEST,
    404: ProblemType.NOT_FOUND,
    405: ProblemType.METHOD_NOT_ALLOWED,
    413: ProblemType.CONTENT_TOO_LARGE,
    415: ProblemType.UNSUPPORTED_MEDIA_TYPE,
}


def _http_problem(request: Request, exc: HTTPException) -> Problem:
    kind = _HTTP_PROBLEMS.get(exc.status_code, ProblemType.BAD_REQUEST)
    if kind is ProblemType.NOT_FOUND:
        field = FieldProblem(field="path", value=request.url.path, allowed="a path listed in openapi.json")
    elif kind is ProblemType.METHOD_NOT_ALLOWED:
        allow = (exc.headers or {}).get("Allow", "")
        field = FieldProblem(field="method", value=request.method, allowed=allow)
        return Problem(type=kind, errors=(field,), headers=(("Allow", allow),))
    else:
        field = FieldProblem(field="body", allowed=str(exc.detail))
    return Problem(type=kind, errors=(field,))


async def _handle(request: Request, exc: Exception) -> Response:
    """Every exception a handler raises on purpose, as a problem document."""
    lang = negotiate_language(request.headers.get("accept-language"))
    if isinstance(exc, HTTPException):
        return problem_response(_http_problem(request, exc), lang)
    problem = problem_for(exc)
    if problem.status >= 500:
        logging.getLogger(ERROR_LOGGER).error(
            "%s %s: %s", request.method, request.url.path, mask_digits(str(exc))
        )
    return problem_response(problem, lang)


def _source(store: StoreArgument, law: Law, host: PluginHost | None) -> CampaignSource | None:
    if store is None or isinstance(store, CampaignSource):
        return store
    paths = [store] if isinstance(store, str | os.PathLike) else list(store)
    supports = host.all_local_supports() if host is not None else ()
    lists = host.all_commune_lists() if host is not None else ()
    return SqliteCampaigns(paths, law=law, local_supports=supports, commune_lists=lists)


def create_app(
    *,
    law: Law | None = None,
    plugins: PluginHost | pluggy.PluginManager | bool | None = None,
    store: StoreArgument = None,
    limits: Limits | None = None,
    cors_origins: Sequence[str] = (),
) -> Starlette:
    """Build the HTTP API as an ASGI application (mount it in another one, or serve it with uvicorn).

    Args:
        law: the law (default: the shipped law); the plugins' own parameters
            are added to it, as ``ansinh law show`` and ``ansinh campaign
            run`` do.
        plugins: which plugins contribute, as in :mod:`ansinh.api`:
            ``None`` the installed ones, ``False`` none, or a host.
        store: where ``/campaigns`` reads: a
            :class:`~ansinh.serve.campaigns.CampaignSource`, one or more
            SQLite store files (paths or ``sqlite:///`` URLs), or ``None``
            (no campaigns).
        limits: the request size, roster rows and time limits (default: :class:`Limits`).
        cors_origins: the origins whose browser pages may call the API
            (``"https://portal.example.vn"``; ``"*"`` for any); none by default.

    Returns:
        The application; ``app.state.campaigns`` is the campaign source it
        reads (``None`` without a store).

    Raises:
        PluginError: an installed plugin cannot be loaded.
        InvalidValueError: a bad argument (an unknown store URL, a missing store file …).
    """
    host = api.resolve_plugins(plugins)
    resolved = api.resolve_law(law)
    if host is not None:
        resolved = host.law_with_parameters(resolved)
    limits = limits if limits is not None else Limits()
    if not isinstance(limits, Limits):
        raise InvalidValueError("limits", limits, "an ansinh.serve.Limits or None")
    endpoints = _Endpoints(law=resolved, host=host, source=_source(store, resolved, host), limits=limits)
    handlers: dict[Any, Any] = {HTTPException: _handle, AnsinhError: _handle, TimeoutError: _handle}
    middleware = [Middleware(AccessLog), Middleware(Guard)]
    if cors_origins:
        if isinstance(cors_origins, str):
            raise InvalidValueError("cors_origins", cors_origins, "a list of origins, not one string")
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept-Language"],
                expose_headers=["Content-Language"],
            )
        )
    middleware.append(Middleware(BodyLimit, max_bytes=limits.max_body_bytes))
    app = Starlette(routes=endpoints.routes(), middleware=middleware, exception_handlers=handlers)
    app.state.campaigns = endpoints.source
    return app
