"""The prompts and the per-language data are complete, valid and strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from replylint.errors import RuleFileError
from replylint.resources import prompts_dir
from replylint.rewrite import data
from replylint.rewrite.facts import extract_facts
from replylint.rewrite.guardrails import system_prompt, user_prompt
from replylint.rewrite.redaction import Redactor
from replylint.schema import MARKETPLACES, InputRecord

from .scenarios import BUYER, DRAFT


def test_every_data_file_and_template_loads() -> None:
    data.validate_all()
    assert data.languages() == ("de", "en", "es", "fr", "it")


@pytest.mark.parametrize("lang", ["en", "fr", "de", "es", "it"])
@pytest.mark.parametrize("marketplace", MARKETPLACES)
def test_system_prompt_renders_for_every_language_and_marketplace(lang: str, marketplace: str) -> None:
    prompt = system_prompt(marketplace, lang)
    assert data.locale(lang).name in prompt
    assert "Acknowledge" in prompt and "Verify" in prompt
    assert "[[NAME_1]]" in prompt  # placeholders are explained to the model


def test_amazon_prompt_states_its_policy() -> None:
    prompt = system_prompt("amazon", "en")
    assert "Amazon" in prompt and "Forbidden" in prompt and "5-star" in prompt


def test_user_prompt_lists_diagnostics_and_facts_without_personal_data(linter) -> None:  # type: ignore[no-untyped-def]
    record = InputRecord(text=DRAFT, buyer_message=BUYER, lang="en")
    before = linter.check(record)
    redactor = Redactor("en")
    prompt = user_prompt(
        record, before, extract_facts(DRAFT, "en"), redactor, redactor.redact(DRAFT), redactor.redact(BUYER)
    )
    assert "contact-info" in prompt and "112-8846120-5518623" in prompt
    assert "07700" not in prompt and "Sam" not in prompt and "Tom" not in prompt


def test_a_missing_template_variable_fails_loudly() -> None:
    with pytest.raises(RuleFileError, match=r"rewrite\.v1\.retry\.j2"):
        data.render("rewrite.v1.retry.j2", language="English")  # no `problems`


def test_a_broken_data_file_names_the_file_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "offline.yaml"
    bad.write_text(
        (prompts_dir() / "offline" / "en.yaml").read_text(encoding="utf-8") + "\nsurprise: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleFileError, match=r"offline\.yaml.*\n.*surprise"):
        data._load(data.OfflineData, bad)


def test_a_template_with_an_unknown_slot_is_refused() -> None:
    spec = data.offline_data("en").model_dump()
    spec["templates"]["ownership"] = ["I'll sort out {thing}."]
    with pytest.raises(ValueError, match="unknown slot"):
        data.OfflineData.model_validate(spec)
