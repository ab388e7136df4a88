"""Acknowledge, Own, Offer, Verify: does the reply contain each element?

``structure.applies`` is decided from the buyer's message when there is one (it
raised a problem: its triage risk is above low, see :mod:`replylint.triage`), and
otherwise from the reply itself (it apologises for, or speaks of, a delay, damage,
a defect, a refund…). A proactive review request does not answer a problem.

Each element is a rule in ``rules/structure/``. Unlike other rules, a structure
rule's patterns find the *element* (an acknowledgement, a first-person commitment,
a remedy, a request to choose or confirm) and the rule fires when none is found.
The patterns are compiled into a :class:`~replylint.matching.LanguagePack` of their
own, run only when the structure applies.

A ``missing-*`` diagnostic points at the sentence it is about: the generic phrase
that stands in for the element when there is one ("Sorry for any inconvenience",
"Let me know if you need anything else"), otherwise the first or last sentence of
the body. Its message shows a good sentence in the reply's language, chosen for
the kind of problem the buyer named; the sentences are data, in each rule's
``args.suggest`` (see :func:`suggestion`), and the diagnostic's unsafe fix inserts
(or substitutes) that sentence.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue, Rule, localised
from .checks.structure import phrase_spans, resolve_words
from .errors import RuleFileError
from .matching import Hit, LanguagePack, current_pack
from .schema import Diagnostic, Fix, Severity, Structure
from .triage import buyer_signals, find_signals, problem_kinds, risk_of

if TYPE_CHECKING:
    from .engine import Analysis, Linter

#: Structure rule id → the Structure field it reports.
ELEMENTS: dict[str, str] = {
    "missing-acknowledgement": "acknowledgement",
    "missing-ownership": "ownership",
    "missing-offer": "offer",
    "missing-next-step": "next_step",
}
#: Longest sentence (in words) that counts as a greeting or a sign-off.
_LAYOUT_WORDS = 5


@dataclass(frozen=True)
class Problem:
    """Whether the reply answers a problem, and which kinds (most urgent first)."""

    applies: bool
    kinds: tuple[str, ...]


def problem_of(analysis: Analysis) -> Problem:
    """Did the buyer raise a problem (or, without a buyer message, does the reply
    answer one)? Memoised on the analysis."""
    cached: Problem | None = analysis.memo.get("structure-problem")
    if cached is not None:
        return cached
    if analysis.buyer is not None:
        found = buyer_signals(analysis)
        problem = Problem(risk_of(found) != "low", tuple(problem_kinds(found)))
    else:
        found = find_signals(analysis, "reply")
        problem = Problem(any(f.risk != "low" for f in found), tuple(problem_kinds(found)))
    analysis.memo["structure-problem"] = problem
    return problem


def suggestion(rule: Rule, lang: str, kinds: tuple[str, ...] | list[str] = ()) -> str:
    """The example sentence ``rule`` suggests in ``lang`` for a problem of ``kinds``.

    Read from the rule file's ``args.suggest`` (kind → language → sentence, with a
    ``default`` kind), so the rewrite assistant and the docs use the same sentences.
    """
    table: dict[str, dict[str, str]] = rule.args.get("suggest", {})
    for kind in (*kinds, "default"):
        if kind in table:
            text = localised(table[kind], lang)
            if text:
                return text
    return ""


_packs: weakref.WeakKeyDictionary[Linter, dict[str, LanguagePack]] = weakref.WeakKeyDictionary()
_packs_lock = threading.Lock()


def structure_pack(linter: Linter, lang: str) -> LanguagePack:
    """The structure rules of ``linter``'s catalogue compiled for ``lang`` (cached).

    They are kept out of the linter's main pack so that a reply that answers no
    problem never pays for them."""
    packs = _packs.get(linter)
    if packs is None:
        with _packs_lock:
            packs = _packs.setdefault(linter, {})

    def build() -> LanguagePack:
        rules = [r for r in linter.catalogue.rules.values() if r.family == "structure"]
        return LanguagePack(linter.catalogue, lang, rules)

    return current_pack(packs, lang, _packs_lock, build)


def element_hits(analysis: Analysis, linter: Linter, rule_id: str) -> list[Hit]:
    """Where the element of structure rule ``rule_id`` is found in the reply."""
    pack = structure_pack(linter, analysis.lang)
    found = analysis.memo.get("structure-hits")
    if found is None:
        found = analysis.memo["structure-hits"] = pack.run(analysis)
    return pack.hits_for(rule_id, analysis, found)


def assess_structure(
    analysis: Analysis, linter: Linter, rules: list[tuple[Rule, Severity]]
) -> tuple[Structure, list[Diagnostic]]:
    """The Structure record of a reply and its ``missing-*`` diagnostics.

    Elements are only looked for when the structure applies (they are reported
    false otherwise); diagnostics come only from the enabled structure rules, in
    languages the rules cover.
    """
    catalogue: Catalogue = analysis.catalogue
    problem = problem_of(analysis)
    if not problem.applies:
        return Structure(applies=False), []
    present: dict[str, bool] = {}
    for rule_id, element in ELEMENTS.items():
        rule = catalogue.rules.get(rule_id)
        if rule is None or analysis.lang not in rule.languages:
            present[element] = False
            continue
        present[element] = bool(element_hits(analysis, linter, rule_id))
    structure = Structure(applies=True, **present)
    layout = _Layout(analysis)
    diagnostics: list[Diagnostic] = []
    for rule, severity in rules:
        field = ELEMENTS.get(rule.id)
        if field is None or present[field] or analysis.lang not in rule.languages:
            continue
        diagnostics.append(_missing(analysis, linter, rule, severity, problem, layout))
    return structure, diagnostics


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _missing(
    analysis: Analysis,
    linter: Linter,
    rule: Rule,
    severity: Severity,
    problem: Problem,
    layout: _Layout,
) -> Diagnostic:
    lang = analysis.lang
    args: dict[str, Any] = rule.args
    position: str = args.get("position", "first")
    anchor = layout.anchor(args.get("anchor"), last=position == "last")
    sentence = suggestion(rule, lang, problem.kinds)
    if anchor is not None:
        start, end = anchor
        template = localised(args.get("generic_message"), lang) or localised(rule.message, lang)
    else:
        start, end = layout.last_body() if position == "last" else layout.first_body()
        template = localised(rule.message, lang)
    message = template.replace("{suggest}", _escape(sentence))
    diagnostic = linter.diagnostic(analysis, rule, severity, Hit(start, end, message=message))
    if sentence:
        diagnostic.fix = _insertion(
            analysis, rule, sentence, (start, end), position, replace=anchor is not None
        )
    return diagnostic


def _insertion(
    analysis: Analysis, rule: Rule, sentence: str, span: tuple[int, int], position: str, *, replace: bool
) -> Fix:
    """An unsafe fix adding ``sentence``: it replaces a short generic sentence, or
    goes before the first (after the last) sentence of the body. Unsafe because it
    commits the seller to something a person must decide."""
    title = localised(rule.fix.title, analysis.lang) or None
    start, end = analysis.norm.to_original(*span)
    original = analysis.original
    if replace and len(original[start:end].split()) <= 10 and rule.args.get("replace_generic", False):
        return Fix(replacement=sentence, safe=False, start=start, end=end, title=title)
    if position == "last":
        return Fix(replacement=" " + sentence, safe=False, start=end, end=end, title=title)
    return Fix(replacement=sentence + " ", safe=False, start=start, end=start, title=title)


class _Layout:
    """The sentences of a reply, with its greeting and sign-off set apart."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis
        text = analysis.text
        greetings = _words(analysis.catalogue, analysis.lang, "@st_greetings")
        closings = _words(analysis.catalogue, analysis.lang, "@st_closings")
        body: list[tuple[int, int]] = []
        for s, e in analysis.sentences.spans:
            s, e = self._core(s, e, greetings)
            words = text[s:e].split()
            if not words:
                continue
            if len(words) <= _LAYOUT_WORDS:
                lowered = " ".join(words).lower().strip(" ,.!")
                if _starts_with(lowered, greetings) or _starts_with(lowered, closings):
                    continue
                if len(words) <= 2 and body:  # a signature
                    continue
            body.append((s, e))
        self.body = body or [(0, len(text.rstrip()))]

    def _core(self, start: int, end: int, greetings: frozenset[str]) -> tuple[int, int]:
        """The sentence without a leading greeting ("Hi Tom, sorry …" → "sorry …")."""
        text = self.analysis.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        comma = text.find(",", start, min(end, start + 41))
        if comma > start:
            head = text[start:comma].strip().lower()
            if _starts_with(head, greetings) and len(head.split()) <= 4:
                rest = comma + 1
                while rest < end and text[rest].isspace():
                    rest += 1
                if rest < end:
                    start = rest
        return start, end

    def first_body(self) -> tuple[int, int]:
        return self.body[0]

    def last_body(self) -> tuple[int, int]:
        return self.body[-1]

    def anchor(self, spec: Any, *, last: bool) -> tuple[int, int] | None:
        """The body sentence holding a phrase of ``spec`` (the last one if ``last``)."""
        if not spec:
            return None
        spans = phrase_spans(self.analysis, spec, "LEMMA")
        if not spans:
            return None
        doc = self.analysis.doc
        chars = [doc[s].idx for s, _ in spans]
        for start, end in reversed(self.body) if last else self.body:
            if any(start <= c < end for c in chars):
                return start, end
        return None


def _words(catalogue: Catalogue, lang: str, name: str) -> frozenset[str]:
    try:
        return resolve_words(catalogue, lang, name).lowered
    except RuleFileError:  # a language without layout words (no pack) has none
        return frozenset()


def _starts_with(text: str, phrases: frozenset[str]) -> bool:
    """``text`` is one of ``phrases`` or begins with one followed by a space or comma."""
    return text in phrases or any(text[cut] in " ," and text[:cut] in phrases for cut in range(len(text)))
