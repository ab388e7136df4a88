"""Long runs of brackets, "!" or emoji are split into their characters by make_doc
itself (spaCy's tokenizer takes time in the square of such a run): the same tokens and
the same diagnostics as the tokenizer gives, in time proportional to the run."""

from __future__ import annotations

import re
from functools import cache

import pytest

from replylint import nlp
from replylint.engine import Linter

LANGS = ("en", "fr", "de", "es", "it", "xx")
N = 3 * nlp._LONG_RUN_MIN  # long enough to be split, short enough for the tokenizer's own way

#: A run at the start or end of a word, or a word of its own: the tokenizer splits it
#: into its characters too, so make_doc must give exactly its tokens.
AT_WORD_EDGES = {
    "run of '('": "Hello " + "(" * N,
    "run of '!'": "Thanks" + "!" * N + " Tom",
    "run of '?'": "Really" + "?" * N,
    "emoji after a word": "Great " + "🙂" * N + "\nBest, Tom",
    "emoji before a word": "x " + "🙂" * N + "thanks",
    "nested brackets": "x " + "[{(<" * (N // 4) + ">)}]" * (N // 4) + " y",
    "mixed marks": "Sorry!!!" + "?!" * N + " really",
    "quotes": 'He said "' + "“”«»" * N + '" ok',
    "run then spaces": "(" * N + "   next line",
    "run then a line break": "!" * N + "\n\nBest regards",
    "two runs": "a " + "!" * N + " b " + "🙂" * N,
}
#: Inside a word, where the tokenizer would keep the run in one token with its letters
#: (and marks then emoji, which the French tokenizer keeps with the word before them).
INSIDE_WORDS = {
    "marks then emoji": "Sorry!!!" + "?!" * N + "🙂🙂 really",
    "brackets inside a word": "ab" + "(" * N + "cd",
    "emoji between letters": "x" + "🙂" * N + "y" + "!" * N + "z",
}


def _tokens(doc: object) -> list[tuple[str, str]]:
    return [(t.text, t.whitespace_) for t in doc]  # type: ignore[attr-defined]


@cache
def _split_chars() -> list[str]:
    one = re.compile(f"[{nlp._ONE_CHAR_TOKENS}]")
    chars = [c for c in map(chr, range(0x10FFFF)) if one.match(c)]
    assert all(nlp._LONG_RUN.fullmatch(c * nlp._LONG_RUN_MIN) for c in chars)
    return chars


@pytest.mark.parametrize("lang", LANGS)
def test_every_character_split_by_make_doc_is_one_token_for_the_tokenizer(lang: str) -> None:
    tokenizer = nlp.pipeline(lang).tokenizer
    chars = _split_chars()
    assert len(chars) > 1000 and "(" in chars and "🙂" in chars and "a" not in chars and "." not in chars
    # one text: a word of each character alone, and before a letter
    tokens = [t.text for t in tokenizer(" ".join(f"x {c * 4} {c * 4}a" for c in chars))]
    expected = [t for c in chars for t in ("x", c, c, c, c, c, c, c, c, "a")]
    wrong = {expected[i] for i, (a, b) in enumerate(zip(tokens, expected, strict=False)) if a != b}
    assert not wrong and len(tokens) == len(expected), (lang, sorted(f"U+{ord(c):04X}" for c in wrong)[:20])


@pytest.mark.parametrize("name", AT_WORD_EDGES)
@pytest.mark.parametrize("lang", LANGS)
def test_long_runs_at_word_edges_get_the_tokenizers_own_tokens(lang: str, name: str) -> None:
    text = AT_WORD_EDGES[name]
    assert nlp._LONG_RUN.search(text), "the case must take the splitting path"
    doc = nlp.make_doc(text, lang)
    assert doc.text == text
    assert _tokens(doc) == _tokens(nlp.pipeline(lang).tokenizer(text))
    assert all(t.lemma_ == t.lower_ for t in doc if t.is_punct)  # the lemmatizer ran


@pytest.mark.parametrize("name", INSIDE_WORDS)
def test_long_runs_inside_words_become_their_characters(name: str) -> None:
    text = INSIDE_WORDS[name]
    doc = nlp.make_doc(text, "en")
    assert doc.text == text
    run = max(nlp._LONG_RUN.findall(text), key=len)
    assert run[0] in [t.text for t in doc] and len(doc) >= len(run)


def test_short_runs_and_ordinary_replies_take_the_tokenizers_way() -> None:
    for text in ("Thanks!!! (really) 🙂🙂🙂", "a" * 5000, "(" * (nlp._LONG_RUN_MIN - 1) + "x"):
        assert nlp._doc_splitting_long_runs(nlp.pipeline("en"), "en", text) is None


@pytest.mark.parametrize("name", [*AT_WORD_EDGES, *INSIDE_WORDS])
def test_diagnostics_on_long_runs_are_those_of_the_tokenizers_tokens(
    linter: Linter, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = {**AT_WORD_EDGES, **INSIDE_WORDS}[name]
    split = linter.check_text(text, lang="en").model_dump_json()
    monkeypatch.setattr(nlp, "_LONG_RUN", re.compile(r"(?!)"))  # the tokenizer's own way
    whole = linter.check_text(text, lang="en").model_dump_json()
    if name in AT_WORD_EDGES:
        assert split == whole
    else:  # other tokens inside the word, same rules on the text's characters
        assert ('"rule":"exclamation-marks"' in split) == ('"rule":"exclamation-marks"' in whole)


def test_a_long_run_of_exclamation_marks_is_reported_where_it_is(linter: Linter) -> None:
    text = "Thanks for your order" + "!" * 5000 + " Best, Tom"
    result = linter.check_text(text, lang="en")
    marks = [d for d in result.diagnostics if d.rule == "exclamation-marks"]
    assert marks, [d.rule for d in result.diagnostics]
    assert (marks[0].start, marks[0].end) == (text.index("!"), text.rindex("!") + 1)
