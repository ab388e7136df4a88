"""Every regular expression replylint ships, and inputs built to make each one backtrack.

Three sources, so that a new pattern is covered without anyone listing it:

- rule files: ``regex:`` patterns (with ``{@lexicon}`` expanded for each language, as
  the matcher does) and ``REGEX`` predicates inside token patterns, in every section
  (patterns, unless …, requires/excludes);
- Python modules of the package: every compiled pattern held at module or class level
  (also inside lists, tuples, dicts);
- Python source: every string literal passed to ``re.compile/search/match/…`` inside
  functions, found with ``ast``.

Patterns built at run time from data (a team's allowed domains, placeholder shapes)
are not listed here; their pieces are escaped words joined by ``|``, which cannot
backtrack catastrophically, and user regexes run on RE2 (tests/robustness/test_linear_regex.py).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre_constants  # type: ignore[attr-defined]  # re's own parser
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import replylint
from replylint.catalogue import ALL_LANGS_KEY, Catalogue, PatternSpec, load_catalogue
from replylint.languages import SUPPORTED_LANGS
from replylint.matching import _resolve_lexicons, compile_regex

PACKAGE_DIRS = [Path(replylint.__file__).parent]
_RE_FUNCS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}
_SECTIONS = ("patterns", "unless", "unless_sentence", "unless_text")


@dataclass(frozen=True)
class Entry:
    where: str  # a person can find it from this: file and rule/attribute/line
    pattern: re.Pattern[str]


def _specs(specs: list[PatternSpec]) -> Iterator[PatternSpec]:
    for spec in specs:
        yield spec
        yield from _specs(spec.requires)
        yield from _specs(spec.excludes)


def _token_regexes(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "REGEX" and isinstance(item, str):
                yield item
            else:
                yield from _token_regexes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _token_regexes(item)


def rule_regexes(catalogue: Catalogue | None = None) -> list[Entry]:
    catalogue = catalogue or load_catalogue()
    out: dict[tuple[str, int], Entry] = {}
    for rule in catalogue.rules.values():
        for section in _SECTIONS:
            for key, specs in getattr(rule, section).items():
                langs = (
                    [lg for lg in SUPPORTED_LANGS if lg in rule.languages] if key == ALL_LANGS_KEY else [key]
                )
                for lang in langs:

                    def lookup(name: str, lang: str = lang) -> list[str]:
                        return catalogue.lexicon(lang, name)

                    for spec in _specs(specs):
                        where = f"{rule.path or rule.id} {section}.{key} ({lang})"
                        if spec.regex is not None:
                            rx = compile_regex(spec, lookup)
                            assert isinstance(rx, re.Pattern)
                            out.setdefault((rx.pattern, rx.flags), Entry(where + " regex", rx))
                        if spec.tokens is not None:
                            for source in _token_regexes(_resolve_lexicons(spec.tokens, lookup)):
                                rx = re.compile(source)  # spaCy's REGEX: re.search on the token text
                                out.setdefault((rx.pattern, rx.flags), Entry(where + " REGEX", rx))
    return list(out.values())


def _patterns_in(value: Any, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value
    elif depth < 2 and isinstance(value, list | tuple | frozenset | set):
        for item in value:
            yield from _patterns_in(item, depth + 1)
    elif depth < 2 and isinstance(value, dict):
        for item in value.values():
            yield from _patterns_in(item, depth + 1)


def module_regexes() -> list[Entry]:
    out: dict[tuple[str, int], Entry] = {}
    names = [replylint.__name__]
    names += [m.name for m in pkgutil.walk_packages(replylint.__path__, replylint.__name__ + ".")]
    for name in sorted(names):
        if name.endswith("__main__"):
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            holders = [(attr, value)]
            if isinstance(value, type) and value.__module__ == name:
                holders += [(f"{attr}.{a}", v) for a, v in vars(value).items()]
            for label, held in holders:
                for rx in _patterns_in(held):
                    out.setdefault((rx.pattern, rx.flags), Entry(f"{name}.{label}", rx))
    return list(out.values())


def _flags(node: ast.expr | None) -> int:
    if node is None:
        return 0
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "re":
        value = getattr(re, node.attr, 0)
        return int(value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _flags(node.left) | _flags(node.right)
    return 0


def source_regexes() -> list[Entry]:
    out: dict[tuple[str, int], Entry] = {}
    for root in PACKAGE_DIRS:
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "re"
                    and node.func.attr in _RE_FUNCS
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    continue
                flags_node = next((k.value for k in node.keywords if k.arg == "flags"), None)
                if flags_node is None and node.func.attr == "compile" and len(node.args) > 1:
                    flags_node = node.args[1]
                rx = re.compile(node.args[0].value, _flags(flags_node))
                rel = path.relative_to(root.parent)
                out.setdefault((rx.pattern, rx.flags), Entry(f"{rel}:{node.lineno}", rx))
    return list(out.values())


def all_regexes() -> list[Entry]:
    seen: set[tuple[str, int]] = set()
    out = []
    for entry in [*rule_regexes(), *module_regexes(), *source_regexes()]:
        key = (entry.pattern.pattern, entry.pattern.flags)
        if key not in seen:
            seen.add(key)
            out.append(entry)
    return out


#: Patterns only ever applied at one position (``.match(text, pos)`` or ``.fullmatch``),
#: where a run costs one linear pass; scanning them with ``finditer`` would try every
#: start and overstate their cost. The probe times them the way they are used.
ANCHORED_USE: dict[str, str] = {
    "replylint.checks.tone_placeholders._IDENTIFIER": "fullmatch",  # is_identifier(body)
    "replylint.checks.web._NEXT_IS_LOWER_WORD": "match",  # .match(text, end) after a domain
    "replylint.rewrite.redaction._EMAIL": "match",  # at the end of the previous match
    "replylint.rewrite.facts._AMOUNT": "match",  # at and just after the previous match's end
}


# -- adversarial inputs -----------------------------------------------------------------

_CATEGORY_CHARS = {
    sre_constants.CATEGORY_DIGIT: "7",
    sre_constants.CATEGORY_NOT_DIGIT: "a",
    sre_constants.CATEGORY_SPACE: " ",
    sre_constants.CATEGORY_NOT_SPACE: "a",
    sre_constants.CATEGORY_WORD: "a",
    sre_constants.CATEGORY_NOT_WORD: "-",
}


def pattern_chars(pattern: re.Pattern[str], limit: int = 10) -> list[str]:
    """Characters the pattern mentions (literals, class ends, categories), most used first."""
    counts: dict[str, int] = {}

    def add(ch: str) -> None:
        counts[ch] = counts.get(ch, 0) + 1

    def walk(items: Any) -> None:
        for op, av in items:
            if op is sre_constants.LITERAL or op is sre_constants.NOT_LITERAL:
                add(chr(av))
            elif op is sre_constants.IN:
                walk(av)
            elif op is sre_constants.RANGE:
                add(chr(av[0]))
                add(chr(av[1]))
            elif op is sre_constants.CATEGORY:
                add(_CATEGORY_CHARS.get(av, "a"))
            elif op is sre_constants.ANY:
                add("a")
            elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op is sre_constants.SUBPATTERN:
                walk(av[3])
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1])
            elif op is sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op is sre_constants.ATOMIC_GROUP:
                walk(av)

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    ranked = sorted(counts, key=lambda c: (-counts[c], c))
    return [c for c in ranked if c.isprintable() or c in " \n\t"][:limit]


def adversarial_inputs(pattern: re.Pattern[str], size: int) -> Iterator[tuple[str, str]]:
    """(label, text) pairs: long runs of what the pattern repeats, and near misses."""
    chars = pattern_chars(pattern)
    generic = ["a", " ", ".", "7", "\n"]
    for ch in dict.fromkeys([*chars, *generic]):
        yield f"run of {ch!r}", ch * size
    for a in chars[:4]:
        for b in chars[:4]:
            if a != b:
                yield f"alternating {a!r}{b!r}", (a + b) * (size // 2)
    if chars:
        head = "".join(chars[:3])
        yield f"{head!r} then a run of 'a' and '!'", head + "a" * (size - len(head) - 1) + "!"


# -- static check: nested unbounded quantifiers --------------------------------------------


def nested_quantifiers(pattern: re.Pattern[str]) -> list[str]:
    """Outer unbounded repeats whose every iteration may be nothing but an inner unbounded
    repeat, as in ``(a+)+``, ``(\\s*\\w+)*``, ``(?:x|y*)*`` or ``(\\d{1,3})+``: the engine may split a run in
    exponentially many ways before it fails. A required literal or class between the
    repeats (``(\\w+\\.)+``) removes the ambiguity and is not reported."""
    found: list[str] = []
    unbounded = sre_constants.MAXREPEAT

    def only_repeats(items: Any) -> bool:
        """True if the sequence has an unbounded repeat and nothing else required."""
        has_repeat = False
        for op, av in items:
            if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                lo, hi, body = av
                if hi != lo:  # variable length: a run can be split between iterations
                    has_repeat = True
                elif lo > 0 and not only_repeats(body):
                    return False
            elif op is sre_constants.SUBPATTERN:
                if only_repeats(av[3]):
                    has_repeat = True
                else:
                    return False
            elif op is sre_constants.BRANCH:
                if any(only_repeats(branch) or not branch for branch in av[1]):
                    has_repeat = True
                else:
                    return False
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT, sre_constants.AT):
                continue
            else:
                return False
        return has_repeat

    def walk(items: Any) -> None:
        for op, av in items:
            if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
                _lo, hi, body = av
                if (hi is unbounded or hi > 16) and only_repeats(body):
                    found.append(str(body)[:120])
                walk(body)
            elif op is sre_constants.POSSESSIVE_REPEAT:
                walk(av[2])
            elif op is sre_constants.SUBPATTERN:
                walk(av[3])
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                walk(av[1])
            elif op is sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch)

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return found
