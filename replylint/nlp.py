"""One cached spaCy pipeline per language: blank tokenizer, lookup lemmas, sentences.

No pretrained model is needed. Lemmas come from ``spacy-lookups-data`` tables, read
once per language and keyed by the *lowercased* form (spaCy's own lookup
lemmatizer keys on the exact text, so "Garantis" would keep its form); every lemma
is lowercase, so rule files write lemmas in lowercase. Sentences
(:func:`sentence_spans`) end at ``.!?…`` and at line breaks, which is how replies
are laid out; they are character ranges, not a Doc annotation.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import threading
from functools import cache
from importlib.resources import files
from typing import Any

import numpy
import spacy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from .languages import SUPPORTED_LANGS  # re-exported: languages with full rule packs

log = logging.getLogger(__name__)

#: Language code used for the language-independent fallback pipeline.
FALLBACK_LANG = "xx"

_lock = threading.Lock()


@cache
def lemma_table(lang: str) -> dict[str, str | list[str]]:
    """spacy-lookups-data's form → lemma table for ``lang`` (empty if none), as shipped.

    Keys keep their case ("Paket", "garantis"); :class:`LookupLemmatizer` tries the
    lowercased form first. Reading it as is (no re-keying pass) keeps the first
    French or Spanish reply of a process about half a second faster."""
    if lang not in SUPPORTED_LANGS:
        return {}
    path = files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz"
    try:
        table: dict[str, str | list[str]] = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:  # pragma: no cover - depends on the installed data
        log.warning("no lemma table for %s; lemmas equal lowercased forms", lang)
        return {}
    return table


def lookup_lemma(table: dict[str, str | list[str]], text: str) -> str:
    """Lowercase lemma of ``text``: lowercase form first ("sie" before "Sie"), then the
    form as written, then capitalised (German nouns); a list means several lemmas,
    the first is the most frequent."""
    lower = text.lower()
    lemma = table.get(lower) or table.get(text) or table.get(lower.capitalize())
    if lemma is None:
        return lower
    if isinstance(lemma, list):
        lemma = lemma[0] if lemma else lower
    return lemma.lower()


class LookupLemmatizer:
    """Sets every token's lemma from the lookup table, vectorised.

    Reads the ORTH hashes as an array, maps them through a hash → hash cache and
    writes the LEMMA column back in one call: no Python object per token.
    """

    def __init__(self, nlp: Language, lang: str) -> None:
        self.strings = nlp.vocab.strings
        self.table = lemma_table(lang)
        self.cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cache = self.cache
        strings = self.strings
        keys = doc.to_array(ORTH).tolist()
        lemmas = list(map(cache.get, keys))  # nearly every word is cached after a few replies
        if None in lemmas:
            for i, lemma in enumerate(lemmas):
                if lemma is None:
                    key = keys[i]
                    lemma = lemmas[i] = strings.add(lookup_lemma(self.table, strings[key]))
                    if len(cache) < 200_000:
                        cache[key] = lemma
        doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))  # type: ignore[arg-type]
        return doc


# A sentence ends after .!?… (and closing quotes or brackets) followed by space, or at
# a line break. Replies are short and laid out in lines, so this is what agents mean.
# A match starts only at the first mark of a run: "....x" is tried once, not once per
# mark (the same matches, in linear time on "!!!!…" without a space).
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”»)\]]*(?=\s)|\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text`` (whitespace between excluded)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    if not spans:
        spans.append((0, len(text)))
    return spans


@Language.factory("replylint_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str, lang: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp, lang)


@cache
def _pipeline(lang: str) -> Language:
    if lang == "fr":
        from ._french import blank_french

        nlp = blank_french()
    else:
        nlp = spacy.blank(lang)
    _bound_suffix_search(nlp)
    nlp.add_pipe("replylint_lemmatizer", config={"lang": lang})
    return nlp


#: Longest suffix any tokenizer rule strips; suffix patterns end in "$", so searching
#: this tail finds what searching the whole string finds.
_SUFFIX_WINDOW = 64


def _bound_suffix_search(nlp: Language) -> None:
    """spaCy strips suffixes one at a time, searching the whole remaining string each
    time: quadratic on a 20,000-character run of brackets, quotes or emoji (minutes).
    Searching only the last characters gives the same suffixes in linear time."""
    tokenizer: Any = nlp.tokenizer
    search = tokenizer.suffix_search
    if search is None:
        return

    def suffix_search(text: str) -> re.Match[str] | None:
        return search(text, max(0, len(text) - _SUFFIX_WINDOW))  # type: ignore[no-any-return]

    tokenizer.suffix_search = suffix_search


def pipeline(lang: str) -> Language:
    """The cached pipeline for ``lang`` (``xx`` for languages without a pack)."""
    if lang not in SUPPORTED_LANGS:
        lang = FALLBACK_LANG
    with _lock:
        return _pipeline(lang)


# spaCy's tokenizer stops caching the words of a text after the first special case
# ("I've", "z.B.") in that text, so most words of a real reply were re-split by
# regex on every call. Tokenising each new word once on its own fills the cache;
# whole texts then hit it. The set bounds the warm-up work, not the cache.
_seen_words: dict[str, set[str]] = {}
_MAX_SEEN = 500_000


def _warm_tokenizer(nlp: Language, lang: str, text: str) -> None:
    seen = _seen_words.setdefault(lang, set())
    new = set(text.split()) - seen
    if not new:
        return
    if len(seen) > _MAX_SEEN:
        seen.clear()
    tokenizer = nlp.tokenizer
    for word in new:
        tokenizer(word)
    seen.update(new)


def make_doc(text: str, lang: str) -> Doc:
    """Tokenise, lemmatise: the one Doc every rule reads."""
    nlp = pipeline(lang)
    split = _doc_splitting_long_runs(nlp, lang, text)
    if split is not None:
        return nlp(split)
    _warm_tokenizer(nlp, lang, text)
    return nlp(text)


# -- long runs of one-character tokens ---------------------------------------------------

#: Characters spaCy's tokenizer splits off one at a time as prefixes or suffixes, in
#: every language: brackets, quotes, "!" and "?", and the main blocks of symbols and
#: emoji (tests/robustness/test_long_runs.py checks each one).
_ONE_CHAR_TOKENS = (
    '()\\[\\]{}<>!?"«»“”„'
    "\u2600-\u266e\u2670-\u2767\u2794-\u27bf\u2b00-\u2b2f"  # symbols, dingbats, arrows
    "\U0001f300-\U0001f3fa\U0001f400-\U0001f6d4\U0001f910-\U0001f93e\U0001f940-\U0001f970"  # emoji
    "\U0001f9d0-\U0001f9ff"
)
#: Runs this long or longer are split by :func:`make_doc` itself. The tokenizer strips
#: one affix per step and copies and hashes the rest of the run at each step, so a run
#: costs the square of its length (8 s for 128,000 "(" or "!", a minute for emoji).
_LONG_RUN_MIN = 64
_LONG_RUN = re.compile(f"(?<![{_ONE_CHAR_TOKENS}])[{_ONE_CHAR_TOKENS}]{{{_LONG_RUN_MIN},}}")


def _doc_splitting_long_runs(nlp: Language, lang: str, text: str) -> Doc | None:
    """The tokens of ``text`` with each long run of one-character tokens split into
    its characters, as the tokenizer splits a run at the start or end of a word, and
    everything between tokenised as usual; None when ``text`` has no long run (an
    ordinary reply)."""
    runs = list(_LONG_RUN.finditer(text))
    if not runs:
        return None
    words: list[str] = []
    spaces: list[bool] = []

    def tokenise(part: str) -> None:
        if part:
            _warm_tokenizer(nlp, lang, part)
            for token in nlp.tokenizer(part):
                words.append(token.text)
                spaces.append(bool(token.whitespace_))

    pos = 0
    for run in runs:
        tokenise(text[pos : run.start()])
        words.extend(run.group())
        spaces.extend([False] * len(run.group()))
        pos = run.end()
        if text.startswith(" ", pos):  # the one space a token carries, as the tokenizer does
            spaces[-1] = True
            pos += 1
    tokenise(text[pos:])
    return Doc(nlp.vocab, words=words, spaces=spaces)
