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
rarest anchor occurs; from each occurrence the steps before the anchor are matched
backwards and the steps after it forwards, each as a set of reachable positions
(so a quantifier is tried once per position, not once per path), and every start
pairs with every end. Each step is compiled to one Python function over a row of
the Doc's columns and its result memoised per token. Like spaCy's Matcher it
returns every (start, end) the pattern matches, non-empty; ``tests/core/
test_anchored.py`` checks it against spaCy's Matcher on every shipped pattern.

Patterns added with ``lazy=True`` are matched only when asked for by key
(:meth:`DocMatches.of`), sharing the per-token results of one Doc.

Supported: ``ORTH``/``TEXT``/``LOWER``/``LEMMA``/``NORM``/``SHAPE`` values, ``IN``,
``NOT_IN``, ``REGEX``, ``FUZZY``/``FUZZYn`` (also with ``IN``), ``LENGTH`` and the
comparison predicates, boolean token flags (``IS_PUNCT``, ``LIKE_NUM`` …), and
``OP`` ``?``, ``*``, ``+``, ``!``, ``{n}``, ``{n,m}``, ``{,m}``, ``{n,}``. A pattern
using anything else (custom extensions, MORPH, sets) is handed to a spaCy Matcher.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import IDS
from spacy.matcher import Matcher
from spacy.matcher.levenshtein import levenshtein_compare
from spacy.tokens import Doc
from spacy.vocab import Vocab

from .nlp import kept_string

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
#   ("rx", col, pattern) ("fz", col, words, n) ("len", col, op, n)
Check = tuple[Any, ...]
#: A step's test: one token's row of column values → does the token match.
Test = Callable[[list[int]], bool]
#: Entries kept per REGEX/FUZZY check (value hash → result) before it starts afresh.
#: Small, so that a server's caches reach their size within its first replies (fresh
#: order numbers and names add entries that are never asked for again).
_VALUE_CACHE_MAX = 10_000


class _Step:
    __slots__ = ("high", "low", "sid", "test")

    def __init__(self, sid: int, test: Test, low: int, high: int) -> None:
        self.sid = sid  # identical token specs share an id, so their results are shared
        self.test = test
        self.low = low
        self.high = high


class _Pattern:
    """A compiled pattern and how to find it.

    ``pivot`` is a single, mandatory step matched first (at the occurrences of
    ``anchor``'s values, or at every token when ``anchor`` is None); the rest is
    matched outwards from it. Without a pivot (``pivot == -1``), the pattern is
    walked forwards from every start that can reach an ``anchor`` occurrence
    (``before``/``min_before`` tokens earlier at most/least), or from every token."""

    __slots__ = ("anchor", "before", "key", "min_before", "pivot", "steps")

    def __init__(self, key: int, steps: list[_Step]) -> None:
        self.key = key
        self.steps = steps
        self.anchor: tuple[str, frozenset[int]] | None = None
        self.pivot = -1
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
        self.lazy_fallback = Matcher(vocab, validate=validate)
        self.patterns: list[_Pattern] = []  # matched by every call
        self.lazy: dict[int, list[_Pattern]] = {}  # key → patterns matched on demand
        self.lazy_fallback_keys: set[int] = set()
        self.columns: dict[str, int] = {}  # attr name → column in the per-Doc array
        self.index: dict[str, dict[int, list[_Pattern]]] = defaultdict(dict)  # attr → hash → patterns
        self.unanchored: list[_Pattern] = []
        self._keys: set[str] = set()
        self._tests: dict[tuple[Any, ...], _Step] = {}

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
        return kept_string(self.strings, value)  # outlives any memory zone

    def _compile_attr(self, attr: str, value: Any) -> list[Check]:
        if attr == "LENGTH":
            col = self._column("LENGTH")
            if isinstance(value, int):
                return [("len", col, "==", value)]
            if isinstance(value, dict) and all(k in _COMPARE for k in value):
                return [("len", col, op, int(n)) for op, n in value.items()]
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

    def _step(self, checks: list[Check], negate: bool, low: int, high: int) -> _Step:
        signature = (tuple(checks), negate, low, high)
        step = self._tests.get(signature)
        if step is None:
            sid = len(self._tests)
            step = self._tests[signature] = _Step(sid, self._compile_test(checks, negate), low, high)
        return step

    def _compile_test(self, checks: list[Check], negate: bool) -> Test:
        """One function for a token spec: ``row`` holds the token's column values.

        Generated source, because a spec is tested on thousands of tokens a second
        and a single expression is several times faster than a loop over checks."""
        names: dict[str, Any] = {}
        terms: list[str] = []
        # Equality and set membership first: they are cheap and decide most tokens.
        order = {"eq": 0, "in": 1, "nin": 2, "flag": 3, "len": 4, "rx": 5, "fz": 6}
        for j, check in enumerate(sorted(checks, key=lambda c: order[c[0]])):
            kind, col = check[0], check[1]
            if kind == "eq":
                terms.append(f"r[{col}] == {int(check[2])}")
            elif kind in ("in", "nin"):
                names[f"s{j}"] = check[2]
                terms.append(f"r[{col}] {'in' if kind == 'in' else 'not in'} s{j}")
            elif kind == "flag":
                terms.append(f"{'' if check[2] else 'not '}r[{col}]")
            elif kind == "len":
                terms.append(f"r[{col}] {check[2]} {int(check[3])}")
            else:
                names[f"v{j}"] = self._value_test(check)
                terms.append(f"v{j}(r[{col}])")
        expr = " and ".join(terms) or "True"
        if negate:
            expr = f"not ({expr})"
        source = f"def test(r):\n    return {expr}\n"
        exec(compile(source, "<anchored step>", "exec"), names)  # our own generated source
        test: Test = names["test"]
        return test

    def _value_test(self, check: Check) -> Callable[[int], bool]:
        """A REGEX or FUZZY check on a string value, memoised by value hash across
        Docs: the vocabulary of replies is small."""
        strings = self.strings
        cache: dict[int, bool] = {}
        if check[0] == "rx":
            search = check[2].search

            def compute(text: str) -> bool:
                return search(text) is not None

        else:
            words, dist = check[2], check[3]

            def compute(text: str) -> bool:
                return any(levenshtein_compare(text, w, dist) for w in words)

        def test(value: int) -> bool:
            ok = cache.get(value)
            if ok is None:
                if len(cache) > _VALUE_CACHE_MAX:
                    cache.clear()
                ok = cache[value] = compute(strings[value])
            return ok

        return test

    def _compile(self, key: int, pattern: list[dict[str, Any]]) -> _Pattern:
        steps: list[_Step] = []
        literals: list[tuple[int, int, str, frozenset[int]]] = []  # (cost, step, attr, values)
        col_attr = {}
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
            col_attr = {col: attr for attr, col in self.columns.items()}
            if low >= 1 and not negate:
                for check in checks:
                    if check[0] in ("eq", "in") and col_attr[check[1]] in _ANCHOR_ATTRS:
                        values = frozenset([check[2]]) if check[0] == "eq" else check[2]
                        literals.append((self._cost(values), len(steps), col_attr[check[1]], values))
            steps.append(self._step(checks, negate, low, high))
        compiled = _Pattern(key, steps)
        self._anchor(compiled, literals)
        return compiled

    def _cost(self, values: frozenset[int]) -> int:
        return sum(_STOP_COST if self.strings[v].lower() in self.stop_words else 1 for v in values)

    def _anchor(self, pattern: _Pattern, literals: list[tuple[int, int, str, frozenset[int]]]) -> None:
        """Pick the rarest mandatory literal step as pivot; failing that, a single
        mandatory step tested at every token."""
        steps = pattern.steps
        best = min(literals, key=lambda c: c[0], default=None)  # first of the cheapest
        if best is not None and steps[best[1]].high != 1:
            before = sum(s.high for s in steps[: best[1]])
            if before < _UNBOUNDED:  # a repeated anchor: walk from the starts that reach it
                pattern.anchor = (best[2], best[3])
                pattern.before = before
                pattern.min_before = sum(s.low for s in steps[: best[1]])
                return
            best = min((c for c in literals if steps[c[1]].high == 1), key=lambda c: c[0], default=None)
        if best is not None:
            pattern.pivot = best[1]
            pattern.anchor = (best[2], best[3])
            return
        for i, step in enumerate(steps):
            if step.low == step.high == 1:
                pattern.pivot = i
                return

    def add(self, key: str, patterns: list[list[dict[str, Any]]], *, lazy: bool = False) -> None:
        """Add patterns under ``key``; ``lazy`` ones are matched only on request
        (:meth:`DocMatches.of`), not by :meth:`__call__` or :meth:`DocMatches.eager`."""
        key_hash = kept_string(self.strings, key)
        for pattern in patterns:
            if self.validate:  # spaCy's own validation and error messages
                Matcher(self.vocab, validate=True).add(key, [pattern])
            try:
                compiled = self._compile(key_hash, pattern)
            except Unsupported:
                if lazy:
                    self.lazy_fallback.add(key, [pattern])
                    self.lazy_fallback_keys.add(key_hash)
                else:
                    self.fallback.add(key, [pattern])
                continue
            if lazy:
                self.lazy.setdefault(key_hash, []).append(compiled)
            elif compiled.anchor is None:
                self.patterns.append(compiled)
                self.unanchored.append(compiled)
            else:
                self.patterns.append(compiled)
                attr, values = compiled.anchor
                for value in values:
                    self.index[attr].setdefault(value, []).append(compiled)
        self._keys.add(key)

    # -- matching -----------------------------------------------------------------------

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Every match of every pattern (lazy ones included), like spaCy's Matcher:
        (key, start, end), sorted by start, end, key."""
        state = DocMatches(self, doc)
        matches = set(state.eager())
        for key in self.lazy.keys() | self.lazy_fallback_keys:
            matches.update(state.of(key))
        return sorted(matches, key=_order)

    def matches(self, doc: Doc) -> DocMatches:
        """Matching state for one Doc: eager matches now, lazy ones on request."""
        return DocMatches(self, doc)


def _order(match: tuple[int, int, int]) -> tuple[int, int, int]:
    return match[1], match[2], match[0]


class DocMatches:
    """One Doc's columns and per-token step results, shared by every pattern."""

    __slots__ = ("_index", "_lazy_fallback", "cols", "doc", "masks", "matcher", "n", "rows")

    def __init__(self, matcher: AnchoredMatcher, doc: Doc) -> None:
        self.matcher = matcher
        self.doc = doc
        n = self.n = len(doc)
        self.rows: list[list[int]] = []
        self.cols: list[list[int]] = []
        attrs = list(matcher.columns)
        if attrs and n:
            # to_array gives a 1-D array for one attribute: shape it as columns.
            array = doc.to_array([IDS[a] for a in attrs]).reshape(n, len(attrs))
            self.rows = array.tolist()  # type: ignore[assignment]  # integer columns
            self.cols = array.T.tolist()  # type: ignore[assignment]
        self.masks: dict[int, bytearray] = {}  # step id → per token: 0 unknown, 1 no, 2 yes
        self._lazy_fallback: list[tuple[int, int, int]] | None = None
        self._index: dict[int, dict[int, list[int]]] = {}

    def eager(self) -> list[tuple[int, int, int]]:
        """Matches of the patterns added without ``lazy``, sorted like spaCy's."""
        matcher = self.matcher
        found: set[tuple[int, int, int]] = set()
        if len(matcher.fallback):
            found.update(matcher.fallback(self.doc))
        if not self.n:
            return sorted(found, key=_order)
        occurrences: dict[int, list[int]] = defaultdict(list)  # id(pattern) → anchor positions
        by_id: dict[int, _Pattern] = {}
        for attr, table in matcher.index.items():
            column = self.cols[matcher.columns[attr]]
            for pos, value in [(pos, value) for pos, value in enumerate(column) if value in table]:
                for pattern in table[value]:
                    occurrences[id(pattern)].append(pos)
                    by_id[id(pattern)] = pattern
        for pid, positions in occurrences.items():
            self._match(by_id[pid], positions, found)
        for pattern in matcher.unanchored:
            self._match(pattern, None, found)
        return sorted(found, key=_order)

    def of(self, key: int) -> list[tuple[int, int, int]]:
        """Matches of the lazy patterns of ``key`` (any order)."""
        found: set[tuple[int, int, int]] = set()
        patterns = self.matcher.lazy.get(key, ())
        if self.n:
            for pattern in patterns:
                if pattern.anchor is None:
                    self._match(pattern, None, found)
                    continue
                attr, values = pattern.anchor
                where = self._where(self.matcher.columns[attr])
                common = where.keys() & values
                if common:
                    positions = [i for v in common for i in where[v]]
                    self._match(pattern, positions, found)
        if key in self.matcher.lazy_fallback_keys:
            if self._lazy_fallback is None:
                self._lazy_fallback = list(self.matcher.lazy_fallback(self.doc))
            found.update(m for m in self._lazy_fallback if m[0] == key)
        return list(found)

    def _where(self, col: int) -> dict[int, list[int]]:
        """Value → positions in column ``col`` (built on first use)."""
        where = self._index.get(col)
        if where is None:
            where = self._index[col] = {}
            for i, value in enumerate(self.cols[col]):
                if value in where:
                    where[value].append(i)
                else:
                    where[value] = [i]
        return where

    def _match(
        self, pattern: _Pattern, positions: list[int] | None, found: set[tuple[int, int, int]]
    ) -> None:
        key, steps, k = pattern.key, pattern.steps, pattern.pivot
        n = self.n
        if k < 0:
            if positions is None:
                starts: Iterable[int] = range(n)
            else:
                candidates: set[int] = set()
                for pos in positions:
                    lo = max(0, pos - pattern.before)
                    hi = pos - pattern.min_before
                    if hi >= lo:
                        candidates.update(range(lo, hi + 1))
                starts = candidates
            for start in starts:
                for end in self._forward(steps, 0, {start}):
                    if end > start:
                        found.add((key, start, end))
            return
        pivot = steps[k]
        mask = self.masks.get(pivot.sid)
        if mask is None:
            mask = self.masks[pivot.sid] = bytearray(n)
        test, rows = pivot.test, self.rows
        last = len(steps) - 1
        for pos in range(n) if positions is None else positions:
            ok = mask[pos]
            if not ok:
                ok = mask[pos] = 2 if test(rows[pos]) else 1
            if ok == 1:
                continue
            begins = self._backward(steps, k - 1, {pos}) if k else (pos,)
            if not begins:
                continue
            ends = self._forward(steps, k + 1, {pos + 1}) if k < last else (pos + 1,)
            for s in begins:
                for e in ends:
                    found.add((key, s, e))

    def _forward(self, steps: list[_Step], first: int, positions: set[int]) -> set[int]:
        """Ends reachable by matching ``steps[first:]`` from each of ``positions``."""
        n, rows, masks = self.n, self.rows, self.masks
        current = positions
        for k in range(first, len(steps)):
            step = steps[k]
            mask = masks.get(step.sid)
            if mask is None:
                mask = masks[step.sid] = bytearray(n)
            test, low, high = step.test, step.low, step.high
            reached: set[int] = set()
            if high == 1:
                for p in current:
                    if not low:
                        reached.add(p)
                    if p < n:
                        ok = mask[p]
                        if not ok:
                            ok = mask[p] = 2 if test(rows[p]) else 1
                        if ok == 2:
                            reached.add(p + 1)
            else:
                run_end = -1  # tokens from the previous position up to here match, this one not
                for p in sorted(current) if high >= _UNBOUNDED else current:
                    if p <= run_end:
                        continue  # its ends are a subset of the previous position's
                    limit = min(n, p + high)
                    i = p
                    while i < limit:
                        ok = mask[i]
                        if not ok:
                            ok = mask[i] = 2 if test(rows[i]) else 1
                        if ok == 1:
                            break
                        i += 1
                    if high >= _UNBOUNDED:
                        run_end = i
                    if i - p >= low:
                        reached.update(range(p + low, i + 1))
            if not reached:
                return reached
            current = reached
        return current

    def _backward(self, steps: list[_Step], last: int, positions: set[int]) -> set[int]:
        """Starts from which ``steps[:last + 1]`` match up to each of ``positions``."""
        rows, masks = self.rows, self.masks
        current = positions
        for k in range(last, -1, -1):
            step = steps[k]
            mask = masks.get(step.sid)
            if mask is None:
                mask = masks[step.sid] = bytearray(self.n)
            test, low, high = step.test, step.low, step.high
            reached: set[int] = set()
            if high == 1:
                for p in current:
                    if not low:
                        reached.add(p)
                    if p > 0:
                        ok = mask[p - 1]
                        if not ok:
                            ok = mask[p - 1] = 2 if test(rows[p - 1]) else 1
                        if ok == 2:
                            reached.add(p - 1)
            else:
                run_start = _UNBOUNDED  # tokens from here up to the previous position match
                for p in sorted(current, reverse=True) if high >= _UNBOUNDED else current:
                    if p >= run_start:
                        continue  # its starts are a subset of the previous position's
                    limit = max(0, p - high)
                    i = p
                    while i > limit:
                        ok = mask[i - 1]
                        if not ok:
                            ok = mask[i - 1] = 2 if test(rows[i - 1]) else 1
                        if ok == 1:
                            break
                        i -= 1
                    if high >= _UNBOUNDED:
                        run_start = i
                    if p - i >= low:
                        reached.update(range(i, p - low + 1))
            if not reached:
                return reached
            current = reached
        return current
