"""Configuration: ``[tool.replylint]`` in ``pyproject.toml``, or ``replylint.toml``.

Found like ruff finds its own: for a checked file, the nearest ``.replylint.toml``,
``replylint.toml`` or ``pyproject.toml`` *with a* ``[tool.replylint]`` *table*,
searching from the file's directory up to the file system root; in one directory the
files are tried in that order. The closest configuration wins whole (no merging
with configurations further up) unless it says ``extend = "../pyproject.toml"``.
``--config FILE`` uses one file for every input; ``--isolated`` uses none.

Precedence for each setting: command-line option > the macro's own field (a
``locale`` column in an export) > the configuration > the built-in default.

Reuse from other front ends::

    from replylint.config import load_config

    config = load_config(start=Path("macros/"))      # or load_config(Path("replylint.toml"))
    linter = config.linter()                         # catalogue with the team's rules + options
    options = config.lint_options()                  # LintOptions only
    record_fields = config.record_defaults()         # {"marketplace": …, "lang": …}

Every error names the file and the key (``pyproject.toml: [tool.replylint] selct:
unknown key (did you mean 'select'?)``) and becomes exit code 2.
"""

from __future__ import annotations

import difflib
import re
import threading
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError
from .schema import Marketplace, Severity

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .engine import Linter, LintOptions
    from .templates import TemplateOptions

#: Configuration file names tried in each directory, in order.
CONFIG_FILES: tuple[str, ...] = (".replylint.toml", "replylint.toml", "pyproject.toml")

#: Files picked up when a directory is checked (globs on the file name).
DEFAULT_INCLUDE: tuple[str, ...] = (
    "*.txt",
    "*.text",
    "*.md",
    "*.eml",
    "*.j2",
    "*.jinja",
    "*.jinja2",
    "*.liquid",
    "*.hbs",
    "*.handlebars",
    "*.mustache",
    "*.tmpl",
    "*.tpl",
    "*.html",
    "*.htm",
    "*.json",
    "*.yaml",
    "*.yml",
    "*.csv",
)
#: Never walked into (plus every hidden directory).
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "node_modules",
    "venv",
    "site-packages",
    "__pycache__",
    "build",
    "dist",
    "_build",
    "*.egg-info",
    "package.json",
    "package-lock.json",
    "tsconfig*.json",
    "composer.json",
    "*.schema.json",
    "action.yml",
    "action.yaml",
    "CHANGELOG.md",
    "README*",
    "LICENSE*",
)

OutputFormat = Literal["text", "json", "sarif", "github"]


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)


class TemplateSettings(_Section):
    """``[tool.replylint.template]``."""

    mode: Literal["auto", "always", "never"] = Field(
        default="auto",
        description="auto: template mode for template files and macro exports; always; never.",
    )
    extensions: list[str] = Field(
        default_factory=list,
        description='More file suffixes read in template mode, e.g. [".txt"] for a macro folder.',
    )
    slot_names: list[str] = Field(
        default_factory=list,
        description='More "[Field Name]" tags of your help desk that are slots.',
    )
    slot_patterns: list[str] = Field(
        default_factory=list,
        description=r'More placeholder syntaxes, as RE2 regexes, e.g. "%%[A-Z_]+%%".',
    )
    html: bool | None = Field(default=None, description="Treat bodies as HTML (default: detect).")

    @field_validator("extensions")
    @classmethod
    def _dotted(cls, value: list[str]) -> list[str]:
        return [v if v.startswith(".") else f".{v}" for v in (s.strip().lower() for s in value) if v]


class Settings(_Section):
    """``[tool.replylint]``: every key, with its default."""

    extend: str | None = Field(default=None, description="Another configuration file to inherit from.")
    marketplace: Marketplace | None = None
    lang: str | None = Field(default=None, description="en, fr, de, es, it, or auto.")
    lang_from_path: bool = Field(
        default=True,
        description="Take the language from the path (fr/…, refund.de.j2) when none is given.",
    )
    select: list[str] | None = None
    extend_select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    extend_per_file_ignores: dict[str, list[str]] = Field(default_factory=dict)
    severity: dict[str, Severity | Literal["off"]] = Field(default_factory=dict)
    include: list[str] | None = None
    extend_include: list[str] = Field(default_factory=list)
    exclude: list[str] | None = None
    extend_exclude: list[str] = Field(default_factory=list)
    extra_rules: list[str] = Field(default_factory=list)
    fix: bool = False
    unsafe_fixes: bool = False
    output_format: OutputFormat | None = None
    max_chars: int | None = Field(default=None, gt=0)
    template: TemplateSettings = Field(default_factory=TemplateSettings)
    llm: dict[str, Any] = Field(
        default_factory=dict,
        description="[tool.replylint.llm]: the rewrite assistant's model (keys checked in "
        "replylint.rewrite.llm, see docs/rewrite.md).",
    )

    @field_validator("per_file_ignores", "extend_per_file_ignores", mode="before")
    @classmethod
    def _names_as_list(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: [v] if isinstance(v, str) else v for k, v in value.items()}
        return value


_TOP_KEYS = {_kebab(name) for name in Settings.model_fields}
_TEMPLATE_KEYS = {_kebab(name) for name in TemplateSettings.model_fields}


def _normalise_keys(data: Mapping[str, Any], where: str, known: set[str]) -> dict[str, Any]:
    """Accept ``snake_case`` for ``kebab-case`` keys; name unknown keys with a suggestion."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        norm = _kebab(str(key))
        if norm not in known:
            close = difflib.get_close_matches(norm, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"
            raise ConfigError(f"{where} {key}: unknown key{hint}")
        out[norm] = value
    return out


def _section_name(path: Path) -> str:
    return "[tool.replylint]" if path.name == "pyproject.toml" else "(top level)"


def _read_table(path: Path) -> dict[str, Any] | None:
    """The replylint table of ``path``; None for a pyproject.toml without one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("replylint") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.replylint] must be a table")
        return table
    return data


def _parse_settings(path: Path, table: Mapping[str, Any]) -> Settings:
    section = _section_name(path)
    where = f"{path}: {section}"
    data = _normalise_keys(table, where, _TOP_KEYS)
    if "template" in data:
        if not isinstance(data["template"], dict):
            raise ConfigError(f"{where} template: must be a table ([tool.replylint.template])")
        data["template"] = _normalise_keys(data["template"], f"{where} template.", _TEMPLATE_KEYS)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        value = err.get("input")
        shown = f" (got {value!r})" if isinstance(value, str | int | float | bool) else ""
        raise ConfigError(f"{where} {loc}: {err['msg']}{shown}") from None


def find_config_file(start: Path) -> Path | None:
    """The configuration that applies to files in ``start`` (a directory or a file)."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for candidate in (directory, *directory.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file() and (name != "pyproject.toml" or _read_table(path) is not None):
                return path
    return None


def _merge(parent: Settings, child: Settings) -> Settings:
    """``extend``: the child's explicitly set keys win; the rest comes from the parent."""
    updates = {name: getattr(child, name) for name in child.model_fields_set if name != "extend"}
    if "template" in child.model_fields_set:
        template_updates = {n: getattr(child.template, n) for n in child.template.model_fields_set}
        updates["template"] = parent.template.model_copy(update=template_updates)
    return parent.model_copy(update=updates)


@dataclass(frozen=True)
class _Origin:
    """Which file a setting came from, so paths in it resolve against its directory."""

    path: Path
    root: Path


def _load_settings(path: Path, seen: tuple[Path, ...] = ()) -> tuple[Settings, dict[str, _Origin]]:
    path = path.resolve()
    if path in seen:
        chain = " → ".join(str(p) for p in (*seen, path))
        raise ConfigError(f"{path}: extend: circular ({chain})")
    table = _read_table(path)
    if table is None:
        raise ConfigError(f"{path}: no [tool.replylint] table")
    settings = _parse_settings(path, table)
    here = _Origin(path, path.parent)
    origins = {name: here for name in settings.model_fields_set}
    if settings.extend:
        base_path = (path.parent / settings.extend).resolve()
        if not base_path.is_file():
            raise ConfigError(f"{path}: {_section_name(path)} extend: no such file {settings.extend!r}")
        base, base_origins = _load_settings(base_path, (*seen, path))
        settings = _merge(base, settings)
        origins = {**base_origins, **origins}
    return settings, origins


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob: ``*`` within a path part, ``**`` across parts, ``?``, ``[…]``."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(ch))
                i += 1
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end + 1
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out) + r"\Z")


@dataclass(frozen=True)
class PathGlob:
    """A glob from the configuration, matched like ruff and git match them: a pattern
    without ``/`` matches a file name or any directory name on the way; one with ``/``
    matches the path relative to the configuration's directory."""

    pattern: str
    root: Path

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        return _glob_regex(self.pattern.strip("/"))

    @cached_property
    def _anchored(self) -> bool:
        return "/" in self.pattern.strip("/")

    def matches(self, path: Path, resolved: Path | None = None) -> bool:
        """Whether ``path`` matches (``resolved``: the same path, already resolved)."""
        return self.matches_relative(_relative(resolved or path.resolve(), self.root, path))

    def matches_relative(self, rel: PurePath) -> bool:
        if self._anchored:
            return bool(self._regex.match(rel.as_posix()))
        return any(self._regex.match(part) for part in rel.parts)


def _relative(resolved: Path, root: Path, path: Path) -> PurePath:
    try:
        return resolved.relative_to(root)
    except ValueError:
        return PurePath(path.name)


_catalogue_cache: dict[tuple[str, ...], Catalogue] = {}
_catalogue_lock = threading.Lock()


def _catalogue(extra: tuple[Path, ...]) -> Catalogue:
    from .catalogue import load_catalogue

    key = tuple(str(p) for p in extra)
    with _catalogue_lock:
        if key not in _catalogue_cache:
            _catalogue_cache[key] = load_catalogue(extra_rule_paths=extra)
        return _catalogue_cache[key]


@dataclass
class Config:
    """One effective configuration (a file and whatever it extends, or the defaults)."""

    settings: Settings = field(default_factory=Settings)
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    origins: dict[str, _Origin] = field(default_factory=dict)
    _linter: Linter | None = field(default=None, repr=False)

    # -- where things are ------------------------------------------------------------

    def _root_of(self, key: str) -> Path:
        origin = self.origins.get(key)
        return origin.root if origin else self.root

    def _where(self, key: str) -> str:
        origin = self.origins.get(key)
        path = origin.path if origin else self.path
        shown = _kebab(key.split(".", 1)[0]) + (("." + key.split(".", 1)[1]) if "." in key else "")
        if path is None:
            return f"option {shown}"
        return f"{path}: {_section_name(path)} {shown}"

    @cached_property
    def extra_rule_paths(self) -> tuple[Path, ...]:
        root = self._root_of("extra_rules")
        out = []
        for i, item in enumerate(self.settings.extra_rules):
            path = (root / item).resolve()
            if not path.exists():
                raise ConfigError(f"{self._where('extra_rules')}[{i}]: no such file or directory {item!r}")
            out.append(path)
        return tuple(out)

    # -- the rules and the engine ---------------------------------------------------

    def catalogue(self) -> Catalogue:
        """The shipped rules plus the team's ``extra-rules`` (validated, cached)."""
        return _catalogue(self.extra_rule_paths)

    def _check_names(self, names: Iterable[str], key: str) -> None:
        catalogue = self.catalogue()
        known = set(catalogue.rules) | set(catalogue.aliases) | set(catalogue.families) | {"ALL"}
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else " (see `replylint rules`)"
                raise ConfigError(f"{self._where(key)}: unknown rule or family {name!r}{hint}")

    def validate(self) -> Config:
        """Check every rule name in the configuration against the catalogue."""
        s = self.settings
        self._check_names(s.select or (), "select")
        self._check_names(s.extend_select, "extend_select")
        self._check_names(s.ignore, "ignore")
        self._check_names(s.severity, "severity")
        for key in ("per_file_ignores", "extend_per_file_ignores"):
            for glob, names in getattr(s, key).items():
                self._check_names(names, f'{key}."{glob}"')
        self.slot_patterns  # noqa: B018  (compiles, raising on a bad pattern)
        return self

    def lint_options(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_select: Iterable[str] = (),
        ignore: Iterable[str] = (),
    ) -> LintOptions:
        """Engine options: command-line ``select`` replaces the configuration's,
        ``extend_select`` and ``ignore`` add to it (like ruff)."""
        from .engine import DEFAULT_MAX_CHARS, LintOptions

        s = self.settings
        chosen = list(select) if select is not None else s.select
        extra = [*s.extend_select, *extend_select]
        # With no `select` every rule is on, and `extend-select` only takes its
        # names back out of `ignore`.
        selected = frozenset([*chosen, *extra]) if chosen is not None else None
        ignored = {*s.ignore, *ignore} - set(extra)
        severity: dict[str, Severity] = {}
        for name, value in s.severity.items():
            if value == "off":
                ignored.add(name)
            else:
                severity[name] = value
        return LintOptions(
            select=selected,
            ignore=frozenset(ignored),
            severity=severity,
            max_chars=s.max_chars or DEFAULT_MAX_CHARS,
        )

    def linter(self) -> Linter:
        """A linter for this configuration (built once)."""
        if self._linter is None:
            from .engine import Linter

            self.validate()
            self._linter = Linter(self.catalogue(), self.lint_options())
        return self._linter

    def record_defaults(self) -> dict[str, Any]:
        """Input-record fields the configuration fixes (marketplace, lang)."""
        out: dict[str, Any] = {}
        if self.settings.marketplace:
            out["marketplace"] = self.settings.marketplace
        if self.settings.lang and self.settings.lang.lower() != "auto":
            out["lang"] = self.settings.lang
        return out

    # -- files ------------------------------------------------------------------------

    def _globs(self, key: str, values: Iterable[str]) -> list[PathGlob]:
        root = self._root_of(key)
        return [PathGlob(v, root) for v in values]

    @cached_property
    def _per_file(self) -> list[tuple[PathGlob, frozenset[str]]]:
        out = []
        for key in ("per_file_ignores", "extend_per_file_ignores"):
            root = self._root_of(key)
            for pattern, names in getattr(self.settings, key).items():
                out.append((PathGlob(pattern, root), frozenset(names)))
        return out

    def ignores_for(self, path: Path) -> frozenset[str]:
        """Rules that ``per-file-ignores`` turn off for ``path``."""
        out: set[str] = set()
        resolved = path.resolve()
        for glob, names in self._per_file:
            if glob.matches(path, resolved):
                out |= names
        return frozenset(out)

    @cached_property
    def _exclude(self) -> list[PathGlob]:
        s = self.settings
        base = s.exclude if s.exclude is not None else list(DEFAULT_EXCLUDE)
        return [
            *[PathGlob(p, self._root_of("exclude")) for p in base],
            *self._globs("extend_exclude", s.extend_exclude),
        ]

    def is_excluded(self, path: Path) -> bool:
        """Excluded by a glob, or one of the team's rule files (not replies)."""
        resolved = path.resolve()  # once: a directory walk asks this for every file
        relative: dict[Path, PurePath] = {}
        for glob in self._exclude:
            rel = relative.get(glob.root)
            if rel is None:
                rel = relative[glob.root] = _relative(resolved, glob.root, path)
            if glob.matches_relative(rel):
                return True
        if self.settings.extra_rules:
            return any(resolved == p or p in resolved.parents for p in self.extra_rule_paths)
        return False

    @cached_property
    def _include(self) -> list[re.Pattern[str]]:
        s = self.settings
        base = s.include if s.include is not None else list(DEFAULT_INCLUDE)
        names = [*base, *s.extend_include, *(f"*{ext}" for ext in s.template.extensions)]
        return [_glob_regex(n) for n in names]

    def is_included(self, path: Path) -> bool:
        """Whether a directory walk picks ``path`` up (by file name)."""
        return any(rx.match(path.name) for rx in self._include)

    # -- templates --------------------------------------------------------------------

    @cached_property
    def slot_patterns(self) -> tuple[Any, ...]:
        from .linear_regex import compile_linear

        out = []
        for i, source in enumerate(self.settings.template.slot_patterns):
            try:
                out.append(compile_linear(source))
            except ValueError as exc:
                raise ConfigError(f"{self._where('template')}.slot-patterns[{i}]: {exc}") from None
        return tuple(out)

    def template_options(self) -> TemplateOptions:
        from .templates import TemplateOptions, normalise_field_names

        t = self.settings.template
        return TemplateOptions(
            slot_names=normalise_field_names(t.slot_names),
            slot_patterns=self.slot_patterns,
            html=t.html,
        )

    def template_mode_for(self, path: str | PurePath, forced: bool | None = None) -> bool:
        """Whether ``path`` is linted in template mode (``forced`` is --template/--no-template)."""
        from .exports import export_kind
        from .templates import syntax_for_path

        if forced is not None:
            return forced
        mode = self.settings.template.mode
        if mode != "auto":
            return mode == "always"
        suffixes = [s.lower() for s in PurePath(path).suffixes]
        if any(s in self.settings.template.extensions for s in suffixes):
            return True
        return syntax_for_path(path) is not None or export_kind(path) is not None


def load_config(path: Path | str | None = None, *, start: Path | None = None) -> Config:
    """The configuration in ``path``, or the one nearest to ``start`` (default: the
    current directory), or the defaults when there is none."""
    if path is not None:
        file = Path(path)
        if not file.is_file():
            raise ConfigError(f"{file}: no such configuration file")
    else:
        found = find_config_file(start or Path.cwd())
        if found is None:
            return Config(root=(start or Path.cwd()).resolve() if start and start.is_dir() else Path.cwd())
        file = found
    settings, origins = _load_settings(file)
    return Config(settings=settings, path=file.resolve(), root=file.resolve().parent, origins=origins)


class ConfigResolver:
    """The configuration of every checked file: nearest first, each file parsed once."""

    def __init__(self, explicit: Path | None = None, *, isolated: bool = False) -> None:
        self._fixed: Config | None = None
        if isolated:
            self._fixed = Config()
        elif explicit is not None:
            self._fixed = load_config(explicit)
        self._by_dir: dict[Path, Config] = {}
        self._by_file: dict[Path, Config] = {}

    def for_path(self, path: Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        directory = (path if path.is_dir() else path.parent).resolve()
        config = self._by_dir.get(directory)
        if config is None:
            found = find_config_file(directory)
            if found is None:
                config = self._by_file.setdefault(Path(), Config())
            else:
                config = self._by_file.get(found)
                if config is None:
                    config = self._by_file[found] = load_config(found)
            self._by_dir[directory] = config
        return config

    def configs(self) -> list[Config]:
        if self._fixed is not None:
            return [self._fixed]
        return list({id(c): c for c in self._by_dir.values()}.values())
