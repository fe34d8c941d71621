"""The registry as data for readers: facts.json, facts.csv, citations.csv and the JSON Schema.

Ids are the site's anchors, and every record carries the address of its page (relative to
the site root), so a row leads back to the sentence on the site and to the source's words.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from briefing.load.registry import SCHEMA_PATH, PartialDate, Value, independent_sources

if TYPE_CHECKING:
    from briefing.render.index import Index

FACT_COLUMNS = [
    "id",
    "statement",
    "topic",
    "date",
    "date_precision",
    "entities",
    "claimed_by",
    "value_amount",
    "value_unit",
    "value_qualifier",
    "tags",
    "sources",
    "independent_sources",
    "disputed_in",
    "note",
    "derived",
    "outside_knowledge",
    "page",
]
CITATION_COLUMNS = ["record", "record_kind", "source", "speaker", "via", "quote", "locator", "source_page"]


def downloads(index: Index) -> dict[str, str]:
    """The download files keyed by their path under docs/generated/."""
    return {
        "data/facts.json": _json(index),
        "data/facts.csv": _facts_csv(index),
        "data/citations.csv": _citations_csv(index),
        "data/registry.schema.json": SCHEMA_PATH.read_text(encoding="utf-8"),
    }


def _date(date: PartialDate | None) -> dict:
    return {"date": date.iso if date else None, "date_precision": date.precision if date else None}


def _value(value: Value | None) -> dict | None:
    return None if value is None else {"amount": value.amount, "unit": value.unit, "qualifier": value.qualifier}


def _citation(citation, index: Index) -> dict:
    return {
        "source": citation.source,
        "speaker": citation.speaker,
        "via": citation.via,
        "quote": index.words(citation),
        "locator": citation.locator,
        "source_page": index.citation_address(citation),
    }


def _json(index: Index) -> str:
    registry = index.registry
    briefing = registry.briefing
    data = {
        "briefing": {
            "title": briefing.title,
            "subject": briefing.subject,
            "summary": briefing.summary,
            "as_of": briefing.as_of.iso,
            "key_points": list(briefing.key_points),
        },
        "topics": [
            {"id": t.id, "title": t.title, "description": t.description, "page": f"topics/{t.id}/"}
            for t in registry.topics
        ],
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "based_on": [{"source": b.source, "name": b.name, "relation": b.relation} for b in s.based_on],
                "author": s.author,
                "published": s.published.iso,
                "published_precision": s.published.precision,
                "url": s.url,
                "kind": s.kind,
                "archive": {"file": s.archive_file, "sha256": s.archive_sha256},
                "reliability": s.reliability,
                "summary": s.summary,
                "page": f"sources/{s.id}/",
            }
            for s in registry.sources
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind,
                "aliases": list(e.aliases),
                "description": e.description,
                "controlled_by": {"entity": e.controlled_by.entity, "fact": e.controlled_by.fact}
                if e.controlled_by
                else None,
                "page": f"entities/{e.id}/",
            }
            for e in registry.entities
        ],
        "facts": [
            {
                "id": f.id,
                "statement": f.statement,
                "topic": f.topic,
                **_date(f.date),
                "entities": list(f.entities),
                "claimed_by": list(f.claimed_by),
                "value": _value(f.value),
                "converted": [
                    {"amount": c.amount, "unit": c.unit, "qualifier": c.qualifier, "source": c.source}
                    for c in f.converted
                ],
                "tags": list(f.tags),
                "note": f.note,
                "derived": [{"figure": d.figure, "working": d.working} for d in f.derived],
                "outside_knowledge": f.outside_knowledge,
                "independent_sources": independent_sources(f.citations, index.sources),
                "disputed_in": [d.id for d in index.disputes.get(f.id, [])],
                "citations": [_citation(c, index) for c in f.citations],
                "page": index.fact_address(f),
            }
            for f in registry.facts
        ],
        "disagreements": [
            {
                "id": d.id,
                "subject": d.subject,
                "facts": list(d.facts),
                "verdict": d.verdict,
                "note": d.note,
                "variants": [
                    {
                        "claim": v.claim,
                        "value": _value(v.value),
                        "rank": v.rank,
                        "reason": v.reason,
                        "outside_knowledge": v.outside_knowledge,
                        "citations": [_citation(c, index) for c in v.citations],
                    }
                    for v in d.variants
                ],
                "page": f"disagreements/#{d.id}",
            }
            for d in registry.disagreements
        ],
    }
    # One line: Python's indenting encoder is pure Python and several times slower at scale.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _csv(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[_cell(value) for value in row] for row in rows])
    return out.getvalue()


def _cell(value):
    """Text a spreadsheet would run as a formula (=, +, -, @) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _facts_csv(index: Index) -> str:
    rows = []
    for f in index.registry.facts:
        date = _date(f.date)
        rows.append(
            [
                f.id,
                f.statement,
                f.topic,
                date["date"] or "",
                date["date_precision"] or "",
                ";".join(f.entities),
                ";".join(f.claimed_by),
                "" if f.value is None else f.value.amount,
                "" if f.value is None else f.value.unit,
                "" if f.value is None or f.value.qualifier is None else f.value.qualifier,
                ";".join(f.tags),
                ";".join(dict.fromkeys(c.source for c in f.citations)),
                independent_sources(f.citations, index.sources),
                ";".join(d.id for d in index.disputes.get(f.id, [])),
                f.note or "",
                "; ".join(f"{d.figure}: {d.working}" for d in f.derived),
                f.outside_knowledge or "",
                index.fact_address(f),
            ]
        )
    return _csv(FACT_COLUMNS, rows)


def _citations_csv(index: Index) -> str:
    rows = []
    registry = index.registry
    for f in registry.facts:
        for c in f.citations:
            cite = _citation(c, index)
            rows.append(
                [
                    f.id,
                    "fact",
                    c.source,
                    c.speaker or "",
                    c.via or "",
                    cite["quote"],
                    c.locator or "",
                    cite["source_page"],
                ]
            )
    for d in registry.disagreements:
        for number, v in enumerate(d.variants, 1):
            for c in v.citations:
                cite = _citation(c, index)
                rows.append(
                    [
                        f"{d.id}--{number}",
                        "disagreement-variant",
                        c.source,
                        c.speaker or "",
                        c.via or "",
                        cite["quote"],
                        c.locator or "",
                        cite["source_page"],
                    ]
                )
    return _csv(CITATION_COLUMNS, rows)
