"""The Sources page: every source with its publisher, date, kind and how many facts and claims cite it.

More sources than a listing holds (`listing_limit`) are tabled on a page per year of publication
(`sources/published--2024/`, an address no source's id can take: ids have single hyphens), and
the Sources page links to them with how many each holds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import Source
from briefing.render.addresses import SOURCES, href, page_file, source_page
from briefing.render.escaping import md_text
from briefing.render.facts import Link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page
from briefing.vocabulary import SOURCE_KINDS


@dataclass
class SourceRow:
    link: Link  # named by its publisher and date
    headline: Markup
    kind: str
    count: int  # facts and disputed claims citing it


@dataclass
class Year:
    """A year's page of sources, linked from the Sources page when they are too many for one table."""

    label: str
    link: Link
    count: int


def source_rows(index: Index, sources: list[Source] | None = None) -> list[SourceRow]:
    return [
        SourceRow(
            Link(md_text(index.source_names[s.id]), href(source_page(s.id))),
            md_text(s.title),
            SOURCE_KINDS[s.kind],
            len({id(owner) for _, _, owner in index.citing.get(s.id, [])}),
        )
        for s in (index.registry.sources if sources is None else sources)
    ]


def _year_page(year: int) -> str:
    return page_file(f"sources/published--{year}")


def pages(index: Index) -> Iterator[Page]:
    """The Sources page, and a page per year of publication when there are more sources than a listing holds."""
    everyone = index.registry.sources
    if len(everyone) <= index.settings.listing_limit:
        views = {"sources": source_rows(index), "years": [], "year": None, "back": None}
        yield Page(SOURCES, "Sources", DESCRIPTION, views, menu=("Sources",))
        return
    by_year: dict[int, list[Source]] = {}
    for source in everyone:
        by_year.setdefault(source.published.year, []).append(source)
    years = [Year(str(y), Link(Markup(str(y)), href(_year_page(y))), len(by_year[y])) for y in sorted(by_year)]
    views = {"sources": [], "years": years, "year": None, "back": None, "total": len(everyone)}
    yield Page(SOURCES, "Sources", DESCRIPTION, views, menu=("Sources",))
    for year in sorted(by_year):
        title = f"Sources published in {year}"
        description = f"The {len(by_year[year])} of this briefing's {len(everyone)} sources published in {year}."
        in_order = sorted(by_year[year], key=lambda s: s.published.sort_key)  # a year's page reads by date
        views = {"sources": source_rows(index, in_order), "years": [], "year": str(year), "back": href(SOURCES)}
        yield Page(_year_page(year), title, description, views)


DESCRIPTION = "The documents this briefing is built from; every quote is checked against an archived copy."
KIND = Kind("sources", "sources.md.j2", pages)
