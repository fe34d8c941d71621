"""A fact as templates see it, and the links and source references it is made of.

All registry text is escaped here (`md_text`) before a template sees it. A fact's view is built
once (`Index.fact_view`) and serves every page that lists it, so its links are written from the
site root (see addresses.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from markupsafe import Markup

from briefing.load.model import Citation, Entity, Fact, independent_sources, parse_date
from briefing.render.addresses import DISAGREEMENTS, entity_page, href
from briefing.render.escaping import href as href_attr
from briefing.render.escaping import md_text
from briefing.render.formatting import format_amount, format_value

if TYPE_CHECKING:
    from briefing.render.index import Index


@dataclass
class Link:
    text: Markup
    href: str


@dataclass
class Ref:
    """A source named in the text, linked to its quote, with footnote markers whose tooltips show it.

    When the quoted words are a party's, the reference says so: "OpenAI, as reported by Tech
    in Asia (from Reuters; Jun 2025)".
    """

    name: Markup
    href: str  # the first quote of this source for the claim, on the source's page
    published: str
    marker: Markup
    speaker: Markup | None = None
    via: Markup | None = None


def source_refs(citations: tuple[Citation, ...], index: Index) -> list[Ref]:
    """One reference per source and speaker, in citation order, carrying a footnote for each quote."""
    markers: dict[tuple, list[Markup]] = {}
    first: dict[tuple, Citation] = {}
    for citation in citations:
        key = (citation.source, citation.speaker, citation.via)
        markers.setdefault(key, []).append(index.marker(citation))
        first.setdefault(key, citation)
    return [
        Ref(
            md_text(index.sources[key[0]].publisher),
            href(index.citation_page[id(first[key])], index.anchor[id(first[key])]),
            index.sources[key[0]].published.short_label,
            MARKER_SEPARATOR.join(m),
            md_text(index.entities[key[1]].name) if key[1] else None,
            md_text(key[2]) if key[2] else None,
        )
        for key, m in markers.items()
    ]


# Adjacent footnote markers would read "345"; a superscript comma makes it "3,4,5".
MARKER_SEPARATOR = Markup("<sup data-search-exclude>,</sup>")


@dataclass
class FactView:
    id: str
    statement: Markup
    date: str | None
    value: str | None
    converted: list[str]
    refs: list[Ref]  # the sources it rests on (counted)
    markers: Markup  # every footnote marker of the fact, for places that do not name the sources
    source_count: int
    single_source: bool
    disputes: list[Link]
    entities: list[Link]
    search_text: Markup  # its quotes and its entities' other names: hidden, for search to find it by
    claimed_by: list[Link]
    topic: Link
    note: Markup | None
    href: str
    derived: list[tuple[Markup, Markup]]  # figures that are ours, with their working
    outside_knowledge: Markup | None
    published: str | None = None  # when it first appeared in the registry's history, if after the briefing did
    revised: str | None = None  # when its statement last changed, if after that
    corrections: list[tuple[str, Markup, Markup]] = field(default_factory=list)  # (day, what changed, why)
    context: list[Ref] = field(default_factory=list)  # background (role: context), not counted
    report: Markup | None = None  # a new issue on the project's repository about it, prefilled


def fact_view(fact: Fact, index: Index) -> FactView:
    """Everything a template shows about one fact (use `Index.fact_view`, which keeps it)."""
    refs = source_refs(tuple(c for c in fact.citations if c.supports), index)
    context = source_refs(tuple(c for c in fact.citations if not c.supports), index)
    count = independent_sources(fact.citations, index.sources)
    first, last = index.history.first.get(fact.id), index.history.last.get(fact.id)
    return FactView(
        id=fact.id,
        statement=md_text(fact.statement),
        date=fact.date.label if fact.date else None,
        value=md_text(format_value(fact.value)) if fact.value else None,
        converted=[
            md_text(f"{format_amount(c.amount, c.unit, c.qualifier)} per {index.sources[c.source].publisher}")
            for c in fact.converted
        ],
        refs=refs,
        markers=MARKER_SEPARATOR.join(ref.marker for ref in refs + context),
        source_count=count,
        single_source=count == 1,
        disputes=[Link(md_text(d.subject), href(DISAGREEMENTS, d.id)) for d in index.disputes.get(fact.id, [])],
        entities=[entity_link(index.entities[e]) for e in fact.entities],
        search_text=_search_text(fact, index),
        claimed_by=[entity_link(index.entities[e]) for e in fact.claimed_by],
        topic=Link(md_text(index.topics[fact.topic].title), href(index.fact_page(fact))),
        note=md_text(fact.note) if fact.note else None,
        href=href(index.fact_page(fact), fact.id),
        derived=[(md_text(d.figure), md_text(d.working)) for d in fact.derived],
        outside_knowledge=md_text(fact.outside_knowledge) if fact.outside_knowledge else None,
        published=day_label(first) if first != index.history.started else None,
        revised=day_label(last) if last != first else None,
        corrections=[(c.date.label, md_text(c.change), md_text(c.reason)) for c in fact.corrections],
        context=context,
        report=report_link(fact, index),
    )


def report_link(fact: Fact, index: Index) -> Markup | None:
    """A new issue on the repository (briefing.toml's, https only) naming the fact and its address; None without one."""
    repository = index.settings.repository
    if not repository:
        return None
    site = index.settings.site_url
    address = (site.rstrip("/") + "/" if site else "") + index.fact_address(fact)
    body = f"Fact: {fact.id}\nAddress: {address}\n\nWhat is wrong, and a source that shows it:\n"
    query = urlencode({"title": f"Error in fact {fact.id}", "body": body}, quote_via=quote)
    return href_attr(f"{repository.rstrip('/')}/issues/new?{query}")


def day_label(iso: str | None) -> str | None:
    """A commit's day, '2026-12-02', as readers read it: '2 December 2026'."""
    date = parse_date(iso) if iso else None
    return date.label if date else None


def _search_text(fact: Fact, index: Index) -> Markup:
    aliases = [a for e in fact.entities + fact.claimed_by for a in index.entities[e].aliases]
    searched = index.settings.searches_quotes(len(index.registry.facts))
    quotes = [index.words(c) for c in fact.citations] if searched else []
    return md_text(" · ".join(dict.fromkeys(aliases + quotes)))


def entity_link(entity: Entity) -> Link:
    return Link(md_text(entity.name), href(entity_page(entity.id)))
