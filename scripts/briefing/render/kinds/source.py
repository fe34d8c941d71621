"""A source's page: what it reports, how far to trust it, its archived copy, what the briefing uses of it,
and every fact and disputed claim citing it with the quotes (split by year or month when long)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from briefing.load.model import Citation, Fact, PartialDate, Source
from briefing.render.addresses import DISAGREEMENTS, href, source_page
from briefing.render.escaping import href as href_attr
from briefing.render.escaping import html_text, md_text
from briefing.render.facts import Link, entity_link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page, listed
from briefing.render.links import text_fragment, wayback
from briefing.render.listings import first_page
from briefing.vocabulary import RANKS, RELATIONS, SOURCE_KINDS


@dataclass
class Quote:
    anchor: str
    quote: Markup
    locator: Markup | None
    speaker: Link | None
    via: Markup | None
    on_page: str | None  # the words on the publisher's page (a text fragment)
    context: bool  # background, not counted as support


@dataclass
class CitingFact:
    anchor: str
    statement: Markup
    date: str | None
    href: str
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class CitingClaim:
    anchor: str
    claim: Markup
    rank: str
    disagreement: Link
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class BasedOn:
    relation: str
    link: Link | None  # a source of this briefing
    name: Markup | None  # a document it does not hold


@dataclass
class Address:
    href: str
    text: Markup


@dataclass
class CoverageRow:
    """A sentence of the archived copy, or a run of sentences not reviewed."""

    status: str  # "used", "omitted" or "not-reviewed"
    first: int
    last: int
    links: list[Link] = field(default_factory=list)  # used: the facts and claims quoting it
    reason: str = ""  # omitted: why, with an excerpt, a note and what it restates or duplicates
    excerpt: Markup = Markup("")
    note: Markup = Markup("")
    link: Link | None = None


@dataclass
class Coverage:
    rows: list[CoverageRow]
    total: int
    used: int
    omitted: int
    not_reviewed: int


@dataclass
class SourceView:
    name: Markup  # its publisher and date, as menus and listings name it
    title: Markup  # its headline
    publisher: Markup
    based_on: list[BasedOn]
    unheld: str
    author: Markup | None
    published: str
    kind: str
    url: Address | None
    wayback: str | None
    archive_file: str
    sha256: str
    reliability: Markup
    summary: Markup
    retrieved: str | None
    coverage: Coverage | None  # on the first page
    facts: list[CitingFact]
    claims: list[CitingClaim]  # on the first page


def quote_view(index: Index, source: Source, anchor: str, citation: Citation) -> Quote:
    words = index.words(citation)
    return Quote(
        anchor,
        md_text(words),
        md_text(citation.locator) if citation.locator else None,
        entity_link(index.entities[citation.speaker]) if citation.speaker else None,
        md_text(citation.via) if citation.via else None,
        href_attr(text_fragment(source.url, words, *index.fragment_context(citation))) if source.url else None,
        not citation.supports,
    )


def source_view(index: Index, source: Source, number: int | None) -> SourceView:
    """The source's metadata, and the facts (of this part) and disputed claims citing it, with their quotes."""
    parts = index.source_parts[source.id]
    on_page = {f.id for f in parts[number].facts} if number is not None else set()
    first = first_page(number, parts)
    facts: dict[int, CitingFact] = {}
    claims: dict[int, CitingClaim] = {}
    for anchor, citation, owner in index.citing.get(source.id, []):
        if (owner.id not in on_page) if isinstance(owner, Fact) else not first:
            continue
        quote = quote_view(index, source, anchor, citation)
        if isinstance(owner, Fact):
            date = owner.date.label if owner.date else None
            entry = facts.setdefault(
                id(owner),
                CitingFact(anchor, md_text(owner.statement), date, href(index.fact_page(owner), owner.id)),
            )
        else:
            disagreement, variant = owner
            subject = Link(md_text(disagreement.subject), href(DISAGREEMENTS, disagreement.id))
            entry = claims.setdefault(
                id(variant), CitingClaim(anchor, md_text(variant.claim), RANKS[variant.rank], subject)
            )
        entry.quotes.append(quote)
    return SourceView(
        name=md_text(index.source_names[source.id]),
        title=md_text(source.title),
        publisher=md_text(source.publisher),
        based_on=[
            BasedOn(
                RELATIONS[b.relation],
                Link(md_text(index.source_names[b.source]), href(source_page(b.source))) if b.source else None,
                md_text(b.name) if b.name else None,
            )
            for b in source.based_on
        ],
        unheld=_unheld(source),
        author=md_text(source.author) if source.author else None,
        published=_published(source.published),
        kind=SOURCE_KINDS[source.kind],
        url=Address(href_attr(source.url), html_text(source.url)) if source.url else None,
        wayback=href_attr(wayback(source.url, source.published)) if source.url else None,
        archive_file=source.archive_file,
        sha256=source.archive_sha256,
        reliability=md_text(source.reliability),
        summary=md_text(source.summary),
        retrieved=source.retrieved.label if source.retrieved else None,
        coverage=coverage_view(index, source) if first else None,
        facts=list(facts.values()),
        claims=list(claims.values()),
    )


REASONS = {
    "out-of-scope": "out of scope",
    "restates": "restates a fact",
    "opinion": "the outlet's own opinion, attributed to no one",
    "promotional": "promotional, nothing to check",
    "duplicate": "the same claim as another source",
    "unnamed-source": "credited only to unnamed sources",
}


def coverage_view(index: Index, source: Source) -> Coverage | None:
    """Each sentence of the archived copy by its number and status; never its words (they are the publisher's).

    A used sentence links to its quotes on the source page; an omitted one shows the registry's
    excerpt and reason; a run of sentences not reviewed is one line. None if the archive was not read.
    """
    sentences = index.quotes.sentences.get(source.id)
    if sentences is None:
        return None
    owners = {id(citation): owner for _, citation, owner in index.citing.get(source.id, [])}
    rows: list[CoverageRow] = []
    for number, sentence in enumerate(sentences, 1):
        status = sentence.status
        if status == "not-reviewed" and rows and rows[-1].status == status:
            rows[-1].last = number
            continue
        row = CoverageRow(status, number, number)
        if status == "used":  # each fact or disputed claim once, by its id, linked to its quote on this page
            links: dict[str, Link] = {}
            for c in sentence.used_by:
                owner = owners[id(c)]
                name = owner.id if isinstance(owner, Fact) else f"{owner[0].id} (disputed)"
                links.setdefault(name, Link(md_text(name), href(index.citation_page[id(c)], index.anchor[id(c)])))
            row.links = list(links.values())
        elif status == "omitted":
            omission = sentence.omission
            row.reason = REASONS[omission.reason]
            row.excerpt = html_text(sentence.excerpt or omission.excerpt)
            row.note = html_text(omission.note)
            if omission.fact in index.facts:
                fact = index.facts[omission.fact]
                row.link = Link(md_text(fact.id), href(index.fact_page(fact), fact.id))
            elif omission.duplicate_of in index.sources:
                other = index.sources[omission.duplicate_of]
                row.link = Link(md_text(index.source_names[other.id]), href(source_page(other.id)))
        rows.append(row)
    used, omitted, unread = (
        sum(s.status == status for s in sentences) for status in ("used", "omitted", "not-reviewed")
    )
    return Coverage(rows, len(sentences), used, omitted, unread)


def _unheld(source: Source) -> str:
    """Say once which of the documents a source is based on the briefing does not hold."""
    names = [b for b in source.based_on if b.name]
    if not names:
        return ""
    if len(names) == len(source.based_on):
        return "none of them among this briefing's sources" if len(names) > 1 else "not among this briefing's sources"
    return "those not linked are not among this briefing's sources"


def _published(date: PartialDate) -> str:
    precision = {"day": "", "month": " (month only)", "year": " (year only)"}[date.precision]
    return date.label + precision


def pages(index: Index) -> Iterator[Page]:
    few = len(index.registry.sources) <= index.settings.nav_limit  # see kinds/entity.py
    for source in index.registry.sources:
        yield from listed(
            index,
            f"sources/{source.id}",
            index.source_parts[source.id],
            index.source_names[source.id],
            source.summary,
            lambda number, source=source: {"source": source_view(index, source, number)},
            menu=("Sources",) if few else None,
            facts=False,
            search_parts=False,  # its facts are found on their topic's page
        )


KIND = Kind("source", "source.md.j2", pages)
