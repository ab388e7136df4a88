"""The composite GitHub Action: its inputs are coherent and its script does what it says.

GitHub's own steps (setup-python, upload-sarif) are not run here; the "Run replylint"
step's script is, with the inputs substituted as the runner would pass them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "macros"


def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    return data


def test_action_is_composite_and_every_input_it_uses_exists() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    text = (REPO / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step["shell"] == "bash"
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)


def _run_step(
    workdir: Path, inputs: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    action = _action()
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    defaults = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    values = defaults | inputs
    env = dict(os.environ)
    for key, expr in step["env"].items():
        name = re.fullmatch(r"\$\{\{ inputs\.([a-z-]+) \}\}", expr)
        assert name, expr
        env[key] = values[name.group(1)]
    output = workdir / "github-output"
    summary = workdir / "step-summary"
    env |= {
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "REPLYLINT_JOBS": "1",
        "REPLYLINT_CACHE_DIR": str(workdir / ".cache"),
    }
    result = subprocess.run(
        ["bash", "-c", step["run"]], cwd=workdir, env=env, capture_output=True, text=True, timeout=600
    )
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    return result, outputs


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("replylint") is None, reason="needs the replylint command installed")
def test_action_script_writes_sarif_annotates_and_fails_on_errors(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns(".replylint-cache"))
    result, outputs = _run_step(work, {"paths": "en fr", "args": "--select policy"})
    assert result.returncode == 1, result.stderr
    assert outputs == {"sarif-file": "replylint.sarif", "exit-code": "1"}
    log = json.loads((work / "replylint.sarif").read_text())
    assert log["version"] == "2.1.0" and log["runs"][0]["results"]
    assert "::error title=replylint (contact-info),file=en/shipping-delay.liquid" in result.stdout
    assert "contact-info" in (work / "step-summary").read_text()

    relaxed, outputs = _run_step(work, {"paths": "en", "fail-on-error": "false", "annotations": "false"})
    assert relaxed.returncode == 0, relaxed.stderr
    assert outputs["exit-code"] == "1"
    assert "::error" not in relaxed.stdout


@pytest.mark.skipif(shutil.which("replylint") is None, reason="needs the replylint command installed")
def test_action_script_stops_on_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "replylint.toml").write_text("selct = []\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Hello\n", encoding="utf-8")
    result, outputs = _run_step(tmp_path, {"paths": "a.txt", "fail-on-error": "false"})
    assert result.returncode == 2
    assert outputs["exit-code"] == "2"
    assert "selct: unknown key" in result.stderr
