"""The one definition of replylint's records.

Every front end (CLI, batch, HTTP API, browser extension) reads and writes these
models; nothing else defines a record. ``export_json_schema`` writes the JSON
Schema that the extension and other clients are typed from
(``docs/schema/*.json``, kept fresh by a test).

Offsets (``start``/``end``) are Python ``str`` indices (code points) into the
*original* text, never into the normalised copy the rules read.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Severity = Literal["error", "warning", "info"]
Family = Literal["policy", "tone", "structure", "clarity", "custom"]
Marketplace = Literal["amazon", "ebay", "walmart", "etsy", "shopify", "generic"]
Risk = Literal["low", "medium", "high"]

MARKETPLACES: tuple[str, ...] = ("amazon", "ebay", "walmart", "etsy", "shopify", "generic")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class InputRecord(BaseModel):
    """One reply to lint: a JSONL line, a CSV row or an API body."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [
                {
                    "id": "t-17",
                    "text": "Hi Sam, sorry the mug arrived chipped. I can send a new one "
                    "today or refund you in full. Which would you prefer?",
                    "buyer_message": "My mug arrived chipped.",
                    "marketplace": "amazon",
                    "lang": "en",
                }
            ]
        },
    )

    id: str | None = Field(
        default=None,
        description="Any string, echoed back in the result. Required in batch input.",
    )
    text: str = Field(description="The draft reply written by the seller's agent.")
    buyer_message: str | None = Field(
        default=None,
        description="The buyer's message being answered; enables triage and context-aware rules.",
    )
    marketplace: Marketplace = Field(
        default="amazon",
        description="Marketplace profile whose policy applies.",
    )
    lang: str | None = Field(
        default=None,
        description="Language of the reply (en, fr, de, es, it). Absent or 'auto': detected.",
        examples=["en", "auto"],
    )

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_string(cls, value: Any) -> Any:
        # Exports often carry numeric ids; echo them back as strings.
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int | float):
            return str(value)
        return value

    @field_validator("marketplace", mode="before")
    @classmethod
    def _marketplace_lower(cls, value: Any) -> Any:
        if value is None or value == "":
            return "amazon"
        if isinstance(value, str):
            return value.strip().lower()
        return value

    @field_validator("lang", mode="before")
    @classmethod
    def _lang_lower(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower().replace("_", "-")
            return value or None
        return value

    def extras(self) -> dict[str, Any]:
        """Fields beyond the contract (agent, channel, timestamps …), passed through."""
        return dict(self.model_extra or {})


class Fix(_Model):
    """A text edit that resolves a diagnostic."""

    replacement: str = Field(description="Text that replaces the range (empty to delete).")
    safe: bool = Field(
        description="Safe fixes keep the reply's meaning and are applied by --fix; "
        "unsafe ones need --unsafe-fixes or a human."
    )
    start: int | None = Field(
        default=None,
        description="Start of the range to replace, if it differs from the diagnostic's span.",
    )
    end: int | None = Field(default=None, description="End of the range to replace.")
    title: str | None = Field(default=None, description="What applying the fix does.")


class Diagnostic(_Model):
    """One problem found in a reply."""

    rule: str = Field(description="Stable rule id, e.g. 'external-link'.")
    family: Family = Field(description="Rule family.")
    severity: Severity
    message: str = Field(description="What is wrong, in the reply's language.")
    start: int = Field(ge=0, description="Start offset (Python str index) in the original text.")
    end: int = Field(ge=0, description="End offset (exclusive).")
    line: int = Field(ge=1, description="1-based line of start.")
    column: int = Field(ge=1, description="1-based column of start.")
    end_line: int = Field(ge=1, description="1-based line of end.")
    end_column: int = Field(ge=1, description="1-based column of end (exclusive).")
    match: str = Field(default="", description="The offending text.")
    fix: Fix | None = Field(default=None)
    policy: str | None = Field(default=None, description="URL of the policy or law cited.")
    help: str | None = Field(default=None, description="How to put it right, in the reply's language.")


class Structure(_Model):
    """Acknowledge, Own, Offer, Verify: which elements the reply contains."""

    applies: bool = Field(description="True when the buyer raised a problem.")
    acknowledgement: bool = False
    ownership: bool = False
    offer: bool = False
    next_step: bool = False


class Triage(_Model):
    """Urgency of the buyer's message."""

    risk: Risk
    tier: int = Field(ge=1, le=3)
    sla_hours: int = Field(ge=1, description="Internal deadline for the first reply, in hours.")
    reasons: list[str] = Field(default_factory=list, description="The triggers found.")


class ResultRecord(BaseModel):
    """The verdict on one reply. Extra input fields (agent, channel …) pass through."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    lang: str = Field(description="Language the rules ran in.")
    lang_source: Literal["given", "detected", "fallback"] = Field(
        default="given", description="Where the language came from."
    )
    marketplace: Marketplace
    compliant: bool = Field(description="False when any error-severity policy diagnostic fires.")
    score: int = Field(ge=0, le=100, description="0-100, see docs/scoring.md.")
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    structure: Structure
    triage: Triage | None = Field(default=None, description="Present when buyer_message is given.")


class ErrorDetail(_Model):
    code: str = Field(description="Stable machine-readable code, e.g. 'invalid-json'.")
    message: str = Field(description="Human-readable explanation.")


class ErrorRecord(BaseModel):
    """A batch line that could not be linted; the run goes on."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    line: int | None = Field(default=None, description="1-based line (JSONL) or row (CSV).")
    error: ErrorDetail


class ErrorResponse(_Model):
    """The body of every error answer of the HTTP API (4xx, and 5xx on a server fault)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"error": {"code": "too-large", "message": "text has 60,000 characters; the limit is 50,000"}}
            ]
        },
    )

    error: ErrorDetail


class RuleInfo(_Model):
    """A rule as listed by `replylint rules` and `GET /v1/rules`."""

    id: str
    family: Family
    severity: Severity = Field(description="Default severity (profiles may change it).")
    status: Literal["stable", "preview", "deprecated"] = "stable"
    summary: str
    languages: list[str]
    marketplaces: dict[str, Severity | Literal["off"]] = Field(
        description="Severity per marketplace profile, or 'off'."
    )
    fix: Literal["safe", "unsafe", "none"] = "none"
    aliases: list[str] = Field(default_factory=list)


class Change(_Model):
    """One edit a rewrite made, for the agent to review."""

    kind: Literal["fix", "rephrase", "remove", "add", "restore", "llm"] = Field(
        description="fix: a rule's fix; rephrase: tone wording; remove: forbidden content; "
        "add: a missing structure element; restore: a fact put back; llm: the model's rewrite."
    )
    rule: str | None = Field(default=None, description="The rule that prompted it, if any.")
    description: str = Field(description="What changed, in plain words.")
    before: str | None = None
    after: str | None = None


class RewriteResponse(_Model):
    """A rewritten draft, always re-linted."""

    text: str = Field(description="The new draft.")
    result: ResultRecord = Field(description="Result record of the new draft.")
    engine: Literal["llm", "offline"]
    changes: list[Change] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list,
        description="Why the draft came out as it did, e.g. the model timed out and the "
        "offline engine wrote it, or no rewrite beat the draft.",
    )


class BatchRequest(_Model):
    records: list[InputRecord]


class BatchResponse(_Model):
    results: list[ResultRecord]


def export_json_schema(directory: Path) -> list[Path]:
    """Write the JSON Schemas of the public records into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    models: list[tuple[str, type[BaseModel], Literal["validation", "serialization"]]] = [
        ("input-record", InputRecord, "validation"),
        ("result-record", ResultRecord, "serialization"),
        ("error-record", ErrorRecord, "serialization"),
        ("error-response", ErrorResponse, "serialization"),
        ("rule-info", RuleInfo, "serialization"),
        ("rewrite-response", RewriteResponse, "serialization"),
    ]
    for name, model, mode in models:
        path = directory / f"{name}.schema.json"
        schema = model.model_json_schema(mode=mode)
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
