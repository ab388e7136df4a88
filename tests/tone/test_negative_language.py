"""negative-language: demands and flat refusals, against negations, empathy, questions,
conditions and refusals that come with an alternative somewhere in the reply."""

from __future__ import annotations

import pytest

from replylint.engine import Linter

from .conftest import Matches

RULE = "negative-language"

DEMANDS = [
    ("en", "You need to contact the courier with your tracking number.", "You need to"),
    ("en", "Sorry, you'll have to close the claim first.", "you'll have to"),
    ("en", "You must stop using the charger and send it back.", "You must"),
    ("fr", "Vous devez d'abord fermer la réclamation.", "Vous devez"),
    ("fr", "Tu dois renvoyer le colis complet.", "Tu dois"),
    ("de", "Sie müssen das Ladegerät zurückschicken.", "Sie müssen"),
    ("de", "Zuerst müssen Sie das Formular ausfüllen.", "müssen Sie"),
    ("de", "Du musst das Gerät sofort vom Strom trennen.", "Du musst"),
    ("es", "Tiene que reclamar a la empresa de mensajería.", "Tiene que"),
    ("es", "Debe enviarnos fotos antes del reembolso.", "Debe"),
    ("it", "Deve contattare il corriere per il risarcimento.", "Deve"),
    ("it", "Devi spegnere subito il dispositivo.", "Devi"),
]


@pytest.mark.parametrize(("lang", "text", "match"), DEMANDS, ids=[d[2] + "-" + d[0] for d in DEMANDS])
def test_a_demand_on_the_buyer_is_reported_in_every_form_of_address(
    matches: Matches, lang: str, text: str, match: str
) -> None:
    assert match in matches(RULE, text, lang)


NEGATIONS = [
    ("en", "You won't need to send anything back."),
    ("en", "You don't have to do anything else."),
    ("en", "There's no need to return it, and you needn't pay postage."),
    ("fr", "Vous n'avez pas besoin de renvoyer l'article."),
    ("de", "Das müssen Sie nicht zurückschicken."),
    ("de", "Sie müssen sich keine Sorgen machen."),
    ("es", "No tiene que devolver nada."),
    ("it", "Non deve restituire nulla."),
]


@pytest.mark.parametrize(("lang", "text"), NEGATIONS)
def test_a_negated_obligation_is_not_a_demand(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []


EMPATHY = [
    ("en", "You must be so frustrated after waiting two weeks."),
    ("en", "You must have been really worried when it didn't arrive."),
    ("fr", "Vous devez être très déçue, je le comprends."),
    ("de", "Sie müssen sehr verärgert sein, das verstehe ich."),
    ("es", "Debe de estar muy molesto con el retraso."),
    ("it", "Deve essere frustrante aspettare così tanto."),
    ("it", "Dev'essere molto arrabbiata, la capisco."),
]


@pytest.mark.parametrize(("lang", "text"), EMPATHY)
def test_must_followed_by_a_feeling_is_empathy_not_a_demand(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Do you need to return both items or just one?"),
        ("en", "If you need to exchange it, just tell me the size."),
        ("fr", "Si vous devez retourner l'article, je vous envoie une étiquette."),
        ("de", "Müssen Sie das Gerät zurückschicken?"),
        ("es", "¿Tiene que devolverlo antes del viernes?"),
        ("es", "El paquete debe llegar mañana por la mañana."),
        ("it", "Il pacco deve arrivare entro venerdì."),
    ],
)
def test_questions_conditions_and_other_subjects_are_not_demands(
    matches: Matches, lang: str, text: str
) -> None:
    assert matches(RULE, text, lang) == []


def test_a_guess_about_the_past_is_left_to_blame_customer(matches: Matches) -> None:
    assert matches(RULE, "You must have plugged it into the wrong socket.") == []
    assert matches(RULE, "Sie müssen ihn falsch angeschlossen haben.", "de") == []


REFUSALS = [
    ("en", "We cannot ship to Canada.", "We cannot ship"),
    ("en", "Dear customer, we cannot accept returns on books. Nothing we can do.", "Nothing we can do"),
    ("fr", "Non. Impossible.", "Impossible"),
    ("fr", "Nous ne pouvons rien faire de plus.", "Nous ne pouvons rien"),
    ("de", "Nein, das ist nicht möglich.", "nicht möglich"),
    ("es", "No, no podemos.", "no podemos"),
    ("it", "No, non possiamo.", "non possiamo"),
]


@pytest.mark.parametrize(("lang", "text", "match"), REFUSALS, ids=[r[2] for r in REFUSALS])
def test_a_flat_refusal_is_reported(matches: Matches, lang: str, text: str, match: str) -> None:
    assert match in matches(RULE, text, lang)


ALTERNATIVES = [
    ("en", "We can't ship to PO boxes, but I can send it to a parcel locker near you."),
    ("en", "We're not able to change the colour once printed. What I can do is send a free second print."),
    ("fr", "Nous ne livrons pas en point relais, mais je peux l'envoyer à votre bureau."),
    ("de", "An Packstationen können wir leider nicht liefern. Sie können aber eine Abholstation wählen."),
    ("es", "No podemos enviar a Canarias, pero le ofrezco la recogida en tienda."),
    ("it", "Non possiamo spedire in Svizzera, ma posso proporle il ritiro in magazzino."),
]


@pytest.mark.parametrize(("lang", "text"), ALTERNATIVES)
def test_a_refusal_with_an_alternative_is_not_flat(matches: Matches, lang: str, text: str) -> None:
    assert matches(RULE, text, lang) == []


def test_an_alternative_anywhere_in_the_reply_counts_not_only_next_to_the_refusal(matches: Matches) -> None:
    text = (
        "Hi Sam,\n\nThanks for your message.\nWe can't ship this model to Norway.\n"
        "It is a customs rule for batteries.\nI have checked every option.\n"
        "The rule applies to all sellers.\nThe good news is that the EU version ships today.\n\nBest,\nAna"
    )
    assert matches(RULE, text) == []
    assert matches(RULE, text.replace("The good news is that the EU version ships today.", "Sorry.")) == [
        "We can't ship"
    ]


def test_a_demand_is_reported_even_when_the_reply_offers_an_alternative(matches: Matches) -> None:
    text = "You must send it back first. We can't refund before that, but I can send a label."
    assert matches(RULE, text) == ["You must"]


def test_a_demand_suggests_a_polite_request_with_the_right_capital(linter: Linter) -> None:
    result = linter.check_text("You need to contact Evri.", lang="en", select={RULE})
    fix = result.diagnostics[0].fix
    assert fix is not None and fix.replacement == "Please" and not fix.safe
