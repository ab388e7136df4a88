"""Where the shipped data lives: ``rules/`` and ``prompts/``.

In a wheel they are inside the package (``replylint/_data/``); in a source checkout
(editable install, tests, ``python -m replylint``) they are beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Directory of shipped data ``name`` ("rules" or "prompts")."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"replylint data directory {name!r} is missing from the installation")


def rules_dir() -> Path:
    return data_dir("rules")


def prompts_dir() -> Path:
    return data_dir("prompts")
