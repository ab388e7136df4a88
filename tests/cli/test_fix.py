"""--fix, --diff and --unsafe-fixes, like ruff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cli_helpers import Run, write

TEXT = "Hi {{ name }},\nYour lamp ships today. See www.lumina-home.com/care for tips.\n"


def test_fix_applies_safe_fixes_in_place(run: Callable[..., Run], workdir: Path) -> None:
    path = write(workdir / "a.j2", TEXT)
    result = run("check", "a.j2", "--lang", "en", "--select", "external-link", "--fix")
    assert result.code == 0, result.out
    assert path.read_text() == "Hi {{ name }},\nYour lamp ships today. See for tips.\n"
    assert "Fixed 1 problem." in result.out


def test_diff_shows_fixes_without_writing(run: Callable[..., Run], workdir: Path) -> None:
    path = write(workdir / "a.j2", TEXT)
    result = run("check", "a.j2", "--lang", "en", "--select", "external-link", "--diff")
    assert result.code == 1  # a file would change
    assert result.out.startswith("--- a/a.j2\n+++ b/a.j2\n")
    assert "-Your lamp ships today. See www.lumina-home.com/care for tips.\n" in result.out
    assert "+Your lamp ships today. See for tips.\n" in result.out
    assert path.read_text() == TEXT
    assert "Would fix 1 problem" in result.err


def test_unsafe_fixes_need_the_flag(run: Callable[..., Run], workdir: Path) -> None:
    text = "Thanks for your order.\nWrite to me at help@lumina-home.com any time.\nBest, Sam\n"
    path = write(workdir / "a.txt", text)
    safe_only = run("check", "a.txt", "--lang", "en", "--select", "contact-info", "--fix")
    assert safe_only.code == 1 and path.read_text() == text  # contact-info's fix is unsafe
    unsafe = run("check", "a.txt", "--lang", "en", "--select", "contact-info", "--fix", "--unsafe-fixes")
    assert "help@lumina-home.com" not in path.read_text()
    assert unsafe.code == 0


def test_fixes_never_cut_template_tags(run: Callable[..., Run], workdir: Path) -> None:
    text = "{% if vip %}Mail help@lumina-home.com{% endif %} Thanks {{ name }}.\n"
    path = write(workdir / "a.liquid", text)
    run("check", "a.liquid", "--lang", "en", "--select", "contact-info", "--fix", "--unsafe-fixes")
    fixed = path.read_text()
    assert "{% if vip %}" in fixed and "{% endif %}" in fixed and "{{ name }}" in fixed


def test_fix_of_standard_input_prints_the_fixed_text(run: Callable[..., Run], workdir: Path) -> None:
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "macro.j2",
        "--lang",
        "en",
        "--select",
        "external-link",
        "--fix",
        stdin=TEXT,
    )
    assert result.out == "Hi {{ name }},\nYour lamp ships today. See for tips.\n"
    assert "Fixed 1 problem." in result.err


def test_fix_keeps_encoding_and_byte_order_mark(run: Callable[..., Run], workdir: Path) -> None:
    path = workdir / "a.txt"
    path.write_bytes(b"\xef\xbb\xbf" + b"Merci ! Voir www.lumina-home.fr/aide.\n")
    run("check", "a.txt", "--lang", "fr", "--select", "external-link", "--fix")
    assert path.read_bytes() == b"\xef\xbb\xbf" + b"Merci ! Voir.\n"
