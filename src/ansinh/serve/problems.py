"""Problem documents (RFC 9457): what went wrong, in Vietnamese or English, with identifiers masked.

Every error answer of the HTTP API is a problem document, media type
``application/problem+json``::

    {"type": "urn:ansinh:problem:invalid-value", "title": "Invalid input", "status": 422,
     "detail": "product.months=5 is not allowed: one of 3, 6, 12",
     "field": "product.months", "value": "5", "allowed": "one of 3, 6, 12",
     "errors": [{"field": "product.months", "value": "5", "allowed": "one of 3, 6, 12"}]}

``field`` names the bad field (a dotted path into the request, ``on`` for a
query parameter, ``body`` for the whole body), ``value`` is what was sent
(as text, shortened, every run of nine or more digits masked like
:func:`~ansinh.core.people.mask_id`), ``allowed`` says what would be
accepted; ``errors`` lists every bad field when there are several.  Titles
and details are Vietnamese unless ``Accept-Language`` prefers English
(:func:`negotiate_language`); ``allowed`` texts from the library are
written in English.

>>> p = Problem.invalid("who.cccd", "0011700123", "12 digits")
>>> doc = p.to_json("en")
>>> doc["status"], doc["field"], doc["value"]
(422, 'who.cccd', '0011****23')
>>> doc["detail"]
'who.cccd=0011****23 is not allowed: 12 digits'
>>> Problem.invalid("who.cccd", "0011700123", "12 digits").to_json("vi")["title"]
'Dữ liệu không hợp lệ'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

import attrs

from ansinh.core.identifiers import mask_digits
from ansinh.core.labels import Labelled, Lang
from ansinh.core.messages import shorten
from ansinh.exceptions import (
    AnsinhError,
    InvalidValueError,
    LedgerError,
    NotInForceError,
    PluginError,
    RosterError,
    SerializationError,
)

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "FieldProblem",
    "Problem",
    "ProblemError",
    "ProblemType",
    "mask_digits",
    "negotiate_language",
    "problem_for",
    "shown_value",
]

PROBLEM_MEDIA_TYPE: Final = "application/problem+json"
"""The media type of problem documents (RFC 9457)."""

_SHOWN: Final = 80


class ProblemType(Labelled):
    """The kinds of problem the API reports; the value is the last part of the ``type`` URI."""

    BAD_REQUEST = "bad-request"
    """The request cannot be read (e.g. a broken multipart upload)."""
    MALFORMED_JSON = "malformed-json"
    """The body (or a line of it) is not JSON."""
    INVALID_VALUE = "invalid-value"
    """A field has a value ansinh does not allow (any :class:`~ansinh.exceptions.AnsinhError` about input)."""
    TOO_MANY_ROWS = "too-many-rows"
    """A roster names more people than :attr:`~ansinh.serve.limits.Limits.max_rows`."""
    NOT_FOUND = "not-found"
    """No such path, legal parameter or campaign."""
    METHOD_NOT_ALLOWED = "method-not-allowed"
    """The path exists, the method does not."""
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type"
    """The body's ``Content-Type`` is not one the endpoint reads."""
    CONTENT_TOO_LARGE = "content-too-large"
    """The body is larger than :attr:`~ansinh.serve.limits.Limits.max_body_bytes`."""
    TIMEOUT = "timeout"
    """The computation took longer than :attr:`~ansinh.serve.limits.Limits.timeout`."""
    PLUGIN_FAILED = "plugin-failed"
    """An installed plugin failed: the server's fault, not the request's."""
    STORE_FAILED = "store-failed"
    """The server's campaign store cannot be read."""
    INTERNAL_ERROR = "internal-error"
    """A bug; the details are in the server's log, never in the answer."""

    @classmethod
    def labels(cls) -> Mapping[str, tuple[str, str]]:
        """Each problem's title, ``(Vietnamese, English)``."""
        return _TITLES

    @property
    def status(self) -> int:
        """The HTTP status code this problem is answered with."""
        return _STATUS[self]

    @property
    def uri(self) -> str:
        """The problem's ``type`` URI (not meant to be dereferenced)."""
        return f"urn:ansinh:problem:{self.value}"


_TITLES: Final[Mapping[str, tuple[str, str]]] = {
    ProblemType.BAD_REQUEST: ("Yêu cầu không hợp lệ", "Bad request"),
    ProblemType.MALFORMED_JSON: ("Nội dung không phải JSON hợp lệ", "Malformed JSON"),
    ProblemType.INVALID_VALUE: ("Dữ liệu không hợp lệ", "Invalid input"),
    ProblemType.TOO_MANY_ROWS: ("Danh sách quá nhiều dòng", "Too many rows"),
    ProblemType.NOT_FOUND: ("Không tìm thấy", "Not found"),
    ProblemType.METHOD_NOT_ALLOWED: ("Phương thức không được hỗ trợ", "Method not allowed"),
    ProblemType.UNSUPPORTED_MEDIA_TYPE: ("Kiểu nội dung không được hỗ trợ", "Unsupported media type"),
    ProblemType.CONTENT_TOO_LARGE: ("Nội dung quá lớn", "Content too large"),
    ProblemType.TIMEOUT: ("Quá thời gian xử lý", "Computation timed out"),
    ProblemType.PLUGIN_FAILED: ("Plugin gặp lỗi", "A plugin failed"),
    ProblemType.STORE_FAILED: ("Không đọc được kho dữ liệu", "The store cannot be read"),
    ProblemType.INTERNAL_ERROR: ("Lỗi máy chủ", "Internal server error"),
}
_STATUS: Final[Mapping[ProblemType, int]] = {
    ProblemType.BAD_REQUEST: 400,
    ProblemType.MALFORMED_JSON: 400,
    ProblemType.INVALID_VALUE: 422,
    ProblemType.TOO_MANY_ROWS: 422,
    ProblemType.NOT_FOUND: 404,
    ProblemType.METHOD_NOT_ALLOWED: 405,
    ProblemType.UNSUPPORTED_MEDIA_TYPE: 415,
    ProblemType.CONTENT_TOO_LARGE: 413,
    ProblemType.TIMEOUT: 504,
    ProblemType.PLUGIN_FAILED: 500,
    ProblemType.STORE_FAILED: 500,
    ProblemType.INTERNAL_ERROR: 500,
}
# What a problem without a field says (the server's own failures, a timeout).
_DETAILS: Final[Mapping[ProblemType, tuple[str, str]]] = {
    ProblemType.TIMEOUT: ("Phép tính vượt quá thời gian cho phép", "The computation took too long"),
    ProblemType.PLUGIN_FAILED: (
        "Một plugin đã cài trên máy chủ gặp lỗi; yêu cầu không có lỗi",
        "A plugin installed on the server failed; the request is not at fault",
    ),
    ProblemType.STORE_FAILED: (
        "Máy chủ không đọc được kho dữ liệu của chương trình",
        "The server cannot read its campaign store",
    ),
    ProblemType.INTERNAL_ERROR: (
        "Lỗi không mong đợi của máy chủ; chi tiết đã được ghi vào nhật ký của máy chủ",
        "An unexpected error in the server; the details are in the server's log",
    ),
}


def shown_value(value: object) -> str:
    """A value as a problem document shows it: text (JSON for non-strings), shortened, digits masked.

    >>> shown_value("x" * 100)[-3:], shown_value(12.0), shown_value({"cccd": "001170012389"})
    ('xx…', '12.0', '{"cccd": "0011******89"}')
    """
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (ValueError, TypeError, RecursionError):  # a circular or too deep value, a huge int
            text = type(value).__name__
    return shorten(text, _SHOWN)


def negotiate_language(header: str | None) -> Lang:
    """The language of problem documents for an ``Accept-Language`` header: ``"vi"`` unless English is preferred.

    The ranges are taken by quality (``q``), first listed first among equals;
    the first one that is Vietnamese or English decides (``*`` means Vietnamese).

    >>> negotiate_language("en-US,en;q=0.9"), negotiate_language(None), negotiate_language("fr, en;q=0.5")
    ('en', 'vi', 'en')
    >>> negotiate_language("vi;q=0.8, en;q=0.9"), negotiate_language("en;q=0, vi")
    ('en', 'vi')
    """
    ranges: list[tuple[float, int, str]] = []
    for i, part in enumerate((header or "").split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, number = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranges.append((-quality, i, tag.lower().split("-")[0]))
    for _, _, primary in sorted(ranges):
        if primary == "en":
            return "en"
        if primary in ("vi", "*"):
            return "vi"
    return "vi"


@attrs.frozen(kw_only=True)
class FieldProblem:
    """One bad field: its path, the value sent, what is allowed."""

    field: str | None
    """A dotted path into the request (``product.months``), a query parameter, ``body`` … or ``None``."""
    value: object = None
    """The value sent (shown shortened and masked, never as sent)."""
    allowed: str
    """What would be accepted."""
    allowed_vi: str | None = None
    """The same in Vietnamese, when ansinh has it (else :attr:`allowed` is shown in both languages)."""

    def to_json(self, lang: Lang = "vi") -> dict[str, Any]:
        """``{"field", "value", "allowed"}`` for a problem document (value and texts masked)."""
        allowed = self.allowed_vi if lang == "vi" and self.allowed_vi is not None else self.allowed
        return {
            "field": self.field,
            "value": None if self.value is None else shown_value(self.value),
            "allowed": mask_digits(allowed),
        }


@attrs.frozen(kw_only=True)
class Problem:
    """What went wrong with a request: a :class:`ProblemType` and the bad fields, if any."""

    type: ProblemType
    errors: tuple[FieldProblem, ...] = ()
    """Every bad field, the most important first."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra response headers (``Allow`` for a 405)."""

    @classmethod
    def invalid(cls, field: str | None, value: object, allowed: str) -> Problem:
        """A 422 problem about one field."""
        return cls(
            type=ProblemType.INVALID_VALUE, errors=(FieldProblem(field=field, value=value, allowed=allowed),)
        )

    @property
    def status(self) -> int:
        """The HTTP status code."""
        return self.type.status

    def detail(self, lang: Lang = "vi") -> str:
        """One sentence about the first bad field (or the problem itself)."""
        vi, en = _DETAILS.get(self.type, (self.type.label_vi, self.type.label_en))
        base = vi if lang == "vi" else en
        if not self.errors:
            return base
        first = self.errors[0].to_json(lang)
        field, value, allowed = first["field"], first["value"], first["allowed"]
        if field is None:
            text = f"{base}: {allowed}"
        elif value is None:
            text = f"{field}: {allowed}"
        elif lang == "vi":
            text = f"{field}={value} không hợp lệ; cho phép: {allowed}"
        else:
            text = f"{field}={value} is not allowed: {allowed}"
        if len(self.errors) > 1:
            n = len(self.errors) - 1
            text += f" (và {n} lỗi khác)" if lang == "vi" else f" (and {n} more)"
        return text

    def to_json(self, lang: Lang = "vi") -> dict[str, Any]:
        """The problem document in *lang* (``field``, ``value``, ``allowed`` of the first bad field)."""
        doc: dict[str, Any] = {
            "type": self.type.uri,
            "title": self.type.label(lang),
            "status": self.status,
            "detail": mask_digits(self.detail(lang)),
        }
        errors = [e.to_json(lang) for e in self.errors]
        doc.update(errors[0] if errors else {"field": None, "value": None, "allowed": None})
        if len(errors) > 1:
            doc["errors"] = errors
        return doc


class ProblemError(AnsinhError):
    """A request the API answers with a problem document (raised inside the app, never outside it).

    Attributes:
        problem: the :class:`Problem` to answer with.
    """

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.detail("en"))


def problem_for(exc: BaseException) -> Problem:
    """The problem document that answers an exception raised while serving a request.

    * :class:`ProblemError` carries its own;
    * :class:`~ansinh.exceptions.PluginError` and
      :class:`~ansinh.exceptions.LedgerError` are the server's failures (500);
    * every other :class:`~ansinh.exceptions.AnsinhError` is bad input (422),
      naming the field, value and what is allowed when the error does;
    * :class:`TimeoutError` is a 504; anything else a 500 that says nothing
      of its cause.

    >>> from ansinh.exceptions import InvalidProductError
    >>> p = problem_for(InvalidProductError("months", 5, "one of 3, 6, 12"))
    >>> p.status, p.errors[0].field
    (422, 'months')
    >>> problem_for(KeyError("001170012389")).to_json("en")["detail"]
    "An unexpected error in the server; the details are in the server's log"
    """
    if isinstance(exc, ProblemError):
        return exc.problem
    if isinstance(exc, PluginError):
        return Problem(type=ProblemType.PLUGIN_FAILED)
    if isinstance(exc, LedgerError) and not isinstance(exc, ValueError):
        return Problem(type=ProblemType.STORE_FAILED)
    if isinstance(exc, InvalidValueError):
        return Problem.invalid(exc.field, exc.value, exc.allowed)
    if isinstance(exc, NotInForceError):
        return Problem.invalid("on", None, str(exc))
    if isinstance(exc, RosterError):
        return Problem.invalid("roster", None, str(exc))
    if isinstance(exc, SerializationError | AnsinhError):
        return Problem.invalid(None, None, str(exc))
    if isinstance(exc, TimeoutError):
        return Problem(type=ProblemType.TIMEOUT)
    return Problem(type=ProblemType.INTERNAL_ERROR)
