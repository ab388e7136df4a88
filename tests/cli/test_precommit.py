"""The pre-commit hook, run by pre-commit itself on a temporary git repository.

`pre-commit try-repo` installs the hook from this checkout exactly as a user's
`.pre-commit-config.yaml` would (`language: python`: a virtualenv, `pip install`
of this repository), reading our `.pre-commit-hooks.yaml`. It runs offline: the
virtualenv sees the already installed dependencies and pip may not use an index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "macros"

pytestmark = pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="needs git and a git checkout"
)


def test_hook_manifest_declares_the_check_and_fix_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"replylint", "replylint-fix"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["entry"].startswith("replylint check --force-exclude")
        assert hook["require_serial"] is True
    assert "--fix" in hooks["replylint-fix"]["entry"]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.slow
def test_precommit_runs_the_hook_on_a_temporary_repository(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit")
    repo = tmp_path / "macros-repo"
    repo.mkdir()
    shutil.copy(EXAMPLES / "en" / "shipping-delay.liquid", repo / "bad.liquid")
    shutil.copy(EXAMPLES / "en" / "damaged-item.j2", repo / "good.j2")
    (repo / "replylint.toml").write_text('select = ["policy"]\nexclude = ["ignored/"]\n', encoding="utf-8")
    (repo / "ignored").mkdir()
    shutil.copy(EXAMPLES / "en" / "shipping-delay.liquid", repo / "ignored" / "also-bad.liquid")
    _git(repo, "init", "-q", ".")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "macros")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "VIRTUALENV_SYSTEM_SITE_PACKAGES": "1",  # the hook's virtualenv sees installed dependencies
        "PIP_NO_INDEX": "1",  # offline
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of --no-build-isolation
        "REPLYLINT_CACHE_DIR": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "replylint", "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output  # the hook failed the commit
    assert "bad.liquid:6:33: error[contact-info]" in output
    assert "good.j2" not in output.split("Failed", 1)[-1]
    assert "also-bad.liquid" not in output  # excluded by the configuration (--force-exclude)
