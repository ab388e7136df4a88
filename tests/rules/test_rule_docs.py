"""The committed rule pages under docs/rules/ are what the rule files generate, so the
docs never drift from the rules (regenerate: python3 -m replylint.docs docs/rules)."""

from __future__ import annotations

from pathlib import Path

from replylint.docs import write_rule_docs
from replylint.engine import Linter

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"


def test_rule_pages_are_fresh(linter: Linter, tmp_path: Path) -> None:
    written = write_rule_docs(tmp_path, linter.catalogue)
    assert {p.name for p in written} == {p.name for p in DOCS.glob("*.md")}, "a page is missing or stale"
    for page in written:
        committed = (DOCS / page.name).read_text(encoding="utf-8")
        assert committed == page.read_text(encoding="utf-8"), (
            f"docs/rules/{page.name} is stale: run python3 -m replylint.docs docs/rules"
        )


def test_every_rule_page_cites_its_policy_or_explains_itself(linter: Linter) -> None:
    for rule in linter.catalogue.rules.values():
        page = (DOCS / f"{rule.id}.md").read_text(encoding="utf-8")
        assert "## What it does" in page
        if rule.family == "policy":
            assert "## References" in page and "http" in page, rule.id
