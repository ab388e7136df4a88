"""The report's figures for spreadsheets and dashboards: ``--summary OUT.csv|json``.

JSON holds the whole aggregate. CSV is one row per group — the whole run, each
agent, week, language and marketplace — with the same columns, plus one column per
rule counting the replies it flagged, so a pivot table or a dashboard can slice it
without parsing anything nested.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .aggregate import Aggregate, Tally

COLUMNS = (
    "scope",
    "key",
    "records",
    "linted",
    "errors",
    "compliance_rate",
    "mean_score",
    "structure_applies",
    "structure_complete_rate",
    "high_risk",
    "within_sla_rate",
    "top_issues",
)


def _groups(agg: Aggregate) -> Iterator[tuple[str, str, Tally]]:
    yield "all", "all", agg.total
    for name, stats in sorted(agg.agents.items(), key=lambda kv: (-kv[1].tally.records, kv[0])):
        yield "agent", name, stats.tally
    for week in sorted(agg.weeks):
        yield "week", week, agg.weeks[week]


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def summary_rows(agg: Aggregate) -> Iterator[dict[str, Any]]:
    rules = sorted(agg.rule_replies)
    for scope, key, tally in _groups(agg):
        data = tally.to_dict(top=3)
        row: dict[str, Any] = {"scope": scope, "key": key}
        for col in COLUMNS[2:-1]:
            row[col] = _round(data[col])
        row["top_issues"] = " ".join(f"{t['rule']}:{t['replies']}" for t in data["top_issues"])
        for rule in rules:
            row[f"rule:{rule}"] = tally.rules.get(rule, 0)
        yield row


def write_summary(agg: Aggregate, path: Path | str) -> None:
    path = Path(path)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(agg.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return
    rules = sorted(agg.rule_replies)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, *(f"rule:{r}" for r in rules)])
        writer.writeheader()
        for row in summary_rows(agg):
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
