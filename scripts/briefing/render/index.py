"""What every page is made from: the index of the registry, the views templates see, links and listings.

`Index` holds every lookup the pages need, built once; `fact_view` and the small views are
what templates get, all registry text already escaped (`md_text`); links between pages are
written with a placeholder for the way to the root, filled in per page (see `page_file`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from briefing.check.quotes import FoundQuotes
from briefing.load.history import History
from briefing.load.model import Citation, Disagreement, Entity, Fact, Registry, independent_sources, parse_date
from briefing.problems import package_folder
from briefing.project import DEFAULTS, Settings
from briefing.render.escaping import html_text, md_text
from briefing.render.formatting import format_amount, format_value
from briefing.vocabulary import (  # noqa: F401 - the labels, here for the render modules that import them from here
    KIND_NAMES,
    KIND_TITLES,
    MONTHS,
    RANKS,
    RELATIONS,
    SOURCE_KINDS,
    VERDICTS,
    month_year,
)

TEMPLATES = package_folder("briefing.templates")  # the generator's own; a project's templates/ come first


def environment(project: Path | None = None) -> jinja2.Environment:
    """Strict and autoescaping: a missing value is an error, an unprepared one is escaped.

    Templates are looked up in the project's own `templates/` folder first (`project`), then
    among the generator's: a briefing overrides the templates it wants, file by file. The
    `url` filter turns a Markdown link into one for raw HTML.
    """
    folders = [project] if project is not None and project.is_dir() else []
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, TEMPLATES]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one build reads each template once; no stat() per use
    )
    env.filters["url"] = raw_url
    return env


# --- the index: every lookup the pages need, built once ---------------------------------


class Index:
    """Lookups over the registry, and where each fact and citation lives on the site."""

    def __init__(
        self,
        registry: Registry,
        templates: Path | None = None,
        settings: Settings = DEFAULTS,
        history: History | None = None,
        quotes: FoundQuotes | None = None,
    ) -> None:
        self.settings = settings
        self.history = history or History(False, "the history was not read")
        self.quotes = quotes or FoundQuotes()  # what the quote check found (none: the quotes as typed)
        limit = settings.listing_limit
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
        self.label: dict[int, str] = {}  # id(citation) -> its footnote label
        self.cited: dict[str, Citation] = {}  # footnote label -> its citation
        self._views: dict[str, FactView] = {}
        self._pieces: dict[tuple[str, str], Markup] = {}
        self.env = environment(templates)
        ordered = sorted(registry.facts, key=fact_order)
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
            citing = [owner for _, _, owner in self.citing.get(source.id, []) if isinstance(owner, Fact)]
            parts = split_listing(f"sources/{source.id}", sorted(dict.fromkeys(citing), key=fact_order), limit)
            self.source_parts[source.id] = parts
            on_page = {f.id: part.path for part in parts for f in part.facts}
            for _, citation, owner in self.citing.get(source.id, []):  # claims in disagreements: on the first page
                self.citation_page[id(citation)] = (
                    on_page[owner.id] if isinstance(owner, Fact) else page_file(f"sources/{source.id}")
                )
        self.page_of_fact = {
            f.id: part.path for parts in self.topic_parts.values() for part in parts for f in part.facts
        }

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
        """Where a footnote reference goes; the page numbers it (see `footnotes`)."""
        label = self.label[id(citation)]
        self.cited[label] = citation
        return Markup(f"{MARK}{label}{MARK}")

    def note(self, label: str) -> Markup:
        """A citation's footnote as HTML: the source, its date, the quote, linked to the quote."""
        if ("_footnote.html.j2", label) in self._pieces:
            return self._pieces[("_footnote.html.j2", label)]
        citation = self.cited[label]
        source = self.sources[citation.source]
        link = DOCS + self.citation_address(citation)
        note = Note(label, html_text(source.publisher), link, source.published.label, html_text(self.words(citation)))
        return self.piece("_footnote.html.j2", label, note=note, backrefs=Markup(BACKREFS))

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
        if (template, key) not in self._pieces:
            self._pieces[(template, key)] = Markup(self.env.get_template(template).render(**context).rstrip("\n"))
        return self._pieces[(template, key)]

    def fact_page(self, fact: Fact) -> str:
        """The page a fact lives on: its topic's page (or the part of it for the fact's date)."""
        return self.page_of_fact[fact.id]

    def fact_address(self, fact: Fact) -> str:
        """Where a fact is on the built site, from its root: 'topics/funding/2025/#its-id'."""
        return built_url(self.fact_page(fact)) + "#" + fact.id

    def citation_address(self, citation: Citation) -> str:
        """Where a citation's quote is on the built site, from its root."""
        return built_url(self.citation_page[id(citation)]) + "#" + self.anchor[id(citation)]


def fact_order(fact: Fact) -> tuple:
    """Dated facts in date order (a month before its days), undated last; ties keep file order."""
    return (fact.date is None, fact.date.sort_key if fact.date else (0, 0, 0))


# Facts on one page (a longer listing is split by year, and a crowded year by month), whether search
# finds a fact by its quotes' words, and how many entities or sources the menus name one by one:
# briefing.toml sets them (briefing.project.Settings has the defaults and what each is for).
LISTING_LIMIT = Settings.listing_limit


@dataclass
class Part:
    """One page of a listing of facts: all of them, a year's, or a month's."""

    path: str
    label: str  # "" when the listing is on one page
    level: str  # "all", "year" or "month": how its facts are grouped under headings
    facts: list[Fact]


def split_listing(base: str, facts: list[Fact], limit: int = LISTING_LIMIT) -> list[Part]:
    """`base`.md for a short listing; otherwise a page per year, and per month in a crowded year.

    Facts must be in `fact_order`. Page addresses follow the facts' dates, so a fact stays on
    its page as others are added (until its year or month has to be split).
    """
    if len(facts) <= limit:
        return [Part(page_file(base), "", "all", facts)]
    parts = []
    for year, group in _runs(facts, lambda f: f.date.year if f.date else None):
        if year is None:
            parts.append(Part(page_file(f"{base}/undated"), "Undated", "month", group))
        elif len(group) <= limit:
            parts.append(Part(page_file(f"{base}/{year}"), str(year), "year", group))
        else:
            for month, run in _runs(group, lambda f: f.date.month):
                key, label = (
                    (f"{year}-{month:02d}", f"{MONTHS[month]} {year}")
                    if month
                    else (f"{year}", f"{year} (month unknown)")
                )
                chunks = [run[i : i + limit] for i in range(0, len(run), limit)]
                for n, chunk in enumerate(chunks, 1):
                    suffix = (f"-{n}", f" ({n} of {len(chunks)})") if len(chunks) > 1 else ("", "")
                    parts.append(Part(page_file(f"{base}/{key}{suffix[0]}"), label + suffix[1], "month", chunk))
    return parts


def _runs(items: list, key) -> list[tuple]:
    """Consecutive items with the same key, as (key, items)."""
    runs: list[tuple] = []
    for item in items:
        k = key(item)
        if runs and runs[-1][0] == k:
            runs[-1][1].append(item)
        else:
            runs.append((k, [item]))
    return runs


# --- per-page state ---------------------------------------------------------------------


@dataclass
class Note:
    label: str
    source: Markup
    href: str
    published: str
    quote: Markup


# Footnotes, and each fact's block, list line and timeline row, are written as raw HTML (for
# footnotes, the markup Markdown's footnotes extension would make, which Material's tooltips
# read), so Markdown passes them through instead of parsing them: most of the Markdown time on
# a large site (see docs/performance.md). Footnote references are marked in the text and
# numbered per page; links in raw HTML are relative to the page. The marks are control
# characters, which registry text cannot contain.
MARK = "\x1f"  # around a footnote label in rendered text
# The way from a page to the root, filled in per page. Every generated page is a folder's
# index.md (see page_file), so it is the same for the page's file and for its address: one
# placeholder serves Markdown links (to files) and raw HTML (to addresses).
DOCS = "\x1c"
BACKREFS = "\x1d"  # where a note's links back to its references go, filled in per page
_MARKED = re.compile(f"{MARK}(c[0-9]+){MARK}")


def raw_url(link: str) -> str:
    """'DOCS topics/x/index.md#a' (a Markdown link) as 'DOCS topics/x/#a' (raw HTML)."""
    target, _, anchor = link.removeprefix(DOCS).partition("#")
    return DOCS + built_url(target) + (f"#{anchor}" if anchor else "")


def page_file(name: str) -> str:
    """Where a generated page's Markdown goes: 'topics/funding' -> 'topics/funding/index.md'.

    A page in a folder of its own is read from the folder its address names, so a relative link
    in its raw HTML means the same to MkDocs (relative to the address) and to Zensical
    (relative to the file).
    """
    return f"{name}/index.md"


def built_url(page: str) -> str:
    """The address MkDocs gives a page, relative to the site root: 'topics/x.md' -> 'topics/x/'."""
    stem = page.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return stem + "/" if stem else ""


def footnotes(text: str, page: Page) -> str:
    """Number the page's footnote references in order and append their notes, as HTML."""
    numbers: dict[str, int] = {}
    refs: dict[str, int] = defaultdict(int)

    def reference(match: re.Match) -> str:
        label = match.group(1)
        number = numbers.setdefault(label, len(numbers) + 1)
        refs[label] += 1
        ref_id = f"fnref:{label}" if refs[label] == 1 else f"fnref{refs[label]}:{label}"
        return f'<sup id="{ref_id}"><a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'

    text = _MARKED.sub(reference, text)
    if not numbers:
        return text
    items = []
    for label, number in numbers.items():
        back = "".join(
            f'&#160;<a class="footnote-backref" href="#fnref{"" if k == 1 else k}:{label}" '
            f'title="Jump back to footnote {number} in the text">&#8617;</a>'
            for k in range(1, refs[label] + 1)
        )
        items.append(str(page.index.note(label)).replace(BACKREFS, back))
    notes = "".join(item + "\n" for item in items)
    return (
        text
        + f'\n<!--raw-->\n<div class="footnote" data-search-exclude>\n<hr />\n<ol>\n{notes}</ol>\n</div>\n<!--/raw-->\n'
    )


def href(target: str, anchor: str | None = None) -> str:
    """A Markdown link to a page, relative to the page it is on once DOCS is filled in.

    The same text on every page until then, so a fact's view is built once however many pages
    show it; plain relative `.md` links, which any mkdocs.yml-reading engine resolves.
    """
    return DOCS + target + (f"#{anchor}" if anchor else "")


@dataclass
class Page:
    """The index as a page's views use it (fact views, pieces, addresses); `path` is kept but read nowhere:
    links are written from the root and made relative to each page afterwards (see `page_file`)."""

    path: str
    index: Index

    def href(self, target: str, anchor: str | None = None) -> str:
        return href(target, anchor)

    def fact(self, fact: Fact) -> FactView:
        return self.index.fact_view(fact)

    def piece(self, template: str, fact: FactView) -> Markup:
        """A fact laid out by `template`, rendered once for all the pages that show it."""
        return self.index.piece(template, fact.id, fact=fact)

    def refs(self, citations: tuple[Citation, ...]) -> list[Ref]:
        """Source references for citations outside a fact (a disagreement's versions)."""
        return source_refs(citations, self.index)


# --- views: what templates see ----------------------------------------------------------


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
MARKER_SEPARATOR = Markup("<sup>,</sup>")


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
    published: str | None = None  # when it first appeared in the registry's history
    revised: str | None = None  # when its statement last changed, if after that
    context: list[Ref] = field(default_factory=list)  # background (role: context), not counted


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
        disputes=[
            Link(md_text(d.subject), href(page_file("disagreements"), d.id)) for d in index.disputes.get(fact.id, [])
        ],
        entities=[entity_link(index.entities[e]) for e in fact.entities],
        search_text=_search_text(fact, index),
        claimed_by=[entity_link(index.entities[e]) for e in fact.claimed_by],
        topic=Link(md_text(index.topics[fact.topic].title), href(index.fact_page(fact))),
        note=md_text(fact.note) if fact.note else None,
        href=href(index.fact_page(fact), fact.id),
        derived=[(md_text(d.figure), md_text(d.working)) for d in fact.derived],
        outside_knowledge=md_text(fact.outside_knowledge) if fact.outside_knowledge else None,
        published=day_label(first),
        revised=day_label(last) if last != first else None,
        context=context,
    )


def day_label(iso: str | None) -> str | None:
    """A commit's day, '2026-12-02', as readers read it: '2 December 2026'."""
    date = parse_date(iso) if iso else None
    return date.label if date else None


def _search_text(fact: Fact, index: Index) -> Markup:
    aliases = [a for e in fact.entities + fact.claimed_by for a in index.entities[e].aliases]
    few = len(index.registry.facts) <= index.settings.search_quotes_limit
    quotes = [index.words(c) for c in fact.citations] if few else []
    return md_text(" · ".join(dict.fromkeys(aliases + quotes)))


def entity_link(entity: Entity) -> Link:
    return Link(md_text(entity.name), href(page_file(f"entities/{entity.id}")))


@dataclass
class Group:
    label: str
    facts: list[FactView]


@dataclass
class Listing:
    """A page's place in a listing of facts that may be split: its facts, or links to the parts."""

    part: str  # this page's part ("2025", "March 2025"), or "" on a listing's only or first page
    parts: list[dict]  # on the first page of a split listing: label, href and count of each part
    groups: list[Group]  # the facts on this page, under headings
    up: Link | None = None
    previous: Link | None = None
    next: Link | None = None


def listing(
    parts: list[Part], number: int | None, page: Page, overview: str, title: str, facts: bool = True
) -> Listing:
    """The listing view for part `number` of `parts`, or (None) for the overview of a split listing.

    With `facts` False the page lays out its facts itself (a source page shows quotes instead).
    """
    if number is None:
        links = [{"label": p.label, "href": page.href(p.path), "count": len(p.facts)} for p in parts]
        return Listing("", links, [])
    part = parts[number]
    if not facts:
        groups = []
    elif part.level == "all":
        groups = by_year(part.facts, page)
    elif part.level == "year":
        groups = [Group(label, views) for label, views in _by(part.facts, page, _month_label).items()]
    else:
        groups = [Group(part.label, [page.fact(f) for f in part.facts])]
    if len(parts) == 1:
        return Listing("", [], groups)

    def link(n: int) -> Link | None:
        return Link(md_text(parts[n].label), page.href(parts[n].path)) if 0 <= n < len(parts) else None

    return Listing(
        part.label, [], groups, Link(md_text(title), page.href(overview)), link(number - 1), link(number + 1)
    )


def _month_label(fact: Fact) -> str:
    if fact.date is None:
        return "Undated"
    return month_year(fact.date.year, fact.date.month)


def _by(facts: list[Fact], page: Page, label) -> dict[str, list[FactView]]:
    groups: dict[str, list[FactView]] = {}
    for fact in facts:
        groups.setdefault(label(fact), []).append(page.fact(fact))
    return groups


def by_year(facts: list[Fact], page: Page) -> list[Group]:
    """Facts grouped under year headings, undated ones last."""
    groups = _by(facts, page, lambda f: str(f.date.year) if f.date else "Undated")
    return [Group(label, views) for label, views in groups.items()]
