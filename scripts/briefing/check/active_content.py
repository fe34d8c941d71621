"""Active content in the built site: what a hand-written page could make a reader's browser run or fetch.

A pull request can add or edit pages in docs/, and the engines pass their raw HTML through. The
site promises its readers that it runs only its own code and asks no other origin for anything,
so once the engine has built the site every built page is read as a browser reads it (lexbor:
check/browser_reading.py), and with Python's parser where a finding needs its line (_scan):

- inside the theme's content region (Material's and Zensical's `<article class="md-content__inner">`)
  every element that runs, embeds, submits, redirects or restyles, every event handler, every
  address that is not http, https, mailto or relative, and every image or medium from another
  origin is an error;
- outside it the theme's own elements are expected: those the home page has (the generator
  writes it, escaping everything), as often as it has them. Anything more (a front-matter title
  carrying `</title><script>` into the head) is an error, and so are event handlers, script
  addresses, loads from other origins and `<meta http-equiv>` anywhere;
- an HTML, SVG or XML file copied from docs/ as it is has no theme: all of it is content.

Where browsers and Python's parser read markup differently (comments a browser ends early,
CDATA sections, raw-text elements such as <textarea> and <noscript>, MathML), the markup itself
is the error, so nothing can hide from this reading and run in the browser's.
"""

from __future__ import annotations

import gc
import os
import posixpath
import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TypeVar

from briefing.check.browser_reading import FAST_SUFFIXES, is_odd, read_as_browser
from briefing.check.markup import (
    LOADING_RELS,
    URL_ATTRIBUTES,
    WHY,
    Element,
    Found,
    Reader,
    Reading,
    element_problems,
    is_elsewhere,
    rels,
)
from briefing.forked import by_size, forked, size_of
from briefing.load.config import MARKDOWN, published_at
from briefing.problems import Loc, Problem, error

T = TypeVar("T")

SCANNED = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".xml")  # what a browser may render as a page
HINT = "show markup as text in a code block; link to other sites with <a href> (README: Hand-written pages)"
_DOT_ROOT = re.compile(r'"(?:\.\.?/)*\.\.?"')  # how a page's scripts name the site's root: ".", "../.."
_DOT_PREFIX = re.compile(r'"(?:\.\.?/)+')


@dataclass(frozen=True)
class ActiveContent:
    """One thing in a built page a reader's browser would run or fetch, where the contributor wrote it."""

    loc: Loc  # the hand-written source (docs/notes.md:12:1), or the built page where none is known
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}"

    @property
    def problem(self) -> Problem:
        """As the build reports its other problems: `docs/notes.md:12:1: error: ...` with a hint."""
        return error(self.loc, self.message, HINT, code="active-content")


def scan_site(site: Path, base: str = "/", docs: Path | None = None) -> list[ActiveContent]:
    """Active content in every page of a built site, at its hand-written source when `docs` is given.

    `docs` is the project's docs/ folder: a finding in a page built from it names the file and
    line; without it, the built page and its line.
    """
    return read_site(site, base, docs)[0]


def read_site(
    site: Path,
    base: str = "/",
    docs: Path | None = None,
    also: Callable[[Reading, str], T] | None = None,
    names: list[str] | None = None,
) -> tuple[list[ActiveContent], dict[str, T]]:
    """scan_site's findings, and what `also` reads from each HTML page and its name as it is parsed
    (the link check's links and anchors), by page, so that a page is parsed once for both.

    Half the pages are read on the second core (forked.py); the findings are the same.
    `names`: the pages to read, as site_pages listed them before anything else began writing in the site.
    """
    sources = hand_written(docs) if docs is not None else {}
    names = site_pages(site) if names is None else names
    references = (_reference(site, base, read_as_browser), _reference(site, base, read_page))

    def read(part: list[str]) -> dict[str, tuple[list[Found], T | None]]:
        out = {}
        for name in part:
            themed = name not in sources or sources[name][1]  # a file copied from docs/ as it is has no theme
            text = (site / name).read_text(encoding="utf-8", errors="replace")
            generated = docs is not None and name not in sources  # not a contributor's page, nor of unknown origin
            reading, found = _scan(text, name, base, references, themed, generated)
            extra = also(reading, name) if also is not None and name.endswith(".html") else None
            out[name] = (found, extra)
        return out

    first_half, second_half = _halves(site, names)
    with _no_cycle_collection(), forked(lambda: read(first_half)) as first:
        later = read(second_half)
        both = {**first.result(), **later}
    pages = {name: both[name] for name in names}  # in the listing's order, however the parts were made
    texts: dict[str, str] = {}
    out: list[ActiveContent] = []
    for name in names:
        source = sources.get(name)
        if source and source[0] not in texts and docs is not None:
            texts[source[0]] = (docs.parent / source[0]).read_text(encoding="utf-8", errors="replace")
        out += _locate(pages[name][0], name, source[0] if source else None, texts, docs is not None)
    read_also = {name: extra for name, (_, extra) in pages.items() if extra is not None}
    return sorted(out, key=lambda f: (f.loc, f.message)), read_also


def _scan(
    text: str, name: str, base: str, references: tuple[Counter, Counter], themed: bool, generated: bool
) -> tuple[Reading, list[Found]]:
    """A page as a browser reads it (lexbor) and what is found in it, at the lines Python's parser gives.

    Python's parser also reads every page a contributor wrote (or of unknown origin), for what
    only it reports: markup inside a tag's attributes, comments a browser ends early. A generated
    page, whose text the generator escapes, it re-reads only where lexbor finds something or the
    page holds markup the two read apart (browser_reading.is_odd). A finding only lexbor's reading
    has is kept, at the line where what it names first stands in the page.
    """
    if not name.lower().endswith(FAST_SUFFIXES):  # SVG, XML, XHTML: XML rules, which lexbor does not follow
        reading = read_page(text)
        return reading, scan_page(reading, name, base, references[1], themed)
    seen = read_as_browser(text)
    found = scan_page(seen, name, base, references[0], themed)
    if found or not generated or is_odd(text):
        located = scan_page(read_page(text), name, base, references[1], themed)
        named = {item.what for item in located}
        cursor: dict[str, int] = {}  # each at the next place its markup stands
        unseen = [replace(item, line=_find(text, item.needles, cursor)[0]) for item in found if item.what not in named]
        found = _unique(located + unseen)
    return seen, found


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while pages are read: each reading makes thousands of objects
    and no cycle, and the collector walking them all again and again took half the check's time."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _halves(site: Path, names: list[str]) -> tuple[list[str], list[str]]:
    """`names` in two parts of about as many bytes each, read on the two cores (forked.by_size)."""
    return by_size({name: size_of(site / name) for name in names})


def site_files(site: Path) -> list[str]:
    """Every file of the site, from the site's root, in order: listed once, before anything else writes in it."""
    return [p.relative_to(site).as_posix() for p in sorted(site.rglob("*")) if p.is_file()]


def site_pages(site: Path, files: list[str] | None = None) -> list[str]:
    """Every file of the site (of `files`, as site_files listed them) a browser may render as a page, in order."""
    listed = site_files(site) if files is None else files
    return [name for name in listed if PurePosixPath(name).suffix.lower() in SCANNED]


def read_page(text: str) -> Reader:
    """A page's elements as the parser reads them (markup.Reader), read once for every check of it."""
    reader = Reader()
    reader.feed(text)
    reader.close()
    return reader


def scan_page(
    page: str | Reading, name: str, base: str = "/", reference: Counter | None = None, themed: bool = True
) -> list[Found]:
    """What a browser would run or fetch in one page; outside the content region, beyond `reference`."""
    reader = read_page(page) if isinstance(page, str) else page
    xml = name.lower().endswith((".xml", ".svg"))
    everywhere = not (themed and reader.region)
    allowed = Counter(reference or ())
    found: list[Found] = [f for f in reader.odd if f.inside or everywhere]
    for element in reader.elements:
        inside = element.inside or everywhere
        problems = element_problems(element, xml)
        if not inside:
            key = _signature(element, name, base)
            if key is None:
                problems = [p for p in problems if not p.by_tag]
            elif allowed[key] > 0 and all(p.by_tag for p in problems):
                allowed[key] -= 1
                continue
        for problem in problems:
            problem.inside = inside
        found += problems
    return _unique(found)


def _reference(site: Path, base: str, read: Callable[[str], Reading]) -> Counter:
    """The theme's own active elements outside the content region, as the home page has them, in `read`'s reading."""
    home = site / "index.html"
    if not home.is_file():
        return Counter()
    reader = read(home.read_text(encoding="utf-8", errors="replace"))
    if not reader.region:
        return Counter()
    keys = [_signature(e, "index.html", base) for e in reader.elements if not e.inside]
    return Counter(key for key in keys if key is not None)


def _signature(element: Element, name: str, base: str) -> tuple | None:
    """An element outside the content region as the same on any page: addresses from the site's root.

    None for elements nothing is checked in (a paragraph, a link to a page).
    """
    tag = element.tag
    if tag not in WHY or (tag == "link" and not any(rel in LOADING_RELS for rel in rels(element))):
        return None
    if tag == "meta":
        return None  # only http-equiv matters in a meta, and that is always wrong
    attrs = tuple(
        sorted(
            (key, _from_root(value or "", name, base) if key in URL_ATTRIBUTES else value)
            for key, value in element.attrs
        )
    )
    body = _DOT_ROOT.sub('"ROOT"', element.body.replace('"/"', '"ROOT"'))
    body = _DOT_PREFIX.sub('"', body)  # '../assets/x', './assets/x' and 'assets/x' alike
    if name == "404.html":  # the 404 page, served at any address, names the root by the site's path
        for exact in (base, base.rstrip("/")):
            body = body.replace(f'"{exact}"', '"ROOT"')
        body = body.replace(f'"{base}', '"')
    return (tag, attrs, body)


def _from_root(address: str, name: str, base: str) -> str:
    if is_elsewhere(address):
        return address
    if address.startswith("/"):
        return "/" + address[len(base) :] if address.startswith(base) else address
    return "/" + posixpath.normpath(posixpath.join(posixpath.dirname(name), address)).lstrip("./")


def _unique(found: list[Found]) -> list[Found]:
    """Markup outside the content region that repeats what is in it (Zensical copies a heading into the
    table of contents) or repeats itself (a title in the head and the header) is reported once."""
    seen = {(item.what, item.key) for item in found if item.inside}
    out = []
    for item in found:
        if not item.inside and (item.what, item.key) in seen:
            continue
        seen.add((item.what, item.key))
        out.append(item)
    return sorted(out, key=lambda f: f.line)


def hand_written(docs: Path) -> dict[str, tuple[str, bool]]:
    """Each built file made from a hand-written one: its path under docs/, and whether the theme wraps it (a page)."""
    out: dict[str, tuple[str, bool]] = {}
    for here, dirs, names in os.walk(docs):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(here, d)))
        rel_here = Path(here).relative_to(docs).as_posix()
        if rel_here == "generated":
            dirs[:] = []
            continue
        for file in sorted(names):
            if file.startswith(".") or os.path.islink(os.path.join(here, file)):
                continue
            rel = file if rel_here == "." else f"{rel_here}/{file}"
            page = Path(file).suffix.lower() in MARKDOWN
            out[published_at(rel) if page else rel] = (f"docs/{rel}", page)
    return out


def _locate(
    found: list[Found], name: str, source: str | None, texts: dict[str, str], mapped: bool
) -> list[ActiveContent]:
    """Each finding at its line in the hand-written source; at the built page's line where there is none."""
    out = []
    cursor: dict[str, int] = {}
    placed: dict[tuple[str, int], tuple[int, int]] = {}  # an element's findings all at its one place
    for item in found:
        if source is None:
            where = "generated page: a bug in the generator, please report it" if mapped else "page"
            out.append(ActiveContent(Loc(name, item.line), f"{_article(item.what)} in this {where}: {item.why}"))
            continue
        text = texts[source]
        if (item.key, item.line) not in placed:
            placed[item.key, item.line] = _find(text, item.needles, cursor)
        line, col = placed[item.key, item.line]
        kind = "hand-written page" if Path(source).suffix.lower() in MARKDOWN else "hand-written file"
        message = f"{_article(item.what)} in a {kind}: {item.why}"
        out.append(ActiveContent(Loc(source, line, col), message))
    return out


def _find(text: str, needles: tuple[str, ...], cursor: dict[str, int]) -> tuple[int, int]:
    """Line and column of the first needle found in the source, after where the same needle was last found."""
    lowered = text.lower()
    for needle in needles:
        needle = needle.lower()
        if not needle:
            continue
        at = lowered.find(needle, cursor.get(needle, 0))
        if at < 0:
            at = lowered.find(needle)
        if at >= 0:
            cursor[needle] = at + 1
            line = text.count("\n", 0, at) + 1
            return line, at - (text.rfind("\n", 0, at) + 1) + 1
    return 1, 1


def _article(what: str) -> str:
    """'a <script> element', 'an <img onerror> attribute', 'a comment'."""
    if what.startswith("<!--"):
        return "a comment"
    if what in ("<![CDATA[", "<?"):
        return f"a {what} declaration"
    noun = "element" if " " not in what else "attribute"
    article = "an" if what[1:2].lower() in "aeiou" else "a"
    return f"{article} {what} {noun}"
