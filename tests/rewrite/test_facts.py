"""Facts a rewrite must keep: found in five languages, compared on what they mean."""

from __future__ import annotations

import pytest

from replylint.rewrite.facts import extract_facts, missing_facts


def kinds(text: str, lang: str = "en") -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in extract_facts(text, lang)]


def test_order_tracking_amount_date_and_names_are_found() -> None:
    text = (
        "Hi Sam,\n\nOrder 112-8846120-5518623 left on 14/06/2024 with tracking 1Z999AA10123456784. "
        "I refunded $24.99 and 50% of the postage.\n\nKind regards,\nMaya"
    )
    found = kinds(text)
    assert ("order_id", "112-8846120-5518623") in found
    assert ("tracking", "1Z999AA10123456784") in found
    assert ("date", "14/06/2024") in found
    assert ("amount", "$24.99") in found
    assert ("amount", "50%") in found
    assert ("name", "Sam") in found and ("name", "Maya") in found


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Remboursement de 1 249,00 € le 3 juin 2024, colis 6A12345678901.",
            {"amount", "date", "tracking"},
        ),
        (
            "de",
            "Wir erstatten 19,90 EUR am 12. März, Sendung 00340434161094042557.",
            {"amount", "date", "tracking"},
        ),
        ("es", "Le devolvemos 35 euros el lunes 3 de junio.", {"amount", "date"}),
        (
            "it",
            "Rimborso di 12,50 € entro venerdì, spedizione RR123456785IT.",
            {"amount", "date", "tracking"},
        ),
    ],
)
def test_facts_in_other_languages(lang: str, text: str, expected: set[str]) -> None:
    assert {kind for kind, _ in kinds(text, lang)} >= expected


def test_the_same_fact_written_differently_is_kept() -> None:
    facts = extract_facts("We refunded €12.50 on 14/06/2024.", "en")
    assert missing_facts(facts, "The refund of 12,50 € went out on 14.06.2024.", "en") == []


def test_a_changed_amount_is_a_lost_fact() -> None:
    facts = extract_facts("We refunded €12.50.", "en")
    lost = missing_facts(facts, "We refunded €15.00.", "en")
    assert [f.text for f in lost] == ["€12.50"]


def test_contact_details_are_not_facts() -> None:
    text = "Call +44 7700 900123 about order 112-8846120-5518623."
    start = text.index("+44")
    facts = extract_facts(text, "en", exclude=[(start, start + len("+44 7700 900123"))])
    assert [f.kind for f in facts] == ["order_id"]


def test_emphasis_is_not_a_figure() -> None:
    assert kinds("I'm 100% sure it arrives by the 23rd.") == [("date", "23rd")]


def test_slots_in_greetings_are_not_names() -> None:
    assert kinds("Hello <NAME>,\n\nThanks for your order.") == []


def test_a_coupons_figures_are_not_facts_but_its_order_id_is(linter) -> None:  # type: ignore[no-untyped-def]
    from replylint.rewrite.facts import draft_facts

    text = "Your order 112-8846120-5518623 is on its way. Use code SAVE10 for 10% off your next order!"
    result = linter.check_text(text, lang="en")
    assert any(d.rule == "promotion" for d in result.diagnostics)
    facts = draft_facts(text, "en", result.diagnostics)
    assert [f.text for f in facts] == ["112-8846120-5518623"]
