"""The documentation of each tone rule tells the truth: its bad example fires in every
language and its "use instead" reply raises no tone diagnostic."""

from __future__ import annotations

import pytest

from replylint.catalogue import load_catalogue
from replylint.engine import Linter

TONE_RULES = [r for r in load_catalogue().rules.values() if r.family == "tone"]
TONE = {r.id for r in TONE_RULES}


def _texts(kind: str) -> list[tuple[str, str, str]]:
    out = []
    for rule in TONE_RULES:
        value = getattr(rule, kind) or {}
        items = value.items() if isinstance(value, dict) else [("en", value)]
        out.extend((rule.id, lang, text) for lang, text in items)
    return out


@pytest.mark.parametrize(("rule", "lang", "text"), _texts("example"))
def test_the_bad_example_of_a_rule_fires(linter: Linter, rule: str, lang: str, text: str) -> None:
    result = linter.check_text(text, lang=lang, select={rule})
    assert [d for d in result.diagnostics if d.rule == rule]


@pytest.mark.parametrize(("rule", "lang", "text"), _texts("use_instead"))
def test_the_better_reply_raises_no_tone_diagnostic(linter: Linter, rule: str, lang: str, text: str) -> None:
    result = linter.check_text(text, lang=lang, select=TONE)
    assert [f"{d.rule}: {d.match}" for d in result.diagnostics if d.rule in TONE] == []


def test_every_tone_rule_documents_all_five_languages() -> None:
    for rule in TONE_RULES:
        for section in ("message", "help", "example", "use_instead"):
            value = getattr(rule, section)
            langs = set(value) if isinstance(value, dict) else set()
            assert langs >= {"en", "fr", "de", "es", "it"}, (rule.id, section)
