"""Regexes from a team's configuration run on RE2: linear whatever the pattern."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from replylint.catalogue import load_catalogue
from replylint.engine import Linter
from replylint.linear_regex import compile_linear

EVIL = r"(a+)+$"  # exponential on Python's engine against "aaaa…b"


def _cpu(fn: object, *args: object) -> float:
    start = time.process_time()
    fn(*args)  # type: ignore[operator]
    return time.process_time() - start


def test_a_catastrophic_pattern_is_linear_on_re2() -> None:
    rx = compile_linear(EVIL)
    small = _cpu(rx.search, "a" * 20_000 + "b")
    large = _cpu(rx.search, "a" * 80_000 + "b")
    assert rx.search("a" * 80_000 + "b") is None
    assert large <= 8 * small + 0.05
    found = rx.search("xaaa")
    assert found is not None and found.span() == (1, 4)  # the answer re would give


def test_what_re2_cannot_run_is_refused_with_its_reason() -> None:
    with pytest.raises(ValueError, match="RE2"):
        compile_linear(r"(\w)\1")  # backreference
    with pytest.raises(ValueError, match="RE2"):
        compile_linear(r"(?<=@)\w+")  # look-behind
    with pytest.raises(ValueError, match="flag"):
        compile_linear("a", "x")


def test_a_team_rule_with_a_catastrophic_regex_lints_in_linear_time(tmp_path: Path) -> None:
    rule = tmp_path / "no-aaa.yaml"
    rule.write_text(
        "id: no-aaa\nfamily: policy\nseverity: error\nsummary: A run of a's at the end.\n"
        f"message: {{en: 'No run of a.'}}\npatterns: {{en: [{{regex: '{EVIL}'}}]}}\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(extra_rule_paths=[rule])
    assert "no-aaa" in catalogue.user_rules
    linter = Linter(catalogue)
    hit = linter.check_text("Thanks, aaaa", lang="en", select=["no-aaa"])
    assert [d.match for d in hit.diagnostics] == ["aaaa"]
    linter.check_text("warm " + "a" * 100 + "!", lang="en", select=["no-aaa"])

    def lint(text: str) -> None:
        linter.check_text(text, lang="en", select=["no-aaa"])

    small = _cpu(lint, "Hi " + "a" * 5_000 + "!")
    large = _cpu(lint, "Hi " + "a" * 20_000 + "!")
    assert large <= 8 * small + 0.05, (small, large)
