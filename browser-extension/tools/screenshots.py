#!/usr/bin/env python3
"""Screenshots of the extension for the documentation (docs/img/extension-*.png).

    python3 browser-extension/tools/screenshots.py [--api URL] [--out docs/img]

Runs what the browser tests run: Debian's Chromium with the unpacked extension, the
Seller Central-like test page and the real API (started here unless --api names one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from extension_harness import EXTENSION, ApiServer, FixtureSite, launch  # noqa: E402

DRAFT = (
    "Hi Jane, you must have entered the wrong address. Please contact the carrier. "
    "Email me at jane.seller@gmail.com or visit www.myshop-example.com for a refund."
)


def union(*rects: dict[str, float], pad: float = 12) -> dict[str, float]:
    left = min(r["x"] for r in rects) - pad
    top = min(r["y"] for r in rects) - pad
    right = max(r["x"] + r["width"] for r in rects) + pad
    bottom = max(r["y"] + r["height"] for r in rects) + pad
    return {
        "x": max(0, left),
        "y": max(0, top),
        "width": right - max(0, left),
        "height": bottom - max(0, top),
    }


def rect_of(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] = page.locator(selector).first.bounding_box()
    return box


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", help="URL of a running API (default: start one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    server = None
    if not args.api:
        server = ApiServer()
        server.start()
    api = args.api or (server.url if server else "")
    site = FixtureSite()
    try:
        with (
            sync_playwright() as driver,
            launch(driver, EXTENSION, site.port, viewport=(1440, 820)) as browser,
        ):
            browser.reset(api)
            page = browser.context.new_page()
            page.goto(site.url())
            page.locator("kat-textarea textarea").click()
            page.keyboard.type(DRAFT, delay=1)
            page.locator("replylint-root [data-role=status][data-kind=ok][data-fresh=true]").wait_for(
                timeout=20_000
            )
            link = page.evaluate(
                """() => [...document.querySelector('replylint-root').shadowRoot
                    .querySelectorAll('.rl-mark:not([hidden])')]
                    .find((m) => m.dataset.key.startsWith('external-link'))
                    .getBoundingClientRect().toJSON()"""
            )
            page.mouse.move(link["x"] + link["width"] / 2, link["y"] + link["height"] / 2)
            page.locator("replylint-root .rl-card").wait_for()
            page.wait_for_timeout(300)
            box = rect_of(page, "kat-textarea")
            card = rect_of(page, "replylint-root .rl-card")
            page.screenshot(path=args.out / "extension-underlines.png", clip=union(box, card))
            page.mouse.move(5, 5)
            page.locator("replylint-root .rl-card").wait_for(state="hidden")
            panel = rect_of(page, "replylint-root .rl-panel")
            page.screenshot(path=args.out / "extension-panel.png", clip=union(panel, pad=6))
            page.locator("replylint-root button[data-action=rewrite]").click()
            page.locator("replylint-root [data-role=rewrite][data-phase=ready]").wait_for(timeout=60_000)
            page.wait_for_timeout(200)
            panel = rect_of(page, "replylint-root .rl-panel")
            page.screenshot(path=args.out / "extension-rewrite.png", clip=union(panel, pad=6))
            options = browser.context.new_page()
            options.set_viewport_size({"width": 720, "height": 980})
            options.goto(browser.options_url())
            options.locator("#sites li").first.wait_for()
            options.fill("#apiUrl", "http://127.0.0.1:8000")  # the default, not this run's port
            options.screenshot(path=args.out / "extension-options.png", full_page=False)
    finally:
        site.close()
        if server:
            server.stop()
    for name in ("underlines", "panel", "rewrite", "options"):
        print(args.out / f"extension-{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
