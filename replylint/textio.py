"""Reading replies and record files robustly: encodings, binary data, broken lines.

Files are decoded as UTF-8 (with or without BOM). When that fails, the encoding is
guessed with charset-normalizer and used only if the guess is confident, which is
the documented fallback for legacy exports (Windows-1252, Latin-1, UTF-16); the
caller is told which encoding was used. Binary files are refused.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from .errors import InputError

#: Bytes that never occur in text files (NUL and most C0 controls).
_BINARY_CONTROLS = bytes(range(0, 9)) + bytes([11]) + bytes(range(14, 32))


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    guessed: bool = False


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    controls = sum(sample.count(bytes([c])) for c in _BINARY_CONTROLS if c != 27)
    return controls > max(8, len(sample) // 50)


def decode_bytes(data: bytes, name: str = "input") -> Decoded:
    """Decode a whole file; raise InputError for binary or undecodable data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: invalid UTF-16 text") from None
    if looks_binary(data):
        raise InputError(f"{name}: looks like a binary file, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and best.encoding and best.encoding.lower() not in {"utf_8", "utf-8", "ascii"}:
        try:
            return Decoded(data.decode(best.encoding), best.encoding, guessed=True)
        except (UnicodeDecodeError, LookupError):
            pass
    raise InputError(
        f"{name}: not valid UTF-8 (byte {first_error.start}: "
        f"{data[first_error.start : first_error.start + 1]!r}) and no other encoding fits; "
        "re-save it as UTF-8"
    )
