"""The layout of a draft: greeting, body sentences, sign-off.

A reply reads "Hi Sam,\\n\\n<body>\\n\\nKind regards,\\nMaya", or all on one line
("Hi, sorry the shirt shrank. … Thanks, Jess"). The rewriter edits the body only:
it never touches the greeting or the signature, adds acknowledgements at the start
of the body and questions at its end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..nlp import sentence_spans
from .data import locale

#: A name in a greeting or a signature: capitalised words ("Sam", "Mrs O'Neil",
#: "Jean-Luc"), a slot ("<NAME>", "[Prénom]") or initials.
_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w'’\-.]*|<[^<>\n]{1,30}>|\[[^\[\]\n]{1,30}\]|\{\{?[^{}\n]{1,30}\}?\})"
_MAX_SIGNATURE_WORDS = 4
_MAX_CLOSING_WORDS = 7


def _alternation(words: list[str]) -> str:
    ordered = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@cache
def _greeting_re(lang: str) -> re.Pattern[str]:
    words = _alternation(locale(lang).greetings)
    return re.compile(
        rf"^[ \t]*(?P<word>(?:{words}))\b(?P<name>[^\n,!.?:;]{{0,40}}?)[ \t]*(?P<end>[,!:]|(?=\n)|$)",
        re.IGNORECASE,
    )


@cache
def _closing_re(lang: str) -> re.Pattern[str]:
    words = _alternation(locale(lang).closings)
    return re.compile(rf"^(?:{words})\b[\s,.!]*", re.IGNORECASE)


@dataclass(frozen=True)
class Layout:
    """Where the parts of a draft are (character offsets)."""

    text: str
    greeting_end: int  # 0 when there is no greeting
    signoff_start: int  # len(text) when there is no sign-off
    greeting_name: str | None
    signature_name: str | None

    @property
    def body(self) -> tuple[int, int]:
        start, end = self.greeting_end, self.signoff_start
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end

    def body_sentences(self) -> list[tuple[int, int]]:
        """Sentence spans inside the body (absolute offsets, trailing spaces excluded)."""
        start, end = self.body
        out = []
        for a, b in sentence_spans(self.text[start:end]):
            seg = self.text[start + a : start + b]
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            if seg.strip():
                out.append((start + a + lead, start + b - trail))
        return out


def parse_layout(text: str, lang: str) -> Layout:
    greeting_end, greeting_name = _greeting(text, lang)
    signoff_start, signature_name = _signoff(text, lang, greeting_end)
    return Layout(text, greeting_end, signoff_start, greeting_name, signature_name)


def _names(fragment: str, lang: str) -> str | None:
    """The name part of "Sam", "Mrs Smith", "<NAME>"; None for "there", "team"."""
    words = fragment.strip().split()
    if not words or len(words) > _MAX_SIGNATURE_WORDS:
        return None
    titles = {t.lower().rstrip(".") for t in locale(lang).titles}
    kept = [w for w in words if w.lower().rstrip(".") not in titles]
    if not kept or not all(re.fullmatch(_NAME_WORD, w) for w in kept):
        return None
    return " ".join(kept)


def _greeting(text: str, lang: str) -> tuple[int, str | None]:
    m = _greeting_re(lang).match(text)
    if m is None:
        return 0, None
    name = _names(m.group("name"), lang)
    if m.group("name").strip() and name is None and m.group("end") in ("", ":"):
        # "Hello and thanks for …" is a sentence, not a greeting.
        return 0, None
    return m.end(), name


def _signoff(text: str, lang: str, body_start: int) -> tuple[int, str | None]:
    """Start of the closing formula and signature at the end of the draft."""
    spans = [(a, b) for a, b in sentence_spans(text) if b > body_start]
    if not spans:
        return len(text), None
    closing = _closing_re(lang)

    def words(span: tuple[int, int]) -> list[str]:
        return text[span[0] : span[1]].split()

    last = spans[-1]
    last_text = text[last[0] : last[1]].strip()
    # "Thanks, Jess" or "Un saluto, Giorgio": closing and name on one line.
    m = closing.match(last_text)
    if m and len(words(last)) <= _MAX_CLOSING_WORDS:
        rest = last_text[m.end() :].strip()
        if not rest or _names(rest, lang) is not None or (len(rest.split()) <= 3 and rest[:1].isupper()):
            return _start(text, last[0], body_start), _names(rest, lang) if rest else None
    # "Kind regards,\nMaya" / "Best,\nThe Lumina team": a short signature line after
    # a closing line.
    if len(spans) >= 2 and len(words(last)) <= _MAX_SIGNATURE_WORDS and "\n" in text[spans[-2][0] : last[0]]:
        prev = spans[-2]
        prev_text = text[prev[0] : prev[1]].strip()
        m = closing.match(prev_text)
        if m and len(prev_text.split()) <= _MAX_CLOSING_WORDS and not prev_text[m.end() :].strip(" ,.!"):
            return _start(text, prev[0], body_start), _names(last_text, lang)
    return len(text), None


def _start(text: str, offset: int, floor: int) -> int:
    while offset > floor and text[offset - 1] in " \t":
        offset -= 1
    return max(offset, floor)
