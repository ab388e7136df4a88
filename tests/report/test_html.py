"""The HTML report and the summary file, rendered from an aggregate."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from pathlib import Path

from test_aggregate import BLAME, LINK, result

from replylint.report import Aggregate, render_report, summarise, write_summary
from replylint.report.aggregate import Hit
from replylint.report.html import highlight

WHEN = dt.datetime(2024, 4, 1, 12, tzinfo=dt.UTC)


def sample(with_meta: bool = True) -> Aggregate:
    agg = Aggregate(worst=5)
    for i in range(40):
        meta = {}
        if with_meta:
            day = 1 + i % 20
            meta = {
                "agent": ("Maya", "Tom")[i % 2],
                "order_id": f"o{i % 9}",
                "created_at": f"2024-03-{day:02d}T08:00:00Z",
                "replied_at": f"2024-03-{day:02d}T{9 + i % 6:02d}:00:00Z",
            }
        bad = i % 4 == 0
        rec = result(
            i,
            45 if bad else 90,
            compliant=not bad,
            rules=(LINK,) if bad else (BLAME,) if i % 3 == 0 else (),
            applies=i % 2 == 0,
            complete=i % 6 == 0,
            risk=("high", "medium", "low")[i % 3],
            lang=("en", "fr", "de")[i % 3],
            **meta,
        )
        agg.add(summarise(rec, i + 1), f"Visit www.shop{i}.com <script>alert({i})</script> now")
    return agg


def test_the_report_is_one_self_contained_file_with_every_section() -> None:
    page = render_report(sample(), title="March QA", source="march.csv", generated=WHEN)
    for section in ("headline", "scores", "rules", "agents", "weekly", "sla", "repeats", "worst"):
        assert f'<section id="{section}"' in page
    assert "<style>" in page and "<script>" in page
    # Offline: nothing is fetched from anywhere.
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "@import" not in page and "url(http" not in page
    assert page.count("<svg") >= 6
    assert "Maya" in page and "2024-W10" in page


def test_reply_text_is_escaped_not_executed() -> None:
    page = render_report(sample(), title="<b>QA</b>", source="x", generated=WHEN)
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(" in page
    assert "<title>&lt;b&gt;QA&lt;/b&gt;</title>" in page


def test_sections_without_data_say_what_to_add() -> None:
    page = render_report(sample(with_meta=False), title="QA", source="x", generated=WHEN)
    assert "add a <code>replied_at</code> column" in page
    assert "--created-col" in page and "--order-col" in page
    assert "names no agents" in page


def test_the_same_data_renders_the_same_document() -> None:
    first = render_report(sample(), title="QA", source="x", generated=WHEN)
    assert render_report(sample(), title="QA", source="x", generated=WHEN) == first


def test_problem_spans_are_marked_and_numbered() -> None:
    text = "Call me on 0800 123 4567 or see www.shop.com."
    hits = (
        Hit("external-link", "policy", "error", 32, 44, "Remove the link"),
        Hit("contact-info", "policy", "error", 11, 24, "Remove the number"),
        Hit("missing-offer", "structure", "warning", 0, len(text), "Offer a remedy"),
    )
    body, issues, cut = highlight(text, hits)
    assert not cut
    assert [i["rule"] for i in issues] == ["missing-offer", "contact-info", "external-link"]
    marks = re.findall(r"<mark[^>]*>([^<]*)", str(body))
    assert marks == ["0800 123 4567", "www.shop.com"]
    assert '<sup class="tag" aria-hidden="true">2</sup>' in str(body)
    plain = re.sub(r'<sup[^>]*>.*?</sup>|<span class="sr-only">.*?</span>|<[^>]+>', "", str(body))
    assert html.unescape(plain) == text  # the reply itself is shown unchanged


def test_summary_csv_has_one_row_per_group_and_a_column_per_rule(tmp_path: Path) -> None:
    out = tmp_path / "summary.csv"
    write_summary(sample(), out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    scopes = [(r["scope"], r["key"]) for r in rows]
    assert scopes[0] == ("all", "all")
    assert ("agent", "Maya") in scopes and ("week", "2024-W10") in scopes
    overall = rows[0]
    assert overall["records"] == "40" and float(overall["compliance_rate"]) == 0.75
    assert overall["rule:external-link"] == "10"


def test_summary_json_holds_the_whole_aggregate(tmp_path: Path) -> None:
    out = tmp_path / "summary.json"
    write_summary(sample(), out)
    data = json.loads(out.read_text())
    assert data["totals"]["records"] == 40
    assert {"rules", "agents", "weeks", "response", "repeats", "score_histogram"} <= set(data)
