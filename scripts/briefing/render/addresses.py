"""Where every generated page is, and links between pages: the one maker of page addresses.

Links are written from the site root with a placeholder (`DOCS`) for the way from a page to
the root, filled in per page once it is rendered. Every generated page is a folder's index.md,
so the same link serves Markdown (to a file) and raw HTML (to an address). Templates get every
link from their views, made here; none is written in a template.
"""

from __future__ import annotations

from typing import Protocol

# The way from a page to the root, filled in per page. Every generated page is a folder's
# index.md (see page_file), so it is the same for the page's file and for its address: one
# placeholder serves Markdown links (to files) and raw HTML (to addresses).
DOCS = "\x1c"


def page_file(name: str) -> str:
    """Where a generated page's Markdown goes: 'topics/funding' -> 'topics/funding/index.md'.

    A page in a folder of its own is read from the folder its address names, so a relative link
    in its raw HTML means the same to MkDocs (relative to the address) and to Zensical
    (relative to the file).
    """
    return f"{name}/index.md"


HOME = "index.md"
TOPICS = page_file("topics")
TIMELINE = page_file("timeline")
DISAGREEMENTS = page_file("disagreements")
CHANGES = page_file("changes")
ENTITIES = page_file("entities")
SOURCES = page_file("sources")
METHODOLOGY = "methodology.md"  # hand-written, in docs/


def topic_page(topic_id: str) -> str:
    return page_file(f"topics/{topic_id}")


def entity_page(entity_id: str) -> str:
    return page_file(f"entities/{entity_id}")


def source_page(source_id: str) -> str:
    return page_file(f"sources/{source_id}")


def built_url(page: str) -> str:
    """The address MkDocs gives a page, relative to the site root: 'topics/x.md' -> 'topics/x/'."""
    stem = page.removesuffix(".md")
    stem = "" if stem == "index" else stem.removesuffix("/index")
    return stem + "/" if stem else ""


def href(target: str, anchor: str | None = None) -> str:
    """A Markdown link to a page, relative to the page it is on once DOCS is filled in.

    The same text on every page until then, so a fact's view is built once however many pages
    show it; plain relative `.md` links, which any mkdocs.yml-reading engine resolves.
    """
    return DOCS + target + (f"#{anchor}" if anchor else "")


def raw_url(link: str) -> str:
    """'DOCS topics/x/index.md#a' (a Markdown link) as 'DOCS topics/x/#a' (raw HTML)."""
    target, _, anchor = link.removeprefix(DOCS).partition("#")
    return DOCS + built_url(target) + (f"#{anchor}" if anchor else "")


def relative(text: str, path: str) -> str:
    """A rendered page's links made relative to the page at `path`."""
    return text.replace(DOCS, "../" * path.count("/"))


class Addresses(Protocol):
    """What a view given a `page` reads of it: links (this module is one; see render/kinds/changes.py)."""

    def href(self, target: str, anchor: str | None = None) -> str: ...
