"""Macro exports: every macro found, named, and mapped back to the file exactly."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cli_helpers import Run, write
from hypothesis import given
from hypothesis import strategies as st

from replylint.errors import InputError
from replylint.exports import read_export

ZENDESK = {
    "macros": [
        {
            "id": 1,
            "title": "Delay",
            "actions": [
                {"field": "comment_value", "value": "Hi {{ticket.requester.first_name}},\nIt ships today."},
                {"field": "status", "value": "pending"},
            ],
        },
        {
            "id": 2,
            "title": "Html only",
            "actions": [{"field": "comment_value_html", "value": "<p>Thanks!</p>"}],
        },
    ]
}
GORGIAS = {
    "data": [
        {
            "name": "Wrong item",
            "language": "fr",
            "actions": [{"name": "setResponseText", "arguments": {"body_text": "Bonjour, désolé."}}],
        }
    ]
}


def test_zendesk_macros_are_read_with_titles_and_html_flag() -> None:
    macros = read_export(json.dumps(ZENDESK, indent=2), "json")
    assert [(m.name, m.html) for m in macros] == [("Delay", False), ("Html only", True)]
    assert macros[0].text.startswith("Hi {{ticket")


def test_gorgias_macros_keep_their_language() -> None:
    [macro] = read_export(json.dumps(GORGIAS), "json")
    assert (macro.name, macro.lang, macro.text) == ("Wrong item", "fr", "Bonjour, désolé.")


@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=40).filter(str.strip)
)
def test_json_map_points_each_character_at_its_spelling_in_the_file(body: str) -> None:
    for ensure_ascii in (True, False):
        raw = json.dumps({"macros": [{"title": "t", "text": body}]}, ensure_ascii=ensure_ascii)
        [macro] = read_export(raw, "json")
        assert macro.text == body
        for i, ch in enumerate(body):
            spelled = raw[macro.starts[i] : macro.starts[i + 1]]
            assert json.loads(f'"{spelled}"') == ch


def test_yaml_block_and_quoted_bodies_map_to_their_lines() -> None:
    text = (
        "macros:\n"
        "  - name: Block\n"
        "    body: |\n"
        "      Line one.\n"
        "      Write to a@b.com.\n"
        "  - name: Quoted\n"
        "    body: \"It's 'fine'.\"\n"
    )
    block, quoted = read_export(text, "yaml")
    at = block.text.index("a@b.com")
    assert text[block.starts[at] : block.starts[at] + 7] == "a@b.com"
    assert text.count("\n", 0, block.starts[at]) + 1 == 5
    assert quoted.text == "It's 'fine'."


def test_yaml_language_map_gives_one_macro_per_language() -> None:
    text = "templates:\n  delay:\n    en: Sorry for the wait.\n    de: Entschuldigung.\n"
    macros = read_export(text, "yaml")
    assert [(m.lang, m.text) for m in macros] == [("en", "Sorry for the wait."), ("de", "Entschuldigung.")]


def test_csv_rows_with_quotes_and_semicolons_are_read_exactly() -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";")
    writer.writerow(["Template Name", "Language", "Body"])
    writer.writerow(["Late", "en", 'Say "sorry",\nthen act.'])
    text = buf.getvalue()
    [macro] = read_export(text, "csv")
    assert (macro.name, macro.lang, macro.text) == ("Late", "en", 'Say "sorry",\nthen act.')
    i = macro.text.index("then")
    assert text[macro.starts[i] : macro.starts[i] + 4] == "then"


def test_files_that_are_not_exports_yield_no_macro() -> None:
    assert (
        read_export(json.dumps({"name": "pkg", "version": "1.0", "scripts": {"test": "pytest -q"}}), "json")
        == []
    )
    assert read_export(yaml.safe_dump({"services": {"web": {"image": "nginx"}}}), "yaml") == []


@pytest.mark.parametrize(
    ("kind", "text", "where"),
    [
        ("json", '{"macros": [', "line 1"),
        ("yaml", "a: [1,\n", "line 2"),
        ("csv", 'title,body\nx,"unclosed\n', "line 2"),
    ],
)
def test_broken_exports_are_input_errors_that_say_where(kind: str, text: str, where: str) -> None:
    with pytest.raises(InputError, match=where):
        read_export(text, kind)  # type: ignore[arg-type]


def test_diagnostics_name_the_macro_and_its_line(run: Callable[..., Run], workdir: Path) -> None:
    write(
        workdir / "zendesk.json",
        json.dumps(
            ZENDESK
            | {
                "macros": [
                    *ZENDESK["macros"],
                    {
                        "id": 3,
                        "title": "Off site",
                        "actions": [{"field": "comment_value", "value": "See www.shop-example.com now."}],
                    },
                ]
            },
            indent=2,
        ),
    )
    result = run("check", "zendesk.json", "--lang", "en", "--select", "external-link", "--format", "json")
    hits = [(r["label"], d["line"], d["match"]) for r in result.json() for d in r["diagnostics"]]
    text = (workdir / "zendesk.json").read_text()
    line = next(i for i, ln in enumerate(text.split("\n"), 1) if "shop-example" in ln)
    assert hits == [("Off site", line, "www.shop-example.com")]
    assert result.code == 1


def test_fixes_in_an_export_keep_it_valid(run: Callable[..., Run], workdir: Path) -> None:
    body = 'Sorry — "really".\nSee www.shop-example.com for the form.\nWhich would you prefer?'
    write(workdir / "m.json", json.dumps({"macros": [{"title": "A", "text": body}]}, indent=2))
    result = run("check", "m.json", "--lang", "en", "--select", "external-link", "--fix")
    assert result.code == 0, result.out + result.err
    fixed = json.loads((workdir / "m.json").read_text())["macros"][0]["text"]
    assert "shop-example" not in fixed and fixed.startswith('Sorry — "really".')
    assert "Fixed 1 problem" in result.out


def test_a_json_file_without_macros_is_skipped_with_a_warning(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "package.json", json.dumps({"name": "x", "scripts": {"t": "run it"}}))
    write(workdir / "settings.json", json.dumps({"theme": "dark"}))
    result = run("check", "settings.json")
    assert result.code == 0
    assert "no macros found" in result.err
    walked = run("check", ".")  # a directory walk skips package.json and non-exports silently
    assert walked.code == 0 and "no macros" not in walked.err


def test_multi_document_yaml_is_read_document_by_document() -> None:
    text = "name: A\nbody: First reply.\n---\nname: B\nbody: Second reply.\n"
    assert [(m.name, m.text) for m in read_export(text, "yaml")] == [
        ("A", "First reply."),
        ("B", "Second reply."),
    ]
