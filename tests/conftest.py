"""Shared fixtures. The linter is expensive to build, so one instance serves a session."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint.engine import Linter, default_linter

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def linter() -> Linter:
    return default_linter()
