"""Checking the files of a repository, as ``replylint check`` does.

For each file: the nearest configuration (:mod:`replylint.config`), then the replies
in it (the whole file, or one per macro of a JSON/YAML/CSV export,
:mod:`replylint.exports`), each linted in template mode when the file is a template
(:mod:`replylint.templates`), with inline suppressions
(:mod:`replylint.suppressions`) and per-file ignores applied. Diagnostics come back
in *file* coordinates: offsets, lines and columns of the file, even for a macro
inside a JSON string, and fixes spelled as the file needs them (escaped in JSON,
indented in a YAML block).

Fixes run in rounds: lint, apply the non-overlapping fixes, re-lint, until nothing
changes (:data:`~replylint.fixes.MAX_PASSES` at most). A round whose result would
break the file (a template tag cut, an export that no longer parses) is not kept.
"""

from __future__ import annotations

import codecs
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from .cache import ResultsCache, content_key, fingerprint
from .config import Config, ConfigResolver
from .errors import ConfigError, InputError, ReplylintError
from .exports import Macro, export_kind, read_export
from .fixes import MAX_PASSES, Edit, apply_edits, choose_fixes, fix_range
from .formats import FileResult
from .languages import SUPPORTED_LANGS
from .schema import Diagnostic, Fix, InputRecord, ResultRecord
from .suppressions import Suppressions, parse_suppressions
from .templates import TemplateText, analyse_template
from .textio import decode_bytes

if TYPE_CHECKING:  # the engine, and spaCy with it, load only when a file is linted
    from .catalogue import Catalogue
    from .engine import Linter, LintOptions

log = logging.getLogger(__name__)

STDIN = "-"
_LANG_PART = re.compile(r"^([a-z]{2})(?:[-_][A-Za-z]{2})?$")


@dataclass(frozen=True)
class CheckRequest:
    """What the command line asks for; every field left None defers to configuration."""

    marketplace: str | None = None
    lang: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    template: bool | None = None  # --template / --no-template
    buyer_message: str | None = None
    fix: bool = False
    unsafe_fixes: bool = False


@dataclass
class Unit:
    """One reply inside a file: the whole file, or one macro of an export."""

    text: str
    label: str | None = None
    macro: Macro | None = None
    template: TemplateText | None = None
    lang: str | None = None
    marketplace: str | None = None
    suppressions: Suppressions = field(default_factory=Suppressions)

    def reading(self) -> str | None:
        """The text as the rules read it: slots and directive comments hidden."""
        spans = [(s.start, s.end, s.kind == "output") for s in self.template.slots] if self.template else []
        spans += [(a, b, False) for a, b in self.suppressions.comment_spans]
        if not spans:
            return None
        base = self.template.reading if self.template else self.text
        chars = list(base)
        for a, b, _output in spans:
            if _output:
                continue  # already a stand-in word
            for i in range(a, b):
                if chars[i] not in "\r\n":
                    chars[i] = " "
        return "".join(chars)

    def fix_allowed(self, start: int, end: int) -> bool:
        if self.template is not None and not self.template.fix_allowed(start, end):
            return False
        return not any(a < end and start < b for a, b in self.suppressions.comment_spans)


@dataclass
class FileOutcome:
    """Everything ``check`` learned about one file."""

    path: str  # as shown to the user
    original: str  # the file's text as read
    text: str  # after fixes (the same when nothing was fixed)
    results: list[FileResult] = field(default_factory=list)
    fixed: list[Diagnostic] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    bom: bool = False
    digest: str = ""  # of the path and bytes read, for the results cache
    cached: bool = False  # results came from the cache
    skipped: bool = False  # an export file with no macro in it (package.json …)

    @property
    def changed(self) -> bool:
        return self.text != self.original


def lang_from_path(path: str | PurePath) -> str | None:
    """A language named by the path: ``fr/refund.j2``, ``de_DE/…``, ``refund.it.hbs``."""
    p = PurePath(path)
    for suffix in reversed(p.suffixes[:-1]):
        m = _LANG_PART.match(suffix[1:])
        if m and m.group(1) in SUPPORTED_LANGS:
            return m.group(1)
    for part in reversed(p.parts[:-1]):
        m = _LANG_PART.match(part)
        if m and m.group(1) in SUPPORTED_LANGS:
            return m.group(1)
    return None


_shared: dict[tuple[int, str], Linter] = {}


def shared_linter(catalogue: Catalogue, options: LintOptions) -> Linter:
    """One linter per catalogue and options in a process: its compiled language packs
    are the expensive part, and a long-lived process (tests, a server) checks many
    projects with the same settings."""
    from .engine import Linter

    key = (id(catalogue), repr(options))
    linter = _shared.get(key)
    if linter is None:
        linter = _shared[key] = Linter(catalogue, options)
    return linter


class Project:
    """Checks files against their configuration; one instance per command run."""

    def __init__(
        self,
        request: CheckRequest,
        resolver: ConfigResolver | None = None,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.request = request
        self.resolver = resolver or ConfigResolver()
        self.cache_dir = cache_dir  # None: no results cache
        self._linters: dict[int, Linter] = {}
        self._caches: dict[int, ResultsCache] = {}

    # -- configuration --------------------------------------------------------------

    def config_for(self, path: Path) -> Config:
        return self.resolver.for_path(path)

    def linter_for(self, config: Config) -> Linter:
        key = id(config)
        linter = self._linters.get(key)
        if linter is None:
            config.validate()
            r = self.request
            options = config.lint_options(select=r.select, extend_select=r.extend_select, ignore=r.ignore)
            linter = self._linters[key] = shared_linter(config.catalogue(), options)
        return linter

    # -- discovery ------------------------------------------------------------------

    def discover(self, paths: Iterable[str], *, force_exclude: bool = False) -> list[str]:
        """Files to check: explicit files as given (unless excluded and
        ``force_exclude``), directories walked with each configuration's include and
        exclude globs, globs expanded, ``-`` for standard input."""
        import glob

        out: list[str] = []
        seen: set[str] = set()

        def add(item: str) -> None:
            if item not in seen:
                seen.add(item)
                out.append(item)

        for item in paths:
            if item == STDIN:
                add(item)
                continue
            p = Path(item)
            if p.is_dir():
                for found in self._walk(p):
                    add(found)
            elif p.exists():
                if force_exclude and self.config_for(p).is_excluded(p):
                    continue
                add(item)
            elif any(ch in item for ch in "*?["):
                matched = sorted(glob.glob(item, recursive=True))
                if not matched:
                    raise InputError(f"{item}: no file matches")
                for m in matched:
                    if Path(m).is_file() and not self.config_for(Path(m)).is_excluded(Path(m)):
                        add(m)
            else:
                raise InputError(f"{item}: no such file or directory")
        return out

    def _walk(self, root: Path) -> list[str]:
        found: list[str] = []
        for dirpath, dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            config = self.config_for(here)
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".") and not config.is_excluded(here / d)
            )
            for name in sorted(filenames):
                path = here / name
                if name.startswith(".") or not config.is_included(path) or config.is_excluded(path):
                    continue
                found.append(str(path))
        return found

    # -- one file -------------------------------------------------------------------

    def read(self, path: str, stdin_data: bytes | None = None, shown: str | None = None) -> FileOutcome:
        """Read a file (or standard input) into an outcome with no results yet."""
        name = shown or ("<stdin>" if path == STDIN else path)
        if path == STDIN:
            data = stdin_data if stdin_data is not None else sys.stdin.buffer.read()
        else:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise InputError(f"{name}: cannot read: {exc.strerror}") from None
        decoded = decode_bytes(data, name)
        outcome = FileOutcome(
            path=name,
            original=decoded.text,
            text=decoded.text,
            encoding=decoded.encoding,
            bom=data.startswith(codecs.BOM_UTF8),
            digest=content_key(name, data) if self.cache_dir is not None else "",
        )
        if decoded.guessed:
            outcome.warnings.append(f"{name}: not UTF-8, read as {decoded.encoding}")
        return outcome

    def check(
        self,
        path: str,
        *,
        virtual_path: str | None = None,
        stdin_data: bytes | None = None,
        explicit: bool = True,
    ) -> FileOutcome:
        """Read, lint and (if asked) fix one file. ``virtual_path`` names standard input
        for configuration and file-type decisions (``--stdin-filename``)."""
        where = Path(virtual_path or (path if path != STDIN else "stdin.txt"))
        shown = virtual_path if path == STDIN and virtual_path else None
        try:
            outcome = self.read(path, stdin_data, shown)
        except ReplylintError as exc:
            return FileOutcome(path=path, original="", text="", errors=[exc.message])
        config = self.config_for(where.absolute())
        try:
            linter = self.linter_for(config)
            self._lint_and_fix(outcome, where, config, linter, explicit)
        except ConfigError:
            raise
        except ReplylintError as exc:
            msg = exc.message if exc.message.startswith(outcome.path) else f"{outcome.path}: {exc.message}"
            outcome.errors.append(msg)
        except Exception as exc:  # a bug must not cost the other files their results
            log.debug("internal error on %s", outcome.path, exc_info=True)
            outcome.errors.append(
                f"{outcome.path}: internal error ({type(exc).__name__}: {exc}); please report it"
            )
        return outcome

    def _units(
        self, text: str, where: Path, config: Config, outcome: FileOutcome, explicit: bool
    ) -> tuple[list[Unit], Suppressions]:
        """The replies in a file, and the directives of the file's own comments
        (a YAML ``# replylint: …`` line in an export)."""
        template_mode = config.template_mode_for(where, self.request.template)
        options = config.template_options() if template_mode else None
        kind = export_kind(where)
        file_directives = parse_suppressions(text)
        if kind is not None:
            macros = read_export(text, kind)
            if not macros:
                outcome.skipped = True
                return [], file_directives
            units = []
            for macro in macros:
                if not macro.text.strip():
                    continue
                template = analyse_template(macro.text, options, html=macro.html or None) if options else None
                units.append(
                    Unit(
                        text=macro.text,
                        label=macro.name,
                        macro=macro,
                        template=template,
                        lang=macro.lang,
                        marketplace=macro.marketplace,
                        suppressions=parse_suppressions(macro.text),
                    )
                )
            return units, file_directives
        template = analyse_template(text, options) if options else None
        return [Unit(text=text, template=template, suppressions=file_directives)], Suppressions()

    def _record(self, unit: Unit, where: Path, config: Config, outcome: FileOutcome) -> InputRecord:
        r = self.request
        defaults = config.record_defaults()
        lang = r.lang if r.lang and r.lang.lower() != "auto" else None
        lang = lang or unit.lang
        if lang is None and r.lang is None:
            if config.settings.lang_from_path:
                lang = lang_from_path(where)
            lang = lang or defaults.get("lang")
        marketplace = r.marketplace or unit.marketplace or defaults.get("marketplace") or "amazon"
        ident = outcome.path if unit.label is None else f"{outcome.path}#{unit.label}"
        return InputRecord(
            id=ident,
            text=unit.text,
            buyer_message=r.buyer_message,
            marketplace=marketplace,  # type: ignore[arg-type]
            lang=lang,
        )

    def _lint_unit(
        self,
        unit: Unit,
        file_sup: Suppressions,
        where: Path,
        config: Config,
        linter: Linter,
        outcome: FileOutcome,
        ignore: frozenset[str],
    ) -> ResultRecord:
        record = self._record(unit, where, config, outcome)
        catalogue = linter.catalogue
        known = set(catalogue.rules) | set(catalogue.families)
        for sup in (unit.suppressions, file_sup):
            sup.resolve(catalogue.resolve)
            for directive, name in sup.unknown_names(known):
                inside = (
                    f" ({unit.label}), line {directive.line} of the macro"
                    if sup is unit.suppressions and unit.macro
                    else f":{directive.line}"
                )
                warning = f"{outcome.path}{inside}: unknown rule {name!r} in a replylint directive"
                if warning not in outcome.warnings:
                    outcome.warnings.append(warning)
        template = unit.template
        macro = unit.macro
        line_of = _LineIndex(outcome.text) if macro is not None and file_sup else None

        def keep(d: Diagnostic) -> bool:
            if template is not None and template.in_slot(d.start, d.end):
                return False  # nothing a reader would see
            if unit.suppressions.suppresses(d):
                return False
            if macro is not None and file_sup and line_of is not None:
                a, b = macro.file_range(d.start, d.end)
                if file_sup.suppresses(d, line=line_of.line(a), end_line=line_of.line(max(a, b - 1))):
                    return False
            return True

        return linter.check(record, ignore=ignore, reading=unit.reading(), keep=keep)

    def _lint_and_fix(
        self, outcome: FileOutcome, where: Path, config: Config, linter: Linter, explicit: bool
    ) -> None:
        ignore = config.ignores_for(where.absolute())
        fixing = self.request.fix
        text = outcome.text
        signature = _signature(self, text, where, config, outcome.path, explicit) if fixing else None
        for _round in range(MAX_PASSES + 1):
            units, file_sup = self._units(text, where, config, outcome, explicit)
            linted = [
                (u, self._lint_unit(u, file_sup, where, config, linter, outcome, ignore)) for u in units
            ]
            edits: list[Edit] = []
            applied: list[Diagnostic] = []
            if fixing and _round < MAX_PASSES:
                for unit, result in linted:
                    for d in choose_fixes(
                        result.diagnostics,
                        len(unit.text),
                        unsafe=self.request.unsafe_fixes,
                        allowed=unit.fix_allowed,
                    ):
                        edit = _file_edit(unit, d)
                        if edit is not None:
                            edits.append(edit)
                            applied.append(d)
            if not edits:
                break
            new_text = apply_edits(text, edits)
            if _signature(self, new_text, where, config, outcome.path, explicit) != signature:
                outcome.warnings.append(
                    f"{outcome.path}: fixes left out: applying them would change the template's tags"
                )
                break
            text = new_text
            outcome.fixed.extend(applied)
        outcome.text = text
        line_index = _LineIndex(text)
        for unit, result in linted:
            if unit.macro is not None:
                result = _to_file(result, unit.macro, line_index)
            outcome.results.append(FileResult(outcome.path, text, result, label=unit.label))

    # -- many files ---------------------------------------------------------------------

    def check_all(
        self, items: list[tuple[str, str | None, bool]], jobs: int | None = None
    ) -> Iterator[FileOutcome]:
        """Check ``(path, virtual_path, explicit)`` items, in order, on ``jobs`` processes.

        Cached files are answered here. The rest start in this process, so that the
        languages they need are loaded once; when there are many, the remainder is
        shared between forked workers, which inherit everything loaded so far.
        """
        jobs = jobs if jobs is not None else default_jobs()
        pending: list[int] = []
        done: dict[int, FileOutcome] = {}
        for i, (path, virtual, _explicit) in enumerate(items):
            if self.cache_dir is not None and not self.request.fix and path != STDIN:
                outcome = self.lookup(path, virtual)
                if outcome is not None:
                    done[i] = outcome
                    continue
            pending.append(i)
        # Standard input is read here, never by a worker.
        pending.sort(key=lambda i: items[i][0] != STDIN)
        parallel = jobs > 1 and len(pending) >= PARALLEL_MIN_FILES and _can_fork()
        stdin_first = sum(1 for i in pending if items[i][0] == STDIN)
        warm = max(stdin_first, min(len(pending), WARM_UP_FILES)) if parallel else len(pending)
        if parallel:
            # Warm up on one file of each language the paths name, so that every
            # language's pipeline and rules are loaded once, before the fork.
            firsts: dict[str | None, int] = {}
            for i in pending[stdin_first:]:
                firsts.setdefault(lang_from_path(items[i][1] or items[i][0]), i)
            chosen = set(firsts.values())
            pending = (
                pending[:stdin_first]
                + [i for i in pending[stdin_first:] if i in chosen]
                + [i for i in pending[stdin_first:] if i not in chosen]
            )
            warm = max(warm, stdin_first + len(chosen))
        for i in pending[:warm]:
            path, virtual, explicit = items[i]
            outcome = self.check(path, virtual_path=virtual, explicit=explicit)
            done[i] = outcome if path == STDIN else self._checked(outcome)
        rest = pending[warm:]
        if rest:
            import multiprocessing

            global _worker_project
            _worker_project = self
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(jobs) as pool:
                work = [items[i] for i in rest]
                for i, outcome in zip(rest, pool.imap(_worker_check, work, chunksize=8), strict=True):
                    done[i] = self._checked(outcome)
            _worker_project = None
        for i in range(len(items)):
            yield done[i]
        self.save_cache()

    def lookup(self, path: str, virtual_path: str | None = None) -> FileOutcome | None:
        """The cached outcome of a file, if its bytes and settings are unchanged."""
        where = Path(virtual_path or path)
        results_cache = self._cache(self.config_for(where.absolute()))
        if results_cache is None:
            return None
        try:
            outcome = self.read(path)
        except ReplylintError:
            return None
        hit = results_cache.get(outcome.path, outcome.digest, outcome.text)
        if hit is None:
            return None
        outcome.results, warnings, outcome.skipped = hit
        outcome.warnings.extend(w for w in warnings if w not in outcome.warnings)
        outcome.cached = True
        return outcome

    def _checked(self, outcome: FileOutcome) -> FileOutcome:
        """Remember a freshly linted file in the cache (parent process only)."""
        if outcome.cached or outcome.errors or self.request.fix or not outcome.digest:
            return outcome
        config = self.config_for(Path(outcome.path).absolute())
        results_cache = self._cache(config)
        if results_cache is not None:
            results_cache.put(
                outcome.path, outcome.digest, outcome.results, outcome.warnings, outcome.skipped
            )
        return outcome

    def _cache(self, config: Config) -> ResultsCache | None:
        if self.cache_dir is None:
            return None
        found = self._caches.get(id(config))
        if found is None:
            from .resources import rules_dir

            r = self.request
            settings = {
                "config": str(config.path) if config.path else None,
                "settings": config.settings.model_dump(mode="json"),
                "request": {
                    "marketplace": r.marketplace,
                    "lang": r.lang,
                    "select": r.select,
                    "extend_select": r.extend_select,
                    "ignore": r.ignore,
                    "template": r.template,
                    "buyer_message": r.buyer_message,
                },
            }
            key = fingerprint([rules_dir(), *config.extra_rule_paths], settings)
            found = self._caches[id(config)] = ResultsCache(self.cache_dir, key)
        return found

    def save_cache(self) -> None:
        for results_cache in self._caches.values():
            results_cache.save()

    # -- writing ----------------------------------------------------------------------

    @staticmethod
    def write(path: str, outcome: FileOutcome) -> None:
        """Write a fixed file in place, atomically, in its own encoding."""
        data = outcome.text.encode(outcome.encoding)
        if outcome.bom:
            data = codecs.BOM_UTF8 + data
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, target.stat().st_mode & 0o7777)
            os.replace(tmp, target)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise InputError(f"{path}: cannot write the fixes: {exc.strerror}") from None


#: Fewer files than this are checked in one process (forking costs more than it saves).
PARALLEL_MIN_FILES = 48
#: Files checked before forking, so that workers inherit the languages they load.
WARM_UP_FILES = 12
_worker_project: Project | None = None


def default_jobs() -> int:
    """Worker processes: the cores this process may use (``REPLYLINT_JOBS`` overrides)."""
    env = os.environ.get("REPLYLINT_JOBS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _can_fork() -> bool:
    # fork keeps the loaded pipelines and compiled rules; it is only safe on Linux.
    return sys.platform.startswith("linux")


def _worker_check(item: tuple[str, str | None, bool]) -> FileOutcome:
    assert _worker_project is not None
    path, virtual, explicit = item
    return _worker_project.check(path, virtual_path=virtual, explicit=explicit)


class _LineIndex:
    """1-based line and column of a file offset."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        import bisect

        return bisect.bisect_right(self.starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        line = self.line(offset)
        return line, offset - self.starts[line - 1] + 1


def _file_edit(unit: Unit, d: Diagnostic) -> Edit | None:
    """A fix of ``unit``'s text as an edit of the file (None if the file cannot spell it)."""
    assert d.fix is not None
    start, end = fix_range(d)
    if unit.macro is None:
        return Edit(start, end, d.fix.replacement)
    replacement = unit.macro.encode(d.fix.replacement)
    if replacement is None:
        return None
    a, b = unit.macro.file_range(start, end)
    return Edit(a, b, replacement)


def _to_file(result: ResultRecord, macro: Macro, lines: _LineIndex) -> ResultRecord:
    """Move a macro's diagnostics from its text to the file that holds it."""
    moved = []
    for d in result.diagnostics:
        a, b = macro.file_range(d.start, d.end)
        line, column = lines.line_col(a)
        end_line, end_column = lines.line_col(b)
        fix = d.fix
        if fix is not None:
            fs, fe = fix_range(d)
            fa, fb = macro.file_range(fs, fe)
            replacement = macro.encode(fix.replacement)
            fix = (
                None
                if replacement is None
                else Fix(
                    replacement=replacement,
                    safe=fix.safe,
                    title=fix.title,
                    start=fa if (fa, fb) != (a, b) else None,
                    end=fb if (fa, fb) != (a, b) else None,
                )
            )
        moved.append(
            d.model_copy(
                update={
                    "start": a,
                    "end": b,
                    "line": line,
                    "column": column,
                    "end_line": end_line,
                    "end_column": end_column,
                    "fix": fix,
                }
            )
        )
    return result.model_copy(update={"diagnostics": moved})


def _signature(
    project: Project, text: str, where: Path, config: Config, shown: str, explicit: bool
) -> tuple[object, ...] | None:
    """What a fix must not change: the template tags of each unit, and the macros'
    names (an export that stops parsing has no signature at all)."""
    try:
        units, _ = project._units(text, where, config, FileOutcome(shown, text, text), explicit)
    except ReplylintError:
        return None
    return tuple((u.label, tuple(u.template.structure()) if u.template else ()) for u in units)
