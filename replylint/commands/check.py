"""`replylint check`: lint reply files, templates and macro exports, like a compiler.

Exit status: 0 when no error-severity diagnostic remains, 1 when one does (or, with
``--diff``, when a file would change), 2 on a usage, configuration or input error.
Every file is still checked when another one cannot be read: its error is printed
and the run ends with 2.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from ..cli import common_options, fail, split_names, use_colour
from ..errors import ReplylintError

if TYPE_CHECKING:
    from ..catalogue import Rule
    from ..formats import FileResult
    from ..project import Project

#: File types `check` picks up when given a directory (kept for other commands).
REPLY_SUFFIXES = (".txt", ".md", ".text", ".eml")

FORMATS = ("text", "json", "sarif", "github")


def expand_paths(paths: Iterable[str], suffixes: tuple[str, ...] = REPLY_SUFFIXES) -> list[str]:
    """Files, directories (recursively, by suffix), globs and "-" for stdin."""
    import glob

    out: list[str] = []
    for item in paths:
        if item == "-":
            out.append(item)
            continue
        p = Path(item)
        if p.is_dir():
            out.extend(
                sorted(
                    str(f)
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in suffixes
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                    and not f.name.upper().startswith("README")
                )
            )
        elif p.exists():
            out.append(item)
        elif any(ch in item for ch in "*?["):
            matched = sorted(glob.glob(item, recursive=True))
            if not matched:
                raise ReplylintError(f"{item}: no file matches")
            out.extend(m for m in matched if Path(m).is_file())
        else:
            raise ReplylintError(f"{item}: no such file or directory")
    return out


def read_reply(path: str) -> str:
    """A reply file (or ``-``) decoded as text; warns on stderr when not UTF-8."""
    from ..textio import decode_bytes

    if path == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ReplylintError(f"{path}: cannot read: {exc.strerror}") from None
        name = path
    decoded = decode_bytes(data, name)
    if decoded.guessed:
        click.echo(f"replylint: warning: {name}: not UTF-8, read as {decoded.encoding}", err=True)
    return decoded.text


def warn(message: str) -> None:
    click.echo(f"replylint: warning: {message}", err=True)


@click.command()
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option(
    "--extend-select",
    multiple=True,
    metavar="RULES",
    help="Rules or families to add to the selection (comma-separated; repeatable).",
)
@click.option(
    "--buyer-message",
    "buyer_message_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="File with the buyer's message being answered (enables triage and structure).",
)
@click.option(
    "--format",
    "--output-format",
    "output_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Output format (default: text, or the configuration's output-format).",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option("--statistics", is_flag=True, help="Count diagnostics per rule instead of listing them.")
@click.option("--fix/--no-fix", "fix", default=None, help="Apply safe fixes in place.")
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    "unsafe_fixes",
    default=None,
    help="With --fix or --diff, apply unsafe fixes too (review them).",
)
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; write nothing.")
@click.option(
    "--template/--no-template",
    "template",
    default=None,
    help="Treat every input as a template (placeholders are slots), or none; default: by file type.",
)
@click.option(
    "--stdin-filename",
    default=None,
    metavar="PATH",
    help="The path standard input stands for (configuration, template mode, per-file ignores).",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply the configuration's exclude globs to files named on the command line (pre-commit).",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--no-cache", is_flag=True, help="Lint every file, even unchanged ones.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where results are cached (default: .replylint-cache, or $REPLYLINT_CACHE_DIR).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for many files (default: the available cores).",
)
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Only diagnostics, no per-file summary.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
def check(
    paths: tuple[str, ...],
    marketplace: str | None,
    lang: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    extend_select: tuple[str, ...],
    buyer_message_path: str | None,
    output_format: str | None,
    output_file: Path | None,
    statistics: bool,
    fix: bool | None,
    unsafe_fixes: bool | None,
    diff: bool,
    template: bool | None,
    stdin_filename: str | None,
    force_exclude: bool,
    isolated: bool,
    no_cache: bool,
    cache_dir: Path | None,
    jobs: int | None,
    color: str,
    quiet: bool,
    exit_zero: bool,
) -> None:
    """Lint replies, templates and macro exports (or - for standard input).

    \b
    Plain replies: .txt .md .text .eml
    Templates (placeholders are slots): .j2 .jinja .liquid .hbs .mustache .html …
    Macro exports (one reply per macro): .json .yaml .yml .csv
    Directories are searched recursively; configuration comes from the nearest
    replylint.toml or pyproject.toml [tool.replylint].
    """
    from ..config import ConfigResolver
    from ..project import STDIN, CheckRequest, Project

    resolver = ConfigResolver(config_path, isolated=isolated)
    base = resolver.for_path(Path.cwd())
    settings = base.settings
    output_format = output_format or settings.output_format or "text"
    fixing = diff or (fix if fix is not None else settings.fix)
    unsafe = unsafe_fixes if unsafe_fixes is not None else settings.unsafe_fixes
    buyer_message = read_reply(buyer_message_path) if buyer_message_path else None
    request = CheckRequest(
        marketplace=marketplace,
        lang=lang,
        select=tuple(split_names(select)) or None,
        extend_select=tuple(split_names(extend_select)),
        ignore=tuple(split_names(ignore)),
        template=template,
        buyer_message=buyer_message,
        fix=bool(fixing),
        unsafe_fixes=bool(unsafe),
    )
    from ..cache import cache_dir as default_cache_dir

    project = Project(request, resolver, cache_dir=None if no_cache else default_cache_dir(cache_dir))
    files = project.discover(paths, force_exclude=force_exclude)
    if not files:
        warn("no files to check under " + ", ".join(paths))
        return

    results: list[FileResult] = []
    errors: list[str] = []
    fixed = 0
    diffs: list[str] = []
    stdin_fixed: str | None = None
    items = [
        (
            path,
            stdin_filename if path == STDIN else None,
            (path in paths and not force_exclude) or path == STDIN,
        )
        for path in files
    ]
    explicit = {path: flag for path, _virtual, flag in items}
    for outcome in project.check_all(items, jobs):
        path = outcome.path if outcome.path != "<stdin>" and outcome.path != stdin_filename else STDIN
        if outcome.skipped and explicit.get(path):
            warn(
                f"{outcome.path}: no macros found (expected objects or rows with a text, body or "
                "content field); skipped"
            )
        for message in outcome.warnings:
            warn(message)
        for message in outcome.errors:
            fail(message)
            errors.append(message)
        results.extend(outcome.results)
        fixed += len(outcome.fixed)
        if not outcome.changed:
            continue
        if diff:
            from ..fixes import unified_diff

            diffs.append(unified_diff(outcome.original, outcome.text, outcome.path))
        elif path == STDIN:
            stdin_fixed = outcome.text
        else:
            try:
                project.write(path, outcome)
            except ReplylintError as exc:
                fail(exc.message)
                errors.append(exc.message)

    out: IO[str]
    if diff:
        out = click.get_text_stream("stdout")
        out.write("".join(diffs))
        remaining = sum(len(fr.result.diagnostics) for fr in results)
        plural = "s" if fixed != 1 else ""
        click.echo(
            f"Would fix {fixed} problem{plural} in {len(diffs)} file{'s' if len(diffs) != 1 else ''} "
            f"({remaining} would remain).",
            err=True,
        )
        sys.exit(2 if errors else (1 if diffs and not exit_zero else 0))

    with ExitStack() as stack:
        if output_file is not None:
            try:
                out = stack.enter_context(output_file.open("w", encoding="utf-8"))
            except OSError as exc:
                raise ReplylintError(f"{output_file}: cannot write: {exc.strerror}") from None
        elif stdin_fixed is not None:
            # Fixed text goes to stdout (like ruff); the report goes to stderr.
            click.get_text_stream("stdout").write(stdin_fixed)
            out = click.get_text_stream("stderr")
        else:
            out = click.get_text_stream("stdout")
        _report(
            results,
            out,
            output_format,
            statistics=statistics,
            colour=use_colour(color, out) if output_file is None else False,
            quiet=quiet,
            errors=errors,
            project=project,
        )
        if fixed and output_format == "text" and not statistics:
            out.write(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.\n")
    if errors:
        sys.exit(2)
    has_error = any(d.severity == "error" for fr in results for d in fr.result.diagnostics)
    sys.exit(1 if has_error and not exit_zero else 0)


def _report(
    results: list[FileResult],
    out: IO[str],
    output_format: str,
    *,
    statistics: bool,
    colour: bool,
    quiet: bool,
    errors: list[str],
    project: Project,
) -> None:
    if statistics:
        from ..formats.statistics import write_statistics

        summaries = {rid: rule.summary for rid, rule in _rules_of(project).items()}
        write_statistics(results, out, summaries, as_json=output_format == "json")
    elif output_format == "json":
        from ..formats.json import write_json

        write_json(results, out)
    elif output_format == "sarif":
        from ..formats.sarif import write_sarif

        write_sarif(results, out, _rules_of(project), errors)
    elif output_format == "github":
        from ..formats.github import write_github

        write_github(results, out, errors)
    else:
        from ..formats.text import write_text

        write_text(results, out, colour, show_summary=not quiet)


def _rules_of(project: Project) -> dict[str, Rule]:
    """Every rule the run used (built-in and each configuration's own)."""
    rules: dict[str, Rule] = {}
    for config in project.resolver.configs():
        rules.update(config.catalogue().rules)
    return rules
