"""The build's outputs, the site source build/ and the site/, switched together or not at all.

A build writes both beside their final places (the source in .cache/build/, the site in a
hidden folder beside site/), and only once both are complete does it switch them in: it
first writes down what it is about to do (a commit record), then makes four renames, then
removes the record. A build killed before the record leaves the old outputs, and its
half-made folders are removed by the next build; one killed during the renames leaves the
record, and the next build finishes the switch. One build of a project
runs at a time: a lock file in .cache/ makes a second one wait.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STAGING = Path(".cache") / "build"
LOCK = Path(".cache") / "build.lock"
RECORD = "commit.json"
SITE_PREFIXES = (".site-new-", ".site-old-")


@dataclass
class Staged:
    """One build's outputs, written aside: its site source and its site."""

    folder: Path  # .cache/build/<name>/, holding source/
    site: Path  # a hidden folder beside the final site/

    @property
    def source(self) -> Path:
        return self.folder / "source"


@contextmanager
def build_lock(root: Path) -> Iterator[int]:
    """Hold the project's build lock; wait, saying so, while another build has it.

    Yields the lock's file descriptor: a child process that inherits it (MkDocs) keeps the
    lock held, so a build whose parent was killed still blocks the next one until it ends.
    """
    path = root / LOCK
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            print(f"another build of this project is running (process {holder}); waiting for it", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def stage(root: Path, site: Path) -> Staged:
    """Fresh, empty folders for a build's outputs (call with the lock held)."""
    staging = root / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=staging))
    site.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=SITE_PREFIXES[0], dir=site.parent))
    return Staged(folder, built)


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Every file (text or bytes), under a folder that is not yet anybody's output."""
    for rel, content in sorted(files.items()):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")


def switch(root: Path, staged: Staged, source: Path, site: Path | None) -> None:
    """Put the staged source (and site, unless None) in place together; the old ones are removed."""
    moves = [(staged.source, source, staged.folder / "source-old")]
    if site is not None:
        moves.append((staged.site, site, staged.site.with_name(SITE_PREFIXES[1] + staged.site.name)))
    record = root / STAGING / RECORD
    _write_durably(record, json.dumps([[str(p) for p in move] for move in moves]))
    _fault("after-record")
    _finish(moves, record)
    discard(staged)


def recover(root: Path, site: Path) -> str | None:
    """Finish a switch a killed build began, then remove what killed builds left; say what was done."""
    record = root / STAGING / RECORD
    done = None
    if record.is_file():
        try:
            moves = [tuple(Path(p) for p in move) for move in json.loads(record.read_text(encoding="utf-8"))]
        except (ValueError, TypeError):
            moves = []
        _finish(moves, record)
        done = "finished switching in the outputs of a build that was stopped half-way"
    leftovers = [p for p in (root / STAGING).glob("*") if p.is_dir()]
    leftovers += [p for p in (root / "docs").glob(".generated-*") if p.is_dir()]  # from earlier versions
    if site.parent.is_dir():
        leftovers += [p for p in site.parent.iterdir() if p.name.startswith(SITE_PREFIXES) and p.is_dir()]
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    if leftovers and done is None:
        done = f"removed {len(leftovers)} folder(s) left by a build that was stopped"
    return done


def discard(staged: Staged) -> None:
    """Remove a build's staged outputs (after a failure, or once switched in)."""
    shutil.rmtree(staged.folder, ignore_errors=True)
    shutil.rmtree(staged.site, ignore_errors=True)


def _finish(moves: list[tuple[Path, ...]], record: Path) -> None:
    """Each (new, final, aside): the final folder moved aside, the new one in its place; then no record.

    Safe to run again on a half-done switch: a move already made is skipped.
    """
    for new, final, aside in moves:
        if not new.exists():
            continue  # switched in already
        if final.exists() and not aside.exists():
            final.rename(aside)
        elif final.exists():
            shutil.rmtree(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        new.rename(final)
        _fault("between-switches")
    record.unlink(missing_ok=True)
    for _, _, aside in moves:
        shutil.rmtree(aside, ignore_errors=True)


def _write_durably(path: Path, text: str) -> None:
    """Write a small file so that it is whole on disk before the next step, or not there at all."""
    temporary = path.with_name(f".{path.name}.tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


def _fault(point: str) -> None:
    """For the fault tests: BRIEFING_FAULT=<point> kills the build there, as a power cut would."""
    if os.environ.get("BRIEFING_FAULT") == point:
        os._exit(137)
