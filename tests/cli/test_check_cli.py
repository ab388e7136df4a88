"""`replylint check` as a command: exit codes, discovery, errors that never crash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run, write

from replylint.project import CheckRequest, Project

GOOD = "Thanks for your message, the lamp ships today.\n"
BAD = "Thanks! Our care guide is at www.lumina-home.com/care.\n"


def test_exit_codes_follow_the_contract(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "good.txt", GOOD)
    write(workdir / "bad.txt", BAD)
    args = ("--lang", "en", "--select", "external-link")
    assert run("check", "good.txt", *args).code == 0
    assert run("check", "bad.txt", *args).code == 1
    assert run("check", "bad.txt", *args, "--exit-zero").code == 0
    assert run("check", "missing.txt", *args).code == 2


def test_an_unreadable_file_does_not_stop_the_others(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "bad.txt", BAD)
    (workdir / "binary.txt").write_bytes(b"\x00\x00\x00PNG")
    write(workdir / "broken.json", '{"macros": [')
    result = run("check", ".", "--lang", "en", "--select", "external-link")
    assert result.code == 2
    assert "bad.txt:1:" in result.out
    assert "binary.txt: looks like a binary file" in result.err
    assert "broken.json: invalid JSON at line 1" in result.err
    assert "Traceback" not in result.err


def test_directory_walk_skips_hidden_excluded_and_unknown_files(
    run: Callable[..., Run], workdir: Path
) -> None:
    write(workdir / "replylint.toml", 'extend-exclude = ["drafts"]\n')
    write(workdir / "a.txt", BAD)
    write(workdir / ".hidden" / "b.txt", BAD)
    write(workdir / "drafts" / "c.txt", BAD)
    write(workdir / "node_modules" / "d.txt", BAD)
    write(workdir / "notes.py", BAD)
    result = run("check", ".", "--lang", "en", "--select", "external-link", "--format", "json")
    assert [r["path"] for r in result.json()] == ["a.txt"]


def test_force_exclude_applies_excludes_to_named_files(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "replylint.toml", 'extend-exclude = ["drafts"]\n')
    write(workdir / "drafts" / "c.txt", BAD)
    assert run("check", "drafts/c.txt", "--lang", "en", "--select", "external-link").code == 1
    forced = run("check", "drafts/c.txt", "--force-exclude", "--lang", "en", "--select", "external-link")
    assert forced.code == 0 and "no files to check" in forced.err


def test_output_file_receives_the_report(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "bad.txt", BAD)
    result = run("check", "bad.txt", "--lang", "en", "--format", "sarif", "-o", "out.sarif")
    assert result.out == "" and result.code == 1
    assert '"version": "2.1.0"' in (workdir / "out.sarif").read_text()


def test_cached_results_equal_fresh_ones(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "bad.txt", BAD)
    write(workdir / "m.j2", "Hi {{ name }}, " + BAD)
    first = run("check", ".", "--lang", "en", "--format", "json")
    assert (workdir / ".replylint-cache" / "CACHEDIR.TAG").exists()
    second = run("check", ".", "--lang", "en", "--format", "json")
    assert first.out == second.out
    write(workdir / "bad.txt", GOOD)  # a changed file is linted again
    third = run("check", ".", "--lang", "en", "--format", "json")
    assert third.json()[0]["diagnostics"] == []


def test_parallel_workers_give_the_same_results(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import replylint.project as project_module

    for i in range(12):
        write(workdir / f"m{i:02d}.j2", ("Hi {{ name }}, " + BAD) if i % 3 else GOOD)
    monkeypatch.setattr(project_module, "PARALLEL_MIN_FILES", 4)
    monkeypatch.setattr(project_module, "WARM_UP_FILES", 2)
    items = [(str(p.name), None, True) for p in sorted(workdir.glob("*.j2"))]
    request = CheckRequest(lang="en", select=("external-link",))

    def results(jobs: int) -> list[str]:
        outcomes = Project(request).check_all(items, jobs)
        return [fr.result.model_dump_json() for o in outcomes for fr in o.results]

    assert results(2) == results(1)


def test_statistics_count_rules(run: Callable[..., Run], workdir: Path) -> None:
    write(workdir / "a.txt", BAD)
    write(workdir / "b.txt", BAD)
    result = run("check", ".", "--lang", "en", "--select", "external-link", "--statistics")
    assert result.out.split()[:4] == ["2", "external-link", "error", "[*]"]


def test_absolute_paths_are_reported_relative_to_the_checkout(run: Callable[..., Run], workdir: Path) -> None:
    import json

    bad = write(workdir / "sub" / "bad.txt", BAD)
    sarif = run("check", str(bad), "--lang", "en", "--select", "external-link", "--format", "sarif")
    location = json.loads(sarif.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "sub/bad.txt", "uriBaseId": "%SRCROOT%"}
    github = run("check", str(bad), "--lang", "en", "--select", "external-link", "--format", "github")
    assert ",file=sub/bad.txt," in github.out


def test_standard_input_is_checked_with_the_name_it_stands_for(
    run: Callable[..., Run], workdir: Path
) -> None:
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "macros/a.j2",
        "--select",
        "unfilled-placeholder",
        "--lang",
        "en",
        "--format",
        "json",
        stdin="Hi {{ name }}, your number is [insert tracking number].\n",
    )
    [record] = result.json()
    assert record["path"] == "macros/a.j2"
    assert [d["match"] for d in record["diagnostics"]] == ["[insert tracking number]"]
