"""Personal data out before a text leaves the machine, back in afterwards.

Emails, phone numbers, street addresses and the names in greetings and signatures
become placeholders such as ``[[NAME_1]]`` before a draft or a buyer message is sent
to a model; the model is told to keep them as they are, and :meth:`Redactor.restore`
puts the originals back. The same value always gets the same placeholder, in the
draft and in the buyer message, so the model can tell that the buyer's "Julia" is
the draft's "Julia".

Facts the reply needs (order ids, tracking numbers, amounts, dates) are not
personal data and are sent as they are: the model must keep them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from .data import locale
from .facts import extract_facts
from .layout import parse_layout

#: Placeholders as sent, and as a model may give them back ("[NAME_1]", "[[ name_1 ]]").
PLACEHOLDER = re.compile(r"\[\[?\s*(EMAIL|PHONE|ADDRESS|NAME)_(\d{1,3})\s*\]?\]", re.IGNORECASE)

_AT = r"(?:@|\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+)"
_DOT = r"(?:\.|\s*[(\[{]\s*(?:dot|punkt|point|punto)\s*[)\]}]\s*|\s+dot\s+)"
_EMAIL = re.compile(rf"[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,12}}\b", re.IGNORECASE)
# The same, starting only where a run of [\w.+-] starts (see _emails).
_EMAIL_START = re.compile(rf"(?<![\w.+-]){_EMAIL.pattern}", re.IGNORECASE)
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().\-/]{6,18}\d(?!\w)")
_MIN_PHONE_DIGITS = 8
_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{4,5}(?:\s+[A-ZÀ-Þ][\w'-]+){1,2})"


@cache
def _address_re(lang: str) -> re.Pattern[str]:
    loc = locale(lang)
    streets = "(?i:" + "|".join(sorted((re.escape(w) for w in loc.street_words), key=len, reverse=True)) + ")"
    name_word = r"(?:[A-ZÀ-Þ][\w'’.-]*|[a-zà-ÿ]{1,3}|l'|d')"
    tail = rf"(?:,?\s+(?:[A-ZÀ-Þ][\w'’-]+,?\s+){{0,2}}{_POSTCODE})?"
    if loc.street_number_first:
        # "14 Elm Road", "12 rue de la Paix", "221B Baker Street, London NW1 6XE"
        body = (
            rf"\b\d{{1,5}}[a-zA-Z]?,?\s+(?:{name_word}\s+){{0,3}}(?:{streets})\b\.?"
            rf"(?:\s+{name_word}){{0,4}}"
        )
    else:
        # "Hauptstraße 5", "Via dei Mille 12", "Calle Mayor, 5"
        body = rf"\b[\w'’-]*(?:{streets})\b\.?(?:\s+{name_word}){{0,4}},?\s+\d{{1,5}}[a-zA-Z]?\b"
    return re.compile(body + tail)


def _emails(text: str) -> Iterator[re.Match[str]]:
    r"""``_EMAIL.finditer(text)`` in linear time.

    Tried from every character, the leading ``[\w.+-]+`` ran to the end of each word
    again (quadratic in a long one). A match cannot start inside such a run unless
    an earlier match ended there: it would have started with the run. So the search
    starts only at runs (``_EMAIL_START``), and the end of each match is tried on its
    own; the matches are the same."""
    pos = 0
    while True:
        m = (_EMAIL.match(text, pos) if pos else None) or _EMAIL_START.search(text, pos)
        if m is None:
            return
        yield m
        pos = m.end()


class Redactor:
    """Replaces personal data by numbered placeholders and restores it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.values: dict[str, str] = {}  # placeholder → original
        self._tokens: dict[tuple[str, str], str] = {}  # (kind, value) → placeholder

    def _token(self, kind: str, value: str) -> str:
        key = (kind, value.lower())
        token = self._tokens.get(key)
        if token is None:
            n = sum(1 for k in self._tokens if k[0] == kind) + 1
            token = f"[[{kind}_{n}]]"
            self._tokens[key] = token
            self.values[token] = value
        return token

    def redact(self, text: str) -> str:
        """``text`` with its personal data replaced."""
        if not text:
            return text
        spans: list[tuple[int, int, str]] = []
        facts = [(f.start, f.end) for f in extract_facts(text, self.lang) if f.kind != "name"]

        def free(a: int, b: int) -> bool:
            return not any(x < b and a < y for x, y, _ in spans) and not any(
                x < b and a < y for x, y in facts
            )

        # Values already replaced elsewhere (the buyer's name met again in a
        # diagnostic message) keep their placeholder.
        for token, value in sorted(self.values.items(), key=lambda kv: -len(kv[1])):
            for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text):
                if free(*m.span()):
                    spans.append((m.start(), m.end(), token))

        for m in _emails(text):
            if "@" in m.group(0) or re.search(r"[(\[{]\s*at\s*[)\]}]|\s(?:dot)\s", m.group(0), re.IGNORECASE):
                spans.append((m.start(), m.end(), self._token("EMAIL", m.group(0))))
        for m in _address_re(self.lang).finditer(text):
            if free(*m.span()):
                spans.append((m.start(), m.end(), self._token("ADDRESS", m.group(0))))
        for m in _PHONE.finditer(text):
            digits = sum(c.isdigit() for c in m.group(0))
            if digits >= _MIN_PHONE_DIGITS and free(*m.span()):
                spans.append((m.start(), m.end(), self._token("PHONE", m.group(0).strip())))
        layout = parse_layout(text, self.lang)
        for name in dict.fromkeys((layout.greeting_name, layout.signature_name)):
            if not name or name[:1] in "<[{":
                continue
            token = self._token("NAME", name)
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                if free(*m.span()):
                    spans.append((m.start(), m.end(), token))
        out = text
        for start, end, token in sorted(spans, reverse=True):
            out = out[:start] + token + out[end:]
        return out

    def restore(self, text: str) -> str:
        """Put the originals back; placeholders the redactor never issued stay."""

        def back(m: re.Match[str]) -> str:
            token = f"[[{m.group(1).upper()}_{int(m.group(2))}]]"
            return self.values.get(token, m.group(0))

        return PLACEHOLDER.sub(back, text)

    def unknown(self, text: str) -> list[str]:
        """Placeholders in ``text`` that this redactor did not issue (a model inventing)."""
        return [
            m.group(0)
            for m in PLACEHOLDER.finditer(text)
            if f"[[{m.group(1).upper()}_{int(m.group(2))}]]" not in self.values
        ]
