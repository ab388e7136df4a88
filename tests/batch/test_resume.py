"""`--resume`: an interrupted run is finished without redoing or doubling a record."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_helpers import Run, make_records, read_jsonl, write_jsonl


@pytest.fixture
def reference(run: Callable[..., Run], tmp_path: Path) -> tuple[Path, Path, Path]:
    """An input of 30 records, its complete output and its summary."""
    records = make_records(30)
    records[5]["text"] = "   "  # an error record in the middle
    src = tmp_path / "in.jsonl"
    write_jsonl(src, records)
    with src.open("ab") as fh:
        fh.write(b"{not json\n")  # and a reader error at the end
    full, summary = tmp_path / "full.jsonl", tmp_path / "full.json"
    result = run("batch", src, "-o", full, "-j", "1", "--summary", summary)
    assert result.code == 0, result.err
    return src, full, summary


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_killed_mid_line_is_completed_exactly(
    run: Callable[..., Run], tmp_path: Path, reference: tuple[Path, Path, Path], jobs: str
) -> None:
    src, full, summary = reference
    lines = full.read_bytes().splitlines(keepends=True)
    partial = tmp_path / "partial.jsonl"
    partial.write_bytes(b"".join(lines[:13]) + lines[13][: len(lines[13]) // 2])  # killed while writing
    resumed_summary = tmp_path / "resumed.json"
    result = run(
        "batch", src, "-o", partial, "--resume", "-j", jobs, "--chunk-size", "4", "--summary", resumed_summary
    )
    assert result.code == 0, result.err
    assert "resuming after 13 records" in result.err and "half-written" in result.err
    assert partial.read_bytes() == full.read_bytes()
    # The summary covers the records of both runs, each once.
    assert json.loads(resumed_summary.read_text()) == json.loads(summary.read_text())


def test_resuming_a_finished_run_changes_nothing(
    run: Callable[..., Run], tmp_path: Path, reference: tuple[Path, Path, Path]
) -> None:
    src, full, _ = reference
    before = full.read_bytes()
    result = run("batch", src, "-o", full, "--resume", "-j", "1")
    assert result.code == 0, result.err
    assert full.read_bytes() == before
    assert "31 records" in result.err


def test_resume_without_an_output_yet_starts_afresh(
    run: Callable[..., Run], tmp_path: Path, reference: tuple[Path, Path, Path]
) -> None:
    src, full, _ = reference
    fresh = tmp_path / "fresh.jsonl"
    assert run("batch", src, "-o", fresh, "--resume", "-j", "1").code == 0
    assert fresh.read_bytes() == full.read_bytes()


def test_an_output_from_another_input_is_refused_and_left_alone(
    run: Callable[..., Run], tmp_path: Path, reference: tuple[Path, Path, Path]
) -> None:
    _, full, _ = reference
    other = write_jsonl(
        tmp_path / "other.jsonl", [{**r, "id": f"x-{i}"} for i, r in enumerate(make_records(30))]
    )
    before = full.read_bytes()
    result = run("batch", other, "-o", full, "--resume")
    assert result.code == 2
    assert "was not written from this input" in result.err
    assert full.read_bytes() == before


def test_a_corrupt_line_before_the_end_is_refused(
    run: Callable[..., Run], tmp_path: Path, reference: tuple[Path, Path, Path]
) -> None:
    src, full, _ = reference
    lines = full.read_bytes().splitlines(keepends=True)
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"".join(lines[:3]) + b"garbage\n" + b"".join(lines[4:8]))
    result = run("batch", src, "-o", broken, "--resume")
    assert result.code == 2 and "line 4 is not a result record" in result.err


def test_more_output_than_input_is_refused(run: Callable[..., Run], tmp_path: Path) -> None:
    records = make_records(4)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    assert run("batch", src, "-o", out, "-j", "1").code == 0
    write_jsonl(src, records[:2])
    result = run("batch", src, "-o", out, "--resume")
    assert result.code == 2 and "more records than the input" in result.err


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_an_interrupted_run_stops_cleanly_and_resume_finishes_the_job(tmp_path: Path, stop: int) -> None:
    records = make_records(600, with_meta=False)
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    cmd = [sys.executable, "-m", "replylint", "batch", str(src), "-o", str(out), "--no-progress"]
    cmd += ["--chunk-size", "20"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # A shell's background job starts with SIGINT ignored, and Python keeps it so:
    # give the child the default disposition, as a terminal would.
    proc = subprocess.Popen(
        [*cmd, "-j", "2"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 30_000):
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.send_signal(stop)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip(f"the run finished before it could be interrupted: {err}")
    assert proc.returncode == 130, err
    assert "--resume" in err and "Traceback" not in err
    written = read_jsonl(out)  # every line written is a whole record
    assert 0 < len(written) <= len(records), err  # the stop may come with the last chunk
    assert f"interrupted with {len(written)} records written" in err
    done = subprocess.run([*cmd, "--resume", "-j", "1"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in read_jsonl(out)] == [r["id"] for r in records]
