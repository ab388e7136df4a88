"""Template mode: placeholders of template languages and help desks are slots, not text.

A macro such as ``Hi {{ticket.requester.first_name}}, your order {{order.id}} …`` is
linted as the reply a buyer will read: each placeholder is a *slot*. Slots are
found by :func:`find_slots` and replaced, for the rules only, by a stand-in of the
same length (:func:`reading_text`), so every offset the engine reports is still an
offset into the file and no rule reads template syntax as prose. A true leftover
such as ``[insert tracking number]`` is not template syntax, so the
``unfilled-placeholder`` rule still reports it.

Recognised syntaxes (all at once: they never clash with prose):

========================  =====================================================
Jinja2                    ``{{ x }}``, ``{% if %}…{% endif %}``, ``{# comment #}``
Liquid (Shopify, Zendesk,  ``{{ x | filter }}``, ``{% if %}``, ``{% comment %}…
Freshdesk)                ``{% endcomment %}``, ``{% raw %}…{% endraw %}``, ``{% # c %}``
Handlebars / Mustache     ``{{x}}``, ``{{{x}}}``, ``{{#if}}…{{/if}}``, ``{{else}}``,
                          ``{{> partial}}``, ``{{! c }}``, ``{{!-- c --}}``
Zendesk, Gorgias,         ``{{ticket.requester.first_name}}``,
Freshdesk, eDesk          ``{{ticket.customer.firstname}}``, ``{{ticket.id}}``,
                          ``{{buyer_name}}``
Help Scout                ``{%customer.firstName,fallback=there%}``
Merge tags                ``%FIRSTNAME%``, ``%%order_id%%``, ``${buyer.name}``,
                          ``*|FNAME|*`` (Mailchimp)
eDesk-style tags          ``[Buyer Name]``, ``[Order Number]`` … (a known list of
                          field names, plus the configuration's ``slot-names``)
HTML                      tags of HTML e-mail bodies (``<p>``, ``<a href=…>``;
                          a link's address stays visible to the rules), comments
Custom                    the configuration's ``slot-patterns`` (RE2 syntax)
========================  =====================================================

Slots come in kinds: an ``output`` slot stands for a value (a name, an order id)
and reads as one neutral word; ``control`` (``{% if %}``), ``comment`` and
``markup`` slots are not part of any sentence and read as blanks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, Literal

SlotKind = Literal["output", "control", "comment", "markup"]

#: File suffixes that are templates, and the syntax family each one announces.
TEMPLATE_SUFFIXES: dict[str, str] = {
    ".j2": "jinja",
    ".jinja": "jinja",
    ".jinja2": "jinja",
    ".liquid": "liquid",
    ".hbs": "handlebars",
    ".handlebars": "handlebars",
    ".mustache": "handlebars",
    ".tmpl": "template",
    ".tpl": "template",
    ".html": "html",
    ".htm": "html",
}

#: Stand-in character for an output slot: a letter (so the slot stays one word for
#: the tokenizer), in no alphabet of the supported languages (so no lexicon, lemma
#: table or language detector gives it weight) and unchanged by NFKC.
STAND_IN = "\u01c2"  # ǂ LATIN LETTER ALVEOLAR CLICK

#: Field names that help desks (eDesk and others) write as ``[Field Name]`` tags.
#: Compared case-insensitively, with spaces, underscores and hyphens alike. A
#: bracket holding anything else (``[insert tracking number]``, ``[Prénom]``) is a
#: leftover the agent had to fill in, and stays text.
BRACKET_FIELD_NAMES: frozenset[str] = frozenset(
    {
        "buyer name",
        "buyer first name",
        "buyer last name",
        "buyer full name",
        "buyer username",
        "buyer email",
        "customer name",
        "customer first name",
        "customer last name",
        "customer full name",
        "first name",
        "last name",
        "full name",
        "order number",
        "order id",
        "order date",
        "order total",
        "order link",
        "marketplace order number",
        "channel order number",
        "tracking number",
        "tracking link",
        "tracking url",
        "carrier",
        "carrier name",
        "shipping carrier",
        "shipping method",
        "dispatch date",
        "shipping date",
        "ship date",
        "delivery date",
        "estimated delivery date",
        "item title",
        "item name",
        "item sku",
        "item number",
        "product name",
        "product title",
        "sku",
        "asin",
        "quantity",
        "seller name",
        "store name",
        "shop name",
        "company name",
        "agent name",
        "agent first name",
        "user name",
        "user first name",
        "signature",
        "channel",
        "channel name",
        "marketplace",
        "ticket id",
        "ticket number",
        "case id",
        "rma number",
        "return number",
    }
)

#: Statement keywords of Jinja2 and Liquid: ``{% keyword … %}`` is control flow.
_STATEMENTS = (
    "if|elif|elsif|else|endif|unless|endunless|case|when|endcase|for|endfor|break|continue|"
    "cycle|tablerow|endtablerow|assign|capture|endcapture|increment|decrement|set|endset|"
    "block|endblock|macro|endmacro|call|endcall|filter|endfilter|include|render|extends|"
    "import|from|with|endwith|trans|endtrans|pluralize|autoescape|endautoescape|liquid|"
    "echo|do|layout|section|paginate|endpaginate|form|endform|style|endstyle|javascript|"
    "endjavascript|schema|endschema|stylesheet|endstylesheet"
)

# One scanner, alternatives tried left to right at each position: comments and
# verbatim blocks first (their bodies may hold anything), then the triple and double
# brace forms, then statements.
_SCANNER = re.compile(
    r"""
      (?P<liquid_comment>\{%-?\s*comment\s*-?%\}.{0,20000}?\{%-?\s*endcomment\s*-?%\})
    | (?P<raw_open>\{%-?\s*raw\s*-?%\})
    | (?P<hbs_long_comment>\{\{~?!--.{0,20000}?--~?\}\})
    | (?P<hbs_comment>\{\{~?!.{0,2000}?\}\})
    | (?P<jinja_comment>\{\#.{0,20000}?\#\})
    | (?P<liquid_inline_comment>\{%-?\s*\#.{0,2000}?%\})
    | (?P<triple>\{\{\{.{0,400}?\}\}\})
    | (?P<hbs_block>\{\{~?\s*(?:[\#/^>]|else\b).{0,400}?\}\})
    | (?P<output>\{\{.{0,400}?\}\})
    | (?P<statement>\{%-?\s*(?:"""
    + _STATEMENTS
    + r""")\b.{0,4000}?%\})
    | (?P<helpscout>\{%\s*[A-Za-z_][\w.]*(?:\s*,\s*fallback\s*=[^%{}]{0,200})?\s*%\})
    | (?P<other_statement>\{%.{0,400}?%\})
    | (?P<html_comment><!--.{0,20000}?-->)
    | (?P<dollar>\$\{[^{}\n]{1,60}\})
    | (?P<merge_tag>\*\|[A-Za-z0-9_:.-]{1,40}\|\*)
    | (?P<percent>(?<![\w%])%%?[A-Za-z_][A-Za-z0-9_.]{1,40}%%?(?![\w%]))
    """,
    re.DOTALL | re.VERBOSE,
)
_SYNTAX_OF = {
    "helpscout": "helpscout",
    "html_comment": "html",
    "hbs_long_comment": "handlebars",
    "hbs_comment": "handlebars",
    "hbs_block": "handlebars",
    "triple": "handlebars",
    "dollar": "dollar",
    "merge_tag": "merge-tag",
    "percent": "percent",
}
_RAW_CLOSE = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_KINDS: dict[str, SlotKind] = {
    "liquid_comment": "comment",
    "raw_open": "control",
    "hbs_long_comment": "comment",
    "hbs_comment": "comment",
    "jinja_comment": "comment",
    "liquid_inline_comment": "comment",
    "triple": "output",
    "hbs_block": "control",
    "output": "output",
    "statement": "control",
    "helpscout": "output",
    "other_statement": "control",
    "html_comment": "comment",
    "dollar": "output",
    "merge_tag": "output",
    "percent": "output",
}
# Bounded bodies keep the scan linear: an unclosed ``{{`` in prose is not a slot.
_BRACKET = re.compile(r"\[\s*([A-Za-z][A-Za-z0-9 _.\-]{0,48}?)\s*\]")

# HTML e-mail bodies: the common elements only, so ``<NAME>`` (a leftover) stays text.
_HTML_ELEMENTS = (
    "a|abbr|b|big|blockquote|body|br|center|code|col|colgroup|dd|div|dl|dt|em|font|footer|"
    "h[1-6]|head|header|hr|html|i|img|li|link|meta|ol|p|pre|s|section|small|span|strike|"
    "strong|style|sub|sup|table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|wbr"
)
_HTML_TAG = re.compile(rf"</?(?:{_HTML_ELEMENTS})\b(?:[^<>\"']|\"[^\"]*\"|'[^']*')*/?>", re.IGNORECASE)
# A link's address is what the policy rules must see: it stays readable.
_HTML_URL_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_HTML_HINT = re.compile(r"</(?:p|div|span|a|b|strong|li|td)>|<br\s*/?>", re.IGNORECASE)
_HTML_SPACE_ENTITY = re.compile(r"&(?:nbsp|ensp|emsp|thinsp|#160|#xa0);", re.IGNORECASE)
_HTML_BLANK_ELEMENTS = re.compile(r"<(style|script|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Slot:
    """A range of the text that is template syntax, not prose."""

    start: int
    end: int
    kind: SlotKind
    syntax: str  # "jinja", "handlebars", "helpscout", "bracket", "html", "custom" …

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end

    def inside(self, start: int, end: int) -> bool:
        """The slot lies wholly within ``[start, end)``."""
        return start <= self.start and self.end <= end


@dataclass(frozen=True)
class TemplateOptions:
    """What counts as a slot, beyond the built-in syntaxes (from the configuration)."""

    slot_names: frozenset[str] = frozenset()  # more [Field Name] tags
    slot_patterns: tuple[Any, ...] = ()  # compiled RE2 patterns (see config.py)
    html: bool | None = None  # None: detect from the text

    def knows_field(self, name: str) -> bool:
        key = _field_key(name)
        return key in BRACKET_FIELD_NAMES or key in self.slot_names


def _field_key(name: str) -> str:
    return " ".join(re.split(r"[\s_.\-]+", name.strip().lower()))


def normalise_field_names(names: Iterable[str]) -> frozenset[str]:
    """Configured ``slot-names`` in the form :meth:`TemplateOptions.knows_field` compares."""
    return frozenset(_field_key(n.strip("[]")) for n in names if n.strip("[] "))


def syntax_for_path(path: str | PurePath) -> str | None:
    """The template syntax a file name announces (``refund.fr.liquid`` → liquid), or None."""
    for suffix in reversed(PurePath(path).suffixes):
        syntax = TEMPLATE_SUFFIXES.get(suffix.lower())
        if syntax:
            return syntax
    return None


def looks_like_html(text: str) -> bool:
    return bool(_HTML_HINT.search(text))


def find_slots(text: str, options: TemplateOptions | None = None, *, html: bool | None = None) -> list[Slot]:
    """Every slot of ``text``, sorted and non-overlapping (earlier and longer first)."""
    options = options or TemplateOptions()
    if html is None:
        html = options.html if options.html is not None else looks_like_html(text)
    found: list[Slot] = []
    if "{" in text or "<!--" in text or "%" in text or "*|" in text:
        found.extend(_template_slots(text))
    if "[" in text:
        for m in _BRACKET.finditer(text):
            if options.knows_field(m.group(1)):
                found.append(Slot(m.start(), m.end(), "output", "bracket"))
    for pattern in options.slot_patterns:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                found.append(Slot(m.start(), m.end(), "output", "custom"))
    if html:
        found.extend(_html_slots(text))
    return _non_overlapping(found)


def _template_slots(text: str) -> list[Slot]:
    out: list[Slot] = []
    pos = 0
    while pos < len(text):
        m = _SCANNER.search(text, pos)
        if m is None:
            break
        kind_name = m.lastgroup or "output"
        start, end = m.span()
        syntax = _SYNTAX_OF.get(kind_name, "jinja")
        out.append(Slot(start, end, _KINDS[kind_name], syntax))
        pos = end
        if kind_name == "raw_open":
            # Jinja/Liquid verbatim block: its body is literal text; only the tags are slots.
            close = _RAW_CLOSE.search(text, end)
            if close is None:
                break
            out.append(Slot(close.start(), close.end(), "control", "jinja"))
            pos = close.end()
    return out


def _html_slots(text: str) -> list[Slot]:
    out: list[Slot] = []
    for m in _HTML_BLANK_ELEMENTS.finditer(text):
        out.append(Slot(m.start(), m.end(), "markup", "html"))
    for m in _HTML_TAG.finditer(text):
        start, end = m.span()
        # Leave the address of a link or image readable: hide the tag around it.
        cursor = start
        for attr in _HTML_URL_ATTR.finditer(text, start, end):
            value_start, value_end = attr.span(2)
            if value_start > cursor:
                out.append(Slot(cursor, value_start, "markup", "html"))
            cursor = value_end
        if end > cursor:
            out.append(Slot(cursor, end, "markup", "html"))
    for m in _HTML_SPACE_ENTITY.finditer(text):
        out.append(Slot(m.start(), m.end(), "markup", "html"))
    return out


def _non_overlapping(slots: list[Slot]) -> list[Slot]:
    slots.sort(key=lambda s: (s.start, -(s.end - s.start)))
    out: list[Slot] = []
    for slot in slots:
        if out and slot.start < out[-1].end:
            continue
        out.append(slot)
    return out


def reading_text(text: str, slots: Sequence[Slot]) -> str:
    """``text`` as the rules read it: same length, each slot replaced by a stand-in.

    An output slot reads as one neutral word (``ǂǂǂǂ``), so "your order {{id}} has
    shipped" keeps its word order; other slots read as blanks. Line breaks inside a
    slot are kept, so sentences and lines stay where they are.
    """
    if not slots:
        return text
    parts: list[str] = []
    pos = 0
    for slot in slots:
        parts.append(text[pos : slot.start])
        chunk = text[slot.start : slot.end]
        fill = STAND_IN if slot.kind == "output" else " "
        parts.append("".join(ch if ch in "\r\n" else fill for ch in chunk))
        pos = slot.end
    parts.append(text[pos:])
    out = "".join(parts)
    assert len(out) == len(text)
    return out


@dataclass
class TemplateText:
    """A text in template mode: its slots and the reading the rules see."""

    text: str
    slots: list[Slot] = field(default_factory=list)

    @property
    def reading(self) -> str:
        return reading_text(self.text, self.slots)

    def in_slot(self, start: int, end: int) -> bool:
        """``[start, end)`` lies wholly inside one slot (nothing a reader sees)."""
        return any(s.start <= start and end <= s.end for s in self.slots)

    def fix_allowed(self, start: int, end: int) -> bool:
        """A fix may replace ``[start, end)`` only if it keeps the template intact: it
        may swallow whole placeholders (deleting a sentence that holds ``{{name}}``)
        but never cut one, nor remove control flow, comments or markup."""
        for slot in self.slots:
            if not slot.overlaps(start, end) and not (start == end and slot.start < start < slot.end):
                continue
            if slot.kind != "output" or not slot.inside(start, end):
                return False
        return True

    def structure(self) -> list[str]:
        """The text of every non-output slot, in order: a fix must leave it unchanged."""
        return [self.text[s.start : s.end] for s in self.slots if s.kind != "output"]


def analyse_template(
    text: str, options: TemplateOptions | None = None, *, html: bool | None = None
) -> TemplateText:
    return TemplateText(text, find_slots(text, options, html=html))
