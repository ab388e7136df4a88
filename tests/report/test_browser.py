"""The HTML report in a real browser: sections, charts, sorting, offline, print.

Uses Debian's Chromium through Playwright (no browser download). Outside CI the
tests skip when Chromium or Playwright is missing; in CI (``CI=true``) they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from replylint.cli import main

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
REPLIES = [
    (
        "en",
        "My mug arrived chipped!",
        "I'm sorry the mug arrived chipped. I can send a new one today or refund you.",
    ),
    (
        "en",
        "Where is my parcel?",
        "Email me at help@shop-example.com or visit www.shop-example.com for 10% off.",
    ),
    (
        "fr",
        "Le colis n'est jamais arrivé.",
        "Vous devez contacter le transporteur, ce n'est pas notre faute.",
    ),
    ("de", "Danke!", "Vielen Dank für Ihre Nachricht!"),
    ("en", "It broke after a day.", "You must have misused it. Please leave us a 5-star review."),
]


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required in CI: scripts/setup-browser.sh, pip install playwright)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report made by `replylint batch` from a small export with agents and times."""
    root = tmp_path_factory.mktemp("report")
    src = root / "replies.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for i in range(60):
            lang, buyer, text = REPLIES[i % len(REPLIES)]
            day = 1 + i % 25
            rec = {
                "id": f"t-{i}",
                "text": text,
                "buyer_message": buyer,
                "lang": lang,
                "agent": ("Maya", "Tom", "Lena", "Paolo")[i % 4],
                "order_id": f"114-{i % 11:07d}",
                "created_at": f"2024-03-{day:02d}T08:00:00Z",
                "replied_at": f"2024-03-{day:02d}T{9 + i % 10:02d}:00:00Z",
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out = root / "report.html"
    try:
        main(["batch", str(src), "-o", str(root / "out.jsonl"), "--report", str(out), "-j", "1"])
    except SystemExit as exc:
        assert not exc.code
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _missing("Debian's chromium is not installed (scripts/setup-browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, report: Path) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    yield page
    assert not errors, errors
    assert all(u.startswith(("file:", "data:", "about:")) for u in requests), requests  # offline
    page.close()


def test_every_section_is_shown_with_its_heading(page: Any) -> None:
    headings = {
        "headline": "At a glance",
        "scores": "Scores",
        "rules": "Issues by family and language",
        "agents": "Agents",
        "weekly": "Weekly trend",
        "sla": "First response against the SLA",
        "repeats": "Repeat contacts",
        "worst": "Worst replies",
    }
    for section, heading in headings.items():
        locator = page.locator(f"section#{section}")
        assert locator.is_visible(), section
        assert locator.locator("h2").inner_text() == heading
    for card in ("compliance", "mean-score", "structure", "high-risk"):
        assert page.locator(f"#card-{card} .value").inner_text().strip() not in ("", "–")
    assert re.fullmatch(r"\d+(\.\d)?%", page.locator("#card-compliance .value").inner_text())


def test_charts_are_drawn_with_visible_bars_and_lines(page: Any) -> None:
    charts = page.locator("svg.chart")
    assert charts.count() >= 6
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        assert box is not None and box["width"] > 250 and box["height"] > 40
    bars = page.locator("#scores svg.chart rect")
    heights = [float(bars.nth(i).get_attribute("height") or 0) for i in range(bars.count())]
    assert sum(h > 0 for h in heights) >= 2
    assert page.locator("#weekly svg.chart path").count() >= 2  # score and compliance lines
    assert page.locator("#agents svg.spark").count() == 4
    assert page.locator("#worst mark").count() >= 3
    title = page.locator("#scores svg.chart title").first.text_content() or ""
    assert "score" in title.lower()


def test_tables_sort_when_a_heading_is_clicked(page: Any) -> None:
    table = page.locator("#agents-table")
    header = table.locator("th", has_text="Mean score")

    def column() -> list[float]:
        cells = table.locator("tbody tr td:nth-child(4)")
        return [float(cells.nth(i).get_attribute("data-v") or "nan") for i in range(cells.count())]

    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert column() == sorted(column())
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert column() == sorted(column(), reverse=True)
    names = table.locator("th", has_text="Agent")
    names.locator("button").click()
    rows = table.locator("tbody th")
    assert [rows.nth(i).inner_text() for i in range(rows.count())] == ["Lena", "Maya", "Paolo", "Tom"]


def test_the_report_prints(page: Any) -> None:
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
