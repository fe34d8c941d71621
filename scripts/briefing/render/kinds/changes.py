"""What changed: the Changes page and its Atom feed, both made by render/changes.py."""

from __future__ import annotations

from collections.abc import Iterator

from briefing.render import addresses
from briefing.render.addresses import CHANGES
from briefing.render.changes import FEED, changes_view, feed
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page


def pages(index: Index) -> Iterator[Page]:
    yield Page(
        CHANGES,
        "What changed",
        "Every change to the briefing's facts and disagreements, newest first, with an Atom feed.",
        {"changes": changes_view(index, addresses)},  # it reads only `href` of its page argument
        menu=(),
        searched=False,  # search finds the facts on their own pages, not in the log of their changes
    )


def files(index: Index) -> dict[str, str]:
    return {FEED: feed(index, index.settings.site_url)}


KIND = Kind("changes", "changes.md.j2", pages, files)
