"""Addresses outside the site, made from the registry: nothing is fetched to make them.

A quote's words on the publisher's own page (a text fragment, `#:~:text=`, which browsers that
support it scroll to and highlight: made by check/fragments.py, whose check records the context
a fragment needs), and a source's archived copies at the Internet Archive.
"""

from __future__ import annotations

from briefing.check.fragments import text_fragment  # noqa: F401 - the pages' links are made here
from briefing.load.model import PartialDate


def wayback(url: str, published: PartialDate) -> str:
    """The Internet Archive's copies of a page, nearest to its publication date."""
    stamp = f"{published.year:04d}{published.month or 1:02d}{published.day or 1:02d}"
    return f"https://web.archive.org/web/{stamp}/{url}"
