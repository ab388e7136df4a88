"""What every request goes through: id, headers, body limit, timeout, access log, last resort.

Plain ASGI rather than ``BaseHTTPMiddleware``: no extra task per request, and the
body is counted as it streams in, so an oversized upload is refused without being
read into memory. The access log holds the method, path, status, latency, key id
and request id, and never a body, a query string, a header value or an address:
buyer messages carry personal data.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Mapping
from typing import Any

import anyio
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from replylint.__about__ import __version__

from .errors import error_response

access_log = logging.getLogger("replylint.api.access")
log = logging.getLogger("replylint.api")

REQUEST_ID_KEY = "replylint.request_id"
KEY_ID_KEY = "replylint.key_id"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_UNPRINTABLE = re.compile(r"[^\x21-\x7e]")
VERSION_HEADER = "X-Replylint-Version"


def _safe_path(path: str) -> str:
    # Paths come from the client: keep log lines one line long and bounded.
    path = _UNPRINTABLE.sub("?", path)
    return path if len(path) <= 200 else path[:197] + "..."


class RequestContextMiddleware:
    """Request id, version and no-store headers, limits, access log and the last-resort 500."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        timeout: float,
        timeouts: Mapping[str, float] | None = None,
        log_access: bool = True,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout = timeout
        self.timeouts = dict(timeouts or {})  # per path, for slower endpoints
        self.log_access = log_access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex[:16]
        scope[REQUEST_ID_KEY] = request_id
        state: dict[str, Any] = {"status": None}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                out = MutableHeaders(scope=message)
                out[VERSION_HEADER] = __version__
                out["X-Request-Id"] = request_id
                if "cache-control" not in out:
                    # Results quote the reply and the buyer's message.
                    out["Cache-Control"] = "no-store"
                out["X-Content-Type-Options"] = "nosniff"
            await send(message)

        try:
            declared = headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._reply(
                    scope,
                    receive,
                    send_with_headers,
                    413,
                    "body-too-large",
                    f"the request body has {int(declared):,} bytes; this server accepts at most "
                    f"{self.max_body_bytes:,} (REPLYLINT_MAX_BODY_BYTES)",
                    {"Connection": "close"},
                )
                return
            timeout = self.timeouts.get(scope.get("path", ""), self.timeout)
            with anyio.move_on_after(timeout) as deadline:
                await self.app(scope, self._limited(receive), send_with_headers)
            if deadline.cancelled_caught and state["status"] is None:
                await self._reply(
                    scope,
                    receive,
                    send_with_headers,
                    503,
                    "timeout",
                    f"the request took longer than {timeout:g} s (REPLYLINT_REQUEST_TIMEOUT); "
                    "try a shorter text or again later",
                    {"Retry-After": "1"},
                )
        except Exception as exc:
            log.error("internal error (request %s)", request_id, exc_info=exc)
            if state["status"] is None:
                await self._reply(
                    scope,
                    receive,
                    send_with_headers,
                    500,
                    "internal-error",
                    f"internal error (request {request_id}); see the server log",
                )
        finally:
            if self.log_access:
                elapsed = (time.perf_counter() - started) * 1000
                access_log.info(
                    "%s %s %s %.1fms key=%s req=%s",
                    scope.get("method", "-"),
                    _safe_path(scope.get("path", "")),
                    state["status"] or "-",
                    elapsed,
                    scope.get(KEY_ID_KEY, "-"),
                    request_id,
                )

    def _limited(self, receive: Receive) -> Receive:
        """``receive`` that refuses a body longer than the limit as it arrives."""
        received = 0
        limit = self.max_body_bytes

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise HTTPException(
                        413,
                        f"the request body is over {limit:,} bytes, the most this server accepts "
                        "(REPLYLINT_MAX_BODY_BYTES)",
                    )
            return message

        return limited

    @staticmethod
    async def _reply(
        scope: Scope,
        receive: Receive,
        send: Send,
        status: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        response = error_response(status, code, message, headers)
        await response(scope, receive, send)
