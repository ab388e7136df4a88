"""Hundreds of phrasings, one per line in phrasings.txt: requests, rewards, coupons,
payments and contact invitations worded in different ways in five languages, their
hard negatives, and plain service replies that must raise no policy rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint.engine import Linter

DATA = Path(__file__).with_name("phrasings.txt")
POLICY = {"external-link", "contact-info", "feedback-request", "promotion", "off-platform"}


def _cases() -> list[tuple[str, str, str, str, str]]:
    cases = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        head, lang, text = line.split("|", 2)
        lang, _, market = lang.partition(":")
        cases.append((head[0], head[1:], lang, market or "amazon", text))
    return cases


CASES = _cases()


@pytest.mark.parametrize(
    ("sign", "rule", "lang", "marketplace", "text"),
    CASES,
    ids=[f"{s}{r}-{lang}-{i}" for i, (s, r, lang, _, _) in enumerate(CASES)],
)
def test_phrasing(linter: Linter, sign: str, rule: str, lang: str, marketplace: str, text: str) -> None:
    select = POLICY if rule == "policy" else {rule}
    result = linter.check_text(text, lang=lang, marketplace=marketplace, select=select)
    found = [d.match for d in result.diagnostics if d.rule in select and d.severity != "info"]
    if sign == "+":
        assert found, f"{rule} should fire"
    else:
        assert not found, f"{rule} should stay quiet, found {found}"
