"""Spelling repair of buyers' messages: typos of triage words are read as meant,
real words never change, and reasons still quote what the buyer wrote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.engine import Linter
from replylint.langdetect import detect
from replylint.normalise import normalise
from replylint.schema import InputRecord
from replylint.spelling import fold, is_typo, repair, speller


@pytest.mark.parametrize(
    ("typed", "target", "expected"),
    [
        ("recieved", "received", True),  # swapped letters
        ("arived", "arrived", True),  # one letter missing
        ("counterfit", "counterfeit", True),  # two edits from eight letters on
        ("brokn", "broken", True),
        ("received", "received", False),  # the same word is no typo
        ("deceived", "received", False),  # another first letter
        ("rec", "received", False),
    ],
)
def test_is_typo(typed: str, target: str, expected: bool) -> None:
    assert is_typo(typed, target) is expected


def test_fold_drops_accents_only() -> None:
    assert fold("reçu todavía Größe perché") == "recu todavia Große perche"


@pytest.mark.parametrize(
    ("lang", "text", "repaired"),
    [
        ("en", "I havent recieved my parcel", "I haven't received my parcel"),
        ("en", "It ARIVED BROKEN", "It ARRIVED BROKEN"),
        ("fr", "Je n'ai toujours pas recu mon colis", "Je n'ai toujours pas reçu mon colis"),
        ("de", "Das Paket ist nie angekomen", "Das Paket ist nie angekommen"),
        ("es", "ya pasó una semana y no he resivido nada", "ya pasó una semana y no he recibido nada"),
        ("it", "il pacco non e mai arivato", "il pacco non e mai arrivato"),
    ],
)
def test_typos_of_triage_words_are_repaired(linter: Linter, lang: str, text: str, repaired: str) -> None:
    assert repair(normalise(text), lang, linter.catalogue).text == repaired


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Thanks, the blender works fine and the lid fits."),
        ("en", "Received with thanks, lovely packaging."),
        ("fr", "Merci, tout est parfait, je recommande."),
        ("de", "Danke, alles bestens angekommen."),
        ("es", "Gracias, todo perfecto."),
        ("it", "Grazie, tutto perfetto."),
    ],
)
def test_real_words_are_never_changed(linter: Linter, lang: str, text: str) -> None:
    assert repair(normalise(text), lang, linter.catalogue).text == text


def test_offsets_still_map_to_what_the_buyer_wrote(linter: Linter) -> None:
    original = "Hello, I havent recieved the parcel"
    norm = repair(normalise(original), "en", linter.catalogue)
    start = norm.text.index("received")
    a, b = norm.to_original(start, start + len("received"))
    assert original[a:b] == "recieved"


@pytest.mark.parametrize(
    ("lang", "buyer", "risk"),
    [
        ("en", "my order never arived", "high"),
        ("en", "this is a counterfit product", "high"),
        ("en", "I WILL FILE A CLAIM WITH AMAZON IF I DONT GET A REFUND", "high"),
        ("de", "Das Paket ist nie angekomen", "high"),
        ("it", "il pacco non e mai arivato", "high"),
        ("en", "The item arived brokn", "medium"),
        ("fr", "Je n'ai toujours pas recu mon colis", "medium"),
        ("es", "todavia no e resivido mi pedido", "medium"),
    ],
)
def test_mistyped_messages_are_triaged_as_meant(linter: Linter, lang: str, buyer: str, risk: str) -> None:
    result = linter.check(InputRecord(text="Thank you for your message.", buyer_message=buyer, lang=lang))
    assert result.triage is not None
    assert result.triage.risk == risk, result.triage.reasons


def test_reasons_quote_the_buyers_own_spelling(linter: Linter) -> None:
    result = linter.check(InputRecord(text="Thanks.", buyer_message="my order never arived", lang="en"))
    assert result.triage is not None
    assert any("never arived" in reason for reason in result.triage.reasons)


def test_the_reply_language_is_expected_in_the_buyer_message() -> None:
    assert detect("Das Paket ist nie angekomen")[0] != "de"  # alone, it reads as Dutch
    assert detect("Das Paket ist nie angekomen", prior="de")[0] == "de"
    assert detect("Where is my parcel? Waar is mijn pakket? Het is laat.", prior="en")[0] == "nl"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["L", "Zs", "P"]), max_size=80))
def test_repair_keeps_offsets_inside_the_original(text: str) -> None:
    from replylint.engine import default_linter

    catalogue = default_linter().catalogue
    norm = repair(normalise(text), "es", catalogue)
    for start in range(len(norm.text)):
        a, b = norm.to_original(start, start + 1)
        assert 0 <= a <= b <= len(text)
    assert speller(catalogue, "es") is speller(catalogue, "es")
