"""The index of the registry: every lookup the pages need, built once, and where each fact and quote is.

Views (render/facts.py, render/kinds/) read it; it keeps each fact's view and each small
rendered piece (a fact's block, a footnote) so that pages only join them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from briefing.check.quotes import FoundQuotes
from briefing.load.history import History
from briefing.load.model import Citation, Disagreement, Entity, Fact, Registry, Source
from briefing.project import DEFAULTS, Settings
from briefing.render.addresses import built_url, source_page
from briefing.render.downloads import cite_box
from briefing.render.environment import environment
from briefing.render.facts import FactView, fact_view
from briefing.render.footnotes import mark
from briefing.render.listings import Part, fact_order, split_listing

T = TypeVar("T")


class Index:
    """Lookups over the registry, and where each fact and citation lives on the site."""

    def __init__(
        self,
        registry: Registry,
        templates: Path | None = None,
        settings: Settings = DEFAULTS,
        history: History | None = None,
        quotes: FoundQuotes | None = None,
        kept: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        self.settings = settings
        self.history = history or History(False, "the history was not read")
        self.quotes = quotes or FoundQuotes()  # what the quote check found (none: the quotes as typed)
        limit = settings.listing_limit
        self.registry = registry
        self.briefing = registry.briefing
        self.topics = {t.id: t for t in registry.topics}
        self.sources = {s.id: s for s in registry.sources}
        self.source_names = source_names(registry.sources)  # how menus and listings name them
        self.entities = {e.id: e for e in registry.entities}
        self.facts = {f.id: f for f in registry.facts}
        self.by_topic: dict[str, list[Fact]] = defaultdict(list)
        self.by_entity: dict[str, list[Fact]] = defaultdict(list)
        self.disputes: dict[str, list[Disagreement]] = defaultdict(list)
        self.controls: dict[str, list[Entity]] = defaultdict(list)
        self.citing: dict[str, list[tuple[str, Citation, object]]] = defaultdict(list)
        self.anchor: dict[int, str] = {}  # id(citation) -> its anchor on the source page
        self.label: dict[int, str] = {}  # id(citation) -> its footnote label
        self.cited: dict[str, Citation] = {}  # footnote label -> its citation
        self._views: dict[str, FactView] = {}
        self.pieces: dict[tuple[str, str], Markup] = {}  # (template, key) -> the piece rendered once
        # (fact id or "", name) -> what is made once and kept by the live preview (see `keep`)
        self.kept: dict[tuple[str, str], Any] = {} if kept is None else kept
        self.env = self.keep("", "environment", lambda: environment(templates))  # its templates compiled once
        self.env.globals["citation"] = cite_box(self)  # the editors and year every Cite box names
        ordered = sorted(registry.facts, key=fact_order)
        self._file_facts(ordered, registry)
        self.topic_parts = {
            t.id: split_listing(f"topics/{t.id}", self.by_topic.get(t.id, []), limit) for t in registry.topics
        }
        self.entity_parts = {
            e.id: split_listing(f"entities/{e.id}", self.by_entity.get(e.id, []), limit) for e in registry.entities
        }
        self.timeline_parts = split_listing("timeline", [f for f in ordered if f.date], limit)
        self.source_parts: dict[str, list[Part]] = {}
        self.citation_page: dict[int, str] = {}  # id(citation) -> the page its quote is on
        for source in registry.sources:
            self._list_source(source.id, limit)
        self.page_of_fact = {
            f.id: part.path for parts in self.topic_parts.values() for part in parts for f in part.facts
        }

    def _file_facts(self, ordered: list[Fact], registry: Registry) -> None:
        """Each fact under its topic and entities, each citation anchored, each disagreement under its facts."""
        for fact in ordered:
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

    def _list_source(self, source_id: str, limit: int) -> None:
        """A source's listing of the facts citing it, and the page each of its quotes is on."""
        citing = [owner for _, _, owner in self.citing.get(source_id, []) if isinstance(owner, Fact)]
        once = {fact.id: fact for fact in citing}.values()  # by id: hashing a whole fact is slow
        parts = split_listing(f"sources/{source_id}", sorted(once, key=fact_order), limit)
        self.source_parts[source_id] = parts
        on_page = {f.id: part.path for part in parts for f in part.facts}
        for _, citation, owner in self.citing.get(source_id, []):  # claims in disagreements: on the first page
            self.citation_page[id(citation)] = on_page[owner.id] if isinstance(owner, Fact) else source_page(source_id)

    def _anchor_citations(self, base: str, citations: tuple[Citation, ...], owner: object) -> None:
        # '--' never occurs in an id, so these anchors cannot collide with a fact's own id.
        seen: dict[str, int] = defaultdict(int)
        for citation in citations:
            self.label[id(citation)] = f"c{len(self.label) + 1}"  # a footnote label, the same on every page
            seen[citation.source] += 1
            n = seen[citation.source]
            anchor = base if n == 1 else f"{base}--{n}"
            self.anchor[id(citation)] = anchor
            self.citing[citation.source].append((anchor, citation, owner))

    def marker(self, citation: Citation) -> Markup:
        """Where a citation's footnote reference goes; the page numbers it (see footnotes.py)."""
        label = self.label[id(citation)]
        self.cited[label] = citation
        return mark(label)

    def words(self, citation: Citation) -> str:
        """A quote as the archive prints it (as typed only when the archive was not read)."""
        return self.quotes.words.get((citation.source, citation.quote), citation.quote)

    def fragment_context(self, citation: Citation) -> tuple[str, str]:
        """The words around a quote that its link to the publisher's page needs, if any."""
        return self.quotes.contexts.get((citation.source, citation.quote), ("", ""))

    def fact_view(self, fact: Fact) -> FactView:
        """Built once per fact: the same view serves every page that lists it."""
        if fact.id not in self._views:
            self._views[fact.id] = fact_view(fact, self)
        return self._views[fact.id]

    def piece(self, template: str, key: str, **context) -> Markup:
        """A small template rendered once per item (a fact, a footnote): pages only join the pieces."""
        if (template, key) not in self.pieces:
            self.pieces[(template, key)] = Markup(self.env.get_template(template).render(**context).rstrip("\n"))
        return self.pieces[(template, key)]

    def fact_piece(self, template: str, fact: FactView) -> Markup:
        """A fact laid out by `template` (its block, its list line, its timeline row), once for every page."""
        return self.piece(template, fact.id, fact=fact)

    def keep(self, fact_id: str, name: str, build: Callable[[], T]) -> T:
        """A fact's piece of a download (its row, its record), made once: the live preview keeps those
        of the facts an edit did not reach, so a download is joined from them instead of made whole.

        `fact_id` "": what no edit of facts' words changes (a download without them, the Jinja environment).
        """
        made = self.kept.get((fact_id, name))
        if made is None:
            made = self.kept[(fact_id, name)] = build()
        return made

    def fact_page(self, fact: Fact) -> str:
        """The page a fact lives on: its topic's page (or the part of it for the fact's date)."""
        return self.page_of_fact[fact.id]

    def fact_address(self, fact: Fact) -> str:
        """Where a fact is on the built site, from its root: 'topics/funding/2025/#its-id'."""
        return built_url(self.fact_page(fact)) + "#" + fact.id

    def citation_address(self, citation: Citation) -> str:
        """Where a citation's quote is on the built site, from its root."""
        return built_url(self.citation_page[id(citation)]) + "#" + self.anchor[id(citation)]


def source_names(sources: list[Source]) -> dict[str, str]:
    """Each source as readers know it, by publisher and date ('Reuters, 3 June 2025'), never by headline.

    Sources with the same publisher and date are numbered in the registry's order: 'Reuters, June 2025 (2)'.
    """
    names = {s.id: f"{s.publisher}, {s.published.label}" for s in sources}
    shared = Counter(names.values())
    seen: Counter[str] = Counter()
    for source_id, name in names.items():
        if shared[name] > 1:
            seen[name] += 1
            names[source_id] = f"{name} ({seen[name]})"
    return names
