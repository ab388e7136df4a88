"""Whatever the draft, a rewrite never crashes, never scores lower, never loses a fact."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replylint.engine import Linter
from replylint.rewrite import RewriteOptions, rewrite
from replylint.rewrite.facts import missing_facts
from replylint.rewrite.guardrails import draft_facts
from replylint.schema import InputRecord

_SENTENCES = st.sampled_from(
    [
        "Hi Sam,",
        "You need to send the item back first.",
        "Please contact the carrier.",
        "As clearly stated in the listing, it only fits UK sockets.",
        "We cannot refund opened items.",
        "I guarantee it arrives tomorrow.",
        "Email me at shop@example.com or call 07700 900123.",
        "Visit www.example-shop.com for 10% off your next order!",
        "Please leave us a 5-star review if you're happy.",
        "Your order 112-8846120-5518623 shipped on 14/06/2024.",
        "I've refunded €24.99 today.",
        "Hello [Customer Name],",
        "Tracking: 1Z999AA10123456784.",
        "Thanks for your patience.",
        "Sorry for any inconvenience.",
        "Best,\nTom",
        "\n\n",
    ]
)
_BUYERS = st.sampled_from(
    [
        None,
        "My mug arrived chipped.",
        "Where is my parcel? It's a week late.",
        "Do you ship to Canada?",
        "Thanks!",
    ]
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_SENTENCES, min_size=1, max_size=7), _BUYERS, st.sampled_from(["amazon", "ebay", "shopify"]))
def test_rewrite_is_never_worse_and_keeps_facts(
    linter: Linter, parts: list[str], buyer: str | None, marketplace: str
) -> None:
    text = " ".join(parts).strip() or "Thanks."
    record = InputRecord(text=text, buyer_message=buyer, marketplace=marketplace, lang="en")
    before = linter.check(record)
    response = rewrite(record, linter=linter, options=RewriteOptions(engine="offline"))

    assert response.result.score >= before.score
    assert response.text.strip()
    assert not missing_facts(draft_facts(record, before), response.text, "en")
    assert linter.check(record.model_copy(update={"text": response.text})).score == response.result.score
