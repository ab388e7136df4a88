"""Which engine writes the draft, and the checks every rewrite must pass.

A rewrite is accepted when the linter says it is at least as good as the draft:

* **compliant**: no policy diagnostic left;
* **every fact kept**: order ids, tracking numbers, amounts, dates and names of the
  draft are still there (:mod:`.facts`);
* **no worse**: its score is not below the draft's;
* for the LLM engine, also **usable**: not empty, in the draft's language, no
  placeholder the redactor did not issue, not runaway long.

The LLM engine gets two tries (the second told what is still wrong); then the
offline engine writes the draft. If even that scores below the input (it should
not), the input comes back unchanged, with a note saying so.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, Literal

from ..engine import Linter, default_linter
from ..errors import ConfigError, InputError
from ..langdetect import resolve_language
from ..nlp import in_use, sentence_spans
from ..schema import Change, Diagnostic, InputRecord, ResultRecord, RewriteResponse
from .data import PROMPT_VERSION, examples, has_language_data, language_name, policy_data, render
from .facts import Fact, missing_facts
from .facts import draft_facts as facts_of_draft
from .llm import (
    ChatClient,
    IncompleteAnswer,
    LLMSettings,
    LLMUnavailable,
    Sleep,
    clean_answer,
    load_settings,
)
from .offline import OfflineRewriter
from .redaction import Redactor

log = logging.getLogger(__name__)

Engine = Literal["auto", "llm", "offline"]

#: An answer longer than this many times the draft (plus a margin) is runaway text.
_MAX_GROWTH = 4
_GROWTH_MARGIN = 800
#: Below this many characters language detection is guesswork; not checked.
_MIN_DETECT_CHARS = 60
_LLM_TRIES = 2


@dataclass(frozen=True)
class RewriteOptions:
    """How to rewrite: the engine, and the LLM when it is used.

    ``llm`` defaults to the configuration and the environment (see :mod:`.llm`);
    ``client``, ``sleep`` and ``clock`` let tests and embedding applications supply
    their own OpenAI client and time.
    """

    engine: Engine = "auto"
    llm: LLMSettings | None = None
    config_path: str | None = None
    client: Any = None
    sleep: Sleep = time.sleep
    clock: Callable[[], float] = time.monotonic


@dataclass(frozen=True)
class Verdict:
    """What the guardrails found wrong with a candidate rewrite (empty: accepted)."""

    problems: list[str]
    lost: list[Fact]

    @property
    def ok(self) -> bool:
        return not self.problems


def judge(result: ResultRecord, before: ResultRecord, text: str, facts: list[Fact]) -> Verdict:
    """Check a candidate rewrite against the draft."""
    problems = [f"{d.rule}: {d.message}" for d in result.diagnostics if d.family == "policy"]
    lost = missing_facts(facts, text, result.lang)
    problems.extend(f"the fact {f.text!r} ({f.kind.replace('_', ' ')}) is missing" for f in lost)
    if result.score < before.score:
        problems.append(f"it scores {result.score}, below the draft's {before.score}")
    return Verdict(problems, lost)


def draft_facts(record: InputRecord, before: ResultRecord) -> list[Fact]:
    """The facts a rewrite of ``record`` must keep (see :func:`.facts.draft_facts`)."""
    return facts_of_draft(record.text, before.lang, before.diagnostics)


def rewrite(
    record: InputRecord,
    *,
    linter: Linter | None = None,
    options: RewriteOptions | None = None,
) -> RewriteResponse:
    """Rewrite ``record.text``; the answer is always re-linted and never worse.

    Raises :class:`~replylint.errors.ReplylintError` for input that cannot be linted
    and for ``engine="llm"`` without a configured model; model trouble never raises.
    """
    # The offline engine keeps analysed texts (Docs) across its lints: work in
    # progress, so those lints run outside memory zones (see replylint.nlp.in_use).
    with in_use():
        return _rewrite(record, linter or default_linter(), options or RewriteOptions())


def _rewrite(record: InputRecord, linter: Linter, options: RewriteOptions) -> RewriteResponse:
    before = linter.check(record)
    notes: list[str] = []
    if options.engine != "offline":
        settings = options.llm if options.llm is not None else load_settings(options.config_path)
        if settings.configured:
            chat = ChatClient(settings, client=options.client, sleep=options.sleep, clock=options.clock)
            try:
                done = _llm_rewrite(record, before, linter, chat)
            except LLMUnavailable as exc:
                log.warning("LLM unavailable: %s", exc)
                notes.append(f"The model could not be used ({exc}); the offline engine wrote this draft.")
            else:
                if isinstance(done, RewriteResponse):
                    return _never_worse(record, before, done)
                notes.append(
                    "The model's rewrites did not pass the checks twice "
                    f"({'; '.join(done[:3])}); the offline engine wrote this draft."
                )
        elif options.engine == "llm":
            raise ConfigError(
                "no LLM configured: set REPLYLINT_LLM_MODEL (with REPLYLINT_LLM_BASE_URL and "
                "REPLYLINT_LLM_API_KEY as your endpoint needs) or [tool.replylint.llm]"
            )
    offline = OfflineRewriter(linter, record, before).run()
    if not has_language_data(before.lang):
        notes.append(
            f"The offline engine writes in en, fr, de, es and it; in {language_name(before.lang)} "
            "it only removed what the rules forbid."
        )
    response = RewriteResponse(
        text=offline.text, result=offline.result, engine="offline", changes=offline.changes, notes=notes
    )
    return _never_worse(record, before, response)


def _never_worse(record: InputRecord, before: ResultRecord, response: RewriteResponse) -> RewriteResponse:
    # The rewrite is linted in the draft's language; say where that language came from.
    response.result.lang_source = before.lang_source
    if response.result.score >= before.score:
        return response
    log.warning(
        "rewrite scored %d, below the draft's %d: keeping the draft", response.result.score, before.score
    )
    note = (
        f"No rewrite scored better than the draft ({response.result.score} < {before.score}); "
        "the draft is unchanged."
    )
    return RewriteResponse(
        text=record.text, result=before, engine=response.engine, changes=[], notes=[*response.notes, note]
    )


# -- the LLM engine --------------------------------------------------------------------


def _llm_rewrite(
    record: InputRecord, before: ResultRecord, linter: Linter, chat: ChatClient
) -> RewriteResponse | list[str]:
    """The model's rewrite if one passes the guardrails, else what was wrong."""
    lang = before.lang
    facts = draft_facts(record, before)
    redactor = Redactor(lang)
    draft = redactor.redact(record.text)
    buyer = redactor.redact(record.buyer_message) if record.buyer_message else None
    messages = [
        {"role": "system", "content": system_prompt(record.marketplace, lang)},
        {"role": "user", "content": user_prompt(record, before, facts, redactor, draft, buyer)},
    ]
    deadline = chat.clock() + chat.settings.total_timeout
    problems: list[str] = []
    for attempt in range(_LLM_TRIES):
        try:
            answer = chat.complete(messages, deadline=deadline)
        except IncompleteAnswer as cut:
            answer, problems, result, text = cut.content, [cut.reason + "; write a shorter reply"], None, ""
        else:
            text, problems, result = _check_answer(answer, record, before, facts, redactor, linter)
        if not problems and result is not None:
            changes = sentence_changes(record.text, text, before.diagnostics)
            log.info("LLM rewrite accepted on try %d", attempt + 1)
            return RewriteResponse(text=text, result=result, engine="llm", changes=changes)
        log.info("LLM rewrite rejected on try %d: %s", attempt + 1, "; ".join(problems))
        retry = render(
            f"rewrite.{PROMPT_VERSION}.retry.j2",
            problems=[redactor.redact(p) for p in problems],
            language=language_name(lang),
        )
        messages += [{"role": "assistant", "content": answer}, {"role": "user", "content": retry}]
    return problems


def system_prompt(marketplace: str, lang: str) -> str:
    policy = policy_data()
    return render(
        f"rewrite.{PROMPT_VERSION}.system.j2",
        market=policy.marketplaces.get(marketplace) or policy.marketplaces["generic"],
        review_law=policy.review_law,
        language=language_name(lang),
        examples=examples(lang) if has_language_data(lang) else [],
    )


_ELEMENT_NAMES = {
    "acknowledgement": "Acknowledge",
    "ownership": "Own",
    "offer": "Offer",
    "next_step": "Verify",
}


def user_prompt(
    record: InputRecord,
    before: ResultRecord,
    facts: list[Fact],
    redactor: Redactor,
    draft: str,
    buyer: str | None,
) -> str:
    s = before.structure
    missing = [name for field, name in _ELEMENT_NAMES.items() if not getattr(s, field)]
    diagnostics = [
        {"rule": d.rule, "message": redactor.redact(d.message), "match": redactor.redact(d.match.strip())}
        for d in before.diagnostics
        if d.severity in ("error", "warning")
    ]
    return render(
        f"rewrite.{PROMPT_VERSION}.user.j2",
        language=language_name(before.lang),
        marketplace=record.marketplace,
        buyer_message=buyer,
        draft=draft,
        diagnostics=diagnostics,
        # Names travel as placeholders; listing them here would send them in clear.
        facts=[{"kind": f.kind, "text": f.text} for f in facts if f.kind != "name"],
        structure={"applies": s.applies, "missing": missing},
        problems=_problem_labels(before),
    )


def _problem_labels(before: ResultRecord) -> list[str]:
    if before.triage is None:
        return []
    return [r.split(":")[0] for r in before.triage.reasons][:3]


def _check_answer(
    answer: str,
    record: InputRecord,
    before: ResultRecord,
    facts: list[Fact],
    redactor: Redactor,
    linter: Linter,
) -> tuple[str, list[str], ResultRecord | None]:
    lang = before.lang
    cleaned = clean_answer(answer, lang)
    if not cleaned:
        return "", ["the answer is empty"], None
    invented = redactor.unknown(cleaned)
    if invented:
        return "", [f"it contains placeholders that do not exist: {', '.join(invented[:3])}"], None
    text = redactor.restore(cleaned)
    if len(text) > _MAX_GROWTH * len(record.text) + _GROWTH_MARGIN:
        return "", ["it is far longer than the draft; rewrite the draft, do not add to it"], None
    if len(text) >= _MIN_DETECT_CHARS:
        detected, source = resolve_language(text, None, default=lang)
        if source == "detected" and detected != lang:
            return "", [f"it is not written in {language_name(lang)}"], None
    try:
        result = linter.check(record.model_copy(update={"text": text, "lang": lang}))
    except InputError as exc:
        return "", [exc.message], None
    verdict = judge(result, before, text, facts)
    return text, verdict.problems, result


def sentence_changes(old: str, new: str, diagnostics: list[Diagnostic]) -> list[Change]:
    """What the model changed, sentence by sentence, with the rule that prompted it."""
    a_spans = sentence_spans(old)
    a = [old[s:e].strip() for s, e in a_spans]
    b = [new[s:e].strip() for s, e in sentence_spans(new)]
    out: list[Change] = []
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        rule = None
        if i2 > i1:
            start, end = a_spans[i1][0], a_spans[i2 - 1][1]
            inside = [d for d in diagnostics if start <= d.start < end]
            if inside:  # name the most serious problem the change answers
                inside.sort(key=lambda d: (d.severity != "error", d.family != "policy", d.start))
                rule = inside[0].rule
        before_text = " ".join(a[i1:i2]) or None
        after_text = " ".join(b[j1:j2]) or None
        description = {"replace": "Reworded.", "delete": "Removed.", "insert": "Added."}[tag]
        out.append(
            Change(kind="llm", rule=rule, description=description, before=before_text, after=after_text)
        )
    return out
