"""The Entities page: every entity by kind, with its description and how many facts are about it."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import Entity
from briefing.render.addresses import ENTITIES
from briefing.render.escaping import md_text
from briefing.render.facts import Link, entity_link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, single_page
from briefing.vocabulary import KIND_TITLES


@dataclass
class EntitySummary:
    link: Link
    description: Markup
    count: int


@dataclass
class EntityGroup:
    title: str
    entities: list[EntitySummary]


def by_kind(index: Index) -> list[tuple[str, list[Entity]]]:
    """The entities under their kind's title, in the vocabulary's order, by name within a kind."""
    groups = []
    for kind, title in KIND_TITLES.items():
        members = sorted((e for e in index.registry.entities if e.kind == kind), key=lambda e: e.name.casefold())
        if members:
            groups.append((title, members))
    return groups


def entity_groups(index: Index) -> list[EntityGroup]:
    return [
        EntityGroup(
            title,
            [
                EntitySummary(entity_link(e), md_text(e.description), len(index.by_entity.get(e.id, [])))
                for e in members
            ],
        )
        for title, members in by_kind(index)
    ]


DESCRIPTION = "The organisations, people, places, models, products, programmes and policies the facts are about."
PAGES = single_page(
    ENTITIES, "Entities", DESCRIPTION, lambda index: {"groups": entity_groups(index)}, menu=("Entities",)
)
KIND = Kind("entities", "entities.md.j2", PAGES)
