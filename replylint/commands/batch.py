"""`replylint batch`: one result record per input record, streaming."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ..cli import common_options, split_names


@click.command()
@click.argument("input_path", metavar="INPUT", type=str)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default="-",
    show_default=True,
    help="JSONL output file.",
)
@common_options
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["jsonl", "csv"]),
    default=None,
    help="Input format (default: from the file name).",
)
@click.option("--text-col", default=None, help="CSV column with the reply (default: text, reply, message …).")
@click.option("--buyer-col", default=None, help="CSV column with the buyer's message.")
@click.option(
    "--id-col",
    default=None,
    help="CSV column with the record id (default: id, else the row number).",
)
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
    from ..batch import lint_stream, write_jsonl
    from ..engine import Linter, LintOptions
    from ..records import ColumnMap, iter_records

    options = LintOptions(select=split_names(select) or None, ignore=split_names(ignore))
    linter = Linter(options=options)
    columns = ColumnMap(text=text_col, buyer_message=buyer_col, id=id_col)
    items: Iterable[tuple[int, Any]] = iter_records(input_path, input_format, columns)  # type: ignore[arg-type]
    if marketplace or lang:
        items = _with_defaults(items, marketplace, lang)
    stream = lint_stream(linter, items)

    show_progress = progress if progress is not None else sys.stderr.isatty()
    out_file = None
    try:
        out = sys.stdout if output == "-" else open(output, "w", encoding="utf-8")  # noqa: SIM115
        out_file = None if output == "-" else out
        stats = _with_progress(stream, out, input_path) if show_progress else write_jsonl(stream, out)
    finally:
        if out_file is not None:
            out_file.close()
    _report_stats(stats)


def _with_defaults(
    items: Iterable[tuple[int, Any]], marketplace: str | None, lang: str | None
) -> Iterable[tuple[int, Any]]:
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

    from ..batch import write_jsonl

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
