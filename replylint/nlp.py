"""One cached spaCy pipeline per language: blank tokenizer, lookup lemmas, sentences.

No pretrained model is needed. Lemmas come from ``spacy-lookups-data`` tables (kept
as memory-mapped stores, see :mod:`replylint.lemmas`), looked up by the *lowercased*
form first (spaCy's own lookup lemmatizer keys on the exact text, so "Garantis" would
keep its form); every lemma is lowercase, so rule files write lemmas in lowercase. Sentences
(:func:`sentence_spans`) end at ``.!?…`` and at line breaks, which is how replies
are laid out; they are character ranges, not a Doc annotation.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from functools import cache
from typing import Any

import numpy
import spacy
from spacy.attrs import LEMMA, ORTH
from spacy.language import Language
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .languages import SUPPORTED_LANGS  # re-exported: languages with full rule packs
from .lemmas import LemmaStore, open_store

log = logging.getLogger(__name__)

#: Language code used for the language-independent fallback pipeline.
FALLBACK_LANG = "xx"

_lock = threading.RLock()


@cache
def lemma_table(lang: str) -> LemmaStore:
    """spacy-lookups-data's form → lemma table for ``lang`` (empty if none), as shipped.

    Keys keep their case ("Paket", "garantis"); :class:`LookupLemmatizer` tries the
    lowercased form first. The table is a memory-mapped store built once per user
    (:mod:`replylint.lemmas`): opening it costs a millisecond, not the half second
    and ~60 MB a parsed dict took, and parallel processes share its pages."""
    if lang not in SUPPORTED_LANGS:
        return LemmaStore.empty()
    return open_store(lang)


def lookup_lemma(table: Mapping[str, str | list[str]], text: str) -> str:
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
        self.vocab = nlp.vocab
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
            # Inside a memory zone both strings may be freed when it ends: a cached pair
            # would then name a lemma the store no longer holds.
            keep = not in_zone(self.vocab) and len(cache) < 200_000
            for i, lemma in enumerate(lemmas):
                if lemma is None:
                    key = keys[i]
                    lemma = lemmas[i] = strings.add(lookup_lemma(self.table, strings[key]))
                    if keep:
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


def kept_string(strings: StringStore, text: str) -> int:
    """Add ``text`` to ``strings`` for good, even inside a memory zone: the strings of
    compiled rules (matcher keys, pattern words) must outlive the text being linted."""
    return int(strings.add(text, allow_transient=False))  # type: ignore[call-arg]  # spaCy ≥ 3.8


def in_zone(vocab: Vocab) -> bool:
    """``vocab`` is in a memory zone (spaCy caches nothing there)."""
    return bool(vocab.in_memory_zone)  # type: ignore[attr-defined]  # spaCy ≥ 3.8


@Language.factory("replylint_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str, lang: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp, lang)


def _pipeline(lang: str) -> Language:
    if lang == "fr":
        from ._french import blank_french

        nlp = blank_french()
    else:
        nlp = spacy.blank(lang)
    _bound_suffix_search(nlp)
    nlp.add_pipe("replylint_lemmatizer", config={"lang": lang})
    # The lexeme of "IS_ALPHA" has the id 1, which the vocabulary's hash table keeps in
    # a slot of its own that a memory zone does not clear: made in a zone, it would
    # stay behind, pointing into freed memory (spaCy 3.8). Made here, it is kept.
    nlp.vocab["IS_ALPHA"]
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


# -- bounded vocabularies -----------------------------------------------------------------
#
# spaCy keeps every string and lexeme it has ever seen in the pipeline's Vocab, and
# replies carry fresh order numbers, names and amounts: a long-running server would
# grow by a few kilobytes per reply, for ever. Two mechanisms keep it flat:
#
# - A lint runs in spaCy memory zones (``in_use(zone=True)``): the strings and lexemes
#   its texts add are freed when it ends. A zone belongs to a whole Vocab, so it is
#   opened only when no other work is in progress, and other threads wait for it to
#   end (one lint). spaCy caches nothing inside a zone, so a text's recurring words
#   (seen in an earlier text) are tokenised and lemmatised outside it first and kept;
#   words seen once (the order numbers and names) are not. What is compiled during a
#   lint (rule packs, word lists) is added for good (:func:`kept_string`), with matcher
#   keys no text can hold.
# - Work that holds Docs across lints (a rewrite) runs without zones, and so does
#   everything beside it; once a language's string store has gained
#   ``vocab_limit()`` strings since its pipeline was built, the pipeline is rebuilt
#   (recycled) the next time no linting work is in progress; everything compiled
#   against the old Vocab (rule packs, phrase registries, the lemma and tokenizer
#   caches) is rebuilt with it, so a recycled process answers exactly as a fresh one.

#: Default number of strings a language's vocabulary may gain before it is recycled
#: (~10 MB per language at most). A rebuild costs 0.5-0.8 s of CPU on the request that
#: meets it: 8,000 settles sooner (measured flat from 8,000 fresh-token requests) but
#: puts that pause in the latency tail 2.5 times as often (docs/performance.md).
DEFAULT_VOCAB_LIMIT = 20_000
#: The growth counts the strings the rules add when they are compiled (2,000-3,000
#: per language); a lower limit would rebuild a pipeline on every reply.
MIN_VOCAB_LIMIT = 5_000

_pipelines: dict[str, Language] = {}
_built_size: dict[str, int] = {}  # strings in the store when the pipeline was built
_retired: weakref.WeakSet[Language] = weakref.WeakSet()
_recycled: dict[str, int] = {}  # how many times each language was recycled
_active = 0  # linting operations in progress (see in_use)
_zone_owner: int | None = None  # the thread whose work runs in memory zones
_zones: ExitStack | None = None  # the zones it has opened
_zone_start: dict[str, int] = {}  # language → strings in its store when its zone opened
_zone_strings: dict[str, int] = {}  # language → strings its zones have freed since it was built
_zone_free = threading.Condition(_lock)


def _env_zones() -> bool:
    return os.environ.get("REPLYLINT_MEMORY_ZONES", "1").strip().lower() not in ("0", "false", "no", "off")


_zones_enabled = _env_zones()
_on_recycle: list[Callable[[str], None]] = []


def _env_limit() -> int:
    raw = os.environ.get("REPLYLINT_VOCAB_LIMIT", "")
    try:
        return _clamp(int(raw)) if raw.strip() else DEFAULT_VOCAB_LIMIT
    except ValueError:
        log.warning("REPLYLINT_VOCAB_LIMIT=%r is not a number; using %d", raw, DEFAULT_VOCAB_LIMIT)
        return DEFAULT_VOCAB_LIMIT


def _clamp(limit: int) -> int:
    return 0 if limit <= 0 else max(limit, MIN_VOCAB_LIMIT)


_vocab_limit = _env_limit()


def vocab_limit() -> int:
    """Strings a language's vocabulary may gain before it is recycled (0: never)."""
    return _vocab_limit


def set_vocab_limit(limit: int) -> int:
    """Set :func:`vocab_limit` (``REPLYLINT_VOCAB_LIMIT``; at least ``MIN_VOCAB_LIMIT``,
    0 for never); returns the previous value."""
    global _vocab_limit
    previous, _vocab_limit = _vocab_limit, _clamp(limit)
    return previous


def on_recycle(callback: Callable[[str], None]) -> None:
    """Call ``callback(lang)`` when ``lang``'s pipeline is recycled, to drop a cache of
    objects compiled against its Vocab (matchers, string hashes resolved through it)."""
    _on_recycle.append(callback)


def is_current(nlp: Language) -> bool:
    """False once ``nlp`` was recycled: whatever was compiled against it is rebuilt."""
    return nlp not in _retired


#: Strings added and freed in memory zones that count as one kept string: spaCy's
#: hash tables keep a deleted slot for each until they next grow, and grow by
#: doubling, so a zone's strings still cost ~60 bytes each (about a quarter of a kept
#: string with its lexeme) until the pipeline is rebuilt.
ZONE_STRINGS_PER_KEPT = 4


def vocab_growth(lang: str) -> int:
    """Strings ``lang``'s pipeline has gained since it was built (0 if not built), those
    freed by memory zones weighed by :data:`ZONE_STRINGS_PER_KEPT`."""
    nlp = _pipelines.get(lang)
    if nlp is None:
        return 0
    return len(nlp.vocab.strings) - _built_size[lang] + _zone_strings.get(lang, 0) // ZONE_STRINGS_PER_KEPT


def recycle_count(lang: str | None = None) -> int:
    """How many times ``lang``'s pipeline (any pipeline, for None) was recycled in this
    process."""
    return sum(_recycled.values()) if lang is None else _recycled.get(lang, 0)


def _recycle_grown() -> None:
    """Retire every pipeline over the limit (called with the lock held, no work in flight)."""
    limit = _vocab_limit
    if not limit:
        return
    for lang, nlp in list(_pipelines.items()):
        growth = vocab_growth(lang)
        if growth <= limit:
            continue
        log.info("recycling the %s pipeline: its vocabulary gained %d strings", lang, growth)
        del _pipelines[lang]
        _retired.add(nlp)
        _seen_words.pop(lang, None)
        _seen_once.pop(lang, None)
        _zone_strings.pop(lang, None)
        _recycled[lang] = _recycled.get(lang, 0) + 1
        for callback in _on_recycle:
            callback(lang)


@contextmanager
def in_use(zone: bool = False) -> Iterator[None]:
    """Linting work in progress: Docs, rule packs and hashes of one Vocab are in use.

    Pipelines are recycled only on entering the first of these, so a Doc is never
    matched against patterns compiled for another Vocab. Nesting is fine.

    ``zone``: the work keeps no Doc beyond its end (a lint returning plain records),
    so when nothing else is in progress it runs in spaCy memory zones, one on each
    pipeline it makes a Doc with (opened by :func:`make_doc`): the strings and lexemes
    of its texts (order numbers, names) are freed when it ends, and memory stays nearly
    flat however many fresh words go through. A zone belongs to a whole Vocab, so
    while one is open other threads wait here for it to end (one lint, milliseconds);
    work that starts beside other work in progress (a rewrite holding Docs across its
    lints) runs without one, and the vocabulary limit above still bounds it."""
    global _active, _zone_owner, _zones
    me = threading.get_ident()
    owner = False
    with _zone_free:
        while _zone_owner is not None and _zone_owner != me:
            _zone_free.wait()
        if _active == 0 and _pipelines:
            _recycle_grown()
        _active += 1
        if zone and _active == 1 and _zones_enabled:
            # Zones are entered per pipeline by make_doc, after the text's recurring
            # words are cached outside them (see _enter_zone).
            _zone_owner, _zones, owner = me, ExitStack(), True
    try:
        yield
    finally:
        with _zone_free:
            try:
                if owner:
                    zones, _zones = _zones, None
                    for lang, start in _zone_start.items():
                        nlp = _pipelines.get(lang)
                        if nlp is not None:
                            _zone_strings[lang] = _zone_strings.get(lang, 0) + len(nlp.vocab.strings) - start
                    _zone_start.clear()
                    if zones is not None:
                        zones.close()
            finally:
                if owner:
                    _zone_owner = None
                    _zone_free.notify_all()
                _active -= 1


def _enter_zone(nlp: Language, lang: str, text: str) -> None:
    """Open ``nlp``'s memory zone for the rest of the current work (its owner thread).

    spaCy caches nothing inside a zone, so the text's recurring words (seen in an
    earlier text) are tokenised and lemmatised first, outside it: their lexemes and
    cache entries are kept, while words seen once (order numbers, names, amounts)
    live in the zone and are freed with it."""
    _warm_tokenizer(nlp, lang, text, recurring_only=True)
    assert _zones is not None
    _zone_start[lang] = len(nlp.vocab.strings)
    _zones.enter_context(nlp.memory_zone())


def memory_zones(enabled: bool | None = None) -> bool:
    """Whether lints run in memory zones (``REPLYLINT_MEMORY_ZONES=0`` turns them off);
    ``enabled`` sets it. Returns the previous value."""
    global _zones_enabled
    previous = _zones_enabled
    if enabled is not None:
        _zones_enabled = enabled
    return previous


def pipeline(lang: str) -> Language:
    """The current pipeline for ``lang`` (``xx`` for languages without a pack)."""
    if lang not in SUPPORTED_LANGS:
        lang = FALLBACK_LANG
    nlp = _pipelines.get(lang)
    if nlp is None:
        with _lock:
            nlp = _pipelines.get(lang)
            if nlp is None:
                nlp = _pipelines[lang] = _pipeline(lang)
                _built_size[lang] = len(nlp.vocab.strings)
    return nlp


# spaCy's tokenizer stops caching the words of a text after the first special case
# ("I've", "z.B.") in that text, so most words of a real reply were re-split by
# regex on every call. Tokenising each new word once on its own fills the cache;
# whole texts then hit it. The set bounds the warm-up work, not the cache; it is
# emptied when it outgrows the tokenizer's own cache (spaCy keeps 10,000 entries and
# then stops adding), since remembering more words would save nothing.
_seen_words: dict[str, set[str]] = {}
_MAX_SEEN = 20_000
# Words seen once, outside the cache: a word is kept for good (tokenised outside the
# memory zone) the second time it is seen; order numbers and names seen once are not.
_seen_once: dict[str, set[str]] = {}
_MAX_SEEN_ONCE = 5_000  # reached within a server's first thousand replies, then refilled


def _warm_tokenizer(nlp: Language, lang: str, text: str, recurring_only: bool = False) -> None:
    """Tokenise each new word of ``text`` on its own, outside any memory zone, so that
    spaCy caches it; ``recurring_only`` (before a zone opens): only the words seen
    before, which are also lemmatised so that their lemmas are cached."""
    if in_zone(nlp.vocab):
        return  # spaCy caches nothing inside a memory zone
    seen = _seen_words.setdefault(lang, set())
    new = set(text.split()) - seen
    if recurring_only:
        once = _seen_once.setdefault(lang, set())
        fresh = new - once
        new &= once
        once -= new
        if len(once) + len(fresh) > _MAX_SEEN_ONCE:
            once.clear()
        once |= fresh
    if not new:
        return
    if len(seen) > _MAX_SEEN:
        seen.clear()
    tokenizer = nlp.tokenizer
    lemmatizer = nlp.get_pipe("replylint_lemmatizer") if recurring_only else None
    for word in new:
        doc = tokenizer(word)
        if lemmatizer is not None:
            lemmatizer(doc)  # caches its lemmas, which a zone would not
    seen.update(new)


def make_doc(text: str, lang: str) -> Doc:
    """Tokenise, lemmatise: the one Doc every rule reads."""
    if lang not in SUPPORTED_LANGS:
        lang = FALLBACK_LANG  # the pipeline's own key, for its caches
    nlp = pipeline(lang)
    if _zone_owner is not None and _zone_owner == threading.get_ident() and not in_zone(nlp.vocab):
        _enter_zone(nlp, lang, text)
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
