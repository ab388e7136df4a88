"""`replylint rewrite` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from replylint.cli import cli

from .scenarios import BUYER, DRAFT

DRAFT_FILE = "Hi Sam,\n\nYou need to send the mug back first. Call me on 07700 900123.\n\nBest,\nTom\n"


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    draft = tmp_path / "draft.txt"
    buyer = tmp_path / "buyer.txt"
    draft.write_text(DRAFT_FILE, encoding="utf-8")
    buyer.write_text("My mug arrived chipped.\n", encoding="utf-8")
    return draft, buyer


def invoke(*args: str, input: str | None = None) -> object:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_prints_the_new_draft_and_a_summary(files: tuple[Path, Path]) -> None:
    draft, buyer = files
    result = invoke("rewrite", str(draft), "--buyer-message", str(buyer), "--lang", "en")

    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    out = result.stdout  # type: ignore[attr-defined]
    assert out.startswith("Hi Sam,") and "07700" not in out
    assert "rewritten by the offline engine" in result.stderr  # type: ignore[attr-defined]
    assert "removed [" in result.stderr  # type: ignore[attr-defined]


def test_diff_shows_what_changed(files: tuple[Path, Path]) -> None:
    draft, buyer = files
    result = invoke("rewrite", str(draft), "--buyer-message", str(buyer), "--diff", "-q", "--lang", "en")

    out = result.stdout  # type: ignore[attr-defined]
    assert out.startswith(f"--- a/{draft}")
    assert "-You need to send the mug back first. Call me on 07700 900123." in out
    assert result.stderr == ""  # type: ignore[attr-defined]


def test_json_is_the_rewrite_response(files: tuple[Path, Path]) -> None:
    draft, buyer = files
    result = invoke("rewrite", str(draft), "--buyer-message", str(buyer), "--format", "json", "-q")

    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert data["engine"] == "offline"
    assert set(data) >= {"text", "result", "engine", "changes", "notes"}
    assert data["result"]["compliant"] is True


def test_output_file_is_written(files: tuple[Path, Path], tmp_path: Path) -> None:
    draft, buyer = files
    target = tmp_path / "new.txt"
    result = invoke("rewrite", str(draft), "--buyer-message", str(buyer), "-o", str(target), "-q")

    assert result.stdout == ""  # type: ignore[attr-defined]
    assert target.read_text(encoding="utf-8").startswith("Hi Sam,")


def test_standard_input(files: tuple[Path, Path]) -> None:
    result = invoke("rewrite", "-", "--lang", "en", "-q", input="We cannot ship to Canada.")
    assert result.exit_code == 0
    assert result.stdout.startswith("We cannot ship to Canada.")  # type: ignore[attr-defined]


def test_marketplace_changes_what_is_removed(tmp_path: Path) -> None:
    draft = tmp_path / "d.txt"
    draft.write_text("Our care guide is at www.lumina-home.com/care.", encoding="utf-8")
    shop = invoke("rewrite", str(draft), "--marketplace", "shopify", "--lang", "en", "-q")
    amazon = invoke("rewrite", str(draft), "--marketplace", "amazon", "--lang", "en", "-q")
    assert "lumina-home.com" in shop.stdout  # type: ignore[attr-defined]
    assert "lumina-home.com" not in amazon.stdout  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["rewrite", "missing.txt"], b"", "cannot read"),
        (["rewrite", "-", "--engine", "llm"], b"Hello there.", "no LLM configured"),
        (["rewrite", "-"], b"   ", "only whitespace"),
        (["rewrite", "-"], b"\x00\x01\x02binary", "binary"),
    ],
)
def test_bad_input_exits_2_with_a_message(
    args: list[str],
    stdin: bytes,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from replylint.cli import main

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


@pytest.mark.vcr("llm_success.yaml")
def test_llm_engine_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPLYLINT_LLM_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("REPLYLINT_LLM_API_KEY", "sk-test")
    draft = tmp_path / "draft.txt"
    buyer = tmp_path / "buyer.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    buyer.write_text(BUYER, encoding="utf-8")

    result = invoke("rewrite", str(draft), "--buyer-message", str(buyer), "--lang", "en")

    assert result.exit_code == 0
    assert "rewritten by the llm engine" in result.stderr  # type: ignore[attr-defined]
    assert result.stdout.startswith("Hi Sam,")  # type: ignore[attr-defined]
