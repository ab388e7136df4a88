"""Property-based tests over arbitrary Unicode and record shapes.

Texts mix arbitrary code points (lone surrogates, controls, private use …) with pieces
that make rules fire in five languages, emoji ZWJ sequences, combining marks, links and
look-alike letters, so that both the quiet path and every fixer get exercised. The
properties: nothing but a ReplylintError escapes (a clear refusal, never a crash);
every offset lies inside the text and between whole characters, and ``match`` is the
text at those offsets; linting is deterministic; applying the safe fixes never creates
an error that was not there. Example counts are bounded (robust_settings.py).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from robust_settings import ROBUST

from replylint.engine import Linter
from replylint.errors import ReplylintError
from replylint.fixes import apply_fixes
from replylint.schema import ResultRecord

PIECES = [
    "Please leave us a 5-star review! ",
    "Visit www.my-shop.com for 10% off. ",
    "Call me on +44 7700 900123 or write to bob@example.com. ",
    "That's not our fault, you should have read the description. ",
    "Laissez-nous un avis 5 étoiles, merci ! ",
    "Schreiben Sie uns auf WhatsApp: 0151 2345678. ",
    "Lascia una recensione positiva e ti rimborsiamo. ",
    "Escríbenos a ventas arroba mitienda punto es. ",
    "Hi [FIRST_NAME], sorry about {{order_id}}. ",
    "WE ARE VERY SORRY!!! ",
    "w w w . shop . co . uk ",
    "pаypal.com ",  # Cyrillic а
    "👩\u200d👩\u200d👧\u200d👦 ",
    "🏳️\u200d🌈",
    "cafe\u0301 nai\u0308ve ",
    "e\u0301\u0327\u0308",
    "\u200b\u2060\ufeff",
    "\r\n",
    "\n\n",
    "112-8846120-5518623 ",
    "ｆｕｌｌｗｉｄｔｈ ",
    "(((((",
    "…",
]

texts = st.lists(
    st.one_of(
        st.sampled_from(PIECES), st.text(max_size=40), st.text(st.characters(codec="utf-8"), max_size=20)
    ),
    min_size=1,
    max_size=12,
).map("".join)

# For the fixers: mostly pieces that draw diagnostics with fixes, some noise between.
fixable_texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(PIECES[:12]), st.text(max_size=10)),
    min_size=1,
    max_size=8,
).map("".join)

MARKETPLACES = ["amazon", "ebay", "walmart", "etsy", "shopify", "own-store", "Amazon", "", "nowhere"]
LANGS = ["en", "fr", "de", "es", "it", "auto", None, "EN", "pt", "xx", ""]


def _records() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"text": texts},
        optional={
            "id": st.one_of(st.text(max_size=10), st.integers()),
            "lang": st.sampled_from(LANGS),
            "marketplace": st.sampled_from(MARKETPLACES),
            "buyer_message": st.one_of(st.none(), texts),
            "agent": st.text(max_size=10),
            "template": st.booleans(),
        },
    )


def _lint(linter: Linter, record: dict[str, Any]) -> ResultRecord | None:
    """The result, or None when the record is refused with a clear error."""
    try:
        return linter.check(record)
    except ReplylintError as exc:
        assert str(exc).strip()
        return None
    except ValueError as exc:  # pydantic's ValidationError: a record of the wrong shape
        assert type(exc).__name__ == "ValidationError", repr(exc)
        return None


def _between_characters(text: str, i: int) -> bool:
    """``i`` does not split a character cluster: not before a combining mark, a
    variation selector or a zero-width joiner, and not just after a joiner."""
    if i == 0 or i == len(text):
        return True
    nxt, prev = text[i], text[i - 1]
    if unicodedata.combining(nxt) or nxt == "\u200d" or "\ufe00" <= nxt <= "\ufe0f" or prev == "\u200d":
        return False
    return not ("\ud800" <= prev <= "\udbff" and "\udc00" <= nxt <= "\udfff")


@ROBUST
@given(record=_records())
def test_any_record_is_linted_or_refused_clearly_with_offsets_inside_the_text(
    linter: Linter, record: dict[str, Any]
) -> None:
    result = _lint(linter, record)
    if result is None:
        return
    text = record["text"]
    for d in result.diagnostics:
        assert 0 <= d.start <= d.end <= len(text), d
        assert d.match == text[d.start : d.end], d
        assert _between_characters(text, d.start) and _between_characters(text, d.end), (
            d.rule,
            d.start,
            d.end,
        )
        if d.fix is not None:
            start = d.fix.start if d.fix.start is not None else d.start
            end = d.fix.end if d.fix.end is not None else d.end
            assert 0 <= start <= end <= len(text), d


@ROBUST
@given(record=_records())
def test_linting_is_deterministic(linter: Linter, record: dict[str, Any]) -> None:
    first = _lint(linter, record)
    assert _lint(linter, dict(record)) == first


@ROBUST
@given(text=fixable_texts, lang=st.sampled_from(["en", "fr", "de", "es", "it"]))
def test_safe_fixes_never_create_a_new_error(linter: Linter, text: str, lang: str) -> None:
    before = _lint(linter, {"text": text, "lang": lang})
    if before is None:
        return
    fixed, applied = apply_fixes(text, before.diagnostics)
    if not applied or not fixed.strip():
        return
    after = _lint(linter, {"text": fixed, "lang": lang})
    assert after is not None, f"the fixed text is refused: {fixed!r}"
    errors_before = {d.rule for d in before.diagnostics if d.severity == "error"}
    new = sorted({d.rule for d in after.diagnostics if d.severity == "error"} - errors_before)
    assert not new, f"fixes created {new} in {fixed!r}"


def test_removing_an_emoji_does_not_join_an_at_sign_to_the_next_word(linter: Linter) -> None:
    # found by a 2,500-example run of test_safe_fixes_never_create_a_new_error
    text = "@ 🏳️\u200d🌈Please leave us a 5-star review! "
    before = linter.check_text(text, lang="en")
    fixed, _ = apply_fixes(text, before.diagnostics)
    after = linter.check_text(fixed, lang="en")
    assert {d.rule for d in after.diagnostics} <= {d.rule for d in before.diagnostics}, fixed
