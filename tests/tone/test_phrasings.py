"""Several hundred phrasings, one per line in phrasings.txt: blame, deflection, demands,
refusals, guarantees and slots worded in different ways in five languages (formal
and informal address, word order, missing accents), their hard negatives, and long
service replies that must raise no tone rule at all."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from replylint.engine import default_linter

DATA = Path(__file__).with_name("phrasings.txt")
TONE = {"blame-customer", "deflection", "negative-language", "over-promise", "unfilled-placeholder"}


def _cases() -> list[tuple[str, str, str, str]]:
    cases = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, lang, text = line.split("|", 2)
        cases.append((head[0], head[1:], lang, text.replace("\\n", "\n")))
    return cases


CASES = _cases()


def test_every_tone_rule_has_phrasings_in_every_language() -> None:
    covered = {(rule, lang) for sign, rule, lang, _ in CASES if sign == "+"}
    for rule in TONE:
        for lang in ("en", "fr", "de", "es", "it"):
            assert (rule, lang) in covered, f"no firing phrasing for {rule} in {lang}"


@cache
def _tone_hits(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    """All tone diagnostics of one text, once: several lines share a text."""
    result = default_linter().check_text(text, lang=lang, select=TONE)
    return tuple((d.rule, d.match) for d in result.diagnostics if d.rule in TONE)


@pytest.mark.parametrize(
    ("sign", "rule", "lang", "text"),
    CASES,
    ids=[f"{s}{r}-{lang}-{i}" for i, (s, r, lang, _) in enumerate(CASES)],
)
def test_phrasing(sign: str, rule: str, lang: str, text: str) -> None:
    select = TONE if rule == "tone" else {rule}
    found = [f"{r}: {m}" for r, m in _tone_hits(text, lang) if r in select]
    if sign == "+":
        assert found, f"{rule} should fire"
    else:
        assert not found, f"should stay quiet, found {found}"
