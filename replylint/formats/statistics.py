"""``--statistics``: how often each rule fired, like ``ruff check --statistics``.

    3  external-link         error    [*]  A link or bare domain outside the allowlist.
    1  unfilled-placeholder  warning  [ ]  A slot of a macro or draft left unfilled …

``[*]`` marks rules whose fixes ``--fix`` can apply (``[-]`` with ``--unsafe-fixes``
only). Sorted by count, then rule id.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import IO

from . import FileResult


@dataclass
class RuleCount:
    rule: str
    family: str
    severity: str
    count: int
    fixable: int  # safe fixes
    unsafe_fixable: int
    summary: str


def count_rules(results: Sequence[FileResult], summaries: Mapping[str, str] | None = None) -> list[RuleCount]:
    table: dict[str, RuleCount] = {}
    order = {"error": 0, "warning": 1, "info": 2}
    for fr in results:
        for d in fr.result.diagnostics:
            row = table.get(d.rule)
            if row is None:
                row = table[d.rule] = RuleCount(
                    d.rule, d.family, d.severity, 0, 0, 0, (summaries or {}).get(d.rule, "")
                )
            row.count += 1
            if order[d.severity] < order[row.severity]:
                row.severity = d.severity
            if d.fix is not None:
                if d.fix.safe:
                    row.fixable += 1
                else:
                    row.unsafe_fixable += 1
    return sorted(table.values(), key=lambda r: (-r.count, r.rule))


def write_statistics(
    results: Sequence[FileResult],
    out: IO[str],
    summaries: Mapping[str, str] | None = None,
    *,
    as_json: bool = False,
) -> None:
    rows = count_rules(results, summaries)
    if as_json:
        text = json.dumps(
            [
                {
                    "rule": r.rule,
                    "family": r.family,
                    "severity": r.severity,
                    "count": r.count,
                    "fixable": r.fixable,
                    "unsafe_fixable": r.unsafe_fixable,
                    "summary": r.summary,
                }
                for r in rows
            ],
            ensure_ascii=False,
            indent=2,
        )
        out.write(text + "\n")
        return
    if not rows:
        out.write("All checks passed.\n")
        return
    count_w = max(len(str(r.count)) for r in rows)
    rule_w = max(len(r.rule) for r in rows)
    for r in rows:
        mark = "[*]" if r.fixable else ("[-]" if r.unsafe_fixable else "[ ]")
        line = f"{r.count:>{count_w}}  {r.rule:<{rule_w}}  {r.severity:<7}  {mark}  {r.summary}"
        out.write(line.rstrip() + "\n")
