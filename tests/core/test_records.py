"""Batch readers: one item per input line, errors included, nothing dropped."""

from __future__ import annotations

import io

import pytest

from replylint.errors import InputError
from replylint.records import ColumnMap, iter_csv, iter_jsonl
from replylint.schema import ErrorRecord
from replylint.textio import decode_bytes


def test_every_jsonl_line_yields_a_record_or_an_error_with_its_line_number() -> None:
    data = b'{"id": "a", "text": "hi"}\n{broken\n\n[1, 2]\n\xff\xfe{"id": 3}\n{"id": "b", "text": "ok"}\n'
    items = list(iter_jsonl(io.BytesIO(data)))
    assert [line for line, _ in items] == [1, 2, 4, 5, 6]
    kinds = [item.error.code if isinstance(item, ErrorRecord) else "ok" for _, item in items]
    assert kinds == ["ok", "invalid-json", "invalid-record", "invalid-utf8", "ok"]


def test_csv_delimiter_and_columns_are_found() -> None:
    data = b"ticket_id;reply;buyer\n7;Thanks!;Where is it?\n8;Sorry;\n"
    items = list(iter_csv(data))
    assert items[0][1] == {"id": "7", "text": "Thanks!", "buyer_message": "Where is it?"}
    assert items[1][1] == {"id": "8", "text": "Sorry"}


def test_a_csv_row_with_the_wrong_number_of_fields_is_an_error_record() -> None:
    data = b"id,text\n1,hello\n2,too,many\n3,fine\n"
    items = list(iter_csv(data, delimiter=","))
    assert isinstance(items[1][1], ErrorRecord) and items[1][1].id == "2"
    assert items[2][1] == {"id": "3", "text": "fine"}


def test_a_csv_without_a_text_column_is_refused_naming_the_columns() -> None:
    with pytest.raises(InputError, match=r"no text column.*id, note"):
        list(iter_csv(b"id,note\n1,x\n"))
    with pytest.raises(InputError, match="no column 'body'"):
        list(iter_csv(b"id,text\n1,x\n", ColumnMap(text="body")))


def test_legacy_encodings_are_decoded_and_reported_as_guessed() -> None:
    decoded = decode_bytes("Grüße, Ihre Bestellung wurde versandt. Größe passt.".encode("cp1252"))
    assert decoded.guessed and "Grüße" in decoded.text
    assert decode_bytes("Tschüss".encode("utf-16")).text == "Tschüss"


def test_binary_data_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(256)) * 4)
