"""replylint beside the linters a seller might try instead, on the same replies, in one run.

    python3 bench/compare.py [--seconds 10] [--no-install] [--no-cli] [--no-api]

Peers: proselint (PyPI) and alex and write-good (npm). They are installed by this
script, the first time, into the git-ignored ``bench/.peers/`` (``npm install --prefix
bench/.peers alex write-good`` and ``pip install --target bench/.peers/python
proselint``); nothing of theirs is committed. A peer that cannot be installed or run is
reported as such and the rest is still printed.

Fairness: every tool lints the same ~1 KB replies (the dev corpus, five languages,
joined per language as in core_bench.py) in one long-running process: replylint and
proselint through their Python APIs, alex and write-good in one node process each that
reads the replies and times every call inside. Start-up (imports, rule loading, first
call) and one warm-up pass are not counted in throughput; they are reported apart, as
is the cold start of each command line on one file. Wall time and CPU time are both
measured, so a busy machine shows up as a gap between them. The peers are English-only
style checkers: the point is the cost per reply a user pays, not equal findings.

Then, unless ``--no-api``: API latency under load and server memory, by running
bench/load_api.py (shorter settings than its defaults). Loopback only; every loop is
bounded in count and time. Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PEERS = HERE / ".peers"
PEERS_PY = PEERS / "python"
sys.path.insert(0, str(HERE))

from core_bench import load_replies, percentile  # noqa: E402

PROSELINT_VERSION = "0.16.0"
NODE_PEERS = ("alex", "write-good")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        ram = f", {kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import version

    return (
        f"{cpu}, {os.cpu_count()} cores{ram}; Python {platform.python_version()}, "
        f"spaCy {version('spacy')}; load {os.getloadavg()[0]:.2f}"
    )


# -- peers: install ----------------------------------------------------------------------


def _install(tool: str, cmd: list[str]) -> None:
    """Run an installer; on failure print its last line (the peer is then reported missing)."""
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
    if run.returncode:
        tail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["?"]
        print(f"  {tool} failed: {tail[0]}", flush=True)


def install_peers(allow: bool) -> dict[str, str]:
    """Install what is missing; returns {peer: why it is unavailable}."""
    missing: dict[str, str] = {}
    node = shutil.which("node")
    npm = shutil.which("npm")
    node_missing = [p for p in NODE_PEERS if not (PEERS / "node_modules" / p / "package.json").exists()]
    if node_missing and allow and npm:
        print(f"installing {', '.join(node_missing)} into {PEERS.relative_to(REPO)} (npm) …", flush=True)
        _install("npm", [npm, "install", "--prefix", str(PEERS), "--no-audit", "--no-fund", *NODE_PEERS])
    for peer in NODE_PEERS:
        if node is None:
            missing[peer] = "node is not installed"
        elif not (PEERS / "node_modules" / peer / "package.json").exists():
            missing[peer] = (
                "not installed (npm unavailable or failed; see above)" if allow else "not installed"
            )
    if not (PEERS_PY / "proselint").exists() and allow:
        print(
            f"installing proselint {PROSELINT_VERSION} into {PEERS_PY.relative_to(REPO)} (pip) …", flush=True
        )
        _install(
            "pip",
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--target",
                str(PEERS_PY),
                f"proselint=={PROSELINT_VERSION}",
            ],
        )
    if not (PEERS_PY / "proselint").exists():
        missing["proselint"] = (
            "not installed (pip unavailable or failed; see above)" if allow else "not installed"
        )
    return missing


# -- throughput ---------------------------------------------------------------------------


def measure_replylint(replies: list[tuple[str, str]], seconds: float, lang_given: bool) -> dict[str, Any]:
    t0 = time.perf_counter()
    from replylint.__about__ import __version__
    from replylint.engine import Linter

    linter = Linter()
    linter.warm()
    startup = time.perf_counter() - t0
    for lang, text in replies:  # warm-up pass, not counted (as for the peers)
        linter.check_text(text, lang=lang if lang_given else None)
    latencies: list[float] = []
    findings = 0
    cpu0, start = time.process_time(), time.perf_counter()
    while True:
        for lang, text in replies:
            a = time.perf_counter()
            findings += len(linter.check_text(text, lang=lang if lang_given else None).diagnostics)
            latencies.append(time.perf_counter() - a)
        if time.perf_counter() - start >= seconds:
            break
    return {
        "tool": "replylint" + ("" if lang_given else " (lang detected)"),
        "version": __version__,
        "done": len(latencies),
        "elapsed": time.perf_counter() - start,
        "cpu": time.process_time() - cpu0,
        "latencies": latencies,
        "findings": findings,
        "startup": startup,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run_worker(peer: str, replies_file: Path, seconds: float) -> dict[str, Any]:
    if peer == "proselint":
        env = {**os.environ, "PYTHONPATH": str(PEERS_PY)}
        cmd = [sys.executable, str(HERE / "peers" / "proselint_worker.py"), str(replies_file), str(seconds)]
    else:
        env = dict(os.environ)
        cmd = ["node", str(HERE / "peers" / "node_worker.mjs"), peer, str(replies_file), str(seconds)]
    t0 = time.perf_counter()
    run = subprocess.run(
        cmd, capture_output=True, text=True, env=env, timeout=seconds * 20 + 300, check=False
    )
    if run.returncode:
        tail = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        raise RuntimeError(tail)
    result: dict[str, Any] = json.loads(run.stdout)
    result["process"] = time.perf_counter() - t0
    return result


# -- cold start of each command line --------------------------------------------------------


def cold_starts(sample: Path, missing: dict[str, str], runs: int = 3) -> dict[str, float | str]:
    commands: dict[str, list[str]] = {
        "replylint": [sys.executable, "-m", "replylint", "check", str(sample), "--lang", "en", "-q"],
    }
    env_py = {**os.environ, "PYTHONPATH": str(PEERS_PY)}
    if "proselint" not in missing:
        commands["proselint"] = [sys.executable, "-m", "proselint", "check", str(sample)]
    if "alex" not in missing:
        commands["alex"] = ["node", str(PEERS / "node_modules" / "alex" / "cli.js"), str(sample)]
    if "write-good" not in missing:
        commands["write-good"] = [
            "node",
            str(PEERS / "node_modules" / "write-good" / "bin" / "write-good.js"),
            str(sample),
        ]
    out: dict[str, float | str] = {}
    for name, cmd in commands.items():
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run = subprocess.run(
                cmd, capture_output=True, env=env_py, timeout=300, check=False, cwd=tempfile.gettempdir()
            )
            times.append(time.perf_counter() - t0)
        # exit status 1 means "found something" for these tools; only a crash is an error
        out[name] = (
            sorted(times)[len(times) // 2] if run.returncode in (0, 1) else f"failed ({run.returncode})"
        )
    return out


# -- report -------------------------------------------------------------------------------


def table(results: list[dict[str, Any]], base: dict[str, Any]) -> None:
    print(
        f"\n{'tool':<27}{'version':>9}{'replies/s':>11}{'per CPU-s':>11}{'replylint ×':>13}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'start-up s':>12}{'peak RSS MB':>13}"
    )
    base_cpu = base["done"] / base["cpu"]
    for r in results:
        if "error" in r:
            print(f"{r['tool']:<27}  unavailable: {r['error']}")
            continue
        rate, per_cpu = r["done"] / r["elapsed"], r["done"] / max(r["cpu"], 1e-9)
        ratio = "" if r is base else f"{base_cpu / per_cpu:.1f}×"
        print(
            f"{r['tool']:<27}{r['version']:>9}{rate:>11,.0f}{per_cpu:>11,.0f}{ratio:>13}"
            f"{percentile(r['latencies'], 50) * 1000:>9.2f}{percentile(r['latencies'], 99) * 1000:>9.2f}"
            f"{r['startup']:>12.2f}{r['peak_rss_mb']:>13.0f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "dev.jsonl")
    ap.add_argument("--seconds", type=float, default=10.0, help="time budget of each throughput loop")
    ap.add_argument(
        "--no-install", dest="install", action="store_false", help="use only peers already installed"
    )
    ap.add_argument("--no-cli", dest="cli", action="store_false", help="skip the command-line cold starts")
    ap.add_argument("--no-api", dest="api", action="store_false", help="skip the API load run")
    args = ap.parse_args()
    if not 0 < args.seconds <= 120:
        raise SystemExit("--seconds must be in (0, 120]")
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    print(f"machine: {machine()}", flush=True)
    missing = install_peers(args.install)
    replies = load_replies(args.corpus)
    langs = sorted({lang for lang, _ in replies})
    print(f"replies: {len(replies)} distinct, ~1 KB each, languages {', '.join(langs)}", flush=True)

    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="replylint-compare-") as tmp:
        replies_file = Path(tmp) / "replies.json"
        replies_file.write_text(json.dumps([text for _, text in replies]), encoding="utf-8")
        for peer in ("proselint", *NODE_PEERS):
            if peer in missing:
                results.append({"tool": peer, "error": missing[peer]})
                continue
            print(f"measuring {peer} …", flush=True)
            try:
                results.append(run_worker(peer, replies_file, args.seconds))
            except (RuntimeError, ValueError, subprocess.TimeoutExpired, OSError) as exc:
                results.append({"tool": peer, "error": str(exc)})
        print("measuring replylint …", flush=True)
        # replylint last: its process has imported nothing of the peers
        given = measure_replylint(replies, args.seconds, lang_given=True)
        detected = measure_replylint(replies, args.seconds, lang_given=False)

        base = given
        print(
            "\nthroughput on one core, same replies, start-up and warm-up excluded; "
            "'replylint ×' = replylint's replies per CPU-second (lang given) over the tool's"
        )
        table([given, detected, *results], base)
        lat = given["latencies"]
        print(
            f"\nreplylint in-process latency (lang given, {len(lat):,} calls): "
            + "  ".join(f"p{p} {percentile(lat, p) * 1000:.2f} ms" for p in (50, 90, 99, 99.9))
            + f"  max {max(lat) * 1000:.2f} ms"
        )

        if args.cli:
            sample = Path(tmp) / "reply.txt"
            sample.write_text(replies[0][1] if replies else "Thanks for your order!", encoding="utf-8")
            print("\ncommand-line cold start, one ~1 KB file (median of 3):")
            for name, value in cold_starts(sample, missing).items():
                print(f"  {name:<12} {value if isinstance(value, str) else f'{value:.2f} s'}")

    if args.api:
        print(
            "\nAPI under load (bench/load_api.py --rates 10,25 --seconds 10 --memory-requests 2000):",
            flush=True,
        )
        subprocess.run(
            [
                sys.executable,
                str(HERE / "load_api.py"),
                "--rates",
                "10,25",
                "--seconds",
                "10",
                "--memory-requests",
                "2000",
            ],
            timeout=1800,
            check=False,
        )
    print(f"\nload after the run: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
