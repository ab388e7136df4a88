"""A results cache for ``replylint check``, like ruff's: unchanged files are not re-linted.

An entry is keyed by the file's path and the SHA-256 of its bytes, inside a cache
file named by a *fingerprint* of everything else that decides the result: the
replylint version and source, the rule files (shipped and the team's own), the
configuration and the command-line options. Change any of them and the old entries
are simply not found. The cache lives in ``.replylint-cache/`` in the current
directory (``--cache-dir``, ``REPLYLINT_CACHE_DIR``; ``--no-cache`` turns it off),
marked with a ``CACHEDIR.TAG`` and a ``.gitignore`` so it is never committed or
backed up. A damaged cache file is ignored, never an error.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .__about__ import __version__
from .formats import FileResult
from .schema import ResultRecord

log = logging.getLogger(__name__)

DEFAULT_DIR = ".replylint-cache"
#: Entries kept per cache file (the oldest paths beyond this are dropped).
MAX_ENTRIES = 50_000
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# replylint results cache; see https://bford.info/cachedir/\n"


def cache_dir(option: Path | None = None) -> Path:
    if option is not None:
        return option
    env = os.environ.get("REPLYLINT_CACHE_DIR")
    return Path(env) if env else Path(DEFAULT_DIR)


@cache
def _source_stamp() -> str:
    """The contents of replylint's own modules: an edited checkout (an editable
    install) must not reuse results of the code it replaced, while a fresh install
    of the same code (a new CI runner) still finds its cache."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()


def _files_digest(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for root in paths:
        files = sorted(root.rglob("*")) if root.is_dir() else [root]
        for path in files:
            if path.is_file():
                name = path.relative_to(root) if root.is_dir() else path.name
                h.update(str(name).encode() + b"\0")
                h.update(path.read_bytes())
    return h.hexdigest()


def fingerprint(rule_roots: Iterable[Path], settings: Any) -> str:
    """What, besides a file's bytes and path, decides its result."""
    h = hashlib.sha256()
    h.update(_source_stamp().encode())
    h.update(_files_digest(rule_roots).encode())
    h.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return h.hexdigest()[:24]


def content_key(path: str, data: bytes) -> str:
    return hashlib.sha256(path.encode() + b"\0" + data).hexdigest()


@dataclass
class ResultsCache:
    """The entries of one fingerprint: loaded once, saved once at the end of a run."""

    directory: Path
    key: str
    entries: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False
    _loaded: bool = False

    @property
    def file(self) -> Path:
        return self.directory / f"results-{self.key}.json"

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == __version__:
                self.entries = dict(data.get("files", {}))
        except (OSError, ValueError):
            self.entries = {}

    def get(self, shown: str, digest: str, text: str) -> tuple[list[FileResult], list[str], bool] | None:
        """The results, warnings and "no macros" flag stored for this file, if current."""
        self._load()
        entry = self.entries.get(shown)
        if not entry or entry.get("sha") != digest:
            return None
        try:
            results = [
                FileResult(shown, text, ResultRecord.model_validate(r["result"]), label=r.get("label"))
                for r in entry["results"]
            ]
        except (KeyError, TypeError, ValueError):
            return None
        return results, list(entry.get("warnings", [])), bool(entry.get("skipped"))

    def put(
        self, shown: str, digest: str, results: list[FileResult], warnings: list[str], skipped: bool = False
    ) -> None:
        self._load()
        self.entries[shown] = {
            "sha": digest,
            "results": [{"label": fr.label, "result": fr.result.model_dump(mode="json")} for fr in results],
            "warnings": warnings,
            "skipped": skipped,
        }
        self.dirty = True

    def save(self) -> None:
        if not self.dirty:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            tag = self.directory / "CACHEDIR.TAG"
            if not tag.exists():
                tag.write_text(_TAG, encoding="utf-8")
                (self.directory / ".gitignore").write_text("*\n", encoding="utf-8")
            entries = self.entries
            if len(entries) > MAX_ENTRIES:
                entries = dict(list(entries.items())[-MAX_ENTRIES:])
            payload = json.dumps({"version": __version__, "files": entries}, ensure_ascii=False)
            fd, tmp = tempfile.mkstemp(prefix=".results-", dir=self.directory)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
            os.replace(tmp, self.file)
            self.dirty = False
        except OSError as exc:  # a read-only checkout still gets its results
            log.warning("cannot write the cache in %s: %s", self.directory, exc.strerror)
