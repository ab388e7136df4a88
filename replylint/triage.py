"""Triage of the buyer's message: risk, tier, SLA and reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .schema import Triage

if TYPE_CHECKING:
    from .engine import Analysis


def triage_message(analysis: Analysis) -> Triage | None:
    return None
