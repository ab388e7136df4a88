"""Rule documentation generated from rule files (ruff-style sections).

`replylint rules ID` prints one page; `python -m replylint.docs docs/rules` writes
them all (a test checks the committed pages are fresh).
"""

from __future__ import annotations

import sys
from pathlib import Path

from .catalogue import Catalogue, Rule, load_catalogue, localised


def rule_markdown(catalogue: Catalogue, rule: Rule) -> str:
    info = catalogue.rule_info(rule)
    out = [f"# {rule.id}", ""]
    out.append(
        f"Family: **{rule.family}** · default severity: **{rule.severity}** · status: {rule.status}"
        f" · fix: {info.fix} · languages: {', '.join(rule.languages)}"
    )
    if rule.aliases:
        out.append(f"Aliases: {', '.join(rule.aliases)}")
    out += ["", "## What it does", "", rule.summary.strip(), ""]
    if rule.why:
        out += ["## Why is this bad?", "", rule.why.strip(), ""]
    if rule.example:
        out += ["## Example", ""]
        for lang, text in rule.example.items() if isinstance(rule.example, dict) else [("en", rule.example)]:
            out += [f"```text ({lang})", text.strip(), "```", ""]
    if rule.use_instead:
        out += ["## Use instead", ""]
        items = rule.use_instead.items() if isinstance(rule.use_instead, dict) else [("en", rule.use_instead)]
        for lang, text in items:
            out += [f"```text ({lang})", text.strip(), "```", ""]
    out += ["## Marketplaces", "", "| profile | severity | policy |", "|---|---|---|"]
    for market, sev in info.marketplaces.items():
        profile = catalogue.profiles[market]
        url = catalogue.policy_url(rule, profile) if sev != "off" else None
        out.append(f"| {market} | {sev} | {url or '—'} |")
    out.append("")
    if rule.known_problems:
        out += ["## Known problems", "", rule.known_problems.strip(), ""]
    if rule.options:
        out += ["## Options", "", rule.options.strip(), ""]
    out += ["## Fix safety", ""]
    if rule.fix.action == "none":
        out.append("No automatic fix.")
    else:
        out.append(
            f"{'Safe' if rule.fix.safe else 'Unsafe'} fix ({rule.fix.action}): "
            f"{localised(rule.fix.title, 'en')}. {rule.fix.why or ''}".strip()
        )
    out.append("")
    examples = list(rule.all_examples())
    if examples:
        out += ["## Examples the tests run", "", "| fires | lang | text |", "|---|---|---|"]
        for ex in examples:
            text = ex.text.replace("\n", " ").replace("|", "\\|")
            out.append(f"| {'yes' if ex.fires else 'no'} | {ex.lang} | {text} |")
        out.append("")
    keys = sorted(
        {k for p in catalogue.profiles.values() for k in p.setting(rule.id).sources} | set(rule.sources)
    )
    if keys:
        out += ["## References", ""]
        for key in keys:
            src = catalogue.sources[key]
            out.append(f"- {key}: [{src.title or src.url}]({src.url})")
        out.append("")
    return "\n".join(out)


def write_rule_docs(directory: Path, catalogue: Catalogue | None = None) -> list[Path]:
    catalogue = catalogue or load_catalogue()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# Rules", "", "| rule | family | severity | summary |", "|---|---|---|---|"]
    for rule in sorted(catalogue.rules.values(), key=lambda r: (r.family, r.id)):
        path = directory / f"{rule.id}.md"
        path.write_text(rule_markdown(catalogue, rule), encoding="utf-8")
        written.append(path)
        index.append(
            f"| [{rule.id}]({rule.id}.md) | {rule.family} | {rule.severity} | {rule.summary.strip()} |"
        )
    (directory / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    written.append(directory / "README.md")
    return written


if __name__ == "__main__":
    for p in write_rule_docs(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(p)  # noqa: T201
