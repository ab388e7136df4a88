"""The memory-mapped lemma store: same answers as the shipped tables, and a cache file
that survives version changes, damage, an unwritable folder and concurrent builders."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from replylint import lemmas
from replylint.languages import SUPPORTED_LANGS
from replylint.lemmas import LemmaStore, build_trie, open_store, read_source, store_name, verify_store
from replylint.nlp import lemma_table, lookup_lemma

#: A small table with every shape a value can take, for the cache mechanics.
SMALL: dict[str, Any] = {
    "houses": "house",
    "Paket": "Paket",
    "pakete": "paket",
    "garantis": ["garantir"],
    "fue": ["ser", "ir"],
    "vide": [],
    "rien": "",
    "\x01odd": "\x01tagged",
    "tagged": ["\x02x"],
    "zürich": "Zürich",
}


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(lemmas, "read_source", lambda lang: dict(SMALL))
    return SMALL


def _store(table: dict[str, Any]) -> LemmaStore:
    trie, entries = build_trie(table)
    return LemmaStore(trie, entries)


# -- the shipped tables ---------------------------------------------------------------------


def _first(value: Any) -> str:
    return (value if isinstance(value, str) else (value[0] if value else "")).lower()


@pytest.mark.slow
@pytest.mark.parametrize("lang", sorted(SUPPORTED_LANGS))
def test_every_shipped_form_has_the_same_value_lemma_and_lemma_index(lang: str) -> None:
    table = read_source(lang)
    assert table
    store = lemma_table(lang)
    assert len(store) == len(table)
    # Compared in bulk (an assert per form would triple the run time); the first
    # difference is named.
    wrong = [form for form, value in table.items() if store.get(form) != value]
    assert not wrong, wrong[:5]
    wrong = [form for form in table if lookup_lemma(store, form) != lookup_lemma(table, form)]
    assert not wrong, wrong[:5]
    # What the spelling repairer reads: which words are lemmas, which forms inflect them.
    forms: dict[str, set[str]] = {}
    for form, value in table.items():
        if value:
            forms.setdefault(_first(value), set()).add(form.lower())
    wrong = [lemma for lemma in forms if not store.has_lemma(lemma)]
    assert not wrong, wrong[:5]
    wrong = [lemma for lemma, expected in forms.items() if set(store.forms_of(lemma)) != expected]
    assert not wrong, wrong[:5]
    assert not store.has_lemma("qqqq-not-a-lemma")


@pytest.mark.parametrize("lang", sorted(SUPPORTED_LANGS))
def test_case_variants_of_shipped_forms_lemmatise_as_before(lang: str) -> None:
    """The lowercase / as written / capitalised fallbacks, on a sample of every table."""
    table = read_source(lang)
    assert table
    store = lemma_table(lang)
    for form in list(table)[::97]:
        for text in (form, form.upper(), form.capitalize(), form.title(), form + "x"):
            assert lookup_lemma(store, text) == lookup_lemma(table, text), text
            assert (text in store) == (text in table), text


# -- reading ----------------------------------------------------------------------------------


def test_values_come_back_exactly_as_shipped() -> None:
    store = _store(SMALL)
    assert dict(store) == SMALL
    assert sorted(store) == sorted(SMALL)
    assert len(store) == len(SMALL)
    assert store["fue"] == ["ser", "ir"] and store.get("vide") == [] and store.get("rien") == ""
    assert store.get("missing") is None and store.get("missing", "d") == "d"
    with pytest.raises(KeyError):
        store["missing"]


@pytest.mark.parametrize(
    "text",
    [
        "houses",
        "Houses",
        "HOUSES",
        "paket",
        "Pakete",
        "fue",
        "vide",
        "Vide",
        "rien",
        "RIEN",
        "zürich",
        "nope",
        "",
    ],
)
def test_lookup_lemma_falls_back_like_the_dict(text: str) -> None:
    assert lookup_lemma(_store(SMALL), text) == lookup_lemma(SMALL, text)


def test_keys_marisa_cannot_hold_are_simply_not_found() -> None:
    table = {"a\x00b": "x", "ok": "fine", "sur\udc80": "y", "val": "nul\x00in"}
    store = _store(table)
    assert store.get("ok") == "fine" and store.get("val") == "nul\x00in"
    for key in ("a\x00b", "a\x00", "sur\udc80", "\udc80"):
        assert key not in store and store.get(key) is None and lookup_lemma(store, key) == key.lower()
    assert 3 not in store  # type: ignore[comparison-overlap]


def test_lemma_index_holds_first_lemmas_of_non_empty_values() -> None:
    store = _store(SMALL)
    assert store.has_lemma("garantir") and store.has_lemma("ser") and not store.has_lemma("ir")
    assert sorted(store.forms_of("paket")) == ["paket", "pakete"]
    assert store.forms_of("zürich") == ["zürich"]
    assert not store.has_lemma("") and store.forms_of("") == []  # "vide" and "rien" have no lemma


def test_languages_without_a_table_get_an_empty_store() -> None:
    store = lemma_table("xx")
    assert len(store) == 0 and "a" not in store and lookup_lemma(store, "Word") == "word"


# -- the cache file -----------------------------------------------------------------------------


def test_store_is_built_once_then_memory_mapped(tmp_path: Path, small: dict[str, Any]) -> None:
    first = open_store("fr", tmp_path)
    assert first.path == tmp_path / store_name("fr") and first.path.exists()
    assert first.path.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "CACHEDIR.TAG").exists()
    mtime = first.path.stat().st_mtime_ns
    second = open_store("fr", tmp_path)
    assert second.path == first.path and second.path.stat().st_mtime_ns == mtime
    assert dict(second) == small
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_user_cache_dir_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(lemmas.ENV_VAR, str(tmp_path / "mine"))
    assert lemmas.store_dir() == tmp_path / "mine" / "lemmas"
    monkeypatch.delenv(lemmas.ENV_VAR)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert lemmas.store_dir() == tmp_path / "xdg" / "replylint" / "lemmas"


def test_a_new_data_or_format_version_builds_a_new_file(
    tmp_path: Path, small: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = open_store("de", tmp_path).path
    monkeypatch.setattr(lemmas, "data_version", lambda: "9.9.9")
    newer = open_store("de", tmp_path).path
    monkeypatch.setattr(lemmas, "FORMAT_VERSION", lemmas.FORMAT_VERSION + 1)
    newest = open_store("de", tmp_path).path
    assert old is not None and newer is not None and newest is not None
    assert len({old, newer, newest}) == 3 and "9.9.9" in newer.name
    assert all(p.exists() for p in (old, newer, newest))
    assert verify_store(newest) == len(small)


def test_a_file_of_another_format_version_is_not_trusted(
    tmp_path: Path, small: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = open_store("de", tmp_path).path
    assert path is not None
    monkeypatch.setattr(lemmas, "FORMAT_VERSION", lemmas.FORMAT_VERSION + 1)
    assert verify_store(path) is None


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "payload byte flipped":
        data[len(data) // 3] ^= 0xFF
    elif how == "trailer cut":
        data = data[:-5]
    elif how == "empty":
        data = bytearray()
    elif how == "garbage":
        data = bytearray(b"not a lemma store at all" * 100)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "payload byte flipped", "trailer cut", "empty", "garbage"])
def test_a_damaged_cache_file_is_detected_and_rebuilt(
    tmp_path: Path, small: dict[str, Any], how: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = open_store("es", tmp_path).path
    assert path is not None
    _damage(path, how)
    assert verify_store(path) is None
    with caplog.at_level(logging.INFO, logger="replylint.lemmas"):
        store = open_store("es", tmp_path)
    assert dict(store) == small
    assert store.path == path and verify_store(path) == len(small)
    assert "rebuilding" in caplog.text


def test_an_unwritable_cache_dir_falls_back_to_memory_with_one_warning(
    tmp_path: Path, small: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(lemmas, "_warned_unwritable", False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")  # even root cannot create a folder inside a file
    with caplog.at_level(logging.WARNING, logger="replylint.lemmas"):
        stores = [open_store(lang, blocker / "lemmas") for lang in ("en", "fr", "it")]
    assert all(s.path is None and dict(s) == small for s in stores)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(blocker / "lemmas") in warnings[0].getMessage()
    assert lookup_lemma(stores[0], "Pakete") == "paket"


def test_a_build_in_progress_never_shows_under_the_store_name(
    tmp_path: Path, small: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One builder is paused half-way through writing; another builds and reads the
    store meanwhile, then the first finishes: the name only ever holds complete files."""
    started, release = threading.Event(), threading.Event()
    real_fdopen = os.fdopen

    class HalfWay:
        def __init__(self, fh: Any) -> None:
            self.fh = fh

        def __enter__(self) -> HalfWay:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()

        def write(self, data: bytes) -> int:
            n = self.fh.write(data[: len(data) // 2])
            self.fh.flush()
            started.set()
            release.wait(10)
            return int(n + self.fh.write(data[len(data) // 2 :]))

    def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
        fh = real_fdopen(fd, *args, **kwargs)
        return HalfWay(fh) if threading.current_thread().name == "paused-builder" else fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    paused = threading.Thread(target=open_store, args=("fr", tmp_path), name="paused-builder")
    paused.start()
    assert started.wait(10)
    path = tmp_path / store_name("fr")
    assert not path.exists()
    other = open_store("fr", tmp_path)
    assert dict(other) == small and verify_store(path) == len(small)
    release.set()
    paused.join(10)
    assert verify_store(path) == len(small) and dict(open_store("fr", tmp_path)) == small
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


BIG = {f"form{i}": f"lemma{i % 977}" for i in range(30_000)}


def _race(directory: str, barrier: Any, role: str, complete: bytes) -> int:
    """In a forked child: builders build, check and delete the store over and over
    while readers read whatever file its name holds; count wrong answers and any
    moment the name held something other than the complete file."""
    target = Path(directory) / store_name("it")
    barrier.wait()
    bad = seen = 0
    deadline = time.monotonic() + 3.0  # long enough that a loaded machine still races
    while time.monotonic() < deadline:
        if role == "builder":
            store = open_store("it", Path(directory))
            if len(store) != len(BIG) or store.get("form29999") != BIG["form29999"]:
                bad += 1
            time.sleep(0.01)
            with contextlib.suppress(FileNotFoundError):  # "clearing the cache"
                target.unlink()
            continue
        try:
            with target.open("rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            continue
        seen += 1
        bad += data != complete
    return bad if role == "builder" or seen else -1


def _children(target: Any, args: list[tuple[Any, ...]]) -> list[int]:
    with multiprocessing.get_context("fork").Pool(len(args)) as pool:
        return pool.starmap(target, args)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_concurrent_builders_never_expose_a_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lemmas, "read_source", lambda lang: BIG)  # the forked children inherit it
    reference = open_store("it", tmp_path / "reference").path
    assert reference is not None
    barrier = multiprocessing.get_context("fork").Manager().Barrier(4)
    roles = ["builder", "builder", "reader", "reader"]
    args = [(str(tmp_path), barrier, role, reference.read_bytes()) for role in roles]
    results = _children(_race, args)
    assert results == [0, 0, 0, 0]  # -1: a reader never saw a file (no race took place)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
