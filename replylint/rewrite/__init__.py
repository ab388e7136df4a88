"""The rewrite assistant: turn a cold or risky draft into a compliant, warm reply.

Public interface (used by the CLI and the HTTP API)::

    rewrite(record: InputRecord, *, linter: Linter | None = None) -> RewriteResponse

Every rewrite is linted again; the response carries the new draft's result record.
"""

from __future__ import annotations

from ..engine import Linter, default_linter
from ..fixes import apply_fixes
from ..schema import Change, InputRecord, RewriteResponse


def rewrite(record: InputRecord, *, linter: Linter | None = None) -> RewriteResponse:
    """Offline engine, first stage: apply every safe fix, then re-lint."""
    linter = linter or default_linter()
    before = linter.check(record)
    text, applied = apply_fixes(record.text, before.diagnostics, unsafe=False)
    changes = [
        Change(kind="fix", rule=d.rule, description=d.fix.title or f"fixed {d.rule}", before=d.match, after="")
        for d in applied
        if d.fix is not None
    ]
    new_record = record.model_copy(update={"text": text})
    result = linter.check(new_record)
    if result.score < before.score:  # never hand back something worse
        text, result, changes = record.text, before, []
    return RewriteResponse(text=text, result=result, engine="offline", changes=changes)
