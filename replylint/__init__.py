"""replylint: a compliance-and-empathy linter for sellers' replies to buyers.

>>> from replylint import check_text
>>> check_text("Thanks! Visit www.myshop.com for 10% off.", lang="en").compliant
False
"""

from __future__ import annotations

from .__about__ import __version__
from .engine import Linter, LintOptions, check_text, default_linter
from .errors import ReplylintError
from .schema import Diagnostic, Fix, InputRecord, ResultRecord, Structure, Triage

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
