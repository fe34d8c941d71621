"""Addresses outside the site, made from the registry: nothing is fetched to make them.

A quote's words on the publisher's own page (a text fragment, `#:~:text=`, which browsers that
support it scroll to and highlight), and a source's archived copies at the Internet Archive.
"""

from __future__ import annotations

from urllib.parse import quote

from briefing.load.registry import PartialDate

# A long quote is found by its first and last words (start,end), as the fragment syntax allows.
FRAGMENT_WORDS = 10
EDGE_WORDS = 4


def text_fragment(url: str, words: str) -> str:
    """`url` with a text directive for `words`: percent-encoded, '-', ',' and '&' included."""
    tokens = words.split()
    if len(tokens) > FRAGMENT_WORDS:
        directive = f"{_encode(' '.join(tokens[:EDGE_WORDS]))},{_encode(' '.join(tokens[-EDGE_WORDS:]))}"
    else:
        directive = _encode(" ".join(tokens))
    return url + (":~:text=" if "#" in url else "#:~:text=") + directive


def _encode(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")


def wayback(url: str, published: PartialDate) -> str:
    """The Internet Archive's copies of a page, nearest to its publication date."""
    stamp = f"{published.year:04d}{published.month or 1:02d}{published.day or 1:02d}"
    return f"https://web.archive.org/web/{stamp}/{url}"
