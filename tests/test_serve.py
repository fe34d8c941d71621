"""Live preview: `briefing serve` through MkDocs' real server, as a contributor uses it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import BRIEFING, Project
from helpers import stop_server

from benchmarks.process import free_port

NAV_TITLE = re.compile(r'class="md-ellipsis">\s*(.*?)\s*<', re.S)


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition, what: str, log: Path, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; the server said:\n{log.read_text(encoding='utf-8')}")


@pytest.mark.parametrize("flags", [[], ["--dirty"]], ids=["full", "dirty"])
def test_preview_follows_edits_and_keeps_the_last_good_pages(site_project: Project, tmp_path: Path, flags):
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "BRIEFING_SOURCES": str(site_project.archive)}
    env.pop("GITHUB_ACTIONS", None)
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [BRIEFING, "serve", "--dev-addr", f"127.0.0.1:{port}", *flags],
            cwd=site_project.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        page = _wait_for(lambda: _get(base + "topics/funding/"), "the first build", log)
        assert "Acme raised 2 billion yuan" in page

        site_project.edit("facts.yaml", "Acme raised 2 billion yuan", "Acme raised two billion yuan")
        page = _wait_for(
            lambda: (text := _get(base + "topics/funding/")) and "Acme raised two billion yuan" in text and text,
            "the edit to show",
            log,
        )
        # The server rebuilds when the preview signals, never on the preview's own writes: the
        # rebuilds settle. (With --dirty the pages are signalled first and the downloads after them;
        # a save that reaches the preview half-made is one more look, never a loop.)
        rebuilds = _settled(lambda: log.read_text(encoding="utf-8").count("Detected file changes"), log)
        assert 1 <= rebuilds <= 2
        # Every menu entry has its title, even for pages a dirty rebuild did not read.
        titles = NAV_TITLE.findall(page)
        assert {"Where sources disagree", "Company", "Portville"} <= set(titles)
        assert "None" not in titles
        if flags:  # a partial rebuild cannot refresh the search index: a dirty preview has no search
            assert _get(base + "search/search_index.json") is None
            assert 'data-md-component="search"' not in page
            assert "this preview has no search" in log.read_text(encoding="utf-8")
        else:  # search covers the pages that were not rebuilt, and the edit
            index = json.loads(_get(base + "search/search_index.json"))
            locations = {doc["location"] for doc in index["docs"]}
            assert {"topics/company/", "sources/wire/", "methodology/"} <= locations
            assert any("Acme raised two billion yuan" in doc["text"] for doc in index["docs"])
            assert not any("Acme raised 2 billion yuan" in doc["text"] for doc in index["docs"])
            assert 'data-md-component="search"' in page

        site_project.edit("facts.yaml", "source: planet", "source: planett")
        _wait_for(lambda: "unknown source 'planett'" in log.read_text(encoding="utf-8"), "the error report", log)
        assert "preview not updated" in log.read_text(encoding="utf-8")
        assert "Acme raised two billion yuan" in _get(base + "topics/funding/")
        assert "Traceback" not in log.read_text(encoding="utf-8")
        assert not (site_project.root / "build").exists()  # a preview leaves the build output alone
    finally:
        stop_server(server)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_serve_says_one_line_and_a_signal_stops_its_server_too(site_project: Project, tmp_path: Path, signum):
    """No banner, no false anchor lines; SIGTERM or SIGHUP to `briefing serve` frees the port."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "BRIEFING_SOURCES": str(site_project.archive)}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("NO_MKDOCS_2_WARNING", None)
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [BRIEFING, "serve", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=site_project.root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for(lambda: _get(f"http://127.0.0.1:{port}/topics/funding/"), "the first build", log)
        server.send_signal(signum)  # to `briefing serve` alone, as a process manager does
        server.wait(timeout=20)
        _wait_for(lambda: _port_free(port), "the server to let go of the port", log, timeout=10)
    finally:
        try:  # anything the preview started and left behind is still in its process group
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait()
    text = log.read_text(encoding="utf-8")
    assert text.count("note: Material for MkDocs reaches end of life on 5 May 2027") == 1
    assert "NO_MKDOCS_2_WARNING" not in text and "does not contain an anchor" not in text, text
    assert "Traceback" not in text


def _settled(count, log: Path, quiet: float = 3.0, timeout: float = 60.0) -> int:
    """The count once it has not moved for `quiet` seconds; a count that never settles fails."""
    deadline = time.monotonic() + timeout
    last, since = count(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = count()
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return now
    pytest.fail(f"the preview kept rebuilding; the server said:\n{log.read_text(encoding='utf-8')}")


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_the_preview_is_not_written_again_until_mkdocs_has_built_and_listens():
    """MkDocs listens once its first build is done; a preview written during that build could take a
    page from under it (FileNotFoundError, and `mkdocs serve` ended: seen with an edit made at start)."""
    from briefing.write.engine import wait_until_listening

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    late = f"import socket, time; time.sleep(1); s = socket.socket(); s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(60)"
    server = subprocess.Popen([sys.executable, "-c", late])
    try:
        start = time.monotonic()
        wait_until_listening(server, f"127.0.0.1:{port}")
        assert time.monotonic() - start >= 0.9 and server.poll() is None
    finally:
        server.kill()
        server.wait()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # a server that ends without listening
    wait_until_listening(ended, f"127.0.0.1:{port}")
    assert ended.returncode == 0
