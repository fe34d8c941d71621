"""The build's outputs, the site source build/ and the site/, switched together or not at all.

A build writes both beside their final places (the source in .cache/build/, the site in a
hidden folder beside site/), and only once both are complete does it switch them in: it
first writes down what it is about to do (a commit record), then makes four renames, then
removes the record. A build killed before the record leaves the old outputs, and its
half-made folders are removed by the next build; one killed during the renames leaves the
record, and the next build finishes the switch. One build of a project
runs at a time: a lock file in .cache/ makes a second one wait.

Anything under .cache/ may have come from a pull request (`git add -f`), so nothing there is
taken on trust: a link where the build's folders, lock or record go is refused, the record is
signed with the user's key (load/cache.py) and may only name the moves the build itself makes,
and every file is opened without following links. The site folder is replaced only if a
build of this project made it (it holds SITE_MARKER).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefing.files import TEMPORARY_PREFIX, create_file, replace_file
from briefing.load.cache import MAGIC, read_signed, sign, user_key
from briefing.problems import Loc, Problem, error

STAGING = Path(".cache") / "build"
LOCK = Path(".cache") / "build.lock"
RECORD = "commit.json"
SITE_PREFIXES = (".site-new-", ".site-old-")
SITE_MARKER = ".briefing-site"  # in every site a build makes: a folder holding it may be replaced
MARKER_TEXT = "This folder is a site made by `briefing build`; the next build replaces it whole.\n"
# The folders under .cache/ that builds, checks and previews write into: each must be a real folder.
PREVIEW = Path(".cache") / "preview"
# Replaced by the live preview once an edit's files are all written: its server rebuilds then (write/live_server.py).
SIGNAL = Path(".cache") / "preview.written"
OWN_FOLDERS = (Path(".cache"), STAGING, Path(".cache") / "briefing", PREVIEW)
_TEMPORARY = r"[A-Za-z0-9_]{1,64}"  # the random part of a name tempfile.mkdtemp makes
_DELETE_RECORD = (
    "delete .cache/build/commit.json if no build of yours was stopped half-way (the next build "
    "then makes both outputs afresh)"
)


class Refused(Exception):
    """The build's own files under .cache/ are not what it left there: nothing is touched."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class Staged:
    """One build's outputs, written aside: its site source and its site."""

    folder: Path  # .cache/build/<name>/, holding source/
    site: Path  # a hidden folder beside the final site/

    @property
    def source(self) -> Path:
        return self.folder / "source"


def refusals(root: Path, site: Path | None = None, preview: bool = False) -> list[Problem]:
    """What under .cache/ keeps a command from starting; [] if nothing.

    Links (or files) where the build's folders and lock go; with `site`, a record that names
    other moves than a build to `site` makes; with `preview`, a link anywhere in the preview
    (which `briefing serve` writes into and prunes).
    """
    problems = []
    for rel in OWN_FOLDERS:
        kind = _kind(root / rel)
        if kind not in ("missing", "folder"):
            problems.append(_not_own(rel, f"{rel.as_posix()}/ is {_shown(kind)}, not a folder of the build's own"))
    if _kind(root / LOCK) not in ("missing", "file"):
        problems.append(
            _not_own(LOCK, f"the build lock is {_shown(_kind(root / LOCK))}, not a file of the build's own")
        )
    if preview and _kind(root / SIGNAL) not in ("missing", "file"):
        problems.append(
            _not_own(SIGNAL, f"the preview's signal is {_shown(_kind(root / SIGNAL))}, not a file of its own")
        )
    if preview and not problems:
        for folder, names, files in os.walk(root / PREVIEW):
            for name in sorted(names + files):
                path = Path(folder, name)
                if _kind(path) not in ("folder", "file"):
                    rel = path.relative_to(root)
                    problems.append(_not_own(rel, f"{rel.as_posix()} is {_kind(path)} in the preview"))
    if site is not None and not problems:
        try:
            _read_record(root, site)
        except Refused as refused:
            problems.append(refused.problem)
    return problems


def _not_own(rel: Path, message: str) -> Problem:
    return error(
        Loc(rel.as_posix()),
        message,
        f"delete it (`rm -r {rel.as_posix()}`): the build makes it afresh",
        code="not-own-path",
    )


def _kind(path: Path) -> str:
    """What is at `path`, links not followed: missing, folder, file, a symbolic link, or something else."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "folder" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "a special file"


def _shown(kind: str) -> str:
    return {"folder": "a folder", "file": "a file"}.get(kind, kind)


def _own_folder(root: Path, rel: Path) -> Path:
    """root/rel, made if missing, each part of it a real folder (never a link to elsewhere)."""
    path = root
    for part in rel.parts:
        path = path / part
        try:
            path.mkdir()
        except FileExistsError:
            pass
        kind = _kind(path)
        if kind != "folder":
            shown = path.relative_to(root).as_posix()
            raise Refused(
                error(
                    Loc(shown), f"{shown}/ is {_shown(kind)}, not a folder of the build's own", code="cache-folder-kind"
                )
            )
    return path


@contextmanager
def build_lock(root: Path) -> Iterator[int]:
    """Hold the project's build lock; wait, saying so, while another build has it.

    Yields the lock's file descriptor: a child process that inherits it (MkDocs) keeps the
    lock held, so a build whose parent was killed still blocks the next one until it ends.
    A link where the lock goes is refused (Refused): the build writes its process id there.
    """
    _own_folder(root, LOCK.parent)
    try:
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o644)
    except OSError as exc:
        raise Refused(
            error(Loc(LOCK.as_posix()), f"the build lock cannot be opened: {exc.strerror}", code="lock-unopenable")
        ) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(
                error(Loc(LOCK.as_posix()), "the build lock is not a file of the build's own", code="lock-foreign")
            )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            if not holder.isdigit():
                holder = "unknown"
            print(f"another build of this project is running (process {holder}); waiting for it", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)  # closing releases the lock


def stage(root: Path, site: Path) -> Staged:
    """Fresh, empty folders for a build's outputs (call with the lock held)."""
    staging = _own_folder(root, STAGING)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=staging))
    site.parent.mkdir(parents=True, exist_ok=True)
    built = Path(tempfile.mkdtemp(prefix=SITE_PREFIXES[0], dir=site.parent))
    return Staged(folder, built)


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Every file (text or bytes), under a folder that is not yet anybody's output: each one new, no link followed."""
    for rel, content in sorted(files.items()):
        parts = PurePosixPath(rel).parts
        if not parts or PurePosixPath(rel).is_absolute() or ".." in parts:
            raise ValueError(f"not a path inside the output: {rel!r}")
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        create_file(target, data)


def switch(root: Path, staged: Staged, source: Path, site: Path | None) -> None:
    """Put the staged source (and site, unless None) in place together; the old ones are removed."""
    moves = [(staged.source, source, staged.folder / "source-old")]
    if site is not None:
        create_file(staged.site / SITE_MARKER, MARKER_TEXT.encode())
        moves.append((staged.site, site, staged.site.with_name(SITE_PREFIXES[1] + staged.site.name)))
    record = _own_folder(root, STAGING) / RECORD
    body = json.dumps([[os.path.abspath(p) for p in move] for move in moves]).encode()
    replace_file(record, _signed(RECORD, body), mode=0o600)  # whole on disk before the first move
    _fault("after-record")
    _finish(moves, record)
    discard(staged)


def recover(root: Path, site: Path) -> str | None:
    """Finish a switch a killed build began, then remove what killed builds left; say what was done.

    Refused (nothing moved or deleted) if the record is not one this user's build wrote, or names
    a move the build never makes, or a link stands where the build's folders go.
    """
    for problem in refusals(root, site):
        raise Refused(problem)
    record = root / STAGING / RECORD
    done = None
    moves = _read_record(root, site)
    if moves is not None:
        _finish(moves, record)
        done = "finished switching in the outputs of a build that was stopped half-way"
    leftovers = [p for p in _children(root / STAGING) if p.name.startswith("run-")]
    leftovers += [p for p in _children(site.parent) if p.name.startswith(SITE_PREFIXES)]
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)
    for path in root.joinpath(STAGING).glob(f"{TEMPORARY_PREFIX}*"):  # a record killed while it was written
        _remove(path)
    if leftovers and done is None:
        done = f"removed {len(leftovers)} folder(s) left by a build that was stopped"
    return done


def _children(folder: Path) -> list[Path]:
    """The real folders in `folder` (no links), if it is one."""
    if _kind(folder) != "folder":
        return []
    return [p for p in folder.iterdir() if _kind(p) == "folder"]


def _signed(name: str, body: bytes) -> bytes:
    key = user_key()
    return sign(key, name, body) if key is not None else MAGIC + b"unsigned\n" + body


def _read_record(root: Path, site: Path) -> list[tuple[Path, Path, Path]] | None:
    """The moves a killed build had yet to make; None if there is no record; Refused if it is not the build's."""
    record = root / STAGING / RECORD
    where = Loc((STAGING / RECORD).as_posix())
    kind = _kind(record)
    if kind == "missing":
        return None
    if kind != "file":
        raise Refused(
            error(where, f"the build record is {_shown(kind)}; nothing was moved", _DELETE_RECORD, code="record-kind")
        )
    key = user_key()
    if key is not None:
        body = read_signed(record, key, RECORD)
    else:  # no key to sign with, as when it was written: the shape of its moves is the check
        data = record.read_bytes()
        body = data.partition(b"\n")[2].partition(b"\n")[2] if data.startswith(MAGIC) else None
    if body is None:
        raise Refused(
            error(
                where,
                "the build record was not written by a build of yours; nothing was moved",
                _DELETE_RECORD,
                code="record-foreign",
            )
        )
    try:
        moves = [tuple(Path(p) for p in move) for move in json.loads(body)]
    except (ValueError, TypeError):
        moves = None
    if not moves or any(len(move) != 3 for move in moves):
        raise Refused(
            error(where, "the build record cannot be read; nothing was moved", _DELETE_RECORD, code="record-unreadable")
        )
    for move in moves:
        if not _is_own_move(root, site, *move):
            shown = " -> ".join(repr(str(p)) for p in move[:2])
            raise Refused(
                error(
                    where,
                    f"the build record names a move the build never makes ({shown}); nothing was moved",
                    _DELETE_RECORD,
                    code="record-bad-move",
                )
            )
    return moves


def _is_own_move(root: Path, site: Path, new: Path, final: Path, aside: Path) -> bool:
    """Whether (new, final, aside) is a move `switch` makes: a staged output of its own onto build/ or this site."""
    root, site = Path(os.path.abspath(root)), Path(os.path.abspath(site))
    if final == root / "build":
        run = new.parent
        staged = run.parent == root / STAGING and re.fullmatch(f"run-{_TEMPORARY}", run.name) is not None
        return staged and new.name == "source" and aside == run / "source-old" and _kind(new) in ("missing", "folder")
    if final == site:
        staged = new.parent == site.parent and re.fullmatch(re.escape(SITE_PREFIXES[0]) + _TEMPORARY, new.name)
        return (
            bool(staged)
            and aside == site.parent / (SITE_PREFIXES[1] + new.name)
            and _kind(new) in ("missing", "folder")
        )
    return False


def discard(staged: Staged) -> None:
    """Remove a build's staged outputs (after a failure, or once switched in)."""
    shutil.rmtree(staged.folder, ignore_errors=True)
    shutil.rmtree(staged.site, ignore_errors=True)


def _finish(moves: list[tuple[Path, ...]], record: Path) -> None:
    """Each (new, final, aside): the final folder moved aside, the new one in its place; then no record.

    Safe to run again on a half-done switch: a move already made is skipped.
    """
    for new, final, aside in moves:
        if _kind(new) == "missing":
            continue  # switched in already
        if _kind(final) != "missing" and _kind(aside) == "missing":
            final.rename(aside)
        elif _kind(final) != "missing":
            _remove(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        new.rename(final)
        _fault("between-switches")
    record.unlink(missing_ok=True)
    for _, _, aside in moves:
        _remove(aside)


def _remove(path: Path) -> None:
    """A folder with all it holds, or a file or link (never what a link points to)."""
    kind = _kind(path)
    if kind == "folder":
        shutil.rmtree(path, ignore_errors=True)
    elif kind != "missing":
        path.unlink(missing_ok=True)


# --- the site folder -----------------------------------------------------------------------


def site_refusal(site: Path, default: Path) -> str | None:
    """Why the build may not replace `site`; None if it may (absent, empty, or a site a build made).

    A site a build made holds SITE_MARKER. The default site/ of a checkout older than the
    marker is taken if MkDocs made it (its index.html says so, and it has a 404.html or sitemap).
    """
    kind = _kind(site)
    if kind == "missing":
        for parent in site.parents:
            if _kind(parent) != "missing":
                return None if parent.is_dir() else f"{parent} is a file, not a folder"
        return None
    if kind != "folder":
        return f"it is {'a file' if kind == 'file' else kind}, not a folder; the build never replaces one"
    names = {p.name for p in site.iterdir()}
    if ".git" in names:
        return "it holds .git/, which the build would delete; build into another folder and copy the site in"
    if not names or made_by_a_build(site):
        return None
    if os.path.abspath(site) == os.path.abspath(default) and _made_by_mkdocs(site):
        return None
    return (
        f"it holds files no build of this project made (there is no {SITE_MARKER} in it), "
        "and the build would delete them; empty it or name another folder"
    )


def made_by_a_build(site: Path) -> bool:
    """Whether a build made the site folder: it holds SITE_MARKER, a file and not a link (anyone can put one there)."""
    return _kind(site / SITE_MARKER) == "file"


def _made_by_mkdocs(site: Path) -> bool:
    """A site folder as MkDocs leaves it: its index.html names MkDocs, and a 404 page or sitemap is beside it."""
    index = site / "index.html"
    if _kind(index) != "file" or not any(_kind(site / n) == "file" for n in ("404.html", "sitemap.xml")):
        return False
    with open(index, "rb") as file:
        head = file.read(65536)
    return b'<meta name="generator" content="mkdocs-' in head


def _fault(point: str) -> None:
    """For the fault tests: BRIEFING_FAULT=<point> kills the build there, as a power cut would."""
    if os.environ.get("BRIEFING_FAULT") == point:
        os._exit(137)
