"""Mixed-endpoint load on the HTTP API: zero errors and flat memory over 10,000 requests.

    python3 bench/load_mixed.py [--requests 10000] [--in-flight 4] [--vocab-limit N]

Starts ``replylint serve`` (one worker, no model configured, so /v1/rewrite uses the
offline engine) on a free loopback port and sends a fixed, seeded mix of requests, a few
in flight at a time: /v1/check 50 %, /v1/check/batch (5 records) 10 %, /v1/rewrite 10 %,
/v1/rules and /v1/rules/{id} 15 %, /healthz 15 %. Every reply is ~1 KB from the dev
corpus with fresh order numbers and names (see load_api.py). Prints the status counts
per endpoint (any status but 200 is an error), latency percentiles per endpoint, and the
server's RSS after every 1,000 requests, then the growth from 1,000 to the end.
Loopback only; bounded by the request count and a time limit. Exit status 1 on any
error. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load_api import (
    CORPUS,
    free_port,
    load_cases,
    make_body,
    pct,
    rss_mb,
    start_server,
    stop_server,
    wait_ready,
)

MIX = [("check", 50), ("batch", 10), ("rewrite", 10), ("rules", 8), ("rule", 7), ("healthz", 15)]


def plan(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = [name for name, _ in MIX]
    weights = [w for _, w in MIX]
    return rng.choices(names, weights, k=count)


async def send(
    client: httpx.AsyncClient,
    kind: str,
    i: int,
    cases: list[dict[str, Any]],
    rng: random.Random,
    rule_ids: list[str],
) -> httpx.Response:
    if kind == "check":
        return await client.post("/v1/check", json=make_body(cases, i, rng, False))
    if kind == "batch":
        records = [make_body(cases, i * 5 + k, rng, False) for k in range(5)]
        return await client.post("/v1/check/batch", json={"records": records})
    if kind == "rewrite":
        return await client.post("/v1/rewrite", json=make_body(cases, i, rng, False))
    if kind == "rules":
        return await client.get("/v1/rules")
    if kind == "rule":
        return await client.get(f"/v1/rules/{rule_ids[i % len(rule_ids)]}")
    return await client.get("/healthz")


async def run(args: argparse.Namespace) -> int:
    port = free_port()
    cases = load_cases(args.corpus)
    rng = random.Random(20261125)
    kinds = plan(args.requests, 20261125)
    log = tempfile.NamedTemporaryFile(prefix="replylint-serve-", suffix=".log", delete=False)  # noqa: SIM115
    extra = {"REPLYLINT_ACCESS_LOG": "false"}
    if args.vocab_limit is not None:
        extra["REPLYLINT_VOCAB_LIMIT"] = str(args.vocab_limit)
    proc = start_server(port, log, extra)
    statuses: dict[str, Counter[int | str]] = defaultdict(Counter)
    latencies: dict[str, list[float]] = defaultdict(list)
    samples: list[tuple[int, float]] = []
    done = 0
    deadline = time.monotonic() + args.limit_seconds
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60.0) as client:
            await wait_ready(client, proc)
            rule_ids = [r["id"] for r in (await client.get("/v1/rules")).json()]
            print(
                f"server pid {proc.pid}; load {os.getloadavg()[0]:.2f}; {args.requests:,} requests",
                flush=True,
            )
            samples.append((0, rss_mb(proc.pid)))
            start = time.perf_counter()

            async def worker(offset: int) -> None:
                nonlocal done
                for i in range(offset, args.requests, args.in_flight):
                    if time.monotonic() > deadline:
                        return
                    kind = kinds[i]
                    t0 = time.perf_counter()
                    try:
                        response = await send(client, kind, i, cases, rng, rule_ids)
                        key: int | str = response.status_code
                    except httpx.HTTPError as exc:
                        key = type(exc).__name__
                    latencies[kind].append(time.perf_counter() - t0)
                    statuses[kind][key] += 1
                    done += 1
                    if done % 1000 == 0:
                        samples.append((done, rss_mb(proc.pid)))
                        print(f"  {done:>6,} requests, server RSS {samples[-1][1]:7.1f} MB", flush=True)

            await asyncio.gather(*(worker(k) for k in range(args.in_flight)))
            elapsed = time.perf_counter() - start
    finally:
        stop_server(proc, log)

    errors = sum(n for c in statuses.values() for k, n in c.items() if k != 200)
    print(f"\n{done:,} requests in {elapsed:.0f} s ({done / elapsed:.0f}/s), {args.in_flight} in flight")
    print(f"{'endpoint':<10}{'count':>7}{'p50 ms':>9}{'p99 ms':>9}  statuses")
    for kind, _ in MIX:
        if latencies[kind]:
            print(
                f"{kind:<10}{len(latencies[kind]):>7}{pct(latencies[kind], 50):>9.1f}"
                f"{pct(latencies[kind], 99):>9.1f}  {dict(statuses[kind])}"
            )
    by_n = dict(samples)
    if 1000 in by_n and done in by_n:
        print(
            f"server RSS after 1,000: {by_n[1000]:.1f} MB; after {done:,}: {by_n[done]:.1f} MB "
            f"({by_n[done] - by_n[1000]:+.1f} MB)"
        )
    print(f"errors: {errors}")
    return 1 if errors or done < args.requests else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--in-flight", type=int, default=4)
    ap.add_argument(
        "--vocab-limit", type=int, default=None, help="the server's REPLYLINT_VOCAB_LIMIT (default: its own)"
    )
    ap.add_argument("--limit-seconds", type=float, default=3600.0, help="stop sending after this long")
    args = ap.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.in_flight <= 64:
        raise SystemExit("--requests must be in [1, 100000] and --in-flight in [1, 64]")
    raise SystemExit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()
