"""Inline suppressions in each template language's comment syntax."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run, rules_fired, write

from replylint.suppressions import parse_suppressions

LINK = "See www.lumina-home.com/care for tips."


@pytest.mark.parametrize(
    ("name", "comment"),
    [
        ("a.j2", "{# replylint: disable=external-link #}"),
        ("a.liquid", "{% comment %} replylint: disable=external-link {% endcomment %}"),
        ("a.liquid", "{% # replylint: disable=external-link %}"),
        ("a.hbs", "{{! replylint: disable=external-link }}"),
        ("a.hbs", "{{!-- replylint: disable=external-link --}}"),
        ("a.html", "<!-- replylint: disable=external-link -->"),
        ("a.txt", "# replylint: disable=external-link"),
    ],
)
def test_disable_on_the_line_in_each_comment_syntax(
    run: Callable[..., Run], workdir: Path, name: str, comment: str
) -> None:
    write(workdir / name, f"Hello.\n{LINK} {comment}\n{LINK}\n")
    result = run("check", name, "--lang", "en", "--select", "external-link", "--format", "json")
    lines = [d["line"] for d in result.json()[0]["diagnostics"]]
    assert lines == [3]  # line 2 is silenced, line 3 is not


def test_disable_next_line_and_disable_file(run: Callable[..., Run], workdir: Path) -> None:
    write(
        workdir / "a.j2",
        f"{{# replylint: disable-next-line=external-link -- our help page #}}\n{LINK}\n{LINK}\n",
    )
    write(workdir / "b.j2", f"{{# replylint: disable-file=policy #}}\n{LINK}\nMail help@lumina-home.com\n")
    result = run(
        "check", "a.j2", "b.j2", "--lang", "en", "--select", "external-link,contact-info", "--format", "json"
    )
    assert [(p, r) for p, r in rules_fired(result)] == [("a.j2", "external-link")]
    assert result.json()[0]["diagnostics"][0]["line"] == 3


def test_bare_disable_silences_every_rule_on_the_line(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.j2", "See www.lumina-home.com, mail help@lumina-home.com {# replylint: disable #}\n")
    result = run(
        "check", "a.j2", "--lang", "en", "--select", "external-link,contact-info", "--format", "json"
    )
    assert rules_fired(result) == []


def test_directive_comment_is_not_read_as_reply_text(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.txt", "Thanks! <!-- replylint: disable=contact-info -- see www.lumina-home.com -->\n")
    result = run("check", "a.txt", "--lang", "en", "--select", "external-link", "--format", "json")
    assert rules_fired(result) == []


def test_unknown_rule_in_a_directive_is_warned_about(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.j2", f"{LINK} {{# replylint: disable=extrenal-link #}}\n")
    result = run("check", "a.j2", "--lang", "en", "--select", "external-link")
    assert result.code == 1  # not silenced
    assert "a.j2:1: unknown rule 'extrenal-link'" in result.err


def test_suppressed_errors_do_not_count_against_compliance(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.j2", f"{LINK} {{# replylint: disable=external-link #}}\n")
    result = run("check", "a.j2", "--lang", "en", "--select", "external-link", "--format", "json")
    [record] = result.json()
    assert record["compliant"] is True and record["diagnostics"] == []
    assert result.code == 0


def test_directives_inside_an_export_apply_to_their_macro(run: Callable[..., Run], workdir: Path) -> None:
    write(
        workdir / "m.yaml",
        "macros:\n"
        "  - name: A\n"
        "    body: |\n"
        f"      {LINK} {{# replylint: disable=external-link #}}\n"
        "  - name: B\n"
        f'    body: "{LINK}"  # replylint: disable=external-link\n'
        "  - name: C\n"
        f'    body: "{LINK}"\n',
    )
    result = run("check", "m.yaml", "--lang", "en", "--select", "external-link", "--format", "json")
    assert [r["label"] for r in result.json() if r["diagnostics"]] == ["C"]


def test_parser_reports_kind_names_and_line() -> None:
    sup = parse_suppressions(
        "a\n{# replylint: disable=promotion, tone #}\n{{! replylint: disable-file=all }}"
    )
    assert [(d.kind, sorted(d.names), d.line) for d in sup.directives] == [
        ("disable", ["promotion", "tone"], 2),
        ("disable-file", ["all"], 3),
    ]
