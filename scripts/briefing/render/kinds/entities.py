"""The Entities page: every entity by kind, with its description and how many facts are about it.

A kind with more entities than a listing holds (`listing_limit`) is listed on pages of their
own by the first letters of the names, as a phone book is, each page at most that long; the
Entities page then links to them. Their addresses (`entities/organisation--a/`) hold a double
hyphen, which no entity's id can: they never take an entity's page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from briefing.load.model import Entity
from briefing.render.addresses import ENTITIES, href, page_file
from briefing.render.escaping import md_text
from briefing.render.facts import Link, entity_link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page
from briefing.vocabulary import KIND_TITLES


@dataclass
class EntitySummary:
    link: Link
    description: Markup
    count: int


@dataclass
class Shelf:
    """One page of a kind split by the names' first letters: its label ("A", "Sa"), link and size."""

    label: str
    link: Link
    count: int


@dataclass
class EntityGroup:
    title: str
    entities: list[EntitySummary]  # empty when the kind is split: then `shelves` link to its pages
    shelves: list[Shelf] = field(default_factory=list)
    total: int = 0


def by_kind(index: Index) -> list[tuple[str, list[Entity]]]:
    """The entities under their kind's title, in the vocabulary's order, by name within a kind."""
    return [(KIND_TITLES[kind], members) for kind, members in _kinds(index)]


def _kinds(index: Index) -> list[tuple[str, list[Entity]]]:
    groups = []
    for kind in KIND_TITLES:
        members = sorted((e for e in index.registry.entities if e.kind == kind), key=name_order)
        if members:
            groups.append((kind, members))
    return groups


def _summaries(index: Index, members: list[Entity]) -> list[EntitySummary]:
    return [EntitySummary(entity_link(e), md_text(e.description), len(index.by_entity.get(e.id, []))) for e in members]


def name_order(entity: Entity) -> tuple:
    """By name as a phone book orders it: accents folded (É with E), names with no Latin letter last."""
    key = letters(entity.name)
    return (not key, key, entity.name.casefold())


def letters(name: str) -> str:
    """A name's letters and digits, without accents and in lower case: what a shelf is found by."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in plain if c.isascii() and c.isalnum())


def shelves(members: list[Entity], limit: int, depth: int = 1) -> list[tuple[str, list[Entity]]]:
    """The members by the first `depth` letters of their names (a crowded shelf by one letter more),
    each shelf at most `limit` long; names with no Latin letter or digit share the shelf "other"."""
    found: dict[str, list[Entity]] = {}
    for entity in members:
        key = letters(entity.name)
        found.setdefault(key[:depth] if key else "other", []).append(entity)
    out = []
    for key in sorted(found, key=lambda k: (k == "other", k)):
        crowded = len(found[key]) > limit and key != "other" and any(len(letters(e.name)) > depth for e in found[key])
        out += shelves(found[key], limit, depth + 1) if crowded else [(key, found[key])]
    return out


def _shelf_page(kind: str, key: str) -> str:
    return page_file(f"entities/{kind}--{key}")


def _label(key: str) -> str:
    return "Other" if key == "other" else key.capitalize()


def pages(index: Index) -> Iterator[Page]:
    """The Entities page, and a page for each shelf of a kind too long to list on it."""
    limit = index.settings.listing_limit
    groups, parts = [], []
    for kind, members in _kinds(index):
        title = KIND_TITLES[kind]
        if len(members) <= limit:
            groups.append(EntityGroup(title, _summaries(index, members), total=len(members)))
            continue
        on_shelves = shelves(members, limit)
        links = [
            Shelf(_label(key), Link(Markup(_label(key)), href(_shelf_page(kind, key))), len(e)) for key, e in on_shelves
        ]
        groups.append(EntityGroup(title, [], links, len(members)))
        for key, shelved in on_shelves:
            heading = f"{title}: {_label(key)}"
            intro = f"{title} whose names begin with “{_label(key)}”, {len(shelved)} of {len(members)}."
            views = {"heading": heading, "intro": intro, "back": href(ENTITIES), "groups": [
                EntityGroup(heading, _summaries(index, shelved), total=len(shelved))
            ]}  # fmt: skip
            parts.append(Page(_shelf_page(kind, key), heading, intro, views))
    views = {"heading": "Entities", "intro": INTRO, "back": None, "groups": groups}
    yield Page(ENTITIES, "Entities", DESCRIPTION, views, menu=("Entities",))
    yield from parts


INTRO = "The organisations, people, places, models and programmes the facts are about."
DESCRIPTION = "The organisations, people, places, models, products, programmes and policies the facts are about."
KIND = Kind("entities", "entities.md.j2", pages)
