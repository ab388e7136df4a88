"""`replylint batch`: one result record per input record, streaming, with QA reports."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from itertools import chain
from pathlib import Path
from typing import IO, Any

import click

from ..cli import common_options, split_names
from ..errors import InputError

#: --xxx-col option → the record field it fills (reports read these fields).
FIELD_OPTIONS = {
    "agent_col": "agent",
    "time_col": "replied_at",
    "created_col": "created_at",
    "order_col": "order_id",
    "buyer_id_col": "buyer_id",
}


def _jobs(value: str) -> int:
    from ..batch import default_jobs

    if value == "auto":
        return default_jobs()
    try:
        jobs = int(value)
    except ValueError:
        raise click.BadParameter("a number of processes or 'auto'", param_hint="--jobs") from None
    if jobs < 1:
        raise click.BadParameter("must be at least 1", param_hint="--jobs")
    return jobs


@click.command()
@click.argument("input_path", metavar="INPUT", type=str)
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="JSONL output file (- for standard output).",
)
@common_options
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["jsonl", "csv", "xlsx"]),
    default=None,
    help="Input format (default: from the file name; standard input is JSONL).",
)
@click.option("--text-col", default=None, help="Column with the reply (default: text, reply, message …).")
@click.option("--buyer-col", default=None, help="Column with the buyer's message (default: buyer_message …).")
@click.option("--id-col", default=None, help="Column with the record id (default: id, else the line number).")
@click.option("--agent-col", default=None, help="Column with the agent's name (default: agent, assignee …).")
@click.option(
    "--time-col",
    default=None,
    help="Column with the time the reply was sent (default: replied_at, sent_at …).",
)
@click.option(
    "--created-col",
    default=None,
    help="Column with the time the buyer's message came in (default: created_at, received_at …).",
)
@click.option("--order-col", default=None, help="Column with the order id (default: order_id, order …).")
@click.option(
    "--buyer-id-col", default=None, help="Column identifying the buyer (default: buyer_id, customer_id …)."
)
@click.option(
    "--col",
    "more_cols",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Any other record field from a column, e.g. --col channel=Source (repeatable).",
)
@click.option("--delimiter", default=None, help="CSV delimiter (default: detected among , ; tab |).")
@click.option("--encoding", default=None, help="CSV encoding (default: UTF-8, else detected).")
@click.option("--sheet", default=None, help="Excel worksheet (default: the first).")
@click.option(
    "-j",
    "--jobs",
    "jobs_opt",
    default="auto",
    show_default=True,
    help="Processes linting in parallel: a number, or auto for every CPU this process may use.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue an interrupted run: keep the records already in --output, lint the rest.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a self-contained HTML report for QA leads.",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report's figures as CSV (one row per group) or JSON, by extension.",
)
@click.option("--title", default=None, help="Title of the HTML report (default: from the input name).")
@click.option(
    "--worst", default=25, show_default=True, type=click.IntRange(0, 500), help="Worst replies shown."
)
@click.option(
    "--sla-hours",
    default=24.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="First-response target for replies whose buyer message was not triaged.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: on a terminal).")
@click.option("--chunk-size", default=None, type=click.IntRange(1, 100_000), hidden=True)
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
    more_cols: tuple[str, ...],
    delimiter: str | None,
    encoding: str | None,
    sheet: str | None,
    jobs_opt: str,
    resume: bool,
    report_path: Path | None,
    summary_path: Path | None,
    title: str | None,
    worst: int,
    sla_hours: float,
    isolated: bool,
    progress: bool | None,
    chunk_size: int | None,
    **field_cols: str | None,
) -> None:
    """Lint every record of a JSONL, CSV or Excel export; one result record per input record.

    \b
    replylint batch replies.jsonl -o results.jsonl
    replylint batch export.csv --agent-col Assignee --time-col "Sent at" \\
        -o results.jsonl --report qa.html --summary qa.csv
    replylint batch export.xlsx -o results.jsonl --resume     # after an interruption

    Results are written in input order as they are produced. A record that cannot
    be linted yields an error record with its line number and the run goes on.
    Record fields win over --marketplace/--lang. See docs/batch.md.
    """
    from ..batch import BatchRunner, BatchSettings, BatchStats, ResumePoint, resume_from
    from ..config import Config, load_config
    from ..engine import Linter, LintOptions, default_linter
    from ..records import ColumnMap, Format, ReadNotes, detect_format, iter_records, payload_record
    from ..report import Aggregate

    jobs = _jobs(jobs_opt)
    if resume and output == "-":
        raise click.UsageError("--resume needs an output file (-o FILE)")
    if summary_path is not None and summary_path.suffix.lower() not in {".csv", ".json"}:
        raise click.UsageError("--summary must end in .csv or .json")
    for path in (report_path, summary_path):
        if path is not None and output != "-" and path.resolve() == Path(output).resolve():
            raise click.UsageError(f"{path} is also the --output file")
    if input_path != "-":
        targets: list[tuple[str, str | None]] = [
            ("--output", None if output == "-" else output),
            ("--report", str(report_path) if report_path else None),
            ("--summary", str(summary_path) if summary_path else None),
        ]
        for option, target in targets:
            if target is not None and Path(target).resolve() == Path(input_path).resolve():
                raise click.UsageError(f"{option} {target} would overwrite the input")
    extra = {FIELD_OPTIONS[k]: v for k, v in field_cols.items() if v}
    for spec in more_cols:
        name, sep, col = spec.partition("=")
        if not sep or not name.strip() or not col.strip():
            raise click.BadParameter(f"{spec!r}: expected FIELD=COLUMN", param_hint="--col")
        extra[name.strip()] = col.strip()
    columns = ColumnMap(text=text_col, buyer_message=buyer_col, id=id_col, extra=extra)
    # Configuration as for `check`: --config, else the nearest to the input file.
    start = Path(input_path).resolve().parent if input_path != "-" else Path.cwd()
    config = Config() if isolated else load_config(config_path, start=start)
    config.validate()
    options = config.lint_options(select=split_names(select) or None, ignore=split_names(ignore))
    defaults = config.record_defaults()
    marketplace = marketplace or defaults.get("marketplace")
    settings = BatchSettings(
        options=options,
        columns=columns if columns.explicit() else None,
        marketplace=marketplace.lower() if marketplace else None,
        lang=lang or defaults.get("lang"),
        extra_rules=tuple(str(p) for p in config.extra_rule_paths),
    )
    fmt: Format = input_format or ("jsonl" if input_path == "-" else detect_format(input_path))  # type: ignore[assignment]
    notes = ReadNotes()
    reader = iter_records(
        input_path,
        fmt,
        columns,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
        notes=notes,
        raw_jsonl=True,
    )
    # Read the header now: a missing column must fail before the output is touched.
    first = next(reader, None)
    items: Iterator[Any] = chain([first], reader) if first is not None else iter(())
    for message in notes.messages:
        click.echo(f"replylint: note: {message}", err=True)
    # The shared default linter when nothing is configured: no second copy of the
    # compiled rules when batch runs inside a longer-lived process.
    if options == LintOptions() and not settings.extra_rules:
        linter = default_linter()
    else:
        linter = Linter(config.catalogue(), options)

    aggregate = Aggregate(worst=worst, default_sla_hours=sla_hours)
    stats = BatchStats()
    point = ResumePoint()
    if resume and os.path.exists(output) and os.path.getsize(output) > 0:

        def take(summary: Any, text: Any) -> None:
            stats.add_summary(summary)
            aggregate.add(summary, text)

        point = resume_from(output, items, settings, take)
        os.truncate(output, point.offset)
        tail = " (a half-written last line was dropped)" if point.dropped_tail else ""
        click.echo(f"replylint: resuming after {point.records} records already in {output}{tail}", err=True)

    show_progress = progress if progress is not None else sys.stderr.isatty()
    runner = BatchRunner(
        settings, jobs=jobs, linter=linter, **({"chunk_size": chunk_size} if chunk_size else {})
    )
    started = time.perf_counter()
    done_now = 0
    written = 0  # lines of this run in the output (for the interruption message)
    with ExitStack() as stack:
        if output == "-":
            out: IO[str] = sys.stdout
        else:
            try:
                out = stack.enter_context(
                    open(output, "a" if point.records else "w", encoding="utf-8", newline="\n")
                )
            except OSError as exc:
                raise InputError(f"{output}: cannot write: {exc.strerror}") from None
        advance: Callable[[int], None] = lambda n: None  # noqa: E731
        if show_progress:
            total = _estimate_total(input_path, fmt, notes)
            advance = stack.enter_context(_progress_bar(total, point.records))
        stack.callback(runner.close)
        stop = stack.enter_context(_GracefulStop())
        try:
            for chunk in runner.run(items):
                out.write("".join(p.json + "\n" for _, p in chunk))
                out.flush()
                written += len(chunk)
                for payload, processed in chunk:
                    stats.add_summary(processed.summary)
                    aggregate.add(
                        processed.summary, _text_of(processed.line, payload, settings, payload_record)
                    )
                done_now += len(chunk)
                advance(len(chunk))
                if stop.requested:
                    raise KeyboardInterrupt
        except KeyboardInterrupt:
            hint = f"; run again with --resume -o {output} to continue" if output != "-" else ""
            click.echo(
                f"\nreplylint: interrupted with {point.records + written} records written{hint}", err=True
            )
            sys.exit(130)
    elapsed = time.perf_counter() - started

    title = title or f"Reply QA: {Path(input_path).name if input_path != '-' else 'standard input'}"
    if report_path is not None:
        from ..report import write_report

        write_report(aggregate, report_path, title=title, source=input_path)
        click.echo(f"replylint: report written to {report_path}", err=True)
    if summary_path is not None:
        from ..report import write_summary

        write_summary(aggregate, summary_path)
        click.echo(f"replylint: summary written to {summary_path}", err=True)
    _report_stats(stats, done_now, elapsed, jobs)


def _text_of(
    line: int, payload: Any, settings: Any, to_record: Any
) -> Callable[[], tuple[str | None, str | None]]:
    """The reply and buyer message of a payload, read only if the report needs them."""

    def get() -> tuple[str | None, str | None]:
        record = to_record(line, payload, settings.columns)
        return _texts(record)

    return get


def _texts(record: Any) -> tuple[str | None, str | None]:
    if not isinstance(record, dict):
        return None, None
    text, buyer = record.get("text"), record.get("buyer_message")
    return (text if isinstance(text, str) else None, buyer if isinstance(buyer, str) else None)


class _GracefulStop:
    """Ctrl-C or SIGTERM (``kill``, a scheduler's time limit) asks the run to stop.

    The chunk being linted is finished and written, so the output ends on a whole
    line; a second signal stops at once. Only the main thread can set handlers;
    elsewhere signals keep their default behaviour.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: object) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def __enter__(self) -> _GracefulStop:
        try:
            for sig in self.SIGNALS:
                if signal.getsignal(sig) is not signal.SIG_IGN:
                    self._previous[sig] = signal.signal(sig, self._handle)
        except ValueError:  # not the main thread
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)


def _estimate_total(input_path: str, fmt: str, notes: Any) -> int | None:
    """Records to expect, for the ETA: counted lines (an estimate for multi-line CSV cells)."""
    if fmt == "xlsx":
        return notes.total  # type: ignore[no-any-return]
    if input_path == "-" or os.path.getsize(input_path) > 500_000_000:
        return None
    count = 0
    with open(input_path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            count += block.count(b"\n")
    return max(count - (1 if fmt == "csv" else 0), 0)


class _progress_bar:
    """A rich progress bar on standard error: count, rate and time left."""

    def __init__(self, total: int | None, done: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]linting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} rec/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("lint", total=total, completed=done, rate="-")
        self.start = time.perf_counter()
        self.done = 0

    def __enter__(self) -> Callable[[int], None]:
        self.progress.__enter__()
        return self.advance

    def advance(self, n: int) -> None:
        self.done += n
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        self.progress.update(self.task, advance=n, rate=f"{rate:,.0f}")

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


def _report_stats(stats: Any, done_now: int, elapsed: float, jobs: int) -> None:
    msg = f"{stats.records} records: {stats.linted} linted, {stats.non_compliant} not compliant"
    if stats.errors:
        lines = ", ".join(str(n) for n in stats.error_lines[:10])
        more = "…" if stats.errors > 10 else ""
        msg += f", {stats.errors} could not be linted (lines {lines}{more}; see their error records)"
    if done_now and elapsed > 0:
        procs = f"{jobs} processes" if jobs > 1 else "1 process"
        msg += f" [{done_now / elapsed:,.0f} records/s, {procs}]"
    click.echo(msg, err=True)
