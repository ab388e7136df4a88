"""contact-info: emails.v1, phones.v1 and handles.v1. Phone numbers in the five
countries' formats; never order ids, tracking numbers, ASINs, prices, dates, times,
sizes, postcodes or other identifiers."""

from __future__ import annotations

import pytest

from .conftest import Find

EMAILS = [
    ("en", "Write to care@lumina-home.com today.", "care@lumina-home.com"),
    ("en", "Write to care (at) lumina-home (dot) com.", "care (at) lumina-home (dot) com"),
    ("en", "Write to care[at]lumina-home[dot]co[dot]uk.", "care[at]lumina-home[dot]co[dot]uk"),
    ("en", "Write to care at lumina-home dot com.", "care at lumina-home dot com"),
    ("en", "Write to care @ lumina-home . com.", "care @ lumina-home . com"),
    ("fr", "Écrivez à contact(at)decoluxe(point)fr.", "contact(at)decoluxe(point)fr"),
    ("de", "Per Mail an service (at) kuechenwelt (punkt) de.", "service (at) kuechenwelt (punkt) de"),
    ("es", "Escriba a ventas(arroba)tienda(punto)es.", "ventas(arroba)tienda(punto)es"),
    ("it", "Scriva a info(chiocciola)negozio(punto)it.", "info(chiocciola)negozio(punto)it"),
]


@pytest.mark.parametrize(("lang", "text", "match"), EMAILS, ids=[e[2] for e in EMAILS])
def test_email_addresses_are_found_also_when_spelled_out(
    find: Find, lang: str, text: str, match: str
) -> None:
    assert match in {d.match for d in find("contact-info", text, lang)}


def test_a_marketplace_relay_address_is_not_the_sellers_contact(find: Find) -> None:
    assert find("contact-info", "Amazon forwards it from x7k2@marketplace.amazon.co.uk.") == []


PHONES = [
    ("en", "Call me on 07700 900123 today.", "07700 900123"),
    ("en", "Ring us: +44 20 7946 0958.", "+44 20 7946 0958"),
    ("en", "Freephone 0800 123 4567.", "0800 123 4567"),
    ("en", "Call +44 (0)20 7946 0958.", "+44 (0)20 7946 0958"),
    ("en", "Call (555) 123-4567 any time.", "(555) 123-4567"),
    ("en", "Call 1-800-123-4567.", "1-800-123-4567"),
    ("en", "Call me on 555-0143.", "555-0143"),
    ("fr", "Appelez-moi au 01 84 60 12 34.", "01 84 60 12 34"),
    ("fr", "Mon portable : 06.12.34.56.78", "06.12.34.56.78"),
    ("fr", "Au +33 6 12 34 56 78.", "+33 6 12 34 56 78"),
    ("de", "Rufen Sie an: 0151 23456789", "0151 23456789"),
    ("de", "Telefon 030/1234567", "030/1234567"),
    ("de", "Unter +49 (0)30 1234567 erreichbar.", "+49 (0)30 1234567"),
    ("es", "Llámeme al 600 12 34 56.", "600 12 34 56"),
    ("es", "Teléfono 91 123 45 67", "91 123 45 67"),
    ("es", "WhatsApp +34 612 345 678", "+34 612 345 678"),
    ("it", "Mi chiami al 333 123 4567.", "333 123 4567"),
    ("it", "Tel. 02 1234 5678", "02 1234 5678"),
    ("it", "Al +39 06 1234 5678.", "+39 06 1234 5678"),
]


@pytest.mark.parametrize(("lang", "text", "match"), PHONES, ids=[p[2] for p in PHONES])
def test_phone_numbers_in_each_countrys_format(find: Find, lang: str, text: str, match: str) -> None:
    assert match in {d.match for d in find("contact-info", text, lang)}


NOT_PHONES = {
    "amazon order id": ("en", "Your order 112-8846120-5518623 has shipped."),
    "ebay order id": ("en", "eBay order 12-34567-89012 is on its way."),
    "tracking numbers": ("en", "Tracking: 1Z999AA10123456784, RM123456785GB, 9400 1000 0000 0000 0000 00."),
    "dhl tracking": ("de", "Sendungsnummer 00340434161094042557."),
    "colissimo tracking": ("fr", "Numéro de suivi : 6A12345678901."),
    "asin": ("en", "The ASIN is B0C7K2L9QX."),
    "prices": ("en", "It costs £1,249.00, 1.249,00 € or 1 249,00 €."),
    "spanish price": ("es", "El importe de 1.249,00 € se ha devuelto hoy."),
    "dates": ("en", "Delivered 14/06/2024, 14.06.2024, 2024-06-14 or 14 06 2024."),
    "times and opening hours": ("en", "Open Mon-Fri 9-17, delivered at 14:30, 10:00-18:00."),
    "year range": ("en", "It fits the 2019-2023 models."),
    "sizes": ("en", "The size is 180 x 200 cm, or 40x80, and it weighs 2 500 g."),
    "italian size": ("it", "La tracolla è regolabile da 90 a 130 cm."),
    "postcodes": ("fr", "Livraison au 12 rue de la Paix, 75002 Paris."),
    "uk postcode": ("en", "Send it to SW1A 1AA, London."),
    "lot number": ("en", "Lot number 2024 0612 33 is printed on the box."),
    "italian lot number": ("it", "Il numero di lotto 2024 0612 33 è sul cavo."),
    "invoice number": ("de", "Die Rechnung Nr. 2024 0001 234 liegt bei."),
    "ean": ("en", "The EAN is 4006381333931."),
    "isbn": ("en", "The book is ISBN 978-3-16-148410-0."),
    "large counts": ("en", "We have sold 1 000 000 units."),
}


@pytest.mark.parametrize(("lang", "text"), NOT_PHONES.values(), ids=NOT_PHONES.keys())
def test_identifiers_amounts_dates_and_sizes_are_not_phone_numbers(find: Find, lang: str, text: str) -> None:
    assert find("contact-info", text, lang) == []


def test_social_handles_and_profile_links_are_contact_details(find: Find) -> None:
    found = {
        d.match
        for d in find("contact-info", "Find us on Instagram @lumina_home or instagram.com/lumina_home")
    }
    assert found == {"@lumina_home", "instagram.com/lumina_home"}
    assert {d.match for d in find("contact-info", "WhatsApp: wa.me/447700900123")} == {"wa.me/447700900123"}


def test_at_signs_in_prices_times_and_emails_are_not_handles(find: Find) -> None:
    assert find("contact-info", "Each costs @£5, we open @10am, count @ 5.") == []
    (d,) = find("contact-info", "Mail sales@lumina-home.com")
    assert d.match == "sales@lumina-home.com"
