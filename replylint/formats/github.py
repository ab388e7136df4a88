"""GitHub Actions workflow commands: one annotation per diagnostic.

    ::error title=replylint (external-link),file=macros/en/refund.j2,line=3,col=18,endLine=3,endColumn=37::…

GitHub shows them on the pull request's changed lines and in the run summary. An
``info`` diagnostic becomes a ``notice``. Values are escaped as the runner expects
(``%``, line breaks, and in properties ``:`` and ``,``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from ..schema import Diagnostic
from . import FileResult

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _repo_path(path: str) -> str:
    """GitHub wants paths from the repository root (the job's working directory)."""
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path
    return p.as_posix()


def annotation(fr: FileResult, d: Diagnostic) -> str:
    props = {
        "title": f"replylint ({d.rule})",
        "file": _repo_path(fr.path),
        "line": str(d.line),
        "col": str(d.column),
        "endLine": str(d.end_line),
        "endColumn": str(d.end_column),
    }
    prop_text = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    where = f" [{fr.label}]" if fr.label is not None else ""
    message = f"{fr.path}:{d.line}:{d.column}:{where} {d.rule} {d.message}"
    return f"::{_COMMAND[d.severity]} {prop_text}::{escape_data(message)}"


def write_github(results: Sequence[FileResult], out: IO[str], errors: Sequence[str] = ()) -> None:
    for fr in results:
        for d in fr.result.diagnostics:
            out.write(annotation(fr, d) + "\n")
    for message in errors:
        out.write(f"::error title=replylint::{escape_data(message)}\n")
