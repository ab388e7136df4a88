"""The slot detector behind unfilled-placeholder (checks/tone_placeholders.py): every
slot syntax fires, ordinary brackets, sizes, kisses, HTML and links do not, and
template mode can leave template syntax alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replylint.catalogue import load_catalogue
from replylint.checks.tone_placeholders import (
    TEMPLATE_SYNTAXES,
    SlotVocabulary,
    find_placeholders,
    placeholders,
)
from replylint.engine import Linter
from replylint.schema import InputRecord

from .conftest import Matches

_CAT = load_catalogue()
VOCAB = SlotVocabulary.build(
    _CAT.lexicon("en", "placeholder_words"),
    _CAT.lexicon("en", "placeholder_suffixes"),
    _CAT.lexicon("en", "placeholder_fill_verbs"),
)


def slots(text: str, skip: frozenset[str] = frozenset()) -> list[str]:
    return [text[p.start : p.end] for p in find_placeholders(text, VOCAB, skip=skip)]


SLOTS = [
    ("Your tracking number is [insert tracking number].", "[insert tracking number]", "bracket"),
    ("Order {{order.id}} ships today.", "{{order.id}}", "mustache"),
    ("Hi {{ ticket.requester.first_name }},", "{{ ticket.requester.first_name }}", "mustache"),
    ("Hi {name},", "{name}", "brace"),
    ("Hello <NAME>,", "<NAME>", "angle"),
    ("Guten Tag <Kundenname>,", "<Kundenname>", "angle"),
    ("Saludos, <NOMBRE_AGENTE>", "<NOMBRE_AGENTE>", "angle"),
    ("Tracking: XXXX.", "XXXX", "masked"),
    ("Order XXX-XXXXXXX-XXXXXXX was refunded.", "XXX-XXXXXXX-XXXXXXX", "masked"),
    ("Order 112-XXXXXXX-XXXXXXX was refunded.", "XXXXXXX-XXXXXXX", "masked"),
    ("Bonjour [Prénom],", "[Prénom]", "bracket"),
    ("Hola [Nombre del cliente],", "[Nombre del cliente]", "bracket"),
    ("Hallo [Sendungsnummer einfügen]", "[Sendungsnummer einfügen]", "bracket"),
    ("Gentile [Nome cliente],", "[Nome cliente]", "bracket"),
    ("Dear [Mr/Mrs] Smith,", "[Mr/Mrs]", "bracket"),
    ("Refund of (insert amount) sent.", "(insert amount)", "paren"),
    ("Thanks, %AGENT_NAME%", "%AGENT_NAME%", "percent"),
    ("Hi *|FNAME|*,", "*|FNAME|*", "merge-tag"),
    ("Hi ${customer},", "${customer}", "dollar"),
    ("{% if vip %}Thanks!{% endif %}", "{% if vip %}", "template-tag"),
    ("Hi [[Customer Name]],", "[[Customer Name]]", "double-bracket"),
    ("Your tracking number is ________.", "________", "blank"),
]


@pytest.mark.parametrize(("text", "slot", "syntax"), SLOTS, ids=[s[1] for s in SLOTS])
def test_every_slot_syntax_is_found(text: str, slot: str, syntax: str) -> None:
    found = find_placeholders(text, VOCAB)
    assert slot in [text[p.start : p.end] for p in found]
    assert {p.syntax for p in found if text[p.start : p.end] == slot} == {syntax}


NOT_SLOTS = [
    "Order summary: 2 x towel [grey], 1 x bath mat [navy].",
    "Die Farbe [anthrazit] ist wieder lieferbar.",
    "We have it in XS, XL, XXL and XXXL.",
    "Available in XXX-Large too.",
    "Thanks so much, Sarah xxx",
    "The guide is [here](https://www.amazon.co.uk/dp/B0C7K2L9QX).",
    "Your order [112-8846120-5518623] was refunded.",
    "Line one<br>line two <b>bold</b>",
    "Return link: <https://www.amazon.co.uk/returns>",
    "Please keep the receipt (you may need it for the warranty).",
    "We love you <3",
    "Save 20% on 3 or more, 10%% fees apply",
    "The lamp (model [LX-200]) ships tomorrow.",
]


@pytest.mark.parametrize("text", NOT_SLOTS)
def test_ordinary_brackets_sizes_kisses_and_markup_are_not_slots(text: str) -> None:
    assert slots(text) == []


def test_template_mode_can_skip_template_syntax_and_keep_draft_slots() -> None:
    text = "Hi {{ticket.requester.first_name}}, tracking: [insert tracking number]."
    assert slots(text, skip=TEMPLATE_SYNTAXES) == ["[insert tracking number]"]
    found = find_placeholders(text, VOCAB)
    assert [p.template for p in found] == [True, False]
    assert found[0].name == "ticket.requester.first_name"


def test_the_named_check_reports_syntax_and_name_and_honours_skip(linter: Linter) -> None:
    analysis = linter.analyse(InputRecord(text="Dear {{name}}, your code is XXXX.", lang="en"))
    args = {"words": "placeholder_words"}
    hits = list(placeholders(analysis, args))
    assert [(h.data["syntax"], h.data["name"]) for h in hits] == [("mustache", "name"), ("masked", "XXXX")]
    skipped = list(placeholders(analysis, {**args, "skip": sorted(TEMPLATE_SYNTAXES)}))
    assert [h.data["syntax"] for h in skipped] == ["masked"]


def test_unfilled_placeholder_fires_on_every_slot_in_batch_mode(matches: Matches) -> None:
    text = "Hi {first_name},\n\nYour order {{order_id}} ships with tracking [insert tracking number]."
    assert matches("unfilled-placeholder", text) == [
        "{first_name}",
        "{{order_id}}",
        "[insert tracking number]",
    ]


@given(st.text(alphabet="{}[]<>()%$#*|_xX -/abcNAME.0123456789\n", max_size=120))
def test_slots_are_ordered_disjoint_ranges_of_the_text(text: str) -> None:
    found = find_placeholders(text, VOCAB)
    end = 0
    for p in found:
        assert end <= p.start < p.end <= len(text)
        end = p.end
