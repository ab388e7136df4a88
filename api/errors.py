"""Every failure becomes ``{"error": {"code", "message"}}`` with a 4xx status.

A fault of the server itself (a bug, a broken rule file) is a 500 with the same
body and no stack trace; the trace goes to the server log only, tagged with the
request id. Codes are stable, lower-case and hyphenated, so clients (the browser
extension) can switch on them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from replylint.errors import InputError, ReplylintError
from replylint.schema import ErrorResponse

log = logging.getLogger("replylint.api")


class ApiError(ReplylintError):
    """An error the API itself raises, with optional response headers."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        if status is not None:
            self.http_status = status
        self.headers = dict(headers or {})


class Unauthorized(ApiError):
    code = "unauthorized"
    http_status = 401

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, code=code, headers={"WWW-Authenticate": 'Bearer realm="replylint"'})


class RateLimited(ApiError):
    code = "rate-limited"
    http_status = 429


class ServiceUnavailable(ApiError):
    code = "unavailable"
    http_status = 503


class UnknownRule(ApiError):
    code = "unknown-rule"
    http_status = 404


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=dict(headers or {}))


# -- OpenAPI: the error answers each route may give -------------------------------------------

_DESCRIPTIONS = {
    401: "Missing or wrong API key (only when keys are configured).",
    404: "No such rule.",
    413: "Text, batch or body over the configured limit.",
    422: "The body is not valid JSON or not a valid record.",
    429: "Rate limit of this key exceeded; see the Retry-After header.",
    503: "The engine is still loading, or the request took longer than the timeout.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: each status documented with the one error model."""
    return {s: {"model": ErrorResponse, "description": _DESCRIPTIONS[s]} for s in statuses}


# -- exception handlers ------------------------------------------------------------------------


def _location(loc: Sequence[int | str]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    out = ""
    for part in parts:
        out += f"[{part}]" if part.isdigit() else (f".{part}" if out else part)
    return out or "body"


def validation_message(errors: Sequence[Any], request: Request | None = None) -> tuple[str, str]:
    """(code, message) for FastAPI's validation errors, short and without echoing input."""
    for err in errors:
        if err.get("type") == "json_invalid":
            detail = (err.get("ctx") or {}).get("error", "")
            return "invalid-json", f"the request body is not valid JSON{': ' + detail if detail else ''}"
    parts = []
    for err in list(errors)[:5]:
        loc = _location(err.get("loc", ()))
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "model_attributes_type" and loc == "body":
            ctype = request.headers.get("content-type", "") if request is not None else ""
            msg = "must be a JSON object"
            if ctype and "json" not in ctype:
                msg += f" sent as application/json (got {ctype.split(';')[0]})"
        elif err.get("type") == "missing" and loc == "body":
            msg = "a JSON body is required"
        parts.append(f"{loc}: {msg}")
    more = len(errors) - len(parts)
    if more > 0:
        parts.append(f"and {more} more")
    return "invalid-request", "; ".join(parts) or "invalid request"


async def _replylint_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ReplylintError)
    headers = getattr(exc, "headers", None)
    if isinstance(exc, InputError | ApiError):
        return error_response(exc.http_status, exc.code, exc.message, headers)
    # Anything else of the family (a rule file that fails at run time, a broken
    # configuration) is the server's fault, not the client's.
    log.error("server configuration error: %s", exc.message)
    return error_response(500, exc.code, f"the server is misconfigured: {exc.message}")


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    code, message = validation_message(exc.errors(), request)
    return error_response(422, code, message)


_HTTP_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "body-too-large",
    415: "unsupported-media-type",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError | ValueError):
        # FastAPI reports a body it cannot decode as a bare 400; it is a JSON error.
        return error_response(422, "invalid-json", "the request body is not valid UTF-8 JSON")
    code = _HTTP_CODES.get(exc.status_code, "http-error")
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404:
        detail = f"no such endpoint: {request.method} {request.url.path} (see /docs)"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return error_response(exc.status_code, code, detail, exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    request_id = request.scope.get("replylint.request_id", "-")
    log.error("internal error (request %s)", request_id, exc_info=exc)
    return error_response(500, "internal-error", f"internal error (request {request_id}); see the server log")


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ReplylintError, _replylint_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
