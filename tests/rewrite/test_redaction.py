"""Personal data is replaced before text leaves the machine and restored afterwards."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replylint.rewrite.redaction import Redactor

CASES = [
    (
        "en",
        "Hi Julia,\n\nWrite to help@peakcamp-gear.com or care (at) lumina (dot) com, "
        "or call +44 7700 900123. "
        "We'll ship to 14 Elm Road, Leeds LS6 2AB.\n\nBest wishes,\nTom",
        [
            "Julia",
            "help@peakcamp-gear.com",
            "care (at) lumina (dot) com",
            "+44 7700 900123",
            "14 Elm Road",
            "Tom",
        ],
    ),
    (
        "fr",
        "Bonjour Claire, livraison au 12 rue de la Paix, 75002 Paris. Cordialement, Hugo",
        ["Claire", "12 rue de la Paix", "Hugo"],
    ),
    (
        "de",
        "Sehr geehrte Frau Müller,\n\nwir liefern an Hauptstraße 5, 10115 Berlin. "
        "Tel. 030 1234567.\n\nViele Grüße\nJonas",
        ["Müller", "Hauptstraße 5", "030 1234567", "Jonas"],
    ),
    (
        "es",
        "Hola Ana, lo enviamos a Calle Mayor, 5, 28013 Madrid. Saludos, Pablo",
        ["Ana", "Calle Mayor, 5", "Pablo"],
    ),
    (
        "it",
        "Buongiorno Andrea, spediamo in Via dei Mille 12, 20121 Milano. Un saluto, Giorgio",
        ["Andrea", "Via dei Mille 12", "Giorgio"],
    ),
]


@pytest.mark.parametrize(("lang", "text", "secrets"), CASES, ids=[c[0] for c in CASES])
def test_personal_data_is_hidden_and_comes_back(lang: str, text: str, secrets: list[str]) -> None:
    redactor = Redactor(lang)
    hidden = redactor.redact(text)
    for secret in secrets:
        assert secret not in hidden
    assert redactor.restore(hidden) == text


def test_facts_are_not_hidden() -> None:
    hidden = Redactor("en").redact(
        "Hi Sam, order 112-8846120-5518623 ships with 1Z999AA10123456784 on 14/06/2024."
    )
    assert "112-8846120-5518623" in hidden and "1Z999AA10123456784" in hidden and "14/06/2024" in hidden


def test_one_value_one_placeholder_across_texts() -> None:
    redactor = Redactor("en")
    draft = redactor.redact("Hi Julia,\n\nThanks for your message.\n\nBest,\nTom")
    later = redactor.redact("Julia asked about the refund; Tom answered.")
    assert draft.startswith("Hi [[NAME_1]],")
    assert later == "[[NAME_1]] asked about the refund; [[NAME_2]] answered."


def test_placeholders_a_model_bent_slightly_are_restored() -> None:
    redactor = Redactor("en")
    redactor.redact("Hi Julia,\n\nThanks!\n\nBest,\nTom")
    assert redactor.restore("Dear [NAME_1], thanks. [[ name_2 ]]") == "Dear Julia, thanks. Tom"


def test_invented_placeholders_are_reported() -> None:
    redactor = Redactor("en")
    redactor.redact("Hi Julia, thanks!")
    assert redactor.unknown("Hi [[NAME_1]], write to [[EMAIL_3]].") == ["[[EMAIL_3]]"]


_words = st.sampled_from(["thanks", "order", "the", "parcel", "refund", "today", "Friday", "soon", "ok"])
_emails = st.from_regex(r"[a-z]{2,8}@[a-z]{3,8}\.(com|de|fr)", fullmatch=True)
_phones = st.from_regex(r"\+44 7[0-9]{3} [0-9]{6}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_words, _emails, _phones), min_size=1, max_size=14))
def test_redaction_round_trips(parts: list[str]) -> None:
    text = "Hi Julia, " + " ".join(parts) + ". Best, Tom"
    redactor = Redactor("en")
    hidden = redactor.redact(text)
    assert "@" not in hidden and "Julia" not in hidden
    assert redactor.restore(hidden) == text
