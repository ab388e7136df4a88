"""CI benchmark: `replylint check` on a repository of macro files, from the command line.

    python3 bench/ci_bench.py [--files 2000] [--keep DIR]

Generates a macro repository in a temporary directory (Jinja2, Liquid, Handlebars
and HTML templates in five languages, one folder per language, some with policy
problems; every file different), then times the command as a user runs it:

1. cold, no cache, one process (``--no-cache -j 1``);
2. cold, no cache, the default worker processes (``--no-cache``);
3. a cold process with a warm results cache (the second run in CI, or a local
   re-run after editing a few files).

and breaks the cold run down in-process: imports, configuration and rules, the
first file of each language (pipeline and compiled rules), and the steady per-file
cost. Wall-clock and CPU times (user + system) are printed: on a shared machine
the CPU time is the steadier figure (the breakdown is in CPU time only). Not a
test; numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GREETING = {
    "en": ["Hi {{ ticket.requester.first_name }},", "Hello {{buyer_name}},", "Dear {{{buyer.name}}},"],
    "fr": ["Bonjour {{ ticket.requester.first_name }},", "Bonjour {{buyer_name}},"],
    "de": ["Hallo {{ ticket.requester.first_name }},", "Guten Tag {{buyer_name}},"],
    "es": ["Hola {{ ticket.requester.first_name }}:", "Hola {{buyer_name}}:"],
    "it": ["Gentile {{ ticket.requester.first_name }},", "Buongiorno {{buyer_name}},"],
}
BODY = {
    "en": [
        "I'm so sorry your {{ item.title }} arrived damaged.",
        "I've checked order {{ order.id }} and I can send a replacement today.",
        "I can also refund you in full if you prefer.",
        "The parcel left our warehouse on {{ order.shipped_at }} with {{ carrier }}.",
        "Your tracking number is [Tracking Number].",
        "Thanks for your patience while the carrier investigates.",
        "Which would you prefer?",
        "For faster help, email us at help@lumina-home.com.",
        "See www.lumina-home.com/care for our care guide.",
    ],
    "fr": [
        "Je suis désolée que votre commande {{ order.id }} soit arrivée abîmée.",
        "Je peux vous envoyer un remplacement dès aujourd'hui.",
        "Je peux aussi vous rembourser intégralement.",
        "Votre colis est parti le {{ order.shipped_at }}.",
        "Que préférez-vous ?",
        "Écrivez-nous à contact@lumina-home.fr pour aller plus vite.",
    ],
    "de": [
        "Es tut mir leid, dass Ihre Bestellung {{ order.id }} beschädigt angekommen ist.",
        "Ich schicke Ihnen heute kostenlos Ersatz.",
        "Ich kann Ihnen auch den vollen Betrag erstatten.",
        "Was ist Ihnen lieber?",
        "Besuchen Sie www.wohnfein.de für weitere Angebote.",
    ],
    "es": [
        "Siento que su pedido {{ order.id }} llegara dañado.",
        "Le envío un reemplazo hoy mismo.",
        "También puedo devolverle el importe completo.",
        "¿Qué prefiere?",
        "Escríbanos por WhatsApp al +34 612 345 678.",
    ],
    "it": [
        "Mi dispiace che il suo ordine {{ order.id }} sia arrivato danneggiato.",
        "Le spedisco oggi un sostituto.",
        "Posso anche rimborsarle l'intero importo.",
        "Cosa preferisce?",
        "Ci segua su Instagram @lumina_home.",
    ],
}
SIGN = ["{{ agent.first_name }}", "{{current_user.first_name}}", "{%user.firstName%}"]
SUFFIXES = [".j2", ".liquid", ".hbs", ".html"]


def generate(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    langs = list(GREETING)
    for i in range(count):
        lang = langs[i % len(langs)]
        suffix = SUFFIXES[rng.randrange(len(SUFFIXES))]
        lines = [rng.choice(GREETING[lang]), ""]
        lines += rng.sample(BODY[lang], k=min(len(BODY[lang]), rng.randint(3, 5)))
        lines += ["", f"Case {i}, {rng.choice(SIGN)}"]
        text = "\n".join(lines) + "\n"
        if suffix == ".html":
            text = "".join(f"<p>{line}</p>\n" for line in lines)
        elif suffix == ".j2":
            text = "{# macro " + str(i) + " #}\n" + text
        folder = root / lang / f"team-{i % 16:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"macro-{i:04d}{suffix}").write_text(text, encoding="utf-8")


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        sys.exit(f"replylint failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return wall, cpu, proc.returncode


BREAKDOWN = r"""
import sys, time
time.perf_counter = time.process_time  # CPU seconds: steadier than wall time on a shared machine
from pathlib import Path
t0 = time.perf_counter()
import replylint.cli  # noqa: F401  (spaCy and the engine)
t1 = time.perf_counter()
from replylint.config import ConfigResolver
from replylint.project import CheckRequest, Project
project = Project(CheckRequest(), ConfigResolver())
files = project.discover(["."])
t2 = time.perf_counter()
project.linter_for(project.config_for(Path.cwd()))
t3 = time.perf_counter()
seen, first = set(), {}
for path in files:
    lang = Path(path).parts[0]
    if lang in seen:
        continue
    a = time.perf_counter()
    project.check(path)
    first[lang] = time.perf_counter() - a
    seen.add(lang)
rest = [p for p in files][:400]
a = time.perf_counter()
for path in rest:
    project.check(path)
per_file = (time.perf_counter() - a) / len(rest)
times = (t1 - t0, t2 - t1, t3 - t2, sum(first.values()), per_file * 1000)
print(" ".join(f"{t:.2f}" for t in times), len(files))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--keep", type=Path, default=None, help="generate here and keep it")
    args = ap.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="replylint-ci-bench-"))
    try:
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        generate(root, args.files)
        env = {**os.environ, "REPLYLINT_CACHE_DIR": str(root / ".cache")}
        env.pop("REPLYLINT_JOBS", None)
        cmd = [sys.executable, "-m", "replylint", "check", ".", "--statistics"]
        load = os.getloadavg()[0]
        print(f"{args.files} macro files in {root} · {os.cpu_count()} cores · load average {load:.1f}")
        serial = timed([*cmd, "--no-cache", "-j", "1"], root, env)
        parallel = timed([*cmd, "--no-cache"], root, env)
        timed(cmd, root, env)  # fills the cache
        cached = timed(cmd, root, env)
        print(f"{'run':44} {'wall':>8} {'cpu':>8}")
        for name, (wall, cpu, _code) in (
            ("cold, no cache, one process", serial),
            ("cold, no cache, default workers", parallel),
            ("cold process, warm results cache", cached),
        ):
            print(f"{name:44} {wall:7.2f}s {cpu:7.2f}s")
        out = subprocess.run(
            [sys.executable, "-c", BREAKDOWN], cwd=root, env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        imports, discover, rules, first, per_file, count = out
        print("breakdown of a cold run (one process, CPU time):")
        print(f"  import replylint                    {float(imports):6.2f} s")
        print(f"  discover {count} files, configuration   {float(discover):6.2f} s")
        print(f"  engine (spaCy), rules validated     {float(rules):6.2f} s")
        print(f"  first file per language (5)         {float(first):6.2f} s  (pipelines, compiled rules)")
        print(f"  then per file                       {float(per_file):6.2f} ms")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
