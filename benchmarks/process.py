"""Running a measured command: its wall time, peak memory and output; the project the measurements use."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from briefing.project import find_root

REPO = find_root(Path.cwd())  # the project whose mkdocs.yml and docs/ the synthetic registry is built with


def run(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, str]:
    """Run a command; return its wall time, its peak memory (MiB) and what it printed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:  # pipes could fill and block it
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)  # wait4: the peak memory of this process alone
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        printed, complaint = out.read().decode(), err.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{printed}\n{complaint}")
    return elapsed, usage.ru_maxrss / 1024, printed


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now, for a server a measurement or a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
