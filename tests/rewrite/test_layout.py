"""Greeting, body and sign-off of a draft, in the ways agents write them."""

from __future__ import annotations

import pytest

from replylint.rewrite.layout import parse_layout


@pytest.mark.parametrize(
    ("lang", "text", "greeting", "body", "signoff"),
    [
        (
            "en",
            "Hi Sam,\n\nYour order shipped.\n\nKind regards,\nMaya",
            "Hi Sam,",
            "Your order shipped.",
            "Kind regards,\nMaya",
        ),
        (
            "en",
            "Hi, sorry the shirt shrank. Shall I refund you? Thanks, Jess",
            "Hi,",
            "sorry the shirt shrank. Shall I refund you?",
            "Thanks, Jess",
        ),
        (
            "en",
            "Hello and thanks for your message. It ships today.",
            "",
            "Hello and thanks for your message. It ships today.",
            "",
        ),
        ("en", "Thanks for your patience.", "", "Thanks for your patience.", ""),
        (
            "it",
            "Buongiorno Andrea, mi dispiace. Quale preferisce? Un saluto, Giorgio",
            "Buongiorno Andrea,",
            "mi dispiace. Quale preferisce?",
            "Un saluto, Giorgio",
        ),
        (
            "de",
            "Sehr geehrte Frau Müller,\n\nes tut mir leid.\n\nMit freundlichen Grüßen\nJonas Weber",
            "Sehr geehrte Frau Müller,",
            "es tut mir leid.",
            "Mit freundlichen Grüßen\nJonas Weber",
        ),
    ],
)
def test_parts_of_a_draft(lang: str, text: str, greeting: str, body: str, signoff: str) -> None:
    layout = parse_layout(text, lang)
    start, end = layout.body
    assert text[: layout.greeting_end] == greeting
    assert text[start:end] == body
    assert text[layout.signoff_start :].strip() == signoff


def test_names_are_read_from_greeting_and_signature() -> None:
    layout = parse_layout("Dear Mrs Smith,\n\nThanks.\n\nBest wishes,\nTom", "en")
    assert (layout.greeting_name, layout.signature_name) == ("Smith", "Tom")
