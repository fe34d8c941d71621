"""Loading the registry: read the files under facts/, validate each, and build the model from what is valid.

It never raises for a contributor's mistake: everything wrong comes back as a list of located problems.
"""

from __future__ import annotations

import copy
import gc
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema

from briefing.load.discovery import display_path, find_registry_files, is_linked
from briefing.load.model import (
    Basis,
    Briefing,
    Citation,
    ControlledBy,
    Converted,
    Correction,
    Coverage,
    Derived,
    Disagreement,
    Entity,
    Fact,
    KeyNumber,
    Omission,
    Origin,
    PartialDate,
    Registry,
    Retraction,
    Source,
    Topic,
    Value,
    Variant,
    parse_date,
)
from briefing.load.validation import FORMATS, SECTIONS, ItemKey, load_schema, validate_document
from briefing.load.yaml_loader import YamlDocument, load_yaml_bytes
from briefing.problems import Loc, Problem, error

if TYPE_CHECKING:
    from briefing.load.cache import ParseCache


def load_registry(
    facts_dir: Path, root: Path, cache: ParseCache | None = None, built: dict[str, Registry] | None = None
) -> tuple[Registry, list[Problem]]:
    """Read every registry file under facts/ and load it (see `load_registry_texts`)."""
    texts: dict[str, bytes] = {}
    files, problems = find_registry_files(facts_dir, root)
    if not files and not problems:
        problems.append(
            error(Loc(display_path(facts_dir, root)), "no registry files (*.yaml) found", code="no-registry-files")
        )
    for path in files:
        display = display_path(path, root)
        if is_linked(path, facts_dir):
            problems.append(
                error(
                    Loc(display),
                    "registry files must not be symbolic links",
                    "copy the file into facts/",
                    code="linked-registry-file",
                )
            )
            continue
        try:
            texts[display] = path.read_bytes()
        except OSError as exc:
            problems.append(error(Loc(display), f"cannot read file: {exc.strerror}", code="unreadable-file"))
    registry, more = load_registry_texts(texts, cache, built)
    registry.complete &= not problems
    return registry, problems + more


def load_registry_texts(
    texts: dict[str, bytes], cache: ParseCache | None = None, built: dict[str, Registry] | None = None
) -> tuple[Registry, list[Problem]]:
    """Parse and validate registry files given as bytes by path; build the model from what is valid.

    Used for the working tree and for other revisions (`briefing diff`) alike. With a cache,
    a file whose bytes were seen before (and were valid) is not parsed again. With `built` too
    (the live preview's, kept between its loads), a clean file's entries are kept there by
    cache key, and a file whose path and bytes are unchanged is neither read from the cache nor
    built again; `built` is left holding this load's files only.
    """
    validator = jsonschema.Draft7Validator(load_schema(), format_checker=FORMATS)
    registry = Registry()
    problems: list[Problem] = []
    seen = set()
    with gc_paused():  # loading allocates millions of small objects that are all kept
        for display, raw in texts.items():
            key = cache.key(display, raw) if cache else ""
            seen.add(key)
            kept = built.get(key) if cache and built is not None else None
            if kept is not None:
                cache.used.add(key)  # still asked for: not pruned
                _extend(registry, kept)
                continue
            doc = cache.get(key) if cache else None
            if doc is not None:
                _extend(registry, _entries(doc, key, built))
                continue
            doc, load_problems = load_yaml_bytes(raw, display)
            problems += load_problems
            if doc is None:
                registry.complete = False
                continue
            schema_problems, errors = validate_document(doc, validator)
            problems += schema_problems
            registry.complete &= not errors
            clean = cache is not None and not schema_problems
            if clean:
                cache.put(key, doc)
            _extend(registry, _entries(doc, key, built if clean and not errors else None, errors))
    for key in set(built or ()) - seen:
        del built[key]
    return registry, problems


def _entries(
    doc: YamlDocument, key: str, built: dict[str, Registry] | None, errors: dict[ItemKey, list] | None = None
) -> Registry:
    """One file's entries (see `_add_entries`); kept in `built`, if given, for the next load."""
    entries = Registry(documents=[doc])
    _add_entries(entries, doc, errors or {})
    if built is not None:
        built[key] = entries
    return entries


def _extend(registry: Registry, part: Registry) -> None:
    """Add one file's entries to the registry, in the order written."""
    for item in fields(Registry):
        value = getattr(part, item.name)
        if isinstance(value, list):
            getattr(registry, item.name).extend(value)
    for section, ids in part.invalid_ids.items():
        registry.invalid_ids.setdefault(section, set()).update(ids)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: large builds of long-lived objects make it rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _add_entries(registry: Registry, doc: YamlDocument, errors: dict[ItemKey, list]) -> None:
    """Build every entry; an entry with schema errors is built without its invalid parts when it
    can stand without them, so the cross-reference and quote checks still see the rest of it."""
    if not isinstance(doc.data, dict) or ("", None) in errors and _unbuildable(errors[("", None)]):
        return
    for section, items in doc.data.items():
        if section not in SECTIONS:
            continue
        if section == "briefing":
            built = _build(_briefing, items, errors.get(("briefing", None), []), Origin(doc, ("briefing",)))
            if built:
                registry.briefings.append(built)
            continue
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            origin = Origin(doc, (section, index))
            built = _build(_BUILDERS[section], item, errors.get((section, index), []), origin)
            if built:
                getattr(registry, section).append(built)
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                registry.invalid_ids.setdefault(section, set()).add(item["id"])


def _unbuildable(errors: list) -> bool:
    return any(rel == () and err.validator != "additionalProperties" for rel, err in errors)


def _build(builder, item: Any, errors: list, origin: Origin):
    """The entry without the parts that failed validation, or None if it cannot stand without them."""
    if not isinstance(item, dict) or _unbuildable(errors):
        return None
    if errors:
        origin = Origin(origin.doc, origin.path, partial=True)
        item = copy.deepcopy(item)
        for rel, err in errors:
            if rel == ():  # unknown fields: drop them
                for key in set(item) - set(err.schema.get("properties", {})):
                    del item[key]
        # Remove invalid parts from the deepest and last up, so list indexes stay right.
        for rel in sorted({rel for rel, _ in errors if rel}, key=_removal_order, reverse=True):
            parent = item
            try:
                for step in rel[:-1]:
                    parent = parent[step]
                del parent[rel[-1]]
            except (KeyError, IndexError, TypeError):
                continue  # an ancestor was removed already
    try:
        return builder(item, origin)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None  # a required part was invalid; the schema problems say which


def _removal_order(rel: tuple) -> tuple:
    return tuple((1, step, "") if isinstance(step, int) else (0, 0, step) for step in rel)


def _date(value: Any) -> PartialDate | None:
    # Only schema-valid entries are built, so the date is real (see _is_real_date).
    return parse_date(value) if value is not None else None


def _value(data: dict | None) -> Value | None:
    if data is None:
        return None
    return Value(data["amount"], data["unit"], data.get("qualifier"))


def _citations(items: list[dict], origin: Origin, key: str = "citations") -> tuple[Citation, ...]:
    return tuple(
        Citation(
            c["source"],
            c["quote"],
            c.get("locator"),
            Origin(origin.doc, origin.path + (key, i)),
            c.get("speaker"),
            c.get("via"),
            c.get("role", "support"),
        )
        for i, c in enumerate(items)
    )


def _briefing(d: dict, o: Origin) -> Briefing:
    numbers = tuple(
        KeyNumber(n["fact"], n["label"], Origin(o.doc, o.path + ("key_numbers", i)))
        for i, n in enumerate(d.get("key_numbers", []))
    )
    return Briefing(d["title"], d["subject"], d["summary"], _date(d["as_of"]), tuple(d["key_points"]), numbers, o)


def _topic(d: dict, o: Origin) -> Topic:
    return Topic(d["id"], d["title"], d["description"], o)


def _source(d: dict, o: Origin) -> Source:
    return Source(
        id=d["id"],
        title=d["title"],
        publisher=d["publisher"],
        published=_date(d["published"]),
        kind=d["kind"],
        archive_file=d["archive"]["file"],
        archive_sha256=d["archive"]["sha256"],
        reliability=d["reliability"],
        summary=d["summary"],
        author=d.get("author"),
        url=d.get("url"),
        origin=o,
        based_on=tuple(Basis(b["relation"], b.get("source"), b.get("name")) for b in d.get("based_on", [])),
        retrieved=_date(d.get("retrieved")),
    )


def _entity(d: dict, o: Origin) -> Entity:
    control = d.get("controlled_by")
    return Entity(
        d["id"],
        d["name"],
        d["kind"],
        d["description"],
        tuple(d.get("aliases", [])),
        ControlledBy(control["entity"], control["fact"]) if control else None,
        o,
    )


def _fact(d: dict, o: Origin) -> Fact:
    return Fact(
        id=d["id"],
        statement=d["statement"],
        topic=d["topic"],
        date=_date(d.get("date")),
        entities=tuple(d["entities"]),
        claimed_by=tuple(d.get("claimed_by", [])),
        value=_value(d.get("value")),
        converted=tuple(
            Converted(c["amount"], c["unit"], c.get("qualifier"), c["source"]) for c in d.get("converted", [])
        ),
        tags=tuple(d.get("tags", [])),
        citations=_citations(d["citations"], o),
        note=d.get("note"),
        origin=o,
        derived=tuple(Derived(x["figure"], x["working"]) for x in d.get("derived", [])),
        outside_knowledge=d.get("outside_knowledge"),
        investors=tuple(d.get("investors", [])),
        corrections=tuple(
            Correction(
                date=_date(c["date"]),
                reason=c["reason"],
                origin=Origin(o.doc, o.path + ("corrections", i)),
                change=c["change"],
            )
            for i, c in enumerate(d.get("corrections", []))
        ),
    )


def _retraction(d: dict, o: Origin) -> Retraction:
    return Retraction(date=_date(d["date"]), reason=d["reason"], origin=o, fact=d["fact"])


def _disagreement(d: dict, o: Origin) -> Disagreement:
    variants = tuple(
        Variant(
            v["claim"],
            _value(v.get("value")),
            v.get("rank", "normal"),
            v.get("reason"),
            _citations(v["citations"], Origin(o.doc, o.path + ("variants", i))),
            Origin(o.doc, o.path + ("variants", i)),
            v.get("outside_knowledge"),
        )
        for i, v in enumerate(d["variants"])
    )
    return Disagreement(d["id"], d["subject"], tuple(d.get("facts", [])), d["verdict"], variants, d["note"], o)


def _coverage(d: dict, o: Origin) -> Coverage:
    omitted = tuple(
        Omission(
            d["source"],
            x["excerpt"],
            x["reason"],
            x["note"],
            Origin(o.doc, o.path + ("omitted", i)),
            x.get("fact"),
            x.get("duplicate_of"),
        )
        for i, x in enumerate(d["omitted"])
    )
    return Coverage(d["source"], omitted, o)


_BUILDERS = {
    "topics": _topic,
    "sources": _source,
    "entities": _entity,
    "facts": _fact,
    "disagreements": _disagreement,
    "coverage": _coverage,
    "retractions": _retraction,
}
