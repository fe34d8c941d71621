"""Active content in the built site: what a hand-written page could make a reader's browser run or fetch.

A pull request can add or edit pages in docs/, and the engines pass their raw HTML through. The
site promises its readers that it runs only its own code and asks no other origin for anything,
so once the engine has built the site every built page is read with an HTML parser:

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

import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from briefing.load.config import MARKDOWN, published_at
from briefing.problems import Loc, Problem, error

SCANNED = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".svg", ".xml")  # what a browser may render as a page
CONTENT_CLASS = "md-content__inner"  # the content region's article, in Material and Zensical alike

HINT = "show markup as text in a code block; link to other sites with <a href> (README: Hand-written pages)"
NO_SCRIPT = "pages carry no script (the site runs only its own)"
WHY = {
    "script": NO_SCRIPT,
    "style": "CSS can restyle the whole page and send what it shows to another site",
    "link": "a page loads no stylesheet or other file of its own (the site's are listed in mkdocs.yml)",
    "base": "it would send every relative link of the page elsewhere",
    "meta": "it can redirect the reader or change how the page is read",
    "form": "pages collect nothing from readers",
    "math": "browsers read MathML differently from any checker, a known way to slip script in",
}
EMBEDS = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
RAW_TEXT = {"noscript", "noembed", "noframes", "xmp", "plaintext", "template", "textarea", "title"}
ANIMATIONS = {"animate", "set", "animatemotion", "animatetransform", "discard"}
for _tag in EMBEDS:
    WHY[_tag] = "pages embed no other page, plugin or document"
for _tag in RAW_TEXT:
    WHY[_tag] = "a browser reads what it holds as text where a checker sees markup, a known way to hide script"
for _tag in ANIMATIONS:
    WHY[_tag] = "SVG animation can turn a link into script"

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background", "ping", "cite"}
LOADS = {"src", "data", "poster", "background", "lowsrc", "dynsrc"}  # a browser fetches these at once
LINKS = {"a", "area"}  # where an address to another site is a link the reader may follow
SAFE_SCHEMES = {"http", "https", "mailto"}
LOADING_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "import", "icon", "manifest", "prerender"}
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_DOT_ROOT = re.compile(r'"(?:\.\.?/)*\.\.?"')  # how a page's scripts name the site's root: ".", "../.."
_DOT_PREFIX = re.compile(r'"(?:\.\.?/)+')
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_CSS_ADDRESS = re.compile(r"url\(\s*(?:(['\"])(.*?)\1|([^)]*))\s*\)|(['\"])(.*?)\4", re.S)


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


@dataclass
class _Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    line: int
    text: str  # the start tag as written
    inside: bool  # within the content region
    svg: bool = False  # within an <svg>, where <title> is a label and not text
    body: str = ""  # a script's or style's text


@dataclass
class _Found:
    what: str  # '<script>', '<img onerror>', ...
    why: str
    needles: tuple[str, ...]  # what to look for in the source, most telling first
    line: int
    key: str = ""  # the markup as written: the same markup twice on a page is one finding
    inside: bool = True
    by_tag: bool = False  # a problem in content only, or outside it in an element not the theme's


class _Reader(HTMLParser):
    """Every element of a page with its place, and whatever the parser and a browser would read apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[_Element] = []
        self.odd: list[_Found] = []
        self.region = False  # whether the page has the theme's content region
        self._depth = 0
        self._svg = 0
        self._open: _Element | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        element = _Element(tag, attrs, self.getpos()[0], self.get_starttag_text() or "", self._depth > 0, self._svg > 0)
        self.elements.append(element)
        if tag == "svg" and not closed:
            self._svg += 1
        if tag == "article" and self._depth:
            self._depth += 1
        elif tag == "article" and CONTENT_CLASS in (dict(attrs).get("class") or "").split():
            self._depth, self.region = 1, True
        if tag in ("script", "style") and not closed:
            self._open = element

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._depth:
            self._depth -= 1
        if tag in ("script", "style"):
            self._open = None
        if tag == "svg" and self._svg:
            self._svg -= 1

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.body += data

    def handle_comment(self, data: str) -> None:
        # A browser ends a comment at '--!>', and '<!-->' or '<!--->' at once; this parser reads on.
        if "--!>" in data or data.startswith((">", "->")):
            self._odd(
                "<!-- -->", "a comment a browser ends earlier than it seems to, a known way to hide markup", "<!--"
            )

    def unknown_decl(self, data: str) -> None:
        self._odd("<![CDATA[", "a CDATA section, which a browser and a checker read differently", "<![")

    def handle_pi(self, data: str) -> None:
        if not re.match(r"xml\s", data) or "stylesheet" in data:
            self._odd("<?", "a processing instruction (an XML stylesheet can run script)", "<?")

    def _odd(self, what: str, why: str, needle: str) -> None:
        self.odd.append(_Found(what, why, (needle,), self.getpos()[0], f"{self.getpos()}", self._depth > 0))


def scan_site(site: Path, base: str = "/", docs: Path | None = None) -> list[ActiveContent]:
    """Active content in every page of a built site, at its hand-written source when `docs` is given.

    `docs` is the project's docs/ folder: a finding in a page built from it names the file and
    line; without it, the built page and its line.
    """
    sources = hand_written(docs) if docs is not None else {}
    texts: dict[str, str] = {}
    reference = _reference(site, base)
    out: list[ActiveContent] = []
    for path in sorted(p for p in site.rglob("*") if p.suffix.lower() in SCANNED and p.is_file()):
        name = path.relative_to(site).as_posix()
        source = sources.get(name)
        themed = source is None or source[1]  # a file copied from docs/ as it is has no theme
        found = scan_page(path.read_text(encoding="utf-8", errors="replace"), name, base, reference, themed)
        if source and source[0] not in texts and docs is not None:
            texts[source[0]] = (docs.parent / source[0]).read_text(encoding="utf-8", errors="replace")
        out += _locate(found, name, source[0] if source else None, texts, docs is not None)
    return sorted(out, key=lambda f: (f.loc, f.message))


def scan_page(
    text: str, name: str, base: str = "/", reference: Counter | None = None, themed: bool = True
) -> list[_Found]:
    """What a browser would run or fetch in one page; outside the content region, beyond `reference`."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    xml = name.lower().endswith((".xml", ".svg"))
    everywhere = not (themed and reader.region)
    allowed = Counter(reference or ())
    found: list[_Found] = [f for f in reader.odd if f.inside or everywhere]
    for element in reader.elements:
        inside = element.inside or everywhere
        problems = _element_problems(element, xml)
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


def _element_problems(element: _Element, xml: bool) -> list[_Found]:
    """What is wrong with one element wherever it stands (by_tag: the element itself, which the theme may own)."""
    tag = element.tag.rpartition(":")[2]  # 'x:script' in XML is a script all the same
    attrs = element.attrs
    out: list[_Found] = []

    def found(what: str, why: str, *needles: str, by_tag: bool = False) -> None:
        out.append(
            _Found(what, why, (element.text, *needles, f"<{element.tag}"), element.line, _key(element), by_tag=by_tag)
        )

    label = tag == "title" and (element.svg or xml)  # an SVG's or a feed's title, not the page's
    if tag in WHY and not label and not (xml and tag == "link") and not (tag == "script" and _is_data_block(attrs)):
        found(f"<{tag}>", WHY[tag], by_tag=True)
    if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
        found("<meta http-equiv>", WHY["meta"], "http-equiv")
    if "<" in element.text[1:]:  # harmless in a theme's description, suspect in content
        found(f"<{tag}>", "markup inside a tag's attributes, which a browser and a checker may read apart", by_tag=True)
    for name, value in attrs:
        value = value or ""
        if name.startswith("on"):
            found(f"<{tag} {name}>", "event handlers run script, and " + NO_SCRIPT, name)
        elif name in ("srcdoc", "formaction", "action", "ping"):
            found(f"<{tag} {name}>", "pages embed, submit and report nothing", name)
        elif name in URL_ATTRIBUTES or name == "srcset":
            out += _address_problems(element, tag, name, value, xml)
        elif name == "style":
            out += _style_problems(element, tag, value)
    return out


def _address_problems(element: _Element, tag: str, name: str, value: str, xml: bool) -> list[_Found]:
    shown = f"<{tag} {name}={_short(value)}>"
    needles = (element.text, value.strip(), f"<{element.tag}")
    why = None
    for address in _srcset(value) if name == "srcset" else [value]:
        scheme = scheme_of(address)
        if scheme and scheme not in SAFE_SCHEMES:
            why = f"a '{scheme}:' address: only http, https, mailto and relative addresses are allowed"
            break
        loads = (
            name in LOADS
            or name == "srcset"
            or (name in ("href", "xlink:href") and tag not in LINKS | {"link", "base"})
        )
        if xml and tag == "link":
            loads = False  # an Atom feed's link to its pages
        if tag == "link" and any(rel in LOADING_RELS for rel in _rels(element)):
            loads = True
        if loads and is_elsewhere(address):
            why = (
                "a file from another site: a reader's browser would ask that site for it; link to it instead (<a href>)"
            )
            break
    return [_Found(shown, why, needles, element.line, _key(element))] if why else []


def _style_problems(element: _Element, tag: str, value: str) -> list[_Found]:
    css = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(_css_char, value)).lower()
    addresses = [m.group(2) or m.group(3) or m.group(5) or "" for m in _CSS_ADDRESS.finditer(css)]
    if re.search(r"expression\s*\(|-moz-binding|behaviou?r\s*:", css) or any(map(is_elsewhere, addresses)):
        why = "a style that runs script or loads a file from another site"
        return [
            _Found(
                f"<{tag} style={_short(value)}>",
                why,
                (element.text, "style=", f"<{element.tag}"),
                element.line,
                _key(element),
            )
        ]
    return []


def _key(element: _Element) -> str:
    return element.text + element.body


def _css_char(match: re.Match) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    return match.group(2)


def scheme_of(address: str) -> str:
    """An address's scheme as a browser reads it (white space and control characters dropped, any case); '' if none."""
    cleaned = "".join(ch for ch in address if ord(ch) > 32 and ord(ch) != 127).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else ""


def is_elsewhere(address: str) -> bool:
    """Whether an address leaves the site: a scheme, or '//host' (browsers read '\\' as '/')."""
    cleaned = "".join(ch for ch in address if ord(ch) > 32 and ord(ch) != 127).replace("\\", "/")
    return bool(scheme_of(cleaned)) or cleaned.startswith("//")


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()] or [value]


def _rels(element: _Element) -> list[str]:
    return (dict(element.attrs).get("rel") or "").lower().split()


def _is_data_block(attrs: list[tuple[str, str | None]]) -> bool:
    """A JSON-LD block: browsers never run it (the generator's structured data)."""
    return (dict(attrs).get("type") or "").strip().lower() == "application/ld+json" and "src" not in dict(attrs)


def _short(value: str) -> str:
    """A value as the message shows it: control characters spelled out, at most 60 characters."""
    value = "".join(ch if 32 <= ord(ch) != 127 else f"\\x{ord(ch):02x}" for ch in value)
    return value if len(value) <= 60 else value[:57] + "..."


def _reference(site: Path, base: str) -> Counter:
    """The theme's own active elements outside the content region, as the home page has them."""
    home = site / "index.html"
    if not home.is_file():
        return Counter()
    reader = _Reader()
    reader.feed(home.read_text(encoding="utf-8", errors="replace"))
    reader.close()
    if not reader.region:
        return Counter()
    keys = [_signature(e, "index.html", base) for e in reader.elements if not e.inside]
    return Counter(key for key in keys if key is not None)


def _signature(element: _Element, name: str, base: str) -> tuple | None:
    """An element outside the content region as the same on any page: addresses from the site's root.

    None for elements nothing is checked in (a paragraph, a link to a page).
    """
    tag = element.tag
    if tag not in WHY or (tag == "link" and not any(rel in LOADING_RELS for rel in _rels(element))):
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


def _unique(found: list[_Found]) -> list[_Found]:
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
    found: list[_Found], name: str, source: str | None, texts: dict[str, str], mapped: bool
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
