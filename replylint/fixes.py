"""Applying fixes to a text: non-overlapping edits, last to first, so offsets hold.

``--fix`` applies safe fixes only; ``--unsafe-fixes`` adds the others (a fix is
unsafe when it may change what the seller commits to, see each rule's ``fix.why``).
Two fixes may touch the same words; the first wins and the next pass, after
re-linting, decides whether the other is still needed (:data:`MAX_PASSES` at most).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .schema import Diagnostic

#: Lint-fix rounds per file before giving up on fixes that keep producing new ones.
MAX_PASSES = 10


def fix_range(d: Diagnostic) -> tuple[int, int]:
    assert d.fix is not None
    start = d.fix.start if d.fix.start is not None else d.start
    end = d.fix.end if d.fix.end is not None else d.end
    return start, end


def fixable(d: Diagnostic, *, unsafe: bool = False) -> bool:
    """Whether ``--fix`` (or ``--fix --unsafe-fixes``) would apply ``d``'s fix."""
    return d.fix is not None and (d.fix.safe or unsafe)


def choose_fixes(
    diagnostics: Iterable[Diagnostic],
    length: int,
    *,
    unsafe: bool = False,
    allowed: Callable[[int, int], bool] | None = None,
) -> list[Diagnostic]:
    """The fixes to apply in one pass: applicable, inside ``[0, length]``, allowed by
    the caller (template mode keeps placeholders whole), and not overlapping an
    earlier one. Sorted by position."""
    candidates = [d for d in diagnostics if fixable(d, unsafe=unsafe)]
    candidates.sort(key=lambda d: (fix_range(d), d.rule))
    chosen: list[Diagnostic] = []
    last_end = -1
    for d in candidates:
        start, end = fix_range(d)
        if start < last_end or start < 0 or end > length or start > end:
            continue
        if allowed is not None and not allowed(start, end):
            continue
        chosen.append(d)
        last_end = max(end, start + 1) if start == end else end
    return chosen


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``[start, end)`` of a text with ``replacement``."""

    start: int
    end: int
    replacement: str


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply non-overlapping edits (any order) to ``text``."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out = out[: edit.start] + edit.replacement + out[edit.end :]
    return out


def apply_fixes(
    text: str, diagnostics: Iterable[Diagnostic], *, unsafe: bool = False
) -> tuple[str, list[Diagnostic]]:
    """Apply the fixes of ``diagnostics`` (safe ones only unless ``unsafe``).

    Overlapping fixes: the first (by start) wins, later ones are skipped and can be
    applied on a second pass after re-linting. Returns the new text and the
    diagnostics whose fixes were applied.
    """
    chosen = choose_fixes(diagnostics, len(text), unsafe=unsafe)
    edits = []
    for d in chosen:
        assert d.fix is not None
        start, end = fix_range(d)
        edits.append(Edit(start, end, d.fix.replacement))
    return apply_edits(text, edits), chosen


def unified_diff(before: str, after: str, path: str) -> str:
    """A ``git diff``-style unified diff of one file (empty when nothing changed)."""
    if before == after:
        return ""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
