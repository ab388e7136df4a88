"""Helpers shared by the `replylint check` tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple


class Run(NamedTuple):
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rules_fired(run: Run) -> list[tuple[str, str]]:
    """(path, rule) of every diagnostic of a `--format json` run."""
    return [(r["path"], d["rule"]) for r in run.json() for d in r["diagnostics"]]
