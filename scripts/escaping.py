"""Escaping registry text for Markdown and HTML: data is shown as written, never interpreted.

Every character that means something to Markdown, its extensions (tables, footnotes,
attr_list, abbreviations) or HTML becomes a character reference, which Markdown passes
through and the browser shows as the character itself. White space collapses to single
spaces, so text can never start a new block (a heading, a list, a footnote, a rule).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

_NAMED = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Meaningful anywhere in a line: emphasis, code, links and footnotes, attribute lists,
# table cells, heading closers, and the markers of common extensions (~~ ^^ ==).
_SPECIAL = set("\\`*_{}[]|#~^=")
# Meaningful only where a line starts: list items, definitions, numbered lists.
_LEADING = re.compile(r"^([-+:]|\d+\.)")


_TABLE = str.maketrans({**_NAMED, **{char: f"&#{ord(char)};" for char in _SPECIAL}})


@lru_cache(maxsize=65536)  # the same statement appears on several pages
def md_text(text: str) -> Markup:
    """Text for a Markdown page: one line, every special character a character reference."""
    escaped = " ".join(str(text).split()).translate(_TABLE)
    # The text may open a list item, a heading or a footnote, where "- ", ": " or "1. " start a block.
    escaped = _LEADING.sub(lambda m: m.group(1)[:-1] + f"&#{ord(m.group(1)[-1])};", escaped)
    return Markup(escaped)


def html_text(text: str) -> Markup:
    """Text for raw HTML (the SVG chart, attributes): HTML-escaped and on one line."""
    return escape(" ".join(str(text).split()))
