"""Slots left in a draft: ``{{order.id}}``, ``{name}``, ``[insert tracking number]``,
``<NAME>``, ``XXXX``, ``XXX-XXXXXXX-XXXXXXX``, ``%FIRSTNAME%``, ``____``.

A slot is a shape, not a word, so it is found by code on the normalised text. The
hard part is what must stay quiet: ordinary brackets in a reply (``2 x towel
[grey]``, ``[anthrazit]``, ``[sic]``), sizes (``XL``, ``XXL``, ``XXXL``), kisses at
the end of a message (``xx``), HTML tags (``<br>``), markdown links (``[here](…)``)
and numbers that were filled in (``[order 112-…]``).

* Braces, double brackets, ``${…}``, ``%NAME%`` and merge tags are never prose: any
  short content counts.
* Square brackets and angle brackets count when their content names a slot (a word
  of the ``placeholder_words`` lexicon such as "name", "Prénom", "Sendungsnummer"),
  looks like an identifier (``customer_name``, ``order.id``), or, for angle
  brackets, is written in capitals (``<NAME>``) and is not an HTML tag.
* Parentheses count only when they tell the writer to fill something in
  (``(insert date)``).
* Masked numbers are runs of three or more capital ``X``; lowercase only in the
  dashed shape of an order id, so a signature's "xxx" stays a kiss.

:func:`find_placeholders` is public so that template mode can reuse the detector:
every :class:`Placeholder` says which ``syntax`` it uses, and template syntaxes
(``mustache``, ``template-tag``, ``dollar``, ``percent``, ``merge-tag``) are listed in
:data:`TEMPLATE_SYNTAXES`. The named check ``placeholders.v1`` reports them all unless
told to ``skip`` some.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ..matching import Hit, register_check

if TYPE_CHECKING:
    from ..engine import Analysis

#: Syntaxes of macro and template languages (Jinja2, Liquid, Handlebars, Zendesk,
#: Gorgias, eDesk, Mailchimp …): legitimate in a template, a bug in a sent reply.
TEMPLATE_SYNTAXES: frozenset[str] = frozenset({"mustache", "template-tag", "dollar", "percent", "merge-tag"})

# One pass over the text; earlier alternatives win, so "{{x}}" is never also "{x}".
# Every quantifier is bounded and none is nested: linear on any input.
_SLOT = re.compile(
    r"(?P<mustache>\{\{\{?[^{}\n]{1,80}?\}?\}\})"
    r"|(?P<template_tag>\{[%#][^{}\n]{1,120}?[%#]\})"
    r"|(?P<double_bracket>\[\[[^\[\]\n]{1,60}\]\])"
    r"|(?P<dollar>\$\{[^{}\n]{1,60}\})"
    r"|(?P<brace>\{[^{}\n]{0,60}\})"
    r"|(?P<merge_tag>\*\|[A-Za-z0-9_:.-]{1,40}\|\*)"
    r"|(?P<percent>(?<![\w%])%%?[A-Za-z_][A-Za-z0-9_.]{1,40}%%?(?![\w%]))"
    r"|(?P<bracket>\[[^\[\]\n]{1,60}\](?!\())"
    r"|(?P<angle><[^<>\n]{1,60}>)"
    r"|(?P<paren>\([^()\n]{3,60}\))"
    r"|(?P<masked>(?<!\w)X{3,}(?:[-/ ]X{2,}){0,4}(?!\w)(?!-[A-Za-z]))"
    r"|(?P<masked_id>(?<![\w-])[xX]{3}-[xX]{7}-[xX]{7}(?![\w-]))"
    r"|(?P<blank>(?<!_)_{4,}(?!_))"
)

_SYNTAX_NAME = {
    "mustache": "mustache",
    "template_tag": "template-tag",
    "double_bracket": "double-bracket",
    "dollar": "dollar",
    "brace": "brace",
    "merge_tag": "merge-tag",
    "percent": "percent",
    "bracket": "bracket",
    "angle": "angle",
    "paren": "paren",
    "masked": "masked",
    "masked_id": "masked",
    "blank": "blank",
}

# A name in code style: customer_name, order.id, ticket-requester (no spaces).
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[_.][A-Za-z0-9]+)+")
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
# HTML tags and the like are not slots: <br>, </p>, <a href=…>, <!-- … -->, <3.
_HTML_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "blockquote", "body", "br", "caption", "center", "code", "dd",
        "del", "div", "dl", "dt", "em", "font", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr",
        "html", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
        "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr",
        "tt", "u", "ul",
    }
)  # fmt: skip
# Sizes and other capitals that are never slots, even in angle brackets.
_NOT_SLOTS = frozenset({"xs", "s", "m", "l", "xl", "xxl", "xxxl", "xxs", "ok", "uk", "eu", "us", "usb"})


@dataclass(frozen=True, slots=True)
class Placeholder:
    """An unfilled slot: where it is, how it is written, and what it names."""

    start: int
    end: int
    syntax: str
    name: str

    @property
    def template(self) -> bool:
        """True for template-language syntax (legitimate in a macro file)."""
        return self.syntax in TEMPLATE_SYNTAXES


@dataclass(frozen=True)
class SlotVocabulary:
    """Words that make bracketed text a slot, in every language at once (drafts mix
    languages: an English macro often holds "[Customer Name]" in a German reply)."""

    words: frozenset[str]
    suffixes: tuple[str, ...]  # compound heads: "kundenname", "sendungsnummer"
    fill_verbs: frozenset[str]  # "(insert date)", "[Sendungsnummer einfügen]"

    @classmethod
    def build(
        cls, words: Collection[str], suffixes: Collection[str] = (), fill_verbs: Collection[str] = ()
    ) -> SlotVocabulary:
        return cls(
            frozenset(w.lower() for w in words),
            tuple(sorted({s.lower() for s in suffixes}, key=len, reverse=True)),
            frozenset(w.lower() for w in fill_verbs),
        )

    def names_slot(self, content: str) -> bool:
        if " ".join(content.lower().split()) in self.words:  # "[Mr/Mrs]", "[his/her]"
            return True
        words = [w.lower() for w in _WORD.findall(content)]
        if not words:
            return False
        if any(w in self.words or w in self.fill_verbs for w in words):
            return True
        # Two-word entries ("first name" is two words in most lists).
        pairs = {f"{a} {b}" for a, b in pairwise(words)}
        if pairs & self.words:
            return True
        return any(len(w) > len(s) + 2 and w.endswith(s) for w in words for s in self.suffixes)

    def asks_to_fill(self, content: str) -> bool:
        words = [w.lower() for w in _WORD.findall(content)]
        return bool(words) and (words[0] in self.fill_verbs or words[-1] in self.fill_verbs)


def _is_slot(kind: str, content: str, vocab: SlotVocabulary) -> bool:
    """Decide the ambiguous syntaxes; the others are slots by shape alone."""
    inner = content.strip()
    if kind in ("mustache", "template_tag", "double_bracket", "dollar", "merge_tag", "percent"):
        return bool(inner.strip("{}%#[]$*|").strip())
    if kind == "brace":
        # "{}" and "{name}" are slots; a brace around a long sentence is not a reply's.
        return len(inner.split()) <= 4
    if kind in ("masked", "masked_id", "blank"):
        return True
    body = inner[1:-1].strip()
    words = body.split()
    if not body or len(words) > 5:
        return False
    if kind == "paren":
        return not _DIGIT.search(body) and vocab.asks_to_fill(body)
    if _DIGIT.search(body) and not vocab.asks_to_fill(body):
        return False  # "[order 112-…]" was filled in
    if kind == "angle":
        if body[0] in "/!?" or "=" in body or "@" in body or ":" in body or body.endswith("/"):
            return False
        first = body.split()[0].lower()
        if first in _HTML_TAGS:
            return False
        letters = [c for c in body if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters) and body.lower() not in _NOT_SLOTS:
            return True
    if kind == "bracket" and body.lower() in _NOT_SLOTS:
        return False
    return bool(_IDENTIFIER.fullmatch(body)) or vocab.names_slot(body)


def find_placeholders(text: str, vocab: SlotVocabulary, *, skip: Collection[str] = ()) -> list[Placeholder]:
    """Every unfilled slot in ``text``, in order. ``skip`` names syntaxes to leave out
    (template mode passes :data:`TEMPLATE_SYNTAXES`)."""
    out: list[Placeholder] = []
    for m in _SLOT.finditer(text):
        kind = m.lastgroup
        if kind is None:  # pragma: no cover - every alternative is a named group
            continue
        syntax = _SYNTAX_NAME[kind]
        if syntax in skip:
            continue
        content = m.group()
        if _is_slot(kind, content, vocab):
            out.append(Placeholder(m.start(), m.end(), syntax, _slot_name(content)))
    return out


def _slot_name(content: str) -> str:
    return content.strip("{}[]<>()%$#*| \t").strip() or content


@lru_cache(maxsize=16)
def _vocabulary(words: tuple[str, ...], suffixes: tuple[str, ...], verbs: tuple[str, ...]) -> SlotVocabulary:
    return SlotVocabulary.build(words, suffixes, verbs)


def vocabulary_for(analysis: Analysis, args: dict[str, Any]) -> SlotVocabulary:
    """The slot vocabulary named by a rule's ``args`` (lexicon names)."""

    def lexicon(key: str) -> tuple[str, ...]:
        name = args.get(key)
        return tuple(analysis.catalogue.lexicon(analysis.lang, name)) if name else ()

    return _vocabulary(lexicon("words"), lexicon("suffixes"), lexicon("fill_verbs"))


@register_check("placeholders.v1")
def placeholders(analysis: Analysis, args: dict[str, Any]) -> Iterator[Hit]:
    """Unfilled slots. ``args``: ``words``, ``suffixes``, ``fill_verbs`` (lexicon names)
    and ``skip`` (syntaxes to ignore, e.g. the template ones)."""
    vocab = vocabulary_for(analysis, args)
    for slot in find_placeholders(analysis.text, vocab, skip=frozenset(args.get("skip", ()))):
        yield Hit(slot.start, slot.end, data={"syntax": slot.syntax, "name": slot.name})
