"""Escaping registry text for Markdown and HTML: data is shown as written, never interpreted.

Every character that means something to Markdown, its extensions (tables, footnotes,
attr_list, abbreviations) or HTML becomes a character reference, which Markdown passes
through and the browser shows as the character itself. White space collapses to single
spaces, so text can never start a new block (a heading, a list, a footnote, a rule).

Raw HTML (fact blocks, charts, attribute values) gets the same references and both quote
marks besides, so a value can never end an attribute, and is inert even if Markdown's inline
parser should see it (a Markdown link inside an attribute once ended it). Addresses get
`href`, which also refuses anything but http(s) and percent-encodes what an address should
not carry literally.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import Markup

_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;"}
# Meaningful anywhere in a line: emphasis, code, links and footnotes, attribute lists,
# table cells, heading closers, and the markers of common extensions (~~ ^^ ==).
_SPECIAL = set("\\`*_{}[]|#~^=")
# Meaningful only where a line starts: list items, definitions, numbered lists.
_LEADING = re.compile(r"^([-+:]|\d+\.)")


_TABLE = str.maketrans({**_NAMED, **{char: f"&#{ord(char)};" for char in _SPECIAL}})
# Raw HTML also takes values in attributes, which either quote mark could end.
_HTML_TABLE = str.maketrans({**_NAMED, "'": "&#39;", **{char: f"&#{ord(char)};" for char in _SPECIAL}})


@lru_cache(maxsize=65536)  # the same statement appears on several pages
def md_text(text: str) -> Markup:
    """Text for a Markdown page: one line, every special character a character reference."""
    escaped = " ".join(str(text).split()).translate(_TABLE)
    # The text may open a list item, a heading or a footnote, where "- ", ": " or "1. " start a block.
    escaped = _LEADING.sub(lambda m: m.group(1)[:-1] + f"&#{ord(m.group(1)[-1])};", escaped)
    return Markup(escaped)


def html_text(text: str) -> Markup:
    """Text or an attribute value for raw HTML (SVG, attributes): escaped as `md_text`, on one line."""
    return Markup(" ".join(str(text).split()).translate(_HTML_TABLE))


# What an address may carry literally: RFC 3986's unreserved and reserved characters, less the
# brackets, parentheses and quote marks that mean something to Markdown or HTML, and "%".
_URL_SAFE = "-._~:/?#@$&+,;=*"


def href(url: str) -> Markup:
    """An http(s) address for an href attribute: anything else is refused (the checks say so first)."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or url != url.strip():
        raise ValueError(f"not an absolute http(s) address: {url!r}")
    encoded = urlunsplit(
        (
            parts.scheme.lower(),
            parts.netloc,
            _requote(parts.path),
            _requote(parts.query),
            _requote(parts.fragment),
        )
    )
    return html_text(encoded)


# A part made only of what `_requote` keeps (safe characters and escapes) is kept whole, at once:
# most are, the text fragments' words among them (percent-encoded by fragments.py).
_KEPT = re.compile(r"(?:[A-Za-z0-9" + re.escape(_URL_SAFE) + r"]|%[0-9A-Fa-f]{2})*")


def _requote(part: str) -> str:
    """Percent-encode what is not safe, keeping escapes already there (%20 stays %20)."""
    if _KEPT.fullmatch(part):
        return part
    return re.sub(
        r"%(?![0-9A-Fa-f]{2})|[^%]+",
        lambda m: quote(m.group(0), safe=_URL_SAFE),
        part,
    )
