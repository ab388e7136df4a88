"""The lint pipeline: record → normalise → language → one Doc → rules → result.

>>> from replylint import Linter
>>> result = Linter().check_text("Write to me at shop@example.com", lang="en")
>>> [d.rule for d in result.diagnostics]
['contact-info', 'off-platform']

A :class:`Linter` loads the catalogue once and caches one compiled
:class:`~replylint.matching.LanguagePack` per language; it is safe to share between
threads. Output is deterministic: diagnostics are sorted by (start, end, rule).
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from spacy.tokens import Doc

from . import spelling
from .catalogue import Catalogue, Profile, Rule, load_catalogue, localised
from .errors import InputError, TooLargeError
from .langdetect import LangSource, resolve_language
from .languages import SUPPORTED_LANGS
from .matching import Hit, LanguagePack, SentenceIndex, current_pack, get_rule_check, merge_overlapping
from .nlp import in_use, make_doc
from .normalise import NormalisedText, normalise
from .schema import Diagnostic, Fix, InputRecord, ResultRecord, Severity, Triage

#: Default cap on one reply, in characters (a 1 MB reply is linted; 5 MB is refused).
DEFAULT_MAX_CHARS = 2_000_000


@dataclass(frozen=True)
class LintOptions:
    """What to run and how: the part of configuration that reaches the engine."""

    select: frozenset[str] | None = None  # rule ids, aliases or families; None = all
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)  # per rule or family
    max_chars: int = DEFAULT_MAX_CHARS


class Analysis:
    """One text, analysed once; every rule and check reads it."""

    def __init__(
        self,
        original: str,
        lang: str,
        profile: Profile,
        catalogue: Catalogue,
        *,
        buyer_message: str | None = None,
        lang_source: LangSource = "given",
        buyer_lang: str | None = None,
        reading: str | None = None,
        repair_spelling: bool = False,
    ) -> None:
        self.original = original
        # `reading` (same length as `original`) is what the rules read when a front end
        # hides non-prose spans, such as template placeholders; offsets are unchanged.
        self.norm: NormalisedText = normalise(original if reading is None else reading)
        if repair_spelling and lang in SUPPORTED_LANGS:
            self.norm = spelling.repair(self.norm, lang, catalogue)
        self.text = self.norm.text
        self.lang = lang
        self.lang_source = lang_source
        self.profile = profile
        self.catalogue = catalogue
        self.buyer_message = buyer_message
        self._buyer_lang = buyer_lang or lang
        self.doc: Doc = make_doc(self.text, lang)
        self.memo: dict[str, Any] = {}  # for checks that share work (e.g. URLs found once)

    @cached_property
    def sentences(self) -> SentenceIndex:
        return SentenceIndex(self.text)

    def sentence_of(self, char: int) -> int:
        return self.sentences.of(char)

    @cached_property
    def buyer(self) -> Analysis | None:
        """The buyer's message, analysed in its own language (None when absent)."""
        if not self.buyer_message or not self.buyer_message.strip():
            return None
        lang, source = resolve_language(
            self.buyer_message, None, default=self._buyer_lang, prior=self._buyer_lang
        )
        return Analysis(
            self.buyer_message, lang, self.profile, self.catalogue, lang_source=source, repair_spelling=True
        )

    @cached_property
    def line_starts(self) -> list[int]:
        starts = [0]
        text = self.original
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        return starts

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset) - 1
        return line + 1, offset - self.line_starts[line] + 1


#: C0 control characters other than the whitespace ones (\t \n \v \f \r).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f]")


class _SafeFormat(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check_input_text(text: Any, max_chars: int = DEFAULT_MAX_CHARS, field_name: str = "text") -> str:
    """Reject what cannot be linted, with a message a person understands."""
    if not isinstance(text, str):
        raise InputError(f"{field_name} must be a string, not {type(text).__name__}")
    if not text.strip():
        raise InputError(f"{field_name} is empty" if not text else f"{field_name} is only whitespace")
    if len(text) > max_chars:
        raise TooLargeError(
            f"{field_name} has {len(text):,} characters; the limit is {max_chars:,} "
            "(set max_chars in the configuration to raise it)"
        )
    if "\x00" in text:
        raise InputError(f"{field_name} looks like binary data (it contains NUL bytes)")
    sample = text[:4096]
    controls = len(_CONTROL_CHARS.findall(sample))
    if controls > max(8, len(sample) // 20):
        raise InputError(f"{field_name} looks like binary data ({controls} control characters)")
    return text


class Linter:
    """Lints replies against a catalogue of rules and marketplace profiles."""

    def __init__(self, catalogue: Catalogue | None = None, options: LintOptions | None = None) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.options = options or LintOptions()
        self._packs: dict[str, LanguagePack] = {}
        self._lock = threading.Lock()
        self._validate_names(self.options.select or frozenset())
        self._validate_names(self.options.ignore)
        self._validate_names(frozenset(self.options.severity))

    # -- configuration ------------------------------------------------------------

    def _validate_names(self, names: Iterable[str]) -> None:
        from .errors import ConfigError

        known = set(self.catalogue.rules) | set(self.catalogue.aliases) | set(self.catalogue.families)
        unknown = sorted(set(names) - known - {"ALL"})
        if unknown:
            raise ConfigError(f"unknown rule or family: {', '.join(unknown)} (see `replylint rules`)")

    def _resolve_names(self, names: Iterable[str]) -> frozenset[str]:
        return frozenset(self.catalogue.resolve(n) for n in names)

    @staticmethod
    def _selected(rule: Rule, select: frozenset[str] | None, ignore: frozenset[str]) -> bool:
        names = {rule.id, rule.family}
        if select is not None and "ALL" not in select and not names & select:
            return False
        return not names & ignore

    def enabled_rules(
        self,
        profile: Profile,
        lang: str,
        select: frozenset[str] | None = None,
        ignore: frozenset[str] = frozenset(),
    ) -> list[tuple[Rule, Severity]]:
        select = select if select is not None else self.options.select
        if select is not None:
            select = self._resolve_names(select)
        ignore = self._resolve_names(ignore | self.options.ignore)
        out = []
        for rule in self.catalogue.rules.values():
            severity = self.catalogue.effective_severity(rule, profile)
            if severity is None or not self._selected(rule, select, ignore):
                continue
            override = self.options.severity.get(rule.id) or self.options.severity.get(rule.family)
            out.append((rule, override or severity))
        return out

    def pack(self, lang: str) -> LanguagePack:
        def build() -> LanguagePack:
            # Structure rules find elements of a reply, not problems; structure.py
            # runs them in a pack of their own, only when the structure applies.
            rules = [r for r in self.catalogue.rules.values() if r.family != "structure"]
            return LanguagePack(self.catalogue, lang, rules)

        return current_pack(self._packs, lang, self._lock, build)

    def warm(self, langs: Iterable[str] = ("en", "fr", "de", "es", "it")) -> None:
        """Load pipelines and compile patterns now rather than on the first reply."""
        for lang in langs:
            self.check_text("Hello, thank you for your message.", lang=lang)

    # -- linting --------------------------------------------------------------------

    def check_text(self, text: str, **fields: Any) -> ResultRecord:
        select = fields.pop("select", None)
        ignore = fields.pop("ignore", None)
        return self.check(InputRecord(text=text, **fields), select=select, ignore=ignore)

    def analyse(self, record: InputRecord, reading: str | None = None) -> Analysis:
        text = check_input_text(record.text, self.options.max_chars)
        if reading is not None and len(reading) != len(text):
            raise ValueError("reading must have the same length as the text")
        if record.buyer_message is not None and record.buyer_message.strip():
            check_input_text(record.buyer_message, self.options.max_chars, "buyer_message")
        profile = self.catalogue.profile(record.marketplace)
        lang, source = resolve_language(
            text if reading is None else reading,
            record.lang,
            buyer_message=record.buyer_message,
            default=profile.default_lang,
        )
        return Analysis(
            text,
            lang,
            profile,
            self.catalogue,
            buyer_message=record.buyer_message,
            lang_source=source,
            reading=reading,
        )

    def check(
        self,
        record: InputRecord | Mapping[str, Any],
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] | None = None,
        reading: str | None = None,
        keep: Callable[[Diagnostic], bool] | None = None,
    ) -> ResultRecord:
        """Lint one record. Raises :class:`~replylint.errors.ReplylintError` on bad input.

        ``reading``, when given, is the text as the rules should read it: the same
        length as ``record.text`` with non-prose spans (template placeholders, markup)
        replaced; diagnostics still point into, and quote, ``record.text``. ``keep``
        drops the diagnostics it returns False for (inline suppressions) before
        compliance and score are decided.
        """
        if not isinstance(record, InputRecord):
            record = InputRecord.model_validate(record)
        # No pipeline is recycled while this record's Doc is in use; the record keeps no
        # Doc, so its strings are freed at the end (a memory zone, see nlp.in_use).
        with in_use(zone=True):
            return self._check(record, select, ignore, reading, keep)

    def _check(
        self,
        record: InputRecord,
        select: Iterable[str] | None,
        ignore: Iterable[str] | None,
        reading: str | None,
        keep: Callable[[Diagnostic], bool] | None,
    ) -> ResultRecord:
        analysis = self.analyse(record, reading)
        rules = self.enabled_rules(
            analysis.profile,
            analysis.lang,
            frozenset(select) if select is not None else None,
            frozenset(ignore or ()),
        )
        diagnostics = self._diagnostics(analysis, rules)

        from .score import score_result
        from .structure import assess_structure
        from .triage import triage_message

        structure, structure_diags = assess_structure(analysis, self, rules)
        diagnostics.extend(structure_diags)
        if keep is not None:
            diagnostics = [d for d in diagnostics if keep(d)]
        diagnostics.sort(key=lambda d: (d.start, d.end, d.rule))
        triage: Triage | None = triage_message(analysis) if analysis.buyer is not None else None
        compliant = not any(d.severity == "error" and d.family == "policy" for d in diagnostics)
        result = ResultRecord(
            id=record.id,
            lang=analysis.lang,
            lang_source=analysis.lang_source,
            marketplace=record.marketplace,
            compliant=compliant,
            score=100,
            diagnostics=diagnostics,
            structure=structure,
            triage=triage,
            **record.extras(),
        )
        result.score = score_result(result, analysis)
        return result

    def _diagnostics(self, analysis: Analysis, rules: list[tuple[Rule, Severity]]) -> list[Diagnostic]:
        pack = self.pack(analysis.lang)
        found = pack.run(analysis)
        analysis.memo["rule-hits"] = found  # structure.py reads its rules' hits from the same pass
        out: list[Diagnostic] = []
        for rule, severity in rules:
            if rule.family == "structure":
                continue  # decided together in structure.py
            hits = pack.hits_for(rule.id, analysis, found)
            if rule.check:
                hits.extend(get_rule_check(rule.check)(analysis, rule, rule.args))
            for hit, graded in self._merge_graded(analysis, rule, severity, hits):
                out.append(self.diagnostic(analysis, rule, graded, hit))
        return out

    def _merge_graded(
        self, analysis: Analysis, rule: Rule, severity: Severity, hits: list[Hit]
    ) -> list[tuple[Hit, Severity]]:
        """One hit per overlapping group, so that a milder tagged hit never hides a
        more severe one it overlaps: the most severe hits are merged first."""
        graded: dict[Severity, list[Hit]] = {}
        for hit in hits:
            graded.setdefault(self._hit_severity(analysis, rule, severity, hit), []).append(hit)
        if len(graded) <= 1:
            return [(hit, sev) for sev, group in graded.items() for hit in merge_overlapping(group)]
        kept: list[tuple[Hit, Severity]] = []
        for sev in ("error", "warning", "info"):
            for hit in merge_overlapping(graded.get(sev, [])):
                if not any(k.start < hit.end and hit.start < k.end for k, _ in kept):
                    kept.append((hit, sev))
        return kept

    def _hit_severity(self, analysis: Analysis, rule: Rule, severity: Severity, hit: Hit) -> Severity:
        """A profile may grade a tagged pattern on its own (Walmart: handles are errors
        while other contact details are warnings); a severity set in the user's
        configuration wins over both."""
        tag = hit.pattern.tag if hit.pattern is not None else None
        if tag is None or rule.id in self.options.severity or rule.family in self.options.severity:
            return severity
        return analysis.profile.setting(rule.id).tags.get(tag, severity)

    def diagnostic(self, analysis: Analysis, rule: Rule, severity: Severity, hit: Hit) -> Diagnostic:
        """Turn a hit (normalised offsets) into a diagnostic on the original text."""
        lang = analysis.lang
        start, end = analysis.norm.to_original(hit.start, hit.end)
        original = analysis.original
        match = original[start:end]
        shown = match if len(match) <= 120 else match[:117] + "…"
        spec = hit.pattern
        suggest = hit.suggest or (spec.suggest if spec else None)
        template = (
            hit.message or (spec.message if spec and spec.message else None) or localised(rule.message, lang)
        )
        message = template.format_map(_SafeFormat(match=shown.strip(), suggest=suggest or ""))
        line, column = analysis.line_col(start)
        end_line, end_column = analysis.line_col(end)
        return Diagnostic(
            rule=rule.id,
            family=rule.family,
            severity=severity,
            message=message,
            start=start,
            end=end,
            line=line,
            column=column,
            end_line=end_line,
            end_column=end_column,
            match=match,
            fix=self._fix(analysis, rule, hit, start, end, suggest),
            policy=self.catalogue.policy_url(rule, analysis.profile),
            help=localised(rule.help, lang) or None,
        )

    def _fix(
        self, analysis: Analysis, rule: Rule, hit: Hit, start: int, end: int, suggest: str | None
    ) -> Fix | None:
        spec = (hit.pattern.fix if hit.pattern and hit.pattern.fix else None) or rule.fix
        lang = analysis.lang
        original = analysis.original
        title = localised(spec.title, lang) or None
        if spec.action == "none":
            if suggest:
                return Fix(replacement=_match_case(suggest, original[start:end]), safe=False, title=title)
            return None
        if spec.action == "replace":
            replacement = (
                suggest if suggest and spec.replacement is None else localised(spec.replacement, lang)
            )
            replacement = replacement.format_map(_SafeFormat(match=original[start:end]))
            return Fix(replacement=replacement, safe=spec.safe, title=title)
        if spec.action == "delete":
            a, b = _widen_deletion(original, start, end)
        else:  # delete-sentence
            s_start, s_end = analysis.sentences.span(analysis.sentence_of(hit.start))
            a, b = analysis.norm.to_original(s_start, s_end)
            a, b = _widen_deletion(original, a, b)
        fix = Fix(replacement="", safe=spec.safe, title=title)
        if (a, b) != (start, end):
            fix.start, fix.end = a, b
        return fix


def _match_case(replacement: str, replaced: str) -> str:
    """A suggestion replacing "You need to" at the start of a sentence starts with a
    capital too ("Please"); suggestions are written in lower case unless they must
    not be ("I expect")."""
    if replacement[:1].islower() and replaced[:1].isupper():
        return replacement[0].upper() + replacement[1:]
    return replacement


def _widen_deletion(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a deletion over one side's spaces so no double space is left behind, and
    never so far that the words on either side are joined."""
    b = end
    while b < len(text) and text[b] in " \t":
        b += 1
    if b > end:
        return start, b
    if end < len(text) and not text[end].isspace() and text[end] not in ".,;:!?)]}»”'\"…":
        # "@ 🙂Please": the space before is all that keeps the neighbours apart.
        return start, end
    a = start
    while a > 0 and text[a - 1] in " \t":
        a -= 1
    return a, end


_default: Linter | None = None
_default_lock = threading.Lock()


def default_linter() -> Linter:
    """A process-wide linter with the shipped rules and default options."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Linter()
    return _default


def check_text(text: str, **fields: Any) -> ResultRecord:
    """Lint one text with the shipped rules (see :meth:`Linter.check_text`)."""
    return default_linter().check_text(text, **fields)
