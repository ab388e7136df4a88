"""The exported JSON Schema is fresh, and a plain wheel install works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from replylint.schema import export_json_schema

REPO = Path(__file__).resolve().parents[2]


def test_committed_json_schema_is_fresh(tmp_path: Path) -> None:
    for path in export_json_schema(tmp_path):
        committed = REPO / "docs" / "schema" / path.name
        assert committed.exists(), f"run `replylint schema docs/schema` ({path.name} missing)"
        assert json.loads(committed.read_text()) == json.loads(path.read_text()), (
            f"docs/schema/{path.name} is stale: run `replylint schema docs/schema`"
        )


@pytest.mark.slow
def test_a_non_editable_wheel_ships_rules_prompts_and_api(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheel_dir),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = wheel_dir.glob("replylint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in ("report.html.j2", "report.css", "report.js"):  # the QA report's
        assert f"replylint/report/templates/{template}" in names
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
        check=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "reply.txt").write_text("Thanks! See www.shop-example.com for 10% off.\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = (
        "import replylint, replylint.resources as r, api;"
        "print(replylint.__file__); print(r.rules_dir()); print(r.prompts_dir())"
    )
    out = subprocess.run(
        [python, "-c", code], cwd=work, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert str(REPO) not in out, out
    assert "_data/rules" in out and "_data/prompts" in out
    check = subprocess.run(
        [env_dir / "bin" / "replylint", "check", "reply.txt", "--format", "json"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1, check.stderr
    assert json.loads(check.stdout)[0]["compliant"] is False
