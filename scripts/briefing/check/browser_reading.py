"""A built page as a browser reads it: lexbor, the HTML5 parser in C that selectolax wraps.

The built-HTML check reads every page of the site (about 150 MB at 10 000 facts). Python's own
parser needs about 28 s of CPU for that, lexbor under 2 s. Lexbor builds the tree as the HTML
standard says a browser does (implied and misnested tags, foreign SVG and MathML content,
duplicate attributes), so what it finds is what a reader's browser would run or fetch.

It gives no line numbers, so active_content reads a page a second time with Python's parser
(markup.Reader) where lexbor finds something, or where the markup is of the kinds the two
parsers are known to read apart (is_odd), and reports at that reading's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from briefing.check.markup import CONTENT_CLASS, URL_ATTRIBUTES, WHY, Element, Found

# Markup the two parsers read apart (CDATA, processing instructions, comments a browser ends early):
# a page holding any is read by both, whatever lexbor finds.
ODD_MARKERS = ("<![", "<?", "--!>", "<!-->", "<!--->")
FAST_SUFFIXES = (".html", ".htm")
# What the checks read besides event handlers (on...) and the tags in WHY: addresses, styles, anchors.
NOTED = frozenset(
    URL_ATTRIBUTES | {"srcset", "style", "srcdoc", "id", "name", "http-equiv"}
)  # served as text/html, so read by the HTML5 parser; XML kinds are not


@dataclass
class BrowserReading:
    """A page's elements as a browser's tree has them (markup.Reading); `line` is unknown, so 1."""

    elements: list[Element] = field(default_factory=list)
    odd: list[Found] = field(default_factory=list)  # lexbor reads comments as a browser does: none are odd
    region: bool = False


def read_as_browser(text: str) -> BrowserReading:
    """The elements of an HTML page the checks look at, in document order: the rest can neither run nor link."""
    root = LexborHTMLParser(text).root
    reading = BrowserReading()
    if root is None:
        return reading
    inside: set[int] = set()
    for article in root.css("article"):
        if article.mem_id not in inside and CONTENT_CLASS in (article.attributes.get("class") or "").split():
            reading.region = True
            inside.update(node.mem_id for node in article.traverse() if node.mem_id != article.mem_id)
    in_svg: set[int] = set()
    for svg in root.css("svg"):
        in_svg.update(node.mem_id for node in svg.traverse() if node.mem_id != svg.mem_id)
    for node in root.traverse():
        tag = node.tag
        if not tag or tag[0] in "-_#!":
            continue  # comments, the doctype
        attrs = node.attributes
        named = tag.lower().rpartition(":")[2] in WHY
        if not named and NOTED.isdisjoint(attrs) and not any(name[:2].lower() == "on" for name in attrs):
            continue  # class, title, aria-* and the like: nothing runs, loads or is linked to
        mem = node.mem_id
        svg = mem in in_svg
        pairs = [(name.lower(), value) for name, value in attrs.items()] if svg else list(attrs.items())
        body = node.text(deep=True) if tag in ("script", "style") else ""
        reading.elements.append(Element(tag.lower(), pairs, 1, f"<{tag.lower()}>", mem in inside, svg, body))
    return reading


def is_odd(text: str) -> bool:
    """Whether a page holds markup Python's parser and a browser read apart, which markup.Reader reports."""
    return any(marker in text for marker in ODD_MARKERS)
