"""Applying fixes to a text: non-overlapping edits, last to first, so offsets hold."""

from __future__ import annotations

from collections.abc import Iterable

from .schema import Diagnostic


def fix_range(d: Diagnostic) -> tuple[int, int]:
    assert d.fix is not None
    start = d.fix.start if d.fix.start is not None else d.start
    end = d.fix.end if d.fix.end is not None else d.end
    return start, end


def apply_fixes(text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes of ``diagnostics`` (safe ones only unless ``unsafe``).

    Overlapping fixes: the first (by start) wins, later ones are skipped and can be
    applied on a second pass after re-linting. Returns the new text and the
    diagnostics whose fixes were applied.
    """
    candidates = [d for d in diagnostics if d.fix is not None and (d.fix.safe or unsafe)]
    candidates.sort(key=lambda d: (fix_range(d), d.rule))
    chosen: list[Diagnostic] = []
    last_end = -1
    for d in candidates:
        start, end = fix_range(d)
        if start < last_end or start < 0 or end > len(text) or start > end:
            continue
        chosen.append(d)
        last_end = max(end, start + 1) if start == end else end
    out = text
    for d in reversed(chosen):
        assert d.fix is not None
        start, end = fix_range(d)
        out = out[:start] + d.fix.replacement + out[end:]
    return out, chosen
