"""The offline rewriter: deterministic, no network, every step checked by the linter.

It works like a careful editor with the linter at its elbow:

1. **Forbidden content out.** Each policy diagnostic's sentence is removed (or only
   the offending words, when the sentence carries facts); a removed way of contact
   is replaced by "reply to this message", a review request that broke the rules
   by one neutral request when the reply is not about a problem.
2. **Tone.** Blame, deflection, demands and over-promises are reworded: the rule's
   own suggestion first, then the rephrasings of ``prompts/offline/<lang>.yaml``,
   then the clause or the sentence goes. Slots are filled from the buyer's message
   (an order id) or removed with the words that lead to them.
3. **Structure.** When the buyer raised a problem, the missing Acknowledge, Own,
   Offer and Verify sentences are added from per-language templates, filled with the
   product and the kind of problem the buyer named, or the structure rules' own
   example sentences.
4. **Facts.** Anything the edits lost (an order id, an amount, a date) is put back.

Each candidate edit is linted; the one that lowers the draft's cost most is kept,
and an edit that makes nothing better is never made. The same draft always gives
the same rewrite.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from ..engine import Linter
from ..nlp import make_doc, pipeline
from ..schema import Change, Diagnostic, InputRecord, ResultRecord
from .data import ItemForm, OfflineData, Rephrase, has_language_data, locale, offline_data
from .facts import Fact, draft_facts, extract_facts, missing_facts
from .layout import parse_layout
from .text import delete_sentence, insert_sentence, splice

log = logging.getLogger(__name__)

#: Cost of what is left in a draft; the rewriter only makes edits that lower it.
_COST_POLICY_ERROR = 1000
_COST_POLICY_WARNING = 300
_COST_LOST_FACT = 200
_COST_TONE = 100
_COST_STRUCTURE = 30
_COST_OTHER = 3
_UNUSABLE = 10**9

#: A refusal this short (in words) carries nothing but the refusal.
_SHORT_SENTENCE = 10
#: Upper bound on edits, so that a pathological draft still ends quickly.
_MAX_EDITS = 40

_STRUCTURE_RULES = {
    "acknowledgement": "missing-acknowledgement",
    "ownership": "missing-ownership",
    "offer": "missing-offer",
    "next_step": "missing-next-step",
}
_CONTACT_RULES = frozenset({"contact-info", "off-platform"})


@dataclass
class Candidate:
    text: str
    change: Change


@dataclass
class OfflineRewrite:
    text: str
    result: ResultRecord
    changes: list[Change] = field(default_factory=list)


class OfflineRewriter:
    """Rewrites one record; create one per rewrite."""

    def __init__(self, linter: Linter, record: InputRecord, before: ResultRecord) -> None:
        self.linter = linter
        self.lang = before.lang
        self.record = record.model_copy(update={"lang": before.lang})
        self.before = before
        self.data: OfflineData = offline_data(self.lang)
        # Without sentences in this language the engine only removes; it never writes
        # English into a Dutch reply.
        self.writes = has_language_data(self.lang)
        self.facts: list[Fact] = draft_facts(record.text, self.lang, before.diagnostics)
        # The draft was linted by the caller (same record, same language): reuse it.
        self._lint_cache: dict[str, ResultRecord | None] = {record.text: before}
        self._kinds: tuple[str, ...] | None = None
        self._item: tuple[str, str | None] | None = None

    # -- measuring --------------------------------------------------------------------

    def lint(self, text: str) -> ResultRecord | None:
        """Result of ``text`` (None when it cannot be linted, e.g. left empty)."""
        if text in self._lint_cache:
            return self._lint_cache[text]
        result: ResultRecord | None
        if not text.strip():
            result = None
        else:
            result = self.linter.check(self.record.model_copy(update={"text": text}))
        self._lint_cache[text] = result
        return result

    @staticmethod
    def weight(d: Diagnostic) -> int:
        """What one diagnostic adds to the cost."""
        if d.family == "policy":
            return _COST_POLICY_ERROR if d.severity == "error" else _COST_POLICY_WARNING
        if d.family == "tone":
            return _COST_TONE
        if d.family == "structure":
            return _COST_STRUCTURE
        return _COST_OTHER if d.severity in ("error", "warning") else 0

    def cost(self, text: str) -> int:
        result = self.lint(text)
        if result is None:
            return _UNUSABLE
        total = sum(self.weight(d) for d in result.diagnostics)
        return total + _COST_LOST_FACT * len(missing_facts(self.facts, text, self.lang))

    def _best(
        self, text: str, candidates: list[Candidate], target: Diagnostic | None = None
    ) -> Candidate | None:
        """The candidate that lowers the cost most (the first one on a tie), if any does.

        Candidates come in order of preference (reword before delete), so the first
        one that clears ``target`` without adding anything is taken at once."""
        current = self.cost(text)
        good_enough = current - self.weight(target) if target is not None else None
        best: Candidate | None = None
        best_cost = current
        for cand in candidates:
            if cand.text == text:
                continue
            c = self.cost(cand.text)
            if c < best_cost:
                best, best_cost = cand, c
                if good_enough is not None and c <= good_enough:
                    break
        return best

    # -- the run ----------------------------------------------------------------------

    def run(self) -> OfflineRewrite:
        text = self.record.text
        changes: list[Change] = []
        attempted: set[tuple[str, str, str]] = set()
        for _ in range(_MAX_EDITS):
            step = self._next_edit(text, attempted)
            if step is None:
                break
            text = step.text
            changes.append(step.change)
        text, restored = self._restore_facts(text)
        changes.extend(restored)
        result = self.lint(text)
        assert result is not None  # every accepted edit left a lintable draft
        return OfflineRewrite(text, result, changes)

    def _next_edit(self, text: str, attempted: set[tuple[str, str, str]]) -> Candidate | None:
        """The next improvement: policy first, then tone, then structure."""
        result = self.lint(text)
        if result is None:
            return None
        for family in ("policy", "tone"):
            for d in result.diagnostics:
                if d.family != family:
                    continue
                key = (d.rule, d.match, text)
                if key in attempted:
                    continue
                attempted.add(key)
                cands = list(
                    self._policy_candidates(text, d) if family == "policy" else self._tone_candidates(text, d)
                )
                best = self._best(text, cands, d)
                if best is not None:
                    return best
        if result.structure.applies and self.writes:
            key = ("structure", "", text)
            if key not in attempted:
                attempted.add(key)
                best = self._structure_edit(text, result)
                if best is not None:
                    return best
        # Refusals may only be dropped once an offer stands beside them: a last pass.
        for d in result.diagnostics:
            if d.family == "tone":
                key = (d.rule, d.match, "drop:" + text)
                if key in attempted:
                    continue
                attempted.add(key)
                best = self._best(text, list(self._deletions(text, d, "remove")), d)
                if best is not None:
                    return best
        return None

    # -- policy -----------------------------------------------------------------------

    def _sentence_of(self, text: str, d: Diagnostic) -> tuple[int, int] | None:
        """The body sentence holding the diagnostic (None when it sits in the greeting
        or the signature)."""
        layout = parse_layout(text, self.lang)
        for a, b in layout.body_sentences():
            if a <= d.start < b or (d.start < a < d.end):
                return a, b
        return None

    def _policy_candidates(self, text: str, d: Diagnostic) -> Iterator[Candidate]:
        span = self._sentence_of(text, d)
        why = f"Removed content the {self.record.marketplace} policy forbids ({d.rule})."
        if span is not None:
            a, b = span
            sentence = text[a:b]
            layout = parse_layout(text, self.lang)
            floor = layout.body[0]
            removed = delete_sentence(text, a, b, floor=floor)
            replacement = self._policy_replacement(d, text)
            if replacement:
                yield Candidate(
                    splice(text, a, b, replacement, floor=floor),
                    Change(kind="remove", rule=d.rule, description=why, before=sentence, after=replacement),
                )
            yield Candidate(
                removed, Change(kind="remove", rule=d.rule, description=why, before=sentence, after="")
            )
        start, end = d.start, d.end
        if d.fix is not None and not d.fix.replacement:
            start = d.fix.start if d.fix.start is not None else d.start
            end = d.fix.end if d.fix.end is not None else d.end
        if d.rule == "external-link":
            start = self._leadin_start(text, start, self.data.link_leadins)
        if end > start:
            yield Candidate(
                splice(text, start, end, ""),
                Change(kind="remove", rule=d.rule, description=why, before=text[start:end], after=""),
            )

    def _policy_replacement(self, d: Diagnostic, text: str) -> str | None:
        if not self.writes:
            return None
        templates = self.data.templates
        if d.rule in _CONTACT_RULES and templates.stay_on_platform:
            sentence = templates.stay_on_platform[0]
            return None if sentence in text else sentence
        if d.rule == "feedback-request" and templates.neutral_review:
            result = self.lint(text)
            if result is not None and not result.structure.applies:
                sentence = templates.neutral_review[0]
                return None if sentence in text else sentence
        return None

    # -- tone -------------------------------------------------------------------------

    def _tone_candidates(self, text: str, d: Diagnostic) -> Iterator[Candidate]:
        span = self._sentence_of(text, d)
        if d.fix is not None and d.fix.replacement:
            start = d.fix.start if d.fix.start is not None else d.start
            end = d.fix.end if d.fix.end is not None else d.end
            yield Candidate(
                splice(text, start, end, d.fix.replacement),
                Change(
                    kind="rephrase",
                    rule=d.rule,
                    description=f"Reworded ({d.rule}).",
                    before=text[start:end],
                    after=d.fix.replacement,
                ),
            )
        if span is not None and self.writes:
            yield from self._rephrasings(text, d, span)
            if d.rule == "negative-language":
                a, b = span
                result = self.lint(text)
                if (
                    result is not None
                    and result.structure.applies
                    and len(text[a:b].split()) <= _SHORT_SENTENCE
                ):
                    # A short flat refusal in a reply that will offer a remedy would
                    # contradict it: it goes rather than getting an alternative.
                    yield Candidate(
                        delete_sentence(text, a, b, floor=parse_layout(text, self.lang).body[0]),
                        Change(
                            kind="remove",
                            rule=d.rule,
                            description="Removed a flat refusal; the reply offers a remedy instead.",
                            before=text[a:b],
                            after="",
                        ),
                    )
                yield from self._alternatives(text, d, span)
        if d.rule == "unfilled-placeholder":
            yield from self._slot_candidates(text, d)
        yield from self._deletions(text, d, "rephrase")

    def _rephrasings(self, text: str, d: Diagnostic, span: tuple[int, int]) -> Iterator[Candidate]:
        a, b = span
        sentence = text[a:b]
        for entry in self.data.rephrase:
            if entry.rule != d.rule:
                continue
            m = entry.pattern.search(sentence)
            if m is None:
                continue
            new = self._fill_rephrase(entry, m)
            if entry.scope == "sentence":
                start, end = a, b
            else:
                start, end = a + m.start(), a + m.end()
                if m.group(0)[:1].isupper():
                    new = new[:1].upper() + new[1:]
            yield Candidate(
                splice(text, start, end, new),
                Change(
                    kind="rephrase",
                    rule=d.rule,
                    description=f"Reworded ({d.rule}).",
                    before=text[start:end],
                    after=new,
                ),
            )

    def _alternatives(self, text: str, d: Diagnostic, span: tuple[int, int]) -> Iterator[Candidate]:
        """A refusal stays, with what the seller can do instead said right after it."""
        end = span[1]
        for sentence in self.data.templates.alternative:
            if sentence in text:
                continue
            yield Candidate(
                text[:end] + " " + sentence + text[end:],
                Change(
                    kind="add",
                    rule=d.rule,
                    description="Offered an alternative next to a refusal.",
                    before=None,
                    after=sentence,
                ),
            )

    @staticmethod
    def _fill_rephrase(entry: Rephrase, m: re.Match[str]) -> str:
        values = {k: v for k, v in m.groupdict().items() if v}
        if "party" in values:
            key = " ".join(values["party"].lower().split())
            values["party"] = entry.parties.get(key, values["party"])
        try:
            return entry.replace.format(**values)
        except (KeyError, IndexError):
            return entry.replace

    def _deletions(
        self, text: str, d: Diagnostic, kind: Literal["rephrase", "remove"]
    ) -> Iterator[Candidate]:
        """The clause around the match, then its sentence."""
        span = self._sentence_of(text, d)
        why = f"Removed wording the {d.rule} rule flags."
        if span is None:
            return
        a, b = span
        floor = parse_layout(text, self.lang).body[0]
        sentence = text[a:b]
        rel_start, rel_end = d.start - a, d.end - a
        # A leading clause ("As clearly stated in the listing, …").
        comma = sentence.find(",", max(rel_end, 0))
        lead_words = len(sentence[: max(rel_start, 0)].split())
        if comma >= 0 and lead_words <= 3 and len(sentence[comma + 1 :].split()) >= 3:
            yield Candidate(
                splice(text, a, a + comma + 1, "", floor=floor),
                Change(kind=kind, rule=d.rule, description=why, before=sentence[: comma + 1], after=""),
            )
        # A trailing clause ("…, but that's not our responsibility.").
        comma = sentence.rfind(",", 0, max(rel_start, 0))
        if comma > 0 and len(sentence[:comma].split()) >= 3:
            # Keep the sentence's own ending, with the space French puts before "!".
            ending = re.search(r"[ \u00a0\u202f]?[.!?…]+$", sentence.rstrip())
            yield Candidate(
                splice(text, a + comma, b, ending.group(0) if ending else "."),
                Change(kind=kind, rule=d.rule, description=why, before=sentence[comma:], after=""),
            )
        yield Candidate(
            delete_sentence(text, a, b, floor=floor),
            Change(kind="remove", rule=d.rule, description=why, before=sentence, after=""),
        )

    def _slot_candidates(self, text: str, d: Diagnostic) -> Iterator[Candidate]:
        slot = d.match
        layout = parse_layout(text, self.lang)
        if d.end <= layout.greeting_end and self.writes:
            # "Dear [Name]," / "Gentile [Nome cliente],": a greeting without its name.
            head = text[: layout.greeting_end]
            ending = head.rstrip()[-1:] if head.rstrip()[-1:] in ",!:" else ""
            greeting = self.data.neutral_greeting + ending
            yield Candidate(
                greeting + text[layout.greeting_end :],
                Change(
                    kind="remove",
                    rule=d.rule,
                    description="Replaced a greeting whose name was an unfilled placeholder.",
                    before=head,
                    after=greeting,
                ),
            )
        value = self._slot_value(slot)
        if value:
            yield Candidate(
                splice(text, d.start, d.end, value),
                Change(
                    kind="fix",
                    rule=d.rule,
                    description="Filled a placeholder from the buyer's message.",
                    before=slot,
                    after=value,
                ),
            )
        # Remove the slot with the words that lead to it ("for order [ORDER ID]").
        start = self._leadin_start(text, d.start, self.data.placeholder_leadins)
        while start > 0 and text[start - 1] in " \t":
            start -= 1
        yield Candidate(
            splice(text, start, d.end, ""),
            Change(
                kind="remove",
                rule=d.rule,
                description="Removed an unfilled placeholder.",
                before=text[start : d.end],
                after="",
            ),
        )

    @staticmethod
    def _leadin_start(text: str, start: int, leadins: list[str]) -> int:
        """Where the words leading to ``text[start:]`` begin ("tracked *at* <link>")."""
        head = text[:start]
        for lead in sorted(leadins, key=len, reverse=True):
            m = re.search(rf"(?:^|(?<=\s))(?:{re.escape(lead)})\s*[:#]?\s*$", head, re.IGNORECASE)
            if m:
                return m.start()
        return start

    def _slot_value(self, slot: str) -> str | None:
        """An order id or tracking number the buyer gave, for a slot that asks for one."""
        buyer = self.record.buyer_message or ""
        if not buyer:
            return None
        facts = extract_facts(buyer, self.lang)
        lowered = slot.lower()
        loc = locale(self.lang)
        wants_order = re.fullmatch(r"X{3}-X{7}-X{7}", slot) is not None or any(
            w in lowered for w in ("order", *loc.order_words)
        )
        wants_tracking = any(w in lowered for w in ("tracking", *loc.tracking_words))
        for fact in facts:
            if (fact.kind == "order_id" and wants_order) or (fact.kind == "tracking" and wants_tracking):
                return fact.text
        return None

    # -- structure --------------------------------------------------------------------

    def kinds(self) -> tuple[str, ...]:
        """The kinds of problem the buyer raised (late, damaged …), most urgent first."""
        if self._kinds is None:
            try:
                from ..structure import problem_of

                self._kinds = tuple(problem_of(self.linter.analyse(self.record)).kinds)
            except (ImportError, AttributeError) as exc:  # the structure module changed shape
                log.warning("problem kinds unavailable: %s", exc)
                self._kinds = ()
        return self._kinds

    def item(self) -> tuple[str, str | None]:
        """How the reply names the product ("your mug") and its grammatical gender."""
        if self._item is None:
            self._item = find_item(self.record, self.lang, self.data)
        return self._item

    def fill(self, template: str) -> str:
        text, gender = self.item()
        values = {"item": text, "party": "", "facts": ""}
        genders = self.data.item.genders
        if genders:
            values.update(genders.get(gender or "", next(iter(genders.values()))))
        sentence = template.format(**values)
        return sentence[:1].upper() + sentence[1:]

    def _for_kinds(self, table: dict[str, list[str]]) -> list[str]:
        out: list[str] = []
        for kind in (*self.kinds(), "default"):
            for sentence in table.get(kind, []):
                if sentence not in out:
                    out.append(sentence)
        return out

    def _rule_suggestion(self, element: str) -> list[str]:
        """The structure rule's own example sentence for this problem, if it has one."""
        rule = self.linter.catalogue.rules.get(_STRUCTURE_RULES[element])
        if rule is None:
            return []
        try:
            from ..structure import suggestion

            sentence = suggestion(rule, self.lang, self.kinds())
        except (ImportError, AttributeError):
            return []
        return [sentence] if sentence else []

    def _structure_edit(self, text: str, result: ResultRecord) -> Candidate | None:
        s = result.structure
        t = self.data.templates
        plans: list[tuple[str, list[str], str, str]] = []
        if not s.acknowledgement:
            plans.append(
                (
                    "acknowledgement",
                    [self.fill(x) for x in self._for_kinds(t.acknowledgement)]
                    + self._rule_suggestion("acknowledgement"),
                    "start",
                    "Added an acknowledgement of the buyer's problem.",
                )
            )
        if not s.ownership and not s.offer:
            plans.append(
                (
                    "ownership+offer",
                    [self.fill(x) for x in self._for_kinds(t.ownership_offer)],
                    "before_question",
                    "Added a first-person commitment with a concrete remedy.",
                )
            )
        if not s.ownership:
            plans.append(
                (
                    "ownership",
                    [self.fill(x) for x in t.ownership] + self._rule_suggestion("ownership"),
                    "before_question",
                    "Added a first-person commitment.",
                )
            )
        if not s.offer:
            plans.append(
                (
                    "offer",
                    [self.fill(x) for x in self._for_kinds(t.offer)] + self._rule_suggestion("offer"),
                    "before_question",
                    "Added a concrete remedy.",
                )
            )
        if not s.next_step:
            # Options the rewrite itself offered ("a replacement or a refund") call for a
            # choice; an offer the agent wrote, for a confirmation.
            choice_words = tuple(w.lower() for w in locale(self.lang).choice_words)
            offered = [
                sentence
                for sentence in (
                    self.fill(x) for x in [*self._for_kinds(t.offer), *self._for_kinds(t.ownership_offer)]
                )
                if sentence in text
            ]
            added_offer = any(any(w in f" {o.lower()} " for w in choice_words) for o in offered)
            questions = (t.next_step_choice if added_offer else []) + t.next_step_confirm + t.next_step_choice
            plans.append(
                (
                    "next_step",
                    [self.fill(x) for x in dict.fromkeys(questions)] + self._rule_suggestion("next_step"),
                    "end",
                    "Added a question asking the buyer to choose or confirm.",
                )
            )
        for _, sentences, where, description in plans:
            cands = [
                Candidate(
                    insert_sentence(text, sentence, self.lang, where),
                    Change(kind="add", rule=None, description=description, before=None, after=sentence),
                )
                for sentence in dict.fromkeys(sentences)
                if sentence and sentence not in text
            ]
            best = self._first_better(text, cands)
            if best is not None:
                return best
        return None

    def _first_better(self, text: str, candidates: list[Candidate]) -> Candidate | None:
        """The first candidate that lowers the cost: templates are in order of
        preference, so an earlier sentence that works beats a later one."""
        current = self.cost(text)
        for cand in candidates:
            if self.cost(cand.text) < current:
                return cand
        return None

    # -- facts ------------------------------------------------------------------------

    def _restore_facts(self, text: str) -> tuple[str, list[Change]]:
        lost = missing_facts(self.facts, text, self.lang)
        lost = [f for f in lost if f.kind != "name"]
        if not lost or not self.writes:
            return text, []
        listed = ", ".join(dict.fromkeys(f.text.rstrip(".") for f in lost))
        sentence = self.data.templates.restore.format(item="", party="", facts=listed)
        new = insert_sentence(text, sentence, self.lang, "before_question")
        if self.cost(new) >= self.cost(text) + _COST_OTHER * 2:
            return text, []
        return new, [
            Change(
                kind="restore",
                rule=None,
                description="Put back facts that the edits removed.",
                before=None,
                after=sentence,
            )
        ]


def find_item(record: InputRecord, lang: str, data: OfflineData) -> tuple[str, str | None]:
    """The product the buyer named, as the reply should name it ("your mug").

    Read from the buyer's message (the draft when there is none): a noun after a
    determiner ("my mug", "la lampe", "die Lampe"), preferring one the draft also
    mentions. Falls back to the language's neutral phrase ("your order").
    """
    spec = data.item
    fallback = (spec.fallback.text, spec.fallback.gender)
    source = record.buyer_message or record.text
    if not source.strip():
        return fallback
    doc = make_doc(source, lang)
    stop = pipeline(lang).Defaults.stop_words
    skip = {w.lower() for w in spec.skip}
    draft_words = {t.lower_ for t in make_doc(record.text, lang)} | {
        t.lemma_ for t in make_doc(record.text, lang)
    }
    found: list[tuple[str, ItemForm, bool]] = []
    n = len(doc)
    for i in range(n - 1):
        det = doc[i].lower_
        form = spec.determiners.get(det)
        if det in spec.after_preposition and i > 0 and doc[i - 1].lower_ in spec.prepositions:
            form = spec.after_preposition[det]
        if form is None:
            continue
        j = i + 1
        # German adjectives stand between the article and the (capitalised) noun.
        if spec.capitalised and j < n and doc[j].is_alpha and doc[j].text[:1].islower():
            j += 1
        if j >= n:
            continue
        tok = doc[j]
        if not _nounish(tok.text, tok.lower_, stop, skip, spec.capitalised):
            continue
        words = [tok.text if spec.capitalised else tok.lower_]
        # English compounds: "blue mug", "phone case" (the second word uninflected).
        if lang == "en" and j + 1 < n:
            nxt = doc[j + 1]
            if (
                _nounish(nxt.text, nxt.lower_, stop, skip, False)
                and nxt.lemma_ == nxt.lower_
                and not re.search(r"(?:ed|ing|ly)$", nxt.lower_)
            ):
                words.append(nxt.lower_)
        mentioned = any(w.lower() in draft_words for w in words)
        found.append((" ".join(words), form, mentioned))
        if len(found) >= 6:
            break
    if not found:
        return fallback
    noun, form, _ = next((f for f in found if f[2]), found[0])
    if spec.genders and form.gender not in spec.genders:
        return fallback  # agreement needs a gender the buyer's words did not show
    return f"{form.possessive} {noun}", form.gender


def _nounish(word: str, lower: str, stop: set[str], skip: set[str], capitalised: bool) -> bool:
    if not word.isalpha() or len(word) < 3 or lower in stop or lower in skip:
        return False
    return not capitalised or word[:1].isupper()
