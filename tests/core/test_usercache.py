"""The per-user cache of parsed data files: same data as parsing, never a failure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from replylint import usercache
from replylint.catalogue import _load_yaml, _parse_yaml, load_catalogue
from replylint.errors import RuleFileError


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(usercache.ENV_VAR, str(root))
    return root


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "parsed").glob("*.marshal"))


def _refuse(text: str) -> Any:
    raise AssertionError("parsed again instead of read from the cache")


def test_a_file_is_parsed_once_then_read_from_the_cache(cache: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "words.yaml", "greetings: [hello, 'no', \"on\"]\ncount: 3\n")
    first = usercache.parsed_yaml(path, _parse_yaml)
    assert first == {"greetings": ["hello", "no", "on"], "count": 3}
    assert len(_entries(cache)) == 1
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    second = usercache.parsed_yaml(path, _refuse)
    assert second == first
    assert second is not first  # every caller gets its own objects


def test_an_edited_file_is_parsed_again(cache: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "words.yaml", "a: [1]\n")
    assert usercache.parsed_yaml(path, _parse_yaml) == {"a": [1]}
    os.utime(path, (0, 0))  # the content decides, not the time stamp
    _write(path, "a: [2]\n")
    os.utime(path, (0, 0))
    assert usercache.parsed_yaml(path, _parse_yaml) == {"a": [2]}
    assert len(_entries(cache)) == 2


def test_a_damaged_entry_is_parsed_again_and_replaced(cache: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "words.yaml", "a: [hello, world]\n")
    usercache.parsed_yaml(path, _parse_yaml)
    (entry,) = _entries(cache)
    entry.write_bytes(entry.read_bytes()[:5])
    assert usercache.parsed_yaml(path, _parse_yaml) == {"a": ["hello", "world"]}
    assert usercache.parsed_yaml(path, _refuse) == {"a": ["hello", "world"]}


def test_an_unwritable_cache_still_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = _write(tmp_path / "not-a-directory", "")
    monkeypatch.setenv(usercache.ENV_VAR, str(blocker))
    path = _write(tmp_path / "words.yaml", "a: b\n")
    assert usercache.parsed_yaml(path, _parse_yaml) == {"a": "b"}
    assert usercache.parsed_yaml(path, _parse_yaml) == {"a": "b"}


def test_values_marshal_cannot_store_are_parsed_every_time(cache: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "dated.yaml", "since: 2024-06-01\n")
    value = usercache.parsed_yaml(path, _parse_yaml)
    assert str(value["since"]) == "2024-06-01"
    assert _entries(cache) == []


def test_old_entries_are_pruned(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(usercache, "MAX_PARSED", 3)
    for i in range(6):
        usercache.parsed_yaml(_write(tmp_path / f"f{i}.yaml", f"n: {i}\n"), _parse_yaml)
    assert len(_entries(cache)) == 3


def test_errors_of_a_data_file_name_the_file(cache: Path, tmp_path: Path) -> None:
    broken = _write(tmp_path / "broken.yaml", "a: [unclosed\n")
    with pytest.raises(RuleFileError, match=r"broken\.yaml: invalid YAML"):
        _load_yaml(broken)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("mots: [déçu]\n".encode("latin-1"))
    with pytest.raises(RuleFileError, match=r"latin1\.yaml: not UTF-8"):
        _load_yaml(latin1)
    with pytest.raises(RuleFileError, match=r"missing\.yaml: cannot read"):
        _load_yaml(tmp_path / "missing.yaml")


def test_the_shipped_catalogue_is_the_same_from_the_cache(cache: Path) -> None:
    parsed = load_catalogue()
    assert _entries(cache)  # filled by the first load
    cached = load_catalogue()
    assert cached.rules == parsed.rules
    assert cached.lexicons == parsed.lexicons
    assert cached.profiles == parsed.profiles
    assert cached.sources == parsed.sources


def test_yaml_errors_are_not_cached(cache: Path, tmp_path: Path) -> None:
    path = _write(tmp_path / "broken.yaml", "a: [unclosed\n")
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            usercache.parsed_yaml(path, _parse_yaml)
    assert _entries(cache) == []
