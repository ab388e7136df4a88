"""Fixtures of the browser-extension tests.

Chromium and Playwright are needed: outside CI the tests skip with the reason when
either is missing; in CI (``CI=true``) they fail. The API (``replylint serve``) is
started once and shared by the pytest-xdist workers: loading the engine is the
slowest part, and the tests never stop it (the "API down" tests point the
extension at a dead port instead).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from extension_harness import (
    EXTENSION,
    ApiServer,
    Browser,
    FixtureSite,
    RecordingProxy,
    chromium_path,
    launch,
    missing,
)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    if not chromium_path():
        missing("Debian's chromium is not installed (scripts/setup-browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed (pip install -e '.[dev]')")
    with sync_playwright() as driver:
        yield driver


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def api_url(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[str]:
    """One ``replylint serve`` for every worker: the first starts it, the last stops it."""
    shared = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: share with the others
        shared = shared.parent
    lock_path = shared / "replylint-extension-api.lock"
    state_path = shared / "replylint-extension-api.json"

    @contextlib.contextmanager
    def locked() -> Iterator[None]:
        with lock_path.open("a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def read() -> dict[str, Any] | None:
        if not state_path.exists():
            return None
        state: dict[str, Any] = json.loads(state_path.read_text())
        return state if _alive(state["pid"]) else None

    with locked():
        state = read()
        if state is None:
            server = ApiServer()
            server.start()
            assert server.pid is not None
            state = {"url": server.url, "pid": server.pid, "users": 0}
        state["users"] += 1
        state_path.write_text(json.dumps(state))
    yield str(state["url"])
    with locked():
        current = read()
        if current is not None:
            current["users"] -= 1
            if current["users"] <= 0:
                with contextlib.suppress(OSError):
                    os.kill(current["pid"], signal.SIGTERM)
                state_path.unlink(missing_ok=True)
            else:
                state_path.write_text(json.dumps(current))


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    server = FixtureSite()
    yield server
    server.close()


@pytest.fixture(scope="session")
def packaged_extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The extension exactly as it ships: built by build.py, then unzipped."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("extension_build", EXTENSION / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    root = tmp_path_factory.mktemp("extension")
    archive = build.build(root / "dist")
    target = root / "unpacked"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(target)
    return Path(target)


@pytest.fixture(scope="module")
def browser(playwright_driver: Any, packaged_extension: Path, site: FixtureSite) -> Iterator[Browser]:
    with launch(playwright_driver, packaged_extension, site.port, viewport=(1440, 900)) as b:
        yield b


@pytest.fixture
def proxy(api_url: str) -> Iterator[RecordingProxy]:
    recorder = RecordingProxy(api_url)
    yield recorder
    recorder.close()


@pytest.fixture
def page(browser: Browser, proxy: RecordingProxy) -> Iterator[Any]:
    """A fresh tab with default settings, the API behind a recording proxy."""
    browser.reset(proxy.url)
    tab = browser.context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    tab.close()
    assert not errors, f"errors in the page: {errors}"
