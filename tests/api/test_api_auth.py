"""Bearer keys: required when configured, compared in constant time, never logged."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from api_support import KEY_A, KEY_B
from fastapi.testclient import TestClient

from api.auth import KeyStore, parse_key
from replylint.errors import ConfigError

SECRET_A = KEY_A.split(":", 1)[1]
SECRET_B = KEY_B.split(":", 1)[1]
BODY = {"text": "Thank you for your order.", "lang": "en"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_without_keys_the_api_is_open(client: TestClient) -> None:
    assert client.post("/v1/check", json=BODY).status_code == 200


def test_with_keys_a_request_without_one_is_401(serve: Callable[..., TestClient]) -> None:
    client = serve(api_keys=[KEY_A])
    response = client.post("/v1/check", json=BODY)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer " + "x" * 32, "Basic " + SECRET_A, SECRET_A, "Bearer", "Bearer " + SECRET_A[:-1]],
)
def test_a_wrong_or_malformed_key_is_401(serve: Callable[..., TestClient], header: str) -> None:
    client = serve(api_keys=[KEY_A])
    response = client.post("/v1/check", json=BODY, headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"unauthorized", "invalid-key"}


def test_each_configured_key_is_accepted(serve: Callable[..., TestClient]) -> None:
    client = serve(api_keys=[KEY_A, KEY_B])
    for secret in (SECRET_A, SECRET_B):
        assert client.post("/v1/check", json=BODY, headers=bearer(secret)).status_code == 200
    lower = client.get("/v1/rules", headers={"Authorization": f"bearer {SECRET_B}"})
    assert lower.status_code == 200


def test_every_v1_route_needs_the_key_and_health_does_not(serve: Callable[..., TestClient]) -> None:
    client = serve(api_keys=[KEY_A])
    assert client.get("/v1/rules").status_code == 401
    assert client.get("/v1/rules/external-link").status_code == 401
    assert client.post("/v1/check/batch", json={"records": []}).status_code == 401
    assert client.post("/v1/rewrite", json=BODY).status_code == 401
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_auth_is_checked_before_the_body_is_judged(serve: Callable[..., TestClient]) -> None:
    client = serve(api_keys=[KEY_A])
    assert client.post("/v1/check", content=b"{not json").status_code == 401


def test_keys_come_from_a_file_with_ids_and_comments(
    serve: Callable[..., TestClient], tmp_path: Path
) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# support team\n{KEY_A}\n\n{'c' * 40}\n", encoding="utf-8")
    client = serve(api_keys_file=keys)
    assert client.post("/v1/check", json=BODY, headers=bearer(SECRET_A)).status_code == 200
    assert client.post("/v1/check", json=BODY, headers=bearer("c" * 40)).status_code == 200
    assert client.post("/v1/check", json=BODY).status_code == 401


def test_the_access_log_names_the_key_id_and_never_the_secret(
    serve: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    client = serve(api_keys=[KEY_A])
    with caplog.at_level(logging.INFO, logger="replylint.api"):
        client.post("/v1/check", json=BODY, headers=bearer(SECRET_A))
        client.post("/v1/check", json=BODY, headers=bearer(SECRET_A + "x"))
    lines = [r.getMessage() for r in caplog.records if r.name == "replylint.api.access"]
    assert any("key=team-a" in line and " 200 " in line for line in lines)
    assert any(" 401 " in line and "key=-" in line for line in lines)
    assert SECRET_A not in caplog.text


def test_a_key_without_id_is_named_by_its_digest() -> None:
    key = parse_key("s" * 24, "test")
    assert key.id.startswith("key-") and "s" * 24 not in key.id
    assert parse_key("ops:" + "s" * 24, "test").id == "ops"


@pytest.mark.parametrize("entry", ["short", "team:short", "team:" + "with space " * 3])
def test_weak_or_malformed_keys_are_refused_at_start(entry: str) -> None:
    with pytest.raises(ConfigError):
        KeyStore.from_sources([entry], None)


def test_two_keys_with_one_id_are_refused() -> None:
    with pytest.raises(ConfigError, match="team-a"):
        KeyStore.from_sources([KEY_A, "team-a:" + "z" * 32], None)


def test_an_empty_keys_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "keys.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no API key"):
        KeyStore.from_sources([], empty)


def test_a_presented_key_is_compared_with_every_key(monkeypatch: pytest.MonkeyPatch) -> None:
    store = KeyStore.from_sources([KEY_A, KEY_B, "team-c:" + "c" * 32], None)
    calls: list[int] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append(1)
        return bool(real(a, b))

    monkeypatch.setattr(hmac, "compare_digest", counting)
    assert store.identify(SECRET_A) == "team-a"
    assert len(calls) == 3  # no early exit on the first match
    assert store.identify("nope" * 8) is None
