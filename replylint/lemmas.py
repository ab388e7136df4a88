"""Lemma tables as compact, memory-mapped stores built once per user.

spacy-lookups-data ships each language's form → lemma table as gzipped JSON: half a
million entries for Spanish. Loading them into dicts took about 1.7 s of CPU and
320 MB for the five languages, in every process, and forked workers soon held their
own copies. Instead, each table is converted once into a ``marisa-trie`` file
(1–4 MB) in the user's cache directory and then memory-mapped: opening one costs a
millisecond, and every replylint process on the machine shares the same pages
through the page cache.

A store file holds one ``marisa_trie.BytesTrie`` with two kinds of keys:

* ``"\\x01" + form`` → the shipped value (a lemma, or a list of lemmas), exactly as
  in the JSON: keys keep their case, lists stay lists;
* ``"\\x02" + lemma`` → every lowercased form whose first lemma it is (the
  spelling repairer asks "is this a lemma?" and "which forms inflect it?").

A trailer after the trie (magic, format, entry count, payload size, CRC-32) lets a
truncated or damaged file be detected and rebuilt rather than trusted. The file name
carries the language, the spacy-lookups-data version and :data:`FORMAT_VERSION`, so
an upgrade of either builds a new file. Files are written to a temporary name and
renamed into place, so concurrent builders never expose a partial file. When the
cache directory cannot be written, the store is built in memory (same format, same
answers) with one warning.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterator, Mapping
from io import BufferedReader
from pathlib import Path
from typing import Any

import marisa_trie

from .usercache import ENV_VAR, cache_root, make_dir, replace_atomic

log = logging.getLogger(__name__)

#: Bumped whenever the file layout or the encoding of values changes.
FORMAT_VERSION = 1

Value = str | list[str]

_FORM = "\x01"
_LEMMA = "\x02"
_MAGIC = b"RLLEMMA\x00"
_TRAILER = struct.Struct("<8sIQQI")  # magic, format, entries, payload bytes, crc32
_SURROGATE = re.compile("[\ud800-\udfff]")

_warn_lock = threading.Lock()
_warned_unwritable = False


def store_dir() -> Path:
    return cache_root() / "lemmas"


def data_version() -> str:
    import spacy_lookups_data

    return str(getattr(spacy_lookups_data, "__version__", "unknown"))


def store_name(lang: str, version: str | None = None) -> str:
    """The file name for ``lang``: language, data version and format version."""
    version = re.sub(r"[^\w.+-]", "_", version or data_version())
    return f"{lang}-{version}-f{FORMAT_VERSION}.lemmas"


# -- values ----------------------------------------------------------------------------
# Nearly every value is a plain lemma (en, de, es, it) or a one-lemma list (fr); both
# are stored as their UTF-8 bytes, the list behind a one-byte tag. Anything else
# (several lemmas, an empty list, a lemma starting with a tag byte) is stored as JSON.


def _storable(text: str) -> bool:
    """``text`` can be a marisa key: UTF-8 without NULs."""
    return "\x00" not in text and not _SURROGATE.search(text)


def _encode(value: Any) -> bytes:
    try:
        if isinstance(value, str) and (not value or value[0] > "\x02") and "\x00" not in value:
            return value.encode()
        if isinstance(value, list) and len(value) == 1:
            (lemma,) = value
            if isinstance(lemma, str) and "\x00" not in lemma:
                return b"\x01" + lemma.encode()
    except UnicodeEncodeError:  # a lone surrogate
        pass
    return b"\x00" + json.dumps(value).encode()  # ASCII: escapes NULs and lone surrogates


def _decode(data: bytes) -> Value:
    tag = data[:1]
    if tag == b"\x01":
        return [data[1:].decode()]
    if tag == b"\x00":
        value: Value = json.loads(data[1:])
        return value
    return data.decode()


def _first_lemma(value: Any) -> str:
    """The lemma a form counts for when only one is wanted (lowercased)."""
    if isinstance(value, str):
        return value.lower()
    return str(value[0]).lower() if value else ""


class LemmaStore(Mapping[str, Value]):
    """A read-only form → lemma mapping with the shipped table's keys and values."""

    __slots__ = ("_entries", "_trie", "path")

    def __init__(self, trie: marisa_trie.BytesTrie, entries: int, path: Path | None = None) -> None:
        self._trie = trie
        self._entries = entries
        #: The memory-mapped file, or None when the store lives in memory.
        self.path = path

    @classmethod
    def empty(cls) -> LemmaStore:
        return cls(marisa_trie.BytesTrie(), 0)

    def _values(self, prefix: str, key: object) -> list[bytes]:
        # marisa cannot look up a key with a NUL (it reads a C string) or a lone
        # surrogate (not UTF-8); no table has such a key, so neither is found.
        if not isinstance(key, str) or "\x00" in key:
            return []
        try:
            found: list[bytes] = self._trie.get(prefix + key, [])
        except UnicodeEncodeError:
            return []
        return found

    def get(self, key: str, default: Any = None) -> Any:
        found = self._values(_FORM, key)
        return _decode(found[0]) if found else default

    def __getitem__(self, key: str) -> Value:
        found = self._values(_FORM, key)
        if not found:
            raise KeyError(key)
        return _decode(found[0])

    def __contains__(self, key: object) -> bool:
        return bool(self._values(_FORM, key))

    def __iter__(self) -> Iterator[str]:
        for key in self._trie.iterkeys(_FORM):
            yield key[1:]

    def __len__(self) -> int:
        return self._entries

    def has_lemma(self, lemma: str) -> bool:
        """``lemma`` (lowercase) is the first lemma of some form."""
        return bool(self._values(_LEMMA, lemma))

    def forms_of(self, lemma: str) -> list[str]:
        """The lowercased forms whose first lemma is ``lemma`` (lowercase)."""
        return list(dict.fromkeys(form.decode() for form in self._values(_LEMMA, lemma)))


# -- building and opening ------------------------------------------------------------------


def read_source(lang: str) -> dict[str, Value] | None:
    """spacy-lookups-data's table for ``lang`` as shipped, or None if there is none."""
    from importlib.resources import files

    path = files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz"
    try:
        table: dict[str, Value] = json.loads(gzip.decompress(path.read_bytes()))
    except FileNotFoundError:
        return None
    return table


def build_trie(table: Mapping[str, Any]) -> tuple[marisa_trie.BytesTrie, int]:
    """The trie of ``table`` and the number of forms it holds (all of them, unless a
    form has a NUL or a lone surrogate, which no shipped table has)."""
    kept = table
    if not _storable("\x01".join(table)):  # one scan instead of one per form
        kept = {form: value for form, value in table.items() if _storable(form)}
    items: list[tuple[str, bytes]] = []
    add = items.append
    for form, value in kept.items():
        add((_FORM + form, _encode(value)))
        if value:  # filed under its first lemma ("Haus" and "haus" both: forms_of dedupes)
            lemma = _first_lemma(value)
            if "\x00" not in lemma:
                add((_LEMMA + lemma, form.lower().encode()))
    try:
        return marisa_trie.BytesTrie(items), len(kept)
    except UnicodeEncodeError:  # a lemma with a lone surrogate
        return marisa_trie.BytesTrie([item for item in items if _storable(item[0])]), len(kept)


def write_store(path: Path, trie: marisa_trie.BytesTrie, entries: int) -> None:
    """Write ``trie`` and its trailer to ``path`` atomically (temporary file + rename)."""
    payload = trie.tobytes()
    trailer = _TRAILER.pack(_MAGIC, FORMAT_VERSION, entries, len(payload), zlib.crc32(payload))
    make_dir(path.parent)
    replace_atomic(path, payload, trailer)


def _crc32(fh: BufferedReader, size: int) -> int:
    crc = 0
    buf = bytearray(1 << 20)
    view = memoryview(buf)
    while size > 0:
        n = fh.readinto(view[: min(size, len(buf))])
        if not n:
            break
        crc = zlib.crc32(view[:n], crc)
        size -= n
    return crc


def verify_store(path: Path) -> int | None:
    """The entry count of a complete, undamaged store file, else None."""
    try:
        with path.open("rb") as fh:
            total = os.fstat(fh.fileno()).st_size
            if total < _TRAILER.size:
                return None
            fh.seek(total - _TRAILER.size)
            magic, fmt, entries, size, crc = _TRAILER.unpack(fh.read(_TRAILER.size))
            if magic != _MAGIC or fmt != FORMAT_VERSION or size != total - _TRAILER.size:
                return None
            fh.seek(0)
            if _crc32(fh, size) != crc:
                return None
            return int(entries)
    except OSError:
        return None


def _open_mapped(path: Path) -> LemmaStore | None:
    entries = verify_store(path)
    if entries is None:
        return None
    try:
        trie = marisa_trie.BytesTrie().mmap(str(path))
    except (OSError, RuntimeError, ValueError):  # marisa reports I/O errors as RuntimeError
        return None
    return LemmaStore(trie, entries, path)


def _warn_unwritable(directory: Path, exc: OSError) -> None:
    global _warned_unwritable
    with _warn_lock:
        if _warned_unwritable:
            return
        _warned_unwritable = True
    log.warning(
        "cannot write lemma stores in %s (%s); building them in memory (set %s to a writable folder)",
        directory,
        exc.strerror or exc,
        ENV_VAR,
    )


def open_store(lang: str, directory: Path | None = None) -> LemmaStore:
    """The lemma store of ``lang``: the cached file memory-mapped, built first if it is
    missing, stale or damaged; in memory if the cache cannot be written; empty if
    spacy-lookups-data has no table for ``lang``."""
    directory = store_dir() if directory is None else directory
    path = directory / store_name(lang)
    store = _open_mapped(path)
    if store is not None:
        return store
    table = read_source(lang)
    if table is None:
        log.warning("no lemma table for %s; lemmas equal lowercased forms", lang)
        return LemmaStore.empty()
    if path.exists():
        log.info("lemma store %s is damaged or incomplete; rebuilding it", path)
    trie, entries = build_trie(table)
    try:
        write_store(path, trie, entries)
    except OSError as exc:
        _warn_unwritable(directory, exc)
        return LemmaStore(trie, entries)
    store = _open_mapped(path)
    if store is None:  # replaced by a damaged file between our write and our read
        return LemmaStore(trie, entries)
    return store
