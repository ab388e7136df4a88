"""Word-list checks for the structure and triage data: proximity, typos, words
shared with the buyer's message, problem words of the buyer's kind.

spaCy's token ``Matcher`` evaluates every pattern at every token; with a few dozen
patterns over a 1 KB reply that costs milliseconds, more than the rest of the
pipeline. So the structure and triage data state *what* to look for as word lists
(lexicons, matched by lemma or lowercase form) and these checks state *how near*
to each other the words must be:

``near.v1``
    a phrase of ``first`` followed (or preceded, ``order: any``) by a phrase of
    ``then`` within ``within`` tokens, in the same sentence, with no word of
    ``not_between`` in the gap: "I'll [quickly] send", "sorry [that] your".
``typo.v1``
    a word within one or two edits of a listed word ("chargback", "recieved"),
    so that urgent messages typed in a hurry are still recognised.
``buyer-terms.v1``
    content words of the reply that also occur in the buyer's message ("sorry the
    *mirror* arrived…" answering "The mirror arrived cracked").
``problem-terms.v1``
    words of the reply that name a problem of the kind the buyer raised.

Word lists are matched through an index built once per text: single words are
looked up by hash (one pass over the text's distinct words serves every list of
the language), multi-word phrases by a ``PhraseMatcher`` that only runs when the
text holds the first word of one of its phrases. Results are memoised in
``analysis.memo``, so patterns that share a list match it once per text.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any, Literal

from spacy.attrs import IDX, LEMMA, LENGTH, LOWER
from spacy.matcher import PhraseMatcher

from ..errors import RuleFileError
from ..matching import Hit, register_check
from ..nlp import kept_string, make_doc, on_recycle, pipeline
from ..spelling import is_typo

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..engine import Analysis

Attr = Literal["LOWER", "LEMMA"]
TokenSpan = tuple[int, int]  # token indices, end exclusive

_lock = threading.Lock()


class Words:
    """A resolved word list. Compared and hashed by identity: each spec resolves to
    one object per catalogue and language, so memo keys stay cheap to hash."""

    __slots__ = ("items", "lowered")

    def __init__(self, items: tuple[str, ...]) -> None:
        self.items = items
        self.lowered = frozenset(w.lower() for w in items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)


_words: dict[tuple[int, str, str | tuple[str, ...]], Words] = {}


def resolve_words(catalogue: Catalogue, lang: str, spec: str | Sequence[str]) -> Words:
    """A word list from ``"@lexicon"``, or a list mixing words and ``"@lexicon"`` names."""
    key = (id(catalogue), lang, spec if isinstance(spec, str) else tuple(spec))
    words = _words.get(key)
    if words is None:
        items = [spec] if isinstance(spec, str) else list(spec)
        out: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise RuleFileError(f"expected a word or '@lexicon', got {item!r}")
            out.extend(catalogue.lexicon(lang, item[1:]) if item.startswith("@") else [item])
        with _lock:
            words = _words.get(key)
            if words is None:
                words = Words(tuple(dict.fromkeys(w.strip() for w in out if w.strip())))
                _words[key] = words
    return words


# -- the index of a text ------------------------------------------------------------


@dataclass
class TokenIndex:
    """Per-text arrays: where each word is, where each token starts and ends, and
    which sentence it is in. Built once per text (a handful of list operations)."""

    lower: list[int]
    lemma: list[int]
    starts: list[int]
    ends: list[int]
    sentence: list[int]
    strings: Any
    by_lower: dict[int, list[int]] = field(default_factory=dict)
    by_lemma: dict[int, list[int]] = field(default_factory=dict)
    _lower_text: list[str] | None = None

    def lower_text(self) -> list[str]:
        """Each token's lowercase text (looked up on first use)."""
        if self._lower_text is None:
            strings = self.strings
            self._lower_text = [strings[h] for h in self.lower]
        return self._lower_text


def token_index(analysis: Analysis) -> TokenIndex:
    index: TokenIndex | None = analysis.memo.get("token-index")
    if index is not None:
        return index
    doc = analysis.doc
    rows = doc.to_array([LOWER, LEMMA, IDX, LENGTH]).tolist() if len(doc) else []
    lower = [r[0] for r in rows]
    lemma = [r[1] for r in rows]
    starts = [r[2] for r in rows]
    ends = [r[2] + r[3] for r in rows]
    sentence: list[int] = []
    bounds = [e for _, e in analysis.sentences.spans]
    k = 0
    for start in starts:
        while k < len(bounds) - 1 and start >= bounds[k]:
            k += 1
        sentence.append(k)
    index = TokenIndex(lower, lemma, starts, ends, sentence, doc.vocab.strings)
    by_lower, by_lemma = index.by_lower, index.by_lemma
    for i, h in enumerate(lower):
        if h in by_lower:
            by_lower[h].append(i)
        else:
            by_lower[h] = [i]
    for i, h in enumerate(lemma):
        if h in by_lemma:
            by_lemma[h].append(i)
        else:
            by_lemma[h] = [i]
    analysis.memo["token-index"] = index
    return index


# -- compiled word lists ---------------------------------------------------------------


@dataclass
class _WordList:
    """A word list compiled for one language and attribute.

    Single words are hash sets; longer phrases go to the registry's PhraseMatcher
    under this list's key. A word without spaces also matches the token as written
    (lowercased), because some tokenise differently alone than in a sentence (French
    "l'" in "l'envoyons").
    """

    ident: int
    lowers: frozenset[int]
    lemmas: frozenset[int]
    has_phrases: bool


@dataclass
class _Registry:
    """Every word list of one (language, attribute): a reverse index hash → lists
    holding it and one PhraseMatcher for all multi-word phrases, so that a text is
    looked up once for all lists."""

    attr: Attr
    lists: dict[tuple[str, ...], _WordList] = field(default_factory=dict)
    by_words: dict[int, _WordList] = field(default_factory=dict)  # id(Words) → compiled
    by_lower: dict[int, list[int]] = field(default_factory=dict)
    by_lemma: dict[int, list[int]] = field(default_factory=dict)
    matcher: PhraseMatcher | None = None
    version: int = 0  # bumped when the matcher gains phrases
    list_of: dict[int, int] = field(default_factory=dict)  # matcher key hash → list id


_registries: dict[tuple[str, str], _Registry] = {}


def _forget_registries(lang: str) -> None:
    """Registries hold PhraseMatchers of a Vocab: after any recycle they are rebuilt
    (all of them: a language without a pack shares the fallback pipeline)."""
    _registries.clear()


on_recycle(_forget_registries)


def _compile(lang: str, attr: Attr, resolved: Words) -> tuple[_Registry, _WordList]:
    key = (lang, attr)
    registry = _registries.get(key)
    if registry is not None:
        compiled = registry.by_words.get(id(resolved))
        if compiled is not None:
            return registry, compiled
    words = resolved.items
    with _lock:
        registry = _registries.setdefault(key, _Registry(attr))
        compiled = registry.lists.get(words)
        if compiled is None:
            compiled = _compile_list(lang, registry, words)
        registry.by_words[id(resolved)] = compiled
        return registry, compiled


def _compile_list(lang: str, registry: _Registry, words: tuple[str, ...]) -> _WordList:
    attr = registry.attr
    nlp = pipeline(lang)
    strings = nlp.vocab.strings
    lowers: set[int] = set()
    lemmas: set[int] = set()
    multi = []
    for word in words:
        doc = make_doc(word, lang) if attr == "LEMMA" else nlp.make_doc(word.lower())
        if not len(doc):
            continue
        if " " not in word:
            lowers.add(kept_string(strings, word.lower()))
        if len(doc) == 1:
            if attr == "LEMMA":
                lemmas.add(kept_string(strings, doc[0].lemma_))
            else:
                lowers.add(kept_string(strings, doc[0].lower_))
        else:
            multi.append(doc)
    compiled = _WordList(len(registry.lists), frozenset(lowers), frozenset(lemmas), bool(multi))
    if multi:
        if registry.matcher is None:
            registry.matcher = PhraseMatcher(nlp.vocab, attr=attr)
        # spaCy reads the key back from its hash on every match: added for good, and
        # with a NUL no text holds, it outlives any memory zone (see nlp.in_use).
        key = f"\x00w{compiled.ident}"
        registry.list_of[kept_string(strings, key)] = compiled.ident
        registry.matcher.add(key, multi)
        registry.version += 1
    for h in compiled.lowers:
        registry.by_lower.setdefault(h, []).append(compiled.ident)
    for h in compiled.lemmas:
        registry.by_lemma.setdefault(h, []).append(compiled.ident)
    registry.lists[words] = compiled
    return compiled


def _single_hits(analysis: Analysis, registry: _Registry) -> dict[int, list[int]]:
    """List id → token indices of its single words, for every list registered when
    first asked (one pass over the text's distinct words)."""
    memo: dict[str, tuple[int, dict[int, list[int]]]] | None = analysis.memo.get("single-hits")
    if memo is None:
        memo = analysis.memo["single-hits"] = {}
    cached = memo.get(registry.attr)
    if cached is not None and cached[0] == len(registry.lists):
        return cached[1]
    index = token_index(analysis)
    out: dict[int, list[int]] = {}
    pairs = [(index.by_lower, registry.by_lower)]
    if registry.attr == "LEMMA":
        pairs.append((index.by_lemma, registry.by_lemma))
    for in_text, in_lists in pairs:
        # Only the words both hold (a set intersection): callers sort the positions.
        for h in in_text.keys() & in_lists.keys():
            positions = in_text[h]
            for ident in in_lists[h]:
                out.setdefault(ident, []).extend(positions)
    memo[registry.attr] = (len(registry.lists), out)
    return out


def _phrase_hits(analysis: Analysis, registry: _Registry) -> dict[int, list[TokenSpan]]:
    """List id → spans of its multi-word phrases: one matcher run per text."""
    memo: dict[str, tuple[int, dict[int, list[TokenSpan]]]] | None = analysis.memo.get("phrase-hits")
    if memo is None:
        memo = analysis.memo["phrase-hits"] = {}
    cached = memo.get(registry.attr)
    if cached is not None and cached[0] == registry.version:
        return cached[1]
    out: dict[int, list[TokenSpan]] = {}
    with _lock:  # the matcher may be gaining phrases in another thread
        version, matcher = registry.version, registry.matcher
        matches = matcher(analysis.doc) if matcher is not None else []
    list_of = registry.list_of
    for match_id, s, e in matches:
        out.setdefault(list_of[match_id], []).append((s, e))
    memo[registry.attr] = (version, out)
    return out


def phrase_spans(analysis: Analysis, spec: str | Sequence[str], attr: Attr = "LEMMA") -> list[TokenSpan]:
    """Token spans of the phrases of ``spec`` in the analysed text (memoised)."""
    return _spans(analysis, resolve_words(analysis.catalogue, analysis.lang, spec), attr)


def _spans(analysis: Analysis, words: Words, attr: Attr) -> list[TokenSpan]:
    memo: dict[tuple[str, Words], list[TokenSpan]] | None = analysis.memo.get("phrase-spans")
    if memo is None:
        memo = analysis.memo["phrase-spans"] = {}
    spans = memo.get((attr, words))
    if spans is not None:
        return spans
    if not len(words) or not len(analysis.doc):
        spans = []
    else:
        registry, compiled = _compile(analysis.lang, attr, words)
        singles = _single_hits(analysis, registry).get(compiled.ident)
        phrases = _phrase_hits(analysis, registry).get(compiled.ident) if compiled.has_phrases else None
        if phrases:
            found = set(phrases)
            if singles:
                found.update((i, i + 1) for i in singles)
            spans = sorted(found)
        elif singles:
            spans = [(i, i + 1) for i in sorted(set(singles))]
        else:
            spans = []
    memo[(attr, words)] = spans
    return spans


def _attr(value: Any, default: Attr = "LEMMA") -> Attr:
    if value is None:
        return default
    if value not in ("LOWER", "LEMMA"):
        raise RuleFileError(f"attr must be LOWER or LEMMA, not {value!r}")
    return value  # type: ignore[no-any-return]


def _lowered(analysis: Analysis, spec: Any) -> frozenset[str]:
    if not spec:
        return frozenset()
    return resolve_words(analysis.catalogue, analysis.lang, spec).lowered


_shapes: dict[str, re.Pattern[str]] = {}


def shape_spans(analysis: Analysis, shape: Any, exclude: Any = ()) -> list[TokenSpan]:
    """Single tokens whose lowercase form matches the regex ``shape`` (e.g. a verb
    ending), minus those whose form or lemma is in ``exclude`` (memoised)."""
    if not isinstance(shape, str):
        raise RuleFileError(f"then_shape must be a regular expression, not {shape!r}")
    rx = _shapes.get(shape)
    if rx is None:
        try:
            rx = _shapes[shape] = re.compile(shape)
        except re.error as exc:
            raise RuleFileError(f"then_shape {shape!r}: {exc}") from None
    skip = _lowered(analysis, exclude)
    memo: dict[tuple[str, frozenset[str]], list[TokenSpan]] = analysis.memo.setdefault("shape-spans", {})
    spans = memo.get((shape, skip))
    if spans is None:
        index = token_index(analysis)
        strings = index.strings
        spans = [
            (i, i + 1)
            for i, text in enumerate(index.lower_text())
            if rx.fullmatch(text) and text not in skip and strings[index.lemma[i]] not in skip
        ]
        memo[(shape, skip)] = spans
    return spans


# -- near.v1 -------------------------------------------------------------------------


@dataclass(frozen=True)
class _NearPlan:
    first: Words
    first_attr: Attr
    then: Words | None
    then_attr: Attr
    shape: str | None
    then_not: Any
    within: int
    any_order: bool
    report: str
    blockers: frozenset[str]
    banned: frozenset[str]


_plans: dict[tuple[int, int, str], tuple[dict[str, Any], _NearPlan]] = {}


def _near_plan(analysis: Analysis, args: dict[str, Any]) -> _NearPlan:
    """``args`` resolved once per catalogue and language (the dict lives as long as
    its rule, and is kept here too so that its id stays its own)."""
    key = (id(args), id(analysis.catalogue), analysis.lang)
    entry = _plans.get(key)
    if entry is not None and entry[0] is args:
        return entry[1]
    first_spec, then_spec = args.get("first"), args.get("then")
    if first_spec is None or (then_spec is None) == (args.get("then_shape") is None):
        raise RuleFileError("near.v1 needs 'first' and exactly one of 'then', 'then_shape'")
    catalogue, lang = analysis.catalogue, analysis.lang
    attr = args.get("attr")
    plan = _NearPlan(
        first=resolve_words(catalogue, lang, first_spec),
        first_attr=_attr(args.get("first_attr", attr)),
        then=resolve_words(catalogue, lang, then_spec) if then_spec is not None else None,
        then_attr=_attr(args.get("then_attr", attr)),
        shape=args.get("then_shape"),
        then_not=args.get("then_not", ()),
        within=int(args.get("within", 3)),
        any_order=args.get("order", "forward") == "any",
        report=str(args.get("report", "both")),
        blockers=_lowered(analysis, args.get("not_between")),
        banned=_lowered(analysis, args.get("then_without")),
    )
    with _lock:
        if len(_plans) > 8192:
            _plans.clear()
        _plans[key] = (args, plan)
    return plan


@register_check("near.v1")
def near(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """A phrase of ``first`` with a phrase of ``then`` close by in the same sentence.

    args: ``first``, ``then`` (lexicon or list) or ``then_shape`` (a regex a single
    token must match, e.g. a verb ending, with ``then_not`` listing exceptions),
    ``attr`` (or ``first_attr`` / ``then_attr``; LEMMA by default), ``within``
    (tokens between, default 3), ``order`` (``forward``: first comes first, the
    default; ``any``), ``not_between`` (words, compared lowercased, that may not
    stand in the gap), ``then_without`` (words; a ``then`` phrase holding one is
    ignored), ``report`` (``first``, ``then`` or ``both``, the default).
    """
    plan = _near_plan(analysis, args)
    firsts = _spans(analysis, plan.first, plan.first_attr)
    if not firsts:
        return []
    if plan.then is None:
        thens = shape_spans(analysis, plan.shape, plan.then_not)
    else:
        thens = _spans(analysis, plan.then, plan.then_attr)
    if not thens:
        return []
    index = token_index(analysis)
    if plan.banned:
        # "not late" negates "late"; in "n'est pas encore expédiée" the negation
        # belongs to the phrase itself, so phrases holding one of these are skipped.
        words = index.lower_text()
        thens = [(s, e) for s, e in thens if not any(words[i] in plan.banned for i in range(s, e))]
        if not thens:
            return []
    within, any_order, blockers = plan.within, plan.any_order, plan.blockers
    sentence = index.sentence
    # Only the ``then`` phrases starting within reach of a ``first`` can pair with it:
    # from its end to ``within`` tokens on, and in any order also those ending at most
    # ``within`` tokens before it. Found by bisection in the starts (the spans come
    # sorted), so a long reply is not quadratic in its phrases; the slice keeps the
    # list's order, so the same ``then`` is taken first.
    starts = [s for s, _ in thens]
    longest = max((e - s for s, e in thens), default=0)
    ordered = all(a <= b for a, b in pairwise(starts))
    out: list[Hit] = []
    for fs, fe in firsts:
        if ordered:
            lo = bisect.bisect_left(starts, fs - within - longest if any_order else fe)
            reach = thens[lo : bisect.bisect_right(starts, fe + within)]
        else:
            reach = thens
        for ts, te in reach:
            if ts >= fe:
                g0, g1 = fe, ts
            elif any_order and te <= fs:
                g0, g1 = te, fs
            else:
                continue
            if g1 - g0 > within or sentence[ts] != sentence[fs]:
                continue
            if blockers and g1 > g0:
                words = index.lower_text()
                if any(words[i] in blockers for i in range(g0, g1)):
                    continue
            if plan.report == "first":
                s, e = fs, fe
            elif plan.report == "then":
                s, e = ts, te
            else:
                s, e = min(fs, ts), max(fe, te)
            out.append(Hit(index.starts[s], index.ends[e - 1]))
            break
    return out


# -- typo.v1 -------------------------------------------------------------------------


@register_check("typo.v1")
def typo(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Words one edit (two from eight letters on, or two swapped letters) away from a
    listed word, with the same first letter.

    args: ``words`` (lexicon or list of single words), ``min_length`` (shorter words
    are never compared, default 6: short words have too many neighbours).
    """
    words = resolve_words(analysis.catalogue, analysis.lang, args.get("words", ()))
    min_len = int(args.get("min_length", 6))
    targets = [w.lower() for w in words if len(w) >= min_len and " " not in w]
    if not targets:
        return []
    index = token_index(analysis)
    return [
        Hit(index.starts[i], index.ends[i])
        for i, text in enumerate(index.lower_text())
        if len(text) >= min_len - 1 and text.isalpha() and any(is_typo(text, t) for t in targets)
    ]


# -- buyer-terms.v1 ------------------------------------------------------------------

#: Buyer words at least this long also match reply words they begin ("Anthrazit" →
#: "anthrazitfarbene"): German writes compounds as one word.
_PREFIX_MIN = 6


def _when(analysis: Analysis, args: dict[str, Any]) -> bool:
    """False when the check's ``when`` words are absent: nothing will require it."""
    spec = args.get("when")
    return not spec or bool(phrase_spans(analysis, spec, _attr(args.get("when_attr"))))


@register_check("buyer-terms.v1")
def buyer_terms(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Content words of the reply that the buyer used too (by lemma, or as the start
    of a longer word).

    args: ``ignore`` (lexicon or list): words too general to show that the reply
    refers to the buyer's problem ("order", "item", "thanks"); ``when`` (lexicon):
    skip the work unless one of these words is in the reply.
    """
    if analysis.buyer is None or not len(analysis.doc) or not _when(analysis, args):
        return []
    ignore = _lowered(analysis, args.get("ignore"))
    memo: dict[frozenset[str], list[Hit]] = analysis.memo.setdefault("buyer-terms", {})
    cached = memo.get(ignore)
    if cached is not None:
        return cached
    wanted: set[int] = set()
    stems: set[str] = set()
    for token in analysis.buyer.doc:
        if token.is_alpha and not token.is_stop and len(token) >= 3 and token.lemma_ not in ignore:
            wanted.add(token.lemma)
            if len(token) >= _PREFIX_MIN:
                stems.add(token.lower_)
    out: list[Hit] = []
    index = token_index(analysis)
    for h in wanted:
        for i in index.by_lemma.get(h, ()):
            out.append(Hit(index.starts[i], index.ends[i]))
    if stems:
        for i, text in enumerate(index.lower_text()):
            if len(text) > _PREFIX_MIN and any(text.startswith(s) and text != s for s in stems):
                out.append(Hit(index.starts[i], index.ends[i]))
    memo[ignore] = out
    return out


# -- problem-terms.v1 ----------------------------------------------------------------


@register_check("problem-terms.v1")
def problem_terms(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Words of the reply that name a problem of the kind the buyer raised.

    The reply is read with the triage signals of ``scope: reply`` (late, damaged,
    wrong item …). Without a buyer message, or when the buyer's message names no
    specific kind (only a claim or plain anger), a problem of any kind counts;
    otherwise only the buyer's kinds and their related kinds do, so that "sorry your
    parcel is late" does not acknowledge "the vase arrived broken".

    args: ``when`` (lexicon): skip the work unless one of these words is in the reply;
    ``mismatch: true`` returns the opposite, words naming a problem of another kind
    than the buyer's (nothing when the buyer named no specific kind).
    """
    if not _when(analysis, args):
        return []
    mismatch = bool(args.get("mismatch"))
    from ..triage import buyer_signals, find_signals, problem_kinds, triage_data

    data = triage_data(analysis.catalogue)
    wanted: set[str] | None = None
    if analysis.buyer is not None:
        kinds = [k for k in problem_kinds(buyer_signals(analysis)) if data.config.problems[k].specific]
        if kinds:
            wanted = set().union(*(data.related(k) for k in kinds))
    if mismatch and wanted is None:
        return []
    out: list[Hit] = []
    for found in find_signals(analysis, "reply"):
        kind = found.signal.problem
        if kind is None or not data.config.problems[kind].specific:
            continue
        relevant = wanted is None or kind in wanted
        if relevant != mismatch:
            out.extend(Hit(s, e, data={"kind": kind}) for s, e in found.spans)
    return out
