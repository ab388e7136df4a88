"""Word-list checks for the structure, triage and clarity data: proximity, typos,
words shared with the buyer's message.

spaCy's token ``Matcher`` evaluates every pattern at every token; with a few hundred
patterns over a 1 KB reply that costs milliseconds, more than the rest of the
pipeline. ``PhraseMatcher`` is a hash lookup and nearly free. So the rule data
states *what* to look for as word lists (lexicons, matched by lemma or lowercase
form) and these checks state *how near* to each other they must be:

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

Each check memoises its work in ``analysis.memo``, so patterns that share a word
list match it once per text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy
from spacy.attrs import LEMMA
from spacy.matcher import PhraseMatcher
from spacy.matcher.levenshtein import levenshtein

from ..errors import RuleFileError
from ..matching import Hit, register_check
from ..nlp import make_doc, pipeline

if TYPE_CHECKING:
    from ..catalogue import Catalogue
    from ..engine import Analysis

Attr = Literal["LOWER", "LEMMA"]
TokenSpan = tuple[int, int]  # token indices, end exclusive

_lock = threading.Lock()
_matchers: dict[tuple[str, str, tuple[str, ...]], PhraseMatcher] = {}
_words: dict[tuple[int, str, str], tuple[str, ...]] = {}


def resolve_words(catalogue: Catalogue, lang: str, spec: str | Sequence[str]) -> tuple[str, ...]:
    """A word list from ``"@lexicon"``, a list mixing words and ``"@lexicon"`` names."""
    key_spec = spec if isinstance(spec, str) else "\x1f".join(spec)
    key = (id(catalogue), lang, key_spec)
    words = _words.get(key)
    if words is None:
        items = [spec] if isinstance(spec, str) else list(spec)
        out: list[str] = []
        for item in items:
            if not isinstance(item, str):
                raise RuleFileError(f"expected a word or '@lexicon', got {item!r}")
            out.extend(catalogue.lexicon(lang, item[1:]) if item.startswith("@") else [item])
        words = tuple(dict.fromkeys(w for w in out if w.strip()))
        with _lock:
            if len(_words) > 4096:
                _words.clear()
            _words[key] = words
    return words


def _matcher(lang: str, attr: Attr, words: tuple[str, ...]) -> PhraseMatcher:
    key = (lang, attr, words)
    pm = _matchers.get(key)
    if pm is None:
        with _lock:
            pm = _matchers.get(key)
            if pm is None:
                nlp = pipeline(lang)
                pm = PhraseMatcher(nlp.vocab, attr=attr)
                docs = [make_doc(w, lang) if attr == "LEMMA" else nlp.make_doc(w) for w in words]
                pm.add("w", [d for d in docs if len(d)])
                _matchers[key] = pm
    return pm


def phrase_spans(analysis: Analysis, spec: str | Sequence[str], attr: Attr = "LEMMA") -> list[TokenSpan]:
    """Token spans of the phrases of ``spec`` in the analysed text (memoised)."""
    words = resolve_words(analysis.catalogue, analysis.lang, spec)
    memo: dict[tuple[str, tuple[str, ...]], list[TokenSpan]] = analysis.memo.setdefault("phrase-spans", {})
    spans = memo.get((attr, words))
    if spans is None:
        if not words or not len(analysis.doc):
            spans = []
        else:
            pm = _matcher(analysis.lang, attr, words)
            spans = sorted({(s, e) for _, s, e in pm(analysis.doc)})
        memo[(attr, words)] = spans
    return spans


def _attr(value: Any, default: Attr = "LEMMA") -> Attr:
    if value is None:
        return default
    if value not in ("LOWER", "LEMMA"):
        raise RuleFileError(f"attr must be LOWER or LEMMA, not {value!r}")
    return value  # type: ignore[no-any-return]


def _char_span(analysis: Analysis, start: int, end: int) -> tuple[int, int]:
    doc = analysis.doc
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last)


@register_check("near.v1")
def near(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """A phrase of ``first`` with a phrase of ``then`` close by in the same sentence.

    args: ``first``, ``then`` (lexicon or list), ``attr`` (or ``first_attr`` /
    ``then_attr``; LEMMA by default), ``within`` (tokens between, default 3),
    ``order`` (``forward``: first comes first, the default; ``any``),
    ``not_between`` (words, compared lowercased, that may not stand in the gap),
    ``report`` (``first``, ``then`` or ``both``, the default).
    """
    try:
        first_spec, then_spec = args["first"], args["then"]
    except KeyError as exc:
        raise RuleFileError(f"near.v1 needs {exc.args[0]!r}") from None
    attr = args.get("attr")
    firsts = phrase_spans(analysis, first_spec, _attr(args.get("first_attr", attr)))
    if not firsts:
        return []
    thens = phrase_spans(analysis, then_spec, _attr(args.get("then_attr", attr)))
    if not thens:
        return []
    within = int(args.get("within", 3))
    order = args.get("order", "forward")
    report = args.get("report", "both")
    blockers: frozenset[str] = frozenset()
    if args.get("not_between"):
        blockers = frozenset(
            w.lower() for w in resolve_words(analysis.catalogue, analysis.lang, args["not_between"])
        )
    doc = analysis.doc
    sent_of = analysis.sentence_of
    out: list[Hit] = []
    for fs, fe in firsts:
        f_sent = sent_of(doc[fs].idx)
        for ts, te in thens:
            if ts >= fe:
                gap = (fe, ts)
            elif order == "any" and te <= fs:
                gap = (te, fs)
            else:
                continue
            if gap[1] - gap[0] > within:
                continue
            if sent_of(doc[ts].idx) != f_sent:
                continue
            if blockers and any(doc[i].lower_ in blockers for i in range(*gap)):
                continue
            if report == "first":
                s, e = fs, fe
            elif report == "then":
                s, e = ts, te
            else:
                s, e = min(fs, ts), max(fe, te)
            out.append(Hit(*_char_span(analysis, s, e)))
            break
    return out


def _max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


@register_check("typo.v1")
def typo(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Words one edit (two from eight letters on) away from a listed word.

    args: ``words`` (lexicon or list of single words), ``min_length`` (shorter words
    are never compared, default 6: short words have too many neighbours).
    """
    words = resolve_words(analysis.catalogue, analysis.lang, args.get("words", ()))
    min_len = int(args.get("min_length", 6))
    targets = [w.lower() for w in words if len(w) >= min_len and " " not in w]
    if not targets:
        return []
    out: list[Hit] = []
    for token in analysis.doc:
        text = token.lower_
        if len(text) < min_len - 1 or not token.is_alpha:
            continue
        for target in targets:
            if abs(len(text) - len(target)) > 2:
                continue
            edits = _max_edits(target)
            if levenshtein(text, target, edits) <= edits:
                out.append(Hit(token.idx, token.idx + len(token)))
                break
    return out


#: Buyer words at least this long also match reply words they begin ("Anthrazit" →
#: "anthrazitfarbene"): German and Dutch write compounds as one word.
_PREFIX_MIN = 6


def buyer_lemmas(
    analysis: Analysis, ignore: tuple[str, ...] = ()
) -> tuple[numpy.ndarray[Any, Any], re.Pattern[str] | None]:
    """The buyer message's content words: alphabetic, not a stop word, three letters
    or more, not in ``ignore``. Returns their lemma hashes and a regex finding reply
    words that begin with one of the longer ones (memoised on the reply)."""
    memo: dict[tuple[str, ...], tuple[numpy.ndarray[Any, Any], re.Pattern[str] | None]]
    memo = analysis.memo.setdefault("buyer-lemmas", {})
    cached = memo.get(ignore)
    if cached is not None:
        return cached
    buyer = analysis.buyer
    found: set[int] = set()
    stems: set[str] = set()
    if buyer is not None:
        skip = set(ignore)
        for token in buyer.doc:
            if token.is_alpha and not token.is_stop and len(token) >= 3 and token.lemma_ not in skip:
                found.add(token.lemma)
                if len(token) >= _PREFIX_MIN:
                    stems.add(token.lower_)
    hashes = numpy.array(sorted(found), dtype="uint64")
    prefix = None
    if stems:
        alternation = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
        prefix = re.compile(rf"\b(?:{alternation})\w+", re.IGNORECASE)
    memo[ignore] = (hashes, prefix)
    return hashes, prefix


@register_check("buyer-terms.v1")
def buyer_terms(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Content words of the reply that the buyer used too (by lemma).

    args: ``ignore`` (lexicon or list): words too general to show that the reply
    refers to the buyer's problem ("order", "item", "thanks").
    """
    if analysis.buyer is None or not len(analysis.doc):
        return []
    ignore = resolve_words(analysis.catalogue, analysis.lang, args.get("ignore", ()))
    wanted, prefix = buyer_lemmas(analysis, tuple(w.lower() for w in ignore))
    if not len(wanted):
        return []
    doc = analysis.doc
    lemmas = doc.to_array([LEMMA]).reshape(-1)
    out = []
    for i in numpy.flatnonzero(numpy.isin(lemmas, wanted)).tolist():
        token = doc[i]
        out.append(Hit(token.idx, token.idx + len(token)))
    if prefix is not None:
        out.extend(Hit(*m.span()) for m in prefix.finditer(analysis.text))
    return out


@register_check("problem-terms.v1")
def problem_terms(analysis: Analysis, args: dict[str, Any]) -> list[Hit]:
    """Words of the reply that name a problem of the kind the buyer raised.

    The reply is read with the triage signals of ``scope: reply`` (late, damaged,
    wrong item …). Without a buyer message, or when the buyer's message names no
    specific kind (only a claim or plain anger), a problem of any kind counts;
    otherwise only the buyer's kinds and their related kinds do, so that "sorry your
    parcel is late" does not acknowledge "the vase arrived broken".
    """
    from ..triage import buyer_signals, find_signals, problem_kinds, triage_data

    data = triage_data(analysis.catalogue)
    wanted: set[str] | None = None
    if analysis.buyer is not None:
        kinds = [k for k in problem_kinds(buyer_signals(analysis)) if data.config.problems[k].specific]
        if kinds:
            wanted = set().union(*(data.related(k) for k in kinds))
    out: list[Hit] = []
    for found in find_signals(analysis, "reply"):
        kind = found.signal.problem
        if kind is None or not data.config.problems[kind].specific:
            continue
        if wanted is not None and kind not in wanted:
            continue
        out.extend(Hit(s, e, data={"kind": kind}) for s, e in found.spans)
    return out
