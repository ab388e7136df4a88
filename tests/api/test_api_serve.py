"""`replylint serve` really starts, answers over a socket, and stops; and refuses unsafe set-ups."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYLINT_")}
    env.update(extra)
    return env


def request(url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    with urllib.request.urlopen(req, timeout=10) as response:
        return (
            response.status,
            {k.lower(): v for k, v in response.headers.items()},
            json.loads(response.read()),
        )


def wait_ready(base: str, proc: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"serve exited with {proc.returncode}: {proc.stderr.read() if proc.stderr else ''}"
            )
        try:
            if request(base + "/readyz")[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not become ready")


@pytest.mark.slow
def test_serve_starts_answers_over_a_socket_and_stops(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    secret = "s" * 32
    proc = subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean_env(REPLYLINT_API_KEYS=f"ci:{secret}", REPLYLINT_WARM_LANGUAGES="en"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_ready(base, proc)
        status, headers, body = request(
            base + "/v1/check",
            {"id": "s-1", "text": "Email me at seller@example.com", "lang": "en"},
            {"Authorization": f"Bearer {secret}"},
        )
        assert status == 200 and body["id"] == "s-1" and body["compliant"] is False
        assert headers["x-replylint-version"]
        with pytest.raises(urllib.error.HTTPError) as denied:
            request(base + "/v1/check", {"text": "Hi"})
        assert denied.value.code == 401
        assert json.loads(denied.value.read())["error"]["code"] == "unauthorized"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, stderr = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
    assert proc.returncode == 0, stderr
    assert f"replylint API on {base}" in stderr
    assert "authentication on: 1 API key(s): ci" in stderr
    assert "POST /v1/check 200" in stderr and "key=ci" in stderr
    assert secret not in stderr and "seller@example.com" not in stderr


def run_serve(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "replylint", "serve", *args],
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_serve_refuses_a_public_address_without_keys() -> None:
    result = run_serve("--host", "0.0.0.0", "--port", str(free_port()))
    assert result.returncode == 2
    assert "refusing to listen on 0.0.0.0 without API keys" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_reports_a_bad_setting_and_exits_2() -> None:
    result = run_serve(REPLYLINT_RATE_LIMIT="plenty")
    assert result.returncode == 2
    assert "rate_limit" in result.stderr and "Traceback" not in result.stderr


def test_new_key_prints_a_strong_random_key() -> None:
    first = run_serve("--new-key").stdout.strip()
    second = run_serve("--new-key").stdout.strip()
    assert len(first) >= 40 and first != second
