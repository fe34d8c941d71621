"""Every file the generator reads as input or writes, read and written here: never through a link.

A pull request can carry symbolic links anywhere, hidden ones too. A file is replaced whole
or not at all: the new bytes go to a temporary file of a random name beside it, created only
if nothing is there (O_EXCL) and never through a link (O_NOFOLLOW), then renamed over the
target (flushed to disk first where it must survive a power cut). A target that is a symbolic
link is refused, not replaced. A file of a build's output is created new (`create_file`).
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class LinkRefused(OSError):
    """A file or folder the command would read or write through is a symbolic link."""


def linked_part(path: Path, inside: Path) -> Path | None:
    """The first symbolic link on the way from `inside` (not itself) down to `path`, or None.

    A path outside `inside` has only its last part checked: a user's own folders are theirs.
    """
    path, inside = path.absolute(), inside.absolute()
    parts = path.relative_to(inside).parts if path.is_relative_to(inside) else ()
    steps = [inside.joinpath(*parts[: n + 1]) for n in range(len(parts))] or [path]
    return next((step for step in steps if step.is_symlink()), None)


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, not followed if it is a link (then LinkRefused)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if path.is_symlink():
            raise LinkRefused(f"{path}: a symbolic link") from exc
        raise
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        return file.read()


def replace_file(path: Path, data: bytes, durable: bool = True, mode: int = 0o666) -> None:
    """Put `data` at `path` in one step: a reader sees the old file or the new one, never a mix.

    Refuses (LinkRefused) a target that is a symbolic link; keeps an existing file's mode (a new
    one gets `mode`, less the umask). `durable`: on disk, rename included, before this returns.
    """
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            old = os.stat(path.name, dir_fd=folder, follow_symlinks=False)
        except FileNotFoundError:
            old = None
        if old is not None and stat.S_ISLNK(old.st_mode):
            raise LinkRefused(f"{path}: a symbolic link; it was not replaced")
        if old is not None and not stat.S_ISREG(old.st_mode):
            raise OSError(f"{path}: not a regular file; it was not replaced")
        temporary, fd = _create_temporary(folder, mode)
        try:
            with os.fdopen(fd, "wb") as file:
                if old is not None:
                    os.fchmod(file.fileno(), stat.S_IMODE(old.st_mode))
                file.write(data)
                if durable:
                    file.flush()
                    os.fsync(file.fileno())
            os.replace(temporary, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=folder)
            except OSError:
                pass
            raise
        if durable:
            os.fsync(folder)  # the rename itself, on disk
    finally:
        os.close(folder)


def create_file(path: Path, data: bytes, mode: int = 0o644) -> None:
    """A file that must not exist yet (O_EXCL), through no link (O_NOFOLLOW)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    with os.fdopen(fd, "wb") as file:
        file.write(data)


def write_changed(folder: Path, files: dict[str, str | bytes]) -> set[str]:
    """Make `folder` hold exactly `files`: write only those whose content changed (so a file watcher
    settles), each replaced whole, and remove the others. Returns the files written."""
    written = set()
    for rel, content in sorted(files.items()):
        target = folder / rel
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, data, durable=False)
        written.add(rel)
    for path in sorted(folder.rglob("*"), reverse=True):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
    return written


TEMPORARY_PREFIX = ".briefing-"  # a temporary file's name: a folder's cleaner leaves these to their writer


def _create_temporary(folder: int, mode: int = 0o666) -> tuple[str, int]:
    """A new hidden file of a random name in the folder: never an existing file, never a link's target."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        name = f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}.tmp"
        try:
            return name, os.open(name, flags, mode, dir_fd=folder)
        except FileExistsError:
            continue
    raise FileExistsError("no free temporary file name")
