"""Triage of the buyer's message: risk, tier, SLA and reasons (CONTRACT.md §4)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from replylint.catalogue import load_catalogue
from replylint.engine import Linter
from replylint.errors import RuleFileError
from replylint.resources import rules_dir
from replylint.triage import load_triage, triage_data

REPLY = {
    "en": "Thanks for your message.",
    "fr": "Merci pour votre message.",
    "de": "Danke für Ihre Nachricht.",
    "es": "Gracias por su mensaje.",
    "it": "Grazie per il messaggio.",
}


def risk(linter: Linter, buyer: str, lang: str = "en") -> str:
    result = linter.check_text(REPLY[lang], lang=lang, buyer_message=buyer)
    assert result.triage is not None
    return result.triage.risk


HIGH = [
    ("en", "I will file an A-to-Z claim if I don't get a refund by Friday."),
    ("en", "I'VE OPENED AN A-TO-Z CLAIM."),
    ("en", "Fix this or I'll do a chargback on my credit card."),
    ("en", "I've asked my bank to reverse the payment."),
    ("en", "My solicitor will be in touch."),
    ("en", "This perfume is a cheap knockoff, not the real thing."),
    ("en", "The lamp started smoking and burned my hand."),
    ("en", "Tracking shows delivered but there is nothing here."),
    ("en", "The parcel never came."),
    ("en", "It's been three weeks and the parcel still hasn't arrived."),
    ("fr", "Le colis n'est jamais arrivé."),
    ("fr", "Je vais faire opposition auprès de ma banque."),
    ("fr", "Le sac est une contrefaçon."),
    ("de", "Ich schalte meinen Anwalt ein."),
    ("de", "Das Gerät hat Funken gesprüht!"),
    ("de", "Das Paket kam leer an."),
    ("es", "He abierto una disputa con mi banco."),
    ("es", "Voy a abrir una reclamación de la garantía de la A a la Z."),
    ("it", "Il caricabatterie ha preso fuoco!"),
    ("it", "Il pacco risulta consegnato ma non è mai arrivato."),
]


@pytest.mark.parametrize(("lang", "buyer"), HIGH)
def test_claims_threats_fakes_safety_and_lost_parcels_are_high_risk(
    linter: Linter, lang: str, buyer: str
) -> None:
    assert risk(linter, buyer, lang) == "high"


MEDIUM = [
    ("en", "My parcel is three days late and still in transit."),
    ("en", "The mug arrived chipped."),
    ("en", "THE ZIP BROKE AFTER ONE DAY"),
    ("en", "I ordered a medium and got a small."),
    ("en", "Still waiting for my refund."),
    ("fr", "La lampe ne fonctionne plus."),
    ("de", "Die Hose ist zu klein."),
    ("es", "Me habéis cobrado dos veces."),
    ("it", "Mancano due viti."),
]


@pytest.mark.parametrize(("lang", "buyer"), MEDIUM)
def test_other_problems_are_medium_risk(linter: Linter, lang: str, buyer: str) -> None:
    assert risk(linter, buyer, lang) == "medium"


LOW = [
    ("en", "The parcel arrived, thanks!"),
    ("en", "Is this covered by the A-to-z guarantee?"),
    ("en", "Is this a genuine Bosch filter?"),
    ("en", "Is the heater safe to leave on overnight?"),
    ("en", "Please cancel my order, I clicked twice by mistake."),
    ("en", "No smoke, no sparks, it works perfectly, thanks."),
    ("fr", "Colis bien reçu, merci !"),
    ("de", "Gilt die A-bis-z-Garantie auch für Ihren Shop?"),
    ("es", "¿Es original o es una imitación?"),
    ("it", "Posso avere la fattura?"),
]


@pytest.mark.parametrize(("lang", "buyer"), LOW)
def test_questions_thanks_and_neutral_requests_are_low_risk(linter: Linter, lang: str, buyer: str) -> None:
    assert risk(linter, buyer, lang) == "low"


def test_high_risk_has_tier_1_and_a_one_hour_sla(linter: Linter) -> None:
    triage = linter.check_text("Thanks.", buyer_message="I'm filing a chargeback.").triage
    assert triage is not None
    assert (triage.risk, triage.tier, triage.sla_hours) == ("high", 1, 1)


def test_medium_and_low_risk_have_tier_2_and_a_24_hour_sla(linter: Linter) -> None:
    for buyer in ("The vase arrived broken.", "Do you ship to Canada?"):
        triage = linter.check_text("Thanks.", buyer_message=buyer).triage
        assert triage is not None
        assert (triage.tier, triage.sla_hours) == (2, 24)


def test_reasons_name_the_trigger_found_highest_risk_first(linter: Linter) -> None:
    triage = linter.check_text(
        "Thanks.",
        buyer_message="The toaster stopped working. If I don't get my money back I'm filing an A-to-Z claim.",
    ).triage
    assert triage is not None
    assert triage.reasons[0].startswith("A-to-z claim filed or threatened")
    assert "A-to-Z" in triage.reasons[0]
    assert any("stopped working" in r for r in triage.reasons)


def test_reasons_are_in_the_language_of_the_reply(linter: Linter) -> None:
    triage = linter.check_text("Merci.", lang="fr", buyer_message="Le vase est arrivé cassé.").triage
    assert triage is not None
    assert triage.reasons == ["Article endommagé : « cassé »"]


def test_a_low_risk_message_explains_itself(linter: Linter) -> None:
    triage = linter.check_text("Yes.", buyer_message="Is this covered by the A-to-Z guarantee?").triage
    assert triage is not None
    assert any(r.startswith("Question that only mentions") for r in triage.reasons)


def test_no_buyer_message_means_no_triage(linter: Linter) -> None:
    assert linter.check_text("Thanks for your order!").triage is None
    assert linter.check_text("Thanks for your order!", buyer_message="   ").triage is None


def test_the_buyer_message_is_read_in_its_own_language(linter: Linter) -> None:
    triage = linter.check_text(
        "I'm sorry, I'll refund you today.",
        lang="en",
        buyer_message="Il pacco non è mai arrivato, sono molto arrabbiato.",
    ).triage
    assert triage is not None and triage.risk == "high"


def _copy_rules(tmp_path: Path) -> Path:
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    return root


def test_a_broken_signal_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    path = root / "triage" / "signals" / "delay.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("risk: medium", "risk: urgent"), encoding="utf-8"
    )
    with pytest.raises(RuleFileError) as info:
        load_triage(root / "triage")
    assert "delay.yaml" in str(info.value) and "risk" in str(info.value)


def test_a_signal_with_an_unknown_problem_kind_is_refused(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    path = root / "triage" / "signals" / "delay.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("problem: late", "problem: slow"), encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match="unknown kind 'slow'"):
        load_triage(root / "triage")


def test_levels_must_cover_every_risk(tmp_path: Path) -> None:
    root = _copy_rules(tmp_path)
    path = root / "triage" / "triage.yaml"
    text = path.read_text(encoding="utf-8").replace("  low: {tier: 2, sla_hours: 24}", "")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError, match="levels: missing low"):
        load_triage(root / "triage")


def test_triage_data_is_loaded_once_per_catalogue(linter: Linter) -> None:
    assert triage_data(linter.catalogue) is triage_data(linter.catalogue)
    other = load_catalogue()
    assert triage_data(other) is not triage_data(linter.catalogue)


def test_a_buyer_message_in_a_language_without_signals_is_low_risk_without_error(linter: Linter) -> None:
    triage = linter.check_text(
        "Obrigado.", lang="pt", buyer_message="O vaso chegou partido, estou muito chateado."
    ).triage
    assert triage is not None and triage.risk == "low"
