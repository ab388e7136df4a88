"""Acknowledge, Own, Offer, Verify: when the structure applies, what counts as each
element, and what the missing-* diagnostics say and suggest."""

from __future__ import annotations

import pytest

from replylint.engine import Linter
from replylint.fixes import apply_fixes
from replylint.schema import ResultRecord
from replylint.structure import suggestion

MISSING = {"missing-acknowledgement", "missing-ownership", "missing-offer", "missing-next-step"}


def missing(result: ResultRecord) -> set[str]:
    return {d.rule for d in result.diagnostics if d.rule in MISSING}


GOOD = {
    "en": (
        "The vase arrived broken.",
        "Hi Sam, I'm so sorry the vase arrived broken. I'll send you a new one today. Which "
        "address should I use?",
    ),
    "fr": (
        "Le vase est arrivé cassé.",
        "Bonjour, je suis vraiment désolé que le vase soit arrivé cassé. Je vous envoie un vase "
        "neuf aujourd'hui. Pouvez-vous me confirmer votre adresse ?",
    ),
    "de": (
        "Die Vase kam zerbrochen an.",
        "Hallo, es tut mir sehr leid, dass die Vase zerbrochen angekommen ist. Ich schicke Ihnen "
        "heute eine neue Vase. Können Sie mir Ihre Adresse bestätigen?",
    ),
    "es": (
        "El jarrón llegó roto.",
        "Hola, siento mucho que el jarrón llegara roto. Le envío hoy uno nuevo. ¿Me confirma la dirección?",
    ),
    "it": (
        "Il vaso è arrivato rotto.",
        "Buongiorno, mi dispiace davvero che il vaso sia arrivato rotto. Le spedisco oggi un vaso "
        "nuovo. Mi conferma l'indirizzo?",
    ),
}


@pytest.mark.parametrize("lang", sorted(GOOD))
def test_a_reply_with_all_four_elements_has_no_missing_diagnostic(linter: Linter, lang: str) -> None:
    buyer, reply = GOOD[lang]
    result = linter.check_text(reply, lang=lang, buyer_message=buyer)
    assert result.structure.applies
    assert result.structure.model_dump() == {
        "applies": True,
        "acknowledgement": True,
        "ownership": True,
        "offer": True,
        "next_step": True,
    }
    assert not missing(result)


COLD = {
    "en": (
        "The vase arrived broken.",
        "Dear customer, we apologise for any inconvenience. A replacement will be sent.",
    ),
    "fr": (
        "Le vase est arrivé cassé.",
        "Bonjour, nous sommes désolés pour la gêne occasionnée. Un remplacement sera envoyé.",
    ),
    "de": (
        "Die Vase kam zerbrochen an.",
        "Sehr geehrter Kunde, wir entschuldigen uns für die Unannehmlichkeiten. Ein Ersatz wird versendet.",
    ),
    "es": (
        "El jarrón llegó roto.",
        "Estimado cliente, lamentamos las molestias. Se le enviará un reemplazo.",
    ),
    "it": (
        "Il vaso è arrivato rotto.",
        "Gentile cliente, ci scusiamo per il disagio. Verrà inviata una sostituzione.",
    ),
}


@pytest.mark.parametrize("lang", sorted(COLD))
def test_a_generic_apology_and_a_passive_remedy_lack_acknowledgement_ownership_and_next_step(
    linter: Linter, lang: str
) -> None:
    buyer, reply = COLD[lang]
    result = linter.check_text(reply, lang=lang, buyer_message=buyer)
    assert missing(result) == {"missing-acknowledgement", "missing-ownership", "missing-next-step"}
    assert result.structure.offer


def test_structure_does_not_apply_to_a_question_and_no_missing_rule_fires(linter: Linter) -> None:
    result = linter.check_text("It is true to size.", buyer_message="Does the jacket come up small?")
    assert not result.structure.applies
    assert not missing(result)


def test_a_thank_you_after_a_resolved_problem_is_not_a_problem(linter: Linter) -> None:
    result = linter.check_text(
        "Great to hear, enjoy it!",
        lang="de",
        buyer_message="Der Ersatz ist heute angekommen und funktioniert einwandfrei, danke!",
    )
    assert not result.structure.applies


def test_without_a_buyer_message_an_apology_for_a_late_parcel_answers_a_problem(linter: Linter) -> None:
    result = linter.check_text("Sorry your parcel is running late. It left our warehouse today.")
    assert result.structure.applies
    assert "missing-offer" in missing(result)


def test_without_a_buyer_message_a_review_request_is_proactive(linter: Linter) -> None:
    result = linter.check_text(
        "Hi Sara, your order has shipped. We would welcome a review of your experience once it arrives. "
        "If anything is wrong, just message us."
    )
    assert not result.structure.applies
    assert not missing(result)


def test_an_apology_for_another_kind_of_problem_is_not_an_acknowledgement(linter: Linter) -> None:
    result = linter.check_text(
        "Sorry your parcel is running late. I'll send a new one today. Could you confirm your address?",
        buyer_message="The vase arrived broken.",
    )
    assert "missing-acknowledgement" in missing(result)


def test_naming_the_buyers_feeling_acknowledges(linter: Linter) -> None:
    result = linter.check_text(
        "You must be so frustrated. I'll refund you in full today. Could you confirm once you see it?",
        buyer_message="Still waiting for my refund, it's been 10 days.",
    )
    assert result.structure.acknowledgement


def test_i_will_look_into_it_is_ownership_without_an_offer(linter: Linter) -> None:
    result = linter.check_text(
        "I'm sorry you're still waiting for your refund. I'll look into it and get back to you.",
        buyer_message="Still waiting for my refund, it's been 10 days.",
    )
    assert result.structure.ownership and not result.structure.offer
    offer = next(d for d in result.diagnostics if d.rule == "missing-offer")
    assert offer.match == "I'll look into it and get back to you."
    assert offer.message.startswith('"I\'ll look into it and get back to you." promises no remedy')


def test_a_negated_commitment_is_no_ownership_and_a_refused_refund_no_offer(linter: Linter) -> None:
    result = linter.check_text(
        "We will not refund anything while the claim is open. We cannot do anything.",
        buyer_message="I've opened an A-to-z claim because you ignored me.",
    )
    assert not result.structure.ownership and not result.structure.offer


def test_a_generic_closing_is_not_a_next_step(linter: Linter) -> None:
    result = linter.check_text(
        "I'm really sorry the zip broke. I've arranged a full refund. Let me know if you need anything else!",
        buyer_message="The zip broke the first time I used it.",
    )
    assert missing(result) == {"missing-next-step"}
    step = next(d for d in result.diagnostics if d.rule == "missing-next-step")
    assert step.match == "Let me know if you need anything else!"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Le preparo hoy mismo uno nuevo."),
        ("es", "Puedo cambiárselas por una talla más."),
        ("it", "Te le spedisco oggi con posta tracciata."),
        ("it", "Posso rimborsarla per intero."),
    ],
)
def test_spanish_and_italian_ownership_without_a_subject_pronoun(
    linter: Linter, lang: str, text: str
) -> None:
    buyer = {"es": "Las zapatillas me quedan pequeñas.", "it": "Mancano due viti."}[lang]
    assert linter.check_text(text, lang=lang, buyer_message=buyer).structure.ownership


def test_the_message_suggests_a_sentence_for_the_buyers_problem_in_the_replys_language(
    linter: Linter,
) -> None:
    result = linter.check_text(
        "Votre colis est en route.", lang="fr", buyer_message="Ma commande a déjà une semaine de retard."
    )
    ack = next(d for d in result.diagnostics if d.rule == "missing-acknowledgement")
    assert "Je suis vraiment désolé(e) que votre commande ait du retard" in ack.message
    assert ack.severity == "warning" and ack.family == "structure"


def test_suggestions_are_data_with_a_default_for_every_language(linter: Linter) -> None:
    for rule_id in MISSING:
        rule = linter.catalogue.rules[rule_id]
        for lang in ("en", "fr", "de", "es", "it"):
            assert suggestion(rule, lang, ())
            assert suggestion(rule, lang, ("no-such-kind",)) == suggestion(rule, lang, ())


def test_the_fix_adds_the_suggested_sentence_and_is_unsafe(linter: Linter) -> None:
    text = "Dear customer, sorry for any inconvenience. A replacement will be sent."
    result = linter.check_text(text, buyer_message="The vase arrived broken.")
    ack = next(d for d in result.diagnostics if d.rule == "missing-acknowledgement")
    assert ack.fix is not None and not ack.fix.safe
    fixed, applied = apply_fixes(text, [ack], unsafe=True)
    assert applied == [ack]
    assert "sorry for any inconvenience" not in fixed
    assert "arrived damaged" in fixed
    step = next(d for d in result.diagnostics if d.rule == "missing-next-step")
    fixed, _ = apply_fixes(text, [step], unsafe=True)
    assert fixed.startswith(text) and fixed.endswith("?")


def test_ignored_structure_rules_do_not_fire_but_the_structure_is_still_assessed(linter: Linter) -> None:
    buyer, reply = COLD["en"]
    result = linter.check_text(reply, buyer_message=buyer, ignore={"structure"})
    assert not missing(result)
    assert result.structure.applies and not result.structure.acknowledgement


def test_a_language_without_structure_rules_gets_no_missing_diagnostic(linter: Linter) -> None:
    result = linter.check_text("Olá, pedimos desculpa.", lang="pt", buyer_message="O vaso chegou partido.")
    assert not missing(result)


def test_diagnostics_point_into_the_original_text(linter: Linter) -> None:
    text = "Hello Mark,\n\nWe apologise for any inconvenience.\n\nRegards"
    result = linter.check_text(text, buyer_message="The mirror arrived cracked.")
    for d in result.diagnostics:
        if d.rule in MISSING:
            assert text[d.start : d.end] == d.match
            assert d.match.strip() == d.match
    ack = next(d for d in result.diagnostics if d.rule == "missing-acknowledgement")
    assert ack.match == "We apologise for any inconvenience."
