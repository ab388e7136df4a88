"""The languages replylint has full rule packs for.

Kept apart from :mod:`replylint.nlp` so that reading configuration, rule files and
cached results never has to import spaCy.
"""

from __future__ import annotations

#: Languages with full rule packs.
SUPPORTED_LANGS: tuple[str, ...] = ("en", "fr", "de", "es", "it")
