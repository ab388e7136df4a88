"""Batch readers: streaming, dialects and column guessing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from replylint.records import SNIFF_BYTES, ColumnMap, iter_csv, iter_records
from replylint.schema import ErrorRecord

REPO = Path(__file__).resolve().parents[2]


class CountingStream(io.RawIOBase):
    """A large CSV produced on demand; counts the bytes handed out."""

    def __init__(self, rows: int) -> None:
        self.lines = (b"id,text\n", *(b"%d,Reply number %d is fine.\n" % (i, i) for i in range(rows)))
        self.it = iter(self.lines)
        self.buffer = b""
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray) -> int:  # type: ignore[override]
        while len(self.buffer) < len(b):
            chunk = next(self.it, None)
            if chunk is None:
                break
            self.buffer += chunk
        n = min(len(b), len(self.buffer))
        b[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        self.given += n
        return n


def test_csv_is_streamed_not_read_whole() -> None:
    stream = CountingStream(400_000)  # about 12 MB
    items = iter_csv(io.BufferedReader(stream))
    line, first = next(items)
    assert (line, first) == (2, {"id": "0", "text": "Reply number 0 is fine."})
    assert stream.given <= SNIFF_BYTES + (1 << 17)


@pytest.mark.parametrize("delimiter", ["\t", "|", ";", ","])
def test_the_delimiter_is_found_even_with_commas_in_the_text(delimiter: str) -> None:
    q = '"' if delimiter == "," else ""  # commas in a comma-separated file are quoted
    text = f"id{delimiter}agent{delimiter}text\n1{delimiter}Maya{delimiter}{q}Hello, thanks, bye{q}\n"
    text += f"2{delimiter}Tom{delimiter}{q}Sorry, truly{q}\n"
    items = list(iter_csv(text.encode()))
    assert [item for _, item in items] == [
        {"id": "1", "agent": "Maya", "text": "Hello, thanks, bye"},
        {"id": "2", "agent": "Tom", "text": "Sorry, truly"},
    ]


def test_header_names_are_matched_loosely_and_duplicates_kept_apart() -> None:
    data = "Ticket ID,Agent Name,Order-ID,Reply,Reply,Marketplace\n7,Maya,114-1,Hi!,Extra,Amazon.de\n"
    [(_, record)] = list(iter_csv(data.encode()))
    assert record == {
        "id": "7",
        "agent": "Maya",
        "order_id": "114-1",
        "text": "Hi!",
        "Reply_2": "Extra",
        "marketplace": "amazon",
    }


def test_an_explicit_column_wins_over_guessing() -> None:
    data = b"id,text,note\n1,draft,the real reply\n"
    [(_, record)] = list(iter_csv(data, ColumnMap(text="note")))
    assert record["text"] == "the real reply" and record["text"] != "draft"


def test_utf16_exports_are_read() -> None:
    data = "id\ttext\n1\tDanke schön!\n".encode("utf-16")
    [(_, record)] = list(iter_csv(data))
    assert record == {"id": "1", "text": "Danke schön!"}


def test_a_quoted_cell_spanning_lines_keeps_the_row_start_line() -> None:
    data = b'id,text\n1,"line one\nline two"\n2,next\nbad "quote\n'
    items = list(iter_csv(data))
    assert [line for line, _ in items] == [2, 4, 5]
    assert items[0][1] == {"id": "1", "text": "line one\nline two"}
    assert isinstance(items[2][1], ErrorRecord)


def test_raw_jsonl_lines_are_left_for_the_workers_to_parse(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": 1, "text": "a"}\n\n{oops\n')
    assert list(iter_records(str(src), raw_jsonl=True)) == [(1, b'{"id": 1, "text": "a"}\n'), (3, b"{oops\n")]
