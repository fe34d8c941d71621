"""The elements, attributes and addresses of a built page that run or fetch something, and what is wrong with them.

Python's HTML parser (Reader) gives each element its line; where a browser would read markup
otherwise (a comment it ends early, CDATA, a raw-text element), the markup is itself the finding.
check/browser_reading.py reads pages as browsers do, into the same Elements. Each finding says what
(`<script>`), why, and what to look for in the hand-written source to place it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Protocol

CONTENT_CLASS = "md-content__inner"  # the content region's article, in Material and Zensical alike

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
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
_CSS_ADDRESS = re.compile(r"url\(\s*(?:(['\"])(.*?)\1|([^)]*))\s*\)|(['\"])(.*?)\4", re.S)


@dataclass
class Element:
    """One element of a page as the parser read it, with where it stands."""

    tag: str
    attrs: list[tuple[str, str | None]]
    line: int
    text: str  # the start tag as written
    inside: bool  # within the content region
    svg: bool = False  # within an <svg>, where <title> is a label and not text
    body: str = ""  # a script's or style's text


@dataclass
class Found:
    """One finding in a page, before it is placed in its hand-written source."""

    what: str  # '<script>', '<img onerror>', ...
    why: str
    needles: tuple[str, ...]  # what to look for in the source, most telling first
    line: int
    key: str = ""  # the markup as written: the same markup twice on a page is one finding
    inside: bool = True
    by_tag: bool = False  # a problem in content only, or outside it in an element not the theme's


LINK_ATTRS = {"href", "src", "xlink:href", "action", "poster"}  # the addresses the link check follows


@dataclass
class Linked:
    """A page's anchors (id, name) and the addresses it links to, in order, for the link check."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


def take(page: Linked, tag: str, attrs: list[tuple[str, str | None]]) -> None:
    """Add what one start tag names to `page`: an anchor (id, name) or the addresses it links to."""
    for name, value in attrs:
        if value is None:
            continue
        if name in ("id", "name") and tag != "meta":
            page.ids.add(value)
        elif name in LINK_ATTRS and not (tag == "link" and ("rel", "canonical") in attrs):
            page.links.append(value)
        elif name == "srcset":
            page.links += [part.split()[0] for part in value.split(",") if part.strip()]


class Reading(Protocol):
    """A page as one parser read it: Python's (Reader) or a browser's (browser_reading)."""

    elements: list[Element]  # every element a finding can be about (the browser's reading leaves the rest out)
    odd: list[Found]  # markup the parser and a browser read apart
    region: bool  # whether the page has the theme's content region

    def linked(self) -> Linked:
        """The page's anchors and links."""
        ...


class Reader(HTMLParser):
    """Every element of a page with its place, and whatever the parser and a browser would read apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.odd: list[Found] = []
        self.region = False  # whether the page has the theme's content region
        self._depth = 0
        self._svg = 0
        self._open: Element | None = None

    def linked(self) -> Linked:
        """The page's anchors and links, read from its elements."""
        page = Linked()
        for element in self.elements:
            take(page, element.tag, element.attrs)
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        element = Element(tag, attrs, self.getpos()[0], self.get_starttag_text() or "", self._depth > 0, self._svg > 0)
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
        self.odd.append(Found(what, why, (needle,), self.getpos()[0], f"{self.getpos()}", self._depth > 0))


def element_problems(element: Element, xml: bool) -> list[Found]:
    """What is wrong with one element wherever it stands (by_tag: the element itself, which the theme may own)."""
    tag = element.tag.rpartition(":")[2]  # 'x:script' in XML is a script all the same
    attrs = element.attrs
    out: list[Found] = []

    def found(what: str, why: str, *needles: str, by_tag: bool = False) -> None:
        out.append(
            Found(what, why, (element.text, *needles, f"<{element.tag}"), element.line, _key(element), by_tag=by_tag)
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


def _address_problems(element: Element, tag: str, name: str, value: str, xml: bool) -> list[Found]:
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
        if tag == "link" and any(rel in LOADING_RELS for rel in rels(element)):
            loads = True
        if loads and is_elsewhere(address):
            why = (
                "a file from another site: a reader's browser would ask that site for it; link to it instead (<a href>)"
            )
            break
    if why is None:
        return []
    needles = (element.text, value.strip(), f"<{element.tag}")
    return [Found(f"<{tag} {name}={_short(value)}>", why, needles, element.line, _key(element))]


def _style_problems(element: Element, tag: str, value: str) -> list[Found]:
    css = _CSS_COMMENT.sub("", _CSS_ESCAPE.sub(_css_char, value)).lower()
    addresses = [m.group(2) or m.group(3) or m.group(5) or "" for m in _CSS_ADDRESS.finditer(css)]
    if re.search(r"expression\s*\(|-moz-binding|behaviou?r\s*:", css) or any(map(is_elsewhere, addresses)):
        why = "a style that runs script or loads a file from another site"
        return [
            Found(
                f"<{tag} style={_short(value)}>",
                why,
                (element.text, "style=", f"<{element.tag}"),
                element.line,
                _key(element),
            )
        ]
    return []


def _key(element: Element) -> str:
    return element.text + element.body


def _css_char(match: re.Match) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    return match.group(2)


_UNSEEN = re.compile(r"[\x00-\x20\x7f]+")  # what a browser drops from an address: white space, control characters


def scheme_of(address: str) -> str:
    """An address's scheme as a browser reads it (white space and control characters dropped, any case); '' if none."""
    match = _SCHEME.match(_UNSEEN.sub("", address).lower())
    return match.group(1) if match else ""


def is_elsewhere(address: str) -> bool:
    """Whether an address leaves the site: a scheme, or '//host' (browsers read '\\' as '/')."""
    cleaned = _UNSEEN.sub("", address).replace("\\", "/")
    return bool(scheme_of(cleaned)) or cleaned.startswith("//")


def _srcset(value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.split()] or [value]


def rels(element: Element) -> list[str]:
    """The link types of a <link> or <a> (rel="stylesheet preload"), lowercased."""
    return (dict(element.attrs).get("rel") or "").lower().split()


def _is_data_block(attrs: list[tuple[str, str | None]]) -> bool:
    """A JSON-LD block: browsers never run it (the generator's structured data)."""
    return (dict(attrs).get("type") or "").strip().lower() == "application/ld+json" and "src" not in dict(attrs)


def _short(value: str) -> str:
    """A value as the message shows it: control characters spelled out, at most 60 characters."""
    value = "".join(ch if 32 <= ord(ch) != 127 else f"\\x{ord(ch):02x}" for ch in value)
    return value if len(value) <= 60 else value[:57] + "..."
