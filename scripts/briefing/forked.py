"""Work done on the machine's second core while this process does something else: `forked`.

A build checks the whole registry (figures, standards, speakers, references) while it checks
the quotes and renders the pages; the two do not depend on each other. The work runs in a
forked child, which sees this process's memory as it was and sends back only its result
(pickled through a pipe). Anything that goes wrong in the child (an exception, a crash, an
answer cut short) makes this process do the work itself, so the result, and any exception,
are always the ones the work gives when it is run here. Where forking is not safe or not
possible (no fork, one core, other threads running), the work simply runs here, at once.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

T = TypeVar("T")


class Pending(Generic[T]):
    """The result of work started by `forked`: `result()` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.pid = 0
        self.pipe = -1
        self.value: tuple[T] | None = None

    def start(self) -> None:
        """Fork the child that does the work, if that is safe here; otherwise do it now."""
        if not _can_fork():
            self.value = (self.work(),)
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the work, send it, and leave without running this process's exit code
            status = 1
            try:
                os.close(read)
                payload = pickle.dumps(self.work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.pipe = pid, read

    def result(self) -> T:
        """The work's result: the child's, or, if the child did not give one, the work done here."""
        if self.value is None:
            self.value = (self._collect(),)
        return self.value[0]

    def _collect(self) -> T:
        with os.fdopen(self.pipe, "rb") as answer:
            self.pipe = -1
            payload = answer.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                return pickle.loads(payload)
            except Exception:  # noqa: BLE001 - an answer cut short: do the work here instead
                pass
        return self.work()  # the child failed: here the work gives its own result, or raises its own error

    def stop(self) -> None:
        """End a child whose result was not asked for (the build stopped early)."""
        if self.pipe >= 0:
            os.close(self.pipe)
            self.pipe = -1
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


@contextmanager
def forked(work: Callable[[], T]) -> Iterator[Pending[T]]:
    """Start `work` on another core; inside the block, `.result()` waits for it. A child not waited for is ended."""
    pending = Pending(work)
    pending.start()
    try:
        yield pending
    finally:
        pending.stop()


def by_size(sizes: dict[str, int]) -> tuple[list[str], list[str]]:
    """Names in two parts of about as many bytes each, one for each core: the largest first, each to
    the part that is lighter so far (ties by name, so the split is the same on every run)."""
    parts: tuple[list[str], list[str]] = ([], [])
    weights = [0, 0]
    for name in sorted(sizes, key=lambda n: (-sizes[n], n)):
        lighter = 0 if weights[0] <= weights[1] else 1
        parts[lighter].append(name)
        weights[lighter] += sizes[name]
    return parts


def size_of(path: str | os.PathLike[str]) -> int:
    """A file's bytes, for by_size; 0 if it cannot be read (whoever reads it then says why)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def can_fork() -> bool:
    """Whether work can go to a forked child here (for a fork that is not `forked`'s: write/mkdocs_halves.py)."""
    return _can_fork()


def _can_fork() -> bool:
    """A second core to run on, fork itself, no other thread (a lock it holds would stay held in the
    child), and the memory for a second copy of this process."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1 and _room_for_a_copy()


def _room_for_a_copy() -> bool:
    """Whether the system has as much memory available as this process holds: a child shares its
    parent's pages only until either writes to them, and Python's reference counts write to every
    object the child reads (at 100 000 facts the build holds 4.6 GB). Where it cannot tell, yes."""
    try:
        held = _kib("/proc/self/status", "VmRSS:")
        available = _kib("/proc/meminfo", "MemAvailable:")
    except (OSError, ValueError):
        return True
    return available >= held


def _kib(path: str, field: str) -> int:
    """A kB figure of a /proc file (ValueError if it has none)."""
    with open(path, encoding="ascii") as lines:
        for line in lines:
            if line.startswith(field):
                return int(line.split()[1])
    raise ValueError(f"no {field} in {path}")
