"""The `replylint` command.

Exit codes: 0 no error-severity diagnostic, 1 at least one, 2 usage or input error
(never a traceback). Commands live here or in :mod:`replylint.commands`.
"""

from __future__ import annotations

import glob
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from .__about__ import __version__
from .errors import ReplylintError
from .schema import MARKETPLACES

F = TypeVar("F", bound=Callable[..., Any])

#: File types `check` picks up when given a directory.
REPLY_SUFFIXES = (".txt", ".md", ".text", ".eml")


def _split_names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(n.strip() for v in values for n in v.split(",") if n.strip())


def use_colour(choice: str, stream: Any) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def common_options(fn: F) -> F:
    """Options shared by the linting commands (CONTRACT.md §2)."""
    decorators = [
        click.option(
            "--marketplace",
            type=click.Choice(MARKETPLACES, case_sensitive=False),
            default=None,
            help="Marketplace profile (default: amazon, or the configuration's).",
        ),
        click.option("--lang", default=None, help="Language of the replies: en, fr, de, es, it, or auto (default)."),
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rule ids or families (comma-separated; repeatable).",
        ),
        click.option(
            "--ignore", multiple=True, metavar="RULES", help="Skip these rule ids or families."
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help="Configuration file (pyproject.toml or replylint.toml); default: nearest to the input.",
        ),
    ]
    for deco in reversed(decorators):
        fn = deco(fn)
    return fn


def fail(message: str) -> None:
    click.echo(f"replylint: error: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "-V", "--version", prog_name="replylint")
def cli() -> None:
    """Lint marketplace sellers' replies to buyers: policy, tone and structure.

    \b
    replylint check reply.txt                  lint files (or - for stdin)
    replylint batch replies.jsonl -o out.jsonl score an export, one result per record
    replylint rules                            list every rule
    """


# -- check ----------------------------------------------------------------------------


def expand_paths(paths: Iterable[str], suffixes: tuple[str, ...] = REPLY_SUFFIXES) -> list[str]:
    """Files, directories (recursively, by suffix), globs and "-" for stdin."""
    out: list[str] = []
    for item in paths:
        if item == "-":
            out.append(item)
            continue
        p = Path(item)
        if p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            out.extend(found)
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
    from .textio import decode_bytes

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


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@common_options
@click.option(
    "--buyer-message",
    "buyer_message_path",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="File with the buyer's message being answered (enables triage and structure).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
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
    buyer_message_path: str | None,
    output_format: str,
    color: str,
    quiet: bool,
    exit_zero: bool,
) -> None:
    """Lint reply files (or - for standard input).

    Each file is one reply. Directories are searched for .txt and .md files.
    """
    from .engine import LintOptions, Linter
    from .formats import FileResult
    from .schema import InputRecord

    files = expand_paths(paths)
    if not files:
        raise ReplylintError("no reply files found in " + ", ".join(paths))
    buyer_message = read_reply(buyer_message_path) if buyer_message_path else None
    options = LintOptions(
        select=_split_names(select) or None,
        ignore=_split_names(ignore),
    )
    linter = Linter(options=options)
    results: list[FileResult] = []
    input_errors = 0
    for path in files:
        shown = "<stdin>" if path == "-" else path
        try:
            text = read_reply(path)
            record = InputRecord(
                id=shown,
                text=text,
                buyer_message=buyer_message,
                marketplace=marketplace or "amazon",
                lang=lang,
            )
            result = linter.check(record)
        except ReplylintError as exc:
            msg = exc.message if exc.message.startswith(shown) else f"{shown}: {exc.message}"
            fail(msg)
            input_errors += 1
            continue
        results.append(FileResult(shown, text, result))

    out = click.get_text_stream("stdout")
    if output_format == "json":
        from .formats.json import write_json

        write_json(results, out)
    else:
        from .formats.text import write_text

        write_text(results, out, use_colour(color, out), show_summary=not quiet)
    if input_errors:
        sys.exit(2)
    has_error = any(d.severity == "error" for fr in results for d in fr.result.diagnostics)
    sys.exit(1 if has_error and not exit_zero else 0)


# -- batch ----------------------------------------------------------------------------


@cli.command()
@click.argument("input_path", metavar="INPUT", type=str)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default="-", show_default=True, help="JSONL output file.")
@common_options
@click.option("--format", "input_format", type=click.Choice(["jsonl", "csv"]), default=None, help="Input format (default: from the file name).")
@click.option("--text-col", default=None, help="CSV column with the reply (default: text, reply, message …).")
@click.option("--buyer-col", default=None, help="CSV column with the buyer's message.")
@click.option("--id-col", default=None, help="CSV column with the record id (default: id, else the row number).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
def batch(
    input_path: str,
    output: str,
    marketplace: str | None,
    lang: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: Path | None,
    input_format: str | None,
    text_col: str | None,
    buyer_col: str | None,
    id_col: str | None,
    progress: bool | None,
) -> None:
    """Lint every record of a JSONL or CSV export; one result record per input record.

    A record that cannot be linted yields an error record with its line number and
    the run goes on. Record fields win over --marketplace/--lang defaults.
    """
    from .batch import BatchStats, lint_stream, write_jsonl
    from .engine import LintOptions, Linter
    from .records import ColumnMap, iter_records

    options = LintOptions(select=_split_names(select) or None, ignore=_split_names(ignore))
    linter = Linter(options=options)
    columns = ColumnMap(text=text_col, buyer_message=buyer_col, id=id_col)
    items = iter_records(input_path, input_format, columns)  # type: ignore[arg-type]
    if marketplace or lang:
        items = _with_defaults(items, marketplace, lang)
    stream = lint_stream(linter, items)

    show_progress = progress if progress is not None else sys.stderr.isatty()
    out_file = None
    try:
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        out_file = None if output == "-" else out
        if show_progress:
            stats = _with_progress(stream, out, input_path)
        else:
            stats = write_jsonl(stream, out)
    finally:
        if out_file is not None:
            out_file.close()
    _report_stats(stats)


def _with_defaults(items: Iterable[tuple[int, Any]], marketplace: str | None, lang: str | None) -> Iterable[tuple[int, Any]]:
    for line, item in items:
        if isinstance(item, dict):
            if marketplace and not item.get("marketplace"):
                item["marketplace"] = marketplace
            if lang and not item.get("lang"):
                item["lang"] = lang
        yield line, item


def _with_progress(stream: Iterable[tuple[int, Any]], out: Any, input_path: str) -> Any:
    """Write results with a progress bar (rate, ETA) on standard error."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from .batch import write_jsonl

    total = None
    if input_path != "-" and os.path.getsize(input_path) < 200_000_000:
        with open(input_path, "rb") as fh:
            total = sum(1 for line in fh if line.strip())
        if input_path.lower().endswith((".csv", ".tsv")):
            total = max(total - 1, 0)  # header; multi-line cells make this an estimate
    columns = [
        TextColumn("[bold]linting"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]} rec/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("lint", total=total, rate="-")

        def advance(line: int, item: Any) -> None:
            speed = bar.tasks[0].speed
            bar.update(task, advance=1, rate=f"{speed:,.0f}" if speed else "-")

        return write_jsonl(stream, out, on_item=advance)


def _report_stats(stats: Any) -> None:
    msg = f"{stats.records} records: {stats.linted} linted, {stats.non_compliant} not compliant"
    if stats.errors:
        lines = ", ".join(str(n) for n in stats.error_lines[:10])
        more = "…" if stats.errors > 10 else ""
        msg += f", {stats.errors} could not be linted (lines {lines}{more}; see their error records)"
    click.echo(msg, err=True)


# -- rules ----------------------------------------------------------------------------


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--family", default=None, help="Only this family (policy, tone, structure, clarity).")
@click.option("--marketplace", type=click.Choice(MARKETPLACES), default=None, help="Only rules on in this profile.")
@click.argument("rule_id", required=False)
def rules(output_format: str, family: str | None, marketplace: str | None, rule_id: str | None) -> None:
    """List every rule: id, family, default severity, marketplaces, languages.

    With a RULE_ID, explain that rule (what it does, why, examples).
    """
    import json

    from .catalogue import load_catalogue

    catalogue = load_catalogue()
    if rule_id:
        rid = catalogue.resolve(rule_id)
        if rid not in catalogue.rules:
            raise ReplylintError(f"unknown rule {rule_id!r}")
        rule = catalogue.rules[rid]
        if output_format == "json":
            click.echo(json.dumps(rule.model_dump(mode="json", exclude={"path"}), ensure_ascii=False, indent=2))
        else:
            from .docs import rule_markdown

            click.echo(rule_markdown(catalogue, rule))
        return
    infos = [catalogue.rule_info(r) for r in catalogue.rules.values()]
    if family:
        infos = [i for i in infos if i.family == family]
    if marketplace:
        infos = [i for i in infos if i.marketplaces.get(marketplace, "off") != "off"]
    if output_format == "json":
        click.echo(json.dumps([i.model_dump(mode="json") for i in infos], ensure_ascii=False, indent=2))
        return
    header = f"{'id':26} {'family':10} {'severity':8} {'fix':6} {'languages':15} marketplaces"
    click.echo(header)
    click.echo("-" * len(header))
    for info in sorted(infos, key=lambda i: (i.family, i.id)):
        markets = " ".join(f"{m}:{s[0]}" if s != "off" else f"{m}:-" for m, s in info.marketplaces.items())
        click.echo(
            f"{info.id:26} {info.family:10} {info.severity:8} {info.fix:6} {','.join(info.languages):15} {markets}"
        )
    click.echo("\nmarketplaces: e = error, w = warning, i = info, - = off. `replylint rules ID` explains a rule.")


@cli.command("schema")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("docs/schema"))
def schema_cmd(directory: Path) -> None:
    """Write the JSON Schema of the records to DIRECTORY (default docs/schema)."""
    from .schema import export_json_schema

    for path in export_json_schema(directory):
        click.echo(str(path))


def main(argv: list[str] | None = None) -> None:
    """Entry point: user errors exit 2 with a message, never a traceback."""
    try:
        cli.main(args=argv, prog_name="replylint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except ReplylintError as exc:
        fail(exc.message)
        sys.exit(2)
    except BrokenPipeError:
        # Output piped into `head`: not an error.
        try:
            sys.stdout = None  # type: ignore[assignment]
        finally:
            os._exit(0)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
