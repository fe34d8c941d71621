"""The generated pages: each kind of page (render/kinds/) makes its pages' views, laid out by its template.

`render_site` returns every page as text keyed by its path in the site source, plus the
navigation and the files that are not pages; it writes nothing. All registry text passes
through `md_text` before a template sees it, and the Jinja environment is strict (an undefined
name is an error) and autoescaping, so a value that was not prepared is still escaped rather
than interpreted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from pathlib import Path

import yaml

from briefing.check.quotes import FoundQuotes
from briefing.forked import forked
from briefing.load.history import History
from briefing.load.model import Registry
from briefing.load.registry import gc_paused
from briefing.project import DEFAULTS, Settings
from briefing.render.addresses import relative
from briefing.render.escaping import html_text
from briefing.render.facets import facets
from briefing.render.facts import day_label
from briefing.render.footnotes import footnotes
from briefing.render.index import Index
from briefing.render.kinds import kinds
from briefing.render.kinds.base import Kind, Page


def render_site(
    registry: Registry,
    templates: Path | None = None,
    settings: Settings = DEFAULTS,
    history: History | None = None,
    quotes: FoundQuotes | None = None,
    page_kinds: tuple[Kind, ...] | None = None,
    only: Collection[str] | None = None,
    kept: dict | None = None,
    later: list[Callable[[], dict[str, str]]] | None = None,
) -> dict[str, str]:
    """Every generated page keyed by its path in the site source, plus the navigation and the other files.

    `templates` is the project's own templates/ folder, whose files override the generator's;
    `quotes` what the quote check found (each quote is shown as its archive prints it);
    `page_kinds` the kinds of page to make (the generator's and the installed ones by default);
    `only` the pages to render (the live preview's, see render/dependencies.py): the others are left out;
    `kept` what the live preview kept from its last rendering (Index.keep);
    `later`: the files that are not pages (downloads, charts' data) are left out, and the function
    that makes them is appended to it (the live preview shows an edited page before them).
    """
    with gc_paused():  # rendering makes no cyclic garbage worth collecting, and a large heap to scan
        index = Index(registry, templates, settings, history, quotes, kept)
        chosen = kinds() if page_kinds is None else page_kinds
        listed = [(kind, page) for kind in chosen for page in kind.pages(index)]
        wanted = [(kind, page) for kind, page in listed if only is None or page.path in only]
        pages = _rendered(index, wanted)
        pages[".nav.yml"] = navigation([page for _, page in listed if page.menu is not None])
        if later is not None:
            later.append(lambda: _files(index, chosen))
            return pages
        return pages | _files(index, chosen)


SHARED_FROM = 200  # pages: fewer are rendered here alone (a fork of a large registry's process costs more)


def _rendered(index: Index, wanted: list[tuple[Kind, Page]]) -> dict[str, str]:
    """The pages' Markdown by path, in `wanted`'s order; from SHARED_FROM pages on, every other one is
    rendered on the second core (forked.py), while the index's caches fill here for the downloads."""

    def render(part: list[tuple[Kind, Page]]) -> dict[str, str]:
        return {
            page.path: render_page(index, page, page.template or kind.template) + facets(index, page, kind.name)
            for kind, page in part
        }

    if len(wanted) < SHARED_FROM:
        return render(wanted)
    with forked(lambda: render(wanted[1::2])) as other:
        here = render(wanted[0::2])
        both = here | other.result()
    return {page.path: both[page.path] for _, page in wanted}


def _files(index: Index, chosen: tuple[Kind, ...]) -> dict[str, str]:
    """The files of the kinds of page that are not pages, by path."""
    with gc_paused():
        return {path: text for kind in chosen for path, text in kind.files(index).items()}


def render_page(index: Index, page: Page, template: str) -> str:
    """A page's Markdown: its front matter, its template given its views and `piece`, its footnotes."""
    views = page.views() if callable(page.views) else page.views
    body = index.env.get_template(template).render(piece=index.fact_piece, **views)
    text = footnotes(body.rstrip("\n") + "\n" + last_updated(index, page), index)
    return front_matter(page.title, page.description, page.searched) + relative(text, page.path)


def last_updated(index: Index, page: Page) -> str:
    """A line saying when a fact on the page last changed, from the history; nothing without one."""
    changed = [index.history.last.get(f.id) for f in (index.registry.facts if page.facts is None else page.facts)]
    latest = day_label(max(filter(None, changed), default=None))
    if latest is None:
        return ""
    return f'\n<p class="page-updated" data-search-exclude>Last updated {latest} (the latest change to its facts)</p>\n'


def front_matter(title: str, description: str, searched: bool = True) -> str:
    """The page's title and description for the theme, HTML-escaped, written as JSON (so YAML) strings.

    Material prints `page.meta.title` and `page.meta.description` as they are (and otherwise
    `page.title | striptags`, which turns entities back into markup); escaped, they keep the
    <title>, the <meta> tags, the navigation and the header safe whatever the registry says.
    """
    title_text = json.dumps(str(html_text(title)), ensure_ascii=False)
    description_text = json.dumps(str(html_text(_clip(description))), ensure_ascii=False)
    hidden = "" if searched else "search:\n  exclude: true\n"  # the search plugins of both engines read it
    return f"---\ntitle: {title_text}\ndescription: {description_text}\n{hidden}---\n\n"


def _clip(text: str, size: int = 200) -> str:
    """A description short enough for a search result or a link preview, cut at a word."""
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rsplit(" ", 1)[0] + "…"


def navigation(pages: list[Page]) -> str:
    """The generated part of the site navigation, each page in its section; mkdocs.yml adds the hand-written pages.

    Every page is named with its title, as its front matter does: a page MkDocs did not read
    (`serve --dirty` reads only changed pages) would otherwise have no title in the menus.
    """
    nav: list = []
    sections: dict[tuple[str, ...], list] = {(): nav}
    for page in pages:
        for depth in range(1, len(page.menu) + 1):
            section = page.menu[:depth]
            if section not in sections:
                sections[section] = []
                sections[section[:-1]].append({str(html_text(section[-1])): sections[section]})
        sections[page.menu].append({str(html_text(page.title)): page.path})
    return yaml.safe_dump(nav, sort_keys=False, allow_unicode=True)
