"""The data behind each chart, beside the downloads: a CSV and a JSON file of what it draws, and the
drawing itself as an SVG file that shows the same without the site's stylesheet.

Each chart (and the table under it) links to its three files (charts.py, `data_links`); the
files are named after the chart's figure: data/funding-chart.csv, data/timeline-chart.svg.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from markupsafe import Markup

from briefing.load.model import Fact
from briefing.render.charts import funding_chart, timeline_chart
from briefing.render.csv_text import csv_lines, csv_text
from briefing.render.downloads import Table, address, downloads
from briefing.render.funding import funding_rounds
from briefing.render.index import Index

FUNDING_COLUMNS = ["fact", "date", "amount", "unit", "qualifier", "according_to", "page"]
TIMELINE_COLUMNS = ["fact", "date", "date_precision", "statement", "page"]
_PAGE = "the fact's address on the site (from the site's root unless the site's address is known)"
CHART_TABLES = (  # as the data package describes them
    Table(
        "funding-chart.csv",
        FUNDING_COLUMNS,
        {
            "fact": "the id of the funding round's fact",
            "date": "when the round was announced: YYYY, YYYY-MM or YYYY-MM-DD",
            "amount": "the amount raised, as reported or as a source converted it",
            "unit": "the amount's unit: an ISO currency code or a word",
            "qualifier": "how exact the amount is: about, more-than, up-to, ...",
            "according_to": "the id of the source that converted the amount; empty for the amount as reported",
            "page": _PAGE,
        },
    ),
    Table(
        "timeline-chart.csv",
        TIMELINE_COLUMNS,
        {
            "fact": "the id of the dated fact",
            "date": "when it happened: YYYY, YYYY-MM or YYYY-MM-DD",
            "date_precision": "year, month or day",
            "statement": "the claim, in the briefing's own words",
            "page": _PAGE,
        },
    ),
)
# The site's chart colours in its light palette, as attributes: a drawing outside the site has no
# stylesheet, and a <style> in a file the site serves is active content the build refuses.
_MARK = 'stroke="#4051b5" stroke-width="1.5" '
_TEXT = 'fill="#222" font-size="12"'
PAINT = {
    "chart-bar chart-unit-0": 'fill="#4051b5"',
    "chart-bar chart-unit-1": 'fill="#526cfe"',
    "chart-axis": 'stroke="#757575" stroke-width="1"',
    "chart-value": _TEXT,
    "chart-date": _TEXT,
    "chart-legend": _TEXT,
    "chart-count": _TEXT + ' font-weight="700"',
    "chart-heading": 'fill="#222" font-size="13" font-weight="700"',
    "chart-mark day": _MARK + 'fill="#4051b5"',
    "chart-mark month": _MARK + 'fill="#fff"',
    "chart-mark year": _MARK + 'fill="#fff" stroke-dasharray="2 1"',
}
FONT = "Roboto, Helvetica Neue, Arial, sans-serif"


def data_files(index: Index) -> dict[str, str]:
    """The downloads and the charts' files, the data package describing every CSV file among them."""
    charts = chart_files(index)
    return downloads(index, tuple(t for t in CHART_TABLES if f"data/{t.name}" in charts)) | charts


def chart_files(index: Index) -> dict[str, str]:
    """Each chart's CSV, JSON and SVG files keyed by their path in the site source's docs/."""
    files = dict(index.keep("", "funding-chart", lambda: _funding_files(index)))  # it shows no fact's words
    dated = [f for part in index.timeline_parts for f in part.facts]
    chart = timeline_chart(dated)
    if chart:
        files.update(_files("timeline-chart", chart, TIMELINE_COLUMNS, dated, index, _timeline_rows))
    return files


def _funding_files(index: Index) -> dict[str, str]:
    rounds = [f for f in funding_rounds(index) if f.value is not None and f.date is not None]
    chart = funding_chart(rounds, index.sources)
    return _files("funding-chart", chart, FUNDING_COLUMNS, rounds, index, _funding_rows) if chart else {}


def _funding_rows(fact: Fact, index: Index) -> list[list]:
    """A round's amount as reported (according_to empty), then each source's conversion."""
    page = address(index, index.fact_address(fact))
    figures = [(fact.value.amount, fact.value.unit, fact.value.qualifier, "")]
    figures += [(c.amount, c.unit, c.qualifier, c.source) for c in fact.converted]
    return [
        [fact.id, fact.date.iso, amount, unit, qualifier or "", by, page] for amount, unit, qualifier, by in figures
    ]


def _timeline_rows(fact: Fact, index: Index) -> list[list]:
    return [[fact.id, fact.date.iso, fact.date.precision, fact.statement, address(index, index.fact_address(fact))]]


def _files(
    name: str, figure: Markup, columns: list[str], facts: list[Fact], index: Index, rows: Callable
) -> dict[str, str]:
    """A chart's three files; each fact's lines in the CSV and the JSON are made once (Index.keep)."""

    def pieces(fact: Fact) -> tuple[str, str]:
        made = rows(fact, index)
        records = [dict(zip(columns, row, strict=True)) for row in made]
        # Each record as json.dumps(records, indent=1) writes it inside the list: one level deeper.
        return csv_lines(made), ",\n ".join(_indented(r).replace("\n", "\n ") for r in records)

    made = [index.keep(fact.id, name, lambda fact=fact: pieces(fact)) for fact in facts]
    records = [json_text for _, json_text in made if json_text]
    return {
        f"data/{name}.csv": csv_text(columns, lines=[line for line, _ in made]),
        f"data/{name}.json": ("[\n " + ",\n ".join(records) + "\n]" if records else "[]") + "\n",
        f"data/{name}.svg": standalone_svg(figure),
    }


def _indented(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, indent=1)


def standalone_svg(figure: Markup) -> str:
    """The figure's wide drawing as an SVG file, painted as the site's stylesheet paints it."""
    text = str(figure)
    start = text.index("<svg ")
    end = text.index("</svg>", start) + len("</svg>")
    svg = re.sub(
        r'class="([^"]*)"', lambda m: f'class="{m[1]}" {PAINT[m[1]]}' if m[1] in PAINT else m[0], text[start:end]
    )
    svg = svg.replace("<svg ", f'<svg font-family="{FONT}" ', 1)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"
