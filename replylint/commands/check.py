"""`replylint check`: lint reply and template files, like a compiler."""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from ..cli import common_options, fail, split_names, use_colour
from ..errors import ReplylintError

#: File types `check` picks up when given a directory.
REPLY_SUFFIXES = (".txt", ".md", ".text", ".eml")


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
                str(f)
                for f in p.rglob("*")
                if f.is_file()
                and f.suffix.lower() in suffixes
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and not f.name.upper().startswith("README")
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


@click.command()
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
    from ..engine import Linter, LintOptions
    from ..formats import FileResult
    from ..schema import InputRecord

    files = expand_paths(paths)
    if not files:
        raise ReplylintError("no reply files found in " + ", ".join(paths))
    buyer_message = read_reply(buyer_message_path) if buyer_message_path else None
    options = LintOptions(
        select=split_names(select) or None,
        ignore=split_names(ignore),
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
                marketplace=marketplace or "amazon",  # type: ignore[arg-type]
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
        from ..formats.json import write_json

        write_json(results, out)
    else:
        from ..formats.text import write_text

        write_text(results, out, use_colour(color, out), show_summary=not quiet)
    if input_errors:
        sys.exit(2)
    has_error = any(d.severity == "error" for fr in results for d in fr.result.diagnostics)
    sys.exit(1 if has_error and not exit_zero else 0)
