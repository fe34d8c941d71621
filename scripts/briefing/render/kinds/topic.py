"""A topic's page: its facts in full (split by year or month when long), the funding table, retracted facts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.render import addresses
from briefing.render.addresses import CHANGES, href
from briefing.render.changes import retractions
from briefing.render.escaping import md_text
from briefing.render.funding import Funding, funding_topic, funding_view
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page, listed
from briefing.render.listings import first_page


@dataclass
class Topic:
    title: Markup
    description: Markup
    funding: Funding | None  # on the pages of the topic that holds the funding rounds
    retracted: list  # notices for facts since retracted (render/changes.py), on its first page
    changes: str  # the Changes page, which says when


def pages(index: Index) -> Iterator[Page]:
    funding_id = funding_topic(index)
    for topic in index.registry.topics:
        parts = index.topic_parts[topic.id]

        def views(number: int | None, topic=topic, parts=parts) -> dict[str, object]:
            first = first_page(number, parts)
            funding = None
            if topic.id == funding_id:  # a split topic's first page charts the rounds; each part tables its own
                funding = funding_view(index, [p.facts for p in parts], None if first else number)
            return {
                "topic": Topic(
                    md_text(topic.title),
                    md_text(topic.description),
                    funding,
                    retractions(index, topic.id, addresses) if first else [],
                    href(CHANGES),
                )
            }

        yield from listed(index, f"topics/{topic.id}", parts, topic.title, topic.description, views, menu=("Topics",))


KIND = Kind("topic", "topic.md.j2", pages)
