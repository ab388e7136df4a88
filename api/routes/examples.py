"""Request examples shown in /docs (one click fills the body)."""

from __future__ import annotations

from typing import Any

from fastapi.openapi.models import Example

CHECK_EXAMPLES: dict[str, Example] = {
    "compliant": {
        "summary": "A good reply to a complaint",
        "value": {
            "id": "t-17",
            "text": "Hi Sam, I'm sorry the mug arrived chipped. I've checked your order and I can "
            "send a new one today or refund you in full. Which would you prefer?",
            "buyer_message": "My mug arrived chipped.",
            "marketplace": "amazon",
            "lang": "en",
        },
    },
    "external-link": {
        "summary": "A link and a coupon on Amazon",
        "value": {
            "id": "t-18",
            "text": "Thanks for your order! Visit www.my-shop.com and use code SAVE10 on your next purchase.",
            "marketplace": "amazon",
        },
    },
    "french": {
        "summary": "French, language detected",
        "value": {
            "text": "Bonjour, vous auriez dû vérifier la taille avant de commander. "
            "Contactez le transporteur.",
            "buyer_message": "Le colis n'est jamais arrivé et la taille ne va pas.",
            "lang": "auto",
        },
    },
    "pass-through": {
        "summary": "Extra fields are echoed back",
        "value": {
            "id": "t-19",
            "text": "Hallo, vielen Dank für Ihre Nachricht. Ich prüfe das sofort.",
            "lang": "de",
            "agent": "maria",
            "channel": "email",
        },
    },
}

BATCH_EXAMPLES: dict[str, Example] = {
    "two-replies": {
        "summary": "Two replies",
        "value": {
            "records": [
                CHECK_EXAMPLES["compliant"]["value"],
                CHECK_EXAMPLES["external-link"]["value"],
            ]
        },
    }
}

REWRITE_EXAMPLES: dict[str, Example] = {
    "cold-reply": {
        "summary": "A cold, deflecting reply",
        "value": {
            "text": "You should have checked the size chart. Contact the carrier about the delay.",
            "buyer_message": "The shoes are too small and the parcel was late.",
            "marketplace": "amazon",
            "lang": "en",
        },
    }
}


def values(examples: dict[str, Example]) -> list[Any]:
    return [e["value"] for e in examples.values()]
