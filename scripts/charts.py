"""Charts drawn at build time as accessible inline SVG: no script, no external service.

Each chart has a <title> and <desc> for screen readers, and the page shows the same data as
a table next to it, which is the text fallback.
"""

from __future__ import annotations

from markupsafe import Markup

from .escaping import html_text
from .formatting import format_value
from .registry import Fact

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 40, 56


def funding_chart(rounds: list[Fact]) -> Markup | None:
    """Bars of each round's amount as reported, over time, one colour per currency."""
    if not rounds:
        return None
    months = [(f.date.year * 12 + (f.date.month or 1) - 1) for f in rounds]
    first, last = min(months) - 1, max(months) + 1
    span = max(last - first, 1)
    units = sorted({f.value.unit for f in rounds})
    top = {u: max(f.value.amount for f in rounds if f.value.unit == u) for u in units}
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    bar_w = min(48, plot_w / (len(rounds) * 2 + 1))
    parts = []
    for number, (fact, month) in enumerate(zip(rounds, months)):
        unit = fact.value.unit
        height = plot_h * fact.value.amount / top[unit] if top[unit] else 0
        x = LEFT + plot_w * (month - first) / span - bar_w / 2 + (units.index(unit) - (len(units) - 1) / 2) * bar_w
        y = TOP + plot_h - height
        label = html_text(format_value(fact.value))
        when = html_text(fact.date.label)
        parts.append(
            f'<g class="chart-round"><title>{when}: {html_text(fact.statement)}</title>'
            f'<rect class="chart-bar chart-unit-{units.index(unit)}" x="{x:.1f}" y="{y:.1f}" '
            f'width="{bar_w:.1f}" height="{height:.1f}" rx="3"/>'
            f'<text class="chart-value" x="{x + bar_w / 2:.1f}" y="{y - 6:.1f}" text-anchor="middle">{label}</text>'
            f'<text class="chart-date" x="{x + bar_w / 2:.1f}" y="{TOP + plot_h + 18 + 14 * (number % 2):.1f}" '
            f'text-anchor="middle">{when}</text></g>'
        )
    legend = []
    for i, unit in enumerate(units):
        legend.append(
            f'<rect class="chart-bar chart-unit-{i}" x="{LEFT + i * 150}" y="8" width="12" height="12" rx="2"/>'
            f'<text class="chart-legend" x="{LEFT + i * 150 + 18}" y="18">{html_text(_unit_name(unit))}</text>'
        )
    total = len(rounds)
    desc = "; ".join(f"{f.date.label}: {format_value(f.value)}" for f in rounds)
    svg = (
        f'<figure class="chart">'
        f'<svg role="img" aria-labelledby="funding-chart-title funding-chart-desc" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="funding-chart-title">Funding rounds over time ({total} {"round" if total == 1 else "rounds"}, amounts as reported)</title>'
        f'<desc id="funding-chart-desc">{html_text(desc)}</desc>'
        f'<line class="chart-axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}"/>'
        + "".join(legend)
        + "".join(parts)
        + "</svg>"
        f"<figcaption>Funding rounds by date, in the currency the sources report them in. "
        f"The table below gives the same figures with each source's conversions.</figcaption>"
        "</figure>"
    )
    return Markup(svg)


def _unit_name(unit: str) -> str:
    return {"CNY": "Chinese yuan (as reported)", "USD": "US dollars (as reported)"}.get(unit, unit)
