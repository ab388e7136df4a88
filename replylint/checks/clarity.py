"""Rule-level checks of the clarity family: readability, long sentences, shouting.

Thresholds and formulas are data: each rule file's ``args`` (see
``rules/clarity/*.yaml`` and docs/scoring.md).

Readability uses textstat, one ``textstatistics`` instance per language with
``set_lang`` so that its per-language settings apply, and reads character-based
formulas only: Automated Readability Index (English), LIX (French, German,
Spanish), Gulpease (Italian, the Italian standard). textstat's syllable-based
formulas need pyphen per word (milliseconds per reply; tens for German) and, for
English, NLTK's CMU dictionary, which textstat downloads at first use: a linter
that may run offline and on every keystroke of an agent cannot afford either.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import RuleFileError
from ..matching import Hit, register_rule_check
from .structure import resolve_words, token_index

if TYPE_CHECKING:
    from textstat.textstat import textstatistics

    from ..catalogue import Rule
    from ..engine import Analysis

#: textstat metrics the readability rule may name: character-based only (see above).
METRICS = ("automated_readability_index", "coleman_liau_index", "lix", "rix", "gulpease_index")

_stats: dict[str, textstatistics] = {}
_lock = threading.Lock()


def _textstat(lang: str) -> textstatistics:
    stats = _stats.get(lang)
    if stats is None:
        with _lock:
            stats = _stats.get(lang)
            if stats is None:
                from textstat.textstat import textstatistics

                stats = textstatistics()
                stats.set_lang(lang)
                stats.set_rounding_points(None)
                _stats[lang] = stats
    return stats


def _words(text: str) -> int:
    """Whitespace-separated words with a letter in them."""
    isalpha = str.isalpha
    return sum(1 for w in text.split() if any(map(isalpha, w)))


def _sentence_words(analysis: Analysis) -> list[int]:
    """:func:`_words` of each sentence (memoised: three rules read them)."""
    counts: list[int] | None = analysis.memo.get("clarity-sentence-words")
    if counts is None:
        text = analysis.text
        counts = analysis.memo["clarity-sentence-words"] = [
            _words(text[s:e]) for s, e in analysis.sentences.spans
        ]
    return counts


def _body(analysis: Analysis, min_words: int) -> list[tuple[int, int]]:
    """Sentences with at least ``min_words`` words: greetings, sign-offs and
    signatures are left out of the measure."""
    counts = _sentence_words(analysis)
    return [se for se, n in zip(analysis.sentences.spans, counts, strict=True) if n >= min_words]


@register_rule_check("readability.v1")
def readability(analysis: Analysis, rule: Rule, args: dict[str, Any]) -> Iterator[Hit]:
    """The reply's readability by the language's formula, against its threshold.

    args: ``metrics``: language → ``{metric, max | min, target, label}``;
    ``min_words`` (replies shorter than this are not measured, default 40).
    Reported on the longest sentence, the first place to simplify.
    """
    spec = args.get("metrics", {}).get(analysis.lang)
    if not spec:
        return
    metric = spec.get("metric")
    if metric not in METRICS:
        raise RuleFileError(
            f"{rule.path}: args.metrics.{analysis.lang}.metric must be one of {', '.join(METRICS)}"
        )
    sentences = _body(analysis, 3)
    text = analysis.text
    body = " ".join(text[s:e].strip() for s, e in sentences)
    if _words(body) < int(args.get("min_words", 40)):
        return
    score = float(getattr(_textstat(analysis.lang), metric)(body))
    too_hard = score > spec["max"] if "max" in spec else score < spec["min"]
    if not too_hard:
        return
    start, end = max(sentences, key=lambda se: _words(text[se[0] : se[1]]))
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    template = rule.message.get(analysis.lang) or rule.message["en"]
    message = (
        template.replace("{score}", f"{score:.0f}")
        .replace("{label}", str(spec.get("label", metric)))
        .replace("{target}", str(spec.get("target", spec.get("max", spec.get("min")))))
    )
    yield Hit(start, end, message=message, data={"score": round(score, 1), "metric": metric})


@register_rule_check("long-sentences.v1")
def long_sentences(analysis: Analysis, rule: Rule, args: dict[str, Any]) -> Iterator[Hit]:
    """Sentences with more words than ``max_words`` (per language, or ``default``)."""
    limits: dict[str, int] = args.get("max_words", {})
    limit = limits.get(analysis.lang, limits.get("default", 40))
    text = analysis.text
    for (start, end), count in zip(analysis.sentences.spans, _sentence_words(analysis), strict=True):
        if count > limit:
            while end > start and text[end - 1].isspace():
                end -= 1
            while start < end and text[start].isspace():
                start += 1
            template = rule.message.get(analysis.lang) or rule.message["en"]
            message = template.replace("{words}", str(count)).replace("{limit}", str(limit))
            yield Hit(start, end, message=message, data={"words": count, "limit": limit})


#: Punctuation that may sit inside a shouted phrase without ending it.
_INSIDE_SHOUT = frozenset({",", "-", "'", "’"})
_VOWELS = frozenset("AEIOUYÀÁÂÄÈÉÊËÌÍÎÏÒÓÔÖÙÚÛÜ")


@register_rule_check("shouting.v1")
def shouting(analysis: Analysis, rule: Rule, args: dict[str, Any]) -> Iterator[Hit]:
    """Runs of words in capitals ("PLEASE DO NOT RETURN IT"), read as shouting.

    args: ``min_words`` (consecutive capitalised words, default 3), ``acronyms``
    (lexicon of words that are written in capitals anyway: UPS, DHL, EU …). A word
    counts when it has two letters or more, a vowel (so "XXXX" placeholders do not)
    and no lowercase letter; at least one word of the run has four letters or more.
    """
    min_words = int(args.get("min_words", 3))
    acronyms: frozenset[str] = frozenset()
    if args.get("acronyms"):
        acronyms = resolve_words(analysis.catalogue, analysis.lang, args["acronyms"]).lowered
    index = token_index(analysis)
    text = analysis.text
    run: list[int] = []
    pending: list[int] = []

    def flush() -> Iterator[Hit]:
        words = [i for i in run if index.ends[i] - index.starts[i] >= 2]
        if len(words) >= min_words and any(index.ends[i] - index.starts[i] >= 4 for i in words):
            yield Hit(index.starts[run[0]], index.ends[run[-1]])

    isalpha = str.isalpha
    for i, (start, end) in enumerate(zip(index.starts, index.ends, strict=True)):
        word = text[start:end]
        if not word.isupper():
            # The common case, decided as the branches below would: punctuation
            # inside a phrase is skipped, any other word ends the run.
            if word.strip() in _INSIDE_SHOUT:
                continue
            if run:
                yield from flush()
            run, pending = [], []
            continue
        if not any(map(isalpha, word)):
            if word.strip() in _INSIDE_SHOUT:
                continue  # punctuation inside a shouted phrase
            yield from flush()
            run, pending = [], []
            continue
        if len(word) == 1 and word.isupper():
            pending.append(i)  # "A", "I", "À": part of a shouted phrase if one goes on
            continue
        shouted = (
            len(word) >= 2
            and word.isupper()
            and any(c in _VOWELS for c in word)
            and word.lower() not in acronyms
        )
        if shouted:
            run.extend(pending)
            run.append(i)
        else:
            yield from flush()
            run = []
        pending = []
    yield from flush()
