"""replylint: a compliance-and-empathy linter for sellers' replies to buyers.

>>> from replylint import check_text
>>> check_text("Thanks! Visit www.myshop.com for 10% off.", lang="en").compliant
False
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__
from .errors import ReplylintError
from .schema import Diagnostic, Fix, InputRecord, ResultRecord, Structure, Triage

if TYPE_CHECKING:
    from .engine import Linter, LintOptions, check_text, default_linter

_ENGINE_NAMES = frozenset({"Linter", "LintOptions", "check_text", "default_linter"})


def __getattr__(name: str) -> Any:
    # The engine (and spaCy) load on first use, so that commands that need neither
    # (--help, a run answered from the results cache) start fast.
    if name in _ENGINE_NAMES:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Diagnostic",
    "Fix",
    "InputRecord",
    "LintOptions",
    "Linter",
    "ReplylintError",
    "ResultRecord",
    "Structure",
    "Triage",
    "__version__",
    "check_text",
    "default_linter",
]
