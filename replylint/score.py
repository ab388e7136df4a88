"""The 0-100 score of a reply: the rubric documented in docs/scoring.md.

    score = 100
            - compliance   25 per error-severity policy diagnostic
            - structure    10 per missing-* diagnostic (Acknowledge, Own, Offer, Verify)
            - readability  10 when the reply is hard to read (readability warning)
            - style        the rest, at most 10 in all: 5 per tone warning, 4 per policy
                           warning, 3 per other warning, 1 per info
    a reply that is not compliant never scores above 59; the result is clamped to
    0-100 and rounded.

Compliance and structure dominate because they decide whether a reply is sent and
whether it settles the case; tone and style are shown in detail by the
diagnostics themselves. Hence the rubric's two guarantees: a non-compliant reply
scores 59 or less, and a compliant reply with all four elements (or none needed)
and no readability warning scores 90 or more.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .schema import ResultRecord

if TYPE_CHECKING:
    from .engine import Analysis


@dataclass(frozen=True)
class Rubric:
    """Points taken off per finding (docs/scoring.md)."""

    policy_error: float = 25
    missing_element: float = 10
    readability: float = 10
    tone_warning: float = 5
    policy_warning: float = 4
    clarity_warning: float = 3
    info: float = 1
    style_cap: float = 10
    non_compliant_cap: int = 59


RUBRIC = Rubric()


@dataclass(frozen=True)
class ScoreBreakdown:
    """Each part of the rubric, for reports that explain a score."""

    compliance: float
    structure: float
    readability: float
    style: float
    score: int


def breakdown(result: ResultRecord, rubric: Rubric = RUBRIC) -> ScoreBreakdown:
    """The points each part of the rubric takes off ``result``, and the score.

    Only the diagnostics count, so rules switched off, ignored or suppressed cost
    nothing; a ``missing-*`` diagnostic counts once per element."""
    compliance = structure = readability = style = 0.0
    for d in result.diagnostics:
        if d.severity == "info":
            style += rubric.info
        elif d.family == "policy":
            if d.severity == "error":
                compliance += rubric.policy_error
            else:
                style += rubric.policy_warning
        elif d.family == "structure":
            structure += rubric.missing_element
        elif d.rule == "readability":
            readability = rubric.readability
        elif d.family == "tone":
            style += rubric.tone_warning
        else:
            style += rubric.clarity_warning
    style = min(style, rubric.style_cap)
    raw = 100 - compliance - structure - readability - style
    if not result.compliant:
        raw = min(raw, rubric.non_compliant_cap)
    return ScoreBreakdown(compliance, structure, readability, style, round(max(0.0, min(100.0, raw))))


def score_result(result: ResultRecord, analysis: Analysis | None = None) -> int:
    """The 0-100 score of ``result`` (the engine calls it once per reply)."""
    return breakdown(result).score
