"""Load test of the HTTP API: open-loop latency of /v1/check and memory over 10,000 requests.

    python3 bench/load_api.py [--rates 50,100,200] [--seconds 15] [--memory-requests 10000]

Starts `replylint serve` (one worker) on a free loopback port, then:

1. warm-up: 3 s at 50 requests/s, not counted;
2. for each rate: an open-loop schedule of rate × seconds requests, request i sent at
   t0 + i/rate whatever happened to the earlier ones; latency counts from the
   scheduled time, so a stalled server cannot hide its queue (no coordinated omission);
3. memory: 10,000 more requests, four in flight, the server's RSS read from /proc
   after 1,000, 2,000 … 10,000 of them.

Replies are ~1 KB, built from the dev corpus (or examples/) in five languages, each with
a buyer message; every request carries new order numbers, names and amounts, so the
server keeps meeting words it has never seen, as in production. Loopback only; every
loop is bounded by a request count and a time limit, and the server is stopped at the
end. Not a test: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"
NAMES = ["Julia", "Marco", "Sophie", "Lukas", "Lucía", "Giulia", "Tom", "Amélie", "Jonas", "Pablo"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def load_cases(corpus: Path = CORPUS, size: int = 1024) -> list[dict[str, Any]]:
    """~1 KB replies per language, each with the buyer message of its first part."""
    by_lang: dict[str, list[dict[str, Any]]] = {}
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                by_lang.setdefault(case["lang"], []).append(case)
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples" / "replies").glob("*.txt"))]
        by_lang["en"] = [{"text": t, "buyer_message": None} for t in texts]
    cases = []
    for lang, items in sorted(by_lang.items()):
        buf, buyer = "", None
        for item in items * 3:
            buyer = buyer or item.get("buyer_message")
            buf += item["text"] + "\n\n"
            if len(buf) >= size:
                cases.append({"lang": lang, "text": buf[:size], "buyer_message": buyer})
                buf, buyer = "", None
    return cases


def make_body(cases: list[dict[str, Any]], n: int, rng: random.Random, auto_lang: bool) -> dict[str, Any]:
    case = cases[n % len(cases)]
    order = f"{rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"
    fresh = (
        f"{rng.choice(NAMES)}{rng.randrange(10**4)} #{order} {rng.randrange(1, 500)}.{rng.randrange(100):02d}"
    )
    text = (case["text"][: -len(fresh) - 2] + " " + fresh).strip()
    body = {
        "id": f"load-{n}",
        "text": text,
        "marketplace": "amazon",
        "lang": "auto" if auto_lang else case["lang"],
    }
    if case.get("buyer_message"):
        body["buyer_message"] = case["buyer_message"] + f" Order {order}."
    return body


@dataclass
class Run:
    rate: float
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int | str, int] = field(default_factory=dict)
    elapsed: float = 0.0


async def open_loop(
    client: httpx.AsyncClient,
    rate: float,
    count: int,
    cases: list[dict[str, Any]],
    rng: random.Random,
    auto_lang: bool,
    on_done: Any = None,
    limit_seconds: float = 120.0,
) -> Run:
    run = Run(rate)
    bodies = [make_body(cases, i, rng, auto_lang) for i in range(count)]
    start = time.perf_counter() + 0.05

    async def one(i: int) -> None:
        scheduled = start + i / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        try:
            response = await client.post("/v1/check", json=bodies[i])
            key: int | str = response.status_code
        except httpx.HTTPError as exc:
            key = type(exc).__name__
        run.latencies.append(time.perf_counter() - scheduled)
        run.statuses[key] = run.statuses.get(key, 0) + 1
        if on_done is not None:
            on_done()

    tasks = [asyncio.create_task(one(i)) for i in range(count)]
    _, pending = await asyncio.wait(tasks, timeout=count / rate + limit_seconds)
    for task in pending:
        task.cancel()
    run.elapsed = time.perf_counter() - start
    return run


async def memory_run(
    client: httpx.AsyncClient,
    pid: int,
    total: int,
    cases: list[dict[str, Any]],
    rng: random.Random,
    auto_lang: bool,
    in_flight: int = 4,
    limit_seconds: float = 1800.0,
) -> list[tuple[int, float]]:
    """``total`` requests, ``in_flight`` at a time; RSS after every 1,000 (bounded in time)."""
    samples: list[tuple[int, float]] = [(0, rss_mb(pid))]
    done = 0
    deadline = time.monotonic() + limit_seconds

    async def worker(offset: int) -> None:
        nonlocal done
        for i in range(offset, total, in_flight):
            if time.monotonic() > deadline:
                return
            await client.post("/v1/check", json=make_body(cases, i, rng, auto_lang))
            done += 1
            if done % 1000 == 0:
                samples.append((done, rss_mb(pid)))

    await asyncio.gather(*(worker(k) for k in range(in_flight)))
    return samples


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k] * 1000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_server(proc: subprocess.Popen[bytes], log: Any) -> None:
    """Stop the server as Ctrl-C would (killed after 20 s), and remove its log."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    os.unlink(log.name)


def start_server(port: int, log: Any, extra_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPLYLINT_")}
    env.update(
        {
            "REPLYLINT_RATE_LIMIT": "off",  # the load generator is one client
            "REPLYLINT_WORKERS": "1",
            **extra_env,
        }
    )
    return subprocess.Popen(
        [sys.executable, "-m", "replylint", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=log,
    )


async def wait_ready(client: httpx.AsyncClient, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if (await client.get("/readyz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.25)
    raise SystemExit("the server did not become ready")


async def bench(args: argparse.Namespace) -> None:
    port = free_port()
    cases = load_cases(args.corpus)
    rng = random.Random(20241125)
    log = tempfile.NamedTemporaryFile(prefix="replylint-serve-", suffix=".log", delete=False)  # noqa: SIM115
    extra_env = {} if args.access_log else {"REPLYLINT_ACCESS_LOG": "false"}
    proc = start_server(port, log, extra_env)
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=1000)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=30.0
        ) as client:
            await wait_ready(client, proc)
            print(f"server pid {proc.pid}, port {port}; {len(cases)} distinct ~1 KB replies", flush=True)
            print(f"load: {os.getloadavg()[0]:.2f} (1-min average) before the run", flush=True)
            await open_loop(client, 50, 150, cases, rng, args.auto_lang)  # warm-up

            print(f"\n/v1/check, one worker, open loop, lang {'detected' if args.auto_lang else 'given'}")
            print(
                f"{'rate':>6} {'sent':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'max ms':>8} "
                f"{'CPU ms/req':>10}  statuses"
            )
            for rate in args.rates if args.latency else []:
                count = int(rate * args.seconds)
                cpu_before = cpu_seconds(proc.pid)
                run = await open_loop(client, rate, count, cases, rng, args.auto_lang)
                cpu = (cpu_seconds(proc.pid) - cpu_before) / max(1, len(run.latencies)) * 1000
                print(
                    f"{rate:>6.0f} {len(run.latencies):>6} {pct(run.latencies, 50):>8.1f} "
                    f"{pct(run.latencies, 90):>8.1f} {pct(run.latencies, 99):>8.1f} "
                    f"{max(run.latencies) * 1000:>8.1f} {cpu:>10.2f}  {run.statuses}",
                    flush=True,
                )
                await asyncio.sleep(1.0)

            if args.memory_requests:
                print(f"\nmemory: server RSS during {args.memory_requests:,} requests (4 in flight)")
                samples = await memory_run(client, proc.pid, args.memory_requests, cases, rng, args.auto_lang)
                for n, mb in samples:
                    print(f"  after {n:>6,} requests: {mb:7.1f} MB", flush=True)
                by_n = dict(samples)
                if 1000 in by_n and args.memory_requests in by_n:
                    growth = by_n[args.memory_requests] - by_n[1000]
                    print(f"  growth from 1,000 to {args.memory_requests:,}: {growth:+.1f} MB")
            print(f"\nload: {os.getloadavg()[0]:.2f} (1-min average) after the run")
    finally:
        stop_server(proc, log)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL replies (default: the dev corpus)")
    ap.add_argument("--rates", default="50,100,200", help="requests per second, comma-separated")
    ap.add_argument("--seconds", type=float, default=15.0, help="duration of each rate")
    ap.add_argument("--memory-requests", type=int, default=10_000, help="0 to skip the memory run")
    ap.add_argument("--no-latency", dest="latency", action="store_false", help="skip the rate runs")
    ap.add_argument("--auto-lang", action="store_true", help="send lang 'auto' (detection on every request)")
    ap.add_argument(
        "--no-access-log", dest="access_log", action="store_false", help="turn the access log off"
    )
    args = ap.parse_args()
    args.rates = [float(r) for r in args.rates.split(",") if r.strip()]
    if any(r <= 0 or r > 2000 for r in args.rates) or not 0 < args.seconds <= 120:
        raise SystemExit("rates must be in (0, 2000] and --seconds in (0, 120]")
    if not 0 <= args.memory_requests <= 100_000:
        raise SystemExit("--memory-requests must be between 0 and 100,000")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
