"""The generated pages: data prepared in Python, laid out by Jinja templates in templates/.

`render_site` returns every page as text keyed by its path under docs/generated/; it writes
nothing. All registry text passes through `md_text` before a template sees it, and the
Jinja environment is strict (an undefined name is an error) and autoescaping, so a value
that was not prepared is still escaped rather than interpreted.
"""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .charts import funding_chart, timeline_chart
from .downloads import downloads
from .escaping import html_text, md_text
from .formatting import format_amount, format_value
from .registry import Citation, Disagreement, Entity, Fact, PartialDate, Registry, Source, independent_sources

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

KIND_TITLES = {
    "organisation": "Organisations",
    "person": "People",
    "place": "Places",
    "model": "Models",
    "product": "Products and platforms",
    "programme": "Programmes",
    "policy": "Policies",
}
SOURCE_KINDS = {
    "news-report": "News report",
    "repost": "Repost or aggregator",
    "analysis": "Analysis",
    "primary-statement": "Primary statement",
}
VERDICTS = {
    "conflicting": "Conflicting: they cannot all be right",
    "reconcilable": "Reconcilable: they differ for a known reason",
    "erroneous": "Erroneous: a source is plainly wrong",
}
RANKS = {"preferred": "Preferred", "normal": "Reported", "erroneous": "Erroneous"}


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Strict and autoescaping: a missing value is an error, an unprepared one is escaped."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# --- the index: every lookup the pages need, built once ---------------------------------


class Index:
    """Lookups over the registry, and where each fact and citation lives on the site."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.briefing = registry.briefing
        self.topics = {t.id: t for t in registry.topics}
        self.sources = {s.id: s for s in registry.sources}
        self.entities = {e.id: e for e in registry.entities}
        self.facts = {f.id: f for f in registry.facts}
        self.by_topic: dict[str, list[Fact]] = defaultdict(list)
        self.by_entity: dict[str, list[Fact]] = defaultdict(list)
        self.disputes: dict[str, list[Disagreement]] = defaultdict(list)
        self.controls: dict[str, list[Entity]] = defaultdict(list)
        self.citing: dict[str, list[tuple[str, Citation, object]]] = defaultdict(list)
        self.anchor: dict[int, str] = {}  # id(citation) -> its anchor on the source page
        for fact in sorted(registry.facts, key=fact_order):
            self.by_topic[fact.topic].append(fact)
            for entity in dict.fromkeys(fact.entities + fact.claimed_by):
                self.by_entity[entity].append(fact)
            self._anchor_citations(fact.id, fact.citations, fact)
        for d in registry.disagreements:
            for fact_id in d.facts:
                self.disputes[fact_id].append(d)
            for number, variant in enumerate(d.variants, 1):
                self._anchor_citations(f"{d.id}--{number}", variant.citations, (d, variant))
        for entity in registry.entities:
            if entity.controlled_by:
                self.controls[entity.controlled_by.entity].append(entity)

    def _anchor_citations(self, base: str, citations: tuple[Citation, ...], owner: object) -> None:
        # '--' never occurs in an id, so these anchors cannot collide with a fact's own id.
        seen: dict[str, int] = defaultdict(int)
        for citation in citations:
            seen[citation.source] += 1
            n = seen[citation.source]
            anchor = base if n == 1 else f"{base}--{n}"
            self.anchor[id(citation)] = anchor
            self.citing[citation.source].append((anchor, citation, owner))

    def fact_page(self, fact: Fact) -> str:
        return f"topics/{fact.topic}.md"


def fact_order(fact: Fact) -> tuple:
    """Dated facts in date order (a month before its days), undated last; ties keep file order."""
    return (fact.date is None, fact.date.sort_key if fact.date else (0, 0, 0))


# --- per-page state ---------------------------------------------------------------------


@dataclass
class Note:
    label: str
    source: Markup
    href: str
    published: str
    quote: Markup


@dataclass
class Page:
    """A page being rendered: its path (for relative links) and the footnotes it has used."""

    path: str
    index: Index
    notes: list[Note] = field(default_factory=list)
    _labels: dict[tuple[str, str], str] = field(default_factory=dict)

    def href(self, target: str, anchor: str | None = None) -> str:
        """A relative link from this page to another generated page (MkDocs resolves .md links)."""
        rel = posixpath.relpath(target, posixpath.dirname(self.path) or ".")
        return rel + (f"#{anchor}" if anchor else "")

    def cite(self, citation: Citation) -> Markup:
        """A footnote reference; its note links to the citation's anchor on the source page."""
        source = self.index.sources[citation.source]
        href = self.href(f"sources/{source.id}.md", self.index.anchor[id(citation)])
        key = (href, citation.quote)
        if key not in self._labels:
            label = str(len(self.notes) + 1)
            self._labels[key] = label
            self.notes.append(
                Note(label, md_text(source.publisher), href, source.published.label, md_text(citation.quote))
            )
        return Markup(f"[^{self._labels[key]}]")


# --- views: what templates see ----------------------------------------------------------


@dataclass
class Link:
    text: Markup
    href: str


@dataclass
class Ref:
    """A source named in the text, linked to its quote, with footnote markers whose tooltips show it."""

    name: Markup
    href: str  # the first quote of this source for the claim, on the source's page
    published: str
    marker: Markup


def source_refs(citations: tuple[Citation, ...], page: Page) -> list[Ref]:
    """One reference per source, in citation order, carrying a footnote for each of its quotes."""
    markers: dict[str, list[Markup]] = {}
    first: dict[str, Citation] = {}
    for citation in citations:
        markers.setdefault(citation.source, []).append(page.cite(citation))
        first.setdefault(citation.source, citation)
    index = page.index
    return [
        Ref(
            md_text(index.sources[s].publisher),
            page.href(f"sources/{s}.md", index.anchor[id(first[s])]),
            index.sources[s].published.short_label,
            MARKER_SEPARATOR.join(m),
        )
        for s, m in markers.items()
    ]


# Adjacent footnote markers would read "345"; a superscript comma makes it "3,4,5".
MARKER_SEPARATOR = Markup("<sup>,</sup>")


@dataclass
class FactView:
    id: str
    statement: Markup
    date: str | None
    value: str | None
    converted: list[str]
    refs: list[Ref]
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


def fact_view(fact: Fact, page: Page) -> FactView:
    """Everything a template shows about one fact, with links relative to `page`."""
    index = page.index
    refs = source_refs(fact.citations, page)
    count = independent_sources(fact.citations, index.sources)
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
        markers=MARKER_SEPARATOR.join(ref.marker for ref in refs),
        source_count=count,
        single_source=count == 1,
        disputes=[
            Link(md_text(d.subject), page.href("disagreements.md", d.id)) for d in index.disputes.get(fact.id, [])
        ],
        entities=[entity_link(index.entities[e], page) for e in fact.entities],
        search_text=_search_text(fact, index),
        claimed_by=[entity_link(index.entities[e], page) for e in fact.claimed_by],
        topic=Link(md_text(index.topics[fact.topic].title), page.href(index.fact_page(fact))),
        note=md_text(fact.note) if fact.note else None,
        href=page.href(index.fact_page(fact), fact.id),
    )


def _search_text(fact: Fact, index: Index) -> Markup:
    aliases = [a for e in fact.entities + fact.claimed_by for a in index.entities[e].aliases]
    quotes = [c.quote for c in fact.citations]
    return md_text(" · ".join(dict.fromkeys(aliases + quotes)))


def entity_link(entity: Entity, page: Page) -> Link:
    return Link(md_text(entity.name), page.href(f"entities/{entity.id}.md"))


def source_link(source: Source, page: Page) -> Link:
    return Link(md_text(source.publisher), page.href(f"sources/{source.id}.md"))


@dataclass
class Group:
    label: str
    facts: list[FactView]


def by_year(facts: list[Fact], page: Page) -> list[Group]:
    """Facts grouped under year headings, undated ones last."""
    groups: dict[str, list[FactView]] = {}
    for fact in facts:
        label = str(fact.date.year) if fact.date else "Undated"
        groups.setdefault(label, []).append(fact_view(fact, page))
    return [Group(label, views) for label, views in groups.items()]


# --- the pages --------------------------------------------------------------------------


def render_site(registry: Registry, templates: Path = TEMPLATES) -> dict[str, str]:
    """Every generated page keyed by its path under docs/generated/, plus the navigation."""
    index = Index(registry)
    env = environment(templates)
    pages: dict[str, str] = {}

    def render(path: str, template: str, title: str, **context) -> None:
        page = Page(path, index)
        body = env.get_template(template).render(page=page, **{k: v(page) for k, v in context.items()})
        notes = env.get_template("_footnotes.md.j2").render(notes=page.notes)
        text = body.rstrip("\n") + "\n" + (("\n" + notes) if page.notes else "")
        pages[path] = front_matter(title) + text

    render("index.md", "home.md.j2", index.briefing.title, home=lambda p: home_view(index, p))
    render("topics/index.md", "topics.md.j2", "Topics", topics=lambda p: topic_summaries(index, p))
    for topic in registry.topics:
        render(
            f"topics/{topic.id}.md",
            "topic.md.j2",
            topic.title,
            topic=lambda p, t=topic: {
                "title": md_text(t.title),
                "description": md_text(t.description),
                "groups": by_year(index.by_topic.get(t.id, []), p),
                "funding": funding_view(index, p) if t.id == funding_topic(index) else None,
            },
        )
    render("timeline.md", "timeline.md.j2", "Timeline", timeline=lambda p: timeline_view(index, p))
    render(
        "disagreements.md",
        "disagreements.md.j2",
        "Where sources disagree",
        disagreements=lambda p: disagreement_views(index, p),
    )
    render("entities/index.md", "entities.md.j2", "Entities", groups=lambda p: entity_groups(index, p))
    for entity in registry.entities:
        render(
            f"entities/{entity.id}.md", "entity.md.j2", entity.name, entity=lambda p, e=entity: entity_view(index, e, p)
        )
    render("sources/index.md", "sources.md.j2", "Sources", sources=lambda p: source_rows(index, p))
    for source in registry.sources:
        render(
            f"sources/{source.id}.md", "source.md.j2", source.title, source=lambda p, s=source: source_view(index, s, p)
        )
    pages[".nav.yml"] = navigation(index)
    pages.update(downloads(index))
    return pages


def front_matter(title: str) -> str:
    """The page title for the theme, HTML-escaped and written as a JSON (so YAML) string.

    Material prints `page.meta.title` as it is, and otherwise `page.title | striptags`, which
    turns entities back into markup; an escaped meta title keeps the <title> tag, the
    navigation and the header safe whatever the registry says.
    """
    return f"---\ntitle: {json.dumps(str(html_text(title)), ensure_ascii=False)}\n---\n\n"


def navigation(index: Index) -> str:
    """The generated part of the site navigation; mkdocs.yml adds the hand-written pages."""
    entities_by_kind = defaultdict(list)
    for entity in sorted(index.registry.entities, key=lambda e: e.name.casefold()):
        entities_by_kind[entity.kind].append(f"entities/{entity.id}.md")
    nav = [
        "index.md",
        {"Topics": ["topics/index.md"] + [f"topics/{t.id}.md" for t in index.registry.topics]},
        "timeline.md",
        "disagreements.md",
        {
            "Entities": ["entities/index.md"]
            + [{KIND_TITLES[k]: entities_by_kind[k]} for k in KIND_TITLES if k in entities_by_kind]
        },
        {"Sources": ["sources/index.md"] + [f"sources/{s.id}.md" for s in index.registry.sources]},
    ]
    return yaml.safe_dump(nav, sort_keys=False, allow_unicode=True)


def home_view(index: Index, page: Page) -> dict:
    briefing = index.briefing
    key_points = [fact_view(index.facts[f], page) for f in briefing.key_points]
    numbers = []
    for number in briefing.key_numbers:
        fact = index.facts[number.fact]
        numbers.append(
            {
                "figure": md_text(format_value(fact.value)),
                "label": md_text(number.label),
                "fact": fact_view(fact, page),
            }
        )
    registry = index.registry
    return {
        "title": md_text(briefing.title),
        "summary": md_text(briefing.summary),
        "as_of": briefing.as_of.label,
        "key_points": key_points,
        "key_numbers": numbers,
        "topics": topic_summaries(index, page),
        "counts": {
            "facts": len(registry.facts),
            "sources": len(registry.sources),
            "entities": len(registry.entities),
            "disagreements": len(registry.disagreements),
            "single_source": sum(len({c.source for c in f.citations}) == 1 for f in registry.facts),
        },
        "subject": entity_link(index.entities[briefing.subject], page),
    }


def topic_summaries(index: Index, page: Page) -> list[dict]:
    return [
        {
            "link": Link(md_text(t.title), page.href(f"topics/{t.id}.md")),
            "description": md_text(t.description),
            "count": len(index.by_topic.get(t.id, [])),
        }
        for t in index.registry.topics
    ]


def funding_topic(index: Index) -> str | None:
    """The topic that holds the funding rounds: where the table and chart go."""
    rounds = funding_rounds(index)
    return rounds[0].topic if rounds else None


def funding_rounds(index: Index) -> list[Fact]:
    """Facts tagged funding-round, in date order; a round whose amount is unknown is listed too."""
    return [f for f in sorted(index.registry.facts, key=fact_order) if "funding-round" in f.tags]


def funding_view(index: Index, page: Page) -> dict:
    """The table of rounds (amounts as each source reports them) and the chart of funding over time."""
    rows = []
    subject = index.briefing.subject if index.briefing else None
    for fact in funding_rounds(index):
        investors = []
        for entity_id in fact.entities:
            entity = index.entities[entity_id]
            if entity_id == subject:
                continue
            control = entity.controlled_by
            backer = index.entities[control.entity].name if control else None
            investors.append({"link": entity_link(entity, page), "backer": md_text(backer) if backer else None})
        rows.append(
            {
                "date": fact.date.label if fact.date else "Undated",
                "amounts": [md_text(format_value(fact.value) if fact.value else "amount not reported")]
                + [
                    md_text(f"{format_amount(c.amount, c.unit, c.qualifier)} ({index.sources[c.source].publisher})")
                    for c in fact.converted
                ],
                "investors": investors,
                "fact": fact_view(fact, page),
            }
        )
    charted = [f for f in funding_rounds(index) if f.value is not None and f.date is not None]
    return {"rows": rows, "chart": funding_chart(charted, index.sources)}


def timeline_view(index: Index, page: Page) -> dict:
    dated = sorted((f for f in index.registry.facts if f.date), key=fact_order)
    return {
        "chart": timeline_chart(dated),
        "groups": by_year(dated, page),
    }


def disagreement_views(index: Index, page: Page) -> list[dict]:
    views = []
    for d in index.registry.disagreements:
        variants = []
        for variant in d.variants:
            variants.append(
                {
                    "claim": md_text(variant.claim),
                    "refs": source_refs(variant.citations, page),
                    "rank": RANKS[variant.rank],
                    "reason": md_text(variant.reason) if variant.reason else None,
                }
            )
        views.append(
            {
                "id": d.id,
                "subject": md_text(d.subject),
                "verdict": VERDICTS[d.verdict],
                "variants": variants,
                "note": md_text(d.note),
                "facts": [
                    Link(md_text(index.facts[f].statement), page.href(index.fact_page(index.facts[f]), f))
                    for f in d.facts
                ],
            }
        )
    return views


def entity_groups(index: Index, page: Page) -> list[dict]:
    groups = []
    for kind, title in KIND_TITLES.items():
        members = sorted((e for e in index.registry.entities if e.kind == kind), key=lambda e: e.name.casefold())
        if members:
            groups.append(
                {
                    "title": title,
                    "entities": [
                        {
                            "link": entity_link(e, page),
                            "description": md_text(e.description),
                            "count": len(index.by_entity.get(e.id, [])),
                        }
                        for e in members
                    ],
                }
            )
    return groups


def entity_view(index: Index, entity: Entity, page: Page) -> dict:
    control = entity.controlled_by
    return {
        "name": md_text(entity.name),
        "kind": KIND_TITLES[entity.kind].rstrip("s") if entity.kind != "person" else "Person",
        "aliases": [md_text(a) for a in entity.aliases],
        "description": md_text(entity.description),
        "controlled_by": (
            {
                "link": entity_link(index.entities[control.entity], page),
                "fact": Link(Markup("the source"), page.href(index.fact_page(index.facts[control.fact]), control.fact)),
            }
            if control
            else None
        ),
        "controls": [entity_link(e, page) for e in index.controls.get(entity.id, [])],
        "groups": by_year(index.by_entity.get(entity.id, []), page),
    }


def source_rows(index: Index, page: Page) -> list[dict]:
    return [
        {
            "link": Link(md_text(s.title), page.href(f"sources/{s.id}.md")),
            "publisher": md_text(s.publisher),
            "published": s.published.label,
            "kind": SOURCE_KINDS[s.kind],
            "count": len({id(owner) for _, _, owner in index.citing.get(s.id, [])}),
        }
        for s in index.registry.sources
    ]


def source_view(index: Index, source: Source, page: Page) -> dict:
    """The source's metadata, and every fact and disputed claim citing it, each with its quotes."""
    facts: dict[int, dict] = {}
    claims: dict[int, dict] = {}
    for anchor, citation, owner in index.citing.get(source.id, []):
        quote = {
            "anchor": anchor,
            "quote": md_text(citation.quote),
            "locator": md_text(citation.locator) if citation.locator else None,
        }
        if isinstance(owner, Fact):
            entry = facts.setdefault(
                id(owner),
                {
                    "anchor": anchor,
                    "statement": md_text(owner.statement),
                    "date": owner.date.label if owner.date else None,
                    "href": page.href(index.fact_page(owner), owner.id),
                    "quotes": [],
                },
            )
        else:
            disagreement, variant = owner
            entry = claims.setdefault(
                id(variant),
                {
                    "anchor": anchor,
                    "claim": md_text(variant.claim),
                    "rank": RANKS[variant.rank],
                    "disagreement": Link(md_text(disagreement.subject), page.href("disagreements.md", disagreement.id)),
                    "quotes": [],
                },
            )
        entry["quotes"].append(quote)
    return {
        "title": md_text(source.title),
        "publisher": md_text(source.publisher),
        "original_publisher": md_text(source.original_publisher) if source.original_publisher else None,
        "author": md_text(source.author) if source.author else None,
        "published": _published(source.published),
        "kind": SOURCE_KINDS[source.kind],
        "url": {"href": html_text(source.url), "text": md_text(source.url)} if source.url else None,
        "archive_file": source.archive_file,
        "sha256": source.archive_sha256,
        "reliability": md_text(source.reliability),
        "summary": md_text(source.summary),
        "facts": list(facts.values()),
        "claims": list(claims.values()),
    }


def _published(date: PartialDate) -> str:
    precision = {"day": "", "month": " (month only)", "year": " (year only)"}[date.precision]
    return date.label + precision
