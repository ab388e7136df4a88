"""Small exports for the batch and report tests, and running the CLI in-process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPLIES: list[tuple[str, str, str]] = [
    (
        "en",
        "My mug arrived chipped.",
        "Hi Sam, I'm sorry the mug arrived chipped. I can send a new one today or refund you in full. "
        "Which would you prefer?",
    ),
    ("en", "Where is my parcel?", "Write to me at shop@example.com or visit www.my-shop.com for a discount."),
    ("en", "Thanks, it arrived!", "Thank you for letting us know, enjoy the headphones!"),
    (
        "fr",
        "Le colis n'est jamais arrivé.",
        "Bonjour, je suis désolé que le colis ne soit pas arrivé. Je vous rembourse aujourd'hui. "
        "Souhaitez-vous plutôt un renvoi ?",
    ),
    ("de", "Wo ist meine Bestellung?", "Hallo, schreiben Sie uns an info@laden.de, dann klären wir das."),
    ("es", "¿Tienen la talla M?", "Hola, sí, la talla M está disponible. ¡Gracias por su mensaje!"),
    ("it", "Il prodotto è rotto.", "Deve contattare il corriere, non è colpa nostra."),
    ("en", "It broke after a day.", "You must have misused it. Contact the manufacturer."),
]


def make_records(n: int, *, with_meta: bool = True) -> list[dict[str, Any]]:
    """``n`` records cycling through :data:`REPLIES`, with agents, orders and times."""
    out = []
    for i in range(n):
        lang, buyer, text = REPLIES[i % len(REPLIES)]
        rec: dict[str, Any] = {"id": f"r-{i:04d}", "text": text, "buyer_message": buyer, "lang": lang}
        if with_meta:
            day = 1 + i % 21
            rec.update(
                agent=("Maya", "Tom", "Lena")[i % 3],
                order_id=f"114-{i % 7:07d}",
                buyer_id=f"b{i % 5}",
                created_at=f"2024-03-{day:02d}T09:00:00Z",
                replied_at=f"2024-03-{day:02d}T{10 + i % 9:02d}:15:00Z",
            )
        out.append(rec)
    return out


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@dataclass
class Run:
    code: int
    out: str
    err: str
