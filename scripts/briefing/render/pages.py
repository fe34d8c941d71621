"""The generated pages: data prepared in Python, laid out by Jinja templates in templates/.

`render_site` returns every page as text keyed by its path in the site source; it writes
nothing. All registry text passes through `md_text` before a template sees it, and the
Jinja environment is strict (an undefined name is an error) and autoescaping, so a value
that was not prepared is still escaped rather than interpreted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import yaml

from briefing.check.quotes import FoundQuotes
from briefing.load.history import History
from briefing.load.model import Registry
from briefing.load.registry import gc_paused
from briefing.project import DEFAULTS, Settings
from briefing.render.changes import FEED, changes_view, feed, retractions
from briefing.render.downloads import downloads
from briefing.render.escaping import html_text, md_text
from briefing.render.index import (
    DOCS,
    KIND_TITLES,
    Index,
    Page,
    Part,
    footnotes,
    listing,
    page_file,
)
from briefing.render.structured import claim_reviews
from briefing.render.views import (
    disagreement_views,
    entity_groups,
    entity_view,
    first_page,
    funding_topic,
    funding_view,
    home_view,
    source_rows,
    source_view,
    timeline_view,
    topic_summaries,
)

# --- the pages --------------------------------------------------------------------------


def render_site(
    registry: Registry,
    templates: Path | None = None,
    settings: Settings = DEFAULTS,
    history: History | None = None,
    quotes: FoundQuotes | None = None,
) -> dict[str, str]:
    """Every generated page keyed by its path in the site source, plus the navigation.

    `templates` is the project's own templates/ folder, whose files override the generator's;
    `quotes` what the quote check found (each quote is shown as its archive prints it).
    """
    with gc_paused():  # rendering makes no cyclic garbage worth collecting, and a large heap to scan
        return _render_site(Index(registry, templates, settings, history, quotes))


def _render_site(index: Index) -> dict[str, str]:
    registry = index.registry
    env = index.env
    pages: dict[str, str] = {}
    titles: dict[str, str] = {}

    def render(path: str, template: str, title: str, description: str, **context) -> None:
        page = Page(path, index)
        titles[path] = title
        body = env.get_template(template).render(page=page, **{k: v(page) for k, v in context.items()})
        text = footnotes(body.rstrip("\n") + "\n", page)
        pages[path] = front_matter(title, description) + text.replace(DOCS, "../" * path.count("/"))

    def render_listing(
        base: str, parts: list[Part], template: str, title: str, description: str, facts: bool = True, **context
    ) -> None:
        """A listing on one page, or a first page linking to one page per part."""
        pages_ = (
            [(parts[0].path, 0)]
            if len(parts) == 1
            else [(page_file(base), None)] + [(p.path, n) for n, p in enumerate(parts)]
        )
        for path, number in pages_:
            label = f"{title}: {parts[number].label}" if number is not None and len(parts) > 1 else title
            render(
                path,
                template,
                label,
                description,
                listing=lambda p, n=number: listing(parts, n, p, page_file(base), title, facts),
                **{k: (lambda p, v=v, n=number: v(p, n)) for k, v in context.items()},
            )

    render("index.md", "home.md.j2", index.briefing.title, index.briefing.summary, home=lambda p: home_view(index, p))
    render(
        "topics/index.md",
        "topics.md.j2",
        "Topics",
        "Every topic of this briefing, with what it covers and how many facts it has.",
        topics=lambda p: topic_summaries(index, p),
    )
    funding_id = funding_topic(index)
    for topic in registry.topics:
        render_listing(
            f"topics/{topic.id}",
            index.topic_parts[topic.id],
            "topic.md.j2",
            topic.title,
            topic.description,
            topic=lambda p, n, t=topic: {
                "title": md_text(t.title),
                "description": md_text(t.description),
                "funding": funding_view(index, p)
                if t.id == funding_id and first_page(n, index.topic_parts[t.id])
                else None,
                "retracted": retractions(index, t.id, p) if first_page(n, index.topic_parts[t.id]) else [],
            },
        )
    render_listing(
        "timeline",
        index.timeline_parts,
        "timeline.md.j2",
        "Timeline",
        "Every dated fact of this briefing, in order, each with the sources that give it.",
        timeline=lambda p, n: timeline_view(index, p, n),
    )
    render(
        page_file("disagreements"),
        "disagreements.md.j2",
        "Where sources disagree",
        "Where the sources give different values, dates, names or attributions, every version with its sources.",
        disagreements=lambda p: disagreement_views(index, p),
        reviews=lambda p: claim_reviews(index),
    )
    render(
        page_file("changes"),
        "changes.md.j2",
        "What changed",
        "Every change to the briefing's facts and disagreements, newest first, with an Atom feed.",
        changes=lambda p: changes_view(index, p),
    )
    pages[FEED] = feed(index, index.settings.site_url)
    render(
        "entities/index.md",
        "entities.md.j2",
        "Entities",
        "The organisations, people, places, models, products, programmes and policies the facts are about.",
        groups=lambda p: entity_groups(index, p),
    )
    for entity in registry.entities:
        render_listing(
            f"entities/{entity.id}",
            index.entity_parts[entity.id],
            "entity.md.j2",
            entity.name,
            entity.description,
            entity=lambda p, n, e=entity: entity_view(index, e, p),
        )
    render(
        "sources/index.md",
        "sources.md.j2",
        "Sources",
        "The documents this briefing is built from; every quote is checked against an archived copy.",
        sources=lambda p: source_rows(index, p),
    )
    for source in registry.sources:
        render_listing(
            f"sources/{source.id}",
            index.source_parts[source.id],
            "source.md.j2",
            source.title,
            source.summary,
            facts=False,
            source=lambda p, n, s=source: source_view(index, s, p, n),
        )
    pages[".nav.yml"] = navigation(index, titles)
    pages.update(downloads(index))
    return pages


def front_matter(title: str, description: str) -> str:
    """The page's title and description for the theme, HTML-escaped, written as JSON (so YAML) strings.

    Material prints `page.meta.title` and `page.meta.description` as they are (and otherwise
    `page.title | striptags`, which turns entities back into markup); escaped, they keep the
    <title>, the <meta> tags, the navigation and the header safe whatever the registry says.
    """
    title_text = json.dumps(str(html_text(title)), ensure_ascii=False)
    description_text = json.dumps(str(html_text(_clip(description))), ensure_ascii=False)
    return f"---\ntitle: {title_text}\ndescription: {description_text}\n---\n\n"


def _clip(text: str, size: int = 200) -> str:
    """A description short enough for a search result or a link preview, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


def navigation(index: Index, titles: dict[str, str]) -> str:
    """The generated part of the site navigation; mkdocs.yml adds the hand-written pages.

    Every page is named with its title, as its front matter does: a page MkDocs did not read
    (`serve --dirty` reads only changed pages) would otherwise have no title in the menus.
    """

    def entry(path: str) -> dict[str, str]:
        return {str(html_text(titles[path])): path}

    entities_by_kind = defaultdict(list)
    for entity in sorted(index.registry.entities, key=lambda e: e.name.casefold()):
        entities_by_kind[entity.kind].append(entry(page_file(f"entities/{entity.id}")))
    # Every page carries the navigation, so it names single entities and sources only while there
    # are few: a build then costs the same per page at any size. The index pages list them all.
    few_entities = len(index.registry.entities) <= index.settings.nav_limit
    few_sources = len(index.registry.sources) <= index.settings.nav_limit
    nav = [
        entry("index.md"),
        {"Topics": [entry("topics/index.md")] + [entry(page_file(f"topics/{t.id}")) for t in index.registry.topics]},
        entry(page_file("timeline")),
        entry(page_file("disagreements")),
        entry(page_file("changes")),
        {
            "Entities": [entry("entities/index.md")]
            + (
                [{KIND_TITLES[k]: entities_by_kind[k]} for k in KIND_TITLES if k in entities_by_kind]
                if few_entities
                else []
            )
        },
        {
            "Sources": [entry("sources/index.md")]
            + ([entry(page_file(f"sources/{s.id}")) for s in index.registry.sources] if few_sources else [])
        },
    ]
    return yaml.safe_dump(nav, sort_keys=False, allow_unicode=True)
