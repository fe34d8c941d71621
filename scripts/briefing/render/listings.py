"""Listings of facts: the order of facts, a long listing split over pages, and a page's part of it.

A listing longer than the limit gets a page per year, and a crowded year a page per month;
page addresses follow the facts' dates, so a fact stays on its page as others are added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from briefing.load.model import Fact
from briefing.project import Settings
from briefing.render.addresses import href, page_file
from briefing.render.escaping import md_text
from briefing.render.facts import FactView, Link
from briefing.vocabulary import MONTHS, month_year

if TYPE_CHECKING:
    from briefing.render.index import Index

# Facts on one page (a longer listing is split by year, and a crowded year by month):
# briefing.toml sets it (briefing.project.Settings has the default and what it is for).
LISTING_LIMIT = Settings.listing_limit


def fact_order(fact: Fact) -> tuple:
    """Dated facts in date order (a month before its days), undated last; ties keep file order."""
    return (fact.date is None, fact.date.sort_key if fact.date else (0, 0, 0))


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


def first_page(number: int | None, parts: list[Part]) -> bool:
    """True for a listing's only page, or the first page of a split one (which links to the parts)."""
    return number is None or len(parts) == 1


def listing_pages(base: str, parts: list[Part]) -> list[tuple[str, int | None]]:
    """The pages of a listing, each with its part's number: its one page, or an overview (None) and the parts."""
    if len(parts) == 1:
        return [(parts[0].path, 0)]
    return [(page_file(base), None)] + [(p.path, n) for n, p in enumerate(parts)]


# --- a page's part of a listing: what templates see ----------------------------------------


@dataclass
class Group:
    label: str
    facts: list[FactView]


@dataclass
class PartLink:
    """A part of a split listing, as its overview lists it."""

    label: str
    href: str
    count: int


@dataclass
class Listing:
    """A page's place in a listing of facts that may be split: its facts, or links to the parts."""

    part: str  # this page's part ("2025", "March 2025"), or "" on a listing's only or first page
    parts: list[PartLink]  # on the first page of a split listing, each part
    groups: list[Group]  # the facts on this page, under headings
    up: Link | None = None
    previous: Link | None = None
    next: Link | None = None
    years: list[tuple[str, list[PartLink]]] = field(default_factory=list)  # `parts` by year, when they are many


# An overview listing more parts than this lists them under a heading per year: one section of
# hundreds of links is long to scan, and more than Zensical's search takes in one section.
PARTS_UNDER_YEARS = 24


def listing(
    index: Index, parts: list[Part], number: int | None, overview: str, title: str, facts: bool = True
) -> Listing:
    """The listing view for part `number` of `parts`, or (None) for the overview of a split listing.

    With `facts` False the page lays out its facts itself (a source page shows quotes instead).
    """
    if number is None:
        links = [PartLink(p.label, href(p.path), len(p.facts)) for p in parts]
        years: dict[str, list[PartLink]] = {}
        if len(parts) > PARTS_UNDER_YEARS:
            for p, part_link in zip(parts, links, strict=True):
                years.setdefault(str(p.facts[0].date.year) if p.facts[0].date else "Undated", []).append(part_link)
        return Listing("", links, [], years=list(years.items()))
    part = parts[number]
    if not facts:
        groups = []
    elif part.level == "all":
        groups = by_year(index, part.facts)
    elif part.level == "year":
        groups = _groups(index, part.facts, _month_label)
    else:
        groups = [Group(part.label, [index.fact_view(f) for f in part.facts])]
    if len(parts) == 1:
        return Listing("", [], groups)

    def link(n: int) -> Link | None:
        return Link(md_text(parts[n].label), href(parts[n].path)) if 0 <= n < len(parts) else None

    return Listing(part.label, [], groups, Link(md_text(title), href(overview)), link(number - 1), link(number + 1))


def _month_label(fact: Fact) -> str:
    if fact.date is None:
        return "Undated"
    return month_year(fact.date.year, fact.date.month)


def _groups(index: Index, facts: list[Fact], label) -> list[Group]:
    groups: dict[str, list[FactView]] = {}
    for fact in facts:
        groups.setdefault(label(fact), []).append(index.fact_view(fact))
    return [Group(name, views) for name, views in groups.items()]


def by_year(index: Index, facts: list[Fact]) -> list[Group]:
    """Facts grouped under year headings, undated ones last."""
    return _groups(index, facts, lambda f: str(f.date.year) if f.date else "Undated")
