"""An entity's page: what it is, its other names, who controls it, and every fact about it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import Entity, Fact
from briefing.render.addresses import DISAGREEMENTS, href
from briefing.render.escaping import md_text
from briefing.render.facts import Link, entity_link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page, listed
from briefing.render.kinds.entities import by_kind
from briefing.vocabulary import KIND_NAMES


@dataclass
class Control:
    link: Link  # the entity in control
    fact: Link  # the fact that says so


@dataclass
class EntityView:
    """What the entity is, and its summary box: its facts, the disagreements about them, its first and last dates."""

    name: Markup
    kind: str
    aliases: list[Markup]
    description: Markup
    controlled_by: Control | None
    controls: list[Link]
    facts: int  # how many facts are about it
    disagreements: list[Link]  # those over its facts (the first few)
    more_disagreements: Link | None  # "N more", to the disagreements page
    first: Link | None  # its earliest dated fact, named by its date
    last: Link | None  # its latest, if not the same


def entity_view(index: Index, entity: Entity) -> EntityView:
    control = entity.controlled_by
    controlled_by = None
    if control:
        fact = index.facts[control.fact]
        controlled_by = Control(
            entity_link(index.entities[control.entity]),
            Link(Markup("the source"), href(index.fact_page(fact), fact.id)),
        )
    facts = index.by_entity.get(entity.id, [])
    disputed = {d.id: d for f in facts for d in index.disputes.get(f.id, [])}
    dated = [f for f in facts if f.date]  # in date order
    return EntityView(
        md_text(entity.name),
        KIND_NAMES[entity.kind],
        [md_text(a) for a in entity.aliases],
        md_text(entity.description),
        controlled_by,
        [entity_link(e) for e in index.controls.get(entity.id, [])],
        len(facts),
        [Link(md_text(d.subject), href(DISAGREEMENTS, d.id)) for d in list(disputed.values())[:FEW]],
        Link(Markup(f"{len(disputed) - FEW} more"), href(DISAGREEMENTS)) if len(disputed) > FEW else None,
        _dated_link(index, dated[0]) if dated else None,
        _dated_link(index, dated[-1]) if len(dated) > 1 else None,
    )


FEW = 5  # disagreements the summary box names one by one


def _dated_link(index: Index, fact: Fact) -> Link:
    return Link(md_text(fact.date.label), href(index.fact_page(fact), fact.id))


def pages(index: Index) -> Iterator[Page]:
    # The menu names single entities, under their kind, only while there are few: every page carries
    # the menu, so a build then costs the same per page at any size. The Entities page lists them all.
    few = len(index.registry.entities) <= index.settings.nav_limit
    for title, members in by_kind(index):  # in the menu's order
        for entity in members:
            view = entity_view(index, entity)
            yield from listed(
                index,
                f"entities/{entity.id}",
                index.entity_parts[entity.id],
                entity.name,
                entity.description,
                lambda number, view=view: {"entity": view},
                menu=("Entities", title) if few else None,
                search_parts=False,  # its facts are found on their topic's page
            )


KIND = Kind("entity", "entity.md.j2", pages)
