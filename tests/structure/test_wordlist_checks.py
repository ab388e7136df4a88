"""The word-list checks the structure and triage data are written with."""

from __future__ import annotations

from typing import Any

import pytest

from replylint.checks.structure import buyer_terms, near, phrase_spans, typo
from replylint.engine import Analysis, Linter
from replylint.errors import RuleFileError


def analysis(linter: Linter, text: str, lang: str = "en", buyer: str | None = None) -> Analysis:
    return Analysis(text, lang, linter.catalogue.profile("amazon"), linter.catalogue, buyer_message=buyer)


def spans(a: Analysis, hits: list[Any]) -> list[str]:
    return [a.text[h.start : h.end] for h in hits]


def test_near_finds_the_second_list_within_the_window_in_the_same_sentence(linter: Linter) -> None:
    a = analysis(linter, "I will quickly send it. We. Send it.")
    args = {"first": ["i", "we"], "then": ["send"], "within": 2, "first_attr": "LOWER"}
    assert spans(a, near(a, args)) == ["I will quickly send"]


def test_near_in_any_order_and_reporting_one_side(linter: Linter) -> None:
    a = analysis(linter, "Dann schicken wir Ihnen die Decke.", lang="de")
    args = {"first": ["wir"], "then": ["schicken"], "order": "any", "first_attr": "LOWER", "report": "then"}
    assert spans(a, near(a, args)) == ["schicken"]
    assert near(a, {**args, "order": "forward"}) == []


def test_near_blockers_in_the_gap_cancel_the_match(linter: Linter) -> None:
    a = analysis(linter, "We cannot refund. We can refund.")  # "cannot" is two tokens
    args = {"first": ["we"], "then": ["refund"], "within": 2, "first_attr": "LOWER", "not_between": ["not"]}
    assert spans(a, near(a, args)) == ["We can refund"]


def test_near_skips_then_phrases_that_hold_a_banned_word(linter: Linter) -> None:
    a = analysis(linter, "Ma commande n'est pas encore expédiée.", lang="fr")
    args = {"first": ["n'", "pas"], "then": ["pas encore expédiée"], "within": 1, "attr": "LOWER"}
    assert near(a, args)
    assert near(a, {**args, "then_without": ["pas"]}) == []


def test_near_with_a_verb_shape(linter: Linter) -> None:
    a = analysis(linter, "Puedo cambiárselas hoy. Puedo entender.", lang="es")
    args = {
        "first": ["puedo"],
        "then_shape": "[a-záéíóúñ]+(?:[aá]r|er|ir)(?:se)?(?:l[ao]s?)?",
        "then_not": ["entender"],
        "first_attr": "LOWER",
    }
    assert spans(a, near(a, args)) == ["Puedo cambiárselas"]


def test_near_needs_exactly_one_of_then_and_then_shape(linter: Linter) -> None:
    a = analysis(linter, "text")
    with pytest.raises(RuleFileError):
        near(a, {"first": ["x"]})


def test_phrases_match_by_lemma_or_as_written(linter: Linter) -> None:
    a = analysis(linter, "Nous vous l'envoyons et nous remboursons.", lang="fr")
    assert [a.doc[s:e].text for s, e in phrase_spans(a, ["l'"], "LOWER")] == ["l'"]
    assert [a.doc[s:e].text for s, e in phrase_spans(a, ["rembourser"], "LEMMA")] == ["remboursons"]


def test_typo_finds_words_one_or_two_edits_away(linter: Linter) -> None:
    a = analysis(linter, "I will do a chargback and call a lawer.")
    assert spans(a, typo(a, {"words": ["chargeback", "lawyer"], "min_length": 6})) == ["chargback", "lawer"]
    assert typo(analysis(linter, "Charge it back."), {"words": ["chargeback"]}) == []


def test_buyer_terms_match_lemmas_and_compound_beginnings(linter: Linter) -> None:
    a = analysis(
        linter,
        "Wir schicken Ihnen die anthrazitfarbene Decke.",
        lang="de",
        buyer="Falsche Farbe geliefert, ich hatte Anthrazit bestellt.",
    )
    assert "anthrazitfarbene" in spans(a, buyer_terms(a, {}))
    b = analysis(linter, "Sorry the mirrors arrived cracked.", buyer="My mirror arrived cracked.")
    assert {"mirrors", "cracked"} <= set(spans(b, buyer_terms(b, {})))
    assert spans(b, buyer_terms(b, {"ignore": ["mirror", "arrive", "crack"]})) == []
