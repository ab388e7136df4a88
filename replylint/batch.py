"""Batch linting: a stream of records in, one result (or error) record out per input.

Records are linted in input order and written as they are produced, so memory
stays flat whatever the size of the export. A record that cannot be linted becomes
an :class:`~replylint.schema.ErrorRecord` with its line number; the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from pydantic import ValidationError

from .engine import Linter
from .errors import ReplylintError
from .records import error
from .schema import ErrorRecord, InputRecord, ResultRecord

log = logging.getLogger(__name__)


@dataclass
class BatchStats:
    records: int = 0
    linted: int = 0
    errors: int = 0
    non_compliant: int = 0
    error_lines: list[int] = field(default_factory=list)

    def add(self, item: ResultRecord | ErrorRecord, line: int) -> None:
        self.records += 1
        if isinstance(item, ErrorRecord):
            self.errors += 1
            if len(self.error_lines) < 1000:
                self.error_lines.append(line)
        else:
            self.linted += 1
            self.non_compliant += not item.compliant


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:4]:
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


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


def write_jsonl(
    results: Iterable[tuple[int, ResultRecord | ErrorRecord]],
    out: IO[str],
    on_item: Callable[[int, ResultRecord | ErrorRecord], None] | None = None,
) -> BatchStats:
    stats = BatchStats()
    for line, item in results:
        out.write(item.model_dump_json(exclude_none=isinstance(item, ErrorRecord)))
        out.write("\n")
        stats.add(item, line)
        if on_item is not None:
            on_item(line, item)
    out.flush()
    return stats
