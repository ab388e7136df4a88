"""The lint pipeline end to end, on what every rule relies on."""

from __future__ import annotations

import pytest

from replylint.engine import Linter, LintOptions
from replylint.errors import ConfigError, InputError, TooLargeError
from replylint.schema import InputRecord


def test_result_carries_the_record_and_passes_extra_fields_through(linter: Linter) -> None:
    record = InputRecord(id=17, text="Thanks, it ships today.", lang="en", agent="maya", channel="bsm")
    result = linter.check(record)
    assert result.id == "17"
    assert result.lang == "en" and result.lang_source == "given"
    assert result.marketplace == "amazon"
    dumped = result.model_dump()
    assert dumped["agent"] == "maya" and dumped["channel"] == "bsm"


def test_offsets_lines_and_columns_point_into_the_original_text(linter: Linter) -> None:
    text = "Hi Sam,\n\nThe manual: shop [dot] example [dot] com\nThanks"
    result = linter.check_text(text, lang="en", select={"external-link"})
    (d,) = result.diagnostics
    assert text[d.start : d.end] == d.match == "shop [dot] example [dot] com"
    assert (d.line, d.column) == (3, 13)
    assert (d.end_line, d.end_column) == (3, 13 + len(d.match))


def test_output_is_deterministic_and_sorted(linter: Linter) -> None:
    text = "Call 07700 900123 or see www.shop-example.com, or mail me at a@shop-example.com"
    first = linter.check_text(text, lang="en")
    assert first == linter.check_text(text, lang="en")
    keys = [(d.start, d.end, d.rule) for d in first.diagnostics]
    assert keys == sorted(keys)


def test_an_error_severity_policy_hit_makes_a_reply_non_compliant_and_caps_its_score(linter: Linter) -> None:
    result = linter.check_text("Visit www.shop-example.com for more.", lang="en")
    assert not result.compliant
    assert result.score <= 59


def test_profiles_turn_policy_rules_off(linter: Linter) -> None:
    text = "Visit www.shop-example.com for more."
    assert linter.check_text(text, lang="en", marketplace="shopify").compliant
    assert linter.check_text(text, lang="en", marketplace="generic").compliant


def test_select_and_ignore_take_rule_ids_and_families(linter: Linter) -> None:
    text = "Visit www.shop-example.com or call 07700 900123."
    rules = lambda **kw: {d.rule for d in linter.check_text(text, lang="en", **kw).diagnostics}  # noqa: E731
    assert rules(select={"contact-info"}) == {"contact-info"}
    assert "external-link" not in rules(ignore={"external-link"})
    assert not rules(ignore={"policy"}) & {"external-link", "contact-info"}


def test_unknown_rule_names_in_options_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="no-such-rule"):
        Linter(options=LintOptions(select=frozenset({"no-such-rule"})))


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n\t ", "whitespace"), ("abc\x00def", "binary"), ("\x01\x02\x03" * 50, "binary")],
)
def test_bad_text_is_a_clear_input_error(linter: Linter, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        linter.check_text(text, lang="en")


def test_oversized_text_is_refused_with_the_limit_named() -> None:
    small = Linter(options=LintOptions(max_chars=1000))
    with pytest.raises(TooLargeError, match="limit is 1,000"):
        small.check_text("a" * 1001, lang="en")


def test_five_megabytes_are_refused_by_default(linter: Linter) -> None:
    with pytest.raises(TooLargeError):
        linter.check_text("word " * 1_000_000, lang="en")


def test_an_unsupported_language_runs_the_language_independent_rules(linter: Linter) -> None:
    result = linter.check_text("Olá! Veja www.loja-exemplo.com.br ou ligue 912 345 678.", lang="pt")
    assert result.lang == "pt"
    assert {"external-link", "contact-info"} <= {d.rule for d in result.diagnostics}


def test_auto_detection_is_reported(linter: Linter) -> None:
    result = linter.check_text("Bonjour, votre colis a été expédié ce matin avec Colissimo.")
    assert (result.lang, result.lang_source) == ("fr", "detected")
