"""Streaming readers for batch input: JSONL, CSV and Excel, one record at a time.

Every physical JSONL line, CSV row or worksheet row yields exactly one item: a
record (a dict, validated later), the raw bytes of a JSONL line (parsed later, in a
worker process, see :func:`parse_jsonl_line`) or an
:class:`~replylint.schema.ErrorRecord` saying what is wrong with it and where.
Nothing is dropped silently, and nothing reads a whole file into memory: CSV is
decoded line by line after its encoding has been decided on the first megabyte,
Excel is read with openpyxl's read-only (streaming) mode.

Column names are matched case-insensitively; when an option such as
``--agent-col`` is not given, the usual names of help-desk and marketplace exports
are tried (:data:`FIELD_COLUMNS`).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from .errors import InputError
from .schema import MARKETPLACES, ErrorDetail, ErrorRecord
from .textio import looks_binary

log = logging.getLogger(__name__)

Format = Literal["jsonl", "csv", "xlsx"]
FORMATS: tuple[str, ...] = ("jsonl", "csv", "xlsx")

#: What a reader yields for one input line: a record, a raw JSONL line, or an error.
Payload = dict[str, Any] | bytes | ErrorRecord
Item = tuple[int, Payload]

#: Column names tried, in order, when --text-col is not given.
TEXT_COLUMNS = ("text", "reply", "response", "draft", "message", "body", "answer", "content")
BUYER_COLUMNS = ("buyer_message", "buyer", "customer_message", "question", "inquiry", "enquiry")
ID_COLUMNS = ("id", "message_id", "ticket_id", "case_id", "reply_id")
#: Record field → column names tried when its option is not given (reports use them).
FIELD_COLUMNS: dict[str, tuple[str, ...]] = {
    "agent": ("agent", "agent_name", "assignee", "responder", "author", "staff", "rep"),
    "replied_at": ("replied_at", "reply_time", "replied", "sent_at", "responded_at", "answered_at"),
    "created_at": (
        "created_at",
        "received_at",
        "buyer_message_at",
        "question_time",
        "ticket_created_at",
        "created",
    ),
    "order_id": ("order_id", "order", "order_number", "order_no", "amazon_order_id"),
    "buyer_id": ("buyer_id", "customer_id", "buyer_email", "customer_email", "customer", "requester"),
    "marketplace": ("marketplace", "platform"),
    "lang": ("lang", "language", "locale"),
}

#: Bytes read to decide a CSV file's encoding and delimiter.
SNIFF_BYTES = 1 << 20
_DELIMITERS = (",", ";", "\t", "|")
#: A well-formed UTF-8 sequence of two to four bytes (what legacy encodings rarely produce).
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class ColumnMap:
    """Which column feeds which record field (None: guess from the header).

    ``extra`` maps further record fields (``agent``, ``replied_at`` …) to columns.
    For JSONL input only explicit names apply: the keys are renamed, and a dotted
    name (``agent.name``) reaches into a nested object.
    """

    text: str | None = None
    buyer_message: str | None = None
    id: str | None = None
    extra: dict[str, str] = field(default_factory=dict)  # record field → column

    def explicit(self) -> dict[str, str]:
        """Record field → column for every column named by the user."""
        out = dict(self.extra)
        for fld in ("text", "buyer_message", "id"):
            col = getattr(self, fld)
            if col:
                out[fld] = col
        return out


@dataclass
class ReadNotes:
    """What a reader decided on the user's behalf (encoding, delimiter, columns)."""

    messages: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # record field → column used
    total: int | None = None  # rows, when the format knows it up front

    def note(self, message: str) -> None:
        log.info("%s", message)
        self.messages.append(message)


def detect_format(path: str) -> Format:
    lower = path.lower()
    if lower.endswith((".csv", ".tsv", ".tab")):
        return "csv"
    if lower.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if lower.endswith(".xls"):
        raise InputError(f"{path}: Excel 97-2003 workbooks (.xls) are not supported; save it as .xlsx or CSV")
    return "jsonl"


def error(line: int, code: str, message: str, rec_id: Any = None) -> ErrorRecord:
    return ErrorRecord(
        id=None if rec_id is None else str(rec_id),
        line=line,
        error=ErrorDetail(code=code, message=message),
    )


# -- JSONL ------------------------------------------------------------------------------


def iter_jsonl_raw(stream: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSONL byte stream, undecoded, with their line numbers."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if raw.strip():
            yield number, raw


def parse_jsonl_line(
    number: int, raw: bytes, columns: ColumnMap | None = None
) -> dict[str, Any] | ErrorRecord:
    """One JSONL line → a record, or an error record naming what is wrong."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(number, "invalid-utf8", f"line is not valid UTF-8 (byte {exc.start})")
    try:
        value: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        return error(number, "invalid-json", f"invalid JSON: {exc.msg} at column {exc.colno}")
    except RecursionError:
        return error(number, "invalid-json", "invalid JSON: nested too deeply")
    if not isinstance(value, dict):
        return error(number, "invalid-record", f"expected a JSON object, got {type(value).__name__}")
    record: dict[str, Any] = value
    return remap_record(record, columns) if columns is not None else record


def iter_jsonl(
    stream: IO[bytes], columns: ColumnMap | None = None
) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """One item per non-blank line of a JSONL byte stream."""
    for number, raw in iter_jsonl_raw(stream):
        yield number, parse_jsonl_line(number, raw, columns)


def _lookup(record: dict[str, Any], name: str) -> tuple[bool, Any]:
    if name in record:
        return True, record[name]
    lowered = {str(k).lower(): k for k in record}
    if name.lower() in lowered:
        return True, record[lowered[name.lower()]]
    if "." in name:  # nested object: agent.name
        value: Any = record
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return False, None
            value = value[part]
        return True, value
    return False, None


def remap_record(record: dict[str, Any], columns: ColumnMap) -> dict[str, Any]:
    """Rename the keys the user named (``--text-col body`` → ``text``) in a JSON record."""
    mapping = columns.explicit()
    if not mapping:
        return record
    out = dict(record)
    for fld, col in mapping.items():
        if col == fld:
            continue
        found, value = _lookup(record, col)
        if found:
            out.pop(col, None)
            out[fld] = value
    return out


# -- shared by the tabular formats --------------------------------------------------------


def _unique_header(header: Iterable[Any]) -> list[str]:
    """Header cells as unique, non-empty names (duplicates get _2, _3 …)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(header, start=1):
        name = "" if cell is None else str(cell).strip()
        name = name or f"column_{i}"
        base, n = name, 1
        while name.lower() in seen:
            n += 1
            name = f"{base}_{n}"
        seen.add(name.lower())
        out.append(name)
    return out


def _key(name: str) -> str:
    """'Order ID', 'order-id', 'ORDER_ID' → 'order_id': how header names are compared."""
    return re.sub(r"[\s\-.]+", "_", name.strip().lower())


def _pick(header: list[str], wanted: str | None, candidates: tuple[str, ...], what: str) -> str | None:
    normalised: dict[str, str] = {}
    for h in header:
        normalised.setdefault(_key(h), h)
    if wanted:
        if wanted in header:
            return wanted
        if _key(wanted) in normalised:
            return normalised[_key(wanted)]
        raise InputError(f"no column {wanted!r} for {what} (columns: {', '.join(header)})")
    for name in candidates:
        if name in normalised:
            return normalised[name]
    return None


def _marketplace_value(value: str) -> str:
    """'Amazon.de', 'eBay UK', 'Shopify' → the profile name; anything else unchanged."""
    low = value.strip().lower()
    head = low.replace(".", " ").replace("-", " ").split(" ", 1)[0] if low else low
    return head if head in MARKETPLACES else value


@dataclass
class _Layout:
    """How a header's columns become record fields."""

    header: list[str]
    renames: dict[str, str]  # column → record field
    id_col: str | None

    @classmethod
    def from_header(cls, header: list[str], columns: ColumnMap, name: str, notes: ReadNotes) -> _Layout:
        try:
            text_col = _pick(header, columns.text, TEXT_COLUMNS, "the reply text (--text-col)")
            if text_col is None:
                raise InputError(
                    f"no text column (columns: {', '.join(header)}); name it 'text' or pass --text-col"
                )
            buyer_col = _pick(header, columns.buyer_message, BUYER_COLUMNS, "the buyer message (--buyer-col)")
            id_col = _pick(header, columns.id, ID_COLUMNS, "the id (--id-col)")
            renames = {text_col: "text"}
            if buyer_col:
                renames[buyer_col] = "buyer_message"
            if id_col:
                renames[id_col] = "id"
            for fld, candidates in FIELD_COLUMNS.items():
                col = _pick(header, columns.extra.get(fld), candidates, fld)
                if col and col not in renames:
                    renames[col] = fld
            for fld, col in columns.extra.items():
                if fld not in FIELD_COLUMNS:
                    picked = _pick(header, col, (), fld)
                    if picked and picked not in renames:
                        renames[picked] = fld
        except InputError as exc:
            raise InputError(f"{name}: {exc.message}") from None
        for col, fld in renames.items():
            notes.columns[fld] = col
        return cls(header, renames, id_col)

    def record(self, values: list[str], line: int) -> dict[str, Any]:
        record: dict[str, Any] = {}
        for h, value in zip(self.header, values, strict=True):
            key = self.renames.get(h, h)
            if value == "" and key in {"buyer_message", "lang", "marketplace"}:
                continue
            if key == "marketplace":
                value = _marketplace_value(value)
            record[key] = value
        if not record.get("id"):
            record["id"] = str(line)
        return record


# -- CSV --------------------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A byte stream that replays ``head`` (already read) before the rest of ``rest``."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head.nbytes:
            n = min(len(buffer), self._head.nbytes)
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _decide_encoding(head: bytes, name: str, encoding: str | None, notes: ReadNotes) -> str:
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}") from None
        return encoding
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if looks_binary(head):
        raise InputError(f"{name}: looks like a binary file, not CSV text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    if _UTF8_MULTIBYTE.search(head):
        # Real UTF-8 text around a few broken bytes: a damaged export, not a legacy
        # encoding. The rows holding the bad bytes become error records.
        notes.note(f"{name}: some rows are not valid UTF-8; they get error records")
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is not None and best.encoding and best.encoding.lower() not in {"utf_8", "utf-8", "ascii"}:
        enc = str(best.encoding)
        notes.note(f"{name}: not UTF-8, read as {enc} (pass --encoding to choose)")
        return enc
    raise InputError(
        f"{name}: not valid UTF-8 (byte {first_error.start}) and no other encoding fits; "
        "re-save it as UTF-8 or pass --encoding"
    )


def _sniff_delimiter(sample: str, name: str) -> str:
    """The delimiter that splits the header and the first rows into the same, largest width."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-row
    best, best_score = ("\t" if name.lower().endswith((".tsv", ".tab")) else ","), (0, 0)
    for delim in _DELIMITERS:
        try:
            rows = [
                r for r in csv.reader(io.StringIO("".join(lines[:200]), newline=""), delimiter=delim) if r
            ]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:21]
        consistent = sum(len(r) == width for r in body)
        score = (consistent if width > 1 else -1, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def _decoded_lines(binary: IO[bytes], encoding: str, bad_lines: list[int]) -> Iterator[str]:
    """Physical lines decoded one by one; undecodable ones are noted, not fatal."""
    if encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        # Not ASCII-compatible: lines cannot be split on b"\n" before decoding.
        text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
        yield from text
        return
    for number, raw in enumerate(binary, start=1):
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            bad_lines.append(number)
            yield raw.decode(encoding, errors="replace")


def iter_csv(
    data: bytes | IO[bytes],
    columns: ColumnMap | None = None,
    delimiter: str | None = None,
    name: str = "input",
    *,
    encoding: str | None = None,
    notes: ReadNotes | None = None,
) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """One item per CSV row, streamed; the header decides which column is the reply.

    Line numbers are the physical line where a row starts (the header is line 1),
    as a spreadsheet shows them. A row that is not valid in the file's encoding, or
    has a different number of fields than the header, becomes an error record.
    """
    columns = columns or ColumnMap()
    notes = notes if notes is not None else ReadNotes()
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    head = stream.read(SNIFF_BYTES)
    if not head.strip():
        raise InputError(f"{name}: the CSV file is empty")
    enc = _decide_encoding(head, name, encoding, notes)
    binary = io.BufferedReader(_Prefixed(head, stream), buffer_size=1 << 16)
    if delimiter is None:
        sample = head[:65536].decode(enc, errors="replace")
        if sample.startswith("\ufeff"):
            sample = sample[1:]
        delimiter = _sniff_delimiter(sample, name)
    elif len(delimiter) != 1:
        delimiter = {"tab": "\t", "\\t": "\t"}.get(delimiter.lower(), delimiter)
        if len(delimiter) != 1:
            raise InputError(f"the delimiter must be one character, not {delimiter!r}")
    bad_lines: list[int] = []
    lines = _decoded_lines(binary, enc, bad_lines)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{name}: the CSV file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{name}: the CSV header cannot be read: {exc}") from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    header = _unique_header(header)
    layout = _Layout.from_header(header, columns, name, notes)
    index = {h: i for i, h in enumerate(header)}
    id_index = index[layout.id_col] if layout.id_col else None
    seen_bad = 0
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield start, error(start, "invalid-csv", f"broken CSV row: {exc}")
            continue
        rec_id = row[id_index] if id_index is not None and id_index < len(row) else None
        if len(bad_lines) > seen_bad:
            seen_bad = len(bad_lines)
            yield start, error(start, "invalid-encoding", f"row is not valid {enc} text", rec_id or None)
            continue
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield (
                start,
                error(
                    start,
                    "invalid-csv",
                    f"row has {len(row)} fields, the header has {len(header)}",
                    rec_id or None,
                ),
            )
            continue
        yield start, layout.record(row, start)


# -- Excel ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def iter_xlsx(
    path: str | Path,
    columns: ColumnMap | None = None,
    *,
    sheet: str | None = None,
    notes: ReadNotes | None = None,
) -> Iterator[tuple[int, dict[str, Any] | ErrorRecord]]:
    """One item per worksheet row, streamed with openpyxl's read-only mode.

    The first non-empty row is the header; row numbers are the worksheet's. Dates
    become ISO 8601 strings; whole numbers lose Excel's ``.0``.
    """
    import zipfile

    try:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputError("reading Excel files needs openpyxl: pip install openpyxl") from None

    columns = columns or ColumnMap()
    notes = notes if notes is not None else ReadNotes()
    name = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{name}: not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is not None:
            if sheet not in workbook.sheetnames:
                raise InputError(f"{name}: no sheet {sheet!r} (sheets: {', '.join(workbook.sheetnames)})")
            ws = workbook[sheet]
        else:
            ws = workbook.worksheets[0]
        first = ws.min_row or 1
        if ws.max_row:
            notes.total = max(ws.max_row - first, 0)
        rows = ws.iter_rows(values_only=True)
        layout: _Layout | None = None
        width = 0
        for number, values in enumerate(rows, start=first):
            cells = [_cell(v) for v in values]
            if layout is None:
                if any(c.strip() for c in cells):
                    while cells and not cells[-1].strip():
                        cells.pop()
                    header = _unique_header(cells)
                    layout = _Layout.from_header(header, columns, name, notes)
                    width = len(header)
                continue
            if not any(c.strip() for c in cells):
                continue
            extra = cells[width:]
            cells = (cells + [""] * width)[:width]
            if any(c.strip() for c in extra):
                rec_id = cells[header.index(layout.id_col)] if layout.id_col else None
                yield (
                    number,
                    error(
                        number, "invalid-row", "row has values beyond the header's columns", rec_id or None
                    ),
                )
                continue
            yield number, layout.record(cells, number)
        if layout is None:
            raise InputError(f"{name}: the worksheet {ws.title!r} is empty")
    finally:
        workbook.close()


# -- any file ---------------------------------------------------------------------------


def _open_binary(path: str) -> IO[bytes]:
    p = Path(path)
    if not p.exists():
        raise InputError(f"{path}: no such file")
    if p.is_dir():
        raise InputError(f"{path}: is a directory, expected a JSONL, CSV or .xlsx file")
    try:
        return p.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def iter_records(
    path: str,
    fmt: Format | None = None,
    columns: ColumnMap | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    notes: ReadNotes | None = None,
    raw_jsonl: bool = False,
) -> Iterator[Item]:
    """Records from ``path`` ("-" for standard input, read as JSONL unless fmt says CSV).

    With ``raw_jsonl``, JSONL lines are yielded as bytes for :func:`parse_jsonl_line`
    to parse later (in a worker process, where the CPU time is spread).
    """
    fmt = fmt or ("jsonl" if path == "-" else detect_format(path))
    if fmt == "xlsx":
        if path == "-":
            raise InputError("Excel input must be a file, not standard input")
        _open_binary(path).close()
        yield from iter_xlsx(path, columns, sheet=sheet, notes=notes)
        return
    fh = sys.stdin.buffer if path == "-" else _open_binary(path)
    name = "<stdin>" if path == "-" else path
    try:
        if fmt == "csv":
            yield from iter_csv(fh, columns, delimiter, name, encoding=encoding, notes=notes)
        elif raw_jsonl:
            yield from iter_jsonl_raw(fh)
        else:
            yield from iter_jsonl(fh, columns)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()


def payload_record(
    line: int, payload: Payload, columns: ColumnMap | None = None
) -> dict[str, Any] | ErrorRecord:
    """A payload as a record: raw JSONL bytes are parsed, the rest is returned as is."""
    if isinstance(payload, bytes):
        return parse_jsonl_line(line, payload, columns)
    return payload


def map_payloads(items: Iterable[Item], fn: Callable[[int, Payload], Payload]) -> Iterator[Item]:
    for line, payload in items:
        yield line, fn(line, payload)
