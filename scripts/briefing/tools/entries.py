"""New entries for `briefing new`: the questions asked, the entry made from the answers, its id and its file.

The entry is a plain dict; editing.py adds it to a registry file's text, comments kept.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from briefing import vocabulary
from briefing.load.validation import ID_PATTERN

_FILLER = {"a", "an", "the", "in", "of", "on", "at", "to", "for", "by", "with", "and", "or", "its", "it", "that", "as"}


def slug(text: str, words: int = 6) -> str:
    """An id from words: 'Zhipu opened an office in Singapore' -> 'zhipu-opened-office-singapore'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = [p for p in re.findall(r"[a-z0-9]+", ascii_text.lower()) if p not in _FILLER]
    return "-".join(parts[:words])[:60].strip("-") or "entry"


def free_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`, ...: the first id nobody uses."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# What `briefing new KIND` asks for: (flag, question, required, repeatable).
FIELDS: dict[str, list[tuple[str, str, bool, bool]]] = {
    "fact": [
        ("statement", "Statement, in our own words", True, False),
        ("topic", "Topic id", True, False),
        ("entity", "Entity ids it is about (space-separated)", True, True),
        ("cite", "Source id and the quote, as: SOURCE-ID | exact words", True, True),
        (
            "speaker",
            "Who speaks in the quote: an entity id if the source gives the words as a party's (empty: the source's own words)",
            False,
            False,
        ),
        ("date", "Date (YYYY, YYYY-MM or YYYY-MM-DD; empty if none)", False, False),
    ],
    "source": [
        ("title", "Title (the headline as printed)", True, False),
        ("publisher", "Publisher", True, False),
        ("published", "Published (YYYY, YYYY-MM or YYYY-MM-DD)", True, False),
        ("kind", f"Kind ({', '.join(vocabulary.source_kinds())})", True, False),
        ("archive_file", "Archive file name (in the archive folder)", True, False),
        ("reliability", "How far to trust it (one or two sentences)", True, False),
        ("summary", "What it reports (two or three sentences, our words)", True, False),
        ("url", "Address (https://...; empty if unknown)", False, False),
    ],
    "entity": [
        ("name", "Name", True, False),
        ("kind", f"Kind ({', '.join(vocabulary.entity_kinds())})", True, False),
        ("description", "One-line description", True, False),
    ],
    "topic": [
        ("title", "Title (a page's heading: Funding, Products)", True, False),
        ("description", "What it covers (one or two sentences)", True, False),
    ],
}
MAX_LISTED = 12  # ids a question lists before it says how many more there are


def questions(kind: str, existing: dict[str, list[str]]) -> list[tuple[str, str, bool, bool]]:
    """FIELDS[kind] with each question listing what the registry already has for it.

    `existing` maps a section (topics, entities, sources) to its ids in file order.
    """
    # A fact's references name what exists ("one of"); a new topic, entity or source's first
    # question shows what there is already, so as not to add it twice ("existing").
    listed = {
        "fact": {"topic": "topics", "entity": "entities", "cite": "sources", "speaker": "entities"},
        "topic": {"title": "topics"},
        "entity": {"name": "entities"},
        "source": {"title": "sources"},
    }[kind]
    asked = []
    for name, question, required, repeatable in FIELDS[kind]:
        # Only well-formed ids: a broken registry's id could carry a terminal's control sequence.
        ids = [i for i in existing.get(listed.get(name, ""), []) if ID_PATTERN.fullmatch(i)]
        if ids:
            shown = ", ".join(ids[:MAX_LISTED]) + (
                f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
            )
            question = f"{question} [{'one of' if kind == 'fact' else 'existing'}: {shown}]"
        asked.append((name, question, required, repeatable))
    return asked


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _date(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def _new_id(values: dict[str, Any], base: str, taken: set[str]) -> str:
    """The id the editor gave, else the first free one made from `base`."""
    return values.get("id") or free_id(base, taken)


def fact_entry(values: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """A fact from `briefing new fact`'s answers, with the next free id made from its words."""
    entry: dict[str, Any] = {"id": _new_id(values, slug(values["statement"]), taken)}
    entry["statement"] = values["statement"]
    entry["topic"] = values["topic"]
    if _date(values.get("date")):
        entry["date"] = _date(values["date"])
    entry["entities"] = list(values["entity"])
    if values.get("claimed_by"):
        entry["claimed_by"] = list(values["claimed_by"])
    if values.get("value"):
        amount, unit = values["value"]
        entry["value"] = {"amount": _number(amount), "unit": unit}
        if values.get("qualifier"):
            entry["value"]["qualifier"] = values["qualifier"]
    if values.get("tag"):
        entry["tags"] = list(values["tag"])
    entry["citations"] = []
    for source, quote in values["cite"]:
        citation = {"source": source, "quote": quote}
        if values.get("speaker"):
            citation["speaker"] = values["speaker"]
        if values.get("via"):
            citation["via"] = values["via"]
        entry["citations"].append(citation)
    if values.get("note"):
        entry["note"] = values["note"]
    return entry


def source_entry(values: dict[str, Any], taken: set[str], sha256: str) -> dict[str, Any]:
    """A source from `briefing new source`'s answers; the checksum is read from the archive.

    `--based-on` names a source in the registry by its id, or one we do not hold by its name.
    """
    base = f"{slug(values['publisher'], 3)}-{slug(str(values['published']), 3)}"
    entry: dict[str, Any] = {"id": _new_id(values, base, taken)}
    for key in ("title", "publisher", "author", "published", "url", "kind", "retrieved"):
        if values.get(key):
            entry[key] = values[key]
    if values.get("based_on"):
        origin = values["based_on"]
        entry["based_on"] = [
            {("source" if origin in taken else "name"): origin, "relation": values.get("relation") or "repost"}
        ]
    archive = {"file": values["archive_file"], "sha256": sha256}
    return entry | {"archive": archive, "reliability": values["reliability"], "summary": values["summary"]}


def entity_entry(values: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """An entity from `briefing new entity`'s answers."""
    entry: dict[str, Any] = {"id": _new_id(values, slug(values["name"], 6), taken), "name": values["name"]}
    entry["kind"] = values["kind"]
    if values.get("alias"):
        entry["aliases"] = list(values["alias"])
    return entry | {"description": values["description"]}


def topic_entry(values: dict[str, Any], taken: set[str]) -> dict[str, Any]:
    """A topic from `briefing new topic`'s answers, with the next free id made from its title."""
    new_id = _new_id(values, slug(values["title"], 4), taken)
    return {"id": new_id, "title": values["title"], "description": values["description"]}


def target_file(section: str, files: dict[str, list[str]], topic: str | None = None) -> str:
    """Where a new entry goes: beside its kind (a fact beside its topic), or a new file.

    `files` maps each registry file to the ids (for facts: the topics) of its entries in `section`.
    """
    holding = {path: items for path, items in files.items() if items}
    if section == "facts" and topic:
        by_topic = {path: items.count(topic) for path, items in holding.items() if topic in items}
        if by_topic:
            return max(sorted(by_topic), key=lambda p: by_topic[p])
        if any(p.rsplit("/", 1)[-1].startswith("facts-") for p in holding):
            return f"facts/facts-{topic}.yaml"
    if holding:
        return max(sorted(holding), key=lambda p: len(holding[p]))
    return f"facts/{section}.yaml"
