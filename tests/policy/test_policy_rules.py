"""Behaviour of feedback-request, promotion and off-platform beyond the examples
embedded in their rule files: across sentences, with fixes, and on the contract's
hard negatives in every language."""

from __future__ import annotations

import pytest

from replylint.engine import Linter
from replylint.fixes import apply_fixes

from .conftest import Find


def test_a_satisfaction_question_links_to_a_review_request_in_the_next_sentence(find: Find) -> None:
    assert find("feedback-request", "Happy with your new kettle? Leave us a review on Amazon!")
    assert find("feedback-request", "Zufrieden mit Ihrem Kauf? Dann bewerten Sie uns bitte.", "de")
    # The same question without any review nearby is a normal check-in.
    assert not find("feedback-request", "Happy with the replacement? Let me know if anything is missing.")


def test_would_you_be_happy_with_an_offer_is_not_a_condition_on_a_review(find: Find) -> None:
    text = "Would you be happy with a replacement or a refund? We'd welcome a review of your experience."
    assert find("feedback-request", text) == []


NEUTRAL = {
    "en": "If you have a moment, we'd welcome a review of your experience with us.",
    "fr": "Si vous avez un moment, n'hésitez pas à nous laisser un avis sur votre expérience.",
    "de": "Wenn Sie möchten, freuen wir uns über eine Bewertung Ihrer Erfahrung mit uns.",
    "es": "Si le apetece, nos encantaría conocer su opinión sobre su experiencia en una reseña.",
    "it": "Se le va, ci farebbe piacere una sua recensione sulla sua esperienza con noi.",
}


@pytest.mark.parametrize("lang", NEUTRAL)
def test_one_neutral_review_request_is_allowed_in_every_language(find: Find, lang: str) -> None:
    assert find("feedback-request", NEUTRAL[lang], lang) == []


PASSED_ON = {
    "en": "I've passed your feedback to our team and reviewed your order.",
    "fr": "J'ai transmis votre avis à notre équipe et vérifié votre commande.",
    "de": "Ich habe Ihr Feedback an unser Team weitergegeben und Ihre Bestellung geprüft.",
    "es": "He trasladado su opinión a nuestro equipo y he revisado su pedido.",
    "it": "Ho inoltrato il suo feedback al nostro team e ho verificato il suo ordine.",
}


@pytest.mark.parametrize("lang", PASSED_ON)
def test_passing_feedback_on_is_not_a_review_request(find: Find, lang: str) -> None:
    assert find("feedback-request", PASSED_ON[lang], lang) == []


SERVICE = {
    "en": "I've refunded 30% so you can keep it, and a free return label is on its way.",
    "fr": "Je vous rembourse 30 % pour que vous le gardiez, et une étiquette de retour gratuite arrive.",
    "de": "Ich erstatte Ihnen 30 %, damit Sie es behalten; ein kostenloses Rücksendeetikett kommt.",
    "es": "Le reembolso el 30 % para que se lo quede, y le envío una etiqueta de devolución gratuita.",
    "it": "Le rimborso il 30% così lo tiene, e le mando un'etichetta di reso gratuita.",
}


@pytest.mark.parametrize("lang", SERVICE)
def test_refunds_partial_refunds_and_free_returns_are_never_promotion(find: Find, lang: str) -> None:
    assert find("promotion", SERVICE[lang], lang) == []


MARKETPLACE_TOOLS = {
    "en": "Please start the return from Your Orders; Amazon will email you the label and refund your card.",
    "fr": "Lancez le retour depuis Vos commandes ; Amazon vous enverra l'étiquette par e-mail.",
    "de": "Starten Sie die Rücksendung in Meine Bestellungen; Amazon schickt Ihnen das Etikett per Mail.",
    "es": "Inicie la devolución desde Mis pedidos; recibirá un correo de Amazon con la etiqueta.",
    "it": "Avvii il reso da I miei ordini; riceverà una email da Amazon con l'etichetta.",
}


@pytest.mark.parametrize("lang", MARKETPLACE_TOOLS)
def test_the_marketplaces_own_tools_are_not_off_platform(find: Find, lang: str) -> None:
    assert find("off-platform", MARKETPLACE_TOOLS[lang], lang) == []


def test_a_third_partys_phone_line_is_contact_info_but_not_off_platform(find: Find) -> None:
    text = "You can call Royal Mail on 0345 774 0740 to rearrange the delivery."
    assert find("off-platform", text) == []
    assert [d.match for d in find("contact-info", text)] == ["0345 774 0740"]


def test_an_email_in_a_signature_is_contact_info_but_an_invitation_is_also_off_platform(find: Find) -> None:
    signature = "Best wishes,\nMia\nhello@clayworks.co.uk"
    assert find("contact-info", signature) and not find("off-platform", signature)
    invitation = "You can also email us at hello@clayworks.co.uk."
    assert find("contact-info", invitation) and find("off-platform", invitation)


def test_a_standalone_follow_us_sentence_is_removed_safely(linter: Linter) -> None:
    text = "Thanks for your order! Follow us on Instagram for daily tips.\nBest, Jo"
    result = linter.check_text(text, lang="en", select={"promotion"})
    (d,) = result.diagnostics
    assert d.fix is not None and d.fix.safe
    fixed, applied = apply_fixes(text, result.diagnostics)
    assert applied and fixed == "Thanks for your order!\nBest, Jo"


def test_a_promotion_sharing_its_sentence_with_a_refund_is_not_fixed_automatically(linter: Linter) -> None:
    text = "I've refunded your order, and here's code SORRY20 for 20% off your next order."
    result = linter.check_text(text, lang="en", select={"promotion"})
    assert result.diagnostics
    assert all(d.fix is None or not d.fix.safe for d in result.diagnostics)
    assert apply_fixes(text, result.diagnostics) == (text, [])


def test_a_follow_us_sentence_with_a_second_clause_is_not_deleted_safely(linter: Linter) -> None:
    text = "Follow us on Instagram for tips and we'll refund the postage today."
    result = linter.check_text(text, lang="en", select={"promotion"})
    assert result.diagnostics and not any(d.fix and d.fix.safe for d in result.diagnostics)


POLICY_RULES = ["external-link", "contact-info", "feedback-request", "promotion", "off-platform"]


@pytest.mark.parametrize("rule_id", POLICY_RULES)
def test_the_documented_bad_example_fires_and_the_better_one_does_not(linter: Linter, rule_id: str) -> None:
    rule = linter.catalogue.rules[rule_id]
    assert isinstance(rule.example, dict) and isinstance(rule.use_instead, dict)
    for lang in ("en", "fr", "de", "es", "it"):
        bad = linter.check_text(rule.example[lang], lang=lang, select={rule_id})
        good = linter.check_text(rule.use_instead[lang], lang=lang, select={rule_id})
        assert bad.diagnostics, f"{rule_id} example in {lang}"
        assert not good.diagnostics, f"{rule_id} use_instead in {lang}"
