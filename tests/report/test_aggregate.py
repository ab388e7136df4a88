"""The streaming aggregate behind the report: right figures, bounded memory."""

from __future__ import annotations

from typing import Any

import pytest

from replylint.report.aggregate import (
    MAX_EXACT_KEYS,
    TREND_BUCKETS,
    Aggregate,
    OrderSeries,
    Repeats,
    summarise,
)
from replylint.report.timeparse import iso_week, parse_time


def result(
    i: int,
    score: int,
    *,
    compliant: bool = True,
    rules: tuple[tuple[str, str, str], ...] = (),
    applies: bool = False,
    complete: bool = False,
    risk: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    triage = None
    if risk:
        triage = {"risk": risk, "tier": 1 if risk == "high" else 2, "sla_hours": 1 if risk == "high" else 24}
    return {
        "id": f"r{i}",
        "lang": extra.pop("lang", "en"),
        "marketplace": "amazon",
        "compliant": compliant,
        "score": score,
        "diagnostics": [
            {"rule": r, "family": f, "severity": s, "start": 0, "end": 4, "message": f"{r} here"}
            for r, f, s in rules
        ],
        "structure": {
            "applies": applies,
            "acknowledgement": complete,
            "ownership": complete,
            "offer": complete,
            "next_step": complete,
        },
        "triage": triage,
        **extra,
    }


LINK = ("external-link", "policy", "error")
BLAME = ("blame-customer", "tone", "warning")


def test_headline_figures() -> None:
    agg = Aggregate()
    agg.add(summarise(result(1, 100), 1))
    agg.add(summarise(result(2, 40, compliant=False, rules=(LINK, LINK), risk="high"), 2))
    agg.add(summarise(result(3, 80, applies=True, complete=True, rules=(BLAME,), lang="fr"), 3))
    agg.add(summarise(result(4, 70, applies=True, risk="medium"), 4))
    agg.add(summarise({"id": "bad", "line": 5, "error": {"code": "invalid-json", "message": "x"}}, 5))
    data = agg.to_dict()
    totals = data["totals"]
    assert (totals["records"], totals["linted"], totals["errors"]) == (5, 4, 1)
    assert totals["compliance_rate"] == pytest.approx(3 / 4)
    assert totals["mean_score"] == pytest.approx((100 + 40 + 80 + 70) / 4)
    assert totals["structure_complete_rate"] == pytest.approx(1 / 2)
    assert totals["high_risk"] == 1
    assert data["risk"] == {"high": 1, "medium": 1, "low": 0}
    assert [b["replies"] for b in data["score_histogram"]] == [0, 0, 0, 0, 1, 0, 0, 1, 1, 1]
    rules = {r["rule"]: r for r in data["rules"]}
    assert rules["external-link"]["replies"] == 1 and rules["external-link"]["diagnostics"] == 2
    assert rules["blame-customer"]["by_lang"] == {"fr": 1}
    assert data["families"]["policy"]["replies"] == 1
    assert data["errors"] == {"invalid-json": 1}


def test_result_records_are_read_generically() -> None:
    """Fields missing, renamed or added by newer versions do not break the report."""
    s = summarise(
        {"id": 3, "score": 88.0, "structure": None, "triage": "n/a", "diagnostics": [{}], "new": 1}, 9
    )
    assert (s.id, s.score, s.applies, s.risk, s.hits) == ("3", 88, False, None, ())
    agg = Aggregate()
    agg.add(s)
    assert agg.to_dict()["totals"]["linted"] == 1


def test_the_worst_replies_are_kept_in_order_and_no_more() -> None:
    agg = Aggregate(worst=3)
    texts = {}
    for i, score in enumerate([90, 10, 59, 75, 10, 100, 30]):
        texts[i] = f"reply {i}"
        agg.add(summarise(result(i, score, rules=(LINK,)), i), texts[i])
    worst = agg.worst()
    assert [w.summary.line for w in worst] == [1, 4, 6]  # score 10, 10 (earlier first), 30
    assert [w.text for w in worst] == ["reply 1", "reply 4", "reply 6"]


def test_texts_are_fetched_only_for_replies_that_enter_the_worst_list() -> None:
    agg = Aggregate(worst=2)
    asked: list[int] = []

    def text_of(i: int) -> Any:
        return lambda: asked.append(i) or f"reply {i}"

    for i, score in enumerate([10, 20, 90, 95, 15, 99]):
        agg.add(summarise(result(i, score, rules=(BLAME,)), i), text_of(i))
    assert asked == [0, 1, 4]


def test_agents_weeks_and_response_times() -> None:
    agg = Aggregate(default_sla_hours=24)
    rows = [
        ("Maya", "2024-03-04T09:00:00Z", "2024-03-04T09:30:00Z", "high", 90),  # 0.5 h, SLA 1 h
        ("Maya", "2024-03-04T09:00:00Z", "2024-03-04T12:00:00Z", "high", 70),  # 3 h: late
        ("Tom", "2024-03-11T09:00:00Z", "2024-03-12T08:00:00Z", "medium", 60),  # 23 h
        ("Tom", "2024-03-11T09:00:00Z", "2024-03-11T08:00:00Z", "low", 50),  # before the message
        ("Tom", None, "2024-03-12T08:00:00Z", None, 100),
    ]
    for i, (agent, created, replied, risk, score) in enumerate(rows):
        agg.add(
            summarise(result(i, score, risk=risk, agent=agent, created_at=created, replied_at=replied), i)
        )
    data = agg.to_dict()
    agents = {a["agent"]: a for a in data["agents"]}
    assert agents["Maya"]["records"] == 2 and agents["Maya"]["within_sla_rate"] == pytest.approx(0.5)
    assert agents["Tom"]["within_sla_rate"] == pytest.approx(1.0)
    assert [w["week"] for w in data["weeks"]] == ["2024-W10", "2024-W11"]
    assert agents["Tom"]["trend"] == {
        "by": "week",
        "points": [pytest.approx(70.0)],
        "change": None,
    }
    response = data["response"]
    assert response["timed"] == 3 and response["negative"] == 1
    assert response["by_risk"]["high"] == {"timed": 2, "within_sla": 1, "rate": 0.5}
    assert response["median_hours"] == pytest.approx(3, rel=0.06)


def test_order_trend_stays_bounded_and_keeps_the_shape() -> None:
    series = OrderSeries()
    for i in range(10_000):
        series.add(100 if i < 5_000 else 0)
    means = series.means()
    assert len(means) <= TREND_BUCKETS
    assert means[0] == 100 and means[-1] == 0


def test_repeat_contacts_are_counted_exactly_then_approximately() -> None:
    repeats = Repeats()
    for key in ["a", "b", "a", "c", "a", "b"]:
        repeats.add(key, 50)
    info = repeats.to_dict()
    assert info is not None
    assert (info["ids"], info["repeated_ids"], info["replies_in_repeats"]) == (3, 2, 5)
    assert info["distribution"] == {"1": 1, "2": 1, "3": 1, "4+": 0}
    assert [t["key"] for t in info["top"]] == ["a", "b"] and info["exact"]

    many = Repeats()
    for i in range(MAX_EXACT_KEYS + 10):
        many.add(f"k{i}", None)
        if i % 1000 == 0:
            many.add("hot", 10)
    info = many.to_dict()
    assert info is not None and not info["exact"]
    assert info["top"][0]["key"] == "hot" and info["repeated_ids"] == 1
    assert len(many.counts) <= MAX_EXACT_KEYS


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T14:22:00Z", "2024-03-05T14:22"),
        ("2024-03-05T15:22:00+01:00", "2024-03-05T14:22"),
        ("2024-03-05 14:22", "2024-03-05T14:22"),
        ("05/03/2024 14:22", "2024-03-05T14:22"),
        ("12/25/2024 2:22 PM", "2024-12-25T14:22"),
        ("05.03.2024", "2024-03-05T00:00"),
        (1709648520, "2024-03-05T14:22"),
        ("1709648520000", "2024-03-05T14:22"),
    ],
)
def test_export_timestamps_are_understood(value: object, expected: str) -> None:
    import datetime as dt

    epoch = parse_time(value)
    assert epoch is not None
    assert dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M") == expected


@pytest.mark.parametrize("value", ["", "soon", "31/31/2024", 12, True, None, {"a": 1}])
def test_things_that_are_not_times_are_ignored(value: object) -> None:
    assert parse_time(value) is None


def test_iso_weeks_start_on_monday() -> None:
    assert iso_week(parse_time("2024-03-03T23:00:00Z") or 0) == "2024-W09"
    assert iso_week(parse_time("2024-03-04T00:30:00Z") or 0) == "2024-W10"


def test_an_agents_change_is_not_swung_by_one_odd_week() -> None:
    agg = Aggregate()
    days = ["2024-03-04"] + ["2024-03-11"] * 10 + ["2024-03-18"] * 10
    scores = [0] + [90] * 10 + [92] * 10
    for i, (day, score) in enumerate(zip(days, scores, strict=True)):
        agg.add(summarise(result(i, score, agent="Maya", replied_at=f"{day}T10:00:00Z"), i))
    trend = agg.to_dict()["agents"][0]["trend"]
    assert trend["points"] == [0, 90, 92]
    assert 5 < trend["change"] < 15  # not +92, the first week's single reply against the last
