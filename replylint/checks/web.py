"""Links, email addresses, phone numbers and social handles.

These are shapes, not words, so they are found by code rather than token patterns,
on the *normalised* text (where ``shop [dot] com`` already reads ``shop.com``).
Each check is careful about what must never fire (CONTRACT.md §4): marketplace and
carrier domains (the profile's ``allow_domains``), order ids, tracking numbers,
ASINs, prices, dates, times, sizes and postcodes.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from ..matching import Hit, register_check
from ..nlp import lemma_table, pipeline
from ..normalise import TLDS

if TYPE_CHECKING:
    from ..engine import Analysis

# -- links ---------------------------------------------------------------------------

_TRAILING = ".,;:!?)]}'\"»›>”’"
_SCHEME_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'«»“”]+", re.IGNORECASE)
_WWW_URL = re.compile(r"\bwww\d{0,3}\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][^\s<>\"'«»“”]*)?", re.IGNORECASE)
# A bare domain: labels then a known TLD. The TLD must be lowercase unless the whole
# host is upper case, so "arrived.It works" (a missing space) is not a link.
_BARE_DOMAIN = re.compile(
    rf"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{TLDS})\b(?![@\-])(?:[/?#][^\s<>\"'«»“”]*)?",
    re.IGNORECASE,
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[a-z0-9][a-z0-9._%+-]{0,63}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b",
    re.IGNORECASE,
)


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING:
        # Keep a closing bracket that has its opening partner inside the URL.
        ch = text[end - 1]
        if ch == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def host_of(url: str) -> str:
    host = re.sub(r"^[a-z]+://", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#:]", host, maxsplit=1)[0].lower().rstrip(".")
    if "@" in host:
        host = host.rsplit("@", 1)[1]
    return host[4:] if host.startswith("www.") else host


def _glob_regex(pattern: str) -> str:
    """``amazon.*`` → amazon + a country ending; ``*.shop.com`` → any sub-domain."""
    body = re.escape(pattern.lower())
    if body.startswith(r"\*\."):
        body = r"(?:[a-z0-9-]+\.)*" + body[4:]
    if body.endswith(r"\.\*"):
        body = body[:-4] + r"\.[a-z]{2,6}(?:\.[a-z]{2,3})?"
    return body


@lru_cache(maxsize=64)
def _allow_regex(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{_glob_regex(p)})" for p in patterns))


@lru_cache(maxsize=64)
def _most_labels(patterns: tuple[str, ...]) -> int:
    """The most labels a parent domain matching one of ``patterns`` can have: one more
    than the pattern's dots, and two more for a ``.*`` country ending ("co.uk"). A
    leading ``*.`` adds none: if "a.b.shop.com" matches ``*.shop.com``, so does
    "shop.com" (tests/robustness/test_same_results.py compares with every parent)."""
    return max((p.removeprefix("*.").count(".") + 3 for p in patterns), default=0)


@lru_cache(maxsize=4096)
def domain_allowed(host: str, patterns: tuple[str, ...]) -> bool:
    """``host`` or one of its parent domains matches an allow pattern.

    Only the parent domains of at most :func:`_most_labels` labels are tried: joining
    every one of a host of thousands of labels ("www.www.www…") was quadratic."""
    rx = _allow_regex(patterns)
    if rx is None:
        return False
    labels = host.split(".")
    first = max(0, len(labels) - _most_labels(patterns))
    return any(rx.fullmatch(".".join(labels[i:])) for i in range(first, len(labels) - 1))


def find_emails(analysis: Analysis) -> list[tuple[int, int]]:
    memo = analysis.memo.get("emails")
    if memo is None:
        memo = analysis.memo["emails"] = [m.span() for m in _EMAIL.finditer(analysis.text)]
    return memo  # type: ignore[no-any-return]


def find_links(analysis: Analysis) -> list[tuple[int, int, str]]:
    """Every link or bare domain (not inside an email): (start, end, host)."""
    memo = analysis.memo.get("links")
    if memo is not None:
        return memo  # type: ignore[no-any-return]
    text = analysis.text
    emails = find_emails(analysis)
    # What is taken (emails, then links) never overlaps, so sorted by start the ends are
    # sorted too, and the last span starting before ``end`` is the only one that can
    # overlap: a bisection, not a pass over every link found so far (10,000 links).
    taken_starts = [a for a, _ in emails]
    taken_ends = [b for _, b in emails]
    links: list[tuple[int, int, str]] = []
    for rx in (_SCHEME_URL, _WWW_URL, _BARE_DOMAIN):
        for m in rx.finditer(text):
            start, end = m.start(), _strip_trailing(text, m.start(), m.end())
            if end <= start:
                continue
            before = bisect.bisect_left(taken_starts, end)
            if before and taken_ends[before - 1] > start:
                continue
            url = text[start:end]
            if rx is _BARE_DOMAIN:
                host = url.split("/", 1)[0]
                tld = host.rsplit(".", 1)[-1]
                if not (tld.islower() or host.isupper()):
                    continue
                # "e.g", "i.e", "a.m" have no TLD; single-letter hosts like "a.co" do.
                if _missing_space(analysis, host, text, end):
                    continue
            taken_starts.insert(before, start)
            taken_ends.insert(before, end)
            links.append((start, end, host_of(url)))
    links.sort()
    analysis.memo["links"] = links
    return links


# "sorry.in the meantime", "Grazie.it arriva": two words run together, not a host.
_NEXT_IS_LOWER_WORD = re.compile(r"\s+[^\W\d_]", re.UNICODE)


def _missing_space(analysis: Analysis, host: str, text: str, end: int) -> bool:
    """A bare ``word.tld`` where the TLD is also a word of the reply's language
    ("in", "it", "no", "de") and the sentence runs on in lowercase, and the first
    part is a dictionary word: a full stop without its space, not a domain."""
    labels = host.split(".")
    if len(labels) != 2:
        return False
    word, tld = labels[0].lower(), labels[1]
    if not tld.islower() or not _NEXT_IS_LOWER_WORD.match(text, end):
        return False
    if not text[end:].lstrip()[:1].islower():
        return False
    tld_words = _lexicon_set(analysis, "tld_words")
    if tld not in tld_words:
        return False
    if word in _lexicon_set(analysis, "common_words"):
        return True
    # A known inflected form, or a stop word; both lookups are O(1) on tables the
    # pipeline has loaded already.
    return word in lemma_table(analysis.lang) or word in pipeline(analysis.lang).Defaults.stop_words


def _lexicon_set(analysis: Analysis, name: str) -> frozenset[str]:
    """A lexicon as a set (``all`` lists plus the reply's language), cached."""
    key = f"lexset:{name}:{analysis.lang}"
    cache = analysis.catalogue.__dict__.setdefault("_set_cache", {})
    found = cache.get(key)
    if found is None:
        words = [
            *analysis.catalogue.lexicons.get("all", {}).get(name, []),
            *analysis.catalogue.lexicons.get(analysis.lang, {}).get(name, []),
        ]
        found = cache[key] = frozenset(w.lower() for w in words)
    return found  # type: ignore[no-any-return]


def _allow_patterns(analysis: Analysis, args: dict[str, Any]) -> tuple[str, ...]:
    """The profile's allowlist plus the check's own, "@lexicon" entries expanded."""
    key = ("allow", analysis.profile.id, tuple(args.get("allow", ())))
    cache = analysis.catalogue.__dict__.setdefault("_allow_cache", {})
    if key not in cache:
        out: list[str] = []
        for item in [*analysis.profile.allow_domains, *args.get("allow", ())]:
            if item.startswith("@"):
                out.extend(analysis.catalogue.lexicon("all", item[1:]))
            else:
                out.append(item)
        cache[key] = tuple(a.lower() for a in out)
    return cache[key]  # type: ignore[no-any-return]


@register_check("urls.v1")
def urls(analysis: Analysis, args: dict[str, Any]) -> Iterator[Hit]:
    """Links and bare domains that are not on the profile's allowlist."""
    allow = _allow_patterns(analysis, args)
    for start, end, host in find_links(analysis):
        if host and domain_allowed(host, allow):
            continue
        yield Hit(start, end, data={"host": host})


@register_check("allowed-urls.v1")
def allowed_urls(analysis: Analysis, args: dict[str, Any]) -> Iterator[Hit]:
    """Links that *are* on the allowlist (for unless filters)."""
    allow = _allow_patterns(analysis, args)
    for start, end, host in find_links(analysis):
        if host and domain_allowed(host, allow):
            yield Hit(start, end, data={"host": host})


@register_check("emails.v1")
def emails(analysis: Analysis, args: dict[str, Any]) -> Iterable[tuple[int, int]]:
    """Email addresses (also written ``name (at) shop (dot) com``)."""
    allow = _allow_patterns(analysis, args) if args.get("use_allowlist") else ()
    relay = _domain_list(analysis, args.get("not_domains"))
    for start, end in find_emails(analysis):
        host = analysis.text[start:end].rsplit("@", 1)[1].lower()
        if allow and domain_allowed(host, allow):
            continue
        if relay and domain_allowed(host, relay):
            continue  # the marketplace's own relay address for this buyer
        yield start, end


def _domain_list(analysis: Analysis, name: str | None) -> tuple[str, ...]:
    """A language-independent domain lexicon (``rules/lexicons/all``) as glob patterns."""
    if not name:
        return ()
    return tuple(d.lower() for d in analysis.catalogue.lexicons.get("all", {}).get(name.lstrip("@"), []))


# -- phone numbers --------------------------------------------------------------------

# Digits in groups, optionally led by + or 00 and a bracketed area code.
# Digits in groups, optionally led by + or 00 and a bracketed area code; "+49 (0)30 …"
# joins a bracket straight to the next group.
_PHONE = re.compile(
    r"(?<![\w+/.,:-])"
    r"(?:\+|00)?\(?\d{1,5}\)?"
    r"(?:(?:[ .\-/]{1,2}|(?<=\)))\(?\d{1,8}\)?){0,6}"
    r"(?![\w/]|[.,]\d|-\d)"
)
_ORDER_ID = re.compile(r"^\d{3}-\d{7}-\d{7}$|^\d{2}-\d{5}-\d{5}$")
_DATE = re.compile(
    r"^\d{1,4}([./-])\d{1,2}\1\d{1,4}$|^\d{1,2}[./-]\d{1,2}$"
    r"|^\d{1,2} \d{1,2} (?:19|20)\d{2}$"  # 14 06 2024
    r"|^(?:19|20)\d{2} ?[-/] ?(?:19|20)?\d{2}$"  # 2019-2023, 2024/25
)
_ISBN = re.compile(r"^97[89][- ]?(?:\d[- ]?){9}\d$")
# A US-style local number ("555-0143") counts only right after a keyword.
_LOCAL_SEVEN = re.compile(r"^\d{3}[-. ]\d{4}$")
_UNIT_AFTER = re.compile(
    r"^\s?(?:€|\$|£|¥|%|eur\b|euro|usd|gbp|cm|mm|m\b|km|kg|g\b|mg|ml|l\b|x\b|h\b|hrs?\b|min|"
    r"days?|jours?|tage?n?|días?|giorni|stück|pcs|pieces|units?|w\b|v\b|mah)",
    re.IGNORECASE,
)
_CONTEXT_BEFORE = 40


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


@register_check("phones.v1")
def phones(analysis: Analysis, args: dict[str, Any]) -> Iterator[tuple[int, int]]:
    """Phone numbers, not order ids, tracking numbers, dates, prices or sizes.

    ``args.keywords``: lexicon of words that announce a number ("call", "WhatsApp");
    ``args.not_after``: lexicon of words after which a number is an id ("order",
    "tracking"). A bare run of digits counts only after a keyword or with a + prefix.
    Numbers typed digit by digit ("0 7 7 0 0 9 0 0 …") or spelled out in words
    ("seven seven zero zero …", "null eins fünf …") count too.
    """
    text = analysis.text
    lang = analysis.lang
    keywords = _lexicon_regex(analysis, args.get("keywords"), lang)
    not_after = _lexicon_regex(analysis, args.get("not_after"), lang)
    found: list[tuple[int, int]] = []
    for m in _PHONE.finditer(text):
        start, end = m.span()
        raw = m.group(0).rstrip(" .-/")
        end = start + len(raw)
        digits = _digits(raw)
        plus = raw.startswith(("+", "00"))
        before = text[max(0, start - _CONTEXT_BEFORE) : start]
        if digits == 7 and _LOCAL_SEVEN.match(raw):
            near = before[-20:]
            if keywords is not None and keywords.search(near) and not (not_after and not_after.search(near)):
                yield start, end
            continue
        if digits < 8 or digits > (15 if plus else 13):
            continue
        if _ORDER_ID.match(raw) or _DATE.match(raw) or _ISBN.match(raw):
            continue
        if _UNIT_AFTER.match(text[end : end + 6]):
            continue
        separators = sum(1 for c in raw if c in " .-/")
        leading_zero = raw.lstrip("(").startswith("0")
        if (
            "/" in raw
            and not plus
            and separators == raw.count("/")
            and (raw.count("/") > 1 or not leading_zero)
        ):
            continue  # 12/06/2024-like or ratios; "030/1234567" is a German phone number
        # 01.02.2024 or version numbers; dotted phones (06.12.34.56.78) have 4 dots.
        if not plus and 2 <= raw.count(".") < 4 and separators == raw.count("."):
            continue
        if _named_as_identifier(before, not_after, keywords):
            continue
        keyword = keywords is not None and keywords.search(before) is not None
        grouped = separators >= 2 or (separators == 1 and leading_zero)
        if plus or keyword or (grouped and (leading_zero or raw.startswith("(") or digits >= 9)):
            found.append((start, end))
    for start, end in _disguised_numbers(text, lang):
        if not any(a < end and start < b for a, b in found) and not _named_as_identifier(
            text[max(0, start - _CONTEXT_BEFORE) : start], not_after, keywords
        ):
            found.append((start, end))
    yield from sorted(found)


# "0 7 7 0 0 - 9 0 0 - 1 2 3": a number typed digit by digit to get past a filter.
_SPACED_DIGITS = re.compile(r"(?<![\w+])(?:\+\s?)?\d(?:\s?[ .\-/]\s?\d){7,15}(?![\w])")
# Digits spelled out, one word each ("seven seven zero zero nine …", "null eins fünf …").
_DIGIT_WORDS: dict[str, dict[str, str]] = {
    "en": {"zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
           "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"},
    "fr": {"zéro": "0", "zero": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
           "six": "6", "sept": "7", "huit": "8", "neuf": "9"},
    "de": {"null": "0", "eins": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4", "fünf": "5",
           "sechs": "6", "sieben": "7", "acht": "8", "neun": "9"},
    "es": {"cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "seis": "6",
           "siete": "7", "ocho": "8", "nueve": "9"},
    "it": {"zero": "0", "uno": "1", "due": "2", "tre": "3", "quattro": "4", "cinque": "5", "sei": "6",
           "sette": "7", "otto": "8", "nove": "9"},
}  # fmt: skip
_REPEATERS = {"double": 2, "triple": 3}
#: A run of this many spelled digits is a phone number, not a sentence.
_MIN_SPELLED_DIGITS = 8
_LETTER_WORD = re.compile(r"[^\W\d_]+")


@cache
def _spelled_chain(lang: str) -> re.Pattern[str] | None:
    """Three digit words (or "double", "triple") in a row, only non-letters between:
    every run of eight spelled digits has one, and most texts have none, so the
    word-by-word scan below runs only when it can find something."""
    if lang not in _DIGIT_WORDS:
        return None
    names = [*_DIGIT_WORDS[lang], *(_REPEATERS if lang == "en" else ())]
    alt = "|".join(re.escape(w) for w in sorted(names, key=len, reverse=True))
    word = rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])"
    return re.compile(rf"{word}(?:[\W\d_]*{word}){{2}}", re.IGNORECASE)


def _spelled_digit_runs(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """Runs of at least eight digits written as words, commas and dashes between."""
    words = _DIGIT_WORDS.get(lang)
    if words is None:
        return
    chain = _spelled_chain(lang)
    if chain is not None and chain.search(text) is None:
        return
    run_start = run_end = -1
    count = 0
    repeat = 1
    last_end = -1
    for m in _LETTER_WORD.finditer(text):
        word = m.group(0).lower()
        gap = text[last_end : m.start()] if last_end >= 0 else ""
        joined = last_end >= 0 and len(gap) <= 3 and all(c in " ,-.\n" for c in gap)
        if word in words or (lang == "en" and word in _REPEATERS):
            if count and not joined:
                if count >= _MIN_SPELLED_DIGITS:
                    yield run_start, run_end
                count, repeat = 0, 1
            if not count:
                run_start = m.start()
            if word in _REPEATERS:
                repeat = _REPEATERS[word]
            else:
                count += repeat
                repeat = 1
                run_end = m.end()
        else:
            if count >= _MIN_SPELLED_DIGITS:
                yield run_start, run_end
            count, repeat = 0, 1
        last_end = m.end()
    if count >= _MIN_SPELLED_DIGITS:
        yield run_start, run_end


def _disguised_numbers(text: str, lang: str) -> Iterator[tuple[int, int]]:
    """Phone numbers typed digit by digit or spelled out in words."""
    for m in _SPACED_DIGITS.finditer(text):
        if 8 <= _digits(m.group(0)) <= 15:
            yield m.span()
    yield from _spelled_digit_runs(text, lang)


_WORD = re.compile(r"\w+")


def _named_as_identifier(
    before: str, not_after: re.Pattern[str] | None, keywords: re.Pattern[str] | None
) -> bool:
    """The number is introduced as an identifier: "order no. 1234…", "tracking number
    is 1234…". The identifier word must come at most two words before the number, with
    no phone keyword in between ("…your next order, call us on 0800…" is a phone)."""
    if not_after is None:
        return False
    window = before[-30:]
    found = list(not_after.finditer(window))
    if not found:
        return False
    tail = window[found[-1].end() :]
    if len(_WORD.findall(tail)) > 2:
        return False
    return not (keywords is not None and keywords.search(tail))


def _lexicon_regex(analysis: Analysis, name: str | None, lang: str) -> re.Pattern[str] | None:
    if not name:
        return None
    key = f"lexrx:{name}:{lang}"
    cache = analysis.catalogue.__dict__.setdefault("_regex_cache", {})
    rx = cache.get(key)
    if rx is None:
        words = [
            *analysis.catalogue.lexicons.get("all", {}).get(name, []),
            *analysis.catalogue.lexicons.get(lang, {}).get(name, []),
        ]
        if not words:
            cache[key] = False
            return None
        alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        rx = cache[key] = re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)
    return rx or None


# -- social handles -------------------------------------------------------------------

_HANDLE = re.compile(r"(?<![\w@.])@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?(?![\w@])", re.IGNORECASE)
# A first path segment that names a piece of content (a video, a post, a pin), not an
# account: "youtube.com/watch?v=…" shows how to assemble a shelf, it is no handle.
_CONTENT_PATH = re.compile(
    r"(?:watch|shorts|embed|p|reel|reels|tv|pin|playlist|live)(?:[/?#]|$)", re.IGNORECASE
)


@register_check("handles.v1")
def handles(analysis: Analysis, args: dict[str, Any]) -> Iterator[Hit]:
    """Social or messaging handles: ``@shop.official`` (not email addresses), and with
    ``args.social_domains`` links to a profile (``instagram.com/shop``, ``wa.me/44…``)."""
    emails_found = find_emails(analysis)
    for m in _HANDLE.finditer(analysis.text):
        start, end = m.span()
        if any(a <= start < b for a, b in emails_found):
            continue
        if m.group(0)[1].isdigit():
            continue  # "@30", "@10am": a price, a count or a time
        yield Hit(start, end)
    social = _domain_list(analysis, args.get("social_domains"))
    if social:
        for start, end, host in find_links(analysis):
            url = analysis.text[start:end]
            path = url.split("//", 1)[-1].rstrip("/").partition("/")[2]
            if domain_allowed(host, social) and path and not _CONTENT_PATH.match(path):
                yield Hit(start, end, data={"host": host})  # a profile: instagram.com/shop
