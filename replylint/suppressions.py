"""Inline suppressions: ``replylint: disable=RULE[,RULE]`` in a comment.

A directive lives in a comment of the file's own syntax, so the macro a buyer
receives never shows it::

    {# replylint: disable=promotion #}              Jinja2
    {% comment %} replylint: disable=promotion {% endcomment %}      Liquid
    {% # replylint: disable=promotion %}            Liquid (inline comment)
    {{! replylint: disable=promotion }}             Handlebars ({{!-- … --}} too)
    <!-- replylint: disable=promotion -->           HTML
    # replylint: disable=promotion                  YAML exports, plain text

Forms (rule ids, aliases or families, comma-separated; none or ``all`` = every rule):

- ``disable=RULES`` — diagnostics on the comment's line;
- ``disable-next-line=RULES`` — diagnostics on the line below the comment;
- ``disable-file=RULES`` — the whole file (or the whole macro, inside an export).

Text after ``--`` is a reason for reviewers and is ignored
(``{# replylint: disable=external-link -- the returns portal is allowed #}``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from .schema import Diagnostic

DirectiveKind = Literal["disable", "disable-next-line", "disable-file"]

_COMMENT = re.compile(
    r"""
      \{\#(?P<jinja>.{0,20000}?)\#\}
    | \{%-?\s*comment\s*-?%\}(?P<liquid>.{0,20000}?)\{%-?\s*endcomment\s*-?%\}
    | \{%-?\s*\#(?P<liquid_inline>.{0,2000}?)-?%\}
    | \{\{~?!--(?P<hbs_long>.{0,20000}?)--~?\}\}
    | \{\{~?!(?P<hbs>.{0,2000}?)~?\}\}
    | <!--(?P<html>.{0,20000}?)-->
    | (?:^|(?<=[ \t]))\#(?P<line>[^\n]*)
    """,
    re.DOTALL | re.VERBOSE | re.MULTILINE,
)
_DIRECTIVE = re.compile(
    r"replylint:\s*(?P<kind>disable-next-line|disable-file|disable)\b"
    r"(?:\s*=\s*(?P<names>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*))?",
)
#: Names that stand for every rule.
ALL_NAMES = frozenset({"all", "ALL"})


@dataclass
class Directive:
    """One ``replylint:`` directive found in a comment."""

    kind: DirectiveKind
    names: frozenset[str]  # empty = every rule
    line: int  # 1-based line of the directive text
    start: int  # the whole comment, for masking
    end: int
    used: int = 0

    @property
    def target_line(self) -> int | None:
        if self.kind == "disable":
            return self.line
        if self.kind == "disable-next-line":
            return self.line + 1
        return None

    def covers(self, rule: str, family: str) -> bool:
        return not self.names or bool(self.names & ALL_NAMES) or rule in self.names or family in self.names


@dataclass
class Suppressions:
    """The directives of one text, and the filter they apply."""

    directives: list[Directive] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.directives)

    @property
    def comment_spans(self) -> list[tuple[int, int]]:
        """Where the directive comments are: they are not reply text."""
        return [(d.start, d.end) for d in self.directives]

    def resolve(self, resolver: Callable[[str], str]) -> None:
        """Map aliases to rule ids (``resolver`` is :meth:`Catalogue.resolve`)."""
        for d in self.directives:
            d.names = frozenset(resolver(n) if n not in ALL_NAMES else n for n in d.names)

    def unknown_names(self, known: Iterable[str]) -> list[tuple[Directive, str]]:
        known_set = set(known) | ALL_NAMES
        return [(d, n) for d in self.directives for n in sorted(d.names) if n not in known_set]

    def suppresses(
        self, diagnostic: Diagnostic, *, line: int | None = None, end_line: int | None = None
    ) -> bool:
        """Whether a directive silences ``diagnostic`` (lines default to its own)."""
        first = diagnostic.line if line is None else line
        last = diagnostic.end_line if end_line is None else end_line
        hit = False
        for d in self.directives:
            target = d.target_line
            if target is not None and not first <= target <= max(first, last):
                continue
            if d.covers(diagnostic.rule, diagnostic.family):
                d.used += 1
                hit = True
        return hit

    def filter(self, diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
        return [d for d in diagnostics if not self.suppresses(d)]

    def unused(self) -> list[Directive]:
        return [d for d in self.directives if not d.used]

    def extend(self, other: Suppressions) -> None:
        self.directives.extend(other.directives)


def parse_suppressions(text: str) -> Suppressions:
    """Every directive in the comments of ``text``; cheap when there is none."""
    if "replylint:" not in text:
        return Suppressions()
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    found: list[Directive] = []
    for comment in _COMMENT.finditer(text):
        group = comment.lastgroup
        if group is None:
            continue
        body_start = comment.start(group)
        body = comment.group(group)
        for m in _DIRECTIVE.finditer(body):
            names = frozenset(n.strip() for n in (m.group("names") or "").split(",") if n.strip())
            at = body_start + m.start()
            line = bisect.bisect_right(line_starts, at)
            kind: DirectiveKind = m.group("kind")  # type: ignore[assignment]
            found.append(Directive(kind, names, line, comment.start(), comment.end()))
    return Suppressions(found)
