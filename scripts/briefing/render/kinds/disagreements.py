"""Where sources disagree: each disagreement, its versions with their sources and standing, and our note."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.render.addresses import DISAGREEMENTS, href
from briefing.render.escaping import md_text
from briefing.render.facts import Link, Ref, source_refs
from briefing.render.index import Index
from briefing.render.kinds.base import Kind, Page
from briefing.render.structured import claim_reviews
from briefing.vocabulary import RANKS, VERDICTS


@dataclass
class Version:
    claim: Markup
    refs: list[Ref]
    rank: str
    reason: Markup | None
    outside_knowledge: Markup | None


@dataclass
class DisagreementView:
    id: str
    subject: Markup
    verdict: str
    variants: list[Version]
    note: Markup
    facts: list[Link]  # the facts it concerns


def disagreement_views(index: Index) -> list[DisagreementView]:
    views = []
    for d in index.registry.disagreements:
        variants = [
            Version(
                md_text(v.claim),
                source_refs(v.citations, index),
                RANKS[v.rank],
                md_text(v.reason) if v.reason else None,
                md_text(v.outside_knowledge) if v.outside_knowledge else None,
            )
            for v in d.variants
        ]
        facts = [Link(md_text(index.facts[f].statement), href(index.fact_page(index.facts[f]), f)) for f in d.facts]
        views.append(DisagreementView(d.id, md_text(d.subject), VERDICTS[d.verdict], variants, md_text(d.note), facts))
    return views


def pages(index: Index) -> Iterator[Page]:
    yield Page(
        DISAGREEMENTS,
        "Where sources disagree",
        "Where the sources give different values, dates, names or attributions, every version with its sources.",
        {"disagreements": disagreement_views(index), "reviews": claim_reviews(index)},
        menu=(),
    )


KIND = Kind("disagreements", "disagreements.md.j2", pages)
