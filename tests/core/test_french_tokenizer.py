"""The fast French set-up tokenises exactly like spaCy's own French."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SAMPLES = [
    "Bonjour, c'est peut-être aujourd'hui qu'arrive l'entr'acte de New-York. Écrivez-moi !",
    "Je suis désolée : le colis n°6A12345678901 est arrivé abîmé… Voulez-vous un échange ?",
    "Les États-Unis, le hip-hop, le week-end, l'après-midi, grand-mère et porte-monnaie.",
    "Rendez-vous à Saint-Étienne-du-Rouvray ; c'est-à-dire vers 14h30, qu'en pensez-vous ?",
    "Pouvez-vous me confirmer l'adresse ? Je vous rembourse 12,50 € dès réception.",
    "Contactez-nous sur https://www.exemple.fr/aide ou via sav@exemple.fr, merci d'avance.",
]

_SCRIPT = """
import json, sys
mode = sys.argv[1]
texts = json.loads(sys.stdin.read())
if mode == "fast":
    from replylint._french import blank_french
    nlp = blank_french()
else:
    import spacy
    nlp = spacy.blank("fr")
print(json.dumps([[t.text for t in nlp(x)] for x in texts]))
"""


def _tokens(mode: str, texts: list[str]) -> list[list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT, mode],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_fast_french_tokenises_like_spacy() -> None:
    texts = list(SAMPLES)
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["lang"] == "fr":
                texts += [case["text"], case.get("buyer_message") or ""]
    assert _tokens("fast", texts) == _tokens("spacy", texts)
