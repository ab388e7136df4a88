"""No shipped regular expression backtracks catastrophically.

Static: no nested unbounded quantifier whose iterations could split a run in many ways
(``(a+)+``). Dynamic: every pattern (rule files, module-level patterns, literals in
the source; see pattern_inventory.py) scans long runs of the characters it repeats and
near misses, in a child process with a time limit, and the cost of each slow case is
compared at two sizes. User regexes run on RE2 (test_linear_regex.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pattern_inventory import all_regexes, nested_quantifiers, rule_regexes

PROBE = Path(__file__).with_name("regex_probe.py")

#: Quadratic under ``finditer`` on a long run, reported to the module's owner; each
#: entry says where and why. A pattern leaves this list when it is fixed.
KNOWN_QUADRATIC: dict[str, str] = {}  # none at present


@pytest.fixture(scope="module")
def regexes() -> list[object]:
    return list(all_regexes())


def test_the_inventory_finds_patterns_from_every_source(regexes: list[object]) -> None:
    wheres = [e.where for e in regexes]  # type: ignore[attr-defined]
    assert any(" regex" in w for w in wheres), "rule-file regex: patterns"
    assert any(" REGEX" in w for w in wheres), "token REGEX predicates"
    assert any(w.startswith("replylint.normalise.") for w in wheres), "module-level patterns"
    assert any(".py:" in w for w in wheres), "literals passed to re.* in functions"
    assert len(rule_regexes()) > 50


def test_no_shipped_pattern_nests_unbounded_quantifiers(regexes: list[object]) -> None:
    nested = {e.where: nested_quantifiers(e.pattern) for e in regexes}  # type: ignore[attr-defined]
    assert not {w: n for w, n in nested.items() if n}


def test_the_static_check_knows_the_classic_shapes() -> None:
    import re

    for bad in (r"(a+)+$", r"(\s*\w+)*!", r"(?:x|y*)*z", r"(?:\d{1,3}[.,]?)+$"):
        assert nested_quantifiers(re.compile(bad)), bad
    for fine in (r"(\w+\.)+com", r"(?:a|b)+", r"(?:\d{3})+", r"\w+(?:[_.]\w+)*"):
        assert not nested_quantifiers(re.compile(fine)), fine


def test_every_shipped_pattern_scans_adversarial_runs_in_linear_time() -> None:
    try:
        run = subprocess.run(
            [sys.executable, str(PROBE), "1500", "0.01"],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
        out = run.stdout
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        last = [json.loads(line) for line in out.splitlines() if line.startswith('{"start"')]
        pytest.fail(f"a pattern never finished (catastrophic backtracking?): {last[-1] if last else '?'}")
    assert run.returncode == 0, run.stderr[-2000:]
    lines = [json.loads(line) for line in out.splitlines()]
    done = lines[-1]
    assert done.get("done", 0) > 100 and done["inputs"] > 2000
    quadratic = {}
    for item in lines:
        if "slow" in item:
            small, large = item["seconds"]
            if large > 8 * small + 0.05:  # 4× the text: linear ≈ 4×, quadratic ≈ 16×
                quadratic[item["slow"]] = (
                    f"{item['input']}: {small:.3f} s → {large:.3f} s at 4× ({item['pattern']})"
                )
    new = {w: why for w, why in quadratic.items() if w not in KNOWN_QUADRATIC}
    assert not new, "quadratic patterns:\n" + "\n".join(f"{w}: {why}" for w, why in new.items())
