"""Core engine benchmark: throughput, latency percentiles, memory, CLI cold start.

    python3 bench/core_bench.py [--corpus ../shared/corpus/dev.jsonl] [--seconds 10]

Replies of about 1 KB are built by joining dev-corpus replies of one language (or
from examples/ when the corpus is absent). Runs in one process on one core; prints
a table. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load_replies(corpus: Path, size: int = 1024) -> list[tuple[str, str]]:
    by_lang: dict[str, list[str]] = {}
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                by_lang.setdefault(case["lang"], []).append(case["text"])
    else:
        texts = [p.read_text() for p in sorted((REPO / "examples" / "replies").glob("*.txt"))]
        by_lang["en"] = texts
    replies = []
    for lang, texts in sorted(by_lang.items()):
        buf = ""
        for text in texts * 3:
            buf += text + "\n\n"
            if len(buf) >= size:
                replies.append((lang, buf[:size]))
                buf = ""
    return replies


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


def cli_cold_start(runs: int = 3) -> dict[str, float]:
    sample = REPO / "examples" / "replies" / "good-reply.txt"
    out = {}
    for lang in ("en", "fr"):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "replylint", "check", str(sample), "--lang", lang, "-q"],
                capture_output=True,
                check=False,
            )
            times.append(time.perf_counter() - t0)
        out[lang] = statistics.median(times)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "dev.jsonl")
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget of the throughput loop")
    ap.add_argument("--no-cli", action="store_true", help="skip the CLI cold-start runs")
    args = ap.parse_args()

    os.environ.setdefault("OMP_NUM_THREADS", "1")
    t0 = time.perf_counter()
    from replylint.engine import Linter

    linter = Linter()
    linter.warm()
    startup = time.perf_counter() - t0
    replies = load_replies(args.corpus)
    for lang, text in replies:  # warm caches once, like a long-running service
        linter.check_text(text, lang=lang)

    latencies: list[float] = []
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for lang, text in replies:
            a = time.perf_counter()
            linter.check_text(text, lang=lang)
            latencies.append(time.perf_counter() - a)
            done += 1
    elapsed = time.perf_counter() - start

    auto = []
    for _lang, text in replies[:200]:
        a = time.perf_counter()
        linter.check_text(text)
        auto.append(time.perf_counter() - a)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"replies: {len(replies)} distinct, ~1 KB each, {done} linted in {elapsed:.1f} s")
    print(f"engine start-up (5 languages warmed): {startup:.2f} s")
    print(f"throughput (lang given):  {done / elapsed:,.0f} replies/s on one core")
    print(
        f"latency (lang given):     p50 {percentile(latencies, 50) * 1000:.2f} ms  "
        f"p90 {percentile(latencies, 90) * 1000:.2f} ms  p99 {percentile(latencies, 99) * 1000:.2f} ms"
    )
    print(
        f"latency (lang detected):  p50 {percentile(auto, 50) * 1000:.2f} ms"
        f"  p99 {percentile(auto, 99) * 1000:.2f} ms"
    )
    print(f"peak RSS: {rss_mb:.0f} MB")
    if not args.no_cli:
        cold = cli_cold_start()
        print("CLI cold start, one file: " + ", ".join(f"{k} {v:.2f} s" for k, v in cold.items()))


if __name__ == "__main__":
    main()
