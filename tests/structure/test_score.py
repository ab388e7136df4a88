"""The 0-100 score (docs/scoring.md): its guarantees and its parts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.engine import Linter
from replylint.schema import Diagnostic, ResultRecord, Structure
from replylint.score import RUBRIC, breakdown


def test_a_compliant_reply_with_all_four_elements_scores_at_least_90(linter: Linter) -> None:
    result = linter.check_text(
        "Hi Sam, I'm so sorry the vase arrived broken. I'll send you a new one today. Which "
        "address should I use?",
        buyer_message="The vase arrived broken.",
    )
    assert result.compliant and result.score >= 90


def test_a_non_compliant_reply_never_scores_above_59(linter: Linter) -> None:
    result = linter.check_text(
        "Hi Sam, I'm so sorry the vase arrived broken. I'll send you a new one today. Which "
        "address should I use? "
        "You can also reach me on WhatsApp: +44 7700 900123.",
        buyer_message="The vase arrived broken.",
    )
    assert not result.compliant and result.score <= 59


def test_each_missing_element_costs_ten_points(linter: Linter) -> None:
    result = linter.check_text(
        "Dear customer, we apologise for any inconvenience. A replacement will be sent.",
        buyer_message="The vase arrived broken.",
    )
    parts = breakdown(result)
    assert parts.structure == 30 and result.score == 70


def _diag(rule: str, family: str, severity: str) -> Diagnostic:
    return Diagnostic(
        rule=rule,
        family=family,
        severity=severity,
        message="m",
        start=0,
        end=1,  # type: ignore[arg-type]
        line=1,
        column=1,
        end_line=1,
        end_column=2,
    )


FINDINGS = st.sampled_from(
    [
        ("external-link", "policy", "error"),
        ("external-link", "policy", "warning"),
        ("blame-customer", "tone", "warning"),
        ("missing-offer", "structure", "warning"),
        ("readability", "clarity", "warning"),
        ("all-caps", "clarity", "warning"),
        ("emoji", "clarity", "info"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(FINDINGS, max_size=12))
def test_the_score_is_bounded_and_caps_non_compliant_replies(findings: list[tuple[str, str, str]]) -> None:
    diagnostics = [_diag(*f) for f in findings]
    compliant = not any(d.family == "policy" and d.severity == "error" for d in diagnostics)
    result = ResultRecord(
        lang="en",
        marketplace="amazon",
        compliant=compliant,
        score=0,
        diagnostics=diagnostics,
        structure=Structure(applies=True),
    )
    parts = breakdown(result)
    assert 0 <= parts.score <= 100
    assert parts.style <= RUBRIC.style_cap
    if not compliant:
        assert parts.score <= 59
    if compliant and not any(d.family == "structure" or d.rule == "readability" for d in diagnostics):
        assert parts.score >= 90
