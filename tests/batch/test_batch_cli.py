"""`replylint batch`: one record out per record in, whatever the input looks like."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_helpers import Run, make_records, read_jsonl, write_jsonl


def test_every_jsonl_line_gets_a_result_or_an_error_record_in_input_order(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    good = make_records(3, with_meta=False)
    lines = [
        json.dumps(good[0]),
        '{"id": "broken", "text": ',  # broken JSON
        "[1, 2, 3]",  # not an object
        json.dumps(good[1]),
        '{"id": "no-text"}',  # missing the reply
        '{"id": "bad-market", "text": "Hello", "marketplace": "myspace"}',
        json.dumps(good[2]),
    ]
    src = tmp_path / "in.jsonl"
    src.write_bytes(("\n".join(lines) + "\n").encode() + b"\x00\xff\xfe\x9c garbage \x01\x02\n")
    out = tmp_path / "out.jsonl"
    result = run("batch", src, "-o", out, "--jobs", "1")
    assert result.code == 0, result.err
    records = read_jsonl(out)
    assert len(records) == 8
    codes = [r["error"]["code"] if "error" in r else "ok" for r in records]
    assert codes == [
        "ok",
        "invalid-json",
        "invalid-record",
        "ok",
        "invalid-record",
        "invalid-record",
        "ok",
        "invalid-utf8",
    ]
    assert [r.get("line") for r in records if "error" in r] == [2, 3, 5, 6, 8]
    assert records[4]["id"] == "no-text" and "text" in records[4]["error"]["message"]
    assert "5 could not be linted" in result.err


def test_jobs_2_writes_exactly_what_jobs_1_writes(run: Callable[..., Run], tmp_path: Path) -> None:
    records = make_records(45)
    records[7]["text"] = ""  # an error record among the results
    src = write_jsonl(tmp_path / "in.jsonl", records)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    s1, s2 = tmp_path / "one.json", tmp_path / "two.json"
    r1 = run("batch", src, "-o", one, "--jobs", "1", "--summary", s1)
    r2 = run("batch", src, "-o", two, "--jobs", "2", "--chunk-size", "4", "--summary", s2)
    assert r1.code == r2.code == 0, r1.err + r2.err
    assert "2 processes" in r2.err
    assert one.read_bytes() == two.read_bytes()
    assert [r["id"] for r in read_jsonl(two)] == [r["id"] for r in records]
    assert json.loads(s1.read_text()) == json.loads(s2.read_text())


def test_record_fields_pass_through_and_defaults_fill_gaps(run: Callable[..., Run], tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": 7, "text": "Thanks for your order!", "agent": "Maya", "channel": "chat"},
            {"text": "Merci pour votre commande !", "lang": "fr", "marketplace": "ebay"},
        ],
    )
    result = run("batch", src, "--marketplace", "etsy", "--lang", "en", "--jobs", "1")
    assert result.code == 0, result.err
    first, second = (json.loads(line) for line in result.out.splitlines())
    assert (first["id"], first["agent"], first["channel"]) == ("7", "Maya", "chat")
    assert (first["marketplace"], first["lang"]) == ("etsy", "en")
    assert (second["id"], second["marketplace"], second["lang"]) == ("2", "ebay", "fr")


def test_csv_with_semicolons_quoted_newlines_and_named_columns(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    src = tmp_path / "export.csv"
    src.write_text(
        "Ticket;Assignee;Sent at;Reply;Customer question\n"
        '1;Maya;2024-03-04 10:00;"Hi Sam,\nI can refund you today. Which would you prefer?";Broken mug\n'
        "2;Tom;05/03/2024 11:30;Thanks for your message!;\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = run(
        "batch", src, "-o", out, "--id-col", "Ticket", "--text-col", "Reply",
        "--buyer-col", "Customer question", "--agent-col", "Assignee", "--time-col", "Sent at", "-j", "1",
    )  # fmt: skip
    assert result.code == 0, result.err
    first, second = read_jsonl(out)
    assert (first["id"], first["agent"], first["replied_at"]) == ("1", "Maya", "2024-03-04 10:00")
    assert first["triage"] is not None or "buyer_message" not in first
    assert (second["id"], second["agent"]) == ("2", "Tom")


def test_a_legacy_encoded_csv_is_read_and_the_encoding_reported(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    src = tmp_path / "latin.csv"
    text = (
        "id,lang,text\n1,de,Grüße aus München: Ihre Bestellung wurde heute versandt.\n2,fr,Très bien reçu.\n"
    )
    src.write_bytes(text.encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = run("batch", src, "-o", out, "-j", "1")
    assert result.code == 0, result.err
    assert "not UTF-8" in result.err
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["1", "2"] and not any("error" in r for r in records)


def test_one_undecodable_csv_row_is_an_error_record_not_the_end_of_the_run(
    run: Callable[..., Run], tmp_path: Path
) -> None:
    src = tmp_path / "mixed.csv"
    src.write_bytes(
        "id,text\n1,Grüße: Ihre Bestellung ist unterwegs.\n".encode()
        + b"2,Bad \xff\xfe byte\n3,Your parcel ships today.\n"
    )
    out = tmp_path / "out.jsonl"
    assert run("batch", src, "-o", out, "-j", "1").code == 0
    records = read_jsonl(out)
    assert [r.get("error", {}).get("code", "ok") for r in records] == ["ok", "invalid-encoding", "ok"]
    assert records[1]["line"] == 3


def test_wrong_field_counts_become_error_records(run: Callable[..., Run], tmp_path: Path) -> None:
    src = tmp_path / "ragged.csv"
    src.write_text("id,text,agent\n1,Hello there,Maya\n2,too,many,fields\n3,short\n4,Fine,Tom\n")
    out = tmp_path / "out.jsonl"
    assert run("batch", src, "-o", out, "-j", "1").code == 0
    records = read_jsonl(out)
    assert [r["id"] for r in records] == ["1", "2", "3", "4"]
    assert [r.get("error", {}).get("code") for r in records] == [None, "invalid-csv", "invalid-csv", None]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("nocol.csv", b"id,note\n1,hello\n", "no text column"),
        ("binary.csv", bytes(range(256)) * 8, "binary"),
        ("empty.csv", b"", "empty"),
        ("bad.xlsx", b"PK\x03\x04 not really a workbook", "not a readable .xlsx"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "save it as .xlsx"),
    ],
)
def test_unreadable_inputs_exit_2_with_a_clear_message_and_leave_the_output_alone(
    run: Callable[..., Run], tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n")
    result = run("batch", src, "-o", out)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert out.read_text() == "previous results\n"


def test_a_missing_named_column_exits_2(run: Callable[..., Run], tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("id,text\n1,hello\n")
    result = run("batch", src, "--agent-col", "Owner")
    assert result.code == 2
    assert "no column 'Owner'" in result.err


def test_excel_rows_are_read_with_dates_and_numeric_ids(run: Callable[..., Run], tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Replies"
    sheet.append(["Order ID", "Agent", "Reply", "Buyer message", "Replied at"])
    sheet.append(
        ["114-1", "Maya", "Thanks, your parcel ships today.", "Where is it?", dt.datetime(2024, 3, 4, 10)]
    )
    sheet.append([None, None, None, None, None])  # blank rows are skipped
    sheet.append(
        [42, "Tom", "Sorry, I can refund you today. Which do you prefer?", None, dt.datetime(2024, 3, 5)]
    )
    src = tmp_path / "export.xlsx"
    book.save(src)
    out = tmp_path / "out.jsonl"
    result = run("batch", src, "-o", out, "--sheet", "Replies", "-j", "1")
    assert result.code == 0, result.err
    first, second = read_jsonl(out)
    assert first["order_id"] == "114-1" and first["replied_at"] == "2024-03-04T10:00:00"
    assert first["id"] == "2" and second["id"] == "4"  # worksheet row numbers
    assert second["order_id"] == "42" and second["agent"] == "Tom"
    assert run("batch", src, "--sheet", "Nope").code == 2


def test_jsonl_keys_can_be_renamed_and_nested_fields_reached(run: Callable[..., Run], tmp_path: Path) -> None:
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [{"ticket": "t1", "body": "Thanks for your order!", "assignee": {"name": "Maya"}}],
    )
    result = run(
        "batch", src, "--text-col", "body", "--id-col", "ticket", "--agent-col", "assignee.name", "-j", "1"
    )
    assert result.code == 0, result.err
    record = json.loads(result.out)
    assert (record["id"], record["agent"]) == ("t1", "Maya")


def test_resume_needs_an_output_file(run: Callable[..., Run], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_records(2))
    result = run("batch", src, "--resume")
    assert result.code == 2 and "--resume needs an output file" in result.err


def test_the_input_is_never_overwritten(run: Callable[..., Run], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", make_records(2))
    before = src.read_bytes()
    for option in ("-o", "--report", "--summary"):
        target = src if option != "--summary" else src.with_suffix(".json")
        if option == "--summary":
            target.write_bytes(before)
            result = run("batch", target, option, target)
        else:
            result = run("batch", src, option, target)
        assert result.code == 2 and "would overwrite the input" in result.err
    assert src.read_bytes() == before


def test_the_configuration_file_is_honoured(run: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "replylint.toml").write_text('marketplace = "shopify"\nignore = ["tone"]\n')
    src = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": "1",
                "text": "You must have misused it. Visit www.my-shop.com to order again.",
                "lang": "en",
            }
        ],
    )
    configured = json.loads(run("batch", src, "-j", "1").out)
    assert configured.get("marketplace") == "shopify", configured
    assert not any(d["family"] == "tone" for d in configured["diagnostics"])
    isolated = json.loads(run("batch", src, "-j", "1", "--isolated").out)
    assert isolated.get("marketplace") == "amazon", isolated
    assert any(d["rule"] == "external-link" for d in isolated["diagnostics"])
