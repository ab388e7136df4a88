"""Facts a rewrite must keep: order ids, tracking numbers, amounts, dates, names.

A warmer reply that loses the order number or changes the refund amount is worse
than the cold one, so every rewrite (LLM or offline) is checked against the facts
of the draft. Facts are compared on a canonical key, so "€12.50" kept as "12,50 €"
or "14/06/2024" kept as "14.06.2024" still count as kept.

Contact details are not facts: they are what a rewrite removes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Literal

from ..nlp import sentence_spans
from ..schema import Diagnostic
from .data import locale
from .layout import parse_layout

FactKind = Literal["order_id", "tracking", "amount", "date", "name"]


@dataclass(frozen=True)
class Fact:
    kind: FactKind
    text: str  # as written in the draft
    key: str  # canonical form compared between draft and rewrite
    start: int
    end: int


_ORDER_IDS = [
    re.compile(r"(?<![\w-])\d{3}-\d{7}-\d{7}(?![\w-])"),  # Amazon
    re.compile(r"(?<![\w-])\d{2}-\d{5}-\d{5}(?![\w-])"),  # eBay
]
_TRACKING = [
    re.compile(r"(?<![\w])1Z[0-9A-Z]{16}(?![\w])", re.IGNORECASE),  # UPS
    re.compile(r"(?<![\w])[A-Z]{2}\d{9}[A-Z]{2}(?![\w])"),  # UPU S10 (postal services)
    re.compile(r"(?<![\w])\d[A-Z]\d{11}(?![\w])"),  # La Poste / Colissimo
    re.compile(r"(?<![\w.,+-])\d{10,22}(?![\w-]|[.,]\d)"),  # DHL, FedEx, USPS, DPD: long digit runs
]
#: Other carriers' codes mix capitals and digits ("JD014600003828840000"); at least
#: six digits, so that a product name is not taken for one.
_MIXED_CODE = re.compile(r"(?<![\w])(?=(?:[A-Z]*\d){6})(?=[A-Z0-9]*[A-Z])[A-Z0-9]{10,24}(?![\w])")
_CURRENCY = r"(?:[$€£¥]|US\$|A\$|C\$|CHF|EUR|USD|GBP|CAD|AUD)"
_CURRENCY_WORDS = r"(?:euros?|dollars?|pounds?|francs?|sterline?|dólares|dolares|libras)"
_NUMBER = r"\d{1,3}(?:[.,\u00a0 ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = re.compile(
    rf"(?:{_CURRENCY}\s?(?:{_NUMBER})|(?:{_NUMBER})\s?(?:{_CURRENCY}|{_CURRENCY_WORDS}\b))",
    re.IGNORECASE,
)
# Where a figure before its currency can start, when the two characters before are
# not part of an earlier match (see _amounts): after a non-digit; after a digit only
# to read exactly three ("1234 567 €" is "234 567 €"); after a digit and a separator
# only for a run of digits other than three (three would be a group of the number
# that starts before).
_FIGURE_START = (
    r"(?:(?<![\d.,\u00a0 ])|(?<=\D[.,\u00a0 ])|(?<=\d)(?=\d{3}(?!\d))|(?<=\d[.,\u00a0 ])(?!\d{3}(?!\d)))"
)
_AMOUNT_START = re.compile(
    rf"(?:{_CURRENCY}\s?(?:{_NUMBER})|{_FIGURE_START}(?:{_NUMBER})\s?(?:{_CURRENCY}|{_CURRENCY_WORDS}\b))",
    re.IGNORECASE,
)


def _amounts(text: str) -> Iterator[re.Match[str]]:
    """``_AMOUNT.finditer(text)`` in linear time.

    Tried from every digit, the figure ran to the end of each long number again
    (quadratic in a long run of digits or of digit groups). A leftmost match starts
    where ``_FIGURE_START`` allows, or within two characters of the previous match's
    end, where the characters before it are that match's own; the matches are the
    same (tests/robustness/test_same_results.py compares them)."""
    pos = 0
    while pos <= len(text):
        m = _AMOUNT.match(text, pos) or _AMOUNT.match(text, pos + 1) or _AMOUNT_START.search(text, pos + 2)
        if m is None:
            return
        yield m
        pos = m.end()


_PERCENT = re.compile(r"(?<![\w.,])\d{1,3}(?:[.,]\d+)?\s?%")
_NUMERIC_DATE = re.compile(
    r"(?<![\w./-])(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})(?![\w/-])"
)
#: "by the 23rd", "le 1er": a day of the month on its own.
_ORDINAL_DAY = re.compile(r"(?<![\w.,])(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er)(?!\w)", re.IGNORECASE)
_TIME = re.compile(r"(?<![\w:])(?:[01]?\d|2[0-3])[:h][0-5]\d(?![\w:])", re.IGNORECASE)


@cache
def _word_dates(lang: str) -> re.Pattern[str]:
    loc = locale(lang)
    months = "|".join(sorted((re.escape(m) for m in loc.months), key=len, reverse=True))
    weekdays = "|".join(sorted((re.escape(d) for d in loc.weekdays), key=len, reverse=True))
    day = r"\d{1,2}(?:st|nd|rd|th|er|º|°|\.)?"
    return re.compile(
        rf"(?<!\w)(?:{day}\s+(?:de\s+)?(?:{months})\.?(?:\s+(?:de\s+)?\d{{4}})?"
        rf"|(?:{months})\.?\s+{day}(?:,?\s+\d{{4}})?"
        rf"|(?:{weekdays}))(?!\w)",
        re.IGNORECASE,
    )


def _amount_key(text: str) -> str:
    digits = re.sub(r"[^\d.,]", "", text)
    # The last separator followed by one or two digits is the decimal one.
    m = re.search(r"[.,](\d{1,2})$", digits)
    if m:
        whole = re.sub(r"[.,]", "", digits[: m.start()])
        number = f"{whole}.{m.group(1)}"
    else:
        number = re.sub(r"[.,]", "", digits)
    try:
        return format(Decimal(number).normalize(), "f")
    except InvalidOperation:
        return digits


def _date_key(text: str) -> str:
    numbers = [n.lstrip("0") or "0" for n in re.findall(r"\d+", text)]
    words = [
        w.lower().rstrip(".")
        for w in re.findall(r"[^\W\d_]+", text)
        if w.lower() not in ("de", "st", "nd", "rd", "th", "er")
    ]
    return " ".join(numbers + words)


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a < end and start < b for a, b in spans)


def extract_facts(
    text: str,
    lang: str,
    *,
    exclude: list[tuple[int, int]] | None = None,
    exclude_amounts: list[tuple[int, int]] | None = None,
) -> list[Fact]:
    """The facts of ``text``, in order. Spans in ``exclude`` (contact details) hold
    none; spans in ``exclude_amounts`` (a coupon's "10% off") hold no amount."""
    taken: list[tuple[int, int]] = list(exclude or [])
    no_amounts = list(exclude_amounts or [])
    facts: list[Fact] = []

    def add(kind: FactKind, m: re.Match[str], key: str) -> None:
        start, end = m.span()
        if _overlaps(taken, start, end) or (kind == "amount" and _overlaps(no_amounts, start, end)):
            return
        taken.append((start, end))
        facts.append(Fact(kind, m.group(0), key, start, end))

    for pattern in _ORDER_IDS:
        for m in pattern.finditer(text):
            add("order_id", m, m.group(0))
    for pattern in (*_TRACKING, _MIXED_CODE):
        for m in pattern.finditer(text):
            add("tracking", m, m.group(0).upper())
    for m in _NUMERIC_DATE.finditer(text):
        add("date", m, _date_key(m.group(0)))
    for m in _word_dates(lang).finditer(text):
        add("date", m, _date_key(m.group(0)))
    for m in _ORDINAL_DAY.finditer(text):
        add("date", m, _date_key(m.group(0)))
    for m in _TIME.finditer(text):
        add("date", m, _date_key(m.group(0)))
    for m in _amounts(text):
        add("amount", m, "amount:" + _amount_key(m.group(0)))
    for m in _PERCENT.finditer(text):
        key = _amount_key(m.group(0))
        if key != "100":  # "100% sure", "a 100% refund": emphasis, not a figure to keep
            add("amount", m, "percent:" + key)
    layout = parse_layout(text, lang)
    for name in (layout.greeting_name, layout.signature_name):
        if name and not _is_slot(name):
            start = text.find(name)
            facts.append(Fact("name", name, name.lower(), start, start + len(name)))
    facts.sort(key=lambda f: (f.start, f.kind))
    return facts


def _is_slot(name: str) -> bool:
    return name[:1] in "<[{"


def missing_facts(facts: list[Fact], new_text: str, lang: str) -> list[Fact]:
    """The facts of the draft that ``new_text`` no longer holds."""
    if not facts:
        return []
    kept = {f.key for f in extract_facts(new_text, lang)}
    lowered = new_text.lower()
    out = []
    for fact in facts:
        if fact.key in kept:
            continue
        if fact.kind == "name" and re.search(rf"(?<!\w){re.escape(fact.key)}(?!\w)", lowered):
            continue  # a name kept elsewhere than a greeting or a signature
        if fact.kind in ("order_id", "tracking") and fact.key.lower() in lowered:
            continue
        out.append(fact)
    return out


#: Rules whose matches are ways of contact: what they cover is not a fact.
_CONTACT_RULES = ("contact-info", "off-platform")
#: Rules whose sentences quote figures of an offer that must go ("10% off").
_OFFER_RULES = ("promotion", "feedback-request")


def draft_facts(text: str, lang: str, diagnostics: list[Diagnostic]) -> list[Fact]:
    """The facts a rewrite of ``text`` must keep, given the draft's diagnostics: not
    the contact details, and not the figures of a coupon or a review reward."""
    contact = [(d.start, d.end) for d in diagnostics if d.rule in _CONTACT_RULES]
    offers: list[tuple[int, int]] = []
    spans = sentence_spans(text)
    for d in diagnostics:
        if d.rule in _OFFER_RULES:
            offers.extend((a, b) for a, b in spans if a <= d.start < b or d.start <= a < d.end)
    return extract_facts(text, lang, exclude=contact, exclude_amounts=offers)
