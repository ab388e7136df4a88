"""Which language a reply is in: given, detected, or a documented fallback.

Detection uses lingua (accurate on short texts) restricted to the five supported
languages plus a few others that sellers often write in, so a Portuguese reply is
recognised as such instead of being forced into Spanish. Order of decisions:

1. ``lang`` given and supported (``en``, ``fr-FR`` → ``fr`` …): used as is.
2. ``lang`` given, a well-formed code but not supported (``pt``): used; only the
   language-independent rules run (links, emails, phones, placeholders).
3. ``lang`` absent or ``auto``: detect on the reply; if the reply is too short or
   the detector unsure, detect on the buyer's message; if that fails too, use the
   marketplace profile's default language (``lang_source = "fallback"``).
   The buyer's message is detected on its own, with the reply's language as the
   expected one: it wins unless another language is clearly more likely.
4. ``lang`` malformed (``klingon``, ``12``): :class:`~replylint.errors.LanguageError`.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any, Literal

from .errors import LanguageError
from .languages import SUPPORTED_LANGS

LangSource = Literal["given", "detected", "fallback"]

_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_LETTERS = re.compile(r"[^\W\d_]")
#: Below this many letters a text says too little about its language.
MIN_LETTERS = 12
#: Share of confidence the best language needs.
MIN_CONFIDENCE = 0.5
#: Share of the best language's confidence at which the expected language still wins.
PRIOR_SHARE = 0.5
#: Detection reads at most this many characters (cost stays flat on long texts).
MAX_CHARS = 600
_EXTRA = (
    "PORTUGUESE",
    "DUTCH",
    "POLISH",
    "SWEDISH",
    "TURKISH",
    "CHINESE",
    "JAPANESE",
    "ARABIC",
    "RUSSIAN",
)
_lock = threading.Lock()


@cache
def _detectors() -> tuple[Any, Any]:
    from lingua import Language, LanguageDetectorBuilder

    names = ("ENGLISH", "FRENCH", "GERMAN", "SPANISH", "ITALIAN", *_EXTRA)
    langs = [getattr(Language, name) for name in names]
    precise = LanguageDetectorBuilder.from_languages(*langs).build()
    fast = LanguageDetectorBuilder.from_languages(*langs).with_low_accuracy_mode().build()
    return precise, fast


def detect(text: str, prior: str | None = None) -> tuple[str | None, float]:
    """Best language code for ``text`` and its confidence (None when unsure).

    ``prior`` is the language the text is expected in (a buyer's message in a thread
    answered in German is most likely German): it wins when the detector gives it at
    least :data:`PRIOR_SHARE` of the best language's confidence, so a short, mistyped
    "Das Paket ist nie angekomen" (Dutch 0.53, German 0.32) stays German.
    """
    sample = text[:MAX_CHARS]
    if len(_LETTERS.findall(sample)) < MIN_LETTERS:
        return None, 0.0
    with _lock:
        precise, fast = _detectors()
        # Trigram statistics are reliable on longer texts and several times faster.
        detector = fast if len(sample) >= 200 else precise
        values = detector.compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    best = values[0]
    code = best.language.iso_code_639_1.name.lower()
    if prior is not None and code != prior:
        for value in values:
            if value.language.iso_code_639_1.name.lower() == prior:
                if value.value >= PRIOR_SHARE * best.value:
                    return prior, value.value
                break
    if best.value < MIN_CONFIDENCE:
        return None, best.value
    return code, best.value


def normalise_code(lang: str) -> str:
    """``fr-FR`` → ``fr``; raises LanguageError for something that is not a code."""
    code = lang.strip().lower().replace("_", "-")
    if not _CODE.match(code):
        raise LanguageError(
            f"unknown language code {lang!r}: use an ISO 639-1 code such as "
            f"{', '.join(SUPPORTED_LANGS)}, or 'auto' to detect"
        )
    return code.split("-", 1)[0]


def resolve_language(
    text: str,
    requested: str | None,
    *,
    buyer_message: str | None = None,
    default: str = "en",
    prior: str | None = None,
) -> tuple[str, LangSource]:
    """The language the rules run in, and where it came from (``prior``: see :func:`detect`)."""
    if requested and requested.lower() != "auto":
        return normalise_code(requested), "given"
    code, _ = detect(text, prior)
    if code is None and buyer_message:
        code, _ = detect(buyer_message)
    if code is None:
        return default, "fallback"
    return code, "detected"
