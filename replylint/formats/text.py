"""Human output, like a compiler: location, rule, message, the line with a caret.

    reply.txt:3:18: error[external-link] Remove the link "www.shop.com": …
      |
    3 | The manual is at www.shop.com/manual.
      |                  ^^^^^^^^^^^^^^^^^^^ Remove the link
      = help: Attach the document to the message …
      = policy: https://…

Colours only when the stream is a terminal (and NO_COLOR is unset).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import IO

import click

from ..schema import Diagnostic, ResultRecord
from . import FileResult

_SEVERITY_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_ELEMENTS = (
    ("acknowledgement", "Acknowledge"),
    ("ownership", "Own"),
    ("offer", "Offer"),
    ("next_step", "Verify"),
)


def _width(s: str) -> int:
    """Display width: wide East Asian characters and most emoji take two columns."""
    width = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _snippet(text: str, d: Diagnostic, colour: bool) -> list[str]:
    lines = text.split("\n")
    line_text = lines[d.line - 1] if d.line - 1 < len(lines) else ""
    line_start = sum(len(line) + 1 for line in lines[: d.line - 1])
    col = d.start - line_start
    span_end = d.end - line_start if d.end_line == d.line else len(line_text)
    display = line_text.replace("\t", " ").rstrip("\r")
    if len(display) > 160:  # long lines: show a window around the span
        left = max(0, col - 60)
        display = ("…" if left else "") + display[left : left + 150]
        shift = left - (1 if left else 0)
        col, span_end = col - shift, span_end - shift
    gutter = str(d.line)
    pad = " " * len(gutter)
    caret_pad = " " * _width(display[:col])
    carets = "^" * max(1, _width(display[col:span_end]))
    label = d.fix.title if d.fix and d.fix.title else ""
    underline = caret_pad + carets + (f" {label}" if label else "")
    if colour:
        underline = click.style(underline, fg=_SEVERITY_COLOUR[d.severity], bold=True)
    return [f"{pad} |", f"{gutter} | {display}", f"{pad} | {underline}"]


def format_diagnostic(fr: FileResult, d: Diagnostic, colour: bool) -> list[str]:
    line = d.line + fr.line_offset
    where = f"{fr.path}:{line}:{d.column}:"
    sev = f"{d.severity}[{d.rule}]"
    if colour:
        where = click.style(where, bold=True)
        sev = click.style(sev, fg=_SEVERITY_COLOUR[d.severity], bold=True)
    macro = f" [{fr.label}]" if fr.label is not None else ""  # the macro, inside an export
    out = [f"{where}{macro} {sev} {d.message}"]
    if d.end > d.start:
        out.extend("  " + s for s in _snippet(fr.text, d, colour))
    if d.help:
        out.append(f"  = help: {d.help}")
    if d.policy:
        out.append(f"  = policy: {d.policy}")
    return out


def summary_line(result: ResultRecord, colour: bool) -> str:
    parts = [f"score {result.score}/100"]
    parts.append("compliant" if result.compliant else "NOT compliant")
    if result.structure.applies:
        ticks = " ".join(("✓" if getattr(result.structure, key) else "✗") + name for key, name in _ELEMENTS)
        parts.append(ticks)
    if result.triage is not None:
        parts.append(f"buyer risk {result.triage.risk} (reply within {result.triage.sla_hours} h)")
    line = " · ".join(parts)
    if colour:
        line = click.style(line, fg="green" if result.compliant else "red")
    return line


def write_text(results: list[FileResult], out: IO[str], colour: bool, show_summary: bool = True) -> None:
    counts: Counter[str] = Counter()
    fixable = 0
    for fr in results:
        label = fr.path if fr.label is None else f"{fr.path} ({fr.label})"
        for d in fr.result.diagnostics:
            counts[d.severity] += 1
            fixable += bool(d.fix and d.fix.safe)
            out.write("\n".join(format_diagnostic(fr, d, colour)) + "\n\n")
        if show_summary:
            out.write(f"{label}: {summary_line(fr.result, colour)}\n")
    total = sum(counts.values())
    if total:
        detail = ", ".join(
            f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
            for s in ("error", "warning", "info")
            if counts[s]
        )
        files = len({fr.path for fr in results})
        plural = "s" if files != 1 else ""
        msg = f"Found {total} problem{'s' if total != 1 else ''} ({detail}) in {files} file{plural}."
        if fixable:
            msg += f" {fixable} fixable with --fix."
        out.write(("\n" if show_summary else "") + msg + "\n")
    else:
        out.write(("\n" if show_summary and results else "") + "All checks passed.\n")
