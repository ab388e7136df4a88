"""The 0-100 score of a reply (rubric in docs/scoring.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import ResultRecord

if TYPE_CHECKING:
    from .engine import Analysis

_PENALTY = {"error": 25, "warning": 10, "info": 2}


def score_result(result: ResultRecord, analysis: Analysis) -> int:
    score = 100 - sum(_PENALTY[d.severity] for d in result.diagnostics)
    if not result.compliant:
        score = min(score, 59)
    return max(0, min(100, score))
