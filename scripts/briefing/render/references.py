"""The sources as references, for a reader's own bibliography: sources.bib and sources.csl.json."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from briefing.vocabulary import SOURCE_KINDS

if TYPE_CHECKING:
    from briefing.render.index import Index

# LaTeX's special characters in a BibTeX field. Braces become commands, not \{ and \}: BibTeX
# counts every brace, escaped or not, so one "\{" would leave the field open. The Cite box's
# BibTeX (briefing.js, BIB_SPECIAL) uses this same table; tests/test_cite.py holds them equal.
BIB_SPECIAL = {c: "\\" + c for c in "%&$#_"} | {
    "{": "\\textbraceleft{}",
    "}": "\\textbraceright{}",
    "\\": "\\textbackslash{}",
    "~": "\\~{}",
    "^": "\\^{}",
}
_BIB_TABLE = str.maketrans(BIB_SPECIAL)


def bib_text(text: str) -> str:
    """Text inside a BibTeX field: LaTeX's special characters escaped, on one line."""
    return " ".join(text.split()).translate(_BIB_TABLE)


def _bib_url(url: str) -> str:
    """An address inside a BibTeX field: braces (which would end the field) percent-encoded."""
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex(index: Index) -> str:
    """sources.bib: each source as an @online entry, its fields escaped for LaTeX."""
    entries = []
    for s in index.registry.sources:
        fields = [("title", s.title), ("organization", s.publisher), ("date", s.published.iso)]
        fields.append(("year", str(s.published.year)))  # classic BibTeX styles read the year, not the date
        if s.author:
            fields.insert(1, ("author", "{" + bib_text(s.author) + "}"))  # one name as written, not split
        if s.url:
            fields.append(("url", _bib_url(s.url)))
        if s.retrieved:
            fields.append(("urldate", s.retrieved.iso))
        fields.append(("note", SOURCE_KINDS[s.kind]))
        body = ",\n".join(f"  {k} = {{{v if k in ('url', 'author') else bib_text(v)}}}" for k, v in fields)  # fmt: skip
        entries.append(f"@online{{{s.id},\n{body}\n}}\n")
    return "\n".join(entries)


def csl_json(index: Index) -> str:
    """sources.csl.json: each source as a CSL-JSON item, for reference managers."""
    items = []
    for s in index.registry.sources:
        date = [int(p) for p in s.published.iso.split("-")]
        item = {"id": s.id, "type": "article-newspaper" if s.kind == "news-report" else "webpage", "title": s.title}
        item["container-title"] = s.publisher
        if s.author:
            item["author"] = [{"literal": s.author}]
        item["issued"] = {"date-parts": [date]}
        if s.url:
            item["URL"] = s.url
        if s.retrieved:
            item["accessed"] = {"date-parts": [[int(p) for p in s.retrieved.iso.split("-")]]}
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
