"""The first run on a new machine: each stumble seen there, run through the real Makefile."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

REAL_BIN = Path(sys.executable).parent  # the project's .venv/bin, which `make test` made: never touched here


def make(folder: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    full_env.pop("BRIEFING_SOURCES", None)
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(folder), *args],
        env={**full_env, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def executable(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def project_copy(tmp_path: Path) -> Path:
    """The repository's project files, with the scripts and templates linked, in a fresh folder."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("Makefile", "mkdocs.yml", "pyproject.toml", "requirements-pip.txt", "requirements.txt",
                 "requirements-test.txt"):  # fmt: skip
        shutil.copy(REPO / name, root / name)
    for name in ("facts", "docs"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("generated", ".*"))
    for name in ("scripts", "templates"):
        (root / name).symlink_to(REPO / name)
    return root


def installed_venv(root: Path) -> Path:
    """A .venv in the copy that `make` takes as installed: its commands hand over to the real ones.

    The stamps are newer than the requirement files, so `make` installs nothing, and the real
    .venv is only ever run, never written (a test must not change the developer's environment).
    """
    version = "{}.{}".format(*sys.version_info[:2])
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "briefing"):
        executable(bin_dir / name, f'#!/bin/sh\nexec "{REAL_BIN / name}" "$@"\n')
    for stamp in (f".installed-{version}", f".installed-test-{version}"):
        (root / ".venv" / stamp).touch()
    return root / ".venv"


def test_make_site_is_short_and_honours_briefing_sources(tmp_path):
    """Two lines when the venv is there; BRIEFING_SOURCES=DIR is the archive it reads."""
    root = project_copy(tmp_path)
    installed_venv(root)
    result = make(root, "site", env={"BRIEFING_SOURCES": "/no/such"})
    assert result.returncode != 0
    assert "archive folder not found" in result.stderr and "no/such" in result.stderr
    sources = REPO.parent / "shared" / "sources"
    result = make(root, "site", env={"BRIEFING_SOURCES": str(sources)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == "site built: site/index.html\n"
    assert result.stderr.startswith("note: Material for MkDocs reaches end of life on 5 May 2027")
    assert len(result.stderr.splitlines()) == 1


def test_an_old_python_is_refused_with_what_to_do(tmp_path):
    root = project_copy(tmp_path)
    old = tmp_path / "bin"
    old.mkdir()
    (old / "sitecustomize.py").write_text("import sys\nsys.version_info = (3, 10, 14, 'final', 0)\n")
    python = executable(old / "python3.10", f'#!/bin/sh\nPYTHONPATH={old} exec {sys.executable} "$@"\n')
    result = make(root, "site", f"PYTHON={python}")
    assert result.returncode != 0
    assert "error: Python 3.11 or newer is needed" in result.stdout
    assert "make site PYTHON=python3.11" in result.stdout
    assert not (root / ".venv").exists()  # nothing half-made to be reused later


@pytest.mark.slow  # makes a real venv (10 s): make test runs it, make test-fast leaves it out
def test_a_venv_another_python_made_is_rebuilt(tmp_path):
    root = project_copy(tmp_path)
    (root / "requirements.txt").write_text("no-such-package-briefing==0.0.1 --hash=sha256:" + "0" * 64 + "\n")
    stale = root / ".venv" / "bin"
    stale.mkdir(parents=True)
    executable(stale / "python", "#!/bin/sh\necho '(3, 10)'\n")
    result = make(root, "site", f"PYTHON={sys.executable}")
    assert "rebuilding .venv: another Python made it" in result.stdout
    assert "installing the site's dependencies into .venv (log: .venv/install.log)" in result.stdout
    assert result.returncode != 0  # the package does not exist: the install fails, and says where the log is
    assert "the whole log is in .venv/install.log" in result.stdout
    assert (root / ".venv" / "bin" / "python").resolve() != (stale / "python")  # a real interpreter now
    assert (
        "(3, 10)" not in subprocess.run([root / ".venv/bin/python", "--version"], capture_output=True, text=True).stdout
    )


def test_the_browser_prerequisite_says_what_to_install_without_root(tmp_path):
    root = project_copy(tmp_path)
    fake = tmp_path / "bin"
    fake.mkdir()
    executable(fake / "id", "#!/bin/sh\necho 1000\n")
    executable(fake / "sudo", "#!/bin/sh\nexit 1\n")
    result = make(root, "browser", "CHROMIUM=/no/such/chromium", env={"PATH": f"{fake}:{os.environ['PATH']}"})
    assert result.returncode != 0
    assert "sudo apt-get install chromium fonts-dejavu-core" in result.stdout


def test_clean_keeps_the_venv_and_distclean_removes_it(tmp_path):
    root = project_copy(tmp_path)
    for folder in (".venv", "site", "build", ".cache/briefing"):
        (root / folder).mkdir(parents=True)
    assert make(root, "clean").returncode == 0
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".") or p.name in ("site", "build")) == [".venv"]
    assert (root / "docs" / "methodology.md").is_file()
    assert make(root, "distclean").returncode == 0
    assert not (root / ".venv").exists()


def test_the_requirements_are_locked_with_hashes():
    for name in ("requirements.txt", "requirements-test.txt"):
        lines = [line for line in (REPO / name).read_text(encoding="utf-8").splitlines() if "==" in line]
        assert lines, name
        text = (REPO / name).read_text(encoding="utf-8")
        assert text.count("==") <= text.count("--hash=sha256:"), f"{name}: a pin without its hash"
        assert "make lock" in text and "file:///" not in text  # one documented command, nothing machine-local


def test_the_guard_sees_a_changed_checkout_output_or_venv_stamp(tmp_path):
    """`make test` fails a run that changed git status, a watched output or the .venv's stamps."""
    from conftest import untouched_state

    repo = tmp_path / "repo"
    (repo / "facts").mkdir(parents=True)
    (repo / "facts" / "a.yaml").write_text("x: 1\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    venv = repo / ".venv"
    (venv / "bin").mkdir(parents=True)
    interpreter = executable(tmp_path / "python3", "#!/bin/sh\n")
    (venv / "bin" / "python").symlink_to(interpreter)
    (venv / "pyvenv.cfg").write_text("home = /x\n")
    (venv / ".installed-3.11").touch()
    before = untouched_state(repo, venv)
    assert untouched_state(repo, venv) == before
    (repo / "site").mkdir()
    (repo / "site" / "index.html").write_text("x")  # an ignored output
    assert untouched_state(repo, venv) != before
    shutil.rmtree(repo / "site")
    assert untouched_state(repo, venv) == before
    (venv / ".installed-3.11").unlink()  # the stamps `make` relies on
    assert untouched_state(repo, venv) != before
    (venv / ".installed-3.11").touch()
    os.utime(venv / ".installed-3.11", ns=(0, before[str(venv / ".installed-3.11")]))
    assert untouched_state(repo, venv) == before
    os.utime(interpreter, ns=(0, 0))  # the interpreter, through the venv's link
    assert untouched_state(repo, venv) != before


def test_nothing_generated_is_tracked():
    """No tracked file is one .gitignore ignores (a committed egg-info, site/, a cache)."""
    tracked_ignored = subprocess.run(
        ["git", "ls-files", "--cached", "--ignored", "--exclude-standard"], cwd=REPO, capture_output=True, text=True
    )
    assert tracked_ignored.returncode == 0, tracked_ignored.stderr
    assert tracked_ignored.stdout.split() == []
