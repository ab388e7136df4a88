"""The anchored matcher finds exactly what spaCy's Matcher finds, on every shipped
token pattern and on texts of every language, faster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Token

from replylint.anchored import AnchoredMatcher
from replylint.engine import Linter
from replylint.matching import _resolve_lexicons
from replylint.nlp import make_doc

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"
LANGS = ("en", "fr", "de", "es", "it")


def _texts(lang: str) -> list[str]:
    texts = [
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).resolve().parents[2] / "examples").rglob("*.txt")
    ]
    if CORPUS.exists():
        for line in CORPUS.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["lang"] == lang:
                texts += [case["text"], case.get("buyer_message") or ""]
    return [t for t in texts if t.strip()]


def _both(linter: Linter, lang: str) -> tuple[Matcher, AnchoredMatcher]:
    pack = linter.pack(lang)
    spacy_matcher = Matcher(pack.nlp.vocab)
    ours = AnchoredMatcher(pack.nlp.vocab, validate=False, stop_words=frozenset(pack.nlp.Defaults.stop_words))
    for n, entry in enumerate(pack.entries):
        if entry.spec.tokens is None:
            continue
        pattern = _resolve_lexicons(entry.spec.tokens, lambda name: linter.catalogue.lexicon(lang, name))
        spacy_matcher.add(str(n), [pattern])
        ours.add(str(n), [pattern])
    return spacy_matcher, ours


@pytest.mark.parametrize("lang", LANGS)
def test_same_matches_as_spacy_on_every_shipped_pattern(linter: Linter, lang: str) -> None:
    spacy_matcher, ours = _both(linter, lang)
    assert len(ours.fallback) == 0, "every shipped pattern is compiled, none falls back to spaCy"
    for text in _texts(lang):
        doc = make_doc(text, lang)
        assert set(spacy_matcher(doc)) == set(ours(doc)), text


WORDS = ["you", "must", "contact", "the", "carrier", "we", "can't", "refund", "your", "review",
         "5", "stars", "!", ",", ".", "\n\n", "if", "happy", "please", "leave", "not", "our"]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_same_matches_as_spacy_on_word_salad(linter: Linter, words: list[str]) -> None:
    spacy_matcher, ours = _CACHE.setdefault("en", _both(linter, "en"))
    doc = make_doc(" ".join(words), "en")
    assert set(spacy_matcher(doc)) == set(ours(doc))


_CACHE: dict[str, tuple[Matcher, AnchoredMatcher]] = {}


def test_quantifiers_negation_and_fallback(linter: Linter) -> None:
    Token.set_extension("replylint_test_flag", default=False, force=True)
    vocab = linter.pack("en").nlp.vocab
    patterns = [
        [{"LOWER": "a"}, {"OP": "{0,2}"}, {"LOWER": "b"}],
        [{"LOWER": "a", "OP": "?"}, {"LOWER": {"IN": ["b", "c"]}, "OP": "+"}],
        [{"LOWER": "x"}, {"LOWER": "y", "OP": "!"}, {"LOWER": "z"}],
        [{"LOWER": {"REGEX": "^d+$"}}, {"IS_PUNCT": True, "OP": "*"}],
        [{"LOWER": {"FUZZY1": "colour"}}],
        [{"_": {"replylint_test_flag": True}}],  # not supported: spaCy runs it
    ]
    spacy_matcher, ours = Matcher(vocab), AnchoredMatcher(vocab, validate=False)
    for i, p in enumerate(patterns):
        if i < 5:
            spacy_matcher.add(str(i), [p])
        ours.add(str(i), [p])
    assert len(ours.fallback) == 1
    for text in ["a b", "a q q b c", "a b c c", "x q z x y z", "dd ... ddd !", "color colour colr", ""]:
        doc = make_doc(text, "en")
        assert set(spacy_matcher(doc)) == set(ours(doc)), text
