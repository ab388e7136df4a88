"""A small version of bench/load_mixed.py: a seeded mix over every endpoint, no errors.

The bench sends 10,000 requests to a real server and watches its memory; here 60
requests go through the application in-process, so the suite stays fast.
"""

from __future__ import annotations

import random
from collections import Counter

from fastapi.testclient import TestClient

REPLIES = [
    "Hi Julia, sorry the mug arrived chipped. I can send a new one today or refund you. Tom",
    "Thanks for your order! Visit www.my-shop-example.com for 10% off your next one.",
    "Please leave us a 5-star review, we would appreciate it!",
    "Bonjour, désolé pour le retard. Nous vous renvoyons le colis aujourd'hui.",
    "Hallo, es tut uns leid. Wir erstatten Ihnen den vollen Betrag.",
]


def test_a_mixed_load_over_every_endpoint_has_no_errors(client: TestClient) -> None:
    rng = random.Random(10)
    rule_ids = [r["id"] for r in client.get("/v1/rules").json()]
    kinds = rng.choices(
        ["check", "batch", "rewrite", "rules", "rule", "healthz"], [50, 10, 10, 8, 7, 15], k=120
    )
    statuses: Counter[tuple[str, int]] = Counter()
    for i, kind in enumerate(kinds):
        body = {
            "id": f"r{i}",
            "text": f"{rng.choice(REPLIES)} #{rng.randrange(10**6)}",
            "marketplace": "amazon",
        }
        if kind == "check":
            response = client.post("/v1/check", json=body)
        elif kind == "batch":
            response = client.post("/v1/check/batch", json={"records": [body] * 3})
        elif kind == "rewrite":
            response = client.post("/v1/rewrite", json=body)
        elif kind == "rules":
            response = client.get("/v1/rules")
        elif kind == "rule":
            response = client.get(f"/v1/rules/{rng.choice(rule_ids)}")
        else:
            response = client.get("/healthz")
        statuses[(kind, response.status_code)] += 1
    assert {status for _, status in statuses} == {200}, statuses
    assert {kind for kind, _ in statuses} == {"check", "batch", "rewrite", "rules", "rule", "healthz"}
