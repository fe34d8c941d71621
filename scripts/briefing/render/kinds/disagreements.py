"""Where sources disagree: each disagreement, its versions with their sources and standing, and our note."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from briefing.load.model import Fact
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
class Related:
    """A fact a disagreement concerns: its statement, and a short link to it named by its topic."""

    statement: Markup
    link: Link


@dataclass
class Side:
    """A version in the summary table: the publishers that give it, and its standing unless merely reported."""

    publishers: list[Markup]
    rank: str | None


@dataclass
class DisagreementView:
    id: str
    subject: Markup
    verdict: str
    variants: list[Version]
    note: Markup
    facts: list[Related]  # the facts it concerns
    link: Link  # to it, on its page (for the summary table)
    short_verdict: str  # "Conflicting", "Reconcilable" or "Erroneous"
    sides: list[Side]


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
        facts = [Related(md_text(index.facts[f].statement), _topic_link(index, index.facts[f])) for f in d.facts]
        sides = [
            Side(
                [md_text(index.sources[s].publisher) for s in dict.fromkeys(c.source for c in v.citations)],
                RANKS[v.rank].lower() if v.rank != "normal" else None,
            )
            for v in d.variants
        ]
        views.append(
            DisagreementView(
                d.id,
                md_text(d.subject),
                VERDICTS[d.verdict],
                variants,
                md_text(d.note),
                facts,
                Link(md_text(d.subject), "#" + d.id),
                VERDICTS[d.verdict].split(":")[0],
                sides,
            )
        )
    return views


def _topic_link(index: Index, fact: Fact) -> Link:
    return Link(md_text(f"in {index.topics[fact.topic].title}"), href(index.fact_page(fact), fact.id))


def pages(index: Index) -> Iterator[Page]:
    yield Page(
        DISAGREEMENTS,
        "Where sources disagree",
        "Where the sources give different values, dates, names or attributions, every version with its sources.",
        {"disagreements": disagreement_views(index), "reviews": claim_reviews(index)},
        menu=(),
        facts=[index.facts[f] for d in index.registry.disagreements for f in d.facts],
    )


KIND = Kind("disagreements", "disagreements.md.j2", pages)
