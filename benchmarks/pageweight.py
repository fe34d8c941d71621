"""Page weight: what a reader's browser downloads on a first visit, served compressed as hosts serve it.

    .venv/bin/python -m benchmarks.pageweight [SITE]

Serves the built site on 127.0.0.1 with gzip (as GitHub Pages does), opens one page of each
kind in Chromium with an empty cache, waits until the network is quiet, and adds up the bytes
transferred: the page, its styles, scripts, images and whatever it fetches after loading. The
search index is fetched only when a reader turns to search, and is printed on its own line.
Prints a table; `tests/test_browser.py` holds every page kind to LIMIT.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path

LIMIT = 150 * 1024  # bytes transferred per first load, assets included (issue 15)

PAGE_KINDS = {
    "home": "",
    "topic": "topics/funding/",
    "source": "sources/{source}/",
    "entity": "entities/{entity}/",
    "disagreements": "disagreements/",
    "timeline": "timeline/",
    "changes": "changes/",
    "methodology": "methodology/",
}

CHROMIUM = "/usr/bin/chromium"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv", ".bib", ".map")


class CompressedHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for clients that accept it."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):  # type: ignore[override]
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()  # as it is (and a folder's address without its slash redirected)
        body = _compressed(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


@cache
def _compressed(path: Path, mtime: int) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@contextlib.contextmanager
def serve_compressed(folder: Path) -> Iterator[str]:
    """The folder on a loopback web server that compresses; yields its address."""

    class Handler(CompressedHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def page_paths(site: Path) -> dict[str, str]:
    """One page of each kind in a built site (the first source and entity pages there are)."""
    first = {}
    for kind in ("sources", "entities"):
        folders = sorted(p.parent.name for p in (site / kind).glob("*/index.html"))
        first[kind[:-1] if kind == "sources" else "entity"] = folders[0] if folders else ""
    return {kind: path.format(**first) for kind, path in PAGE_KINDS.items()}


def measure(site: Path, browser=None) -> dict[str, tuple[int, int]]:
    """Each page kind's (bytes transferred, number of requests) on a first, uncached visit.

    `browser` is a Playwright browser already running (the tests'); without one, Chromium is started.
    """
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                return measure(site, chromium)
            finally:
                chromium.close()
    weights = {}
    with serve_compressed(site) as base:
        opened = []  # every kind's page loads at once, each in a new context: an empty cache of its own
        for kind, path in page_paths(site).items():
            context = browser.new_context(viewport={"width": 375, "height": 800})
            sizes: list[int] = []
            context.on("requestfinished", lambda request, sizes=sizes: sizes.append(_transferred(request)))
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            opened.append((kind, context, page, sizes))
        opened[-1][2].wait_for_timeout(500)  # what the theme fetches after load (its search worker, the sitemap)
        for kind, context, page, sizes in opened:
            page.wait_for_load_state("networkidle")  # no request for 500 ms
            weights[kind] = (sum(sizes), len([s for s in sizes if s]))
            context.close()
    return weights


def _transferred(request) -> int:
    """A request's bytes on the wire: headers and (compressed) body; nothing for a data: address."""
    if not request.url.startswith("http"):
        return 0
    sizes = request.sizes()
    return sizes["requestHeadersSize"] + sizes["responseHeadersSize"] + sizes["responseBodySize"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    args = parser.parse_args()
    weights = measure(args.site)
    print(f"{'page':<14} {'KB transferred':>15} {'requests':>9}")
    for kind, (size, requests) in weights.items():
        mark = "" if size <= LIMIT else f"  over {LIMIT // 1024} KB"
        print(f"{kind:<14} {size / 1024:>15.1f} {requests:>9}{mark}")
    index = args.site / "search" / "search_index.json"
    if index.exists():
        print(f"{'+ search index':<14} {len(_compressed(index, index.stat().st_mtime_ns)) / 1024:>15.1f}", end="")
        print("          once, when a reader first searches")
    return 0 if all(size <= LIMIT for size, _ in weights.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
