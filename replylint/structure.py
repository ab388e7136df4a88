"""Acknowledge, Own, Offer, Verify: does the reply contain each element?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import Diagnostic, Severity, Structure

if TYPE_CHECKING:
    from .catalogue import Rule
    from .engine import Analysis, Linter


def assess_structure(
    analysis: Analysis, linter: Linter, rules: list[tuple[Rule, Severity]]
) -> tuple[Structure, list[Diagnostic]]:
    return Structure(applies=False), []
