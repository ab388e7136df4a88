"""Buyer messages carry personal data: the logs hold method, path, status, latency, key id."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

PRIVATE = "Jane Doe lives at 12 Private Road, jane.doe@example.com"


def access_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "replylint.api.access"]


def test_one_access_line_per_request_with_the_agreed_fields(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="replylint.api"):
        client.post("/v1/check", json={"text": "Thanks!", "lang": "en"}, headers={"X-Request-Id": "r-1"})
    (line,) = access_lines(caplog)
    assert re.fullmatch(r"POST /v1/check 200 \d+\.\dms key=anonymous req=r-1", line), line


def test_bodies_queries_and_addresses_never_reach_the_logs(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        client.post("/v1/check", json={"text": PRIVATE, "buyer_message": PRIVATE, "lang": "en"})
        client.post("/v1/check?select=" + "jane.doe", json={"text": PRIVATE})
        client.post("/v1/check", json={"text": {"x": PRIVATE}})
        client.post("/v1/check/batch", json={"records": [{"text": PRIVATE, "lang": "en"}]})
        client.post("/v1/rewrite", json={"text": PRIVATE, "lang": "en"})
    # Only the server's records: the test client logs its own requests.
    server = [r for r in caplog.records if r.name.startswith(("replylint", "uvicorn", "fastapi"))]
    assert len([r for r in server if r.name == "replylint.api.access"]) == 5
    text = "\n".join(f"{r.getMessage()} {r.args!r} {r.__dict__}" for r in server)
    for needle in ("Jane", "Private Road", "jane.doe", "testclient"):
        assert needle not in text


def test_log_lines_cannot_be_forged_through_the_path(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="replylint.api"):
        client.get("/v1/rules%0aINFO fake line")
    (line,) = access_lines(caplog)
    assert "\n" not in line and line.startswith("GET /v1/rules?INFO?fake?line 404 ")
