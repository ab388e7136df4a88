"""SARIF 2.1.0, the format GitHub code scanning and most CI dashboards read.

One run; the driver lists the rules the results refer to (id, summary, why, default
level, family as a tag, the policy cited). Each result carries its location in the
file (line and column, character offset and length; columns count Unicode code
points, declared in ``columnKind``), the macro it belongs to as a logical location,
a stable fingerprint (so an alert survives lines moving above it), and its fix as a
SARIF ``fix`` whose ``properties.safe`` says whether ``--fix`` applies it.
Files that could not be read are reported as tool notifications.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from ..__about__ import __version__
from ..schema import Diagnostic
from . import FileResult

if TYPE_CHECKING:
    from ..catalogue import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/replylint/replylint"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


_SAFE = "/:@!$&'()*+,;=-._~"


def artifact_location(path: str) -> dict[str, str]:
    """Where a file is: relative to the checkout root (``%SRCROOT%``, the current
    directory) when it can be, as GitHub code scanning expects; else a file URI."""
    p = Path(path)
    if p.is_absolute():
        try:
            p = p.relative_to(Path.cwd())
        except ValueError:
            return {"uri": p.as_uri()}
    return {"uri": quote(PurePath(p).as_posix(), safe=_SAFE), "uriBaseId": "%SRCROOT%"}


def _rule_descriptor(rule_id: str, rules: Mapping[str, Rule], seen: Diagnostic) -> dict[str, Any]:
    rule = rules.get(rule_id)
    descriptor: dict[str, Any] = {"id": rule_id, "name": "".join(p.title() for p in rule_id.split("-"))}
    if rule is not None:
        descriptor["shortDescription"] = {"text": rule.summary}
        if rule.why:
            descriptor["fullDescription"] = {"text": " ".join(rule.why.split())}
        descriptor["defaultConfiguration"] = {"level": _LEVEL[rule.severity]}
        help_text = rule.help.get("en") if rule.help else None
        if help_text:
            descriptor["help"] = {"text": help_text}
        descriptor["properties"] = {"tags": [rule.family], "status": rule.status}
    else:
        descriptor["defaultConfiguration"] = {"level": _LEVEL[seen.severity]}
        descriptor["properties"] = {"tags": [seen.family]}
    if seen.policy:
        descriptor["helpUri"] = seen.policy
    return descriptor


def _fingerprint(fr: FileResult, d: Diagnostic, occurrence: int) -> str:
    key = "\x1f".join([fr.path, fr.label or "", d.rule, d.match.strip().lower(), str(occurrence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _region(fr: FileResult, d: Diagnostic) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": d.line,
        "startColumn": d.column,
        "endLine": d.end_line,
        "endColumn": d.end_column,
        "charOffset": d.start,
        "charLength": d.end - d.start,
    }
    if d.match:
        region["snippet"] = {"text": fr.text[d.start : d.end]}
    return region


def _fix(fr: FileResult, d: Diagnostic, where: dict[str, str]) -> dict[str, Any] | None:
    if d.fix is None:
        return None
    start = d.fix.start if d.fix.start is not None else d.start
    end = d.fix.end if d.fix.end is not None else d.end
    return {
        "description": {"text": d.fix.title or ("Delete" if not d.fix.replacement else "Replace")},
        "artifactChanges": [
            {
                "artifactLocation": where,
                "replacements": [
                    {
                        "deletedRegion": {"charOffset": start, "charLength": end - start},
                        "insertedContent": {"text": d.fix.replacement},
                    }
                ],
            }
        ],
        "properties": {"safe": d.fix.safe},
    }


def sarif_log(
    results: Sequence[FileResult],
    rules: Mapping[str, Rule] | None = None,
    errors: Sequence[str] = (),
) -> dict[str, Any]:
    """The SARIF log of a run, as a JSON-ready dict."""
    known = rules or {}
    rule_index: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    for fr in results:
        where = artifact_location(fr.path)
        occurrences: Counter[tuple[str, str]] = Counter()
        for d in fr.result.diagnostics:
            if d.rule not in rule_index:
                rule_index[d.rule] = len(descriptors)
                descriptors.append(_rule_descriptor(d.rule, known, d))
            key = (d.rule, d.match.strip().lower())
            occurrences[key] += 1
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": where,
                    "region": _region(fr, d),
                }
            }
            if fr.label is not None:
                location["logicalLocations"] = [{"name": fr.label, "kind": "object"}]
            result: dict[str, Any] = {
                "ruleId": d.rule,
                "ruleIndex": rule_index[d.rule],
                "level": _LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [location],
                "partialFingerprints": {"replylintMatch/v1": _fingerprint(fr, d, occurrences[key])},
                "properties": {"family": d.family},
            }
            if d.policy:
                result["properties"]["policy"] = d.policy
            fix = _fix(fr, d, where)
            if fix is not None:
                result["fixes"] = [fix]
            sarif_results.append(result)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "replylint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": sarif_results,
        "invocations": [
            {
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": message}} for message in errors
                ],
            }
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write_sarif(
    results: Sequence[FileResult],
    out: IO[str],
    rules: Mapping[str, Rule] | None = None,
    errors: Sequence[str] = (),
) -> None:
    # One write: json.dump would write each token to the stream, which is slow on
    # a console stream and on a large run.
    out.write(json.dumps(sarif_log(results, rules, errors), ensure_ascii=False, indent=2) + "\n")
