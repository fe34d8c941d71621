"""The Topics page: every topic, what it covers and how many facts it has."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.render.addresses import TOPICS, href, topic_page
from briefing.render.escaping import md_text
from briefing.render.facts import Link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, single_page


@dataclass
class TopicSummary:
    link: Link
    description: Markup
    count: int


def topic_summaries(index: Index) -> list[TopicSummary]:
    """Each topic, linked, with its description and its count of facts (the home page lists them too)."""
    return [
        TopicSummary(
            Link(md_text(t.title), href(topic_page(t.id))), md_text(t.description), len(index.by_topic.get(t.id, []))
        )
        for t in index.registry.topics
    ]


DESCRIPTION = "Every topic of this briefing, with what it covers and how many facts it has."
PAGES = single_page(TOPICS, "Topics", DESCRIPTION, lambda index: {"topics": topic_summaries(index)}, menu=("Topics",))
KIND = Kind("topics", "topics.md.j2", PAGES)
