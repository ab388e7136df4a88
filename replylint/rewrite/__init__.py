"""The rewrite assistant: turn a cold or risky draft into a compliant, warm reply.

Public interface (used by the CLI and the HTTP API)::

    rewrite(record: InputRecord, *, linter: Linter | None = None) -> RewriteResponse

Two engines write the new draft (see docs/rewrite.md):

``llm``
    any OpenAI-compatible endpoint, with the prompts of ``prompts/``; personal data
    is replaced by placeholders before the text leaves the machine.
``offline``
    deterministic and local: removes forbidden content, rewords tone, adds the
    missing Acknowledge / Own / Offer / Verify sentences.

Whatever the engine, the new draft is linted again (:mod:`.guardrails`): an LLM
rewrite that still breaks policy or lost a fact gets one more try with what is left
to fix, then the offline engine takes over; and no rewrite that scores below the
draft is ever returned.
"""

from __future__ import annotations

from .guardrails import RewriteOptions, rewrite

__all__ = ["RewriteOptions", "rewrite"]
