"""Charts drawn at build time as accessible inline SVG: no script, no external service.

Each chart is an image to assistive technology (role="img" with a <title> and a <desc> that
says what it shows), and the page gives the same data as a table next to it: the text
fallback, and the way to reach each fact by keyboard. Colours come from the site's CSS, so
both palettes work.

Each chart is drawn twice, and the stylesheet shows one: a wide drawing beside the text, and a
phone's drawing (NARROW units wide, a row per period or per amount) in which every label can be
read and nothing is out of sight on a 375 px screen, without scrolling or hovering.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import Fact, Source
from briefing.render.addresses import DOCS
from briefing.render.escaping import html_text
from briefing.render.formatting import format_amount, format_value
from briefing.vocabulary import MONTHS, QUALIFIER_SIGNS, month_year

WIDTH = 640
NARROW = 320  # on a 375 px phone its 12-unit labels read at about 13 px
LEFT, RIGHT = 16, 16
EDGE = 4  # the phone's drawing's side margins: its labels line up with the text
CHAR = 7.2  # the width of a 12-unit character, generously (DejaVu Sans, a wide fallback font)
CURRENCY_TITLES = {"CNY": "In yuan, as reported", "USD": "In US dollars, as each source gives or converts it"}


@dataclass
class _Bar:
    column: int  # month index from the first charted month
    amount: float
    label: str  # shown above the bar
    title: str  # shown on hover
    name: str  # its row's label in the phone's drawing: when, and whose figure


def _month(fact: Fact) -> int:
    return fact.date.year * 12 + (fact.date.month or 1) - 1


MAX_ROUNDS = 24  # beyond this many rounds, one bar per year and currency instead of one per round


def funding_chart(rounds: list[Fact], sources: dict[str, Source]) -> Markup | None:
    """One panel per currency: each round's amount as reported, and each source's conversion.

    With more than MAX_ROUNDS rounds, each bar is a year's total per currency, as reported.
    """
    if not rounds:
        return None
    panels: dict[str, list[_Bar]] = {}
    ticks: dict[int, str] = {}
    if len(rounds) <= MAX_ROUNDS:
        first = min(_month(f) for f in rounds) - 1
        span = max(_month(f) for f in rounds) + 1 - first
        for fact in rounds:
            column, when, value = _month(fact) - first, fact.date.label, fact.value
            ticks[column] = when
            label = _compact(value.amount, value.unit, value.qualifier)
            panels.setdefault(value.unit, []).append(
                _Bar(
                    column, value.amount, label, f"{when}: {format_value(value)} (as reported)", f"{when}, as reported"
                )
            )
            for c in fact.converted:
                amount, publisher = format_amount(c.amount, c.unit, c.qualifier), sources[c.source].publisher
                label = _compact(c.amount, c.unit, c.qualifier)
                panels.setdefault(c.unit, []).append(
                    _Bar(column, c.amount, label, f"{when}: {amount} according to {publisher}", f"{when}, {publisher}")
                )
        width = 44
    else:
        first = min(f.date.year for f in rounds) - 1
        span = max(f.date.year for f in rounds) + 1 - first
        totals: dict[tuple[str, int], list[float]] = {}
        for fact in rounds:
            totals.setdefault((fact.value.unit, fact.date.year), []).append(fact.value.amount)
        for (unit, year), amounts in sorted(totals.items()):
            column, total = year - first, sum(amounts)
            ticks[column] = str(year)
            title = f"{year}: {len(amounts)} rounds, {format_amount(total, unit)} in all (as reported)"
            name = f"{year}: {len(amounts)} rounds"
            panels.setdefault(unit, []).append(_Bar(column, total, _compact(total, unit, None), title, name))
        width = max(6, min(44, int((WIDTH - LEFT - RIGHT) / span * 0.6)))
    order = sorted(panels, key=lambda unit: (unit != rounds[0].value.unit, unit))
    desc = "; ".join(bar.title for unit in order for bar in panels[unit])
    return _figure(
        "funding-chart",
        f"Funding rounds over time, in each currency as reported ({len(rounds)} {'round' if len(rounds) == 1 else 'rounds'})",
        desc,
        _funding_wide(panels, order, ticks, span, width),
        _funding_narrow(panels, order),
        "Each round's amount in the currency the sources report it in, with each source's dollar figure in its own "
        "panel (the panels have their own scales). The table below gives the same figures."
        if len(rounds) <= MAX_ROUNDS
        else "Each year's total per currency, as the sources report the rounds (the panels have their own scales). "
        "The table below gives every round.",
    )


def _funding_wide(
    panels: dict[str, list[_Bar]], order: list[str], ticks: dict[int, str], span: int, width: int
) -> tuple[int, list[str]]:
    """A column per month (or year), a panel per currency, one under the other."""
    panel_height, top = 150, 28
    height = len(order) * (panel_height + top) + 40
    plot_w = WIDTH - LEFT - RIGHT
    parts = []
    for p, unit in enumerate(order):
        y0 = p * (panel_height + top) + top
        bars = panels[unit]
        biggest = max(b.amount for b in bars) or 1
        parts.append(
            f'<text class="chart-heading" x="{LEFT}" y="{y0 - 10}">{html_text(CURRENCY_TITLES.get(unit, unit))}</text>'
        )
        parts.append(
            f'<line class="chart-axis" x1="{LEFT}" y1="{y0 + panel_height}" x2="{WIDTH - RIGHT}" y2="{y0 + panel_height}"/>'
        )
        by_column: dict[int, list[_Bar]] = {}
        for bar in bars:
            by_column.setdefault(bar.column, []).append(bar)
        for column, group in sorted(by_column.items()):
            gap = 10
            centre = LEFT + plot_w * column / span
            for i, bar in enumerate(group):
                x = centre - (width * len(group) + gap * (len(group) - 1)) / 2 + i * (width + gap)
                h = (panel_height - 24) * bar.amount / biggest
                y = y0 + panel_height - h
                parts.append(
                    f"<g><title>{html_text(bar.title)}</title>"
                    f'<rect class="chart-bar chart-unit-{p % 2}" x="{x:.1f}" y="{y:.1f}" width="{width}" height="{h:.1f}" rx="3"/>'
                    f'<text class="chart-value" x="{x + width / 2:.1f}" y="{y - 5:.1f}" text-anchor="middle">'
                    f"{html_text(bar.label)}</text></g>"
                )
    for column, label in sorted(ticks.items()):
        x = LEFT + plot_w * column / span
        parts.append(
            f'<text class="chart-date" x="{x:.1f}" y="{height - 12}" text-anchor="middle">{html_text(label)}</text>'
        )
    return height, parts


def _funding_narrow(panels: dict[str, list[_Bar]], order: list[str]) -> tuple[int, list[str]]:
    """The phone's drawing: a row per amount, its bar drawn across, its date and whose figure above it."""
    plot_w = NARROW - 2 * EDGE
    room = plot_w - 11 * CHAR  # the longest bar leaves room for its label ('>1.5bn yuan')
    parts, y = [], 0.0
    for p, unit in enumerate(order):
        y += 6
        for line in _wrap(CURRENCY_TITLES.get(unit, unit), plot_w, 8.0):
            y += 16
            parts.append(f'<text class="chart-heading" x="{EDGE}" y="{y:.0f}">{html_text(line)}</text>')
        biggest = max(b.amount for b in panels[unit]) or 1
        for bar in sorted(panels[unit], key=lambda b: b.column):
            y += 6
            for line in _wrap(bar.name, plot_w):
                y += 15
                parts.append(f'<text class="chart-date" x="{EDGE}" y="{y:.0f}">{html_text(line)}</text>')
            w = max(2.0, room * bar.amount / biggest)
            parts.append(
                f"<g><title>{html_text(bar.title)}</title>"
                f'<rect class="chart-bar chart-unit-{p % 2}" x="{EDGE}" y="{y + 5:.0f}" width="{w:.1f}" height="16" rx="3"/>'
                f'<text class="chart-value" x="{EDGE + w + 5:.1f}" y="{y + 17:.0f}">{html_text(bar.label)}</text></g>'
            )
            y += 22
        y += 10
    return int(y + 4), parts


def _wrap(text: str, room: float, char: float = CHAR) -> list[str]:
    """Lines of whole words that fit `room` units: SVG text does not wrap by itself."""
    lines: list[str] = []
    for word in text.split():
        if lines and (len(lines[-1]) + 1 + len(word)) * char <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _compact(amount: float, unit: str, qualifier: str | None) -> str:
    """'>1bn yuan', '~$275m': bar labels must be short; the title and table give the full wording."""
    sign = QUALIFIER_SIGNS.get(qualifier or "", "")
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if amount >= size:
            number = f"{amount / size:.1f}".rstrip("0").rstrip(".") + suffix
            break
    else:
        number = f"{amount:,.0f}"
    return f"{sign}${number}" if unit == "USD" else f"{sign}{number} {'yuan' if unit == 'CNY' else unit}"


MAX_MARKS = 240  # beyond this many facts, one bar per column instead of one mark per fact
LEGEND = (("day", "day known"), ("month", "month known"), ("year", 'only the year known ("?")'))


def timeline_chart(facts: list[Fact]) -> Markup | None:
    """Every dated fact as a mark in its month (or year) column; the shape says how precise the date is.

    Each month's count is written beside its marks, so the picture says how many facts each
    month holds without a hover. With more than MAX_MARKS facts each column becomes a bar of
    its count: the picture stays readable and small, whatever the size of the registry.
    """
    dated = [f for f in facts if f.date]
    if not dated:
        return None
    stacks: dict[tuple[int, int], list[Fact]] = {}  # (year, month or 0) -> its facts, in order
    for fact in sorted(dated, key=lambda f: f.date.sort_key):
        stacks.setdefault((fact.date.year, fact.date.month or 0), []).append(fact)
    bars = len(dated) > MAX_MARKS
    counts = "; ".join(f"{_column_name(key)}: {len(stack)}" for key, stack in sorted(stacks.items()))
    return _figure(
        "timeline-chart",
        f"Timeline of {len(dated)} dated facts",
        f"Facts per period: {counts}."
        + ("" if bars else " Filled circles: the day is known; rings: only the month; squares: only the year."),
        _timeline_wide(dated, stacks, bars),
        _timeline_narrow(stacks, bars),
        "Each mark is a fact, in the month it happened, and the number by each month counts its facts; a mark's "
        "shape shows how precisely the sources date it (hover a mark to read it). The list below gives every fact, "
        "with links and sources.",
    )


def _timeline_wide(dated: list[Fact], stacks: dict[tuple[int, int], list[Fact]], bars: bool) -> tuple[int, list[str]]:
    """A column per month of every year with a month known (and per year otherwise), a stack of marks in each."""
    years = sorted({f.date.year for f in dated})
    detailed = {f.date.year for f in dated if f.date.month}
    columns: dict[tuple[int, int], int] = {}  # (year, month or 0) -> column number
    labels: list[tuple[int, str, str]] = []  # column, month label, year label
    column = 0
    for year in years:
        if year in detailed:
            if (year, 0) in stacks:
                columns[(year, 0)] = column
                labels.append((column, "?", ""))
                column += 1
            for month in range(1, 13):
                columns[(year, month)] = column
                labels.append((column, MONTHS[month][0], str(year) if month == 1 else ""))
                column += 1
        else:
            columns[(year, 0)] = column
            labels.append((column, "", str(year)))
            column += 1
        column += 1  # a gap between years
    step = (WIDTH - LEFT - RIGHT) / column
    size = min(10.0, step * 0.7)
    tallest = max(len(s) for s in stacks.values())
    top = 40  # the legend, then a line for the counts
    base = top + (160 if bars else tallest * (size + 3))
    height = int(base + 44)
    parts = [f'<line class="chart-axis" x1="{LEFT}" y1="{base + 2:.1f}" x2="{WIDTH - RIGHT}" y2="{base + 2:.1f}"/>']
    for key, stack in sorted(stacks.items()):
        cx = LEFT + step * (columns[key] + 0.5)
        if bars:
            h = 160 * len(stack) / tallest
            title = html_text(f"{_column_name(key)}: {len(stack)} facts")
            parts.append(
                f'<g><title>{title}</title><rect class="chart-bar chart-unit-0" x="{cx - size / 2:.1f}" '
                f'y="{base - h:.1f}" width="{size:.1f}" height="{h:.1f}"/></g>'
            )
            summit = base - h
        else:
            for i, fact in enumerate(stack):
                cy = base - size / 2 - i * (size + 3)
                title = html_text(f"{fact.date.label}: {fact.statement}")
                parts.append(f"<g><title>{title}</title>{_marker(fact, cx, cy, size)}</g>")
            summit = base - len(stack) * (size + 3)
        if len(str(len(stack))) * CHAR <= step * 2 - 2:  # a count wider than two columns would cover its neighbour's
            parts.append(
                f'<text class="chart-count" x="{cx:.1f}" y="{summit - 4:.1f}" text-anchor="middle">{len(stack)}</text>'
            )
    for col, month, year in labels:
        cx = LEFT + step * (col + 0.5)
        if month:
            parts.append(
                f'<text class="chart-date" x="{cx:.1f}" y="{base + 16:.1f}" text-anchor="middle">{month}</text>'
            )
        if year:
            parts.append(
                f'<text class="chart-legend" x="{cx:.1f}" y="{base + 32:.1f}" text-anchor="middle">{year}</text>'
            )
    return height, parts + _legend(bars, WIDTH)[1]


def _timeline_narrow(stacks: dict[tuple[int, int], list[Fact]], bars: bool) -> tuple[int, list[str]]:
    """The phone's drawing: a row per month (or year) with facts, its marks in a line and their count."""
    label_w = 9 * CHAR  # 'Sep 2025', '2025 (?)'
    x0, end = EDGE + label_w, NARROW - EDGE - 4 * CHAR  # the count after the marks
    size, pitch = 10.0, 13.0
    per_line = max(1, int((end - x0) // pitch))
    tallest = max(len(s) for s in stacks.values())
    detailed = {year for year, month in stacks if month}
    y, parts = _legend(bars, NARROW, EDGE)
    y += 8
    for key, stack in sorted(stacks.items()):
        year, month = key
        name = f"{MONTHS[month][:3]} {year}" if month else f"{year} (?)" if year in detailed else str(year)
        parts.append(f'<text class="chart-date" x="{EDGE}" y="{y + 10:.0f}">{name}</text>')
        if bars:
            w = max(2.0, (end - x0) * len(stack) / tallest)
            title = html_text(f"{_column_name(key)}: {len(stack)} facts")
            parts.append(
                f'<g><title>{title}</title><rect class="chart-bar chart-unit-0" x="{x0:.1f}" y="{y:.0f}" '
                f'width="{w:.1f}" height="{size:.0f}"/></g>'
            )
            after, lines = x0 + w, 1
        else:
            for i, fact in enumerate(stack):
                cx, cy = x0 + (i % per_line) * pitch + size / 2, y + size / 2 + (i // per_line) * pitch
                title = html_text(f"{fact.date.label}: {fact.statement}")
                parts.append(f"<g><title>{title}</title>{_marker(fact, cx, cy, size)}</g>")
            after, lines = x0 + min(len(stack), per_line) * pitch, -(-len(stack) // per_line)
        parts.append(f'<text class="chart-count" x="{after + 4:.1f}" y="{y + 10:.0f}">{len(stack)}</text>')
        y += lines * pitch + 9
    return int(y + 4), parts


def _legend(bars: bool, width: int, side: int = LEFT) -> tuple[float, list[str]]:
    """The key to the marks' shapes, in as many lines as the width needs; its height and its parts."""
    if bars:
        lines = _wrap('Facts per month ("?": only the year known)', width - 2 * side)
        return 4 + 16 * len(lines), [
            f'<text class="chart-legend" x="{side}" y="{16 + 16 * i}">{html_text(line)}</text>'
            for i, line in enumerate(lines)
        ]
    parts, x, y = [], float(side), 12.0
    for precision, words in LEGEND:
        room = 14 + len(words) * CHAR
        if x > side and x + room > width - side:
            x, y = float(side), y + 18
        mark = (
            f'<rect class="chart-mark year" x="{x + 1:.0f}" y="{y - 4:.0f}" width="8" height="8"/>'
            if precision == "year"
            else f'<circle class="chart-mark {precision}" cx="{x + 5:.0f}" cy="{y:.0f}" r="4.5"/>'
        )
        parts.append(mark + f'<text class="chart-legend" x="{x + 14:.0f}" y="{y + 4:.0f}">{html_text(words)}</text>')
        x += room + 16
    return y + 8, parts


def _column_name(key: tuple[int, int]) -> str:
    year, month = key
    return month_year(year, month)


def _marker(fact: Fact, cx: float, cy: float, size: float) -> str:
    precision = fact.date.precision
    if precision == "year":
        return f'<rect class="chart-mark year" x="{cx - size / 2:.1f}" y="{cy - size / 2:.1f}" width="{size:.1f}" height="{size:.1f}"/>'
    return f'<circle class="chart-mark {precision}" cx="{cx:.1f}" cy="{cy:.1f}" r="{size / 2:.1f}"/>'


def _figure(
    name: str, title: str, desc: str, wide: tuple[int, list[str]], narrow: tuple[int, list[str]], caption: str
) -> Markup:
    """The figure with both drawings (the stylesheet shows the one that fits) and its caption."""
    drawings = []
    for variant, width, (height, parts) in (("wide", WIDTH, wide), ("narrow", NARROW, narrow)):
        ids = f"{name}-{variant}"
        drawings.append(
            f'<svg class="chart-{variant}" role="img" aria-labelledby="{ids}-title {ids}-desc" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ids}-title">{html_text(title)}</title><desc id="{ids}-desc">{html_text(desc)}</desc>'
            + "".join(parts)
            + "</svg>"
        )
    return Markup(
        f'<figure class="chart" id="{name}" data-search-exclude>'
        + "".join(drawings)
        + f"<figcaption>{html_text(caption)} {data_links(name)}</figcaption></figure>"
    )


def data_links(name: str) -> Markup:
    """Links to the data behind a chart and its table, and to its drawing (render/chart_data.py makes them)."""
    links = " · ".join(
        f'<a href="{DOCS}data/{name}.{kind}">{label}</a>'
        for kind, label in (("csv", "CSV"), ("json", "JSON"), ("svg", "SVG drawing"))
    )
    return Markup(f'<span class="chart-data">Data behind this chart and its table: {links}</span>')
