"""Token patterns matched from their anchors: spaCy's pattern language, faster.

spaCy's ``Matcher`` tries every pattern at every token, and each ``IN`` list (most
of our patterns start with one: ``{LOWER: {IN: "@review_nouns"}}``) is a Python
predicate called once per token and list: with a few hundred patterns, ~90 ms on a
1 KB reply. Yet nearly every pattern has an *anchor*, a token it cannot match
without (not optional, a literal or ``IN`` list on ``LOWER``/``ORTH``/``LEMMA``/
``NORM``), and most anchors are absent from most replies.

:class:`AnchoredMatcher` accepts the same pattern dicts (validated by spaCy's own
``Matcher``) and compiles each into steps over integer columns of the Doc (one
vectorised ``to_array``). Per Doc, an inverted index finds where each pattern's
rarest anchor occurs; the pattern is tried only from the start positions that can
reach it, by a small backtracking walk over the steps. Like spaCy's Matcher it
returns every (start, end) the pattern matches, non-empty; ``tests/core/
test_anchored.py`` checks it against spaCy's Matcher on every shipped pattern.

Supported: ``ORTH``/``TEXT``/``LOWER``/``LEMMA``/``NORM``/``SHAPE`` values, ``IN``,
``NOT_IN``, ``REGEX``, ``FUZZY``/``FUZZYn`` (also with ``IN``), ``LENGTH`` and the
comparison predicates, boolean token flags (``IS_PUNCT``, ``LIKE_NUM`` …), and
``OP`` ``?``, ``*``, ``+``, ``!``, ``{n}``, ``{n,m}``, ``{,m}``, ``{n,}``. A pattern
using anything else (custom extensions, MORPH, sets) is handed to a spaCy Matcher.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from spacy.attrs import IDS
from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc
from spacy.vocab import Vocab

_STRING_ATTRS = {
    "ORTH": "ORTH",
    "TEXT": "ORTH",
    "LOWER": "LOWER",
    "LEMMA": "LEMMA",
    "NORM": "NORM",
    "SHAPE": "SHAPE",
}
_ANCHOR_ATTRS = frozenset({"ORTH", "LOWER", "LEMMA", "NORM"})
_FLAG_ATTRS = frozenset(
    {
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT",
        "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT",
        "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
    }
)  # fmt: skip
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
}
_REPEAT = re.compile(r"^\{(\d*)(,?)(\d*)\}$")
#: A stop word as an anchor costs as much as this many ordinary words (it occurs
#: in nearly every reply).
_STOP_COST = 100
_UNBOUNDED = 1 << 30


class Unsupported(ValueError):
    """A pattern feature this matcher does not implement (spaCy's Matcher runs it)."""


def repeat_bounds(op: Any) -> tuple[int, int]:
    """(minimum, maximum) tokens a spec with this OP consumes (max may be unbounded)."""
    if op is None or op == "1":
        return 1, 1
    if op == "!":
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _UNBOUNDED
    if op == "+":
        return 1, _UNBOUNDED
    m = _REPEAT.match(str(op))
    if not m:
        raise Unsupported(f"OP {op!r}")
    low = int(m.group(1) or 0)
    if not m.group(2):
        return low, low
    return low, int(m.group(3)) if m.group(3) else _UNBOUNDED


# A check is a tuple; the first item says its kind:
#   ("eq", col, hash) ("in", col, hashes) ("nin", col, hashes) ("flag", col, bool)
#   ("rx", col, pattern) ("fz", col, words, n) ("len", op, n)
Check = tuple[Any, ...]


class _Step:
    __slots__ = ("checks", "high", "low", "negate", "sid")

    def __init__(self, sid: int, checks: list[Check], low: int, high: int, negate: bool) -> None:
        self.sid = sid
        self.checks = checks
        self.low = low
        self.high = high
        self.negate = negate


class _Pattern:
    __slots__ = ("anchor", "before", "key", "min_before", "scan", "steps")

    def __init__(self, key: int, steps: list[_Step]) -> None:
        self.key = key
        self.steps = steps
        self.anchor: tuple[str, frozenset[int]] | None = None
        self.scan: _Step | None = None  # without a literal anchor: a mandatory step to scan for
        self.before = _UNBOUNDED
        self.min_before = 0


class AnchoredMatcher:
    """Drop-in for the part of ``spacy.matcher.Matcher`` replylint uses: add, len, call."""

    def __init__(self, vocab: Vocab, validate: bool = True, stop_words: frozenset[str] = frozenset()) -> None:
        self.vocab = vocab
        self.strings = vocab.strings
        self.validate = validate
        self.stop_words = frozenset(w.lower() for w in stop_words)
        self.fallback = Matcher(vocab, validate=validate)
        self.patterns: list[_Pattern] = []
        self.unanchored: list[_Pattern] = []
        self.columns: dict[str, int] = {}  # attr name → column in the per-Doc array
        self.index: dict[str, dict[int, list[int]]] = defaultdict(dict)  # attr → hash → patterns
        self._keys: set[str] = set()
        self._signatures: dict[tuple[Any, ...], int] = {}
        # (check, value hash) → result for checks on a string value (REGEX, FUZZY),
        # shared by all Docs: the vocabulary of replies is small.
        self.value_cache: dict[tuple[int, int], bool] = {}

    def __len__(self) -> int:
        return len(self._keys)

    # -- compiling ----------------------------------------------------------------------

    def _column(self, attr: str) -> int:
        if attr not in self.columns:
            self.columns[attr] = len(self.columns)
        return self.columns[attr]

    def _hash(self, value: Any) -> int:
        if not isinstance(value, str):
            raise Unsupported(f"non-string value {value!r}")
        return int(self.strings.add(value))

    def _compile_attr(self, attr: str, value: Any) -> list[Check]:
        if attr == "LENGTH":
            if isinstance(value, int):
                return [("len", "==", value)]
            if isinstance(value, dict) and all(k in _COMPARE for k in value):
                return [("len", op, int(n)) for op, n in value.items()]
            raise Unsupported(f"LENGTH {value!r}")
        if attr in _FLAG_ATTRS:
            if not isinstance(value, bool):
                raise Unsupported(f"{attr} {value!r}")
            return [("flag", self._column(attr), value)]
        if attr not in _STRING_ATTRS:
            raise Unsupported(f"attribute {attr}")
        col = self._column(_STRING_ATTRS[attr])
        if isinstance(value, str):
            return [("eq", col, self._hash(value))]
        if not isinstance(value, dict):
            raise Unsupported(f"{attr} {value!r}")
        checks: list[Check] = []
        for pred, arg in value.items():
            if pred == "IN":
                checks.append(("in", col, frozenset(self._hash(v) for v in arg)))
            elif pred == "NOT_IN":
                checks.append(("nin", col, frozenset(self._hash(v) for v in arg)))
            elif pred == "REGEX":
                checks.append(("rx", col, re.compile(arg)))
            elif pred.startswith("FUZZY"):
                n = int(pred[5:]) if pred[5:] else -1
                if isinstance(arg, str):
                    checks.append(("fz", col, (arg,), n))
                elif isinstance(arg, dict) and set(arg) == {"IN"}:
                    checks.append(("fz", col, tuple(arg["IN"]), n))
                else:
                    raise Unsupported(f"{pred} {arg!r}")
            else:
                raise Unsupported(f"{attr}.{pred}")
        return checks

    def _compile(self, key: int, pattern: list[dict[str, Any]]) -> _Pattern:
        steps = []
        for spec in pattern:
            if not isinstance(spec, dict):
                raise Unsupported("token spec is not a mapping")
            low, high = repeat_bounds(spec.get("OP"))
            checks: list[Check] = []
            for raw_attr, value in spec.items():
                if raw_attr == "OP":
                    continue
                if raw_attr == "_":
                    raise Unsupported("extension attributes")
                checks.extend(self._compile_attr(str(raw_attr).upper(), value))
            negate = spec.get("OP") == "!"
            # Identical token specs share one id, so their test is memoised once.
            signature = (tuple(checks), negate)
            sid = self._signatures.setdefault(signature, len(self._signatures))
            steps.append(_Step(sid, checks, low, high, negate))
        compiled = _Pattern(key, steps)
        self._anchor(compiled)
        return compiled

    def _anchor(self, pattern: _Pattern) -> None:
        """Pick the rarest mandatory literal step; note how far a start can be from it."""
        col_attr = {col: attr for attr, col in self.columns.items()}
        best = None
        best_cost = 0
        for i, step in enumerate(pattern.steps):
            if step.low < 1 or step.negate:
                continue
            for check in step.checks:
                if check[0] not in ("eq", "in") or col_attr[check[1]] not in _ANCHOR_ATTRS:
                    continue
                values = frozenset([check[2]]) if check[0] == "eq" else check[2]
                cost = sum(_STOP_COST if self.strings[v].lower() in self.stop_words else 1 for v in values)
                if best is None or cost < best_cost:
                    best, best_cost = (i, col_attr[check[1]], values), cost
        if best is None:
            # No literal anchor: scan for the first mandatory step instead.
            for i, step in enumerate(pattern.steps):
                if step.low >= 1 and not step.negate:
                    before = sum(s.high for s in pattern.steps[:i])
                    if before < _UNBOUNDED:
                        pattern.scan = step
                        pattern.before = before
                        pattern.min_before = sum(s.low for s in pattern.steps[:i])
                    return
            return
        i, attr, values = best
        before = sum(s.high for s in pattern.steps[:i])
        if before >= _UNBOUNDED:
            return
        pattern.anchor = (attr, values)
        pattern.before = before
        pattern.min_before = sum(s.low for s in pattern.steps[:i])

    def add(self, key: str, patterns: list[list[dict[str, Any]]]) -> None:
        key_hash = int(self.strings.add(key))
        for pattern in patterns:
            if self.validate:  # spaCy's own validation and error messages
                Matcher(self.vocab, validate=True).add(key, [pattern])
            try:
                compiled = self._compile(key_hash, pattern)
            except Unsupported:
                self.fallback.add(key, [pattern])
                continue
            self.patterns.append(compiled)
            if compiled.anchor is None:
                self.unanchored.append(compiled)
            else:
                attr, values = compiled.anchor
                for value in values:
                    self.index[attr].setdefault(value, []).append(len(self.patterns) - 1)
        self._keys.add(key)

    # -- matching -----------------------------------------------------------------------

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches: set[tuple[int, int, int]] = set()
        if len(self.fallback):
            matches.update(self.fallback(doc))
        n = len(doc)
        if not n or not self.patterns:
            return sorted(matches, key=lambda m: (m[1], m[2], m[0]))
        attrs = list(self.columns)
        cols: list[list[int]] = []
        if attrs:
            # to_array gives a 1-D array for one attribute: shape it as columns.
            array = doc.to_array([IDS[a] for a in attrs]).reshape(n, len(attrs))
            cols = [array[:, c].tolist() for c in range(len(attrs))]
        test = _Tester(cols, self.strings, doc, self.value_cache)

        starts: dict[int, set[int]] = defaultdict(set)
        for attr, table in self.index.items():
            column = cols[self.columns[attr]]
            for pos, value in enumerate(column):
                hits = table.get(value)
                if hits:
                    for p in hits:
                        pattern = self.patterns[p]
                        lo = max(0, pos - pattern.before)
                        hi = pos - pattern.min_before
                        if hi >= lo:
                            starts[p].update(range(lo, hi + 1))
        for p, positions in starts.items():
            pattern = self.patterns[p]
            first = pattern.steps[0]
            for start in sorted(positions):
                if first.low and not test(first, start):
                    continue  # most starts fail on the first token
                for end in _walk(pattern.steps, start, n, test):
                    matches.add((pattern.key, start, end))
        for pattern in self.unanchored:
            if pattern.scan is None:
                candidates: Any = range(n)
            else:
                step = pattern.scan
                candidates = set()
                for pos in range(n):
                    if test(step, pos):
                        lo = max(0, pos - pattern.before)
                        hi = pos - pattern.min_before
                        if hi >= lo:
                            candidates.update(range(lo, hi + 1))
                candidates = sorted(candidates)
            first = pattern.steps[0]
            for start in candidates:
                if first.low and not test(first, start):
                    continue
                for end in _walk(pattern.steps, start, n, test):
                    matches.add((pattern.key, start, end))
        return sorted(matches, key=lambda m: (m[1], m[2], m[0]))


class _Tester:
    """Evaluates a step on a token, memoised per Doc."""

    __slots__ = ("cols", "doc", "memo", "strings", "texts", "values")

    def __init__(
        self, cols: list[list[int]], strings: Any, doc: Doc, values: dict[tuple[int, int], bool]
    ) -> None:
        self.cols = cols
        self.strings = strings
        self.doc = doc
        self.memo: dict[tuple[int, int], bool] = {}
        self.texts: dict[int, str] = {}
        self.values = values

    def text(self, value: int) -> str:
        s = self.texts.get(value)
        if s is None:
            s = self.texts[value] = self.strings[value]
        return s

    def __call__(self, step: _Step, i: int) -> bool:
        key = (step.sid, i)
        result = self.memo.get(key)
        if result is None:
            result = self._evaluate(step.checks, i) != step.negate
            self.memo[key] = result
        return result

    def _evaluate(self, checks: list[Check], i: int) -> bool:
        cols = self.cols
        for check in checks:
            kind = check[0]
            if kind == "eq":
                if cols[check[1]][i] != check[2]:
                    return False
            elif kind == "in":
                if cols[check[1]][i] not in check[2]:
                    return False
            elif kind == "nin":
                if cols[check[1]][i] in check[2]:
                    return False
            elif kind == "flag":
                if bool(cols[check[1]][i]) != check[2]:
                    return False
            elif kind in ("rx", "fz"):
                value = cols[check[1]][i]
                key = (id(check), value)
                ok = self.values.get(key)
                if ok is None:
                    text = self.text(value)
                    if kind == "rx":
                        ok = check[2].search(text) is not None
                    else:
                        ok = any(levenshtein_compare(text, w, check[3]) for w in check[2])
                    if len(self.values) > 2_000_000:
                        self.values.clear()
                    self.values[key] = ok
                if not ok:
                    return False
            elif kind == "len" and not _COMPARE[check[1]](len(self.doc[i].text), check[2]):
                return False
        return True


def _walk(steps: list[_Step], start: int, n: int, test: Callable[[_Step, int], bool]) -> set[int]:
    """Every end such that ``steps`` match tokens[start:end] exactly (end > start)."""
    ends: set[int] = set()
    last = len(steps)
    stack = [(0, 0, start)]
    seen: set[tuple[int, int, int]] = set()
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        k, count, i = state
        if k == last:
            if i > start:
                ends.add(i)
            continue
        step = steps[k]
        if count >= step.low:
            stack.append((k + 1, 0, i))
        if count < step.high and i < n and test(step, i):
            stack.append((k, count + 1, i + 1))
    return ends
