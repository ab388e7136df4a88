"""The rewrite assistant's data, read from ``prompts/`` and validated strictly.

Nothing the assistant says lives in Python; it is all in ``prompts/``::

    prompts/rewrite.v1.system.j2   system prompt of the LLM engine (policy, structure, tone)
    prompts/rewrite.v1.user.j2     the task: buyer message, draft, diagnostics, facts
    prompts/rewrite.v1.retry.j2    the second try: what is still wrong
    prompts/policy.yaml            each marketplace's rules for the system prompt (POLICY.md)
    prompts/examples/<lang>.yaml   few-shot examples per language
    prompts/locale/<lang>.yaml     words for layout, facts, redaction, LLM preambles
    prompts/offline/<lang>.yaml    the offline engine's sentences and rephrasings

A broken file fails at load with a :class:`~replylint.errors.RuleFileError` that names
the file and the field, like a broken rule file.
"""

from __future__ import annotations

import re
import string
import threading
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..catalogue import _load_yaml, _validate
from ..errors import RuleFileError
from ..resources import prompts_dir

#: Version of the prompt templates (``rewrite.<version>.*.j2``).
PROMPT_VERSION = "v1"

#: Slots a template sentence may use; anything else is a typo caught at load.
TEMPLATE_SLOTS = frozenset({"item", "party", "facts"})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Locale(_Strict):
    """Words of one language that the assistant needs to read a draft."""

    name: str = Field(description="The language's name in English, for prompts.")
    greetings: list[str]
    closings: list[str]
    titles: list[str] = Field(default_factory=list)
    months: list[str]
    weekdays: list[str]
    order_words: list[str] = Field(default_factory=list)
    tracking_words: list[str] = Field(default_factory=list)
    street_words: list[str] = Field(default_factory=list)
    street_number_first: bool = Field(
        default=True, description="'14 Elm Road' (true) or 'Hauptstraße 14' (false)."
    )
    choice_words: list[str] = Field(
        default_factory=list, description='Words joining the options of an offer (" or ").'
    )
    lowercase_after_greeting: bool = Field(
        default=False,
        description='The body starts in lower case after "Liebe Frau Roth," (German letters).',
    )
    preambles: list[str] = Field(
        default_factory=list, description="Openings of a line where a model talks about its answer."
    )
    path: str = Field(default="", exclude=True)


class ItemForm(_Strict):
    possessive: str
    gender: str | None = None


class Fallback(_Strict):
    text: str
    gender: str | None = None


class ItemSpec(_Strict):
    """How the product the buyer names becomes "your mug" in the reply."""

    determiners: dict[str, ItemForm]
    after_preposition: dict[str, ItemForm] = Field(default_factory=dict)
    prepositions: list[str] = Field(default_factory=list)
    capitalised: bool = Field(default=False, description="Nouns are capitalised (German).")
    fallback: Fallback
    genders: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="Agreement slots per gender ({e}, {o} …)."
    )
    skip: list[str] = Field(default_factory=list)


class Templates(_Strict):
    """Sentences the offline engine adds, per problem kind where it matters."""

    acknowledgement: dict[str, list[str]]
    ownership: list[str]
    offer: dict[str, list[str]]
    ownership_offer: dict[str, list[str]]
    next_step_choice: list[str]
    next_step_confirm: list[str]
    stay_on_platform: list[str] = Field(default_factory=list)
    neutral_review: list[str] = Field(default_factory=list)
    alternative: list[str] = Field(
        default_factory=list, description="Said after a refusal that offers nothing else."
    )
    restore: str

    @model_validator(mode="after")
    def _defaults_present(self) -> Templates:
        for name in ("acknowledgement", "offer", "ownership_offer"):
            if "default" not in getattr(self, name):
                raise ValueError(f"{name} needs a 'default' entry")
        return self


class Rephrase(_Strict):
    """A positive wording for a tone diagnostic."""

    rule: str
    find: str
    replace: str
    scope: Literal["match", "sentence"] = "match"
    parties: dict[str, str] = Field(default_factory=dict)

    @field_validator("find")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return value

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.find)


class OfflineData(_Strict):
    """What the offline engine writes in one language."""

    item: ItemSpec
    templates: Templates
    rephrase: list[Rephrase] = Field(default_factory=list)
    neutral_greeting: str = Field(description='Greeting without a name ("Hello").')
    placeholder_leadins: list[str] = Field(default_factory=list)
    link_leadins: list[str] = Field(default_factory=list)
    path: str = Field(default="", exclude=True)

    @model_validator(mode="after")
    def _slots_known(self) -> OfflineData:
        agreement = {slot for forms in self.item.genders.values() for slot in forms}
        known = TEMPLATE_SLOTS | agreement
        for sentence in self.all_sentences():
            for slot in _slots(sentence):
                if slot not in known:
                    raise ValueError(f"unknown slot {{{slot}}} in {sentence!r}")
        for entry in self.rephrase:
            groups = set(entry.pattern.groupindex)
            for slot in _slots(entry.replace):
                if slot not in groups:
                    raise ValueError(f"rephrase {entry.find!r}: {{{slot}}} is not a named group of find")
        return self

    def all_sentences(self) -> list[str]:
        t = self.templates
        out = [*t.ownership, *t.next_step_choice, *t.next_step_confirm, *t.stay_on_platform]
        out += [*t.neutral_review, *t.alternative, t.restore]
        for table in (t.acknowledgement, t.offer, t.ownership_offer):
            for sentences in table.values():
                out.extend(sentences)
        return out


class Example(_Strict):
    """A few-shot example: a buyer message, a weak draft and a good rewrite."""

    marketplace: str = "amazon"
    buyer_message: str | None = None
    draft: str
    rewrite: str


class Examples(_Strict):
    examples: list[Example]
    path: str = Field(default="", exclude=True)


class MarketPolicy(_Strict):
    """A marketplace's rules for replies, as the system prompt states them."""

    name: str
    forbidden: list[str]
    allowed: list[str] = Field(default_factory=list)


class PolicyData(_Strict):
    marketplaces: dict[str, MarketPolicy]
    review_law: list[str]
    path: str = Field(default="", exclude=True)


def _slots(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_lock = threading.Lock()


def _load(model: type[_Strict], path: Path) -> Any:
    if not path.is_file():
        raise RuleFileError(f"{path}: missing (the rewrite assistant's data is incomplete)")
    return _validate(model, _load_yaml(path), path)


@cache
def locale(lang: str) -> Locale:
    """Language words for ``lang`` (English for a language without its own file)."""
    with _lock:
        path = prompts_dir() / "locale" / f"{_supported(lang)}.yaml"
        loaded: Locale = _load(Locale, path)
        return loaded


@cache
def offline_data(lang: str) -> OfflineData:
    with _lock:
        path = prompts_dir() / "offline" / f"{_supported(lang)}.yaml"
        loaded: OfflineData = _load(OfflineData, path)
        return loaded


@cache
def examples(lang: str) -> list[Example]:
    path = prompts_dir() / "examples" / f"{_supported(lang)}.yaml"
    loaded: Examples = _load(Examples, path)
    return loaded.examples


@cache
def policy_data() -> PolicyData:
    loaded: PolicyData = _load(PolicyData, prompts_dir() / "policy.yaml")
    return loaded


@cache
def languages() -> tuple[str, ...]:
    """Languages the assistant writes in: those with their own ``offline/<lang>.yaml``
    (a new language is a new set of files, no code)."""
    return tuple(sorted(p.stem for p in (prompts_dir() / "offline").glob("*.yaml")))


def _supported(lang: str) -> str:
    return lang if lang in languages() else "en"


def has_language_data(lang: str) -> bool:
    """Whether the assistant can write sentences in ``lang`` (not only remove)."""
    return lang in languages()


@cache
def language_name(lang: str) -> str:
    """The language's English name for prompts ("French"; "Dutch" for a language
    replylint only detects)."""
    if has_language_data(lang):
        return locale(lang).name
    try:
        from lingua import IsoCode639_1, Language

        return str(Language.from_iso_code_639_1(IsoCode639_1.from_str(lang)).name).title()
    except (ImportError, ValueError, AttributeError):
        return lang


@cache
def jinja_env() -> jinja2.Environment:
    """Templates fail loudly on a missing variable (StrictUndefined) rather than
    sending a model a prompt with holes in it."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(prompts_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain-text prompts, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(name: str, **context: Any) -> str:
    """Render ``prompts/<name>``; a template error names the file."""
    try:
        return jinja_env().get_template(name).render(**context).strip()
    except jinja2.TemplateNotFound:
        raise RuleFileError(f"{prompts_dir() / name}: missing prompt template") from None
    except jinja2.TemplateError as exc:
        raise RuleFileError(f"{prompts_dir() / name}: {exc}") from None


def validate_all() -> None:
    """Load every data file and template (used by the tests and at start-up checks)."""
    for lang in languages():
        locale(lang)
        offline_data(lang)
        examples(lang)
    policy_data()
    for part in ("system", "user", "retry"):
        jinja_env().get_template(f"rewrite.{PROMPT_VERSION}.{part}.j2")
