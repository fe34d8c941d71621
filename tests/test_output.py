"""Outputs switched together: a killed build leaves the old build/ and site/ or the new
ones, never one of each for long; the next build cleans up; two builds never interleave."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import BRIEFING, Project, run_briefing
from helpers import snapshot

OLD = "Acme raised 2 billion yuan in a round led by Harbour Capital."
NEW = "Acme raised 2 billion yuan in a round that Harbour Capital led."


@pytest.fixture
def built(built_site: Project) -> Project:
    """A project whose site was built from OLD, with its registry now saying NEW."""
    assert state(built_site) == ("old", "old")
    built_site.edit("facts.yaml", OLD, NEW)
    return built_site


def state(project: Project) -> tuple[str, str]:
    """Which build each output comes from: 'old', 'new', or 'missing'."""

    def which(path: Path) -> str:
        if not path.is_file():
            return "missing"
        text = path.read_text(encoding="utf-8")
        return "new" if "round that Harbour Capital led" in text else "old" if "round led by Harbour" in text else "?"

    return (
        which(project.root / "build" / "docs" / "topics" / "funding" / "index.md"),
        which(project.root / "site" / "topics" / "funding" / "index.html"),
    )


def leftovers(project: Project) -> list[str]:
    """Folders a build leaves only while it runs."""
    root = project.root
    found = [p for p in (root / ".cache" / "build").glob("*")]
    found += list(root.glob(".site-*"))
    return sorted(p.relative_to(root).as_posix() for p in found)


def start(project: Project, *args: str, env: dict | None = None) -> subprocess.Popen:
    full_env = {**os.environ, "BRIEFING_SOURCES": str(project.archive), **(env or {})}
    full_env.pop("GITHUB_ACTIONS", None)
    return subprocess.Popen(
        [BRIEFING, *args],
        cwd=project.root,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so that the test can kill it and MkDocs at once
    )


@pytest.mark.parametrize("moment", [0.05, 0.2, 0.35, 0.5, 0.65, 0.8])
def test_a_build_killed_at_any_moment_leaves_old_or_new_and_the_next_cleans_up(built, moment):
    build = start(built, "build", "--strict")
    time.sleep(moment)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    record = built.root / ".cache" / "build" / "commit.json"
    assert state(built) in {("old", "old"), ("new", "new")} or record.is_file(), state(built)
    after = built.run("build", "--strict")
    assert after.returncode == 0, after.stderr
    assert state(built) == ("new", "new")
    assert leftovers(built) == []


@pytest.mark.parametrize("point", ["after-record", "between-switches"])
def test_a_switch_cut_short_is_finished_by_the_next_build(built, point):
    cut = built.run("build", "--strict", env={"BRIEFING_FAULT": point})
    assert cut.returncode == 137
    assert (built.root / ".cache" / "build" / "commit.json").is_file()
    if point == "between-switches":
        assert state(built) == ("new", "old")  # the one moment they differ, and it is on record
    after = built.run("build", "--strict")
    assert after.returncode == 0, after.stderr
    assert "note: finished switching in the outputs of a build that was stopped half-way" in after.stderr
    assert state(built) == ("new", "new")
    assert leftovers(built) == []


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(n) for n in text.split()]


def _mkdocs_children(pid: int) -> list[int]:
    """The build's MkDocs processes (not git, which the build runs first to read the history)."""
    found = []
    for child in _children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"mkdocs" in command:
            found.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_killing_only_the_build_stops_mkdocs_too(built):
    build = start(built, "build", "--strict")
    deadline = time.monotonic() + 30
    while not _mkdocs_children(build.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    children = _mkdocs_children(build.pid)
    assert children, "MkDocs never started"
    os.kill(build.pid, signal.SIGKILL)  # the parent only, as a closed terminal might
    build.wait()
    deadline = time.monotonic() + 10
    while any(_alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(c) for c in children), "MkDocs outlived the build"
    assert state(built) == ("old", "old")
    after = built.run("build", "--strict")
    assert after.returncode == 0, after.stderr
    assert "note: removed 2 folder(s) left by a build that was stopped" in after.stderr
    assert state(built) == ("new", "new") and leftovers(built) == []


def test_two_builds_at_once_take_turns(built):
    """A failing build beside a good one: the second waits, and each leaves the outputs whole."""
    built.edit(
        "entities.yaml",
        "  - id: ada-lovelace",
        "  - id: unused\n    name: U\n    kind: person\n    description: U.\n  - id: ada-lovelace",
    )
    good = start(built, "build")  # an unused entity is a warning
    lock = built.root / ".cache" / "build.lock"
    deadline = time.monotonic() + 30
    while not (lock.is_file() and lock.read_text().strip() == str(good.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    strict = start(built, "build", "--strict")  # ... and an error with --strict
    _, good_err = good.communicate(timeout=120)
    _, strict_err = strict.communicate(timeout=120)
    assert good.returncode == 0, good_err
    assert strict.returncode == 1, strict_err
    assert re.search(r"another build of this project is running \(process \d+\); waiting for it", strict_err)
    assert "build stopped: nothing was written" in strict_err
    assert state(built) == ("new", "new") and leftovers(built) == []


def test_commands_find_the_project_from_a_subfolder(built):
    """Run from facts/, the build writes its cache, pages and site at the project root."""
    before = snapshot(built.facts)
    env = {**os.environ, "BRIEFING_SOURCES": str(built.archive)}
    result = run_briefing(["build", "--strict"], built.facts, env)
    assert result.returncode == 0, result.stderr
    assert snapshot(built.facts) == before and not (built.facts / ".cache").exists()
    assert state(built) == ("new", "new")
    check = run_briefing(["check"], built.root / "docs", env)
    assert check.returncode == 0, check.stderr
    assert not (built.root / "docs" / ".cache").exists()
    links = run_briefing(["linkcheck"], built.facts, env)
    assert links.returncode == 0, links.stderr
