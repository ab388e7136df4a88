"""Fixtures for the `replylint check` tests: an in-process runner and a scratch copy
of the example macro repository (tests may fix files in it)."""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run

from replylint.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "macros"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run ``replylint`` in this process; returns exit code, stdout and stderr.

    ``stdin=`` feeds standard input (bytes or text)."""

    def _run(*args: str | Path, stdin: bytes | str | None = None) -> Run:
        capsys.readouterr()
        if stdin is not None:
            data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return _run


@pytest.fixture
def macros(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/macros/, made the current directory (paths print relative)."""
    target = tmp_path / "macros"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns(".replylint-cache"))
    monkeypatch.chdir(target)
    monkeypatch.setenv("REPLYLINT_JOBS", "1")
    return target


@pytest.fixture(scope="session")
def shared_macros(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One read-only copy of examples/macros/ for the whole session: its catalogue (with
    the example's own rules) and compiled language packs are then built only once."""
    target = tmp_path_factory.mktemp("shared") / "macros"
    shutil.copytree(EXAMPLES, target, ignore=shutil.ignore_patterns(".replylint-cache"))
    return target


@pytest.fixture
def readonly_macros(shared_macros: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shared copy, made the current directory. Tests must not modify it."""
    monkeypatch.chdir(shared_macros)
    monkeypatch.setenv("REPLYLINT_JOBS", "1")
    return shared_macros


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory (so no configuration of the repository applies)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("REPLYLINT_JOBS", "1")
    return work
