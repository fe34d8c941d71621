"""Every git command the generator runs goes through load/git.py, as a reader of data: a checkout's
own settings (a signature program, an fsmonitor, hooks, a pager) run nothing during a build."""

from __future__ import annotations

import re
import subprocess

from conftest import REPO, Project
from helpers import commit, git

from briefing.load.git import last_commit_time

PACKAGE = REPO / "scripts" / "briefing"


def test_git_is_started_only_by_the_git_helper():
    started = re.compile(r"""\[\s*["']git["']|GIT\b""")
    found = [
        path.relative_to(REPO).as_posix()
        for path in PACKAGE.rglob("*.py")
        if path.name != "git.py" and started.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def signed_head(root, script) -> None:
    """HEAD made a commit with a (bogus) signature, and the checkout set to run `script` for it and more."""
    raw = git(root, "cat-file", "commit", "HEAD")
    head, _, message = raw.partition("\n\n")
    signed = head + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n x\n -----END PGP SIGNATURE-----\n\n" + message
    made = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root, input=signed.encode(), capture_output=True
    )
    git(root, "update-ref", "refs/heads/main", made.stdout.decode().strip())
    for key, value in (
        ("log.showSignature", "true"),
        ("gpg.program", str(script)),
        ("core.fsmonitor", str(script)),
        ("core.pager", str(script)),
    ):
        git(root, "config", key, value)


def test_a_whole_build_runs_nothing_the_checkout_names(site_project: Project, tmp_path):
    """The build's commit time (SOURCE_DATE_EPOCH) was read with a plain `git log`, which ran the
    checkout's gpg.program on a signed commit; the tracked-files check ran `git ls-files` with its fsmonitor."""
    git(site_project.root, "init", "-q", "-b", "main")
    commit(site_project.root, "Publish", "2024-06-01T09:00:00+00:00")
    marker = tmp_path / "ran"
    script = tmp_path / "tool.sh"
    script.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n", encoding="utf-8")
    script.chmod(0o755)
    signed_head(site_project.root, script)
    result = site_project.run("build")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert last_commit_time(site_project.root) == "1717232400"  # 2024-06-01 09:00 UTC, read all the same
    assert not marker.exists()
