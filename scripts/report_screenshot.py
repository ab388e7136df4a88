"""Regenerate docs/img/report.png: the top of an HTML report, as the README shows it.

    python3 scripts/report_screenshot.py [--records 600]

Builds a sample export from the dev corpus (bench/batch_bench.py's generator),
runs `replylint batch --report` on it and photographs the report in Debian's
Chromium through Playwright.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from batch_bench import generate  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--records", type=int, default=600)
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img" / "report.png")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        src, report = Path(tmp) / "march-export.jsonl", Path(tmp) / "report.html"
        generate(src, args.records)
        subprocess.run(
            [sys.executable, "-m", "replylint", "batch", src.name, "-o", "out.jsonl",
             "--report", "report.html", "--title", "Reply QA: March export", "--no-progress"],
            check=True, cwd=tmp,
        )  # fmt: skip
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
            )
            page = browser.new_page(viewport={"width": 1100, "height": 1000})
            page.goto(report.as_uri())
            page.screenshot(path=str(args.out), clip={"x": 0, "y": 0, "width": 1100, "height": 1000})
            browser.close()
    print(f"{args.out} ({args.out.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
