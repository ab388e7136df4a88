"""Compile rule patterns per language and run them all over one Doc.

Every pattern of every rule (its main patterns, ``requires``/``excludes`` helpers and
``unless*`` filters) goes into one token matcher, one ``PhraseMatcher`` per
attribute, a list of regexes and a list of named checks. A reply is matched once;
each rule then reads the hits it owns. Hits are character ranges in the
*normalised* text (see :mod:`replylint.normalise`).

Only the main patterns are matched up front. Helpers and filters only matter to a
rule whose main patterns found something, which in most replies most rules do not:
they are matched on first request (:class:`Found`), sharing the Doc's per-token work.
"""

from __future__ import annotations

import bisect
import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeVar

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from .anchored import AnchoredMatcher
from .catalogue import ALL_LANGS_KEY, Catalogue, PatternSpec, Rule
from .errors import RuleFileError
from .linear_regex import LinearPattern, compile_linear
from .nlp import is_current, kept_string, make_doc, pipeline, sentence_spans

if TYPE_CHECKING:
    from .engine import Analysis


@dataclass(slots=True)
class Hit:
    """A match: a range of the normalised text, plus what to say about it."""

    start: int
    end: int
    pattern: PatternSpec | None = None
    message: str | None = None
    suggest: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


Span = tuple[int, int]
CheckFn = Callable[["Analysis", dict[str, Any]], Iterable[Span | Hit]]
RuleCheckFn = Callable[["Analysis", Rule, dict[str, Any]], Iterable[Hit]]

_CHECKS: dict[str, CheckFn] = {}
_RULE_CHECKS: dict[str, RuleCheckFn] = {}


def register_check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register a named pattern check (``check: name.v1`` in a rule file)."""

    def deco(fn: CheckFn) -> CheckFn:
        _CHECKS[name] = fn
        return fn

    return deco


def register_rule_check(name: str) -> Callable[[RuleCheckFn], RuleCheckFn]:
    """Register a named rule-level check (``check: name.v1`` at the top of a rule)."""

    def deco(fn: RuleCheckFn) -> RuleCheckFn:
        _RULE_CHECKS[name] = fn
        return fn

    return deco


def get_check(name: str) -> CheckFn:
    _load_builtin_checks()
    try:
        return _CHECKS[name]
    except KeyError:
        raise RuleFileError(f"unknown check {name!r} (known: {', '.join(sorted(_CHECKS))})") from None


def get_rule_check(name: str) -> RuleCheckFn:
    _load_builtin_checks()
    try:
        return _RULE_CHECKS[name]
    except KeyError:
        raise RuleFileError(
            f"unknown rule check {name!r} (known: {', '.join(sorted(_RULE_CHECKS))})"
        ) from None


def _load_builtin_checks() -> None:
    from . import checks  # noqa: F401  (registers on import)


_FLAG_BITS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _resolve_lexicons(value: Any, lookup: Callable[[str], list[str]], key: str | None = None) -> Any:
    """Replace "@name" in token patterns with the lexicon's words, and "{@name}" inside
    a ``REGEX`` with an alternation of them (so stems can live in lexicons too)."""
    if key == "REGEX" and isinstance(value, str):
        return _expand_lexicon_refs(value, lookup)
    if isinstance(value, str) and value.startswith("@"):
        words = lookup(value[1:])
        return words if key in ("IN", "NOT_IN") else {"IN": words}
    if isinstance(value, dict):
        return {k: _resolve_lexicons(v, lookup, k) for k, v in value.items()}
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, str) and item.startswith("@") and key in ("IN", "NOT_IN"):
                out.extend(lookup(item[1:]))
            else:
                out.append(_resolve_lexicons(item, lookup, key))
        return out
    return value


_LEXICON_REF = re.compile(r"\{@([a-z0-9_]+)\}")


def _expand_lexicon_refs(source: str, lookup: Callable[[str], list[str]]) -> str:
    """``{@name}`` → ``(?:word|word …)``, longest first, each word escaped."""

    def expand(m: re.Match[str]) -> str:
        words = sorted(lookup(m.group(1)), key=len, reverse=True)
        return "(?:" + "|".join(re.escape(w) for w in words) + ")"

    return _LEXICON_REF.sub(expand, source)


def compile_regex(
    spec: PatternSpec, lookup: Callable[[str], list[str]], *, linear: bool = False
) -> re.Pattern[str] | LinearPattern:
    """Compile a ``regex`` pattern; ``linear`` (rules from a user's configuration) uses
    RE2, whose matching time is linear in the text, whatever the pattern."""
    assert spec.regex is not None
    source = _expand_lexicon_refs(spec.regex, lookup)
    if linear:
        return compile_linear(source, spec.flags)
    flags = 0
    for ch in spec.flags:
        if ch not in _FLAG_BITS:
            raise ValueError(f"unknown regex flag {ch!r}")
        flags |= _FLAG_BITS[ch]
    return re.compile(source, flags)


@dataclass
class _Entry:
    spec: PatternSpec
    rule: str
    section: str
    where: str = ""  # for error messages: file, section, language, position


def _lexicon_refs(spec: PatternSpec) -> set[str]:
    """Names of the lexicons a pattern (and its requires/excludes) refers to."""
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if value.startswith("@"):
                names.add(value[1:])
            names.update(_LEXICON_REF.findall(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(spec.tokens)
    walk(spec.phrases)
    if spec.regex is not None:  # only "{@name}" here: a regex may start with a literal "@"
        names.update(_LEXICON_REF.findall(spec.regex))
    for sub in (*spec.requires, *spec.excludes):
        names |= _lexicon_refs(sub)
    return names


def _lexicons_exist(catalogue: Catalogue, lang: str, spec: PatternSpec) -> bool:
    own, shared = catalogue.lexicons.get(lang, {}), catalogue.lexicons.get(ALL_LANGS_KEY, {})
    return all(name in own or name in shared for name in _lexicon_refs(spec))


_Key = TypeVar("_Key")


def current_pack(
    cache: MutableMapping[_Key, LanguagePack],
    key: _Key,
    lock: threading.Lock,
    build: Callable[[], LanguagePack],
) -> LanguagePack:
    """The pack cached under ``key``, built (once, under ``lock``) when it is missing or
    its language's pipeline was recycled (:func:`replylint.nlp.in_use`): a pack holds
    matchers and string hashes of one Vocab."""
    pack = cache.get(key)
    if pack is None or not is_current(pack.nlp):
        with lock:
            pack = cache.get(key)
            if pack is None or not is_current(pack.nlp):
                pack = cache[key] = build()
    return pack


class LanguagePack:
    """All patterns of a catalogue for one language, compiled once."""

    def __init__(self, catalogue: Catalogue, lang: str, rules: Sequence[Rule]) -> None:
        self.lang = lang
        nlp = pipeline(lang)
        self.nlp = nlp
        self.entries: list[_Entry] = []
        self.matcher = AnchoredMatcher(
            nlp.vocab, validate=True, stop_words=frozenset(nlp.Defaults.stop_words)
        )
        self.phrase: dict[str, PhraseMatcher] = {}
        self.regexes: list[tuple[int, re.Pattern[str] | LinearPattern, int | str | None]] = []
        self.checks: list[tuple[int, CheckFn, dict[str, Any]]] = []
        # rule id → section → [(entry index, requires idx, excludes idx)]
        self.by_rule: dict[str, dict[str, list[tuple[int, list[int], list[int]]]]] = {}
        self.rules = {rule.id: rule for rule in rules}
        # A rule often shares one helper list among many patterns (YAML anchors: the
        # same `excludes` under every refusal); each distinct pattern is compiled and
        # matched once.
        self._seen: dict[tuple[str, str], int] = {}
        self._catalogue = catalogue
        # Entries matched on request only: helpers and filters (see the module doc).
        self.lazy_phrase: dict[str, PhraseMatcher] = {}
        self.lazy_regexes: dict[int, tuple[re.Pattern[str] | LinearPattern, int | str | None]] = {}
        self.lazy_checks: dict[int, tuple[CheckFn, dict[str, Any]]] = {}
        self.lazy: set[int] = set()
        self.entry_of: dict[int, int] = {}  # matcher key hash → entry index
        self.key_hash: dict[int, int] = {}  # entry index → matcher key hash

        for rule in rules:
            if lang not in rule.languages and not rule.patterns.get("all"):
                continue
            sections: dict[str, list[tuple[int, list[int], list[int]]]] = {}
            for section in ("patterns", "unless", "unless_sentence", "unless_text"):
                items = []
                for i, spec in enumerate(rule.patterns_for(section, lang)):
                    if lang not in rule.languages and not _lexicons_exist(catalogue, lang, spec):
                        # An "all" pattern built on word lists this language lacks
                        # (a language the rule does not declare): it cannot apply.
                        continue
                    where = f"{rule.path}: {section}.{lang}[{i}]"
                    n = self._add(catalogue, rule, section, spec, where)
                    req = [
                        self._add(catalogue, rule, section, sub, f"{where}.requires[{k}]")
                        for k, sub in enumerate(spec.requires)
                    ]
                    exc = [
                        self._add(catalogue, rule, section, sub, f"{where}.excludes[{k}]")
                        for k, sub in enumerate(spec.excludes)
                    ]
                    items.append((n, req, exc))
                if items:
                    sections[section] = items
            self.by_rule[rule.id] = sections
        main = {n for sections in self.by_rule.values() for n, _, _ in sections.get("patterns", [])}
        for n in range(len(self.entries)):
            self._compile(n, lazy=n not in main)

    def _key(self, n: int) -> str:
        """Entry ``n``'s matcher key. spaCy's matchers read a key back from its hash, so
        it must outlive any memory zone the pack is compiled in (nlp.in_use): it is
        added for good, and starts with a NUL, which no linted text holds (a key equal
        to a word of the text would be that text's, and freed with it)."""
        key = f"\x00{n}"
        h = kept_string(self.nlp.vocab.strings, key)
        self.entry_of[h] = n
        self.key_hash[n] = h
        return key

    def _add(self, catalogue: Catalogue, rule: Rule, section: str, spec: PatternSpec, where: str) -> int:
        key = (rule.id, spec.model_dump_json())
        if key in self._seen:
            return self._seen[key]
        n = self._seen[key] = len(self.entries)
        self.entries.append(_Entry(spec, rule.id, section, where))
        return n

    def _compile(self, n: int, lazy: bool) -> None:
        entry = self.entries[n]
        catalogue, spec, where = self._catalogue, entry.spec, entry.where
        rule = self.rules[entry.rule]
        if lazy:
            self.lazy.add(n)

        def lookup(name: str) -> list[str]:
            try:
                return catalogue.lexicon(self.lang, name)
            except RuleFileError as exc:
                raise RuleFileError(f"{where}: {exc.message}") from None

        try:
            if spec.tokens is not None:
                if rule.id in catalogue.user_rules and "REGEX" in repr(spec.tokens):
                    # spaCy runs token REGEX with Python's backtracking engine.
                    raise ValueError("REGEX in token patterns is for built-in rules; use a `regex:` pattern")
                pattern = _resolve_lexicons(spec.tokens, lookup)
                self.matcher.add(self._key(n), [pattern], lazy=lazy)
            elif spec.phrases is not None:
                phrases = spec.phrases
                if isinstance(phrases, str):
                    phrases = [phrases]
                words: list[str] = []
                for p in phrases:
                    words.extend(lookup(p[1:]) if p.startswith("@") else [p])
                matchers = self.lazy_phrase if lazy else self.phrase
                pm = matchers.get(spec.attr)
                if pm is None:
                    pm = matchers[spec.attr] = PhraseMatcher(self.nlp.vocab, attr=spec.attr)
                make = (lambda t: make_doc(t, self.lang)) if spec.attr == "LEMMA" else self.nlp.make_doc
                pm.add(self._key(n), [make(w) for w in words if w.strip()])
            elif spec.regex is not None:
                linear = rule.id in catalogue.user_rules
                rx = compile_regex(spec, lookup, linear=linear)
                if lazy:
                    self.lazy_regexes[n] = (rx, spec.group)
                else:
                    self.regexes.append((n, rx, spec.group))
            elif spec.check is not None:
                if lazy:
                    self.lazy_checks[n] = (get_check(spec.check), spec.args)
                else:
                    self.checks.append((n, get_check(spec.check), spec.args))
        except RuleFileError:
            raise
        except (ValueError, KeyError, re.error) as exc:
            raise RuleFileError(f"{where}: {exc}") from None

    def run(self, analysis: Analysis) -> Found:
        """The main patterns over one analysed text: entry index → hits (normalised
        chars); helpers and filters are matched when first asked for."""
        doc: Doc = analysis.doc
        found = Found(self, analysis)
        entry_of = self.entry_of
        if len(self.matcher):
            for match_id, s, e in found.tokens.eager():
                n = entry_of[match_id]
                found[n].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), self.entries[n].spec))
        for pm in self.phrase.values():
            for match_id, s, e in pm(doc):
                n = entry_of[match_id]
                found[n].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), self.entries[n].spec))
        text = analysis.text
        for n, rx, group in self.regexes:
            found[n].extend(_regex_hits(rx, group, text, self.entries[n].spec))
        for n, fn, args in self.checks:
            found[n].extend(_check_hits(fn, args, analysis, self.entries[n].spec))
        return found

    def match_lazy(self, n: int, found: Found) -> list[Hit]:
        """Hits of helper or filter entry ``n`` (see :class:`Found`)."""
        analysis, spec = found.analysis, self.entries[n].spec
        if spec.tokens is not None:
            doc = analysis.doc
            spans = sorted((s, e) for _, s, e in found.tokens.of(self.key_hash[n]))
            return [Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), spec) for s, e in spans]
        if spec.phrases is not None:
            return found.lazy_phrase_hits(spec.attr).get(n, [])
        if n in self.lazy_regexes:
            rx, group = self.lazy_regexes[n]
            return list(_regex_hits(rx, group, analysis.text, spec))
        if n in self.lazy_checks:
            fn, args = self.lazy_checks[n]
            return list(_check_hits(fn, args, analysis, spec))
        return []

    def hits_for(self, rule_id: str, analysis: Analysis, found: dict[int, list[Hit]]) -> list[Hit]:
        """The rule's hits after requires/excludes and unless filters."""
        sections = self.by_rule.get(rule_id)
        if not sections:
            return []

        def section_hits(name: str) -> list[Hit]:
            out = []
            for n, req, exc in sections.get(name, []):
                for hit in found.get(n, ()):
                    if req or exc:
                        sent = analysis.sentence_of(hit.start)
                        if not all(self._near(found, r, sent, analysis) for r in req):
                            continue
                        if any(self._near(found, x, sent, analysis) for x in exc):
                            continue
                    if spec_of(n).report == "sentence":
                        s_start, s_end = analysis.sentences.span(analysis.sentence_of(hit.start))
                        hit = replace(hit, start=min(s_start, hit.start), end=max(s_end, hit.end))
                    out.append(hit)
            return out

        def spec_of(n: int) -> PatternSpec:
            return self.entries[n].spec

        hits = section_hits("patterns")
        if not hits:
            return []
        if section_hits("unless_text"):
            return []
        unless = section_hits("unless")
        if unless:
            hits = [h for h in hits if not any(u.start < h.end and h.start < u.end for u in unless)]
        unless_sent = section_hits("unless_sentence")
        if unless_sent and hits:
            blocked: set[int] = set()
            for u in unless_sent:
                window = u.pattern.window if u.pattern is not None else 0
                if window == "text":
                    return []
                where = analysis.sentence_of(u.start)
                blocked.update(range(where - window, where + window + 1))
            hits = [h for h in hits if analysis.sentence_of(h.start) not in blocked]
        return hits

    def _near(self, found: dict[int, list[Hit]], n: int, sent: int, analysis: Analysis) -> bool:
        """Pattern ``n`` matched in sentence ``sent`` or within its ``window``.

        By bisection in the sorted sentence numbers of ``n``'s hits: comparing each
        hit with every hit of a ``requires`` pattern made long prose quadratic."""
        window = self.entries[n].spec.window
        if window == "text":
            return bool(found.get(n))
        if isinstance(found, Found):
            numbers = found.sentence_numbers(n)
        else:
            numbers = _sentence_numbers(found, n, analysis)
        i = bisect.bisect_left(numbers, sent - window)
        return i < len(numbers) and numbers[i] <= sent + window


def _sentence_numbers(found: dict[int, list[Hit]], n: int, analysis: Analysis) -> list[int]:
    """Sorted sentence numbers of the hits of entry ``n``."""
    return sorted(analysis.sentence_of(h.start) for h in found.get(n, ()))


class Found(dict[int, list[Hit]]):
    """Hits per entry of a pack over one text. The main patterns' hits are filled in
    by :meth:`LanguagePack.run`; a helper's or filter's are matched the first time
    they are read (``get`` or ``[]``), and kept."""

    def __init__(self, pack: LanguagePack, analysis: Analysis) -> None:
        super().__init__()
        self.pack = pack
        # Weak: the analysis keeps its hits in its memo, and a cycle would leave every
        # analysed text (its Doc included) to the cyclic garbage collector.
        self._analysis = weakref.ref(analysis)
        self.tokens = pack.matcher.matches(analysis.doc)
        self._phrase: dict[str, dict[int, list[Hit]]] = {}
        self._sentences: dict[int, list[int]] = {}

    @property
    def analysis(self) -> Analysis:
        analysis = self._analysis()
        if analysis is None:
            raise RuntimeError("the analysed text of these hits is gone")
        return analysis

    def __missing__(self, n: int) -> list[Hit]:
        hits = self[n] = self.pack.match_lazy(n, self) if n in self.pack.lazy else []
        return hits

    def get(self, n: int, default: Any = None) -> Any:  # type: ignore[override]
        hits = super().get(n)
        if hits is None:
            if n not in self.pack.lazy:
                return default
            hits = self[n]
        return hits if hits else default

    def sentence_numbers(self, n: int) -> list[int]:
        """Sorted sentence numbers of entry ``n``'s hits, kept: a helper shared by many
        patterns (a rule's ``requires`` lists) is looked up once per hit of each."""
        numbers = self._sentences.get(n)
        if numbers is None:
            numbers = self._sentences[n] = _sentence_numbers(self, n, self.analysis)
        return numbers

    def lazy_phrase_hits(self, attr: str) -> dict[int, list[Hit]]:
        """Every lazy phrase entry on ``attr``, matched at once on first request."""
        out = self._phrase.get(attr)
        if out is None:
            out = self._phrase[attr] = defaultdict(list)
            pack, doc = self.pack, self.analysis.doc
            entry_of = pack.entry_of
            for match_id, s, e in pack.lazy_phrase[attr](doc):
                n = entry_of[match_id]
                out[n].append(Hit(doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), pack.entries[n].spec))
        return out


def _regex_hits(
    rx: re.Pattern[str] | LinearPattern, group: int | str | None, text: str, spec: PatternSpec
) -> Iterable[Hit]:
    for m in rx.finditer(text):
        if group is not None:
            if m.group(group) is None:
                continue
            s, e = m.span(group)
        else:
            s, e = m.span()
        if e > s:
            yield Hit(s, e, spec)


def _check_hits(fn: CheckFn, args: dict[str, Any], analysis: Analysis, spec: PatternSpec) -> Iterable[Hit]:
    for item in fn(analysis, args):
        hit = item if isinstance(item, Hit) else Hit(item[0], item[1])
        hit.pattern = hit.pattern or spec
        yield hit


def merge_overlapping(hits: list[Hit]) -> list[Hit]:
    """One hit per overlapping group: the earliest, longest one; between equal spans,
    the one whose pattern carries a safe fix (so ``--fix`` can act on it)."""

    def has_safe_fix(h: Hit) -> bool:
        return h.pattern is not None and h.pattern.fix is not None and h.pattern.fix.safe

    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), not has_safe_fix(h)))
    out: list[Hit] = []
    for hit in hits:
        if out and hit.start < out[-1].end:
            continue
        out.append(hit)
    return out


class SentenceIndex:
    """Sentence number of a character offset, by bisection."""

    def __init__(self, text: str) -> None:
        self.spans = sentence_spans(text)
        self.starts = [a for a, _ in self.spans]

    def of(self, char: int) -> int:
        return max(bisect.bisect_right(self.starts, char) - 1, 0)

    def span(self, index: int) -> tuple[int, int]:
        return self.spans[index]
