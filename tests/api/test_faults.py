"""The API keeps answering whatever the model endpoint does.

A tiny OpenAI-compatible server on loopback misbehaves on purpose: it hangs, answers
5xx or 429, returns garbage or a well-formed answer with nothing usable in it; a closed
port stands for a refused connection. ``/v1/rewrite`` must still answer 200 with the
offline engine, within the configured budget, and ``/v1/check`` must stay fast while
a rewrite waits on the model. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from fastapi.testclient import TestClient

from replylint.schema import RewriteResponse

DRAFT = {
    "text": "Thanks for your order! Visit www.my-shop-example.com for 10% off your next one.",
    "lang": "en",
    "marketplace": "amazon",
}
LLM_TIMEOUT, LLM_TOTAL = 1.0, 3.0


class FakeModel(BaseHTTPRequestHandler):
    """``POST /v1/chat/completions`` answered according to the server's ``mode``."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        server = self.server
        server.calls += 1  # type: ignore[attr-defined]
        mode = server.mode  # type: ignore[attr-defined]
        if mode == "hang":
            server.release.wait(30)  # type: ignore[attr-defined]  # longer than any client waits
            return
        status, body, headers = 200, b"", {"Content-Type": "application/json"}
        if mode == "500":
            status, body = 500, b'{"error": {"message": "boom"}}'
        elif mode == "503":
            status, body = 503, b"<html>upstream unavailable</html>"
            headers["Content-Type"] = "text/html"
        elif mode == "429":
            status, body = 429, b'{"error": {"message": "slow down"}}'
            headers["Retry-After"] = "120"  # more than the budget: must not be waited for
        elif mode == "garbage":
            body = b"\x00\xffthis is not json"
        elif mode == "empty-choices":
            body = json.dumps({"id": "x", "object": "chat.completion", "choices": []}).encode()
        elif mode == "wrong-shape":
            body = json.dumps({"choices": [{"message": {"content": None}}], "usage": "many"}).encode()
        elif mode == "truncated":
            headers["Content-Length"] = "500"
            body = b'{"choices": [{"mess'
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if mode == "truncated":
            self.close_connection = True


@pytest.fixture
def fake_model() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    server.daemon_threads = True
    server.mode = "500"  # type: ignore[attr-defined]
    server.calls = 0  # type: ignore[attr-defined]
    server.release = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


@pytest.fixture
def model_env(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    def point_at(base_url: str) -> None:
        monkeypatch.setenv("REPLYLINT_LLM_MODEL", "fake-model")
        monkeypatch.setenv("REPLYLINT_LLM_BASE_URL", base_url)
        monkeypatch.setenv("REPLYLINT_LLM_API_KEY", "sk-test-not-a-real-key")
        monkeypatch.setenv("REPLYLINT_LLM_TIMEOUT", str(LLM_TIMEOUT))
        monkeypatch.setenv("REPLYLINT_LLM_MAX_RETRIES", "1")
        monkeypatch.setenv("REPLYLINT_LLM_TOTAL_TIMEOUT", str(LLM_TOTAL))

    return point_at


def _offline_answer(client: TestClient) -> tuple[RewriteResponse, float]:
    start = time.monotonic()
    response = client.post("/v1/rewrite", json=DRAFT)
    elapsed = time.monotonic() - start
    assert response.status_code == 200, response.text
    answer = RewriteResponse.model_validate(response.json())
    assert answer.engine == "offline"
    assert "www.my-shop-example.com" not in answer.text
    assert answer.notes, "the answer says why the model's draft was not used"
    return answer, elapsed


@pytest.mark.parametrize(
    "mode", ["hang", "500", "503", "429", "garbage", "empty-choices", "wrong-shape", "truncated"]
)
def test_rewrite_falls_back_to_the_offline_engine_when_the_model_misbehaves(
    serve: Callable[..., TestClient],
    fake_model: ThreadingHTTPServer,
    model_env: Callable[[str], None],
    mode: str,
) -> None:
    fake_model.mode = mode  # type: ignore[attr-defined]
    model_env(f"http://127.0.0.1:{fake_model.server_port}/v1")
    client = serve(rewrite_timeout=30)
    _, elapsed = _offline_answer(client)
    assert fake_model.calls >= 1  # type: ignore[attr-defined]  # the model was really asked
    assert elapsed < LLM_TOTAL + 5, f"{mode}: {elapsed:.1f} s, over the budget"


def test_rewrite_falls_back_when_the_model_refuses_connections(
    serve: Callable[..., TestClient], model_env: Callable[[str], None]
) -> None:
    model_env(f"http://127.0.0.1:{_closed_port()}/v1")
    _, elapsed = _offline_answer(serve(rewrite_timeout=30))
    assert elapsed < LLM_TOTAL + 5


def test_checks_stay_fast_while_a_rewrite_waits_on_a_hanging_model(
    serve: Callable[..., TestClient],
    fake_model: ThreadingHTTPServer,
    model_env: Callable[[str], None],
) -> None:
    fake_model.mode = "hang"  # type: ignore[attr-defined]
    model_env(f"http://127.0.0.1:{fake_model.server_port}/v1")
    client = serve(rewrite_timeout=30)
    with ThreadPoolExecutor(max_workers=2) as pool:
        rewrites = [pool.submit(client.post, "/v1/rewrite", json=DRAFT) for _ in range(2)]
        time.sleep(0.3)  # both rewrites are now waiting on the model
        for i in range(5):
            start = time.monotonic()
            response = client.post("/v1/check", json={"text": f"Thanks for your order {i}!", "lang": "en"})
            assert response.status_code == 200
            assert time.monotonic() - start < LLM_TIMEOUT, "a check waited behind the rewrite"
        assert client.get("/healthz").status_code == 200
        answers = [f.result(timeout=60) for f in rewrites]
    assert [a.status_code for a in answers] == [200, 200]
    assert {a.json()["engine"] for a in answers} == {"offline"}
