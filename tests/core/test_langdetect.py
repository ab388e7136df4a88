"""Language: given, detected, or a documented fallback."""

from __future__ import annotations

import pytest

from replylint.errors import LanguageError
from replylint.langdetect import resolve_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hello Anne, I'm sorry the mirror arrived cracked. I can send a new one today.", "en"),
        ("Bonjour Léa, je suis désolée que vos bougies soient arrivées fondues.", "fr"),
        ("Hallo Herr Lange, entschuldigen Sie, dass der Stuhl wegen der Schraube wackelt.", "de"),
        ("Hola Teresa, siento de verdad que le haya vuelto a llegar roto el pedido.", "es"),
        ("Gentile Sig.ra Greco, mi scuso sinceramente che il prodotto sia arrivato danneggiato.", "it"),
    ],
)
def test_detects_the_five_languages(text: str, lang: str) -> None:
    assert resolve_language(text, None) == (lang, "detected")
    assert resolve_language(text, "auto") == (lang, "detected")


def test_a_given_language_is_used_and_regional_codes_are_reduced() -> None:
    assert resolve_language("whatever", "fr-FR") == ("fr", "given")
    assert resolve_language("whatever", "de_AT") == ("de", "given")


def test_an_unsupported_but_valid_code_is_kept() -> None:
    assert resolve_language("Olá, obrigado", "pt") == ("pt", "given")


@pytest.mark.parametrize("code", ["klingon", "12", "e", "en--", "fr fr"])
def test_a_malformed_code_is_an_error(code: str) -> None:
    with pytest.raises(LanguageError, match="unknown language code"):
        resolve_language("Hello there", code)


def test_short_text_falls_back_to_the_buyer_message_then_the_default() -> None:
    buyer = "Bonjour, mon colis n'est jamais arrivé, pouvez-vous vérifier ?"
    assert resolve_language("Ok !", None, buyer_message=buyer) == ("fr", "detected")
    assert resolve_language("Ok!", None, default="de") == ("de", "fallback")
