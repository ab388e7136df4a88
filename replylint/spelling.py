"""Spelling repair of the buyer's message, for triage: typed fast, angry, on a phone.

Buyers write "i havent recieved my pacakge", "il pacco non e mai arivato",
"todavia no he resivido nada". Triage must still see the problem, and high risk
must never be missed, so before the buyer's message is analysed each *unknown* word
is compared with the words the triage signals are written with, and replaced when
it is one of them mistyped:

* **Unknown** means: not a form or lemma of the language's lookup lemma table
  (spacy-lookups-data, already loaded for lemmas), not a stop word, not a triage
  word. Real words are never "corrected", whatever their distance to a signal word.
* **Targets** are the single words of the triage lexicons (``tr_*``) of the
  language, plus every inflected form of them that the lemma table lists
  ("receive" brings "received", "receiving"), so the repair keeps the inflection.
* **Mistyped** means: the same word without its accents ("recu" for "reçu",
  "todavia"), or, from five letters on, one edit away (two from eight letters) or
  two neighbouring letters swapped ("recieved"), with the same first letter; the
  closest target wins, ties go to the alphabetically first.
* English contractions typed without the apostrophe ("havent", "didnt", "wont")
  get it back.

Every replacement is an edit of the normalised text, so offsets still map to what
the buyer wrote and triage reasons quote their own words. The reply itself is never
repaired: its words are the agent's, and the rules report them as written.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.matcher.levenshtein import levenshtein

from .nlp import lemma_table, pipeline
from .normalise import Edit, NormalisedText, with_edits

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .lemmas import LemmaStore

#: Lexicons whose words are repair targets: the triage signals' words.
TARGET_PREFIX = "tr_"
#: Shorter words are never repaired by edit distance (too many neighbours).
MIN_LENGTH = 5

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_EN_CONTRACTION = re.compile(
    r"\b(have|has|had|do|does|did|is|are|was|were|could|would|should|must|wo|ca|need)(nt)\b",
    re.IGNORECASE,
)


def fold(word: str) -> str:
    """``word`` without accents, umlauts or cedillas ("reçu" → "recu")."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def is_typo(text: str, target: str) -> bool:
    """``text`` is ``target`` mistyped: one edit (two from eight letters), or two
    letters swapped ("recieved", "emtpy"), same first letter, not the same word."""
    if text == target or text[:1] != target[:1] or abs(len(text) - len(target)) > 2:
        return False
    distance = levenshtein(text, target, 2)
    return distance <= _max_edits(target) or (distance == 2 and sorted(text) == sorted(target))


@dataclass(frozen=True)
class Speller:
    """The repair vocabulary of one language."""

    lang: str
    targets: frozenset[str]
    folded: dict[str, str]  # accent-free target → target (only where they differ)
    by_initial: dict[str, tuple[str, ...]]  # first letter → targets of MIN_LENGTH+
    lemmas: LemmaStore  # the language's lemma table: its forms and its lemmas are known
    stop_words: frozenset[str]

    def is_known(self, lower: str) -> bool:
        if lower in self.targets or lower in self.stop_words or self.lemmas.has_lemma(lower):
            return True
        table = self.lemmas
        return lower in table or lower.capitalize() in table

    def repair(self, word: str) -> str | None:
        """The target ``word`` is a typo of, or None."""
        lower = word.lower()
        if self.is_known(lower):
            return None
        target = self.folded.get(fold(lower))
        if target is None and len(lower) >= MIN_LENGTH - 1:
            best: tuple[int, str] | None = None
            for candidate in self.by_initial.get(lower[0], ()):
                if abs(len(candidate) - len(lower)) <= 2 and is_typo(lower, candidate):
                    key = (levenshtein(lower, candidate, 2), candidate)
                    if best is None or key < best:
                        best = key
            target = best[1] if best else None
        if target is None:
            return None
        if word.isupper() and len(word) > 1:
            return target.upper()
        if word[:1].isupper():
            return target[:1].upper() + target[1:]
        return target

    def edits(self, text: str) -> list[Edit]:
        out: list[Edit] = []
        contracted: set[int] = set()  # where a contraction's word starts: not a typo too
        if self.lang == "en":
            for m in _EN_CONTRACTION.finditer(text):
                out.append((m.end(1) + 1, m.end(1) + 1, "'"))
                contracted.add(m.start())
        for m in _WORD.finditer(text):
            word = m.group(0)
            if "'" in word or "’" in word or m.start() in contracted:
                continue
            repaired = self.repair(word)
            if repaired is not None and repaired != word:
                out.append((m.start(), m.end(), repaired))
        out.sort()
        return out


_lock = threading.Lock()
_spellers: dict[tuple[int, str], tuple[Catalogue, Speller]] = {}


def _build(catalogue: Catalogue, lang: str) -> Speller:
    words: set[str] = set()
    for name in catalogue.lexicons.get(lang, {}):
        if name.startswith(TARGET_PREFIX):
            for entry in catalogue.lexicon(lang, name):
                words.update(w.lower() for w in _WORD.findall(entry))
    table = lemma_table(lang)
    lemmas = {w for w in words if len(w) >= MIN_LENGTH - 1}
    forms = {form for lemma in lemmas for form in table.forms_of(lemma)}  # their inflections
    targets = frozenset(words | forms)
    folded: dict[str, str] = {}
    for target in sorted(targets):
        key = fold(target)
        if key != target and key not in targets:
            folded.setdefault(key, target)
    by_initial: dict[str, list[str]] = {}
    for target in sorted(targets):
        if len(target) >= MIN_LENGTH and target.isalpha():
            by_initial.setdefault(target[0], []).append(target)
    return Speller(
        lang=lang,
        targets=targets,
        folded=folded,
        by_initial={k: tuple(v) for k, v in by_initial.items()},
        lemmas=table,
        stop_words=frozenset(w.lower() for w in pipeline(lang).Defaults.stop_words),
    )


def speller(catalogue: Catalogue, lang: str) -> Speller:
    """The cached speller of ``lang`` for ``catalogue``'s lexicons."""
    key = (id(catalogue), lang)
    with _lock:
        entry = _spellers.get(key)
        if entry is None or entry[0] is not catalogue:
            if len(_spellers) > 32:
                _spellers.clear()
            entry = _spellers[key] = (catalogue, _build(catalogue, lang))
    return entry[1]


def repair(norm: NormalisedText, lang: str, catalogue: Catalogue) -> NormalisedText:
    """``norm`` with mistyped triage words repaired, offsets still mapping to the original."""
    edits = speller(catalogue, lang).edits(norm.text)
    return with_edits(norm, edits) if edits else norm
