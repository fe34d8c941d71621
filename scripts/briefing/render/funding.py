"""The funding rounds: the table (amounts as each source reports them, investors and who controls them) and the chart."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from briefing.check.standards import INVESTOR_KINDS
from briefing.load.model import Fact
from briefing.render.charts import funding_chart
from briefing.render.escaping import md_text
from briefing.render.facts import FactView, Link, entity_link
from briefing.render.formatting import format_amount, format_value
from briefing.render.index import Index
from briefing.render.listings import fact_order


@dataclass
class Investor:
    link: Link
    backer: Markup | None  # who controls it


@dataclass
class Round:
    date: str
    amounts: list[Markup]  # as the fact gives it, then as each source converts it
    investors: list[Investor]
    fact: FactView


@dataclass
class Funding:
    rows: list[Round]
    chart: Markup  # empty on the parts of a split topic: the chart is on its first page
    by_part: bool = False  # on the first page of a split topic: each part tables its own rounds


def funding_topic(index: Index) -> str | None:
    """The topic that holds the funding rounds: where the table and chart go."""
    rounds = funding_rounds(index)
    return rounds[0].topic if rounds else None


def funding_rounds(index: Index) -> list[Fact]:
    """Facts tagged funding-round, in date order; a round whose amount is unknown is listed too."""
    return [f for f in sorted(index.registry.facts, key=fact_order) if "funding-round" in f.tags]


def investor_ids(index: Index, fact: Fact) -> tuple[str, ...]:
    """A round's investors: its `investors`, else its organisations and people other than the subject.

    Never a place and never the company that raised the money (the standards check holds `investors` to that).
    """
    if fact.investors:
        return fact.investors
    subject = index.briefing.subject if index.briefing else None
    return tuple(e for e in fact.entities if e != subject and index.entities[e].kind in INVESTOR_KINDS)


def funding_view(index: Index, parts: list[list[Fact]] | None = None, part: int | None = None) -> Funding:
    """The table of rounds (amounts as each source reports them) and the chart of funding over time.

    For a topic split over `parts` (a page per year or month), the first page (`part` None) has the
    chart, and the table of the rounds no part shows (those filed under other topics); each part
    tables the rounds among its facts. So no page tables every round of a long history.
    """
    rounds = funding_rounds(index)
    split = parts is not None and len(parts) > 1
    if split:
        shown = {f.id for f in (parts[part] if part is not None else [f for facts in parts for f in facts])}
        tabled = [f for f in rounds if (f.id in shown) == (part is not None)]
    else:
        tabled = rounds
    rows = []
    for fact in tabled:
        investors = []
        for entity_id in investor_ids(index, fact):
            entity = index.entities[entity_id]
            control = entity.controlled_by
            backer = index.entities[control.entity].name if control else None
            investors.append(Investor(entity_link(entity), md_text(backer) if backer else None))
        amounts = [md_text(format_value(fact.value) if fact.value else "amount not reported")] + [
            md_text(f"{format_amount(c.amount, c.unit, c.qualifier)} ({index.sources[c.source].publisher})")
            for c in fact.converted
        ]
        rows.append(Round(fact.date.label if fact.date else "Undated", amounts, investors, index.fact_view(fact)))
    if split and part is not None:
        return Funding(rows, Markup(""))
    charted = [f for f in rounds if f.value is not None and f.date is not None]
    return Funding(rows, funding_chart(charted, index.sources), by_part=split)
