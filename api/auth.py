"""API keys: ``Authorization: Bearer KEY``, compared in constant time.

A key is written ``id:secret`` (the id names the key in logs and rate limits) or
just ``secret`` (its id is then ``key-`` and the first 8 hex digits of its
SHA-256). Only digests are kept in memory, and a presented key is compared with
every configured one, so neither timing nor early exit tells how close a guess
was. Secrets are never logged; ids are.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from replylint.errors import ConfigError

MIN_SECRET_CHARS = 16
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


@dataclass(frozen=True)
class Client:
    """Who is calling: a key id, or an address when authentication is off."""

    id: str
    authenticated: bool
    rate_key: str  # what the rate limit counts against


@dataclass(frozen=True)
class _Key:
    id: str
    digest: bytes


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def parse_key(entry: str, where: str) -> _Key:
    entry = entry.strip()
    key_id, sep, secret = entry.partition(":")
    if not sep or not _ID.fullmatch(key_id):
        key_id, secret = "", entry
    if len(secret) < MIN_SECRET_CHARS:
        raise ConfigError(
            f"{where}: an API key must have at least {MIN_SECRET_CHARS} characters "
            "(`replylint serve --new-key` makes one)"
        )
    if any(c.isspace() for c in secret):
        raise ConfigError(f"{where}: an API key must not contain spaces")
    digest = _digest(secret)
    return _Key(key_id or "key-" + digest.hex()[:8], digest)


class KeyStore:
    """The configured keys; empty when authentication is off."""

    def __init__(self, keys: Iterable[_Key] = ()) -> None:
        self._keys = tuple(keys)
        ids = [k.id for k in self._keys]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ConfigError(f"API key id used twice: {', '.join(duplicates)}")

    @classmethod
    def from_sources(cls, keys: Iterable[str], keys_file: Path | None) -> KeyStore:
        parsed = [parse_key(k, f"REPLYLINT_API_KEYS item {n}") for n, k in enumerate(keys, 1)]
        if keys_file is not None:
            try:
                lines = keys_file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{keys_file}: cannot read the API keys: {exc}") from None
            in_file = [
                parse_key(text, f"{keys_file}:{number}")
                for number, line in enumerate(lines, 1)
                if (text := line.strip()) and not text.startswith("#")
            ]
            if not in_file:
                raise ConfigError(f"{keys_file}: no API key in the file")
            parsed.extend(in_file)
        return cls(parsed)

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    @property
    def ids(self) -> list[str]:
        return [k.id for k in self._keys]

    def identify(self, secret: str) -> str | None:
        """The id of the key ``secret``, or None; the time taken does not depend on which."""
        presented = _digest(secret)
        found: str | None = None
        for key in self._keys:
            if hmac.compare_digest(presented, key.digest):
                found = key.id
        return found
