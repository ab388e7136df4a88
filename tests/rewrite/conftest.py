"""Fixtures for the rewrite assistant's tests.

LLM tests replay cassettes from ``cassettes/`` (vcrpy's format, OpenAI wire format)
through the real ``openai`` client; see docs/rewrite.md for re-recording them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CASSETTES = Path(__file__).resolve().parent / "cassettes"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": ["authorization", "openai-organization", "openai-project", "cookie", "set-cookie"],
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


class FakeSleep:
    """Records the waits instead of sleeping, and moves its own clock by them, so
    retry tests take no time and still see time pass."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.now = 1000.0

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


@pytest.fixture
def sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture(autouse=True)
def _no_llm_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests decide whether a model is configured, not the developer's shell."""
    for name in ("MODEL", "BASE_URL", "API_KEY", "TIMEOUT", "MAX_RETRIES", "TOTAL_TIMEOUT", "TEMPERATURE"):
        monkeypatch.delenv(f"REPLYLINT_LLM_{name}", raising=False)
