"""Batch benchmark: wall time, throughput and peak memory of `replylint batch`.

    python3 bench/batch_bench.py                       # 100,000 replies, --jobs 2
    python3 bench/batch_bench.py -n 20000 --jobs 1     # smaller, one process
    python3 bench/batch_bench.py --profile 3000        # where one process spends its time

The input is generated into a temporary directory (never committed) by sampling
the dev corpus and perturbing each reply: names, order numbers, amounts and
punctuation change, sentences of other replies in the same language are
appended, and every record gets an agent, an order id and created/replied
timestamps, so the report has all its sections. The run includes the HTML
report and the summary. Memory is sampled every 100 ms over the whole process
tree: the sum of RSS (what `top` shows, counting pages shared by forked workers
once per process) and the sum of PSS (shared pages split between the processes
that share them: the memory the run really takes).

Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"
NAMES = ["Sam", "Julia", "Ahmed", "Chloé", "Jürgen", "Lucía", "Giulia", "Tom", "Priya", "Marco", "Anna"]
AGENTS = [f"agent-{i:02d}" for i in range(1, 25)]
_NAME = re.compile(r"\b(Hi|Hello|Dear|Bonjour|Hallo|Hola|Ciao|Buongiorno|Guten Tag)\s+([A-ZÀ-Ý][a-zà-ÿ]+)")
_NUMBER = re.compile(r"\d{2,}")


def load_corpus(path: Path) -> list[dict[str, str]]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            case = json.loads(line)
            cases.append(
                {
                    "text": case["text"],
                    "buyer_message": case.get("buyer_message") or "",
                    "lang": case.get("lang") or "",
                    "marketplace": case.get("marketplace") or "amazon",
                }
            )
    return cases


def perturb(rng: random.Random, case: dict[str, str], same_lang: list[dict[str, str]]) -> dict[str, str]:
    text = _NAME.sub(lambda m: f"{m.group(1)} {rng.choice(NAMES)}", case["text"])
    text = _NUMBER.sub(lambda m: "".join(rng.choice("0123456789") for _ in m.group(0)), text)
    if rng.random() < 0.3 and same_lang:
        extra = rng.choice(same_lang)["text"].split("\n")[-1]
        text = f"{text}\n{extra}"
    if rng.random() < 0.1:
        text = text.replace(".", "!", 1)
    if rng.random() < 0.05:
        text = text.lower()
    return {**case, "text": text}


def generate(path: Path, n: int, seed: int = 7, keep_lang: float = 1.0) -> None:
    rng = random.Random(seed)
    cases = load_corpus(CORPUS)
    by_lang: dict[str, list[dict[str, str]]] = {}
    for case in cases:
        by_lang.setdefault(case["lang"], []).append(case)
    start = 1_704_067_200  # 2024-01-01
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            case = rng.choice(cases)
            rec: dict[str, object] = perturb(rng, case, by_lang.get(case["lang"], []))
            if rng.random() >= keep_lang:
                rec.pop("lang")
            if not rec.get("buyer_message"):
                rec.pop("buyer_message")
            created = start + int(i / n * 90 * 86400) + rng.randint(0, 3600)
            rec.update(
                id=f"b-{i:06d}",
                agent=rng.choice(AGENTS),
                order_id=f"{rng.randint(100, 999)}-{rng.randint(0, n // 3):07d}-1",
                created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(created)),
                replied_at=time.strftime(
                    "%Y-%m-%dT%H:%M:%SZ", time.gmtime(created + int(rng.expovariate(1 / 8) * 3600))
                ),
            )
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _tree(root: int) -> list[int]:
    """``root`` and all its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(parents.get(pid, []))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class MemorySampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = 0
        self.peak_procs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.pid)
            totals = [_memory_kb(p) for p in pids]
            self.peak_rss = max(self.peak_rss, sum(t[0] for t in totals))
            self.peak_pss = max(self.peak_pss, sum(t[1] for t in totals))
            self.peak_procs = max(self.peak_procs, len(pids))
            self.stop.wait(0.1)


def run_batch(src: Path, work: Path, jobs: int) -> None:
    out, report, summary = work / "out.jsonl", work / "report.html", work / "summary.json"
    cmd = [sys.executable, "-m", "replylint", "batch", str(src), "-o", str(out), "--jobs", str(jobs)]
    cmd += ["--report", str(report), "--summary", str(summary), "--no-progress"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    sampler = MemorySampler(proc.pid)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"replylint batch failed ({proc.returncode}):\n{err}")
    n_in = sum(1 for _ in src.open("rb"))
    n_out = sum(1 for _ in out.open("rb"))
    errors = sum(1 for line in out.open(encoding="utf-8") if '"error":{' in line)
    print(f"records: {n_in:,} in, {n_out:,} out ({errors:,} error records)")
    print(f"wall time (start-up, linting, report): {wall:.1f} s")
    print(f"throughput: {n_in / wall:,.0f} replies/s with --jobs {jobs}")
    print(
        f"CPU time of the process tree: {cpu:.1f} s, {n_in / cpu:,.0f} replies per CPU-second; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs "
        "(other work on the machine stretches the wall time, not the CPU time)"
    )
    print(
        f"peak memory, process tree ({sampler.peak_procs} processes): "
        f"PSS {sampler.peak_pss / 1024:,.0f} MB, sum of RSS {sampler.peak_rss / 1024:,.0f} MB"
    )
    print(f"report: {report.stat().st_size / 1024:,.0f} KB; replylint said: {err.strip().splitlines()[-1]}")


def profile(src: Path, n: int) -> None:
    """One process, first ``n`` records: where the time goes."""
    from replylint.batch import BatchRunner, BatchSettings
    from replylint.records import iter_records
    from replylint.report import Aggregate

    runner = BatchRunner(BatchSettings(), jobs=1)
    items = list(iter_records(str(src), raw_jsonl=True))[:n]
    for _ in runner.run(items[:200]):  # warm the pipelines outside the profile
        pass
    agg = Aggregate()
    prof = cProfile.Profile()
    started = time.perf_counter()
    prof.enable()
    for chunk in runner.run(items):
        for _payload, processed in chunk:
            agg.add(processed.summary)
    prof.disable()
    elapsed = time.perf_counter() - started
    print(f"{len(items):,} records in {elapsed:.1f} s on one core (profiled): {len(items) / elapsed:,.0f}/s")
    stats = pstats.Stats(prof)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--records", type=int, default=100_000)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep-lang", type=float, default=1.0, help="share of records that keep their lang")
    ap.add_argument("--profile", type=int, default=0, metavar="N", help="profile N records in one process")
    args = ap.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} is missing: the generator samples the dev corpus")
    with tempfile.TemporaryDirectory(prefix="replylint-bench-") as tmp:
        work = Path(tmp)
        src = work / "in.jsonl"
        n = args.profile or args.records
        generate(src, n, keep_lang=args.keep_lang)
        print(f"input: {n:,} replies, {src.stat().st_size / 1e6:,.1f} MB, generated from {CORPUS.name}")
        if args.profile:
            profile(src, args.profile)
        else:
            run_batch(src, work, args.jobs)


if __name__ == "__main__":
    main()
