"""Check every internal link and anchor of the built site, in the HTML the reader gets.

MkDocs validates links written in Markdown only, and `mkdocs build -v` skips anchor checks;
this reads the built HTML instead, so links from raw HTML, footnotes, the theme and the
navigation are checked too. External links are only collected here; `check_external` fetches
them (through tools/fetch.py: public addresses only, one deadline each).
"""

from __future__ import annotations

import posixpath
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from briefing.check.active_content import ActiveContent, read_site, site_files, site_pages
from briefing.check.markup import Reading
from briefing.tools.fetch import DEADLINE, EVERYWHERE, FetchError, fetch

_UNSPLIT = re.compile(r"[\t\r\n]")  # what urlsplit drops from anywhere in an address


@dataclass(frozen=True)
class BrokenLink:
    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: broken link {self.target!r}: {self.reason}"


def check_site(
    site: Path, base: str = "/", docs: Path | None = None, files: list[str] | None = None
) -> tuple[list[BrokenLink | ActiveContent], set[str]]:
    """Broken internal links and anchors of the site, active content in its pages, and every external URL it links to.

    `base` is the path the site is published under (from its site_url: '/briefing/'), which
    the 404 page's links start with. `docs` is the project's docs/ folder: active content in a
    page made from it is reported at its line there (check/active_content.py). `files`: the
    site's files as site_files listed them before Pagefind began writing its index; a link is
    resolved against that list, on the core that read its page; its anchor is looked up once
    every page is read.
    """
    files = site_files(site) if files is None else files
    site_map = _SiteMap(set(files), {posixpath.dirname(name) for name in files}, base)
    active, pages = read_site(site, base, docs, also=site_map.judged, names=site_pages(site, files))
    broken: list[BrokenLink] = []
    external: set[str] = set()
    for name, page in pages.items():
        for link, verdict in page.links:
            if verdict.external:
                external.add(verdict.external)
            elif verdict.problem:
                broken.append(BrokenLink(name, link, verdict.problem))
            elif verdict.target in pages and verdict.fragment not in pages[verdict.target].ids:
                broken.append(BrokenLink(name, link, f"no anchor #{verdict.fragment} in {verdict.target}"))
    return [*broken, *active], external


class _Verdict(NamedTuple):
    """What one link is: an address on another site, broken and why, or an anchor still to look up.

    A tuple: a core hands hundreds of thousands of them to the other (a frozen dataclass took 5 s).
    """

    external: str = ""
    problem: str = ""
    target: str = ""  # the page whose anchor `fragment` is, once every page's anchors are known
    fragment: str = ""


@dataclass
class _Judged:
    """A page's anchors, and those of its links that need more than the file list: each with its verdict."""

    ids: set[str]
    links: list[tuple[str, _Verdict]]


SOUND = _Verdict()
_PLAIN = re.compile(r"[A-Za-z0-9_./~%+-]*")  # a path urlsplit would return as it is: no scheme, query or space


@dataclass
class _SiteMap:
    """The site's files and folders, and each link's verdict, worked out once per address and what it depends on."""

    files: set[str]
    folders: set[str]
    base: str
    places: dict[tuple[str, bool, str], _Verdict] = field(default_factory=dict)  # a plain path's page
    verdicts: dict[tuple[str, str], _Verdict] = field(default_factory=dict)  # any other address's verdict

    def judged(self, reading: Reading, name: str) -> _Judged:
        """A page's anchors and the links that are not plainly sound, read on the core that read the page.

        A link to an anchor of its own page is looked up here; one to another page's, once every page is read.
        """
        page = reading.linked()
        ids = page.ids
        links = []
        for link in page.links:
            verdict = self.verdict(name, link)
            if verdict is not SOUND and not (verdict.target == name and verdict.fragment in ids):
                links.append((link, verdict))
        return _Judged(ids, links)

    def verdict(self, name: str, link: str) -> _Verdict:
        """What `link` is from page `name`.

        A plain path ('../x/#y') means the same from every page of a folder, so its page is worked out
        once per folder; an anchor alone ('#y') is the page's own; an http(s) address means the same
        from anywhere; any other address is worked out once per page.
        """
        path, _, fragment = link.partition("#")
        if _UNSPLIT.search(fragment) or not _PLAIN.fullmatch(path) or path.startswith("//"):
            key = ("", link) if link.startswith(("http://", "https://")) else (name, link)
            if key not in self.verdicts:
                self.verdicts[key] = self._judge(name, link)
            return self.verdicts[key]
        if not path:
            return _anchored(_Verdict(target=name), fragment)
        key = (posixpath.dirname(name), name == "404.html", path)
        place = self.places.get(key)
        if place is None:
            place = self.places[key] = self._resolve(name, path)
        return _anchored(place, fragment)

    def _judge(self, name: str, link: str) -> _Verdict:
        """What an address that is not a plain path is, read as urlsplit reads it."""
        try:
            parts = urlsplit(link)
        except ValueError as exc:  # '[fe80::1': a hostile address cannot stop the check
            return _Verdict(problem=f"not a valid address: {exc}")
        if parts.scheme in ("http", "https"):
            return _Verdict(external=link)
        if link.startswith("//"):
            return _Verdict(external="https:" + link)  # '//host/x': as an https page has it
        if parts.scheme:
            return SOUND  # javascript:, data: and the like are active content, reported by read_site
        place = self._resolve(name, parts.path) if parts.path else _Verdict(target=name)
        return _anchored(place, parts.fragment)

    def _resolve(self, name: str, path: str) -> _Verdict:
        """The page a link's path (never empty) leads to from page `name`, as a target, or why it is broken."""
        base = self.base
        if path.startswith("/"):
            if name != "404.html":  # the 404 page is served at any address, so MkDocs links it from the root
                return _Verdict(problem="absolute path: the site must work from any folder")
            if not path.startswith(base):
                return _Verdict(problem=f"outside the site's address ({base})")
            path, name = path[len(base) :] or ".", "index.html"
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(path)))
        if target.startswith(".."):
            return _Verdict(problem="leads outside the site")
        if target == ".":  # the site's root, whose anchors are checked like any page's
            target = "index.html"
        elif path.endswith("/") or target in self.folders:
            target = posixpath.join(target, "index.html")
        if target not in self.files:
            return _Verdict(problem="no such file")
        return _Verdict(target=target)


def _anchored(place: _Verdict, fragment: str) -> _Verdict:
    """A link's verdict from its page's: broken with it; else sound, or its anchor still to look up there."""
    if place.problem:
        return place
    return _Verdict(target=place.target, fragment=unquote(fragment)) if fragment else SOUND


def check_external(
    urls: set[str], deadline: float = DEADLINE, workers: int = 8, allow_private: bool = False
) -> list[BrokenLink]:
    """Fetch every external URL (HEAD, then GET where HEAD is refused); return the ones that fail.

    This needs the network, so it is opt-in (`briefing linkcheck --external`), for a scheduled job.
    Each fetch has one deadline and reads no body; private and loopback addresses are refused
    (they are no link a reader can follow) unless `allow_private`.
    """
    from concurrent.futures import ThreadPoolExecutor

    allow = EVERYWHERE if allow_private else ()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda url: (url, _fetch(url, deadline, allow)), sorted(urls)))
    return [BrokenLink("(external)", url, reason) for url, reason in results if reason]


def _fetch(url: str, deadline: float, allow: tuple) -> str | None:
    agent = "briefing-linkcheck/1 (+https://github.com/)"
    started = time.monotonic()  # one deadline for the address, the GET after a refused HEAD included
    for method in ("HEAD", "GET"):
        try:
            status = fetch(url, method=method, deadline=deadline, allow=allow, user_agent=agent, started=started).status
        except FetchError as exc:
            return str(exc)
        if method == "HEAD" and status in (403, 405, 501):
            continue  # some servers refuse HEAD; ask again with GET
        return None if status < 400 else f"HTTP {status}"
    return None
