"""CORS: the extension's origin is allowed, every other origin is not, unless configured."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from api_support import EXTENSION, KEY_A
from fastapi.testclient import TestClient

from api.cors import origin_regex

BODY = {"text": "Thank you for your order.", "lang": "en"}


def preflight(client: TestClient, origin: str, headers: str = "authorization,content-type") -> Any:
    return client.options(
        "/v1/check",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": headers,
        },
    )


def test_the_extension_preflight_is_allowed_with_auth_header(client: TestClient) -> None:
    response = preflight(client, EXTENSION)
    assert response.status_code == 200
    headers = response.headers
    assert headers["access-control-allow-origin"] == EXTENSION
    assert "authorization" in headers["access-control-allow-headers"].lower()
    assert "POST" in headers["access-control-allow-methods"]


def test_answers_to_the_extension_are_readable_and_expose_the_version(client: TestClient) -> None:
    response = client.post("/v1/check", json=BODY, headers={"Origin": EXTENSION})
    assert response.headers["access-control-allow-origin"] == EXTENSION
    assert "x-replylint-version" in response.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-credentials" not in response.headers


def test_errors_are_readable_by_the_extension_too(serve: Callable[..., TestClient]) -> None:
    client = serve(api_keys=[KEY_A], max_body_bytes=2048)
    unauthorised = client.post("/v1/check", json=BODY, headers={"Origin": EXTENSION})
    assert unauthorised.status_code == 401
    assert unauthorised.headers["access-control-allow-origin"] == EXTENSION
    too_big = client.post("/v1/check", json={"text": "a" * 4000}, headers={"Origin": EXTENSION})
    assert too_big.status_code == 413
    assert too_big.headers["access-control-allow-origin"] == EXTENSION


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example.com",
        "http://localhost:3000",
        "https://sellercentral.amazon.com",
        "chrome-extension://not-an-extension-id",
        "moz-extension://abcdefghijklmnopabcdefghijklmnop",
        "null",
    ],
)
def test_other_origins_are_refused_by_default(client: TestClient, origin: str) -> None:
    response = preflight(client, origin)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cors-rejected"
    simple = client.post("/v1/check", json=BODY, headers={"Origin": origin})
    assert "access-control-allow-origin" not in simple.headers


def test_one_extension_can_be_pinned_and_a_helpdesk_added(serve: Callable[..., TestClient]) -> None:
    pinned = "chrome-extension://" + "p" * 32
    client = serve(cors_origins=[pinned, "https://*.helpdesk.example"])
    assert preflight(client, pinned).status_code == 200
    assert preflight(client, EXTENSION).status_code == 403
    assert preflight(client, "https://acme.helpdesk.example").status_code == 200
    assert preflight(client, "https://acme.helpdesk.example.evil.com").status_code == 403


def test_an_unknown_request_header_is_refused_in_preflight(client: TestClient) -> None:
    assert preflight(client, EXTENSION, "x-secret-thing").status_code == 403


def test_origin_patterns_compile_to_anchored_alternatives() -> None:
    import re

    regex = origin_regex(["chrome-extension://*", "https://app.example.com"])
    assert regex is not None
    assert re.fullmatch(regex, EXTENSION)
    assert re.fullmatch(regex, "https://app.example.com")
    assert not re.fullmatch(regex, "https://app.example.com.evil.net")
    assert not re.fullmatch(regex, "https://appXexample.com")
    assert origin_regex([]) is None
    with pytest.raises(ValueError, match="scheme"):
        origin_regex(["example.com"])
