"""The HTML report: one self-contained file rendered from Jinja2 templates.

Styles, charts (inline SVG) and the few lines of script that sort tables are all
inside the file, so it opens offline, can be mailed, and prints. The templates
live in ``replylint/report/templates`` and ship in the wheel.
"""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..__about__ import __version__
from . import charts
from .aggregate import ELEMENTS, NO_AGENT, OTHER_AGENTS, RISKS, Aggregate, Hit, Worst
from .timeparse import week_start

#: Characters of a worst reply shown; the rest is cut (its issues are still listed).
MAX_SHOWN_CHARS = 1500
MAIN_LANGS = ("en", "fr", "de", "es", "it")
ELEMENT_LABELS = {
    "acknowledgement": "Acknowledge",
    "ownership": "Own",
    "offer": "Offer",
    "next_step": "Next step",
}
RISK_SLA = {"high": "1 h", "medium": "24 h", "low": "24 h"}


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("replylint.report", "templates"),
        autoescape=select_autoescape(("html", "j2", "svg")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = pct
    env.filters["num"] = num
    env.filters["hours"] = hours
    return env


def pct(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value * 100:.{digits}f}%"


def num(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def hours(value: float | None) -> str:
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} days"


def sort_value(value: float | None) -> str:
    """The ``data-v`` a sortable cell carries (missing values sort first)."""
    return "-Infinity" if value is None else f"{value:.6g}"


def score_band(score: float | None) -> str:
    if score is None:
        return "none"
    return "fail" if score < 60 else "warn" if score < 80 else "good"


def rate_band(rate: float | None, *, good: float, fair: float) -> str:
    if rate is None:
        return "none"
    return "good" if rate >= good else "warn" if rate >= fair else "fail"


#: Words that say what a band's colour says (colour is never the only cue).
BAND_STATUS = {"good": "✓ good", "warn": "! needs work", "fail": "✗ needs attention", "none": ""}


def highlight(text: str, hits: tuple[Hit, ...]) -> tuple[Markup, list[dict[str, Any]], bool]:
    """The reply with its problem spans marked, the numbered issue list, and whether it was cut."""
    shown = text[:MAX_SHOWN_CHARS]
    cut = len(text) > len(shown)
    issues: list[dict[str, Any]] = []
    spans: list[tuple[int, int, int, str]] = []  # start, end, number, family
    for number, hit in enumerate(sorted(hits, key=lambda h: (h.start, h.end, h.rule)), start=1):
        whole = hit.end - hit.start >= max(len(text) * 0.8, 1)
        located = hit.end > hit.start and hit.start < len(shown) and not whole
        issues.append(
            {
                "n": number,
                "rule": hit.rule,
                "family": hit.family,
                "severity": hit.severity,
                "message": hit.message,
                "located": located,
            }
        )
        if located:
            spans.append((hit.start, min(hit.end, len(shown)), number, hit.family))
    bounds = sorted({0, len(shown), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out: list[str] = []
    for a, b in itertools.pairwise(bounds):
        piece = escape(shown[a:b])
        covering = [(n, fam) for s, e, n, fam in spans if s <= a and b <= e]
        if not covering:
            out.append(str(piece))
            continue
        numbers = [n for n, _ in covering]
        family = covering[0][1]
        ends_here = [n for s, e, n, _ in spans if e == b]
        label = "".join(f'<sup class="tag" aria-hidden="true">{n}</sup>' for n in ends_here)
        titles = "; ".join(f"{i['n']}. {i['rule']}: {i['message']}" for i in issues if i["n"] in numbers)
        out.append(
            f'<mark class="fam-{escape(family)}" title="{escape(titles)}">{piece}'
            f'<span class="sr-only"> [issue {", ".join(str(n) for n in numbers)}]</span></mark>{label}'
        )
    return Markup("".join(out)), issues, cut


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _worst_view(worst: list[Worst]) -> list[dict[str, Any]]:
    out = []
    for w in worst:
        s = w.summary
        body, issues, cut = highlight(w.text, s.hits)
        out.append(
            {
                "id": s.id or str(s.line),
                "line": s.line,
                "agent": s.agent,
                "score": s.score,
                "band": score_band(s.score),
                "compliant": s.compliant,
                "risk": s.risk,
                "lang": s.lang,
                "marketplace": s.marketplace,
                "body": body,
                "issues": issues,
                "cut": cut,
                "has_text": bool(w.text),
                "buyer_message": _shorten(w.buyer_message or "", 400),
            }
        )
    return out


def _lang_columns(agg: Aggregate) -> list[str]:
    seen = set(agg.langs)
    return [lang for lang in MAIN_LANGS if lang in seen] + sorted(seen - set(MAIN_LANGS))


def build_view(
    agg: Aggregate, *, title: str, source: str, generated: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything the template shows, as plain data and ready-made SVG."""
    charts.reset_ids()
    data = agg.to_dict()
    totals = data["totals"]
    linted = totals["linted"]
    langs = _lang_columns(agg)

    # headline
    high = agg.risks.get("high", 0)
    triaged = sum(agg.risks.values())
    cards = [
        {
            "id": "compliance",
            "label": "Compliance rate",
            "value": pct(totals["compliance_rate"], 1),
            "detail": f"{num(agg.total.compliant)} of {num(linted)} replies break no marketplace rule",
            "band": rate_band(totals["compliance_rate"], good=0.98, fair=0.9),
        },
        {
            "id": "mean-score",
            "label": "Mean score",
            "value": num(totals["mean_score"], 1),
            "detail": "out of 100 (policy, tone, structure and clarity)",
            "band": score_band(totals["mean_score"]),
        },
        {
            "id": "structure",
            "label": "Complete structure",
            "value": pct(totals["structure_complete_rate"], 1),
            "detail": (
                f"of the {num(agg.total.applies)} replies to a problem acknowledge, own, offer and ask"
                if agg.total.applies
                else "no reply answered a problem, so structure does not apply"
            ),
            "band": rate_band(totals["structure_complete_rate"], good=0.8, fair=0.5),
        },
        {
            "id": "high-risk",
            "label": "High-risk messages",
            "value": num(high),
            "detail": (
                f"{pct(high / triaged if triaged else None, 1)} of {num(triaged)} triaged buyer messages "
                "(A-to-Z, chargeback, legal, safety, not received)"
                if triaged
                else "no buyer messages in the export, so nothing was triaged"
            ),
            "band": "warn" if high else "good" if triaged else "none",
            "status": "! answer these first" if high else "✓ none" if triaged else "",
        },
    ]

    # score histogram
    bins = data["score_histogram"]
    score_chart = charts.column_chart(
        [
            charts.Bar(
                f"{b['from']}–{b['to']}",
                b["replies"],
                colour=charts.VERMILLION
                if b["from"] < 60
                else charts.ORANGE
                if b["from"] < 80
                else charts.BLUE,
                hatched=b["from"] < 60,
            )
            for b in bins
        ],
        title="Replies by score",
        desc="; ".join(f"{b['from']} to {b['to']}: {b['replies']} replies" for b in bins),
        y_label="replies",
    )
    bands = {
        "fail": sum(b["replies"] for b in bins if b["from"] < 60),
        "warn": sum(b["replies"] for b in bins if 60 <= b["from"] < 80),
        "good": sum(b["replies"] for b in bins if b["from"] >= 80),
    }

    # rules and families
    families = [
        charts.Bar(
            fam,
            info["replies"] / linted if linted else 0,
            colour=charts.FAMILY_COLOURS.get(fam, charts.GREY),
            text=f"{pct(info['replies'] / linted if linted else None, 1)} ({num(info['replies'])})",
        )
        for fam, info in data["families"].items()
    ]
    family_chart = (
        charts.bar_chart(
            families,
            title="Share of replies flagged, by rule family",
            desc="; ".join(f"{b.label}: {b.text}" for b in families),
            maximum=max((b.value for b in families), default=1) or 1,
            label_width=120,
        )
        if families
        else None
    )
    peak_cell = max((n for n in agg.rule_lang.values()), default=1)
    rule_rows = []
    for rule in data["rules"]:
        cells = []
        for lang in langs:
            n = rule["by_lang"].get(lang, 0)
            share = n / agg.langs[lang] if agg.langs.get(lang) else 0
            level = 0 if not n else min(4, 1 + int(4 * n / peak_cell))
            cells.append({"n": n, "share": share, "level": level})
        rule_rows.append({**rule, "cells": cells})
    elements = [
        charts.Bar(
            ELEMENT_LABELS[e],
            (rate or 0),
            colour=charts.BLUE,
            text=pct(rate, 0) + " present",
        )
        for e, rate in data["structure_elements"].items()
    ]
    element_chart = (
        charts.bar_chart(
            elements,
            title="Structure elements present in replies to a problem",
            desc="; ".join(f"{b.label}: {b.text}" for b in elements),
            maximum=1.0,
            label_width=120,
        )
        if agg.total.applies
        else None
    )

    # agents
    agent_rows = []
    for card in cards:
        card.setdefault("status", BAND_STATUS[card["band"]])
    for row in data["agents"]:
        points = row["trend"]["points"]
        delta = row["trend"]["change"]
        agent_rows.append(
            {
                **row,
                "pooled": row["agent"] in (NO_AGENT, OTHER_AGENTS),
                "spark": charts.sparkline(
                    points,
                    label=f"mean score of {row['agent']} by {row['trend']['by']}: "
                    + ", ".join(f"{p:.0f}" for p in points),
                ),
                "trend_by": row["trend"]["by"],
                "delta": delta,
                "band": score_band(row["mean_score"]),
            }
        )
    named_agents = [a for a in agent_rows if not a["pooled"]]

    # weeks
    weekly_chart = None
    week_rows = []
    if len(data["weeks"]) >= 1:
        labels = [week_start(w["week"]).strftime("%d %b") for w in data["weeks"]]
        weekly_chart = charts.line_chart(
            labels,
            [
                charts.Series("Mean score", [w["mean_score"] for w in data["weeks"]], charts.BLUE),
                charts.Series(
                    "Compliance rate (%)",
                    [
                        None if w["compliance_rate"] is None else w["compliance_rate"] * 100
                        for w in data["weeks"]
                    ],
                    charts.VERMILLION,
                    dash="6 4",
                    marker="square",
                ),
                charts.Series(
                    "Complete structure (%)",
                    [
                        None if w["structure_complete_rate"] is None else w["structure_complete_rate"] * 100
                        for w in data["weeks"]
                    ],
                    charts.GREEN,
                    dash="2 3",
                ),
            ],
            title="Weekly trend",
            desc="; ".join(
                f"week of {lab}: mean score {num(w['mean_score'], 1)}, compliance {pct(w['compliance_rate'])}"
                for lab, w in zip(labels, data["weeks"], strict=True)
            ),
        )
        week_rows = [{**w, "start": lab} for w, lab in zip(data["weeks"], labels, strict=True)]

    # first response against the SLA
    response = data["response"]
    sla_chart = response_chart = None
    if response:
        risk_bars = []
        for risk, cell in response["by_risk"].items():
            sla = RISK_SLA.get(risk, f"{response['default_sla_hours']:g} h")
            risk_bars.append(
                charts.Bar(
                    f"{risk} risk (SLA {sla})" if risk in RISKS else f"not triaged (SLA {sla})",
                    cell["rate"] or 0,
                    colour=charts.BLUE if (cell["rate"] or 0) >= 0.9 else charts.VERMILLION,
                    hatched=(cell["rate"] or 0) < 0.9,
                    text=f"{pct(cell['rate'], 0)} within ({num(cell['within_sla'])} of {num(cell['timed'])})",
                )
            )
        sla_chart = charts.bar_chart(
            risk_bars,
            title="First replies within the SLA, by risk",
            desc="; ".join(f"{b.label}: {b.text}" for b in risk_bars),
            maximum=1.0,
            label_width=200,
        )
        hist = response["histogram"]
        response_chart = charts.column_chart(
            [charts.Bar(h["label"], h["replies"], colour=charts.SKY) for h in hist],
            title="Time to first reply",
            desc="; ".join(f"{h['label']}: {h['replies']} replies" for h in hist),
            y_label="replies",
            height=200,
        )

    # repeat contacts
    repeats = []
    for kind, label in (("orders", "order"), ("buyers", "buyer")):
        info = data["repeats"][kind]
        if not info:
            continue
        dist = info["distribution"]
        chart = charts.column_chart(
            [
                charts.Bar(
                    f"{k} contact{'s' if k != '1' else ''}",
                    v,
                    colour=charts.BLUE if k == "1" else charts.ORANGE,
                )
                for k, v in dist.items()
            ],
            title=f"Replies per {label}",
            desc="; ".join(f"{v} {label}s with {k} contacts" for k, v in dist.items()),
            y_label=f"{label}s",
            height=180,
        )
        repeats.append({"kind": kind, "label": label, "info": info, "chart": chart})

    span = ""
    if agg.first_time is not None and agg.last_time is not None:
        first = dt.datetime.fromtimestamp(agg.first_time, dt.UTC).strftime("%d %b %Y")
        last = dt.datetime.fromtimestamp(agg.last_time, dt.UTC).strftime("%d %b %Y")
        span = first if first == last else f"{first} – {last}"
    generated = generated or dt.datetime.now(dt.UTC)
    return {
        "title": title,
        "source": source,
        "version": __version__,
        "generated": generated.strftime("%d %b %Y %H:%M UTC"),
        "period": span,
        "totals": totals,
        "cards": cards,
        "score_chart": score_chart,
        "bands": bands,
        "family_chart": family_chart,
        "element_chart": element_chart,
        "rule_rows": rule_rows,
        "langs": langs,
        "lang_counts": {lang: agg.langs.get(lang, 0) for lang in langs},
        "agents": agent_rows,
        "named_agents": len(named_agents),
        "weekly_chart": weekly_chart,
        "weeks": week_rows,
        "response": response,
        "sla_chart": sla_chart,
        "response_chart": response_chart,
        "repeats": repeats,
        "worst": _worst_view(agg.worst()),
        "errors": data["errors"],
        "error_examples": agg.error_examples[:20],
        "risks": data["risk"],
        "marketplaces": data["marketplaces"],
        "hatch": charts.hatch_defs(),
        "family_colours": charts.FAMILY_COLOURS,
        "sort_value": sort_value,
        "element_labels": ELEMENT_LABELS,
        "elements": ELEMENTS,
    }


def render_report(agg: Aggregate, *, title: str, source: str, generated: dt.datetime | None = None) -> str:
    view = build_view(agg, title=title, source=source, generated=generated)
    return _env().get_template("report.html.j2").render(**view)


def write_report(
    agg: Aggregate, path: Path | str, *, title: str, source: str, generated: dt.datetime | None = None
) -> None:
    html = render_report(agg, title=title, source=source, generated=generated)
    Path(path).write_text(html, encoding="utf-8")
