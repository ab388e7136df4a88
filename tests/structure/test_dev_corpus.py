"""The targets on the dev corpus, per language: structure F1 of the missing-* rules
at least 0.85, triage accuracy at least 0.90 and every high-risk message found.
Computed as ../shared/eval/evaluate.py does (error and warning diagnostics only;
`also_ok` tolerated), in-process."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from replylint.engine import Linter

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev.jsonl"
ELEMENT_RULE = {
    "acknowledgement": "missing-acknowledgement",
    "ownership": "missing-ownership",
    "offer": "missing-offer",
    "next_step": "missing-next-step",
}
pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="the dev corpus is not beside the project")


@pytest.fixture(scope="module")
def scores(linter: Linter) -> dict[str, dict[str, float]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    triage: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        expect = case["expect"]
        fields = {k: case[k] for k in ("text", "buyer_message", "marketplace", "lang") if case.get(k)}
        result = linter.check(fields, select={"structure"})
        want = {ELEMENT_RULE[e] for e, present in (expect["structure"] or {}).items() if not present}
        got = {d.rule for d in result.diagnostics if d.severity in ("error", "warning")}
        lang = case["lang"]
        for rule in ELEMENT_RULE.values():
            w, g = rule in want, rule in got
            if g and not w and rule in expect.get("also_ok", []):
                continue
            if w or g:
                counts[lang][0 if (w and g) else 1 if g else 2] += 1
        if case.get("buyer_message"):
            t = triage[lang]
            risk = result.triage.risk if result.triage else None
            t[0] += 1
            t[1] += risk == expect["risk"]
            if expect["risk"] == "high":
                t[2] += 1
                t[3] += risk == "high"
    out = {}
    for lang in counts:
        tp, fp, fn = counts[lang]
        p, r = tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0
        n, ok, high, found = triage[lang]
        out[lang] = {
            "structure_f1": 2 * p * r / (p + r) if p + r else 0.0,
            "triage_accuracy": ok / n,
            "high_recall": found / high if high else 1.0,
        }
    return out


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it"])
def test_structure_f1_is_at_least_085(scores: dict[str, dict[str, float]], lang: str) -> None:
    assert scores[lang]["structure_f1"] >= 0.85


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it"])
def test_triage_accuracy_is_at_least_090_and_no_high_risk_is_missed(
    scores: dict[str, dict[str, float]], lang: str
) -> None:
    assert scores[lang]["triage_accuracy"] >= 0.90
    assert scores[lang]["high_recall"] == 1.0
