"""Pathological replies at full size: a 1 MB reply, 10,000 URLs, 100,000 repeated characters …

    python3 bench/robust_bench.py [--max-bytes 1000000] [--budget 60]

For each shape the size doubles from 16,000 characters up to ``--max-bytes`` (and to
the shape's own full size: 10,000 URLs, 100,000 repeated characters), timing one lint in
CPU seconds. The next size is skipped when the growth seen so far predicts more than
``--budget`` seconds, so a quadratic path is reported (with its growth exponent)
instead of running for an hour. The same shapes, smaller, are tests in
tests/robustness/test_linear_cost.py. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "robustness"))

from test_linear_cost import CASES, PROSE, _urls  # noqa: E402

FULL: dict[str, Callable[[], str]] = {
    "10,000 URLs": lambda: " ".join(f"https://shop{i}.example.com/p?id={i}" for i in range(10_000)),
    "100,000 × 'a'": lambda: "x " + "a" * 100_000,
    "100,000 × ' '": lambda: "x " + " " * 100_000,
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max-bytes", type=int, default=1_000_000)
    ap.add_argument(
        "--budget", type=float, default=60.0, help="CPU seconds one lint may be predicted to take"
    )
    args = ap.parse_args()
    if not 16_000 <= args.max_bytes <= 2_000_000:
        raise SystemExit("--max-bytes must be in [16000, 2000000] (the engine's limit is 2,000,000)")

    from replylint.engine import DEFAULT_MAX_CHARS, Linter

    linter = Linter()
    linter.warm()
    print(
        f"load {os.getloadavg()[0]:.2f}; CPU seconds per lint (lang en); "
        f"engine limit {DEFAULT_MAX_CHARS:,} chars"
    )
    largest = 0
    for name, text_of in FULL.items():
        text = text_of()
        start = time.process_time()
        linter.check_text(text, lang="en")
        cpu = time.process_time() - start
        largest = max(largest, len(text))
        print(f"{name:<32} {len(text):>9,} chars {cpu:8.2f} s", flush=True)
    corpus = REPO.parent / "shared" / "corpus" / "dev.jsonl"
    real = (
        "\n\n".join(
            json.loads(line)["text"]
            for line in corpus.read_text(encoding="utf-8").splitlines()
            if line.strip()
        )
        if corpus.exists()
        else PROSE
    )
    shapes: dict[str, Callable[[int], str]] = {
        "dev-corpus replies joined": lambda n: (real * (n // len(real) + 1))[:n],
        "one paragraph repeated": lambda n: (PROSE * (n // len(PROSE) + 1))[:n],
        "URLs": _urls,
    }
    shapes.update({k: v[0] for k, v in CASES.items() if k not in ("prose", "URLs")})
    for name, make in shapes.items():
        linter.check_text(make(300) + " warm", lang="en")
        sizes = sorted({*(16_000 * 2**k for k in range(8) if 16_000 * 2**k < args.max_bytes), args.max_bytes})
        row: list[tuple[int, float]] = []
        for n in sizes:
            if len(row) >= 2:
                (n1, t1), (n2, t2) = row[-2], row[-1]
                exponent = math.log(max(t2, 1e-3) / max(t1, 1e-3)) / math.log(n2 / n1)
                if t2 * (n / n2) ** max(exponent, 1.0) > args.budget:
                    break
            elif row and row[-1][1] * (n / row[-1][0]) > args.budget:
                break
            text = make(n)
            start = time.process_time()
            linter.check_text(text, lang="en")
            row.append((n, time.process_time() - start))
            largest = max(largest, n)
        cells = "  ".join(f"{k // 1000}k {t:.2f}s" for k, t in row)
        growth = ""
        if len(row) >= 2:
            (n1, t1), (n2, t2) = row[-2], row[-1]
            growth = f"  growth exponent {math.log(max(t2, 1e-3) / max(t1, 1e-3)) / math.log(n2 / n1):.2f}"
        stopped = "" if row and row[-1][0] >= args.max_bytes else "  (stopped: over budget)"
        print(f"{name:<32} {cells}{growth}{stopped}", flush=True)
    print(f"largest input linted: {largest:,} characters")


if __name__ == "__main__":
    main()
