"""Git as a reader of data: every git command the generator runs starts here.

A pull request can carry any commit and a checkout any configuration, so git runs with no
hooks, no fsmonitor and no signature program, ignores replacement objects, never fetches a
partial clone's missing objects one by one nor prompts for a password, and its output is
read as bytes (names and messages are decoded by whoever shows them).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT = [
    "git",
    "--no-replace-objects",
    "-c",
    "core.fsmonitor=",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "log.showSignature=false",
]
# A partial clone's missing objects are not fetched one by one over the network (git 2.44 and later).
NO_FETCHING = {"GIT_NO_LAZY_FETCH": "1", "GIT_TERMINAL_PROMPT": "0"}


class GitError(Exception):
    """Git could not be run, or did not answer as expected."""


def run_git(root: Path, *args: str) -> bytes:
    """Git's output as bytes, run as a reader of data; raises GitError."""
    try:
        result = subprocess.run(
            [*GIT, *args], cwd=root, env={**os.environ, **NO_FETCHING}, capture_output=True, stdin=subprocess.DEVNULL
        )
    except OSError as exc:
        raise GitError(str(exc)) from exc
    if result.returncode != 0:
        raise GitError(result.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return result.stdout


def start_git(root: Path, *args: str, stdin: int = subprocess.DEVNULL) -> subprocess.Popen:
    """Git started as a reader of data, its output a pipe of bytes, its errors dropped; raises GitError."""
    try:
        return subprocess.Popen(
            [*GIT, *args],
            cwd=root,
            env={**os.environ, **NO_FETCHING},
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise GitError(str(exc)) from exc


def last_commit_time(root: Path) -> str:
    """The last commit's time in seconds since 1970, as text; "0" outside a repository or without git."""
    try:
        return run_git(root, "log", "-1", "--format=%ct").decode("ascii", "replace").strip() or "0"
    except GitError:
        return "0"
