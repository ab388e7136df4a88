"""over-promise: guarantees about delivery or about a problem never recurring, against
expectations, aims, guarantees the seller controls and the marketplace's guarantee."""

from __future__ import annotations

import pytest

from .conftest import Matches

RULE = "over-promise"

PROMISES = [
    ("en", "I guarantee it will be with you by Christmas Eve.", "I guarantee"),
    ("en", "I've sent a new one and this will never happen again.", "will never happen again"),
    ("en", "Your parcel will definitely arrive tomorrow.", "will definitely arrive"),
    ("fr", "Je vous garantis que le colis sera chez vous vendredi.", "Je vous garantis"),
    ("fr", "Je vous assure que cela ne se reproduira plus jamais.", "cela ne se reproduira plus jamais"),
    ("de", "Ich verspreche Ihnen: Das wird nie wieder vorkommen.", "nie wieder vorkommen"),
    ("es", "Le aseguro que no volverá a pasar nunca.", "no volverá a pasar"),
    ("it", "Le garantisco che arriva domani.", "Le garantisco"),
]


@pytest.mark.parametrize(("lang", "text", "match"), PROMISES, ids=[p[2] for p in PROMISES])
def test_a_guarantee_about_what_the_seller_does_not_control_is_reported(
    matches: Matches, lang: str, text: str, match: str
) -> None:
    assert match in matches(RULE, text, lang)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "It should arrive by Friday."),
        ("en", "We've added extra padding so that it doesn't happen again."),
        ("en", "We've taken steps to make sure this won't happen again."),
        ("en", "I guarantee you a full refund if it doesn't arrive."),
        ("en", "Our perfumes are 100% authentic."),
        ("en", "I've refunded 100% of the order."),
        ("en", "Every order is covered by the Amazon A-to-z Guarantee."),
        ("en", "I can't guarantee it will arrive by Friday, but I've upgraded the shipping."),
        ("en", "I can't promise it will never happen again, but we've changed our courier."),
        ("fr", "Nous avons renforcé l'emballage pour que cela ne se reproduise plus."),
        ("de", "Wir haben die Verpackung verbessert, damit das nicht wieder vorkommt."),
        ("de", "Ich kann nicht versprechen, dass das nie wieder passiert."),
        ("es", "Hemos reforzado el embalaje para que no vuelva a ocurrir."),
        ("it", "Abbiamo rinforzato l'imballo perché non succeda più."),
    ],
)
def test_expectations_aims_and_controlled_guarantees_are_not_over_promises(
    matches: Matches, lang: str, text: str
) -> None:
    assert matches(RULE, text, lang) == []
