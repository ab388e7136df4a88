"""Helpers for the policy rules' tests: what one rule finds in one text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from replylint.engine import Linter
from replylint.schema import Diagnostic

Find = Callable[..., list[Diagnostic]]


@pytest.fixture(scope="session")
def find(linter: Linter) -> Find:
    """``find(rule, text, lang="en", marketplace="amazon")`` → that rule's diagnostics."""

    def run(rule: str, text: str, lang: str = "en", marketplace: str = "amazon") -> list[Diagnostic]:
        result = linter.check_text(text, lang=lang, marketplace=marketplace, select={rule})
        return [d for d in result.diagnostics if d.rule == rule]

    return run
