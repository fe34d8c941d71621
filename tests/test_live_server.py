"""The preview's MkDocs server (write/live_server.py) and the preview's view of it (write/engine.Rebuilds)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import jinja2
import pytest
from conftest import BRIEFING
from helpers import stop_server

from benchmarks.process import free_port
from briefing.files import replace_file
from briefing.write.engine import Rebuilds
from briefing.write.live_server import CompiledTemplates, InstalledListedOnce


def _page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _until(condition, what: str, within: float = 60) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_the_server_rebuilds_when_signalled_and_only_then(tmp_path: Path):
    """An edit of the site source alone is not rebuilt (MkDocs' own server would, within 0.6 s); the
    signal replaced after it is, and the server's first build and its answers are MkDocs' own."""
    source = tmp_path / "source"
    (source / "docs").mkdir(parents=True)
    (source / "mkdocs.yml").write_text("site_name: Signalled\ntheme:\n  name: mkdocs\n", encoding="utf-8")
    page = source / "docs" / "index.md"
    page.write_text("# Before\n", encoding="utf-8")
    signal = tmp_path / "preview.written"
    port = free_port()
    command = [sys.executable, "-m", "briefing.write.live_server", str(signal), "serve"]
    command += ["-f", str(source / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(command, cwd=tmp_path, env=env, stderr=subprocess.PIPE, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _until(lambda: "Before" in _page(url), "the first build")
        rebuilds = Rebuilds(f"127.0.0.1:{port}")
        rebuilds.mark()
        assert rebuilds.marked is not None  # the version shown, as MkDocs' live-reload script reads it
        replace_file(page, b"# After\n", durable=False)
        time.sleep(1.2)  # two of MkDocs' own polls, and its wait for quiet
        assert "Before" in _page(url)
        replace_file(signal, b"written\n", durable=False)
        rebuilds.wait(within=60)  # answered once the rebuild is shown
        assert "After" in _page(url)
    finally:
        stop_server(server)
    said = server.stderr.read().decode("utf-8")
    assert "Traceback" not in said


def test_compiled_templates_are_kept_until_their_source_changes(tmp_path: Path):
    """MkDocs makes a new environment for every rebuild; the compiled templates outlive it, but an
    edited template (an override in the preview) is compiled anew."""
    (tmp_path / "main.html").write_text("<p>{{ word }} one</p>", encoding="utf-8")
    cache = CompiledTemplates()

    def rendered() -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), bytecode_cache=cache)
        return env.get_template("main.html").render(word="edit")

    assert rendered() == "<p>edit one</p>"
    assert len(cache.compiled) == 1
    (tmp_path / "main.html").write_text("<p>{{ word }} two</p>", encoding="utf-8")
    assert rendered() == "<p>edit two</p>"


def test_an_installed_folder_is_listed_once_and_any_other_each_time(tmp_path: Path):
    installed = next(p for p in map(Path, sys.path) if p.name == "site-packages") / "mkdocs" / "templates"
    override = tmp_path / "overrides"
    override.mkdir()
    (override / "main.html").write_text("x", encoding="utf-8")
    InstalledListedOnce.listed.clear()
    loader = InstalledListedOnce([str(override), str(installed)])
    first = loader.list_templates()
    assert "main.html" in first and "sitemap.xml" in first
    (override / "extra.html").write_text("x", encoding="utf-8")
    assert "extra.html" in loader.list_templates()  # an override's edit is seen at the next rebuild
    assert InstalledListedOnce.listed[str(installed)] == jinja2.FileSystemLoader(str(installed)).list_templates()


def test_the_previews_view_of_its_server_never_hangs_on_a_server_that_does_not_answer(tmp_path: Path):
    """A server that accepts and says nothing, one that answers nonsense, and no server at all: the
    preview goes on within the time it gave (it only waits to write the downloads after the pages)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        rebuilds = Rebuilds(f"127.0.0.1:{silent.getsockname()[1]}")
        started = time.monotonic()
        rebuilds.mark()
        assert rebuilds.marked is None
        rebuilds.marked = 7
        rebuilds.wait(within=0.5)
        assert time.monotonic() - started < 30  # both returned: neither waited on the silence

    with socket.socket() as nonsense:
        nonsense.bind(("127.0.0.1", 0))
        nonsense.listen()

        def answer() -> None:
            connection, _ = nonsense.accept()
            with connection:
                connection.recv(1024)
                connection.sendall(b"HTTP/1.0 200 OK\r\n\r\n<script>alert(1)</script>")

        threading.Thread(target=answer, daemon=True).start()
        rebuilds = Rebuilds(f"127.0.0.1:{nonsense.getsockname()[1]}")
        rebuilds.mark()
        assert rebuilds.marked is None  # not a version: the preview waits for nothing

    closed = Rebuilds(f"127.0.0.1:{free_port()}")
    closed.mark()
    assert closed.marked is None


def test_a_saved_file_wakes_the_preview_at_once_and_its_own_writes_do_not(tmp_path: Path):
    """The kernel's events on the inputs wake the preview's next look; what it writes under .cache/ does not."""
    from briefing.pipeline import Options
    from briefing.preview import woken_by_edits

    root = tmp_path / "project"
    (root / "facts").mkdir(parents=True)
    (root / "facts" / "facts.yaml").write_text("facts: []\n", encoding="utf-8")
    (root / ".cache" / "preview").mkdir(parents=True)
    woken = woken_by_edits(Options(root, tmp_path / "archive", strict=False, site_dir=Path("site")))
    replace_file(root / ".cache" / "preview" / "index.md", b"written by the preview\n", durable=False)
    replace_file(root / ".cache" / "preview.written", b"written\n", durable=False)
    (root / "facts" / "facts.yaml").read_bytes()  # reading an input is no edit either
    assert not woken.wait(0.5)
    replace_file(root / "facts" / "facts.yaml", b"facts: [] # edited\n", durable=False)
    assert woken.wait(30)


def test_the_previews_server_is_asked_directly_never_through_the_environments_proxy(monkeypatch):
    """An http_proxy in the environment would see every address the preview asks its server for, and
    could answer for it (a version that makes the preview wait, or none). The preview asks directly."""
    import http.server

    class Versions(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            body = b"5" if self.path == "/livereload/0/0" else b""
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    asked: list[bytes] = []
    with socket.socket() as proxy, http.server.ThreadingHTTPServer(("127.0.0.1", 0), Versions) as server:
        proxy.bind(("127.0.0.1", 0))
        proxy.listen()
        proxy.settimeout(0.5)

        def record() -> None:
            try:
                connection, _ = proxy.accept()
                with connection:
                    asked.append(connection.recv(1024))
                    connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n9")
            except OSError:
                pass

        listener = threading.Thread(target=record, daemon=True)
        listener.start()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        for name in ("no_proxy", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        for name in ("http_proxy", "HTTP_PROXY", "all_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.getsockname()[1]}")
        rebuilds = Rebuilds(f"127.0.0.1:{server.server_address[1]}")
        rebuilds.mark()
        listener.join()
        server.shutdown()
    assert rebuilds.marked == 5  # the server's answer, not the proxy's 9
    assert asked == []


@pytest.mark.parametrize(
    "address", ["nope", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:80x", "evil@host:80", "a/b:80"]
)
def test_a_dev_addr_that_is_not_host_and_port_is_refused_before_anything_starts(address, tmp_path):
    result = subprocess.run(
        [BRIEFING, "serve", "--root", str(tmp_path), "--dev-addr", address],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "is not HOST:PORT, such as 127.0.0.1:8000" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
