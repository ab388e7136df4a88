"""A long-running process stays bounded: fresh tokens in every reply (order numbers,
names, amounts) must not grow the spaCy vocabulary and the caches for ever.

The limit is set small here so that a few thousand short replies recycle each
pipeline several times; the default is in replylint/nlp.py.
"""

from __future__ import annotations

import random
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


def test_fresh_tokens_keep_the_vocabulary_and_caches_under_the_limit(small_limit: int) -> None:
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


def test_a_doc_outlives_the_recycling_of_its_pipeline(small_limit: int) -> None:
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
