"""The normaliser: what it changes, and that every offset maps back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contact(at)decoluxe(point)fr", "contact@decoluxe.fr"),
        ("service (at) kuechenwelt (punkt) de", "service@kuechenwelt.de"),
        ("boutique-lin-et-coton [point] fr", "boutique-lin-et-coton.fr"),
        ("www . mode-et-lin . fr / echange", "www.mode-et-lin.fr / echange"),
        ("write to name at shop dot com", "write to name@shop.com"),
        ("ｗｗｗ．ｓｈｏｐ．ｃｏｍ", "www.shop.com"),
        ("аmazon.com", "amazon.com"),  # Cyrillic а
        ("shop\u200b.com", "shop.com"),
        ("I’ve checked", "I've checked"),
        ("𝐰𝐰𝐰.shop.com", "www.shop.com"),
        ("Merci\u00a0!", "Merci !"),
    ],
)
def test_disguises_are_undone(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Thank you. It arrived today.",
        "You can track it at ups.com",
        "Sigue a punto de llegar, de verdad.",
        "C'est au point de vue du transporteur.",
        "Instagram @maison.olivia",
        "Café crème, über Größe, niño, perché",
        "Привет, как дела?",  # Cyrillic text stays Cyrillic
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert normalise(text).text == text


def test_a_disguised_domain_maps_back_to_its_whole_original_span() -> None:
    text = "See shop [dot] example [dot] com now"
    norm = normalise(text)
    start = norm.text.index("shop.example.com")
    a, b = norm.to_original(start, start + len("shop.example.com"))
    assert text[a:b] == "shop [dot] example [dot] com"


def test_combining_accents_map_to_the_whole_grapheme() -> None:
    text = "Cafe\u0301 ok"
    norm = normalise(text)
    assert norm.text == "Café ok"
    assert norm.to_original(0, 4) == (0, 5)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_offsets_always_map_inside_the_original(text: str) -> None:
    norm = normalise(text)
    n = len(norm.text)
    for start in range(0, n + 1, max(1, n // 7 or 1)):
        for end in (start, min(n, start + 1), n):
            if end < start:
                continue
            a, b = norm.to_original(start, end)
            assert 0 <= a <= b <= len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .@[]()dotatpunkt\u200bаｗ\u0301\n")), max_size=80))
def test_normalising_is_deterministic_and_idempotent_on_its_output(text: str) -> None:
    once = normalise(text)
    assert normalise(text).text == once.text
    assert normalise(once.text).text == normalise(once.text).text
