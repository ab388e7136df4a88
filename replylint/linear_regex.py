"""Regular expressions that come from users run on RE2, which matches in linear time.

Patterns written in a team's configuration or in its own rule files are not ours to
review; Python's backtracking engine can take exponential time on a pattern such as
``(a+)+$``. RE2 (google-re2) cannot, at the price of a smaller syntax: no
backreferences and no look-around. :func:`compile_linear` raises ``ValueError`` with
RE2's own explanation when a pattern uses them, so the configuration loader can name
the file and key at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_FLAG_PREFIX = {"i": "i", "m": "m", "s": "s"}


class LinearMatch:
    """The part of ``re.Match`` that replylint uses, with group names resolved."""

    __slots__ = ("_m", "_names")

    def __init__(self, match: Any, names: dict[str, int]) -> None:
        self._m = match
        self._names = names

    def _index(self, group: int | str) -> int:
        return self._names[group] if isinstance(group, str) else group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        start, end = self._m.span(self._index(group))
        return int(start), int(end)

    def start(self, group: int | str = 0) -> int:
        return self.span(group)[0]

    def end(self, group: int | str = 0) -> int:
        return self.span(group)[1]

    def group(self, group: int | str = 0) -> str | None:
        value: str | None = self._m.group(self._index(group))
        return value


class LinearPattern:
    """A compiled RE2 pattern with the ``finditer``/``search`` interface of ``re``."""

    def __init__(self, source: str, flags: str = "") -> None:
        import re2

        unknown = sorted(set(flags) - set(_FLAG_PREFIX))
        if unknown:
            raise ValueError(f"flag {unknown[0]!r} is not supported by RE2 (use i, m or s)")
        prefix = "".join(_FLAG_PREFIX[f] for f in flags)
        options = re2.Options()
        options.log_errors = False  # errors are raised, with RE2's message, not logged
        try:
            self._rx = re2.compile(f"(?{prefix}){source}" if prefix else source, options)
        except re2.error as exc:
            message = exc.args[0] if exc.args else str(exc)
            if isinstance(message, bytes):
                message = message.decode("utf-8", "replace")
            raise ValueError(f"not a valid RE2 pattern: {message}") from None
        self.pattern = source
        self.groupindex: dict[str, int] = dict(self._rx.groupindex)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[LinearMatch]:
        args = (text, pos) if endpos is None else (text, pos, endpos)
        for m in self._rx.finditer(*args):
            yield LinearMatch(m, self.groupindex)

    def search(self, text: str, pos: int = 0) -> LinearMatch | None:
        m = self._rx.search(text, pos)
        return None if m is None else LinearMatch(m, self.groupindex)


def compile_linear(source: str, flags: str = "") -> LinearPattern:
    """Compile ``source`` with RE2; ``ValueError`` if RE2 cannot run it."""
    return LinearPattern(source, flags)
