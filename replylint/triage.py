"""Triage of the buyer's message: risk, tier, internal SLA and the reasons found.

The triggers are data, in ``rules/triage/`` (CONTRACT.md §4)::

    rules/triage/triage.yaml        risk levels (tier, SLA hours) and problem kinds
    rules/triage/signals/<id>.yaml  one signal: risk, problem kind, reason, patterns
                                    per language, unless filters, examples

A signal is written like a rule (same pattern kinds, same ``unless``,
``unless_sentence`` and ``unless_text`` filters, same ``@lexicon`` references to
``rules/lexicons/<lang>/triage.yaml``), so it is compiled by the same
:class:`~replylint.matching.LanguagePack`, into a pack of its own that reads the
buyer's message (``scope: buyer``) or, for deciding whether a reply answers a
problem when there is no buyer message, the reply (``scope: reply``).

The risk is the highest level among the signals found; ``low`` when none is.
``reasons`` name each signal found with the words that triggered it, highest risk
first. Negation and questions are handled in the data: "Is this covered by the
A-to-z guarantee?" is a question that only mentions it (low), "I will file an
A-to-z claim if…" is a threat (high).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .catalogue import ALL_LANGS_KEY, Catalogue, Examples, PerLang, Rule, _load_yaml, _validate, localised
from .errors import RuleFileError
from .languages import SUPPORTED_LANGS
from .matching import LanguagePack, current_pack, merge_overlapping
from .resources import rules_dir
from .schema import Risk, Triage

if TYPE_CHECKING:
    from .engine import Analysis

log = logging.getLogger(__name__)

Scope = Literal["buyer", "reply"]
RISK_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(_Strict):
    """What a risk level means for the support queue."""

    tier: int = Field(ge=1, le=3)
    sla_hours: int = Field(ge=1, description="Internal deadline for the first reply, in hours.")


class ProblemKind(_Strict):
    """A kind of problem a buyer raises (late, damaged …), shared by signals and the
    structure rules' suggested sentences."""

    label: dict[str, str] = Field(description="Short name per language, for reasons and docs.")
    related: list[str] = Field(
        default_factory=list,
        description="Kinds an acknowledgement of this kind may speak of instead "
        "(a late parcel and one that never arrived).",
    )
    specific: bool = Field(
        default=True,
        description="False for kinds that say nothing about what went wrong (a claim): "
        "an acknowledgement of any problem then counts.",
    )


class TriageConfig(_Strict):
    levels: dict[Risk, Level]
    problems: dict[str, ProblemKind] = Field(default_factory=dict)
    path: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _complete(self) -> TriageConfig:
        missing = {"low", "medium", "high"} - set(self.levels)
        if missing:
            raise ValueError(f"levels: missing {', '.join(sorted(missing))}")
        for kind, spec in self.problems.items():
            for other in spec.related:
                if other not in self.problems:
                    raise ValueError(f"problems.{kind}.related: unknown kind {other!r}")
        return self


class Signal(_Strict):
    """One trigger of triage (rules/triage/signals/<id>.yaml)."""

    id: str
    risk: Risk
    problem: str | None = Field(default=None, description="Problem kind (triage.yaml `problems`).")
    scope: list[Scope] = Field(default_factory=lambda: list[Scope](["buyer"]))
    summary: str
    reason: dict[str, str] = Field(description="What was found, per language; {match} is the trigger.")
    languages: list[str] = Field(default_factory=lambda: list(SUPPORTED_LANGS))
    patterns: PerLang = Field(default_factory=dict)
    unless: PerLang = Field(default_factory=dict)
    unless_sentence: PerLang = Field(default_factory=dict)
    unless_text: PerLang = Field(default_factory=dict)
    examples: Examples = Field(default_factory=Examples)
    note: str | None = Field(default=None, description="Why the signal is shaped this way (docs).")
    path: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _shape(self) -> Signal:
        if "en" not in self.reason:
            raise ValueError("reason.en is required (the fallback language)")
        if not self.patterns:
            raise ValueError("a signal needs patterns")
        for section in ("patterns", "unless", "unless_sentence", "unless_text"):
            for lang in getattr(self, section):
                if lang != ALL_LANGS_KEY and lang not in self.languages:
                    raise ValueError(f"{section}.{lang}: language not in 'languages'")
        return self

    def as_rule(self) -> Rule:
        """The signal as a rule, so that the rule machinery compiles and filters it."""
        return Rule(
            id=self.id,
            family="custom",
            severity="info",
            summary=self.summary,
            message=self.reason,
            languages=self.languages,
            patterns=self.patterns,
            unless=self.unless,
            unless_sentence=self.unless_sentence,
            unless_text=self.unless_text,
            path=self.path,
        )


@dataclass(frozen=True)
class Found:
    """A signal found in a text: its first trigger (normalised offsets, original
    words) and every place it was found."""

    signal: Signal
    start: int
    end: int
    match: str
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def risk(self) -> str:
        return self.signal.risk


@dataclass
class TriageData:
    """Levels, problem kinds and signals, with their packs compiled on demand."""

    config: TriageConfig
    signals: dict[str, Signal]
    root: Path
    _packs: dict[tuple[str, str], LanguagePack] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def pack(self, catalogue: Catalogue, lang: str, scope: Scope) -> LanguagePack:
        def build() -> LanguagePack:
            # A language no signal is written for gets an empty pack (no triggers).
            rules = [s.as_rule() for s in self.signals.values() if scope in s.scope and lang in s.languages]
            return LanguagePack(catalogue, lang, rules)

        return current_pack(self._packs, (lang, scope), self._lock, build)

    def related(self, kind: str) -> set[str]:
        spec = self.config.problems.get(kind)
        return {kind, *(spec.related if spec else ())}


def load_triage(root: Path) -> TriageData:
    """Load and validate ``root`` (a ``rules/triage`` folder)."""
    cfg_path = root / "triage.yaml"
    if not cfg_path.exists():
        raise RuleFileError(f"{cfg_path}: missing (risk levels and problem kinds)")
    config: TriageConfig = _validate(TriageConfig, _load_yaml(cfg_path), cfg_path)
    signals: dict[str, Signal] = {}
    for path in sorted((root / "signals").glob("*.yaml")):
        signal: Signal = _validate(Signal, _load_yaml(path), path)
        if signal.id != path.stem:
            raise RuleFileError(f"{path}: id {signal.id!r} does not match the file name")
        if signal.problem is not None and signal.problem not in config.problems:
            raise RuleFileError(f"{path}: problem: unknown kind {signal.problem!r} (see {cfg_path})")
        signals[signal.id] = signal
    if not signals:
        raise RuleFileError(f"{root / 'signals'}: no signal files")
    return TriageData(config=config, signals=signals, root=root)


_cache: dict[int, tuple[Catalogue, TriageData]] = {}
_cache_lock = threading.Lock()


def triage_data(catalogue: Catalogue) -> TriageData:
    """The triage data beside ``catalogue``'s rules (loaded once per catalogue)."""
    entry = _cache.get(id(catalogue))
    if entry is not None and entry[0] is catalogue:
        return entry[1]
    with _cache_lock:
        entry = _cache.get(id(catalogue))
        if entry is not None and entry[0] is catalogue:
            return entry[1]
        data = load_triage((catalogue.root or rules_dir()) / "triage")
        if len(_cache) > 16:
            _cache.clear()
        _cache[id(catalogue)] = (catalogue, data)
        return data


def find_signals(analysis: Analysis, scope: Scope) -> list[Found]:
    """Signals of ``scope`` in ``analysis``'s text, highest risk first, then by position."""
    memo: dict[str, list[Found]] = analysis.memo.setdefault("triage-signals", {})
    cached = memo.get(scope)
    if cached is not None:
        return cached
    data = triage_data(analysis.catalogue)
    pack = data.pack(analysis.catalogue, analysis.lang, scope)
    found_hits = pack.run(analysis)
    out: list[Found] = []
    for signal_id in pack.by_rule:
        hits = merge_overlapping(pack.hits_for(signal_id, analysis, found_hits))
        if not hits:
            continue
        first = hits[0]
        start, end = analysis.norm.to_original(first.start, first.end)
        spans = tuple((h.start, h.end) for h in hits)
        out.append(
            Found(data.signals[signal_id], first.start, first.end, analysis.original[start:end], spans)
        )
    out.sort(key=lambda f: (-RISK_ORDER[f.risk], f.start, f.signal.id))
    memo[scope] = out
    return out


def buyer_signals(analysis: Analysis) -> list[Found]:
    """Signals in the buyer's message of the reply ``analysis`` (empty without one)."""
    buyer = analysis.buyer
    return find_signals(buyer, "buyer") if buyer is not None else []


def risk_of(found: list[Found]) -> Risk:
    best = max((f.risk for f in found), key=RISK_ORDER.__getitem__, default="low")
    return best  # type: ignore[return-value]


def problem_kinds(found: list[Found]) -> list[str]:
    """Problem kinds named by the signals above low risk, most urgent first."""
    kinds: list[str] = []
    for f in found:
        if f.signal.problem and f.risk != "low" and f.signal.problem not in kinds:
            kinds.append(f.signal.problem)
    return kinds


def _reason(found: Found, lang: str) -> str:
    template = localised(found.signal.reason, lang)
    match = " ".join(found.match.split())
    if len(match) > 60:
        match = match[:57] + "…"
    return template.replace("{match}", match)


def triage_message(analysis: Analysis) -> Triage | None:
    """Risk, tier, SLA and reasons for the buyer's message of ``analysis``.

    Reasons are in the reply's language (the agent's), highest risk first; signals
    of low risk (a question, thanks) are listed only when nothing riskier is found.
    """
    if analysis.buyer is None:
        return None
    found = buyer_signals(analysis)
    risk = risk_of(found)
    level = triage_data(analysis.catalogue).config.levels[risk]
    shown = [f for f in found if f.risk != "low"] if risk != "low" else found
    reasons: list[str] = []
    for f in shown:
        reason = _reason(f, analysis.lang)
        if reason not in reasons:
            reasons.append(reason)
    return Triage(risk=risk, tier=level.tier, sla_hours=level.sla_hours, reasons=reasons)
