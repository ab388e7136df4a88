"""CORS for the browser extension, and for nothing else unless configured.

Origins are exact (``https://helpdesk.example.com``) or patterns where ``*``
stands for one host name: the default ``chrome-extension://*`` admits any
installed extension's id (32 letters a–p), whatever machine it was loaded on,
while ordinary web pages stay unable to read the answers. An operator pins one
extension with ``REPLYLINT_CORS_ORIGINS=chrome-extension://<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from .errors import error_response

#: A Chrome extension id: 32 characters in a–p.
_EXTENSION_ID = "[a-p]{32}"
_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"

ALLOWED_HEADERS = ("Authorization", "Content-Type", "X-Request-Id")
EXPOSED_HEADERS = ("X-Replylint-Version", "X-Request-Id", "Retry-After")


def origin_regex(patterns: Iterable[str]) -> str | None:
    """One regular expression for every configured origin, or None when there is none."""
    parts = []
    for pattern in patterns:
        pattern = pattern.strip().rstrip("/")
        if not pattern:
            continue
        if pattern == "*":
            parts.append(".*")
            continue
        scheme, sep, rest = pattern.partition("://")
        if not sep:
            raise ValueError(f"CORS origin {pattern!r} needs a scheme, e.g. https://{pattern}")
        if scheme == "chrome-extension" and rest == "*":
            parts.append(re.escape("chrome-extension://") + _EXTENSION_ID)
            continue
        pieces = [re.escape(p) for p in rest.split("*")]
        parts.append(re.escape(scheme + "://") + _HOST.join(pieces))
    if not parts:
        return None
    return "(?:" + "|".join(parts) + ")"


class ExtensionCORSMiddleware(CORSMiddleware):
    """Starlette's CORS, answering a refused pre-flight with the API's JSON error body."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code == 200:
            return response
        what = bytes(response.body).decode("utf-8", "replace").removeprefix("Disallowed CORS ")
        headers = {k: v for k, v in response.headers.items() if k.lower().startswith("access-control-")}
        return error_response(
            403,
            "cors-rejected",
            f"cross-origin request refused ({what}); allowed origins are set with REPLYLINT_CORS_ORIGINS",
            headers,
        )
