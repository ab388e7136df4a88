"""Drafts and buyer messages the LLM cassettes were recorded for."""

BUYER = "My mug arrived chipped. Order 112-8846120-5518623."
DRAFT = (
    "Hi Sam,\n\nYou need to send us photos of the mug from order 112-8846120-5518623 first. "
    "Call me on 07700 900123 and we can sort it out.\n\nBest,\nTom"
)
FR_BUYER = "Le vase est arrivé cassé."
FR_DRAFT = (
    "Bonjour Claire, vous devez contacter le transporteur, ce n'est pas de notre ressort. Cordialement, Hugo"
)
