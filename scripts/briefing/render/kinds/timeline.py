"""The timeline: every dated fact in order, as a table (split by year or month when long), with a chart."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.render.charts import timeline_chart
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page, listed
from briefing.render.listings import first_page


@dataclass
class Timeline:
    chart: Markup | None  # on the first page only


def pages(index: Index) -> Iterator[Page]:
    parts = index.timeline_parts

    def views(number: int | None) -> dict[str, object]:
        dated = [f for part in parts for f in part.facts]
        return {"timeline": Timeline(timeline_chart(dated) if first_page(number, parts) else None)}

    yield from listed(
        index,
        "timeline",
        parts,
        "Timeline",
        "Every dated fact of this briefing, in order, each with the sources that give it.",
        views,
        menu=(),
        search_parts=False,  # its facts are found on their topic's page
    )


KIND = Kind("timeline", "timeline.md.j2", pages)
