"""The home page: the briefing's summary, key points and numbers, its topics and the dataset."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import independent_sources
from briefing.render.addresses import DISAGREEMENTS, HOME, METHODOLOGY, href
from briefing.render.escaping import md_text
from briefing.render.facts import FactView, Link, entity_link
from briefing.render.formatting import format_value
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page
from briefing.render.kinds.topics import TopicSummary, topic_summaries
from briefing.render.structured import dataset


@dataclass
class KeyNumber:
    figure: Markup
    label: Markup
    fact: FactView


@dataclass
class Counts:
    facts: int
    sources: int
    entities: int
    disagreements: int
    single_source: int


@dataclass
class Home:
    title: Markup
    summary: Markup
    as_of: str
    key_points: list[FactView]
    key_numbers: list[KeyNumber]
    topics: list[TopicSummary]
    counts: Counts
    subject: Link
    dataset: Markup
    disagreements: str  # the disagreements page
    methodology: str  # how the briefing is made (a hand-written page)


def home_view(index: Index) -> Home:
    briefing = index.briefing
    registry = index.registry
    numbers = [
        KeyNumber(
            md_text(format_value(index.facts[n.fact].value)), md_text(n.label), index.fact_view(index.facts[n.fact])
        )
        for n in briefing.key_numbers
    ]
    return Home(
        title=md_text(briefing.title),
        summary=md_text(briefing.summary),
        as_of=briefing.as_of.label,
        key_points=[index.fact_view(index.facts[f]) for f in briefing.key_points],
        key_numbers=numbers,
        topics=topic_summaries(index),
        counts=Counts(
            facts=len(registry.facts),
            sources=len(registry.sources),
            entities=len(registry.entities),
            disagreements=len(registry.disagreements),
            single_source=sum(independent_sources(f.citations, index.sources) == 1 for f in registry.facts),
        ),
        subject=entity_link(index.entities[briefing.subject]),
        dataset=dataset(index),
        disagreements=href(DISAGREEMENTS),
        methodology=href(METHODOLOGY),
    )


def pages(index: Index) -> Iterator[Page]:
    yield Page(HOME, index.briefing.title, index.briefing.summary, {"home": home_view(index)}, menu=())


KIND = Kind("home", "home.md.j2", pages)
