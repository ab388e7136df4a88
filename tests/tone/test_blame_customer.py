"""blame-customer: the buyer's supposed mistakes, against the seller's own fault,
expectations ("you should have received"), empathy and the carrier's fault."""

from __future__ import annotations

import pytest

from .conftest import Matches

RULE = "blame-customer"

BLAME = [
    ("en", "You must have misused it.", "You must have misused"),
    ("en", "As clearly stated in the listing, it only fits UK sockets.", "clearly stated"),
    ("en", "You should have checked the size chart.", "You should have checked"),
    ("en", "The care label says 30 degrees, so it must have been washed too hot.", "must have been washed"),
    ("en", "You ordered the wrong size.", "You ordered the wrong"),
    ("fr", "Vous avez dû mal l'utiliser.", "Vous avez dû mal"),
    ("fr", "Tu aurais dû vérifier la taille.", "Tu aurais dû vérifier"),
    ("fr", "Il fallait lire les instructions.", "Il fallait lire"),
    ("de", "Sie hätten vor dem Kauf nachmessen sollen.", "Sie hätten vor dem Kauf nachmessen sollen"),
    ("de", "Da hätten Sie besser aufpassen sollen.", "hätten Sie besser aufpassen sollen"),
    ("es", "Debería haber leído las instrucciones.", "Debería haber leído"),
    ("es", "Como se indica claramente en la etiqueta, no va en secadora.", "indica claramente"),
    ("it", "Come indicato chiaramente nella descrizione, non è impermeabile.", "indicato chiaramente"),
    ("it", "Avrebbe dovuto controllare le misure.", "Avrebbe dovuto controllare"),
]


@pytest.mark.parametrize(("lang", "text", "match"), BLAME, ids=[b[2] for b in BLAME])
def test_putting_the_problem_on_the_buyer_is_reported(
    matches: Matches, lang: str, text: str, match: str
) -> None:
    assert match in matches(RULE, text, lang)


OWN_FAULT = [
    ("en", "We should have said it more clearly in the listing, that's on us."),
    ("fr", "Nous aurions dû l'indiquer plus clairement dans l'annonce."),
    ("de", "Wir hätten die Maße deutlicher angeben sollen."),
    ("es", "Deberíamos haberlo indicado más claramente en el anuncio."),
    ("it", "Avremmo dovuto indicarlo meglio nella descrizione."),
]


@pytest.mark.parametrize(("lang", "text"), OWN_FAULT)
def test_the_sellers_own_fault_is_not_blame(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "You should have received an email with the label."),
        ("en", "You should have your refund by Friday."),
        ("fr", "Vous auriez dû recevoir un e-mail de confirmation."),
        ("de", "Sie hätten eigentlich gestern eine E-Mail erhalten sollen."),
        ("es", "Debería haber recibido un correo con la etiqueta."),
        ("it", "Avrebbe dovuto ricevere una mail ieri."),
    ],
)
def test_an_expectation_is_not_a_reproach(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "You must be so frustrated."),
        ("fr", "Vous avez dû être très déçue en ouvrant le colis."),
        ("de", "Sie müssen sehr enttäuscht sein."),
        ("en", "It must have been damaged in transit; a new one is on its way."),
        ("en", "I'm sorry you received the wrong item, it's not your fault at all."),
        ("de", "Das ist nicht Ihre Schuld, der Zusteller hat den Karton beschädigt."),
    ],
)
def test_empathy_and_the_carriers_fault_are_not_blame(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []
