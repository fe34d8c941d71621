"""What a kind of page is: the pages it makes from the index, each with its template, title and views.

A kind is one module of render/kinds/ (or of an installed package, see kinds/__init__.py) with a
`KIND`: its name, its template and a `pages(index)` generator. Each page it yields says where
it goes, what the template sees (views: dataclasses, all registry text escaped) and where the
menu lists it. Files that are not pages (the feed, the downloads) come from `files(index)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.render.addresses import page_file
from briefing.render.listings import Part, listing, listing_pages

if TYPE_CHECKING:
    from briefing.load.model import Fact
    from briefing.render.index import Index


@dataclass
class Page:
    """One page to render: where it goes, its title and description, and the views its template sees."""

    path: str  # in the site source: 'topics/funding/index.md'
    title: str  # plain text; escaped where it is written
    description: str
    views: dict[str, object] | Callable[[], dict[str, object]]  # the template's variables (or how to make them)
    menu: tuple[str, ...] | None = None  # its section in the menu (() at the top); None: not in the menu
    template: str | None = None  # the kind's, unless this page has its own
    searched: bool = True  # False: kept out of the site's search
    facts: list[Fact] | None = None  # the facts it shows, whose latest change dates it; None: every fact


@dataclass(frozen=True)
class Kind:
    """A kind of page: its template and the pages it makes; `files` adds files that are not pages."""

    name: str
    template: str = ""
    pages: Callable[[Index], Iterable[Page]] = lambda index: ()
    files: Callable[[Index], dict[str, str]] = lambda index: {}


def single_page(
    path: str, title: str, description: str, views: Callable[[Index], dict[str, object]], menu: tuple[str, ...]
) -> Callable[[Index], Iterator[Page]]:
    """The `pages` of a kind that makes one page, so each one-page kind says only what differs."""

    def pages(index: Index) -> Iterator[Page]:
        yield Page(path, title, description, views(index), menu=menu)

    return pages


def listed(
    index: Index,
    base: str,
    parts: list[Part],
    title: str,
    description: str,
    views: Callable[[int | None], dict[str, object]],
    menu: tuple[str, ...] | None = None,
    facts: bool = True,
    search_parts: bool = True,
) -> Iterator[Page]:
    """A listing of facts on one page, or a first page linking to a page per part (see listings.py).

    `views(number)` gives the page's own views for part `number` (None: the first page of a
    split listing); the menu names only the first page. Without `search_parts`, the parts of a
    split listing stay out of search: for a listing that repeats facts shown in full elsewhere
    (its list is kept out of search already), all search would find of them is their titles.
    """
    for path, number in listing_pages(base, parts):
        split = number is not None and len(parts) > 1
        label = f"{title}: {parts[number].label}" if split else title
        on_page = [f for part in parts for f in part.facts] if number is None else parts[number].facts

        def page_views(number: int | None = number) -> dict[str, object]:
            """Made only if the page is rendered: the live preview renders only the pages an edit reaches."""
            return {"listing": listing(index, parts, number, page_file(base), title, facts), **views(number)}

        menu_place = None if split else menu
        yield Page(path, label, description, page_views, menu_place, searched=search_parts or not split, facts=on_page)
