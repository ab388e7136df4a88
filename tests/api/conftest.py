"""API fixtures: an application around the session's warm linter, built per settings."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from api_support import make_settings
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ENV_PREFIX
from replylint.engine import Linter


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from the test, never from the developer's shell."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


@contextmanager
def running(linter: Linter, **overrides: Any) -> Iterator[TestClient]:
    app = create_app(make_settings(**overrides), linter=linter)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert app.state.service.wait_ready(60)
        yield client


@pytest.fixture
def serve(linter: Linter) -> Iterator[Callable[..., TestClient]]:
    """``serve(**settings)`` → a TestClient on a fresh app (lifespan run, engine ready)."""
    stack: list[Any] = []

    def start(**overrides: Any) -> TestClient:
        cm = running(linter, **overrides)
        client = cm.__enter__()
        stack.append(cm)
        return client

    yield start
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


@pytest.fixture
def client(serve: Callable[..., TestClient]) -> TestClient:
    """Default settings: no keys, no rate limit."""
    return serve()
