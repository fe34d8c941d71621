"""The static-site engine (MkDocs, or Zensical) run on a staged site source, as a child that dies with the build."""

from __future__ import annotations

import ctypes
import gc
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

from briefing.files import create_file
from briefing.write.output import Staged
from briefing.write.search import zensical_index_as_text

ENGINES = ("mkdocs", "zensical")
# File events that change nothing (watchdog's names): the preview's and the engines' own reading makes them.
FILE_READS = ("opened", "closed_no_write")


def engine_missing(engine: str) -> str | None:
    """Why `engine` cannot run here, with how to install it; None if it can."""
    if importlib.util.find_spec(engine) is not None:
        return None
    return (
        f"error: {engine} is not installed in this environment: "
        f"`.venv/bin/pip install {engine}` (make test installs it)"
    )


def give_back_memory() -> None:
    """Return the memory this process has freed to the system, for the engine it is about to run.

    At 100 000 facts the build held the site source's texts (1.4 GB of files) while MkDocs held
    every page too; Python frees such strings, but glibc keeps the pages for reuse unless asked.
    """
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)  # glibc; elsewhere there is nothing to ask
    except (OSError, AttributeError):
        pass


def run_engine(staged: Staged, lock: int, engine: str, source_date_epoch: str) -> bool:
    """Build the staged site source into the staged site with `engine`, strictly; whether it succeeded.

    The engine's own messages go to this process's standard error.
    """
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch)
    if engine == "mkdocs":
        env["NO_MKDOCS_2_WARNING"] = "1"  # its ten-line banner; the build says the same in one line
        # MkDocs itself, with half the pages built on the second core (write/mkdocs_halves.py)
        # and its warnings counted: with --quiet, --strict would count none (mkdocs_halves.warnings_only)
        command = [sys.executable, "-m", "briefing.write.mkdocs_halves", "build", "--strict"]
        command += ["-f", str(staged.source / "mkdocs.yml"), "--site-dir", str(staged.site)]
        cwd = staged.source
    else:  # Zensical takes its folders from its config, inside the config's folder: a copy beside the source
        config = _zensical_config(staged)
        command = [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(config)]
        cwd = staged.folder  # Zensical keeps its cache where it runs: not in the source
    # The engine holds the build lock with us, and dies with us: a killed build leaves no writer behind.
    result = subprocess.run(command, cwd=cwd, env=env, pass_fds=(lock,), preexec_fn=die_with_parent)
    if engine == "zensical" and result.returncode == 0:
        staged.site.rmdir()
        shutil.move(staged.folder / "site", staged.site)
        zensical_index_as_text(staged.site)
    return result.returncode == 0


def _zensical_config(staged: Staged) -> Path:
    """The site source's mkdocs.yml with its folders as Zensical finds them from beside the source."""
    config = staged.folder / "zensical.yml"
    settings = yaml.safe_load((staged.source / "mkdocs.yml").read_text(encoding="utf-8"))
    settings["docs_dir"], settings["site_dir"] = "source/docs", "site"
    if settings.get("theme", {}).get("custom_dir"):
        settings["theme"]["custom_dir"] = "source/" + settings["theme"]["custom_dir"]
    create_file(config, yaml.safe_dump(settings, sort_keys=False, allow_unicode=True).encode("utf-8"))
    return config


def die_with_parent() -> None:
    """In the child: ask Linux to kill it when the process that started it dies (a no-op elsewhere)."""
    try:
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def wait_until_listening(server: subprocess.Popen, dev_addr: str) -> None:
    """Wait for the engine's server to listen at `dev_addr` (`mkdocs serve` does once its first build
    is done: a preview written while that build reads the pages could take a page from under it, and
    a first build that fails ends the server), or to end."""
    while server.poll() is None:
        try:
            with socket.create_connection(local_address(dev_addr), timeout=0.5):
                return
        except (OSError, ValueError):
            time.sleep(0.1)


def local_address(dev_addr: str) -> tuple[str, int]:
    """Where this machine reaches a server listening at `dev_addr` ('127.0.0.1:8000', '[::1]:8000', ':8000', '0.0.0.0:8000')."""
    host, _, port = dev_addr.rpartition(":")
    host, number = host.strip("[]"), int(port)  # ValueError: not a port
    if not 0 < number < 65536 or any(c.isspace() or c in "/?#@" for c in host):
        raise ValueError(f"not HOST:PORT: {dev_addr!r}")
    return ("127.0.0.1" if host in ("", "0.0.0.0") else host), number


# The preview's own server is on this machine: asked directly, never through the http_proxy of the
# environment, which would see the preview's addresses and could answer for the server.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class Rebuilds:
    """The preview's view of its server's rebuilds, through MkDocs' live-reload protocol (what a
    browser showing a page asks): which version of the site is shown, and waiting for a newer one."""

    def __init__(self, dev_addr: str) -> None:
        host, port = local_address(dev_addr)
        self.url = f"http://{f'[{host}]' if ':' in host else host}:{port}/livereload/"
        self.marked: int | None = None

    def mark(self) -> None:
        """Remember the version shown now (before files are written and the server told)."""
        self.marked = self._version(0, within=1)

    def wait(self, within: float = 5) -> None:
        """Wait until the server shows a newer version than the one marked (at most `within` s: a
        rebuild that fails leaves the server showing the last version)."""
        if self.marked is not None:
            self._version(self.marked, within)

    def _version(self, after: int, within: float) -> int | None:
        """The version shown once it is newer than `after`; None if the server does not say."""
        try:
            with _DIRECT.open(f"{self.url}{after}/0", timeout=within) as answer:
                return int(answer.read(32))
        except (OSError, ValueError):
            return None
