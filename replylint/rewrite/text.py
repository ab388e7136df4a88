"""Small, careful text edits: splice a range, delete a sentence, add one to the body.

Every edit repairs its own seam (no double space, no space before a full stop, a
capital letter where a sentence now starts, no empty line left behind) and leaves
the rest of the draft exactly as the agent wrote it.
"""

from __future__ import annotations

import re

from .data import locale
from .layout import parse_layout

_SENTENCE_END = ".!?…"


def _at_sentence_start(text: str, pos: int, floor: int = 0) -> bool:
    i = pos - 1
    while i >= floor and text[i] in " \t":
        i -= 1
    if i < floor:
        return True
    return text[i] in _SENTENCE_END or text[i] == "\n"


def _after_greeting_comma(text: str, pos: int, floor: int) -> bool:
    """``pos`` opens the body right after an inline greeting ("Hi, |sorry …")."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < floor and i >= 0 and text[i] == ","


def fix_case_at(text: str, pos: int, floor: int = 0) -> str:
    """The word at ``pos`` as a sentence start wants it: lower case right after an
    inline greeting's comma, a capital after a full stop or a line break."""
    if _after_greeting_comma(text, pos, floor):
        i = pos
        while i < len(text) and text[i] in " \t":
            i += 1
        return text[:i] + _lower_first(text[i:])
    if _at_sentence_start(text, pos, floor):
        return capitalise_at(text, pos)
    return text


def capitalise_at(text: str, pos: int) -> str:
    """Upper-case the first letter at or after ``pos`` (skipping quotes and spaces)."""
    i = pos
    while i < len(text) and not text[i].isalnum():
        if text[i] == "\n":
            return text
        i += 1
    if i < len(text) and text[i].islower():
        return text[:i] + text[i].upper() + text[i + 1 :]
    return text


def splice(text: str, start: int, end: int, replacement: str, *, floor: int = 0) -> str:
    """Replace ``text[start:end]``, tidying the seam."""
    before, after = text[:start], text[end:]
    if not replacement:
        # Drop the doubled space a deletion leaves, and a space before punctuation.
        if before.endswith((" ", "\t")) and (
            after.startswith((" ", "\t")) or after[:1] in ",.;:!?)" or not after
        ):
            before = before.rstrip(" \t")
        if after[:1] in ",;:" and (not before or before[-1:] in _SENTENCE_END + "\n,"):
            after = after[1:].lstrip(" \t")
        if not before.strip(" \t") or before.endswith("\n"):
            after = after.lstrip(" \t")
        out = fix_case_at(before + after, len(before), floor)
        return _tidy_lines(out)
    if replacement[:1].isalpha() and start > 0 and _after_greeting_comma(text, start, floor):
        replacement = _lower_first(replacement)
    elif replacement[:1].isalpha() and start > 0 and _at_sentence_start(text, start, floor):
        replacement = replacement[0].upper() + replacement[1:]
    elif replacement[:1].isupper() and start > 0 and not _at_sentence_start(text, start, floor):
        first = replacement.split(" ", 1)[0]
        if first not in ("I", "I'm", "I'll", "I've", "I'd") and not first.isupper():
            replacement = replacement[0].lower() + replacement[1:]
    return before + replacement + after


def delete_sentence(text: str, start: int, end: int, *, floor: int = 0) -> str:
    """Remove a whole sentence and the space after it (or before it, at a line end)."""
    b = end
    while b < len(text) and text[b] in " \t":
        b += 1
    a = start
    if b == end or (b < len(text) and text[b] == "\n"):
        while a > 0 and text[a - 1] in " \t":
            a -= 1
    out = text[:a] + text[b:]
    if a > 0 and out[a - 1] not in " \t\n" and a < len(out) and out[a] not in " \t\n":
        out = out[:a] + " " + out[a:]
        a += 1
    out = fix_case_at(out, a, min(floor, a))
    return _tidy_lines(out)


def _tidy_lines(text: str) -> str:
    """No line made only of spaces, never more than one blank line in a row."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and not out[-1].strip():
                continue
            out.append("")
            continue
        out.append(line.rstrip(" \t") if line.strip() else line)
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    result = "\n".join(out)
    return result + ("\n" if text.endswith("\n") and result else "")


def insert_sentence(text: str, sentence: str, lang: str, where: str) -> str:
    """Add ``sentence`` to the body: at its ``start``, its ``end``, or ``before_question``
    (before a closing question, else at the end)."""
    layout = parse_layout(text, lang)
    sentences = layout.body_sentences()
    body_end = layout.body[1]
    if not sentences:
        return _into_empty_body(text, layout.greeting_end, layout.signoff_start, sentence)
    if where == "start":
        pos = sentences[0][0]
        head = text[: layout.greeting_end].rstrip()
        inline = "\n" not in text[len(head) : pos]
        if head.endswith(",") and (inline or locale(lang).lowercase_after_greeting):
            # "Bonjour, je suis désolé…": a letter goes on after the greeting's comma.
            sentence = _lower_first(sentence)
        following = text[pos:]
        joined = sentence + " "
        out = text[:pos] + joined + following
        # The old first sentence now follows a full stop.
        return capitalise_at(out, pos + len(joined))
    if where == "before_question":
        last_start, last_end = sentences[-1]
        if text[last_start:last_end].rstrip().endswith("?") and len(sentences) > 1:
            return text[:last_start] + sentence + " " + text[last_start:]
    pos = body_end
    tail = text[pos:]
    last_char = text[pos - 1 : pos]
    glue = " " if last_char not in ("\n", "") else ""
    if last_char and last_char not in _SENTENCE_END + "\n":
        glue = ". " if last_char.isalnum() else " "
    return text[:pos] + glue + sentence + tail


def _lower_first(sentence: str) -> str:
    first = sentence.split(" ", 1)[0]
    if first in _ALWAYS_CAPITAL or first[:2] == "I'":
        return sentence
    return sentence[:1].lower() + sentence[1:]


#: Words written with a capital wherever they stand.
_ALWAYS_CAPITAL = frozenset({"I", "Sie", "Ihr", "Ihre", "Ihnen", "Ihren", "Ihrer", "Ihrem"})


def _into_empty_body(text: str, greeting_end: int, signoff_start: int, sentence: str) -> str:
    head = text[:greeting_end].rstrip()
    tail = text[signoff_start:].strip()
    if head.endswith(","):
        sentence = _lower_first(sentence)
    if head and tail:
        sep = "\n\n" if "\n" in text else " "
        return head + sep + sentence + sep + tail
    if head:
        return head + ("\n\n" if "\n" in text else " ") + sentence
    if tail:
        return sentence + ("\n\n" if "\n" in text else " ") + tail
    return sentence


_SPACES = re.compile(r"[ \t]{2,}")


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text)
