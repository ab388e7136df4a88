"""A long-running process stays bounded: fresh tokens in every reply (order numbers,
names, amounts) must not grow the spaCy vocabulary and the caches for ever.

Two mechanisms (replylint/nlp.py): a lint runs in spaCy memory zones, which free the
strings of words seen once; work beside other work (a rewrite in flight) runs
without, and the vocabulary limit recycles a grown pipeline. The limit is set small
here so that a few thousand short replies recycle each pipeline several times.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator

import pytest

from replylint import nlp
from replylint.engine import Linter

LIMIT = nlp.MIN_VOCAB_LIMIT


@pytest.fixture
def small_limit() -> Iterator[int]:
    previous = nlp.set_vocab_limit(LIMIT)
    try:
        yield LIMIT
    finally:
        nlp.set_vocab_limit(previous)


def fresh_reply(i: int, rng: random.Random) -> dict[str, str]:
    """A short reply with a dozen words no earlier reply had."""

    def order() -> str:
        return f"{rng.randrange(100, 999)}-{rng.randrange(10**6, 10**7)}-{rng.randrange(10**6, 10**7)}"

    names = " ".join(f"{rng.choice(['Julia', 'Marco', 'Sophie', 'Lukas'])}{i}x{k}" for k in range(4))
    cents = rng.randrange(100)
    return {
        "id": str(i),
        "text": f"Hi {names}, orders #{order()}, #{order()} and #{order()} ship today. "
        f"Refunds of {i}.{cents:02d} and {i + 1}.{cents:02d} are done.",
        "lang": "en",
        "marketplace": "amazon",
    }


PROBES = [
    {"id": "p1", "text": "Email me at shop@example.com and leave us 5 stars!", "lang": "en"},
    {
        "id": "p2",
        "text": "Sorry for the delay. We will refund your order 113-5553331-0987654 today.",
        "buyer_message": "Where is my parcel? I want my money back.",
        "lang": "en",
    },
]


@pytest.fixture
def no_zones() -> Iterator[None]:
    previous = nlp.memory_zones(False)
    try:
        yield
    finally:
        nlp.memory_zones(previous)


def test_fresh_tokens_keep_the_vocabulary_and_caches_under_the_limit(
    small_limit: int, no_zones: None
) -> None:
    linter = Linter()
    before = [linter.check(p).model_dump_json() for p in PROBES]
    recycles = nlp.recycle_count("en")
    rng = random.Random(5)
    most = 0
    for i in range(500):
        linter.check(fresh_reply(i, rng))
        growth = nlp.vocab_growth("en")
        most = max(most, growth)
        # A pipeline is recycled when the next record starts, so one reply's strings
        # may go over the limit for the time of that reply.
        assert growth <= small_limit + 100, f"reply {i}: vocabulary grew by {growth}"
        lemmatizer = nlp.pipeline("en").get_pipe("replylint_lemmatizer")
        assert len(lemmatizer.cache) <= small_limit + 100
        assert len(nlp._seen_words.get("en", ())) <= small_limit + 100
    assert nlp.recycle_count("en") - recycles >= 3, "the pipeline was never rebuilt"
    assert most > small_limit / 2  # the replies did bring fresh strings
    # A recycled process answers exactly as a fresh one.
    assert [linter.check(p).model_dump_json() for p in PROBES] == before


def test_a_doc_outlives_the_recycling_of_its_pipeline(small_limit: int, no_zones: None) -> None:
    doc = nlp.make_doc("Parcels 41-9922-X7 shipped to Rotterdam", "en")
    old = nlp.pipeline("en")
    for i in range(small_limit + 10):
        old.vocab.strings.add(f"filler-{i}")
    with nlp.in_use():  # entering the first operation recycles the grown pipeline
        assert nlp.pipeline("en") is not old
    assert not nlp.is_current(old)
    assert [t.text for t in doc][-1] == "Rotterdam"
    assert doc[0].lemma_ == "parcel"


def test_nothing_is_recycled_while_work_is_in_progress(small_limit: int) -> None:
    with nlp.in_use():
        old = nlp.pipeline("en")
        for i in range(small_limit + 10):
            old.vocab.strings.add(f"busy-{i}")
        with nlp.in_use():  # nested: the outer operation still holds the pipeline
            assert nlp.pipeline("en") is old
    with nlp.in_use():
        assert nlp.pipeline("en") is not old


def test_the_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_VOCAB_LIMIT", "12345")
    assert nlp._env_limit() == 12345
    monkeypatch.setenv("REPLYLINT_VOCAB_LIMIT", "10")
    assert nlp._env_limit() == nlp.MIN_VOCAB_LIMIT  # lower would rebuild on every reply
    monkeypatch.setenv("REPLYLINT_VOCAB_LIMIT", "0")
    assert nlp._env_limit() == 0  # never recycle
    monkeypatch.setenv("REPLYLINT_VOCAB_LIMIT", "lots")
    assert nlp._env_limit() == nlp.DEFAULT_VOCAB_LIMIT


# -- memory zones ------------------------------------------------------------------------


def test_in_memory_zones_fresh_tokens_leave_no_strings_behind() -> None:
    linter = Linter()
    rng = random.Random(7)
    for i in range(20):  # the replies' recurring words are kept after their second time
        linter.check(fresh_reply(i, rng))
    recycles = nlp.recycle_count("en")
    start = len(nlp.pipeline("en").vocab.strings)
    for i in range(20, 420):
        linter.check(fresh_reply(i, rng))
    grown = len(nlp.pipeline("en").vocab.strings) - start
    assert nlp.recycle_count("en") == recycles
    # 400 replies brought ~6,000 strings seen once (names, order numbers, amounts).
    assert grown < 100, f"the vocabulary kept {grown} strings"


def test_without_zones_the_same_replies_grow_the_vocabulary(no_zones: None) -> None:
    linter = Linter()
    rng = random.Random(7)
    start = len(nlp.pipeline("en").vocab.strings)
    for i in range(100):
        linter.check(fresh_reply(i, rng))
    assert len(nlp.pipeline("en").vocab.strings) - start > 1000  # what the zones prevent


def test_zones_give_the_same_results_with_rules_compiled_inside_them() -> None:
    """A fresh linter compiles its packs and word lists during its first lint, inside
    the zone; texts holding words equal to matcher keys ("12") must not free them."""
    texts = [
        {
            "text": "Order 12 and 13: item 7, 8 and 9 are back. Leave 5 stars at www.shop.example!",
            "lang": "en",
        },
        {
            "text": "Ci scusiamo: il rimborso 14 è partito. Ci dica se va bene.",
            "lang": "it",
            "buyer_message": "Il pacco 12 non è mai arrivato, apro una richiesta A-to-z.",
        },
        {
            "text": "Wir erstatten 12 Euro. Passt das für Sie?",
            "lang": "de",
            "buyer_message": "Paket 3 kaputt",
        },
    ]
    previous = nlp.memory_zones(False)
    try:
        expected = [Linter().check(t).model_dump_json() for t in texts]
    finally:
        nlp.memory_zones(previous)
    zoned = Linter()
    for _ in range(3):
        assert [zoned.check(t).model_dump_json() for t in texts] == expected


def test_threads_linting_at_once_get_the_results_of_one_at_a_time() -> None:
    linter = Linter()
    rng = random.Random(11)
    records = [fresh_reply(i, rng) for i in range(60)] + PROBES * 10
    expected = [linter.check(r).model_dump_json() for r in records]
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(start: int) -> None:
        try:
            for k in range(start, len(records), 4):
                results[k] = linter.check(records[k]).model_dump_json()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [results[k] for k in range(len(records))] == expected


def test_work_in_progress_keeps_its_docs_while_another_thread_lints() -> None:
    """A rewrite holds Docs across its lints (in_use without a zone); a lint starting
    beside it must not open a zone that would free them."""
    linter = Linter()
    held = threading.Event()
    done = threading.Event()
    seen: list[str] = []

    def rewrite_like() -> None:
        with nlp.in_use():
            doc = nlp.make_doc("Parcel Kx7-55012 for Ms Quibbleworth arrived", "en")
            held.set()
            done.wait(timeout=30)
            seen.extend(t.text for t in doc)

    thread = threading.Thread(target=rewrite_like)
    thread.start()
    assert held.wait(timeout=30)
    rng = random.Random(3)
    records = [fresh_reply(i, rng) for i in range(30)]
    for record in records:
        linter.check(record)
    # No zone was opened beside the work in progress: the replies' strings are kept.
    strings = nlp.pipeline("en").vocab.strings
    assert all(record["text"].split()[1] in strings for record in records)
    done.set()
    thread.join()
    assert seen[-2:] == ["Quibbleworth", "arrived"]


def test_zones_can_be_turned_off_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_MEMORY_ZONES", "0")
    assert nlp._env_zones() is False
    monkeypatch.setenv("REPLYLINT_MEMORY_ZONES", "1")
    assert nlp._env_zones() is True


def test_a_word_whose_id_is_reserved_survives_zones() -> None:
    """ "IS_ALPHA" is a spaCy symbol with the id 1, which a zone failed to free cleanly:
    the next text holding it read a freed lexeme."""
    linter = Linter()
    linter.check({"text": "The pipeline exists before the zones.", "lang": "en"})
    for i in range(3):
        result = linter.check({"text": f"IS_ALPHA IS_ASCII ORTH {i} zzq{i}", "lang": "en"})
        assert result.diagnostics is not None
        for k in range(30):  # reuse the freed memory
            linter.check({"text": f"Parcel qq{i}x{k} arrived", "lang": "en"})


def test_an_offline_rewrite_inside_a_zone_gives_the_same_draft() -> None:
    """The API queues offline rewrites on its lint thread, in memory zones: the rewrite
    keeps its analysed texts across its lints, all inside the one zone."""
    from replylint.rewrite import rewrite
    from replylint.schema import InputRecord

    linter = Linter()
    record = InputRecord(
        text="Not our fault, contact the carrier. Email me at shop@example.com for 10% off.",
        buyer_message="My order 402-7788123-5512 never arrived, I want a refund.",
        lang="en",
    )
    previous = nlp.memory_zones(False)
    try:
        expected = rewrite(record, linter=linter).model_dump_json()
    finally:
        nlp.memory_zones(previous)
    for _ in range(2):
        with nlp.in_use(zone=True):
            assert rewrite(record, linter=linter).model_dump_json() == expected
