"""Streaming readers for batch input: JSONL and CSV, one record at a time.

Every physical input line or row yields exactly one item: either a record (a dict,
validated later) or an :class:`~replylint.schema.ErrorRecord` saying what is wrong
with it and where. Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from .errors import InputError
from .schema import ErrorDetail, ErrorRecord
from .textio import decode_bytes

Format = Literal["jsonl", "csv"]

#: Column names tried, in order, when --text-col is not given.
TEXT_COLUMNS = ("text", "reply", "response", "draft", "message", "body", "answer", "content")
BUYER_COLUMNS = ("buyer_message", "buyer", "customer_message", "question", "inquiry", "enquiry")
ID_COLUMNS = ("id", "message_id", "ticket_id", "case_id", "reply_id")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ColumnMap:
    """Which CSV column feeds which record field (None: guess from the header)."""

    text: str | None = None
    buyer_message: str | None = None
    id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # record field → column


def detect_format(path: str) -> Format:
    lower = path.lower()
    if lower.endswith((".csv", ".tsv", ".txt.csv")):
        return "csv"
    return "jsonl"


def error(line: int, code: str, message: str, rec_id: Any = None) -> ErrorRecord:
    return ErrorRecord(
        id=None if rec_id is None else str(rec_id),
        line=line,
        error=ErrorDetail(code=code, message=message),
    )


def iter_jsonl(stream: IO[bytes]) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """One item per non-blank line of a JSONL byte stream."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield (
                number,
                error(number, "invalid-utf8", f"line is not valid UTF-8 (byte {exc.start})"),
            )
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                error(number, "invalid-json", f"invalid JSON: {exc.msg} at column {exc.colno}"),
            )
            continue
        except RecursionError:
            yield number, error(number, "invalid-json", "invalid JSON: nested too deeply")
            continue
        if not isinstance(value, dict):
            yield (
                number,
                error(number, "invalid-record", f"expected a JSON object, got {type(value).__name__}"),
            )
            continue
        yield number, value


def _pick(header: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    if wanted:
        if wanted in header:
            return wanted
        if wanted.lower() in lowered:
            return lowered[wanted.lower()]
        raise InputError(f"CSV has no column {wanted!r} for {what} (columns: {', '.join(header)})")
    for name in candidates:
        if name in lowered:
            return lowered[name]
    return None


def iter_csv(
    data: bytes, columns: ColumnMap | None = None, delimiter: str | None = None, name: str = "input"
) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """One item per CSV row; the header decides which column is the reply."""
    columns = columns or ColumnMap()
    decoded = decode_bytes(data, name)
    text = decoded.text
    if delimiter is None:
        sample = text[:65536]
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = "\t" if name.lower().endswith(".tsv") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: the CSV file is empty") from None
    header = [h.strip() for h in header]
    text_col = _pick(header, columns.text, TEXT_COLUMNS, "the reply text")
    if text_col is None:
        raise InputError(
            f"{name}: CSV has no text column (columns: {', '.join(header)}); "
            "name it 'text' or pass --text-col"
        )
    buyer_col = _pick(header, columns.buyer_message, BUYER_COLUMNS, "the buyer message")
    id_col = _pick(header, columns.id, ID_COLUMNS, "the id")
    index = {h: i for i, h in enumerate(header)}
    renames = {text_col: "text"}
    if buyer_col:
        renames[buyer_col] = "buyer_message"
    if id_col:
        renames[id_col] = "id"
    for fld, col in columns.extra.items():
        picked = _pick(header, col, (), fld)
        if picked:
            renames[picked] = fld
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row_number = reader.line_num
            yield row_number, error(row_number, "invalid-csv", f"broken CSV row: {exc}")
            continue
        row_number = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            rec_id = row[index[id_col]] if id_col and index[id_col] < len(row) else None
            yield (
                row_number,
                error(
                    row_number,
                    "invalid-csv",
                    f"row has {len(row)} fields, the header has {len(header)}",
                    rec_id,
                ),
            )
            continue
        record: dict[str, Any] = {}
        for h, value in zip(header, row, strict=True):
            key = renames.get(h, h)
            if value == "" and key in {"buyer_message", "lang", "marketplace"}:
                continue
            record[key] = value
        if "id" not in record:
            record["id"] = str(row_number)
        yield row_number, record


def iter_records(
    path: str, fmt: Format | None = None, columns: ColumnMap | None = None
) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """Records from ``path`` ("-" for standard input, read as JSONL unless fmt says CSV)."""
    fmt = fmt or ("jsonl" if path == "-" else detect_format(path))
    if path == "-":
        if fmt == "csv":
            yield from iter_csv(sys.stdin.buffer.read(), columns, name="<stdin>")
        else:
            yield from iter_jsonl(sys.stdin.buffer)
        return
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a JSONL or CSV file")
    if fmt == "csv":
        yield from iter_csv(p.read_bytes(), columns, name=path)
    else:
        with p.open("rb") as fh:
            yield from iter_jsonl(fh)
