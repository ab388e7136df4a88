"""deflection: sending the buyer to someone else or disclaiming responsibility; the
seller acting on it (anywhere in the reply) is not deflection."""

from __future__ import annotations

import pytest

from .conftest import Matches

RULE = "deflection"

SENT_AWAY = [
    ("en", "Please contact the carrier about your parcel.", "contact the carrier"),
    ("en", "For warranty claims please reach out to Bosch directly.", "reach out to Bosch directly"),
    ("fr", "Adressez-vous directement à eux.", "Adressez-vous directement à eux"),
    ("de", "Wenden Sie sich an den Hersteller.", "Wenden Sie sich an den Hersteller"),
    ("es", "Contacte con Correos.", "Contacte con Correos"),
    ("it", "Contatti il corriere.", "Contatti il corriere"),
]


@pytest.mark.parametrize(("lang", "text", "match"), SENT_AWAY, ids=[s[2] for s in SENT_AWAY])
def test_sending_the_buyer_to_a_third_party_is_reported(
    matches: Matches, lang: str, text: str, match: str
) -> None:
    assert match in matches(RULE, text, lang)


SELLER_ACTS = [
    ("en", "I have contacted the carrier myself. You can also ask the courier at the door."),
    ("en", "I'll chase the courier today; if you like, you can call the carrier too."),
    ("fr", "J'ai moi-même contacté le transporteur ; vous pouvez aussi contacter le transporteur."),
    ("de", "Ich habe DHL bereits kontaktiert. Sie können sich auch an DHL wenden."),
    ("es", "He contactado con Correos. También puede contactar con Correos."),
    ("it", "Ho contattato il corriere. Può anche contattare il corriere."),
]


@pytest.mark.parametrize(("lang", "text"), SELLER_ACTS)
def test_the_seller_acting_clears_a_pointer_to_the_third_party(
    matches: Matches, lang: str, text: str
) -> None:
    assert matches(RULE, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "match"),
    [
        ("en", "It's not our responsibility once it leaves the warehouse.", "not our responsibility"),
        ("fr", "Ce n'est pas de notre ressort.", "pas de notre ressort"),
        ("de", "Dafür sind wir nicht verantwortlich.", "sind wir nicht verantwortlich"),
        ("es", "No es responsabilidad nuestra.", "No es responsabilidad nuestra"),
        ("it", "Non è nostra responsabilità.", "Non è nostra responsabilità"),
    ],
)
def test_disclaiming_responsibility_is_reported(matches: Matches, lang: str, text: str, match: str) -> None:
    assert match in matches(RULE, text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Please contact us here if anything else comes up."),
        ("en", "You should have received a confirmation email from Amazon."),
        ("en", "It's not your fault at all."),
        ("en", "Please message us before contacting your bank, so we can sort it quickly."),
        ("de", "Wenden Sie sich bei Fragen jederzeit an uns."),
        ("it", "Il chargeback non era necessario: lei doveva scriverci prima di rivolgersi alla banca."),
    ],
)
def test_pointing_to_the_seller_nouns_and_the_buyers_past_are_not_deflection(
    matches: Matches, lang: str, text: str
) -> None:
    assert matches(RULE, text, lang) == []
