"""The code passes the same lint and format checks the pre-commit hooks run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

RUFF = str(Path(sys.executable).parent / "ruff")


def test_ruff_lint():
    result = subprocess.run([RUFF, "check", "scripts", "tests", "benchmarks"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_ruff_format():
    result = subprocess.run(
        [RUFF, "format", "--check", "scripts", "tests", "benchmarks"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_pre_commit_config_is_valid():
    pre_commit = str(Path(sys.executable).parent / "pre-commit")
    result = subprocess.run([pre_commit, "validate-config"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
