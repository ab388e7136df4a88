"""The per-user cache: work that only depends on shipped data, done once per machine.

Parsing the rule files' YAML is most of what a cold ``replylint`` spends before its
first reply (about 0.4 s for some fifty files, even with libyaml: the constructor is
Python). A file's parsed data depends only on its bytes, so it is kept here, under the
hash of those bytes, in :mod:`marshal` format, which loads in well under a
millisecond. Editing a rule file changes its hash: a stale entry is never read, and
old entries are pruned.

Location: ``$REPLYLINT_USER_CACHE_DIR``, else the platform's cache directory
(``$XDG_CACHE_HOME/replylint``, ``~/.cache/replylint`` on Linux). It is safe to delete
at any time. When it cannot be written (a read-only home, a sandbox), everything
still works, parsed as before; nothing here ever raises.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import platformdirs
import yaml

log = logging.getLogger(__name__)

#: Overrides the per-user cache directory.
ENV_VAR = "REPLYLINT_USER_CACHE_DIR"
#: Parsed files kept; beyond this the oldest are removed (rule edits leave old ones).
MAX_PARSED = 400
#: Bump when what is stored changes meaning.
_FORMAT = b"replylint-parsed-yaml-1"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# replylint per-user cache; see https://bford.info/cachedir/\n"


def cache_root() -> Path:
    """The per-user cache directory (see the module documentation)."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else Path(platformdirs.user_cache_dir("replylint", appauthor=False))


def _key(data: bytes) -> str:
    h = hashlib.blake2b(_FORMAT, digest_size=20)
    # marshal's format and libyaml's output may differ between versions.
    h.update(f"{sys.version_info[:2]}|{marshal.version}|{yaml.__version__}".encode())
    h.update(data)
    return h.hexdigest()


def ensure_dir(directory: Path) -> bool:
    """Create ``directory`` (and a CACHEDIR.TAG at the cache root); False if impossible."""
    try:
        make_dir(directory)
    except OSError as exc:
        log.debug("per-user cache %s not writable: %s", directory, exc)
        return False
    return True


def make_dir(directory: Path) -> None:
    """Create ``directory``, tagging the cache root (or the folder itself, outside the
    root) so that backup tools skip it. Raises OSError when it cannot be created."""
    directory.mkdir(parents=True, exist_ok=True)
    root = cache_root()
    # A folder given outside the cache root is a cache of its own: it gets the tag.
    tag = (root if directory.is_relative_to(root) else directory) / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(_TAG, encoding="utf-8")


def replace_atomic(path: Path, *chunks: bytes) -> None:
    """Write ``chunks`` to ``path`` so that a reader sees the old file or the whole new
    one, never a part (two processes may write the same entry at once). The file is
    readable by all, like the cache folder of a shared machine. Raises OSError."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from the folder's other users
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, payload: bytes) -> bool:
    """:func:`replace_atomic`, False instead of an error."""
    try:
        replace_atomic(path, payload)
    except OSError as exc:
        log.debug("cannot write %s: %s", path, exc)
        return False
    return True


def parsed_yaml(path: Path, parse: Any) -> Any:
    """``parse(text)`` of the file at ``path``, from the cache when its bytes were parsed
    before. Raises what reading the file or ``parse`` raise; cache problems are ignored."""
    data = path.read_bytes()
    text = data.decode("utf-8")
    directory = cache_root() / "parsed"
    entry = directory / f"{_key(data)}.marshal"
    try:
        return marshal.loads(entry.read_bytes())
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as exc:  # damaged: parse again and replace it
        log.debug("ignoring damaged cache entry %s: %s", entry, exc)
    value = parse(text)
    try:
        payload = marshal.dumps(value)
    except ValueError:  # a type marshal cannot store (a YAML date): parse every time
        return value
    if ensure_dir(directory) and write_atomic(entry, payload):
        _prune(directory)
    return value


def _prune(directory: Path) -> None:
    try:
        entries = list(directory.glob("*.marshal"))
        if len(entries) <= MAX_PARSED:
            return
        entries.sort(key=lambda p: p.stat().st_mtime)
        for old in entries[: len(entries) - MAX_PARSED]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("cannot prune %s: %s", directory, exc)
