"""Throughput worker for proselint, run by bench/compare.py in its own process.

    PYTHONPATH=bench/.peers/python python3 bench/peers/proselint_worker.py REPLIES.json SECONDS

Reads a JSON list of replies, lints them with proselint's Python API
(``proselint.tools.LintFile(...).lint()`` after registering every check, as its
CLI does), one warm-up pass not counted, then loops
over them until SECONDS have passed (at least one full pass), timing each call. Prints
one JSON object on stdout. Start-up (imports, first check) is reported separately.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main() -> None:
    path, seconds = sys.argv[1], float(sys.argv[2])
    t0 = time.perf_counter()
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile
    from proselint.version import __version__

    CheckRegistry().register_many(__register__)  # what proselint's own CLI does first

    replies: list[str] = json.loads(Path(path).read_text(encoding="utf-8"))
    LintFile("reply", replies[0]).lint()
    startup = time.perf_counter() - t0
    for text in replies[: min(len(replies), 20)]:  # warm-up, not counted
        LintFile("reply", text).lint()
    latencies: list[float] = []
    findings = 0
    cpu0, start = time.process_time(), time.perf_counter()
    while True:
        for text in replies:
            a = time.perf_counter()
            findings += len(LintFile("reply", text).lint())
            latencies.append(time.perf_counter() - a)
        if time.perf_counter() - start >= seconds:
            break
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu0
    out = {
        "tool": "proselint",
        "version": __version__,
        "done": len(latencies),
        "elapsed": elapsed,
        "cpu": cpu,
        "latencies": latencies,
        "findings": findings,
        "startup": startup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
