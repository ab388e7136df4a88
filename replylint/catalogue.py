"""Rules, lexicons, sources and marketplace profiles, loaded from ``rules/``.

Everything a rule does is data (one YAML file per rule, grouped by family). This
module validates those files strictly (unknown keys are errors that name the file
and the field) and exposes them as typed models. Matching lives in
:mod:`replylint.matching`; this module never looks at a reply.

Layout of ``rules/``::

    rules/<family>/<rule-id>.yaml   one rule: patterns per language, docs, examples
    rules/lexicons/<lang>/*.yaml    word lists shared by rules, referenced as "@name"
                                    (one file per family: policy.yaml, tone.yaml …)
    rules/lexicons/all/*.yaml       language-independent lists (domains, carriers …)
    rules/profiles/<id>.yaml        marketplace profiles: rules on/off, severity, sources
    rules/sources.yaml              citation keys (A1, L1 …) → URL and title
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import RuleFileError
from .languages import SUPPORTED_LANGS
from .resources import rules_dir
from .schema import MARKETPLACES, Family, RuleInfo, Severity
from .usercache import parsed_yaml

log = logging.getLogger(__name__)

ALL_LANGS_KEY = "all"  # patterns under this key apply in every language


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


LangText = str | dict[str, str]


def localised(value: LangText | None, lang: str, default: str = "") -> str:
    """Pick ``value`` in ``lang`` (falling back to English, then any)."""
    if value is None:
        return default
    if isinstance(value, str):
        return value
    return value.get(lang) or value.get("en") or next(iter(value.values()), default)


class FixSpec(_Strict):
    """How a diagnostic of this rule (or pattern) can be fixed."""

    action: Literal["none", "delete", "delete-sentence", "replace"] = "none"
    safe: bool = False
    replacement: LangText | None = Field(
        default=None, description="For 'replace': the new text; {match} is the matched text."
    )
    title: LangText | None = None
    why: str | None = Field(default=None, description="Why the fix is (un)safe, for the docs.")

    @model_validator(mode="after")
    def _replacement_for_replace(self) -> FixSpec:
        if self.action == "replace" and self.replacement is None:
            raise ValueError("a 'replace' fix needs a 'replacement'")
        return self


class PatternSpec(_Strict):
    """One way a rule matches: exactly one of tokens, phrases, regex or check."""

    tokens: list[dict[str, Any]] | None = Field(
        default=None, description="A spaCy Matcher pattern (LOWER, LEMMA, FUZZY, OP …)."
    )
    phrases: list[str] | str | None = Field(
        default=None, description="Phrases for a PhraseMatcher, or '@lexicon'."
    )
    attr: Literal["LOWER", "LEMMA", "NORM", "ORTH"] = Field(
        default="LOWER", description="Token attribute the phrases are compared on."
    )
    regex: str | None = Field(default=None, description="A regular expression on the normalised text.")
    flags: str = Field(default="i", description="Regex flags: i (ignore case), m, s, x.")
    group: int | str | None = Field(default=None, description="Regex group reported as the span.")
    check: str | None = Field(default=None, description="A named check, e.g. 'urls.v1'.")
    args: dict[str, Any] = Field(default_factory=dict, description="Arguments of the named check.")
    requires: list[PatternSpec] = Field(
        default_factory=list,
        description="Each of these must also match in the same sentence.",
    )
    excludes: list[PatternSpec] = Field(
        default_factory=list,
        description="None of these may match in the same sentence.",
    )
    report: Literal["match", "sentence"] = Field(
        default="match", description="Span reported: the match or its whole sentence."
    )
    window: Annotated[int, Field(ge=0, le=3)] | Literal["text"] = Field(
        default=0,
        description=(
            "For requires/excludes/unless_sentence: how many sentences away from the "
            "main match this one may be (0 = the same sentence), or 'text' for anywhere "
            "in the reply (a refusal is softened by an alternative offered later on)."
        ),
    )
    tag: str | None = Field(
        default=None,
        description="A label a profile can give its own severity (RuleSetting.tags).",
    )
    suggest: str | None = Field(default=None, description="Suggested replacement for the match.")
    fix: FixSpec | None = Field(default=None, description="Overrides the rule's fix.")
    message: str | None = Field(default=None, description="Overrides the rule's message.")
    note: str | None = Field(default=None, description="Why this pattern exists (docs only).")

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> PatternSpec:
        kinds = [k for k in ("tokens", "phrases", "regex", "check") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(
                "a pattern needs exactly one of tokens, phrases, regex, check"
                + (f" (got {', '.join(kinds)})" if kinds else "")
            )
        return self

    @property
    def kind(self) -> str:
        for k in ("tokens", "phrases", "regex", "check"):
            if getattr(self, k) is not None:
                return k
        raise AssertionError("unreachable")


PerLang = dict[str, list[PatternSpec]]


class Example(_Strict):
    """An embedded test case: the rule must fire (with ``match``) or stay quiet."""

    text: str
    lang: str = "en"
    match: str | None = None
    marketplace: str = "amazon"
    buyer_message: str | None = None
    fires: bool = True
    label: str = ""


class Examples(_Strict):
    fires: list[Example] = Field(default_factory=list)
    passes: list[Example] = Field(default_factory=list)


class Rule(_Strict):
    """One rule file."""

    id: str
    family: Family
    severity: Severity = "warning"
    status: Literal["stable", "preview", "deprecated"] = "stable"
    aliases: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=lambda: list(SUPPORTED_LANGS))
    summary: str
    why: str = ""
    example: LangText | None = Field(default=None, description="A bad reply (docs).")
    use_instead: LangText | None = Field(default=None, description="A better reply (docs).")
    known_problems: str | None = None
    options: str | None = Field(default=None, description="Options this rule reads (docs).")
    sources: list[str] = Field(
        default_factory=list,
        description="Citation keys used when the profile names none (e.g. review law).",
    )
    message: dict[str, str]
    help: dict[str, str] = Field(default_factory=dict)
    fix: FixSpec = Field(default_factory=FixSpec)
    check: str | None = Field(
        default=None, description="A named rule-level check instead of (or besides) patterns."
    )
    args: dict[str, Any] = Field(default_factory=dict)
    patterns: PerLang = Field(default_factory=dict)
    unless: PerLang = Field(default_factory=dict, description="A match overlapping one of these is dropped.")
    unless_sentence: PerLang = Field(
        default_factory=dict, description="A match whose sentence contains one of these is dropped."
    )
    unless_text: PerLang = Field(
        default_factory=dict,
        description="Every match is dropped when the reply contains one of these.",
    )
    examples: Examples = Field(default_factory=Examples)
    path: str = Field(default="", exclude=True)

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not value or not all(c.islower() or c.isdigit() or c == "-" for c in value):
            raise ValueError("rule ids are lowercase words joined by '-'")
        return value

    @model_validator(mode="after")
    def _languages_known(self) -> Rule:
        for section in ("patterns", "unless", "unless_sentence", "unless_text"):
            for lang in getattr(self, section):
                if lang != ALL_LANGS_KEY and lang not in self.languages:
                    raise ValueError(f"{section}.{lang}: language not in 'languages'")
        if "en" not in self.message:
            raise ValueError("message.en is required (the fallback language)")
        if not self.patterns and not self.check:
            raise ValueError("a rule needs 'patterns' or a rule-level 'check'")
        return self

    def patterns_for(self, section: str, lang: str) -> list[PatternSpec]:
        table: PerLang = getattr(self, section)
        return [*table.get(ALL_LANGS_KEY, []), *table.get(lang, [])]

    def all_examples(self) -> Iterator[Example]:
        for ex in self.examples.fires:
            yield ex.model_copy(update={"fires": True, "label": ex.label or f"fires-{ex.lang}"})
        for ex in self.examples.passes:
            yield ex.model_copy(update={"fires": False, "label": ex.label or f"passes-{ex.lang}"})

    @property
    def fix_kind(self) -> Literal["safe", "unsafe", "none"]:
        if self.fix.action == "none":
            return "none"
        return "safe" if self.fix.safe else "unsafe"


class RuleSetting(_Strict):
    """A profile's view of one rule."""

    enabled: bool = True
    severity: Severity | None = None
    sources: list[str] = Field(default_factory=list)
    note: str | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    tags: dict[str, Severity] = Field(
        default_factory=dict,
        description="Severity for hits of patterns with this tag (e.g. handle: error).",
    )


class Profile(_Strict):
    """A marketplace profile (rules/profiles/<id>.yaml)."""

    id: str
    name: str
    description: str = ""
    extends: str | None = None
    default_lang: str = "en"
    allow_domains: list[str] = Field(
        default_factory=list,
        description="Domains that are never an external link (glob: amazon.*, *.ups.com).",
    )
    rules: dict[str, RuleSetting] = Field(default_factory=dict)
    path: str = Field(default="", exclude=True)

    def setting(self, rule_id: str) -> RuleSetting:
        return self.rules.get(rule_id) or RuleSetting()


class Source(_Strict):
    url: str
    title: str = ""
    status: Literal["primary", "secondary", "unverified"] = "primary"


def _parse_yaml(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _load_yaml(path: Path) -> Any:
    """A data file's contents (parsed once per machine: see :mod:`replylint.usercache`)."""
    try:
        return parsed_yaml(path, _parse_yaml)
    except yaml.YAMLError as exc:
        raise RuleFileError(f"{path}: invalid YAML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise RuleFileError(f"{path}: not UTF-8: {exc.reason} at byte {exc.start}") from None
    except OSError as exc:
        raise RuleFileError(f"{path}: cannot read: {exc.strerror}") from None


def _format_validation(path: Path, exc: ValidationError) -> str:
    lines = [f"{path}: invalid"]
    for err in exc.errors()[:8]:
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {loc}: {err['msg']}")
    return "\n".join(lines)


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: expected a mapping at the top level")
    try:
        return model.model_validate({**data, "path": str(path)})
    except ValidationError as exc:
        raise RuleFileError(_format_validation(path, exc)) from None


@dataclass
class Catalogue:
    """All rules, lexicons, sources and profiles, validated."""

    rules: dict[str, Rule]
    profiles: dict[str, Profile]
    sources: dict[str, Source]
    lexicons: dict[str, dict[str, list[str]]]  # lang (or "all") → name → words
    aliases: dict[str, str] = field(default_factory=dict)
    root: Path | None = None
    #: Rules from outside the shipped ``rules/`` (a team's ``extra-rules``): their
    #: regexes run on RE2, in linear time, since nobody here reviewed them.
    user_rules: set[str] = field(default_factory=set)

    @cached_property
    def families(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for rule in self.rules.values():
            out.setdefault(rule.family, []).append(rule.id)
        return out

    def resolve(self, name: str) -> str:
        return self.aliases.get(name, name)

    def lexicon(self, lang: str, name: str) -> list[str]:
        """A word list for ``lang``; ``all`` lists apply to every language."""
        words = [
            *self.lexicons.get(ALL_LANGS_KEY, {}).get(name, []),
            *self.lexicons.get(lang, {}).get(name, []),
        ]
        if (
            not words
            and name not in self.lexicons.get(lang, {})
            and name not in self.lexicons.get(ALL_LANGS_KEY, {})
        ):
            raise RuleFileError(f"unknown lexicon @{name} for language {lang!r}")
        return words

    def source_url(self, keys: Iterable[str]) -> str | None:
        for key in keys:
            source = self.sources.get(key)
            if source:
                return source.url
        return None

    def profile(self, marketplace: str) -> Profile:
        try:
            return self.profiles[marketplace]
        except KeyError:
            raise RuleFileError(f"no profile for marketplace {marketplace!r}") from None

    def effective_severity(self, rule: Rule, profile: Profile) -> Severity | None:
        """Severity of ``rule`` under ``profile``, None when the profile turns it off."""
        setting = profile.setting(rule.id)
        if not setting.enabled:
            return None
        return setting.severity or rule.severity

    def policy_url(self, rule: Rule, profile: Profile) -> str | None:
        return self.source_url([*profile.setting(rule.id).sources, *rule.sources])

    def rule_info(self, rule: Rule) -> RuleInfo:
        per_market: dict[str, Any] = {}
        for market in MARKETPLACES:
            if market in self.profiles:
                per_market[market] = self.effective_severity(rule, self.profiles[market]) or "off"
        return RuleInfo(
            id=rule.id,
            family=rule.family,
            severity=rule.severity,
            status=rule.status,
            summary=rule.summary,
            languages=list(rule.languages),
            marketplaces=per_market,
            fix=rule.fix_kind,
            aliases=list(rule.aliases),
        )

    def add_rule(self, rule: Rule) -> None:
        if rule.id in self.rules:
            raise RuleFileError(
                f"{rule.path}: rule id {rule.id!r} is already defined in {self.rules[rule.id].path}"
            )
        self.rules[rule.id] = rule
        for alias in rule.aliases:
            self.aliases[alias] = rule.id
        self.__dict__.pop("families", None)


def _load_profiles(root: Path) -> dict[str, Profile]:
    raw: dict[str, Profile] = {}
    for path in sorted((root / "profiles").glob("*.yaml")):
        profile: Profile = _validate(Profile, _load_yaml(path), path)
        if profile.id != path.stem:
            raise RuleFileError(f"{path}: id {profile.id!r} does not match the file name")
        raw[profile.id] = profile
    # Resolve `extends` (one level of inheritance is all profiles need, but chains work).
    resolved: dict[str, Profile] = {}

    def resolve(pid: str, seen: tuple[str, ...] = ()) -> Profile:
        if pid in resolved:
            return resolved[pid]
        if pid in seen:
            raise RuleFileError(f"profile {pid!r} extends itself through {' → '.join(seen)}")
        profile = raw[pid]
        if profile.extends:
            if profile.extends not in raw:
                raise RuleFileError(f"{profile.path}: extends unknown profile {profile.extends!r}")
            base = resolve(profile.extends, (*seen, pid))
            rules = {**base.rules, **profile.rules}
            allow = [*base.allow_domains, *profile.allow_domains]
            profile = profile.model_copy(update={"rules": rules, "allow_domains": allow})
        resolved[pid] = profile
        return profile

    for pid in raw:
        resolve(pid)
    return resolved


def _load_lexicons(directory: Path) -> dict[str, dict[str, list[str]]]:
    """``lexicons/<lang>.yaml`` and ``lexicons/<lang>/*.yaml`` (one file per family),
    merged per language; a name defined twice for one language is an error."""
    lexicons: dict[str, dict[str, list[str]]] = {}
    origin: dict[tuple[str, str], Path] = {}
    files = [(p.stem, p) for p in sorted(directory.glob("*.yaml"))]
    files += [(p.parent.name, p) for p in sorted(directory.glob("*/*.yaml"))]
    for lang, path in files:
        data = _load_yaml(path) or {}
        if not isinstance(data, dict):
            raise RuleFileError(f"{path}: a lexicon maps names to lists of strings")
        for name, words in data.items():
            if not isinstance(words, list):
                raise RuleFileError(f"{path}: {name}: expected a list of strings")
            for i, word in enumerate(words):
                if not isinstance(word, str):
                    raise RuleFileError(
                        f"{path}: {name}[{i}]: {word!r} is not a string "
                        "(quote YAML words such as on, no, yes)"
                    )
            if (lang, name) in origin:
                raise RuleFileError(f"{path}: {name}: already defined in {origin[(lang, name)]}")
            origin[(lang, name)] = path
            lexicons.setdefault(lang, {})[name] = words
    return lexicons


def load_rule_file(path: Path) -> Rule:
    rule: Rule = _validate(Rule, _load_yaml(path), path)
    if rule.id != path.stem:
        raise RuleFileError(f"{path}: id {rule.id!r} does not match the file name")
    return rule


def load_catalogue(root: Path | None = None, extra_rule_paths: Iterable[Path] = ()) -> Catalogue:
    """Load and validate every data file under ``root`` (the shipped ``rules/``)."""
    root = root or rules_dir()
    lexicons = _load_lexicons(root / "lexicons")
    sources_data = _load_yaml(root / "sources.yaml") if (root / "sources.yaml").exists() else {}
    sources: dict[str, Source] = {}
    for key, value in (sources_data or {}).items():
        try:
            sources[str(key)] = Source.model_validate(value)
        except ValidationError as exc:
            raise RuleFileError(
                _format_validation(root / "sources.yaml", exc).replace("invalid", f"invalid source {key}", 1)
            ) from None

    catalogue = Catalogue(
        rules={}, profiles=_load_profiles(root), sources=sources, lexicons=lexicons, root=root
    )
    family_dirs = [
        d for d in sorted(root.iterdir()) if d.is_dir() and d.name not in {"profiles", "lexicons", "triage"}
    ]
    for directory in family_dirs:
        for path in sorted(directory.glob("*.yaml")):
            catalogue.add_rule(load_rule_file(path))
    for extra in extra_rule_paths:
        paths = sorted(extra.glob("**/*.yaml")) if extra.is_dir() else [extra]
        for path in paths:
            rule = load_rule_file(path)
            if rule.family not in ("custom", "policy", "tone", "clarity"):
                raise RuleFileError(f"{path}: family {rule.family!r} is reserved for built-in rules")
            catalogue.add_rule(rule)
            catalogue.user_rules.add(rule.id)
    _check_references(catalogue)
    return catalogue


def _check_references(catalogue: Catalogue) -> None:
    for profile in catalogue.profiles.values():
        for rule_id, setting in profile.rules.items():
            if rule_id not in catalogue.rules:
                raise RuleFileError(f"{profile.path}: rules.{rule_id}: no such rule")
            for key in setting.sources:
                if key not in catalogue.sources:
                    raise RuleFileError(f"{profile.path}: rules.{rule_id}.sources: unknown source {key!r}")
    for rule in catalogue.rules.values():
        for key in rule.sources:
            if key not in catalogue.sources:
                raise RuleFileError(f"{rule.path}: sources: unknown source {key!r}")
