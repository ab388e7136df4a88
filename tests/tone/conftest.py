"""Helpers for the tone rules' tests: what one rule finds in one text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from replylint.engine import Linter

Matches = Callable[..., list[str]]


@pytest.fixture(scope="session")
def matches(linter: Linter) -> Matches:
    """``matches(rule, text, lang="en")`` → the texts that rule reports, in order."""

    def run(rule: str, text: str, lang: str = "en", marketplace: str = "amazon") -> list[str]:
        result = linter.check_text(text, lang=lang, marketplace=marketplace, select={rule})
        return [d.match for d in result.diagnostics if d.rule == rule]

    return run
