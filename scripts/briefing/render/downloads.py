"""The registry as data for readers: facts.json, facts.csv, citations.csv and the JSON Schema.

Ids are the site's anchors, and every record carries the address of its page (from the site's
root, or absolute when briefing.toml gives the site's address), so a row leads back to the
sentence on the site and to the source's words. The CSV files start with a UTF-8 byte order
mark, so that a spreadsheet opened by a double click reads curly quotes and accents as written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing.load.model import (
    Citation,
    Disagreement,
    Entity,
    Fact,
    PartialDate,
    Source,
    Topic,
    Value,
    independent_sources,
)
from briefing.load.validation import SCHEMA_PATH
from briefing.render.csv_text import csv_lines, csv_text
from briefing.render.references import bibtex, csl_json

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
    "investors",
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
CITATION_COLUMNS = ["record", "record_kind", "source", "role", "speaker", "via", "quote", "locator", "source_page"]


@dataclass(frozen=True)
class Download:
    """A file under data/: its name, media type, what it holds, and how it is made."""

    name: str
    mediatype: str
    about: str
    make: Callable[[Index], str]
    words: bool = True  # False: no fact's words are in it (an edit of them leaves it as it was)


@dataclass(frozen=True)
class Table:
    """A CSV file of data/ as the data package describes it: its name, and what each column holds."""

    name: str
    columns: list[str]
    described: dict[str, str]  # column -> what it holds


def downloads(index: Index, tables: tuple[Table, ...] = ()) -> dict[str, str]:
    """The download files keyed by their path in the site source's docs/.

    `tables`: the other CSV files of data/ (the charts'), which the data package describes too.
    """
    return {
        f"data/{d.name}": _datapackage(index, tables) if d.make is _datapackage else _made(d, index) for d in DOWNLOADS
    }


def _made(download: Download, index: Index) -> str:
    """A download's text; one without facts' words is kept whole by the live preview (Index.keep)."""
    if download.words:
        return download.make(index)
    return index.keep("", download.name, lambda: download.make(index))


def address(index: Index, page: str) -> str:
    """A page's address in the downloads: absolute when the site's address is known, else from the root."""
    site = index.settings.site_url
    return (site.rstrip("/") + "/" + page) if site else page


def cite_box(index: Index) -> dict[str, str]:
    """What every fact's Cite box adds to its statement: the briefing's editors (a JSON list) and year."""
    briefing = index.briefing
    return {
        "editors": json.dumps(list(index.settings.editors), ensure_ascii=False),
        "year": str(briefing.as_of.year) if briefing else "",
    }


def _datapackage(index: Index, tables: tuple[Table, ...] = ()) -> str:
    """A Frictionless data package describing the CSV files (facts, citations and `tables`), column by column."""
    facts = Table("facts.csv", FACT_COLUMNS, FACT_FIELDS)
    package = {
        "name": "briefing-data",
        "title": index.briefing.title,
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "resources": [
            _resource(t) for t in (facts, Table("citations.csv", CITATION_COLUMNS, CITATION_FIELDS), *tables)
        ],
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def _resource(table: Table) -> dict:
    """A CSV file as a data package's resource: every column a string, with what it holds."""
    return {
        "name": table.name.removesuffix(".csv").replace("_", "-"),
        "path": table.name,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": [{"name": c, "type": "string", "description": table.described[c]} for c in table.columns]},
    }


FACT_FIELDS = {
    "id": "the fact's id, its anchor on the site",
    "statement": "the claim, in the briefing's own words",
    "topic": "the id of its topic",
    "date": "when it happened: YYYY, YYYY-MM or YYYY-MM-DD",
    "date_precision": "year, month or day",
    "entities": "the ids of the entities it is about, separated by semicolons",
    "claimed_by": "the ids of the entities whose claim it is",
    "investors": "for a funding round, the ids of the organisations and people who put money in",
    "value_amount": "its figure, if it has one",
    "value_unit": "the figure's unit: an ISO currency code or a word",
    "value_qualifier": "how exact the figure is: about, more-than, up-to, ...",
    "tags": "kinds of event, separated by semicolons",
    "sources": "the ids of the sources it cites",
    "independent_sources": "how many independent sources back it",
    "disputed_in": "the ids of the disagreements it is part of",
    "note": "an editorial note",
    "derived": "figures that are the briefing's own, each as figure: working",
    "outside_knowledge": "what the briefing adds from outside its sources",
    "page": "its address on the site (from the site's root unless the site's address is known)",
}
CITATION_FIELDS = {
    "record": "the id of the fact, or the disagreement and version number, it backs",
    "record_kind": "fact or disagreement-variant",
    "source": "the id of the source quoted",
    "role": "support (the words carry the claim and count toward its sources) or context (background, not counted)",
    "speaker": "the id of the entity whose words these are, if the source gives them as a party's",
    "via": "the report or wire the source names for the words",
    "quote": "the source's words, as its archived text prints them",
    "locator": "where in the source",
    "source_page": "the quote's address on the site (from the site's root unless the site's address is known)",
}


def _date(date: PartialDate | None) -> dict:
    return {"date": date.iso if date else None, "date_precision": date.precision if date else None}


def _value(value: Value | None) -> dict | None:
    return None if value is None else {"amount": value.amount, "unit": value.unit, "qualifier": value.qualifier}


def _citation(citation, index: Index) -> dict:
    return {
        "source": citation.source,
        "role": citation.role,
        "speaker": citation.speaker,
        "via": citation.via,
        "quote": index.words(citation),
        "locator": citation.locator,
        "source_page": address(index, index.citation_address(citation)),
    }


def _coverage(source: str, index: Index) -> dict | None:
    """How many of a source's sentences are used, omitted (each with its excerpt and reason) and not reviewed."""
    sentences = index.quotes.sentences.get(source)
    if sentences is None:
        return None
    omitted = [s for s in sentences if s.status == "omitted"]
    return {
        "sentences": len(sentences),
        "used": sum(s.status == "used" for s in sentences),
        "not_reviewed": sum(s.status == "not-reviewed" for s in sentences),
        "omitted": [
            {
                "excerpt": s.excerpt or s.omission.excerpt,
                "reason": s.omission.reason,
                "note": s.omission.note,
                "fact": s.omission.fact,
                "duplicate_of": s.omission.duplicate_of,
            }
            for s in omitted
        ],
    }


def _json(index: Index) -> str:
    """facts.json: each section made whole but the facts, whose records the live preview keeps (Index.keep)."""
    registry = index.registry
    facts = (index.keep(f.id, "facts.json", lambda f=f: _compact(_fact_record(f, index))) for f in registry.facts)
    sections = {
        "briefing": _compact(_briefing_record(index)),
        "topics": _compact([_topic_record(t, index) for t in registry.topics]),
        "sources": _compact([_source_record(s, index) for s in registry.sources]),
        "entities": _compact([_entity_record(e, index) for e in registry.entities]),
        "facts": "[" + ",".join(facts) + "]",
        "disagreements": _compact([_disagreement_record(d, index) for d in registry.disagreements]),
    }
    # What json.dumps(sections) writes, joined from the parts.
    return "{" + ",".join(f"{_compact(name)}:{text}" for name, text in sections.items()) + "}\n"


def _compact(data: object) -> str:
    """JSON on one line: Python's indenting encoder is pure Python and several times slower at scale."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _briefing_record(index: Index) -> dict:
    briefing = index.registry.briefing
    return {
        "title": briefing.title,
        "subject": briefing.subject,
        "summary": briefing.summary,
        "as_of": briefing.as_of.iso,
        "key_points": list(briefing.key_points),
        "editors": list(index.settings.editors),
    }


def _topic_record(t: Topic, index: Index) -> dict:
    return {"id": t.id, "title": t.title, "description": t.description, "page": address(index, f"topics/{t.id}/")}


def _source_record(s: Source, index: Index) -> dict:
    return {
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
        "retrieved": s.retrieved.iso if s.retrieved else None,
        "coverage": _coverage(s.id, index),
        "page": address(index, f"sources/{s.id}/"),
    }


def _entity_record(e: Entity, index: Index) -> dict:
    controlled_by = {"entity": e.controlled_by.entity, "fact": e.controlled_by.fact} if e.controlled_by else None
    return {
        "id": e.id,
        "name": e.name,
        "kind": e.kind,
        "aliases": list(e.aliases),
        "description": e.description,
        "controlled_by": controlled_by,
        "page": address(index, f"entities/{e.id}/"),
    }


def _fact_record(f: Fact, index: Index) -> dict:
    return {
        "id": f.id,
        "statement": f.statement,
        "topic": f.topic,
        **_date(f.date),
        "entities": list(f.entities),
        "claimed_by": list(f.claimed_by),
        "investors": list(f.investors),
        "value": _value(f.value),
        "converted": [
            {"amount": c.amount, "unit": c.unit, "qualifier": c.qualifier, "source": c.source} for c in f.converted
        ],
        "tags": list(f.tags),
        "note": f.note,
        "derived": [{"figure": d.figure, "working": d.working} for d in f.derived],
        "outside_knowledge": f.outside_knowledge,
        "independent_sources": independent_sources(f.citations, index.sources),
        "disputed_in": [d.id for d in index.disputes.get(f.id, [])],
        "citations": [_citation(c, index) for c in f.citations],
        "page": address(index, index.fact_address(f)),
    }


def _disagreement_record(d: Disagreement, index: Index) -> dict:
    variants = [
        {
            "claim": v.claim,
            "value": _value(v.value),
            "rank": v.rank,
            "reason": v.reason,
            "outside_knowledge": v.outside_knowledge,
            "citations": [_citation(c, index) for c in v.citations],
        }
        for v in d.variants
    ]
    return {
        "id": d.id,
        "subject": d.subject,
        "facts": list(d.facts),
        "verdict": d.verdict,
        "note": d.note,
        "variants": variants,
        "page": address(index, f"disagreements/#{d.id}"),
    }


def _facts_csv(index: Index) -> str:
    rows = (index.keep(f.id, "facts.csv", lambda f=f: csv_lines([_fact_row(f, index)])) for f in index.registry.facts)
    return csv_text(FACT_COLUMNS, lines=rows)


def _fact_row(f: Fact, index: Index) -> list:
    date = _date(f.date)
    return [
        f.id,
        f.statement,
        f.topic,
        date["date"] or "",
        date["date_precision"] or "",
        ";".join(f.entities),
        ";".join(f.claimed_by),
        ";".join(f.investors),
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
        address(index, index.fact_address(f)),
    ]


def _citations_csv(index: Index) -> str:
    registry = index.registry
    lines = [
        index.keep(f.id, "citations.csv", lambda f=f: csv_lines(_citation_rows(f.id, "fact", f.citations, index)))
        for f in registry.facts
    ]
    lines += [
        csv_lines(_citation_rows(f"{d.id}--{number}", "disagreement-variant", v.citations, index))
        for d in registry.disagreements
        for number, v in enumerate(d.variants, 1)
    ]
    return csv_text(CITATION_COLUMNS, lines=lines)


def _citation_rows(record: str, kind: str, citations: tuple[Citation, ...], index: Index) -> list[list]:
    rows = []
    for c in citations:
        cite = _citation(c, index)
        where = [cite["quote"], c.locator or "", cite["source_page"]]
        rows.append([record, kind, c.source, c.role, c.speaker or "", c.via or "", *where])
    return rows


def _schema(index: Index) -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


DOWNLOADS = [
    Download("facts.json", "application/json", "Every topic, source, entity, fact and disagreement", _json),
    Download("facts.csv", "text/csv", "One row per fact", _facts_csv),
    Download("citations.csv", "text/csv", "One row per quotation", _citations_csv),
    Download(
        "registry.schema.json", "application/schema+json", "The JSON Schema of the registry's files", _schema, False
    ),
    Download("sources.bib", "application/x-bibtex", "The sources as BibTeX references", bibtex, False),
    Download(
        "sources.csl.json",
        "application/vnd.citationstyles.csl+json",
        "The sources as CSL-JSON references",
        csl_json,
        False,
    ),
    Download("datapackage.json", "application/json", "A Frictionless data package of the CSV files", _datapackage),
]
