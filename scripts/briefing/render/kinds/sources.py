"""The Sources page: every source with its publisher, date, kind and how many facts and claims cite it."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.render.addresses import SOURCES, href, source_page
from briefing.render.escaping import md_text
from briefing.render.facts import Link
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, single_page
from briefing.vocabulary import SOURCE_KINDS


@dataclass
class SourceRow:
    link: Link  # named by its publisher and date
    headline: Markup
    kind: str
    count: int  # facts and disputed claims citing it


def source_rows(index: Index) -> list[SourceRow]:
    return [
        SourceRow(
            Link(md_text(index.source_names[s.id]), href(source_page(s.id))),
            md_text(s.title),
            SOURCE_KINDS[s.kind],
            len({id(owner) for _, _, owner in index.citing.get(s.id, [])}),
        )
        for s in index.registry.sources
    ]


DESCRIPTION = "The documents this briefing is built from; every quote is checked against an archived copy."
PAGES = single_page(SOURCES, "Sources", DESCRIPTION, lambda index: {"sources": source_rows(index)}, menu=("Sources",))
KIND = Kind("sources", "sources.md.j2", PAGES)
