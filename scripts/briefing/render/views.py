"""The views of each kind of page: home, topics and funding, timeline, disagreements, entities, sources."""

from __future__ import annotations

from markupsafe import Markup

from briefing.check.standards import INVESTOR_KINDS
from briefing.load.model import Entity, Fact, PartialDate, Source, independent_sources
from briefing.render.charts import funding_chart, timeline_chart
from briefing.render.escaping import href as href_attr
from briefing.render.escaping import html_text, md_text
from briefing.render.formatting import format_amount, format_value
from briefing.render.index import (
    KIND_NAMES,
    KIND_TITLES,
    RANKS,
    RELATIONS,
    SOURCE_KINDS,
    VERDICTS,
    Index,
    Link,
    Page,
    Part,
    entity_link,
    fact_order,
    page_file,
)
from briefing.render.links import text_fragment, wayback
from briefing.render.structured import dataset


def home_view(index: Index, page: Page) -> dict:
    briefing = index.briefing
    key_points = [page.fact(index.facts[f]) for f in briefing.key_points]
    numbers = []
    for number in briefing.key_numbers:
        fact = index.facts[number.fact]
        numbers.append(
            {
                "figure": md_text(format_value(fact.value)),
                "label": md_text(number.label),
                "fact": page.fact(fact),
            }
        )
    registry = index.registry
    return {
        "title": md_text(briefing.title),
        "summary": md_text(briefing.summary),
        "as_of": briefing.as_of.label,
        "key_points": key_points,
        "key_numbers": numbers,
        "topics": topic_summaries(index, page),
        "counts": {
            "facts": len(registry.facts),
            "sources": len(registry.sources),
            "entities": len(registry.entities),
            "disagreements": len(registry.disagreements),
            "single_source": sum(independent_sources(f.citations, index.sources) == 1 for f in registry.facts),
        },
        "subject": entity_link(index.entities[briefing.subject]),
        "dataset": dataset(index),
    }


def topic_summaries(index: Index, page: Page) -> list[dict]:
    return [
        {
            "link": Link(md_text(t.title), page.href(page_file(f"topics/{t.id}"))),
            "description": md_text(t.description),
            "count": len(index.by_topic.get(t.id, [])),
        }
        for t in index.registry.topics
    ]


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


def funding_view(index: Index, page: Page) -> dict:
    """The table of rounds (amounts as each source reports them) and the chart of funding over time."""
    rows = []
    rounds = funding_rounds(index)
    for fact in rounds:
        investors = []
        for entity_id in investor_ids(index, fact):
            entity = index.entities[entity_id]
            control = entity.controlled_by
            backer = index.entities[control.entity].name if control else None
            investors.append({"link": entity_link(entity), "backer": md_text(backer) if backer else None})
        rows.append(
            {
                "date": fact.date.label if fact.date else "Undated",
                "amounts": [md_text(format_value(fact.value) if fact.value else "amount not reported")]
                + [
                    md_text(f"{format_amount(c.amount, c.unit, c.qualifier)} ({index.sources[c.source].publisher})")
                    for c in fact.converted
                ],
                "investors": investors,
                "fact": page.fact(fact),
            }
        )
    charted = [f for f in rounds if f.value is not None and f.date is not None]
    return {"rows": rows, "chart": funding_chart(charted, index.sources)}


def first_page(number: int | None, parts: list[Part]) -> bool:
    """True for a listing's only page, or the first page of a split one (which links to the parts)."""
    return number is None or len(parts) == 1


def timeline_view(index: Index, page: Page, number: int | None) -> dict:
    """The chart on the timeline's first page; the facts come with the listing."""
    dated = [f for part in index.timeline_parts for f in part.facts]
    return {"chart": timeline_chart(dated) if first_page(number, index.timeline_parts) else None}


def disagreement_views(index: Index, page: Page) -> list[dict]:
    views = []
    for d in index.registry.disagreements:
        variants = []
        for variant in d.variants:
            variants.append(
                {
                    "claim": md_text(variant.claim),
                    "refs": page.refs(variant.citations),
                    "rank": RANKS[variant.rank],
                    "reason": md_text(variant.reason) if variant.reason else None,
                    "outside_knowledge": md_text(variant.outside_knowledge) if variant.outside_knowledge else None,
                }
            )
        views.append(
            {
                "id": d.id,
                "subject": md_text(d.subject),
                "verdict": VERDICTS[d.verdict],
                "variants": variants,
                "note": md_text(d.note),
                "facts": [
                    Link(md_text(index.facts[f].statement), page.href(index.fact_page(index.facts[f]), f))
                    for f in d.facts
                ],
            }
        )
    return views


def entity_groups(index: Index, page: Page) -> list[dict]:
    groups = []
    for kind, title in KIND_TITLES.items():
        members = sorted((e for e in index.registry.entities if e.kind == kind), key=lambda e: e.name.casefold())
        if members:
            groups.append(
                {
                    "title": title,
                    "entities": [
                        {
                            "link": entity_link(e),
                            "description": md_text(e.description),
                            "count": len(index.by_entity.get(e.id, [])),
                        }
                        for e in members
                    ],
                }
            )
    return groups


def entity_view(index: Index, entity: Entity, page: Page) -> dict:
    control = entity.controlled_by
    return {
        "name": md_text(entity.name),
        "kind": KIND_NAMES[entity.kind],
        "aliases": [md_text(a) for a in entity.aliases],
        "description": md_text(entity.description),
        "controlled_by": (
            {
                "link": entity_link(index.entities[control.entity]),
                "fact": Link(Markup("the source"), page.href(index.fact_page(index.facts[control.fact]), control.fact)),
            }
            if control
            else None
        ),
        "controls": [entity_link(e) for e in index.controls.get(entity.id, [])],
    }


def source_rows(index: Index, page: Page) -> list[dict]:
    return [
        {
            "link": Link(md_text(s.title), page.href(page_file(f"sources/{s.id}"))),
            "publisher": md_text(s.publisher),
            "published": s.published.label,
            "kind": SOURCE_KINDS[s.kind],
            "count": len({id(owner) for _, _, owner in index.citing.get(s.id, [])}),
        }
        for s in index.registry.sources
    ]


def source_view(index: Index, source: Source, page: Page, number: int | None) -> dict:
    """The source's metadata, and the facts (of this part) and disputed claims citing it, with their quotes."""
    parts = index.source_parts[source.id]
    on_page = {f.id for f in parts[number].facts} if number is not None else set()
    first = first_page(number, parts)
    facts: dict[int, dict] = {}
    claims: dict[int, dict] = {}
    for anchor, citation, owner in index.citing.get(source.id, []):
        if (owner.id not in on_page) if isinstance(owner, Fact) else not first:
            continue
        quote = {
            "anchor": anchor,
            "quote": md_text(index.words(citation)),
            "locator": md_text(citation.locator) if citation.locator else None,
            "speaker": entity_link(index.entities[citation.speaker]) if citation.speaker else None,
            "via": md_text(citation.via) if citation.via else None,
            "on_page": href_attr(text_fragment(source.url, index.words(citation), *index.fragment_context(citation)))
            if source.url
            else None,
            "context": not citation.supports,
        }
        if isinstance(owner, Fact):
            entry = facts.setdefault(
                id(owner),
                {
                    "anchor": anchor,
                    "statement": md_text(owner.statement),
                    "date": owner.date.label if owner.date else None,
                    "href": page.href(index.fact_page(owner), owner.id),
                    "quotes": [],
                },
            )
        else:
            disagreement, variant = owner
            entry = claims.setdefault(
                id(variant),
                {
                    "anchor": anchor,
                    "claim": md_text(variant.claim),
                    "rank": RANKS[variant.rank],
                    "disagreement": Link(
                        md_text(disagreement.subject), page.href(page_file("disagreements"), disagreement.id)
                    ),
                    "quotes": [],
                },
            )
        entry["quotes"].append(quote)
    return {
        "title": md_text(source.title),
        "publisher": md_text(source.publisher),
        "based_on": [
            {
                "relation": RELATIONS[b.relation],
                "link": Link(md_text(index.sources[b.source].title), page.href(page_file(f"sources/{b.source}")))
                if b.source
                else None,
                "name": md_text(b.name) if b.name else None,
            }
            for b in source.based_on
        ],
        "unheld": _unheld(source),
        "author": md_text(source.author) if source.author else None,
        "published": _published(source.published),
        "kind": SOURCE_KINDS[source.kind],
        "url": {"href": href_attr(source.url), "text": html_text(source.url)} if source.url else None,
        "wayback": href_attr(wayback(source.url, source.published)) if source.url else None,
        "archive_file": source.archive_file,
        "sha256": source.archive_sha256,
        "reliability": md_text(source.reliability),
        "summary": md_text(source.summary),
        "retrieved": source.retrieved.label if source.retrieved else None,
        "coverage": coverage_view(index, source, page) if first else None,
        "facts": list(facts.values()),
        "claims": list(claims.values()),
    }


REASONS = {
    "out-of-scope": "out of scope",
    "restates": "restates a fact",
    "opinion": "the outlet's own opinion, attributed to no one",
    "promotional": "promotional, nothing to check",
    "duplicate": "the same claim as another source",
    "unnamed-source": "credited only to unnamed sources",
}


def coverage_view(index: Index, source: Source, page: Page) -> dict | None:
    """Each sentence of the archived copy by its number and status; never its words (they are the publisher's).

    A used sentence links to its quotes on the source page; an omitted one shows the registry's
    excerpt and reason; a run of sentences not reviewed is one line. None if the archive was not read.
    """
    sentences = index.registry.sentences.get(source.id)
    if sentences is None:
        return None
    owners = {id(citation): owner for _, citation, owner in index.citing.get(source.id, [])}
    rows: list[dict] = []
    for number, sentence in enumerate(sentences, 1):
        status = sentence.status
        if status == "not-reviewed" and rows and rows[-1]["status"] == status:
            rows[-1]["last"] = number
            continue
        row: dict = {"status": status, "first": number, "last": number}
        if status == "used":  # each fact or disputed claim once, by its id, linked to its quote on this page
            links: dict[str, Link] = {}
            for c in sentence.used_by:
                owner = owners[id(c)]
                name = owner.id if isinstance(owner, Fact) else f"{owner[0].id} (disputed)"
                links.setdefault(name, Link(md_text(name), page.href(index.citation_page[id(c)], index.anchor[id(c)])))
            row["links"] = list(links.values())
        elif status == "omitted":
            omission = sentence.omission
            row["reason"] = REASONS[omission.reason]
            row["excerpt"] = html_text(sentence.excerpt or omission.excerpt)
            row["note"] = html_text(omission.note)
            row["link"] = None
            if omission.fact in index.facts:
                fact = index.facts[omission.fact]
                row["link"] = Link(md_text(fact.id), page.href(index.fact_page(fact), fact.id))
            elif omission.duplicate_of in index.sources:
                other = index.sources[omission.duplicate_of]
                row["link"] = Link(md_text(other.title), page.href(page_file(f"sources/{other.id}")))
        rows.append(row)
    counts = {status: sum(s.status == status for s in sentences) for status in ("used", "omitted", "not-reviewed")}
    return {"rows": rows, "total": len(sentences), **{k.replace("-", "_"): v for k, v in counts.items()}}


def _unheld(source: Source) -> str:
    """Say once which of the documents a source is based on the briefing does not hold."""
    names = [b for b in source.based_on if b.name]
    if not names:
        return ""
    if len(names) == len(source.based_on):
        return "none of them among this briefing's sources" if len(names) > 1 else "not among this briefing's sources"
    return "those not linked are not among this briefing's sources"


def _published(date: PartialDate) -> str:
    precision = {"day": "", "month": " (month only)", "year": " (year only)"}[date.precision]
    return date.label + precision
