"""external-link (urls.v1): links and bare domains, also disguised, outside the
profile's allowlist; never order ids, prices, decimals, abbreviations, file names,
run-together sentences or email addresses."""

from __future__ import annotations

import pytest

from .conftest import Find

FIRES = [
    (
        "en",
        "The manual is at https://www.lumina-home.com/manuals/x2.pdf today.",
        "https://www.lumina-home.com/manuals/x2.pdf",
    ),
    ("en", "See www.lumina-home.co.uk/care for details.", "www.lumina-home.co.uk/care"),
    ("en", "Our guide: lumina-home.com/guide", "lumina-home.com/guide"),
    ("en", "Upper case works too: WWW.LUMINA-HOME.COM", "WWW.LUMINA-HOME.COM"),
    ("en", "Short link: bit.ly/3xYzAb", "bit.ly/3xYzAb"),
    ("en", "See shop [dot] example [dot] com for more.", "shop [dot] example [dot] com"),
    ("en", "See shop(.)example(.)com for more.", "shop(.)example(.)com"),
    ("en", "Type www . oakline . co . uk / assembly into your browser.", "www . oakline . co . uk"),
    ("en", "You will find it on lumina-home dot com.", "lumina-home dot com"),
    ("fr", "Tout est sur boutique-lin [point] fr.", "boutique-lin [point] fr"),
    ("de", "Die Anleitung finden Sie auf moebel-wunder.de/anleitung.", "moebel-wunder.de/anleitung"),
    ("es", "Lo tiene en tiendaluz(punto)es.", "tiendaluz(punto)es"),
    ("it", "Il tutorial è su youtu.be/Rt7kLm2Qx9w.", "youtu.be/Rt7kLm2Qx9w"),
]


@pytest.mark.parametrize(("lang", "text", "match"), FIRES, ids=[f[2] for f in FIRES])
def test_links_and_disguised_domains_are_reported(find: Find, lang: str, text: str, match: str) -> None:
    assert match in {d.match for d in find("external-link", text, lang)}


PASSES = {
    "amazon domain": ("en", "The manual is on https://www.amazon.co.uk/dp/B0C7K2L9QX and amzn.to/3abc."),
    "carrier tracking": (
        "en",
        "Track it on https://www.ups.com/track?tracknum=1Z999AA10123456784 or royalmail.com.",
    ),
    "carrier in french": ("fr", "Suivez votre colis sur laposte.fr ou www.colissimo.fr."),
    "carrier in german": ("de", "Die Sendung können Sie auf dhl.de verfolgen."),
    "carrier in spanish": ("es", "Puede seguir el envío en correos.es."),
    "carrier in italian": ("it", "Lo può seguire su poste.it o brt.it."),
    "order id": ("en", "Your order 112-8846120-5518623 shipped today."),
    "prices and decimals": ("en", "It costs £12.99, or 1.249,00 € with the 2.5 kg stand."),
    "abbreviations": ("en", "Some sizes, e.g. the 5 L one, i.e. the family size, ship at 9 a.m. daily."),
    "german abbreviation": ("de", "Z.B. die große Variante, d.h. 5 Liter."),
    "italian titles": ("it", "Gentile Sig.ra Rossi, la Dott.ssa Bianchi le risponderà."),
    "file names": ("en", "I've attached manual_v2.pdf and IMG_2034.jpg to this message."),
    "missing space, capital": ("en", "Thank you.It arrived today."),
    "missing space, lower case": ("en", "So sorry.in the meantime I've refunded the postage."),
    "missing space, italian": ("it", "Grazie mille.Il pacco arriva domani."),
    "email is not a link": ("en", "Write to support@lumina-home.com"),
    "version numbers": ("en", "Firmware 2.4.1 fixes it."),
}


@pytest.mark.parametrize(("lang", "text"), PASSES.values(), ids=PASSES.keys())
def test_allowlisted_domains_and_look_alikes_are_not_links(find: Find, lang: str, text: str) -> None:
    assert find("external-link", text, lang) == []


def test_each_profile_allows_its_own_marketplace_and_no_other(find: Find) -> None:
    assert find("external-link", "See https://www.etsy.com/listing/123", marketplace="etsy") == []
    assert find("external-link", "See https://www.etsy.com/listing/123", marketplace="amazon")
    assert find("external-link", "See www.ebay.co.uk/itm/1234", marketplace="ebay") == []
    assert find("external-link", "See www.ebay.co.uk/itm/1234", marketplace="amazon")
    assert find("external-link", "See walmart.com/ip/123", marketplace="walmart") == []


def test_the_match_points_at_the_original_text_of_a_disguised_link(find: Find) -> None:
    text = "Details: shop [dot] example [dot] com, thanks."
    (d,) = find("external-link", text)
    assert text[d.start : d.end] == "shop [dot] example [dot] com"
    assert d.fix is not None and d.fix.safe
