"""A built page as a browser reads it: lexbor, the HTML5 parser in C that selectolax wraps.

The built-HTML check reads every page of the site (about 150 MB at 10 000 facts). Python's own
parser needs about 28 s of CPU for that, lexbor under 2 s. Lexbor builds the tree as the HTML
standard says a browser does (implied and misnested tags, foreign SVG and MathML content,
duplicate attributes), so what it finds is what a reader's browser would run or fetch.

It gives no line numbers, so active_content reads a page a second time with Python's parser
(markup.Reader) where lexbor finds something, or where the markup is of the kinds the two
parsers are known to read apart (is_odd), and reports at that reading's lines. An element no
finding can be about (`<a href="../x/">`, `<span class>`) is not kept: only its anchors and
links are, for the link check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from briefing.check.markup import CONTENT_CLASS, LINK_ATTRS, URL_ATTRIBUTES, WHY, Element, Found, Linked, take

# Markup the two parsers read apart (CDATA, processing instructions, comments a browser ends early):
# a page holding any is read by both, whatever lexbor finds.
ODD_MARKERS = ("<![", "<?", "--!>", "<!-->", "<!--->")
FAST_SUFFIXES = (".html", ".htm")  # served as text/html, so read by the HTML5 parser; XML kinds are not
# Attributes a finding can be about whatever they hold, besides event handlers (on...); an address
# (markup.URL_ATTRIBUTES) only if it is not plainly relative.
WATCHED = frozenset({"srcset", "style", "srcdoc", "http-equiv", "action", "formaction", "ping"})
# An address that cannot leave the site or name a scheme: no ':', '\\', white space or control
# character, and no '/' first. Any other is read by markup.element_problems.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_.~%+#=?&;,-][A-Za-z0-9_./~%+#=?&;,-]*")
# A link a reader follows (<a href>, <area href>) may also go to another site over http(s) or mail:
# what follows such a scheme cannot change it.
_PLAIN_LINK = re.compile(r"(?:https?://|mailto:)[!-~]*|" + _PLAIN_ADDRESS.pattern)
SEEN = WATCHED | URL_ATTRIBUTES  # with on..., the attributes _watched may say yes to
TAKEN = frozenset(LINK_ATTRS | {"id", "name", "srcset"})  # what markup.take reads


@dataclass
class BrowserReading:
    """A page as a browser's tree has it (markup.Reading): the elements a finding can be about, at line 1
    (lexbor gives no lines), and the page's anchors and links, gathered from every element."""

    elements: list[Element] = field(default_factory=list)
    odd: list[Found] = field(default_factory=list)  # lexbor reads comments as a browser does: none are odd
    region: bool = False
    page: Linked = field(default_factory=Linked)

    def linked(self) -> Linked:
        """The page's anchors and links."""
        return self.page


def read_as_browser(text: str) -> BrowserReading:
    """The page's anchors and links, and its elements that a finding can be about, in document order."""
    root = LexborHTMLParser(text).root
    reading = BrowserReading()
    if root is None:
        return reading
    regions = {
        article.mem_id
        for article in root.css("article")
        if CONTENT_CLASS in (article.attributes.get("class") or "").split()
    }
    reading.region = bool(regions)
    for node in root.traverse():
        tag = node.tag
        kind = _KINDS.get(tag) if tag else SKIPPED
        if kind is None:
            kind = _kind(tag)
        if kind == SKIPPED:
            continue
        attrs = node.attributes
        if not attrs and kind != NAMED:
            continue
        taken, candidate = False, kind == NAMED
        for name in attrs:  # a loop, not any(): this runs for every element of 150 MB of pages
            if name in TAKEN:
                taken = True
            if not candidate and (name in SEEN or name[:2].lower() == "on"):
                candidate = True
        pairs = list(attrs.items())
        if taken:
            take(reading.page, tag, pairs)
        if kind == NAMED or (candidate and any(_watched(tag, name, value) for name, value in pairs)):
            inside, svg = _placed(node, regions)
            if svg:
                pairs = [(name.lower(), value) for name, value in pairs]
            body = node.text(deep=True) if tag in ("script", "style") else ""
            reading.elements.append(Element(tag.lower(), pairs, 1, f"<{tag.lower()}>", inside, svg, body))
    return reading


SKIPPED, PLAIN, NAMED = 0, 1, 2
_KINDS: dict[str, int] = {}  # each tag name's kind, worked out once


def _kind(tag: str) -> int:
    """Whether a tag is a comment or the doctype (SKIPPED), one the checks name (WHY: NAMED), or another."""
    kind = SKIPPED if tag[0] in "-_#!" else NAMED if tag.lower().rpartition(":")[2] in WHY else PLAIN
    if len(_KINDS) < 10_000:  # a hostile page's made-up tags cannot fill the memory
        _KINDS[tag] = kind
    return kind


def _watched(tag: str, name: str, value: str | None) -> bool:
    """Whether markup.element_problems can find anything in this attribute (a cheap test that errs on the
    side of yes): a handler, a style, an address that is not plainly relative or a plain link to a site."""
    name = name.lower()
    if name.startswith("on") or name in WATCHED:
        return True
    if name not in URL_ATTRIBUTES:
        return False
    plain = _PLAIN_LINK if name == "href" and tag in ("a", "area") else _PLAIN_ADDRESS
    return not plain.fullmatch(value or "")


def _placed(node: LexborNode, regions: set[int]) -> tuple[bool, bool]:
    """Whether a node stands inside the content region, and inside an <svg>: from its ancestors."""
    inside = svg = False
    parent = node.parent
    while parent is not None:
        if parent.mem_id in regions:
            inside = True
        elif parent.tag == "svg":
            svg = True
        parent = parent.parent
    return inside, svg


def is_odd(text: str) -> bool:
    """Whether a page holds markup Python's parser and a browser read apart, which markup.Reader reports."""
    return any(marker in text for marker in ODD_MARKERS)
