"""Configuration: discovery nearest first, precedence, validation errors, team rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run, rules_fired, write

from replylint.config import ConfigResolver, find_config_file, load_config
from replylint.errors import ConfigError

LINK = "Thanks for your order. Our care guide is at www.lumina-home.com/care.\n"


def test_nearest_configuration_wins_and_pyproject_without_a_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'marketplace = "ebay"\n')
    write(tmp_path / "shop" / "pyproject.toml", '[tool.replylint]\nmarketplace = "shopify"\n')
    write(tmp_path / "other" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(tmp_path / "shop" / "a.j2") == (tmp_path / "shop" / "pyproject.toml").resolve()
    assert find_config_file(tmp_path / "other" / "a.j2") == (tmp_path / "replylint.toml").resolve()
    resolver = ConfigResolver()
    assert resolver.for_path(tmp_path / "shop" / "a.j2").settings.marketplace == "shopify"
    assert resolver.for_path(tmp_path / "other" / "a.j2").settings.marketplace == "ebay"


def test_dot_replylint_toml_comes_before_replylint_toml_and_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.replylint]\nmarketplace = "etsy"\n')
    write(tmp_path / "replylint.toml", 'marketplace = "ebay"\n')
    write(tmp_path / ".replylint.toml", 'marketplace = "walmart"\n')
    assert load_config(start=tmp_path).settings.marketplace == "walmart"


def test_extend_inherits_and_overrides(tmp_path: Path) -> None:
    write(
        tmp_path / "replylint.toml",
        'marketplace = "ebay"\nignore = ["promotion"]\n[template]\nslot-names = ["X Y"]\n',
    )
    write(tmp_path / "sub" / "replylint.toml", 'extend = "../replylint.toml"\nmarketplace = "etsy"\n')
    config = load_config(start=tmp_path / "sub")
    assert config.settings.marketplace == "etsy"
    assert config.settings.ignore == ["promotion"]
    assert config.settings.template.slot_names == ["X Y"]


def test_snake_case_keys_are_accepted(tmp_path: Path) -> None:
    write(
        tmp_path / "replylint.toml", 'per_file_ignores = {"*.j2" = ["promotion"]}\nlang_from_path = false\n'
    )
    settings = load_config(start=tmp_path).settings
    assert settings.per_file_ignores == {"*.j2": ["promotion"]}
    assert settings.lang_from_path is False


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'selct = ["policy"]\n',
            r"replylint.toml: \(top level\) selct: unknown key \(did you mean 'select'\?\)",
        ),
        ('marketplace = "amazn"\n', r"marketplace: Input should be 'amazon'"),
        ("[template]\nmdoe = 'always'\n", r"template\. mdoe: unknown key \(did you mean 'mode'\?\)"),
        (
            'ignore = ["promtion"]\n',
            r"ignore: unknown rule or family 'promtion' \(did you mean 'promotion'\?\)",
        ),
        (
            '[per-file-ignores]\n"*.j2" = ["nope-rule"]\n',
            r'per-file-ignores\."\*\.j2": unknown rule or family',
        ),
        ('[template]\nslot-patterns = ["(a)\\\\1"]\n', r"slot-patterns\[0\]: not a valid RE2 pattern"),
        ("marketplace = \n", r"invalid TOML"),
        ('extend = "missing.toml"\n', r"extend: no such file"),
    ],
)
def test_bad_configuration_names_file_and_key(
    run: Callable[..., Run], workdir: Path, content: str, message: str
) -> None:
    import re

    write(workdir / "replylint.toml", content)
    write(workdir / "a.txt", LINK)
    result = run("check", "a.txt")
    assert result.code == 2
    assert "Traceback" not in result.err
    assert re.search(message, result.err), result.err


def test_pyproject_errors_name_the_tool_table(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "pyproject.toml", "[tool.replylint]\nfixx = true\n")
    write(workdir / "a.txt", LINK)
    result = run("check", "a.txt")
    assert result.code == 2
    assert "pyproject.toml: [tool.replylint] fixx: unknown key (did you mean 'fix'?)" in result.err


def test_command_line_beats_configuration(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "replylint.toml", 'marketplace = "shopify"\n')
    write(workdir / "a.txt", LINK)
    from_config = run("check", "a.txt", "--lang", "en", "--select", "external-link", "--format", "json")
    assert rules_fired(from_config) == []  # links are fine in the shop's own e-mails
    flag = run(
        "check",
        "a.txt",
        "--lang",
        "en",
        "--select",
        "external-link",
        "--marketplace",
        "amazon",
        "--format",
        "json",
    )
    assert rules_fired(flag) == [("a.txt", "external-link")]
    isolated = run(
        "check", "a.txt", "--lang", "en", "--select", "external-link", "--isolated", "--format", "json"
    )
    assert rules_fired(isolated) == [("a.txt", "external-link")]


def test_explicit_config_file_is_used_for_every_input(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "elsewhere" / "conf.toml", 'ignore = ["external-link"]\n')
    write(workdir / "a.txt", LINK)
    result = run("check", "a.txt", "--lang", "en", "--config", "elsewhere/conf.toml", "--format", "json")
    assert ("a.txt", "external-link") not in rules_fired(result)
    missing = run("check", "a.txt", "--config", "nope.toml")
    assert missing.code == 2


def test_per_file_ignores_follow_globs(run: Callable[..., Run], workdir: Path) -> None:
    write(
        workdir / "replylint.toml",
        '[per-file-ignores]\n"legacy/**" = ["policy"]\n"*.hbs" = ["external-link"]\n',
    )
    write(workdir / "legacy" / "old" / "a.txt", LINK)
    write(workdir / "new" / "b.txt", LINK)
    write(workdir / "new" / "c.hbs", LINK)
    result = run("check", ".", "--lang", "en", "--select", "external-link", "--format", "json")
    assert rules_fired(result) == [("new/b.txt", "external-link")]


def test_severity_override_and_off(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "replylint.toml", '[severity]\nexternal-link = "warning"\ncontact-info = "off"\n')
    write(workdir / "a.txt", "See www.lumina-home.com or mail help@lumina-home.com\n")
    result = run(
        "check", "a.txt", "--lang", "en", "--select", "external-link,contact-info", "--format", "json"
    )
    diags = result.json()[0]["diagnostics"]
    assert [(d["rule"], d["severity"]) for d in diags] == [("external-link", "warning")]
    assert result.code == 0  # nothing error-severity left


def test_language_comes_from_the_path_unless_given(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "fr" / "a.txt", "Hello, thanks for your message about the lamp.\n")
    write(workdir / "b.de.txt", "Hello, thanks for your message about the lamp.\n")
    result = run("check", ".", "--format", "json")
    assert {r["path"]: r["lang"] for r in result.json()} == {"b.de.txt": "de", "fr/a.txt": "fr"}


COMPETITOR_RULE = """\
id: competitor-brand
family: custom
severity: error
summary: Naming a competitor.
message: {en: 'Do not name a competitor: "{match}".'}
patterns:
  all:
    - phrases: [LampWorld]
    - regex: '(a+)+$'
"""


def test_team_rules_load_from_configuration(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "replylint.toml", 'extra-rules = ["team-rules"]\n')
    write(workdir / "team-rules" / "competitor-brand.yaml", COMPETITOR_RULE)
    write(workdir / "a.txt", "You could also try LampWorld.\n")
    result = run("check", ".", "--lang", "en", "--select", "competitor-brand", "--format", "json")
    assert rules_fired(result) == [("a.txt", "competitor-brand")]  # the rule file itself is not linted
    assert result.code == 1


def test_team_regexes_run_in_linear_time(run: Callable[..., Run], workdir: Path) -> None:
    # (a+)+$ takes exponential time on Python's backtracking engine; RE2 does not.
    write(workdir / "replylint.toml", 'extra-rules = ["team-rules"]\n')
    write(workdir / "team-rules" / "competitor-brand.yaml", COMPETITOR_RULE)
    write(workdir / "a.txt", "Hello " + "a" * 40 + "!\n")
    start = time.perf_counter()
    result = run("check", "a.txt", "--lang", "en", "--select", "competitor-brand", "--no-cache")
    assert result.code == 0, result.err
    assert time.perf_counter() - start < 30


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("- regex: '(a)\\1'", "not a valid RE2 pattern"),
        ("- tokens: [{LOWER: {REGEX: '^lamp'}}]", "REGEX in token patterns is for built-in rules"),
    ],
)
def test_invalid_team_rules_name_the_file_and_pattern(
    run: Callable[..., Run], workdir: Path, pattern: str, message: str
) -> None:
    rule = COMPETITOR_RULE.split("  all:")[0] + "  all:\n    " + pattern + "\n"
    write(workdir / "replylint.toml", 'extra-rules = ["team-rules"]\n')
    write(workdir / "team-rules" / "competitor-brand.yaml", rule)
    write(workdir / "a.txt", "Hello there, thanks for the order.\n")
    result = run("check", "a.txt", "--lang", "en", "--no-cache")
    assert result.code == 2
    assert "competitor-brand.yaml: patterns.en[0]" in result.err and message in result.err


def test_missing_team_rule_path_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / "replylint.toml", 'extra-rules = ["nope"]\n')
    with pytest.raises(ConfigError, match=r"extra-rules\[0\]: no such file or directory 'nope'"):
        load_config(start=tmp_path).validate()
