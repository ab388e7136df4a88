"""The offline rewriter: deterministic edits, each one checked by the linter."""

from __future__ import annotations

from typing import Any

import pytest

from replylint.engine import Linter
from replylint.rewrite import RewriteOptions, rewrite
from replylint.rewrite.offline import OfflineRewrite, OfflineRewriter
from replylint.schema import InputRecord, RewriteResponse

OFFLINE = RewriteOptions(engine="offline")


def run(
    linter: Linter, text: str, buyer: str | None = None, lang: str = "en", **fields: Any
) -> RewriteResponse:
    record = InputRecord(text=text, buyer_message=buyer, lang=lang, **fields)
    return rewrite(record, linter=linter, options=OFFLINE)


def body_sentences(text: str) -> list[str]:
    from replylint.rewrite.layout import parse_layout

    layout = parse_layout(text, "en")
    return [text[a:b] for a, b in layout.body_sentences()]


def test_contact_details_go_and_the_buyer_is_invited_to_reply_here(linter: Linter) -> None:
    response = run(
        linter,
        "Thanks for asking! Email us at help@peakcamp-gear.com or WhatsApp +44 7700 900123.",
        "How do I reach you?",
    )

    assert response.engine == "offline"
    assert response.result.compliant
    assert "@" not in response.text and "7700" not in response.text
    assert "reply to this message" in response.text
    assert {c.kind for c in response.changes} >= {"remove"}


def test_a_good_reply_comes_back_unchanged(linter: Linter) -> None:
    text = (
        "Hi Sam, I'm so sorry your mug arrived chipped. "
        "I can send you a new one today or refund you in full. Which would you prefer?"
    )
    response = run(linter, text, "My mug arrived chipped.")
    assert response.text == text
    assert response.changes == []


def test_a_link_in_a_sentence_with_a_fact_goes_alone(linter: Linter) -> None:
    text = "Hi Sam, your parcel 1Z999AA10123456784 can be tracked at www.parcel-tracker-pro.com/track today."
    response = run(linter, text, "Where is my parcel?")

    assert response.result.compliant
    assert "parcel-tracker-pro" not in response.text
    assert "parcel 1Z999AA10123456784 can be tracked today." in response.text


def test_facts_the_edits_lost_are_put_back(linter: Linter) -> None:
    text = "Your refund of €24.99 for order 112-8846120-5518623 went out on 14/06/2024."
    record = InputRecord(text=text, lang="en")
    rewriter = OfflineRewriter(linter, record, linter.check(record))

    restored, changes = rewriter._restore_facts("Your refund went out.")
    assert "112-8846120-5518623" in restored and "€24.99" in restored and "14/06/2024" in restored
    assert [c.kind for c in changes] == ["restore"]


def test_the_four_steps_are_added_in_order_for_a_problem(linter: Linter) -> None:
    response = run(linter, "Hi Sam,\n\nPlease send a photo.\n\nBest,\nTom", "My mug arrived chipped.")

    s = response.result.structure
    assert s.applies and s.acknowledgement and s.ownership and s.offer and s.next_step
    sentences = body_sentences(response.text)
    assert "mug" in sentences[0] and "sorry" in sentences[0].lower()  # names the buyer's product
    assert sentences[-1].endswith("?")
    assert response.text.startswith("Hi Sam,\n\n") and response.text.endswith("Best,\nTom")
    assert [c.kind for c in response.changes].count("add") >= 2


def test_a_plain_question_gets_no_apology(linter: Linter) -> None:
    response = run(linter, "Yes, it fits a standard UK socket.", "Does the charger fit UK sockets?")
    assert "sorry" not in response.text.lower()
    assert not response.result.structure.applies


def test_an_order_slot_is_filled_from_the_buyers_message(linter: Linter) -> None:
    response = run(
        linter,
        "Hi, I've arranged a replacement for order XXX-XXXXXXX-XXXXXXX. Could you confirm your address?",
        "My lamp arrived broken, order 205-1145873-7781042.",
    )
    assert "205-1145873-7781042" in response.text
    assert "XXX" not in response.text


def test_a_flat_refusal_is_followed_by_an_alternative(linter: Linter) -> None:
    response = run(linter, "We cannot ship to Canada.", "Do you ship to Canada?")
    assert response.text.startswith("We cannot ship to Canada.")
    assert not [d for d in response.result.diagnostics if d.rule == "negative-language"]


def test_sending_the_buyer_to_the_carrier_becomes_the_sellers_own_action(linter: Linter) -> None:
    response = run(linter, "Please contact the carrier about this.", "My parcel is three days late.")
    assert "I'll contact the carrier" in response.text
    assert not [d for d in response.result.diagnostics if d.rule == "deflection"]


def test_the_same_draft_always_gives_the_same_rewrite(linter: Linter) -> None:
    text = "You need to send the lamp back first. Call 07700 900123."
    first = run(linter, text, "The lamp flickers.")
    second = run(linter, text, "The lamp flickers.")
    assert first.model_dump() == second.model_dump()


def test_german_letter_goes_on_in_lower_case_after_the_greeting(linter: Linter) -> None:
    response = run(
        linter,
        "Sehr geehrter Herr Klein,\n\nbitte schicken Sie uns ein Foto.\n\nMit freundlichen Grüßen\nJonas",
        "Die Lampe ist kaputt angekommen.",
        lang="de",
    )
    first_body_line = response.text.split("\n")[2]
    assert first_body_line[:1].islower()
    assert "Lampe" in first_body_line


def test_french_agreement_follows_the_buyers_noun(linter: Linter) -> None:
    response = run(
        linter, "Bonjour, merci de nous envoyer une photo.", "La lampe est arrivée cassée.", lang="fr"
    )
    assert "votre lampe soit abîmée" in response.text


def test_nothing_worse_than_the_draft_is_ever_returned(
    linter: Linter, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "Hi Sam, I'm so sorry your mug arrived chipped. I'll send a new one today. "
        "Which colour would you like?"
    )
    record = InputRecord(text=text, buyer_message="My mug arrived chipped.", lang="en")
    worse = "Contact me on WhatsApp +44 7700 900123."

    def broken_run(self: OfflineRewriter) -> OfflineRewrite:
        result = linter.check(record.model_copy(update={"text": worse}))
        return OfflineRewrite(worse, result, [])

    monkeypatch.setattr(OfflineRewriter, "run", broken_run)
    response = rewrite(record, linter=linter, options=OFFLINE)
    assert response.text == text
    assert response.changes == []
    assert response.notes and "unchanged" in response.notes[0]


def test_changes_say_what_was_removed_and_added(linter: Linter) -> None:
    response = run(
        linter, "Follow us on Instagram @lumina.home for 10% off your next order!", "Thanks, it arrived."
    )
    removed = [c for c in response.changes if c.kind == "remove"]
    assert removed and removed[0].rule in {"promotion", "contact-info"}
    assert "@lumina.home" in (removed[0].before or "")


def test_a_short_refusal_goes_when_the_reply_offers_a_remedy(linter: Linter) -> None:
    response = run(linter, "Hi there, nothing we can do now.", "The vase arrived cracked.")
    assert "nothing we can do" not in response.text.lower()
    assert response.result.structure.offer


def test_the_body_goes_on_in_lower_case_after_an_inline_greeting(linter: Linter) -> None:
    response = run(linter, "Bonjour, merci de votre message.", "Le colis n'est jamais arrivé.", lang="fr")
    assert response.text.startswith("Bonjour, je ")


def test_a_language_without_sentences_is_only_cleaned(linter: Linter) -> None:
    response = run(
        linter,
        "Hallo Jan, het spijt me dat de lamp kapot is aangekomen. "
        "Bel me op 06 12345678 of mail naar info@lampen.nl.",
        "De lamp is kapot aangekomen.",
        lang="nl",
    )
    assert response.result.compliant
    assert response.text == "Hallo Jan, het spijt me dat de lamp kapot is aangekomen."
    assert response.notes and "Dutch" in response.notes[0]


def test_the_detected_language_is_reported_as_detected(linter: Linter) -> None:
    record = InputRecord(text="Bonjour, vous devez renvoyer l'article avant de recevoir le remboursement.")
    response = rewrite(record, linter=linter, options=OFFLINE)
    assert (response.result.lang, response.result.lang_source) == ("fr", "detected")
