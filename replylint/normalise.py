"""Normalise a reply for matching while keeping every offset mappable to the original.

Rules read the normalised text; diagnostics point into the original. Steps:

1. Unicode NFKC per grapheme (full-width ``ｗｗｗ`` becomes ``www``, ligatures split),
   zero-width and soft-hyphen characters removed, typographic apostrophes unified.
2. Look-alike letters (Cyrillic ``а``, Greek ``ο`` …) inside an otherwise Latin word
   become their Latin twins, so ``аmazon`` cannot hide ``amazon``.
3. Spelled-out separators become what they stand for: ``[dot]``, ``(at)``, ``{punto}``,
   ``site dot com``, ``www . site . com``, ``name at site dot com``.

Each output character remembers the original range it came from, so a match on the
normalised text maps back with :meth:`NormalisedText.to_original`. Texts that need
none of this (most replies) take a fast path with an identity map.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

# Invisible characters used to break up words and links.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e")
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "\uff07": "'"}

# Cyrillic and Greek letters that look like Latin ones (Unicode confusables, the common set).
_CONFUSABLES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ո": "n",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i", "κ": "k",
    "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z",
}  # fmt: skip
_CONFUSABLE_CLASS = "".join(sorted(_CONFUSABLES))
_ANY_CONFUSABLE = re.compile(f"[{_CONFUSABLE_CLASS}]")
# A whole word holding both a Latin letter and a look-alike. Lookaheads from word starts
# only: "\w*[A-Za-z]\w*[…]\w*" tried every start and split every word three ways,
# cubic in the length of a long word when the reply has a look-alike anywhere.
_MIXED_WORD = re.compile(rf"(?<!\w)(?=\w*[A-Za-z])(?=\w*[{_CONFUSABLE_CLASS}])\w+")

# Common top-level domains: spelled-out dots only count before one of these, so that
# "look at it . com" in prose stays prose but "shop . co . uk" does not.
TLDS = (
    "com|net|org|info|biz|shop|store|online|site|app|io|co|uk|us|ca|au|de|fr|es|it|nl|be|at|ch|"
    "pl|pt|ie|se|dk|no|fi|eu|mx|br|in|jp|cn|ly|me|tv|gl|gd|to|link|page|club|top|xyz"
)
_DOT_WORDS = r"dot|punkt|point|punto|ponto|dt"
# Unbracketed, only the English word: "a punto de llegar" and "au point de" are prose.
_BARE_DOT_WORDS = r"dot"
_AT_WORDS = r"at|arobase|arrobase|chiocciola|arroba|ät|klammeraffe"
_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"

# "shop [dot] com", "name (at) shop": the bracketed word with the spaces around it. A
# match starts at the first space of a run, or at the bracket (right after an earlier
# match, whose spaces that match took): the same matches as a bare leading \s*, which
# was retried from every space of a long run of spaces (quadratic).
_RUN_START = rf"(?:(?<!\s)|(?={_OPEN}))"
_BRACKET_DOT = re.compile(rf"{_RUN_START}\s*{_OPEN}\s*(?:{_DOT_WORDS})\s*{_CLOSE}\s*", re.IGNORECASE)
_BRACKET_AT = re.compile(rf"{_RUN_START}\s*{_OPEN}\s*(?:{_AT_WORDS}|@)\s*{_CLOSE}\s*", re.IGNORECASE)
# "shop(.)com", "shop [.] co [.] uk": a bracketed dot between two words.
_BRACKETED_DOT = re.compile(rf"(?<=\w)\s*{_OPEN}\.{_CLOSE}\s*(?=\w)")
# "site dot com", "name at site dot com": a bare word only counts before a TLD.
_WORD_DOT = re.compile(rf"(?<=[\w-])\s+(?:{_BARE_DOT_WORDS})\s+(?=(?:{TLDS})\b)", re.IGNORECASE)
# Only with a spelled-out dot too: "track it at ups.com" is prose, not an address.
_WORD_AT = re.compile(
    rf"(?<=[\w.+-])\s+(?:{_AT_WORDS})\s+(?=[\w-]+\s+(?:{_BARE_DOT_WORDS})\s+(?:{TLDS})\b)",
    re.IGNORECASE,
)
# "ventas arroba mitienda punto es", "info chiocciola negozio punto it": an address
# spelled out in the reply's language (at-word, one host word, dot-word, TLD).
_SPELLED_EMAIL = re.compile(
    rf"(?<=[\w.+-])(\s+(?:{_AT_WORDS})\s+)[\w-]+(\s+(?:{_DOT_WORDS})\s+)(?=(?:{TLDS})\b)",
    re.IGNORECASE,
)
# "mitienda punto com": a dot-word of any language before an unambiguous TLD.
_GTLD_DOT = re.compile(
    rf"(?<=[\w-])\s+(?:{_DOT_WORDS})\s+(?=(?:com|net|org|shop|store|online)\b)", re.IGNORECASE
)
# "www . shop . co . uk", "shop .fr": spaces around dots inside a host name.
_SPACED_HOST = re.compile(
    rf"\b(?:www|[a-z0-9][a-z0-9-]*)(?:\s*\.\s*[a-z0-9][a-z0-9-]*)*\s*\.\s*(?:{TLDS})\b",
    re.IGNORECASE,
)
# "name @ shop.com"; a lone "@handle" after a word stays a handle.
_SPACED_AROUND_AT = re.compile(r"(?<=[\w.+-])\s+@\s+(?=[\w-]+\.)")

# Cheap test for "might contain a disguised separator"; texts without one skip the passes.
_TRIGGER = re.compile(
    rf"{_OPEN}\s*(?:{_DOT_WORDS}|{_AT_WORDS}|@|\.)\s*{_CLOSE}"
    rf"|\s(?:{_BARE_DOT_WORDS})\s+(?:{TLDS})\b"
    rf"|\s(?:{_DOT_WORDS})\s+(?:{TLDS})\b"
    r"|\w\s+\.\s*\w|www\s*\.\s+\w|\s@\s",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class NormalisedText:
    """The text the rules read, with a map back to the original."""

    original: str
    text: str
    _starts: array[int] | None = None
    _ends: array[int] | None = None

    @property
    def identity(self) -> bool:
        return self._starts is None

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` range of :attr:`text` to the original text."""
        if self._starts is None or self._ends is None:
            return start, end
        n = len(self.text)
        if n == 0:
            return 0, 0
        start = min(max(start, 0), n)
        end = min(max(end, start), n)
        if start == end:
            pos = self._starts[start] if start < n else len(self.original)
            return pos, pos
        return self._starts[start], self._ends[end - 1]


Edit = tuple[int, int, str]  # (start, end, replacement) on the current string


def _apply_edits(
    text: str,
    starts: array[int],
    ends: array[int],
    edits: list[Edit],
) -> tuple[str, array[int], array[int]]:
    """Replace non-overlapping ranges; each new char maps to the whole replaced range."""
    out: list[str] = []
    new_starts, new_ends = array("l"), array("l")
    pos = 0
    for a, b, repl in edits:
        out.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        if repl:
            src_start = starts[a] if a < len(starts) else (ends[-1] if len(ends) else 0)
            src_end = ends[b - 1] if b > a else src_start
            out.append(repl)
            new_starts.extend([src_start] * len(repl))
            new_ends.extend([src_end] * len(repl))
        pos = b
    out.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    return "".join(out), new_starts, new_ends


def with_edits(norm: NormalisedText, edits: list[Edit]) -> NormalisedText:
    """``norm`` with non-overlapping, sorted ``edits`` of its text applied; the offset
    map still leads to the original (a replacement maps to the range it replaced)."""
    if not edits:
        return norm
    if norm._starts is None or norm._ends is None:
        starts = array("l", range(len(norm.text)))
        ends = array("l", range(1, len(norm.text) + 1))
    else:
        starts, ends = norm._starts, norm._ends
    text, starts, ends = _apply_edits(norm.text, starts, ends, edits)
    return NormalisedText(norm.original, text, starts, ends)


def _regex_edits(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> list[Edit]:
    return [(m.start(), m.end(), repl(m)) for m in pattern.finditer(text)]


_SCANNED = [(0x80, 0xFFFF), (0x1D400, 0x1D7FF), (0x1F100, 0x1F1FF)]


def unstable_ranges() -> list[tuple[int, int]]:
    """Scan the Unicode database for the characters the unicode pass must visit."""
    ranges: list[list[int]] = []
    for lo, hi in _SCANNED:
        for cp in range(lo, hi + 1):
            if 0xD800 <= cp <= 0xDFFF:
                continue
            ch = chr(cp)
            if ch in _INVISIBLE or ch in _APOSTROPHES or unicodedata.normalize("NFKC", ch) != ch:
                if ranges and ranges[-1][1] == cp - 1:
                    ranges[-1][1] = cp
                else:
                    ranges.append([cp, cp])
    return [(a, b) for a, b in ranges]


@lru_cache(maxsize=1)
def _unstable_pattern() -> re.Pattern[str]:
    """Characters NFKC changes, combining sequences, invisibles and apostrophes."""
    from . import _unicode_data

    if unicodedata.unidata_version == _unicode_data.UNIDATA_VERSION:
        ranges: list[tuple[int, int]] = list(_unicode_data.UNSTABLE_RANGES)
    else:  # another Python's Unicode database: scan it (about a second, once)
        ranges = unstable_ranges()
    cls = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    combining = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    return re.compile(f"[^{combining}][{combining}]+|[{cls}]")


def _unicode_pass(original: str) -> tuple[str, array[int], array[int]]:
    """NFKC where the text needs it, invisible characters dropped, apostrophes unified.

    Only the characters that change are visited; the rest is copied by slices."""
    edits: list[Edit] = []
    for m in _unstable_pattern().finditer(original):
        chunk = m.group(0)
        first = chunk[0]
        if first in _INVISIBLE and len(chunk) == 1:
            edits.append((m.start(), m.end(), ""))
            continue
        if first in _APOSTROPHES:
            norm = _APOSTROPHES[first] + unicodedata.normalize("NFKC", chunk[1:])
        else:
            norm = unicodedata.normalize("NFKC", chunk)
        if norm != chunk:
            edits.append((m.start(), m.end(), norm))
    starts = array("l", range(len(original)))
    ends = array("l", range(1, len(original) + 1))
    if not edits:
        return original, starts, ends
    return _apply_edits(original, starts, ends, edits)


_SPECIAL_CHARS = re.compile("[" + re.escape("".join(_INVISIBLE) + "".join(_APOSTROPHES)) + "]")


def _needs_unicode_pass(text: str) -> bool:
    if text.isascii():
        return False
    if not unicodedata.is_normalized("NFKC", text):
        return True
    return _SPECIAL_CHARS.search(text) is not None


def normalise(original: str) -> NormalisedText:
    """Return the normalised text the rules read, with its offset map."""
    needs_unicode = _needs_unicode_pass(original)
    ascii_only = original.isascii()
    has_confusable = (
        not ascii_only
        and _ANY_CONFUSABLE.search(original) is not None
        and _MIXED_WORD.search(original) is not None
    )
    has_trigger = _TRIGGER.search(original) is not None
    if not (needs_unicode or has_confusable or has_trigger):
        return NormalisedText(original, original)

    if needs_unicode:
        text, starts, ends = _unicode_pass(original)
    else:
        text = original
        starts, ends = array("l", range(len(original))), array("l", range(1, len(original) + 1))

    if has_confusable:
        # 1:1 replacement, the map stays as it is.
        text = _MIXED_WORD.sub(lambda m: "".join(_CONFUSABLES.get(c, c) for c in m.group(0)), text)

    if has_trigger or needs_unicode:
        for pattern, repl in (
            (_BRACKET_DOT, "."),
            (_BRACKETED_DOT, "."),
            (_BRACKET_AT, "@"),
            (_WORD_AT, "@"),
            (_WORD_DOT, "."),
            (_SPACED_AROUND_AT, "@"),
        ):
            edits = _regex_edits(text, pattern, lambda m, r=repl: r)  # type: ignore[misc]
            if edits:
                text, starts, ends = _apply_edits(text, starts, ends, edits)
        edits = []
        for m in _SPELLED_EMAIL.finditer(text):
            edits += [(m.start(1), m.end(1), "@"), (m.start(2), m.end(2), ".")]
        if edits:
            text, starts, ends = _apply_edits(text, starts, ends, edits)
        edits = _regex_edits(text, _GTLD_DOT, lambda m: ".")
        if edits:
            text, starts, ends = _apply_edits(text, starts, ends, edits)
        edits = []
        for m in _SPACED_HOST.finditer(text):
            host = m.group(0)
            # "you. It arrived" is prose; "shop . fr" and "www. shop. com" are hosts.
            if re.search(r"\s\.", host) or (host[:3].lower() == "www" and any(c.isspace() for c in host)):
                # Drop the spaces inside the host name, keep everything else.
                for k, c in enumerate(host):
                    if c.isspace():
                        edits.append((m.start() + k, m.start() + k + 1, ""))
        if edits:
            text, starts, ends = _apply_edits(text, starts, ends, edits)
            # "name @ shop . com": the host only reads "shop.com" now.
            edits = _regex_edits(text, _SPACED_AROUND_AT, lambda m: "@")
            if edits:
                text, starts, ends = _apply_edits(text, starts, ends, edits)

    if text == original and len(starts) == len(original):
        return NormalisedText(original, original)
    return NormalisedText(original, text, starts, ends)


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    import sys

    if "--generate" in sys.argv:
        rows = ",\n".join(f"    (0x{a:04X}, 0x{b:04X})" for a, b in unstable_ranges())
        print(f"UNIDATA_VERSION = {unicodedata.unidata_version!r}\n\nUNSTABLE_RANGES = (\n{rows},\n)")  # noqa: T201
