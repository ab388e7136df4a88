"""The linear-time versions of the sentence-window and word-distance look-ups give the
same hits as the pairwise comparisons they replaced, on every rule's own examples."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robust_settings import ROBUST

from replylint.engine import Analysis, Linter
from replylint.matching import Hit, LanguagePack

LANGS = ("en", "fr", "de", "es", "it")


def _examples_text(linter: Linter, lang: str) -> str:
    """Every example of every rule in ``lang``, one per line: many sentences, many
    rules firing near and far from their ``requires``/``excludes`` patterns."""
    texts = [
        ex.text for rule in linter.catalogue.rules.values() for ex in rule.all_examples() if ex.lang == lang
    ]
    return "\n".join(texts)


def _pairwise_near(
    pack: LanguagePack, found: dict[int, list[Hit]], n: int, sent: int, analysis: Analysis
) -> bool:
    window = pack.entries[n].spec.window
    if window == "text":
        return bool(found.get(n))
    return any(abs(analysis.sentence_of(h.start) - sent) <= window for h in found.get(n, ()))


def _spans(hits: list[Hit]) -> list[tuple[int, int, Any]]:
    return [(h.start, h.end, h.pattern.model_dump_json() if h.pattern else None) for h in hits]


@pytest.mark.parametrize("lang", LANGS)
def test_sentence_windows_by_bisection_match_the_pairwise_comparison(
    linter: Linter, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _examples_text(linter, lang)
    assert text.count("\n") > 20
    analysis = Analysis(text, lang, linter.catalogue.profile("amazon"), linter.catalogue)
    pack = linter.pack(lang)
    found = pack.run(analysis)
    rules = [r for r, sections in pack.by_rule.items() if sections]
    fast = {r: _spans(pack.hits_for(r, analysis, found)) for r in rules}
    plain = dict(found)  # a plain dict takes the unmemoised path
    assert {r: _spans(pack.hits_for(r, analysis, plain)) for r in rules} == fast
    monkeypatch.setattr(
        pack, "_near", lambda f, n, sent, a: _pairwise_near(pack, f, n, sent, a), raising=True
    )
    assert {r: _spans(pack.hits_for(r, analysis, found)) for r in rules} == fast
    assert sum(map(len, fast.values())) > 20


@pytest.mark.parametrize("lang", LANGS)
def test_near_by_bisection_matches_the_scan_of_every_phrase(
    linter: Linter, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import replylint.checks.structure as structure

    text = _examples_text(linter, lang)
    calls = []

    def counted(starts: list[int]) -> Any:
        calls.append(len(starts))
        return itertools.pairwise(starts)

    def result() -> str:
        # the reply and, for the triage signals, the same text as the buyer's message
        return linter.check_text(text, lang=lang, buyer_message=text).model_dump_json()

    monkeypatch.setattr(structure, "pairwise", counted)
    fast = result()
    assert len(calls) > 10 and max(calls) > 3  # near.v1 ran, on several phrases at once
    monkeypatch.setattr(structure, "pairwise", lambda starts: [(1, 0)])  # "unsorted": scan them all
    assert result() == fast


def test_allowlists_on_parent_domains_give_the_answer_of_every_parent(linter: Linter) -> None:
    from replylint.checks.web import _allow_regex, domain_allowed

    lexicons = linter.catalogue.lexicons["all"]
    shipped = {d.lower() for name, words in lexicons.items() if name.endswith("_domains") for d in words}
    assert any(p.endswith(".*") for p in shipped)
    patterns = tuple(sorted(shipped | {"*.shop.example.com", "*.track.*", "ebay.co.uk"}))

    def every_parent(host: str, allow: tuple[str, ...]) -> bool:
        rx = _allow_regex(allow)
        assert rx is not None
        labels = host.split(".")
        return any(rx.fullmatch(".".join(labels[i:])) for i in range(len(labels) - 1))

    cores = {p.replace("*.", "").replace(".*", ".co.uk") for p in patterns}
    cores |= {p.replace("*.", "x_y.").replace(".*", ".de") for p in patterns}
    cores |= {"shop.example.com", "amazon.evil.com", "evil-amazon.com", "com", "a_b.c"}
    hosts = {f"{prefix}{core}" for core in cores for prefix in ("", "www.", "a.b.", "x_y.", "www." * 40)}
    lists = [patterns, *((p,) for p in patterns)]  # one pattern alone: its own bound
    answers = {(host, allow): domain_allowed(host, allow) for host in hosts for allow in lists}
    assert answers == {(host, allow): every_parent(host, allow) for host, allow in answers}
    assert 0 < sum(answers.values()) < len(answers)


_PIECES = [" ", "  ", "\n", "\t", "[", "]", "(", ")", "{", "}", "<", ">", "dot", "DOT", "punkt", "at"]
_PIECES += ["arroba", "@", "shop", "x", ".", "com", "[dot]", "(at)", "<punkt>", "{@}", "[ dot ]", "( AT )"]


@ROBUST
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_bracketed_dots_and_ats_are_found_where_a_bare_leading_space_run_finds_them(text: str) -> None:
    from replylint import normalise

    for guarded in (normalise._BRACKET_DOT, normalise._BRACKET_AT):
        bare = re.compile(guarded.pattern.removeprefix(normalise._RUN_START), guarded.flags)
        assert bare.pattern != guarded.pattern
        assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in bare.finditer(text)]


_EMAIL_PIECES = ["a", "bob", "x_y", "7", ".", "+", "-", "@", " at ", "(at)", "[ at ]", " dot ", "[dot]"]
_EMAIL_PIECES += ["(punto)", "com", "de", "co", "uk", " ", "\n", "é", "a@b.com", "bob(at)shop.de", ".x@y.org"]


@ROBUST
@given(st.lists(st.sampled_from(_EMAIL_PIECES), max_size=40).map("".join))
def test_redacted_addresses_are_the_matches_of_the_address_pattern_tried_everywhere(text: str) -> None:
    from replylint.rewrite import redaction

    expected = [m.span() for m in redaction._EMAIL.finditer(text)]
    assert [m.span() for m in redaction._emails(text)] == expected


_LINK_PIECES = ["https://shop.example.com/p?id=1", "www.shop.de", "shop.co.uk", "bob@shop.de", "a@b.com"]
_LINK_PIECES += ["https://x.com/a@b.de", "(see www.a.com)", "example.com/path", "e.g.", "Thanks.it"]
_LINK_PIECES += [" ", "\n", "x"]


def _links_compared_with_every_taken_span(analysis: Analysis) -> list[tuple[int, int, str]]:
    """find_links as it was: each candidate compared with every span taken so far."""
    from replylint.checks import web

    text = analysis.text
    taken = list(web.find_emails(analysis))
    links = []
    for rx in (web._SCHEME_URL, web._WWW_URL, web._BARE_DOMAIN):
        for m in rx.finditer(text):
            start, end = m.start(), web._strip_trailing(text, m.start(), m.end())
            if end <= start or any(a < end and start < b for a, b in taken):
                continue
            url = text[start:end]
            if rx is web._BARE_DOMAIN:
                host = url.split("/", 1)[0]
                tld = host.rsplit(".", 1)[-1]
                if not (tld.islower() or host.isupper()) or web._missing_space(analysis, host, text, end):
                    continue
            taken.append((start, end))
            links.append((start, end, web.host_of(url)))
    return sorted(links)


@ROBUST
@given(st.lists(st.sampled_from(_LINK_PIECES), max_size=30).map("".join))
def test_links_are_those_found_by_comparing_with_every_taken_span(linter: Linter, text: str) -> None:
    from replylint.checks.web import find_links

    analysis = Analysis(text or "x", "en", linter.catalogue.profile("amazon"), linter.catalogue)
    assert find_links(analysis) == _links_compared_with_every_taken_span(analysis)


_AMOUNT_PIECES = ["7", "77", "777", "1234", " ", ",", ".", "\u00a0", "$", "€", "EUR", "euros", "US$", "x"]


@ROBUST
@given(st.lists(st.sampled_from(_AMOUNT_PIECES), max_size=40).map("".join))
def test_amounts_kept_by_the_rewriter_are_the_matches_of_the_amount_pattern_tried_everywhere(
    text: str,
) -> None:
    from replylint.rewrite import facts

    expected = [m.span() for m in facts._AMOUNT.finditer(text)]
    assert [m.span() for m in facts._amounts(text)] == expected
