"""Output formats for `replylint check`: one module per format.

Each formatter takes a list of :class:`FileResult` and writes to a stream; the CLI
picks one by name. Only this package and ``cli.py`` print.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import ResultRecord


@dataclass
class FileResult:
    """The result of linting one file (or stdin) in `replylint check`."""

    path: str
    text: str
    result: ResultRecord
    line_offset: int = 0  # for files holding several replies (macro exports)
    label: str | None = None  # e.g. the macro's name inside an export
