"""A generator for any subject: `briefing init` gives a project that checks and builds at once,
from the generator installed as a plain package (not a clone)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BRIEFING, REPO, run_briefing

from briefing.tools.init import project_files
from briefing.vocabulary import SCHEMA_PATH

FIXTURES = Path(__file__).parent / "fixtures" / "archive"


def run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """COMMAND in `cwd` without the archive setting; the checkout's `briefing` in this process."""
    full = {k: v for k, v in os.environ.items() if k not in ("BRIEFING_SOURCES", "GITHUB_ACTIONS")}
    if command[0] == BRIEFING:
        return run_briefing(command[1:], cwd, {**full, **(env or {})})
    return subprocess.run(command, cwd=cwd, env={**full, **(env or {})}, capture_output=True, text=True, timeout=600)


def test_init_writes_a_whole_project_and_refuses_a_folder_in_use(tmp_path):
    new = tmp_path / "robotics"
    subject = "Example 'Robotics': Inc. \\ {as_of}"  # YAML and TOML quoting, and a placeholder's name
    result = run([BRIEFING, "init", str(new), "--subject", subject], tmp_path)
    assert result.returncode == 0, result.stderr
    for rel in ("briefing.toml", "mkdocs.yml", "README.md", "Makefile", ".ci/run", ".github/workflows/site.yml",
                ".pre-commit-config.yaml", ".gitignore", "docs/methodology.md", "facts/registry.schema.json",
                "facts/facts.yaml", "archive/example-source.txt"):  # fmt: skip
        assert (new / rel).is_file(), rel
    assert os.access(new / ".ci" / "run", os.X_OK)
    assert "make site" in (new / "README.md").read_text() and "make test" in (new / "README.md").read_text()
    entity = yaml.safe_load((new / "facts" / "entities.yaml").read_text())["entities"][0]
    assert entity == {**entity, "id": "example-robotics-inc-as-of", "name": subject}
    assert f'subject = "{subject}"'.replace("\\", "\\\\") in (new / "briefing.toml").read_text()
    again = run([BRIEFING, "init", str(new), "--subject", "Other"], tmp_path)
    assert again.returncode == 2 and "is not empty" in again.stderr
    check = run([BRIEFING, "check", "--strict"], new / "facts")
    assert check.returncode == 0, check.stderr


def test_the_skeleton_s_schema_is_the_generator_s():
    files = project_files("Example Robotics")
    assert files["facts/registry.schema.json"] == SCHEMA_PATH.read_bytes()


@pytest.mark.slow
def test_from_a_plain_install_to_a_checked_site(tmp_path):
    """pip install the clone (no -e) into a new venv; init; archive a page; new fact; build; link check."""
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", str(venv)], tmp_path).returncode == 0
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    installed = run([*pip, "--require-hashes", "-r", str(REPO / "requirements-pip.txt")], tmp_path)  # pip first
    assert installed.returncode == 0, installed.stdout + installed.stderr
    installed = run([*pip, "--require-hashes", "-r", str(REPO / "requirements.txt")], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # From a copy: building the package writes build/ and *.egg-info beside its sources.
    source = tmp_path / "generator"
    outputs = (".git", ".venv", "site", "build", ".cache", "site-zensical", "build-artifacts", "node_modules")
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*outputs, "*.egg-info", "__pycache__", ".*_cache"))
    installed = run([*pip, "--no-deps", "--no-build-isolation", str(source)], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    briefing = str(venv / "bin" / "briefing")
    site_packages = run([str(venv / "bin" / "python"), "-c", "import briefing; print(briefing.__file__)"], tmp_path)
    assert "site-packages" in site_packages.stdout  # the package, not the clone

    new = tmp_path / "robotics"
    assert run([briefing, "init", str(new), "--subject", "Example Robotics"], tmp_path).returncode == 0
    archived = run(
        [briefing, "archive", str(FIXTURES / "news-article.html"), "--kind", "news-report",
         "--reliability", "Local paper.", "--summary", "Reports the round.", "--publisher", "Portville Gazette"], new / "docs",
    )  # fmt: skip
    assert archived.returncode == 0, archived.stderr
    sources = yaml.safe_load((new / "facts" / "sources.yaml").read_text())["sources"]
    added = run(
        [briefing, "new", "fact", "--statement", "Acme raised 2 billion yuan in a round led by Harbour Capital.",
         "--topic", "overview", "--entity", "example-robotics", "--date", "2024-05",
         "--cite", sources[-1]["id"], "Acme Robotics has raised 2 billion yuan ($280 million) in a round led by Harbour Capital"],
        new,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    built = run([briefing, "build", "--strict"], new)
    assert built.returncode == 0, built.stdout + built.stderr
    assert (new / "site" / "index.html").is_file() and (new / "site" / "briefing" / "briefing.css").is_file()
    linked = run([briefing, "linkcheck"], new / "facts")
    assert linked.returncode == 0 and " 0 broken internal links" in linked.stdout, linked.stderr
