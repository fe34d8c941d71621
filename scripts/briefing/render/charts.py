"""Charts drawn at build time as accessible inline SVG: no script, no external service.

Each chart is an image to assistive technology (role="img" with a <title> and a <desc> that
says what it shows), and the page gives the same data as a table next to it: the text
fallback, and the way to reach each fact by keyboard. Colours come from the site's CSS, so
both palettes work.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.registry import Fact, Source
from briefing.render.escaping import html_text
from briefing.render.formatting import format_amount, format_value
from briefing.vocabulary import MONTHS, QUALIFIER_SIGNS, month_year

WIDTH = 640
LEFT, RIGHT = 16, 16
CURRENCY_TITLES = {"CNY": "In yuan, as reported", "USD": "In US dollars, as each source gives or converts it"}


@dataclass
class _Bar:
    column: int  # month index from the first charted month
    amount: float
    label: str  # shown above the bar
    title: str  # shown on hover


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
                _Bar(column, value.amount, label, f"{when}: {format_value(value)} (as reported)")
            )
            for c in fact.converted:
                amount, publisher = format_amount(c.amount, c.unit, c.qualifier), sources[c.source].publisher
                label = _compact(c.amount, c.unit, c.qualifier)
                panels.setdefault(c.unit, []).append(
                    _Bar(column, c.amount, label, f"{when}: {amount} according to {publisher}")
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
            panels.setdefault(unit, []).append(_Bar(column, total, _compact(total, unit, None), title))
        width = max(6, min(44, int((WIDTH - LEFT - RIGHT) / span * 0.6)))
    order = sorted(panels, key=lambda unit: (unit != rounds[0].value.unit, unit))
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
    desc = "; ".join(bar.title for unit in order for bar in panels[unit])
    return _figure(
        "funding-chart",
        f"Funding rounds over time, in each currency as reported ({len(rounds)} {'round' if len(rounds) == 1 else 'rounds'})",
        desc,
        height,
        parts,
        "Each round's amount in the currency the sources report it in, with each source's dollar figure in its own "
        "panel (the panels have their own scales). The table below gives the same figures."
        if len(rounds) <= MAX_ROUNDS
        else "Each year's total per currency, as the sources report the rounds (the panels have their own scales). "
        "The table below gives every round.",
    )


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


@dataclass
class _Mark:
    column: int
    fact: Fact


MAX_MARKS = 240  # beyond this many facts, one bar per column instead of one mark per fact


def timeline_chart(facts: list[Fact]) -> Markup | None:
    """Every dated fact as a mark in its month (or year) column; the shape says how precise the date is.

    With more than MAX_MARKS facts each column becomes a bar of its count: the picture stays
    readable and small, whatever the size of the registry.
    """
    dated = [f for f in facts if f.date]
    if not dated:
        return None
    years = sorted({f.date.year for f in dated})
    detailed = {f.date.year for f in dated if f.date.month}
    columns: dict[tuple[int, int], int] = {}  # (year, month or 0) -> column number
    labels: list[tuple[int, str, str]] = []  # column, month label, year label
    column = 0
    for year in years:
        if year in detailed:
            if any(f.date.year == year and not f.date.month for f in dated):
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
    stacks: dict[int, list[Fact]] = {}
    for fact in sorted(dated, key=lambda f: f.date.sort_key):
        stacks.setdefault(columns[(fact.date.year, fact.date.month or 0)], []).append(fact)
    step = (WIDTH - LEFT - RIGHT) / column
    size = min(10.0, step * 0.7)
    tallest = max(len(s) for s in stacks.values())
    bars = len(dated) > MAX_MARKS
    base = 24 + (160 if bars else tallest * (size + 3))
    height = int(base + 44)
    names = {col: _column_name(key) for key, col in columns.items()}
    parts = [f'<line class="chart-axis" x1="{LEFT}" y1="{base + 2:.1f}" x2="{WIDTH - RIGHT}" y2="{base + 2:.1f}"/>']
    for col, stack in sorted(stacks.items()):
        cx = LEFT + step * (col + 0.5)
        if bars:
            h = 160 * len(stack) / tallest
            title = html_text(f"{names[col]}: {len(stack)} facts")
            parts.append(
                f'<g><title>{title}</title><rect class="chart-bar chart-unit-0" x="{cx - size / 2:.1f}" '
                f'y="{base - h:.1f}" width="{size:.1f}" height="{h:.1f}"/></g>'
            )
            continue
        for i, fact in enumerate(stack):
            cy = base - size / 2 - i * (size + 3)
            title = html_text(f"{fact.date.label}: {fact.statement}")
            parts.append(f"<g><title>{title}</title>{_marker(fact, cx, cy, size)}</g>")
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
    legend_y = 12
    if bars:
        parts.append(
            f'<text class="chart-legend" x="{LEFT}" y="{legend_y + 4}">Facts per month ("?": only the year known); hover a bar for its count</text>'
        )
    parts += (
        []
        if bars
        else [
            f'<circle class="chart-mark day" cx="{LEFT + 5}" cy="{legend_y}" r="4.5"/>',
            f'<text class="chart-legend" x="{LEFT + 14}" y="{legend_y + 4}">day known</text>',
            f'<circle class="chart-mark month" cx="{LEFT + 105}" cy="{legend_y}" r="4"/>',
            f'<text class="chart-legend" x="{LEFT + 114}" y="{legend_y + 4}">month known</text>',
            f'<rect class="chart-mark year" x="{LEFT + 215}" y="{legend_y - 4}" width="8" height="8"/>',
            f'<text class="chart-legend" x="{LEFT + 228}" y="{legend_y + 4}">only the year known ("?" column)</text>',
        ]
    )
    counts = "; ".join(
        f"{_column_name(key)}: {len(stacks[col])}" for key, col in sorted(columns.items()) if col in stacks
    )
    return _figure(
        "timeline-chart",
        f"Timeline of {len(dated)} dated facts",
        f"Facts per period: {counts}."
        + ("" if bars else " Filled circles: the day is known; rings: only the month; squares: only the year."),
        height,
        parts,
        "Each mark is a fact, in the month it happened; its shape shows how precisely the sources date it "
        "(hover a mark to read it). The list below gives every fact, with links and sources.",
    )


def _column_name(key: tuple[int, int]) -> str:
    year, month = key
    return month_year(year, month)


def _marker(fact: Fact, cx: float, cy: float, size: float) -> str:
    precision = fact.date.precision
    if precision == "year":
        return f'<rect class="chart-mark year" x="{cx - size / 2:.1f}" y="{cy - size / 2:.1f}" width="{size:.1f}" height="{size:.1f}"/>'
    return f'<circle class="chart-mark {precision}" cx="{cx:.1f}" cy="{cy:.1f}" r="{size / 2:.1f}"/>'


def _figure(name: str, title: str, desc: str, height: int, parts: list[str], caption: str) -> Markup:
    return Markup(
        f'<figure class="chart" id="{name}" data-search-exclude>'
        f'<svg role="img" aria-labelledby="{name}-title {name}-desc" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{name}-title">{html_text(title)}</title><desc id="{name}-desc">{html_text(desc)}</desc>'
        + "".join(parts)
        + f"</svg><figcaption>{html_text(caption)}</figcaption></figure>"
    )
