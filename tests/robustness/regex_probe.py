"""Runs every shipped regex against adversarial inputs; one JSON line per slow case.

    python3 tests/robustness/regex_probe.py [SIZE] [THRESHOLD_SECONDS]

Run by test_pattern_safety.py in a child process: Python's regex engine cannot be
interrupted while it backtracks, so only a process with a time limit can stop a
catastrophic pattern. Before each pattern the probe prints ``{"start": where}``, so a
run that has to be killed still names the pattern it was stuck in.

A case is slow when one ``finditer`` over SIZE characters takes more than THRESHOLD
seconds of CPU (a linear scan of a few thousand characters takes well under a
millisecond); a slow case is timed again at four times the size, so the report says
how its cost grows. Patterns listed in ``ANCHORED_USE`` are timed as they are used.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pattern_inventory import ANCHORED_USE, adversarial_inputs, all_regexes


def scan_cpu(pattern: re.Pattern[str], text: str, mode: str = "finditer") -> float:
    """CPU seconds of one use of ``pattern`` on ``text``: every match, or one anchored try."""
    start = time.process_time()
    if mode == "match":
        pattern.match(text)
    elif mode == "fullmatch":
        pattern.fullmatch(text)
    else:
        for _ in pattern.finditer(text):
            pass
    return time.process_time() - start


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    threshold = float(sys.argv[2]) if len(sys.argv) > 2 else 0.01
    entries = all_regexes()
    inputs = 0
    for entry in entries:
        print(json.dumps({"start": entry.where}), flush=True)
        mode = ANCHORED_USE.get(entry.where, "finditer")
        for label, text in adversarial_inputs(entry.pattern, size):
            inputs += 1
            first = scan_cpu(entry.pattern, text, mode)
            if first <= threshold:
                continue
            best = min(first, scan_cpu(entry.pattern, text, mode))  # once more: the machine may be busy
            if best <= threshold:
                continue
            big = dict(adversarial_inputs(entry.pattern, size * 4))[label]
            slow = {
                "slow": entry.where,
                "pattern": entry.pattern.pattern[:200],
                "input": label,
                "mode": mode,
                "seconds": [best, scan_cpu(entry.pattern, big, mode)],
            }
            print(json.dumps(slow), flush=True)
            break  # one slow input names the pattern; the others would only cost time
    print(json.dumps({"done": len(entries), "inputs": inputs}), flush=True)


if __name__ == "__main__":
    main()
