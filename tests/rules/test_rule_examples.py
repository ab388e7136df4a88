"""Every rule's embedded examples: it fires on each `fires` example (at `match`) and
stays quiet on each `passes` example. A rule file is its own test suite."""

from __future__ import annotations

import pytest

from replylint.catalogue import Example, Rule, load_catalogue
from replylint.engine import Linter

CATALOGUE = load_catalogue()
CASES = [(rule, ex) for rule in CATALOGUE.rules.values() for ex in rule.all_examples()]


def _ids() -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for rule, ex in CASES:
        base = f"{rule.id}-{ex.label}"
        seen[base] = seen.get(base, 0) + 1
        out.append(f"{base}-{seen[base]}")
    return out


@pytest.mark.parametrize(("rule", "example"), CASES, ids=_ids())
def test_rule_fires_exactly_on_its_examples(linter: Linter, rule: Rule, example: Example) -> None:
    result = linter.check_text(
        example.text,
        lang=example.lang,
        marketplace=example.marketplace,
        buyer_message=example.buyer_message,
        select={rule.id},
    )
    found = {example.text[d.start : d.end] for d in result.diagnostics if d.rule == rule.id}
    if example.fires:
        assert example.match is not None, "a firing example names its match"
        assert example.match in found, f"expected {example.match!r}, found {sorted(found)}"
    else:
        assert not found, f"expected no {rule.id}, found {sorted(found)}"


CONTRACT_RULES = {
    "policy": ["external-link", "contact-info", "feedback-request", "promotion", "off-platform"],
    "tone": ["blame-customer", "deflection", "negative-language", "over-promise", "unfilled-placeholder"],
}


@pytest.mark.parametrize("rule_id", [r for rules in CONTRACT_RULES.values() for r in rules])
def test_contract_rule_exists_with_examples_in_every_language(rule_id: str) -> None:
    assert rule_id in CATALOGUE.rules, f"{rule_id} is a contract rule id"
    rule = CATALOGUE.rules[rule_id]
    for lang in ("en", "fr", "de", "es", "it"):
        assert lang in rule.languages
        kinds = {ex.fires for ex in rule.all_examples() if ex.lang == lang}
        assert kinds == {True, False}, f"{rule_id}: {lang} needs a firing and a passing example"
