"""The offline engine on every dev-corpus reply that is not clean.

Each rewrite must be compliant (no policy diagnostic at all) and keep every fact
of the draft; where the buyer raised a problem, nearly all must have the four
Acknowledge / Own / Offer / Verify elements. Skipped when the corpus is not beside
the repository.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from replylint.engine import Linter
from replylint.rewrite import RewriteOptions, rewrite
from replylint.rewrite.facts import missing_facts
from replylint.rewrite.guardrails import draft_facts
from replylint.schema import InputRecord

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"
STRUCTURE_TARGET = 0.95
TONE_CLEAN_TARGET = 0.90


def _not_clean(case: dict[str, Any]) -> bool:
    expect = case["expect"]
    structure = expect.get("structure")
    return bool(expect.get("violations")) or (structure is not None and not all(structure.values()))


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.is_file(), reason="dev corpus not beside the repository")
def test_offline_rewrites_of_the_dev_corpus(linter: Linter) -> None:
    cases = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [c for c in cases if _not_clean(c)]
    assert cases
    failures: list[str] = []
    structure_total = structure_full = tone_clean = 0
    for case in cases:
        fields = {k: case[k] for k in ("id", "text", "buyer_message", "marketplace", "lang") if case.get(k)}
        record = InputRecord(**fields)
        before = linter.check(record)
        response = rewrite(record, linter=linter, options=RewriteOptions(engine="offline"))
        result = response.result
        policy = [d.rule for d in result.diagnostics if d.family == "policy"]
        lost = missing_facts(draft_facts(record, before), response.text, result.lang)
        if policy or not result.compliant:
            failures.append(f"{case['id']}: still {policy}")
        if lost:
            failures.append(f"{case['id']}: lost {[f.text for f in lost]}")
        if result.score < before.score:
            failures.append(f"{case['id']}: score {before.score} -> {result.score}")
        tone_clean += not any(d.family == "tone" for d in result.diagnostics)
        if result.structure.applies:
            structure_total += 1
            s = result.structure
            structure_full += s.acknowledgement and s.ownership and s.offer and s.next_step
    assert not failures, "\n".join(failures)
    assert structure_total == 0 or structure_full / structure_total >= STRUCTURE_TARGET, (
        f"all four elements in {structure_full}/{structure_total}"
    )
    assert tone_clean / len(cases) >= TONE_CLEAN_TARGET, f"tone-clean {tone_clean}/{len(cases)}"
