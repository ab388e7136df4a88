"""Template mode: placeholders are slots, leftovers still fire, offsets map to the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run, rules_fired, write
from hypothesis import given
from hypothesis import strategies as st

from replylint.templates import (
    STAND_IN,
    TemplateOptions,
    analyse_template,
    find_slots,
    normalise_field_names,
    reading_text,
    syntax_for_path,
)


@pytest.mark.parametrize(
    ("text", "slot", "kind"),
    [
        ("Hi {{ ticket.requester.first_name }},", "{{ ticket.requester.first_name }}", "output"),  # Zendesk
        ("Hi {{ticket.customer.firstname}},", "{{ticket.customer.firstname}}", "output"),  # Gorgias
        ("Order {{ticket.id}} ships today.", "{{ticket.id}}", "output"),  # Freshdesk
        ("Hello {{buyer_name}}!", "{{buyer_name}}", "output"),  # eDesk
        ("Hi {%customer.firstName,fallback=there%},", "{%customer.firstName,fallback=there%}", "output"),
        ("Dear {{{buyer.name}}}", "{{{buyer.name}}}", "output"),  # Handlebars, unescaped
        ("Total {{ order.total | money }}.", "{{ order.total | money }}", "output"),  # Liquid filter
        ("{% if vip %}Thanks!{% endif %}", "{% if vip %}", "control"),
        ("{{#if buyer}}Dear{{/if}}", "{{#if buyer}}", "control"),
        ("{# a note #}Hello", "{# a note #}", "comment"),
        ("{{!-- a note --}}Hello", "{{!-- a note --}}", "comment"),
        ("{% comment %} x {% endcomment %}Hello", "{% comment %} x {% endcomment %}", "comment"),
        ("Hi [Buyer Name], thanks.", "[Buyer Name]", "output"),  # eDesk-style tag
        ("Thanks, %AGENT_NAME%", "%AGENT_NAME%", "output"),
        ("Hi *|FNAME|*,", "*|FNAME|*", "output"),
    ],
)
def test_template_syntax_is_a_slot(text: str, slot: str, kind: str) -> None:
    slots = find_slots(text)
    found = {(text[s.start : s.end], s.kind) for s in slots}
    assert (slot, kind) in found


@pytest.mark.parametrize(
    "text",
    [
        "Your tracking number is [insert tracking number].",
        "Bonjour [Prénom], merci.",
        "Hello <NAME>, here it is.",
        "Order summary: 2 x towel [grey].",
        "We offer 50% off returns labels, 20% faster.",
        "Call me {maybe}",
    ],
)
def test_leftovers_and_prose_are_not_template_syntax(text: str) -> None:
    assert find_slots(text) == []


def test_configured_field_names_and_patterns_become_slots() -> None:
    from replylint.linear_regex import compile_linear

    options = TemplateOptions(
        slot_names=normalise_field_names(["[Return Label Link]"]),
        slot_patterns=(compile_linear(r"##[A-Z_]+##"),),
    )
    text = "Print [Return Label Link] and quote ##ORDER_REF##."
    assert [text[s.start : s.end] for s in find_slots(text, options)] == [
        "[Return Label Link]",
        "##ORDER_REF##",
    ]


def test_html_tags_are_hidden_but_link_addresses_stay_readable() -> None:
    text = '<p>See <a href="https://shop.example.com/x">here</a>&nbsp;now</p>'
    reading = analyse_template(text).reading
    assert "https://shop.example.com/x" in reading
    assert "<" not in reading and "nbsp" not in reading


def test_raw_block_body_is_text() -> None:
    text = "{% raw %}{{ not a slot }}{% endraw %}"
    assert "{{ not a slot }}" in analyse_template(text).reading


def test_fix_may_swallow_a_placeholder_but_never_cut_a_tag() -> None:
    text = "Hi {{ name }}. Visit www.x.com now. {% if a %}B{% endif %}"
    t = analyse_template(text)
    whole_sentence = (0, text.index("Visit"))
    assert t.fix_allowed(*whole_sentence)
    assert not t.fix_allowed(text.index("{{") + 1, text.index("}}"))  # cuts the placeholder
    assert not t.fix_allowed(text.index("{% if"), len(text))  # removes control flow


@pytest.mark.parametrize(
    ("name", "syntax"),
    [
        ("refund.en.j2", "jinja"),
        ("a/b.liquid", "liquid"),
        ("x.hbs", "handlebars"),
        ("m.html", "html"),
        ("r.txt", None),
    ],
)
def test_file_type_announces_the_template_syntax(name: str, syntax: str | None) -> None:
    assert syntax_for_path(name) == syntax


_TEMPLATE_BITS = st.sampled_from(
    ["{{ name }}", "{% if x %}", "{% endif %}", "{# c #}", "[Buyer Name]", "{{{a}}}", "<p>", "\n", " ", "é"]
)


@given(st.lists(st.one_of(_TEMPLATE_BITS, st.text(max_size=8)), max_size=12))
def test_reading_keeps_length_lines_and_prose(parts: list[str]) -> None:
    text = "".join(parts)
    slots = find_slots(text)
    reading = reading_text(text, slots)
    assert len(reading) == len(text)
    assert [i for i, c in enumerate(reading) if c == "\n"] == [i for i, c in enumerate(text) if c == "\n"]
    inside = {i for s in slots for i in range(s.start, s.end)}
    assert all(reading[i] == text[i] for i in range(len(text)) if i not in inside)
    assert all(reading[i] in (STAND_IN, " ", "\r", "\n") for i in inside)


# -- through the command line --------------------------------------------------------------

MACRO = (
    "Hi {{ticket.requester.first_name}},\n"
    "Your tracking number is [insert tracking number] for order {{order.id}}.\n"
)


def test_template_placeholders_are_not_unfilled_in_template_mode(
    run: Callable[..., Run], workdir: Path
) -> None:
    write(workdir / "delay.j2", MACRO)
    result = run("check", "delay.j2", "--lang", "en", "--select", "unfilled-placeholder", "--format", "json")
    [record] = result.json()
    matches = [d["match"] for d in record["diagnostics"]]
    assert matches == ["[insert tracking number]"]
    d = record["diagnostics"][0]
    assert (d["line"], d["column"]) == (2, 25)
    assert MACRO[d["start"] : d["end"]] == "[insert tracking number]"


def test_the_same_text_as_a_draft_reports_every_slot(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "draft.txt", MACRO)
    result = run("check", "draft.txt", "--lang", "en", "--select", "unfilled-placeholder", "--format", "json")
    matches = {d["match"] for d in result.json()[0]["diagnostics"]}
    assert {"{{ticket.requester.first_name}}", "{{order.id}}", "[insert tracking number]"} <= matches


def test_template_flag_forces_template_mode_and_no_template_turns_it_off(
    run: Callable[..., Run], workdir: Path
) -> None:
    write(workdir / "draft.txt", MACRO)
    write(workdir / "delay.j2", MACRO)
    forced = run(
        "check",
        "draft.txt",
        "--template",
        "--lang",
        "en",
        "--select",
        "unfilled-placeholder",
        "--format",
        "json",
    )
    assert len(forced.json()[0]["diagnostics"]) == 1
    off = run(
        "check",
        "delay.j2",
        "--no-template",
        "--lang",
        "en",
        "--select",
        "unfilled-placeholder",
        "--format",
        "json",
    )
    assert len(off.json()[0]["diagnostics"]) == 3


def test_policy_rules_still_read_the_prose_around_slots(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.liquid", "Hi {{ customer.first_name }}, write to us at help@shop-example.com today.\n")
    result = run("check", "a.liquid", "--lang", "en", "--select", "contact-info", "--format", "json")
    assert rules_fired(result) == [("a.liquid", "contact-info")]


def test_a_long_liquid_block_is_one_control_slot() -> None:
    block = (
        "{%- liquid\n" + "".join(f"  assign x{i} = order.line_items[{i}].title\n" for i in range(60)) + "-%}"
    )
    text = block + "Thanks for your order!"
    [slot] = find_slots(text)
    assert (slot.kind, text[slot.end :]) == ("control", "Thanks for your order!")
