"""spaCy's French tokenizer without its four-second import.

Importing ``spacy.lang.fr`` compiles, at module level, one 1.4 MB regular expression
(``TOKEN_MATCH``, which keeps words such as "peut-être" or "entr'abat" whole): every
one of its ~400 alternatives spells out spaCy's whole lowercase-letter class, and
Python's ``re`` needs 3-5 s to compile it. That made the first French reply of
every process (CLI run, batch worker, API start) pay seconds.

Here spaCy's own ``tokenizer_exceptions`` module is executed first (with its
sibling ``punctuation``) and registered in ``sys.modules``; while it runs, the one
huge pattern is captured instead of compiled, then recompiled with the ``regex``
module after replacing the spelled-out letter classes by the Unicode properties
they enumerate (``\\p{L}``, ``\\p{Ll}``), which takes milliseconds. ``spacy.blank("fr")``
then imports the package as usual and finds that module ready. Same data, same
tokenizer: ``tests/core/test_french_tokenizer.py`` compares it with spaCy's.
If anything here fails, spaCy's normal import runs.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

_PKG = "spacy.lang.fr"
_lock = threading.Lock()


class _Captured:
    """Stands in for the huge compiled pattern while spaCy's module is executed."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def match(self, string: str) -> Any:  # pragma: no cover - replaced before use
        raise RuntimeError("captured pattern used before recompilation")


def _load_submodule(name: str) -> ModuleType:
    """Execute spacy/lang/fr/<name>.py as ``spacy.lang.fr.<name>`` without the package."""
    full = f"{_PKG}.{name}"
    if full in sys.modules:
        return sys.modules[full]
    path = Path(spacy.__file__).parent / "lang" / "fr" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(full, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[full] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[full]
        raise
    return module


def _fast_token_match(pattern: str) -> Any:
    import regex
    from spacy.lang.char_classes import ALPHA, ALPHA_LOWER

    # Longest class first: ALPHA contains ALPHA_LOWER's text.
    compact = pattern.replace(ALPHA, r"\p{L}").replace(ALPHA_LOWER, r"\p{Ll}")
    return regex.compile(compact, flags=regex.V0).match


def _prepare() -> None:
    punctuation_loaded = f"{_PKG}.punctuation" in sys.modules
    _load_submodule("punctuation")
    real_compile = re.compile

    def capturing_compile(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and len(pattern) > 100_000:
            return _Captured(pattern)
        return real_compile(pattern, flags)

    re.compile = capturing_compile  # type: ignore[assignment]
    try:
        exceptions = _load_submodule("tokenizer_exceptions")
    except BaseException:
        if not punctuation_loaded:
            sys.modules.pop(f"{_PKG}.punctuation", None)
        raise
    finally:
        re.compile = real_compile
    captured = getattr(exceptions.TOKEN_MATCH, "__self__", None)
    if not isinstance(captured, _Captured):
        sys.modules.pop(f"{_PKG}.tokenizer_exceptions", None)
        raise RuntimeError("spaCy's French TOKEN_MATCH has an unexpected shape")
    exceptions.TOKEN_MATCH = _fast_token_match(captured.pattern)  # type: ignore[attr-defined]


def blank_french() -> Language:
    """``spacy.blank("fr")``, with spaCy's tokenizer-exception module pre-loaded so
    that its one slow regex is compiled the fast way. Same tokenizer, same data."""
    with _lock:
        if _PKG not in sys.modules:
            try:
                _prepare()
            except Exception as exc:  # pragma: no cover - depends on the spaCy release
                log.warning("fast French tokenizer set-up failed (%s); using spaCy's import", exc)
        return spacy.blank("fr")
