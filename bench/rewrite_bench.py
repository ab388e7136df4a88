"""Offline rewrite: quality on the dev corpus's non-clean replies, and latency.

    python3 bench/rewrite_bench.py                       # ../shared/corpus/dev.jsonl
    python3 bench/rewrite_bench.py CORPUS.jsonl --repeat 3

For every case that is not clean (a labelled violation, or a structure element
missing), the offline engine rewrites the draft and the linter judges the result:

* compliant: no policy diagnostic left;
* facts kept: every order id, tracking number, amount, date and name survived;
* structure: all four Acknowledge / Own / Offer / Verify elements, where the buyer
  raised a problem;
* tone-clean: no tone diagnostic left.

Latency is wall time of ``rewrite()`` per reply after a warm-up (pipelines loaded),
on one core; p50 / p95 / p99 / max over every timed call.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from replylint.engine import default_linter
from replylint.rewrite import RewriteOptions, rewrite
from replylint.rewrite.facts import missing_facts
from replylint.rewrite.guardrails import draft_facts
from replylint.schema import InputRecord

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev.jsonl"


def not_clean(case: dict[str, object]) -> bool:
    expect = case["expect"]
    assert isinstance(expect, dict)
    structure = expect.get("structure")
    return bool(expect.get("violations")) or (isinstance(structure, dict) and not all(structure.values()))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, nargs="?", default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=2, help="timed passes over the cases (default 2)")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    lines = args.corpus.read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    cases = [c for c in cases if not_clean(c)]
    records = [
        InputRecord(**{k: c[k] for k in ("id", "text", "buyer_message", "marketplace", "lang") if c.get(k)})
        for c in cases
    ]
    options = RewriteOptions(engine="offline")
    linter = default_linter()

    t0 = time.perf_counter()
    linter.warm()
    rewrite(records[0], linter=linter, options=options)
    cold = time.perf_counter() - t0

    # per language: cases, compliant, facts kept, structure applies, four elements, tone-clean
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for record in records:
        before = linter.check(record)
        response = rewrite(record, linter=linter, options=options)
        result = response.result
        row = per_lang[result.lang]
        row[0] += 1
        row[1] += not any(d.family == "policy" for d in result.diagnostics)
        row[2] += not missing_facts(draft_facts(record, before), response.text, result.lang)
        if result.structure.applies:
            s = result.structure
            row[3] += 1
            row[4] += s.acknowledgement and s.ownership and s.offer and s.next_step
        row[5] += not any(d.family == "tone" for d in result.diagnostics)

    timings: list[float] = []
    for _ in range(args.repeat):
        for record in records:
            start = time.perf_counter()
            rewrite(record, linter=linter, options=options)
            timings.append(time.perf_counter() - start)

    # For scale: one lint of the same drafts (a rewrite is a handful of lints).
    checks: list[float] = []
    for record in records:
        start = time.perf_counter()
        linter.check(record)
        checks.append((time.perf_counter() - start) * 1000)

    total = [sum(r[i] for r in per_lang.values()) for i in range(6)]
    header = ("lang", "cases", "compliant", "facts kept", "4 elements", "tone-clean")
    print(f"{header[0]:5} {header[1]:>5} {header[2]:>10} {header[3]:>11} {header[4]:>11} {header[5]:>11}")
    for lang, r in [*sorted(per_lang.items()), ("all", total)]:
        cells = f"{r[1]:>5}/{r[0]:<4} {r[2]:>6}/{r[0]:<4} {r[4]:>6}/{r[3]:<4} {r[5]:>6}/{r[0]:<4}"
        print(f"{lang:5} {r[0]:5} {cells}")
    ms = [t * 1000 for t in timings]
    print(
        f"latency over {len(ms)} rewrites: p50 {percentile(ms, 0.50):.1f} ms, "
        f"p95 {percentile(ms, 0.95):.1f} ms, "
        f"p99 {percentile(ms, 0.99):.1f} ms, max {max(ms):.1f} ms, mean {statistics.fmean(ms):.1f} ms; "
        f"cold start (load + first rewrite) {cold:.2f} s"
    )
    p50, p99 = percentile(checks, 0.50), percentile(checks, 0.99)
    print(f"one lint of the same drafts: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(
        f"summary: compliant {total[1] / total[0]:.1%} | facts kept {total[2] / total[0]:.1%} | "
        f"four elements {total[4] / max(total[3], 1):.1%} | tone-clean {total[5] / total[0]:.1%} | "
        f"p99 {percentile(ms, 0.99):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
