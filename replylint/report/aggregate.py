"""A streaming aggregate of a batch run: what the HTML report and the summary show.

Records are reduced, one at a time, to a small :class:`Summary` (in the worker
process that linted them) and folded into an :class:`Aggregate` in the main
process. The aggregate keeps counters, fixed histograms, one series per week and
per agent, and the N worst replies — never the records themselves — so a report
on millions of replies takes a few megabytes. Repeat contacts keep eight bytes
per record (a hash of the order or buyer id) and exact counts for up to
:data:`MAX_EXACT_KEYS` keys, then the Misra-Gries frequent-items sketch.

Result records are read generically (``dict.get`` with defaults), so fields added
to structure, triage or scoring later do not break the report.
"""

from __future__ import annotations

import heapq
import itertools
import math
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .timeparse import iso_week, parse_time

#: Structure elements, in the order of the Acknowledge-Own-Offer-Verify framework.
ELEMENTS = ("acknowledgement", "ownership", "offer", "next_step")
RISKS = ("high", "medium", "low")
#: Score histogram: ten bins of ten points (the last one holds 90-100).
SCORE_BINS = 10
#: Response-time histogram edges, in hours (the last bin is open-ended).
RESPONSE_EDGES = (0, 1, 4, 8, 24, 48, 72)
#: Agents beyond this many are pooled as "(other agents)".
MAX_AGENTS = 2000
#: Distinct order or buyer ids counted exactly before switching to a sketch.
MAX_EXACT_KEYS = 200_000
#: Buckets of an order-based trend (when the export has no timestamps).
TREND_BUCKETS = 12
OTHER_AGENTS = "(other agents)"
NO_AGENT = "(no agent)"


class Hit(NamedTuple):
    """One diagnostic, as much as the report needs (a tuple: cheap to pass between processes)."""

    rule: str
    family: str
    severity: str
    start: int
    end: int
    message: str


class Summary(NamedTuple):
    """What the report needs of one result (or error) record.

    A named tuple rather than a dataclass: summaries travel from the worker
    processes to the main one, and tuples pickle several times faster.
    """

    line: int
    id: str | None = None
    error: str | None = None
    error_message: str | None = None
    lang: str | None = None
    marketplace: str | None = None
    compliant: bool | None = None
    score: int | None = None
    applies: bool = False
    elements: tuple[bool, ...] = ()
    risk: str | None = None
    sla_hours: float | None = None
    hits: tuple[Hit, ...] = ()
    agent: str | None = None
    created: float | None = None
    replied: float | None = None
    order: str | None = None
    buyer: str | None = None

    @property
    def complete(self) -> bool:
        return self.applies and len(self.elements) == len(ELEMENTS) and all(self.elements)


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def summarise(record: Mapping[str, Any], line: int) -> Summary:
    """Reduce a result or error record (as JSON data) to a :class:`Summary`."""
    common = {
        "line": line,
        "id": _text(record.get("id")),
        "agent": _text(record.get("agent")),
        "created": parse_time(record.get("created_at")),
        "replied": parse_time(record.get("replied_at")),
        "order": _text(record.get("order_id")),
        "buyer": _text(record.get("buyer_id")),
    }
    err = record.get("error")
    if isinstance(err, Mapping):
        return Summary(
            error=str(err.get("code") or "error"),
            error_message=str(err.get("message") or ""),
            **common,  # type: ignore[arg-type]
        )
    structure = record.get("structure")
    structure = structure if isinstance(structure, Mapping) else {}
    triage = record.get("triage")
    triage = triage if isinstance(triage, Mapping) else {}
    hits = []
    for diag in record.get("diagnostics") or ():
        if isinstance(diag, Mapping) and diag.get("rule"):
            hits.append(
                Hit(
                    rule=str(diag["rule"]),
                    family=str(diag.get("family") or "other"),
                    severity=str(diag.get("severity") or "warning"),
                    start=int(diag.get("start") or 0),
                    end=int(diag.get("end") or 0),
                    message=str(diag.get("message") or ""),
                )
            )
    score = record.get("score")
    sla = triage.get("sla_hours")
    risk = triage.get("risk")
    return Summary(
        lang=_text(record.get("lang")),
        marketplace=_text(record.get("marketplace")),
        compliant=bool(record.get("compliant", True)),
        score=int(score) if isinstance(score, int | float) else None,
        applies=bool(structure.get("applies", False)),
        elements=tuple(bool(structure.get(e, False)) for e in ELEMENTS),
        risk=str(risk) if risk in RISKS else None,
        sla_hours=float(sla) if isinstance(sla, int | float) and sla > 0 else None,
        hits=tuple(hits),
        **common,  # type: ignore[arg-type]
    )


# -- building blocks ----------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Counts shared by every group (all replies, an agent, a week, a language)."""

    records: int = 0
    errors: int = 0
    linted: int = 0
    compliant: int = 0
    score_sum: int = 0
    applies: int = 0
    complete: int = 0
    high_risk: int = 0
    timed: int = 0
    within_sla: int = 0
    rules: Counter[str] = field(default_factory=Counter)  # rule → replies flagged

    def add(self, s: Summary, within_sla: bool | None) -> None:
        self.records += 1
        if s.error is not None:
            self.errors += 1
            return
        self.linted += 1
        self.compliant += bool(s.compliant)
        self.score_sum += s.score or 0
        self.applies += s.applies
        self.complete += s.complete
        self.high_risk += s.risk == "high"
        if within_sla is not None:
            self.timed += 1
            self.within_sla += within_sla
        for rule in {h.rule for h in s.hits}:
            self.rules[rule] += 1

    @staticmethod
    def _rate(num: int, den: int) -> float | None:
        return num / den if den else None

    def to_dict(self, top: int = 3) -> dict[str, Any]:
        return {
            "records": self.records,
            "linted": self.linted,
            "errors": self.errors,
            "compliance_rate": self._rate(self.compliant, self.linted),
            "mean_score": self._rate(self.score_sum, self.linted),
            "structure_applies": self.applies,
            "structure_complete_rate": self._rate(self.complete, self.applies),
            "high_risk": self.high_risk,
            "within_sla_rate": self._rate(self.within_sla, self.timed),
            "top_issues": [{"rule": r, "replies": n} for r, n in _top(self.rules, top)],
        }


def _top(counter: Counter[str], n: int) -> list[tuple[str, int]]:
    """Most common first, ties by name: deterministic."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


class OrderSeries:
    """Mean score over input order in at most :data:`TREND_BUCKETS` buckets of equal size.

    Without timestamps an agent's trend follows the export's order. The bucket
    width doubles (adjacent buckets merge) whenever the series would grow past its
    bound, so memory is constant however many replies an agent wrote.
    """

    __slots__ = ("buckets", "width")

    def __init__(self) -> None:
        self.width = 1
        self.buckets: list[list[int]] = []  # [count, score sum]

    def add(self, score: int) -> None:
        if not self.buckets or self.buckets[-1][0] >= self.width:
            if len(self.buckets) == TREND_BUCKETS:
                self.buckets = [
                    [a[0] + b[0], a[1] + b[1]]
                    for a, b in zip(self.buckets[::2], self.buckets[1::2], strict=True)
                ]
                self.width *= 2
            if not self.buckets or self.buckets[-1][0] >= self.width:
                self.buckets.append([0, 0])
        self.buckets[-1][0] += 1
        self.buckets[-1][1] += score

    def means(self) -> list[float]:
        return [s / n for n, s in self.buckets if n]


class Repeats:
    """How often the same order (or buyer) id comes back, in bounded memory."""

    def __init__(self) -> None:
        self.hashes = array("q")
        self.counts: dict[str, list[float]] = {}  # key → [count, score sum, worst score]
        self.exact = True

    def add(self, key: str, score: int | None) -> None:
        self.hashes.append(hash(key))
        entry = self.counts.get(key)
        if entry is None:
            if len(self.counts) >= MAX_EXACT_KEYS:
                self._prune()
            self.counts[key] = [1, score or 0, score if score is not None else 101]
            return
        entry[0] += 1
        entry[1] += score or 0
        if score is not None:
            entry[2] = min(entry[2], score)

    def _prune(self) -> None:
        # Misra-Gries: forget keys seen once; repeated keys stay (counts become lower bounds).
        self.exact = False
        self.counts = {k: v for k, v in self.counts.items() if v[0] > 1}
        if len(self.counts) >= MAX_EXACT_KEYS:
            floor = sorted(v[0] for v in self.counts.values())[len(self.counts) // 2]
            self.counts = {k: v for k, v in self.counts.items() if v[0] > floor}

    def to_dict(self, top: int = 15) -> dict[str, Any] | None:
        if not self.hashes:
            return None
        import numpy as np

        _, counts = np.unique(np.frombuffer(self.hashes, dtype=np.int64), return_counts=True)
        per_key = Counter(int(c) for c in counts)
        repeated = [(k, v) for k, v in self.counts.items() if v[0] > 1]
        repeated.sort(key=lambda kv: (-kv[1][0], kv[0]))
        distribution = {"1": per_key.get(1, 0), "2": per_key.get(2, 0), "3": per_key.get(3, 0)}
        distribution["4+"] = sum(n for c, n in per_key.items() if c >= 4)
        keys = len(counts)
        repeat_keys = keys - per_key.get(1, 0)
        return {
            "records": len(self.hashes),
            "ids": keys,
            "repeated_ids": repeat_keys,
            "repeat_rate": repeat_keys / keys if keys else None,
            "replies_in_repeats": int(sum(int(c) for c in counts if c > 1)),
            "distribution": distribution,
            "exact": self.exact,
            "top": [
                {
                    "key": k,
                    "contacts": int(v[0]),
                    "mean_score": v[1] / v[0],
                    "worst_score": None if v[2] > 100 else int(v[2]),
                }
                for k, v in repeated[:top]
            ],
        }


#: A reply's text, or its text and the buyer's message it answers.
Texts = str | tuple[str | None, str | None] | None


@dataclass(slots=True)
class Worst:
    """One of the N worst replies, with its text (and the buyer's message) for the report."""

    rank_key: tuple[Any, ...]
    summary: Summary
    text: str
    buyer_message: str | None = None


def worst_key(s: Summary) -> tuple[Any, ...]:
    """Larger is worse: low score, not compliant, high risk, more errors, earlier line."""
    errors = sum(h.severity == "error" for h in s.hits)
    risk = {"high": 2, "medium": 1}.get(s.risk or "", 0)
    return (-(s.score if s.score is not None else 100), not s.compliant, risk, errors, len(s.hits), -s.line)


# -- the aggregate -----------------------------------------------------------------------


@dataclass
class AgentStats:
    tally: Tally = field(default_factory=Tally)
    weeks: dict[str, list[int]] = field(default_factory=dict)  # week → [count, score sum]
    order: OrderSeries = field(default_factory=OrderSeries)


class Aggregate:
    """Everything the report shows, folded in one record at a time."""

    def __init__(self, *, worst: int = 20, default_sla_hours: float = 24.0) -> None:
        self.worst_n = worst
        self.default_sla_hours = default_sla_hours
        self.total = Tally()
        self.error_codes: Counter[str] = Counter()
        self.error_examples: list[tuple[int, str, str]] = []  # line, code, message
        self.score_bins = [0] * SCORE_BINS
        self.rule_hits: Counter[str] = Counter()  # rule → diagnostics
        self.rule_replies: Counter[str] = Counter()  # rule → replies flagged
        self.rule_lang: Counter[tuple[str, str]] = Counter()  # (rule, lang) → replies
        self.rule_family: dict[str, str] = {}
        self.rule_severity: dict[str, Counter[str]] = {}
        self.family_replies: Counter[str] = Counter()
        self.family_lang: Counter[tuple[str, str]] = Counter()
        self.langs: Counter[str] = Counter()
        self.marketplaces: Counter[str] = Counter()
        self.risks: Counter[str] = Counter()
        self.elements_present = [0] * len(ELEMENTS)
        self.agents: dict[str, AgentStats] = {}
        self.weeks: dict[str, Tally] = {}
        self.sla: dict[str, list[int]] = {}  # risk → [timed, within]
        self.response_bins = [0] * len(RESPONSE_EDGES)
        self.response_log: Counter[int] = Counter()  # fine log-scale bins for percentiles
        self.bad_times = 0
        self.first_time: float | None = None
        self.last_time: float | None = None
        self.orders = Repeats()
        self.buyers = Repeats()
        self._worst: list[tuple[tuple[Any, ...], int, Worst]] = []
        self._seq = 0

    # -- folding -------------------------------------------------------------------

    def add(self, s: Summary, text: Callable[[], Texts] | Texts = None) -> None:
        """Fold one record in.

        ``text`` is the reply's text, or (text, buyer message), or a callable giving
        either: it is called only when the reply joins the worst ones.
        """
        within = self._response(s) if s.error is None else None
        self.total.add(s, within)
        if s.error is not None:
            self.error_codes[s.error] += 1
            if len(self.error_examples) < 50:
                self.error_examples.append((s.line, s.error, s.error_message or ""))
            self._agent(s, within)
            return
        score = s.score if s.score is not None else 0
        self.score_bins[min(score // 10, SCORE_BINS - 1)] += 1
        lang = s.lang or "?"
        self.langs[lang] += 1
        self.marketplaces[s.marketplace or "?"] += 1
        if s.risk:
            self.risks[s.risk] += 1
        if s.applies:
            for i, present in enumerate(s.elements):
                self.elements_present[i] += present
        families: set[str] = set()
        for rule in {h.rule for h in s.hits}:
            self.rule_replies[rule] += 1
            self.rule_lang[(rule, lang)] += 1
        for h in s.hits:
            self.rule_hits[h.rule] += 1
            self.rule_family.setdefault(h.rule, h.family)
            severities = self.rule_severity.get(h.rule)
            if severities is None:
                severities = self.rule_severity[h.rule] = Counter()
            severities[h.severity] += 1
            families.add(h.family)
        for fam in families:
            self.family_replies[fam] += 1
            self.family_lang[(fam, lang)] += 1
        moment = s.replied if s.replied is not None else s.created
        if moment is not None:
            week = iso_week(moment)
            self.weeks.setdefault(week, Tally()).add(s, within)
            self.first_time = moment if self.first_time is None else min(self.first_time, moment)
            self.last_time = moment if self.last_time is None else max(self.last_time, moment)
        self._agent(s, within)
        if s.order:
            self.orders.add(s.order, s.score)
        if s.buyer:
            self.buyers.add(s.buyer, s.score)
        self._consider_worst(s, text)

    def _agent(self, s: Summary, within: bool | None) -> None:
        name = s.agent or NO_AGENT
        stats = self.agents.get(name)
        if stats is None:
            if len(self.agents) >= MAX_AGENTS:
                name = OTHER_AGENTS
                stats = self.agents.setdefault(name, AgentStats())
            else:
                stats = self.agents[name] = AgentStats()
        stats.tally.add(s, within)
        if s.error is not None or s.score is None:
            return
        moment = s.replied if s.replied is not None else s.created
        if moment is not None:
            cell = stats.weeks.setdefault(iso_week(moment), [0, 0])
            cell[0] += 1
            cell[1] += s.score
        stats.order.add(s.score)

    def _response(self, s: Summary) -> bool | None:
        """First-response time against the SLA, when both timestamps are known."""
        if s.created is None or s.replied is None:
            return None
        hours = (s.replied - s.created) / 3600
        if hours < 0:
            self.bad_times += 1
            return None
        sla = s.sla_hours or self.default_sla_hours
        within = hours <= sla
        cell = self.sla.setdefault(s.risk or "unknown", [0, 0])
        cell[0] += 1
        cell[1] += within
        index = 0
        for i, edge in enumerate(RESPONSE_EDGES):
            if hours >= edge:
                index = i
        self.response_bins[index] += 1
        minutes = max(hours * 60, 1.0)
        self.response_log[int(math.log(minutes) / math.log(1.05))] += 1
        return within

    def _consider_worst(self, s: Summary, text: Callable[[], Texts] | Texts) -> None:
        if self.worst_n <= 0 or (s.score is not None and s.score >= 100 and not s.hits):
            return
        key = worst_key(s)
        if len(self._worst) >= self.worst_n and key <= self._worst[0][0]:
            return
        texts = text() if callable(text) else text
        body, buyer = texts if isinstance(texts, tuple) else (texts, None)
        self._seq += 1
        entry = (key, self._seq, Worst(key, s, body or "", buyer))
        if len(self._worst) < self.worst_n:
            heapq.heappush(self._worst, entry)
        else:
            heapq.heapreplace(self._worst, entry)

    # -- reading -------------------------------------------------------------------

    def worst(self) -> list[Worst]:
        return [w for _, _, w in sorted(self._worst, key=lambda e: e[0], reverse=True)]

    def response_percentile(self, p: float) -> float | None:
        """Approximate first-response time (hours) at percentile ``p`` (within 5 %)."""
        total = sum(self.response_log.values())
        if not total:
            return None
        target = p / 100 * total
        seen = 0
        for index in sorted(self.response_log):
            seen += self.response_log[index]
            if seen >= target:
                return float(1.05 ** (index + 0.5) / 60)
        return None

    @property
    def has_timestamps(self) -> bool:
        return bool(self.weeks)

    @property
    def has_response_times(self) -> bool:
        return bool(self.sla)

    def to_dict(self, *, top_issues: int = 3) -> dict[str, Any]:
        """The whole aggregate as JSON data (the ``--summary x.json`` file)."""
        total = self.total.to_dict(top=10)
        rules = []
        for rule, replies in _top(self.rule_replies, len(self.rule_replies)):
            severities = self.rule_severity.get(rule, Counter())
            rules.append(
                {
                    "rule": rule,
                    "family": self.rule_family.get(rule, "other"),
                    "severity": _top(severities, 1)[0][0] if severities else None,
                    "replies": replies,
                    "diagnostics": self.rule_hits[rule],
                    "share": replies / self.total.linted if self.total.linted else None,
                    "by_lang": {lang: n for (r, lang), n in sorted(self.rule_lang.items()) if r == rule},
                }
            )
        agents = []
        for name, stats in sorted(self.agents.items(), key=lambda kv: (-kv[1].tally.records, kv[0])):
            row = stats.tally.to_dict(top=top_issues)
            row["agent"] = name
            row["trend"] = self.agent_trend(stats)
            agents.append(row)
        weeks = []
        for week in sorted(self.weeks):
            row = self.weeks[week].to_dict(top=top_issues)
            row["week"] = week
            weeks.append(row)
        applies = self.total.applies
        return {
            "totals": total,
            "errors": dict(sorted(self.error_codes.items())),
            "score_histogram": [
                {"from": i * 10, "to": 100 if i == SCORE_BINS - 1 else i * 10 + 9, "replies": n}
                for i, n in enumerate(self.score_bins)
            ],
            "languages": dict(sorted(self.langs.items())),
            "marketplaces": dict(sorted(self.marketplaces.items())),
            "risk": {r: self.risks.get(r, 0) for r in RISKS},
            "structure_elements": {
                e: (self.elements_present[i] / applies if applies else None) for i, e in enumerate(ELEMENTS)
            },
            "families": {
                fam: {
                    "replies": n,
                    "by_lang": {lang: c for (f, lang), c in sorted(self.family_lang.items()) if f == fam},
                }
                for fam, n in _top(self.family_replies, len(self.family_replies))
            },
            "rules": rules,
            "agents": agents,
            "weeks": weeks,
            "response": self.response_dict(),
            "repeats": {"orders": self.orders.to_dict(), "buyers": self.buyers.to_dict()},
            "period": {"first": self.first_time, "last": self.last_time},
        }

    def agent_trend(self, stats: AgentStats) -> dict[str, Any]:
        """Mean score per week (or per slice of the export) and the change over the period.

        The change compares the later half of the agent's replies with the earlier
        half, so one odd week with a single reply does not swing it.
        """
        if stats.weeks:
            cells = [stats.weeks[w] for w in sorted(stats.weeks)]
            by = "week"
        else:
            cells = [b for b in stats.order.buckets if b[0]]
            by = "order"
        return {"by": by, "points": [s / n for n, s in cells], "change": _half_change(cells)}

    def response_dict(self) -> dict[str, Any] | None:
        if not self.sla:
            return None
        labels = [f"{a}–{b} h" for a, b in itertools.pairwise(RESPONSE_EDGES)] + [f"≥ {RESPONSE_EDGES[-1]} h"]
        timed = sum(c[0] for c in self.sla.values())
        within = sum(c[1] for c in self.sla.values())
        return {
            "timed": timed,
            "within_sla": within,
            "within_sla_rate": within / timed if timed else None,
            "median_hours": self.response_percentile(50),
            "p90_hours": self.response_percentile(90),
            "negative": self.bad_times,
            "default_sla_hours": self.default_sla_hours,
            "by_risk": {
                risk: {"timed": c[0], "within_sla": c[1], "rate": c[1] / c[0] if c[0] else None}
                for risk, c in sorted(self.sla.items(), key=lambda kv: _risk_order(kv[0]))
            },
            "histogram": [
                {"label": lab, "replies": n} for lab, n in zip(labels, self.response_bins, strict=True)
            ],
        }


def _half_change(cells: list[list[int]]) -> float | None:
    """Mean of the later half of the replies minus that of the earlier half."""
    total = sum(n for n, _ in cells)
    if len(cells) < 2 or total < 2:
        return None
    half = total / 2
    seen = 0.0
    first = [0.0, 0.0]  # count, score sum
    second = [0.0, 0.0]
    for n, score_sum in cells:
        share = min(max(half - seen, 0), n)  # part of this cell in the earlier half
        mean = score_sum / n
        first[0] += share
        first[1] += share * mean
        second[0] += n - share
        second[1] += (n - share) * mean
        seen += n
    if not first[0] or not second[0]:
        return None
    return second[1] / second[0] - first[1] / first[0]


def _risk_order(risk: str) -> int:
    return RISKS.index(risk) if risk in RISKS else len(RISKS)


def fold(aggregate: Aggregate, records: Iterable[tuple[Summary, Texts]]) -> Aggregate:
    for summary, text in records:
        aggregate.add(summary, text)
    return aggregate
