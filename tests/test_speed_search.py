"""Search leaves out the parts of a split listing that only repeat facts shown in full elsewhere
(entity, source and timeline pages by year or month): MkDocs' search parses every page it indexes,
and at 10,000 facts these were 647 pages, 30 MB of Markdown, whose lists were excluded already."""

from __future__ import annotations

from dataclasses import replace

from conftest import Project

from briefing.load.registry import load_registry
from briefing.project import DEFAULTS
from briefing.render.pages import render_site

HIDDEN = "search:\n  exclude: true\n"


def test_only_topic_parts_of_split_listings_are_searched(project: Project):
    registry, _ = load_registry(project.facts, project.root)
    pages = render_site(registry, settings=replace(DEFAULTS, listing_limit=1))
    parts = {path for path in pages if path.count("/") == 3 and path.split("/")[2][:4].isdigit()}
    parts |= {path for path in pages if path.startswith("timeline/") and path != "timeline/index.md"}
    topic_parts = {path for path in parts if path.startswith("topics/")}
    assert topic_parts and parts - topic_parts  # the fixture's listings split at one fact a page
    for path in topic_parts:  # a topic's parts show its facts in full: they are what search finds
        assert HIDDEN not in pages[path].split("---\n")[1], path
    for path in parts - topic_parts:
        assert HIDDEN in pages[path].split("---\n")[1], path
    for first in ("entities/acme/index.md", "timeline/index.md", "sources/planet/index.md", "topics/funding/index.md"):
        assert HIDDEN not in pages[first].split("---\n")[1], first  # first pages stay searched
