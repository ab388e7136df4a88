"""Clarity rules: quiet on ordinary replies, precise when they fire."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replylint.engine import Linter
from replylint.fixes import apply_fixes

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev.jsonl"


@pytest.mark.skipif(not CORPUS.exists(), reason="the dev corpus is not beside the project")
def test_clarity_warnings_stay_quiet_on_the_dev_corpus(linter: Linter) -> None:
    noisy = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        fields = {k: case[k] for k in ("text", "buyer_message", "marketplace", "lang") if case.get(k)}
        result = linter.check(fields, select={"clarity"})
        noisy += [(case["id"], d.rule) for d in result.diagnostics if d.severity != "info"]
    assert noisy == []


def test_emoji_is_a_warning_on_amazon_and_a_note_elsewhere(linter: Linter) -> None:
    amazon = linter.check_text("New one on its way 🚚", select={"emoji"})
    etsy = linter.check_text("New one on its way 🚚", marketplace="etsy", select={"emoji"})
    assert [d.severity for d in amazon.diagnostics] == ["warning"]
    assert amazon.diagnostics[0].policy
    assert [d.severity for d in etsy.diagnostics] == ["info"]


def test_stacked_marks_and_empty_lines_have_safe_fixes(linter: Linter) -> None:
    text = "Thanks!!\n\n\n\nBest,\nTom?!"
    result = linter.check_text(text, select={"exclamation-marks", "line-breaks"})
    fixed, _ = apply_fixes(text, result.diagnostics)
    assert fixed == "Thanks!\n\nBest,\nTom?"


def test_shouting_ignores_acronyms_sizes_and_placeholders(linter: Linter) -> None:
    quiet = linter.check_text(
        "Sent with UPS and DHL, size XXL, invoice as PDF, order XXX-XXXXXXX.", select={"all-caps"}
    )
    assert not quiet.diagnostics
    loud = linter.check_text("I REALLY CANNOT HELP YOU.", select={"all-caps"})
    assert [d.match for d in loud.diagnostics] == ["I REALLY CANNOT HELP YOU"]


def test_readability_reports_the_longest_sentence_with_its_score(linter: Linter) -> None:
    text = (
        "Thanks. Notwithstanding the aforementioned circumstances, our organisation's "
        "comprehensive quality-assurance "
        "methodology necessitates systematic documentation and verification of every "
        "manufacturing irregularity "
        "reported by purchasers, consequently requiring considerable administrative processing "
        "before compensatory "
        "arrangements, replacements or reimbursements can be authorised by the responsible departmental "
        "representatives concerned with international logistics operations."
    )
    result = linter.check_text(text, select={"readability"})
    [d] = result.diagnostics
    assert d.match.startswith("Notwithstanding") and "ARI" in d.message


def test_short_replies_are_not_measured_for_readability(linter: Linter) -> None:
    result = linter.check_text(
        "Notwithstanding considerable administrative complications, reimbursement authorised.",
        select={"readability"},
    )
    assert not result.diagnostics


def test_long_sentence_message_counts_the_words(linter: Linter) -> None:
    text = " ".join(["word"] * 45) + "."
    [d] = linter.check_text(text, select={"long-sentence"}).diagnostics
    assert d.severity == "info" and "45 words" in d.message
