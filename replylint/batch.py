"""Batch linting: a stream of records in, one result (or error) record out per input.

Records are read in chunks, linted in input order — in this process or in worker
processes — and written as each chunk completes, so memory stays flat whatever the
size of the export. A record that cannot be linted becomes an
:class:`~replylint.schema.ErrorRecord` with its line number; the run goes on.

Parallel runs (``jobs > 1``) lint the first chunk here, which loads the pipelines
of the languages in use and the language detector, then fork the workers: they
share those tables copy-on-write instead of loading one copy each. Where ``fork``
does not exist, each worker builds its own :class:`~replylint.engine.Linter` once.
At most ``2 × jobs`` chunks are in flight, so a slow writer or a huge input cannot
fill memory, and results are yielded in input order, so ``--jobs 2`` writes
exactly what ``--jobs 1`` writes.

Each output line is produced by the same function in every mode
(:func:`process_chunk`): the JSON of the record and its report :class:`Summary`.
"""

from __future__ import annotations

import gc
import json
import logging
import multiprocessing as mp
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.context import BaseContext
from typing import IO, Any, NamedTuple

from pydantic import ValidationError

from .engine import Linter, LintOptions
from .errors import ConfigError, InputError, ReplylintError, RuleFileError
from .records import ColumnMap, Item, Payload, error, payload_record
from .report.aggregate import Summary, summarise
from .schema import ErrorRecord, InputRecord, ResultRecord

log = logging.getLogger(__name__)

#: Records per chunk handed to a worker: large enough to amortise the hand-over,
#: small enough to keep the progress bar moving and memory low.
CHUNK_SIZE = 200


@dataclass
class BatchStats:
    records: int = 0
    linted: int = 0
    errors: int = 0
    non_compliant: int = 0
    error_lines: list[int] = field(default_factory=list)

    def add(self, item: ResultRecord | ErrorRecord, line: int) -> None:
        if isinstance(item, ErrorRecord):
            self.add_error(line)
        else:
            self.add_result(item.compliant)

    def add_error(self, line: int) -> None:
        self.records += 1
        self.errors += 1
        if len(self.error_lines) < 1000:
            self.error_lines.append(line)

    def add_result(self, compliant: bool) -> None:
        self.records += 1
        self.linted += 1
        self.non_compliant += not compliant

    def add_summary(self, summary: Summary) -> None:
        if summary.error is not None:
            self.add_error(summary.line)
        else:
            self.add_result(bool(summary.compliant))


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:4]:
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def record_key(line: int, item: dict[str, Any] | ErrorRecord) -> str:
    """The id a record's result will carry (its line number when it has none)."""
    if isinstance(item, ErrorRecord):
        return item.id if item.id is not None else str(line)
    rec_id = item.get("id")
    if rec_id is None or rec_id == "":
        return str(line)
    if isinstance(rec_id, bool):
        return str(rec_id).lower()
    return str(rec_id)


def lint_item(
    linter: Linter, line: int, item: dict[str, Any] | ErrorRecord, **check_kwargs: Any
) -> ResultRecord | ErrorRecord:
    """Lint one raw record; any problem becomes an error record for that line."""
    if isinstance(item, ErrorRecord):
        return item
    rec_id = item.get("id")
    if rec_id is None or rec_id == "":
        item = {**item, "id": str(line)}
        rec_id = item["id"]
    try:
        record = InputRecord.model_validate(item)
    except ValidationError as exc:
        return error(line, "invalid-record", _validation_message(exc), rec_id)
    try:
        return linter.check(record, **check_kwargs)
    except RuleFileError as exc:
        # Found while linting: a rule's patterns for this record's language are
        # broken. Other languages may be fine, so the run goes on.
        return error(line, exc.code, exc.message, rec_id)
    except ConfigError:
        raise  # a bad option concerns every record: stop the run
    except ReplylintError as exc:
        return error(line, exc.code, exc.message, rec_id)
    except RecursionError:
        return error(line, "invalid-input", "input nested too deeply", rec_id)
    except Exception as exc:  # a bug must not lose the other records
        log.exception("internal error on line %s", line)
        return error(line, "internal-error", f"{type(exc).__name__}: {exc}", rec_id)


def lint_stream(
    linter: Linter,
    items: Iterable[tuple[int, dict[str, Any] | ErrorRecord]],
    **check_kwargs: Any,
) -> Iterator[tuple[int, ResultRecord | ErrorRecord]]:
    for line, item in items:
        yield line, lint_item(linter, line, item, **check_kwargs)


def to_json(item: ResultRecord | ErrorRecord) -> str:
    """One output line (without the newline): result records keep null fields."""
    return item.model_dump_json(exclude_none=isinstance(item, ErrorRecord))


def write_jsonl(
    results: Iterable[tuple[int, ResultRecord | ErrorRecord]],
    out: IO[str],
    on_item: Callable[[int, ResultRecord | ErrorRecord], None] | None = None,
) -> BatchStats:
    stats = BatchStats()
    for line, item in results:
        out.write(to_json(item))
        out.write("\n")
        stats.add(item, line)
        if on_item is not None:
            on_item(line, item)
    out.flush()
    return stats


# -- chunked, ordered, optionally parallel processing -------------------------------------


@dataclass(frozen=True)
class BatchSettings:
    """What a worker needs besides the linter; small and picklable."""

    options: LintOptions = field(default_factory=LintOptions)
    columns: ColumnMap | None = None  # renames for raw JSONL lines
    marketplace: str | None = None  # default when a record has none
    lang: str | None = None
    extra_rules: tuple[str, ...] = ()  # the configuration's own rule files


class Processed(NamedTuple):
    """One input line's outcome: the output line and what the report needs of it."""

    line: int
    json: str
    summary: Summary


def with_defaults(
    record: dict[str, Any] | ErrorRecord, settings: BatchSettings
) -> dict[str, Any] | ErrorRecord:
    if isinstance(record, dict):
        if settings.marketplace and not record.get("marketplace"):
            record["marketplace"] = settings.marketplace
        if settings.lang and not record.get("lang"):
            record["lang"] = settings.lang
    return record


def process_item(linter: Linter, settings: BatchSettings, line: int, payload: Payload) -> Processed:
    record = with_defaults(payload_record(line, payload, settings.columns), settings)
    item = lint_item(linter, line, record)
    text = to_json(item)
    return Processed(line, text, summarise(json.loads(text), line))


def process_chunk(chunk: list[Item]) -> list[Processed]:
    """Lint a chunk in a worker process (the linter was set up by :func:`_init_worker`)."""
    if _worker is None:  # pragma: no cover - a pool is always initialised
        raise RuntimeError("worker not initialised")
    linter, settings = _worker
    return [process_item(linter, settings, line, payload) for line, payload in chunk]


_worker: tuple[Linter, BatchSettings] | None = None
#: The parent's warm linter, inherited by forked workers (never pickled).
_inherited: Linter | None = None


def _init_worker(settings: BatchSettings) -> None:
    global _worker
    # Ctrl-C goes to the whole process group: the parent decides what to do.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's graceful stop
    linter = _inherited if _inherited is not None else _build_linter(settings)
    _worker = (linter, settings)


def _build_linter(settings: BatchSettings) -> Linter:
    """A worker's own linter (where processes cannot be forked from a warm parent)."""
    from pathlib import Path

    from .catalogue import load_catalogue

    catalogue = load_catalogue(extra_rule_paths=[Path(p) for p in settings.extra_rules])
    return Linter(catalogue, settings.options)


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _crashed(chunk: list[Item]) -> list[Processed]:
    out = []
    for line, _payload in chunk:
        rec = error(line, "internal-error", "the worker process linting this record died")
        text = to_json(rec)
        out.append(Processed(line, text, summarise(json.loads(text), line)))
    return out


class BatchRunner:
    """Lints items chunk by chunk, in order; in this process or in ``jobs`` workers."""

    def __init__(
        self,
        settings: BatchSettings,
        *,
        jobs: int = 1,
        chunk_size: int = CHUNK_SIZE,
        linter: Linter | None = None,
    ) -> None:
        if jobs < 1:
            raise InputError("--jobs must be at least 1")
        self.settings = settings
        self.jobs = jobs
        self.chunk_size = chunk_size
        self.linter = linter or Linter(options=settings.options)
        self._pool: ProcessPoolExecutor | None = None

    def run(self, items: Iterable[Item]) -> Iterator[list[tuple[Payload, Processed]]]:
        """Chunks of (payload, processed), in input order."""
        it = iter(items)
        first = list(islice(it, self.chunk_size))
        if not first:
            return
        yield self._local(first)
        if self.jobs == 1:
            while chunk := list(islice(it, self.chunk_size)):
                yield self._local(chunk)
            return
        try:
            yield from self._parallel(it)
        finally:
            self.close()

    def _local(self, chunk: list[Item]) -> list[tuple[Payload, Processed]]:
        return [(p, process_item(self.linter, self.settings, line, p)) for line, p in chunk]

    def _start_pool(self, workers: int) -> ProcessPoolExecutor:
        global _inherited
        context: BaseContext
        if "fork" in mp.get_all_start_methods():
            _inherited = self.linter
            # Objects alive now are never collected in the workers, so the garbage
            # collector does not touch (and un-share) their pages.
            gc.freeze()
            context = mp.get_context("fork")
        else:  # pragma: no cover - not Linux
            _inherited = None
            context = mp.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(self.settings,)
        )

    def _parallel(self, it: Iterator[Item]) -> Iterator[list[tuple[Payload, Processed]]]:
        pending: deque[tuple[list[Item], Future[list[Processed]]]] = deque()
        max_in_flight = 2 * self.jobs
        exhausted = False
        self._pool = self._start_pool(self.jobs)
        while True:
            while not exhausted and len(pending) < max_in_flight:
                chunk = list(islice(it, self.chunk_size))
                if not chunk:
                    exhausted = True
                    break
                pending.append((chunk, self._pool.submit(process_chunk, chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                processed = future.result()
            except BrokenProcessPool:
                processed = self._recover(chunk, pending)
            yield [(payload, p) for (_, payload), p in zip(chunk, processed, strict=True)]

    def _recover(
        self, chunk: list[Item], pending: deque[tuple[list[Item], Future[list[Processed]]]]
    ) -> list[Processed]:
        """A worker died (killed, out of memory): restart the pool and redo what was lost.

        The chunk at the head is redone one record at a time in a throw-away
        process, so a record that kills its process gets an error record of its own
        and every other record its result.
        """
        log.warning("a worker process died; restarting the pool")
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._start_pool(self.jobs)
        redo = [c for c, _f in pending]
        pending.clear()
        for c in redo:
            pending.append((c, self._pool.submit(process_chunk, c)))
        out: list[Processed] = []
        single: ProcessPoolExecutor | None = None
        for item in chunk:
            single = single or self._start_pool(1)
            try:
                out.extend(single.submit(process_chunk, [item]).result())
            except BrokenProcessPool:
                out.extend(_crashed([item]))
                single.shutdown(wait=False, cancel_futures=True)
                single = None
        if single is not None:
            single.shutdown(wait=False)
        return out

    def close(self) -> None:
        global _inherited
        if self._pool is not None:
            # Waiting (for at most the chunks already running: the rest is cancelled)
            # lets the pool's manager thread end before the interpreter does; left
            # behind, it could write to a closed pipe at exit and print a traceback.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        _inherited = None
        gc.unfreeze()


# -- resuming an interrupted run ------------------------------------------------------------


@dataclass
class ResumePoint:
    """Where an earlier run stopped: records already written and where to append."""

    records: int = 0
    offset: int = 0  # bytes of complete, valid output to keep
    dropped_tail: bool = False  # a half-written last line was found (and will be cut)


def _output_key(rec: dict[str, Any]) -> tuple[str, str]:
    if isinstance(rec.get("error"), dict) and rec.get("line") is not None:
        return "line", str(rec["line"])
    return "id", str(rec.get("id"))


def resume_from(
    output: str,
    items: Iterator[Item],
    settings: BatchSettings,
    on_record: Callable[[Summary, tuple[str | None, str | None]], None],
) -> ResumePoint:
    """Skip the input records an earlier run already wrote to ``output``.

    Output is written in input order, so the records already done are a prefix of
    the input: the output is read in step with the input, and every written record
    must carry the id (or, for an error record, the line) of the input record at
    its position — otherwise the output belongs to another input and nothing is
    changed. A last line cut short by the interruption is not counted; its record
    is linted again. ``on_record`` receives each written record's summary and its
    input text (for the report). Raises :class:`InputError` when resuming is unsafe.
    """
    point = ResumePoint()
    with open(output, "rb") as fh:
        lines = iter(fh)
        current = next(lines, None)
        number = 0
        while current is not None:
            following = next(lines, None)
            number += 1
            last = following is None
            if not current.endswith(b"\n"):
                point.dropped_tail = True
                break
            try:
                rec = json.loads(current)
                if not isinstance(rec, dict):
                    raise ValueError("not an object")
            except (ValueError, RecursionError):
                if last:
                    point.dropped_tail = True
                    break
                raise InputError(
                    f"{output}: line {number} is not a result record; cannot resume "
                    "(start afresh without --resume)"
                ) from None
            item = next(items, None)
            if item is None:
                raise InputError(
                    f"{output} has more records than the input; was it written from another file? "
                    "Start afresh without --resume"
                )
            line, payload = item
            record = payload_record(line, payload, settings.columns)
            kind, written = _output_key(rec)
            expected = str(line) if kind == "line" else record_key(line, record)
            if written != expected:
                raise InputError(
                    f"{output}: record {number} has {kind} {written!r} "
                    f"but input line {line} gives {expected!r}; "
                    "the output was not written from this input (start afresh without --resume)"
                )
            texts: tuple[str | None, str | None] = (None, None)
            if isinstance(record, dict):
                text, buyer = record.get("text"), record.get("buyer_message")
                texts = (text if isinstance(text, str) else None, buyer if isinstance(buyer, str) else None)
            on_record(summarise(rec, line), texts)
            point.records += 1
            point.offset += len(current)
            current = following
    return point
