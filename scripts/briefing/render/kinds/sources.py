"""The Sources page: every source with its publisher, date, kind and how many facts and claims cite it.

More sources than a listing holds (`listing_limit`) are tabled on a page per year of publication
(`sources/published--2024/`), and a crowded year on a page per month (`sources/published--2024-03/`):
addresses no source's id can take (ids have single hyphens). The Sources page links to them with
how many each holds.
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
from briefing.vocabulary import SOURCE_KINDS, month_year


@dataclass
class SourceRow:
    link: Link  # named by its publisher and date
    headline: Markup
    kind: str
    count: int  # facts and disputed claims citing it


@dataclass
class Period:
    """A year's (or month's) page of sources, linked from the Sources page when they are too many for one table."""

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


def periods(sources: list[Source], limit: int) -> list[tuple[str, str, list[Source]]]:
    """The sources by year of publication, and a crowded year's by month (a source dated to its
    year only on a page of that year's own): each period's key, label and sources, in date order."""
    by_year: dict[int, list[Source]] = {}
    for source in sorted(sources, key=lambda s: s.published.sort_key):  # stable: the file's order within a day
        by_year.setdefault(source.published.year, []).append(source)
    out = []
    for year, dated in sorted(by_year.items()):
        if len(dated) <= limit:
            out.append((str(year), str(year), dated))
            continue
        by_month: dict[int, list[Source]] = {}
        for source in dated:
            by_month.setdefault(source.published.month or 0, []).append(source)
        for month, group in sorted(by_month.items()):
            key = f"{year}-{month:02d}" if month else f"{year}-no-month"
            out.append((key, month_year(year, month or None), group))
    return out


def _period_page(key: str) -> str:
    return page_file(f"sources/published--{key}")


def pages(index: Index) -> Iterator[Page]:
    """The Sources page, and a page per year (or month) of publication when there are more sources than a listing holds."""
    everyone = index.registry.sources
    if len(everyone) <= index.settings.listing_limit:
        views = {"sources": source_rows(index), "periods": [], "period": None, "back": None}
        yield Page(SOURCES, "Sources", DESCRIPTION, views, menu=("Sources",))
        return
    found = periods(everyone, index.settings.listing_limit)
    links = [Period(label, Link(Markup(label), href(_period_page(key))), len(group)) for key, label, group in found]
    views = {"sources": [], "periods": links, "period": None, "back": None, "total": len(everyone)}
    yield Page(SOURCES, "Sources", DESCRIPTION, views, menu=("Sources",))
    for key, label, group in found:
        title = f"Sources published in {label}"
        description = f"The {len(group)} of this briefing's {len(everyone)} sources published in {label}."
        views = {"sources": source_rows(index, group), "periods": [], "period": label, "back": href(SOURCES)}
        yield Page(_period_page(key), title, description, views)


DESCRIPTION = "The documents this briefing is built from; every quote is checked against an archived copy."
KIND = Kind("sources", "sources.md.j2", pages)
