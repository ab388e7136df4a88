"""Limits and failures: 413, 422, 429, 503 with the JSON error body, never a 500 for input."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from replylint.engine import Linter
from replylint.errors import RuleFileError
from replylint.schema import ErrorResponse

BODY = {"text": "Thank you for your order.", "lang": "en"}


def error_of(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return ErrorResponse.model_validate(response.json()).error.code


# -- sizes ------------------------------------------------------------------------------------


def test_a_text_over_the_limit_is_413(serve: Callable[..., TestClient]) -> None:
    client = serve(max_text_chars=1000)
    assert client.post("/v1/check", json={"text": "a" * 1000, "lang": "en"}).status_code == 200
    response = client.post("/v1/check", json={"text": "a" * 1001, "lang": "en"})
    assert error_of(response, 413) == "too-large"
    assert "1,001" in response.json()["error"]["message"]
    buyer = client.post("/v1/check", json={"text": "Hi", "buyer_message": "b" * 1001})
    assert "buyer_message" in buyer.json()["error"]["message"]


def test_the_rewrite_limit_is_the_same(serve: Callable[..., TestClient]) -> None:
    client = serve(max_text_chars=1000)
    assert error_of(client.post("/v1/rewrite", json={"text": "a" * 1001}), 413) == "too-large"


def test_a_batch_over_the_limit_is_413(serve: Callable[..., TestClient]) -> None:
    client = serve(max_batch_records=3)
    records = [{"text": f"Thanks {i}", "lang": "en"} for i in range(4)]
    assert error_of(client.post("/v1/check/batch", json={"records": records}), 413) == "batch-too-large"
    assert client.post("/v1/check/batch", json={"records": records[:3]}).status_code == 200


def test_a_record_too_long_in_a_batch_is_named(serve: Callable[..., TestClient]) -> None:
    client = serve(max_text_chars=100)
    records = [{"text": "ok", "lang": "en"}, {"text": "x" * 101, "lang": "en"}]
    response = client.post("/v1/check/batch", json={"records": records})
    assert error_of(response, 413) == "too-large"
    assert response.json()["error"]["message"].startswith("records[1].text")


def test_a_body_over_the_limit_is_refused_from_its_length(serve: Callable[..., TestClient]) -> None:
    client = serve(max_body_bytes=2048)
    big = json.dumps({"text": "a" * 3000, "lang": "en"})
    assert error_of(client.post("/v1/check", content=big), 413) == "body-too-large"


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(serve: Callable[..., TestClient]) -> None:
    client = serve(max_body_bytes=2048)
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            sent.append(1)
            yield b"a" * 1024
        yield b'"}'

    response = client.post("/v1/check", content=chunks(), headers={"Content-Type": "application/json"})
    assert error_of(response, 413) == "body-too-large"


# -- malformed input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "headers", "code"),
    [
        (b"{not json", {"Content-Type": "application/json"}, "invalid-json"),
        (b"", {"Content-Type": "application/json"}, "invalid-request"),
        (b"[1, 2]", {"Content-Type": "application/json"}, "invalid-request"),
        (b'"text"', {"Content-Type": "application/json"}, "invalid-request"),
        (b'{"text": 12}', {"Content-Type": "application/json"}, "invalid-request"),
        (b'{"text": "hi", "marketplace": "mars"}', {"Content-Type": "application/json"}, "invalid-request"),
        (b'{"text": "hi", "lang": "not a language"}', {"Content-Type": "application/json"}, None),
        (b'{"text": ""}', {"Content-Type": "application/json"}, "invalid-input"),
        (b'{"text": "\\u0000\\u0000binary"}', {"Content-Type": "application/json"}, "invalid-input"),
        (b"text=hello", {"Content-Type": "application/x-www-form-urlencoded"}, "invalid-request"),
        (b'{"text": "hi"}', {"Content-Type": "text/plain"}, "invalid-request"),
        (b"\xff\xfe\x00garbage", {"Content-Type": "application/json"}, "invalid-json"),
        (b"[" * 5000 + b"]" * 5000, {"Content-Type": "application/json"}, None),
    ],
)
def test_malformed_bodies_are_422_with_a_reason(
    client: TestClient, content: bytes, headers: dict[str, str], code: str | None
) -> None:
    response = client.post("/v1/check", content=content, headers=headers)
    assert 400 <= response.status_code < 500, response.text
    body = ErrorResponse.model_validate(response.json())
    if code is not None:
        assert body.error.code == code
    assert "Traceback" not in response.text


def test_validation_messages_do_not_echo_the_reply(client: TestClient) -> None:
    secret = "Jane Doe, 12 Private Road"
    response = client.post("/v1/check", json={"text": {"nested": secret}})
    assert response.status_code == 422
    assert secret not in response.text
    assert "text" in response.json()["error"]["message"]


def test_a_wrong_content_type_is_explained(client: TestClient) -> None:
    response = client.post("/v1/check", content=b'{"text": "hi"}', headers={"Content-Type": "text/plain"})
    assert "application/json" in response.json()["error"]["message"]


# -- rate limit -------------------------------------------------------------------------------


def _clear_of_a_minute_boundary(margin: float = 5.0) -> None:
    """The sliding-window counter weighs the previous minute's requests by the share of
    it still in the window: just after a minute starts, 3 requests count as 2.99."""
    into = time.time() % 60
    if into > 60 - margin:
        time.sleep(60 - into + 0.1)


def test_the_rate_limit_answers_429_with_retry_after(serve: Callable[..., TestClient]) -> None:
    client = serve(rate_limit="3/minute")
    _clear_of_a_minute_boundary()
    for _ in range(3):
        assert client.post("/v1/check", json=BODY).status_code == 200
    response = client.post("/v1/check", json=BODY)
    assert error_of(response, 429) == "rate-limited"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_each_key_has_its_own_budget(serve: Callable[..., TestClient]) -> None:
    from api_support import KEY_A, KEY_B

    client = serve(rate_limit="2/minute", api_keys=[KEY_A, KEY_B])
    _clear_of_a_minute_boundary()
    a = {"Authorization": "Bearer " + KEY_A.split(":", 1)[1]}
    b = {"Authorization": "Bearer " + KEY_B.split(":", 1)[1]}
    assert [client.post("/v1/check", json=BODY, headers=a).status_code for _ in range(3)] == [200, 200, 429]
    assert client.post("/v1/check", json=BODY, headers=b).status_code == 200
    assert "team-a" in client.post("/v1/check", json=BODY, headers=a).json()["error"]["message"]


def test_a_batch_costs_one_unit_per_record(serve: Callable[..., TestClient]) -> None:
    client = serve(rate_limit="5/minute")
    _clear_of_a_minute_boundary()
    records = [{"text": f"Thanks {i}", "lang": "en"} for i in range(4)]
    assert client.post("/v1/check/batch", json={"records": records}).status_code == 200
    assert client.post("/v1/check", json=BODY).status_code == 200
    assert error_of(client.post("/v1/check", json=BODY), 429) == "rate-limited"


def test_a_refused_request_spends_nothing(serve: Callable[..., TestClient]) -> None:
    client = serve(rate_limit="2/second;3/minute")
    _clear_of_a_minute_boundary()
    assert client.post("/v1/check", json=BODY).status_code == 200
    assert client.post("/v1/check", json=BODY).status_code == 200
    assert client.post("/v1/check", json=BODY).status_code == 429  # per second
    time.sleep(1.05)
    assert client.post("/v1/check", json=BODY).status_code == 200  # the minute had room for it
    assert client.post("/v1/check", json=BODY).status_code == 429


# -- time and failures ------------------------------------------------------------------------


def test_a_request_over_the_timeout_is_503_and_the_server_goes_on(
    serve: Callable[..., TestClient], linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = serve(request_timeout=0.3)
    real_check = linter.check

    def slow_check(*args: Any, **kwargs: Any) -> Any:
        time.sleep(1.0)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(linter, "check", slow_check)
    started = time.perf_counter()
    response = client.post("/v1/check", json=BODY)
    assert time.perf_counter() - started < 0.9  # answered without waiting for the thread
    assert error_of(response, 503) == "timeout"
    monkeypatch.setattr(linter, "check", real_check)
    time.sleep(1.0)  # the abandoned job finishes in the background, then the queue moves on
    assert client.post("/v1/check", json=BODY).status_code == 200


def test_a_request_that_timed_out_in_the_queue_is_not_linted(
    serve: Callable[..., TestClient], linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = serve(request_timeout=0.5)
    real_check = linter.check
    texts: list[str] = []

    def slow_check(record: Any, *args: Any, **kwargs: Any) -> Any:
        texts.append(record.text)
        time.sleep(1.5 if record.text == "first" else 0)
        return real_check(record, *args, **kwargs)

    monkeypatch.setattr(linter, "check", slow_check)
    import threading

    first = threading.Thread(target=lambda: client.post("/v1/check", json={"text": "first", "lang": "en"}))
    first.start()
    time.sleep(0.1)
    assert error_of(client.post("/v1/check", json={"text": "second", "lang": "en"}), 503) == "timeout"
    first.join()
    time.sleep(1.2)
    assert texts == ["first"]  # "second" gave up while queued and was never linted


def test_a_bug_is_a_500_without_a_trace_and_logged_with_the_request_id(
    client: TestClient, linter: Linter, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("division by zero in a rule")

    monkeypatch.setattr(linter, "check", broken)
    response = client.post("/v1/check", json=BODY, headers={"X-Request-Id": "req-42"})
    assert error_of(response, 500) == "internal-error"
    assert "req-42" in response.json()["error"]["message"]
    assert "ZeroDivisionError" not in response.text and "Traceback" not in response.text
    assert any("req-42" in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_rule_file_broken_at_run_time_is_the_servers_fault(
    client: TestClient, linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuleFileError("rules/x.yaml: patterns.en[0]: unknown lexicon @y")

    monkeypatch.setattr(linter, "check", broken)
    response = client.post("/v1/check", json=BODY)
    assert error_of(response, 500) == "invalid-rule"


def test_an_engine_that_failed_to_load_makes_readyz_and_v1_503(
    serve: Callable[..., TestClient], linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_warm(*args: Any, **kwargs: Any) -> None:
        raise RuleFileError("rules/policy/x.yaml: severity: not one of error, warning, info")

    monkeypatch.setattr(linter, "warm", failing_warm)
    client = serve()
    assert client.get("/healthz").status_code == 200
    assert error_of(client.get("/readyz"), 503) == "engine-failed"
    response = client.post("/v1/check", json=BODY)
    assert error_of(response, 503) == "engine-failed"
    assert "rules/policy/x.yaml" in response.json()["error"]["message"]


def test_while_the_engine_loads_readyz_is_503_and_requests_wait_for_it(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from api_support import make_settings

    from api.main import create_app

    release = threading.Event()
    real_warm = linter.warm

    def slow_warm(*args: Any, **kwargs: Any) -> None:
        assert release.wait(30)
        real_warm(*args, **kwargs)

    linter.check_text("Where is my parcel? It has not arrived.")  # language detection loaded
    monkeypatch.setattr(linter, "warm", slow_warm)
    app = create_app(make_settings(request_timeout=60), linter=linter)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        assert error_of(client.get("/readyz"), 503) == "not-ready"
        answers: list[int] = []
        waiting = threading.Thread(
            target=lambda: answers.append(client.post("/v1/check", json=BODY).status_code)
        )
        waiting.start()
        time.sleep(0.3)
        assert not answers  # held until the engine is ready, not refused
        release.set()
        waiting.join(30)
        assert answers == [200]
        assert client.get("/readyz").status_code == 200


def test_the_warm_engine_is_frozen_and_refrozen_after_a_pipeline_rebuild(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full garbage collection walked the warm engine's objects (~100 ms on one
    request in ~140); the engine is frozen once warm, and again after a rebuild, when
    the old pipeline (reference cycles) has been collected."""
    import gc

    from replylint import nlp

    assert gc.get_freeze_count() > 10_000
    service = client.app.state.service  # type: ignore[attr-defined]
    assert service._frozen_at == nlp.recycle_count()
    monkeypatch.setitem(nlp._recycled, "en", nlp.recycle_count("en") + 1)  # as a rebuild does
    assert client.post("/v1/check", json={"text": "Thanks, it ships today.", "lang": "en"}).status_code == 200
    assert service._frozen_at == nlp.recycle_count()
